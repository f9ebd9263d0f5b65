/* cmd_rules.c - `kodus-envcheck rules`: the rule ids, for --ignore and
 * for "# kodus-envcheck: ignore RULE" comments. */
#include "config.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "diag.h"
#include "opts.h"
#include "util.h"

int
cmd_rules(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct buf *out = ctx->out;
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, c;

	opts_begin();
	while ((c = opts_next(argc, argv, ctx, longopts)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return opts_usage_error("rules", "unknown format "
				    "'%s' (use text or json)", optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		case OPTS_HELP:
			return EXIT_FINE;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return opts_usage_error("rules", "unexpected argument '%s'",
		    argv[optind]);
	if (!json) {
		for (size_t i = 0; i < rule_count; i++)
			buf_printf(out, "%-22s %-6s %s\n", rule_table[i].id,
			    rule_table[i].group, rule_table[i].summary);
		return EXIT_FINE;
	}
	/* cJSON: the array owns its items; delete the root once. */
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < rule_count; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", rule_table[i].id);
		cJSON_AddStringToObject(o, "group", rule_table[i].group);
		cJSON_AddStringToObject(o, "summary", rule_table[i].summary);
		cJSON_AddItemToArray(a, o);
	}
	char *s = cJSON_PrintUnformatted(a);
	buf_addstr(out, s);
	buf_addc(out, '\n');
	free(s);
	cJSON_Delete(a);
	return EXIT_FINE;
}
