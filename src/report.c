/* report.c - text, JSON (cJSON) and GitHub annotation output. */
#include "config.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "msg.h"
#include "report.h"
#include "secret.h"

/* Every string that reaches the output goes through secret_show: secrets
 * masked, control bytes and invalid UTF-8 escaped (see secret.h). */
static void
put(struct buf *out, const char *s)
{
	char *m = secret_showz(s);
	buf_addstr(out, m);
	free(m);
}

/* An unsigned number in decimal, as "%u" prints it. */
static void
put_uint(struct buf *out, unsigned v)
{
	char t[16], *p = t + sizeof t;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_add(out, p, (size_t)(t + sizeof t - p));
}

int
report_format_from_name(const char *s, enum report_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = REPORT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = REPORT_JSON;
	else if (strcmp(s, "github") == 0)
		*f = REPORT_GITHUB;
	else if (strcmp(s, "sarif") == 0)
		*f = REPORT_SARIF;
	else if (strcmp(s, "prometheus") == 0)
		*f = REPORT_PROMETHEUS;
	else
		return -1;
	return 0;
}

int
report_want_color(void)
{
	const char *nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		return 0;
	return isatty(STDOUT_FILENO);
}

static const char *
sev_color(enum severity s)
{
	return s == SEV_ERROR ? "\033[1;31m" : s == SEV_WARNING ?
	    "\033[1;33m" : "\033[1;36m";
}

static void
text_live(struct buf *out, const struct live *lv, int color)
{
	const char *dim = color ? "\033[2m" : "", *off = color ? "\033[0m" :
	    "";
	if (!lv->ran) {
		buf_addstr(out, "live check: skipped (");
		put(out, lv->skipped ? lv->skipped : "nothing to check");
		buf_addstr(out, ")\n");
		return;
	}
	buf_addstr(out, "live check: ");
	put(out, lv->provider ? lv->provider->name : "provider");
	buf_addstr(out, " at ");
	put(out, lv->base_url);
	buf_addstr(out, ", model ");
	put(out, lv->model);
	buf_addc(out, '\n');
	for (size_t i = 0; i < lv->nprobes; i++) {
		const struct live_probe *p = &lv->probes[i];
		char st[24] = "---";
		if (p->status > 0)
			snprintf(st, sizeof st, "%ld", p->status);
		char *u = secret_showz(p->url);
		buf_printf(out, "  %s%-4s %-52s %s %-20s %6ld ms%s", dim,
		    p->method, u, st, p->verdict, p->elapsed_ms,
		    p->attempts > 1 ? " (retried)" : "");
		free(u);
		report_timing_text(out, &p->timing);
		buf_printf(out, "%s\n", off);
	}
	struct buf b;
	buf_init(&b);
	if (lv->model_listed == 1) {
		buf_printf(&b, "%s is available", lv->model);
		if (lv->context > 0)
			buf_printf(&b, " (context %ld tokens)", lv->context);
	} else if (lv->model_listed == -1 && lv->models_ok)
		buf_printf(&b, "the model list was too long to read (over "
		    "1 MiB): %s was not looked up", lv->model);
	if (lv->have_balance)
		buf_printf(&b, "%sbalance %.2f%s%s", b.len ? "; " : "",
		    lv->balance, lv->currency ? " " : "",
		    lv->currency ? lv->currency : "");
	else if (lv->have_min_balance)
		buf_printf(&b, "%sbalance not available", b.len ? "; " : "");
	if (b.len) {
		buf_addstr(out, "  ");
		put(out, b.data);
		buf_addc(out, '\n');
	}
	buf_free(&b);
}

