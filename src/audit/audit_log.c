/*
 * audit_log.c - the audit log over the store: append (O(log n), inside the
 * caller's transaction; a block's person run when it fills), verify
 * (everything, one pass) and checkpoint.
 */
#include "audit/audit_internal.h"
#include "core/jup_array.h"
#include "core/jup_date.h"
#include "core/jup_hex.h"

#include <stdlib.h>
#include <string.h>

#define HEX_LEN (2 * JUP_MERKLE_HASH_LEN)

/* ------------------------------------------------------------ state */

/* audit_state: the compact tree after the last entry and that entry's leaf
 * hash (zeros and the empty tree when there is no row yet), as a batch
 * holds it. */
typedef jup_audit_batch log_state;

static jup_status state_bad(jup_err *err, const char *what)
{
	return jup_err_set(err, JUP_ERR_INVALID, "audit state: %s is malformed", what);
}

static jup_status state_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	log_state *s = ctx;
	const jup_value *tree = &v[JUP_ASTATE_TREE], *last = &v[JUP_ASTATE_LAST_HASH];
	uint8_t raw[JUP_MERKLE_TREE_MAX_ENCODED];
	if (tree->type != JUP_V_TEXT || tree->s.len % 2 || tree->s.len > 2 * sizeof raw ||
	    !jup_hex_decode(tree->s, raw, tree->s.len / 2))
		return state_bad(err, "tree");
	if (jup_merkle_tree_decode(raw, tree->s.len / 2, &s->tree, err))
		return state_bad(err, "tree");
	if (last->type != JUP_V_TEXT || !jup_audit_hash_parse(last->s, &s->last))
		return state_bad(err, "last_hash");
	s->existed = true;
	return JUP_OK;
}

static jup_status read_state(jup_store *st, log_state *s, jup_err *err)
{
	memset(s, 0, sizeof *s);
	jup_merkle_tree_init(&s->tree);
	jup_match one = { JUP_COL_ID, jup_v_int(1) };
	return jup_store_scan(st, JUP_TABLE_AUDIT_STATE, &one, 1, state_row, s, err);
}

jup_status jup_audit_size(jup_store *st, int64_t *n, jup_err *err)
{
	log_state s;
	jup_status r = read_state(st, &s, err);
	*n = r ? 0 : (int64_t)s.tree.size;
	return r;
}

static jup_status write_state(jup_store *st, const log_state *s, jup_err *err)
{
	uint8_t raw[JUP_MERKLE_TREE_MAX_ENCODED];
	char tree_hex[2 * JUP_MERKLE_TREE_MAX_ENCODED + 1], last_hex[HEX_LEN + 1];
	size_t len;
	jup_merkle_tree_encode(&s->tree, raw, &len);
	jup_hex_encode(raw, len, tree_hex);
	jup_audit_hash_hex(&s->last, last_hex);
	jup_match set[] = { { JUP_ASTATE_TREE, jup_v_text((jup_sv){ tree_hex, 2 * len }) },
			    { JUP_ASTATE_LAST_HASH, jup_v_cstr(last_hex) } };
	if (s->existed) {
		jup_match one = { JUP_COL_ID, jup_v_int(1) };
		return jup_store_update(st, JUP_TABLE_AUDIT_STATE, &one, 1, set, 2, NULL, err);
	}
	jup_value vals[JUP_ASTATE__N] = { set[0].v, set[1].v };
	int64_t rowid;
	jup_status r = jup_store_insert(st, JUP_TABLE_AUDIT_STATE, vals, NULL, &rowid, err);
	if (!r && rowid != 1)
		r = jup_err_set(err, JUP_ERR_INTERNAL, "audit state got row %lld, not 1",
				(long long)rowid);
	return r;
}

/* ------------------------------------------------------------ append */

static jup_sv opt(const char *s)
{
	return s && *s ? jup_sv_from(s) : (jup_sv){ NULL, 0 };
}

