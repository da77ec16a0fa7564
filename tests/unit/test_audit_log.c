/*
 * test_audit_log.c - the audit log over a store: appends keep the state
 * equal to a rebuild; verify finds any one entry edited (every column),
 * deleted or swapped, and bad checkpoints; checkpoints are refused when
 * empty or repeated; inclusion proofs of every entry and consistency proofs
 * between every pair of checkpointed sizes verify offline and fail when any
 * line is altered; the history by NHS number covers merged persons.
 *
 * The fixture city (tests/data/city) is imported and linked once; each test
 * works on its own copy. The key is the Go sumdb/note test key.
 */
#include "jup_test.h"

#include "audit/jup_audit.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"
#include "person/jup_person.h"
#include "store/jup_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define ADA_NHS    "9990000018" /* GP and hospital records: one person */
#define BRAM_NHS   "9990000085"

static struct {
	char base[512];
	int64_t ada, bram; /* their person ids */
	jup_checkpoint_signer signer;
	jup_checkpoint_pubkey pub, other;
} fx;

/* ------------------------------------------------------------ helpers */

/* A private copy of the fixture store. */
static jup_store *open_fx_copy(const char *name)
{
	return jup_test_open_copy(fx.base, name);
}

/* Entry i of a test log: varied fields, some NULL, some break-glass. */
static jup_audit_entry entry(int i, int64_t person)
{
	static char what[8][40];
	snprintf(what[i % 8], sizeof what[0], "gp_record:G%06d", i);
	jup_audit_entry e = {
		.recorded_at = "2026-11-23T10:00:00Z",
		.actor = i % 3 ? "dr.okafor" : "nurse.lee",
		.role = i % 4 ? "gp" : NULL,
		.org_code = "Y90001",
		.purpose = "direct_care",
		.person_id = person,
		.action = "read",
		.what = what[i % 8],
		.outcome = i % 5 ? "permit" : "deny",
		.reason = i % 5 ? NULL : "no care relationship",
		.break_glass = i % 7 == 3 ? "unconscious in A&E" : NULL,
		.request_id = "req-1",
	};
	return e;
}

static int64_t append(jup_store *st, const jup_audit_entry *e)
{
	jup_err err = { "" };
	int64_t id = 0;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	if (jup_audit_append(st, e, &id, &err))
		fail_msg("append: %s", err.msg);
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	return id;
}

static void append_n(jup_store *st, int n)
{
	for (int i = 1; i <= n; i++) {
		jup_audit_entry e = entry(i, i % 2 ? fx.ada : 0);
		assert_int_equal(append(st, &e), i);
	}
}

static void verify_ok(jup_store *st, const jup_checkpoint_pubkey *key, int64_t entries, int64_t cps)
{
	jup_audit_report rep;
	jup_err err = { "" };
	if (jup_audit_verify(st, key, &rep, &err))
		fail_msg("verify: %s", err.msg);
	assert_int_equal(rep.entries, entries);
	assert_int_equal(rep.checkpoints, cps);
	assert_int_equal(rep.bad_entry, 0);
}

/* verify fails naming entry bad (0: a checkpoint, cp). */
static void verify_bad(jup_store *st, const jup_checkpoint_pubkey *key, int64_t bad, int64_t cp)
{
	jup_audit_report rep;
	jup_err err = { "" };
	assert_int_equal(jup_audit_verify(st, key, &rep, &err), JUP_ERR_INVALID);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(rep.bad_entry, bad);
	assert_int_equal(rep.bad_checkpoint, cp);
}

static void checkpoint(jup_store *st)
{
	jup_err err = { "" };
	if (jup_audit_checkpoint(st, "PeterNeumann", &fx.signer, NULL, &err))
		fail_msg("checkpoint: %s", err.msg);
}

static void update(jup_store *st, jup_table t, int64_t id, int col, jup_value v)
{
	jup_match where = { JUP_COL_ID, jup_v_int(id) }, set = { col, v };
	jup_err err = { "" };
	int64_t changed = 0;
	if (jup_store_update(st, t, &where, 1, &set, 1, &changed, &err))
		fail_msg("update column %d: %s", col, err.msg);
	assert_int_equal(changed, 1);
}

/* ------------------------------------------------------------ entries */

