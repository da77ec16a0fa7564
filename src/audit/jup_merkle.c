/*
 * jup_merkle.c - RFC 9162 Merkle tree: hashes, the compact tree, proofs.
 *
 * Proof generation walks down from the root as the recursive definitions of
 * RFC 9162 2.1.3.1 (PATH) and 2.1.4.1 (SUBPROOF) do, noting the leaf range
 * of every sibling it passes; the hash of each range is then computed from
 * the leaf hashes. The ranges are disjoint, so a proof reads each leaf at
 * most once. Verification follows RFC 9162 2.1.3.2 and 2.1.4.2 step by step.
 */
#include "audit/jup_merkle.h"

#include <sodium.h>
#include <string.h>

typedef struct range {
	uint64_t begin, end;
} range;

void jup_merkle_leaf_hash(const void *data, size_t len, jup_hash *out)
{
	static const uint8_t prefix = 0x00;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, out->b);
}

void jup_merkle_node_hash(const jup_hash *left, const jup_hash *right, jup_hash *out)
{
	uint8_t in[1 + 2 * JUP_MERKLE_HASH_LEN];
	in[0] = 0x01;
	memcpy(in + 1, left->b, JUP_MERKLE_HASH_LEN);
	memcpy(in + 1 + JUP_MERKLE_HASH_LEN, right->b, JUP_MERKLE_HASH_LEN);
	crypto_hash_sha256(out->b, in, sizeof in);
}

void jup_merkle_empty_root(jup_hash *out)
{
	static const uint8_t none[1];
	crypto_hash_sha256(out->b, none, 0);
}

bool jup_merkle_hash_eq(const jup_hash *a, const jup_hash *b)
{
	return sodium_memcmp(a->b, b->b, JUP_MERKLE_HASH_LEN) == 0;
}

/* ---- the compact tree ---- */

void jup_merkle_tree_init(jup_merkle_tree *t)
{
	memset(t, 0, sizeof *t);
}

jup_status jup_merkle_tree_append(jup_merkle_tree *t, const jup_hash *leaf, jup_err *err)
{
	if (t->size >= JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_LIMIT, "the audit tree is full (%llu leaves)",
				   (unsigned long long)t->size);
	/* Adding one carries through the low set bits: each perfect subtree
	 * there merges with the new one and its slot empties. */
	jup_hash h = *leaf;
	unsigned k = 0;
	for (; (t->size >> k) & 1; k++) {
		jup_merkle_node_hash(&t->sub[k], &h, &h);
		memset(&t->sub[k], 0, sizeof t->sub[k]);
	}
	t->sub[k] = h;
	t->size++;
	return JUP_OK;
}

void jup_merkle_tree_root(const jup_merkle_tree *t, jup_hash *out)
{
	if (t->size == 0) {
		jup_merkle_empty_root(out);
		return;
	}
	/* The smallest subtree is the rightmost; fold the others in on its left. */
	unsigned k = 0;
	while (!((t->size >> k) & 1))
		k++;
	jup_hash r = t->sub[k];
	for (k++; k < JUP_MERKLE_FRONTIER; k++)
		if ((t->size >> k) & 1)
			jup_merkle_node_hash(&t->sub[k], &r, &r);
	*out = r;
}

/* Append leaves begin..end-1 to t. */
static jup_status append_leaves(jup_merkle_tree *t, jup_merkle_leaf_fn leaf, void *ctx,
				uint64_t begin, uint64_t end, jup_err *err)
{
	for (uint64_t i = begin; i < end; i++) {
		jup_hash h;
		jup_status st = leaf(ctx, i, &h, err);
		if (st)
			return st;
		st = jup_merkle_tree_append(t, &h, err);
		if (st)
			return st;
	}
	return JUP_OK;
}

jup_status jup_merkle_tree_rebuild(jup_merkle_tree *t, uint64_t size, jup_merkle_leaf_fn leaf,
				   void *ctx, jup_err *err)
{
	if (size > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_LIMIT, "tree size %llu is above the limit",
				   (unsigned long long)size);
	jup_merkle_tree tmp;
	jup_merkle_tree_init(&tmp);
	jup_status st = append_leaves(&tmp, leaf, ctx, 0, size, err);
	if (!st)
		*t = tmp;
	return st;
}

