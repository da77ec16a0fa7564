/*
 * link_db_store.c - reading and writing the master person index's model,
 * term frequencies and records through the store interface.
 */
#include "link/link_db_internal.h"

#include "core/jup_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const jup_link_cmp link_db_tf_cmps[3] = { JUP_CMP_GIVEN, JUP_CMP_FAMILY, JUP_CMP_POSTCODE };

static const int tf_total_col[3] = { JUP_RUN_TF_GIVEN, JUP_RUN_TF_FAMILY, JUP_RUN_TF_POSTCODE };

static jup_status latest_run(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	link_db_stored *s = ctx;
	if (v[JUP_RUN_FINISHED_AT].type == JUP_V_NULL)
		return JUP_OK;
	for (int i = 0; i < 3; i++)
		s->tf_total[link_db_tf_cmps[i]] =
			v[tf_total_col[i]].type == JUP_V_INT ? (uint64_t)v[tf_total_col[i]].i : 0;
	s->upper = v[JUP_RUN_UPPER].d;
	s->lower = v[JUP_RUN_LOWER].d;
	if (v[JUP_RUN_MODEL_RUN_ID].type == JUP_V_INT && v[JUP_RUN_PRIOR].type == JUP_V_REAL) {
		s->model_run_id = v[JUP_RUN_MODEL_RUN_ID].i;
		s->model.prior = v[JUP_RUN_PRIOR].d;
	}
	return JUP_OK;
}

static int cmp_by_name(jup_sv name)
{
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		if (jup_sv_eq_cstr(name, jup_link_cmp_name((jup_link_cmp)c)))
			return c;
	return -1;
}

static jup_status model_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	link_db_stored *s = ctx;
	int c = cmp_by_name(link_db_text(&v[JUP_LMODEL_COMPARISON]));
	int64_t l = v[JUP_LMODEL_LEVEL].i;
	if (c < 0 || l < 0 || l >= jup_link_levels((jup_link_cmp)c) ||
	    v[JUP_LMODEL_M].type != JUP_V_REAL || v[JUP_LMODEL_U].type != JUP_V_REAL)
		return jup_err_set(err, JUP_ERR_STORE, "link_model: a row this build cannot read");
	s->model.m[c][l] = v[JUP_LMODEL_M].d;
	s->model.u[c][l] = v[JUP_LMODEL_U].d;
	return JUP_OK;
}

jup_status link_db_load_model(jup_store *st, link_db_stored *out, jup_err *err)
{
	memset(out, 0, sizeof *out);
	jup_link_model_defaults(&out->model, 2);
	jup_status r = jup_store_scan(st, JUP_TABLE_LINK_RUN, NULL, 0, latest_run, out, err);
	if (r || !out->model_run_id)
		return r;
	jup_match by_run = { JUP_LMODEL_RUN_ID, jup_v_int(out->model_run_id) };
	return jup_store_scan(st, JUP_TABLE_LINK_MODEL, &by_run, 1, model_row, out, err);
}

jup_status link_db_save_model(jup_store *st, int64_t run_id, const jup_link_model *m, jup_err *err)
{
	jup_status r = JUP_OK;
	for (int c = 0; c < JUP_CMP__COUNT && !r; c++)
		for (int l = 0; l < jup_link_levels((jup_link_cmp)c) && !r; l++) {
			jup_value row[JUP_LMODEL__N] = {
				[JUP_LMODEL_RUN_ID] = jup_v_int(run_id),
				[JUP_LMODEL_COMPARISON] =
					jup_v_cstr(jup_link_cmp_name((jup_link_cmp)c)),
				[JUP_LMODEL_LEVEL] = jup_v_int(l),
				[JUP_LMODEL_M] = jup_v_real(m->m[c][l]),
				[JUP_LMODEL_U] = jup_v_real(m->u[c][l]),
			};
			r = jup_store_insert(st, JUP_TABLE_LINK_MODEL, row, NULL, NULL, err);
		}
	return r;
}

void link_db_input(const jup_value *v, jup_link_input *in)
{
	jup_sv postcode = link_db_text(&v[JUP_SRC_POSTCODE]);
	if (postcode.len == 0) /* not a UK postcode: compared as plain text */
		postcode = link_db_text(&v[JUP_SRC_POSTCODE_RAW]);
	*in = (jup_link_input){
		.nhs_number = link_db_text(&v[JUP_SRC_NHS_NUMBER]),
		.given_name = link_db_text(&v[JUP_SRC_GIVEN_NAME]),
		.family_name = link_db_text(&v[JUP_SRC_FAMILY_NAME]),
		.dob = link_db_text(&v[JUP_SRC_DOB]),
		.sex = link_db_text(&v[JUP_SRC_SEX]),
		.postcode = postcode,
		.address = link_db_text(&v[JUP_SRC_ADDRESS]),
	};
}

typedef struct one_record {
	jup_link_rec *rec;
	jup_link_db_ref *ref;
	int64_t org_id;
	bool found;
} one_record;

