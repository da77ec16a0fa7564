/*
 * test_audit_checkpoint.c - audit: Ed25519 keys, C2SP signed notes and
 * tlog checkpoints.
 *
 * Known answers come from the reference implementation of signed notes,
 * golang.org/x/mod/sumdb/note (github.com/golang/mod, sumdb/note/note.go
 * and note_test.go): the PeterNeumann signer and verifier keys, the note it
 * signs (Ed25519 is deterministic, so signing must give the same bytes) and
 * the EnochRoot co-signature. Formats: https://c2sp.org/signed-note and
 * https://c2sp.org/tlog-checkpoint.
 */
#include "jup_test.h"

#include "audit/jup_checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define GO_TEXT                                                                                    \
	"If you think cryptography is the answer to your problem,\n"                               \
	"then you don't know what your problem is.\n"
#define PETER_B64                                                                                  \
	"x08go/ZJkuBS9UG/"                                                                         \
	"SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
#define ENOCH_B64                                                                                  \
	"rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"                                             \
	"5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="
#define EM_DASH   "\xE2\x80\x94"
#define PETER_SIG EM_DASH " PeterNeumann " PETER_B64 "\n"
#define ENOCH_SIG EM_DASH " EnochRoot " ENOCH_B64 "\n"

/* The root of the RFC 6962 reference tree of 8 leaves. */
static const uint8_t ref_root[32] = {
	0x5d, 0xc9, 0xda, 0x79, 0xa7, 0x06, 0x59, 0xa9, 0xad, 0x55, 0x9c,
	0xb7, 0x01, 0xde, 0xd9, 0xa2, 0xab, 0x9d, 0x82, 0x3a, 0xad, 0x2f,
	0x49, 0x60, 0xcf, 0xe3, 0x70, 0xef, 0xf4, 0x60, 0x43, 0x28,
};

static jup_checkpoint_pubkey pubkey(const char *vkey)
{
	jup_checkpoint_pubkey k;
	jup_err err = { "" };
	jup_status st = jup_checkpoint_pubkey_parse(jup_sv_from(vkey), &k, &err);
	if (st)
		fail_msg("%s: %s", vkey, err.msg);
	return k;
}

static jup_checkpoint_signer signer(const char *skey)
{
	jup_checkpoint_signer s;
	jup_err err = { "" };
	if (jup_checkpoint_signer_parse(jup_sv_from(skey), &s, &err))
		fail_msg("%s", err.msg);
	return s;
}

static jup_checkpoint checkpoint(const char *origin, uint64_t size)
{
	jup_checkpoint cp;
	memset(&cp, 0, sizeof cp);
	snprintf(cp.origin, sizeof cp.origin, "%s", origin);
	cp.size = size;
	memcpy(cp.root.b, ref_root, 32);
	return cp;
}

/* Sign cp with s into a NUL-terminated note (owned by the caller). */
static char *signed_checkpoint(const jup_checkpoint *cp, const jup_checkpoint_signer *s)
{
	jup_buf b;
	jup_err err = { "" };
	jup_buf_init(&b, 0);
	if (jup_checkpoint_sign(cp, s, &b, &err))
		fail_msg("%s", err.msg);
	return b.data;
}

/* Sign arbitrary text with s (to test the checkpoint parser on notes whose
 * signature is fine). */
static char *signed_text(const char *text, const jup_checkpoint_signer *s)
{
	jup_buf b;
	jup_err err = { "" };
	jup_buf_init(&b, 0);
	if (jup_checkpoint_note_sign(jup_sv_from(text), s, &b, &err))
		fail_msg("%s", err.msg);
	return b.data;
}

static jup_status open_note(const char *msg, const jup_checkpoint_pubkey *k, jup_checkpoint *cp)
{
	jup_err err = { "" };
	jup_status st = jup_checkpoint_open(jup_sv_from(msg), k, cp, &err);
	if (st)
		assert_true(err.msg[0] != '\0');
	return st;
}

/* ---- known answers ---- */

