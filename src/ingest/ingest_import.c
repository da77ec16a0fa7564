/*
 * ingest_import.c - the import engine: extract files into the store, one
 * transaction per file, all or nothing.
 *
 * For each file: recognise its kind from its name, hash its bytes (a file
 * seen before is passed over), map the header to the kind's columns, then
 * validate every row field by field and across fields, storing valid rows as
 * it goes so that store-level rules (duplicate ids) are found too. Any
 * problem and the transaction is rolled back; the problems are listed.
 */
#include "ingest/jup_ingest_import.h"

#include "core/jup_buf.h"
#include "core/jup_file.h"
#include "core/jup_limits.h"
#include "ingest/ingest_files.h"
#include "ingest/ingest_lists.h"
#include "ingest/ingest_spec.h"
#include "ingest/jup_ingest_csv.h"
#include "ingest/jup_ingest_valid.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ORG_CACHE 64

struct field_val {
	jup_sv raw;       /* trimmed text of the field */
	bool present;     /* not blank */
	bool ok;          /* passed its own checks */
	jup_date date;    /* F_DATE, F_DATETIME */
	char canon[12];   /* F_NHS_*: 10 digits; F_POSTCODE: canonical form */
	const char *nhs_status;
	jup_org_info org; /* F_ORG */
	int64_t ref_id;   /* F_SOURCE_REF */
};

typedef struct org_entry {
	char code[JUP_MAX_ORG_CODE_LEN + 1];
	jup_org_info info;
} org_entry;

struct ingest_ctx {
	jup_store *st;
	const jup_import_opts *opts;
	jup_date today;
	int max_problems;
	const char *path;
	const extract_spec *spec;
	int column_of[JUP_CSV_MAX_FIELDS]; /* spec field -> CSV column */
	int ref_of[JUP_CSV_MAX_FIELDS];    /* spec field -> its `ref` field or -1 */
	int before_of[JUP_CSV_MAX_FIELDS]; /* spec field -> its `not_before` field or -1 */
	int ncolumns;
	field_val vals[JUP_CSV_MAX_FIELDS];
	jup_provenance prov;
	int64_t problems;
	int64_t rows;
	jup_buf report; /* the first problems, one line each */
	org_entry orgs[ORG_CACHE];
	int norgs;
};

/* ---- problems ---------------------------------------------------------- */

static void problem(ingest_ctx *c, int64_t line, const char *field, const char *fmt, ...)
	JUP_PRINTF(4, 5);

