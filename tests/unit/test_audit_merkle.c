/*
 * test_audit_merkle.c - audit: the RFC 9162 Merkle tree, its compact form,
 * inclusion and consistency proofs.
 *
 * Known answers: the RFC 6962 reference tree of 8 leaves used across the
 * certificate-transparency implementations, as published in
 * github.com/transparency-dev/merkle: testonly/constants.go (leaf inputs,
 * the hash of every perfect subtree, the root of every size 0..8),
 * proof/verify_test.go (inclusion and consistency proofs written out as
 * hashes) and proof/proof_test.go (more proofs of the same tree written as
 * node positions, turned into hashes here with the node table).
 *
 * Beyond those, every proof for trees of up to 64 leaves is checked against
 * a direct transcription of the recursive definitions of RFC 9162 2.1.1,
 * 2.1.3.1 and 2.1.4.1 kept in this file, and the iterative verifiers of
 * 2.1.3.2 and 2.1.4.2 are checked against recursive ones built from the same
 * definitions.
 */
#include "jup_test.h"

#include "audit/jup_merkle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEAVES  300 /* incremental == batch for every size up to this */
#define PROOF_TREES 64  /* every proof of every tree up to this size */

static jup_hash hx(const char *hex)
{
	jup_hash h;
	assert_int_equal(strlen(hex), 64);
	for (size_t i = 0; i < 32; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		h.b[i] = (uint8_t)v;
	}
	return h;
}

static void assert_hash_eq(const jup_hash *a, const jup_hash *b)
{
	assert_memory_equal(a->b, b->b, 32);
}

/* ---- the reference tree (transparency-dev/merkle testonly/constants.go) ---- */