static unsigned popcount64(uint64_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

void jup_merkle_tree_encode(const jup_merkle_tree *t, uint8_t out[JUP_MERKLE_TREE_MAX_ENCODED],
			    size_t *len)
{
	size_t n = 0;
	for (int i = 7; i >= 0; i--)
		out[n++] = (uint8_t)(t->size >> (8 * i));
	for (int k = JUP_MERKLE_FRONTIER - 1; k >= 0; k--) {
		if (!((t->size >> k) & 1))
			continue;
		memcpy(out + n, t->sub[k].b, JUP_MERKLE_HASH_LEN);
		n += JUP_MERKLE_HASH_LEN;
	}
	*len = n;
}

jup_status jup_merkle_tree_decode(const uint8_t *in, size_t len, jup_merkle_tree *t, jup_err *err)
{
	if (len < 8)
		return jup_err_set(err, JUP_ERR_INVALID, "saved audit tree is %zu bytes, too short",
				   len);
	jup_merkle_tree tmp;
	jup_merkle_tree_init(&tmp);
	for (int i = 0; i < 8; i++)
		tmp.size = (tmp.size << 8) | in[i];
	if (tmp.size > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "saved audit tree has size %llu, above the limit",
				   (unsigned long long)tmp.size);
	size_t want = 8 + (size_t)popcount64(tmp.size) * JUP_MERKLE_HASH_LEN;
	if (len != want)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "saved audit tree of size %llu is %zu bytes, not %zu",
				   (unsigned long long)tmp.size, len, want);
	size_t n = 8;
	for (int k = JUP_MERKLE_FRONTIER - 1; k >= 0; k--) {
		if (!((tmp.size >> k) & 1))
			continue;
		memcpy(tmp.sub[k].b, in + n, JUP_MERKLE_HASH_LEN);
		n += JUP_MERKLE_HASH_LEN;
	}
	*t = tmp;
	return JUP_OK;
}

/* ---- roots of ranges and proof generation ---- */

jup_status jup_merkle_range_root(jup_merkle_leaf_fn leaf, void *ctx, uint64_t begin, uint64_t end,
				 jup_hash *out, jup_err *err)
{
	if (begin > end || end > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_USAGE, "bad leaf range %llu..%llu",
				   (unsigned long long)begin, (unsigned long long)end);
	/* D[begin:end] splits exactly as a tree of end - begin leaves does, so
	 * the compact tree of just those leaves has the same root. */
	jup_merkle_tree t;
	jup_merkle_tree_init(&t);
	jup_status st = append_leaves(&t, leaf, ctx, begin, end, err);
	if (!st)
		jup_merkle_tree_root(&t, out);
	return st;
}

/* The largest power of two below n (n >= 2): where RFC 9162 splits D[0:n]. */
static uint64_t split_point(uint64_t n)
{
	uint64_t k = 1;
	while ((k << 1) < n)
		k <<= 1;
	return k;
}

/* Fill proof->h[first..] with the roots of the sibling ranges, the last one
 * noted (the deepest) first. */
static jup_status hash_siblings(jup_merkle_leaf_fn leaf, void *ctx, const range *sib, size_t n,
				size_t first, jup_merkle_proof *proof, jup_err *err)
{
	if (first + n > JUP_MERKLE_MAX_PROOF)
		return jup_err_set(err, JUP_ERR_INTERNAL, "proof longer than %d hashes",
				   JUP_MERKLE_MAX_PROOF);
	for (size_t i = 0; i < n; i++) {
		const range *r = &sib[n - 1 - i];
		jup_status st =
		    jup_merkle_range_root(leaf, ctx, r->begin, r->end, &proof->h[first + i], err);
		if (st)
			return st;
	}
	proof->len = first + n;
	return JUP_OK;
}

jup_status jup_merkle_inclusion_proof(jup_merkle_leaf_fn leaf, void *ctx, uint64_t index,
				      uint64_t size, jup_merkle_proof *proof, jup_err *err)
{
	proof->len = 0;
	if (index >= size || size > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "no inclusion proof for leaf %llu in a tree of %llu",
				   (unsigned long long)index, (unsigned long long)size);
	range sib[JUP_MERKLE_MAX_PROOF];
	size_t n = 0;
	range cur = { 0, size };
	/* PATH(m, D_n): the sibling of the half holding the leaf, then down
	 * into that half, until one leaf is left. */
	while (cur.end - cur.begin > 1 && n < JUP_MERKLE_MAX_PROOF) {
		uint64_t mid = cur.begin + split_point(cur.end - cur.begin);
		if (index < mid) {
			sib[n++] = (range){ mid, cur.end };
			cur.end = mid;
		} else {
			sib[n++] = (range){ cur.begin, mid };
			cur.begin = mid;
		}
	}
	if (cur.end - cur.begin > 1)
		return jup_err_set(err, JUP_ERR_INTERNAL, "inclusion proof deeper than %d",
				   JUP_MERKLE_MAX_PROOF);
	return hash_siblings(leaf, ctx, sib, n, 0, proof, err);
}

