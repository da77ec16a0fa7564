/*
 * jup_synth.h - the synthetic city: realistic source extracts with ground truth.
 *
 * Given a number of people, a seed and an English local authority, writes the
 * extracts described in docs/FORMATS.md (and truth.csv) into a folder. The
 * output is a pure function of the options: the same options give the same
 * bytes on every machine. No real person is described: areas and their
 * deprivation are real public data (IoD 2019), people are invented.
 */
#ifndef JUP_SYNTH_H
#define JUP_SYNTH_H

#include "core/jup_date.h"
#include "core/jup_status.h"

#include <stdint.h>

typedef struct jup_synth_opts {
	int64_t people;       /* residents to invent (1..JUP_SYNTH_MAX_PEOPLE) */
	uint64_t seed;        /* any value; same seed, same city */
	const char *area;     /* local authority name or code (lad19nm/lad19cd), e.g. "Leeds" */
	const char *imd_path; /* IoD 2019 LSOA CSV (data/imd2019/lsoa_imd2019_england.csv) */
	const char *out_dir;  /* created if missing; extracts are overwritten */
	jup_date as_of;       /* the extract date: no event after it */
	int years;            /* years of activity history before as_of (1..10) */
	/* progress: called now and then with a fraction 0..1 (may be NULL) */
	void (*progress)(void *ctx, double done);
	void *progress_ctx;
} jup_synth_opts;

/* jup_synth_defaults: Leeds, seed 1, 20,000 people, as_of 2026-11-01,
 * 3 years of history, the shipped IMD file. */
void jup_synth_defaults(jup_synth_opts *o);

/* What one run wrote: row counts per extract, in docs/FORMATS.md order. */
typedef struct jup_synth_file_count {
	const char *name; /* e.g. "gp_patients.csv" (static string) */
	int64_t rows;
} jup_synth_file_count;

typedef struct jup_synth_report {
	int64_t people;
	int64_t areas;          /* small areas (LSOAs) used */
	int64_t practices;
	int64_t with_nhs_number; /* residents given an NHS number */
	jup_synth_file_count files[24];
	int nfiles;
} jup_synth_report;

/* jup_synth_run: write the city. Returns JUP_ERR_USAGE for bad options,
 * JUP_ERR_NOT_FOUND for an unknown area, JUP_ERR_IO for file problems, with
 * detail in err. Files already in out_dir with the same names are replaced. */
jup_status jup_synth_run(const jup_synth_opts *o, jup_synth_report *rep, jup_err *err)
	JUP_MUST_CHECK;

/* jup_synth_contact_name: an invented "Given Family" name for somebody who
 * is not one of the city's residents (a relative or friend named as a
 * contact), from the city's name lists, of sex 'F' or 'M' (anything else:
 * either), chosen by key alone: the same key gives the same name. Into out
 * (cap bytes with the NUL; "" when it does not fit: 64 bytes always do). */
void jup_synth_contact_name(uint64_t key, char sex, char *out, size_t cap);

#endif