static void test_canonical_bytes(void **state)
{
	(void)state;
	jup_audit_fields f = { 0 };
	f.f[JUP_AUDIT_F_ACTOR] = JUP_SV_LIT("a");
	f.f[JUP_AUDIT_F_ROLE] = JUP_SV_LIT("");
	jup_hash prev;
	memset(prev.b, 0xab, sizeof prev.b);
	jup_buf b;
	jup_err err;
	jup_buf_init(&b, 0);
	assert_int_equal(jup_audit_canonical(12, &f, &prev, &b, &err), JUP_OK);
	/* tag, "12", recorded_at NULL, "a", "" (empty, not NULL), 9 NULLs, prev */
	assert_int_equal(b.len, 17 + 6 + 4 + 5 + 4 + 9 * 4 + 36);
	assert_memory_equal(b.data,
			    "joinedup-audit-v1\0\0\0\00212\xff\xff\xff\xff\0\0\0\001a\0\0\0\0",
			    17 + 6 + 4 + 5 + 4);
	assert_memory_equal(b.data + b.len - 36, "\0\0\0\x20\xab\xab", 6);
	jup_hash leaf, want;
	assert_int_equal(jup_audit_leaf(12, &f, &prev, &leaf, &err), JUP_OK);
	jup_merkle_leaf_hash(b.data, b.len, &want);
	assert_true(jup_merkle_hash_eq(&leaf, &want));
	jup_buf_free(&b);
}

static void test_bad_entries_write_nothing(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("bad_entries.db");
	static char long_text[JUP_AUDIT_MAX_FIELD + 2];
	memset(long_text, 'x', sizeof long_text - 1);
	for (int k = 0; k < 7; k++) {
		jup_audit_entry e = entry(1, 0);
		switch (k) {
		case 0:
			e.actor = NULL;
			break;
		case 1:
			e.outcome = "maybe";
			break;
		case 2:
			e.what = "line\nbreak";
			break;
		case 3:
			e.reason = long_text;
			break;
		case 4:
			e.recorded_at = "2026-11-23 10:00:00";
			break;
		case 5:
			e.person_id = -4;
			break;
		case 6:
			e.role = "\xc3\x28";
			break; /* not UTF-8 */
		}
		jup_err err = { "" };
		assert_int_equal(jup_audit_append(st, &e, NULL, &err), JUP_ERR_INVALID);
		assert_non_null(strstr(err.msg, "audit entry: "));
	}
	int64_t n;
	jup_err err;
	assert_int_equal(jup_store_count(st, JUP_TABLE_AUDIT_ENTRY, &n, &err), JUP_OK);
	assert_int_equal(n, 0);
	verify_ok(st, NULL, 0, 0);
	jup_store_close(st);
}

static void test_append_keeps_state_equal_to_rebuild(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("append.db");
	verify_ok(st, NULL, 0, 0);
	for (int i = 1; i <= 300; i++) {
		jup_audit_entry e = entry(i, i % 2 ? fx.ada : 0);
		if (i == 7)
			e.recorded_at = NULL; /* the clock's time */
		assert_int_equal(append(st, &e), i);
		verify_ok(st, NULL, i, 0); /* compares audit_state with a rebuild */
	}
	/* a rolled-back append leaves nothing behind */
	jup_audit_entry e = entry(301, 0);
	jup_err err;
	int64_t id;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	assert_int_equal(jup_audit_append(st, &e, &id, &err), JUP_OK);
	assert_int_equal(id, 301);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	verify_ok(st, NULL, 300, 0);
	assert_int_equal(append(st, &e), 301);
	jup_store_close(st);
}

/* ------------------------------------------------------------ tampering */

