/*
 * test_audit_log.c - the audit log over a store: appends keep the state
 * equal to a rebuild; verify finds any one entry edited (every column),
 * deleted or swapped, and bad checkpoints; checkpoints are refused when
 * empty or repeated; inclusion proofs of every entry and consistency proofs
 * between every pair of checkpointed sizes verify offline and fail when any
 * line is altered; the history by NHS number covers merged persons. Logs
 * over several blocks: the person runs are written for exactly the full
 * blocks (by append and by migration 6), history finds a person's entries
 * in the runs and the tail, and verify names the block of a run row removed,
 * added or changed.
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

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define ADA_NHS    "9990000018" /* GP and hospital records: one person */
#define BRAM_NHS   "9990000085"

#define NSPREAD 6 /* persons the entries of a log over several blocks are about */

static struct {
	char base[512];
	int64_t ada, bram;       /* their person ids */
	int64_t spread[NSPREAD]; /* Ada, Bram and four more persons */
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
	assert_int_equal(rep.bad_block, -1);
	assert_int_equal(rep.runs, entries / JUP_AUDIT_BLOCK);
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
	assert_int_equal(rep.bad_block, -1);
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

/* ------------------------------------------------------------ blocks */

/* The person of entry i of a log over several blocks: nobody for one in
 * five, else the persons of fx.spread in turn, three entries each. */
static int64_t spread_person(int i)
{
	return i % 5 == 0 ? 0 : fx.spread[(i / 3) % NSPREAD];
}

/* Append entries from..to (spread_person's) in one transaction, as group
 * commit does. */
static void append_spread(jup_store *st, int from, int to)
{
	jup_err err = { "" };
	jup_audit_batch b;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	assert_int_equal(jup_audit_batch_begin(st, &b, &err), JUP_OK);
	for (int i = from; i <= to; i++) {
		jup_audit_entry e = entry(i, spread_person(i));
		int64_t id = 0;
		if (jup_audit_batch_append(st, &b, &e, &id, &err))
			fail_msg("append %d: %s", i, err.msg);
		assert_int_equal(id, i);
	}
	assert_int_equal(jup_audit_batch_end(st, &b, &err), JUP_OK);
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
}

static jup_status run_row_ok(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	int64_t *n = ctx;
	assert_int_equal(v[JUP_APR_BLOCK].type, JUP_V_INT);
	assert_int_equal(v[JUP_APR_PERSON_ID].type, JUP_V_INT);
	assert_int_equal(v[JUP_APR_ENTRY_ID].type, JUP_V_INT);
	int64_t entry_id = v[JUP_APR_ENTRY_ID].i;
	assert_int_equal(v[JUP_APR_BLOCK].i, (entry_id - 1) / JUP_AUDIT_BLOCK);
	assert_int_equal(v[JUP_APR_PERSON_ID].i, spread_person((int)entry_id));
	(*n)++;
	return JUP_OK;
}

/* audit_person_run holds exactly the pairs of the first `full` blocks
 * (rows are unique by their key, so checking each and counting them is
 * enough). */
static void runs_are_spread(jup_store *st, int full)
{
	int64_t rows = 0, want = 0;
	jup_err err = { "" };
	assert_int_equal(
		jup_store_scan(st, JUP_TABLE_AUDIT_PERSON_RUN, NULL, 0, run_row_ok, &rows, &err),
		JUP_OK);
	for (int i = 1; i <= full * JUP_AUDIT_BLOCK; i++)
		want += spread_person(i) != 0;
	assert_int_equal(rows, want);
}

typedef struct many {
	int64_t ids[4 * JUP_AUDIT_BLOCK];
	size_t n;
} many;

static jup_status collect_many(void *ctx, const jup_audit_record *r, jup_err *err)
{
	(void)err;
	many *m = ctx;
	assert_true(m->n < sizeof m->ids / sizeof m->ids[0]);
	m->ids[m->n++] = r->id;
	return JUP_OK;
}

/* The history of nhs (held by person) is exactly entries 1..last about
 * that person, oldest first; *m gets them. */
static void history_is_spread(jup_store *st, const char *nhs, int64_t person, int last, many *m)
{
	size_t n = 0, k = 0;
	jup_err err = { "" };
	m->n = 0;
	if (jup_audit_history(st, nhs, collect_many, m, &n, &err))
		fail_msg("history: %s", err.msg);
	assert_int_equal(n, m->n);
	for (int i = 1; i <= last; i++) {
		if (spread_person(i) != person)
			continue;
		assert_true(k < m->n);
		assert_int_equal(m->ids[k++], i);
	}
	assert_int_equal(k, m->n);
}

/* m holds an entry in (lo, hi]. */
static bool has_between(const many *m, int64_t lo, int64_t hi)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->ids[i] > lo && m->ids[i] <= hi)
			return true;
	return false;
}