static void
write_text(struct buf *out, const struct lint *l, const struct live *lv,
    int color, int quiet)
{
	const char *dim = color ? "\033[2m" : "", *off = color ? "\033[0m" :
	    "";
	/* the file of a finding is the same as the one before, mostly: it
	 * is masked and escaped once per run */
	const char *last_file = NULL;
	char *file_shown = NULL;
	struct buf msg;
	buf_init(&msg);
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		if (d->file) {
			if (last_file == NULL || strcmp(last_file, d->file) != 0) {
				free(file_shown);
				file_shown = secret_showz(d->file);
				last_file = d->file;
			}
			buf_addstr(out, file_shown);
			if (d->line) {
				buf_addc(out, ':');
				put_uint(out, d->line);
				buf_addc(out, ':');
				put_uint(out, d->col);
			}
			buf_add(out, ": ", 2);
		}
		if (color)
			buf_addstr(out, sev_color(d->sev));
		buf_addstr(out, severity_name(d->sev));
		buf_addstr(out, off);
		buf_add(out, ": ", 2);
		put(out, diag_message(d, &msg));
		buf_addc(out, ' ');
		buf_addstr(out, dim);
		buf_addc(out, '[');
		buf_addstr(out, rule_name(d->rid));
		buf_addc(out, ']');
		buf_addstr(out, off);
		buf_addc(out, '\n');
		if (d->hint) {
			buf_addstr(out, "    hint: ");
			put(out, d->hint);
			buf_addc(out, '\n');
		}
		msg_drain(out);
	}
	free(file_shown);
	buf_wipe(&msg);
	if (quiet)
		return;
	if (lv != NULL)
		text_live(out, lv, color);
	size_t e, w, n;
	diag_count(&l->diags, &e, &w, &n);
	buf_printf(out, "%zu error%s, %zu warning%s, %zu info%s", e,
	    e == 1 ? "" : "s", w, w == 1 ? "" : "s", n, n == 1 ? "" : "s");
	if (l->schema_auto || l->schema.example) {
		buf_addstr(out, " (schema: ");
		put(out, l->schema_note);
		buf_addstr(out, l->schema_auto ? ", found beside the file)" :
		    ")");
	}
	buf_addc(out, '\n');
}

/* GitHub workflow commands: %, CR and LF escaped in data; in property
 * values also ':' and ','. What comes in goes through secret_show first,
 * so no CR or LF is left to escape but the hint's separator. */
static void
gh_escape(struct buf *out, const char *raw, int property)
{
	char *m = secret_showz(raw);
	for (const char *s = m; *s; s++) {
		if (*s == '%')
			buf_addstr(out, "%25");
		else if (*s == '\r')
			buf_addstr(out, "%0D");
		else if (*s == '\n')
			buf_addstr(out, "%0A");
		else if (property && *s == ':')
			buf_addstr(out, "%3A");
		else if (property && *s == ',')
			buf_addstr(out, "%2C");
		else
			buf_addc(out, *s);
	}
	free(m);
}

static void
write_github(struct buf *out, const struct lint *l, const struct live *lv)
{
	/* the balance, as a notice of its own */
	if (lv != NULL && lv->ran && (lv->have_balance ||
	    lv->have_min_balance)) {
		if (lv->have_balance)
			buf_printf(out, "::notice title=balance::balance "
			    "%.2f%s%s\n", lv->balance, lv->currency ? " " : "",
			    lv->currency ? lv->currency : "");
		else
			buf_addstr(out, "::notice title=balance::balance not "
			    "available\n");
	}
	struct buf msg;
	buf_init(&msg);
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		buf_printf(out, "::%s ", d->sev == SEV_ERROR ? "error" :
		    d->sev == SEV_WARNING ? "warning" : "notice");
		int comma = 0;
		if (d->file) {
			buf_addstr(out, "file=");
			gh_escape(out, d->file, 1);
			comma = 1;
		}
		if (d->line)
			buf_printf(out, "%sline=%u,col=%u", comma ? "," : "",
			    d->line, d->col), comma = 1;
		buf_printf(out, "%stitle=", comma ? "," : "");
		gh_escape(out, rule_name(d->rid), 1);
		buf_addstr(out, "::");
		gh_escape(out, diag_message(d, &msg), 0);
		if (d->hint) {
			buf_addstr(out, "%0Ahint: ");
			gh_escape(out, d->hint, 0);
		}
		buf_addc(out, '\n');
		msg_drain(out);
	}
	buf_wipe(&msg);
}

