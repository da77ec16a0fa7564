/* test_http.c - the server's own parts that need no socket: the config
 * file, form bodies and query parameters, paging, routes, the rate
 * limiter. (The server itself is driven end to end by tests/e2e/server.c.) */
#include "jup_test.h"

#include "http/http_internal.h"

#include <stdlib.h>
#include <string.h>

static jup_status parse(jup_http_config *c, const char *text, jup_err *err)
{
	return jup_http_config_parse("server.conf", text, strlen(text), c, err);
}

static void test_config_defaults_are_safe(void **state)
{
	(void)state;
	jup_http_config c;
	jup_err err;
	jup_http_config_defaults(&c);
	assert_string_equal(c.host, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_int_equal(c.log_addresses, JUP_HTTP_LOG_ADDR_HASH);
	assert_true(c.rate_per_address > 0 && c.rate_per_token > 0);
	assert_int_equal(c.max_body_bytes, JUP_HTTP_MAX_BODY_BYTES);
	/* no database named yet */
	assert_int_equal(jup_http_config_check(&c, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "db:"));
}

static void test_config_file_applies_every_kind_of_value(void **state)
{
	(void)state;
	jup_http_config c;
	jup_err err;
	jup_http_config_defaults(&c);
	assert_int_equal(parse(&c,
			       "# production\n"
			       "db = /var/lib/joinedup/joinedup.db\n"
			       "  host=::1   # IPv6 loopback\r\n"
			       "port = 8443\n\n"
			       "tls_cert = /etc/joinedup/cert.pem\n"
			       "tls_key = /etc/joinedup/key.pem\n"
			       "rate_per_address = 12.5\n"
			       "log_addresses = none\n"
			       "max_body_bytes = 65536\n"
			       "token_lifetime = 1800\n"
			       "workers = 16\n",
			       &err),
			 JUP_OK);
	assert_string_equal(c.db, "/var/lib/joinedup/joinedup.db");
	assert_string_equal(c.host, "::1");
	assert_int_equal(c.port, 8443);
	assert_string_equal(c.tls_key, "/etc/joinedup/key.pem");
	assert_true(c.rate_per_address == 12.5);
	assert_int_equal(c.log_addresses, JUP_HTTP_LOG_ADDR_NONE);
	assert_int_equal(c.max_body_bytes, 65536);
	assert_int_equal(c.token_lifetime, 1800);
	assert_int_equal(c.workers, 16);
	assert_int_equal(jup_http_config_check(&c, &err), JUP_OK);
}

/* Each bad file: its message, and nothing of it applied. */
static void test_config_errors_name_file_line_and_key(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "port = 80\nport = 99999\n", "server.conf:2: port: expected a whole number from 0 to 65535" },
		{ "colour = blue\n", "server.conf:1: colour: unknown setting" },
		{ "\n\njust words\n", "server.conf:3: expected \"key = value\"" },
		{ "log_addresses = some\n", "server.conf:1: log_addresses: expected hash, full or none" },
		{ "rate_per_token = -1\n", "server.conf:1: rate_per_token: expected a number" },
		{ "max_body_bytes = 99999999\n", "server.conf:1: max_body_bytes: expected a whole" },
		{ "db = a\tb\n", "server.conf:1: db: control characters are not allowed" },
		{ "workers = 1x\n", "server.conf:1: workers: expected a whole number" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_http_config c, before;
		jup_err err;
		jup_http_config_defaults(&c);
		before = c;
		assert_int_equal(parse(&c, cases[i].text, &err), JUP_ERR_INVALID);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: \"%s\" does not start \"%s\"", i, err.msg, cases[i].msg);
		assert_memory_equal(&c, &before, sizeof c);
	}
	char *long_line = malloc(JUP_HTTP_MAX_CONFIG_LINE + 16);
	memset(long_line, 'a', JUP_HTTP_MAX_CONFIG_LINE + 10);
	long_line[JUP_HTTP_MAX_CONFIG_LINE + 10] = '\0';
	jup_http_config c;
	jup_err err;
	jup_http_config_defaults(&c);
	assert_int_equal(parse(&c, long_line, &err), JUP_ERR_LIMIT);
	free(long_line);
}

