/*
 * jup_store.h - the storage interface: every durable read and write of the
 * joined-up record goes through here.
 *
 * A store is a backend (SQLite now, PostgreSQL later) behind one table of
 * operations (jup_store_ops, in store_internal.h); callers never see SQL and
 * never #ifdef on the backend. Rows are written as positional jup_value
 * arrays in the column order given by the per-table enums below, so a new
 * backend only has to map the same tables. Schema changes are versioned
 * migrations applied when a store is opened.
 */
#ifndef JUP_STORE_H
#define JUP_STORE_H

#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct jup_store jup_store;

/* The tables, in the order `joinedup info` lists them. */
typedef enum jup_table {
	JUP_TABLE_IMPORT_FILE,
	JUP_TABLE_ORGANISATION,
	JUP_TABLE_SOURCE_RECORD,
	JUP_TABLE_GP_REGISTRATION,
	JUP_TABLE_CONDITION,
	JUP_TABLE_MEDICATION,
	JUP_TABLE_EOL_PLAN,
	JUP_TABLE_ADMISSION,
	JUP_TABLE_ADMISSION_DIAGNOSIS,
	JUP_TABLE_AE_ATTENDANCE,
	JUP_TABLE_SC_ASSESSMENT,
	JUP_TABLE_SC_SERVICE,
	JUP_TABLE_SC_CONSENT,
	JUP_TABLE_CARE_TEAM,
	JUP_TABLE_DEATH,
	JUP_TABLE_OPT_OUT,
	JUP_TABLE_LINK_RUN,
	JUP_TABLE_LINK_MODEL,
	JUP_TABLE_LINK_TF,
	JUP_TABLE_PERSON,
	JUP_TABLE_PERSON_MEMBER,
	JUP_TABLE_LINK_PAIR,
	JUP_TABLE_AUDIT_ENTRY,
	JUP_TABLE_AUDIT_STATE,
	JUP_TABLE_AUDIT_CHECKPOINT,
	JUP_TABLE_AUDIT_PERSON_RUN,
	JUP_TABLE_APP_USER,
	JUP_TABLE_CONSENT_POLICY,
	JUP_TABLE_CONSENT_DECISION,
	JUP_TABLE_OPT_OUT_CHANGE,
	JUP_TABLE_BREAK_GLASS,
	JUP_TABLE_AUTH_TOKEN,
	JUP_TABLE_CARE_PLAN,
	JUP_TABLE_PERSON_NAME,
	JUP_TABLE_LINK_KEY,
	JUP_TABLE__COUNT
} jup_table;

/* Column order of each table for jup_store_insert (the id primary key and,
 * for provenance tables, file_id and line are added by the store). */
enum { JUP_IMPORT_FILE_NAME, JUP_IMPORT_FILE_KIND, JUP_IMPORT_FILE_HASH,
       JUP_IMPORT_FILE_BYTES, JUP_IMPORT_FILE_IMPORTED_AT, JUP_IMPORT_FILE__N };
enum { JUP_ORG_CODE, JUP_ORG_NAME, JUP_ORG_KIND, JUP_ORG_PARTICIPATING, JUP_ORG_POSTCODE,
       JUP_ORG__N };
enum { JUP_SRC_ORG_ID, JUP_SRC_LOCAL_ID, JUP_SRC_NHS_NUMBER_RAW, JUP_SRC_NHS_NUMBER,
       JUP_SRC_NHS_NUMBER_STATUS, JUP_SRC_GIVEN_NAME, JUP_SRC_FAMILY_NAME, JUP_SRC_DOB,
       JUP_SRC_SEX, JUP_SRC_POSTCODE_RAW, JUP_SRC_POSTCODE, JUP_SRC_ADDRESS,
       JUP_SRC_PRACTICE_ID, JUP_SRC__N };
