/*
 * jup_gate.h - the purpose gate: the one door personal data leaves by.
 *
 * A request says who asks (a signed-in jup_user: role, organisation), for
 * which purpose, about whom (an NHS number) and what for (the action). The
 * gate decides, by these rules in order, and the first that says no gives
 * the reason:
 *
 *  1. the actor: an enabled user whose role may act for the purpose at all
 *     (the role table in gate_decide.c: direct care for clinical and care
 *     staff, risk stratification for GPs and care coordinators, planning
 *     and research for analysts; a citizen only about themselves);
 *  2. the person: a linked record carries the NHS number;
 *  3. the relationship, for identifiable purposes: a GP whose practice
 *     holds the person's current GP registration; a hospital clinician
 *     whose trust has the person in an open admission, or had them in an
 *     admission discharged or an A&E attendance within
 *     JUP_GATE_RECENT_DAYS; a social worker or care coordinator whose
 *     organisation has the person allocated to one of its teams (a
 *     care_team row that has not ended); an end-of-life line operator when
 *     the person has an end-of-life plan; a citizen whose account carries
 *     the number. Without one, a break-glass grant (below) stands in;
 *  4. consent: the consent rules for the purpose (jup_consent.h), which say whether
 *     the GP record (type 1 objection, practice participation) and the
 *     social care record (council consent) may be part of what is shown.
 *     A citizen reading their own record is not subject to it.
 *
 * Writing a care plan, a note or an end-of-life plan (JUP_GATE_WRITE_CARE_PLAN,
 * care/jup_care_plan.h) is decided by the same rules, narrowed: for direct
 * care only, and only by a role whose access rests on a care relationship
 * (a citizen and an analyst may not write). The end-of-life line
 * (EOL_REGISTER) may write notes only; the gate does not see what is
 * written, so the writer (jup_care_plan_write) enforces that with the
 * decision's basis.
 *
 * Break-glass: for direct care only, a clinical or care role without a
 * relationship may give a reason (JUP_GATE_BREAK_GLASS_MIN to
 * JUP_AUDIT_MAX_FIELD bytes). The gate then records a grant for that user
 * and person lasting JUP_GATE_BREAK_GLASS_HOURS, flags the access, and puts
 * the grant on the information governance officer's review list
 * (jup_gate_review_*). Later requests by the same user for the same person
 * within the grant are break-glass accesses under it without a new reason.
 * Break-glass stands in for the relationship only: consent still applies.
 *
 * Every decision, permit or deny, appends one audit entry (jup_audit.h) in
 * the same transaction as any grant, and jup_gate_decide returns only after
 * that transaction is committed: the entry is durable before any data is
 * read. The entry holds references only: the person id, what was released
 * by section, the reason, the break-glass justification.
 *
 * Nothing outside the modules listed in tests/unit/test_gate_access.c reads
 * personal data except through a permitted jup_gate_decision.
 */
#ifndef JUP_GATE_H
#define JUP_GATE_H

#include "audit/jup_audit.h"
#include "consent/jup_consent.h"
#include "core/jup_limits.h"
#include "core/jup_status.h"
#include "gate/jup_user.h"
#include "person/jup_person.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stdint.h>

#define JUP_GATE_RECENT_DAYS       90 /* a hospital episode this recent is a relationship */
#define JUP_GATE_BREAK_GLASS_HOURS 12 /* how long a break-glass grant lasts */
#define JUP_GATE_BREAK_GLASS_MIN   10 /* bytes: a reason, not a word */
#define JUP_GATE_MAX_PERSONS       JUP_PERSON_MAX_IDS
#define JUP_GATE_MAX_REASON        JUP_CONSENT_MAX_REASON
#define JUP_GATE_MAX_WHAT          160

/* What the actor asks to do (the audit entry's action). */
typedef enum jup_gate_action {
	JUP_GATE_READ_RECORD,      /* read the joined-up record ("record.read") */
	JUP_GATE_WRITE_CARE_PLAN, /* write a care plan, note or end-of-life plan
				     ("care_plan.write") */
	JUP_GATE_ACTION__COUNT
} jup_gate_action;

/* What grounds an access. */
typedef enum jup_gate_basis {
	JUP_GATE_BASIS_NONE,
	JUP_GATE_BASIS_REGISTERED,       /* registered at the GP's practice */
	JUP_GATE_BASIS_HOSPITAL_EPISODE, /* open or recent episode at the trust */
	JUP_GATE_BASIS_CARE_TEAM,        /* allocated to a team of the organisation */
	JUP_GATE_BASIS_EOL_REGISTER,     /* has an end-of-life plan (24-hour line) */
	JUP_GATE_BASIS_SELF,             /* a citizen's own record */
	JUP_GATE_BASIS_ANONYMOUS,        /* planning or research: no identifiers leave */
	JUP_GATE_BASIS_BREAK_GLASS,      /* a break-glass grant */
	JUP_GATE_BASIS__COUNT
} jup_gate_basis;

