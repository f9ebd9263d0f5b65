/* tempfile.h - temporary files being written (fix's new file and backup,
 * check --output's report) are never left behind: removed when memory
 * runs out (oom) or when a signal that ends the run arrives.
 *
 * A slot (0 or 1) names a file that exists right now; it is set and
 * cleared with those signals blocked, so the handler only ever sees a
 * file that is there. The name must stay valid until the slot is
 * cleared (NULL). */
#ifndef KEC_TEMPFILE_H
#define KEC_TEMPFILE_H

#include <signal.h>

#define TEMP_SLOTS 2
void temp_register(int slot, const char *path);
/* Catch SIGTERM, SIGINT and SIGHUP (unless ignored: nohup, a background
 * job) while temporary files may exist: remove them, then die of the
 * signal; restore puts back what was there. */
void temp_catch_signals(void);
void temp_restore_signals(void);
/* Hold those signals over a step that must not be cut (a rename pair). */
void temp_block_signals(sigset_t *old);
void temp_unblock_signals(const sigset_t *old);
/* Remove every registered file: async-signal-safe (oom, the handler). */
void temp_unlink_all(void);

/* The test suite's fault injection: is KODUS_ENVCHECK_TEST_FAULT what? */
int test_fault(const char *what);

#endif