enum { JUP_GPREG_SOURCE_ID, JUP_GPREG_PRACTICE_ID, JUP_GPREG_REGISTERED_ON, JUP_GPREG__N };
enum { JUP_COND_SOURCE_ID, JUP_COND_CODE_SYSTEM, JUP_COND_CODE, JUP_COND_DESCRIPTION,
       JUP_COND_ONSET_ON, JUP_COND__N };
enum { JUP_MED_SOURCE_ID, JUP_MED_CODE_SYSTEM, JUP_MED_CODE, JUP_MED_DESCRIPTION,
       JUP_MED_STARTED_ON, JUP_MED_ENDED_ON, JUP_MED__N };
enum { JUP_EOL_SOURCE_ID, JUP_EOL_ADDED_ON, JUP_EOL_PLACE_OF_CARE, JUP_EOL_PLACE_OF_DEATH,
       JUP_EOL_RESUSCITATION, JUP_EOL__N };
enum { JUP_ADM_ORG_ID, JUP_ADM_SOURCE_ID, JUP_ADM_SPELL_ID, JUP_ADM_METHOD, JUP_ADM_ADMITTED_ON,
       JUP_ADM_DISCHARGED_ON, JUP_ADM_DESTINATION, JUP_ADM__N };
enum { JUP_DIAG_ADMISSION_ID, JUP_DIAG_POSITION, JUP_DIAG_CODE_SYSTEM, JUP_DIAG_CODE,
       JUP_DIAG__N };
enum { JUP_AE_ORG_ID, JUP_AE_SOURCE_ID, JUP_AE_ATTENDANCE_ID, JUP_AE_ARRIVED_AT, JUP_AE_DISPOSAL,
       JUP_AE__N };
enum { JUP_SCA_ORG_ID, JUP_SCA_SOURCE_ID, JUP_SCA_ASSESSMENT_ID, JUP_SCA_KIND, JUP_SCA_STARTED_ON,
       JUP_SCA_COMPLETED_ON, JUP_SCA_OUTCOME, JUP_SCA__N };
enum { JUP_SCS_ORG_ID, JUP_SCS_SOURCE_ID, JUP_SCS_SERVICE_ID, JUP_SCS_KIND, JUP_SCS_STARTED_ON,
       JUP_SCS_ENDED_ON, JUP_SCS_END_REASON, JUP_SCS__N };
enum { JUP_SCC_SOURCE_ID, JUP_SCC_FORM_VERSION, JUP_SCC_DECISION, JUP_SCC_RECORDED_ON,
       JUP_SCC_RECORDED_BY, JUP_SCC__N };
enum { JUP_TEAM_ORG_ID, JUP_TEAM_TEAM, JUP_TEAM_SOURCE_ID, JUP_TEAM_ROLE,
       JUP_TEAM_STARTED_ON, JUP_TEAM_ENDED_ON, JUP_TEAM__N };
enum { JUP_DEATH_NHS_NUMBER, JUP_DEATH_DOB, JUP_DEATH_DATE_OF_DEATH,
       JUP_DEATH_PLACE_OF_DEATH, JUP_DEATH__N };
enum { JUP_OPT_KIND, JUP_OPT_NHS_NUMBER, JUP_OPT_ORG_ID, JUP_OPT_RECORDED_ON,
       JUP_OPT_WITHDRAWN_FILE_ID, JUP_OPT__N };
/* Linkage (the master person index). */
enum { JUP_RUN_STARTED_AT, JUP_RUN_FINISHED_AT, JUP_RUN_UPPER, JUP_RUN_LOWER,
       JUP_RUN_MODEL_RUN_ID, JUP_RUN_PRIOR, JUP_RUN_TF_GIVEN, JUP_RUN_TF_FAMILY,
       JUP_RUN_TF_POSTCODE, JUP_RUN_RECORDS, JUP_RUN_NEW_RECORDS, JUP_RUN_CANDIDATES,
       JUP_RUN_SCORED, JUP_RUN_LINKED_NHS, JUP_RUN_LINKED_PROB, JUP_RUN_QUEUED,
       JUP_RUN_REFUSED, JUP_RUN_PERSONS_NEW, JUP_RUN__N };