/* How much of the record may be shown. */
typedef enum jup_gate_view {
	JUP_GATE_VIEW_NONE,
	JUP_GATE_VIEW_FULL,         /* identifiable joined-up record */
	JUP_GATE_VIEW_EOL,          /* identity, end-of-life plans, care team contacts */
	JUP_GATE_VIEW_DEIDENTIFIED, /* no names, numbers, addresses; year of birth only */
	JUP_GATE_VIEW__COUNT
} jup_gate_view;

/* A request. */
typedef struct jup_gate_request {
	const jup_user *actor;       /* signed in (the caller checked the password) */
	const char *org_code;        /* the actor's organisation code (NULL: looked up) */
	jup_consent_purpose purpose; /* not EVERY */
	jup_gate_action action;
	const char *nhs_number; /* whom: 10 digits, spaces allowed */
	const char *break_glass; /* NULL, or the justification of a break-glass access */
	const char *request_id;  /* NULL: none */
	const char *now;         /* NULL: the clock; else "YYYY-MM-DDTHH:MM:SSZ" (tests) */
} jup_gate_request;

/* A decision. The sections say what may be shown; the reader
 * (jup_care_record) refuses a decision that is not a logged permit. */
typedef struct jup_gate_decision {
	bool permit;
	jup_gate_basis basis;
	jup_gate_view view;
	bool gp_data;          /* the GP record may be shown */
	bool hospital_data;    /* hospital episodes may be shown */
	bool social_care_data; /* the council social care record may be shown */
	jup_consent_purpose purpose;
	jup_gate_action action;                   /* what was asked (a permit is for it only) */
	int npersons;                             /* 0: nobody found */
	int64_t persons[JUP_GATE_MAX_PERSONS];    /* the person ids, ascending */
	int64_t audit_id;                         /* the entry logged (0: not logged) */
	int64_t grant_id;                         /* the break-glass grant, 0 when none */
	char grant_expires[21];                   /* its end, "" when none */
	char reason[JUP_GATE_MAX_REASON];         /* plain English, for the actor */
	char what[JUP_GATE_MAX_WHAT];             /* what the entry says was released */
	jup_consent_decision consent;             /* when consent was decided */
} jup_gate_decision;

/* jup_gate_role_may: whether role r may act for purpose p at all (rule 1's
 * role table); false for anything out of range (EVERY included). A role
 * with no purpose (ig_officer, engagement_officer, admin) never sees a
 * person's record through the gate. */
bool jup_gate_role_may(jup_role r, jup_consent_purpose p);

/* jup_gate_role_may_break_glass: whether role r may break glass (always
 * for direct care only); false out of range. */
bool jup_gate_role_may_break_glass(jup_role r);

/* jup_gate_basis_name / jup_gate_view_name / jup_gate_action_name: short
 * names ("registered", "full", "record.read", "care_plan.write"); "unknown"
 * out of range. */
const char *jup_gate_basis_name(jup_gate_basis b);
const char *jup_gate_view_name(jup_gate_view v);
const char *jup_gate_action_name(jup_gate_action a);

/*
 * jup_gate_decide: decide rq by the rules above, record any break-glass
 * grant and append the audit entry, in one transaction of st that is
 * committed before this returns (so the entry is durable). *out is filled;
 * a denial is JUP_OK with out->permit false (the reason says why).
 * JUP_ERR_USAGE for a request missing its actor, or a purpose or action out
 * of range; JUP_ERR_INVALID for an NHS number that is not check-valid or a
 * break-glass reason that is too short, too long or has control characters
 * (such requests are still logged as denials); store and audit errors
 * (nothing written). Never echoes the NHS number.
 */
jup_status jup_gate_decide(jup_store *st, const jup_gate_request *rq, jup_gate_decision *out,
			   jup_err *err) JUP_MUST_CHECK;

