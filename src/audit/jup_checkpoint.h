/*
 * jup_checkpoint.h - signed checkpoints (tree heads) of the audit log.
 *
 * A checkpoint is a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint):
 * a note whose text is exactly three lines,
 *
 *     <origin>\n<tree size in decimal>\n<base64 of the 32-byte root hash>\n
 *
 * signed with Ed25519 as a C2SP signed note (https://c2sp.org/signed-note):
 * the text, a blank line, then one line per signature,
 *
 *     U+2014 EM DASH, space, key name, space, base64(key ID || signature), \n
 *
 * where the signature is over the text including its final newline and the
 * key ID is the first four bytes (big-endian) of
 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key). Independent
 * witnesses add their own signature lines to the same note later; a reader
 * ignores lines from keys it does not know.
 *
 * Key files are the verifier and signer key strings of the Go
 * golang.org/x/mod/sumdb/note package, each followed by a newline:
 *
 *     public:  <name>+<key ID, 8 lower-case hex>+<base64(0x01 || public key)>
 *     private: PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>
 *
 * so keys move between joinedup and the Go tools (witnesses, note.Open).
 *
 * Parsing is strict: the whole note must be valid UTF-8 with no control
 * characters other than newline (C0, DEL and C1 are all refused, a little
 * stricter than the spec's "below U+0020"); the text must be exactly the
 * three checkpoint lines (extension lines, which the spec allows but does
 * not recommend, are refused; joinedup never writes them); the size has no
 * sign, spaces or leading zeros (only "0" itself); the root is canonical
 * base64 of exactly 32 bytes; every signature line is well formed even when
 * its key is unknown. Nothing in a note is trusted until
 * jup_checkpoint_note_verify (or jup_checkpoint_open) says so.
 */
#ifndef JUP_CHECKPOINT_H
#define JUP_CHECKPOINT_H

#include "audit/jup_merkle.h"
#include "core/jup_buf.h"
#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdint.h>

/* Limits. The spec asks verifiers to accept at least 16 signatures; 64 KiB
 * holds 16 post-quantum ones. */
#define JUP_CHECKPOINT_MAX_NAME     255   /* bytes in a key name or an origin */
#define JUP_CHECKPOINT_MAX_NOTE     65536 /* bytes in one signed note */
#define JUP_CHECKPOINT_MAX_SIGS     32    /* signature lines in one note */
#define JUP_CHECKPOINT_MAX_KEY_FILE 1024  /* bytes in a key file */

/* jup_checkpoint_pubkey: a verifier key. */
typedef struct jup_checkpoint_pubkey {
	char name[JUP_CHECKPOINT_MAX_NAME + 1]; /* NUL-terminated */
	uint32_t id;                            /* key ID */
	uint8_t key[32];                        /* Ed25519 public key */
} jup_checkpoint_pubkey;

/* jup_checkpoint_signer: a signing key. The secret lives in sodium_malloc
 * memory; release it with jup_checkpoint_signer_free. */
typedef struct jup_checkpoint_signer {
	jup_checkpoint_pubkey pub;
	unsigned char *sk; /* 64-byte Ed25519 secret key, NULL when none */
} jup_checkpoint_signer;

/* jup_checkpoint: the tree head a checkpoint carries. */
typedef struct jup_checkpoint {
	char origin[JUP_CHECKPOINT_MAX_NAME + 1]; /* NUL-terminated, non-empty */
	uint64_t size;                            /* leaves in the tree */
	jup_hash root;                            /* MTH of those leaves */
} jup_checkpoint;

/* jup_checkpoint_sig: one signature line of a parsed note (not verified). */
typedef struct jup_checkpoint_sig {
	jup_sv name;   /* key name (a view into the note) */
	uint32_t id;   /* key ID: the first four bytes of the decoded field */
	jup_sv b64;    /* the base64 field as written (a view into the note) */
	size_t nbytes; /* its decoded length, at least 5 */
} jup_checkpoint_sig;

/* jup_checkpoint_note: a parsed signed note; views point into the input. */
typedef struct jup_checkpoint_note {
	jup_sv text; /* the signed text, final newline included */
	size_t nsigs;
	jup_checkpoint_sig sigs[JUP_CHECKPOINT_MAX_SIGS];
} jup_checkpoint_note;

/* ---- keys ---- */

/* jup_checkpoint_key_id: the key ID of an Ed25519 key under a name. */
uint32_t jup_checkpoint_key_id(jup_sv name, const uint8_t pub[32]);

/* jup_checkpoint_keygen: make a new Ed25519 key named name and write it to
 * two new files: priv_path (mode 0600) and pub_path (mode 0644). Each is
 * written beside its final name, synced and then linked into place, so no
 * reader sees half a key and an existing file is never replaced.
 * JUP_ERR_INVALID for a bad name (empty, over JUP_CHECKPOINT_MAX_NAME bytes,
 * not UTF-8, containing a space, a plus or a control character),
 * JUP_ERR_EXISTS when either file exists, JUP_ERR_IO when one cannot be
 * written (then neither is left behind). */
