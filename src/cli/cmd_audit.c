/* cmd_audit.c - `joinedup audit`: the tamper-evident audit log. */
#include "audit/jup_audit.h"
#include "cli/cli.h"
#include "core/jup_file.h"
#include "person/jup_person.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: joinedup audit keygen --name NAME --private FILE --public FILE\n"
	"       joinedup audit checkpoint --db FILE --key PRIVATE [--origin ORIGIN]\n"
	"       joinedup audit prove --db FILE --entry N | --from-size M\n"
	"       joinedup audit verify-proof --key PUBLIC PROOF_FILE\n"
	"       joinedup audit verify --db FILE [--key PUBLIC]\n"
	"       joinedup audit log --db FILE --nhs-number N\n"
	"       joinedup audit append --db FILE --actor A --purpose P --action X --outcome O\n"
	"                    [--role R] [--org CODE] [--nhs-number N] [--what W] [--reason R]\n"
	"                    [--break-glass WHY] [--request-id ID]\n\n"
	"Every use of a person's record is an entry in an append-only log. Entries form\n"
	"a hash chain and the leaves of a Merkle tree (RFC 9162); signed checkpoints fix\n"
	"the tree at a size, so no entry can be changed, removed or reordered unnoticed.\n\n"
	"keygen makes an Ed25519 signing key (the private file is written 0600).\n"
	"checkpoint signs the current tree head (default origin \"" JUP_AUDIT_DEFAULT_ORIGIN "\")\n"
	"and prints the signed note. prove writes a self-contained proof to stdout: that\n"
	"entry N is in the latest checkpoint's tree (--entry), or that the latest\n"
	"checkpoint extends the checkpoint of size M (--from-size). verify-proof checks\n"
	"a proof with only the public key, no database. verify checks every entry, the\n"
	"chain, the tree and every checkpoint (their signatures too with --key): exit 0\n"
	"when intact, 1 naming the first entry or checkpoint found altered or removed.\n"
	"log lists who accessed the record of the person with that NHS number, when,\n"
	"from which organisation, what, why and what was decided, oldest first.\n"
	"append records one entry, in its own transaction,\n"
	"  for systems without the purpose gate yet and for tests;\n"
	"--outcome is permit, deny or done.\n"
	"Formats: docs/FORMATS.md, \"Audit entries and proofs\".\n";

typedef struct audit_args {
	const char *sub, *db, *key, *name, *priv, *pub, *origin, *entry, *from_size, *nhs;
	jup_audit_entry e;
	int npos;
	const char *pos[1];
} audit_args;

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "key", required_argument, NULL, 'k' },
	{ "name", required_argument, NULL, 'n' },
	{ "private", required_argument, NULL, 'P' },
	{ "public", required_argument, NULL, 'U' },
	{ "origin", required_argument, NULL, 'o' },
	{ "entry", required_argument, NULL, 'e' },
	{ "from-size", required_argument, NULL, 'f' },
	{ "nhs-number", required_argument, NULL, 'N' },
	{ "actor", required_argument, NULL, 'a' },
	{ "role", required_argument, NULL, 'r' },
	{ "org", required_argument, NULL, 'g' },
	{ "purpose", required_argument, NULL, 'p' },
	{ "action", required_argument, NULL, 'x' },
	{ "what", required_argument, NULL, 'w' },
	{ "outcome", required_argument, NULL, 'O' },
	{ "reason", required_argument, NULL, 'R' },
	{ "break-glass", required_argument, NULL, 'B' },
	{ "request-id", required_argument, NULL, 'I' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Where each option's value goes. */
static const char **slot(audit_args *a, int ch)
{
	switch (ch) {
	case 'd':
		return &a->db;
	case 'k':
		return &a->key;
	case 'n':
		return &a->name;
	case 'P':
		return &a->priv;
	case 'U':
		return &a->pub;
	case 'o':
		return &a->origin;
	case 'e':
		return &a->entry;
	case 'f':
		return &a->from_size;
	case 'N':
		return &a->nhs;
	case 'a':
		return &a->e.actor;
	case 'r':
		return &a->e.role;
	case 'g':
		return &a->e.org_code;
	case 'p':
		return &a->e.purpose;
	case 'x':
		return &a->e.action;
	case 'w':
		return &a->e.what;
	case 'O':
		return &a->e.outcome;
	case 'R':
		return &a->e.reason;
	case 'B':
		return &a->e.break_glass;
	case 'I':
		return &a->e.request_id;
	default:
		return NULL;
	}
}

/* 0 to go on, -1 after --help, else an exit status. */
static int parse(int argc, char **argv, audit_args *a)
{
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const char **to = slot(a, ch);
		if (ch == 'h') {
			fputs(help, stdout);
			return -1;
		}
		if (!to)
			return jup_cli_usage_error("audit", "unknown option");
		*to = optarg;
	}
	for (; optind < argc; optind++) {
		if (a->npos == 1)
			return jup_cli_usage_error("audit", "unexpected argument \"%s\"",
						   argv[optind]);
		a->pos[a->npos++] = argv[optind];
	}
	return JUP_EXIT_OK;
}

