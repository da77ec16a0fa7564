/*
 * fuzz_check.h - small checks shared by the fuzz targets.
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include "core/jup_str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* check: stop (a finding) when a promise does not hold. */
static inline void check(bool ok)
{
	if (!ok)
		abort();
}

/* inside: the view lies within the input. */
static inline bool inside(jup_sv v, const uint8_t *base, size_t len)
{
	const char *b = (const char *)base;
	return v.ptr >= b && v.ptr + v.len <= b + len;
}

/* touch: read every byte of a view, so ASan sees a bad one. */
static inline unsigned touch(jup_sv v)
{
	unsigned sum = 0;
	for (size_t i = 0; i < v.len; i++)
		sum += (unsigned char)v.ptr[i];
	return sum;
}

#endif
