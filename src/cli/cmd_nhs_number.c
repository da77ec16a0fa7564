/* cmd_nhs_number.c - `joinedup nhs-number check NUMBER...`. */
#include "cli/cli.h"
#include "ingest/jup_ingest_valid.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: joinedup nhs-number check NUMBER...\n\n"
	"Checks each NHS number: 10 digits once spaces are removed, and a Modulus 11\n"
	"check digit. Prints one line per number, \"NUMBER: valid\" or\n"
	"\"NUMBER: invalid: reason\". Exit status 1 if any number is invalid.\n";

int jup_cli_nhs_number(int argc, char **argv)
{
	if (argc >= 2 && jup_cli_is_help(argv[1])) {
		fputs(help, stdout);
		return JUP_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return jup_cli_usage_error("nhs-number", "expected 'check NUMBER...'");
	if (argc < 3)
		return jup_cli_usage_error("nhs-number", "no numbers given");
	int rc = JUP_EXIT_OK;
	for (int i = 2; i < argc; i++) {
		char digits[11];
		jup_err why;
		jup_status st = jup_ingest_nhs_number(jup_sv_from(argv[i]), digits, &why);
		if (st == JUP_OK) {
			printf("%s: valid\n", argv[i]);
			continue;
		}
		printf("%s: invalid: %s\n", argv[i], st == JUP_ERR_NOT_FOUND ? "blank" : why.msg);
		rc = JUP_EXIT_INVALID;
	}
	return rc;
}
