/* jup_array.c - growable arrays of fixed-size items. */
#include "core/jup_array.h"

#include <stdint.h>
#include <stdlib.h>

void *jup_array_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return items;
	size_t want = *cap ? *cap * 2 : (first ? first : 16);
	if (size == 0 || want < *cap || want > SIZE_MAX / size)
		return NULL;
	void *p = realloc(items, want * size);
	if (p)
		*cap = want;
	return p;
}

jup_status jup_ids_add(jup_ids *l, int64_t id, jup_err *err)
{
	int64_t *grown = jup_array_grow(l->v, &l->cap, l->n, sizeof *l->v, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory listing ids");
	l->v = grown;
	l->v[l->n++] = id;
	return JUP_OK;
}

bool jup_ids_has(const jup_ids *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return true;
	return false;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void jup_ids_sort(jup_ids *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_i64);
}