static int need(const char *cmd, const char *v, const char *what)
{
	return v ? JUP_EXIT_OK : jup_cli_usage_error(cmd, "%s is required", what);
}

static int open_db(const char *cmd, const audit_args *a, jup_store **st)
{
	jup_err err;
	int rc = need(cmd, a->db, "--db FILE");
	if (rc)
		return rc;
	jup_status s = jup_store_open(a->db, 0, st, &err);
	return s ? jup_cli_fail(cmd, s, &err) : JUP_EXIT_OK;
}

/* ------------------------------------------------------------ keygen */

static int run_keygen(audit_args *a)
{
	const char *cmd = "audit keygen";
	int rc = need(cmd, a->name, "--name NAME");
	if (!rc)
		rc = need(cmd, a->priv, "--private FILE");
	if (!rc)
		rc = need(cmd, a->pub, "--public FILE");
	if (rc)
		return rc;
	jup_err err;
	jup_status s = jup_checkpoint_keygen(a->name, a->priv, a->pub, &err);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("audit: key \"%s\" written: private %s, public %s\n", a->name, a->priv, a->pub);
	return JUP_EXIT_OK;
}

/* ------------------------------------------------------------ checkpoint */

static int checkpoint_with(const char *cmd, audit_args *a, const jup_checkpoint_signer *signer)
{
	jup_store *st;
	int rc = open_db(cmd, a, &st);
	if (rc)
		return rc;
	jup_buf note;
	jup_err err;
	jup_buf_init(&note, JUP_CHECKPOINT_MAX_NOTE);
	jup_status s = jup_audit_checkpoint(st, a->origin, signer, &note, &err);
	jup_store_close(st);
	if (s)
		rc = jup_cli_fail(cmd, s, &err);
	else
		fwrite(note.data, 1, note.len, stdout);
	jup_buf_free(&note);
	return rc;
}

static int run_checkpoint(audit_args *a)
{
	const char *cmd = "audit checkpoint";
	int rc = need(cmd, a->key, "--key PRIVATE");
	if (rc)
		return rc;
	jup_checkpoint_signer signer;
	jup_err err;
	jup_status s = jup_checkpoint_signer_load(a->key, &signer, &err);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	rc = checkpoint_with(cmd, a, &signer);
	jup_checkpoint_signer_free(&signer);
	return rc;
}

/* ------------------------------------------------------------ prove */

