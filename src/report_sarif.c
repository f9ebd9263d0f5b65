/* report_sarif.c - findings as SARIF 2.1.0, for GitHub code scanning and
 * other SARIF viewers: one run, the rule table as tool.driver.rules, one
 * result per finding. Messages, hints and file names go through the one
 * masking path (secret_show, secret_hide) as in every other format; file
 * text is never copied into the log, so the only fix given is the
 * deletion of trailing blanks, which holds no value. */
#include "config.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "secret.h"
#include "util.h"

/* The rule's short description: its summary up to the first ':'. */
static char *
short_desc(const char *summary)
{
	const char *c = strchr(summary, ':');
	return xstrndup(summary, c ? (size_t)(c - summary) : strlen(summary));
}

/* A path as a URI reference (RFC 3986), a key-shaped word in it masked as
 * the other formats show it: unreserved bytes and '/' as they are, the
 * rest percent-encoded; an absolute path as a file: URI. */
static char *
path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n;
	char *p = secret_hide(path, strlen(path), &n);
	struct buf b;
	buf_init(&b);
	if (p[0] == '/')
		buf_addstr(&b, "file://");
	for (const unsigned char *s = (const unsigned char *)p;
	    s < (const unsigned char *)p + n; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/", *s) != NULL)
			buf_addc(&b, (char)*s);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*s >> 4]);
			buf_addc(&b, hex[*s & 15]);
		}
	}
	char *r = xstrndup(b.data ? b.data : "", b.len);
	buf_free(&b);
	free(p);
	return r;
}

/* The byte offset of 1-based line and column (characters, a leading
 * byte order mark not counted, as textpos counts), or SIZE_MAX. */
static size_t
byte_at(const char *d, size_t n, unsigned line, unsigned col)
{
	size_t i = 0;
	if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (unsigned ln = 1; ln < line; ln++) {
		const char *nl = memchr(d + i, '\n', n - i);
		if (nl == NULL)
			return SIZE_MAX;
		i = (size_t)(nl - d) + 1;
	}
	for (unsigned c = 1; c < col; c++) {
		if (i >= n || d[i] == '\n')
			return SIZE_MAX;
		i++;
		while (i < n && ((unsigned char)d[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* trailing-whitespace: delete the blanks from the finding's column to the
 * line end, when they are plain spaces and tabs. */
static void
add_fix(cJSON *res, const struct diag *d, const struct lintfile *lf,
    const char *uri)
{
	if (d->rid != R_TRAILING_WHITESPACE || d->line == 0)
		return;
	size_t i = byte_at(lf->data.data, lf->data.len, d->line, d->col), j;
	if (i == SIZE_MAX)
		return;
	for (j = i; j < lf->data.len && (lf->data.data[j] == ' ' ||
	    lf->data.data[j] == '\t'); j++)
		;
	if (j == i || (j < lf->data.len && lf->data.data[j] != '\n' &&
	    !(lf->data.data[j] == '\r' && j + 1 < lf->data.len &&
	    lf->data.data[j + 1] == '\n')))
		return;
	cJSON *fixes = cJSON_AddArrayToObject(res, "fixes");
	cJSON *fx = cJSON_CreateObject();
	cJSON_AddItemToArray(fixes, fx);
	cJSON *desc = cJSON_AddObjectToObject(fx, "description");
	cJSON_AddStringToObject(desc, "text", "delete the trailing blanks "
	    "(kodus-envcheck fix does this)");
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(fx, "artifactChanges"),
	    ch);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(ch,
	    "artifactLocation"), "uri", uri);
	cJSON *rep = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ch, "replacements"), rep);
	cJSON *reg = cJSON_AddObjectToObject(rep, "deletedRegion");
	cJSON_AddNumberToObject(reg, "startLine", d->line);
	cJSON_AddNumberToObject(reg, "startColumn", d->col);
	cJSON_AddNumberToObject(reg, "endLine", d->line);
	cJSON_AddNumberToObject(reg, "endColumn", (double)(d->col + (j - i)));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(rep,
	    "insertedContent"), "text", "");
}

