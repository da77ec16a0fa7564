/*
 * care_common.c - what every part of the joined-up record uses: the
 * sections, the organisation and import file caches (each row is read
 * once per record), where an item came from, and small JSON helpers.
 */
#include "care/care_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- sections ------------------------------------------------------------------- */

care_section care_section_of(jup_org_kind k)
{
	switch (k) {
	case JUP_ORG_GP_PRACTICE:
		return CARE_GP;
	case JUP_ORG_COUNCIL:
		return CARE_SOCIAL_CARE;
	default: /* hospital trusts and hospices */
		return CARE_HOSPITAL;
	}
}

const char *care_section_name(care_section s)
{
	static const char *const names[CARE_SECTION__COUNT] = {
		[CARE_GP] = "gp",
		[CARE_HOSPITAL] = "hospital",
		[CARE_SOCIAL_CARE] = "social_care",
	};
	return (unsigned)s < CARE_SECTION__COUNT ? names[s] : "unknown";
}

bool care_allowed(const care_ctx *c, care_section s)
{
	switch (s) {
	case CARE_GP:
		return c->d->gp_data;
	case CARE_HOSPITAL:
		return c->d->hospital_data;
	case CARE_SOCIAL_CARE:
		return c->d->social_care_data;
	default:
		return false;
	}
}

void care_ctx_free(care_ctx *c)
{
	for (size_t i = 0; i < c->norgs; i++)
		json_decref(c->orgs[i].name);
	for (size_t i = 0; i < c->nfiles; i++)
		json_decref(c->files[i].name);
	free(c->orgs);
	free(c->files);
	free(c->members);
	free(c->recs);
}

/* ---- JSON helpers --------------------------------------------------------------- */

void care_set(care_ctx *c, json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v))
		c->oom = true; /* jansson released v */
}

void care_append(care_ctx *c, json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v))
		c->oom = true;
}

json_t *care_value(const jup_value *v)
{
	switch (v->type) {
	case JUP_V_INT:
		return json_integer(v->i);
	case JUP_V_REAL:
		return json_real(v->d);
	case JUP_V_TEXT:
		return json_stringn(v->s.ptr, v->s.len);
	default:
		return json_null();
	}
}

int64_t care_int(const jup_value *v)
{
	return v->type == JUP_V_INT ? v->i : 0;
}

json_t *care_year(const jup_value *v)
{
	if (v->type != JUP_V_TEXT || v->s.len < 4)
		return json_null();
	json_int_t year = 0;
	for (size_t i = 0; i < 4; i++) {
		char ch = v->s.ptr[i];
		if (ch < '0' || ch > '9')
			return json_null();
		year = year * 10 + (ch - '0');
	}
	return json_integer(year);
}

jup_status care_done(const care_ctx *c, jup_err *err)
{
	if (!c->oom)
		return JUP_OK;
	/* json_stringn also fails on text that is not UTF-8, which import never stores */
	return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
}

/* ---- organisations -------------------------------------------------------------- */

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	care_org *o = ctx;
	o->id = id;
	if (v[JUP_ORG_CODE].type != JUP_V_TEXT ||
	    !jup_sv_to_cstr(v[JUP_ORG_CODE].s, o->code, sizeof o->code))
		return jup_err_set(err, JUP_ERR_STORE, "organisation %lld: bad code",
				   (long long)id);
	o->kind = jup_store_org_kind_parse(&v[JUP_ORG_KIND]);
	if (o->kind == JUP_ORG_KIND__COUNT)
		return jup_err_set(err, JUP_ERR_STORE, "organisation %lld: unknown kind",
				   (long long)id);
	o->participating = care_int(&v[JUP_ORG_PARTICIPATING]) != 0;
	o->name = care_value(&v[JUP_ORG_NAME]);
	return o->name ? JUP_OK
		       : jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
}

jup_status care_org_get(care_ctx *c, int64_t id, size_t *idx, jup_err *err)
{
	for (size_t i = 0; i < c->norgs; i++)
		if (c->orgs[i].id == id) {
			*idx = i;
			return JUP_OK;
		}
	care_org *grown = jup_array_grow(c->orgs, &c->orgs_cap, c->norgs, sizeof *c->orgs, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
	c->orgs = grown;
	care_org o = { 0 };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status r = jup_store_scan(c->st, JUP_TABLE_ORGANISATION, &by_id, 1, org_row, &o, err);
	if (!r && !o.name)
		r = jup_err_set(err, JUP_ERR_STORE, "organisation %lld is not in the store",
				(long long)id);
	if (r) {
		json_decref(o.name);
		return r;
	}
	*idx = c->norgs;
	c->orgs[c->norgs++] = o;
	return JUP_OK;
}

/* ---- import files --------------------------------------------------------------- */

static jup_status file_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	care_file *f = ctx;
	f->id = id;
	f->name = care_value(&v[JUP_IMPORT_FILE_NAME]);
	return f->name ? JUP_OK
		       : jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
}

jup_status care_file_name(care_ctx *c, int64_t id, json_t **name, jup_err *err)
{
	*name = NULL;
	for (size_t i = 0; i < c->nfiles; i++)
		if (c->files[i].id == id) {
			*name = json_incref(c->files[i].name);
			return JUP_OK;
		}
	care_file *grown = jup_array_grow(c->files, &c->files_cap, c->nfiles, sizeof *c->files, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
	c->files = grown;
	care_file f = { 0 };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status r = jup_store_scan(c->st, JUP_TABLE_IMPORT_FILE, &by_id, 1, file_row, &f, err);
	if (!r && !f.name)
		r = jup_err_set(err, JUP_ERR_STORE, "import file %lld is not in the store",
				(long long)id);
	if (r) {
		json_decref(f.name);
		return r;
	}
	c->files[c->nfiles++] = f;
	*name = json_incref(f.name);
	return JUP_OK;
}

/* ---- where an item came from ---------------------------------------------------- */

jup_status care_provenance(care_ctx *c, json_t *obj, const jup_provenance *prov, jup_err *err)
{
	json_t *name;
	jup_status r = care_file_name(c, prov->file_id, &name, err);
	if (r)
		return r;
	care_set(c, obj, "file", name);
	care_set(c, obj, "line", json_integer(prov->line));
	return JUP_OK;
}

jup_status care_item_source(care_ctx *c, const care_rec *rec, const jup_provenance *prov,
			    json_t **out, jup_err *err)
{
	json_t *src = json_object();
	if (!src) {
		c->oom = true;
		*out = NULL;
		return JUP_OK;
	}
	care_set(c, src, "organisation", json_string(c->orgs[rec->org].code));
	care_set(c, src, "record", json_integer(rec->id));
	jup_status r = care_provenance(c, src, prov, err);
	if (r) {
		json_decref(src);
		src = NULL;
	}
	*out = src;
	return r;
}
