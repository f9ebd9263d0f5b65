/* report_prom.c - the Prometheus text exposition format (version 0.0.4,
 * as node_exporter's textfile collector reads it), and each probe's
 * phases for the text and JSON reports.
 *
 * What goes in: provider and rule ids, severities, probe names, the
 * currency, numbers. Never a key (not even masked), a URL or a value
 * from the .env: a metrics file is read by whoever reads the metrics. */
#include "config.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *const phase_name[] = { "dns", "connect", "tls",
    "first_byte", "total" };

static long long
phase(const struct probe_timing *t, int i)
{
	switch (i) {
	case 0: return t->dns_us;
	case 1: return t->connect_us;
	case 2: return t->tls_us;
	case 3: return t->first_byte_us;
	default: return t->total_us;
	}
}

void
report_timing_text(struct buf *out, const struct probe_timing *t)
{
	if (t->total_us < 0)
		return;
	buf_printf(out, " (dns %.1f, connect %.1f, tls %.1f, first byte "
	    "%.1f ms)", (double)t->dns_us / 1e3, (double)t->connect_us / 1e3,
	    (double)t->tls_us / 1e3, (double)t->first_byte_us / 1e3);
}

void
report_timing_json(cJSON *o, const struct probe_timing *t)
{
	cJSON *tm = cJSON_AddObjectToObject(o, "timing_ms");
	for (int i = 0; i < 5; i++) {
		char k[32];
		snprintf(k, sizeof k, "%s", phase_name[i]);
		long long v = phase(t, i);
		if (v >= 0)
			cJSON_AddNumberToObject(tm, k, (double)v / 1e3);
		else
			cJSON_AddNullToObject(tm, k);
	}
}

/* A label value: backslash, double quote and line feed escaped, as the
 * format requires; any other byte outside printable ASCII as '?'
 * (label values here are ids, never arbitrary text). */
static void
label(struct buf *out, const char *name, const char *v, int comma)
{
	buf_printf(out, "%s%s=\"", comma ? "," : "", name);
	for (const unsigned char *s = (const unsigned char *)v; *s; s++) {
		if (*s == '\\')
			buf_addstr(out, "\\\\");
		else if (*s == '"')
			buf_addstr(out, "\\\"");
		else if (*s == '\n')
			buf_addstr(out, "\\n");
		else if (*s < 0x20 || *s >= 0x7f)
			buf_addc(out, '?');
		else
			buf_addc(out, (char)*s);
	}
	buf_addc(out, '"');
}

static void
family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* Is the provider usable: the live check reached a verdict and the
 * provider's answers hold no error? */
static int
provider_up(const struct lint *l, const struct live *lv)
{
	if (!lv->ran || lv->unreachable)
		return 0;
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct rule *r = &rule_table[l->diags.v[i].rid];
		if (l->diags.v[i].sev == SEV_ERROR &&
		    strcmp(r->group, "live") == 0)
			return 0;
	}
	return 1;
}

void
report_prom_write(struct buf *out, const struct lint *l,
    const struct live *lv, int status, long long now)
{
	const char *pid = lv && lv->provider ? lv->provider->id : "unknown";

	if (lv != NULL && lv->ran) {
		family(out, "kodus_envcheck_provider_up", "gauge", "1 when the "
		    "live check reached the provider and it accepts the key "
		    "and serves the model, else 0.");
		buf_addstr(out, "kodus_envcheck_provider_up{");
		label(out, "provider", pid, 0);
		buf_printf(out, "} %d\n", provider_up(l, lv));
	}

	/* one series a (rule, severity) found, counting its findings, in
	 * the order of each pair's first finding: one pass to count, one
	 * to print each pair at its first finding (count then cleared) */
	size_t count[RULE_COUNT][3];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < l->diags.n; i++)
		count[l->diags.v[i].rid][l->diags.v[i].sev]++;
	int head = 0;
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		size_t n = count[d->rid][d->sev];
		if (n == 0)
			continue;
		count[d->rid][d->sev] = 0;
		if (!head++)
			family(out, "kodus_envcheck_findings", "gauge",
			    "Findings of the last run, by rule id and "
			    "severity (see kodus-envcheck(1), RULES).");
		buf_addstr(out, "kodus_envcheck_findings{");
		label(out, "rule", rule_name(d->rid), 0);
		label(out, "severity", severity_name(d->sev), 1);
		buf_printf(out, "} %zu\n", n);
	}

	if (lv != NULL && lv->have_balance) {
		family(out, "kodus_envcheck_balance", "gauge", "The available "
		    "balance the provider reports, in the currency label's "
		    "units.");
		buf_addstr(out, "kodus_envcheck_balance{");
		label(out, "provider", pid, 0);
		label(out, "currency", lv->currency ? lv->currency : "", 1);
		buf_printf(out, "} %.15g\n", lv->balance);
	}
	if (lv != NULL && lv->ran && lv->have_min_balance) {
		family(out, "kodus_envcheck_balance_floor", "gauge", "The "
		    "--min-balance floor of the last run.");
		buf_addstr(out, "kodus_envcheck_balance_floor{");
		label(out, "provider", pid, 0);
		label(out, "currency", lv->currency ? lv->currency : "", 1);
		buf_printf(out, "} %.15g\n", lv->min_balance);
	}

	head = 0;
	for (size_t i = 0; lv != NULL && i < lv->nprobes; i++) {
		const struct live_probe *p = &lv->probes[i];
		for (int k = 0; k < 5; k++) {
			long long v = phase(&p->timing, k);
			if (v < 0)
				continue;
			if (!head++)
				family(out, "kodus_envcheck_probe_duration_"
				    "seconds", "gauge", "Each live request's "
				    "time by phase: dns, connect, tls, "
				    "first_byte (after the request was sent) "
				    "and total.");
			buf_addstr(out, "kodus_envcheck_probe_duration_seconds{");
			label(out, "provider", pid, 0);
			label(out, "probe", p->name, 1);
			label(out, "phase", phase_name[k], 1);
			buf_printf(out, "} %.6f\n", (double)v / 1e6);
		}
	}

	family(out, "kodus_envcheck_last_run_timestamp_seconds", "gauge",
	    "When the run ended, in seconds since the Unix epoch.");
	buf_printf(out, "kodus_envcheck_last_run_timestamp_seconds %lld\n",
	    now);
	family(out, "kodus_envcheck_exit_status", "gauge", "The run's exit "
	    "status: 0 usable, 1 findings to fix, 3 no verdict reachable.");
	buf_printf(out, "kodus_envcheck_exit_status %d\n", status);
}
