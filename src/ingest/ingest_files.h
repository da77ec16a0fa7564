/*
 * ingest_files.h - files to import and their bytes (private to ingest/).
 */
#ifndef INGEST_FILES_H
#define INGEST_FILES_H

#include "core/jup_status.h"
#include "ingest/ingest_spec.h"

#include <stddef.h>
#include <stdint.h>

/* One file to import, with the spec its name denotes (NULL: none). */
typedef struct ingest_job {
	char *path;
	const extract_spec *spec;
	size_t seq; /* position given, to keep the sort stable */
} ingest_job;

typedef struct ingest_jobs {
	ingest_job *items;
	size_t n, cap;
} ingest_jobs;

/*
 * ingest_collect: the files named by paths (folders expand to their *.csv
 * extracts in name order; truth.csv is passed over and counted in
 * *passed_over), sorted so that organisations come first, then record
 * masters, then what refers to them; otherwise in the order given. The
 * caller frees the list with ingest_jobs_free.
 */
jup_status ingest_collect(const char *const *paths, size_t npaths, ingest_jobs *l,
			  int *passed_over, jup_err *err) JUP_MUST_CHECK;

/* ingest_jobs_free: free the list and the paths it holds. */
void ingest_jobs_free(ingest_jobs *l);

#endif
