/*
 * ingest_lists.h - opt-out lists replace the lists before them (private to
 * ingest/).
 *
 * A national data opt-out file is the whole national list: importing one
 * withdraws every earlier national row still in force. A GP objections file
 * is the whole list of the practices it names: it withdraws those practices'
 * earlier rows (a practice not in the file keeps its list). Withdrawn rows
 * stay, marked with the file that withdrew them, and who joined or left each
 * list is recorded in opt_out_change. Both steps run inside the file's
 * transaction: before its rows are loaded, and after.
 */
#ifndef INGEST_LISTS_H
#define INGEST_LISTS_H

#include "store/jup_store.h"

#include <stddef.h>

typedef struct ingest_list_row {
	int64_t id, org_id; /* org_id 0: the national list */
	char nhs[11];
} ingest_list_row;

/* The rows of one kind in force before a file. */
typedef struct ingest_list {
	const char *kind; /* "national_data_opt_out" or "gp_type1" */
	ingest_list_row *rows;
	size_t n, cap;
	int64_t max_id; /* the highest opt_out id before the file */
} ingest_list;

/* ingest_list_before: remember the rows of kind in force, before the file's
 * rows are loaded. */
jup_status ingest_list_before(jup_store *st, const char *kind, ingest_list *l, jup_err *err)
	JUP_MUST_CHECK;

/* ingest_list_after: the file (file_id) is loaded: withdraw the rows it
 * replaces and record the changes. Frees what l holds. */
jup_status ingest_list_after(jup_store *st, ingest_list *l, int64_t file_id, jup_err *err)
	JUP_MUST_CHECK;

/* ingest_list_free: release l (when the file is rejected). */
void ingest_list_free(ingest_list *l);

#endif