static void test_runs_and_history_over_blocks(void **state)
{
	(void)state;
	static many m;
	const int b = JUP_AUDIT_BLOCK;
	jup_store *st = open_fx_copy("blocks.db");
	append_spread(st, 1, b - 1);
	runs_are_spread(st, 0); /* one short of a block: no run yet */
	append_spread(st, b, 2 * b + 100);
	runs_are_spread(st, 2);
	verify_ok(st, NULL, 2 * b + 100, 0);
	history_is_spread(st, ADA_NHS, fx.ada, 2 * b + 100, &m);
	assert_true(has_between(&m, 0, b) && has_between(&m, b, 2 * b) &&
		    has_between(&m, 2 * b, 2 * b + 100)); /* both runs and the tail */
	history_is_spread(st, BRAM_NHS, fx.bram, 2 * b + 100, &m);
	/* a log ending on a block boundary: three runs, an empty tail */
	append_spread(st, 2 * b + 101, 3 * b);
	runs_are_spread(st, 3);
	verify_ok(st, NULL, 3 * b, 0);
	history_is_spread(st, ADA_NHS, fx.ada, 3 * b, &m);
	assert_true(has_between(&m, 2 * b, 3 * b));
	/* one more entry starts a new tail */
	append_spread(st, 3 * b + 1, 3 * b + 1);
	runs_are_spread(st, 3);
	verify_ok(st, NULL, 3 * b + 1, 0);
	history_is_spread(st, ADA_NHS, fx.ada, 3 * b + 1, &m);
	jup_store_close(st);
}

/* The run row (block, person, entry) as values, and as conditions. */
static void run_vals(int64_t block, int64_t person, int64_t entry, jup_value out[JUP_APR__N])
{
	out[JUP_APR_BLOCK] = jup_v_int(block);
	out[JUP_APR_PERSON_ID] = jup_v_int(person);
	out[JUP_APR_ENTRY_ID] = jup_v_int(entry);
}

static void run_where(int64_t person, int64_t entry, jup_match where[JUP_APR__N])
{
	jup_value v[JUP_APR__N];
	run_vals(0, person, entry, v);
	for (int c = 0; c < JUP_APR__N; c++)
		where[c] = (jup_match){ c, v[c] };
}

/* verify fails naming block bad (and no entry or checkpoint); the message
 * carries want. */
static void verify_bad_block(jup_store *st, int64_t bad, const char *want)
{
	jup_audit_report rep;
	jup_err err = { "" };
	assert_int_equal(jup_audit_verify(st, NULL, &rep, &err), JUP_ERR_INVALID);
	assert_int_equal(rep.bad_block, bad);
	assert_int_equal(rep.bad_entry, 0);
	assert_int_equal(rep.bad_checkpoint, 0);
	if (!strstr(err.msg, want))
		fail_msg("\"%s\" not in \"%s\"", want, err.msg);
}

static void run_insert(jup_store *st, int64_t block, int64_t person, int64_t entry)
{
	jup_value v[JUP_APR__N];
	jup_err err = { "" };
	run_vals(block, person, entry, v);
	if (jup_store_insert(st, JUP_TABLE_AUDIT_PERSON_RUN, v, NULL, NULL, &err))
		fail_msg("insert run row: %s", err.msg);
}

/* Change column col of run row (0, person, entry) to to. */
static void run_update(jup_store *st, int64_t person, int64_t entry, int col, jup_value to)
{
	jup_match where[JUP_APR__N], set = { col, to };
	run_where(person, entry, where);
	int64_t changed = 0;
	jup_err err = { "" };
	if (jup_store_update(st, JUP_TABLE_AUDIT_PERSON_RUN, where, 3, &set, 1, &changed, &err))
		fail_msg("update run row: %s", err.msg);
	assert_int_equal(changed, 1);
}