static const char *const ref_inputs[8] = {
	"",
	"00",
	"10",
	"2021",
	"3031",
	"40414243",
	"5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* NodeHashes(): [level][index] of every perfect subtree. */
static const char *const ref_nodes[4][8] = {
	{ "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	  "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	  "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	  "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1" },
	{ "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0" },
	{ "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" },
	{ "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" },
};

/* RootHashes(): the root of the first n leaves, n = 0..8. */
static const char *const ref_roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* Leaf hashes given to the code under test, read through the callback. */
typedef struct leaves {
	jup_hash h[MAX_LEAVES];
	uint64_t n;
	uint64_t calls;
	uint64_t fail_at; /* UINT64_MAX: never fail */
} leaves;

static jup_status get_leaf(void *ctx, uint64_t index, jup_hash *out, jup_err *err)
{
	leaves *l = ctx;
	l->calls++;
	if (index == l->fail_at)
		return jup_err_set(err, JUP_ERR_STORE, "leaf %llu unreadable",
				   (unsigned long long)index);
	assert_true(index < l->n);
	*out = l->h[index];
	return JUP_OK;
}

static void ref_leaves(leaves *l)
{
	memset(l, 0, sizeof *l);
	l->fail_at = UINT64_MAX;
	for (size_t i = 0; i < 8; i++) {
		uint8_t in[16];
		size_t n = strlen(ref_inputs[i]) / 2;
		for (size_t j = 0; j < n; j++) {
			unsigned v;
			assert_int_equal(sscanf(ref_inputs[i] + 2 * j, "%2x", &v), 1);
			in[j] = (uint8_t)v;
		}
		jup_merkle_leaf_hash(in, n, &l->h[i]);
	}
	l->n = 8;
}

static void many_leaves(leaves *l)
{
	memset(l, 0, sizeof *l);
	l->fail_at = UINT64_MAX;
	for (uint32_t i = 0; i < MAX_LEAVES; i++) {
		char entry[32];
		int n = snprintf(entry, sizeof entry, "audit entry %u", i);
		jup_merkle_leaf_hash(entry, (size_t)n, &l->h[i]);
	}
	l->n = MAX_LEAVES;
}

static jup_hash node(int level, int index)
{
	return hx(ref_nodes[level][index]);
}

static jup_hash hash2(jup_hash a, jup_hash b)
{
	jup_hash r;
	jup_merkle_node_hash(&a, &b, &r);
	return r;
}

/* ---- RFC 9162 2.1.1, 2.1.3.1, 2.1.4.1 written out recursively ---- */

static uint64_t ref_split(uint64_t n)
{
	uint64_t k = 1;
	while (2 * k < n)
		k *= 2;
	return k;
}

static jup_hash ref_mth(const jup_hash *d, uint64_t n)
{
	jup_hash r;
	if (n == 0) {
		jup_merkle_empty_root(&r);
		return r;
	}
	if (n == 1)
		return d[0];
	uint64_t k = ref_split(n);
	return hash2(ref_mth(d, k), ref_mth(d + k, n - k));
}

static void ref_path(uint64_t m, const jup_hash *d, uint64_t n, jup_merkle_proof *p)
{
	if (n <= 1)
		return;
	uint64_t k = ref_split(n);
	if (m < k) {
		ref_path(m, d, k, p);
		p->h[p->len++] = ref_mth(d + k, n - k);
	} else {
		ref_path(m - k, d + k, n - k, p);
		p->h[p->len++] = ref_mth(d, k);
	}
}

static void ref_subproof(uint64_t m, const jup_hash *d, uint64_t n, bool b, jup_merkle_proof *p)
{
	if (m == n) {
		if (!b)
			p->h[p->len++] = ref_mth(d, n);
		return;
	}
	uint64_t k = ref_split(n);
	if (m <= k) {
		ref_subproof(m, d, k, b, p);
		p->h[p->len++] = ref_mth(d + k, n - k);
	} else {
		ref_subproof(m - k, d + k, n - k, false, p);
		p->h[p->len++] = ref_mth(d, k);
	}
}

/* Recursive verifiers: rebuild the root(s) along the shape the definitions
 * give for these sizes; true when the proof is used up exactly and the
 * roots match. */
static jup_hash ref_root_from_path(uint64_t m, uint64_t n, jup_hash leaf, const jup_merkle_proof *p,
				   size_t *pos, bool *ok)
{
	if (n == 1)
		return leaf;
	uint64_t k = ref_split(n);
	bool left = m < k;
	jup_hash r = left ? ref_root_from_path(m, k, leaf, p, pos, ok)
			  : ref_root_from_path(m - k, n - k, leaf, p, pos, ok);
	if (*pos >= p->len) {
		*ok = false;
		return r;
	}
	jup_hash sib = p->h[(*pos)++];
	return left ? hash2(r, sib) : hash2(sib, r);
}

static bool ref_verify_inclusion(jup_hash leaf, uint64_t m, uint64_t n, const jup_merkle_proof *p,
				 jup_hash root)
{
	if (m >= n)
		return false;
	size_t pos = 0;
	bool ok = true;
	jup_hash r = ref_root_from_path(m, n, leaf, p, &pos, &ok);
	return ok && pos == p->len && jup_merkle_hash_eq(&r, &root);
}

typedef struct pair {
	jup_hash old, cur;
} pair;

static pair ref_roots_from_subproof(uint64_t m, uint64_t n, bool b, jup_hash old_root,
				    const jup_merkle_proof *p, size_t *pos, bool *ok)
{
	pair r = { old_root, old_root };
	if (m == n) {
		if (!b && *pos < p->len)
			r.old = r.cur = p->h[(*pos)++];
		else if (!b)
			*ok = false;
		return r;
	}
	uint64_t k = ref_split(n);
	bool left = m <= k;
	r = left ? ref_roots_from_subproof(m, k, b, old_root, p, pos, ok)
		 : ref_roots_from_subproof(m - k, n - k, false, old_root, p, pos, ok);
	if (*pos >= p->len) {
		*ok = false;
		return r;
	}
	jup_hash sib = p->h[(*pos)++];
	if (left)
		return (pair){ r.old, hash2(r.cur, sib) };
	return (pair){ hash2(sib, r.old), hash2(sib, r.cur) };
}

static bool ref_verify_consistency(uint64_t m, uint64_t n, const jup_merkle_proof *p,
				   jup_hash old_root, jup_hash new_root)
{
	jup_hash empty;
	jup_merkle_empty_root(&empty);
	if (m > n)
		return false;
	if (m == n)
		return p->len == 0 && jup_merkle_hash_eq(&old_root, &new_root);
	if (m == 0)
		return p->len == 0 && jup_merkle_hash_eq(&old_root, &empty);
	size_t pos = 0;
	bool ok = true;
	pair r = ref_roots_from_subproof(m, n, true, old_root, p, &pos, &ok);
	return ok && pos == p->len && p->len > 0 && jup_merkle_hash_eq(&r.old, &old_root) &&
	       jup_merkle_hash_eq(&r.cur, &new_root);
}

static void assert_proof_eq(const jup_merkle_proof *got, const jup_merkle_proof *want)
{
	assert_int_equal(got->len, want->len);
	for (size_t i = 0; i < got->len; i++)
		assert_hash_eq(&got->h[i], &want->h[i]);
}

/* ---- known answers ---- */

static void test_hashes(void **state)
{
	(void)state;
	jup_hash h, want;
	jup_merkle_empty_root(&h);
	want = hx(ref_roots[0]);
	assert_hash_eq(&h, &want);
	jup_merkle_leaf_hash("", 0, &h);
	want = node(0, 0);
	assert_hash_eq(&h, &want);
	jup_hash a = node(0, 0), b = node(0, 1);
	jup_merkle_node_hash(&a, &b, &a); /* out may alias an input */
	want = node(1, 0);
	assert_hash_eq(&a, &want);
	assert_true(jup_merkle_hash_eq(&a, &want));
	assert_false(jup_merkle_hash_eq(&a, &b));
}

static void test_reference_roots(void **state)
{
	(void)state;
	leaves l;
	ref_leaves(&l);
	for (int i = 0; i < 8; i++) {
		jup_hash want = node(0, i);
		assert_hash_eq(&l.h[i], &want);
	}
	jup_merkle_tree t;
	jup_merkle_tree_init(&t);
	for (uint64_t n = 0; n <= 8; n++) {
		jup_hash want = hx(ref_roots[n]), got;
		jup_merkle_tree_root(&t, &got);
		assert_hash_eq(&got, &want);
		assert_int_equal(jup_merkle_range_root(get_leaf, &l, 0, n, &got, NULL), JUP_OK);
		assert_hash_eq(&got, &want);
		if (n < 8)
			assert_int_equal(jup_merkle_tree_append(&t, &l.h[n], NULL), JUP_OK);
	}
	/* every perfect subtree of the reference tree */
	for (int level = 0; level < 4; level++) {
		for (uint64_t i = 0; i < (8u >> level); i++) {
			jup_hash got, want = node(level, (int)i);
			uint64_t w = UINT64_C(1) << level;
			assert_int_equal(
			    jup_merkle_range_root(get_leaf, &l, i * w, (i + 1) * w, &got, NULL),
			    JUP_OK);
			assert_hash_eq(&got, &want);
		}
	}
}

typedef struct proof_vector {
	uint64_t a, b; /* inclusion: index, size; consistency: old, new */
	size_t len;
	jup_hash h[4];
} proof_vector;

/* The inclusion proofs of the reference tree, from transparency-dev/merkle:
 * proof/verify_test.go (its leaf numbers count from 1) and, as node
 * positions, proof/proof_test.go. i, j, k, l name nodes as in the pictures
 * there: l = H(i, j) in the tree of 7. */
static size_t inclusion_vectors(proof_vector *v)
{
	jup_hash a = node(0, 0), b = node(0, 1), c = node(0, 2), d = node(0, 3);
	jup_hash e = node(0, 4), f = node(0, 5), j = node(0, 6);
	jup_hash g = node(1, 0), h = node(1, 1), i = node(1, 2), k = node(2, 0);
	jup_hash l7 = hash2(i, j);
	proof_vector all[] = {
		{ 0, 1, 0, { { { 0 } } } },
		{ 0,
		  8,
		  3,
		  { hx("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
		    hx("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
		    hx("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4") } },
		{ 5,
		  8,
		  3,
		  { hx("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
		    hx("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
		    hx("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7") } },
		{ 2,
		  3,
		  1,
		  { hx("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125") } },
		{ 1,
		  5,
		  3,
		  { hx("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
		    hx("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
		    hx("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b") } },
		{ 0, 2, 1, { b } },
		{ 1, 2, 1, { a } },
		{ 1, 3, 2, { a, c } },
		{ 0, 7, 3, { b, h, l7 } },
		{ 2, 7, 3, { d, g, l7 } },
		{ 4, 7, 3, { f, j, k } },
		{ 5, 7, 3, { e, j, k } },
		{ 6, 7, 2, { i, k } },
		{ 2, 4, 2, { d, g } },
		{ 3, 5, 3, { c, g, e } },
		{ 3, 6, 3, { c, g, i } },
		{ 4, 6, 2, { f, k } },
	};
	memcpy(v, all, sizeof all);
	return sizeof all / sizeof all[0];
}

/* The consistency proofs of the reference tree, from the same two files. */
static size_t consistency_vectors(proof_vector *v)
{
	jup_hash b = node(0, 1), c = node(0, 2), d = node(0, 3), e = node(0, 4);
	jup_hash f = node(0, 5), j = node(0, 6), j8 = node(0, 7);
	jup_hash g = node(1, 0), h = node(1, 1), i = node(1, 2), k = node(2, 0);
	jup_hash l7 = hash2(i, j), l8 = node(2, 1);
	proof_vector all[] = {
		{ 1, 1, 0, { { { 0 } } } },
		{ 1,
		  8,
		  3,
		  { hx("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
		    hx("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
		    hx("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4") } },
		{ 6,
		  8,
		  3,
		  { hx("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
		    hx("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
		    hx("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7") } },
		{ 2,
		  5,
		  2,
		  { hx("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
		    hx("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b") } },
		{ 6,
		  7,
		  3,
		  { hx("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
		    hx("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
		    hx("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7") } },
		{ 1, 2, 1, { b } },
		{ 1, 4, 2, { b, h } },
		{ 1, 6, 3, { b, h, i } },
		{ 2, 3, 1, { c } },
		{ 2, 8, 2, { h, l8 } },
		{ 3, 7, 4, { c, d, g, l7 } },
		{ 4, 7, 1, { l7 } },
		{ 5, 7, 4, { e, f, j, k } },
		{ 7, 8, 4, { j, j8, i, k } },
		{ 2, 4, 1, { h } },
		{ 3, 5, 4, { c, d, g, e } },
		{ 3, 6, 4, { c, d, g, i } },
		{ 4, 6, 1, { i } },
		{ 1, 7, 3, { b, h, l7 } },
		{ 8, 8, 0, { { { 0 } } } },
	};
	memcpy(v, all, sizeof all);
	return sizeof all / sizeof all[0];
}

static void to_proof(const proof_vector *v, jup_merkle_proof *p)
{
	memset(p, 0, sizeof *p);
	p->len = v->len;
	memcpy(p->h, v->h, v->len * sizeof v->h[0]);
}

static void test_reference_inclusion(void **state)
{
	(void)state;
	leaves l;
	proof_vector v[32];
	ref_leaves(&l);
	size_t n = inclusion_vectors(v);
	for (size_t i = 0; i < n; i++) {
		jup_merkle_proof want, got;
		jup_hash root = hx(ref_roots[v[i].b]);
		to_proof(&v[i], &want);
		assert_int_equal(
		    jup_merkle_inclusion_proof(get_leaf, &l, v[i].a, v[i].b, &got, NULL), JUP_OK);
		assert_proof_eq(&got, &want);
		assert_int_equal(
		    jup_merkle_verify_inclusion(&l.h[v[i].a], v[i].a, v[i].b, &want, &root),
		    JUP_OK);
	}
}

static void test_reference_consistency(void **state)
{
	(void)state;
	leaves l;
	proof_vector v[32];
	ref_leaves(&l);
	size_t n = consistency_vectors(v);
	for (size_t i = 0; i < n; i++) {
		jup_merkle_proof want, got;
		jup_hash r1 = hx(ref_roots[v[i].a]), r2 = hx(ref_roots[v[i].b]);
		to_proof(&v[i], &want);
		assert_int_equal(
		    jup_merkle_consistency_proof(get_leaf, &l, v[i].a, v[i].b, &got, NULL), JUP_OK);
		assert_proof_eq(&got, &want);
		assert_int_equal(jup_merkle_verify_consistency(v[i].a, v[i].b, &want, &r1, &r2),
				 JUP_OK);
	}
}

/* ---- the compact tree ---- */

static void test_incremental_matches_batch(void **state)
{
	(void)state;
	leaves l;
	many_leaves(&l);
	jup_merkle_tree t;
	jup_merkle_tree_init(&t);
	for (uint64_t n = 0; n <= MAX_LEAVES; n++) {
		jup_hash inc, batch, ranged, want = ref_mth(l.h, n);
		jup_merkle_tree_root(&t, &inc);
		assert_int_equal(jup_merkle_range_root(get_leaf, &l, 0, n, &batch, NULL), JUP_OK);
		assert_hash_eq(&inc, &want);
		assert_hash_eq(&batch, &want);
		/* a range not starting at 0 is a tree of its own */
		uint64_t from = n / 3;
		assert_int_equal(jup_merkle_range_root(get_leaf, &l, from, n, &ranged, NULL),
				 JUP_OK);
		want = ref_mth(l.h + from, n - from);
		assert_hash_eq(&ranged, &want);
		for (unsigned k = 0; k < JUP_MERKLE_FRONTIER; k++) {
			jup_hash zero = { { 0 } };
			if (!((n >> k) & 1))
				assert_hash_eq(&t.sub[k], &zero);
		}
		if (n < MAX_LEAVES)
			assert_int_equal(jup_merkle_tree_append(&t, &l.h[n], NULL), JUP_OK);
	}
}

static void test_save_restore(void **state)
{
	(void)state;
	leaves l;
	many_leaves(&l);
	jup_merkle_tree t;
	jup_merkle_tree_init(&t);
	for (uint64_t n = 0; n <= MAX_LEAVES; n++) {
		uint8_t enc[JUP_MERKLE_TREE_MAX_ENCODED];
		size_t len;
		jup_merkle_tree back, rebuilt;
		jup_merkle_tree_encode(&t, enc, &len);
		assert_int_equal(len, 8 + 32 * (size_t)__builtin_popcountll(n));
		assert_int_equal(jup_merkle_tree_decode(enc, len, &back, NULL), JUP_OK);
		assert_memory_equal(&back, &t, sizeof t);
		assert_int_equal(jup_merkle_tree_rebuild(&rebuilt, n, get_leaf, &l, NULL), JUP_OK);
		assert_memory_equal(&rebuilt, &t, sizeof t);
		/* any other length is refused */
		assert_int_equal(jup_merkle_tree_decode(enc, len - 1, &back, NULL),
				 JUP_ERR_INVALID);
		assert_int_equal(jup_merkle_tree_decode(enc, len + 32, &back, NULL),
				 JUP_ERR_INVALID);
		if (n < MAX_LEAVES)
			assert_int_equal(jup_merkle_tree_append(&t, &l.h[n], NULL), JUP_OK);
	}
	/* a plain copy resumes where the original was */
	jup_merkle_tree copy = t;
	jup_hash extra, r1, r2;
	jup_merkle_leaf_hash("x", 1, &extra);
	assert_int_equal(jup_merkle_tree_append(&t, &extra, NULL), JUP_OK);
	assert_int_equal(jup_merkle_tree_append(&copy, &extra, NULL), JUP_OK);
	jup_merkle_tree_root(&t, &r1);
	jup_merkle_tree_root(&copy, &r2);
	assert_hash_eq(&r1, &r2);
}

static void test_tree_limits(void **state)
{
	(void)state;
	jup_err err;
	jup_merkle_tree t;
	jup_hash h = { { 1 } };
	uint8_t enc[JUP_MERKLE_TREE_MAX_ENCODED] = { 0 };
	jup_merkle_tree_init(&t);
	t.size = JUP_MERKLE_MAX_SIZE;
	t.sub[63] = h;
	assert_int_equal(jup_merkle_tree_append(&t, &h, &err), JUP_ERR_LIMIT);
	assert_int_equal(t.size, JUP_MERKLE_MAX_SIZE);
	/* a tree at the limit encodes and decodes */
	size_t len;
	jup_merkle_tree back;
	jup_merkle_tree_encode(&t, enc, &len);
	assert_int_equal(len, 40);
	assert_int_equal(jup_merkle_tree_decode(enc, len, &back, NULL), JUP_OK);
	assert_memory_equal(&back, &t, sizeof t);
	/* above the limit does not */
	enc[7] = 1;
	assert_int_equal(jup_merkle_tree_decode(enc, len, &back, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_tree_decode(enc, 7, &back, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_tree_decode(enc, 0, &back, &err), JUP_ERR_INVALID);
	memset(enc, 0xff, 8);
	assert_int_equal(jup_merkle_tree_decode(enc, 8 + 64 * 32, &back, &err), JUP_ERR_INVALID);
	assert_int_equal(
	    jup_merkle_tree_rebuild(&back, JUP_MERKLE_MAX_SIZE + 1, get_leaf, NULL, &err),
	    JUP_ERR_LIMIT);
}

static void test_leaf_errors_propagate(void **state)
{
	(void)state;
	leaves l;
	jup_err err = { "" };
	jup_merkle_proof p;
	jup_hash h;
	jup_merkle_tree t;
	many_leaves(&l);
	l.fail_at = 17;
	assert_int_equal(jup_merkle_range_root(get_leaf, &l, 0, 40, &h, &err), JUP_ERR_STORE);
	assert_string_equal(err.msg, "leaf 17 unreadable");
	assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, 3, 40, &p, &err), JUP_ERR_STORE);
	assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, 20, 40, &p, &err),
			 JUP_ERR_STORE);
	jup_merkle_tree_init(&t);
	assert_int_equal(jup_merkle_tree_rebuild(&t, 40, get_leaf, &l, &err), JUP_ERR_STORE);
	assert_int_equal(t.size, 0); /* untouched */
	/* bad requests */
	assert_int_equal(jup_merkle_range_root(get_leaf, &l, 5, 4, &h, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, 4, 4, &p, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, 0, 0, &p, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, 0, UINT64_MAX, &p, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, 5, 4, &p, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, 1, UINT64_MAX, &p, &err),
			 JUP_ERR_INVALID);
	/* nothing to prove: no leaf is read */
	l.calls = 0;
	assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, 0, 40, &p, &err), JUP_OK);
	assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, 40, 40, &p, &err), JUP_OK);
	assert_int_equal(p.len, 0);
	assert_int_equal(l.calls, 0);
}

/* The documented cost: an inclusion proof reads every leaf but its own,
 * a consistency proof at most every leaf, each at most once. */
static void test_proof_cost(void **state)
{
	(void)state;
	leaves l;
	jup_merkle_proof p;
	many_leaves(&l);
	for (uint64_t n = 1; n <= PROOF_TREES; n++) {
		for (uint64_t m = 0; m < n; m++) {
			l.calls = 0;
			assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, m, n, &p, NULL),
					 JUP_OK);
			assert_int_equal(l.calls, n - 1);
			l.calls = 0;
			assert_int_equal(jup_merkle_consistency_proof(get_leaf, &l, m, n, &p, NULL),
					 JUP_OK);
			assert_true(l.calls <= n);
		}
	}
}

/* ---- every proof of every tree up to 64 leaves ---- */

/* The next byte of a proof hash to corrupt after byte b: every byte in
 * trees of up to 16 leaves; beyond that (to keep the run short under the
 * sanitizers) the first, the last and one that moves with salt. */
static size_t next_byte(size_t b, uint64_t n, uint64_t salt)
{
	size_t mid = 1 + salt % 30;
	if (n <= 16)
		return b + 1;
	return b == 0 ? mid : b == mid ? 31 : 32;
}

static void check_inclusion_mutations(const leaves *l, uint64_t m, uint64_t n,
				      const jup_merkle_proof *p, jup_hash root)
{
	jup_merkle_proof bad = *p;
	jup_hash leaf = l->h[m];
	for (size_t i = 0; i < p->len; i++) {
		for (size_t b = 0; b < 32; b = next_byte(b, n, i + m)) {
			bad.h[i].b[b] ^= 0x20;
			assert_int_equal(jup_merkle_verify_inclusion(&leaf, m, n, &bad, &root),
					 JUP_ERR_INVALID);
			bad.h[i].b[b] ^= 0x20;
		}
	}
	for (size_t b = 0; b < 32; b++) {
		jup_hash bad_leaf = leaf, bad_root = root;
		bad_leaf.b[b] ^= 1;
		bad_root.b[b] ^= 1;
		assert_int_equal(jup_merkle_verify_inclusion(&bad_leaf, m, n, p, &root),
				 JUP_ERR_INVALID);
		assert_int_equal(jup_merkle_verify_inclusion(&leaf, m, n, p, &bad_root),
				 JUP_ERR_INVALID);
	}
	for (uint64_t other = 0; other < n + 3; other++)
		if (other != m)
			assert_int_equal(jup_merkle_verify_inclusion(&leaf, other, n, p, &root),
					 JUP_ERR_INVALID);
	/* A proof does not pin the tree size by itself: another size whose
	 * path has the same shape rebuilds the same root (which is why sizes
	 * come from signed checkpoints). The iterative verifier must agree
	 * with the recursive definition on every size. */
	uint64_t sizes[] = {
		0, 1, n - 2, n - 1, n + 1, n + 2, n ^ 1, n ^ 2, n * 2, n / 2, m, m + 1
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		uint64_t size = sizes[i];
		if (size == n || size > 2 * n + 2)
			continue; /* the right size, or wrapped round */
		bool want = ref_verify_inclusion(leaf, m, size, p, root);
		assert_int_equal(jup_merkle_verify_inclusion(&leaf, m, size, p, &root),
				 want ? JUP_OK : JUP_ERR_INVALID);
	}
	if (p->len > 0) {
		bad.len = p->len - 1;
		assert_int_equal(jup_merkle_verify_inclusion(&leaf, m, n, &bad, &root),
				 JUP_ERR_INVALID);
	}
	if (p->len < JUP_MERKLE_MAX_PROOF) {
		bad = *p;
		bad.h[bad.len++] = root;
		assert_int_equal(jup_merkle_verify_inclusion(&leaf, m, n, &bad, &root),
				 JUP_ERR_INVALID);
	}
}

static void test_all_inclusion_proofs(void **state)
{
	(void)state;
	leaves l;
	many_leaves(&l);
	for (uint64_t n = 1; n <= PROOF_TREES; n++) {
		jup_hash root = ref_mth(l.h, n);
		for (uint64_t m = 0; m < n; m++) {
			jup_merkle_proof got, want = { 0 };
			ref_path(m, l.h, n, &want);
			assert_int_equal(jup_merkle_inclusion_proof(get_leaf, &l, m, n, &got, NULL),
					 JUP_OK);
			assert_proof_eq(&got, &want);
			assert_int_equal(jup_merkle_verify_inclusion(&l.h[m], m, n, &got, &root),
					 JUP_OK);
			check_inclusion_mutations(&l, m, n, &got, root);
		}
	}
}

static void check_consistency_mutations(const leaves *l, uint64_t m, uint64_t n,
					const jup_merkle_proof *p, jup_hash r1, jup_hash r2)
{
	jup_merkle_proof bad = *p;
	for (size_t i = 0; i < p->len; i++) {
		for (size_t b = 0; b < 32; b = next_byte(b, n, i + m)) {
			bad.h[i].b[b] ^= 0x10;
			assert_int_equal(jup_merkle_verify_consistency(m, n, &bad, &r1, &r2),
					 JUP_ERR_INVALID);
			bad.h[i].b[b] ^= 0x10;
		}
	}
	for (size_t b = 0; b < 32; b++) {
		jup_hash bad1 = r1, bad2 = r2;
		bad1.b[b] ^= 1;
		bad2.b[b] ^= 1;
		assert_int_equal(jup_merkle_verify_consistency(m, n, p, &bad1, &r2),
				 JUP_ERR_INVALID);
		/* the empty tree is a prefix of every tree, whatever its root */
		assert_int_equal(jup_merkle_verify_consistency(m, n, p, &r1, &bad2),
				 m == 0 ? JUP_OK : JUP_ERR_INVALID);
	}
	/* Other sizes near these: as for inclusion, the iterative verifier
	 * must agree with the recursive definition. */
	uint64_t olds[] = { 0, m - 1, m + 1, m ^ 2, m / 2, n };
	uint64_t news[] = { n - 1, n + 1, n ^ 2, n * 2, n / 2, m };
	for (size_t i = 0; i < sizeof olds / sizeof olds[0]; i++) {
		for (size_t j = 0; j < sizeof news / sizeof news[0]; j++) {
			uint64_t m2 = olds[i], n2 = news[j];
			if (m2 > 2 * n + 2 || n2 > 2 * n + 2)
				continue; /* wrapped round */
			bool want = ref_verify_consistency(m2, n2, p, r1, r2);
			assert_int_equal(jup_merkle_verify_consistency(m2, n2, p, &r1, &r2),
					 want ? JUP_OK : JUP_ERR_INVALID);
		}
	}
	if (m != n)
		assert_int_equal(jup_merkle_verify_consistency(n, m, p, &r2, &r1), JUP_ERR_INVALID);
	if (p->len > 0) {
		bad.len = p->len - 1;
		assert_int_equal(jup_merkle_verify_consistency(m, n, &bad, &r1, &r2),
				 JUP_ERR_INVALID);
	}
	if (p->len < JUP_MERKLE_MAX_PROOF) {
		bad = *p;
		bad.h[bad.len++] = r2;
		assert_int_equal(jup_merkle_verify_consistency(m, n, &bad, &r1, &r2),
				 JUP_ERR_INVALID);
	}
	(void)l;
}

static void test_all_consistency_proofs(void **state)
{
	(void)state;
	leaves l;
	many_leaves(&l);
	for (uint64_t n = 1; n <= PROOF_TREES; n++) {
		jup_hash r2 = ref_mth(l.h, n);
		for (uint64_t m = 0; m <= n; m++) {
			jup_hash r1 = ref_mth(l.h, m);
			jup_merkle_proof got, want = { 0 };
			if (m > 0 && m < n)
				ref_subproof(m, l.h, n, true, &want);
			assert_int_equal(
			    jup_merkle_consistency_proof(get_leaf, &l, m, n, &got, NULL), JUP_OK);
			assert_proof_eq(&got, &want);
			assert_int_equal(jup_merkle_verify_consistency(m, n, &got, &r1, &r2),
					 JUP_OK);
			check_consistency_mutations(&l, m, n, &got, r1, r2);
		}
	}
}

/* ---- verification of garbage ---- */

static void test_verify_garbage(void **state)
{
	(void)state;
	jup_merkle_proof p;
	jup_hash h = { { 7 } }, empty;
	jup_merkle_empty_root(&empty);
	memset(&p, 0xA5, sizeof p);
	p.len = SIZE_MAX;
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, 1, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(1, 2, &p, &h, &h), JUP_ERR_INVALID);
	p.len = JUP_MERKLE_MAX_PROOF + 1;
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, 1, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(1, 2, &p, &h, &h), JUP_ERR_INVALID);
	p.len = JUP_MERKLE_MAX_PROOF;
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, UINT64_MAX, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_inclusion(&h, UINT64_MAX - 1, UINT64_MAX, &p, &h),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_inclusion(&h, 5, JUP_MERKLE_MAX_SIZE, &p, &h),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(3, UINT64_MAX, &p, &h, &h), JUP_ERR_INVALID);
	assert_int_equal(
	    jup_merkle_verify_consistency(JUP_MERKLE_MAX_SIZE - 1, JUP_MERKLE_MAX_SIZE, &p, &h, &h),
	    JUP_ERR_INVALID);
	/* the trivial cases */
	p.len = 0;
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, 1, &p, &h), JUP_OK);
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, 0, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_inclusion(&h, 1, 1, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_inclusion(&h, 0, 2, &p, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(0, 0, &p, &empty, &empty), JUP_OK);
	assert_int_equal(jup_merkle_verify_consistency(0, 9, &p, &empty, &h), JUP_OK);
	assert_int_equal(jup_merkle_verify_consistency(0, 9, &p, &h, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(5, 5, &p, &h, &h), JUP_OK);
	assert_int_equal(jup_merkle_verify_consistency(5, 5, &p, &h, &empty), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(4, 5, &p, &h, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(5, 4, &p, &h, &h), JUP_ERR_INVALID);
	p.len = 1;
	p.h[0] = h;
	assert_int_equal(jup_merkle_verify_consistency(5, 5, &p, &h, &h), JUP_ERR_INVALID);
	assert_int_equal(jup_merkle_verify_consistency(0, 1, &p, &empty, &h), JUP_ERR_INVALID);
}

/* Large sizes work without touching every leaf: a verifier only needs the
 * path, and the deepest possible proofs fit the limit. */
static void test_deep_paths(void **state)
{
	(void)state;
	jup_merkle_proof p = { 0 };
	jup_hash leaf, root;
	jup_merkle_leaf_hash("deep", 4, &leaf);
	/* the last leaf of a tree of 2^63 leaves: 63 left siblings */
	root = leaf;
	p.len = 63;
	for (size_t i = 0; i < p.len; i++) {
		jup_merkle_leaf_hash(&i, sizeof i, &p.h[i]);
		jup_merkle_node_hash(&p.h[i], &root, &root);
	}
	assert_int_equal(jup_merkle_verify_inclusion(&leaf, JUP_MERKLE_MAX_SIZE - 1,
						     JUP_MERKLE_MAX_SIZE, &p, &root),
			 JUP_OK);
	assert_int_equal(jup_merkle_verify_inclusion(&leaf, JUP_MERKLE_MAX_SIZE - 2,
						     JUP_MERKLE_MAX_SIZE, &p, &root),
			 JUP_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_reference_roots),
		cmocka_unit_test(test_reference_inclusion),
		cmocka_unit_test(test_reference_consistency),
		cmocka_unit_test(test_incremental_matches_batch),
		cmocka_unit_test(test_save_restore),
		cmocka_unit_test(test_tree_limits),
		cmocka_unit_test(test_leaf_errors_propagate),
		cmocka_unit_test(test_proof_cost),
		cmocka_unit_test(test_all_inclusion_proofs),
		cmocka_unit_test(test_all_consistency_proofs),
		cmocka_unit_test(test_verify_garbage),
		cmocka_unit_test(test_deep_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
