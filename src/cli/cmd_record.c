/* cmd_record.c - `joinedup record show`: a person's joined-up record,
 * through the purpose gate; and `joinedup break-glass`: the information
 * governance officer's review list. */
#include "care/jup_care.h"
#include "cli/cli.h"
#include "core/jup_hex.h"
#include "gate/jup_gate.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char record_help[] =
	"usage: joinedup record show --db FILE --as USERNAME --purpose P --nhs-number N\n"
	"                            [--break-glass REASON] [--request-id ID]\n\n"
	"Asks the purpose gate whether USERNAME may see the person holding NHS number N\n"
	"for purpose P (direct_care, risk_stratification, planning or research). The\n"
	"gate checks the user's role, their care relationship with the person (GP\n"
	"registration at their practice, an open or recent hospital episode at their\n"
	"trust, allocation to a team of their organisation, an end-of-life plan for the\n"
	"24-hour line), the practice's participation and the person's consent and\n"
	"opt-outs, and writes its decision to the audit log before anything is read.\n"
	"Permitted: the joined-up record (GP, hospital and social care, each item with\n"
	"its source) as JSON on standard output, exit 0. Denied: the decision and its\n"
	"reason as JSON, exit 3.\n"
	"--break-glass REASON: direct care without a care relationship, in an emergency.\n"
	"The access is flagged, lasts " JUP_STR(JUP_GATE_BREAK_GLASS_HOURS) " hours, is "
	"reviewed by information governance\n"
	"and shown to the person in their audit log.\n";

static const char bg_help[] =
	"usage: joinedup break-glass list --db FILE [--all]\n"
	"       joinedup break-glass review --db FILE --as USERNAME --grant ID\n"
	"                                   --outcome appropriate|inappropriate --note TEXT\n\n"
	"list shows the break-glass grants waiting for review (--all: every grant):\n"
	"who, their role and organisation, the person id, when, until when, the reason\n"
	"given and the audit entry. review records an information governance\n"
	"officer's review of one grant (USERNAME must have role ig_officer); the\n"
	"review is itself written to the audit log.\n";

typedef struct record_args {
	const char *db, *as, *purpose, *nhs, *break_glass, *request_id;
	const char *grant, *outcome, *note;
	bool all;
	const char *sub;
} record_args;

static int parse(const char *cmd, const char *help, int argc, char **argv, record_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "nhs-number", required_argument, NULL, 'n' },
		{ "break-glass", required_argument, NULL, 'b' },
		{ "request-id", required_argument, NULL, 'r' },
		{ "grant", required_argument, NULL, 'g' },
		{ "outcome", required_argument, NULL, 'o' },
		{ "note", required_argument, NULL, 'N' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **slot[128] = { ['d'] = &a->db,	     ['a'] = &a->as,	 ['p'] = &a->purpose,
				   ['n'] = &a->nhs,	     ['b'] = &a->break_glass,
				   ['r'] = &a->request_id, ['g'] = &a->grant,	 ['o'] = &a->outcome,
				   ['N'] = &a->note };
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(help, stdout);
			return -1;
		}
		if (ch == 'A')
			a->all = true;
		else if (ch > 0 && ch < 128 && slot[ch])
			*slot[ch] = optarg;
		else
			return jup_cli_usage_error(cmd, "unknown option");
	}
	if (optind >= argc)
		return jup_cli_usage_error(cmd, "which subcommand? (see --help)");
	a->sub = argv[optind++];
	if (optind < argc)
		return jup_cli_usage_error(cmd, "unexpected argument \"%.64s\"", argv[optind]);
	if (!a->db)
		return jup_cli_usage_error(cmd, "--db FILE is required");
	return JUP_EXIT_OK;
}

/* Open the store and find the acting user. */
static int open_as(const char *cmd, const record_args *a, jup_store **st, jup_user *u)
{
	jup_err err;
	jup_status s = jup_store_open(a->db, 0, st, &err);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	s = jup_user_find(*st, a->as, u, &err);
	if (s) {
		jup_store_close(*st);
		return s == JUP_ERR_NOT_FOUND ? jup_cli_usage_error(cmd, "--as: no such user")
					      : jup_cli_fail(cmd, s, &err);
	}
	return JUP_EXIT_OK;
}

/* ---- record show ------------------------------------------------------------------- */

static void decision_json(json_t *o, const jup_gate_decision *d)
{
	json_object_set_new(o, "outcome", json_string(d->permit ? "permit" : "deny"));
	json_object_set_new(o, "reason", json_string(d->reason));
	json_object_set_new(o, "audit_entry", json_integer(d->audit_id));
	if (d->basis == JUP_GATE_BASIS_BREAK_GLASS)
		json_object_set_new(o, "break_glass_until", json_string(d->grant_expires));
}

static int print_json(json_t *o)
{
	int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? JUP_EXIT_FAILURE
									      : JUP_EXIT_OK;
	fputc('\n', stdout);
	json_decref(o);
	return rc;
}