/* The entry's fields; "" is NULL, recorded_at defaults to now. */
static void entry_fields(const jup_audit_entry *e, char now[21], char num[24], jup_audit_fields *f)
{
	memset(f, 0, sizeof *f);
	f->f[JUP_AUDIT_F_RECORDED_AT] = opt(e->recorded_at);
	if (!f->f[JUP_AUDIT_F_RECORDED_AT].ptr) {
		jup_date_now_utc(now);
		f->f[JUP_AUDIT_F_RECORDED_AT] = jup_sv_from(now);
	}
	f->f[JUP_AUDIT_F_ACTOR] = opt(e->actor);
	f->f[JUP_AUDIT_F_ROLE] = opt(e->role);
	f->f[JUP_AUDIT_F_ORG_CODE] = opt(e->org_code);
	f->f[JUP_AUDIT_F_PURPOSE] = opt(e->purpose);
	f->f[JUP_AUDIT_F_ACTION] = opt(e->action);
	f->f[JUP_AUDIT_F_WHAT] = opt(e->what);
	f->f[JUP_AUDIT_F_OUTCOME] = opt(e->outcome);
	f->f[JUP_AUDIT_F_REASON] = opt(e->reason);
	f->f[JUP_AUDIT_F_BREAK_GLASS] = opt(e->break_glass);
	f->f[JUP_AUDIT_F_REQUEST_ID] = opt(e->request_id);
	if (e->person_id) {
		size_t len;
		const char *d = jup_fmt_i64(num, e->person_id, &len);
		memmove(num, d, len);
		f->f[JUP_AUDIT_F_PERSON_ID] = (jup_sv){ num, len };
	}
}

static jup_value text_or_null(jup_sv s)
{
	return s.ptr ? jup_v_text(s) : jup_v_null();
}

static jup_status insert_entry(jup_store *st, const jup_audit_fields *f, int64_t person_id,
			       const jup_hash *prev, const jup_hash *leaf, int64_t *rowid,
			       jup_err *err)
{
	char prev_hex[HEX_LEN + 1], leaf_hex[HEX_LEN + 1];
	jup_audit_hash_hex(prev, prev_hex);
	jup_audit_hash_hex(leaf, leaf_hex);
	jup_value v[JUP_AUDIT__N] = {
		[JUP_AUDIT_RECORDED_AT] = text_or_null(f->f[JUP_AUDIT_F_RECORDED_AT]),
		[JUP_AUDIT_ACTOR] = text_or_null(f->f[JUP_AUDIT_F_ACTOR]),
		[JUP_AUDIT_ROLE] = text_or_null(f->f[JUP_AUDIT_F_ROLE]),
		[JUP_AUDIT_ORG_CODE] = text_or_null(f->f[JUP_AUDIT_F_ORG_CODE]),
		[JUP_AUDIT_PURPOSE] = text_or_null(f->f[JUP_AUDIT_F_PURPOSE]),
		[JUP_AUDIT_PERSON_ID] = person_id ? jup_v_int(person_id) : jup_v_null(),
		[JUP_AUDIT_ACTION] = text_or_null(f->f[JUP_AUDIT_F_ACTION]),
		[JUP_AUDIT_WHAT] = text_or_null(f->f[JUP_AUDIT_F_WHAT]),
		[JUP_AUDIT_OUTCOME] = text_or_null(f->f[JUP_AUDIT_F_OUTCOME]),
		[JUP_AUDIT_REASON] = text_or_null(f->f[JUP_AUDIT_F_REASON]),
		[JUP_AUDIT_BREAK_GLASS] = text_or_null(f->f[JUP_AUDIT_F_BREAK_GLASS]),
		[JUP_AUDIT_REQUEST_ID] = text_or_null(f->f[JUP_AUDIT_F_REQUEST_ID]),
		[JUP_AUDIT_PREV_HASH] = jup_v_cstr(prev_hex),
		[JUP_AUDIT_LEAF_HASH] = jup_v_cstr(leaf_hex),
	};
	return jup_store_insert(st, JUP_TABLE_AUDIT_ENTRY, v, NULL, rowid, err);
}

jup_status jup_audit_batch_begin(jup_store *st, jup_audit_batch *b, jup_err *err)
{
	return read_state(st, b, err);
}