static void test_reference_keys(void **state)
{
	(void)state;
	jup_checkpoint_pubkey k = pubkey(PETER_VKEY);
	assert_string_equal(k.name, "PeterNeumann");
	assert_int_equal(k.id, 0xc74f20a3);
	assert_int_equal(jup_checkpoint_key_id(JUP_SV_LIT("PeterNeumann"), k.key), 0xc74f20a3);
	jup_buf b;
	jup_buf_init(&b, 0);
	assert_int_equal(jup_checkpoint_pubkey_format(&k, &b), JUP_OK);
	assert_string_equal(b.data, PETER_VKEY);
	jup_buf_free(&b);
	jup_checkpoint_signer s = signer(PETER_SKEY);
	assert_memory_equal(&s.pub, &k, sizeof k);
	jup_checkpoint_signer_free(&s);
	jup_checkpoint_signer_free(&s); /* safe twice */
	k = pubkey(ENOCH_VKEY);
	assert_int_equal(k.id, 0xaf0cfe78);
}

static void test_reference_sign(void **state)
{
	(void)state;
	jup_checkpoint_signer s = signer(PETER_SKEY);
	char *note = signed_text(GO_TEXT, &s);
	assert_string_equal(note, GO_TEXT "\n" PETER_SIG);
	free(note);
	jup_checkpoint_signer_free(&s);
}

static void test_reference_open(void **state)
{
	(void)state;
	const char *msg = GO_TEXT "\n" PETER_SIG ENOCH_SIG;
	jup_checkpoint_pubkey peter = pubkey(PETER_VKEY), enoch = pubkey(ENOCH_VKEY);
	jup_checkpoint_note n;
	jup_err err;
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(msg), &n, &err), JUP_OK);
	assert_true(jup_sv_eq_cstr(n.text, GO_TEXT));
	assert_int_equal(n.nsigs, 2);
	assert_true(jup_sv_eq_cstr(n.sigs[0].name, "PeterNeumann"));
	assert_int_equal(n.sigs[0].id, 0xc74f20a3);
	assert_int_equal(n.sigs[0].nbytes, 68);
	assert_true(jup_sv_eq_cstr(n.sigs[1].name, "EnochRoot"));
	assert_int_equal(n.sigs[1].id, 0xaf0cfe78);
	/* each key finds its own signature and ignores the other */
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, &err), JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &enoch, &err), JUP_OK);
	/* a changed text fails both */
	char *bad = strdup(msg);
	bad[strlen("If you think crypto")] = 'X';
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(bad), &n, &err), JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_checkpoint_note_verify(&n, &enoch, &err), JUP_ERR_INVALID);
	free(bad);
	/* a note with only Enoch's signature has none by Peter */
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(GO_TEXT "\n" ENOCH_SIG), &n, &err),
			 JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no signature by key \"PeterNeumann\""));
}

/* Every strict substring of a key string and every one-byte change is
 * refused (as the reference's own tests do). */
