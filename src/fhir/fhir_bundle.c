/*
 * fhir_bundle.c - searchset Bundles: entries with their full URLs and
 * search modes, the Bundle itself, and the paging links of a search
 * (self, first, previous, next, last) built from the base URL, the search's
 * parameters, _count and _offset.
 */
#include "fhir/fhir_internal.h"

#include "core/jup_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The length of base without trailing slashes. */
static size_t base_len(const char *base)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return n;
}

jup_status jup_fhir_entry(const char *base_url, json_t *resource, const char *mode, json_t **out,
			  jup_err *err)
{
	if (out)
		*out = NULL;
	const char *type = json_string_value(json_object_get(resource, "resourceType"));
	bool known = mode && (strcmp(mode, "match") == 0 || strcmp(mode, "include") == 0 ||
			      strcmp(mode, "outcome") == 0);
	if (!base_url || !out || !type || !known) {
		json_decref(resource);
		return jup_err_set(err, JUP_ERR_USAGE,
				   "bundle entry: missing base, resource type or mode");
	}
	fx x;
	fx_init(&x, err);
	json_t *e = fx_obj(&x);
	const char *id = json_string_value(json_object_get(resource, "id"));
	if (id && strcmp(mode, "outcome") != 0) {
		jup_buf url;
		jup_buf_init(&url, JUP_FHIR_MAX_URL_LEN);
		jup_status r = jup_buf_append(&url, base_url, base_len(base_url));
		if (!r)
			r = jup_buf_appendf(&url, "/%s/%s", type, id);
		if (r)
			fx_fail(&x, r, "bundle entry: a full URL longer than %d bytes",
				JUP_FHIR_MAX_URL_LEN);
		else
			fx_sets(&x, e, "fullUrl", url.data);
		jup_buf_free(&url);
	}
	fx_set(&x, e, "resource", resource);
	json_t *search = fx_obj(&x);
	fx_sets(&x, search, "mode", mode);
	fx_set(&x, e, "search", search);
	jup_status r = fx_done(&x);
	if (r) {
		json_decref(e);
		return r;
	}
	*out = e;
	return JUP_OK;
}

jup_status jup_fhir_bundle_searchset(json_t *entries, int64_t total, json_t *links, json_t **out,
				     jup_err *err)
{
	if (out)
		*out = NULL;
	if (!out || !json_is_array(entries) || (links && !json_is_array(links))) {
		json_decref(entries);
		json_decref(links);
		return jup_err_set(err, JUP_ERR_USAGE, "searchset: entries and links are arrays");
	}
	fx x;
	fx_init(&x, err);
	json_t *b = fx_obj(&x);
	fx_sets(&x, b, "resourceType", "Bundle");
	fx_sets(&x, b, "type", "searchset");
	if (total >= 0)
		fx_set(&x, b, "total", json_integer(total));
	if (links)
		fx_set(&x, b, "link", links);
	if (json_array_size(entries)) /* FHIR JSON has no empty arrays */
		fx_set(&x, b, "entry", entries);
	else
		json_decref(entries);
	jup_status r = fx_done(&x);
	if (r) {
		json_decref(b);
		return r;
	}
	*out = b;
	return JUP_OK;
}

/* ---- paging -------------------------------------------------------------------------- */

/* Whether query names parameter name (at its start or after '&'). */
static bool names_param(const char *query, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = query; p && *p;) {
		if (strncmp(p, name, n) == 0 && (p[n] == '=' || p[n] == '&' || p[n] == '\0'))
			return true;
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return false;
}

static jup_status check_page(const jup_fhir_page *p, jup_err *err)
{
	if (!p || !p->base_url || !p->path || !p->base_url[0] || !p->path[0])
		return jup_err_set(err, JUP_ERR_USAGE, "paging: missing base URL or path");
	if (p->count < 1 || p->count > JUP_FHIR_MAX_COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "paging: _count is 1 to %d",
				   JUP_FHIR_MAX_COUNT);
	if (p->offset < 0 || p->offset > INT64_MAX - p->count || p->total < -1)
		return jup_err_set(err, JUP_ERR_USAGE, "paging: _offset or total out of range");
	if (names_param(p->query, "_count") || names_param(p->query, "_offset"))
		return jup_err_set(err, JUP_ERR_USAGE,
				   "paging: the query may not carry _count or _offset");
	return JUP_OK;
}

/* The URL of the page starting at offset into u. */
static jup_status page_url(const jup_fhir_page *p, int64_t offset, jup_buf *u)
{
	const char *path = p->path;
	while (*path == '/')
		path++;
	jup_buf_reset(u);
	jup_status r = jup_buf_append(u, p->base_url, base_len(p->base_url));
	if (!r)
		r = jup_buf_appendf(u, "/%s?", path);
	if (!r && p->query && p->query[0])
		r = jup_buf_appendf(u, "%s&", p->query);
	if (!r)
		r = jup_buf_appendf(u, "_count=%lld&_offset=%lld", (long long)p->count,
				    (long long)offset);
	return r;
}

static void add_link(fx *x, json_t *links, const jup_fhir_page *p, const char *relation,
		     int64_t offset, jup_buf *u)
{
	jup_status r = page_url(p, offset, u);
	if (r) {
		fx_fail(x, r, "paging: a link longer than %d bytes", JUP_FHIR_MAX_URL_LEN);
		return;
	}
	json_t *l = fx_obj(x);
	fx_sets(x, l, "relation", relation);
	fx_sets(x, l, "url", u->data);
	fx_push(x, links, l);
}

jup_status jup_fhir_page_links(const jup_fhir_page *p, json_t **links, jup_err *err)
{
	if (links)
		*links = NULL;
	jup_status r = links ? check_page(p, err)
			     : jup_err_set(err, JUP_ERR_USAGE, "paging: nowhere to put links");
	if (r)
		return r;
	fx x;
	fx_init(&x, err);
	jup_buf u;
	jup_buf_init(&u, JUP_FHIR_MAX_URL_LEN);
	json_t *arr = fx_arr(&x);
	add_link(&x, arr, p, "self", p->offset, &u);
	add_link(&x, arr, p, "first", 0, &u);
	if (p->offset > 0)
		add_link(&x, arr, p, "previous", p->offset > p->count ? p->offset - p->count : 0,
			 &u);
	int64_t next = p->offset + p->count;
	if (p->total >= 0 ? next < p->total : p->more)
		add_link(&x, arr, p, "next", next, &u);
	if (p->total >= 0)
		add_link(&x, arr, p, "last",
			 p->total == 0 ? 0 : ((p->total - 1) / p->count) * p->count, &u);
	jup_buf_free(&u);
	r = fx_done(&x);
	if (r) {
		json_decref(arr);
		return r;
	}
	*links = arr;
	return JUP_OK;
}
