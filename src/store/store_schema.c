/*
 * store_schema.c - the data model: table descriptions shared by every
 * backend, and the SQLite schema as numbered migrations.
 *
 * A migration is never edited once released: a change to the model is a new
 * migration appended to the list. Every table that holds data from an
 * extract carries file_id and line, so each row can be traced to the file and
 * line it came from. Person-level tables carry source_record_id, the key a
 * later distributed deployment shards on (with the person id linkage adds).
 */
#include "store/store_internal.h"

#include <string.h>

static const store_table_desc tables[JUP_TABLE__COUNT] = {
	[JUP_TABLE_IMPORT_FILE] = { "import_file", false, false, JUP_IMPORT_FILE__N,
		{ "name", "kind", "content_hash", "bytes", "imported_at" } },
	[JUP_TABLE_ORGANISATION] = { "organisation", true, false, JUP_ORG__N,
		{ "code", "name", "kind", "participating", "postcode" } },
	[JUP_TABLE_SOURCE_RECORD] = { "source_record", true, false, JUP_SRC__N,
		{ "org_id", "local_id", "nhs_number_raw", "nhs_number", "nhs_number_status",
		  "given_name", "family_name", "dob", "sex", "postcode_raw", "postcode",
		  "address", "practice_id" } },
	[JUP_TABLE_GP_REGISTRATION] = { "gp_registration", true, false, JUP_GPREG__N,
		{ "source_record_id", "practice_id", "registered_on" } },
	[JUP_TABLE_CONDITION] = { "condition", true, false, JUP_COND__N,
		{ "source_record_id", "code_system", "code", "description", "onset_on" } },
	[JUP_TABLE_MEDICATION] = { "medication", true, false, JUP_MED__N,
		{ "source_record_id", "code_system", "code", "description", "started_on",
		  "ended_on" } },
	[JUP_TABLE_EOL_PLAN] = { "eol_plan", true, false, JUP_EOL__N,
		{ "source_record_id", "added_on", "preferred_place_of_care",
		  "preferred_place_of_death", "resuscitation" } },
	[JUP_TABLE_ADMISSION] = { "admission", true, false, JUP_ADM__N,
		{ "org_id", "source_record_id", "spell_id", "method", "admitted_on", "discharged_on",
		  "discharge_destination" } },
	[JUP_TABLE_ADMISSION_DIAGNOSIS] = { "admission_diagnosis", true, true, JUP_DIAG__N,
		{ "admission_id", "position", "code_system", "code" } },
	[JUP_TABLE_AE_ATTENDANCE] = { "ae_attendance", true, false, JUP_AE__N,
		{ "org_id", "source_record_id", "attendance_id", "arrived_at", "disposal" } },
	[JUP_TABLE_SC_ASSESSMENT] = { "sc_assessment", true, false, JUP_SCA__N,
		{ "org_id", "source_record_id", "assessment_id", "kind", "started_on", "completed_on",
		  "outcome" } },
	[JUP_TABLE_SC_SERVICE] = { "sc_service", true, false, JUP_SCS__N,
		{ "org_id", "source_record_id", "service_id", "kind", "started_on", "ended_on",
		  "end_reason" } },
	[JUP_TABLE_SC_CONSENT] = { "sc_consent", true, false, JUP_SCC__N,
		{ "source_record_id", "form_version", "decision", "recorded_on",
		  "recorded_by" } },
	[JUP_TABLE_CARE_TEAM] = { "care_team", true, false, JUP_TEAM__N,
		{ "org_id", "team", "source_record_id", "role", "started_on", "ended_on" } },
	[JUP_TABLE_DEATH] = { "death", true, false, JUP_DEATH__N,
		{ "nhs_number", "dob", "date_of_death", "place_of_death" } },
	[JUP_TABLE_OPT_OUT] = { "opt_out", true, false, JUP_OPT__N,
		{ "kind", "nhs_number", "org_id", "recorded_on", "withdrawn_file_id" } },
	[JUP_TABLE_LINK_RUN] = { "link_run", false, false, JUP_RUN__N,
		{ "started_at", "finished_at", "upper_threshold", "lower_threshold",
		  "model_run_id", "prior", "tf_given_total", "tf_family_total",
		  "tf_postcode_total", "records", "new_records", "candidates", "scored",
		  "linked_nhs", "linked_probabilistic", "queued", "refused", "persons_new" } },
	[JUP_TABLE_LINK_MODEL] = { "link_model", false, true, JUP_LMODEL__N,
		{ "run_id", "comparison", "level", "m", "u" } },
	[JUP_TABLE_LINK_TF] = { "link_tf", false, true, JUP_LTF__N,
		{ "comparison", "value", "n" } },
	[JUP_TABLE_PERSON] = { "person", false, false, JUP_PERSON__N,
		{ "created_run", "merged_into" } },
	[JUP_TABLE_PERSON_MEMBER] = { "person_member", false, true, JUP_PM__N,
		{ "source_record_id", "person_id", "method", "run_id" } },
	[JUP_TABLE_LINK_PAIR] = { "link_pair", false, false, JUP_PAIR__N,
		{ "source_a", "source_b", "run_id", "match_weight", "match_probability",
		  "levels", "status", "decided_by", "decided_at", "note" } },
	[JUP_TABLE_AUDIT_ENTRY] = { "audit_entry", false, false, JUP_AUDIT__N,
		{ "recorded_at", "actor", "role", "org_code", "purpose", "person_id", "action",
		  "what", "outcome", "reason", "break_glass", "request_id", "prev_hash",
		  "leaf_hash" } },
	[JUP_TABLE_AUDIT_STATE] = { "audit_state", false, false, JUP_ASTATE__N,
		{ "tree", "last_hash" } },
	[JUP_TABLE_AUDIT_CHECKPOINT] = { "audit_checkpoint", false, false, JUP_ACP__N,
		{ "tree_size", "root", "note", "created_at" } },
	[JUP_TABLE_AUDIT_PERSON_RUN] = { "audit_person_run", false, true, JUP_APR__N,
		{ "block", "person_id", "entry_id" } },
	[JUP_TABLE_APP_USER] = { "app_user", false, false, JUP_USER__N,
		{ "username", "role", "org_id", "nhs_number", "password_hash", "created_at",
		  "disabled", "kind" } },
	[JUP_TABLE_CONSENT_POLICY] = { "consent_policy", false, false, JUP_POLICY__N,
		{ "purpose", "flow", "national_opt_out", "gp_type1", "record_objection",
		  "citizen_choice", "sc_consent", "specific_consent", "practice_participation",
		  "approval", "description", "active" } },
	[JUP_TABLE_OPT_OUT_CHANGE] = { "opt_out_change", false, false, JUP_OCHG__N,
		{ "kind", "nhs_number", "org_id", "change", "file_id" } },
	[JUP_TABLE_CONSENT_DECISION] = { "consent_decision", false, false, JUP_CDEC__N,
		{ "nhs_number", "purpose", "source", "decision", "recorded_by", "recorded_at",
		  "evidence" } },
	[JUP_TABLE_BREAK_GLASS] = { "break_glass", false, false, JUP_BG__N,
		{ "user_id", "person_id", "reason", "granted_at", "expires_at", "audit_id",
		  "reviewed_by", "reviewed_at", "outcome", "note" } },
	[JUP_TABLE_AUTH_TOKEN] = { "auth_token", false, false, JUP_TOKEN__N,
		{ "token_hash", "user_id", "grant_type", "purpose", "break_glass", "issued_at",
		  "expires_at", "revoked_at" } },
	[JUP_TABLE_CARE_PLAN] = { "care_plan", false, false, JUP_CP__N,
		{ "plan_id", "version", "person_id", "kind", "status", "title", "description",
		  "period_start", "period_end", "preferred_place_of_care",
		  "preferred_place_of_death", "resuscitation", "key_contacts", "medicines_in_home",
		  "author_user_id", "org_id", "recorded_at", "audit_id" } },
	[JUP_TABLE_PERSON_NAME] = { "person_name", false, true, JUP_PNAME__N,
		{ "family", "given", "source_record_id" } },
	[JUP_TABLE_LINK_KEY] = { "link_key", false, true, JUP_LKEY__N,
		{ "key", "source_record_id" } },
};

