/*
 * audit_entry.c - an audit entry's fields: their rules, their canonical
 * bytes and leaf hash (jup_audit.h gives the encoding), hashes as hex.
 */
#include "audit/jup_audit.h"
#include "core/jup_hex.h"

#include <string.h>


static const char *const field_names[JUP_AUDIT_F__N] = {
	[JUP_AUDIT_F_RECORDED_AT] = "recorded_at",
	[JUP_AUDIT_F_ACTOR] = "actor",
	[JUP_AUDIT_F_ROLE] = "role",
	[JUP_AUDIT_F_ORG_CODE] = "org_code",
	[JUP_AUDIT_F_PURPOSE] = "purpose",
	[JUP_AUDIT_F_PERSON_ID] = "person_id",
	[JUP_AUDIT_F_ACTION] = "action",
	[JUP_AUDIT_F_WHAT] = "what",
	[JUP_AUDIT_F_OUTCOME] = "outcome",
	[JUP_AUDIT_F_REASON] = "reason",
	[JUP_AUDIT_F_BREAK_GLASS] = "break_glass",
	[JUP_AUDIT_F_REQUEST_ID] = "request_id",
};

const char *jup_audit_field_name(jup_audit_field f)
{
	return (unsigned)f < JUP_AUDIT_F__N ? field_names[f] : "?";
}

static bool required(jup_audit_field f)
{
	return f == JUP_AUDIT_F_RECORDED_AT || f == JUP_AUDIT_F_ACTOR || f == JUP_AUDIT_F_PURPOSE ||
	       f == JUP_AUDIT_F_ACTION || f == JUP_AUDIT_F_OUTCOME;
}

/* The length of the UTF-8 sequence at p (at most n bytes) when it is
 * well formed and not a control character (C0, DEL, C1); 0 otherwise. */
static size_t utf8_char(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (c < 0xc2 || c > 0xf4 || len > n)
		return 0;
	unsigned lo = 0x80, hi = 0xbf; /* bounds of the second byte */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	if (c == 0xc2 && p[1] < 0xa0) /* C1 controls U+0080..U+009F */
		return 0;
	return len;
}

