/*
 * http_fhir_meta.c - GET /fhir/metadata: the CapabilityStatement, made
 * from the route table (what is routed is what is listed) and the search
 * parameters each search handler accepts.
 */
#include "http/http_fhir.h"

#include "fhir/jup_fhir.h"

#include <stdio.h>
#include <string.h>

/* The search parameters the handlers accept, by resource type. */
static const jup_fhir_cap_param patient_params[] = {
	{ "identifier", "token", "NHS number: https://fhir.nhs.uk/Id/nhs-number|N" },
	{ "family", "string", "family name, starts with, any case" },
	{ "given", "string", "given name, starts with, any case" },
	{ "name", "string", "family name, as family" },
	{ "birthdate", "date", "date of birth, the exact day (YYYY-MM-DD)" },
};
static const jup_fhir_cap_param patient_ref[] = {
	{ "patient", "reference", "the Patient (a citizen may leave it out: their own)" },
};

static const struct type_params {
	const char *type;
	const jup_fhir_cap_param *params;
	size_t n;
} type_params[] = {
	{ "Patient", patient_params, sizeof patient_params / sizeof patient_params[0] },
	{ "Consent", patient_ref, 1 },
	{ "AuditEvent", patient_ref, 1 },
	{ "CarePlan", patient_ref, 1 },
};

static const jup_fhir_cap_op patient_ops[] = {
	{ "everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything" },
	{ "match", "http://hl7.org/fhir/OperationDefinition/Patient-match" },
};

/* The interaction a route gives, by its method and pattern. */
static const char *interaction_of(const http_route *rt)
{
	const char *p = rt->pattern + strlen("/fhir/") + strlen(rt->type);
	if (rt->method == HTTP_GET && *p == '\0')
		return "search-type";
	if (rt->method == HTTP_POST && *p == '\0')
		return "create";
	if (rt->method == HTTP_GET && strcmp(p, "/{id}") == 0)
		return "read";
	if (rt->method == HTTP_PUT && strcmp(p, "/{id}") == 0)
		return "update";
	if (rt->method == HTTP_GET && strcmp(p, "/{id}/_history") == 0)
		return "history-instance";
	if (rt->method == HTTP_GET && strcmp(p, "/{id}/_history/{id}") == 0)
		return "vread";
	return NULL; /* an operation */
}

#define MAX_TYPES 8
#define MAX_INTER 8

typedef struct cap_build {
	jup_fhir_cap_resource res[MAX_TYPES];
	const char *inter[MAX_TYPES][MAX_INTER];
	size_t n;
} cap_build;

static jup_fhir_cap_resource *resource_for(cap_build *b, const char *type)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->res[i].type, type) == 0)
			return &b->res[i];
	if (b->n == MAX_TYPES)
		return NULL;
	jup_fhir_cap_resource *res = &b->res[b->n];
	*res = (jup_fhir_cap_resource){ .type = type, .interactions = b->inter[b->n] };
	for (size_t i = 0; i < sizeof type_params / sizeof type_params[0]; i++)
		if (strcmp(type_params[i].type, type) == 0) {
			res->params = type_params[i].params;
			res->nparams = type_params[i].n;
		}
	if (strcmp(type, "Patient") == 0) {
		res->ops = patient_ops;
		res->nops = sizeof patient_ops / sizeof patient_ops[0];
	}
	b->n++;
	return res;
}

void http_h_metadata(http_worker *w, http_req *r)
{
	(void)w;
	size_t n;
	const http_route *rt = http_routes(&n);
	cap_build b = { .n = 0 };
	for (size_t i = 0; i < n; i++) {
		if (!rt[i].type || strcmp(rt[i].type, "CapabilityStatement") == 0)
			continue;
		jup_fhir_cap_resource *res = resource_for(&b, rt[i].type);
		const char *in = interaction_of(&rt[i]);
		if (res && in && res->ninteractions < MAX_INTER)
			b.inter[res - b.res][res->ninteractions++] = in;
	}
	char base[320], token[330];
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	snprintf(token, sizeof token, "%s/auth/token", r->srv->url);
	jup_fhir_cap_info info = { .base_url = base, .token_url = token };
	json_t *cap = NULL;
	jup_err err;
	jup_status st = jup_fhir_capability(b.res, b.n, &info, &cap, &err);
	if (st)
		http_reply_error(r, st, &err);
	else
		http_reply_json(r, 200, cap);
}