const store_table_desc *store_table(jup_table t)
{
	return &tables[t];
}

jup_table store_table_find(const char *name)
{
	int t = 0;
	while (t < JUP_TABLE__COUNT && strcmp(tables[t].name, name) != 0)
		t++;
	return (jup_table)t;
}

int store_source_col(jup_table t)
{
	for (int i = 0; i < tables[t].ncols; i++)
		if (strcmp(tables[t].cols[i], "source_record_id") == 0)
			return i;
	return -1;
}

/* Provenance columns shared by every extract table. */
#define PROV "file_id INTEGER NOT NULL REFERENCES import_file(id), line INTEGER NOT NULL"

static const char migration_1[] =
	"CREATE TABLE import_file ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" content_hash TEXT NOT NULL UNIQUE,"
	" bytes INTEGER NOT NULL,"
	" imported_at TEXT NOT NULL);"

	"CREATE TABLE organisation ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('gp_practice','hospital_trust','council','hospice')),"
	" participating INTEGER NOT NULL CHECK (participating IN (0,1)),"
	" postcode TEXT, " PROV ");"

	/* One row per person per source system, demographics as the source gave
	 * them; nhs_number is the validated 10 digits, NULL unless status is
	 * 'valid'; postcode is the canonical form of postcode_raw. */
	"CREATE TABLE source_record ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" local_id TEXT NOT NULL,"
	" nhs_number_raw TEXT,"
	" nhs_number TEXT,"
	" nhs_number_status TEXT NOT NULL CHECK (nhs_number_status IN"
	"  ('valid','missing','invalid')),"
	" given_name TEXT, family_name TEXT, dob TEXT,"
	" sex TEXT CHECK (sex IN ('M','F','U')),"
	" postcode_raw TEXT, postcode TEXT, address TEXT,"
	" practice_id INTEGER REFERENCES organisation(id), " PROV ","
	" UNIQUE (org_id, local_id));"
	"CREATE INDEX source_record_nhs ON source_record(nhs_number)"
	" WHERE nhs_number IS NOT NULL;"

	"CREATE TABLE gp_registration ("
	" id INTEGER PRIMARY KEY,"
	" source_record_id INTEGER NOT NULL UNIQUE REFERENCES source_record(id),"
	" practice_id INTEGER NOT NULL REFERENCES organisation(id),"
	" registered_on TEXT NOT NULL, " PROV ");"

	"CREATE TABLE condition ("
	" id INTEGER PRIMARY KEY,"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" code_system TEXT NOT NULL CHECK (code_system IN ('snomed','icd10')),"
	" code TEXT NOT NULL, description TEXT, onset_on TEXT NOT NULL, " PROV ");"
	"CREATE INDEX condition_source ON condition(source_record_id);"

	"CREATE TABLE medication ("
	" id INTEGER PRIMARY KEY,"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" code_system TEXT NOT NULL CHECK (code_system IN ('snomed','icd10')),"
	" code TEXT NOT NULL, description TEXT,"
	" started_on TEXT NOT NULL, ended_on TEXT, " PROV ");"
	"CREATE INDEX medication_source ON medication(source_record_id);"

	"CREATE TABLE eol_plan ("
	" id INTEGER PRIMARY KEY,"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" added_on TEXT NOT NULL,"
	" preferred_place_of_care TEXT, preferred_place_of_death TEXT,"
	" resuscitation TEXT NOT NULL CHECK (resuscitation IN"
	"  ('dnacpr','attempt_cpr','not_discussed')), " PROV ");"
	"CREATE INDEX eol_plan_source ON eol_plan(source_record_id);"

	"CREATE TABLE admission ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" spell_id TEXT NOT NULL,"
	" method TEXT NOT NULL CHECK (method IN ('elective','emergency')),"
	" admitted_on TEXT NOT NULL, discharged_on TEXT,"
	" discharge_destination TEXT, " PROV ","
	" UNIQUE (org_id, spell_id));"
	"CREATE INDEX admission_source ON admission(source_record_id);"

	"CREATE TABLE admission_diagnosis ("
	" admission_id INTEGER NOT NULL REFERENCES admission(id),"
	" position INTEGER NOT NULL,"
	" code_system TEXT NOT NULL CHECK (code_system IN ('snomed','icd10')),"
	" code TEXT NOT NULL, " PROV ","
	" PRIMARY KEY (admission_id, position)) WITHOUT ROWID;"

	"CREATE TABLE ae_attendance ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" attendance_id TEXT NOT NULL, arrived_at TEXT NOT NULL,"
	" disposal TEXT NOT NULL, " PROV ","
	" UNIQUE (org_id, attendance_id));"
	"CREATE INDEX ae_attendance_source ON ae_attendance(source_record_id);"

	"CREATE TABLE sc_assessment ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" assessment_id TEXT NOT NULL, kind TEXT NOT NULL,"
	" started_on TEXT NOT NULL, completed_on TEXT, outcome TEXT, " PROV ","
	" UNIQUE (org_id, assessment_id));"
	"CREATE INDEX sc_assessment_source ON sc_assessment(source_record_id);"

	"CREATE TABLE sc_service ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" service_id TEXT NOT NULL, kind TEXT NOT NULL,"
	" started_on TEXT NOT NULL, ended_on TEXT, end_reason TEXT, " PROV ","
	" UNIQUE (org_id, service_id));"
	"CREATE INDEX sc_service_source ON sc_service(source_record_id);"

	"CREATE TABLE sc_consent ("
	" id INTEGER PRIMARY KEY,"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" form_version TEXT NOT NULL,"
	" decision TEXT NOT NULL CHECK (decision IN ('permit','deny')),"
	" recorded_on TEXT NOT NULL, recorded_by TEXT NOT NULL, " PROV ");"
	"CREATE INDEX sc_consent_source ON sc_consent(source_record_id);"

	"CREATE TABLE care_team ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" team TEXT NOT NULL,"
	" source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	" role TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT, " PROV ");"
	"CREATE INDEX care_team_source ON care_team(source_record_id);"

	"CREATE TABLE death ("
	" id INTEGER PRIMARY KEY,"
	" nhs_number TEXT NOT NULL, dob TEXT NOT NULL,"
	" date_of_death TEXT NOT NULL, place_of_death TEXT NOT NULL, " PROV ");"
	"CREATE INDEX death_nhs ON death(nhs_number);"

	"CREATE TABLE opt_out ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('national_data_opt_out','gp_type1')),"
	" nhs_number TEXT NOT NULL,"
	" org_id INTEGER REFERENCES organisation(id),"
	" recorded_on TEXT NOT NULL, " PROV ");"
	"CREATE INDEX opt_out_nhs ON opt_out(nhs_number);";

