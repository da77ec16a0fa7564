/*
 * gate_review.c - the information governance officer's review list: every
 * break-glass grant, who made it, why, and the review recorded against it.
 */
#include "gate/gate_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- listing ------------------------------------------------------------------ */

typedef struct user_names {
	char username[JUP_USERNAME_MAX + 1];
	jup_role role;
	int64_t org_id;
} user_names;

static jup_status user_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	user_names *u = ctx;
	char role[32];
	jup_value_copy_text(u->username, sizeof u->username, &v[JUP_USER_USERNAME]);
	jup_value_copy_text(role, sizeof role, &v[JUP_USER_ROLE]);
	if (!jup_role_parse(role, &u->role))
		u->role = JUP_ROLE__COUNT;
	u->org_id = v[JUP_USER_ORG_ID].type == JUP_V_INT ? v[JUP_USER_ORG_ID].i : 0;
	return JUP_OK;
}

/* The user's name, role and organisation code ("" when none). */
static jup_status user_of(jup_store *st, int64_t id, user_names *u, char *org_code, jup_err *err)
{
	memset(u, 0, sizeof *u);
	u->role = JUP_ROLE__COUNT;
	jup_match m = { JUP_COL_ID, jup_v_int(id) };
	jup_status s = jup_store_scan(st, JUP_TABLE_APP_USER, &m, 1, user_row, u, err);
	if (!s && org_code && u->org_id)
		s = jup_store_org_code(st, u->org_id, org_code, JUP_MAX_ORG_CODE_LEN + 1, err);
	return s;
}

typedef struct grant_walk {
	jup_store *st;
	jup_gate_grant_fn fn;
	void *ctx;
} grant_walk;

static int64_t int_or_zero(const jup_value *v)
{
	return v->type == JUP_V_INT ? v->i : 0;
}

static jup_status give_grant(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	grant_walk *w = ctx;
	jup_gate_grant g;
	memset(&g, 0, sizeof g);
	g.id = id;
	g.person_id = int_or_zero(&v[JUP_BG_PERSON_ID]);
	g.audit_id = int_or_zero(&v[JUP_BG_AUDIT_ID]);
	jup_value_copy_text(g.reason, sizeof g.reason, &v[JUP_BG_REASON]);
	jup_value_copy_text(g.granted_at, sizeof g.granted_at, &v[JUP_BG_GRANTED_AT]);
	jup_value_copy_text(g.expires_at, sizeof g.expires_at, &v[JUP_BG_EXPIRES_AT]);
	jup_value_copy_text(g.reviewed_at, sizeof g.reviewed_at, &v[JUP_BG_REVIEWED_AT]);
	jup_value_copy_text(g.outcome, sizeof g.outcome, &v[JUP_BG_OUTCOME]);
	jup_value_copy_text(g.note, sizeof g.note, &v[JUP_BG_NOTE]);
	g.reviewed = v[JUP_BG_REVIEWED_AT].type != JUP_V_NULL;
	user_names u;
	jup_status s = user_of(w->st, int_or_zero(&v[JUP_BG_USER_ID]), &u, g.org_code, err);
	memcpy(g.username, u.username, sizeof g.username);
	g.role = u.role;
	if (!s && g.reviewed) {
		s = user_of(w->st, int_or_zero(&v[JUP_BG_REVIEWED_BY]), &u, NULL, err);
		memcpy(g.reviewed_by, u.username, sizeof g.reviewed_by);
	}
	return s ? s : w->fn(w->ctx, &g, err);
}

jup_status jup_gate_grant_each(jup_store *st, bool pending_only, jup_gate_grant_fn fn, void *ctx,
			       jup_err *err)
{
	grant_walk w = { st, fn, ctx };
	jup_match pending = { JUP_BG_REVIEWED_AT, jup_v_null() };
	return jup_store_scan(st, JUP_TABLE_BREAK_GLASS, &pending, pending_only ? 1 : 0,
			      give_grant, &w, err);
}

/* ---- reviewing --------------------------------------------------------------------- */

typedef struct grant_state {
	bool found, reviewed;
	int64_t person_id;
} grant_state;

static jup_status state_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	grant_state *g = ctx;
	g->found = true;
	g->reviewed = v[JUP_BG_REVIEWED_AT].type != JUP_V_NULL;
	g->person_id = int_or_zero(&v[JUP_BG_PERSON_ID]);
	return JUP_OK;
}

/* In the caller's transaction: check the grant, record the review and its
 * audit entry. */
static jup_status review_in_tx(jup_store *st, const jup_user *reviewer, int64_t grant_id,
			       bool appropriate, const char *note, jup_err *err)
{
	grant_state g = { 0 };
	jup_match id = { JUP_COL_ID, jup_v_int(grant_id) };
	jup_status s = jup_store_scan(st, JUP_TABLE_BREAK_GLASS, &id, 1, state_row, &g, err);
	if (s)
		return s;
	if (!g.found)
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no break-glass grant %lld",
				   (long long)grant_id);
	if (g.reviewed)
		return jup_err_set(err, JUP_ERR_EXISTS, "break-glass grant %lld is already reviewed",
				   (long long)grant_id);
	char now[21], org_code[JUP_MAX_ORG_CODE_LEN + 1] = "", what[48];
	jup_date_now_utc(now);
	const char *outcome = appropriate ? "appropriate" : "inappropriate";
	jup_match set[4] = { { JUP_BG_REVIEWED_BY, jup_v_int(reviewer->id) },
			     { JUP_BG_REVIEWED_AT, jup_v_cstr(now) },
			     { JUP_BG_OUTCOME, jup_v_cstr(outcome) },
			     { JUP_BG_NOTE, jup_v_cstr(note) } };
	s = jup_store_update(st, JUP_TABLE_BREAK_GLASS, &id, 1, set, 4, NULL, err);
	user_names u;
	if (!s)
		s = user_of(st, reviewer->id, &u, org_code, err);
	if (s)
		return s;
	snprintf(what, sizeof what, "break_glass:%lld %s", (long long)grant_id, outcome);
	jup_audit_entry e = { .recorded_at = now,
			      .actor = reviewer->username,
			      .role = jup_role_name(reviewer->role),
			      .org_code = org_code[0] ? org_code : NULL,
			      .purpose = "governance",
			      .person_id = g.person_id,
			      .action = "break_glass.review",
			      .what = what,
			      .outcome = "done",
			      .reason = note };
	return jup_audit_append(st, &e, NULL, err);
}

jup_status jup_gate_review(jup_store *st, const jup_user *reviewer, int64_t grant_id,
			   bool appropriate, const char *note, jup_err *err)
{
	if (!reviewer || reviewer->role != JUP_ROLE_IG_OFFICER || reviewer->disabled)
		return jup_err_set(err, JUP_ERR_DENIED,
				   "only an information governance officer reviews break-glass access");
	if (!note || !jup_audit_text_ok(jup_sv_from(note)))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "note: 1 to " JUP_STR(JUP_MAX_TEXT_LEN) " bytes of plain text");
	jup_status s = jup_store_begin(st, err);
	if (s)
		return s;
	s = review_in_tx(st, reviewer, grant_id, appropriate, note, err);
	if (!s)
		s = jup_store_commit(st, err);
	if (s)
		jup_store_abandon(st);
	return s;
}
