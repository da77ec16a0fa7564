/*
 * audit_proof.c - proofs of the audit log as self-contained text
 * (docs/FORMATS.md, "Audit entries and proofs"): writing them from the
 * store, parsing them strictly, verifying them offline with a public key.
 */
#include "audit/jup_audit.h"
#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

#define HEX_LEN     (2 * JUP_MERKLE_HASH_LEN)
#define PROOF_MAGIC "joinedup-audit-proof-v1"
#define MAX_NUM_LEN 19 /* digits of a size or id (JUP_MERKLE_MAX_SIZE has 19) */

/* ------------------------------------------------------------ from the store */

/* A stored checkpoint: the latest (want 0) or the one of size want. */
typedef struct stored_cp {
	uint64_t want;
	bool found;
	uint64_t size;
	jup_hash root;
	jup_buf note;
} stored_cp;

static jup_status cp_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	stored_cp *c = ctx;
	const jup_value *size = &vals[JUP_ACP_TREE_SIZE], *root = &vals[JUP_ACP_ROOT];
	const jup_value *note = &vals[JUP_ACP_NOTE];
	if (size->type != JUP_V_INT || size->i < 1 || root->type != JUP_V_TEXT ||
	    note->type != JUP_V_TEXT || !jup_audit_hash_parse(root->s, &c->root))
		return jup_err_set(err, JUP_ERR_INVALID, "audit checkpoint %lld is malformed",
				   (long long)id);
	if (c->want && (uint64_t)size->i != c->want)
		return JUP_OK;
	c->found = true;
	c->size = (uint64_t)size->i;
	jup_buf_reset(&c->note);
	jup_status r = jup_buf_append_sv(&c->note, note->s);
	if (r)
		return jup_err_set(err, r, "audit checkpoint %lld: note too long", (long long)id);
	return JUP_OK;
}

static jup_status find_cp(jup_store *st, stored_cp *c, jup_err *err)
{
	jup_status r = jup_store_scan(st, JUP_TABLE_AUDIT_CHECKPOINT, NULL, 0, cp_row, c, err);
	if (!r && !c->found && c->want)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no audit checkpoint at size %llu",
				(unsigned long long)c->want);
	else if (!r && !c->found)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND,
				"no audit checkpoint yet: make one with joinedup audit checkpoint");
	return r;
}

/* The leaf hashes of entries 1..size, in order. */
typedef struct leaves {
	jup_hash *h;
	size_t n, cap;
	uint64_t size;
} leaves;

static jup_status leaf_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	leaves *l = ctx;
	if (l->n == l->size)
		return JUP_OK;
	const jup_value *lh = &vals[JUP_AUDIT_LEAF_HASH];
	jup_hash h;
	if (id != (int64_t)l->n + 1 || lh->type != JUP_V_TEXT || !jup_audit_hash_parse(lh->s, &h))
		return jup_err_set(
			err, JUP_ERR_INVALID,
			"audit entry %lld is missing or malformed: run joinedup audit verify",
			(long long)l->n + 1);
	jup_hash *grown = jup_array_grow(l->h, &l->cap, l->n, sizeof *l->h, 256);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading leaf hashes");
	l->h = grown;
	l->h[l->n++] = h;
	return JUP_OK;
}

static jup_status load_leaves(jup_store *st, leaves *l, jup_err *err)
{
	jup_status r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, NULL, 0, leaf_row, l, err);
	if (!r && l->n != l->size)
		r = jup_err_set(
			err, JUP_ERR_INVALID,
			"the log holds %zu entries, fewer than its checkpoint: run joinedup "
			"audit verify",
			l->n);
	return r;
}

static jup_status leaf_at(void *ctx, uint64_t index, jup_hash *out, jup_err *err)
{
	(void)err;
	*out = ((const leaves *)ctx)->h[index];
	return JUP_OK;
}

/* ------------------------------------------------------------ writing */

