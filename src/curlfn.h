/* curlfn.h - libcurl, loaded when the first live check needs it.
 *
 * Linking libcurl makes every start pay for its dependency chain (TLS,
 * Kerberos, LDAP, ... ~10 ms here): a lint-only run in an entrypoint or CI
 * never uses it. So the library is opened with dlopen() on first use and
 * called through this table. A missing libcurl then only disables the
 * live check, with a message, instead of stopping the loader. */
#ifndef KEC_CURLFN_H
#define KEC_CURLFN_H

#define CURL_DISABLE_TYPECHECK 1
/* CURLOPT_PROTOCOLS stays as the fallback for a libcurl before 7.85 */
#define CURL_DISABLE_DEPRECATION 1
#include <curl/curl.h>

struct curlfn {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int,
	    int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	curl_version_info_data *(*version_info)(CURLversion);
};

extern struct curlfn curlfn;

/* Open libcurl and fill the table (once). Returns 0, or -1 with *cause
 * set (caller frees). */
int curlfn_load(char **cause);

#endif