static void test_key_manglings(void **state)
{
	(void)state;
	const char *keys[] = { PETER_VKEY, PETER_SKEY };
	for (int which = 0; which < 2; which++) {
		char b[128];
		size_t len = strlen(keys[which]);
		memcpy(b, keys[which], len + 1);
		for (size_t i = 0; i <= len; i++) {
			for (size_t j = i + 1; j <= len; j++) {
				if (i == 0 && j == len)
					continue;
				jup_sv sub = { b + i, j - i };
				jup_checkpoint_pubkey k;
				jup_checkpoint_signer s;
				jup_status st = which ? jup_checkpoint_signer_parse(sub, &s, NULL)
						      : jup_checkpoint_pubkey_parse(sub, &k, NULL);
				assert_int_equal(st, JUP_ERR_INVALID);
			}
		}
		for (size_t i = 0; i < len; i++) {
			jup_checkpoint_pubkey k;
			jup_checkpoint_signer s;
			b[i]++;
			jup_sv sv = { b, len };
			jup_status st = which ? jup_checkpoint_signer_parse(sv, &s, NULL)
					      : jup_checkpoint_pubkey_parse(sv, &k, NULL);
			assert_int_equal(st, JUP_ERR_INVALID);
			b[i]--;
		}
	}
	jup_checkpoint_pubkey k;
	jup_err err;
	/* from the reference's tests: a key of the wrong length and an unknown
	 * algorithm, each with a key ID that matches */
	assert_int_equal(jup_checkpoint_pubkey_parse(
			     JUP_SV_LIT("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
					"LDE4izWy10TWBADKEY=="),
			     &k, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_checkpoint_pubkey_parse(
			     JUP_SV_LIT("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
					"LDE4izWy10TW"),
			     &k, &err),
			 JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "not an Ed25519 key"));
	/* upper-case hex is not how keys are written */
	assert_int_equal(jup_checkpoint_pubkey_parse(
			     JUP_SV_LIT("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
					"LDE4izWy10TW"),
			     &k, &err),
			 JUP_ERR_INVALID);
	/* a public key is not a private one, nor the other way round */
	jup_checkpoint_signer s;
	assert_int_equal(jup_checkpoint_signer_parse(JUP_SV_LIT(PETER_VKEY), &s, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_checkpoint_pubkey_parse(JUP_SV_LIT(PETER_SKEY), &k, &err),
			 JUP_ERR_INVALID);
}

/* ---- checkpoints ---- */

static void test_checkpoint_round_trip(void **state)
{
	(void)state;
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_checkpoint_pubkey k = pubkey(PETER_VKEY);
	uint64_t sizes[] = { 0, 1, 8, 20852163, JUP_MERKLE_MAX_SIZE };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		jup_checkpoint cp = checkpoint("example.org/joinedup/audit", sizes[i]), back;
		char *note = signed_checkpoint(&cp, &s);
		char want[256];
		snprintf(
		    want, sizeof want,
		    "example.org/joinedup/audit\n%llu\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/Rg"
		    "Qyg=\n\n" EM_DASH " PeterNeumann ",
		    (unsigned long long)sizes[i]);
		assert_true(strncmp(note, want, strlen(want)) == 0);
		memset(&back, 0xAA, sizeof back);
		assert_int_equal(open_note(note, &k, &back), JUP_OK);
		assert_string_equal(back.origin, cp.origin);
		assert_int_equal(back.size, cp.size);
		assert_memory_equal(back.root.b, cp.root.b, 32);
		free(note);
	}
	jup_checkpoint_signer_free(&s);
}

/* Change one byte of a signed checkpoint at each position in turn: it
 * must never open. */
static void test_tampering(void **state)
{
	(void)state;
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_checkpoint_pubkey k = pubkey(PETER_VKEY);
	jup_checkpoint cp = checkpoint("example.org/log", 12345), back;
	char *note = signed_checkpoint(&cp, &s);
	size_t len = strlen(note);
	for (size_t i = 0; i < len; i++) {
		const char repl[] = { 'A', '0', '\n', 'z', '/' };
		for (size_t r = 0; r < sizeof repl; r++) {
			char saved = note[i];
			if (saved == repl[r])
				continue;
			note[i] = repl[r];
			assert_true(open_note(note, &k, &back) != JUP_OK);
			note[i] = saved;
		}
	}
	/* cut anywhere: never opens */
	for (size_t i = 0; i < len; i++) {
		jup_sv cut = { note, i };
		assert_true(jup_checkpoint_open(cut, &k, &back, NULL) != JUP_OK);
	}
	free(note);
	jup_checkpoint_signer_free(&s);
}