static cJSON *
driver(void)
{
	cJSON *drv = cJSON_CreateObject();
	cJSON_AddStringToObject(drv, "name", PACKAGE_NAME);
	cJSON_AddStringToObject(drv, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(drv, "semanticVersion", PACKAGE_VERSION);
	cJSON *rules = cJSON_AddArrayToObject(drv, "rules");
	for (size_t i = 0; i < rule_count; i++) {
		const struct rule *r = &rule_table[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", r->id);
		char *s = short_desc(r->summary);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(o,
		    "shortDescription"), "text", s);
		free(s);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(o,
		    "fullDescription"), "text", r->summary);
		char *h = xasprintf("%s. See kodus-envcheck(1), RULES, %s. "
		    "Silence it with --ignore %s or a '# kodus-envcheck: "
		    "ignore %s' comment.", r->summary, r->id, r->id, r->id);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "help"),
		    "text", h);
		free(h);
		cJSON *pr = cJSON_AddObjectToObject(o, "properties");
		cJSON_AddStringToObject(pr, "group", r->group);
		cJSON_AddItemToArray(rules, o);
	}
	return drv;
}

/* One result, as cJSON prints it; uri is d's file as path_uri makes it. */
static char *
result(const struct lint *l, const struct diag *d, const char *uri)
{
	cJSON *res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "ruleId", rule_name(d->rid));
	cJSON_AddNumberToObject(res, "ruleIndex", (double)d->rid);
	cJSON_AddStringToObject(res, "level", d->sev == SEV_ERROR ? "error" :
	    d->sev == SEV_WARNING ? "warning" : "note");
	struct buf m;
	buf_init(&m);
	const char *text = diag_message(d, &m);
	if (text != m.data)
		buf_addstr(&m, text);
	if (d->hint)
		buf_printf(&m, " (hint: %s)", d->hint);
	char *shown = secret_show(m.data ? m.data : "", m.len);
	buf_wipe(&m);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "message"),
	    "text", shown);
	free(shown);
	const struct lintfile *lf = d->file && d->file_index < l->nf ?
	    &l->f[d->file_index] : NULL;
	if (lf != NULL && !lf->is_environ && d->file[0] != '<') {
		cJSON *loc = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"),
		    loc);
		cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(pl,
		    "artifactLocation"), "uri", uri);
		if (d->line) {
			cJSON *reg = cJSON_AddObjectToObject(pl, "region");
			cJSON_AddNumberToObject(reg, "startLine", d->line);
			cJSON_AddNumberToObject(reg, "startColumn", d->col);
		}
		add_fix(res, d, lf, uri);
	}
	char *s = cJSON_PrintUnformatted(res);
	cJSON_Delete(res);
	return s;
}

/* Written as it goes, one result at a time (drained like the JSON
 * report), not as one cJSON tree of every finding: on a 100,000-line
 * file that tree was some 230 MB. The bytes are cJSON's for the whole
 * log: the head printed without "results" (the last member), its
 * closing "}]}" replaced by the results array. */
void
report_sarif(struct buf *out, const struct lint *l)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema",
	    "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(run, "tool"), "driver",
	    driver());
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	char *head = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	buf_add(out, head, strlen(head) - 3);
	free(head);
	buf_addstr(out, ",\"results\":[");
	/* the file of a finding is mostly the one before: its URI is made
	 * (masked, encoded) once for a run of them */
	const char *last_file = NULL;
	char *uri = NULL;
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		if (d->file && (last_file == NULL ||
		    strcmp(last_file, d->file) != 0)) {
			free(uri);
			uri = path_uri(d->file);
			last_file = d->file;
		}
		char *s = result(l, d, uri);
		if (i)
			buf_addc(out, ',');
		buf_addstr(out, s);
		free(s);
		buf_drain(out);
	}
	free(uri);
	buf_addstr(out, "]}]}\n");
}
