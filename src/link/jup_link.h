/*
 * jup_link.h - record linkage: which records are the same person.
 *
 * Three layers, each usable alone:
 *  1. features (jup_link_prepare): a record's identifying fields normalised
 *     once into compact columns (folded names, date parts, postcode parts);
 *  2. comparisons (jup_link_compare_*): for a pair of prepared records, the
 *     agreement level of each field (exact, fuzzy, nickname, swapped day and
 *     month, same postcode sector, missing, ...);
 *  3. the Fellegi-Sunter model (jup_link_model_*): m and u probabilities per
 *     comparison level, estimated without labels (u from random pairs, m by
 *     expectation-maximisation), term-frequency adjustment for exact name and
 *     postcode matches, and the match weight and probability of a pair.
 * Blocking (jup_link_block_*) produces the candidate pairs so the work grows
 * near-linearly with the data.
 */
#ifndef JUP_LINK_H
#define JUP_LINK_H

#include "core/jup_date.h"
#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- input: a record's identifying fields, as the source gave them -------- */

typedef struct jup_link_input {
	jup_sv nhs_number; /* any text; only a check-valid number is used */
	jup_sv given_name;
	jup_sv family_name;
	jup_sv dob;        /* YYYY-MM-DD; anything else is missing */
	jup_sv sex;        /* M, F; anything else is missing */
	jup_sv postcode;   /* a UK postcode, or any text (compared as plain text) */
	jup_sv address;
} jup_link_input;

/* ---- features ---------------------------------------------------------------- */

#define JUP_LINK_NAME_MAX 24 /* folded names are cut to this many bytes */
#define JUP_LINK_ADDR_MAX 40

/* A prepared record: fixed-size, no pointers, so a million fit in a flat array. */
typedef struct jup_link_rec {
	uint64_t nhs;                       /* 10 digits as a number; 0: none */
	char given[JUP_LINK_NAME_MAX];      /* folded: lower-case a-z only, NUL-padded */
	char given2[JUP_LINK_NAME_MAX];     /* a second given name, if any */
	char family[JUP_LINK_NAME_MAX];     /* folded, hyphens/apostrophes/spaces removed */
	char family_part[JUP_LINK_NAME_MAX]; /* the last part of a double-barrelled name */
	char address[JUP_LINK_ADDR_MAX];    /* folded: lower-case a-z, 0-9 and single spaces */
	uint32_t given_code;                /* phonetic code of given (blocking) */
	uint32_t family_code;               /* phonetic code of family (blocking) */
	int16_t year;                       /* 0: no date of birth */
	int8_t month, day;
	char sex;                           /* 'M', 'F' or 0 */
	char pc_area[3];                    /* "ls"; "" when no postcode */
	char pc_district[5];                /* "ls6" */
	char pc_sector[7];                  /* "ls6 2" */
	char pc_unit[9];                    /* "ls6 2ab", or folded plain text if not a UK postcode */
	uint16_t house_number;              /* first number in the address; 0: none */
} jup_link_rec;

/* jup_link_prepare: fold and split one record's fields into *out. Never
 * fails: what cannot be read is missing. */
void jup_link_prepare(const jup_link_input *in, jup_link_rec *out);

/* jup_link_given_names: r's folded given names as one string, the first
 * and the second joined by a space ("mary ann", "mary", or "" for none), as
 * the master person index keeps them for search (out: 2 * JUP_LINK_NAME_MAX
 * bytes). */
void jup_link_given_names(const jup_link_rec *r, char out[2 * JUP_LINK_NAME_MAX]);

/* jup_link_fold_name: fold a name to lower-case a-z (accents removed from
 * Latin letters, e.g. "Zoë" -> "zoe", "Øyvind" -> "oyvind"; hyphens,
 * apostrophes and spaces dropped). Writes at most cap-1 bytes and a NUL;
 * returns the length. */
size_t jup_link_fold_name(jup_sv s, char *out, size_t cap);

/* ---- string and value comparators ----------------------------------------- */

/* jup_link_jaro_winkler: Jaro-Winkler similarity of two NUL-terminated
 * strings, 0..1 (1: identical; two empty strings: 1). Standard Winkler:
 * prefix of up to 4, scale 0.1, applied when Jaro is above 0.7. Symmetric;
 * looks at no more than the first 256 bytes of each string. */
double jup_link_jaro_winkler(const char *a, const char *b);

/* jup_link_damerau: optimal string alignment distance (insertions, deletions,
 * substitutions, adjacent transpositions), giving up at limit+1. (A negative
 * limit counts as 0; looks at no more than the first 256 bytes of each.) */
int jup_link_damerau(const char *a, const char *b, int limit);

/* jup_link_nickname: true when a and b (folded) are the same given name in
 * formal and familiar forms ("william"/"bill", "margaret"/"peggy"). */
bool jup_link_nickname(const char *a, const char *b);

/* jup_link_phonetic: a 4-character phonetic code (Soundex-like, packed in 32
 * bits) of a folded name; 0 for an empty name. (American Soundex, the four
 * ASCII characters first letter in the high byte: "robert" -> 'R','1','6','3'.) */
uint32_t jup_link_phonetic(const char *folded);

/* ---- comparisons and their levels ------------------------------------------ */

typedef enum jup_link_cmp {
	JUP_CMP_NHS,
	JUP_CMP_GIVEN,
	JUP_CMP_FAMILY,
	JUP_CMP_DOB,
	JUP_CMP_SEX,
	JUP_CMP_POSTCODE,
	JUP_CMP_ADDRESS,
	JUP_CMP__COUNT
} jup_link_cmp;

/* Levels: 0 is always "missing on either side" (weight 0); the highest
 * level is the closest agreement; 1 is "disagree". */
#define JUP_LINK_MAX_LEVELS 6
enum { JUP_LVL_MISSING = 0, JUP_LVL_ELSE = 1 };
/* given name */
enum { JUP_GIVEN_INITIAL = 2, JUP_GIVEN_NICKNAME, JUP_GIVEN_FUZZY, JUP_GIVEN_EXACT };
/* family name */
enum { JUP_FAMILY_PART = 2, JUP_FAMILY_FUZZY, JUP_FAMILY_EXACT };
/* date of birth */
enum { JUP_DOB_YEAR = 2, JUP_DOB_ONE_DIGIT, JUP_DOB_SWAP, JUP_DOB_EXACT };
/* postcode */
enum { JUP_PC_DISTRICT = 2, JUP_PC_SECTOR, JUP_PC_EXACT };
/* address */
enum { JUP_ADDR_NUMBER = 2, JUP_ADDR_FUZZY, JUP_ADDR_EXACT };
/* NHS number and sex: exact */
enum { JUP_NHS_EXACT = 2, JUP_SEX_EXACT = 2 };

/* jup_link_levels: how many levels comparison c has (missing included). */
int jup_link_levels(jup_link_cmp c);

/* jup_link_level_name: plain words shown to people explaining a match, e.g.
 * "exact", "day and month swapped", "same sector"; "unknown" for a level
 * or comparison out of range. Static strings, never NULL. */
const char *jup_link_level_name(jup_link_cmp c, int level);

/* jup_link_cmp_name: "nhs_number", "given_name", ... ("unknown" out of range) */
const char *jup_link_cmp_name(jup_link_cmp c);

/* jup_link_compare: the level of every comparison for a pair. */
void jup_link_compare(const jup_link_rec *a, const jup_link_rec *b,
		      uint8_t levels[JUP_CMP__COUNT]);

#endif