static jup_status record_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	one_record *o = ctx;
	jup_link_input in;
	link_db_input(v, &in);
	jup_link_prepare(&in, o->rec);
	o->ref->id = id;
	jup_sv local = link_db_text(&v[JUP_SRC_LOCAL_ID]);
	int len = local.len > 48 ? 48 : (int)local.len; /* local ids: 1-32 */
	snprintf(o->ref->name, sizeof o->ref->name, "?:%.*s", len, local.ptr);
	o->org_id = v[JUP_SRC_ORG_ID].i;
	o->found = true;
	return JUP_OK;
}

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	jup_link_db_ref *ref = ctx;
	jup_sv code = link_db_text(&v[JUP_ORG_CODE]);
	char local[sizeof ref->name];
	snprintf(local, sizeof local, "%s", ref->name + 2); /* after "?:" */
	int codelen = code.len > 12 ? 12 : (int)code.len;   /* organisation codes: 3-12 */
	snprintf(ref->name, sizeof ref->name, "%.*s:%.48s", codelen, code.ptr, local);
	return JUP_OK;
}

jup_status link_db_record(jup_store *st, int64_t id, jup_link_rec *rec, jup_link_db_ref *ref,
			  jup_err *err)
{
	one_record o = { rec, ref, 0, false };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &by_id, 1, record_row, &o, err);
	if (!r && !o.found)
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no source record %lld", (long long)id);
	jup_match org = { JUP_COL_ID, jup_v_int(o.org_id) };
	return r ? r : jup_store_scan(st, JUP_TABLE_ORGANISATION, &org, 1, org_row, ref, err);
}

typedef struct tf_lookup {
	jup_link_tf *tf;
	jup_link_cmp c;
	const char *value;
} tf_lookup;

static jup_status tf_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	tf_lookup *t = ctx;
	int64_t n = v[JUP_LTF_N].i;
	jup_status r = jup_link_tf_put(t->tf, t->c, t->value,
				       n > UINT32_MAX ? UINT32_MAX : (uint32_t)(n < 0 ? 0 : n));
	return r ? jup_err_set(err, r, "term frequencies: %s", jup_strerror(r)) : JUP_OK;
}

static jup_status tf_fetch(jup_store *st, tf_lookup *t, const jup_link_rec *rec, jup_err *err)
{
	t->value = jup_link_tf_value(t->c, rec);
	if (!t->value || !t->value[0] || jup_link_tf_share(t->tf, t->c, rec) > 0)
		return JUP_OK; /* nothing to count, or already fetched */
	jup_match key[2] = { { JUP_LTF_COMPARISON, jup_v_cstr(jup_link_cmp_name(t->c)) },
			     { JUP_LTF_VALUE, jup_v_cstr(t->value) } };
	return jup_store_scan(st, JUP_TABLE_LINK_TF, key, 2, tf_row, t, err);
}

jup_status link_db_tf_new(const link_db_stored *s, jup_link_tf **out, jup_err *err)
{
	jup_status r = jup_link_tf_new(out, err);
	for (int i = 0; i < 3 && !r; i++) /* a share is only defined once the total is set */
		jup_link_tf_set_total(*out, link_db_tf_cmps[i], s->tf_total[link_db_tf_cmps[i]]);
	return r;
}

jup_status link_db_tf_add(jup_store *st, jup_link_tf *tf, const jup_link_rec *rec, jup_err *err)
{
	jup_status r = JUP_OK;
	for (int i = 0; i < 3 && !r; i++) {
		tf_lookup t = { tf, link_db_tf_cmps[i], NULL };
		r = tf_fetch(st, &t, rec, err);
	}
	return r;
}

jup_status link_db_tf_for(jup_store *st, const link_db_stored *s, const jup_link_rec *a,
			  const jup_link_rec *b, jup_link_tf **out, jup_err *err)
{
	jup_link_tf *tf = NULL;
	jup_status r = link_db_tf_new(s, &tf, err);
	if (!r)
		r = link_db_tf_add(st, tf, a, err);
	if (!r)
		r = link_db_tf_add(st, tf, b, err);
	if (r) {
		jup_link_tf_free(tf);
		return r;
	}
	*out = tf;
	return JUP_OK;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	link_db_members *m = ctx;
	struct link_db_member *items = jup_array_grow(m->items, &m->cap, m->n, sizeof *items, 4096);
	if (!items)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	m->items = items;
	m->items[m->n++] = (struct link_db_member){ v[JUP_PM_SOURCE_ID].i, v[JUP_PM_PERSON_ID].i };
	return JUP_OK;
}

jup_status link_db_members_load(jup_store *st, link_db_members *m, jup_err *err)
{
	*m = (link_db_members){ 0 };
	return jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, NULL, 0, member_row, m, err);
}

int64_t link_db_members_person(link_db_members *m, int64_t source_id)
{
	while (m->at < m->n && m->items[m->at].source_id < source_id)
		m->at++;
	if (m->at < m->n && m->items[m->at].source_id == source_id)
		return m->items[m->at].person_id;
	return 0;
}

void link_db_members_free(link_db_members *m)
{
	free(m->items);
	*m = (link_db_members){ 0 };
}
