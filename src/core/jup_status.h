/*
 * jup_status.h - the one status enum every joinedup function returns.
 *
 * 0 is success; every other value names a class of failure. Human detail
 * (what and where) travels separately in a jup_err, never inside the code.
 */
#ifndef JUP_STATUS_H
#define JUP_STATUS_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define JUP_MUST_CHECK __attribute__((warn_unused_result))
#define JUP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define JUP_MUST_CHECK
#define JUP_PRINTF(a, b)
#endif

typedef enum jup_status {
	JUP_OK = 0,
	JUP_ERR_NOMEM,     /* an allocation failed */
	JUP_ERR_IO,        /* a file or socket could not be read or written */
	JUP_ERR_INVALID,   /* input broke a validation rule */
	JUP_ERR_NOT_FOUND, /* the thing asked for does not exist */
	JUP_ERR_EXISTS,    /* the thing to create is already there */
	JUP_ERR_LIMIT,     /* input went past a limit in jup_limits.h */
	JUP_ERR_STORE,     /* the store failed (detail in jup_err) */
	JUP_ERR_VERSION,   /* data from a newer or unknown version */
	JUP_ERR_USAGE,     /* the caller asked for something malformed */
	JUP_ERR_INTERNAL,  /* a bug: an invariant did not hold */
	JUP_ERR_DENIED,    /* not allowed: bad credentials, or the gate said no */
	JUP_STATUS__COUNT
} jup_status;

/* jup_strerror: a short lower-case description of a status; never NULL. */
const char *jup_strerror(jup_status st);

/*
 * jup_err: room for one human-readable detail message. Functions that can
 * fail in more than one way fill it; callers print it. Messages never carry
 * personal data (names, dates of birth, NHS numbers, addresses).
 */
typedef struct jup_err {
	char msg[512];
} jup_err;

/* jup_err_set: format a detail message into err (if err is not NULL) and
 * return st, so a caller can write `return jup_err_set(err, st, ...)`. */
jup_status jup_err_set(jup_err *err, jup_status st, const char *fmt, ...)
	JUP_PRINTF(3, 4);

#endif