/* The master person index. A link run is one transaction of `joinedup link`;
 * the model it used (m and u per comparison level) and the term frequencies
 * of the latest run are kept so any pair can be explained later. Every
 * source record belongs to exactly one person once linked; a person merged
 * into another by a review decision keeps its row, pointing at the survivor,
 * so an old person id still resolves. link_pair holds the scored pairs worth
 * keeping (linked, queued for review, decided, or refused by a rule); a
 * decision is never changed by a later run. */
static const char migration_2[] =
	"CREATE TABLE link_run ("
	" id INTEGER PRIMARY KEY,"
	" started_at TEXT NOT NULL, finished_at TEXT,"
	" upper_threshold REAL NOT NULL, lower_threshold REAL NOT NULL,"
	" model_run_id INTEGER REFERENCES link_run(id), prior REAL,"
	" tf_given_total INTEGER, tf_family_total INTEGER, tf_postcode_total INTEGER,"
	" records INTEGER, new_records INTEGER, candidates INTEGER, scored INTEGER,"
	" linked_nhs INTEGER, linked_probabilistic INTEGER, queued INTEGER,"
	" refused INTEGER, persons_new INTEGER);"

	"CREATE TABLE link_model ("
	" run_id INTEGER NOT NULL REFERENCES link_run(id),"
	" comparison TEXT NOT NULL, level INTEGER NOT NULL,"
	" m REAL NOT NULL, u REAL NOT NULL,"
	" PRIMARY KEY (run_id, comparison, level)) WITHOUT ROWID;"

	"CREATE TABLE link_tf ("
	" comparison TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (comparison, value)) WITHOUT ROWID;"

	"CREATE TABLE person ("
	" id INTEGER PRIMARY KEY,"
	" created_run INTEGER NOT NULL REFERENCES link_run(id),"
	" merged_into INTEGER REFERENCES person(id));"

	"CREATE TABLE person_member ("
	" source_record_id INTEGER PRIMARY KEY REFERENCES source_record(id),"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" method TEXT NOT NULL CHECK (method IN"
	"  ('alone','nhs_number','probabilistic','review')),"
	" run_id INTEGER NOT NULL REFERENCES link_run(id));"
	"CREATE INDEX person_member_person ON person_member(person_id);"

	"CREATE TABLE link_pair ("
	" id INTEGER PRIMARY KEY,"
	" source_a INTEGER NOT NULL REFERENCES source_record(id),"
	" source_b INTEGER NOT NULL REFERENCES source_record(id),"
	" run_id INTEGER NOT NULL REFERENCES link_run(id),"
	" match_weight REAL NOT NULL, match_probability REAL NOT NULL,"
	" levels TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('linked','review','accepted','rejected','conflict')),"
	" decided_by TEXT, decided_at TEXT, note TEXT,"
	" CHECK (source_a < source_b), UNIQUE (source_a, source_b));"
	"CREATE INDEX link_pair_status ON link_pair(status);"
	"CREATE INDEX link_pair_b ON link_pair(source_b);";

