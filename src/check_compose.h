/* check_compose.h - the compose project's findings for check. */
#ifndef KEC_CHECK_COMPOSE_H
#define KEC_CHECK_COMPOSE_H

#include "compose.h"
#include "lint.h"

/* After lint_run: load the compose project (discovered in co->dir, or
 * co->files) and add api-worker-drift findings between the final
 * environments of the api and each active worker service, for the LLM
 * block. No compose file: nothing. Returns 0, or -1 with *cause when the
 * project cannot be read (invalid YAML, a missing env_file, ...). */
int check_compose(struct lint *, const struct compose_opts *, char **cause);

#endif
