/*
 * ingest_spec.h - the extract kinds as data (private to ingest/).
 *
 * Each extract kind lists its columns: how a field is validated and which
 * store column(s) its value goes to. The import engine is generic over these
 * tables; only what cannot be said as a column (a GP registration beside a
 * GP record, the diagnoses of a spell) is a small handler.
 */
#ifndef INGEST_SPEC_H
#define INGEST_SPEC_H

#include "core/jup_limits.h"
#include "store/jup_store.h"

#include <stdbool.h>

typedef enum field_type {
	F_TEXT,        /* free text up to max bytes */
	F_LOCAL_ID,    /* an id: [A-Za-z0-9_/-]{1,32} */
	F_ORG_CODE,    /* a new organisation's code */
	F_ORG,         /* reference to an imported organisation (of org_kind) */
	F_SOURCE_REF,  /* a local_id held by the organisation in column `ref` */
	F_NHS_STRICT,  /* NHS number that must be valid */
	F_NHS_FLAGGED, /* NHS number kept with status missing/invalid */
	F_DATE,
	F_DATETIME,
	F_POSTCODE,
	F_ENUM,        /* one of values[] */
	F_YN,          /* Y or N, stored 1 or 0 */
	F_CODE,        /* clinical code in the system named by column `ref` */
	F_DIAGNOSES,   /* ICD-10 codes separated by ';' */
} field_type;

#define NO_COL (-1)
#define ANY_ORG (-1)

typedef struct field_spec {
	const char *name;
	field_type type;
	bool required;
	int col;   /* store column for the value (raw form for NHS number/postcode) */
	int col2;  /* NHS number/postcode: canonical form; F_ORG: a second id column */
	int col3;  /* F_NHS_FLAGGED: status column */
	int max;   /* F_TEXT: maximum bytes */
	int org_kind;              /* F_ORG: a jup_org_kind or ANY_ORG */
	const char *ref;           /* F_SOURCE_REF: org column; F_CODE: system column */
	const char *not_before;    /* date column this date may not precede */
	const char *const *values; /* F_ENUM: allowed values, NULL-terminated */
} field_spec;

typedef struct ingest_ctx ingest_ctx;
typedef struct field_val field_val;

typedef struct extract_spec {
	const char *kind;     /* file name prefix, e.g. "gp_patients" */
	int order;            /* import order: lower first */
	jup_table table;      /* the table each row goes to */
	const char *dup_field; /* the field to blame when a row's key is already stored */
	int const_col;        /* a store column given a constant (or NO_COL) */
	const char *const_val;
	/* after: extra rows for one stored row (may be NULL) */
	jup_status (*after)(ingest_ctx *c, int64_t rowid);
	const field_spec *fields;
	int nfields;
} extract_spec;

/* ingest_specs: every extract kind; *n gets the count. */
const extract_spec *ingest_specs(int *n);

/* ingest_spec_for: the spec whose kind the file name denotes, or NULL. */
const extract_spec *ingest_spec_for(const char *name);

/* Handlers used by the spec tables (ingest_import.c). */
jup_status ingest_after_gp_patient(ingest_ctx *c, int64_t rowid);
jup_status ingest_after_admission(ingest_ctx *c, int64_t rowid);

#endif