static int run_prove(audit_args *a)
{
	const char *cmd = "audit prove";
	int64_t n;
	if (!a->entry == !a->from_size)
		return jup_cli_usage_error(cmd, "give one of --entry N or --from-size M");
	if (!jup_cli_parse_i64(a->entry ? a->entry : a->from_size, 1, INT64_MAX, &n))
		return jup_cli_usage_error(cmd, "%s: a positive whole number",
					   a->entry ? "--entry" : "--from-size");
	jup_store *st;
	int rc = open_db(cmd, a, &st);
	if (rc)
		return rc;
	jup_buf out;
	jup_err err;
	jup_buf_init(&out, JUP_AUDIT_MAX_PROOF);
	jup_status s = a->entry ? jup_audit_prove(st, n, &out, &err)
				: jup_audit_prove_consistency(st, (uint64_t)n, &out, &err);
	jup_store_close(st);
	if (s)
		rc = jup_cli_fail(cmd, s, &err);
	else
		fwrite(out.data, 1, out.len, stdout);
	jup_buf_free(&out);
	return rc;
}

/* ------------------------------------------------------------ verify-proof */

static void print_proof(const jup_audit_proof_result *r)
{
	char root[2 * JUP_MERKLE_HASH_LEN + 1];
	jup_audit_hash_hex(&r->root, root);
	if (r->kind == JUP_AUDIT_PROOF_INCLUSION)
		printf("audit: proof holds: entry %lld is in the log \"%s\" of %llu entries "
		       "(root %s)\n",
		       (long long)r->entry_id, r->origin, (unsigned long long)r->size, root);
	else
		printf("audit: proof holds: the log \"%s\" of %llu entries (root %s) extends its "
		       "first %llu\n",
		       r->origin, (unsigned long long)r->size, root,
		       (unsigned long long)r->old_size);
}

static int run_verify_proof(audit_args *a)
{
	const char *cmd = "audit verify-proof";
	int rc = need(cmd, a->key, "--key PUBLIC");
	if (!rc)
		rc = need(cmd, a->npos ? a->pos[0] : NULL, "PROOF_FILE");
	if (rc)
		return rc;
	jup_checkpoint_pubkey key;
	jup_file f;
	jup_err err;
	jup_status s = jup_checkpoint_pubkey_load(a->key, &key, &err);
	if (!s)
		s = jup_file_map(a->pos[0], JUP_AUDIT_MAX_PROOF, &f, &err);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	jup_audit_proof_result res;
	s = jup_audit_verify_proof((jup_sv){ f.data ? f.data : "", f.len }, &key, &res, &err);
	jup_file_unmap(&f);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	print_proof(&res);
	return JUP_EXIT_OK;
}

/* ------------------------------------------------------------ verify */

static int run_verify(audit_args *a)
{
	const char *cmd = "audit verify";
	jup_checkpoint_pubkey key;
	jup_err err;
	jup_status s = a->key ? jup_checkpoint_pubkey_load(a->key, &key, &err) : JUP_OK;
	if (s)
		return jup_cli_fail(cmd, s, &err);
	jup_store *st;
	int rc = open_db(cmd, a, &st);
	if (rc)
		return rc;
	jup_audit_report rep;
	s = jup_audit_verify(st, a->key ? &key : NULL, &rep, &err);
	jup_store_close(st);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("audit: %lld entries, %lld checkpoints%s, chain and tree intact\n",
	       (long long)rep.entries, (long long)rep.checkpoints,
	       rep.signatures ? " (signatures checked)" : "");
	return JUP_EXIT_OK;
}

/* ------------------------------------------------------------ log */

static void print_sv(const char *before, jup_sv v, const char *after)
{
	if (v.ptr)
		printf("%s%.*s%s", before, (int)v.len, v.ptr, after);
}

