/*
 * fhir_audit.c - an audit log entry as an AuditEvent: what was done (type,
 * subtype, action), when, with what outcome and why, by whom and for which
 * organisation, for which purpose (v3 PurposeOfUse, break-glass as BTG),
 * about whom and what.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

#define DCM "http://dicom.nema.org/resources/ontology/DCM"

/* The FHIR action code of each audited action (E for one not listed). */
static const struct {
	const char *action, *code;
} actions[] = {
	{ "record.read", "R" },        { "consent.set", "C" },      { "link.decide", "U" },
	{ "break_glass.review", "C" }, { "care_plan.create", "C" }, { "care_plan.update", "U" },
	{ "care_plan.read", "R" },
};

/* An entry's text field as a new JSON string; NULL for a NULL field (and a
 * failure when the bytes are not UTF-8). */
static json_t *field(fx *x, const jup_audit_record *r, jup_audit_field f)
{
	jup_sv v = r->f.f[f];
	if (!v.ptr)
		return NULL;
	json_t *s = json_stringn(v.ptr, v.len);
	if (!s)
		fx_fail(x, JUP_ERR_INVALID, "audit entry %lld: %s is not UTF-8", (long long)r->id,
			jup_audit_field_name(f));
	return s;
}

/* The field as a C string into buf (false for a NULL field). */
static bool field_cstr(const jup_audit_record *r, jup_audit_field f, char *buf, size_t cap)
{
	jup_sv v = r->f.f[f];
	return v.ptr && jup_sv_to_cstr(v, buf, cap);
}

static void set_field(fx *x, json_t *o, const char *key, const jup_audit_record *r,
		      jup_audit_field f)
{
	json_t *v = field(x, r, f);
	if (v)
		fx_set(x, o, key, v);
}

static void what_happened(fx *x, const jup_audit_record *r, json_t *ev)
{
	char action[64] = "";
	(void)field_cstr(r, JUP_AUDIT_F_ACTION, action, sizeof action);
	bool person = r->person_id > 0;
	fx_set(x, ev, "type",
	       person ? fx_coding(x, DCM, "110110", "Patient Record")
		      : fx_coding(x, DCM, "110100", "Application Activity"));
	json_t *sub = fx_arr(x);
	json_t *c = fx_coding(x, FX_CS("audit-action"), NULL, NULL);
	set_field(x, c, "code", r, JUP_AUDIT_F_ACTION);
	fx_push(x, sub, c);
	fx_set(x, ev, "subtype", sub);
	const char *code = "E";
	for (size_t i = 0; i < FX_N(actions); i++)
		if (strcmp(action, actions[i].action) == 0)
			code = actions[i].code;
	fx_sets(x, ev, "action", code);
	set_field(x, ev, "recorded", r, JUP_AUDIT_F_RECORDED_AT);
	char outcome[16] = "";
	(void)field_cstr(r, JUP_AUDIT_F_OUTCOME, outcome, sizeof outcome);
	bool ok = strcmp(outcome, "permit") == 0 || strcmp(outcome, "done") == 0;
	fx_sets(x, ev, "outcome", ok ? "0" : strcmp(outcome, "deny") == 0 ? "4" : "8");
	set_field(x, ev, "outcomeDesc", r, JUP_AUDIT_F_REASON);
}

/* Why: our purpose and the v3 PurposeOfUse that fits; break-glass as BTG
 * with the justification given. */
static void purpose(fx *x, const jup_audit_record *r, json_t *ev)
{
	char name[64] = "";
	(void)field_cstr(r, JUP_AUDIT_F_PURPOSE, name, sizeof name);
	const fx_code *p = fx_code_find(fx_purposes, fx_npurposes, name);
	json_t *ours = fx_coding(x, JUP_FHIR_CS_PURPOSE, NULL, p ? p->display : NULL);
	set_field(x, ours, "code", r, JUP_AUDIT_F_PURPOSE);
	json_t *std = p && p->system ? fx_coding(x, p->system, p->std_code, p->std_display) : NULL;
	json_t *list = fx_arr(x);
	fx_push(x, list, fx_cc(x, std, ours, NULL));
	json_t *btg = field(x, r, JUP_AUDIT_F_BREAK_GLASS);
	if (btg) {
		json_t *cc = fx_cc(x, fx_coding(x, FX_V3_ACT_REASON, "BTG", "break the glass"),
				   NULL, NULL);
		fx_set(x, cc, "text", btg);
		fx_push(x, list, cc);
	}
	fx_set(x, ev, "purposeOfEvent", list);
}

