/* compose.h - the docker compose v2 project model: which environment each
 * service's container receives.
 *
 * Follows compose-go (what docker compose v2 runs): the project .env read
 * with the shell environment winning, the compose files merged as -f
 * merges them, ${VAR} interpolation from the project environment,
 * env_file: entries read as compose reads them (dialect_eval), then
 * environment: on top. Every final variable remembers the file and line
 * that set it. The YAML is read into a bounded tree (see the COMPOSE_MAX_*
 * caps); extends: and include: are reported, not followed. */
#ifndef KEC_COMPOSE_H
#define KEC_COMPOSE_H

#include <stddef.h>

#include "envmap.h"

#define COMPOSE_MAX_BYTES	(1024 * 1024)	/* a compose file */
#define COMPOSE_MAX_DEPTH	64		/* nested collections */
#define COMPOSE_MAX_NODES	100000		/* nodes as written */
#define COMPOSE_MAX_EXPANDED	1000000		/* nodes seen through aliases */
#define COMPOSE_MAX_FILES	32		/* --compose files */
#define COMPOSE_MAX_SERVICES	1000		/* in all the files */
#define COMPOSE_MAX_LIST	256		/* env_file:, profiles: a service */
#define COMPOSE_MAX_ENV_BYTES	(16 * 1024 * 1024)	/* an env_file */

/* Where a final variable was set. */
struct corigin {
	const char	*file;	/* owned by the project */
	unsigned	 line, col;
	int		 compose;	/* set by environment: in a compose file */
	int		 removed;	/* a bare KEY with no value: not passed */
};

enum kodus_role {
	KODUS_NONE, KODUS_API, KODUS_WORKER, KODUS_WORKER_ANALYTICS,
	KODUS_WEBHOOKS, KODUS_WEB, KODUS_MCP_MANAGER
};

struct compose_service {
	char		*name;
	char		*image;		/* interpolated, or NULL */
	const char	*file;		/* the compose file that defines it */
	unsigned	 line;
	char		**profiles;
	size_t		 nprofiles;
	int		 active;	/* no profile, or one is enabled */
	enum kodus_role	 role;
	char		**env_files;	/* as resolved (paths) */
	size_t		 nenv_files;
	struct envmap	 env;		/* the final environment */
	struct corigin	*orig;		/* parallel to env.v */
	size_t		 corig;
};

struct compose_project {
	char		**files;	/* compose files, in merge order */
	size_t		 nfiles;
	char		*dotenv;	/* the project .env read, or NULL */
	struct compose_service *svc;
	size_t		 nsvc;
	char		**notes;	/* extends/include not followed, ... */
	size_t		 nnotes;
	char		**strs;		/* interned file names */
	size_t		 nstrs;
};

struct compose_opts {
	const char	**files;	/* --compose, or NULL to discover */
	size_t		 nfiles;
	const char	*dir;		/* where to discover (the .env's) */
	const char	*env_file;	/* --env-file, or NULL: DIR/.env */
	const char	**profiles;	/* --profile, or NULL: COMPOSE_PROFILES */
	size_t		 nprofiles;
};

enum {
	COMPOSE_OK = 0,
	COMPOSE_NONE = 1,	/* nothing discovered: not a compose project */
	COMPOSE_ERROR = -1,	/* *cause says file:line:column: what */
	COMPOSE_REFUSED = -2	/* an env file compose refuses; *cause */
};

/* Load the project. On COMPOSE_REFUSED, *refused names the env file
 * (caller frees). */
int compose_load(struct compose_project *, const struct compose_opts *,
    char **cause, char **refused);
void compose_free(struct compose_project *);
const struct compose_service *compose_service(const struct compose_project *,
    const char *name);
const char *kodus_role_name(enum kodus_role);

/* Parse YAML text into the bounded tree and check it can be modelled,
 * without touching the file system: for the fuzzer. Returns 0 or -1 with
 * *cause. */
int compose_parse_text(const char *name, const char *text, size_t len,
    char **cause);
/* libyaml's version (--version); NULL with *cause when it cannot be
 * opened. */
const char *compose_yaml_version(char **cause);

#endif