static bool valid_text(jup_sv s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	for (size_t i = 0; i < s.len;) {
		size_t n = utf8_char(p + i, s.len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

bool jup_audit_text_ok(jup_sv s)
{
	return s.ptr && s.len > 0 && s.len <= JUP_AUDIT_MAX_FIELD && valid_text(s);
}

/* "YYYY-MM-DDTHH:MM:SSZ": digits where digits go (the calendar itself is
 * the clock's business). */
static bool valid_time(jup_sv s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (s.len != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (shape[i] == 'd' ? (s.ptr[i] < '0' || s.ptr[i] > '9') : s.ptr[i] != shape[i])
			return false;
	return true;
}

/* A positive decimal without sign or leading zeros, at most 18 digits. */
static bool valid_id(jup_sv s)
{
	if (s.len == 0 || s.len > 18 || s.ptr[0] == '0')
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

static bool valid_outcome(jup_sv s)
{
	return jup_sv_eq_cstr(s, "permit") || jup_sv_eq_cstr(s, "deny") ||
	       jup_sv_eq_cstr(s, "done");
}

static const char *field_problem(jup_audit_field f, jup_sv s)
{
	if (!s.ptr)
		return required(f) ? "required, but missing" : NULL;
	if (s.len == 0)
		return "empty (leave it out instead)";
	if (s.len > JUP_AUDIT_MAX_FIELD)
		return "longer than " JUP_STR(JUP_MAX_TEXT_LEN) " bytes";
	if (!valid_text(s))
		return "not UTF-8 text without control characters";
	if (f == JUP_AUDIT_F_RECORDED_AT && !valid_time(s))
		return "not a UTC time YYYY-MM-DDTHH:MM:SSZ";
	if (f == JUP_AUDIT_F_PERSON_ID && !valid_id(s))
		return "not a person id";
	if (f == JUP_AUDIT_F_OUTCOME && !valid_outcome(s))
		return "must be permit, deny or done";
	return NULL;
}

jup_status jup_audit_fields_check(const jup_audit_fields *f, jup_err *err)
{
	for (int i = 0; i < JUP_AUDIT_F__N; i++) {
		const char *why = field_problem((jup_audit_field)i, f->f[i]);
		if (why)
			return jup_err_set(err, JUP_ERR_INVALID, "audit entry: %s: %s",
					   field_names[i], why);
	}
	return JUP_OK;
}

static jup_status put_field(jup_buf *out, const void *p, size_t len, bool null)
{
	uint32_t n = null ? UINT32_MAX : (uint32_t)len;
	uint8_t be[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
	jup_status r = jup_buf_append(out, be, 4);
	if (!r && !null)
		r = jup_buf_append(out, p, len);
	return r;
}

jup_status jup_audit_canonical(int64_t id, const jup_audit_fields *f, const jup_hash *prev,
			       jup_buf *out, jup_err *err)
{
	size_t start = out->len;
	char tmp[24];
	size_t idlen;
	const char *idtxt = jup_fmt_i64(tmp, id, &idlen);
	jup_status r = jup_buf_append(out, JUP_AUDIT_TAG, sizeof JUP_AUDIT_TAG - 1);
	if (!r)
		r = put_field(out, idtxt, idlen, false);
	for (int i = 0; !r && i < JUP_AUDIT_F__N; i++) {
		if (f->f[i].len >= UINT32_MAX)
			r = JUP_ERR_LIMIT;
		else
			r = put_field(out, f->f[i].ptr, f->f[i].len, f->f[i].ptr == NULL);
	}
	if (!r)
		r = put_field(out, prev->b, sizeof prev->b, false);
	if (r) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return jup_err_set(err, r, "audit entry %lld: canonical bytes: %s", (long long)id,
				   jup_strerror(r));
	}
	return JUP_OK;
}

jup_status jup_audit_leaf(int64_t id, const jup_audit_fields *f, const jup_hash *prev,
			  jup_hash *leaf, jup_err *err)
{
	jup_buf b;
	jup_buf_init(&b, 0);
	jup_status r = jup_audit_canonical(id, f, prev, &b, err);
	if (!r)
		jup_merkle_leaf_hash(b.data, b.len, leaf);
	jup_buf_free(&b);
	return r;
}

void jup_audit_hash_hex(const jup_hash *h, char out[2 * JUP_MERKLE_HASH_LEN + 1])
{
	jup_hex_encode(h->b, JUP_MERKLE_HASH_LEN, out);
}

bool jup_audit_hash_parse(jup_sv s, jup_hash *h)
{
	return jup_hex_decode(s, h->b, JUP_MERKLE_HASH_LEN);
}

static jup_sv text_of(const jup_value *v)
{
	if (v->type != JUP_V_TEXT)
		return (jup_sv){ NULL, 0 };
	return (jup_sv){ v->s.ptr ? v->s.ptr : "", v->s.len };
}

void jup_audit_record_from_row(int64_t id, const jup_value *vals, jup_audit_record *r, char num[24])
{
	static const int col[JUP_AUDIT_F__N] = {
		[JUP_AUDIT_F_RECORDED_AT] = JUP_AUDIT_RECORDED_AT,
		[JUP_AUDIT_F_ACTOR] = JUP_AUDIT_ACTOR,
		[JUP_AUDIT_F_ROLE] = JUP_AUDIT_ROLE,
		[JUP_AUDIT_F_ORG_CODE] = JUP_AUDIT_ORG_CODE,
		[JUP_AUDIT_F_PURPOSE] = JUP_AUDIT_PURPOSE,
		[JUP_AUDIT_F_PERSON_ID] = JUP_AUDIT_PERSON_ID,
		[JUP_AUDIT_F_ACTION] = JUP_AUDIT_ACTION,
		[JUP_AUDIT_F_WHAT] = JUP_AUDIT_WHAT,
		[JUP_AUDIT_F_OUTCOME] = JUP_AUDIT_OUTCOME,
		[JUP_AUDIT_F_REASON] = JUP_AUDIT_REASON,
		[JUP_AUDIT_F_BREAK_GLASS] = JUP_AUDIT_BREAK_GLASS,
		[JUP_AUDIT_F_REQUEST_ID] = JUP_AUDIT_REQUEST_ID,
	};
	memset(r, 0, sizeof *r);
	r->id = id;
	for (int i = 0; i < JUP_AUDIT_F__N; i++)
		r->f.f[i] = text_of(&vals[col[i]]);
	const jup_value *p = &vals[JUP_AUDIT_PERSON_ID];
	if (p->type == JUP_V_INT) {
		size_t len;
		const char *d = jup_fmt_i64(num, p->i, &len);
		memmove(num, d, len);
		r->f.f[JUP_AUDIT_F_PERSON_ID] = (jup_sv){ num, len };
		r->person_id = p->i;
	}
}
