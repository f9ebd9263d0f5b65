/* live.h - the live provider check: "Kodus validates the key against the
 * endpoint", done before the containers start, with the diagnosis a
 * person needs (wrong region, no balance, unknown model). */
#ifndef KEC_LIVE_H
#define KEC_LIVE_H

#include "lint.h"
#include "probe.h"

struct live_opts {
	struct probe_opts probe;
	int		 deep;		/* one real chat request */
	int		 cross_region;	/* try siblings after a 401 */
	int		 allow_http;	/* keys over http:// beyond loopback */
	int		 have_min_balance; /* --min-balance given */
	double		 min_balance;	/* balance-low under this */
	double		 slow_after;	/* seconds: slow-response over this */
};


/* One finished request, for the report. */
struct live_probe {
	char	*name;
	char	*method;
	char	*url;
	long	 status;		/* 0: no HTTP answer */
	char	*verdict;		/* rule id, or "ok" */
	long	 elapsed_ms;
	int	 attempts;
	struct probe_timing timing;
};

struct live {
	int		 ran;		/* requests were sent */
	char		*skipped;	/* why not, when !ran */
	const struct provider *provider; /* may be NULL */
	char		*base_url;
	char		*model;
	int		 have_balance;
	double		 balance;
	int		 have_min_balance; /* --min-balance, for the report */
	double		 min_balance;
	const char	*currency;	/* NULL when unknown */
	long		 context;	/* reported by the provider, or 0 */
	int		 model_listed;	/* -1 unknown, 0 no, 1 yes */
	int		 models_ok;	/* the model list request passed */
	struct live_probe *probes;
	size_t		 nprobes;
	int		 unreachable;	/* some answer could not be had */
};

/* Run the live check for the lint's primary file; findings go to the
 * lint's diagnostics. Returns 0, or -1 with *cause when the check cannot
 * start at all (libcurl missing). */
int live_run(struct lint *, const struct live_opts *, struct live *,
    char **cause);
void live_free(struct live *);

#endif
