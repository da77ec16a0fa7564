/* jup_status.c - status descriptions and the error-detail helper. */
#include "core/jup_status.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const status_text[JUP_STATUS__COUNT] = {
	[JUP_OK] = "ok",
	[JUP_ERR_NOMEM] = "out of memory",
	[JUP_ERR_IO] = "input/output error",
	[JUP_ERR_INVALID] = "invalid input",
	[JUP_ERR_NOT_FOUND] = "not found",
	[JUP_ERR_EXISTS] = "already exists",
	[JUP_ERR_LIMIT] = "limit exceeded",
	[JUP_ERR_STORE] = "store error",
	[JUP_ERR_VERSION] = "unsupported version",
	[JUP_ERR_USAGE] = "usage error",
	[JUP_ERR_INTERNAL] = "internal error",
	[JUP_ERR_DENIED] = "not allowed",
};

const char *jup_strerror(jup_status st)
{
	if ((unsigned)st >= JUP_STATUS__COUNT)
		return "unknown status";
	return status_text[st];
}

jup_status jup_err_set(jup_err *err, jup_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return st;
}
