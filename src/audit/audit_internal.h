/*
 * audit_internal.h - what the audit log's files share (private to audit/):
 * the person index, one sorted run per full block of entries (audit_run.c),
 * written by the append of audit_log.c and checked by its verify.
 */
#ifndef JUP_AUDIT_INTERNAL_H
#define JUP_AUDIT_INTERNAL_H

#include "audit/jup_audit.h"

/* One row of a run: an entry about a person. */
typedef struct audit_pair {
	int64_t person_id;
	int64_t entry_id;
} audit_pair;

typedef struct audit_pairs {
	audit_pair *v;
	size_t n, cap;
} audit_pairs;

/* audit_block_of: the block (from 0) holding entry id (from 1). */
static inline int64_t audit_block_of(int64_t id)
{
	return (id - 1) / JUP_AUDIT_BLOCK;
}

/*
 * audit_run_write: write the run of the block that entry last completes
 * (last is a multiple of JUP_AUDIT_BLOCK and the newest entry), inside the
 * caller's transaction: the (person_id, entry_id) pairs of the block's
 * entries about somebody, sorted, so the rows go in at the table's right
 * edge (jup_store_audit_run_fill, one statement). Store errors.
 */
jup_status audit_run_write(jup_store *st, int64_t last, jup_err *err) JUP_MUST_CHECK;

/* audit_run_check: verify's check of the runs, fed the entries in id order.
 * Zero it and set rep; free it with audit_run_check_free. */
typedef struct audit_run_check {
	jup_audit_report *rep; /* runs counted, bad_block set */
	audit_pairs want;      /* the current block's pairs, from its entries */
	audit_pairs got;       /* the rows of its run */
	int64_t block;         /* the block whose run is being read */
	int64_t rows;          /* run rows read, over every block checked */
} audit_run_check;

/*
 * audit_run_check_entry: note entry id (already verified) about person_id
 * (0: nobody); when id ends a block, read the block's run and compare it
 * with the block's pairs. JUP_ERR_INVALID with c->rep->bad_block set and
 * err naming the block and an entry id (no person id) when they differ or
 * a row is malformed; JUP_ERR_NOMEM; store errors.
 */
jup_status audit_run_check_entry(jup_store *st, audit_run_check *c, int64_t id, int64_t person_id,
				 jup_err *err) JUP_MUST_CHECK;

/*
 * audit_run_check_end: after the last entry (entries in all): the run rows
 * read with the full blocks are all the table holds. JUP_ERR_INVALID with
 * c->rep->bad_block set to the first block with rows that is not full (a
 * row with a negative or non-integer block counts as block entries /
 * JUP_AUDIT_BLOCK, the first one not full); store errors.
 */
jup_status audit_run_check_end(jup_store *st, audit_run_check *c, int64_t entries,
			       jup_err *err) JUP_MUST_CHECK;

/* audit_run_check_free: release c's memory (c may be checked again after
 * zeroing). */
void audit_run_check_free(audit_run_check *c);

#endif