/* The audit log: one row per decision of the purpose gate (and per other
 * audited act, such as a linkage review decision), append-only. Entry id N
 * is leaf N-1 of the Merkle tree; prev_hash is the previous entry's leaf
 * hash (all zeros for the first), so entries are also a hash chain.
 * audit_state holds the single row of the compact tree after the last entry
 * (so appends are O(log n) after a restart); audit_checkpoint the signed
 * tree heads. No clinical content: references only (person id, what was
 * read by kind and id), so the log can be kept for ever. */
static const char migration_3[] =
	"CREATE TABLE audit_entry ("
	" id INTEGER PRIMARY KEY,"
	" recorded_at TEXT NOT NULL,"
	" actor TEXT NOT NULL, role TEXT, org_code TEXT,"
	" purpose TEXT NOT NULL,"
	" person_id INTEGER REFERENCES person(id),"
	" action TEXT NOT NULL, what TEXT,"
	" outcome TEXT NOT NULL CHECK (outcome IN ('permit','deny','done')),"
	" reason TEXT, break_glass TEXT, request_id TEXT,"
	" prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
	" leaf_hash TEXT NOT NULL CHECK (length(leaf_hash) = 64));"
	"CREATE INDEX audit_entry_person ON audit_entry(person_id) WHERE person_id IS NOT NULL;"

	"CREATE TABLE audit_state ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" tree TEXT NOT NULL, last_hash TEXT NOT NULL CHECK (length(last_hash) = 64));"

	"CREATE TABLE audit_checkpoint ("
	" id INTEGER PRIMARY KEY,"
	" tree_size INTEGER NOT NULL, root TEXT NOT NULL CHECK (length(root) = 64),"
	" note TEXT NOT NULL, created_at TEXT NOT NULL);"

	/* Who signs in: staff (a role at an organisation) and citizens (tied to
	 * an NHS number). Passwords only as Argon2id hashes (libsodium's
	 * encoded form, which carries its own salt and parameters). */
	"CREATE TABLE app_user ("
	" id INTEGER PRIMARY KEY,"
	" username TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL CHECK (role IN ('gp','hospital_clinician','social_worker',"
	"  'care_coordinator','eol_operator','analyst','ig_officer','engagement_officer',"
	"  'citizen','admin')),"
	" org_id INTEGER REFERENCES organisation(id),"
	" nhs_number TEXT,"
	" password_hash TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),"
	" CHECK ((role = 'citizen') = (nhs_number IS NOT NULL)));"

	/* Which rule applies to which purpose is data: one row per data flow or
	 * approval (RULES.md, "Purposes and opt-outs", gives the defaults below;
	 * a deployment adds rows for its own approvals, e.g. a section 251
	 * approval exempt from the national data opt-out). */
	"CREATE TABLE consent_policy ("
	" id INTEGER PRIMARY KEY,"
	" purpose TEXT NOT NULL CHECK (purpose IN"
	"  ('direct_care','risk_stratification','planning','research')),"
	" flow TEXT NOT NULL UNIQUE,"
	" national_opt_out TEXT NOT NULL CHECK (national_opt_out IN ('applies','exempt')),"
	" gp_type1 TEXT NOT NULL CHECK (gp_type1 IN ('applies','exempt')),"
	" record_objection TEXT NOT NULL CHECK (record_objection IN ('applies','exempt')),"
	" citizen_choice TEXT NOT NULL CHECK (citizen_choice IN ('applies','exempt')),"
	" sc_consent TEXT NOT NULL CHECK (sc_consent IN ('required','not_required')),"
	" specific_consent TEXT NOT NULL CHECK (specific_consent IN ('required','not_required')),"
	" practice_participation TEXT NOT NULL CHECK (practice_participation IN"
	"  ('required','not_required')),"
	" approval TEXT, description TEXT NOT NULL,"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)));"
	"INSERT INTO consent_policy (purpose, flow, national_opt_out, gp_type1, record_objection,"
	" citizen_choice, sc_consent, specific_consent, practice_participation, description)"
	" VALUES"
	" ('direct_care', 'shared care record', 'exempt', 'exempt', 'applies', 'applies',"
	"  'not_required', 'not_required', 'required',"
	"  'The care team sees the joined-up record to care for the person.'),"
	" ('risk_stratification', 'risk stratification', 'applies', 'applies', 'applies',"
	"  'applies', 'required', 'not_required', 'required',"
	"  'Pseudonymised linked data is scored; only the person''s own care team can see who is at"
	" risk.'),"
	" ('planning', 'planning and commissioning', 'applies', 'applies', 'applies', 'applies',"
	"  'not_required', 'not_required', 'required',"
	"  'Only anonymous, disclosure-controlled statistics leave.'),"
	" ('research', 'research with specific consent', 'exempt', 'applies', 'applies',"
	"  'applies', 'not_required', 'required', 'required',"
	"  'Used only with the person''s specific consent (the national data opt-out does not"
	" apply to specific consent).');"

	/* People's own decisions: a citizen's choice (opt out of, or back into,
	 * one purpose or every purpose) and an objection to the shared record
	 * itself, each with who recorded it, when and the evidence. The
	 * national data opt-out and GP type 1 objections come from imported
	 * lists (opt_out), the council's consent forms from sc_consent. */
	"CREATE TABLE consent_decision ("
	" id INTEGER PRIMARY KEY,"
	" nhs_number TEXT NOT NULL CHECK (length(nhs_number) = 10),"
	" purpose TEXT CHECK (purpose IS NULL OR purpose IN"
	"  ('direct_care','risk_stratification','planning','research')),"
	" source TEXT NOT NULL CHECK (source IN ('citizen','record_objection')),"
	" decision TEXT NOT NULL CHECK (decision IN ('permit','deny')),"
	" recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, evidence TEXT);"
	"CREATE INDEX consent_decision_nhs ON consent_decision(nhs_number);"

	/* Opt-out lists are whole lists: a newer national list replaces the
	 * earlier one, and a newer GP objection list replaces the earlier rows of
	 * the practices it covers. Replaced rows stay, marked with the file that
	 * withdrew them; every addition and removal is recorded. */
	"ALTER TABLE opt_out ADD COLUMN withdrawn_file_id INTEGER REFERENCES import_file(id);"
	"CREATE TABLE opt_out_change ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('national_data_opt_out','gp_type1')),"
	" nhs_number TEXT NOT NULL,"
	" org_id INTEGER REFERENCES organisation(id),"
	" change TEXT NOT NULL CHECK (change IN ('added','removed')),"
	" file_id INTEGER NOT NULL REFERENCES import_file(id));";

