/*
 * fuzz_audit_checkpoint.c - libFuzzer target for the signed-note and
 * checkpoint parsers.
 *
 * The input is taken as a whole signed note, and also as a bare checkpoint
 * text. Checks the parsers' promises: only JUP_OK, JUP_ERR_INVALID or
 * JUP_ERR_LIMIT, with a reason on failure; views lie inside the input; the
 * text ends with a newline and the signatures follow it; verification with
 * a fixed key (the public test key of golang.org/x/mod/sumdb/note, so a
 * corpus note can carry a good signature) never crashes. Parsing is
 * canonical: a checkpoint text that parses is written back byte for byte,
 * and re-signing it gives a note that opens to the same checkpoint.
 */
#include "fuzz_check.h"
#include "audit/jup_checkpoint.h"
#include "core/jup_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TEST_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"

/* Read-only after LLVMFuzzerInitialize. */
static jup_checkpoint_signer signer;

static void check_failure(jup_status st, const jup_err *err)
{
	check(st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT);
	check(err->msg[0] != '\0');
}

/* A checkpoint that parsed: formatting it gives the same text; signed, it
 * opens to itself. */
static void round_trip(jup_sv text, const jup_checkpoint *cp)
{
	jup_buf b, note;
	jup_err err = { "" };
	jup_checkpoint back;
	jup_buf_init(&b, 0);
	jup_buf_init(&note, 0);
	check(jup_checkpoint_format(cp, &b, &err) == JUP_OK);
	check(jup_sv_eq(jup_buf_sv(&b), text));
	jup_status st = jup_checkpoint_sign(cp, &signer, &note, &err);
	if (st == JUP_OK) {
		check(jup_checkpoint_open(jup_buf_sv(&note), &signer.pub, &back, &err) == JUP_OK);
		check(strcmp(back.origin, cp->origin) == 0 && back.size == cp->size);
		check(memcmp(back.root.b, cp->root.b, sizeof back.root.b) == 0);
	} else {
		check(st == JUP_ERR_LIMIT); /* only a text near the note limit */
	}
	jup_buf_free(&b);
	jup_buf_free(&note);
}

static void as_checkpoint_text(jup_sv text)
{
	jup_checkpoint cp;
	jup_err err = { "" };
	jup_status st = jup_checkpoint_parse_text(text, &cp, &err);
	if (st == JUP_OK) {
		check(cp.origin[0] != '\0' && cp.size <= JUP_MERKLE_MAX_SIZE);
		round_trip(text, &cp);
	} else {
		check_failure(st, &err);
	}
}

static void good_note(const jup_checkpoint_note *n, const uint8_t *data, size_t size)
{
	volatile unsigned sink = 0;
	check(n->text.ptr == (const char *)data && n->text.len + 2 <= size);
	check(n->text.len > 0 && n->text.ptr[n->text.len - 1] == '\n');
	check(n->text.ptr[n->text.len] == '\n'); /* the blank line */
	check(n->nsigs >= 1 && n->nsigs <= JUP_CHECKPOINT_MAX_SIGS);
	for (size_t i = 0; i < n->nsigs; i++) {
		const jup_checkpoint_sig *s = &n->sigs[i];
		check(inside(s->name, data, size) && inside(s->b64, data, size));
		check(s->name.len > 0 && s->nbytes >= 5 && s->b64.len == (s->nbytes + 2) / 3 * 4);
		check(s->name.ptr > n->text.ptr + n->text.len);
		sink += touch(s->name) + touch(s->b64);
	}
	(void)sink;
	jup_err err = { "" };
	jup_status st = jup_checkpoint_note_verify(n, &signer.pub, &err);
	check(st == JUP_OK || (st == JUP_ERR_INVALID && err.msg[0] != '\0'));
	as_checkpoint_text(n->text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	check(jup_checkpoint_signer_parse(JUP_SV_LIT(TEST_SKEY), &signer, NULL) == JUP_OK);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_sv msg = { (const char *)data, size };
	jup_checkpoint_note n;
	jup_err err = { "" };
	jup_status st = jup_checkpoint_note_parse(msg, &n, &err);
	if (st == JUP_OK)
		good_note(&n, data, size);
	else
		check_failure(st, &err);
	as_checkpoint_text(msg);
	/* the one-call form agrees with the steps */
	jup_checkpoint cp;
	st = jup_checkpoint_open(msg, &signer.pub, &cp, &err);
	check(st == JUP_OK || st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT);
	return 0;
}