static jup_status put_hash_line(jup_buf *out, const char *key, const jup_hash *h)
{
	char hex[HEX_LEN + 1];
	jup_audit_hash_hex(h, hex);
	return key ? jup_buf_appendf(out, "%s %s\n", key, hex) : jup_buf_appendf(out, "%s\n", hex);
}

static jup_status put_path(jup_buf *out, const jup_merkle_proof *p)
{
	jup_status r = jup_buf_appendf(out, "hashes %zu\n", p->len);
	for (size_t i = 0; !r && i < p->len; i++)
		r = put_hash_line(out, NULL, &p->h[i]);
	return r;
}

static jup_status put_note(jup_buf *out, const char *key, jup_sv note)
{
	jup_status r = jup_buf_appendf(out, "%s %zu\n", key, note.len);
	return r ? r : jup_buf_append_sv(out, note);
}

static jup_status put_fields(jup_buf *out, const jup_audit_fields *f)
{
	jup_status r = JUP_OK;
	for (int i = 0; !r && i < JUP_AUDIT_F__N; i++) {
		const char *name = jup_audit_field_name((jup_audit_field)i);
		if (f->f[i].ptr)
			r = jup_buf_appendf(out, "%s %.*s\n", name, (int)f->f[i].len, f->f[i].ptr);
		else
			r = jup_buf_appendf(out, "%s\n", name);
	}
	return r;
}

/* The entry's own part of an inclusion proof, read from its row. */
typedef struct entry_part {
	jup_buf *out;
	bool found;
} entry_part;

static jup_status entry_part_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	entry_part *p = ctx;
	jup_audit_record rec;
	char num[24];
	jup_hash prev;
	jup_audit_record_from_row(id, vals, &rec, num);
	const jup_value *ph = &vals[JUP_AUDIT_PREV_HASH];
	if (jup_audit_fields_check(&rec.f, err) || ph->type != JUP_V_TEXT ||
	    !jup_audit_hash_parse(ph->s, &prev))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit entry %lld is malformed: run joinedup audit verify",
				   (long long)id);
	p->found = true;
	jup_status r = jup_buf_appendf(p->out, "entry %lld\n", (long long)id);
	if (!r)
		r = put_fields(p->out, &rec.f);
	if (!r)
		r = put_hash_line(p->out, "prev_hash", &prev);
	return r;
}

static jup_status write_inclusion(jup_store *st, int64_t entry_id, const stored_cp *cp,
				  const leaves *l, jup_buf *out, jup_err *err)
{
	jup_merkle_proof path;
	jup_status r = jup_merkle_inclusion_proof(leaf_at, (void *)l, (uint64_t)entry_id - 1,
						  cp->size, &path, err);
	if (r)
		return r;
	entry_part part = { .out = out };
	jup_match id = { JUP_COL_ID, jup_v_int(entry_id) };
	r = jup_buf_append_cstr(out, PROOF_MAGIC "\ninclusion\n");
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &id, 1, entry_part_row, &part, err);
	if (r)
		return r;
	r = jup_buf_appendf(out, "leaf_index %lld\ntree_size %llu\n", (long long)entry_id - 1,
			    (unsigned long long)cp->size);
	if (!r)
		r = put_path(out, &path);
	if (!r)
		r = put_note(out, "checkpoint", jup_buf_sv(&cp->note));
	if (r && r != JUP_ERR_INVALID)
		r = jup_err_set(err, r, "audit proof: %s", jup_strerror(r));
	return r;
}

jup_status jup_audit_prove(jup_store *st, int64_t entry_id, jup_buf *out, jup_err *err)
{
	stored_cp cp = { 0 };
	leaves l = { 0 };
	jup_buf_init(&cp.note, JUP_CHECKPOINT_MAX_NOTE);
	size_t start = out->len;
	jup_status r = find_cp(st, &cp, err);
	if (!r && (entry_id < 1 || (uint64_t)entry_id > cp.size))
		r = jup_err_set(err, JUP_ERR_NOT_FOUND,
				"entry %lld is not covered by the latest checkpoint (size %llu)%s",
				(long long)entry_id, (unsigned long long)cp.size,
				entry_id > 0 ? ": make a new checkpoint first" : "");
	l.size = cp.size;
	if (!r)
		r = load_leaves(st, &l, err);
	if (!r)
		r = write_inclusion(st, entry_id, &cp, &l, out, err);
	if (r)
		out->len = start;
	free(l.h);
	jup_buf_free(&cp.note);
	return r;
}

