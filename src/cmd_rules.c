/* cmd_rules.c - `kodus-envcheck rules`: the rule ids, for --ignore and
 * for "# kodus-envcheck: ignore RULE" comments. */
#include "config.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "util.h"

int
cmd_rules(int argc, char **argv, struct buf *out)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format=json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--format=text") == 0)
			json = 0;
		else {
			cli_error("rules: unknown argument '%s' (usage: "
			    "kodus-envcheck rules [--format=text|json])",
			    argv[i]);
			return EXIT_USAGE;
		}
	}
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