static void test_wrong_keys(void **state)
{
	(void)state;
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_checkpoint cp = checkpoint("example.org/log", 7), back;
	char *note = signed_checkpoint(&cp, &s);
	jup_err err;
	/* another key altogether */
	jup_checkpoint_pubkey enoch = pubkey(ENOCH_VKEY);
	assert_int_equal(jup_checkpoint_open(jup_sv_from(note), &enoch, &back, &err),
			 JUP_ERR_INVALID);
	/* the right name and key ID, another key: the signature is checked
	 * and fails */
	jup_checkpoint_pubkey impostor = pubkey(PETER_VKEY);
	memcpy(impostor.key, enoch.key, 32);
	assert_int_equal(jup_checkpoint_open(jup_sv_from(note), &impostor, &back, &err),
			 JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "does not verify"));
	/* the right key under another name or ID is another key */
	jup_checkpoint_pubkey renamed = pubkey(PETER_VKEY);
	snprintf(renamed.name, sizeof renamed.name, "PeterNeumann2");
	assert_int_equal(jup_checkpoint_open(jup_sv_from(note), &renamed, &back, &err),
			 JUP_ERR_INVALID);
	renamed = pubkey(PETER_VKEY);
	renamed.id ^= 1;
	assert_int_equal(jup_checkpoint_open(jup_sv_from(note), &renamed, &back, &err),
			 JUP_ERR_INVALID);
	free(note);
	jup_checkpoint_signer_free(&s);
}

/* Witnesses add lines; they are ignored unless the key is asked for. A bad
 * line from the asked-for key spoils the note even beside a good one. */
static void test_cosignatures(void **state)
{
	(void)state;
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_checkpoint_pubkey peter = pubkey(PETER_VKEY), enoch = pubkey(ENOCH_VKEY);
	char *note = signed_text(GO_TEXT, &s);
	char msg[1024];
	jup_checkpoint_note n;
	/* an unknown witness line of another signature type (76 bytes) */
	snprintf(msg, sizeof msg, "%s%s", note,
		 EM_DASH
		 " witness.example/w1 "
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		 "AAAAAAAAAAAAAAAAAAA\n");
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(msg), &n, NULL), JUP_OK);
	assert_int_equal(n.sigs[1].nbytes, 75);
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, NULL), JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &enoch, NULL), JUP_ERR_INVALID);
	/* a second, broken signature by the same key */
	snprintf(msg, sizeof msg, "%s%s", note,
		 EM_DASH
		 " PeterNeumann "
		 "x08go/ZJkuBS9UG/"
		 "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAA=\n");
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(msg), &n, NULL), JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, NULL), JUP_ERR_INVALID);
	/* a signature field of the wrong length for Ed25519 */
	snprintf(msg, sizeof msg, "%s%s", GO_TEXT "\n",
		 EM_DASH
		 " PeterNeumann " /* 69 bytes: the right key, not an Ed25519 signature */
		 "x08go/ZJkuBS9UG/"
		 "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAMA\n");
	assert_int_equal(jup_checkpoint_note_parse(jup_sv_from(msg), &n, NULL), JUP_OK);
	assert_int_equal(jup_checkpoint_note_verify(&n, &peter, NULL), JUP_ERR_INVALID);
	free(note);
	jup_checkpoint_signer_free(&s);
}