/* Break-glass: an access without a care relationship, for direct care, on
 * a reason the actor gives. A grant lets that user see that person until it
 * expires; every grant waits on the information governance officer's
 * review list until reviewed (who, when, appropriate or not, a note). The
 * audit entry of the access that made the grant is referenced. */
static const char migration_4[] =
	"CREATE TABLE break_glass ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES app_user(id),"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" reason TEXT NOT NULL,"
	" granted_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
	" audit_id INTEGER NOT NULL REFERENCES audit_entry(id),"
	" reviewed_by INTEGER REFERENCES app_user(id), reviewed_at TEXT,"
	" outcome TEXT CHECK (outcome IN ('appropriate','inappropriate')),"
	" note TEXT,"
	" CHECK ((reviewed_at IS NULL) = (outcome IS NULL)));"
	"CREATE INDEX break_glass_user_person ON break_glass(user_id, person_id);"
	"CREATE INDEX break_glass_pending ON break_glass(id) WHERE reviewed_at IS NULL;"
	/* the gate resolves an NHS number to every person merged into its holder */
	"CREATE INDEX person_merged ON person(merged_into) WHERE merged_into IS NOT NULL;";

/* Table versions: per table (by name, so renumbering jup_table is safe), how
 * many committed transactions wrote it, so a process holding rows in memory
 * learns which tables changed, whoever changed them. Only the store writes
 * it, once per written table as a transaction commits; it is not one of the
 * jup_table tables, so the generic insert and scan never reach it. */
