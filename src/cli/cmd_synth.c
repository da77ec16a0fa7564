/* cmd_synth.c - `joinedup synth`: write a synthetic city's extracts. */
#include "cli/cli.h"
#include "core/jup_limits.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: joinedup synth --people N --seed S --out DIR [options]\n\n"
	"Writes the source extracts of a synthetic city (docs/FORMATS.md) into DIR:\n"
	"GP, hospital and council records of invented people living in the real small\n"
	"areas of an English local authority, with their real deprivation, plus\n"
	"truth.csv saying which records are the same person. The same options always\n"
	"give the same files.\n\n"
	"options:\n"
	"  --people N     residents to invent (default 20000)\n"
	"  --seed S       any whole number (default 1)\n"
	"  --out DIR      where to write (created if missing)\n"
	"  --area NAME    local authority name or code (default Leeds)\n"
	"  --as-of DATE   the extract date, YYYY-MM-DD (default 2026-11-01)\n"
	"  --years N      years of history before --as-of (default 3)\n"
	"  --imd FILE     IoD 2019 LSOA file (default: the one shipped in data/)\n";

static void show_progress(void *ctx, double done)
{
	(void)ctx;
	fprintf(stderr, "\rsynth: %3d%%", (int)(done * 100 + 0.5));
	if (done >= 1.0)
		fputc('\n', stderr);
	fflush(stderr);
}

int jup_cli_run_synth(const jup_synth_opts *o)
{
	jup_synth_report rep;
	jup_err err;
	jup_status st = jup_synth_run(o, &rep, &err);
	if (st)
		return jup_cli_fail("synth", st, &err);
	printf("synth: %lld people in %lld small areas of %s, %lld GP practices, "
	       "%lld with an NHS number\n",
	       (long long)rep.people, (long long)rep.areas, o->area, (long long)rep.practices,
	       (long long)rep.with_nhs_number);
	for (int i = 0; i < rep.nfiles; i++)
		printf("  %s/%-28s %10lld rows\n", o->out_dir, rep.files[i].name,
		       (long long)rep.files[i].rows);
	return JUP_EXIT_OK;
}

static int parse(int argc, char **argv, jup_synth_opts *o)
{
	static const struct option longopts[] = {
		{ "people", required_argument, NULL, 'p' }, { "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },    { "area", required_argument, NULL, 'a' },
		{ "as-of", required_argument, NULL, 'd' },  { "years", required_argument, NULL, 'y' },
		{ "imd", required_argument, NULL, 'i' },    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t v;
	jup_err err;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (!jup_cli_parse_i64(optarg, 1, JUP_SYNTH_MAX_PEOPLE, &v))
				return jup_cli_usage_error("synth", "--people: a whole number from 1 "
						       "to %d", JUP_SYNTH_MAX_PEOPLE);
			o->people = v;
			break;
		case 's':
			if (!jup_cli_parse_i64(optarg, 0, INT64_MAX, &v))
				return jup_cli_usage_error("synth", "--seed: a whole number");
			o->seed = (uint64_t)v;
			break;
		case 'o': o->out_dir = optarg; break;
		case 'a': o->area = optarg; break;
		case 'i': o->imd_path = optarg; break;
		case 'd':
			if (jup_date_parse(jup_sv_from(optarg), &o->as_of, &err))
				return jup_cli_usage_error("synth", "--as-of: %s", err.msg);
			break;
		case 'y':
			if (!jup_cli_parse_i64(optarg, 1, 10, &v))
				return jup_cli_usage_error("synth", "--years: from 1 to 10");
			o->years = (int)v;
			break;
		case 'h': fputs(help, stdout); return -1;
		default: return jup_cli_usage_error("synth", "unknown option");
		}
	}
	if (optind < argc)
		return jup_cli_usage_error("synth", "unexpected argument \"%s\"", argv[optind]);
	if (!o->out_dir)
		return jup_cli_usage_error("synth", "--out DIR is required");
	return JUP_EXIT_OK;
}

int jup_cli_synth(int argc, char **argv)
{
	jup_synth_opts o;
	jup_synth_defaults(&o);
	o.out_dir = NULL;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	if (isatty(STDERR_FILENO))
		o.progress = show_progress;
	return jup_cli_run_synth(&o);
}