enum { JUP_LMODEL_RUN_ID, JUP_LMODEL_COMPARISON, JUP_LMODEL_LEVEL, JUP_LMODEL_M, JUP_LMODEL_U,
       JUP_LMODEL__N };
enum { JUP_LTF_COMPARISON, JUP_LTF_VALUE, JUP_LTF_N, JUP_LTF__N };
enum { JUP_PERSON_CREATED_RUN, JUP_PERSON_MERGED_INTO, JUP_PERSON__N };
enum { JUP_PM_SOURCE_ID, JUP_PM_PERSON_ID, JUP_PM_METHOD, JUP_PM_RUN_ID, JUP_PM__N };
enum { JUP_PAIR_SOURCE_A, JUP_PAIR_SOURCE_B, JUP_PAIR_RUN_ID, JUP_PAIR_WEIGHT,
       JUP_PAIR_PROBABILITY, JUP_PAIR_LEVELS, JUP_PAIR_STATUS, JUP_PAIR_DECIDED_BY,
       JUP_PAIR_DECIDED_AT, JUP_PAIR_NOTE, JUP_PAIR__N };

/* The audit log (hashes as lower-case hex). */
enum { JUP_AUDIT_RECORDED_AT, JUP_AUDIT_ACTOR, JUP_AUDIT_ROLE, JUP_AUDIT_ORG_CODE,
       JUP_AUDIT_PURPOSE, JUP_AUDIT_PERSON_ID, JUP_AUDIT_ACTION, JUP_AUDIT_WHAT,
       JUP_AUDIT_OUTCOME, JUP_AUDIT_REASON, JUP_AUDIT_BREAK_GLASS, JUP_AUDIT_REQUEST_ID,
       JUP_AUDIT_PREV_HASH, JUP_AUDIT_LEAF_HASH, JUP_AUDIT__N };
enum { JUP_ASTATE_TREE, JUP_ASTATE_LAST_HASH, JUP_ASTATE__N };
enum { JUP_ACP_TREE_SIZE, JUP_ACP_ROOT, JUP_ACP_NOTE, JUP_ACP_CREATED_AT, JUP_ACP__N };
/* The person index of the audit log: a sorted run per full block of entries
 * (no id column; keyed by all three). */
enum { JUP_APR_BLOCK, JUP_APR_PERSON_ID, JUP_APR_ENTRY_ID, JUP_APR__N };
/* People who sign in (staff and citizens). */
enum { JUP_USER_USERNAME, JUP_USER_ROLE, JUP_USER_ORG_ID, JUP_USER_NHS_NUMBER,
       JUP_USER_PASSWORD_HASH, JUP_USER_CREATED_AT, JUP_USER_DISABLED, JUP_USER_KIND,
       JUP_USER__N };
/* Consent: which rules apply to which data flow, and people's own decisions. */
enum { JUP_POLICY_PURPOSE, JUP_POLICY_FLOW, JUP_POLICY_NATIONAL_OPT_OUT, JUP_POLICY_GP_TYPE1,
       JUP_POLICY_RECORD_OBJECTION, JUP_POLICY_CITIZEN_CHOICE, JUP_POLICY_SC_CONSENT,
       JUP_POLICY_SPECIFIC_CONSENT, JUP_POLICY_PARTICIPATION, JUP_POLICY_APPROVAL,
       JUP_POLICY_DESCRIPTION, JUP_POLICY_ACTIVE, JUP_POLICY__N };
/* What a newer opt-out list changed: who was added to or removed from it. */
enum { JUP_OCHG_KIND, JUP_OCHG_NHS_NUMBER, JUP_OCHG_ORG_ID, JUP_OCHG_CHANGE, JUP_OCHG_FILE_ID,
       JUP_OCHG__N };
