/*
 * jup_audit.h - the audit log: who did what with whose record, why, and what
 * the gate decided, kept so that nobody (the operator included) can change
 * or remove an entry unnoticed.
 *
 * Every entry is one row of audit_entry. Entry id N is leaf N-1 of an RFC
 * 9162 Merkle tree (jup_merkle.h) and carries the leaf hash of entry N-1
 * (prev_hash), so the entries are also a hash chain. The leaf hash covers
 * the entry's canonical bytes (below), which an outside verifier recomputes
 * from the entry's fields alone. The compact tree after the last entry is
 * kept in audit_state, so an append is O(log n). Signed checkpoints
 * (jup_checkpoint.h) fix the tree head at a size; proofs show offline, with
 * only the public key, that an entry is in a checkpointed tree and that a
 * later checkpoint extends an earlier one.
 *
 * Canonical bytes of entry `id` (docs/FORMATS.md, "Audit entries and
 * proofs"): the 17 ASCII bytes "joinedup-audit-v1", then 14 fields, each as
 * a 4-byte big-endian length followed by that many bytes, a NULL field being
 * the length 0xFFFFFFFF and no bytes:
 *
 *    1 id           decimal, no sign or leading zeros
 *    2 recorded_at  "YYYY-MM-DDTHH:MM:SSZ" (UTC)
 *    3 actor        4 role  5 org_code  6 purpose
 *    7 person_id    decimal, NULL when the entry is about nobody
 *    8 action       9 what  10 outcome ("permit", "deny" or "done")
 *   11 reason      12 break_glass (NULL: not a break-glass access; else the
 *                     justification given)   13 request_id
 *   14 prev_hash    the 32 raw bytes of entry id-1's leaf hash (zeros for 1)
 *
 * leaf hash = jup_merkle_leaf_hash(canonical bytes) = SHA-256(0x00 || bytes).
 * Text fields are UTF-8 without control characters, 1 to JUP_AUDIT_MAX_FIELD
 * bytes; actor, purpose, action and outcome are required, the others may
 * be NULL. Entries hold references only (a person id, what was read by kind
 * and id), never clinical content or demographics.
 *
 * A person's entries are found through audit_person_run, not an index on
 * every entry: the entries are cut into blocks of JUP_AUDIT_BLOCK, and once
 * a block is full its run, the (person_id, entry_id) pairs of its entries
 * about somebody sorted by person then entry, is written in the same
 * transaction as the entry that filled it. History reads each full block's
 * run by person and the tail (the entries after the last full block, fewer
 * than a block) entry by entry; verify checks every run against its block.
 */
#ifndef JUP_AUDIT_H
#define JUP_AUDIT_H

#include "audit/jup_checkpoint.h"
#include "audit/jup_merkle.h"
#include "core/jup_buf.h"
#include "core/jup_limits.h"
#include "core/jup_status.h"
#include "core/jup_str.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stdint.h>

#define JUP_AUDIT_TAG            "joinedup-audit-v1"
#define JUP_AUDIT_MAX_FIELD      JUP_MAX_TEXT_LEN /* bytes in one text field */
#define JUP_AUDIT_DEFAULT_ORIGIN "joinedup/audit"
/* bytes in one proof text: its lines plus two signed notes */
#define JUP_AUDIT_MAX_PROOF (16384 + 2 * JUP_CHECKPOINT_MAX_NOTE)
/* Entries per block of the person index: block b (from 0) holds entries
 * b*JUP_AUDIT_BLOCK+1 .. (b+1)*JUP_AUDIT_BLOCK. Writing a block's run costs
 * one sorted insert per entry about somebody, at the table's right edge,
 * once per block; history reads one run per full block and at most a block
 * of tail entries. Stored data: migration 6 (store/store_schema.c) cut the
 * logs of its day with the literal 4096 (audit_run.c asserts the two
 * agree), so a new size needs a migration rebuilding audit_person_run. */
#define JUP_AUDIT_BLOCK 4096

/* The fields of the canonical encoding after the id, in order (prev_hash
 * is kept apart, as a hash). */
typedef enum jup_audit_field {
	JUP_AUDIT_F_RECORDED_AT,
	JUP_AUDIT_F_ACTOR,
	JUP_AUDIT_F_ROLE,
	JUP_AUDIT_F_ORG_CODE,
	JUP_AUDIT_F_PURPOSE,
	JUP_AUDIT_F_PERSON_ID,
	JUP_AUDIT_F_ACTION,
	JUP_AUDIT_F_WHAT,
	JUP_AUDIT_F_OUTCOME,
	JUP_AUDIT_F_REASON,
	JUP_AUDIT_F_BREAK_GLASS,
	JUP_AUDIT_F_REQUEST_ID,
	JUP_AUDIT_F__N
} jup_audit_field;

