/* dynload.h - libraries opened by the code that needs them.
 *
 * Every library the executable names (DT_NEEDED) is found, mapped,
 * relocated and searched for symbols at each start, before main. libinih
 * (needed only for --catalog files, the built-in catalog being compiled
 * in) and libyaml (only when a compose file is read) cost a lint run of
 * the installer's .env about 74,000 instructions, 11 page faults and 18
 * system calls for nothing. So, as libcurl (curlfn.c), they are opened
 * with dlopen() on first use; a missing one stops only the code that
 * needs it, with a message naming the package, not the loader. */
#ifndef KEC_DYNLOAD_H
#define KEC_DYNLOAD_H

#include <stddef.h>

struct dynsym {
	const char	*name;
	void		*fn;	/* the function pointer to fill */
};

/* Open soname once (*handle keeps it) and fill every syms[i].fn. Returns
 * 0, or -1 with *cause naming the library and the Debian package that
 * has it (caller frees). */
int dynload(void **handle, const char *soname, const char *package,
    const struct dynsym *syms, size_t n, char **cause);

#endif
