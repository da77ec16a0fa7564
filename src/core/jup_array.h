/*
 * jup_array.h - growable arrays of fixed-size items.
 *
 * The array is the caller's (a pointer, a count and a capacity); this only
 * finds room, doubling, so appending n items costs O(n) copies in all.
 */
#ifndef JUP_ARRAY_H
#define JUP_ARRAY_H

#include <stddef.h>

/*
 * jup_array_grow: room for at least one more `size`-byte item in `items`,
 * which holds n items in *cap slots (NULL and 0 to start; the first
 * allocation has `first` slots). Returns the array, moved if it had to be,
 * with *cap updated; NULL when memory runs out or the size would overflow,
 * and then the old array is untouched and still the caller's.
 */
void *jup_array_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

#endif
