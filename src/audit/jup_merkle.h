/*
 * jup_merkle.h - the Merkle tree of the audit log (RFC 9162 section 2.1,
 * the same tree as RFC 6962 section 2.1), with SHA-256.
 *
 *   leaf hash   = SHA-256(0x00 || entry bytes)
 *   node hash   = SHA-256(0x01 || left || right)
 *   MTH({})     = SHA-256() (the hash of no bytes)
 *   MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two
 *                 smaller than n
 *
 * Three parts:
 *  - jup_merkle_tree: the compact tree the log appends to. It keeps only the
 *    roots of the perfect subtrees that make up the tree (one per set bit of
 *    the size), so an append is O(log n) amortised and the whole state is a
 *    plain 2 KiB value with no pointers: save it with jup_merkle_tree_encode
 *    and restore it with jup_merkle_tree_decode after a restart.
 *  - proof generation from leaf hashes read through a callback (the log
 *    reads them from the store). No interior nodes are cached yet, so every
 *    root of a range and every proof reads each leaf hash it covers once:
 *    O(n) callback calls and hashes per proof for a tree of n leaves, with
 *    O(log n) memory. Fine for thousands of entries; a later cache of
 *    perfect-subtree hashes makes it O(log n).
 *  - proof verification (RFC 9162 2.1.3.2 and 2.1.4.2), which touches only
 *    what it is given and treats any combination it cannot prove as
 *    JUP_ERR_INVALID.
 */
#ifndef JUP_MERKLE_H
#define JUP_MERKLE_H

#include "core/jup_status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. A tree holds at most 2^63 leaves, so a tree is at most 63 levels
 * high: an inclusion proof has at most 63 hashes and a consistency proof at
 * most 64 (its height plus one). */
#define JUP_MERKLE_HASH_LEN  32
#define JUP_MERKLE_MAX_SIZE  (UINT64_C(1) << 63) /* leaves in one tree */
#define JUP_MERKLE_MAX_PROOF 64                  /* hashes in one proof */
#define JUP_MERKLE_FRONTIER  64                  /* perfect subtrees kept */
/* bytes of an encoded tree: the size, then one hash per perfect subtree */
#define JUP_MERKLE_TREE_MAX_ENCODED (8 + JUP_MERKLE_FRONTIER * JUP_MERKLE_HASH_LEN)

/* jup_hash: one SHA-256 value. */
typedef struct jup_hash {
	uint8_t b[JUP_MERKLE_HASH_LEN];
} jup_hash;

/* jup_merkle_proof: an inclusion or consistency path, deepest hash first as
 * in RFC 9162. Only h[0..len-1] are meaningful. */
typedef struct jup_merkle_proof {
	size_t len;
	jup_hash h[JUP_MERKLE_MAX_PROOF];
} jup_merkle_proof;

/* jup_merkle_tree: the compact tree. For every bit k set in size, sub[k] is
 * the root of the perfect subtree of 2^k leaves covering, left to right, the
 * leaves after those of the higher subtrees; every other slot is all zero
 * (so two trees with the same leaves are byte-for-byte equal). Initialise
 * with jup_merkle_tree_init; it may be copied freely. */
typedef struct jup_merkle_tree {
	uint64_t size;
	jup_hash sub[JUP_MERKLE_FRONTIER];
} jup_merkle_tree;

/* jup_merkle_leaf_fn: fetch the leaf hash at index (always below the tree
 * size the caller asked about) into *out. A status other than JUP_OK stops
 * the computation and is returned as it is, with err as the callback left it. */
typedef jup_status (*jup_merkle_leaf_fn)(void *ctx, uint64_t index, jup_hash *out, jup_err *err);

/* jup_merkle_leaf_hash: SHA-256(0x00 || data[0..len-1]) into *out. */
void jup_merkle_leaf_hash(const void *data, size_t len, jup_hash *out);

/* jup_merkle_node_hash: SHA-256(0x01 || left || right) into *out (out may
 * alias left or right). */
void jup_merkle_node_hash(const jup_hash *left, const jup_hash *right, jup_hash *out);

/* jup_merkle_empty_root: MTH of the empty tree, SHA-256 of no bytes. */
void jup_merkle_empty_root(jup_hash *out);

/* jup_merkle_hash_eq: true when the two hashes are equal (constant time). */
bool jup_merkle_hash_eq(const jup_hash *a, const jup_hash *b);

/* jup_merkle_tree_init: the empty tree. */
void jup_merkle_tree_init(jup_merkle_tree *t);

/* jup_merkle_tree_append: add one leaf hash at index t->size. JUP_ERR_LIMIT
 * (tree unchanged) when the tree already holds JUP_MERKLE_MAX_SIZE leaves. */
