/* cmd_demo.c - `joinedup demo`: a synthetic city, loaded, in one step. */
#include "care/jup_care_plan.h"
#include "cli/cli_demo.h"
#include "core/jup_limits.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: joinedup demo [--dir DIR] [--people N] [--seed S] [--listen HOST:PORT]\n"
	"                     [--no-serve]\n\n"
	"Synthesises a city (default 20,000 people in Leeds) into DIR (default\n"
	"./demo), imports it into DIR/joinedup.db, links the records into people\n"
	"(scored against the city's truth.csv), gives everyone on a GP practice's\n"
	"end-of-life register an end-of-life care plan (written by the practice's\n"
	"system account, audited), shows what the database holds, adds one sign-in\n"
	"account per role and serves the FHIR API (default 127.0.0.1:8080; access\n"
	"log in DIR/access.log) until Ctrl-C. --no-serve stops after the accounts.\n"
	"Running it again finds the same files imported, the plans written and the\n"
	"accounts made, and changes nothing.\n";

typedef struct demo_args {
	const char *dir, *listen;
	bool no_serve;
} demo_args;

static int parse(int argc, char **argv, jup_synth_opts *o, demo_args *a)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "people", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "no-serve", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t v;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'd') {
			a->dir = optarg;
		} else if (ch == 'l') {
			a->listen = optarg;
		} else if (ch == 'n') {
			a->no_serve = true;
		} else if (ch == 'p') {
			if (!jup_cli_parse_i64(optarg, 1, JUP_SYNTH_MAX_PEOPLE, &v))
				return jup_cli_usage_error("demo", "--people: a whole number");
			o->people = v;
		} else if (ch == 's') {
			if (!jup_cli_parse_i64(optarg, 0, INT64_MAX, &v))
				return jup_cli_usage_error("demo", "--seed: a whole number");
			o->seed = (uint64_t)v;
		} else if (ch == 'h') {
			fputs(help, stdout);
			return -1;
		} else {
			return jup_cli_usage_error("demo", "unknown option");
		}
	}
	if (optind < argc)
		return jup_cli_usage_error("demo", "unexpected argument \"%s\"", argv[optind]);
	return JUP_EXIT_OK;
}

/* Step 4: the end-of-life cohort's plans (jup_care_plan_seed_eol). */
static int seed_plans(jup_store *st, uint64_t seed)
{
	jup_care_plan_seed_report rep;
	jup_err err;
	jup_status s = jup_care_plan_seed_eol(st, seed, &rep, &err);
	if (s)
		return jup_cli_fail("demo", s, &err);
	printf("care plans: %lld written, %lld people already had one (%lld people on the "
	       "registers; %lld register rows not linked); %lld system accounts made\n",
	       (long long)rep.written, (long long)rep.had_plan, (long long)rep.people,
	       (long long)rep.unlinked, (long long)rep.accounts);
	return JUP_EXIT_OK;
}

/* Step 6: the accounts; *person gets their shared patient. */
static int accounts(const char *db, int64_t *person)
{
	jup_store *st;
	jup_err err;
	printf("\n== 6. sign-in accounts, one per role\n");
	jup_status s = jup_store_open(db, 0, &st, &err);
	if (!s)
		s = jup_cli_demo_accounts(st, person, &err);
	if (s)
		return jup_cli_fail("demo", s, &err);
	jup_store_close(st);
	return JUP_EXIT_OK;
}

static void banner(void *ctx, const char *url)
{
	jup_cli_demo_accounts_print(stdout, url, *(const int64_t *)ctx);
}

/* Step 7: serve until Ctrl-C. */
static int serve(const demo_args *a, const char *db, int64_t person)
{
	jup_http_config c;
	jup_err err;
	char log[4096];
	jup_http_config_defaults(&c);
	snprintf(log, sizeof log, "%s/access.log", a->dir);
	if (jup_http_config_set(&c, "db", db, &err) ||
	    jup_http_config_set(&c, "access_log", log, &err))
		return jup_cli_usage_error("demo", "%s", err.msg);
	int rc = a->listen ? jup_cli_set_listen(&c, a->listen) : JUP_EXIT_OK;
	if (rc)
		return rc;
	printf("\n== 7. the server\n");
	return jup_cli_run_server(&c, NULL, banner, &person);
}

int jup_cli_demo(int argc, char **argv)
{
	jup_synth_opts o;
	jup_synth_defaults(&o);
	demo_args a = { .dir = "demo" };
	int rc = parse(argc, argv, &o, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	const char *dir = a.dir;
	char db[4096];
	if (snprintf(db, sizeof db, "%s/joinedup.db", dir) >= (int)sizeof db - 4)
		return jup_cli_usage_error("demo", "--dir: path too long");
	o.out_dir = dir;
	printf("== 1. synthesise a city of %lld people (%s, seed %llu)\n", (long long)o.people,
	       o.area, (unsigned long long)o.seed);
	if ((rc = jup_cli_run_synth(&o)))
		return rc;
	printf("\n== 2. validate and import the extracts into %s\n", db);
	const char *paths[] = { dir };
	if ((rc = jup_cli_run_import(db, paths, 1)))
		return rc;
	printf("\n== 3. link the records into people (accuracy against %s/truth.csv)\n", dir);
	char truth[4096];
	snprintf(truth, sizeof truth, "%s/truth.csv", dir);
	if ((rc = jup_cli_run_link(db, truth)))
		return rc;
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(db, 0, &st, &err);
	if (s)
		return jup_cli_fail("demo", s, &err);
	printf("\n== 4. end-of-life care plans for the people on the GP end-of-life registers\n");
	if ((rc = seed_plans(st, o.seed))) {
		jup_store_close(st);
		return rc;
	}
	printf("\n== 5. what the database holds\n");
	rc = jup_cli_print_counts("demo", st, false);
	jup_store_close(st);
	int64_t person = 0;
	if (rc || (rc = accounts(db, &person)))
		return rc;
	if (a.no_serve) {
		jup_cli_demo_accounts_print(stdout, "http://127.0.0.1:8080", person);
		printf("\nThe demo database is %s. Serve it with:\n  joinedup serve --db %s\n", db,
		       db);
		return JUP_EXIT_OK;
	}
	return serve(&a, db, person);
}