static jup_status print_entry(void *ctx, const jup_audit_record *r, jup_err *err)
{
	(void)ctx;
	(void)err;
	const jup_sv *f = r->f.f;
	print_sv("", f[JUP_AUDIT_F_RECORDED_AT], "  ");
	print_sv("", f[JUP_AUDIT_F_ACTOR], "");
	print_sv(" (", f[JUP_AUDIT_F_ROLE], ")");
	print_sv(" at ", f[JUP_AUDIT_F_ORG_CODE], "");
	print_sv(": ", f[JUP_AUDIT_F_ACTION], "");
	print_sv(" ", f[JUP_AUDIT_F_WHAT], "");
	print_sv("  for ", f[JUP_AUDIT_F_PURPOSE], "");
	print_sv(" (", f[JUP_AUDIT_F_REASON], ")");
	print_sv("  -> ", f[JUP_AUDIT_F_OUTCOME], "");
	print_sv("  ** BREAK GLASS: ", f[JUP_AUDIT_F_BREAK_GLASS], " **");
	printf("  [entry %lld]\n", (long long)r->id);
	return JUP_OK;
}

static int run_log(audit_args *a)
{
	const char *cmd = "audit log";
	int rc = need(cmd, a->nhs, "--nhs-number N");
	jup_store *st = NULL;
	if (!rc)
		rc = open_db(cmd, a, &st);
	if (rc)
		return rc;
	size_t n = 0;
	jup_err err;
	jup_status s = jup_audit_history(st, a->nhs, print_entry, NULL, &n, &err);
	jup_store_close(st);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("%zu entr%s\n", n, n == 1 ? "y" : "ies");
	return JUP_EXIT_OK;
}

/* ------------------------------------------------------------ append */

/* The person holding the NHS number: the survivor of any merge, which
 * keeps the smallest id, so the first of jup_person_ids. */
static jup_status person_for(jup_store *st, const char *nhs, int64_t *id, jup_err *err)
{
	int64_t *ids;
	size_t n;
	jup_status s = jup_person_ids(st, nhs, &ids, &n, err);
	if (!s)
		*id = ids[0];
	free(ids);
	return s;
}

static jup_status append_one(jup_store *st, audit_args *a, int64_t *id, jup_err *err)
{
	jup_status s = a->nhs ? person_for(st, a->nhs, &a->e.person_id, err) : JUP_OK;
	if (!s)
		s = jup_store_begin(st, err);
	if (s)
		return s;
	s = jup_audit_append(st, &a->e, id, err);
	if (!s)
		s = jup_store_commit(st, err);
	if (s)
		jup_store_abandon(st);
	return s;
}

static int run_append(audit_args *a)
{
	const char *cmd = "audit append";
	int rc = need(cmd, a->e.actor, "--actor A");
	if (!rc)
		rc = need(cmd, a->e.purpose, "--purpose P");
	if (!rc)
		rc = need(cmd, a->e.action, "--action X");
	if (!rc)
		rc = need(cmd, a->e.outcome, "--outcome O");
	jup_store *st = NULL;
	if (!rc)
		rc = open_db(cmd, a, &st);
	if (rc)
		return rc;
	int64_t id;
	jup_err err;
	jup_status s = append_one(st, a, &id, &err);
	jup_store_close(st);
	if (s)
		return jup_cli_fail(cmd, s, &err);
	printf("audit: entry %lld appended\n", (long long)id);
	return JUP_EXIT_OK;
}

int jup_cli_audit(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(audit_args *a);
	} subs[] = { { "keygen", run_keygen }, { "checkpoint", run_checkpoint },
		     { "prove", run_prove },   { "verify-proof", run_verify_proof },
		     { "verify", run_verify }, { "log", run_log },
		     { "append", run_append } };
	if (argc < 2)
		return jup_cli_usage_error("audit", "give a subcommand");
	if (jup_cli_is_help(argv[1])) {
		fputs(help, stdout);
		return JUP_EXIT_OK;
	}
	audit_args a = { .sub = argv[1] };
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		int rc = parse(argc - 1, argv + 1, &a);
		if (rc)
			return rc < 0 ? JUP_EXIT_OK : rc;
		return subs[i].run(&a);
	}
	return jup_cli_usage_error("audit", "unknown subcommand \"%s\"", argv[1]);
}