static const char migration_5[] =
	"CREATE TABLE table_version ("
	" name TEXT PRIMARY KEY,"
	" version INTEGER NOT NULL) WITHOUT ROWID;";

/* The audit log's person index as sorted runs. The index on
 * audit_entry(person_id) put each entry about a person in a random leaf page
 * of the index, and every commit wrote each such page to the WAL again
 * (rows of that shape, 40 a transaction: 58,000 a second with the index,
 * 314,000 without). Instead, once a block of 4096 entries is full (block b:
 * entries b*4096+1 .. (b+1)*4096), the (person_id, entry_id) pairs of its
 * entries about somebody are written at once, sorted, in the transaction of
 * the entry that filled it: the table grows at its right edge. A citizen's
 * history reads the person's rows of each full block by primary key and the
 * unindexed tail (under one block) entry by entry; audit verify checks every
 * run against its entries. The runs of the blocks already full are made
 * here. 4096 is JUP_AUDIT_BLOCK (audit/jup_audit.h; audit_run.c asserts the
 * two agree): another block size needs a migration rebuilding the runs. */
static const char migration_6[] =
	"DROP INDEX IF EXISTS audit_entry_person;"
	"CREATE TABLE audit_person_run ("
	" block INTEGER NOT NULL,"
	" person_id INTEGER NOT NULL,"
	" entry_id INTEGER NOT NULL," /* derived from audit_entry; verify checks every row */
	" PRIMARY KEY (block, person_id, entry_id)) WITHOUT ROWID;"
	"INSERT INTO audit_person_run SELECT (id - 1) / 4096, person_id, id FROM audit_entry"
	" WHERE person_id IS NOT NULL"
	" AND id <= (SELECT (count(*) / 4096) * 4096 FROM audit_entry)"
	" ORDER BY 1, 2, 3;";

