/*
 * fhir_outcome.c - OperationOutcome: one issue with its severity, FHIR
 * issue type, diagnostics and the element at fault; and which issue type
 * fits a joinedup status.
 */
#include "fhir/fhir_internal.h"

static const char *const issue_names[JUP_FHIR_ISSUE__COUNT] = {
	[JUP_FHIR_ISSUE_INVALID] = "invalid",
	[JUP_FHIR_ISSUE_STRUCTURE] = "structure",
	[JUP_FHIR_ISSUE_REQUIRED] = "required",
	[JUP_FHIR_ISSUE_VALUE] = "value",
	[JUP_FHIR_ISSUE_INVARIANT] = "invariant",
	[JUP_FHIR_ISSUE_SECURITY] = "security",
	[JUP_FHIR_ISSUE_LOGIN] = "login",
	[JUP_FHIR_ISSUE_UNKNOWN] = "unknown",
	[JUP_FHIR_ISSUE_EXPIRED] = "expired",
	[JUP_FHIR_ISSUE_FORBIDDEN] = "forbidden",
	[JUP_FHIR_ISSUE_SUPPRESSED] = "suppressed",
	[JUP_FHIR_ISSUE_PROCESSING] = "processing",
	[JUP_FHIR_ISSUE_NOT_SUPPORTED] = "not-supported",
	[JUP_FHIR_ISSUE_DUPLICATE] = "duplicate",
	[JUP_FHIR_ISSUE_MULTIPLE_MATCHES] = "multiple-matches",
	[JUP_FHIR_ISSUE_NOT_FOUND] = "not-found",
	[JUP_FHIR_ISSUE_DELETED] = "deleted",
	[JUP_FHIR_ISSUE_TOO_LONG] = "too-long",
	[JUP_FHIR_ISSUE_CODE_INVALID] = "code-invalid",
	[JUP_FHIR_ISSUE_EXTENSION] = "extension",
	[JUP_FHIR_ISSUE_TOO_COSTLY] = "too-costly",
	[JUP_FHIR_ISSUE_BUSINESS_RULE] = "business-rule",
	[JUP_FHIR_ISSUE_CONFLICT] = "conflict",
	[JUP_FHIR_ISSUE_TRANSIENT] = "transient",
	[JUP_FHIR_ISSUE_LOCK_ERROR] = "lock-error",
	[JUP_FHIR_ISSUE_NO_STORE] = "no-store",
	[JUP_FHIR_ISSUE_EXCEPTION] = "exception",
	[JUP_FHIR_ISSUE_TIMEOUT] = "timeout",
	[JUP_FHIR_ISSUE_INCOMPLETE] = "incomplete",
	[JUP_FHIR_ISSUE_THROTTLED] = "throttled",
	[JUP_FHIR_ISSUE_INFORMATIONAL] = "informational",
};

static const char *const severity_names[JUP_FHIR_SEVERITY__COUNT] = {
	[JUP_FHIR_FATAL] = "fatal",
	[JUP_FHIR_ERROR] = "error",
	[JUP_FHIR_WARNING] = "warning",
	[JUP_FHIR_INFORMATION] = "information",
};

const char *jup_fhir_issue_name(jup_fhir_issue code)
{
	return (unsigned)code < JUP_FHIR_ISSUE__COUNT ? issue_names[code] : "unknown";
}

const char *jup_fhir_severity_name(jup_fhir_severity s)
{
	return (unsigned)s < JUP_FHIR_SEVERITY__COUNT ? severity_names[s] : "unknown";
}

jup_fhir_issue jup_fhir_issue_of(jup_status st)
{
	switch (st) {
	case JUP_OK:
		return JUP_FHIR_ISSUE_INFORMATIONAL;
	case JUP_ERR_INVALID:
	case JUP_ERR_USAGE:
		return JUP_FHIR_ISSUE_INVALID;
	case JUP_ERR_LIMIT:
		return JUP_FHIR_ISSUE_TOO_LONG;
	case JUP_ERR_NOT_FOUND:
		return JUP_FHIR_ISSUE_NOT_FOUND;
	case JUP_ERR_EXISTS:
		return JUP_FHIR_ISSUE_CONFLICT;
	case JUP_ERR_DENIED:
		return JUP_FHIR_ISSUE_FORBIDDEN;
	case JUP_ERR_VERSION:
		return JUP_FHIR_ISSUE_NOT_SUPPORTED;
	default:
		return JUP_FHIR_ISSUE_EXCEPTION;
	}
}

jup_status jup_fhir_outcome(jup_fhir_severity severity, jup_fhir_issue code,
			    const char *diagnostics, const char *expression, json_t **out,
			    jup_err *err)
{
	if (out)
		*out = NULL;
	if (!out || (unsigned)severity >= JUP_FHIR_SEVERITY__COUNT ||
	    (unsigned)code >= JUP_FHIR_ISSUE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "outcome: severity or issue out of range");
	fx x;
	fx_init(&x, err);
	json_t *oo = fx_resource(&x, "OperationOutcome", NULL);
	json_t *issue = fx_obj(&x);
	fx_sets(&x, issue, "severity", severity_names[severity]);
	fx_sets(&x, issue, "code", issue_names[code]);
	fx_sets(&x, issue, "diagnostics", diagnostics);
	if (expression) {
		json_t *exprs = fx_arr(&x);
		fx_push(&x, exprs, fx_str(&x, expression));
		fx_set(&x, issue, "expression", exprs);
	}
	json_t *issues = fx_arr(&x);
	fx_push(&x, issues, issue);
	fx_set(&x, oo, "issue", issues);
	jup_status r = fx_done(&x);
	if (r) {
		json_decref(oo);
		return r;
	}
	*out = oo;
	return JUP_OK;
}
