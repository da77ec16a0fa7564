/* cmd_info.c - `joinedup info`: what a database holds. */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

static const char help[] =
	"usage: joinedup info --db FILE [--json]\n\n"
	"Prints the number of rows in each table of the database (no personal data).\n"
	"--json prints them as one JSON object keyed by table name.\n";

int jup_cli_print_counts(const char *cmd, jup_store *st, bool json)
{
	json_t *obj = json ? json_object() : NULL;
	if (json && !obj)
		return jup_cli_fail(cmd, JUP_ERR_NOMEM, NULL);
	if (!json)
		printf("schema version %d\n", jup_store_schema_version(st));
	for (int t = 0; t < JUP_TABLE__COUNT; t++) {
		int64_t n;
		jup_err err;
		jup_status rc = jup_store_count(st, (jup_table)t, &n, &err);
		if (rc) {
			json_decref(obj);
			return jup_cli_fail(cmd, rc, &err);
		}
		if (json)
			json_object_set_new(obj, jup_store_table_name((jup_table)t),
					    json_integer(n));
		else
			printf("%-22s %12lld\n", jup_store_table_name((jup_table)t), (long long)n);
	}
	if (json) {
		json_dumpf(obj, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(obj);
	}
	return JUP_EXIT_OK;
}

int jup_cli_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	bool json = false;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'j')
			json = true;
		else if (ch == 'h')
			return fputs(help, stdout), JUP_EXIT_OK;
		else
			return jup_cli_usage_error("info", "unknown option");
	}
	if (!db)
		return jup_cli_usage_error("info", "--db FILE is required");
	if (optind < argc)
		return jup_cli_usage_error("info", "unexpected argument \"%s\"", argv[optind]);
	jup_store *st;
	jup_err err;
	jup_status rc = jup_store_open(db, 0, &st, &err);
	if (rc)
		return jup_cli_fail("info", rc, &err);
	int exit_status = jup_cli_print_counts("info", st, json);
	jup_store_close(st);
	return exit_status;
}