/* Notes broken in their syntax: note_parse refuses them. */
static void test_malformed_notes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		GO_TEXT,
		GO_TEXT "\n",
		GO_TEXT "\n\n",
		GO_TEXT PETER_SIG,                              /* no blank line */
		GO_TEXT "\n" PETER_SIG "Unexpected line.\n",    /* stray line */
		GO_TEXT "\n" PETER_SIG "\n",                    /* blank line at the end */
		GO_TEXT "\n" PETER_SIG "x",                     /* no final newline */
		"\x01" GO_TEXT "\n" PETER_SIG,                  /* control character */
		"\xff" GO_TEXT "\n" PETER_SIG,                  /* not UTF-8 */
		"x\x7f\n\n" PETER_SIG,                          /* DEL */
		"x\xc2\x85\n\n" PETER_SIG,                      /* C1 control (NEL) */
		"x\xc0\x80\n\n" PETER_SIG,                      /* overlong NUL */
		"x\xed\xa0\x80\n\n" PETER_SIG,                  /* surrogate */
		"x\xf4\x90\x80\x80\n\n" PETER_SIG,              /* above U+10FFFF */
		"x\xe2\x80\n\n" PETER_SIG,                      /* truncated sequence */
		"x\r\n\r\n" PETER_SIG,                          /* CRLF */
		"x\n\n-- PeterNeumann " PETER_B64 "\n",         /* not an em dash */
		"x\n\n" EM_DASH "PeterNeumann " PETER_B64 "\n", /* no space after it */
		"x\n\n" EM_DASH " Peter Neumann " PETER_B64 "\n",
		"x\n\n" EM_DASH " Peter+Neumann " PETER_B64 "\n",
		"x\n\n" EM_DASH " Peter\xc2\xa0Neumann " PETER_B64 "\n", /* NO-BREAK SPACE */
		"x\n\n" EM_DASH "  " PETER_B64 "\n",                     /* no name */
		"x\n\n" EM_DASH " PeterNeumann\n",                       /* no signature */
		"x\n\n" EM_DASH " PeterNeumann \n",
		"x\n\n" EM_DASH " PeterNeumann " PETER_B64 " \n",
		"x\n\n" EM_DASH " PeterNeumann x08go/ZJkuBS9UG\n",  /* not a multiple of 4 */
		"x\n\n" EM_DASH " PeterNeumann x08go/ZJkuBS9U=G\n", /* padding inside */
		"x\n\n" EM_DASH " PeterNeumann x08go/ZJkuBS9U-_\n", /* URL alphabet */
		"x\n\n" EM_DASH " PeterNeumann x08g\n",             /* 3 bytes */
		"x\n\n" EM_DASH " PeterNeumann x08go/Z=\n",         /* 5 bytes, stray bits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jup_checkpoint_note n;
		jup_err err = { "" };
		jup_status st = jup_checkpoint_note_parse(jup_sv_from(bad[i]), &n, &err);
		if (st != JUP_ERR_INVALID)
			fail_msg("bad note %zu parsed (status %d)", i, st);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(n.nsigs, 0);
	}
	/* the shortest signature field allowed: 5 bytes, canonical */
	jup_checkpoint_note n;
	assert_int_equal(jup_checkpoint_note_parse(
			     JUP_SV_LIT("x\n\n" EM_DASH " PeterNeumann x08go/Q=\n"), &n, NULL),
			 JUP_OK);
	assert_int_equal(n.sigs[0].nbytes, 5);
	assert_int_equal(n.sigs[0].id, 0xc74f20a3);
	/* text with blank lines of its own: split at the last one */
	assert_int_equal(jup_checkpoint_note_parse(JUP_SV_LIT("a\n\nb\n\n\n" PETER_SIG), &n, NULL),
			 JUP_OK);
	assert_true(jup_sv_eq_cstr(n.text, "a\n\nb\n\n"));
}

