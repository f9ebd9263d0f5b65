/* schema.c - the Kodus variable schema. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "catalog.h"
#include "envmap.h"
#include "inifile.h"
#include "schema.h"
#include "util.h"

static void reindex(struct schema *);

static const char *const vtype_names[] = {
	"string", "port", "number", "boolean", "url", "email", "cron",
	"hostname", "enum"
};

static void
var_clear(struct schemavar *v)
{
	for (size_t i = 0; i < v->nenum; i++)
		free(v->enumv[i]);
	free(v->enumv);
	for (size_t i = 0; i < v->nwebhook; i++)
		free(v->webhook[i]);
	free(v->webhook);
	free(v->format);
	free(v->equals);
	free(v->req_if_name);
	free(v->req_if_value);
	free(v->vhost);
	char *name = v->name;
	memset(v, 0, sizeof *v);
	v->name = name;
}

static void
reset_installer_attrs(struct schemavar *v)
{
	for (size_t i = 0; i < v->nenum; i++)
		free(v->enumv[i]);
	free(v->enumv);
	v->enumv = NULL;
	v->nenum = 0;
	v->type = VT_STRING;
	v->required = v->secret = v->optional = 0;
}

static char *
trimdup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static void
push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

int
schema_parse_attrs(const char *text, struct schemavar *v, int lenient,
    const char **why)
{
	const char *p = text;
	while (*p != '\0') {
		/* one item: up to a comma outside parentheses */
		const char *e = p;
		int depth = 0;
		while (*e != '\0' && (*e != ',' || depth > 0)) {
			if (*e == '(')
				depth++;
			else if (*e == ')' && depth > 0)
				depth--;
			e++;
		}
		char *item = trimdup(p, (size_t)(e - p));
		char *colon = strchr(item, ':');
		char *key = item, *val = NULL;
		if (colon != NULL) {
			*colon = '\0';
			key = item;
			val = colon + 1;
			while (isspace((unsigned char)*val))
				val++;
			char *k = colon;
			while (k > key && isspace((unsigned char)k[-1]))
				*--k = '\0';
		}
		int ok = 1;
		if (val == NULL && strcmp(key, "required") == 0)
			v->required = 1;
		else if (val == NULL && strcmp(key, "secret") == 0)
			v->secret = 1;
		else if (val == NULL && (strcmp(key, "optional") == 0 ||
		    strncmp(key, "opt-in", 6) == 0))
			v->optional = 1;
		else if (val == NULL && *key == '\0')
			;	/* empty list */
		else if (val != NULL && strcmp(key, "type") == 0) {
			size_t i;
			for (i = 0; i < sizeof vtype_names /
			    sizeof *vtype_names; i++)
				if (strcmp(val, vtype_names[i]) == 0)
					break;
			if (strncmp(val, "enum(", 5) == 0 &&
			    val[strlen(val) - 1] == ')') {
				v->type = VT_ENUM;
				const char *q = val + 5;
				const char *end = val + strlen(val) - 1;
				while (q < end) {
					const char *c = memchr(q, ',',
					    (size_t)(end - q));
					const char *ie = c ? c : end;
					char *ev = trimdup(q, (size_t)(ie - q));
					if (*ev)
						push(&v->enumv, &v->nenum, ev);
					else
						free(ev);
					q = c ? c + 1 : end;
				}
				if (v->nenum == 0)
					ok = 0, *why = "enum() with no values";
			} else if (i < sizeof vtype_names / sizeof *vtype_names
			    && i != VT_ENUM)
				v->type = (enum vtype)i;
			else if (!lenient)
				ok = 0, *why = "unknown type";
		} else if (val != NULL && strcmp(key, "format") == 0) {
			if (strcmp(val, "hex64") != 0 &&
			    strcmp(val, "base64-32") != 0)
				ok = 0, *why = "format is hex64 or base64-32";
			else {
				free(v->format);
				v->format = xstrdup(val);
			}
		} else if (val != NULL && strcmp(key, "group") == 0)
			v->llm = strcmp(val, "llm") == 0;
		else if (val != NULL && strcmp(key, "equals") == 0) {
			free(v->equals);
			v->equals = xstrdup(val);
		} else if (val != NULL && strcmp(key, "vhost") == 0) {
			free(v->vhost);
			v->vhost = xstrdup(val);
		} else if (val != NULL && strcmp(key, "webhook") == 0) {
			const char *q = val;
			while (*q) {
				size_t l = strcspn(q, " \t");
				if (l > 0)
					push(&v->webhook, &v->nwebhook,
					    xstrndup(q, l));
				q += l;
				q += strspn(q, " \t");
			}
		} else if (val != NULL && strcmp(key, "required-if") == 0) {
			const char *eq = strchr(val, '=');
			if (eq == NULL)
				ok = 0, *why = "required-if is NAME=VALUE";
			else {
				free(v->req_if_name);
				free(v->req_if_value);
				v->req_if_name = trimdup(val, (size_t)(eq - val));
				v->req_if_value = xstrdup(eq + 1);
			}
		} else if (!lenient) {
			ok = 0;
			*why = "unknown attribute";
		}
		free(item);
		if (!ok)
			return -1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/* The variable by name, through the index (kept up to date here): an
 * .env.example of many variables loads in linear time. */
