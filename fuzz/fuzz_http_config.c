/*
 * fuzz_http_config.c - libFuzzer target for the server's config file
 * parser: any input either applies wholly or leaves the config untouched
 * with a "NAME:LINE: ..." message, and what applies passes its own bounds.
 */
#include "http/jup_http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_http_config c, before;
	jup_err err = { { 0 } };
	jup_http_config_defaults(&c);
	before = c;
	jup_status st = jup_http_config_parse("fuzz.conf", (const char *)data, size, &c, &err);
	if (st) {
		check(st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT);
		check(strncmp(err.msg, "fuzz.conf:", 10) == 0);
		check(memcmp(&c, &before, sizeof c) == 0);
		return 0;
	}
	check(c.max_body_bytes <= 1024 * 1024 && c.max_body_bytes >= 1024);
	check(c.threads >= 0 && c.workers >= 0);
	check(memchr(c.db, '\0', sizeof c.db) != NULL);
	check(memchr(c.host, '\0', sizeof c.host) != NULL);
	return 0;
}
