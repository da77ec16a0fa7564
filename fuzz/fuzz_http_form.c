/*
 * fuzz_http_form.c - libFuzzer target for the server's request parsing
 * that is its own: form bodies (POST /auth/token) and the route matcher.
 * Every parameter kept is within the limits and free of NULs and control
 * characters; route ids are FHIR ids.
 */
#include "http/http_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_params(const http_req *r)
{
	check(r->nparams <= JUP_HTTP_MAX_PARAMS);
	for (int i = 0; i < r->nparams; i++) {
		size_t kn = strlen(r->params[i].key), vn = strlen(r->params[i].value);
		check(kn > 0 && kn <= 64 && vn <= JUP_HTTP_MAX_PARAM_BYTES);
		for (size_t k = 0; k < vn; k++)
			check((unsigned char)r->params[i].value[k] >= 0x20);
	}
}

static void check_route(const uint8_t *data, size_t size)
{
	char path[512];
	size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
	memcpy(path, data, n);
	path[n] = '\0';
	http_req *r = calloc(1, sizeof *r);
	bool mismatch;
	const http_route *rt = http_route_find(path, HTTP_GET, r, &mismatch);
	if (rt)
		for (int i = 0; i < HTTP_MAX_PATH_IDS; i++)
			check(strlen(r->ids[i]) <= HTTP_MAX_ID);
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	http_req *r = calloc(1, sizeof *r);
	if (!r)
		return 0;
	bool ok = http_params_parse_form(r, (const char *)data, size);
	check(ok || r->bad_why[0]);
	check_params(r);
	http_params_free(r);
	free(r);
	check_route(data, size);
	return 0;
}
