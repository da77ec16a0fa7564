/*
 * main.c - `joinedup`: the shared health and social care record.
 *
 * Dispatches to one subcommand; each has --help.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const jup_cli_command commands[] = {
	{ "demo", "build a synthetic city and load it (the quickest start)", jup_cli_demo },
	{ "synth", "write a synthetic city's source extracts", jup_cli_synth },
	{ "import", "validate and load extracts into a database", jup_cli_import },
	{ "info", "show what a database holds (row counts per table)", jup_cli_info },
	{ "nhs-number", "check NHS numbers (Modulus 11)", jup_cli_nhs_number },
	{ "link", "link source records into people (the master person index)", jup_cli_link },
	{ "audit", "the tamper-evident audit log: verify, checkpoint, prove, a person's log",
	  jup_cli_audit },
	{ "user", "add and list the people who sign in", jup_cli_user },
	{ "consent", "what a person's consent allows, their decisions, the consent policy",
	  jup_cli_consent },
	{ "record", "a person's joined-up record, through the purpose gate", jup_cli_record },
	{ "break-glass", "break-glass grants: the review list and reviews", jup_cli_break_glass },
	{ "serve", "the FHIR R4 API and sign-in over HTTP (the server)", jup_cli_serve },
	{ "link-files", "link two CSV files of people (or find duplicates in one)",
	  jup_cli_link_files },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fputs("usage: joinedup <command> [options]\n\n"
	      "joinedup links what GP practices, hospitals and the council hold about the same\n"
	      "person into one record, and guards every use of it.\n\ncommands:\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'joinedup <command> --help' tells more. Exit status: 0 done, 1 invalid data,\n"
	      "2 wrong usage, 3 could not be done.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return JUP_EXIT_USAGE;
	}
	if (jup_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return JUP_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("joinedup %s\n", JUP_VERSION);
		return JUP_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "joinedup: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return JUP_EXIT_USAGE;
}
