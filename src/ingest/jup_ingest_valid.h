/*
 * jup_ingest_valid.h - validators for the values extracts carry.
 *
 * Each validator takes a view of one field (already trimmed of surrounding
 * spaces by the caller), checks it completely and, where a value has a
 * canonical form, writes it. Failures are JUP_ERR_INVALID with a short
 * lower-case reason in err that never echoes the value (it may be personal
 * data). A blank value is JUP_ERR_NOT_FOUND ("missing") where noted, so the
 * caller decides whether missing is allowed.
 */
#ifndef JUP_INGEST_VALID_H
#define JUP_INGEST_VALID_H

#include "core/jup_date.h"
#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdbool.h>
#include <stddef.h>

/* jup_ingest_nhs_check_digit: the Modulus 11 check digit for the first nine
 * digits body[0..9) (ASCII digits): 0-9, or 10 when no valid number has that
 * body (such numbers are never issued). */
int jup_ingest_nhs_check_digit(const char body[9]);

/* jup_ingest_nhs_number: validate an NHS number. Spaces are removed, then
 * exactly 10 digits must remain and pass Modulus 11. On success writes the
 * 10 digits and a NUL to out. Blank (or only spaces) is JUP_ERR_NOT_FOUND.
 * (Every space is removed, wherever it stands; out is "" on failure.) */
jup_status jup_ingest_nhs_number(jup_sv raw, char out[11], jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_date: a date "YYYY-MM-DD", a real calendar date, year not
 * before JUP_MIN_YEAR and not after today. Blank is JUP_ERR_NOT_FOUND. */
jup_status jup_ingest_date(jup_sv s, jup_date today, jup_date *out, jup_err *err)
	JUP_MUST_CHECK;

/* jup_ingest_datetime: "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" with the
 * date rules of jup_ingest_date and a real time of day (00:00-23:59:59).
 * Writes the date part to *day. Blank is JUP_ERR_NOT_FOUND. */
jup_status jup_ingest_datetime(jup_sv s, jup_date today, jup_date *day, jup_err *err)
	JUP_MUST_CHECK;

/* jup_ingest_postcode: a UK postcode in any case with or without the single
 * space between outward and inward codes. Writes the canonical form
 * (upper case, one space, e.g. "LS1 4AP") and a NUL to out (at most 8 chars
 * plus NUL). Blank is JUP_ERR_NOT_FOUND. (Only the shapes of docs/FORMATS.md
 * are checked, not which letters each outward position may hold; out is ""
 * on failure.) */
jup_status jup_ingest_postcode(jup_sv s, char out[9], jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_verhoeff_ok: true when the digit string (at least 2 digits,
 * nothing else) carries a correct Verhoeff check digit as its last digit. */
bool jup_ingest_verhoeff_ok(jup_sv digits);

/* jup_ingest_verhoeff_digit: the Verhoeff check digit (0-9) for a string of
 * ASCII digits (the synthetic city uses it to make identifiers); -1 when the
 * string holds anything else. */
int jup_ingest_verhoeff_digit(jup_sv digits);

/* jup_ingest_snomed_concept: a SNOMED CT concept identifier: 6-18 digits, no
 * leading zero, partition identifier 00 or 10, Verhoeff check digit.
 * (Blank is not noted as JUP_ERR_NOT_FOUND here, so it is JUP_ERR_INVALID.) */
jup_status jup_ingest_snomed_concept(jup_sv s, jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_icd10: an ICD-10 code: a letter, two digits, then optionally a
 * dot followed by one or two letters or digits, or (without a dot) one or two
 * further digits ("I25.2", "E11.9", "C77", "I252", "U07.1"). Upper case.
 * (Blank is JUP_ERR_INVALID, as for SNOMED CT.) */
jup_status jup_ingest_icd10(jup_sv s, jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_text: free text: valid UTF-8, no control characters (below 0x20
 * or 0x7f), at most max bytes. Blank is JUP_ERR_NOT_FOUND. (UTF-8 as in RFC
 * 3629: overlong forms, surrogates and code points past U+10FFFF are
 * invalid. The C1 controls U+0080-U+009F are not rejected.) */
jup_status jup_ingest_text(jup_sv s, size_t max, jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_local_id: a source system's record id: 1..JUP_MAX_LOCAL_ID_LEN
 * characters from [A-Za-z0-9_/-]. Blank is JUP_ERR_NOT_FOUND. */
jup_status jup_ingest_local_id(jup_sv s, jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_org_code: an ODS-style code: 3..JUP_MAX_ORG_CODE_LEN characters
 * from [A-Z0-9]. Blank is JUP_ERR_NOT_FOUND. */
jup_status jup_ingest_org_code(jup_sv s, jup_err *err) JUP_MUST_CHECK;

/* jup_ingest_enum: s is exactly one of the NULL-terminated list of allowed
 * values; *index gets its position. The reason lists the allowed values
 * (they are not personal). Blank is JUP_ERR_NOT_FOUND. (index may be NULL;
 * a NULL allowed is JUP_ERR_USAGE.) */
jup_status jup_ingest_enum(jup_sv s, const char *const *allowed, size_t *index, jup_err *err)
	JUP_MUST_CHECK;

#endif
