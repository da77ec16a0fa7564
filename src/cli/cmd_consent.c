/* cmd_consent.c - `joinedup consent`: what applies to a person, their
 * decisions, and the consent policy. */
#include "cli/cli.h"
#include "consent/jup_consent.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: joinedup consent show --db FILE --nhs-number N\n"
	"       joinedup consent set --db FILE --nhs-number N --purpose P|all\n"
	"                            --decision permit|deny --source citizen|record_objection\n"
	"                            [--by NAME] [--evidence TEXT]\n"
	"       joinedup consent policy --db FILE\n\n"
	"show tells the person holding NHS number N, for each purpose (direct_care,\n"
	"risk_stratification, planning, research), whether their information is used,\n"
	"whether their GP record and their social care record are part of it, and why,\n"
	"in plain English. It prints no names or identifiers (not even the number).\n"
	"set records a decision: the citizen's own choice for one purpose or all of them\n"
	"(a permit only cancels their own earlier deny; it never overrides a national\n"
	"data opt-out or an objection), or an objection to the shared record. The latest\n"
	"decision wins; it takes effect at once and is written to the audit log (--by:\n"
	"who recorded it, default the login name).\n"
	"policy lists the data flows and which rules apply to each.\n";

typedef struct consent_args {
	const char *db, *nhs, *purpose, *decision, *source, *by, *evidence;
	const char *sub;
} consent_args;

static int parse(int argc, char **argv, consent_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "nhs-number", required_argument, NULL, 'n' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "decision", required_argument, NULL, 'D' },
		{ "source", required_argument, NULL, 's' },
		{ "by", required_argument, NULL, 'b' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			a->db = optarg;
			break;
		case 'n':
			a->nhs = optarg;
			break;
		case 'p':
			a->purpose = optarg;
			break;
		case 'D':
			a->decision = optarg;
			break;
		case 's':
			a->source = optarg;
			break;
		case 'b':
			a->by = optarg;
			break;
		case 'e':
			a->evidence = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		default:
			return jup_cli_usage_error("consent", "unknown option");
		}
	}
	if (optind >= argc)
		return jup_cli_usage_error("consent", "show, set or policy?");
	a->sub = argv[optind++];
	if (optind < argc)
		return jup_cli_usage_error("consent", "unexpected argument \"%.64s\"",
					   argv[optind]);
	if (!a->db)
		return jup_cli_usage_error("consent", "--db FILE is required");
	return JUP_EXIT_OK;
}

/* ---- show ----------------------------------------------------------------------- */

static void print_decision(const jup_consent_decision *d)
{
	printf("%s: %s\n", jup_consent_purpose_name(d->purpose), d->permit ? "permit" : "deny");
	printf("  %s\n", d->summary);
	for (int i = 0; i < d->nreasons; i++)
		printf("  - %s\n", d->reasons[i].text);
	printf("  GP data: %s\n", d->gp_data ? "included" : "not included");
	printf("  social care data: %s\n", d->social_care_data ? "included" : "not included");
}

static int run_show(const consent_args *a, jup_store *st)
{
	if (!a->nhs)
		return jup_cli_usage_error("consent show", "--nhs-number N is required");
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
		jup_consent_decision d;
		jup_err err;
		jup_status s =
			jup_consent_decide(st, a->nhs, (jup_consent_purpose)p, NULL, &d, &err);
		if (s == JUP_ERR_NOT_FOUND) {
			printf("%s: not in use (no active data flow)\n",
			       jup_consent_purpose_name((jup_consent_purpose)p));
			continue;
		}
		if (s)
			return jup_cli_fail("consent show", s, &err);
		print_decision(&d);
	}
	return JUP_EXIT_OK;
}

/* ---- set ------------------------------------------------------------------------ */

static int run_set(const consent_args *a, jup_store *st)
{
	static const char cmd[] = "consent set";
	jup_consent_purpose purpose;
	jup_consent_source source;
	if (!a->nhs || !a->purpose || !a->decision || !a->source)
		return jup_cli_usage_error(cmd, "--nhs-number, --purpose, --decision and --source "
						"are required");
	if (!jup_consent_purpose_parse(a->purpose, true, &purpose))
		return jup_cli_usage_error(cmd, "--purpose: direct_care, risk_stratification, "
						"planning, research or all");
	bool permit = strcmp(a->decision, "permit") == 0;
	if (!permit && strcmp(a->decision, "deny") != 0)
		return jup_cli_usage_error(cmd, "--decision: permit or deny");
	if (!jup_consent_source_parse(a->source, &source))
		return jup_cli_usage_error(cmd, "--source: citizen or record_objection");
	const char *by = a->by ? a->by : jup_cli_login_name();
	if (!by)
		return jup_cli_usage_error(cmd, "--by NAME: who recorded the decision");
	int64_t id;
	jup_err err;
	jup_status s =
		jup_consent_set(st, a->nhs, purpose, source, permit, by, a->evidence, &id, &err);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("consent decision %lld recorded: %s %s for %s\n", (long long)id,
	       jup_consent_source_name(source), permit ? "permit" : "deny",
	       purpose == JUP_CONSENT_EVERY_PURPOSE ? "every purpose"
						    : jup_consent_purpose_name(purpose));
	return JUP_EXIT_OK;
}

/* ---- policy --------------------------------------------------------------------- */

static jup_status print_policy(void *ctx, const jup_consent_policy *p, jup_err *err)
{
	(void)ctx;
	(void)err;
	printf("%-20s %-28s opt-out %s, type 1 %s, objection %s, citizen %s, council form %s, "
	       "specific consent %s, practice participation %s%s%s%s\n",
	       jup_consent_purpose_name(p->purpose), p->flow,
	       p->national_opt_out ? "applies" : "exempt", p->gp_type1 ? "applies" : "exempt",
	       p->record_objection ? "applies" : "exempt", p->citizen_choice ? "applies" : "exempt",
	       p->sc_consent ? "required" : "not required",
	       p->specific_consent ? "required" : "not required",
	       p->practice_participation ? "required" : "not required",
	       p->approval[0] ? ", approval " : "", p->approval, p->active ? "" : " (inactive)");
	return JUP_OK;
}

int jup_cli_consent(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(const consent_args *a, jup_store *st);
	} subs[] = { { "show", run_show }, { "set", run_set } };
	consent_args a = { 0 };
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	int (*run)(const consent_args *, jup_store *) = NULL;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(a.sub, subs[i].name) == 0)
			run = subs[i].run;
	if (!run && strcmp(a.sub, "policy") != 0)
		return jup_cli_usage_error("consent", "show, set or policy, not \"%.32s\"", a.sub);
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(a.db, 0, &st, &err);
	if (s)
		return jup_cli_fail("consent", s, &err);
	if (run)
		rc = run(&a, st);
	else if ((s = jup_consent_policy_each(st, print_policy, NULL, &err)))
		rc = jup_cli_fail("consent policy", s, &err);
	jup_store_close(st);
	return rc;
}
