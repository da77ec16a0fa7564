/*
 * jup_array.h - growable arrays of fixed-size items.
 *
 * The array is the caller's (a pointer, a count and a capacity); this only
 * finds room, doubling, so appending n items costs O(n) copies in all.
 */
#ifndef JUP_ARRAY_H
#define JUP_ARRAY_H

#include "core/jup_status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * jup_array_grow: room for at least one more `size`-byte item in `items`,
 * which holds n items in *cap slots (NULL and 0 to start; the first
 * allocation has `first` slots). Returns the array, moved if it had to be,
 * with *cap updated; NULL when memory runs out or the size would overflow,
 * and then the old array is untouched and still the caller's.
 */
void *jup_array_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

/* jup_ids: a growable list of int64 ids (zero it to start, free v). */
typedef struct jup_ids {
	int64_t *v;
	size_t n, cap;
} jup_ids;

/* jup_ids_add: append id. JUP_ERR_NOMEM when memory runs out (l unchanged). */
jup_status jup_ids_add(jup_ids *l, int64_t id, jup_err *err) JUP_MUST_CHECK;

/* jup_ids_has: whether id is in l (a linear search: for short lists). */
bool jup_ids_has(const jup_ids *l, int64_t id);

/* jup_ids_sort: sort l ascending. */
void jup_ids_sort(jup_ids *l);

#endif