static void test_note_limits(void **state)
{
	(void)state;
	jup_checkpoint_note n;
	jup_err err;
	jup_buf b;
	jup_buf_init(&b, 0);
	assert_int_equal(jup_buf_append_cstr(&b, GO_TEXT "\n"), JUP_OK);
	for (int i = 0; i < JUP_CHECKPOINT_MAX_SIGS; i++)
		assert_int_equal(jup_buf_append_cstr(&b, PETER_SIG), JUP_OK);
	assert_int_equal(jup_checkpoint_note_parse(jup_buf_sv(&b), &n, &err), JUP_OK);
	assert_int_equal(n.nsigs, JUP_CHECKPOINT_MAX_SIGS);
	jup_checkpoint_pubkey k = pubkey(PETER_VKEY);
	assert_int_equal(jup_checkpoint_note_verify(&n, &k, &err), JUP_OK);
	assert_int_equal(jup_buf_append_cstr(&b, PETER_SIG), JUP_OK);
	assert_int_equal(jup_checkpoint_note_parse(jup_buf_sv(&b), &n, &err), JUP_ERR_LIMIT);
	/* a note too big to look at */
	jup_buf_reset(&b);
	while (b.len <= JUP_CHECKPOINT_MAX_NOTE)
		assert_int_equal(jup_buf_append_cstr(&b, "0123456789abcdef\n"), JUP_OK);
	assert_int_equal(jup_buf_append_cstr(&b, "\n" PETER_SIG), JUP_OK);
	assert_int_equal(jup_checkpoint_note_parse(jup_buf_sv(&b), &n, &err), JUP_ERR_LIMIT);
	/* nor will one be signed */
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_buf out;
	jup_buf_init(&out, 0);
	jup_buf_reset(&b);
	while (b.len < JUP_CHECKPOINT_MAX_NOTE - 100)
		assert_int_equal(jup_buf_append_cstr(&b, "0123456789abcdef\n"), JUP_OK);
	assert_int_equal(jup_checkpoint_note_sign(jup_buf_sv(&b), &s, &out, &err), JUP_ERR_LIMIT);
	assert_int_equal(out.len, 0);
	/* nor text that is not a note text */
	assert_int_equal(jup_checkpoint_note_sign(JUP_SV_LIT("no newline"), &s, &out, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_checkpoint_note_sign(JUP_SV_LIT("tab\there\n"), &s, &out, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_checkpoint_note_sign(JUP_SV_LIT(""), &s, &out, &err), JUP_ERR_INVALID);
	assert_int_equal(out.len, 0);
	jup_checkpoint_signer_free(&s);
	assert_int_equal(jup_checkpoint_note_sign(JUP_SV_LIT("x\n"), &s, &out, &err),
			 JUP_ERR_USAGE);
	jup_buf_free(&out);
	jup_buf_free(&b);
}

/* Checkpoint texts that are signed correctly but are not checkpoints. */
static void test_malformed_checkpoints(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		jup_status st;
	} cases[] = {
		{ "example.org/log\n7\n", JUP_ERR_INVALID },
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next\n",
		  JUP_ERR_INVALID },
		{ "\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", JUP_ERR_INVALID },
		{ "example.org/log\n07\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n00\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n-7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n+7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n 7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n7 \nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n0x7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_INVALID },
		{ "example.org/log\n9223372036854775809\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/"
		  "RgQyg=\n",
		  JUP_ERR_LIMIT },
		{ "example.org/log\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/"
		  "RgQyg=\n",
		  JUP_ERR_LIMIT },
		{ "example.org/log\n99999999999999999999999999999999999999\n"
		  "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
		  JUP_ERR_LIMIT },
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
		  JUP_ERR_INVALID }, /* stray bits */
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy=\n",
		  JUP_ERR_INVALID }, /* 31 bytes */
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQygA\n",
		  JUP_ERR_INVALID }, /* 33 bytes */
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",
		  JUP_ERR_INVALID }, /* URL alphabet */
		{ "example.org/log\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
		  JUP_ERR_INVALID }, /* unpadded */
		{ "example.org/log\n7\n\n", JUP_ERR_INVALID },
	};
	jup_checkpoint_signer s = signer(PETER_SKEY);
	jup_checkpoint_pubkey k = pubkey(PETER_VKEY);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_checkpoint cp = checkpoint("untouched", 1);
		jup_err err = { "" };
		assert_int_equal(jup_checkpoint_parse_text(jup_sv_from(cases[i].text), &cp, &err),
				 cases[i].st);
		assert_string_equal(cp.origin, "untouched");
		/* signed, it still does not open (the blank line of the last
		 * case makes it a note text of its own) */
		char *note = signed_text(cases[i].text, &s);
		assert_true(open_note(note, &k, &cp) != JUP_OK);
		free(note);
	}
	/* the largest size and an origin of the longest length are fine */
	char text[512];
	jup_checkpoint cp;
	snprintf(text, sizeof text, "%.*s\n9223372036854775808\n%s\n", JUP_CHECKPOINT_MAX_NAME,
		 "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"
		 "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"
		 "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"
		 "oooooooooooooooooooooooooooooooooooooooooooooooo",
		 "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
	assert_int_equal(jup_checkpoint_parse_text(jup_sv_from(text), &cp, NULL), JUP_OK);
	assert_int_equal(strlen(cp.origin), JUP_CHECKPOINT_MAX_NAME);
	assert_int_equal(cp.size, JUP_MERKLE_MAX_SIZE);
	text[0] = 'O';
	memmove(text + 1, text, strlen(text) + 1); /* one byte longer */
	assert_int_equal(jup_checkpoint_parse_text(jup_sv_from(text), &cp, NULL), JUP_ERR_LIMIT);
	/* formatting checks what it writes */
	jup_buf b;
	jup_buf_init(&b, 0);
	cp = checkpoint("", 1);
	assert_int_equal(jup_checkpoint_format(&cp, &b, NULL), JUP_ERR_INVALID);
	cp = checkpoint("two\nlines", 1);
	assert_int_equal(jup_checkpoint_format(&cp, &b, NULL), JUP_ERR_INVALID);
	cp = checkpoint("x", JUP_MERKLE_MAX_SIZE + 1);
	assert_int_equal(jup_checkpoint_format(&cp, &b, NULL), JUP_ERR_LIMIT);
	memset(cp.origin, 'x', sizeof cp.origin); /* no NUL */
	cp.size = 1;
	assert_int_equal(jup_checkpoint_format(&cp, &b, NULL), JUP_ERR_INVALID);
	assert_int_equal(b.len, 0);
	cp = checkpoint("h\xc3\xa9"
			"alth.example/log",
			1); /* UTF-8 is fine */
	assert_int_equal(jup_checkpoint_format(&cp, &b, NULL), JUP_OK);
	jup_buf_free(&b);
	jup_checkpoint_signer_free(&s);
}