/* jup_audit_entry: what a caller records. NULL (or "") for an optional
 * field means none. */
typedef struct jup_audit_entry {
	const char *recorded_at; /* NULL or "": the time of the append */
	const char *actor;       /* who: a user or system name (required) */
	const char *role;        /* the actor's role, e.g. "gp" */
	const char *org_code;    /* the actor's organisation (ODS code) */
	const char *purpose;     /* why, e.g. "direct_care" (required) */
	int64_t person_id;       /* whose record: a person id, 0 for none */
	const char *action;      /* e.g. "read", "link.decide" (required) */
	const char *what;        /* what was touched, by kind and id */
	const char *outcome;     /* "permit", "deny" or "done" (required) */
	const char *reason;      /* the gate's or the actor's reason */
	const char *break_glass; /* the justification of a break-glass access */
	const char *request_id;  /* the request that caused it */
} jup_audit_entry;

/* jup_audit_fields: an entry as the canonical encoding sees it: each field
 * as bytes (person_id in decimal); ptr NULL for a NULL field. Views into
 * somebody else's memory. */
typedef struct jup_audit_fields {
	jup_sv f[JUP_AUDIT_F__N];
} jup_audit_fields;

/* jup_audit_record: a stored entry, for readers (history). The views are
 * valid until the callback returns. */
typedef struct jup_audit_record {
	int64_t id;
	int64_t person_id; /* 0 when none */
	jup_audit_fields f;
} jup_audit_record;

/* jup_audit_record_from_row: read an audit_entry row (id and its
 * JUP_AUDIT__N values, as jup_store_scan gives them) into *r, person_id
 * written in decimal into num; the views point into vals and num. Values
 * of the wrong type (a damaged row) read as NULL fields, which then fail
 * the leaf hash. */
void jup_audit_record_from_row(int64_t id, const jup_value *vals, jup_audit_record *r,
			       char num[24]);

/* jup_audit_field_name: the field's name as in the proof text ("actor"). */
const char *jup_audit_field_name(jup_audit_field f);

/* jup_audit_fields_check: JUP_OK when every field obeys the rules above
 * (required fields present, text UTF-8 without control characters and 1 to
 * JUP_AUDIT_MAX_FIELD bytes, recorded_at and person_id well formed, outcome
 * one of the three); JUP_ERR_INVALID naming the first bad field otherwise
 * (its value is never echoed). */
