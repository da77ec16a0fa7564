/*
 * ingest_files.c - the files an import works on: expanding folders, putting
 * extracts in dependency order.
 */
#include "ingest/ingest_files.h"

#include "core/jup_limits.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static jup_status add_job(ingest_jobs *l, const char *path)
{
	if (l->n >= JUP_IMPORT_MAX_FILES)
		return JUP_ERR_LIMIT;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		ingest_job *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return JUP_ERR_NOMEM;
		l->items = p;
		l->cap = cap;
	}
	char *copy = strdup(path);
	if (!copy)
		return JUP_ERR_NOMEM;
	l->items[l->n] = (ingest_job){ copy, ingest_spec_for(path), l->n };
	l->n++;
	return JUP_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted_in_folder(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".csv") == 0 && strcmp(name, "truth.csv") != 0 &&
	       name[0] != '.';
}

static jup_status add_folder(ingest_jobs *l, const char *dir, int *passed_over,
			     jup_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return jup_err_set(err, JUP_ERR_IO, "could not read folder \"%s\": %s", dir,
				   strerror(errno));
	char *names[JUP_IMPORT_MAX_FILES];
	size_t n = 0;
	jup_status st = JUP_OK;
	struct dirent *e;
	while (!st && (e = readdir(d)) != NULL) {
		if (!wanted_in_folder(e->d_name)) {
			*passed_over += strcmp(e->d_name, "truth.csv") == 0;
			continue;
		}
		if (n == JUP_IMPORT_MAX_FILES)
			st = jup_err_set(err, JUP_ERR_LIMIT, "\"%s\" holds more than %d extracts",
					 dir, JUP_IMPORT_MAX_FILES);
		else if (!(names[n++] = strdup(e->d_name)))
			st = JUP_ERR_NOMEM;
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		if (!st && snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
			st = jup_err_set(err, JUP_ERR_LIMIT, "path too long in \"%s\"", dir);
		if (!st && (st = add_job(l, path)))
			jup_err_set(err, st, "too many files to import");
		free(names[i]);
	}
	return st;
}

static int by_order(const void *a, const void *b)
{
	const ingest_job *x = a, *y = b;
	int ox = x->spec ? x->spec->order : -1, oy = y->spec ? y->spec->order : -1;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

jup_status ingest_collect(const char *const *paths, size_t npaths, ingest_jobs *l,
			  int *passed_over, jup_err *err)
{
	for (size_t i = 0; i < npaths; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) != 0)
			return jup_err_set(err, JUP_ERR_IO, "could not open \"%s\": %s", paths[i],
					   strerror(errno));
		jup_status st = S_ISDIR(sb.st_mode) ? add_folder(l, paths[i], passed_over, err)
						    : add_job(l, paths[i]);
		if (st)
			return st == JUP_ERR_LIMIT || st == JUP_ERR_NOMEM
				       ? jup_err_set(err, st, "could not list the files to import")
				       : st;
	}
	qsort(l->items, l->n, sizeof l->items[0], by_order);
	return JUP_OK;
}

void ingest_jobs_free(ingest_jobs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