/* A different value for column col of entry 5 of append_n's log. */
static jup_value tampered(int col)
{
	switch (col) {
	case JUP_AUDIT_PERSON_ID:
		return jup_v_null(); /* entry 5 is about Ada */
	case JUP_AUDIT_OUTCOME:
		return jup_v_cstr("permit"); /* entry 5 was denied */
	case JUP_AUDIT_BREAK_GLASS:
		return jup_v_cstr("emergency");
	case JUP_AUDIT_RECORDED_AT:
		return jup_v_cstr("2026-11-23T10:00:01Z");
	case JUP_AUDIT_PREV_HASH:
	case JUP_AUDIT_LEAF_HASH:
		return jup_v_cstr(
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	default:
		return jup_v_cstr("someone else");
	}
}

static void test_every_column_edit_is_found(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("columns.db");
	append_n(st, 10);
	jup_err err;
	for (int col = 0; col < JUP_AUDIT__N; col++) {
		assert_int_equal(jup_store_begin(st, &err), JUP_OK);
		update(st, JUP_TABLE_AUDIT_ENTRY, 5, col, tampered(col));
		verify_bad(st, NULL, 5, 0);
		assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	}
	/* NULL and empty are different */
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	update(st, JUP_TABLE_AUDIT_ENTRY, 5, JUP_AUDIT_BREAK_GLASS, jup_v_cstr(""));
	verify_bad(st, NULL, 5, 0);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	verify_ok(st, NULL, 10, 0);
	jup_store_close(st);
}

static void test_deletes_and_swaps_are_found(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("deletes.db");
	append_n(st, 10);
	jup_err err;
	for (int64_t gone = 1; gone <= 10; gone++) {
		jup_match m = { JUP_COL_ID, jup_v_int(gone) };
		assert_int_equal(jup_store_begin(st, &err), JUP_OK);
		assert_int_equal(jup_store_delete(st, JUP_TABLE_AUDIT_ENTRY, &m, 1, &err), JUP_OK);
		verify_bad(st, NULL, gone, 0);
		assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	}
	/* swap the contents of entries 3 and 7 (ids stay) */
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	for (int k = 0; k < 2; k++) { /* row i gets what append_n wrote to the other */
		int i = k ? 7 : 3;
		jup_audit_entry e = entry(k ? 3 : 7, (k ? 3 : 7) % 2 ? fx.ada : 0);
		const char *text[JUP_AUDIT__N] = {
			[JUP_AUDIT_RECORDED_AT] = e.recorded_at,
			[JUP_AUDIT_ACTOR] = e.actor,
			[JUP_AUDIT_ROLE] = e.role,
			[JUP_AUDIT_ORG_CODE] = e.org_code,
			[JUP_AUDIT_PURPOSE] = e.purpose,
			[JUP_AUDIT_ACTION] = e.action,
			[JUP_AUDIT_WHAT] = e.what,
			[JUP_AUDIT_OUTCOME] = e.outcome,
			[JUP_AUDIT_REASON] = e.reason,
			[JUP_AUDIT_BREAK_GLASS] = e.break_glass,
			[JUP_AUDIT_REQUEST_ID] = e.request_id,
		};
		for (int col = 0; col < JUP_AUDIT_PREV_HASH; col++) {
			jup_value v =
				col == JUP_AUDIT_PERSON_ID
					? (e.person_id ? jup_v_int(e.person_id) : jup_v_null())
					: (text[col] ? jup_v_cstr(text[col]) : jup_v_null());
			update(st, JUP_TABLE_AUDIT_ENTRY, i, col, v);
		}
	}
	verify_bad(st, NULL, 3, 0);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	verify_ok(st, NULL, 10, 0);
	jup_store_close(st);
}

/* ------------------------------------------------------------ checkpoints */

static void test_checkpoints(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("checkpoints.db");
	jup_err err = { "" };
	jup_buf note;
	jup_buf_init(&note, 0);
	assert_int_equal(jup_audit_checkpoint(st, NULL, &fx.signer, &note, &err), JUP_ERR_INVALID);
	append_n(st, 5);
	assert_int_equal(jup_audit_checkpoint(st, "PeterNeumann", &fx.signer, &note, &err), JUP_OK);
	jup_checkpoint cp;
	assert_int_equal(jup_checkpoint_open(jup_buf_sv(&note), &fx.pub, &cp, &err), JUP_OK);
	assert_int_equal(cp.size, 5);
	jup_audit_report rep;
	assert_int_equal(jup_audit_verify(st, &fx.pub, &rep, &err), JUP_OK);
	assert_true(jup_merkle_hash_eq(&rep.root, &cp.root)); /* stored root = tree root */
	assert_int_equal(jup_audit_checkpoint(st, "PeterNeumann", &fx.signer, NULL, &err),
			 JUP_ERR_EXISTS);
	for (int i = 6; i <= 12; i++) {
		jup_audit_entry e = entry(i, 0);
		assert_int_equal(append(st, &e), i);
	}
	checkpoint(st);
	verify_ok(st, &fx.pub, 12, 2);
	verify_ok(st, NULL, 12, 2);
	/* a signature from another key: refused with the key, fine without */
	assert_int_equal(jup_audit_verify(st, &fx.other, &rep, &err), JUP_ERR_INVALID);
	assert_int_equal(rep.bad_checkpoint, 1);

	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	char *bent = strdup(note.data); /* the size line of checkpoint 1 changed */
	bent[strlen("PeterNeumann\n")] = '6';
	update(st, JUP_TABLE_AUDIT_CHECKPOINT, 1, JUP_ACP_NOTE, jup_v_cstr(bent));
	verify_bad(st, NULL, 0, 1);
	verify_bad(st, &fx.pub, 0, 1);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);

	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	memcpy(bent, note.data, note.len + 1); /* one signature character changed */
	bent[note.len - 3] = bent[note.len - 3] == 'A' ? 'B' : 'A';
	update(st, JUP_TABLE_AUDIT_CHECKPOINT, 1, JUP_ACP_NOTE, jup_v_cstr(bent));
	verify_bad(st, &fx.pub, 0, 1);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	free(bent);

	/* a checkpoint whose root (row and note alike) is not the tree's */
	jup_checkpoint wrong = { .size = 4 };
	snprintf(wrong.origin, sizeof wrong.origin, "%s", "PeterNeumann");
	memset(wrong.root.b, 7, sizeof wrong.root.b);
	jup_buf wn;
	jup_buf_init(&wn, 0);
	assert_int_equal(jup_checkpoint_sign(&wrong, &fx.signer, &wn, &err), JUP_OK);
	char hex[65];
	jup_audit_hash_hex(&wrong.root, hex);
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	update(st, JUP_TABLE_AUDIT_CHECKPOINT, 1, JUP_ACP_NOTE, jup_v_text(jup_buf_sv(&wn)));
	update(st, JUP_TABLE_AUDIT_CHECKPOINT, 1, JUP_ACP_ROOT, jup_v_cstr(hex));
	update(st, JUP_TABLE_AUDIT_CHECKPOINT, 1, JUP_ACP_TREE_SIZE, jup_v_int(4));
	verify_bad(st, &fx.pub, 0, 1);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	/* one covering more entries than the log holds */
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	jup_match all = { JUP_COL_ID, jup_v_int(12) };
	assert_int_equal(jup_store_delete(st, JUP_TABLE_AUDIT_ENTRY, &all, 1, &err), JUP_OK);
	verify_bad(st, NULL, 12, 0);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	jup_buf_free(&wn);
	jup_buf_free(&note);
	jup_store_close(st);
}

