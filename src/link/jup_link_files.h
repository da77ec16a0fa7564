/*
 * jup_link_files.h - linkage of two CSV files (or one against itself) that
 * are not in the store: `joinedup link-files`.
 *
 * Inputs have the header id,nhs_number,given_name,family_name,dob,sex,
 * postcode,address in any order (every column but id may be blank). The
 * model is estimated from the data itself (u from random pairs, m by EM on
 * the blocked candidate pairs), then every candidate pair is scored and those
 * at or above the threshold are written as left_id,right_id,
 * match_probability,match_weight.
 */
#ifndef JUP_LINK_FILES_H
#define JUP_LINK_FILES_H

#include "core/jup_status.h"
#include "link/jup_link_model.h"

#include <stdio.h>

typedef struct jup_link_files_opts {
	const char *left;  /* CSV file */
	const char *right; /* CSV file, or NULL to find duplicates within left */
	const char *out;   /* pairs CSV to write (replaced) */
	double threshold;  /* 0..1: pairs with a lower probability are not written */
	FILE *problems;    /* FILE:LINE: field: reason lines (may be NULL) */
	FILE *log;         /* what was done, in a few lines (may be NULL) */
} jup_link_files_opts;

typedef struct jup_link_files_report {
	size_t left, right;  /* records read */
	size_t candidates;   /* pairs blocking produced */
	size_t written;      /* pairs at or above the threshold */
	jup_link_model model;
} jup_link_files_report;

/* jup_link_files_run: link and write the pairs. JUP_ERR_INVALID (problems
 * listed) when an input has a bad header or row: nothing is written then.
 * JUP_ERR_IO for unreadable inputs or an unwritable output. */
jup_status jup_link_files_run(const jup_link_files_opts *o, jup_link_files_report *rep,
			      jup_err *err) JUP_MUST_CHECK;

#endif
