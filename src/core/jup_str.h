/*
 * jup_str.h - length-carrying string views.
 *
 * A jup_sv points into memory owned by someone else; it is never NUL-
 * terminated by contract. Parsers take views and hand typed values inward.
 */
#ifndef JUP_STR_H
#define JUP_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct jup_sv {
	const char *ptr;
	size_t len;
} jup_sv;

#define JUP_SV_LIT(s) ((jup_sv){ (s), sizeof(s) - 1 })

/* jup_sv_from: a view of a NUL-terminated string (NULL gives an empty view). */
static inline jup_sv jup_sv_from(const char *s)
{
	return (jup_sv){ s ? s : "", s ? strlen(s) : 0 };
}

/* jup_sv_eq: byte equality of two views. */
static inline bool jup_sv_eq(jup_sv a, jup_sv b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* jup_sv_eq_cstr: a view equals a NUL-terminated string. */
static inline bool jup_sv_eq_cstr(jup_sv a, const char *s)
{
	return jup_sv_eq(a, jup_sv_from(s));
}

/* jup_sv_trim: the view without leading and trailing spaces and tabs. */
jup_sv jup_sv_trim(jup_sv s);

/* jup_sv_starts_with: true when s begins with prefix. */
bool jup_sv_starts_with(jup_sv s, jup_sv prefix);

/* jup_sv_to_cstr: copy a view into dst (size cap) with a NUL; returns false
 * (and writes a truncated string) when it did not fit. */
bool jup_sv_to_cstr(jup_sv s, char *dst, size_t cap);

#endif
