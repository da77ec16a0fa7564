/*
 * link_internal.h - helpers shared by the files of src/link/ (features,
 * comparators, nickname table); not part of the public interface.
 */
#ifndef LINK_INTERNAL_H
#define LINK_INTERNAL_H

#include "link/jup_link.h"

#include <stdbool.h>
#include <stddef.h>

/* The string comparators (Jaro-Winkler, Damerau) look at no more than this
 * many bytes of each string, so they need no allocation; prepared fields are
 * far shorter (JUP_LINK_ADDR_MAX). */
#define LINK_CMP_MAX 256

/* link_fold_text: fold free text (an address, a non-UK postcode) to
 * lower-case a-z and 0-9 with single spaces between words: Latin letters
 * lose their accents, apostrophes and combining marks are dropped, anything
 * else separates words. No leading or trailing space. Writes at most cap-1
 * bytes and a NUL (nothing when cap is 0); returns the length. */
size_t link_fold_text(jup_sv s, char *out, size_t cap);

/* link_within_one: true when the optimal string alignment distance of a
 * (length la) and b (length lb) is at most 1, in one linear pass; the same
 * answer as jup_link_damerau(a, b, 1) <= 1. */
bool link_within_one(const char *a, size_t la, const char *b, size_t lb);

/* link_nick_table_ok: true when the nickname table is sorted and every
 * canonical name also stands for itself (checked by the unit tests, since
 * lookups are binary searches). */
bool link_nick_table_ok(void);

/* link_block_same: true when a and b share a key under one of the blocking
 * rules of jup_link_block, judged on their fields: the pairs blocking
 * offers, before any key is passed over as too common. */
bool link_block_same(const jup_link_rec *a, const jup_link_rec *b);

/* The blocking rules no column index of source_record answers whose keys
 * are kept per linked record in link_key: name codes with birth year. (Name
 * codes with postcode district is the other such rule; on a 200,000-person
 * city it found no $match candidate the others missed, so it is not kept:
 * docs/FHIR-SEARCH.md.) link_block_stored_keys writes r's keys under the
 * kept rules (31 bits of each rule's hash; a rule whose fields r lacks gives
 * none) into keys and returns how many. */
#define LINK_STORED_KEYS 1
int link_block_stored_keys(const jup_link_rec *r, int64_t keys[LINK_STORED_KEYS]);

/* Scoring runs on this many threads (the machines here have two cores). */
#define LINK_THREADS 2

/* link_parallel: split [0, n) into LINK_THREADS consecutive slices and call
 * fn(ctx, slice, from, to) for each at once; a slice whose thread cannot be
 * started runs in the caller. Returns when all are done. */
void link_parallel(size_t n, void (*fn)(void *ctx, int slice, size_t from, size_t to),
		   void *ctx);

#endif
