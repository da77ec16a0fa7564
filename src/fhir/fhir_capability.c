/*
 * fhir_capability.c - the CapabilityStatement of the server, built from the
 * route table the server passes: exactly the resources, interactions,
 * search parameters and operations it lists, in its order.
 */
#include "fhir/fhir_internal.h"

#include "core/jup_date.h"

#include <string.h>

#ifndef JUP_VERSION
#define JUP_VERSION "unknown"
#endif

static const char *const interactions[] = {
	"read",         "vread",  "update",      "patch", "delete", "history-instance",
	"history-type", "create", "search-type", NULL
};
static const char *const param_types[] = { "number",    "date",      "string",   "token",
					   "reference", "composite", "quantity", "uri",
					   "special",   NULL };

static bool known(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static jup_status check_resource(const jup_fhir_cap_resource *res, jup_err *err)
{
	if (!res->type || !res->type[0])
		return jup_err_set(err, JUP_ERR_USAGE, "capability: a resource without a type");
	if ((res->ninteractions && !res->interactions) || (res->nparams && !res->params) ||
	    (res->nops && !res->ops))
		return jup_err_set(err, JUP_ERR_USAGE, "capability: %s: a list without entries",
				   res->type);
	for (size_t i = 0; i < res->ninteractions; i++)
		if (!known(interactions, res->interactions[i]))
			return jup_err_set(err, JUP_ERR_USAGE,
					   "capability: %s: an interaction FHIR does not define",
					   res->type);
	for (size_t i = 0; i < res->nparams; i++)
		if (!res->params[i].name || !known(param_types, res->params[i].type))
			return jup_err_set(err, JUP_ERR_USAGE,
					   "capability: %s: a search parameter without a name or "
					   "a FHIR type",
					   res->type);
	for (size_t i = 0; i < res->nops; i++)
		if (!res->ops[i].name || !res->ops[i].definition)
			return jup_err_set(err, JUP_ERR_USAGE,
					   "capability: %s: an operation without a name or "
					   "definition",
					   res->type);
	return JUP_OK;
}

static json_t *resource(fx *x, const jup_fhir_cap_resource *res)
{
	json_t *r = fx_obj(x);
	fx_sets(x, r, "type", res->type);
	fx_sets(x, r, "profile", res->profile);
	json_t *list = fx_arr(x);
	for (size_t i = 0; i < res->ninteractions; i++) {
		json_t *in = fx_obj(x);
		fx_sets(x, in, "code", res->interactions[i]);
		fx_push(x, list, in);
	}
	fx_set(x, r, "interaction", list);
	if (res->nparams) {
		json_t *ps = fx_arr(x);
		for (size_t i = 0; i < res->nparams; i++) {
			json_t *p = fx_obj(x);
			fx_sets(x, p, "name", res->params[i].name);
			fx_sets(x, p, "type", res->params[i].type);
			fx_sets(x, p, "documentation", res->params[i].doc);
			fx_push(x, ps, p);
		}
		fx_set(x, r, "searchParam", ps);
	}
	if (res->nops) {
		json_t *os = fx_arr(x);
		for (size_t i = 0; i < res->nops; i++) {
			json_t *o = fx_obj(x);
			fx_sets(x, o, "name", res->ops[i].name);
			fx_sets(x, o, "definition", res->ops[i].definition);
			fx_push(x, os, o);
		}
		fx_set(x, r, "operation", os);
	}
	return r;
}

/* OAuth, with the token endpoint as the SMART oauth-uris extension. */
static json_t *security(fx *x, const char *token_url)
{
	json_t *s = fx_obj(x);
	fx_set(x, s, "cors", json_false()); /* no CORS headers are sent */
	json_t *services = fx_arr(x);
	fx_push(x, services,
		fx_cc(x, fx_coding(x, FX_HL7_CS("restful-security-service"), "OAuth", "OAuth"),
		      NULL, NULL));
	fx_set(x, s, "service", services);
	if (token_url) {
		json_t *uris = fx_obj(x);
		fx_sets(x, uris, "url",
			"http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
		json_t *token = fx_obj(x);
		fx_sets(x, token, "url", "token");
		fx_sets(x, token, "valueUri", token_url);
		fx_add_ext(x, uris, token);
		fx_add_ext(x, s, uris);
	}
	return s;
}

static json_t *statement(fx *x, const jup_fhir_cap_resource *list, size_t n,
			 const jup_fhir_cap_info *info, const char *date)
{
	json_t *cs = fx_resource(x, "CapabilityStatement", NULL);
	fx_sets(x, cs, "status", "active");
	fx_sets(x, cs, "date", date);
	fx_sets(x, cs, "kind", "instance");
	json_t *sw = fx_obj(x);
	fx_sets(x, sw, "name", info->software_name ? info->software_name : "joinedup");
	fx_sets(x, sw, "version", info->software_version ? info->software_version : JUP_VERSION);
	fx_set(x, cs, "software", sw);
	json_t *impl = fx_obj(x);
	fx_sets(x, impl, "description", "joinedup shared care record");
	fx_sets(x, impl, "url", info->base_url);
	fx_set(x, cs, "implementation", impl);
	fx_sets(x, cs, "fhirVersion", "4.0.1");
	json_t *formats = fx_arr(x);
	fx_push(x, formats, fx_str(x, "json"));
	fx_set(x, cs, "format", formats);
	json_t *rest = fx_obj(x);
	fx_sets(x, rest, "mode", "server");
	fx_set(x, rest, "security", security(x, info->token_url));
	json_t *resources = fx_arr(x);
	for (size_t i = 0; i < n; i++)
		fx_push(x, resources, resource(x, &list[i]));
	fx_set(x, rest, "resource", resources);
	json_t *rests = fx_arr(x);
	fx_push(x, rests, rest);
	fx_set(x, cs, "rest", rests);
	return cs;
}

jup_status jup_fhir_capability(const jup_fhir_cap_resource *list, size_t n,
			       const jup_fhir_cap_info *info, json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!out || !info || !info->base_url || (n && !list))
		return jup_err_set(err, JUP_ERR_USAGE, "capability: missing base URL or list");
	for (size_t i = 0; i < n; i++) {
		jup_status r = check_resource(&list[i], err);
		if (r)
			return r;
	}
	char today[11];
	if (!info->date)
		jup_date_format(jup_date_today(), today);
	fx x;
	fx_init(&x, err);
	json_t *cs = statement(&x, list, n, info, info->date ? info->date : today);
	jup_status r = fx_done(&x);
	if (r) {
		json_decref(cs);
		return r;
	}
	*out = cs;
	return JUP_OK;
}