static struct schemavar *
get_or_add(struct schema *s, const char *name, size_t len)
{
	const struct envvar *x = envmap_get(&s->index, name, len);
	if (x != NULL)
		return &s->v[x->key_off];
	/* room doubles when n reaches a power of two */
	if (s->n >= 16 && (s->n & (s->n - 1)) == 0)
		s->v = xreallocarray(s->v, s->n * 2, sizeof *s->v);
	else if (s->n == 0)
		s->v = xreallocarray(s->v, 16, sizeof *s->v);
	struct schemavar *v = &s->v[s->n];
	memset(v, 0, sizeof *v);
	v->name = xstrndup(name, len);
	envmap_set(&s->index, v->name, len, "", 0, s->n++, 0);
	return v;
}

int
schema_load_builtin(struct schema *s, char **cause)
{
	if (builtin_schema.n == 0)
		return schema_load_builtin_parsed(s, cause);
	/* the compiled tables, checked when they were made; only the
	 * name index is built here */
	*s = builtin_schema;
	envmap_init(&s->index);
	envmap_reserve(&s->index, s->n);	/* no rehash while filling */
	for (size_t i = 0; i < s->n; i++)
		envmap_set(&s->index, s->v[i].name, s->lens[i], "", 0, i, 0);
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static char **
dup_list(char *const *v, size_t n)
{
	char **out = n ? xreallocarray(NULL, n, sizeof *out) : NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/* A schema of the heap's own, which an .env.example may change: the
 * compiled tables copied. */
static void
unshare(struct schema *s)
{
	if (!s->builtin)
		return;
	const struct schemavar *sv = s->v;
	const struct legacy *sl = s->l;
	/* room as get_or_add grows it: 16, then the next power of two */
	size_t cap = 16;
	while (cap < s->n)
		cap *= 2;
	s->v = xreallocarray(NULL, cap, sizeof *s->v);
	for (size_t i = 0; i < s->n; i++) {
		struct schemavar *v = &s->v[i];
		*v = sv[i];
		v->name = xstrdup(sv[i].name);
		v->enumv = dup_list(sv[i].enumv, sv[i].nenum);
		v->format = dup_or_null(sv[i].format);
		v->equals = dup_or_null(sv[i].equals);
		v->webhook = dup_list(sv[i].webhook, sv[i].nwebhook);
		v->req_if_name = dup_or_null(sv[i].req_if_name);
		v->req_if_value = dup_or_null(sv[i].req_if_value);
		v->vhost = dup_or_null(sv[i].vhost);
	}
	s->l = s->nl ? xreallocarray(NULL, s->nl, sizeof *s->l) : NULL;
	for (size_t i = 0; i < s->nl; i++) {
		s->l[i] = sl[i];
		s->l[i].name = xstrdup(sl[i].name);
		s->l[i].replacement = dup_or_null(sl[i].replacement);
		s->l[i].reason = dup_or_null(sl[i].reason);
	}
	s->builtin = 0;
	s->hist = NULL;
	s->lens = s->bylen = NULL;
	reindex(s);	/* the index pointed at the tables' names */
}

int
schema_load_builtin_parsed(struct schema *s, char **cause)
{
	struct ini_doc d;
	memset(s, 0, sizeof *s);
	if (ini_load_text("built-in kodus-schema.ini", builtin_schema_ini,
	    strlen(builtin_schema_ini), &d, cause) != 0)
		return -1;
	for (size_t i = 0; i < d.n; i++) {
		const struct ini_entry *e = &d.e[i];
		if (strcmp(e->section, "variables") == 0) {
			struct schemavar *v = get_or_add(s, e->name,
			    strlen(e->name));
			const char *why = NULL;
			if (schema_parse_attrs(e->value, v, 0, &why) != 0) {
				*cause = xasprintf("%s:%u: %s: %s", d.source,
				    e->line, e->name, why);
				goto fail;
			}
		} else if (strcmp(e->section, "legacy") == 0) {
			s->l = xreallocarray(s->l, s->nl + 1, sizeof *s->l);
			struct legacy *l = &s->l[s->nl++];
			memset(l, 0, sizeof *l);
			size_t nl = strlen(e->name);
			l->prefix = nl > 0 && e->name[nl - 1] == '*';
			l->name = xstrndup(e->name, nl - (size_t)l->prefix);
			if (e->value[0] == '(') {
				size_t vl = strlen(e->value);
				l->reason = xstrndup(e->value + 1,
				    vl > 1 && e->value[vl - 1] == ')' ? vl - 2 :
				    vl - 1);
			} else
				l->replacement = xstrdup(e->value);
		} else {
			*cause = xasprintf("%s:%u: unknown section [%s]",
			    d.source, e->line, e->section);
			goto fail;
		}
	}
	ini_doc_free(&d);
	reindex(s);
	return 0;
fail:
	ini_doc_free(&d);
	schema_free(s);
	return -1;
}

/* "# (required, secret)" : the attribute comment the installer writes. */
static int
annotation(const char *s, size_t n, const char **a, size_t *alen)
{
	size_t i = 0;
	if (n == 0 || s[0] != '#')
		return 0;
	i = 1;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	if (n - i < 2 || s[i] != '(' || s[n - 1] != ')')
		return 0;
	const char *body = s + i + 1;
	size_t bl = n - i - 2;
	static const char *const starts[] = {
		"required", "secret", "type:", "opt-in", "optional"
	};
	for (size_t k = 0; k < sizeof starts / sizeof *starts; k++) {
		size_t l = strlen(starts[k]);
		if (bl >= l && memcmp(body, starts[k], l) == 0) {
			*a = body;
			*alen = bl;
			return 1;
		}
	}
	return 0;
}

int
schema_load_example(struct schema *s, const char *path, char **cause)
{
	struct buf b;
	char *why = NULL;
	if (read_file(path, &b, &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return -1;
	}
	schema_load_example_text(s, path, b.data, b.len);
	buf_free(&b);
	return 0;
}

void
schema_load_example_text(struct schema *s, const char *name,
    const char *text, size_t len)
{
	unshare(s);
	/* The example's required flags replace the built-in ones. */
	for (size_t i = 0; i < s->n; i++)
		s->v[i].required = 0;
	const char *p = text, *end = text + len;
	char *pending = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *q = p;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		size_t n = (size_t)(le - q);
		const char *a;
		size_t al;
		if (n == 0 || (n == 1 && *q == '\r')) {
			free(pending);
			pending = NULL;
		} else if (annotation(q, n, &a, &al)) {
			free(pending);
			pending = xstrndup(a, al);
		} else {
			/* NAME=... or "# NAME=..." (opt-in) */
			const char *k = q;
			int commented = 0;
			if (*k == '#') {
				commented = 1;
				k++;
				while (k < le && (*k == ' ' || *k == '\t'))
					k++;
			}
			const char *ke = k;
			while (ke < le && (isupper((unsigned char)*ke) ||
			    isdigit((unsigned char)*ke) || *ke == '_'))
				ke++;
			if (ke > k && ke < le && *ke == '=' &&
			    isupper((unsigned char)*k)) {
				struct schemavar *v = get_or_add(s, k,
				    (size_t)(ke - k));
				/* The example says what the installer knows
				 * (type, required, secret, opt-in); what the
				 * built-in adds (formats, webhook paths, ...)
				 * stays. */
				enum vtype builtin = v->type;
				reset_installer_attrs(v);
				v->from_example = 1;
				const char *w = NULL;
				if (pending != NULL)
					(void)schema_parse_attrs(pending, v, 1,
					    &w);
				if (builtin == VT_HOSTNAME &&
				    v->type == VT_STRING)
					v->type = VT_HOSTNAME;
				if (commented)
					v->optional = 1;
			}
			/* an annotation is its variable's alone */
			if (*q != '#' || (ke > k && ke < le && *ke == '=' &&
			    isupper((unsigned char)*k))) {
				free(pending);
				pending = NULL;
			}
		}
		p = nl ? nl + 1 : end;
	}
	free(pending);
	free(s->example);
	s->example = xstrdup(name);
	reindex(s);
}

void
schema_free(struct schema *s)
{
	if (!s->builtin) {	/* the compiled tables are not the heap's */
		for (size_t i = 0; i < s->n; i++) {
			var_clear(&s->v[i]);
			free(s->v[i].name);
		}
		for (size_t i = 0; i < s->nl; i++) {
			free(s->l[i].name);
			free(s->l[i].replacement);
			free(s->l[i].reason);
		}
		free(s->v);
		free(s->l);
		free(s->hist);
		free(s->lens);
		free(s->bylen);
	}
	free(s->example);
	envmap_free(&s->index);
	memset(s, 0, sizeof *s);
}

const struct schemavar *
schema_get(const struct schema *s, const char *name, size_t len)
{
	if (s->lens != NULL) {
		const struct envvar *x = envmap_get(&s->index, name, len);
		return x ? &s->v[x->key_off] : NULL;
	}
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i].name) == len &&
		    memcmp(s->v[i].name, name, len) == 0)
			return &s->v[i];
	return NULL;
}