enum { JUP_CDEC_NHS_NUMBER, JUP_CDEC_PURPOSE, JUP_CDEC_SOURCE, JUP_CDEC_DECISION,
       JUP_CDEC_RECORDED_BY, JUP_CDEC_RECORDED_AT, JUP_CDEC_EVIDENCE, JUP_CDEC__N };
/* The purpose gate's break-glass grants and their review. */
enum { JUP_BG_USER_ID, JUP_BG_PERSON_ID, JUP_BG_REASON, JUP_BG_GRANTED_AT, JUP_BG_EXPIRES_AT,
       JUP_BG_AUDIT_ID, JUP_BG_REVIEWED_BY, JUP_BG_REVIEWED_AT, JUP_BG_OUTCOME, JUP_BG_NOTE,
       JUP_BG__N };
/* Sign-in tokens (auth/jup_auth.h): only the token's hash is stored. */
enum { JUP_TOKEN_HASH, JUP_TOKEN_USER_ID, JUP_TOKEN_GRANT_TYPE, JUP_TOKEN_PURPOSE,
       JUP_TOKEN_BREAK_GLASS, JUP_TOKEN_ISSUED_AT, JUP_TOKEN_EXPIRES_AT, JUP_TOKEN_REVOKED_AT,
       JUP_TOKEN__N };
/* Care plans, notes and end-of-life plans (care/jup_care_plan.h): one row per
 * version of a plan, never changed or removed. The end-of-life columns are
 * NULL for other kinds; key_contacts and medicines_in_home are JSON arrays. */
enum { JUP_CP_PLAN_ID, JUP_CP_VERSION, JUP_CP_PERSON_ID, JUP_CP_KIND, JUP_CP_STATUS,
       JUP_CP_TITLE, JUP_CP_DESCRIPTION, JUP_CP_PERIOD_START, JUP_CP_PERIOD_END,
       JUP_CP_PLACE_OF_CARE, JUP_CP_PLACE_OF_DEATH, JUP_CP_RESUSCITATION, JUP_CP_KEY_CONTACTS,
       JUP_CP_MEDICINES, JUP_CP_AUTHOR_USER_ID, JUP_CP_ORG_ID, JUP_CP_RECORDED_AT,
       JUP_CP_AUDIT_ID, JUP_CP__N };
/* Finding people (migration 9; written by link runs for linked records, no
 * id column): a linked record's folded family name (and again the last part
 * of a double-barrelled one) with its folded given names, for search by
 * name; and the record's blocking keys that no column index gives (name
 * codes with birth year), for $match. */
enum { JUP_PNAME_FAMILY, JUP_PNAME_GIVEN, JUP_PNAME_SOURCE_ID, JUP_PNAME__N };
enum { JUP_LKEY_KEY, JUP_LKEY_SOURCE_ID, JUP_LKEY__N };

#define JUP_STORE_MAX_COLS 24

/* A value: NULL, a 64-bit integer, a real number or text. Text written is a
 * view, copied by the store before the call returns; text read (by
 * jup_store_scan) is a view valid until the row callback returns. */
typedef enum jup_vtype { JUP_V_NULL = 0, JUP_V_INT, JUP_V_REAL, JUP_V_TEXT } jup_vtype;
typedef struct jup_value {
	jup_vtype type;
	int64_t i;
	double d;
	jup_sv s;
} jup_value;

static inline jup_value jup_v_int(int64_t i)
{
	return (jup_value){ .type = JUP_V_INT, .i = i, .s = { "", 0 } };
}
static inline jup_value jup_v_real(double d)
{
	return (jup_value){ .type = JUP_V_REAL, .d = d, .s = { "", 0 } };
}
static inline jup_value jup_v_text(jup_sv s)
{
	return (jup_value){ .type = JUP_V_TEXT, .s = s };
}
static inline jup_value jup_v_cstr(const char *s)
{
	return (jup_value){ .type = JUP_V_TEXT, .s = jup_sv_from(s) };
}
static inline jup_value jup_v_null(void)
{
	return (jup_value){ .type = JUP_V_NULL, .s = { "", 0 } };
}