/* ---- key files ---- */

/* dir/name in a static buffer rotated over 8 calls. */
static const char *path_in(const char *dir, const char *name)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];
	int n = snprintf(p, 512, "%s/%s", dir, name);
	assert_true(n > 0 && n < 512);
	return p;
}

static size_t files_in(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *f = popen(cmd, "r");
	size_t n = 0;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%zu", &n), 1);
	pclose(f);
	return n;
}

static void test_keygen_files(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/keys", jup_test_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	char priv[512], pub[512];
	snprintf(priv, sizeof priv, "%s", path_in(dir, "log.key"));
	snprintf(pub, sizeof pub, "%s", path_in(dir, "log.pub"));
	jup_err err = { "" };
	assert_int_equal(jup_checkpoint_keygen("example.org/log", priv, pub, &err), JUP_OK);
	struct stat sb;
	assert_int_equal(stat(priv, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(stat(pub, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
	assert_int_equal(files_in(dir), 2); /* no temporary files left */

	jup_checkpoint_signer s;
	jup_checkpoint_pubkey k;
	assert_int_equal(jup_checkpoint_signer_load(priv, &s, &err), JUP_OK);
	assert_int_equal(jup_checkpoint_pubkey_load(pub, &k, &err), JUP_OK);
	assert_memory_equal(&s.pub, &k, sizeof k);
	assert_string_equal(k.name, "example.org/log");
	/* the files hold the key strings and a newline */
	FILE *f = fopen(pub, "r");
	char line[256];
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	jup_buf b;
	jup_buf_init(&b, 0);
	assert_int_equal(jup_checkpoint_pubkey_format(&k, &b), JUP_OK);
	assert_int_equal(jup_buf_append_char(&b, '\n'), JUP_OK);
	assert_string_equal(line, b.data);
	jup_buf_free(&b);
	f = fopen(priv, "r");
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_true(strncmp(line, "PRIVATE+KEY+example.org/log+", 28) == 0);

	/* sign and open with the files' keys */
	jup_checkpoint cp = checkpoint("example.org/log", 3), back;
	char *note = signed_checkpoint(&cp, &s);
	assert_int_equal(open_note(note, &k, &back), JUP_OK);
	free(note);
	jup_checkpoint_signer_free(&s);

	/* never replaces a key */
	assert_int_equal(
	    jup_checkpoint_keygen("example.org/log", priv, path_in(dir, "x.pub"), &err),
	    JUP_ERR_EXISTS);
	assert_int_equal(jup_checkpoint_keygen("example.org/log", path_in(dir, "x.key"), pub, &err),
			 JUP_ERR_EXISTS);
	assert_int_equal(files_in(dir), 2);
	/* bad names */
	const char *names[] = { "", "two words", "a+b", "tab\tname", "nbsp\xc2\xa0name", "\xff" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_int_equal(jup_checkpoint_keygen(names[i], path_in(dir, "n.key"),
						       path_in(dir, "n.pub"), &err),
				 JUP_ERR_INVALID);
	/* an unwritable place: nothing left behind */
	assert_int_equal(
	    jup_checkpoint_keygen("x", path_in(dir, "a.key"), path_in(dir, "missing/a.pub"), &err),
	    JUP_ERR_IO);
	assert_int_equal(files_in(dir), 2);
}

static void test_key_file_errors(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/badkeys", jup_test_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	jup_checkpoint_signer s;
	jup_checkpoint_pubkey k;
	jup_err err = { "" };
	const char *priv = jup_test_write_file(dir, "peter.key", PETER_SKEY "\n");
	/* readable by others: refused */
	assert_int_equal(chmod(priv, 0644), 0);
	assert_int_equal(jup_checkpoint_signer_load(priv, &s, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "chmod 600"));
	assert_int_equal(chmod(priv, 0600), 0);
	assert_int_equal(jup_checkpoint_signer_load(priv, &s, &err), JUP_OK);
	assert_int_equal(s.pub.id, 0xc74f20a3);
	jup_checkpoint_signer_free(&s);
	/* no newline is fine, one newline is fine, more is not */
	const struct {
		const char *text;
		jup_status st;
	} pubs[] = {
		{ PETER_VKEY, JUP_OK },
		{ PETER_VKEY "\n", JUP_OK },
		{ PETER_VKEY "\n\n", JUP_ERR_INVALID },
		{ PETER_VKEY " \n", JUP_ERR_INVALID },
		{ " " PETER_VKEY "\n", JUP_ERR_INVALID },
		{ PETER_VKEY "\r\n", JUP_ERR_INVALID },
		{ "", JUP_ERR_INVALID },
		{ PETER_SKEY "\n", JUP_ERR_INVALID },
	};
	for (size_t i = 0; i < sizeof pubs / sizeof pubs[0]; i++) {
		const char *p = jup_test_write_file(dir, "peter.pub", pubs[i].text);
		assert_int_equal(jup_checkpoint_pubkey_load(p, &k, &err), pubs[i].st);
		if (pubs[i].st)
			assert_non_null(strstr(err.msg, "peter.pub"));
	}
	const char *missing = path_in(dir, "missing.pub");
	assert_int_equal(jup_checkpoint_pubkey_load(missing, &k, &err), JUP_ERR_IO);
	assert_int_equal(jup_checkpoint_signer_load(missing, &s, &err), JUP_ERR_IO);
	assert_null(s.sk);
	assert_int_equal(jup_checkpoint_pubkey_load(dir, &k, &err), JUP_ERR_IO);
	char big[JUP_CHECKPOINT_MAX_KEY_FILE + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const char *p = jup_test_write_file(dir, "big.pub", big);
	assert_int_equal(jup_checkpoint_pubkey_load(p, &k, &err), JUP_ERR_LIMIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_keys),
		cmocka_unit_test(test_reference_sign),
		cmocka_unit_test(test_reference_open),
		cmocka_unit_test(test_key_manglings),
		cmocka_unit_test(test_checkpoint_round_trip),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_wrong_keys),
		cmocka_unit_test(test_cosignatures),
		cmocka_unit_test(test_malformed_notes),
		cmocka_unit_test(test_note_limits),
		cmocka_unit_test(test_malformed_checkpoints),
		cmocka_unit_test(test_keygen_files),
		cmocka_unit_test(test_key_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