/* ------------------------------------------------------------ proofs */

static void prove(jup_store *st, int64_t id, jup_buf *out)
{
	jup_err err = { "" };
	jup_buf_reset(out);
	if (jup_audit_prove(st, id, out, &err))
		fail_msg("prove %lld: %s", (long long)id, err.msg);
}

static jup_status check_proof(jup_sv text, const jup_checkpoint_pubkey *key,
			      jup_audit_proof_result *res)
{
	jup_err err = { "" };
	jup_status r = jup_audit_verify_proof(text, key, res, &err);
	if (r)
		assert_true(err.msg[0] != '\0');
	return r;
}

/* Every single-character change in every line (newlines kept) fails. */
static void every_line_matters(const jup_buf *proof)
{
	char *copy = malloc(proof->len + 1);
	assert_non_null(copy);
	jup_audit_proof_result res;
	size_t lines = 0;
	for (size_t at = 0; at < proof->len; at++) {
		if (proof->data[at] == '\n')
			continue;
		if (at == 0 || proof->data[at - 1] == '\n')
			lines++;
		else if (at % 5) /* every line, and many places within each */
			continue;
		memcpy(copy, proof->data, proof->len + 1);
		copy[at] = copy[at] == 'a' ? 'b' : copy[at] == '0' ? '1' : 'a';
		if (check_proof((jup_sv){ copy, proof->len }, &fx.pub, &res) == JUP_OK)
			fail_msg("proof still verifies with byte %zu changed:\n%s", at, copy);
	}
	assert_true(lines >= 20);
	/* and a line removed, or bytes added at the end */
	memcpy(copy, proof->data, proof->len + 1);
	char *nl = strchr(copy, '\n');
	memmove(copy, nl + 1, strlen(nl + 1) + 1);
	assert_int_not_equal(check_proof(jup_sv_from(copy), &fx.pub, &res), JUP_OK);
	free(copy);
}

