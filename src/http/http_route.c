/*
 * http_route.c - the route table: every path the server answers, its
 * method, whether it needs a token and a body, and its handler. The
 * capability statement is built from the same table, so it lists exactly
 * what is served.
 */
#include "http/http_internal.h"

#include "http/http_fhir.h"

#include <string.h>

static const http_route routes[] = {
	{ HTTP_POST, "/auth/token", false, true, http_h_token, NULL },
	{ HTTP_POST, "/auth/revoke", false, true, http_h_revoke, NULL },
	{ HTTP_GET, "/fhir/metadata", false, false, http_h_metadata, "CapabilityStatement" },
	{ HTTP_POST, "/fhir/Patient/$match", true, true, http_h_patient_match, "Patient" },
	{ HTTP_GET, "/fhir/Patient", true, false, http_h_patient_search, "Patient" },
	{ HTTP_GET, "/fhir/Patient/{id}", true, false, http_h_patient_read, "Patient" },
	{ HTTP_GET, "/fhir/Patient/{id}/$everything", true, false, http_h_patient_everything,
	  "Patient" },
	{ HTTP_GET, "/fhir/Consent", true, false, http_h_consent_search, "Consent" },
	{ HTTP_POST, "/fhir/Consent", true, true, http_h_consent_create, "Consent" },
	{ HTTP_GET, "/fhir/Consent/{id}", true, false, http_h_consent_read, "Consent" },
	{ HTTP_GET, "/fhir/AuditEvent", true, false, http_h_audit_search, "AuditEvent" },
	{ HTTP_GET, "/fhir/CarePlan", true, false, http_h_careplan_search, "CarePlan" },
	{ HTTP_POST, "/fhir/CarePlan", true, true, http_h_careplan_create, "CarePlan" },
	{ HTTP_GET, "/fhir/CarePlan/{id}", true, false, http_h_careplan_read, "CarePlan" },
	{ HTTP_PUT, "/fhir/CarePlan/{id}", true, true, http_h_careplan_update, "CarePlan" },
	{ HTTP_GET, "/fhir/CarePlan/{id}/_history", true, false, http_h_careplan_history,
	  "CarePlan" },
	{ HTTP_GET, "/fhir/CarePlan/{id}/_history/{id}", true, false, http_h_careplan_vread,
	  "CarePlan" },
};

const http_route *http_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}

/* A FHIR id: 1 to 64 of A-Z a-z 0-9 - . */
static bool id_ok(const char *s, size_t n)
{
	if (n == 0 || n > HTTP_MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* Does path match pattern? The {id} segments go into r->ids. */
static bool match(const char *pattern, const char *path, http_req *r)
{
	int nid = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		const char *pe = strchr(pattern, '/');
		const char *se = strchr(path, '/');
		size_t pn = pe ? (size_t)(pe - pattern) : strlen(pattern);
		size_t sn = se ? (size_t)(se - path) : strlen(path);
		if (pn == 4 && memcmp(pattern, "{id}", 4) == 0) {
			if (!id_ok(path, sn) || nid >= HTTP_MAX_PATH_IDS)
				return false;
			if (r) {
				memcpy(r->ids[nid], path, sn);
				r->ids[nid][sn] = '\0';
			}
			nid++;
		} else if (pn != sn || memcmp(pattern, path, pn) != 0) {
			return false;
		}
		pattern += pn;
		path += sn;
	}
	return *pattern == '\0' && *path == '\0';
}

const http_route *http_route_find(const char *path, http_method m, http_req *r,
				  bool *method_mismatch)
{
	http_method want = m == HTTP_HEAD ? HTTP_GET : m;
	*method_mismatch = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, path, NULL))
			continue;
		if (routes[i].method != want) {
			*method_mismatch = true;
			continue;
		}
		match(routes[i].pattern, path, r);
		return &routes[i];
	}
	return NULL;
}