jup_status jup_audit_batch_append(jup_store *st, jup_audit_batch *b, const jup_audit_entry *e,
				  int64_t *id, jup_err *err)
{
	char now[21], num[24];
	jup_audit_fields f;
	entry_fields(e, now, num, &f);
	jup_status r = jup_audit_fields_check(&f, err);
	if (r)
		return r;
	int64_t next = (int64_t)b->tree.size + 1, rowid = 0;
	jup_hash leaf;
	jup_merkle_tree tree = b->tree;
	r = jup_audit_leaf(next, &f, &b->last, &leaf, err);
	if (!r)
		r = jup_merkle_tree_append(&tree, &leaf, err);
	if (!r)
		r = insert_entry(st, &f, e->person_id, &b->last, &leaf, &rowid, err);
	if (!r && rowid != next)
		r = jup_err_set(err, JUP_ERR_INVALID,
				"audit log: the new entry got id %lld but the audit state expects "
				"%lld (run joinedup audit verify)",
				(long long)rowid, (long long)next);
	if (!r && next % JUP_AUDIT_BLOCK == 0)
		r = audit_run_write(st, next, err);
	if (r)
		return r;
	b->tree = tree;
	b->last = leaf;
	b->appended++;
	if (id)
		*id = next;
	return JUP_OK;
}

jup_status jup_audit_batch_end(jup_store *st, jup_audit_batch *b, jup_err *err)
{
	jup_status r = b->appended ? write_state(st, b, err) : JUP_OK;
	if (!r)
		b->existed = true, b->appended = 0;
	return r;
}

jup_status jup_audit_append(jup_store *st, const jup_audit_entry *e, int64_t *id, jup_err *err)
{
	jup_audit_batch b;
	jup_status r = jup_audit_batch_begin(st, &b, err);
	if (!r)
		r = jup_audit_batch_append(st, &b, e, id, err);
	if (!r)
		r = jup_audit_batch_end(st, &b, err);
	return r;
}

/* ------------------------------------------------------------ verify */

typedef struct cp_row {
	int64_t id;
	uint64_t size;
	jup_hash root;
} cp_row;

typedef struct verifier {
	jup_store *st;
	const jup_checkpoint_pubkey *key;
	jup_audit_report *rep;
	jup_merkle_tree tree;
	jup_hash last;
	cp_row *cps;
	size_t ncps, cap, next_cp;
	audit_run_check runs;
} verifier;

static jup_status cp_bad(verifier *v, int64_t id, jup_err *err, const char *why, const char *detail)
{
	v->rep->bad_checkpoint = id;
	return jup_err_set(err, JUP_ERR_INVALID, "audit checkpoint %lld: %s%s%s", (long long)id,
			   why, detail ? ": " : "", detail ? detail : "");
}

/* The note says what the row says (and, with a key, is signed by it). */
static jup_status cp_note(verifier *v, int64_t id, jup_sv note, const cp_row *row, jup_err *err)
{
	jup_checkpoint cp;
	jup_checkpoint_note n;
	jup_err e2;
	jup_status r = v->key ? jup_checkpoint_open(note, v->key, &cp, &e2)
			      : jup_checkpoint_note_parse(note, &n, &e2);
	if (!r && !v->key)
		r = jup_checkpoint_parse_text(n.text, &cp, &e2);
	if (r)
		return cp_bad(v, id, err,
			      v->key ? "its note does not verify with the key"
				     : "its note is malformed",
			      e2.msg);
	if (cp.size != row->size || !jup_merkle_hash_eq(&cp.root, &row->root))
		return cp_bad(v, id, err, "its note states another size or root than its row",
			      NULL);
	return JUP_OK;
}

static jup_status cp_row_fn(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	verifier *v = ctx;
	cp_row row = { .id = id };
	const jup_value *size = &vals[JUP_ACP_TREE_SIZE], *root = &vals[JUP_ACP_ROOT];
	const jup_value *note = &vals[JUP_ACP_NOTE];
	if (size->type != JUP_V_INT || size->i < 1 || root->type != JUP_V_TEXT ||
	    !jup_audit_hash_parse(root->s, &row.root) || note->type != JUP_V_TEXT)
		return cp_bad(v, id, err, "its row is malformed", NULL);
	row.size = (uint64_t)size->i;
	if (v->ncps && row.size <= v->cps[v->ncps - 1].size)
		return cp_bad(v, id, err, "its size is not above the previous checkpoint's", NULL);
	jup_status r = cp_note(v, id, note->s, &row, err);
	if (r)
		return r;
	cp_row *grown = jup_array_grow(v->cps, &v->cap, v->ncps, sizeof *v->cps, 16);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading checkpoints");
	v->cps = grown;
	v->cps[v->ncps++] = row;
	return JUP_OK;
}

