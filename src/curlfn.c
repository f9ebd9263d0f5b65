/* curlfn.c - opening libcurl on demand. */
#include "config.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "curlfn.h"
#include "util.h"

struct curlfn curlfn;

static void *handle;

int
curlfn_load(char **cause)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define SYM(field, sym) { #sym, offsetof(struct curlfn, field) }
		SYM(global_init, curl_global_init),
		SYM(global_cleanup, curl_global_cleanup),
		SYM(easy_init, curl_easy_init),
		SYM(easy_setopt, curl_easy_setopt),
		SYM(easy_getinfo, curl_easy_getinfo),
		SYM(easy_cleanup, curl_easy_cleanup),
		SYM(easy_strerror, curl_easy_strerror),
		SYM(multi_init, curl_multi_init),
		SYM(multi_setopt, curl_multi_setopt),
		SYM(multi_add_handle, curl_multi_add_handle),
		SYM(multi_remove_handle, curl_multi_remove_handle),
		SYM(multi_perform, curl_multi_perform),
		SYM(multi_poll, curl_multi_poll),
		SYM(multi_info_read, curl_multi_info_read),
		SYM(multi_cleanup, curl_multi_cleanup),
		SYM(slist_append, curl_slist_append),
		SYM(slist_free_all, curl_slist_free_all),
		SYM(version_info, curl_version_info),
#undef SYM
	};

	if (handle != NULL)
		return 0;
	void *h = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();
		*cause = xasprintf("cannot load %s (%s): install libcurl "
		    "(Debian: libcurl4)", LIBCURL_SONAME, e ? e : "not found");
		return -1;
	}
	for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
		void *p = dlsym(h, syms[i].name);
		if (p == NULL) {
			*cause = xasprintf("%s has no %s: libcurl 7.66 or "
			    "later is needed", LIBCURL_SONAME, syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX guarantees function pointers survive this round
		 * trip through void *. */
		memcpy((char *)&curlfn + syms[i].off, &p, sizeof p);
	}
	if (curlfn.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*cause = xstrdup("libcurl failed to initialise");
		dlclose(h);
		return -1;
	}
	handle = h;
	return 0;
}