jup_status jup_merkle_consistency_proof(jup_merkle_leaf_fn leaf, void *ctx, uint64_t old_size,
					uint64_t new_size, jup_merkle_proof *proof, jup_err *err)
{
	proof->len = 0;
	if (old_size > new_size || new_size > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "no consistency proof from size %llu to size %llu",
				   (unsigned long long)old_size, (unsigned long long)new_size);
	if (old_size == 0 || old_size == new_size)
		return JUP_OK;
	range sib[JUP_MERKLE_MAX_PROOF];
	size_t n = 0;
	range cur = { 0, new_size };
	uint64_t m = old_size; /* leaves of the old tree inside cur */
	bool complete = true;  /* the RFC's b: is cur's left edge the tree's? */
	/* SUBPROOF(m, D_n, b): stop when the old tree ends exactly at cur's end. */
	while (m != cur.end - cur.begin && n < JUP_MERKLE_MAX_PROOF) {
		uint64_t k = split_point(cur.end - cur.begin);
		if (m <= k) {
			sib[n++] = (range){ cur.begin + k, cur.end };
			cur.end = cur.begin + k;
		} else {
			sib[n++] = (range){ cur.begin, cur.begin + k };
			cur.begin += k;
			m -= k;
			complete = false;
		}
	}
	if (m != cur.end - cur.begin)
		return jup_err_set(err, JUP_ERR_INTERNAL, "consistency proof deeper than %d",
				   JUP_MERKLE_MAX_PROOF);
	size_t first = 0;
	if (!complete) {
		/* SUBPROOF(m, D_m, false) = {MTH(D_m)}: the verifier does not
		 * know this subtree's hash, so it leads the proof. */
		jup_status st =
		    jup_merkle_range_root(leaf, ctx, cur.begin, cur.end, &proof->h[0], err);
		if (st)
			return st;
		first = 1;
	}
	return hash_siblings(leaf, ctx, sib, n, first, proof, err);
}

/* ---- verification ---- */

/* Right-shift fn and sn together until LSB(fn) is set or fn is 0. */
static void shift_to_set_bit(uint64_t *fn, uint64_t *sn)
{
	while (!(*fn & 1) && *fn != 0) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

jup_status jup_merkle_verify_inclusion(const jup_hash *leaf, uint64_t index, uint64_t size,
				       const jup_merkle_proof *proof, const jup_hash *root)
{
	if (proof->len > JUP_MERKLE_MAX_PROOF || index >= size || size > JUP_MERKLE_MAX_SIZE)
		return JUP_ERR_INVALID;
	uint64_t fn = index, sn = size - 1;
	jup_hash r = *leaf;
	for (size_t i = 0; i < proof->len; i++) {
		const jup_hash *p = &proof->h[i];
		if (sn == 0)
			return JUP_ERR_INVALID; /* proof too long */
		if ((fn & 1) || fn == sn) {
			jup_merkle_node_hash(p, &r, &r);
			shift_to_set_bit(&fn, &sn);
		} else {
			jup_merkle_node_hash(&r, p, &r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && jup_merkle_hash_eq(&r, root) ? JUP_OK : JUP_ERR_INVALID;
}

/* RFC 9162 2.1.4.2 steps 2 to 7, for 0 < old_size < new_size and a
 * non-empty proof. */
static jup_status verify_consistency_path(uint64_t old_size, uint64_t new_size,
					  const jup_merkle_proof *proof, const jup_hash *old_root,
					  const jup_hash *new_root)
{
	size_t i = 0;
	jup_hash fr;
	/* Step 2: a perfect old tree is itself the first node of the path. */
	if ((old_size & (old_size - 1)) == 0)
		fr = *old_root;
	else
		fr = proof->h[i++];
	jup_hash sr = fr;
	uint64_t fn = old_size - 1, sn = new_size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < proof->len; i++) {
		const jup_hash *c = &proof->h[i];
		if (sn == 0)
			return JUP_ERR_INVALID; /* proof too long */
		if ((fn & 1) || fn == sn) {
			jup_merkle_node_hash(c, &fr, &fr);
			jup_merkle_node_hash(c, &sr, &sr);
			shift_to_set_bit(&fn, &sn);
		} else {
			jup_merkle_node_hash(&sr, c, &sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	bool ok = sn == 0 && jup_merkle_hash_eq(&fr, old_root) && jup_merkle_hash_eq(&sr, new_root);
	return ok ? JUP_OK : JUP_ERR_INVALID;
}

jup_status jup_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
					 const jup_merkle_proof *proof, const jup_hash *old_root,
					 const jup_hash *new_root)
{
	if (proof->len > JUP_MERKLE_MAX_PROOF || old_size > new_size ||
	    new_size > JUP_MERKLE_MAX_SIZE)
		return JUP_ERR_INVALID;
	if (old_size == new_size)
		return proof->len == 0 && jup_merkle_hash_eq(old_root, new_root) ? JUP_OK
										 : JUP_ERR_INVALID;
	if (old_size == 0) {
		jup_hash empty;
		jup_merkle_empty_root(&empty);
		return proof->len == 0 && jup_merkle_hash_eq(old_root, &empty) ? JUP_OK
									       : JUP_ERR_INVALID;
	}
	if (proof->len == 0)
		return JUP_ERR_INVALID; /* step 1 */
	return verify_consistency_path(old_size, new_size, proof, old_root, new_root);
}
