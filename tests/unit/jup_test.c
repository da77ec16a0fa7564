/* jup_test.c - shared helpers for the cmocka unit tests. */
#include "jup_test.h"

#include "store/jup_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static void remove_tmpdir(void)
{
	if (!tmpdir[0])
		return;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

const char *jup_test_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/jup-test-XXXXXX");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *jup_test_write_file(const char *dir, const char *name, const char *text)
{
	static char paths[8][512];
	static int next;
	char *path = paths[next++ % 8];
	snprintf(path, 512, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

void jup_test_copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

jup_store *jup_test_open_store(const char *path)
{
	jup_store *st;
	jup_err err;
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		fail_msg("open %s: %s", path, err.msg);
	return st;
}

jup_store *jup_test_open_copy(const char *base, const char *name)
{
	char path[700];
	int n = snprintf(path, sizeof path, "%s/%s", jup_test_tmpdir(), name);
	assert_true(n > 0 && (size_t)n < sizeof path);
	jup_test_copy_file(base, path);
	return jup_test_open_store(path);
}