jup_status jup_checkpoint_keygen(const char *name, const char *priv_path, const char *pub_path,
				 jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_pubkey_parse: read a verifier key string (no newline).
 * JUP_ERR_INVALID when it is malformed, not an Ed25519 key (type 0x01) or
 * its key ID does not match its name and key. */
jup_status jup_checkpoint_pubkey_parse(jup_sv text, jup_checkpoint_pubkey *out,
				       jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_pubkey_format: append the verifier key string of key (no
 * newline) to out. */
jup_status jup_checkpoint_pubkey_format(const jup_checkpoint_pubkey *key,
					jup_buf *out) JUP_MUST_CHECK;

/* jup_checkpoint_pubkey_load: read a public key file (the key string and
 * one optional final newline). JUP_ERR_IO when it cannot be read,
 * JUP_ERR_LIMIT past JUP_CHECKPOINT_MAX_KEY_FILE bytes, else as
 * jup_checkpoint_pubkey_parse. */
jup_status jup_checkpoint_pubkey_load(const char *path, jup_checkpoint_pubkey *out,
				      jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_signer_parse: read a signer key string (no newline) into
 * *out; on success the caller calls jup_checkpoint_signer_free, on failure
 * there is nothing to free. JUP_ERR_INVALID as for public keys (the key ID
 * is checked against the public key derived from the seed), JUP_ERR_NOMEM
 * when secure memory cannot be had. */
jup_status jup_checkpoint_signer_parse(jup_sv text, jup_checkpoint_signer *out,
				       jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_signer_load: read a private key file as
 * jup_checkpoint_pubkey_load does a public one; also JUP_ERR_INVALID when
 * the file can be read by its group or others (chmod 600 it). The bytes read
 * are wiped. */
jup_status jup_checkpoint_signer_load(const char *path, jup_checkpoint_signer *out,
				      jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_signer_free: wipe and release the secret (safe on a signer
 * that holds none). */
void jup_checkpoint_signer_free(jup_checkpoint_signer *s);

/* ---- signed notes ---- */

/* jup_checkpoint_note_sign: append to out the note text followed by a blank
 * line and the signature line of signer. JUP_ERR_INVALID when text is empty,
 * does not end in a newline, is not UTF-8 or holds a control character;
 * JUP_ERR_LIMIT when the note would pass JUP_CHECKPOINT_MAX_NOTE bytes; on
 * failure out is as it was. */
jup_status jup_checkpoint_note_sign(jup_sv text, const jup_checkpoint_signer *signer, jup_buf *out,
				    jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_note_parse: split a signed note into its text and its
 * signature lines, checking the syntax of every line. JUP_ERR_LIMIT past
 * JUP_CHECKPOINT_MAX_NOTE bytes or JUP_CHECKPOINT_MAX_SIGS signatures,
 * JUP_ERR_INVALID for anything malformed. Verifies nothing. */
jup_status jup_checkpoint_note_parse(jup_sv msg, jup_checkpoint_note *out,
				     jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_note_verify: JUP_OK when the note carries at least one
 * signature line whose name and key ID are key's and every such line
 * verifies over the note text. Lines of other keys are ignored.
 * JUP_ERR_INVALID otherwise. */
jup_status jup_checkpoint_note_verify(const jup_checkpoint_note *note,
				      const jup_checkpoint_pubkey *key,
				      jup_err *err) JUP_MUST_CHECK;

/* ---- checkpoints ---- */

/* jup_checkpoint_format: append the three-line checkpoint text of cp to out.
 * JUP_ERR_INVALID for an origin that is empty, not UTF-8 or holds a control
 * character; JUP_ERR_LIMIT for a size above JUP_MERKLE_MAX_SIZE. */
jup_status jup_checkpoint_format(const jup_checkpoint *cp, jup_buf *out,
				 jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_parse_text: read a checkpoint text (three lines, as
 * jup_checkpoint_format writes) into *out. JUP_ERR_INVALID for any other
 * shape, JUP_ERR_LIMIT for an origin past JUP_CHECKPOINT_MAX_NAME bytes or a
 * size above JUP_MERKLE_MAX_SIZE. *out is only written on success. */
jup_status jup_checkpoint_parse_text(jup_sv text, jup_checkpoint *out, jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_sign: format cp and sign it with signer into a signed note
 * appended to out. Errors as jup_checkpoint_format and
 * jup_checkpoint_note_sign. The origin should be the signer's name. */
jup_status jup_checkpoint_sign(const jup_checkpoint *cp, const jup_checkpoint_signer *signer,
			       jup_buf *out, jup_err *err) JUP_MUST_CHECK;

/* jup_checkpoint_open: parse a signed checkpoint, verify it with key and
 * read its text into *out. Errors as jup_checkpoint_note_parse,
 * jup_checkpoint_note_verify and jup_checkpoint_parse_text; *out is only
 * written when all three succeed. */
jup_status jup_checkpoint_open(jup_sv msg, const jup_checkpoint_pubkey *key, jup_checkpoint *out,
			       jup_err *err) JUP_MUST_CHECK;

#endif