static jup_status entry_bad(verifier *v, int64_t id, jup_err *err, const char *why)
{
	v->rep->bad_entry = id;
	return jup_err_set(err, JUP_ERR_INVALID, "audit entry %lld %s", (long long)id, why);
}

/* Checkpoints at the tree's current size: their root is the tree's. */
static jup_status check_cps_at_size(verifier *v, jup_err *err)
{
	jup_hash root;
	jup_merkle_tree_root(&v->tree, &root);
	for (; v->next_cp < v->ncps && v->cps[v->next_cp].size == v->tree.size; v->next_cp++) {
		const cp_row *c = &v->cps[v->next_cp];
		if (!jup_merkle_hash_eq(&c->root, &root))
			return cp_bad(v, c->id, err,
				      "its root is not the root of the entries it covers", NULL);
		v->rep->checkpoints++;
	}
	return JUP_OK;
}

static jup_status entry_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	verifier *v = ctx;
	int64_t want = (int64_t)v->tree.size + 1;
	if (id != want)
		return entry_bad(v, want, err, "was removed (or its id changed)");
	jup_audit_record rec;
	char num[24];
	jup_audit_record_from_row(id, vals, &rec, num);
	jup_hash leaf, stored, prev;
	jup_status r = jup_audit_leaf(id, &rec.f, &v->last, &leaf, err);
	if (r)
		return r;
	const jup_value *lh = &vals[JUP_AUDIT_LEAF_HASH], *ph = &vals[JUP_AUDIT_PREV_HASH];
	if (lh->type != JUP_V_TEXT || !jup_audit_hash_parse(lh->s, &stored) ||
	    !jup_merkle_hash_eq(&stored, &leaf))
		return entry_bad(v, id, err,
				 "was altered or moved: its contents do not give its leaf hash");
	if (ph->type != JUP_V_TEXT || !jup_audit_hash_parse(ph->s, &prev) ||
	    !jup_merkle_hash_eq(&prev, &v->last))
		return entry_bad(
			v, id, err,
			"was altered: its prev_hash is not the previous entry's leaf hash");
	r = jup_merkle_tree_append(&v->tree, &leaf, err);
	if (r)
		return r;
	v->last = leaf;
	v->rep->entries++;
	r = check_cps_at_size(v, err);
	if (!r)
		r = audit_run_check_entry(v->st, &v->runs, id, rec.person_id, err);
	return r;
}

/* After the entries: the state and the checkpoints beyond the log. */
static jup_status check_state(jup_store *st, verifier *v, jup_err *err)
{
	log_state s;
	jup_status r = read_state(st, &s, err);
	if (r)
		return r;
	if (!s.existed && v->tree.size)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit state is missing but the log holds %llu entries",
				   (unsigned long long)v->tree.size);
	if (s.tree.size > v->tree.size)
		return entry_bad(v, (int64_t)v->tree.size + 1, err,
				 "was removed: the audit state counts more entries than the log");
	if (s.tree.size < v->tree.size)
		return entry_bad(v, (int64_t)s.tree.size + 1, err,
				 "is not in the audit state: added behind the log's back");
	if (memcmp(&s.tree, &v->tree, sizeof s.tree) != 0 ||
	    (s.existed && !jup_merkle_hash_eq(&s.last, &v->last)))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit state does not match the entries: it was altered");
	if (v->next_cp < v->ncps)
		return cp_bad(v, v->cps[v->next_cp].id, err,
			      "it covers more entries than the log holds", NULL);
	return JUP_OK;
}

jup_status jup_audit_verify(jup_store *st, const jup_checkpoint_pubkey *key, jup_audit_report *rep,
			    jup_err *err)
{
	memset(rep, 0, sizeof *rep);
	rep->signatures = key != NULL;
	rep->bad_block = -1;
	verifier v = { .st = st, .key = key, .rep = rep, .runs = { .rep = rep } };
	jup_merkle_tree_init(&v.tree);
	jup_status r = jup_store_scan(st, JUP_TABLE_AUDIT_CHECKPOINT, NULL, 0, cp_row_fn, &v, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, NULL, 0, entry_row, &v, err);
	if (!r)
		r = check_state(st, &v, err);
	if (!r)
		r = audit_run_check_end(st, &v.runs, rep->entries, err);
	rep->size = v.tree.size;
	jup_merkle_tree_root(&v.tree, &rep->root);
	free(v.cps);
	audit_run_check_free(&v.runs);
	return r;
}

