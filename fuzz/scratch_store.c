/* scratch_store.c - a throwaway store for fuzz targets. */
#include "scratch_store.h"

#include "ingest/jup_ingest_import.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static jup_store *st;

static void cleanup(void)
{
	jup_store_close(st);
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

jup_store *scratch_open(const char *name)
{
	snprintf(dir, sizeof dir, "/tmp/jup-fuzz-%.16s-XXXXXX", name);
	if (!mkdtemp(dir))
		abort();
	char path[512];
	snprintf(path, sizeof path, "%s/fuzz.db", dir);
	jup_err err;
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		abort();
	atexit(cleanup);
	return st;
}

void scratch_write(const char *name, const void *data, size_t len, char path[512])
{
	snprintf(path, 512, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

jup_status scratch_import(const char *path)
{
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23) };
	jup_import_summary sum;
	jup_err err;
	const char *paths[] = { path };
	return jup_ingest_import(st, paths, 1, &opts, &sum, &err);
}

void scratch_import_text(const char *name, const char *text)
{
	char path[512];
	scratch_write(name, text, strlen(text), path);
	if (scratch_import(path))
		abort();
	unlink(path);
}