static void test_inclusion_proofs(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("inclusion.db");
	jup_buf proof;
	jup_err err = { "" };
	jup_buf_init(&proof, JUP_AUDIT_MAX_PROOF);
	append_n(st, 40);
	assert_int_equal(jup_audit_prove(st, 1, &proof, &err), JUP_ERR_NOT_FOUND);
	checkpoint(st);
	jup_audit_proof_result res;
	for (int64_t id = 1; id <= 40; id++) {
		prove(st, id, &proof);
		assert_int_equal(check_proof(jup_buf_sv(&proof), &fx.pub, &res), JUP_OK);
		assert_int_equal(res.kind, JUP_AUDIT_PROOF_INCLUSION);
		assert_int_equal(res.entry_id, id);
		assert_int_equal(res.size, 40);
		assert_string_equal(res.origin, "PeterNeumann");
		assert_int_equal(check_proof(jup_buf_sv(&proof), &fx.other, &res), JUP_ERR_INVALID);
		if (id == 1 || id == 4 || id == 33 || id == 40)
			every_line_matters(&proof);
	}
	assert_int_equal(jup_audit_prove(st, 41, &proof, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_audit_prove(st, 0, &proof, &err), JUP_ERR_NOT_FOUND);
	/* a new entry needs a new checkpoint before it can be proved */
	jup_audit_entry e = entry(41, 0);
	append(st, &e);
	assert_int_equal(jup_audit_prove(st, 41, &proof, &err), JUP_ERR_NOT_FOUND);
	jup_buf_free(&proof);
	jup_store_close(st);
}

static void test_consistency_proofs(void **state)
{
	(void)state;
	static const int sizes[] = { 1, 2, 3, 7, 8, 16, 17, 30 };
	const size_t nsizes = sizeof sizes / sizeof sizes[0];
	jup_store *st = open_fx_copy("consistency.db");
	jup_buf proof;
	jup_err err = { "" };
	jup_buf_init(&proof, JUP_AUDIT_MAX_PROOF);
	int have = 0;
	for (size_t k = 0; k < nsizes; k++) {
		for (; have < sizes[k]; have++) {
			jup_audit_entry e = entry(have + 1, 0);
			append(st, &e);
		}
		checkpoint(st);
		for (size_t j = 0; j <= k; j++) { /* every pair (old, latest) */
			jup_buf_reset(&proof);
			if (jup_audit_prove_consistency(st, (uint64_t)sizes[j], &proof, &err))
				fail_msg("consistency %d..%d: %s", sizes[j], sizes[k], err.msg);
			jup_audit_proof_result res;
			assert_int_equal(check_proof(jup_buf_sv(&proof), &fx.pub, &res), JUP_OK);
			assert_int_equal(res.kind, JUP_AUDIT_PROOF_CONSISTENCY);
			assert_int_equal(res.old_size, sizes[j]);
			assert_int_equal(res.size, sizes[k]);
			if (k == nsizes - 1 && j == 3)
				every_line_matters(&proof);
		}
	}
	assert_int_equal(jup_audit_prove_consistency(st, 5, &proof, &err), JUP_ERR_NOT_FOUND);
	verify_ok(st, &fx.pub, 30, (int64_t)nsizes);
	jup_buf_free(&proof);
	jup_store_close(st);
}

static void test_proof_parser_limits(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"joinedup-audit-proof-v1\n",
		"joinedup-audit-proof-v2\ninclusion\n",
		"joinedup-audit-proof-v1\nexclusion\n",
		"joinedup-audit-proof-v1\nconsistency\nold_size 01\n",
		"joinedup-audit-proof-v1\nconsistency\nold_size 1\ntree_size 2\nhashes 65\n",
		"joinedup-audit-proof-v1\nconsistency\nold_size 1\ntree_size 2\nhashes 0\n"
		"old_checkpoint 99999999\n",
		"joinedup-audit-proof-v1\nconsistency\nold_size 1\ntree_size 2\nhashes 0\n"
		"old_checkpoint 5\nabc",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jup_audit_proof p;
		jup_err err = { "" };
		jup_status r = jup_audit_proof_parse(jup_sv_from(bad[i]), &p, &err);
		assert_true(r == JUP_ERR_INVALID || r == JUP_ERR_LIMIT);
		assert_true(err.msg[0] != '\0');
	}
}

/* ------------------------------------------------------------ history */