/*
 * Group commit, for a server: requests are handed to one jup_gate_group,
 * whose own thread decides all the requests waiting at that moment and
 * writes their entries in one transaction on the group's own connection,
 * while another thread flushes the batches committed before to disk. A
 * request completes only once the transaction holding its entry is on
 * disk, as with jup_gate_decide; a durable entry then costs one commit per
 * batch instead of one per decision. Callers either block
 * (jup_gate_group_decide) or are called back (jup_gate_group_submit, for
 * an event loop that must not block).
 *
 * The group keeps the facts of the people it decided about in memory (who
 * they are, their records, relationships and consent; references and
 * dates only, never demographics). At the start of every batch it asks
 * the store which tables changed since (jup_store_versions, which sees
 * other processes' commits too): new consent decisions refresh only the
 * people they are about; an import, a linkage run or any other change to
 * the tables the facts come from refreshes everyone. A decision is never
 * made on facts older than the last commit before its batch began. Only
 * writes through the store API raise table versions: a row edited by hand
 * (the sqlite3 shell) is not seen by a running group until it is reopened.
 */
typedef struct jup_gate_group jup_gate_group;

/* jup_gate_group_open: a group with its own connection to the store at
 * location (which must exist). Store errors; JUP_ERR_NOMEM. */
jup_status jup_gate_group_open(const char *location, jup_gate_group **out,
			       jup_err *err) JUP_MUST_CHECK;

/* jup_gate_group_close: finish every request handed in (their callbacks
 * run), stop the group's threads and close it. No call may start meanwhile. */
void jup_gate_group_close(jup_gate_group *g);

/*
 * jup_gate_group_decide: jup_gate_decide through g. Safe to call from many
 * threads at once. Errors as jup_gate_decide; a batch that fails to commit
 * fails every decision in it (none is then permitted or logged).
 */
jup_status jup_gate_group_decide(jup_gate_group *g, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_err *err) JUP_MUST_CHECK;

/* jup_gate_done_fn: a submitted request's completion: status as
 * jup_gate_decide returns it (the decision is in the request's `out`), err
 * valid during the call only. Runs on the group's flushing thread: it must
 * be quick and must not call into the group. */
typedef void (*jup_gate_done_fn)(void *ctx, jup_status status, const jup_err *err);

/*
 * jup_gate_group_submit: hand rq to g and return at once; done(ctx, ...)
 * is called exactly once, after the decision's entry is on disk (or the
 * batch failed). rq, the strings it points to and out must stay valid until
 * then. Safe from many threads at once. JUP_ERR_NOMEM (done is not called).
 */
jup_status jup_gate_group_submit(jup_gate_group *g, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_gate_done_fn done, void *ctx,
				 jup_err *err) JUP_MUST_CHECK;

/* What a group has done: batches committed, decisions made, people whose
 * facts it holds, and facts read from the store (index misses). */
typedef struct jup_gate_group_counts {
	uint64_t batches, decisions;
	size_t people;
	uint64_t loads;
} jup_gate_group_counts;

/* jup_gate_group_stats: g's counts so far (safe while calls run). */
void jup_gate_group_stats(jup_gate_group *g, jup_gate_group_counts *c);

/* A break-glass grant on the review list. */
typedef struct jup_gate_grant {
	int64_t id;
	char username[JUP_USERNAME_MAX + 1];
	jup_role role;
	char org_code[JUP_MAX_ORG_CODE_LEN + 1];
	int64_t person_id;
	char reason[JUP_AUDIT_MAX_FIELD + 1];
	char granted_at[21], expires_at[21];
	int64_t audit_id;
	bool reviewed;
	char reviewed_by[JUP_USERNAME_MAX + 1];
	char reviewed_at[21];
	char outcome[16]; /* "appropriate" or "inappropriate" when reviewed */
	char note[JUP_AUDIT_MAX_FIELD + 1];
} jup_gate_grant;

/* jup_gate_grant_each: call fn for every grant (only those not yet
 * reviewed when pending_only), oldest first. Store errors, or fn's. */
typedef jup_status (*jup_gate_grant_fn)(void *ctx, const jup_gate_grant *g, jup_err *err);
jup_status jup_gate_grant_each(jup_store *st, bool pending_only, jup_gate_grant_fn fn, void *ctx,
			       jup_err *err) JUP_MUST_CHECK;

/*
 * jup_gate_review: an information governance officer (role ig_officer)
 * records the review of grant id: appropriate or not, with a note (1 to
 * JUP_AUDIT_MAX_FIELD bytes, no control characters), in one transaction
 * with an audit entry about the person (purpose "governance", action
 * "break_glass.review"). JUP_ERR_DENIED when reviewer is not an enabled
 * ig_officer; JUP_ERR_NOT_FOUND for no such grant; JUP_ERR_EXISTS when it
 * was already reviewed; JUP_ERR_INVALID for a bad note; store errors.
 */
jup_status jup_gate_review(jup_store *st, const jup_user *reviewer, int64_t grant_id,
			   bool appropriate, const char *note, jup_err *err) JUP_MUST_CHECK;

#endif