static void test_config_check_catches_inconsistency(void **state)
{
	(void)state;
	jup_http_config c;
	jup_err err;
	jup_http_config_defaults(&c);
	assert_int_equal(jup_http_config_set(&c, "db", "x.db", &err), JUP_OK);
	assert_int_equal(jup_http_config_set(&c, "tls_cert", "cert.pem", &err), JUP_OK);
	assert_int_equal(jup_http_config_check(&c, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "both files or neither"));
	assert_int_equal(jup_http_config_set(&c, "tls_key", "key.pem", &err), JUP_OK);
	assert_int_equal(jup_http_config_check(&c, &err), JUP_OK);
	assert_int_equal(jup_http_config_set(&c, "max_connections", "10", &err), JUP_OK);
	assert_int_equal(jup_http_config_check(&c, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_http_config_set(&c, "nope", "1", &err), JUP_ERR_INVALID);
	assert_string_equal(err.msg, "nope: unknown setting");
}

static void test_config_file_loads_and_reports_missing(void **state)
{
	(void)state;
	const char *dir = jup_test_tmpdir();
	const char *path = jup_test_write_file(dir, "good.conf", "db = demo.db\nport = 0\n");
	jup_http_config c;
	jup_err err;
	jup_http_config_defaults(&c);
	assert_int_equal(jup_http_config_load(path, &c, &err), JUP_OK);
	assert_string_equal(c.db, "demo.db");
	assert_int_equal(c.port, 0);
	char missing[1100];
	snprintf(missing, sizeof missing, "%s/none.conf", dir);
	assert_int_not_equal(jup_http_config_load(missing, &c, &err), JUP_OK);
}

static http_req *req(void)
{
	http_req *r = calloc(1, sizeof *r);
	assert_non_null(r);
	return r;
}

static void done(http_req *r)
{
	http_params_free(r);
	free(r);
}

static void test_form_decodes_and_bounds(void **state)
{
	(void)state;
	http_req *r = req();
	const char *body = "grant_type=password&username=gp.demo&password=a%20b%2Bc+d&&empty=&flag";
	assert_true(http_params_parse_form(r, body, strlen(body)));
	assert_string_equal(http_param(r, "grant_type"), "password");
	assert_string_equal(http_param(r, "password"), "a b+c d");
	assert_string_equal(http_param(r, "empty"), "");
	assert_string_equal(http_param(r, "flag"), "");
	assert_null(http_param(r, "purpose"));
	assert_int_equal(http_param_count(r, "username"), 1);
	done(r);

	static const char *const bad[] = { "a=%4", "a=%zz", "a=%00", "a=\x01", "=x",
					   "k=%0A" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = req();
		if (http_params_parse_form(r, bad[i], strlen(bad[i])))
			fail_msg("form \"%s\" was accepted", bad[i]);
		assert_true(r->bad_why[0] != '\0');
		done(r);
	}
	/* too many fields, and one too long */
	char many[JUP_HTTP_MAX_PARAMS * 8 + 16] = "";
	for (int i = 0; i <= JUP_HTTP_MAX_PARAMS; i++)
		strcat(many, "a=1&");
	r = req();
	assert_false(http_params_parse_form(r, many, strlen(many)));
	assert_int_equal(r->nparams, JUP_HTTP_MAX_PARAMS);
	done(r);
	char *big = malloc(JUP_HTTP_MAX_PARAM_BYTES + 8);
	memcpy(big, "a=", 2);
	memset(big + 2, 'x', JUP_HTTP_MAX_PARAM_BYTES + 1);
	big[JUP_HTTP_MAX_PARAM_BYTES + 3] = '\0';
	r = req();
	assert_false(http_params_parse_form(r, big, strlen(big)));
	done(r);
	free(big);
}

/* RFC 6749 2.3.1: base64 of form-encoded "client_id:client_secret". */
static void test_basic_credentials(void **state)
{
	(void)state;
	http_req *r = req();
	/* "gp-system%3Ax:s3cret%20with%20space" */
	assert_true(http_params_add_basic(r, "Z3Atc3lzdGVtJTNBeDpzM2NyZXQlMjB3aXRoJTIwc3BhY2U="));
	assert_string_equal(http_param(r, "client_id"), "gp-system:x");
	assert_string_equal(http_param(r, "client_secret"), "s3cret with space");
	done(r);
	static const char *const bad[] = { "not base64!", "bm9jb2xvbg==", /* "nocolon" */
					   "OnNlY3JldA==" /* ":secret" */, "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = req();
		if (http_params_add_basic(r, bad[i]))
			fail_msg("Basic \"%s\" was accepted", bad[i]);
		assert_int_equal(r->nparams, 0);
		done(r);
	}
}

static void test_routes_match_patterns_and_ids(void **state)
{
	(void)state;
	http_req *r = req();
	bool wrong;
	const http_route *rt = http_route_find("/fhir/Patient/42/$everything", HTTP_GET, r, &wrong);
	assert_non_null(rt);
	assert_string_equal(rt->pattern, "/fhir/Patient/{id}/$everything");
	assert_string_equal(r->ids[0], "42");
	rt = http_route_find("/fhir/CarePlan/cp-7/_history/3", HTTP_HEAD, r, &wrong);
	assert_non_null(rt);
	assert_string_equal(r->ids[0], "cp-7");
	assert_string_equal(r->ids[1], "3");
	assert_non_null(http_route_find("/fhir/Patient/$match", HTTP_POST, r, &wrong));
	/* the wrong method: a 405, not a 404 */
	assert_null(http_route_find("/fhir/Patient/42", HTTP_OTHER, r, &wrong));
	assert_true(wrong);
	assert_null(http_route_find("/fhir/Patient/$match", HTTP_GET, r, &wrong));
	assert_true(wrong);
	static const char *const none[] = { "/fhir/Patient/4 2", "/fhir/Patient/", "/fhir//Patient",
					    "/fhir/Patient/a%2Fb", "/fhir/Nothing", "fhir/metadata",
					    "/fhir/metadata/", "" };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		if (http_route_find(none[i], HTTP_GET, r, &wrong))
			fail_msg("\"%s\" matched a route", none[i]);
	}
	char long_id[200] = "/fhir/Patient/";
	memset(long_id + 14, '1', 100);
	assert_null(http_route_find(long_id, HTTP_GET, r, &wrong));
	done(r);
}

