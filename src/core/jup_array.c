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
