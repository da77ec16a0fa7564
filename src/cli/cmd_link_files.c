/* cmd_link_files.c - `joinedup link-files`: link CSV files outside the store. */
#include "cli/cli.h"
#include "link/jup_link_files.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char help[] =
	"usage: joinedup link-files --left A.csv --right B.csv --out PAIRS.csv [--threshold P]\n"
	"       joinedup link-files --dedupe A.csv --out PAIRS.csv [--threshold P]\n\n"
	"Finds the records of two files that are the same person (or the duplicates\n"
	"within one file) by probabilistic linkage (Fellegi-Sunter; m and u estimated\n"
	"from the data, with no labels). Inputs have the header\n"
	"  id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"
	"(any order; every column but id may be blank; a postcode that is not a UK\n"
	"postcode is compared as plain text). Writes\n"
	"  left_id,right_id,match_probability,match_weight\n"
	"one row per pair whose probability is at least P (default 0.5).\n"
	"--show-model prints the estimated model: m, u and the weight of every level.\n";

static int parse(int argc, char **argv, jup_link_files_opts *o, bool *show_model)
{
	static const struct option longopts[] = {
		{ "left", required_argument, NULL, 'l' },   { "right", required_argument, NULL, 'r' },
		{ "dedupe", required_argument, NULL, 'd' }, { "out", required_argument, NULL, 'o' },
		{ "threshold", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ "show-model", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dedupe = NULL;
	char *end;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': o->left = optarg; break;
		case 'r': o->right = optarg; break;
		case 'd': dedupe = optarg; break;
		case 'o': o->out = optarg; break;
		case 't':
			o->threshold = strtod(optarg, &end);
			if (*end || end == optarg || !(o->threshold >= 0 && o->threshold <= 1))
				return jup_cli_usage_error("link-files", "--threshold: from 0 to 1");
			break;
		case 'm': *show_model = true; break;
		case 'h': fputs(help, stdout); return -1;
		default: return jup_cli_usage_error("link-files", "unknown option");
		}
	}
	if (optind < argc)
		return jup_cli_usage_error("link-files", "unexpected argument \"%s\"", argv[optind]);
	if (dedupe && (o->left || o->right))
		return jup_cli_usage_error("link-files", "--dedupe goes alone, without --left/--right");
	if (dedupe)
		o->left = dedupe;
	else if (!o->left || !o->right)
		return jup_cli_usage_error("link-files", "give --left and --right, or --dedupe");
	if (!o->out)
		return jup_cli_usage_error("link-files", "--out PAIRS.csv is required");
	return JUP_EXIT_OK;
}

int jup_cli_link_files(int argc, char **argv)
{
	jup_link_files_opts o = { .threshold = 0.5, .problems = stderr };
	bool show_model = false;
	int rc = parse(argc, argv, &o, &show_model);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	jup_link_files_report rep;
	jup_err err;
	jup_status st = jup_link_files_run(&o, &rep, &err);
	if (st)
		return jup_cli_fail("link-files", st, &err);
	printf("link-files: %zu and %zu records, %zu candidate pairs, %zu pairs at or above %.2f "
	       "written to %s (EM: %d iterations%s)\n",
	       rep.left, rep.right, rep.candidates, rep.written, o.threshold, o.out,
	       rep.model.em_iterations, rep.model.em_converged ? "" : ", not converged");
	if (show_model)
		jup_cli_print_model(&rep.model);
	return JUP_EXIT_OK;
}