/* Sign-in tokens for the HTTP API (auth/jup_auth.h). Systems sign in as
 * users of kind 'system' with a client secret in place of a password (a
 * system is never a citizen). A token is bound to one purpose ('none' for
 * roles that act for no purpose) and, for break-glass, carries the reason;
 * only its BLAKE2b-256 hash (hex) is kept, so a copy of the database gives
 * no usable token. Rows are found by that hash; expired and revoked rows
 * are purged after a day. Generic writes raise table_version for
 * auth_token and app_user, so a server's token cache learns of a revoke or
 * a disabled user from any process. */
static const char migration_7[] =
	"ALTER TABLE app_user ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'"
	" CHECK (kind IN ('person','system') AND (kind = 'person' OR role <> 'citizen'));"
	"CREATE TABLE auth_token ("
	" id INTEGER PRIMARY KEY,"
	" token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
	" user_id INTEGER NOT NULL REFERENCES app_user(id),"
	" grant_type TEXT NOT NULL CHECK (grant_type IN ('password','client_credentials')),"
	" purpose TEXT NOT NULL CHECK (purpose IN"
	"  ('direct_care','risk_stratification','planning','research','none')),"
	" break_glass TEXT CHECK (break_glass IS NULL OR purpose = 'direct_care'),"
	" issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT,"
	" CHECK (expires_at > issued_at));";
/* Care plans, notes and end-of-life plans written through the joined-up
 * record (care/jup_care_plan.h). One row per version: a change is a new row
 * with the next version of the same plan_id, never an edit, so every version
 * stays readable (FHIR _history); the triggers refuse an UPDATE or DELETE
 * whoever tries it. A version names the person it is about, its author and
 * the author's organisation, and the audit entry written with it. The end of
 * life columns are set exactly for kind end_of_life (resuscitation is then
 * required); key contacts and medicines in the home are JSON arrays. The
 * next plan's id is the largest plan_id plus one, read from the unique
 * index. IF NOT EXISTS: tests wind a store's version back to replay older
 * migrations, which must not trip over this table. */
