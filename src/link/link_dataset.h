/*
 * link_dataset.h - records read for linkage: prepared features and the ids
 * they were given (private to link/).
 */
#ifndef LINK_DATASET_H
#define LINK_DATASET_H

#include "core/jup_buf.h"
#include "link/jup_link.h"

#include <stdio.h>

typedef struct link_dataset {
	jup_link_rec *recs;
	size_t *id_at; /* offset of record i's id in ids (NUL-terminated) */
	size_t n, cap;
	jup_buf ids;
} link_dataset;

/* link_dataset_read_csv: read a link-files input. Problems go to `problems`
 * as FILE:LINE: field: reason (at most max_problems) and give JUP_ERR_INVALID. */
jup_status link_dataset_read_csv(link_dataset *d, const char *path, FILE *problems,
				 int max_problems, jup_err *err) JUP_MUST_CHECK;

/* link_dataset_id: record i's id. */
static inline const char *link_dataset_id(const link_dataset *d, size_t i)
{
	return d->ids.data + d->id_at[i];
}

/* link_dataset_free: release everything the dataset holds. */
void link_dataset_free(link_dataset *d);

#endif