static void test_rate_buckets(void **state)
{
	(void)state;
	http_rate *t = http_rate_new(10, 3); /* 10 a second, bursts of 3 */
	unsigned retry = 0;
	uint64_t now = 1000000000u;
	for (int i = 0; i < 3; i++)
		assert_true(http_rate_take(t, "a", 1, now, &retry));
	assert_false(http_rate_take(t, "a", 1, now, &retry));
	assert_int_equal(retry, 1);
	assert_true(http_rate_take(t, "b", 1, now, &retry)); /* keys apart */
	assert_true(http_rate_take(t, "a", 1, now + 100000000u, &retry)); /* 0.1 s: one more */
	assert_false(http_rate_take(t, "a", 1, now + 100000000u, &retry));
	http_rate_free(t);
	http_rate *off = http_rate_new(0, 1);
	for (int i = 0; i < 1000; i++)
		assert_true(http_rate_take(off, "a", 1, now, &retry));
	http_rate_free(off);
}

/* A flood of keys never grows the table: a fresh key still gets its burst. */
static void test_rate_memory_is_bounded(void **state)
{
	(void)state;
	http_rate *t = http_rate_new(1, 2);
	unsigned retry;
	for (uint32_t i = 0; i < 200000; i++)
		(void)http_rate_take(t, &i, sizeof i, 5, &retry);
	uint32_t fresh = 0xfffffff0u;
	assert_true(http_rate_take(t, &fresh, sizeof fresh, 5, &retry));
	assert_true(http_rate_take(t, &fresh, sizeof fresh, 5, &retry));
	assert_false(http_rate_take(t, &fresh, sizeof fresh, 5, &retry));
	http_rate_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults_are_safe),
		cmocka_unit_test(test_config_file_applies_every_kind_of_value),
		cmocka_unit_test(test_config_errors_name_file_line_and_key),
		cmocka_unit_test(test_config_check_catches_inconsistency),
		cmocka_unit_test(test_config_file_loads_and_reports_missing),
		cmocka_unit_test(test_form_decodes_and_bounds),
		cmocka_unit_test(test_basic_credentials),
		cmocka_unit_test(test_routes_match_patterns_and_ids),
		cmocka_unit_test(test_rate_buckets),
		cmocka_unit_test(test_rate_memory_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
