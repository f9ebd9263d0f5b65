/* dynload.c - opening a library on first use. */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "dynload.h"
#include "util.h"

int
dynload(void **handle, const char *soname, const char *package,
    const struct dynsym *syms, size_t n, char **cause)
{
	if (*handle != NULL)
		return 0;
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();
		*cause = xasprintf("cannot load %s (%s): install %s", soname,
		    e ? e : "not found", package);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (p == NULL) {
			*cause = xasprintf("%s has no %s: install a newer %s",
			    soname, syms[i].name, package);
			dlclose(h);
			return -1;
		}
		/* POSIX guarantees function pointers survive this round
		 * trip through void *. */
		memcpy(syms[i].fn, &p, sizeof p);
	}
	*handle = h;
	return 0;
}