jup_status jup_audit_prove_consistency(jup_store *st, uint64_t old_size, jup_buf *out, jup_err *err)
{
	stored_cp old = { .want = old_size }, cp = { 0 };
	leaves l = { 0 };
	jup_merkle_proof path;
	jup_buf_init(&old.note, JUP_CHECKPOINT_MAX_NOTE);
	jup_buf_init(&cp.note, JUP_CHECKPOINT_MAX_NOTE);
	size_t start = out->len;
	jup_status r =
		old_size ? find_cp(st, &old, err)
			 : jup_err_set(err, JUP_ERR_NOT_FOUND, "no audit checkpoint at size 0");
	if (!r)
		r = find_cp(st, &cp, err);
	l.size = cp.size;
	if (!r)
		r = load_leaves(st, &l, err);
	if (!r)
		r = jup_merkle_consistency_proof(leaf_at, &l, old.size, cp.size, &path, err);
	if (!r)
		r = jup_buf_appendf(out,
				    PROOF_MAGIC "\nconsistency\nold_size %llu\ntree_size %llu\n",
				    (unsigned long long)old.size, (unsigned long long)cp.size);
	if (!r)
		r = put_path(out, &path);
	if (!r)
		r = put_note(out, "old_checkpoint", jup_buf_sv(&old.note));
	if (!r)
		r = put_note(out, "checkpoint", jup_buf_sv(&cp.note));
	if (r)
		out->len = start;
	free(l.h);
	jup_buf_free(&old.note);
	jup_buf_free(&cp.note);
	return r;
}

/* ------------------------------------------------------------ parsing */

typedef struct cursor {
	jup_sv text;
	size_t pos;
	int line; /* the number of the line last read */
} cursor;

static jup_status bad(const cursor *c, jup_err *err, const char *why)
{
	return jup_err_set(err, JUP_ERR_INVALID, "proof line %d: %s", c->line, why);
}

static jup_status next_line(cursor *c, jup_sv *line, jup_err *err)
{
	c->line++;
	const char *p = c->text.ptr + c->pos;
	const char *nl = memchr(p, '\n', c->text.len - c->pos);
	if (!nl)
		return bad(c, err, c->pos == c->text.len ? "missing" : "no final newline");
	*line = (jup_sv){ p, (size_t)(nl - p) };
	c->pos += line->len + 1;
	return JUP_OK;
}

/* The line "KEY" (value NULL, ptr NULL) or "KEY VALUE" (value non-empty). */
static jup_status keyed(cursor *c, const char *key, jup_sv *value, jup_err *err)
{
	jup_sv line;
	jup_status r = next_line(c, &line, err);
	if (r)
		return r;
	size_t k = strlen(key);
	if (line.len < k || memcmp(line.ptr, key, k) != 0 || (line.len > k && line.ptr[k] != ' '))
		return jup_err_set(err, JUP_ERR_INVALID, "proof line %d: expected \"%s\"", c->line,
				   key);
	*value = line.len == k ? (jup_sv){ NULL, 0 }
			       : (jup_sv){ line.ptr + k + 1, line.len - k - 1 };
	return JUP_OK;
}

static bool parse_u64(jup_sv s, uint64_t *out)
{
	if (!s.ptr || s.len == 0 || s.len > MAX_NUM_LEN || (s.ptr[0] == '0' && s.len > 1))
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	if (v > JUP_MERKLE_MAX_SIZE)
		return false;
	*out = v;
	return true;
}