/* jup_value_copy_text: the text of v into dst (cap bytes with the NUL; cut
 * when longer); "" for a value that is not text. */
void jup_value_copy_text(char *dst, size_t cap, const jup_value *v);

/* A condition on a row: column `col` (a table's column enum, or JUP_COL_ID
 * for the row id) equals v (a NULL v matches NULL). */
#define JUP_COL_ID (-1)
typedef struct jup_match {
	int col;
	jup_value v;
} jup_match;

/* A row given to a scan callback: its id (0 for tables keyed otherwise) and
 * jup_store_table_columns(t) values in the table's column order. Returning
 * anything but JUP_OK stops the scan with that status. */
typedef jup_status (*jup_row_fn)(void *ctx, int64_t id, const jup_value *vals, jup_err *err);

/* Where a row came from: the import_file row and the line in that file. */
typedef struct jup_provenance {
	int64_t file_id;
	int64_t line;
} jup_provenance;

/* Organisation kinds, as stored (the strings are in jup_store_org_kind_name). */
typedef enum jup_org_kind {
	JUP_ORG_GP_PRACTICE,
	JUP_ORG_HOSPITAL_TRUST,
	JUP_ORG_COUNCIL,
	JUP_ORG_HOSPICE,
	JUP_ORG_KIND__COUNT
} jup_org_kind;

typedef struct jup_org_info {
	int64_t id;
	jup_org_kind kind;
	bool participating;
} jup_org_info;

typedef struct jup_file_info {
	int64_t id;
	char name[256];
	char imported_at[32];
} jup_file_info;

/* Flags for jup_store_open. */
enum {
	JUP_STORE_CREATE = 1 << 0,      /* create the database if it does not exist */
	JUP_STORE_DEFER_SYNC = 1 << 1,  /* a commit returns before it is on disk:
					   jup_store_sync makes it durable */
};

/*
 * jup_store_open: open (and with JUP_STORE_CREATE, create) the store at
 * location, applying any pending schema migrations in one transaction.
 * location is a file path (SQLite); later backends claim URIs such as
 * "postgresql://...". Refuses a database written by a newer joinedup
 * (JUP_ERR_VERSION) and a file that is not a joinedup database
 * (JUP_ERR_INVALID). On success the caller owns *out (jup_store_close).
 */