typedef struct seen {
	int64_t ids[16];
	size_t n;
} seen;

static jup_status collect(void *ctx, const jup_audit_record *r, jup_err *err)
{
	(void)err;
	seen *s = ctx;
	assert_true(s->n < 16);
	s->ids[s->n++] = r->id;
	assert_non_null(r->f.f[JUP_AUDIT_F_ACTOR].ptr);
	return JUP_OK;
}

static void test_history_by_nhs_number(void **state)
{
	(void)state;
	jup_store *st = open_fx_copy("history.db");
	int64_t persons[] = { fx.ada, 0, fx.bram, fx.ada, fx.bram, 0 };
	for (int i = 0; i < 6; i++) {
		jup_audit_entry e = entry(i + 1, persons[i]);
		append(st, &e);
	}
	seen s = { 0 };
	size_t n = 0;
	jup_err err = { "" };
	assert_int_equal(jup_audit_history(st, "999 000 0018", collect, &s, &n, &err), JUP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(s.ids[0], 1);
	assert_int_equal(s.ids[1], 4);
	/* Bram folded into Ada by a review decision: his entries are hers too */
	update(st, JUP_TABLE_PERSON, fx.bram, JUP_PERSON_MERGED_INTO, jup_v_int(fx.ada));
	memset(&s, 0, sizeof s);
	assert_int_equal(jup_audit_history(st, ADA_NHS, collect, &s, &n, &err), JUP_OK);
	assert_int_equal(n, 4);
	int64_t want[] = { 1, 3, 4, 5 };
	assert_memory_equal(s.ids, want, sizeof want);
	assert_int_equal(jup_audit_history(st, "9990000019", collect, &s, &n, &err),
			 JUP_ERR_INVALID);
	assert_null(strstr(err.msg, "9990000019"));
	assert_int_equal(jup_audit_history(st, "9990000298", collect, &s, &n, &err),
			 JUP_ERR_NOT_FOUND);
	assert_null(strstr(err.msg, "9990000298"));
	jup_store_close(st);
}

/* ------------------------------------------------------------ setup */

static int64_t person_of(jup_store *st, const char *nhs)
{
	int64_t *ids;
	size_t n;
	jup_err err = { "" };
	if (jup_person_ids(st, nhs, &ids, &n, &err))
		fail_msg("persons: %s", err.msg);
	assert_int_equal(n, 1);
	int64_t id = ids[0];
	free(ids);
	return id;
}

static int setup(void **state)
{
	(void)state;
	const char *data = getenv("JUP_TEST_DATA");
	assert_non_null(data);
	char city[512];
	snprintf(city, sizeof city, "%s/city", data);
	snprintf(fx.base, sizeof fx.base, "%s/base.db", jup_test_tmpdir());
	jup_store *st = jup_test_open_store(fx.base);
	const char *paths[] = { city };
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23) };
	jup_import_summary sum;
	jup_err err = { "" };
	if (jup_ingest_import(st, paths, 1, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	jup_link_db_opts o;
	jup_link_db_report rep;
	jup_link_db_defaults(&o);
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	fx.ada = person_of(st, ADA_NHS);
	fx.bram = person_of(st, BRAM_NHS);
	assert_int_not_equal(fx.ada, fx.bram);
	jup_store_close(st);
	assert_int_equal(jup_checkpoint_signer_parse(JUP_SV_LIT(PETER_SKEY), &fx.signer, &err),
			 JUP_OK);
	assert_int_equal(jup_checkpoint_pubkey_parse(JUP_SV_LIT(PETER_VKEY), &fx.pub, &err),
			 JUP_OK);
	assert_int_equal(jup_checkpoint_pubkey_parse(JUP_SV_LIT(ENOCH_VKEY), &fx.other, &err),
			 JUP_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_checkpoint_signer_free(&fx.signer);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_bytes),
		cmocka_unit_test(test_bad_entries_write_nothing),
		cmocka_unit_test(test_append_keeps_state_equal_to_rebuild),
		cmocka_unit_test(test_every_column_edit_is_found),
		cmocka_unit_test(test_deletes_and_swaps_are_found),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_inclusion_proofs),
		cmocka_unit_test(test_consistency_proofs),
		cmocka_unit_test(test_proof_parser_limits),
		cmocka_unit_test(test_history_by_nhs_number),
	};
	return cmocka_run_group_tests_name("audit_log", tests, setup, teardown);
}