const struct legacy *
schema_legacy(const struct schema *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nl; i++) {
		const struct legacy *l = &s->l[i];
		size_t ll = strlen(l->name);
		if (l->prefix ? (len >= ll && memcmp(name, l->name, ll) == 0) :
		    (len == ll && memcmp(name, l->name, ll) == 0))
			return l;
	}
	return NULL;
}

static void
histogram(const char *s, size_t n, unsigned char h[64])
{
	memset(h, 0, 64);
	for (size_t i = 0; i < n; i++)
		if (h[(unsigned char)s[i] & 63] < 255)
			h[(unsigned char)s[i] & 63]++;
}

/* Histograms of the names: the edit distance is at least half the
 * difference of two names' letter counts, which rules out most of the
 * schema before the quadratic comparison; and the names in order of
 * length, so that only those within the distance's reach of a name's
 * length are looked at. */
static const size_t *sort_lens;

static int
by_len(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (sort_lens[x] != sort_lens[y])
		return sort_lens[x] < sort_lens[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void
reindex(struct schema *s)
{
	free(s->hist);
	free(s->lens);
	free(s->bylen);
	envmap_free(&s->index);
	s->hist = xcalloc(s->n ? s->n : 1, sizeof *s->hist);
	s->lens = xcalloc(s->n ? s->n : 1, sizeof *s->lens);
	s->bylen = xcalloc(s->n ? s->n : 1, sizeof *s->bylen);
	for (size_t i = 0; i < s->n; i++) {
		s->lens[i] = strlen(s->v[i].name);
		histogram(s->v[i].name, s->lens[i], s->hist[i]);
		envmap_set(&s->index, s->v[i].name, s->lens[i], "", 0, i, 0);
		s->bylen[i] = i;
	}
	sort_lens = s->lens;
	if (s->n > 1)
		qsort(s->bylen, s->n, sizeof *s->bylen, by_len);
	sort_lens = NULL;
}

/* The sum of the differences of two histograms. */
static size_t
hist_diff(const unsigned char a[64], const unsigned char b[64])
{
#ifdef __SSE2__
	__m128i sum = _mm_setzero_si128();
	for (int k = 0; k < 64; k += 16)
		sum = _mm_add_epi64(sum, _mm_sad_epu8(
		    _mm_loadu_si128((const __m128i *)(const void *)(a + k)),
		    _mm_loadu_si128((const __m128i *)(const void *)(b + k))));
	return (size_t)_mm_cvtsi128_si32(sum) +
	    (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
#else
	size_t diff = 0;
	for (int k = 0; k < 64; k++)
		diff += (size_t)abs((int)a[k] - (int)b[k]);
	return diff;
#endif
}

const char *
schema_closest(const struct schema *s, const char *name, size_t len)
{
	/* a typo, not another variable: within a quarter of the name */
	size_t limit = 1 + len / 4;
	size_t bd = limit + 1, best = 0;
	unsigned char h[64];
	if (s->bylen == NULL || s->n == 0)
		return NULL;
	histogram(name, len, h);
	/* the first name no shorter than len - limit */
	size_t lo = 0, hi = s->n, min = len > limit ? len - limit : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->lens[s->bylen[mid]] < min)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the lowest distance, the first variable of the schema among
	 * equals (what a scan in schema order finds) */
	for (size_t k = lo; k < s->n; k++) {
		size_t i = s->bylen[k], vl = s->lens[i];
		if (vl > len + limit)
			break;
		if ((hist_diff(h, s->hist[i]) + 1) / 2 > limit)
			continue;
		size_t d = edit_distance_max(name, len, s->v[i].name, vl,
		    bd < limit ? bd : limit);
		if (d > 0 && (d < bd || (d == bd && i < best))) {
			bd = d;
			best = i;
		}
	}
	return bd <= limit ? s->v[best].name : NULL;
}
