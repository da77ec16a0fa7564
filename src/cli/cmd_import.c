/* cmd_import.c - `joinedup import`: validate and load extracts. */
#include "cli/cli.h"
#include "ingest/jup_ingest_import.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: joinedup import --db FILE PATH...\n\n"
	"Validates and loads extracts (files, or folders of *.csv extracts) into the\n"
	"database FILE, creating it if needed. Each file is all or nothing: a file\n"
	"with any invalid row is rejected whole, every problem listed on stderr as\n"
	"FILE:LINE: field: reason, and nothing from it is stored. A file imported\n"
	"before (the same bytes) is recognised and passed over. The extract kind\n"
	"comes from the file name (docs/FORMATS.md).\n\n"
	"Exit status: 0 all imported or already there, 1 some file rejected,\n"
	"2 wrong usage, 3 could not be done.\n";

static void show_progress(void *ctx, const char *path, double done)
{
	(void)ctx;
	const char *base = strrchr(path, '/');
	if (done >= 1.0)
		fputs("\r\033[K", stderr); /* the outcome line takes its place */
	else
		fprintf(stderr, "\r\033[Kimporting %s: %d%%", base ? base + 1 : path,
			(int)(done * 100));
	fflush(stderr);
}

int jup_cli_run_import(const char *db, const char *const *paths, size_t n)
{
	jup_store *st;
	jup_err err;
	jup_status rc = jup_store_open(db, JUP_STORE_CREATE, &st, &err);
	if (rc)
		return jup_cli_fail("import", rc, &err);
	jup_import_opts opts = { .out = stdout, .problems = stderr };
	if (isatty(STDERR_FILENO))
		opts.progress = show_progress;
	jup_import_summary sum;
	rc = jup_ingest_import(st, paths, n, &opts, &sum, &err);
	jup_store_close(st);
	if (rc && rc != JUP_ERR_INVALID)
		return jup_cli_fail("import", rc, &err);
	printf("import: %d file%s imported (%lld rows), %d already imported or passed over, "
	       "%d rejected\n",
	       sum.files_imported, sum.files_imported == 1 ? "" : "s", (long long)sum.rows,
	       sum.files_skipped, sum.files_rejected);
	return rc ? JUP_EXIT_INVALID : JUP_EXIT_OK;
}

int jup_cli_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'h')
			return fputs(help, stdout), JUP_EXIT_OK;
		else
			return jup_cli_usage_error("import", "unknown option");
	}
	if (!db)
		return jup_cli_usage_error("import", "--db FILE is required");
	if (optind >= argc)
		return jup_cli_usage_error("import", "no files or folders to import");
	return jup_cli_run_import(db, (const char *const *)argv + optind,
				  (size_t)(argc - optind));
}
