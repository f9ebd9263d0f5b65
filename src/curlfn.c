/* curlfn.c - opening libcurl on demand. */
#include "config.h"

#include "curlfn.h"
#include "dynload.h"
#include "util.h"

struct curlfn curlfn;

static void *handle;

int
curlfn_load(char **cause)
{
	static const struct dynsym syms[] = {
		{ "curl_global_init", &curlfn.global_init },
		{ "curl_global_cleanup", &curlfn.global_cleanup },
		{ "curl_easy_init", &curlfn.easy_init },
		{ "curl_easy_setopt", &curlfn.easy_setopt },
		{ "curl_easy_getinfo", &curlfn.easy_getinfo },
		{ "curl_easy_cleanup", &curlfn.easy_cleanup },
		{ "curl_easy_strerror", &curlfn.easy_strerror },
		{ "curl_multi_init", &curlfn.multi_init },
		{ "curl_multi_setopt", &curlfn.multi_setopt },
		{ "curl_multi_add_handle", &curlfn.multi_add_handle },
		{ "curl_multi_remove_handle", &curlfn.multi_remove_handle },
		{ "curl_multi_perform", &curlfn.multi_perform },
		{ "curl_multi_poll", &curlfn.multi_poll },
		{ "curl_multi_info_read", &curlfn.multi_info_read },
		{ "curl_multi_cleanup", &curlfn.multi_cleanup },
		{ "curl_slist_append", &curlfn.slist_append },
		{ "curl_slist_free_all", &curlfn.slist_free_all },
		{ "curl_version_info", &curlfn.version_info },
	};
	static int ready;

	if (ready)
		return 0;
	if (dynload(&handle, LIBCURL_SONAME, "libcurl4 (7.66 or later)", syms,
	    sizeof syms / sizeof *syms, cause) != 0)
		return -1;
	if (curlfn.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*cause = xstrdup("libcurl failed to initialise");
		return -1;
	}
	ready = 1;
	return 0;
}
