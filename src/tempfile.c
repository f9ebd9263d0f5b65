/* tempfile.c - the temporary files of a run, removed on a fatal signal or
 * when memory runs out (see tempfile.h). */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tempfile.h"

static const char *volatile temps[TEMP_SLOTS];
static sigset_t fatal_sigs;
static int fatal_sigs_made;
static const int fatal_list[] = { SIGTERM, SIGINT, SIGHUP };
#define NFATAL (sizeof fatal_list / sizeof fatal_list[0])
static struct sigaction fatal_old[NFATAL];
static int fatal_set[NFATAL];

static void
make_sigs(void)
{
	if (fatal_sigs_made)
		return;
	sigemptyset(&fatal_sigs);
	for (size_t i = 0; i < NFATAL; i++)
		sigaddset(&fatal_sigs, fatal_list[i]);
	fatal_sigs_made = 1;
}

void
temp_unlink_all(void)
{
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (temps[i] != NULL)
			unlink(temps[i]);
}

void
temp_block_signals(sigset_t *old)
{
	make_sigs();
	sigprocmask(SIG_BLOCK, &fatal_sigs, old);
}

void
temp_unblock_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

void
temp_register(int slot, const char *path)
{
	if (slot < 0 || slot >= TEMP_SLOTS)
		return;
	sigset_t old;
	temp_block_signals(&old);
	temps[slot] = path;
	temp_unblock_signals(&old);
}

static void
on_fatal(int sig)
{
	/* async-signal-safe only: unlink(2), then die of the same signal
	 * (SA_RESETHAND restored the default action) */
	temp_unlink_all();
	raise(sig);
}

void
temp_catch_signals(void)
{
	make_sigs();
	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction sa;
		if (fatal_set[i] || sigaction(fatal_list[i], NULL,
		    &fatal_old[i]) != 0 || fatal_old[i].sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal;
		sa.sa_mask = fatal_sigs;
		sa.sa_flags = SA_RESETHAND;
		fatal_set[i] = sigaction(fatal_list[i], &sa, NULL) == 0;
	}
}

void
temp_restore_signals(void)
{
	for (size_t i = 0; i < NFATAL; i++)
		if (fatal_set[i]) {
			sigaction(fatal_list[i], &fatal_old[i], NULL);
			fatal_set[i] = 0;
		}
}

int
test_fault(const char *what)
{
	const char *f = getenv("KODUS_ENVCHECK_TEST_FAULT");
	return f != NULL && strcmp(f, what) == 0;
}