/* Release what the gate permitted. */
static int show_permitted(jup_store *st, const jup_gate_decision *d)
{
	json_t *rec;
	jup_err err;
	jup_status s = jup_care_record(st, d, &rec, &err);
	if (s)
		return jup_cli_fail("record show", s, &err);
	json_t *dec = json_object();
	decision_json(dec, d);
	json_object_set_new(rec, "decision", dec);
	return print_json(rec);
}

static int show(const record_args *a, jup_store *st, const jup_user *u)
{
	static const char cmd[] = "record show";
	jup_consent_purpose purpose;
	if (!a->purpose || !jup_consent_purpose_parse(a->purpose, false, &purpose))
		return jup_cli_usage_error(cmd, "--purpose: direct_care, risk_stratification, "
						"planning or research");
	if (!a->nhs)
		return jup_cli_usage_error(cmd, "--nhs-number N is required");
	char request_id[33];
	if (!a->request_id) {
		uint8_t raw[16];
		randombytes_buf(raw, sizeof raw);
		jup_hex_encode(raw, sizeof raw, request_id);
	}
	jup_gate_request rq = { .actor = u,
				.purpose = purpose,
				.action = JUP_GATE_READ_RECORD,
				.nhs_number = a->nhs,
				.break_glass = a->break_glass,
				.request_id = a->request_id ? a->request_id : request_id };
	jup_gate_decision d;
	jup_err err;
	jup_status s = jup_gate_decide(st, &rq, &d, &err);
	if (s && !d.audit_id)
		return jup_cli_fail(cmd, s, &err);
	if (d.permit)
		return show_permitted(st, &d);
	json_t *o = json_object();
	decision_json(o, &d);
	int rc = print_json(o);
	fprintf(stderr, "joinedup %s: denied: %s\n", cmd, d.reason);
	return rc ? rc : s == JUP_ERR_INVALID ? JUP_EXIT_USAGE : JUP_EXIT_DENIED;
}

int jup_cli_record(int argc, char **argv)
{
	record_args a = { 0 };
	int rc = parse("record", record_help, argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	if (strcmp(a.sub, "show") != 0)
		return jup_cli_usage_error("record", "show, not \"%.32s\"", a.sub);
	if (!a.as)
		return jup_cli_usage_error("record show", "--as USERNAME is required");
	jup_store *st;
	jup_user u;
	rc = open_as("record show", &a, &st, &u);
	if (rc)
		return rc;
	rc = show(&a, st, &u);
	jup_store_close(st);
	return rc;
}

/* ---- break-glass ----------------------------------------------------------------------- */

static jup_status print_grant(void *ctx, const jup_gate_grant *g, jup_err *err)
{
	(void)ctx;
	(void)err;
	printf("grant %lld: %s (%s) at %s, person %lld, %s until %s, audit entry %lld\n"
	       "  reason: %s\n",
	       (long long)g->id, g->username, jup_role_name(g->role),
	       g->org_code[0] ? g->org_code : "-", (long long)g->person_id, g->granted_at,
	       g->expires_at, (long long)g->audit_id, g->reason);
	if (g->reviewed)
		printf("  reviewed by %s at %s: %s: %s\n", g->reviewed_by, g->reviewed_at,
		       g->outcome, g->note);
	else
		printf("  not yet reviewed\n");
	return JUP_OK;
}

static int bg_list(const record_args *a)
{
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(a->db, 0, &st, &err);
	if (s)
		return jup_cli_fail("break-glass list", s, &err);
	s = jup_gate_grant_each(st, !a->all, print_grant, NULL, &err);
	jup_store_close(st);
	return s ? jup_cli_fail("break-glass list", s, &err) : JUP_EXIT_OK;
}

static int bg_review(const record_args *a)
{
	static const char cmd[] = "break-glass review";
	int64_t grant;
	if (!a->as || !a->grant || !a->outcome || !a->note)
		return jup_cli_usage_error(cmd, "--as, --grant, --outcome and --note are required");
	if (!jup_cli_parse_i64(a->grant, 1, INT64_MAX, &grant))
		return jup_cli_usage_error(cmd, "--grant: a grant id");
	bool appropriate = strcmp(a->outcome, "appropriate") == 0;
	if (!appropriate && strcmp(a->outcome, "inappropriate") != 0)
		return jup_cli_usage_error(cmd, "--outcome: appropriate or inappropriate");
	jup_store *st;
	jup_user u;
	int rc = open_as(cmd, a, &st, &u);
	if (rc)
		return rc;
	jup_err err;
	jup_status s = jup_gate_review(st, &u, grant, appropriate, a->note, &err);
	jup_store_close(st);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("break-glass grant %lld reviewed: %s\n", (long long)grant,
	       appropriate ? "appropriate" : "inappropriate");
	return JUP_EXIT_OK;
}

int jup_cli_break_glass(int argc, char **argv)
{
	record_args a = { 0 };
	int rc = parse("break-glass", bg_help, argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	if (strcmp(a.sub, "list") == 0)
		return bg_list(&a);
	if (strcmp(a.sub, "review") == 0)
		return bg_review(&a);
	return jup_cli_usage_error("break-glass", "list or review, not \"%.32s\"", a.sub);
}