static jup_status keyed_u64(cursor *c, const char *key, uint64_t *out, jup_err *err)
{
	jup_sv v;
	jup_status r = keyed(c, key, &v, err);
	if (!r && !parse_u64(v, out))
		r = jup_err_set(err, JUP_ERR_INVALID, "proof line %d: %s: not a number in range",
				c->line, key);
	return r;
}

static jup_status keyed_hash(cursor *c, const char *key, jup_hash *out, jup_err *err)
{
	jup_sv v = { NULL, 0 };
	jup_status r = key ? keyed(c, key, &v, err) : next_line(c, &v, err);
	if (!r && (!v.ptr || !jup_audit_hash_parse(v, out)))
		r = bad(c, err, "not a hash (64 lower-case hex digits)");
	return r;
}

static jup_status parse_path(cursor *c, jup_merkle_proof *p, jup_err *err)
{
	uint64_t n;
	jup_status r = keyed_u64(c, "hashes", &n, err);
	if (!r && n > JUP_MERKLE_MAX_PROOF)
		return jup_err_set(err, JUP_ERR_LIMIT, "proof line %d: more than %d hashes",
				   c->line, JUP_MERKLE_MAX_PROOF);
	p->len = r ? 0 : (size_t)n;
	for (size_t i = 0; !r && i < p->len; i++)
		r = keyed_hash(c, NULL, &p->h[i], err);
	return r;
}

/* "KEY LENGTH\n" then exactly LENGTH bytes of a signed note. */
static jup_status parse_note(cursor *c, const char *key, jup_sv *note, jup_err *err)
{
	uint64_t n;
	jup_status r = keyed_u64(c, key, &n, err);
	if (r)
		return r;
	if (n == 0 || n > JUP_CHECKPOINT_MAX_NOTE)
		return bad(c, err, "note length out of range");
	if (n > c->text.len - c->pos)
		return bad(c, err, "the note is cut short");
	*note = (jup_sv){ c->text.ptr + c->pos, (size_t)n };
	c->pos += (size_t)n;
	for (size_t i = 0; i < note->len; i++) /* keep line numbers right */
		c->line += note->ptr[i] == '\n';
	return JUP_OK;
}

static jup_status parse_entry(cursor *c, jup_audit_proof *p, jup_err *err)
{
	uint64_t id;
	jup_status r = keyed_u64(c, "entry", &id, err);
	if (!r && id == 0)
		r = bad(c, err, "entry ids start at 1");
	for (int i = 0; !r && i < JUP_AUDIT_F__N; i++)
		r = keyed(c, jup_audit_field_name((jup_audit_field)i), &p->fields.f[i], err);
	if (!r)
		r = jup_audit_fields_check(&p->fields, err);
	if (!r)
		r = keyed_hash(c, "prev_hash", &p->prev, err);
	if (!r)
		r = keyed_u64(c, "leaf_index", &p->leaf_index, err);
	if (!r && p->leaf_index != id - 1)
		r = bad(c, err, "leaf_index is not the entry id less one");
	p->entry_id = (int64_t)id;
	return r;
}

static jup_status parse_body(cursor *c, jup_audit_proof *p, jup_err *err)
{
	jup_sv line;
	jup_status r = next_line(c, &line, err);
	if (!r && !jup_sv_eq_cstr(line, PROOF_MAGIC))
		return bad(c, err, "not a joinedup audit proof (v1)");
	if (!r)
		r = next_line(c, &line, err);
	if (r)
		return r;
	if (jup_sv_eq_cstr(line, "inclusion"))
		p->kind = JUP_AUDIT_PROOF_INCLUSION;
	else if (jup_sv_eq_cstr(line, "consistency"))
		p->kind = JUP_AUDIT_PROOF_CONSISTENCY;
	else
		return bad(c, err, "expected \"inclusion\" or \"consistency\"");
	if (p->kind == JUP_AUDIT_PROOF_INCLUSION)
		r = parse_entry(c, p, err);
	else
		r = keyed_u64(c, "old_size", &p->old_size, err);
	if (!r)
		r = keyed_u64(c, "tree_size", &p->size, err);
	if (!r)
		r = parse_path(c, &p->path, err);
	if (!r && p->kind == JUP_AUDIT_PROOF_CONSISTENCY)
		r = parse_note(c, "old_checkpoint", &p->old_note, err);
	if (!r)
		r = parse_note(c, "checkpoint", &p->note, err);
	if (!r && c->pos != c->text.len)
		r = jup_err_set(err, JUP_ERR_INVALID, "proof: bytes after the last checkpoint");
	return r;
}