static void problem(ingest_ctx *c, int64_t line, const char *field, const char *fmt, ...)
{
	if (++c->problems > c->max_problems)
		return;
	char reason[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	jup_status st = line > 0 ? jup_buf_appendf(&c->report, "%s:%lld: %s: %s\n", c->path,
						   (long long)line, field, reason)
				 : jup_buf_appendf(&c->report, "%s: %s: %s\n", c->path, field,
						   reason);
	(void)st; /* the report is bounded by max_problems; a failed append loses a line */
}

static int field_index(const extract_spec *spec, const char *name)
{
	for (int i = 0; name && i < spec->nfields; i++)
		if (strcmp(spec->fields[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- organisations ----------------------------------------------------- */

static jup_status org_lookup(ingest_ctx *c, jup_sv code, jup_org_info *out, jup_err *err)
{
	for (int i = 0; i < c->norgs; i++)
		if (jup_sv_eq_cstr(code, c->orgs[i].code)) {
			*out = c->orgs[i].info;
			return JUP_OK;
		}
	jup_status st = jup_store_org_find(c->st, code, out, err);
	if (st == JUP_OK) {
		org_entry *e = &c->orgs[c->norgs < ORG_CACHE ? c->norgs++ : 0];
		jup_sv_to_cstr(code, e->code, sizeof e->code);
		e->info = *out;
	}
	return st;
}

/* ---- single fields ------------------------------------------------------ */

static const char *kind_name(int kind)
{
	return kind >= 0 ? jup_store_org_kind_name((jup_org_kind)kind) : "organisation";
}

static jup_status check_org(ingest_ctx *c, const field_spec *f, field_val *v, jup_err *why)
{
	jup_status st = jup_ingest_org_code(v->raw, why);
	if (st)
		return st;
	st = org_lookup(c, v->raw, &v->org, why);
	if (st == JUP_ERR_NOT_FOUND)
		return jup_err_set(why, JUP_ERR_INVALID, "unknown organisation code \"%.*s\"",
				   (int)v->raw.len, v->raw.ptr);
	if (st)
		return st;
	if (f->org_kind != ANY_ORG && v->org.kind != (jup_org_kind)f->org_kind)
		return jup_err_set(why, JUP_ERR_INVALID, "\"%.*s\" is a %s, not a %s",
				   (int)v->raw.len, v->raw.ptr, kind_name((int)v->org.kind),
				   kind_name(f->org_kind));
	return JUP_OK;
}

static jup_status check_nhs(const field_spec *f, field_val *v, jup_err *why)
{
	jup_status st = jup_ingest_nhs_number(v->raw, v->canon, why);
	v->nhs_status = st == JUP_OK ? "valid" : "invalid";
	if (st && f->type == F_NHS_FLAGGED)
		return JUP_OK; /* kept, flagged invalid, for linkage to resolve */
	return st;
}

static jup_status check_diagnoses(jup_sv s, jup_err *why)
{
	int n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= s.len; i++) {
		if (i < s.len && s.ptr[i] != ';')
			continue;
		jup_sv code = jup_sv_trim((jup_sv){ s.ptr + start, i - start });
		jup_err inner;
		if (jup_ingest_icd10(code, &inner))
			return jup_err_set(why, JUP_ERR_INVALID, "diagnosis %d: %s", n + 1,
					   code.len ? inner.msg : "empty");
		if (++n > JUP_IMPORT_MAX_DIAGNOSES)
			return jup_err_set(why, JUP_ERR_INVALID, "more than %d diagnoses",
					   JUP_IMPORT_MAX_DIAGNOSES);
		start = i + 1;
	}
	return JUP_OK;
}

static jup_status check_yn(jup_sv s, jup_err *why)
{
	if (jup_sv_eq_cstr(s, "Y") || jup_sv_eq_cstr(s, "N"))
		return JUP_OK;
	return jup_err_set(why, JUP_ERR_INVALID, "must be Y or N");
}

/* Checks a field needs alone; cross-field checks come after. */
static jup_status check_one(ingest_ctx *c, const field_spec *f, field_val *v, jup_err *why)
{
	size_t index;
	switch (f->type) {
	case F_TEXT:
		return jup_ingest_text(v->raw, (size_t)f->max, why);
	case F_LOCAL_ID:
	case F_SOURCE_REF:
		return jup_ingest_local_id(v->raw, why);
	case F_ORG_CODE:
		return jup_ingest_org_code(v->raw, why);
	case F_ORG:
		return check_org(c, f, v, why);
	case F_NHS_STRICT:
	case F_NHS_FLAGGED:
		return check_nhs(f, v, why);
	case F_DATE:
		return jup_ingest_date(v->raw, c->today, &v->date, why);
	case F_DATETIME:
		return jup_ingest_datetime(v->raw, c->today, &v->date, why);
	case F_POSTCODE:
		return jup_ingest_postcode(v->raw, v->canon, why);
	case F_ENUM:
		return jup_ingest_enum(v->raw, f->values, &index, why);
	case F_YN:
		return check_yn(v->raw, why);
	case F_CODE:
		return JUP_OK; /* needs its code system: checked across fields */
	case F_DIAGNOSES:
		return check_diagnoses(v->raw, why);
	}
	return jup_err_set(why, JUP_ERR_INTERNAL, "unknown field type");
}

/* A validator's verdict on the data, as opposed to a failure to check it
 * (the store, memory): only the first kind is a problem with the row. */
static bool is_verdict(jup_status st)
{
	return st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT || st == JUP_ERR_NOT_FOUND;
}

static jup_status check_fields(ingest_ctx *c, const jup_sv *cells, int64_t line, jup_err *err)
{
	for (int i = 0; i < c->spec->nfields; i++) {
		const field_spec *f = &c->spec->fields[i];
		field_val *v = &c->vals[i];
		memset(v, 0, sizeof *v);
		v->raw = jup_sv_trim(cells[c->column_of[i]]);
		v->present = v->raw.len > 0;
		v->nhs_status = "missing";
		jup_err why;
		if (!v->present) {
			v->ok = !f->required;
			if (!v->ok)
				problem(c, line, f->name, "required, but blank");
			continue;
		}
		jup_status st = check_one(c, f, v, &why);
		if (st && !is_verdict(st))
			return jup_err_set(err, st, "%s", why.msg);
		v->ok = st == JUP_OK;
		if (!v->ok)
			problem(c, line, f->name, "%s", why.msg);
	}
	return JUP_OK;
}

/* ---- checks across fields ---------------------------------------------- */

static void check_code(ingest_ctx *c, int i, int64_t line)
{
	field_val *v = &c->vals[i], *sys = &c->vals[c->ref_of[i]];
	if (!sys->ok || !sys->present)
		return; /* the system's own problem is already reported */
	jup_err why;
	jup_status st = jup_sv_eq_cstr(sys->raw, "snomed") ? jup_ingest_snomed_concept(v->raw, &why)
							    : jup_ingest_icd10(v->raw, &why);
	v->ok = st == JUP_OK;
	if (!v->ok)
		problem(c, line, c->spec->fields[i].name, "%s", why.msg);
}

static jup_status resolve_ref(ingest_ctx *c, int i, int64_t line, jup_err *err)
{
	field_val *v = &c->vals[i], *org = &c->vals[c->ref_of[i]];
	if (!org->ok || !org->present)
		return JUP_OK;
	jup_status st = jup_store_source_find(c->st, org->org.id, v->raw, &v->ref_id, err);
	if (st == JUP_ERR_NOT_FOUND) {
		v->ok = false;
		problem(c, line, c->spec->fields[i].name, "no record with this id at %.*s",
			(int)org->raw.len, org->raw.ptr);
		return JUP_OK;
	}
	return st;
}

static void check_order(ingest_ctx *c, int i, int64_t line)
{
	field_val *v = &c->vals[i], *first = &c->vals[c->before_of[i]];
	if (v->ok && v->present && first->ok && first->present && v->date < first->date) {
		v->ok = false;
		problem(c, line, c->spec->fields[i].name, "before %s",
			c->spec->fields[c->before_of[i]].name);
	}
}

static jup_status check_across(ingest_ctx *c, int64_t line, jup_err *err)
{
	for (int i = 0; i < c->spec->nfields; i++) {
		const field_spec *f = &c->spec->fields[i];
		if (!c->vals[i].ok || !c->vals[i].present)
			continue;
		if (f->type == F_CODE)
			check_code(c, i, line);
		if (f->type == F_SOURCE_REF) {
			jup_status st = resolve_ref(c, i, line, err);
			if (st)
				return st;
		}
		if (c->before_of[i] >= 0)
			check_order(c, i, line);
	}
	return JUP_OK;
}

static bool row_ok(const ingest_ctx *c)
{
	for (int i = 0; i < c->spec->nfields; i++)
		if (!c->vals[i].ok)
			return false;
	return true;
}

/* ---- storing ------------------------------------------------------------ */

static void put(jup_value *row, int col, jup_value v)
{
	if (col != NO_COL)
		row[col] = v;
}

static jup_sv canon_sv(const field_val *v)
{
	return jup_sv_from(v->canon);
}

static void value_of(const field_spec *f, const field_val *v, jup_value *row)
{
	bool valid_nhs = v->present && strcmp(v->nhs_status, "valid") == 0;
	switch (f->type) {
	case F_ORG:
		put(row, f->col, jup_v_int(v->org.id));
		put(row, f->col2, jup_v_int(v->org.id));
		break;
	case F_SOURCE_REF:
		put(row, f->col, jup_v_int(v->ref_id));
		break;
	case F_NHS_STRICT:
	case F_NHS_FLAGGED:
		put(row, f->col, jup_v_text(v->raw));
		if (valid_nhs)
			put(row, f->col2, jup_v_text(canon_sv(v)));
		put(row, f->col3, jup_v_text(jup_sv_from(v->nhs_status)));
		break;
	case F_POSTCODE:
		put(row, f->col, jup_v_text(v->raw));
		put(row, f->col2, jup_v_text(canon_sv(v)));
		break;
	case F_YN:
		put(row, f->col, jup_v_int(jup_sv_eq_cstr(v->raw, "Y")));
		break;
	default:
		put(row, f->col, jup_v_text(v->raw));
		break;
	}
}

static jup_status store_row(ingest_ctx *c, int64_t line, jup_err *err)
{
	jup_value row[JUP_STORE_MAX_COLS] = { 0 };
	const extract_spec *spec = c->spec;
	for (int i = 0; i < spec->nfields; i++) {
		const field_spec *f = &spec->fields[i];
		if (c->vals[i].present)
			value_of(f, &c->vals[i], row);
		else if (f->col3 != NO_COL)
			put(row, f->col3, jup_v_text(JUP_SV_LIT("missing")));
	}
	if (spec->const_col != NO_COL)
		row[spec->const_col] = jup_v_text(jup_sv_from(spec->const_val));
	c->prov.line = line;
	int64_t rowid;
	jup_status st = jup_store_insert(c->st, spec->table, row, &c->prov, &rowid, err);
	if (st == JUP_ERR_EXISTS || st == JUP_ERR_INVALID) {
		problem(c, line, spec->dup_field ? spec->dup_field : "row",
			st == JUP_ERR_EXISTS ? "already held: an earlier row or extract has this id"
					     : "breaks a rule of the store");
		return JUP_OK;
	}
	if (!st && spec->after)
		st = spec->after(c, rowid);
	if (!st)
		c->rows++;
	return st;
}

static const field_val *val_named(const ingest_ctx *c, const char *name)
{
	return &c->vals[field_index(c->spec, name)];
}

jup_status ingest_after_gp_patient(ingest_ctx *c, int64_t rowid)
{
	jup_value row[JUP_GPREG__N];
	row[JUP_GPREG_SOURCE_ID] = jup_v_int(rowid);
	row[JUP_GPREG_PRACTICE_ID] = jup_v_int(val_named(c, "practice_code")->org.id);
	row[JUP_GPREG_REGISTERED_ON] = jup_v_text(val_named(c, "registered_on")->raw);
	jup_err err;
	jup_status st = jup_store_insert(c->st, JUP_TABLE_GP_REGISTRATION, row, &c->prov, NULL,
					 &err);
	if (st == JUP_ERR_EXISTS) {
		problem(c, c->prov.line, "local_id", "already registered");
		return JUP_OK;
	}
	return st;
}

jup_status ingest_after_admission(ingest_ctx *c, int64_t rowid)
{
	jup_sv s = val_named(c, "diagnoses")->raw;
	size_t start = 0;
	int position = 0;
	jup_status st = JUP_OK;
	for (size_t i = 0; i <= s.len && !st; i++) {
		if (i < s.len && s.ptr[i] != ';')
			continue;
		jup_value row[JUP_DIAG__N];
		row[JUP_DIAG_ADMISSION_ID] = jup_v_int(rowid);
		row[JUP_DIAG_POSITION] = jup_v_int(++position);
		row[JUP_DIAG_CODE_SYSTEM] = jup_v_text(JUP_SV_LIT("icd10"));
		row[JUP_DIAG_CODE] = jup_v_text(jup_sv_trim((jup_sv){ s.ptr + start, i - start }));
		jup_err err;
		st = jup_store_insert(c->st, JUP_TABLE_ADMISSION_DIAGNOSIS, row, &c->prov, NULL,
				      &err);
		start = i + 1;
	}
	return st;
}

/* ---- header ------------------------------------------------------------- */

static void map_header(ingest_ctx *c, const jup_sv *cells, size_t n, int64_t line)
{
	const extract_spec *spec = c->spec;
	for (int i = 0; i < spec->nfields; i++) {
		c->column_of[i] = -1;
		c->ref_of[i] = field_index(spec, spec->fields[i].ref);
		c->before_of[i] = field_index(spec, spec->fields[i].not_before);
	}
	for (size_t col = 0; col < n; col++) {
		jup_sv name = jup_sv_trim(cells[col]);
		int i = -1;
		for (int k = 0; k < spec->nfields && i < 0; k++)
			if (jup_sv_eq_cstr(name, spec->fields[k].name))
				i = k;
		if (i < 0)
			problem(c, line, "header", "unknown column \"%.*s\" for %s",
				(int)(name.len > 64 ? 64 : name.len), name.ptr, spec->kind);
		else if (c->column_of[i] >= 0)
			problem(c, line, "header", "column \"%s\" given twice",
				spec->fields[i].name);
		else
			c->column_of[i] = (int)col;
	}
	for (int i = 0; i < spec->nfields; i++)
		if (c->column_of[i] < 0)
			problem(c, line, "header", "missing column \"%s\"", spec->fields[i].name);
	c->ncolumns = (int)n;
}

/* ---- one file ------------------------------------------------------------ */

static void content_hash(const jup_file *m, char hex[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)(m->data ? m->data : ""), m->len,
			   NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static jup_status record_file(ingest_ctx *c, const jup_file *m, const char *hex, jup_err *err)
{
	char now[21];
	jup_date_now_utc(now);
	const char *base = strrchr(c->path, '/');
	jup_value row[JUP_IMPORT_FILE__N] = {
		[JUP_IMPORT_FILE_NAME] = jup_v_text(jup_sv_from(base ? base + 1 : c->path)),
		[JUP_IMPORT_FILE_KIND] = jup_v_text(jup_sv_from(c->spec->kind)),
		[JUP_IMPORT_FILE_HASH] = jup_v_text(jup_sv_from(hex)),
		[JUP_IMPORT_FILE_BYTES] = jup_v_int((int64_t)m->len),
		[JUP_IMPORT_FILE_IMPORTED_AT] = jup_v_text(jup_sv_from(now)),
	};
	return jup_store_insert(c->st, JUP_TABLE_IMPORT_FILE, row, NULL, &c->prov.file_id, err);
}

static jup_status read_rows(ingest_ctx *c, jup_csv *csv, jup_err *err)
{
	jup_sv cells[JUP_CSV_MAX_FIELDS];
	size_t n;
	int64_t line;
	jup_err why;
	for (int64_t count = 0;; count++) {
		jup_status st = jup_ingest_csv_next(csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
		if (st == JUP_ERR_NOT_FOUND)
			return JUP_OK;
		if (count >= JUP_IMPORT_MAX_ROWS) {
			problem(c, line, "file", "more than %lld rows", JUP_IMPORT_MAX_ROWS);
			return JUP_OK;
		}
		if (st) {
			problem(c, line, "row", "%s", why.msg);
			continue;
		}
		if ((int)n != c->ncolumns) {
			problem(c, line, "row", "has %zu fields, the header has %d", n, c->ncolumns);
			continue;
		}
		if ((st = check_fields(c, cells, line, err)))
			return st;
		if ((st = check_across(c, line, err)))
			return st;
		if (row_ok(c) && (st = store_row(c, line, err)))
			return st;
		if (c->opts->progress && count % 65536 == 65535)
			c->opts->progress(c->opts->progress_ctx, c->path,
					  (double)csv->pos / (double)(csv->len ? csv->len : 1));
	}
}

static jup_status load_rows(ingest_ctx *c, const jup_file *m, jup_err *err)
{
	jup_csv csv;
	jup_ingest_csv_init(&csv, m->data ? m->data : "", m->len);
	jup_sv cells[JUP_CSV_MAX_FIELDS];
	size_t n;
	int64_t line;
	jup_err why;
	jup_status st = jup_ingest_csv_next(&csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
	if (st == JUP_ERR_NOT_FOUND)
		problem(c, 1, "header", "the file is empty");
	else if (st)
		problem(c, line, "header", "%s", why.msg);
	else
		map_header(c, cells, n, line);
	st = JUP_OK;
	if (c->problems == 0)
		st = read_rows(c, &csv, err);
	if (c->opts->progress)
		c->opts->progress(c->opts->progress_ctx, c->path, 1.0);
	jup_ingest_csv_free(&csv);
	return st;
}

static void print_outcome(ingest_ctx *c, jup_import_summary *sum)
{
	FILE *out = c->opts->out, *probs = c->opts->problems;
	if (c->problems == 0) {
		sum->files_imported++;
		sum->rows += c->rows;
		if (out) {
			fprintf(out, "%s: imported %lld row%s (%s)\n", c->path,
				(long long)c->rows, c->rows == 1 ? "" : "s", c->spec->kind);
			fflush(out);
		}
		return;
	}
	sum->files_rejected++;
	sum->problems += c->problems;
	if (!probs)
		return;
	fputs(c->report.data ? c->report.data : "", probs);
	if (c->problems > c->max_problems)
		fprintf(probs, "%s: ... and %lld more problems\n", c->path,
			(long long)(c->problems - c->max_problems));
	fprintf(probs, "%s: rejected: %lld problem%s; nothing from this file was imported\n",
		c->path, (long long)c->problems, c->problems == 1 ? "" : "s");
}

static jup_status import_mapped(ingest_ctx *c, const jup_file *m, jup_import_summary *sum,
				jup_err *err)
{
	char hex[65];
	content_hash(m, hex);
	jup_file_info seen;
	jup_status st = jup_store_file_find(c->st, hex, &seen, err);
	if (st == JUP_OK) {
		sum->files_skipped++;
		if (c->opts->out)
			fprintf(c->opts->out, "%s: already imported (as %s at %s); nothing to do\n",
				c->path, seen.name, seen.imported_at);
		return JUP_OK;
	}
	if (st != JUP_ERR_NOT_FOUND)
		return st;
	if ((st = jup_store_begin(c->st, err)))
		return st;
	bool is_list = c->spec->table == JUP_TABLE_OPT_OUT;
	ingest_list list = { 0 };
	st = record_file(c, m, hex, err);
	if (!st && is_list) /* opt-out lists replace the lists before them */
		st = ingest_list_before(c->st, c->spec->const_val, &list, err);
	if (!st)
		st = load_rows(c, m, err);
	if (!st && c->problems == 0 && is_list)
		st = ingest_list_after(c->st, &list, c->prov.file_id, err);
	ingest_list_free(&list);
	if (!st && c->problems == 0)
		st = jup_store_commit(c->st, err);
	if (st || c->problems) {
		jup_err ignored;
		if (jup_store_rollback(c->st, &ignored))
			st = st ? st : JUP_ERR_STORE; /* the rollback's failure is the news */
	}
	if (!st)
		print_outcome(c, sum);
	return st;
}

static jup_status import_one(ingest_ctx *c, const char *path, const extract_spec *spec,
			     jup_import_summary *sum, jup_err *err)
{
	c->path = path;
	c->spec = spec;
	c->problems = 0;
	c->rows = 0;
	c->norgs = 0;
	jup_buf_reset(&c->report);
	jup_file m;
	jup_status st = jup_file_map(path, JUP_IMPORT_MAX_FILE_BYTES, &m, err);
	if (st)
		return st;
	st = import_mapped(c, &m, sum, err);
	jup_file_unmap(&m);
	return st;
}

static void report_unknown_kind(const jup_import_opts *o, const char *path,
				jup_import_summary *sum)
{
	sum->files_rejected++;
	sum->problems++;
	if (!o->problems)
		return;
	fprintf(o->problems, "%s: file: not a known extract; the name must start with one of:",
		path);
	int n;
	const extract_spec *specs = ingest_specs(&n);
	for (int i = 0; i < n; i++)
		fprintf(o->problems, "%s %s", i ? "," : "", specs[i].kind);
	fputc('\n', o->problems);
}

jup_status jup_ingest_import(jup_store *st, const char *const *paths, size_t npaths,
			     const jup_import_opts *opts, jup_import_summary *sum, jup_err *err)
{
	memset(sum, 0, sizeof *sum);
	if (sodium_init() < 0)
		return jup_err_set(err, JUP_ERR_INTERNAL, "libsodium could not start");
	ingest_jobs jobs = { 0 };
	ingest_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	c->st = st;
	c->opts = opts;
	c->today = opts->today ? opts->today : jup_date_today();
	c->max_problems = opts->max_problems > 0 ? opts->max_problems
						  : JUP_IMPORT_MAX_PROBLEMS_SHOWN;
	jup_buf_init(&c->report, 1 << 20);
	jup_status rc = ingest_collect(paths, npaths, &jobs, &sum->files_skipped, err);
	for (size_t i = 0; i < jobs.n && !rc; i++) {
		if (!jobs.items[i].spec)
			report_unknown_kind(opts, jobs.items[i].path, sum);
		else
			rc = import_one(c, jobs.items[i].path, jobs.items[i].spec, sum, err);
	}
	ingest_jobs_free(&jobs);
	jup_buf_free(&c->report);
	free(c);
	if (rc)
		return rc;
	return sum->files_rejected ? JUP_ERR_INVALID : JUP_OK;
}

const char *jup_ingest_kind_of(const char *name)
{
	const extract_spec *s = ingest_spec_for(name);
	return s ? s->kind : NULL;
}