jup_status jup_merkle_tree_append(jup_merkle_tree *t, const jup_hash *leaf,
				  jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_tree_root: MTH of the tree's leaves into *out (the empty root
 * for size 0). O(log n). */
void jup_merkle_tree_root(const jup_merkle_tree *t, jup_hash *out);

/* jup_merkle_tree_rebuild: *t becomes the tree of leaves 0..size-1 read
 * through leaf (O(n)), e.g. to check a saved tree against the store.
 * JUP_ERR_LIMIT when size is above JUP_MERKLE_MAX_SIZE; otherwise what the
 * callback returns. *t is only written on success. */
jup_status jup_merkle_tree_rebuild(jup_merkle_tree *t, uint64_t size, jup_merkle_leaf_fn leaf,
				   void *ctx, jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_tree_encode: write the tree as its size (8 bytes, big-endian)
 * followed by the hashes of its perfect subtrees, largest first (one per set
 * bit of the size), into out; *len receives the byte count (at most
 * JUP_MERKLE_TREE_MAX_ENCODED). */
void jup_merkle_tree_encode(const jup_merkle_tree *t, uint8_t out[JUP_MERKLE_TREE_MAX_ENCODED],
			    size_t *len);

/* jup_merkle_tree_decode: the inverse of jup_merkle_tree_encode.
 * JUP_ERR_INVALID when the length does not match the size or the size is
 * above JUP_MERKLE_MAX_SIZE; *t is only written on success. The hashes
 * themselves cannot be checked here: compare the root with the last signed
 * checkpoint, or rebuild from the store. */
jup_status jup_merkle_tree_decode(const uint8_t *in, size_t len, jup_merkle_tree *t,
				  jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_range_root: MTH(D[begin:end]) of the leaves begin..end-1 into
 * *out (the empty root when begin == end). Reads end - begin leaf hashes.
 * JUP_ERR_USAGE when begin > end or end > JUP_MERKLE_MAX_SIZE. */
jup_status jup_merkle_range_root(jup_merkle_leaf_fn leaf, void *ctx, uint64_t begin, uint64_t end,
				 jup_hash *out, jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_inclusion_proof: PATH(index, D[0:size]) (RFC 9162 2.1.3.1)
 * into *proof. Reads size - 1 leaf hashes (every one but index).
 * JUP_ERR_INVALID when index >= size or size > JUP_MERKLE_MAX_SIZE. */
jup_status jup_merkle_inclusion_proof(jup_merkle_leaf_fn leaf, void *ctx, uint64_t index,
				      uint64_t size, jup_merkle_proof *proof,
				      jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_consistency_proof: PROOF(old_size, D[0:new_size]) (RFC 9162
 * 2.1.4.1) into *proof. Reads at most new_size leaf hashes. The proof is
 * empty when old_size is 0 or equals new_size (nothing to prove).
 * JUP_ERR_INVALID when old_size > new_size or new_size > JUP_MERKLE_MAX_SIZE. */
jup_status jup_merkle_consistency_proof(jup_merkle_leaf_fn leaf, void *ctx, uint64_t old_size,
					uint64_t new_size, jup_merkle_proof *proof,
					jup_err *err) JUP_MUST_CHECK;

/* jup_merkle_verify_inclusion: JUP_OK when proof shows that leaf is the leaf
 * hash at index in the tree of size leaves whose root is root (RFC 9162
 * 2.1.3.2); JUP_ERR_INVALID otherwise, including index >= size, a size above
 * JUP_MERKLE_MAX_SIZE and a proof of more than JUP_MERKLE_MAX_PROOF hashes.
 * As in the RFC, a proof does not pin the size by itself (another size whose
 * path has the same shape rebuilds the same root): take size and root from
 * a verified checkpoint, never from the party sending the proof. */
jup_status jup_merkle_verify_inclusion(const jup_hash *leaf, uint64_t index, uint64_t size,
				       const jup_merkle_proof *proof,
				       const jup_hash *root) JUP_MUST_CHECK;

/* jup_merkle_verify_consistency: JUP_OK when proof shows that the tree of
 * old_size leaves with root old_root is a prefix of the tree of new_size
 * leaves with root new_root (RFC 9162 2.1.4.2); JUP_ERR_INVALID otherwise.
 * The cases the RFC leaves out: equal sizes need an empty proof and equal
 * roots; old_size 0 needs an empty proof and old_root equal to the empty
 * root (any tree extends the empty one). Sizes and roots must come from
 * verified checkpoints, as for inclusion. */
jup_status jup_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
					 const jup_merkle_proof *proof, const jup_hash *old_root,
					 const jup_hash *new_root) JUP_MUST_CHECK;

#endif
