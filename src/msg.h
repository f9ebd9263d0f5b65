/* msg.h - messages and output: the leaf module of the command layer.
 * Subcommands, the reports and the option parser write through it; it
 * depends on nothing above it (util, secret). */
#ifndef KEC_MSG_H
#define KEC_MSG_H

/* Exit statuses of the whole tool (documented in kodus-envcheck(1)). */
enum {
	EXIT_FINE = 0,		/* nothing to fix */
	EXIT_FINDINGS = 1,	/* errors found, or the reader refuses */
	EXIT_USAGE = 2,		/* usage, unreadable input, cannot run */
	EXIT_UNREACHABLE = 3	/* live check: no verdict reachable */
};

struct buf;

/* Print "kodus-envcheck: message" on stderr, through the one masking and
 * escaping path (secret_show). */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* First thing: a standard descriptor the caller closed stays unusable.
 * /dev/null, opened the other way round (close-on-exec), holds its
 * number, so that no file or socket opened later takes it (the output,
 * streamed as it is made, would go into a temporary file or a
 * connection), and reading or writing it still fails with EBADF; a
 * closed standard output is still a write error for msg_flush. The
 * command of --exec gets them closed, as they were given. */
void msg_hold_std_fds(void);
/* Make out the program's output: from now on it streams, in chunks
 * (BUF_CHUNK, util.h) as it fills, to standard output. A library caller
 * (a test, a fuzzer) keeps the whole output in its own buffer. */
void msg_set_stream(struct buf *out);
/* The output goes to standard error from now on (check --exec: standard
 * output belongs to the command that is run). */
void msg_to_stderr(void);

/* Write out to its sink once it holds BUF_CHUNK bytes or more, and empty
 * it (buf_drain): a report calls it after each finding, so what is
 * written breaks between findings. A write error is remembered and
 * reported once, by msg_flush. */
void msg_drain(struct buf *out);

/* Write the rest of out and flush; close standard output unless
 * keep_stdout (a command is about to be exec'd). On a write error, now
 * or remembered, report it once and return EXIT_USAGE; else status. */
int msg_flush(struct buf *out, int status, int keep_stdout);

#endif