static void test_run_tampering_is_found(void **state)
{
	(void)state;
	const int b = JUP_AUDIT_BLOCK;
	jup_store *st = open_fx_copy("run_tamper.db");
	append_spread(st, 1, b + 10);
	verify_ok(st, NULL, b + 10, 0);
	/* entries 1 and 2 are Ada's, 3 Bram's, 5 nobody's */
	assert_int_equal(spread_person(1), fx.ada);
	assert_int_equal(spread_person(2), fx.ada);
	assert_int_equal(spread_person(3), fx.bram);
	assert_int_equal(spread_person(5), 0);
	jup_err err = { "" };
	jup_match ada_1[JUP_APR__N];
	run_where(fx.ada, 1, ada_1);
	for (int k = 0; k < 8; k++) {
		assert_int_equal(jup_store_begin(st, &err), JUP_OK);
		switch (k) {
		case 0: /* an access hidden from Ada */
			assert_int_equal(jup_store_delete(st, JUP_TABLE_AUDIT_PERSON_RUN, ada_1,
							  JUP_APR__N, &err),
					 JUP_OK);
			verify_bad_block(st, 0, "block 0 (entries 1 to 4096) lacks entry 1");
			break;
		case 1: /* an entry about nobody shown to Ada */
			run_insert(st, 0, fx.ada, 5);
			verify_bad_block(st, 0, "has a row for entry 5");
			break;
		case 2: /* Bram's entry shown to Ada */
			run_insert(st, 0, fx.ada, 3);
			verify_bad_block(st, 0, "block 0");
			break;
		case 3:
			run_update(st, fx.ada, 1, JUP_APR_ENTRY_ID, jup_v_int(5));
			verify_bad_block(st, 0, "block 0");
			break;
		case 4:
			run_update(st, fx.ada, 1, JUP_APR_PERSON_ID, jup_v_int(fx.bram));
			verify_bad_block(st, 0, "block 0");
			break;
		case 5: /* block 1 is not full */
			run_insert(st, 1, fx.ada, b + 1);
			verify_bad_block(st, 1, "block 1: the block is not full");
			break;
		case 6: /* past the end of the log */
			run_insert(st, 7, fx.ada, 1);
			verify_bad_block(st, 7, "block 7");
			break;
		case 7:
			run_insert(st, -1, fx.ada, 1);
			verify_bad_block(st, 1, "malformed block number");
			break;
		}
		assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	}
	verify_ok(st, NULL, b + 10, 0);
	/* history refuses to show an entry about somebody else */
	static many m;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	run_insert(st, 0, fx.ada, 3);
	assert_int_equal(jup_audit_history(st, ADA_NHS, collect_many, &m, NULL, &err),
			 JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "entry 3 is not about the person"));
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	history_is_spread(st, ADA_NHS, fx.ada, b + 10, &m);
	jup_store_close(st);
}

static void sql(const char *path, const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, text, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", text, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int64_t sql_int(const char *path, const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, text, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* A schema-5 log (the index on every entry, no runs) gains the runs of its
 * full blocks when opened, and loses the index. */
static void test_migration_6_builds_runs(void **state)
{
	(void)state;
	static many m;
	const int b = JUP_AUDIT_BLOCK;
	char path[600];
	snprintf(path, sizeof path, "%s/migrate.db", jup_test_tmpdir());
	jup_store *st = open_fx_copy("migrate.db");
	append_spread(st, 1, 2 * b + 7);
	jup_store_close(st);
	const char *index = "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_entry_person'";
	const char *runs = "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_person_run'";
	assert_int_equal(sql_int(path, index), 0);
	assert_int_equal(sql_int(path, runs), 1);
	sql(path, "DROP TABLE auth_token; ALTER TABLE app_user DROP COLUMN kind;" /* 7 */
		  "DROP TABLE audit_person_run;"
		  "CREATE INDEX audit_entry_person ON audit_entry(person_id)"
		  " WHERE person_id IS NOT NULL;"
		  "PRAGMA user_version = 5;");
	st = jup_test_open_store(path);
	assert_int_equal(jup_store_schema_version(st), jup_store_latest_schema_version());
	runs_are_spread(st, 2);
	verify_ok(st, NULL, 2 * b + 7, 0);
	history_is_spread(st, ADA_NHS, fx.ada, 2 * b + 7, &m);
	append_spread(st, 2 * b + 8, 3 * b); /* appends carry on from the migrated runs */
	runs_are_spread(st, 3);
	verify_ok(st, NULL, 3 * b, 0);
	jup_store_close(st);
	assert_int_equal(sql_int(path, index), 0);
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

static jup_status other_person(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)vals;
	(void)err;
	size_t *n = ctx;
	if (*n < NSPREAD && id != fx.ada && id != fx.bram)
		fx.spread[(*n)++] = id;
	return JUP_OK;
}

/* Ada, Bram and the first four other persons. */
static void spread_persons(jup_store *st)
{
	size_t n = 2;
	jup_err err = { "" };
	fx.spread[0] = fx.ada;
	fx.spread[1] = fx.bram;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON, NULL, 0, other_person, &n, &err),
			 JUP_OK);
	assert_int_equal(n, NSPREAD);
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
	spread_persons(st);
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
		cmocka_unit_test(test_runs_and_history_over_blocks),
		cmocka_unit_test(test_run_tampering_is_found),
		cmocka_unit_test(test_migration_6_builds_runs),
	};
	return cmocka_run_group_tests_name("audit_log", tests, setup, teardown);
}