/* ------------------------------------------------------------ checkpoint */

typedef struct last_entry {
	bool found;
	jup_hash leaf;
} last_entry;

static jup_status last_entry_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	(void)err;
	last_entry *l = ctx;
	const jup_value *lh = &vals[JUP_AUDIT_LEAF_HASH];
	l->found = lh->type == JUP_V_TEXT && jup_audit_hash_parse(lh->s, &l->leaf);
	return JUP_OK;
}

/* The state agrees with the log's last entry and its count. */
static jup_status check_head(jup_store *st, const log_state *s, jup_err *err)
{
	int64_t n;
	last_entry l = { 0 };
	jup_match at = { JUP_COL_ID, jup_v_int((int64_t)s->tree.size) };
	jup_status r = jup_store_count(st, JUP_TABLE_AUDIT_ENTRY, &n, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &at, 1, last_entry_row, &l, err);
	if (!r &&
	    ((uint64_t)n != s->tree.size || !l.found || !jup_merkle_hash_eq(&l.leaf, &s->last)))
		r = jup_err_set(err, JUP_ERR_INVALID,
				"audit state does not match the log's last entry: run joinedup "
				"audit verify");
	return r;
}

static jup_status cp_size_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	const uint64_t *size = ctx;
	const jup_value *v = &vals[JUP_ACP_TREE_SIZE];
	if (v->type == JUP_V_INT && v->i >= 0 && (uint64_t)v->i == *size)
		return jup_err_set(err, JUP_ERR_EXISTS,
				   "the audit log already has a checkpoint at size %llu",
				   (unsigned long long)*size);
	return JUP_OK;
}

static jup_status sign_head(jup_store *st, const char *origin, const jup_checkpoint_signer *signer,
			    jup_buf *note, jup_err *err)
{
	log_state s;
	jup_status r = read_state(st, &s, err);
	if (!r && s.tree.size == 0)
		r = jup_err_set(err, JUP_ERR_INVALID,
				"the audit log is empty: nothing to checkpoint");
	if (!r)
		r = check_head(st, &s, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_AUDIT_CHECKPOINT, NULL, 0, cp_size_row,
				   &s.tree.size, err);
	if (r)
		return r;
	jup_checkpoint cp = { .size = s.tree.size };
	if (!jup_sv_to_cstr(jup_sv_from(origin), cp.origin, sizeof cp.origin))
		return jup_err_set(err, JUP_ERR_INVALID, "checkpoint origin: longer than %d bytes",
				   JUP_CHECKPOINT_MAX_NAME);
	jup_merkle_tree_root(&s.tree, &cp.root);
	r = jup_checkpoint_sign(&cp, signer, note, err);
	if (r)
		return r;
	char root_hex[HEX_LEN + 1], now[21];
	jup_audit_hash_hex(&cp.root, root_hex);
	jup_date_now_utc(now);
	jup_value vals[JUP_ACP__N] = {
		[JUP_ACP_TREE_SIZE] = jup_v_int((int64_t)cp.size),
		[JUP_ACP_ROOT] = jup_v_cstr(root_hex),
		[JUP_ACP_NOTE] = jup_v_text(jup_buf_sv(note)),
		[JUP_ACP_CREATED_AT] = jup_v_cstr(now),
	};
	return jup_store_insert(st, JUP_TABLE_AUDIT_CHECKPOINT, vals, NULL, NULL, err);
}

jup_status jup_audit_checkpoint(jup_store *st, const char *origin,
				const jup_checkpoint_signer *signer, jup_buf *note, jup_err *err)
{
	jup_buf b;
	jup_buf_init(&b, JUP_CHECKPOINT_MAX_NOTE);
	jup_status r = jup_store_begin(st, err);
	if (r)
		return r;
	r = sign_head(st, origin ? origin : JUP_AUDIT_DEFAULT_ORIGIN, signer, &b, err);
	if (!r)
		r = jup_store_commit(st, err);
	if (r)
		jup_store_abandon(st);
	if (!r && note)
		r = jup_buf_append_sv(note, jup_buf_sv(&b));
	jup_buf_free(&b);
	return r;
}
