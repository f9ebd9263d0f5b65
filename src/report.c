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
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		if (d->file) {
			put(out, d->file);
			if (d->line)
				buf_printf(out, ":%u:%u", d->line, d->col);
			buf_addstr(out, ": ");
		}
		buf_printf(out, "%s%s%s: ", color ? sev_color(d->sev) : "",
		    severity_name(d->sev), off);
		put(out, d->message);
		buf_printf(out, " %s[%s]%s\n", dim, d->rule, off);
		if (d->hint) {
			buf_addstr(out, "    hint: ");
			put(out, d->hint);
			buf_addc(out, '\n');
		}
		msg_drain(out);
	}
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
		gh_escape(out, d->rule, 1);
		buf_addstr(out, "::");
		gh_escape(out, d->message, 0);
		if (d->hint) {
			buf_addstr(out, "%0Ahint: ");
			gh_escape(out, d->hint, 0);
		}
		buf_addc(out, '\n');
		msg_drain(out);
	}
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

static void
write_json(struct buf *out, const struct lint *l, const struct live *lv)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON *files = cJSON_AddArrayToObject(root, "files");
	for (size_t i = 0; i < l->nf; i++) {
		const struct lintfile *lf = &l->f[i];
		cJSON *f = cJSON_CreateObject();
		json_add_str_or_null(f, "path", lf->path);
		json_add_str_or_null(f, "role", lf->role);
		cJSON_AddStringToObject(f, "reader", lf->is_environ ?
		    "environ" : lf->env ? dialect_name(lf->env_from) : "none");
		cJSON_AddItemToArray(files, f);
	}
	cJSON *sch = cJSON_AddObjectToObject(root, "schema");
	json_add_str_or_null(sch, "source", l->schema_note ?
	    l->schema_note : "built-in");
	cJSON_AddBoolToObject(sch, "auto", l->schema_auto);
	cJSON *arr = cJSON_AddArrayToObject(root, "diagnostics");
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "rule", d->rule);
		cJSON_AddStringToObject(o, "severity", severity_name(d->sev));
		json_add_str_or_null(o, "file", d->file);
		if (d->line) {
			cJSON_AddNumberToObject(o, "line", d->line);
			cJSON_AddNumberToObject(o, "column", d->col);
		} else {
			cJSON_AddNullToObject(o, "line");
			cJSON_AddNullToObject(o, "column");
		}
		json_add_str_or_null(o, "key", d->key);
		json_add_str_or_null(o, "message", d->message);
		json_add_str_or_null(o, "hint", d->hint);
		cJSON_AddItemToArray(arr, o);
	}
	size_t e, w, n;
	diag_count(&l->diags, &e, &w, &n);
	cJSON *sum = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(sum, "errors", (double)e);
	cJSON_AddNumberToObject(sum, "warnings", (double)w);
	cJSON_AddNumberToObject(sum, "infos", (double)n);
	json_live(root, lv);
	char *s = cJSON_PrintUnformatted(root);
	buf_addstr(out, s);
	buf_addc(out, '\n');
	free(s);
	cJSON_Delete(root);
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