jup_status jup_store_open(const char *location, int flags, jup_store **out, jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_close: close the store and free it; NULL is allowed. */
void jup_store_close(jup_store *st);

/* jup_store_schema_version: the schema version of the open store. */
int jup_store_schema_version(const jup_store *st);

/* jup_store_latest_schema_version: the newest schema this build knows. */
int jup_store_latest_schema_version(void);

/* jup_store_sync: make every transaction committed through st so far
 * durable (on disk, surviving a power cut). A store opened without
 * JUP_STORE_DEFER_SYNC commits durably already, and this returns at once.
 * It touches only a file handle of its own, so it may run on one thread
 * while another uses st: group commit flushes one batch while the next is
 * written. JUP_ERR_IO when the flush fails (the commits may then be lost). */
jup_status jup_store_sync(jup_store *st, jup_err *err) JUP_MUST_CHECK;

/* jup_store_begin / commit / rollback: one transaction at a time. Nothing
 * written after begin is visible to others or durable until commit;
 * rollback discards it. Commit also raises the versions of the tables
 * written (jup_store_versions); when it fails, roll back. A write made
 * without begin is a transaction of its own. */
jup_status jup_store_begin(jup_store *st, jup_err *err) JUP_MUST_CHECK;
jup_status jup_store_commit(jup_store *st, jup_err *err) JUP_MUST_CHECK;
jup_status jup_store_rollback(jup_store *st, jup_err *err) JUP_MUST_CHECK;

/* jup_store_abandon: roll back after a failure, ignoring any failure of the
 * rollback itself (the first failure is the one to report). */
void jup_store_abandon(jup_store *st);

/* jup_store_versions: each table's change count, v[t] for table t. Every
 * committed transaction that inserted, updated or deleted rows of t
 * (through this API, from any connection or process) increases v[t]; a
 * rolled-back one does not. A cache compares two readings to learn which
 * tables changed. Store errors. */
jup_status jup_store_versions(jup_store *st, uint64_t v[JUP_TABLE__COUNT], jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_table_name: the table's name as shown by `joinedup info`. */
const char *jup_store_table_name(jup_table t);

/* jup_store_table_columns: how many values jup_store_insert takes for t. */
int jup_store_table_columns(jup_table t);

/*
 * jup_store_insert: add one row to table t. vals holds exactly
 * jup_store_table_columns(t) values in the table's column order. prov is
 * required for tables holding extract rows and must be NULL for the others
 * (import_file, and the tables linkage writes).
 * *rowid (may be NULL) gets the new row's id. Gives JUP_ERR_EXISTS when a
 * uniqueness rule is broken (e.g. the same local id twice), JUP_ERR_INVALID
 * when a value breaks a constraint, JUP_ERR_STORE otherwise.
 */
jup_status jup_store_insert(jup_store *st, jup_table t, const jup_value *vals,
			    const jup_provenance *prov, int64_t *rowid, jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_org_find: the organisation with this code; JUP_ERR_NOT_FOUND if
 * there is none. */
jup_status jup_store_org_find(jup_store *st, jup_sv code, jup_org_info *out, jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_source_find: the id of the source record held by org_id under
 * local_id; JUP_ERR_NOT_FOUND if there is none. Returns no personal data. */
jup_status jup_store_source_find(jup_store *st, int64_t org_id, jup_sv local_id, int64_t *id,
				 jup_err *err) JUP_MUST_CHECK;

/* jup_store_file_find: the imported file with this content hash (hex);
 * JUP_ERR_NOT_FOUND if those bytes were never imported. */
jup_status jup_store_file_find(jup_store *st, const char *hash_hex, jup_file_info *out,
			       jup_err *err) JUP_MUST_CHECK;

/* jup_store_org_code: the code of organisation org_id into out (cap bytes;
 * "" when there is no such organisation). Store errors. */
jup_status jup_store_org_code(jup_store *st, int64_t org_id, char *out, size_t cap,
			      jup_err *err) JUP_MUST_CHECK;

/* jup_store_count: the number of rows in table t. */
jup_status jup_store_count(jup_store *st, jup_table t, int64_t *n, jup_err *err)
	JUP_MUST_CHECK;

/*
 * jup_store_scan: call fn for every row of t meeting all `nwhere` conditions
 * (none: every row), in id order (for tables without ids, in the order of
 * their first column). Stops
 * at the first status fn returns and gives it back. Reads run inside the
 * current transaction when there is one.
 */
jup_status jup_store_scan(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			  jup_row_fn fn, void *ctx, jup_err *err) JUP_MUST_CHECK;

/* jup_store_audit_run_fill: write the audit log's person run of block
 * `block` (jup_audit.h): a row (block, person_id, id) for every audit entry
 * with id in first..last that names a person, in key order, in one
 * statement; *rows gets how many. A write like jup_store_insert (in the
 * current transaction, or one of its own). JUP_ERR_USAGE for a bad range;
 * JUP_ERR_EXISTS when the block already has rows; store errors. */
jup_status jup_store_audit_run_fill(jup_store *st, int64_t block, int64_t first, int64_t last,
				    int64_t *rows, jup_err *err) JUP_MUST_CHECK;

/* jup_store_max_int: the largest integer in column col of table t into
 * *max (0 when t has no rows, or only NULLs there): one statement, served by
 * an index on the column where there is one (care_plan.plan_id: the next
 * plan's id). JUP_ERR_USAGE for a bad table or column; store errors. */
jup_status jup_store_max_int(jup_store *st, jup_table t, int col, int64_t *max, jup_err *err)
	JUP_MUST_CHECK;
/* jup_store_scan_prefix: call fn for every row of t whose text column col
 * starts with prefix (byte for byte), by an index on col when there is one,
 * in order of col (rows with equal values by id; in a table keyed by its
 * columns whose first column is col, in key order), values as jup_store_scan
 * gives them. JUP_ERR_USAGE for a bad table or column, an
 * empty prefix or one holding a 0xff byte (never UTF-8); store errors; fn's
 * errors stop the scan and are returned. */
jup_status jup_store_scan_prefix(jup_store *st, jup_table t, int col, jup_sv prefix,
				 jup_row_fn fn, void *ctx, jup_err *err) JUP_MUST_CHECK;

/* jup_store_scan_after: call fn for every row of t with an id greater
 * than after, in id order, as jup_store_scan gives them: what was added
 * since a reader last looked (ids only grow). JUP_ERR_USAGE for a table
 * without ids; store errors; fn's errors stop the scan and are returned. */
jup_status jup_store_scan_after(jup_store *st, jup_table t, int64_t after, jup_row_fn fn,
				void *ctx, jup_err *err) JUP_MUST_CHECK;

/* jup_store_scan_person: call fn for every row of table t that belongs to
 * a member record of person person_id (person_member.person_id): for
 * JUP_TABLE_SOURCE_RECORD the member records themselves, for a table with
 * a source_id column its rows whose source_id is a member record. Rows in
 * id order, values as jup_store_scan gives them. JUP_ERR_USAGE for a table
 * without source_id; store errors; fn's errors stop the scan and are
 * returned. */
jup_status jup_store_scan_person(jup_store *st, jup_table t, int64_t person_id, jup_row_fn fn,
				 void *ctx, jup_err *err) JUP_MUST_CHECK;

/* A row with where it came from ({0, 0} for tables without provenance). */
typedef jup_status (*jup_row_prov_fn)(void *ctx, int64_t id, const jup_value *vals,
				      const jup_provenance *prov, jup_err *err);

/* jup_store_scan_prov: jup_store_scan, giving each row's provenance too. */
jup_status jup_store_scan_prov(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			       jup_row_prov_fn fn, void *ctx, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_store_update: in every row of t meeting the conditions, set each
 * column of `set` (col: the column, v: its new value). *changed (may be NULL)
 * gets the number of rows changed. Errors as for jup_store_insert.
 */
jup_status jup_store_update(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			    const jup_match *set, int nset, int64_t *changed, jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_delete: remove every row of t meeting the conditions (none:
 * all rows). Only for tables nothing else refers to (e.g. link_tf). */
jup_status jup_store_delete(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			    jup_err *err) JUP_MUST_CHECK;

/* jup_store_auth_purge: delete every auth_token row that expired, or was
 * revoked, before `before` ("YYYY-MM-DDTHH:MM:SSZ"), in one statement; *n
 * (may be NULL) gets how many. A write like jup_store_insert (in the
 * current transaction, or one of its own). JUP_ERR_USAGE for a malformed
 * time; store errors. */
jup_status jup_store_auth_purge(jup_store *st, const char *before, int64_t *n, jup_err *err)
	JUP_MUST_CHECK;

/* jup_store_org_kind_name: "gp_practice", "hospital_trust", "council", "hospice". */
const char *jup_store_org_kind_name(jup_org_kind k);

/* jup_store_org_kind_parse: the kind a stored value names; JUP_ORG_KIND__COUNT
 * for anything else (NULL, another type, an unknown name). */
jup_org_kind jup_store_org_kind_parse(const jup_value *v);

#endif
