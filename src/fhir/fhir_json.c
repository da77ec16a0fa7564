/*
 * fhir_json.c - reading a client's JSON body: size and nesting limits
 * checked before jansson sees it, then jansson with duplicate keys refused,
 * nothing after the value, one object. Messages give a line and column,
 * never the body's text (jansson's own messages may quote it).
 */
#include "fhir/fhir_internal.h"

#include <string.h>

/* JUP_ERR_LIMIT when arrays and objects nest deeper than the limit
 * (strings skipped; malformed input is left for jansson to name). */
static jup_status check_depth(const char *p, size_t len, jup_err *err)
{
	int depth = 0;
	bool in_string = false, escaped = false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > JUP_JSON_MAX_DEPTH)
				return jup_err_set(err, JUP_ERR_LIMIT,
						   "request body: nested deeper than %d levels",
						   JUP_JSON_MAX_DEPTH);
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return JUP_OK;
}

static const char *why(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_duplicate_key:
		return "duplicate key";
	case json_error_end_of_input_expected:
		return "data after the JSON value";
	case json_error_premature_end_of_input:
		return "ends before the JSON value does";
	case json_error_invalid_utf8:
		return "not valid UTF-8";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "a NUL character";
	case json_error_numeric_overflow:
		return "a number out of range";
	case json_error_wrong_type:
		return "not a JSON object";
	default:
		return "not valid JSON";
	}
}

jup_status jup_fhir_json_parse(const char *body, size_t len, json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!out || (!body && len))
		return jup_err_set(err, JUP_ERR_USAGE, "request body: nowhere to read it");
	if (len == 0)
		return jup_err_set(err, JUP_ERR_INVALID, "request body: empty");
	if (len > JUP_JSON_MAX_BODY_LEN)
		return jup_err_set(err, JUP_ERR_LIMIT, "request body: more than %d bytes",
				   JUP_JSON_MAX_BODY_LEN);
	jup_status r = check_depth(body, len, err);
	if (r)
		return r;
	json_error_t je;
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!v && json_error_code(&je) == json_error_out_of_memory)
		return jup_err_set(err, JUP_ERR_NOMEM, "request body: out of memory");
	if (!v)
		return jup_err_set(err, JUP_ERR_INVALID, "request body: %s at line %d, column %d",
				   why(&je), je.line, je.column);
	if (!json_is_object(v)) {
		json_decref(v);
		return jup_err_set(err, JUP_ERR_INVALID, "request body: not a JSON object");
	}
	*out = v;
	return JUP_OK;
}
