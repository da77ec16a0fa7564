/* cmd_user.c - `joinedup user`: the people who sign in. */
#include "cli/cli.h"
#include "gate/jup_user.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: joinedup user add --db FILE --username U --role R [--org CODE]\n"
	"                         [--nhs-number N] [--system] --password-stdin\n"
	"       joinedup user list --db FILE\n\n"
	"add creates a user who can sign in. Staff have one role at one organisation\n"
	"(its code, as imported); a citizen account has role citizen and the citizen's\n"
	"NHS number instead. The password (12 to 512 bytes) is read from the first line\n"
	"of standard input and kept only as an Argon2id hash.\n"
	"--system adds another system instead of a person: it has a role at an\n"
	"organisation like staff (never citizen), signs in only with client credentials\n"
	"(the username is its client id) and its password is its client secret, at\n"
	"least 32 bytes (e.g. `openssl rand -base64 32`).\n"
	"Roles: gp, hospital_clinician, social_worker, care_coordinator, eol_operator,\n"
	"analyst, ig_officer, engagement_officer, citizen, admin.\n\n"
	"list prints each user's username, kind (person or system), role and\n"
	"organisation (not NHS numbers).\n";

typedef struct user_args {
	const char *db, *username, *role, *org, *nhs;
	bool password_stdin, system;
	const char *sub;
} user_args;

static int parse(int argc, char **argv, user_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },	      { "username", required_argument, NULL, 'u' },
		{ "role", required_argument, NULL, 'r' },     { "org", required_argument, NULL, 'o' },
		{ "nhs-number", required_argument, NULL, 'n' }, { "password-stdin", no_argument, NULL, 'p' },
		{ "system", no_argument, NULL, 's' },	      { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'u': a->username = optarg; break;
		case 'r': a->role = optarg; break;
		case 'o': a->org = optarg; break;
		case 'n': a->nhs = optarg; break;
		case 'p': a->password_stdin = true; break;
		case 's': a->system = true; break;
		case 'h': fputs(help, stdout); return -1;
		default: return jup_cli_usage_error("user", "unknown option");
		}
	}
	if (optind >= argc)
		return jup_cli_usage_error("user", "add or list?");
	a->sub = argv[optind++];
	if (optind < argc)
		return jup_cli_usage_error("user", "unexpected argument \"%s\"", argv[optind]);
	if (!a->db)
		return jup_cli_usage_error("user", "--db FILE is required");
	return JUP_EXIT_OK;
}

/* The password: the first line of standard input, without its newline. */
static bool read_password(char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, stdin))
		return false;
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return true;
}

static int run_add(const user_args *a, jup_store *st)
{
	jup_role role;
	if (!a->username || !a->role)
		return jup_cli_usage_error("user add", "--username and --role are required");
	if (!jup_role_parse(a->role, &role))
		return jup_cli_usage_error("user add", "--role: no role \"%.32s\"", a->role);
	if (!a->password_stdin)
		return jup_cli_usage_error("user add", "--password-stdin is required (passwords "
						       "never go on the command line)");
	char password[JUP_PASSWORD_MAX + 2];
	if (!read_password(password, sizeof password))
		return jup_cli_usage_error("user add", "no password on standard input");
	jup_user_new u = { a->username, role, a->org, a->nhs, password, a->system };
	int64_t id;
	jup_err err;
	jup_status s = jup_user_add(st, &u, &id, &err);
	sodium_memzero(password, sizeof password);
	if (s)
		return jup_cli_fail("user add", s, &err);
	printf("%s %s added (%s, id %lld)\n", a->system ? "system" : "user", a->username,
	       jup_role_name(role), (long long)id);
	return JUP_EXIT_OK;
}

static jup_status print_user(void *ctx, const jup_user *u, jup_err *err)
{
	char org[16] = "-";
	jup_status r = u->org_id ? jup_store_org_code(ctx, u->org_id, org, sizeof org, err) : JUP_OK;
	if (!r)
		printf("%-24s %-7s %-20s %-12s%s\n", u->username, u->system ? "system" : "person",
		       jup_role_name(u->role), org, u->disabled ? "  (disabled)" : "");
	return r;
}

int jup_cli_user(int argc, char **argv)
{
	user_args a = { 0 };
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	bool add = strcmp(a.sub, "add") == 0;
	if (!add && strcmp(a.sub, "list") != 0)
		return jup_cli_usage_error("user", "add or list, not \"%s\"", a.sub);
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(a.db, 0, &st, &err);
	if (s)
		return jup_cli_fail("user", s, &err);
	if (add)
		rc = run_add(&a, st);
	else if ((s = jup_user_each(st, print_user, st, &err)))
		rc = jup_cli_fail("user list", s, &err);
	jup_store_close(st);
	return rc;
}