/* cJSON ownership: cJSON_AddItemTo* takes the item; the root is deleted
 * once; cJSON_Print* returns a string the caller frees. */
static void
json_live(cJSON *root, const struct live *lv)
{
	cJSON *st = cJSON_AddObjectToObject(root, "live");
	if (lv == NULL) {
		cJSON_AddStringToObject(st, "status", "offline");
		return;
	}
	cJSON_AddStringToObject(st, "status", lv->ran ? "ran" : "skipped");
	json_add_str_or_null(st, "reason", lv->ran ? NULL : lv->skipped);
	cJSON_AddBoolToObject(st, "verdict_reached", lv->ran &&
	    !lv->unreachable);
	cJSON *arr = cJSON_AddArrayToObject(root, "probes");
	for (size_t i = 0; i < lv->nprobes; i++) {
		const struct live_probe *p = &lv->probes[i];
		cJSON *o = cJSON_CreateObject();
		json_add_str_or_null(o, "name", p->name);
		cJSON_AddStringToObject(o, "method", p->method);
		json_add_str_or_null(o, "url", p->url);
		if (p->status > 0)
			cJSON_AddNumberToObject(o, "status", p->status);
		else
			cJSON_AddNullToObject(o, "status");
		cJSON_AddStringToObject(o, "verdict", p->verdict);
		cJSON_AddNumberToObject(o, "elapsed_ms", p->elapsed_ms);
		cJSON_AddNumberToObject(o, "attempts", p->attempts);
		report_timing_json(o, &p->timing);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON *pv = cJSON_AddObjectToObject(root, "provider");
	json_add_str_or_null(pv, "id", lv->provider ? lv->provider->id : NULL);
	json_add_str_or_null(pv, "base_url", lv->base_url);
	json_add_str_or_null(pv, "region", lv->provider ?
	    lv->provider->region : NULL);
	json_add_str_or_null(pv, "model", lv->model);
	if (lv->have_balance)
		cJSON_AddNumberToObject(pv, "balance", lv->balance);
	else
		cJSON_AddNullToObject(pv, "balance");
	json_add_str_or_null(pv, "currency", lv->have_balance ? lv->currency :
	    NULL);
	if (lv->have_min_balance)
		cJSON_AddNumberToObject(pv, "min_balance", lv->min_balance);
	if (lv->context > 0)
		cJSON_AddNumberToObject(pv, "context_length", lv->context);
	if (lv->model_listed >= 0)
		cJSON_AddBoolToObject(pv, "model_listed", lv->model_listed);
}

/* The JSON report is written as it goes, one finding at a time (drained
 * to standard output like the text report), not built as one cJSON tree
 * of every finding: on a 100,000-line file the tree was hundreds of
 * megabytes. The bytes are what cJSON_PrintUnformatted printed: members
 * in the same order, no blanks, strings through secret_show (valid UTF-8
 * with no control byte, which jsonw and cJSON escape alike), integers in
 * decimal. The live part, small and nested, is still built with cJSON. */
static void
jw_str(struct buf *out, const char *v)
{
	if (v == NULL) {
		buf_add(out, "null", 4);
		return;
	}
	char *m = secret_showz(v);
	json_add_stringz(out, m);
	free(m);
}

/* A member name and a string value or null: ',"name":"value"'. */
static void
jw_member(struct buf *out, const char *comma_name, const char *v)
{
	buf_addstr(out, comma_name);
	jw_str(out, v);
}

/* A count or a position as cJSON prints a number: within int range, in
 * decimal (cJSON's "%d"); beyond it, by cJSON itself. */
static void
jw_uint(struct buf *out, size_t v)
{
	if (v <= 2147483647u) {
		put_uint(out, (unsigned)v);
		return;
	}
	cJSON *x = cJSON_CreateNumber((double)v);
	char *s = cJSON_PrintUnformatted(x);
	buf_addstr(out, s);
	free(s);
	cJSON_Delete(x);
}

static void
write_json(struct buf *out, const struct lint *l, const struct live *lv)
{
	buf_addstr(out, "{\"version\":1,\"files\":[");
	for (size_t i = 0; i < l->nf; i++) {
		const struct lintfile *lf = &l->f[i];
		jw_member(out, i ? ",{\"path\":" : "{\"path\":", lf->path);
		jw_member(out, ",\"role\":", lf->role);
		jw_member(out, ",\"reader\":", lf->is_environ ? "environ" :
		    lf->env ? dialect_name(lf->env_from) : "none");
		buf_addc(out, '}');
	}
	jw_member(out, "],\"schema\":{\"source\":", l->schema_note ?
	    l->schema_note : "built-in");
	buf_addstr(out, l->schema_auto ? ",\"auto\":true}" :
	    ",\"auto\":false}");
	buf_addstr(out, ",\"diagnostics\":[");
	/* the file of a finding is the same as the one before, mostly */
	const char *last_file = NULL;
	struct buf file_json, msg;
	buf_init(&file_json);
	buf_init(&msg);
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		buf_addstr(out, i ? ",{\"rule\":" : "{\"rule\":");
		json_add_stringz(out, rule_name(d->rid));
		buf_addstr(out, ",\"severity\":");
		json_add_stringz(out, severity_name(d->sev));
		buf_addstr(out, ",\"file\":");
		if (d->file == NULL)
			buf_add(out, "null", 4);
		else {
			if (last_file == NULL || strcmp(last_file, d->file) != 0) {
				buf_reset(&file_json);
				jw_str(&file_json, d->file);
				last_file = d->file;
			}
			buf_add(out, file_json.data, file_json.len);
		}
		if (d->line) {
			buf_addstr(out, ",\"line\":");
			jw_uint(out, d->line);
			buf_addstr(out, ",\"column\":");
			jw_uint(out, d->col);
		} else
			buf_addstr(out, ",\"line\":null,\"column\":null");
		jw_member(out, ",\"key\":", d->key);
		jw_member(out, ",\"message\":", diag_message(d, &msg));
		jw_member(out, ",\"hint\":", d->hint);
		buf_addc(out, '}');
		msg_drain(out);
	}
	buf_free(&file_json);
	buf_wipe(&msg);
	size_t e, w, n;
	diag_count(&l->diags, &e, &w, &n);
	buf_addstr(out, "],\"summary\":{\"errors\":");
	jw_uint(out, e);
	buf_addstr(out, ",\"warnings\":");
	jw_uint(out, w);
	buf_addstr(out, ",\"infos\":");
	jw_uint(out, n);
	buf_addc(out, '}');
	/* the rest, as cJSON prints it: '{' replaced by the comma that
	 * follows the summary, its '}' the report's */
	cJSON *rest = cJSON_CreateObject();
	json_live(rest, lv);
	char *s = cJSON_PrintUnformatted(rest);
	buf_addc(out, ',');
	buf_addstr(out, s + 1);
	buf_addc(out, '\n');
	free(s);
	cJSON_Delete(rest);
}

void
report_write(struct buf *out, const struct lint *l, const struct live *lv,
    enum report_format f, int flags)
{
	switch (f) {
	case REPORT_TEXT:
		write_text(out, l, lv, (flags & REPORT_COLOR) != 0,
		    (flags & REPORT_QUIET) != 0);
		break;
	case REPORT_JSON:
		write_json(out, l, lv);
		break;
	case REPORT_GITHUB:
		write_github(out, l, lv);
		break;
	case REPORT_PROMETHEUS:
		/* needs the exit status: report_prom_write */
		break;
	case REPORT_SARIF:
		report_sarif(out, l);
		break;
	}
}
