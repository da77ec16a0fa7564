/*
 * jup_ingest_import.h - validated import of source extracts into the store.
 *
 * Each file is one transaction: every row is validated (docs/FORMATS.md) and
 * a file with any invalid row is rejected whole, its problems reported as
 * "FILE:LINE: field: reason" and nothing from it kept. A file whose bytes were
 * imported before is recognised by its content hash and passed over.
 */
#ifndef JUP_INGEST_IMPORT_H
#define JUP_INGEST_IMPORT_H

#include "core/jup_date.h"
#include "core/jup_status.h"
#include "store/jup_store.h"

#include <stdio.h>

typedef struct jup_import_opts {
	jup_date today;  /* dates after this are "in the future"; 0: the clock's today */
	FILE *out;       /* one line per file: imported, skipped (may be NULL) */
	FILE *problems;  /* FILE:LINE: field: reason lines (may be NULL) */
	int max_problems; /* problems listed per file; 0: JUP_IMPORT_MAX_PROBLEMS_SHOWN */
	/* progress: called now and then with the file being read and the share of
	 * its bytes read so far, 0..1; 1 once the file is read, before its outcome
	 * is printed (may be NULL) */
	void (*progress)(void *ctx, const char *path, double done);
	void *progress_ctx;
} jup_import_opts;

typedef struct jup_import_summary {
	int files_imported;
	int files_skipped;  /* already imported, or passed over in a folder */
	int files_rejected;
	int64_t rows;       /* rows stored from imported files */
	int64_t problems;   /* problems found in rejected files */
} jup_import_summary;

/*
 * jup_ingest_import: import the extracts at paths (files, or folders whose
 * *.csv extracts are taken, truth.csv excepted). All files are ordered so
 * that organisations and record masters come before what refers to them.
 * Returns JUP_OK when every file was imported or skipped, JUP_ERR_INVALID
 * when at least one file was rejected (the others are still imported), or
 * another status (with err) when the import could not run (unreadable
 * path, store failure) — files committed before that stay committed.
 */
jup_status jup_ingest_import(jup_store *st, const char *const *paths, size_t npaths,
			     const jup_import_opts *opts, jup_import_summary *sum, jup_err *err)
	JUP_MUST_CHECK;

/* jup_ingest_kind_of: the extract kind a file name denotes ("gp_patients"),
 * or NULL when it names none. name may include directories. */
const char *jup_ingest_kind_of(const char *name);

#endif