jup_status jup_audit_fields_check(const jup_audit_fields *f, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_text_ok: true when s is fit for a text field: 1 to
 * JUP_AUDIT_MAX_FIELD bytes of UTF-8 without control characters. */
bool jup_audit_text_ok(jup_sv s);

/* jup_audit_canonical: append the canonical bytes of entry id with fields
 * f and previous leaf hash prev to out (fields as they are: no checking
 * beyond what the encoding needs). JUP_ERR_LIMIT when out's maximum is
 * passed; JUP_ERR_NOMEM. */
jup_status jup_audit_canonical(int64_t id, const jup_audit_fields *f, const jup_hash *prev,
			       jup_buf *out, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_leaf: the leaf hash of entry id (jup_merkle_leaf_hash of its
 * canonical bytes) into *leaf. Errors as jup_audit_canonical. */
jup_status jup_audit_leaf(int64_t id, const jup_audit_fields *f, const jup_hash *prev,
			  jup_hash *leaf, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_hash_hex: the 64 lower-case hex digits of h and a NUL. */
void jup_audit_hash_hex(const jup_hash *h, char out[2 * JUP_MERKLE_HASH_LEN + 1]);

/* jup_audit_hash_parse: read exactly 64 lower-case hex digits; false for
 * anything else (*h is then unspecified). */
bool jup_audit_hash_parse(jup_sv s, jup_hash *h);

/*
 * jup_audit_batch: many appends in one transaction with the saved state
 * read once and written once (group commit writes a batch of gate
 * decisions this way). Inside the caller's transaction:
 * jup_audit_batch_begin reads audit_state; jup_audit_batch_append adds an
 * entry (as jup_audit_append, without touching audit_state);
 * jup_audit_batch_end writes the state. A batch whose end was not reached
 * must be rolled back with the transaction. Errors as jup_audit_append.
 */
typedef struct jup_audit_batch {
	bool existed;        /* audit_state had its row */
	jup_merkle_tree tree; /* the tree after the last entry */
	jup_hash last;       /* the last entry's leaf hash */
	uint64_t appended;   /* entries added in this batch */
} jup_audit_batch;

jup_status jup_audit_batch_begin(jup_store *st, jup_audit_batch *b, jup_err *err) JUP_MUST_CHECK;
jup_status jup_audit_batch_append(jup_store *st, jup_audit_batch *b, const jup_audit_entry *e,
				  int64_t *id, jup_err *err) JUP_MUST_CHECK;
jup_status jup_audit_batch_end(jup_store *st, jup_audit_batch *b, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_audit_append: add entry e to the log; *id (may be NULL) gets its id.
 * Runs inside the CALLER's transaction (jup_store_begin before, commit
 * after): a gate decision and its entry become durable together, and a
 * rollback takes both back. Reads audit_state (absent: the log is empty),
 * writes the entry and the new state: O(log n), no earlier entry is read.
 * JUP_ERR_INVALID for an entry breaking the field rules (nothing written),
 * or when the log and its state disagree (the caller should roll back and
 * run jup_audit_verify); JUP_ERR_LIMIT for a full tree; store errors as
 * the store gives them (roll back).
 */
jup_status jup_audit_append(jup_store *st, const jup_audit_entry *e, int64_t *id,
			    jup_err *err) JUP_MUST_CHECK;

/* jup_audit_size: the number of entries as audit_state counts them (0 for
 * an empty log) into *n: one row read, no entry. JUP_ERR_INVALID for a
 * malformed state; store errors. */
jup_status jup_audit_size(jup_store *st, int64_t *n, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_report: what jup_audit_verify found. */
typedef struct jup_audit_report {
	int64_t entries;        /* entries found intact */
	int64_t checkpoints;    /* checkpoints found intact */
	int64_t runs;           /* person runs (full blocks) found intact */
	bool signatures;        /* their notes were checked with a key */
	uint64_t size;          /* the tree rebuilt from the entries */
	jup_hash root;          /* its root */
	int64_t bad_entry;      /* the first entry altered, removed or moved; 0 none */
	int64_t bad_checkpoint; /* the first bad checkpoint (its row id); 0 none */
	int64_t bad_block;      /* the first block (from 0) whose person run is
				   wrong, or that has run rows but is not full;
				   -1 none */
} jup_audit_report;

/*
 * jup_audit_verify: check the whole log: every entry's leaf hash against its
 * recomputed canonical bytes, the prev_hash chain, ids consecutive from 1,
 * the tree rebuilt from the entries against audit_state, every stored
 * checkpoint (in id order: sizes rising, at most the log's size, its root
 * that of the tree at its size, and with key (may be NULL) its note signed
 * by key and stating that size and root), and the person index: each full
 * block's run holds exactly the (person_id, entry_id) pairs of the block's
 * entries about somebody, and no other block has run rows (a run row
 * removed would hide an access from the citizen's history). O(n): one pass
 * over the entries, reading each block's run as the block ends, and a count
 * of the runs' rows. JUP_OK when all holds; JUP_ERR_INVALID at the first
 * failure, with rep->bad_entry, rep->bad_checkpoint or rep->bad_block set
 * and err saying why (ids, blocks and sizes only); JUP_ERR_NOMEM; store
 * errors as the store gives them. rep is always filled as far as the check
 * went. Reads in the current transaction, if any.
 */
jup_status jup_audit_verify(jup_store *st, const jup_checkpoint_pubkey *key, jup_audit_report *rep,
			    jup_err *err) JUP_MUST_CHECK;

/*
 * jup_audit_checkpoint: sign the current tree head (size and root, from
 * audit_state) as a checkpoint with origin (NULL: JUP_AUDIT_DEFAULT_ORIGIN)
 * and store it, in its own transaction; the signed note is appended to
 * note (may be NULL). Cheap: the state is only checked against the last
 * entry and the entry count (run jup_audit_verify for the full check).
 * Refuses an empty log (JUP_ERR_INVALID) and a size that already has a
 * checkpoint (JUP_ERR_EXISTS: nothing new to sign). Errors of
 * jup_checkpoint_sign; store errors (nothing written).
 */
jup_status jup_audit_checkpoint(jup_store *st, const char *origin,
				const jup_checkpoint_signer *signer, jup_buf *note,
				jup_err *err) JUP_MUST_CHECK;

/*
 * jup_audit_prove: append to out a proof (text, docs/FORMATS.md) that entry
 * entry_id is in the tree of the latest checkpoint: the entry's fields, its
 * leaf index, the tree size, the inclusion path and the signed note.
 * JUP_ERR_NOT_FOUND when there is no such entry or no checkpoint, or the
 * latest checkpoint does not cover the entry (make a checkpoint first);
 * JUP_ERR_INVALID when a stored leaf hash or checkpoint is malformed; store
 * errors. Reads every leaf hash up to the checkpoint's size (O(n)).
 */
jup_status jup_audit_prove(jup_store *st, int64_t entry_id, jup_buf *out,
			   jup_err *err) JUP_MUST_CHECK;

/*
 * jup_audit_prove_consistency: append to out a proof that the latest
 * checkpoint's tree extends the tree of the checkpoint of old_size (both
 * notes and the consistency path). JUP_ERR_NOT_FOUND when no checkpoint has
 * that size; otherwise as jup_audit_prove.
 */
jup_status jup_audit_prove_consistency(jup_store *st, uint64_t old_size, jup_buf *out,
				       jup_err *err) JUP_MUST_CHECK;

typedef enum jup_audit_proof_kind {
	JUP_AUDIT_PROOF_INCLUSION,
	JUP_AUDIT_PROOF_CONSISTENCY,
} jup_audit_proof_kind;

/* jup_audit_proof: a parsed proof text (not verified); views into the text. */
typedef struct jup_audit_proof {
	jup_audit_proof_kind kind;
	int64_t entry_id;        /* inclusion: the entry */
	jup_audit_fields fields; /* inclusion: its fields */
	jup_hash prev;           /* inclusion: its prev_hash */
	uint64_t leaf_index;     /* inclusion: entry_id - 1 */
	uint64_t old_size;       /* consistency: the earlier size */
	uint64_t size;           /* the tree size of the (latest) checkpoint */
	jup_merkle_proof path;   /* the proof hashes */
	jup_sv old_note;         /* consistency: the earlier signed note */
	jup_sv note;             /* the (latest) signed note */
} jup_audit_proof;

/* jup_audit_proof_parse: read a proof text strictly (every line as
 * docs/FORMATS.md gives it, nothing after the last note). JUP_ERR_LIMIT
 * past JUP_AUDIT_MAX_PROOF bytes or JUP_MERKLE_MAX_PROOF hashes,
 * JUP_ERR_INVALID for anything malformed (naming the line). Verifies
 * nothing; the notes are not parsed. */
jup_status jup_audit_proof_parse(jup_sv text, jup_audit_proof *out, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_proof_result: what a verified proof shows. */
typedef struct jup_audit_proof_result {
	jup_audit_proof_kind kind;
	int64_t entry_id;  /* inclusion */
	uint64_t old_size; /* consistency */
	uint64_t size;
	jup_hash root;
	char origin[JUP_CHECKPOINT_MAX_NAME + 1];
} jup_audit_proof_result;

/*
 * jup_audit_verify_proof: check a proof offline with only the public key:
 * parse it, open its note(s) with key (same origin for both), check that
 * the sizes stated are the notes' and, for inclusion, recompute the leaf
 * from the entry's fields and check the path to the signed root; for
 * consistency, check the path between the two signed roots. JUP_OK and
 * *res filled when it holds; JUP_ERR_INVALID (or JUP_ERR_LIMIT) saying
 * why otherwise.
 */
jup_status jup_audit_verify_proof(jup_sv text, const jup_checkpoint_pubkey *key,
				  jup_audit_proof_result *res, jup_err *err) JUP_MUST_CHECK;

/* jup_audit_history_fn: one entry for jup_audit_history; anything but
 * JUP_OK stops the walk and is returned. */
typedef jup_status (*jup_audit_history_fn)(void *ctx, const jup_audit_record *r, jup_err *err);

/*
 * jup_audit_history: call fn for every entry about the person(s) holding
 * NHS number nhs (as jup_person_ids), oldest first: the citizen's view
 * of who accessed their record. *count (may be NULL) gets the number of
 * entries. Finds them by each person's rows in the run of every full block
 * (the log's size from audit_state) and by reading the tail, the entries
 * after the last full block; an entry is given only when it is about one
 * of the persons. Errors as jup_person_ids, or fn's; JUP_ERR_INVALID for a
 * malformed state or run row, or a run row naming an entry about somebody
 * else (the index was tampered with: run jup_audit_verify); JUP_ERR_NOMEM.
 */
jup_status jup_audit_history(jup_store *st, const char *nhs, jup_audit_history_fn fn, void *ctx,
			     size_t *count, jup_err *err) JUP_MUST_CHECK;

#endif