static const char migration_8[] =
	"CREATE TABLE IF NOT EXISTS care_plan ("
	" id INTEGER PRIMARY KEY,"
	" plan_id INTEGER NOT NULL CHECK (plan_id > 0),"
	" version INTEGER NOT NULL CHECK (version > 0),"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('care_plan','end_of_life','note')),"
	" status TEXT NOT NULL CHECK (status IN ('draft','active','completed','revoked')),"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" period_start TEXT NOT NULL CHECK (length(period_start) = 10),"
	" period_end TEXT CHECK (period_end IS NULL OR"
	"  (length(period_end) = 10 AND period_end >= period_start)),"
	" preferred_place_of_care TEXT, preferred_place_of_death TEXT,"
	" resuscitation TEXT CHECK (resuscitation IN ('dnacpr','attempt_cpr','not_discussed')),"
	" key_contacts TEXT, medicines_in_home TEXT,"
	" author_user_id INTEGER NOT NULL REFERENCES app_user(id),"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" recorded_at TEXT NOT NULL,"
	" audit_id INTEGER NOT NULL REFERENCES audit_entry(id),"
	" CHECK ((kind = 'end_of_life') = (resuscitation IS NOT NULL)),"
	" CHECK ((kind = 'end_of_life') = (key_contacts IS NOT NULL AND"
	"  medicines_in_home IS NOT NULL)),"
	" UNIQUE (plan_id, version));"
	"CREATE INDEX IF NOT EXISTS care_plan_person ON care_plan(person_id);"
	"CREATE TRIGGER IF NOT EXISTS care_plan_never_updated BEFORE UPDATE ON care_plan"
	" BEGIN SELECT RAISE(ABORT, 'care_plan rows are never changed: write a new version');"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS care_plan_never_deleted BEFORE DELETE ON care_plan"
	" BEGIN SELECT RAISE(ABORT, 'care_plan rows are never removed'); END;";
/* Finding people: Patient search (by NHS number, birth date, names) and
 * $match (a demographic query scored against candidate records found by the
 * linkage's own blocking rules), as point lookups on a city of a million
 * people. Source records by date of birth and by postcode (the canonical
 * form) are plain indexes. Names are matched folded as linkage folds them
 * (lower-case a-z, accents removed, hyphens, apostrophes and spaces dropped),
 * which SQL cannot do, so link runs write the keys of the records they link:
 * person_name, a linked record's folded family name (and once more the last
 * part of a double-barrelled one) with its folded given names ("mary ann"),
 * so that a family-name prefix and a given name are answered from the key
 * alone; link_key, a linked record's blocking key that no column index
 * gives (31 bits of the hash of the rule "name codes + birth year",
 * link_block.c). Both are derived and
 * rebuilt by the next link run when people exist without keys (a database
 * linked before this migration), so they carry no foreign keys. (IF NOT
 * EXISTS: tests that wind a store back to an older version keep these.) */
static const char migration_9[] =
	"CREATE INDEX IF NOT EXISTS source_record_dob ON source_record(dob)"
	" WHERE dob IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS source_record_postcode ON source_record(postcode)"
	" WHERE postcode IS NOT NULL;"
	"CREATE TABLE IF NOT EXISTS person_name ("
	" family TEXT NOT NULL,"
	" given TEXT NOT NULL,"
	" source_record_id INTEGER NOT NULL,"
	" PRIMARY KEY (family, source_record_id)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS link_key ("
	" key INTEGER NOT NULL,"
	" source_record_id INTEGER NOT NULL,"
	" PRIMARY KEY (key, source_record_id)) WITHOUT ROWID;";

static const store_migration migrations[] = {
	{ 1, "organisations, source records, GP, hospital and social care events, "
	     "deaths, care teams, opt-outs, import provenance", migration_1 },
	{ 2, "master person index: link runs, model, term frequencies, persons, "
	     "scored pairs and review decisions", migration_2 },
	{ 3, "audit log: entries (hash chain and Merkle leaves), tree state, signed "
	     "checkpoints; users; consent policy and decisions; opt-out list changes",
	  migration_3 },
	{ 4, "break-glass grants and their information governance review; persons by merge",
	  migration_4 },
	{ 5, "table versions: a change count per table, for in-memory caches", migration_5 },
	{ 6, "audit log: the person index as a sorted run per full block of 4096 entries, "
	     "replacing the index on every entry", migration_6 },
	{ 7, "sign-in tokens (hashed, one purpose each, break-glass reason); users of kind "
	     "system", migration_7 },
	/* 7 is another branch's (the lead merges the list in order) */
	{ 8, "care plans, notes and end-of-life plans: one row per version, never changed",
	  migration_8 },
	{ 9, "finding people: source records by date of birth and postcode; folded names "
	     "and blocking keys of linked records",
	  migration_9 },
};

const store_migration *store_sqlite_migrations(int *n)
{
	*n = (int)(sizeof migrations / sizeof migrations[0]);
	return migrations;
}
