/*
 * link_db_internal.h - store helpers shared by the files of the master person
 * index (link_db*.c); private to src/link/.
 */
#ifndef LINK_DB_INTERNAL_H
#define LINK_DB_INTERNAL_H

#include "link/jup_link_db.h"

/* The stored model and term-frequency totals, as the latest runs left them. */
typedef struct link_db_stored {
	int64_t model_run_id; /* 0: no model trained yet */
	jup_link_model model;
	uint64_t tf_total[JUP_CMP__COUNT]; /* of the latest run */
	double upper, lower;               /* the latest run's thresholds */
} link_db_stored;

/* link_db_load_model: the latest model and totals (model_run_id 0 when no
 * run has trained one). */
jup_status link_db_load_model(jup_store *st, link_db_stored *out, jup_err *err) JUP_MUST_CHECK;

/* link_db_save_model: store m as the model of run run_id. */
jup_status link_db_save_model(jup_store *st, int64_t run_id, const jup_link_model *m,
			      jup_err *err) JUP_MUST_CHECK;

/* link_db_input: the linkage input of a source_record row (views into vals). */
void link_db_input(const jup_value *vals, jup_link_input *in);

/* link_db_record: prepare source record id and name it ("ORG:LOCAL_ID").
 * JUP_ERR_NOT_FOUND when there is no such record. */
jup_status link_db_record(jup_store *st, int64_t id, jup_link_rec *rec, jup_link_db_ref *ref,
			  jup_err *err) JUP_MUST_CHECK;

/* link_db_tf_for: term frequencies holding just the values of a and b, with
 * the stored totals; the caller frees with jup_link_tf_free. */
jup_status link_db_tf_for(jup_store *st, const link_db_stored *s, const jup_link_rec *a,
			  const jup_link_rec *b, jup_link_tf **out, jup_err *err) JUP_MUST_CHECK;

/* link_db_tf_new: empty term frequencies with the stored totals, to be
 * filled record by record with link_db_tf_add (free with jup_link_tf_free). */
jup_status link_db_tf_new(const link_db_stored *s, jup_link_tf **out, jup_err *err) JUP_MUST_CHECK;

/* link_db_tf_add: add the stored counts of rec's values not already in tf. */
jup_status link_db_tf_add(jup_store *st, jup_link_tf *tf, const jup_link_rec *rec, jup_err *err)
	JUP_MUST_CHECK;

/* link_db_keys_missing: true in *missing when people exist but no record
 * has search keys (a database linked before migration 9): the run then
 * writes the keys of every record. */
jup_status link_db_keys_missing(jup_store *st, bool *missing, jup_err *err) JUP_MUST_CHECK;

/* link_db_keys_write: write the search keys (person_name, link_key) of the
 * linked records recs[0..n), whose store ids are ids[0..n), each table's
 * rows in key order. */
jup_status link_db_keys_write(jup_store *st, const jup_link_rec *recs, const int64_t *ids,
			      size_t n, jup_err *err) JUP_MUST_CHECK;

/* link_db_text: the text of a value ("" for NULL and numbers). */
static inline jup_sv link_db_text(const jup_value *v)
{
	return v->type == JUP_V_TEXT ? v->s : (jup_sv){ "", 0 };
}

/* Every linked source record's person, in source id order, read once and
 * then walked alongside a scan of source_record (also in id order). */
typedef struct link_db_members {
	struct link_db_member {
		int64_t source_id, person_id;
	} *items;
	size_t n, cap, at;
} link_db_members;

/* link_db_members_load: read person_member into *m (zeroed first). */
jup_status link_db_members_load(jup_store *st, link_db_members *m, jup_err *err)
	JUP_MUST_CHECK;

/* link_db_members_person: the person of source_id, 0 when not linked; ids
 * must be asked in increasing order. */
int64_t link_db_members_person(link_db_members *m, int64_t source_id);

/* link_db_members_free: release m. */
void link_db_members_free(link_db_members *m);

/* The comparisons the term frequencies count. */
extern const jup_link_cmp link_db_tf_cmps[3];

#endif
