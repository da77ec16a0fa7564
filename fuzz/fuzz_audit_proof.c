/*
 * fuzz_audit_proof.c - libFuzzer target for the audit proof parser and
 * offline proof verification.
 *
 * Checks the parser's promises: only JUP_OK, JUP_ERR_INVALID or
 * JUP_ERR_LIMIT, with a reason on failure; on success every view (fields,
 * notes) lies inside the input, the fields obey the entry rules, the path
 * holds at most JUP_MERKLE_MAX_PROOF hashes and an inclusion proof's leaf
 * index is its entry id less one. Verification with a fixed key (the public
 * test key of golang.org/x/mod/sumdb/note, which signed the corpus proofs)
 * never crashes and agrees with the parser.
 */
#include "fuzz_check.h"
#include "audit/jup_audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TEST_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

/* Read-only after LLVMFuzzerInitialize. */
static jup_checkpoint_pubkey key;

static void good_proof(const jup_audit_proof *p, const uint8_t *data, size_t size)
{
	volatile unsigned sink = 0;
	jup_err err = { "" };
	check(p->path.len <= JUP_MERKLE_MAX_PROOF);
	check(inside(p->note, data, size) && p->note.len > 0);
	sink += touch(p->note);
	if (p->kind == JUP_AUDIT_PROOF_CONSISTENCY) {
		check(inside(p->old_note, data, size) && p->old_note.len > 0);
		sink += touch(p->old_note);
	} else {
		check(p->kind == JUP_AUDIT_PROOF_INCLUSION);
		check(p->entry_id >= 1 && p->leaf_index == (uint64_t)p->entry_id - 1);
		check(jup_audit_fields_check(&p->fields, &err) == JUP_OK);
		for (int i = 0; i < JUP_AUDIT_F__N; i++)
			if (p->fields.f[i].ptr) {
				check(inside(p->fields.f[i], data, size));
				sink += touch(p->fields.f[i]);
			}
	}
	(void)sink;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	check(jup_checkpoint_pubkey_parse(JUP_SV_LIT(TEST_VKEY), &key, NULL) == JUP_OK);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_sv text = { (const char *)data, size };
	jup_audit_proof p;
	jup_err err = { "" };
	jup_status st = jup_audit_proof_parse(text, &p, &err);
	check(st == JUP_OK || st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT);
	if (st == JUP_OK)
		good_proof(&p, data, size);
	else
		check(err.msg[0] != '\0');
	jup_audit_proof_result res;
	jup_err err2 = { "" };
	jup_status vs = jup_audit_verify_proof(text, &key, &res, &err2);
	check(vs == JUP_OK || vs == JUP_ERR_INVALID || vs == JUP_ERR_LIMIT);
	check(st == JUP_OK || vs == st); /* what does not parse does not verify */
	if (vs == JUP_OK)
		check(res.kind == p.kind && res.size == p.size);
	else
		check(err2.msg[0] != '\0');
	return 0;
}