static void agents(fx *x, const jup_audit_record *r, json_t *ev)
{
	json_t *list = fx_arr(x);
	json_t *user = fx_obj(x);
	json_t *who = fx_obj(x);
	json_t *ident = fx_obj(x);
	fx_sets(x, ident, "system", FX_ID("user"));
	set_field(x, ident, "value", r, JUP_AUDIT_F_ACTOR);
	fx_set(x, who, "identifier", ident);
	set_field(x, who, "display", r, JUP_AUDIT_F_ACTOR);
	fx_set(x, user, "who", who);
	fx_set(x, user, "requestor", json_true());
	if (r->f.f[JUP_AUDIT_F_ROLE].ptr) {
		json_t *c = fx_coding(x, FX_CS("role"), NULL, NULL);
		set_field(x, c, "code", r, JUP_AUDIT_F_ROLE);
		json_t *roles = fx_arr(x);
		fx_push(x, roles, fx_cc(x, c, NULL, NULL));
		fx_set(x, user, "role", roles);
	}
	fx_push(x, list, user);
	char org[JUP_MAX_ORG_CODE_LEN + 1];
	if (field_cstr(r, JUP_AUDIT_F_ORG_CODE, org, sizeof org) && org[0]) {
		json_t *o = fx_obj(x);
		fx_set(x, o, "who", fx_org_ref(x, org, NULL));
		fx_set(x, o, "requestor", json_false());
		fx_push(x, list, o);
	}
	fx_set(x, ev, "agent", list);
}

static json_t *entity_type(fx *x, const char *code, const char *display)
{
	return fx_coding(x, FX_HL7_CS("audit-entity-type"), code, display);
}

static void entities(fx *x, const jup_audit_record *r, const char *pid, json_t *ev)
{
	json_t *list = fx_arr(x);
	if (pid) {
		json_t *e = fx_obj(x);
		fx_set(x, e, "what", fx_ref(x, "Patient", pid, NULL));
		fx_set(x, e, "type", entity_type(x, "1", "Person"));
		fx_set(x, e, "role", fx_coding(x, FX_HL7_CS("object-role"), "1", "Patient"));
		fx_push(x, list, e);
	}
	json_t *what = field(x, r, JUP_AUDIT_F_WHAT);
	if (what) {
		json_t *e = fx_obj(x);
		fx_set(x, e, "type", entity_type(x, "2", "System Object"));
		fx_set(x, e, "description", what);
		fx_push(x, list, e);
	}
	json_t *req = field(x, r, JUP_AUDIT_F_REQUEST_ID);
	if (req) {
		json_t *e = fx_obj(x);
		json_t *ref = fx_obj(x);
		json_t *ident = fx_obj(x);
		fx_sets(x, ident, "system", FX_ID("request"));
		fx_set(x, ident, "value", req);
		fx_set(x, ref, "identifier", ident);
		fx_set(x, e, "what", ref);
		fx_set(x, e, "type", entity_type(x, "2", "System Object"));
		fx_sets(x, e, "name", "request");
		fx_push(x, list, e);
	}
	if (json_array_size(list))
		fx_set(x, ev, "entity", list);
	else
		json_decref(list);
}

jup_status jup_fhir_audit_event(const jup_audit_record *r, const char *patient_id, json_t **out,
				jup_err *err)
{
	if (out)
		*out = NULL;
	if (!r || !out)
		return jup_err_set(err, JUP_ERR_USAGE, "audit event: missing entry");
	char num[24];
	const char *pid = patient_id;
	if (!pid && r->person_id > 0) {
		snprintf(num, sizeof num, "%lld", (long long)r->person_id);
		pid = num;
	}
	if (pid && !jup_fhir_id_ok(pid))
		return fx_check_patient_id(pid, err);
	fx x;
	fx_init(&x, err);
	char id[JUP_FHIR_ID_MAX + 1];
	fx_item_id("audit", r->id, id);
	json_t *ev = fx_resource(&x, "AuditEvent", id);
	what_happened(&x, r, ev);
	purpose(&x, r, ev);
	agents(&x, r, ev);
	json_t *src = fx_obj(&x);
	json_t *observer = fx_obj(&x);
	fx_sets(&x, observer, "display", "joinedup");
	fx_set(&x, src, "observer", observer);
	json_t *types = fx_arr(&x);
	fx_push(&x, types,
		fx_coding(&x, FX_HL7_CS("security-source-type"), "4", "Application Server"));
	fx_set(&x, src, "type", types);
	fx_set(&x, ev, "source", src);
	entities(&x, r, pid, ev);
	jup_status st = fx_done(&x);
	if (st) {
		json_decref(ev);
		return st;
	}
	*out = ev;
	return JUP_OK;
}