jup_status jup_audit_proof_parse(jup_sv text, jup_audit_proof *out, jup_err *err)
{
	if (text.len > JUP_AUDIT_MAX_PROOF)
		return jup_err_set(err, JUP_ERR_LIMIT, "proof: longer than %d bytes",
				   JUP_AUDIT_MAX_PROOF);
	memset(out, 0, sizeof *out);
	cursor c = { .text = text };
	return parse_body(&c, out, err);
}

/* ------------------------------------------------------------ verifying */

static jup_status open_note(jup_sv note, const char *what, const jup_checkpoint_pubkey *key,
			    uint64_t size, jup_checkpoint *cp, jup_err *err)
{
	jup_err e2;
	if (jup_checkpoint_open(note, key, cp, &e2))
		return jup_err_set(err, JUP_ERR_INVALID, "proof: %s: %s", what, e2.msg);
	if (cp->size != size)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "proof: the %s is of size %llu, not the size the proof states",
				   what, (unsigned long long)cp->size);
	return JUP_OK;
}

static jup_status verify_inclusion(const jup_audit_proof *p, const jup_checkpoint_pubkey *key,
				   jup_checkpoint *cp, jup_err *err)
{
	jup_hash leaf;
	jup_status r = open_note(p->note, "checkpoint", key, p->size, cp, err);
	if (!r)
		r = jup_audit_leaf(p->entry_id, &p->fields, &p->prev, &leaf, err);
	if (!r && jup_merkle_verify_inclusion(&leaf, p->leaf_index, p->size, &p->path, &cp->root))
		r = jup_err_set(
			err, JUP_ERR_INVALID,
			"proof: entry %lld is not in the signed tree of size %llu (the entry "
			"or the path was altered)",
			(long long)p->entry_id, (unsigned long long)p->size);
	return r;
}

static jup_status verify_consistency(const jup_audit_proof *p, const jup_checkpoint_pubkey *key,
				     jup_checkpoint *cp, jup_err *err)
{
	jup_checkpoint old;
	jup_status r = open_note(p->old_note, "old checkpoint", key, p->old_size, &old, err);
	if (!r)
		r = open_note(p->note, "checkpoint", key, p->size, cp, err);
	if (!r && strcmp(old.origin, cp->origin) != 0)
		r = jup_err_set(err, JUP_ERR_INVALID, "proof: the checkpoints are of two logs");
	if (!r &&
	    jup_merkle_verify_consistency(p->old_size, p->size, &p->path, &old.root, &cp->root))
		r = jup_err_set(
			err, JUP_ERR_INVALID,
			"proof: the tree of size %llu does not extend the tree of size %llu",
			(unsigned long long)p->size, (unsigned long long)p->old_size);
	return r;
}

jup_status jup_audit_verify_proof(jup_sv text, const jup_checkpoint_pubkey *key,
				  jup_audit_proof_result *res, jup_err *err)
{
	jup_audit_proof p;
	jup_checkpoint cp;
	jup_status r = jup_audit_proof_parse(text, &p, err);
	if (r)
		return r;
	r = p.kind == JUP_AUDIT_PROOF_INCLUSION ? verify_inclusion(&p, key, &cp, err)
						: verify_consistency(&p, key, &cp, err);
	if (r)
		return r;
	memset(res, 0, sizeof *res);
	res->kind = p.kind;
	res->entry_id = p.entry_id;
	res->old_size = p.old_size;
	res->size = p.size;
	res->root = cp.root;
	memcpy(res->origin, cp.origin, sizeof res->origin);
	return JUP_OK;
}
