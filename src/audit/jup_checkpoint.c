/*
 * jup_checkpoint.c - Ed25519 keys, C2SP signed notes and tlog checkpoints.
 *
 * Four layers, bottom up: text checks (UTF-8, names, canonical base64), key
 * strings and key files, signed notes, checkpoint texts. Secrets (seeds,
 * secret keys, the text of a private key file) only ever sit in
 * sodium_malloc memory or in stack buffers that are wiped before return.
 */
#include "audit/jup_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALG_ED25519 0x01
#define SIG_PREFIX  "\xE2\x80\x94 " /* U+2014 EM DASH, then a space */
#define PRIV_PREFIX "PRIVATE+KEY+"
#define B64         sodium_base64_VARIANT_ORIGINAL
#define SIG_BYTES   (4 + crypto_sign_BYTES) /* key ID || Ed25519 signature */
#define B64_LEN(n)  (((n) + 2) / 3 * 4)     /* padded base64 length of n bytes */

static jup_status need_sodium(jup_err *err)
{
	if (sodium_init() < 0)
		return jup_err_set(err, JUP_ERR_INTERNAL, "libsodium could not be initialised");
	return JUP_OK;
}

/* ---- text checks ---- */

/* What a UTF-8 lead byte allows: the sequence length and the range of the
 * second byte (narrower after E0, ED, F0 and F4, which rules out overlong
 * forms, surrogates and code points above U+10FFFF). 0 when c cannot lead. */
static size_t utf8_lead(uint8_t c, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		*lo = c == 0xE0 ? 0xA0 : 0x80;
		*hi = c == 0xED ? 0x9F : 0xBF;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		*lo = c == 0xF0 ? 0x90 : 0x80;
		*hi = c == 0xF4 ? 0x8F : 0xBF;
		return 4;
	}
	return 0;
}

/* Decode the UTF-8 sequence at p (n > 0 bytes left) into *cp; its length,
 * or 0 when it is not well formed. */
static size_t utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	uint8_t lo, hi;
	size_t len = utf8_lead(p[0], &lo, &hi);
	if (len == 0 || n < len || p[1] < lo || p[1] > hi)
		return 0;
	uint32_t v = p[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*cp = v;
	return len;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Unicode White_Space (what Go's unicode.IsSpace, used by the reference
 * implementation, reports). */
static bool is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* valid_text: s is UTF-8 without control characters, except newlines when
 * newline_ok. *bad receives the offset of the first bad byte. */
static bool valid_text(jup_sv s, bool newline_ok, size_t *bad)
{
	const uint8_t *p = (const uint8_t *)s.ptr;
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		size_t n = utf8_next(p + i, s.len - i, &cp);
		if (n == 0 || (is_control(cp) && !(newline_ok && cp == '\n'))) {
			*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

/* check_name: a key name as the signed-note spec has it (non-empty, no
 * Unicode space, no plus), also UTF-8 without control characters and at most
 * JUP_CHECKPOINT_MAX_NAME bytes. */
static jup_status check_name(jup_sv s, const char *what, jup_err *err)
{
	size_t bad;
	if (s.len == 0)
		return jup_err_set(err, JUP_ERR_INVALID, "%s is empty", what);
	if (s.len > JUP_CHECKPOINT_MAX_NAME)
		return jup_err_set(err, JUP_ERR_INVALID, "%s is longer than %d bytes", what,
				   JUP_CHECKPOINT_MAX_NAME);
	if (!valid_text(s, false, &bad))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "%s is not UTF-8 text without control characters", what);
	const uint8_t *p = (const uint8_t *)s.ptr;
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		i += utf8_next(p + i, s.len - i, &cp);
		if (cp == '+' || is_space(cp))
			return jup_err_set(err, JUP_ERR_INVALID, "%s holds a space or a plus sign",
					   what);
	}
	return JUP_OK;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* valid_b64: s is canonical standard base64 (RFC 4648 section 4: padded,
 * and the bits the padding leaves over are zero, so every byte string has
 * exactly one encoding). *nbytes receives the decoded length. */
static bool valid_b64(jup_sv s, size_t *nbytes)
{
	if (s.len == 0 || s.len % 4 != 0)
		return false;
	size_t pad = s.ptr[s.len - 1] != '=' ? 0 : s.ptr[s.len - 2] != '=' ? 1 : 2;
	for (size_t i = 0; i < s.len - pad; i++)
		if (b64_value(s.ptr[i]) < 0)
			return false;
	if (pad == 1 && (b64_value(s.ptr[s.len - 2]) & 0x03))
		return false;
	if (pad == 2 && (b64_value(s.ptr[s.len - 3]) & 0x0F))
		return false;
	*nbytes = s.len / 4 * 3 - pad;
	return true;
}

/* b64_decode: s is canonical base64 of exactly want bytes, decoded into out. */
static bool b64_decode(jup_sv s, uint8_t *out, size_t want)
{
	size_t n, got;
	return valid_b64(s, &n) && n == want &&
	       sodium_base642bin(out, want, s.ptr, s.len, NULL, &got, NULL, B64) == 0 &&
	       got == want;
}

/* b64_encode: base64 of n <= SIG_BYTES bytes into dst (NUL-terminated). */
static void b64_encode(char dst[B64_LEN(SIG_BYTES) + 1], const uint8_t *bin, size_t n)
{
	sodium_bin2base64(dst, B64_LEN(SIG_BYTES) + 1, bin, n, B64);
}

static jup_sv sv_after(jup_sv s, size_t n)
{
	return (jup_sv){ s.ptr + n, s.len - n };
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- key strings ---- */

uint32_t jup_checkpoint_key_id(jup_sv name, const uint8_t pub[32])
{
	static const uint8_t sep[2] = { '\n', ALG_ED25519 };
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name.ptr, name.len);
	crypto_hash_sha256_update(&st, sep, sizeof sep);
	crypto_hash_sha256_update(&st, pub, 32);
	crypto_hash_sha256_final(&st, h);
	return get_be32(h);
}

/* The three fields of "<name>+<key ID>+<base64 key data>". */
typedef struct key_fields {
	jup_sv name, data;
	uint32_t id;
} key_fields;

/* Exactly eight lower-case hex digits, as the reference writes them. */
static bool parse_key_id(jup_sv s, uint32_t *out)
{
	uint32_t v = 0;
	if (s.len != 8)
		return false;
	for (size_t i = 0; i < 8; i++) {
		char c = s.ptr[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* Split at the first two pluses (base64 may hold more). */
static jup_status split_key(jup_sv s, const char *what, key_fields *f, jup_err *err)
{
	const char *p1 = s.len ? memchr(s.ptr, '+', s.len) : NULL;
	const char *p2 = p1 ? memchr(p1 + 1, '+', (size_t)(s.ptr + s.len - p1 - 1)) : NULL;
	if (!p2)
		return jup_err_set(err, JUP_ERR_INVALID, "%s is not NAME+KEYID+KEY", what);
	f->name = (jup_sv){ s.ptr, (size_t)(p1 - s.ptr) };
	jup_sv id = { p1 + 1, (size_t)(p2 - p1 - 1) };
	f->data = sv_after(s, (size_t)(p2 + 1 - s.ptr));
	jup_status st = check_name(f->name, "the key name", err);
	if (st)
		return st;
	if (!parse_key_id(id, &f->id))
		return jup_err_set(err, JUP_ERR_INVALID, "%s: the key ID is not 8 hex digits",
				   what);
	return JUP_OK;
}

/* The key data: base64 of the type byte 0x01 and 32 bytes. */
static jup_status decode_key_data(jup_sv data, const char *what, uint8_t out[32], jup_err *err)
{
	uint8_t raw[33] = { 0 };
	bool ok = b64_decode(data, raw, sizeof raw);
	unsigned type = raw[0];
	memcpy(out, raw + 1, 32);
	sodium_memzero(raw, sizeof raw);
	if (!ok)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: the key is not base64 of 33 bytes",
				   what);
	if (type != ALG_ED25519)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: not an Ed25519 key (type %u)", what,
				   type);
	return JUP_OK;
}

static void fill_pubkey(jup_checkpoint_pubkey *k, jup_sv name, uint32_t id, const uint8_t pub[32])
{
	memset(k->name, 0, sizeof k->name);
	memcpy(k->name, name.ptr, name.len); /* check_name bounded the length */
	k->id = id;
	memcpy(k->key, pub, 32);
}

jup_status jup_checkpoint_pubkey_parse(jup_sv text, jup_checkpoint_pubkey *out, jup_err *err)
{
	key_fields f;
	uint8_t pub[32];
	jup_status st = split_key(text, "public key", &f, err);
	if (!st)
		st = decode_key_data(f.data, "public key", pub, err);
	if (st)
		return st;
	if (jup_checkpoint_key_id(f.name, pub) != f.id)
		return jup_err_set(
		    err, JUP_ERR_INVALID,
		    "public key: key ID %08" PRIx32 " does not match the name and key", f.id);
	fill_pubkey(out, f.name, f.id, pub);
	return JUP_OK;
}

jup_status jup_checkpoint_pubkey_format(const jup_checkpoint_pubkey *key, jup_buf *out)
{
	uint8_t raw[33];
	char b64[B64_LEN(SIG_BYTES) + 1];
	raw[0] = ALG_ED25519;
	memcpy(raw + 1, key->key, 32);
	b64_encode(b64, raw, sizeof raw);
	return jup_buf_appendf(out, "%s+%08" PRIx32 "+%s", key->name, key->id, b64);
}

/* The secret key derived from a seed, in secure memory; NULL on failure. */
static unsigned char *secret_from_seed(const uint8_t seed[32], uint8_t pub[32])
{
	unsigned char *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk)
		crypto_sign_seed_keypair(pub, sk, seed);
	return sk;
}

jup_status jup_checkpoint_signer_parse(jup_sv text, jup_checkpoint_signer *out, jup_err *err)
{
	key_fields f;
	uint8_t seed[32], pub[32];
	out->sk = NULL;
	jup_status st = need_sodium(err);
	if (!st && !jup_sv_starts_with(text, JUP_SV_LIT(PRIV_PREFIX)))
		st = jup_err_set(err, JUP_ERR_INVALID, "private key does not start with %s",
				 PRIV_PREFIX);
	if (!st)
		st = split_key(sv_after(text, strlen(PRIV_PREFIX)), "private key", &f, err);
	if (!st)
		st = decode_key_data(f.data, "private key", seed, err);
	unsigned char *sk = st ? NULL : secret_from_seed(seed, pub);
	sodium_memzero(seed, sizeof seed);
	if (st)
		return st;
	if (!sk)
		return jup_err_set(err, JUP_ERR_NOMEM, "no secure memory for the private key");
	if (jup_checkpoint_key_id(f.name, pub) != f.id) {
		sodium_free(sk);
		return jup_err_set(
		    err, JUP_ERR_INVALID,
		    "private key: key ID %08" PRIx32 " does not match the name and key", f.id);
	}
	fill_pubkey(&out->pub, f.name, f.id, pub);
	out->sk = sk;
	return JUP_OK;
}

void jup_checkpoint_signer_free(jup_checkpoint_signer *s)
{
	if (s->sk)
		sodium_free(s->sk);
	s->sk = NULL;
}

/* ---- key files ---- */

static jup_status check_key_file(int fd, const char *path, bool secret, jup_err *err)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return jup_err_set(err, JUP_ERR_IO, "key file \"%s\" is not a regular file", path);
	if (secret && (sb.st_mode & 077))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "private key file \"%s\" can be read by others (mode %04o): "
				   "chmod 600 it",
				   path, (unsigned)(sb.st_mode & 07777));
	if (sb.st_size > JUP_CHECKPOINT_MAX_KEY_FILE)
		return jup_err_set(err, JUP_ERR_LIMIT, "key file \"%s\" is larger than %d bytes",
				   path, JUP_CHECKPOINT_MAX_KEY_FILE);
	return JUP_OK;
}

/* Read all of fd into buf (JUP_CHECKPOINT_MAX_KEY_FILE + 1 bytes). */
static jup_status read_all(int fd, const char *path, char *buf, size_t *len, jup_err *err)
{
	const size_t cap = JUP_CHECKPOINT_MAX_KEY_FILE + 1;
	*len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return jup_err_set(err, JUP_ERR_IO, "could not read key file \"%s\": %s",
					   path, strerror(errno));
		if (n == 0)
			return JUP_OK;
		*len += (size_t)n;
		if (*len == cap)
			return jup_err_set(err, JUP_ERR_LIMIT,
					   "key file \"%s\" is larger than %d bytes", path,
					   JUP_CHECKPOINT_MAX_KEY_FILE);
	}
}

/* Read a key file into buf and return its key string (one final newline
 * dropped) in *key. */
static jup_status read_key_file(const char *path, bool secret, char *buf, jup_sv *key, jup_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return jup_err_set(err, JUP_ERR_IO, "could not open key file \"%s\": %s", path,
				   strerror(errno));
	size_t len = 0;
	jup_status st = check_key_file(fd, path, secret, err);
	if (!st)
		st = read_all(fd, path, buf, &len, err);
	close(fd);
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	*key = (jup_sv){ buf, len };
	return st;
}

/* Say which file a key parse error came from (unless the message does). */
static jup_status name_file(jup_status st, const char *path, jup_err *err)
{
	if (!err || strstr(err->msg, path))
		return st;
	jup_err detail = *err;
	return jup_err_set(err, st, "%s (in \"%s\")", detail.msg, path);
}

jup_status jup_checkpoint_pubkey_load(const char *path, jup_checkpoint_pubkey *out, jup_err *err)
{
	char buf[JUP_CHECKPOINT_MAX_KEY_FILE + 1];
	jup_sv key;
	jup_status st = read_key_file(path, false, buf, &key, err);
	if (!st)
		st = jup_checkpoint_pubkey_parse(key, out, err);
	return st ? name_file(st, path, err) : JUP_OK;
}

jup_status jup_checkpoint_signer_load(const char *path, jup_checkpoint_signer *out, jup_err *err)
{
	out->sk = NULL;
	jup_status st = need_sodium(err);
	char *buf = st ? NULL : sodium_malloc(JUP_CHECKPOINT_MAX_KEY_FILE + 1);
	if (st || !buf)
		return st ? st : jup_err_set(err, JUP_ERR_NOMEM, "no secure memory for a key file");
	jup_sv key;
	st = read_key_file(path, true, buf, &key, err);
	if (!st)
		st = jup_checkpoint_signer_parse(key, out, err);
	sodium_free(buf);
	return st ? name_file(st, path, err) : JUP_OK;
}

/* ---- writing new key files ---- */

static jup_status fill_file(int fd, const char *path, const char *data, size_t len, mode_t mode,
			    jup_err *err)
{
	if (fchmod(fd, mode) != 0)
		return jup_err_set(err, JUP_ERR_IO, "could not set the mode of \"%s\": %s", path,
				   strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return jup_err_set(err, JUP_ERR_IO, "could not write \"%s\": %s", path,
					   strerror(errno));
		data += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		return jup_err_set(err, JUP_ERR_IO, "could not sync \"%s\": %s", path,
				   strerror(errno));
	return JUP_OK;
}

/* Make the new name durable: sync the folder that holds path (best effort;
 * some file systems cannot sync a folder). */
static void sync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path); /* "/x" is in "/" */
	if (n >= sizeof dir)
		return;
	if (n == 0)
		dir[n++] = '.';
	else
		memcpy(dir, path, n);
	dir[n] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Write a new file atomically: a temporary file beside it, synced, then
 * hard-linked to the final name, which fails (JUP_ERR_EXISTS) rather than
 * replace an existing file. */
static jup_status write_new_file(const char *path, const char *data, size_t len, mode_t mode,
				 jup_err *err)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return jup_err_set(err, JUP_ERR_USAGE, "path \"%s\" is too long", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return jup_err_set(err, JUP_ERR_IO, "could not create a file beside \"%s\": %s",
				   path, strerror(errno));
	jup_status st = fill_file(fd, tmp, data, len, mode, err);
	if (close(fd) != 0 && !st)
		st = jup_err_set(err, JUP_ERR_IO, "could not write \"%s\"", tmp);
	if (!st && link(tmp, path) != 0) {
		int e = errno;
		st = jup_err_set(err, e == EEXIST ? JUP_ERR_EXISTS : JUP_ERR_IO,
				 "could not create \"%s\": %s", path, strerror(e));
	}
	unlink(tmp);
	if (!st)
		sync_parent(path);
	return st;
}

/* The material of a new key, all in one block of secure memory. */
typedef struct new_key {
	uint8_t seed[32];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	uint8_t raw[33];
	char b64[B64_LEN(SIG_BYTES) + 1];
	char text[JUP_CHECKPOINT_MAX_KEY_FILE];
} new_key;

/* Generate a key into k and format both key files. */
static jup_status make_key(const char *name, new_key *k, jup_buf *pub_text, size_t *priv_len)
{
	jup_checkpoint_pubkey pub;
	uint8_t pk[32];
	randombytes_buf(k->seed, sizeof k->seed);
	crypto_sign_seed_keypair(pk, k->sk, k->seed);
	fill_pubkey(&pub, jup_sv_from(name), jup_checkpoint_key_id(jup_sv_from(name), pk), pk);
	k->raw[0] = ALG_ED25519;
	memcpy(k->raw + 1, k->seed, 32);
	b64_encode(k->b64, k->raw, sizeof k->raw);
	int n = snprintf(k->text, sizeof k->text, PRIV_PREFIX "%s+%08" PRIx32 "+%s\n", name, pub.id,
			 k->b64);
	if (n < 0 || (size_t)n >= sizeof k->text)
		return JUP_ERR_INTERNAL; /* a name of at most 255 bytes always fits */
	*priv_len = (size_t)n;
	jup_status st = jup_checkpoint_pubkey_format(&pub, pub_text);
	return st ? st : jup_buf_append_char(pub_text, '\n');
}

static jup_status write_key_files(const new_key *k, size_t priv_len, jup_sv pub_text,
				  const char *priv_path, const char *pub_path, jup_err *err)
{
	jup_status st = write_new_file(priv_path, k->text, priv_len, 0600, err);
	if (st)
		return st;
	st = write_new_file(pub_path, pub_text.ptr, pub_text.len, 0644, err);
	if (st)
		unlink(priv_path); /* no private key without its public half */
	return st;
}

jup_status jup_checkpoint_keygen(const char *name, const char *priv_path, const char *pub_path,
				 jup_err *err)
{
	jup_status st = check_name(jup_sv_from(name), "the key name", err);
	if (!st)
		st = need_sodium(err);
	if (st)
		return st;
	const char *path = access(priv_path, F_OK) == 0  ? priv_path
			   : access(pub_path, F_OK) == 0 ? pub_path
							 : NULL;
	if (path)
		return jup_err_set(err, JUP_ERR_EXISTS, "\"%s\" already exists", path);
	new_key *k = sodium_malloc(sizeof *k);
	if (!k)
		return jup_err_set(err, JUP_ERR_NOMEM, "no secure memory for a new key");
	jup_buf pub_text;
	jup_buf_init(&pub_text, JUP_CHECKPOINT_MAX_KEY_FILE);
	size_t priv_len = 0;
	st = make_key(name, k, &pub_text, &priv_len);
	if (st)
		jup_err_set(err, st, "could not format the new key");
	else
		st = write_key_files(k, priv_len, jup_buf_sv(&pub_text), priv_path, pub_path, err);
	sodium_free(k);
	jup_buf_free(&pub_text);
	return st;
}

/* ---- signed notes ---- */

static jup_status check_note_text(jup_sv text, jup_err *err)
{
	size_t bad;
	if (text.len == 0 || text.ptr[text.len - 1] != '\n')
		return jup_err_set(err, JUP_ERR_INVALID, "note text does not end with a newline");
	if (!valid_text(text, true, &bad))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "note text is not UTF-8 without control characters (byte %zu)",
				   bad);
	return JUP_OK;
}

/* Append text, the blank line and one signature line (sig: key ID and
 * signature) to out. */
static jup_status append_signed(jup_buf *out, jup_sv text, const char *name,
				const uint8_t sig[SIG_BYTES])
{
	char b64[B64_LEN(SIG_BYTES) + 1];
	b64_encode(b64, sig, SIG_BYTES);
	jup_status st = jup_buf_append_sv(out, text);
	if (!st)
		st = jup_buf_append_cstr(out, "\n" SIG_PREFIX);
	if (!st)
		st = jup_buf_appendf(out, "%s %s\n", name, b64);
	return st;
}

jup_status jup_checkpoint_note_sign(jup_sv text, const jup_checkpoint_signer *signer, jup_buf *out,
				    jup_err *err)
{
	if (!signer->sk)
		return jup_err_set(err, JUP_ERR_USAGE, "no private key to sign with");
	jup_status st = check_note_text(text, err);
	if (st)
		return st;
	size_t name_len = strlen(signer->pub.name);
	size_t need = text.len + 1 + strlen(SIG_PREFIX) + name_len + 1 + B64_LEN(SIG_BYTES) + 1;
	if (need > JUP_CHECKPOINT_MAX_NOTE)
		return jup_err_set(err, JUP_ERR_LIMIT, "signed note would pass %d bytes",
				   JUP_CHECKPOINT_MAX_NOTE);
	uint8_t sig[SIG_BYTES];
	put_be32(sig, signer->pub.id);
	crypto_sign_detached(sig + 4, NULL, (const uint8_t *)text.ptr, text.len, signer->sk);
	size_t old = out->len;
	st = append_signed(out, text, signer->pub.name, sig);
	if (st) {
		out->len = old; /* leave out as it was */
		if (out->data)
			out->data[old] = '\0';
		return jup_err_set(err, st, "could not build the signed note");
	}
	return JUP_OK;
}

/* The offset of the last "\n\n" in s, or false when there is none. */
static bool find_last_blank(jup_sv s, size_t *at)
{
	for (size_t i = s.len; i >= 2; i--) {
		if (s.ptr[i - 1] == '\n' && s.ptr[i - 2] == '\n') {
			*at = i - 2;
			return true;
		}
	}
	return false;
}

/* The key ID: the first four bytes of a signature field already checked to
 * be canonical base64 of at least 5 bytes (so at least 8 characters, and
 * the first 8 decode on their own). */
static uint32_t sig_key_id(jup_sv b64)
{
	uint8_t head[6];
	size_t n = 0;
	if (sodium_base642bin(head, sizeof head, b64.ptr, 8, NULL, &n, NULL, B64) != 0 || n < 4)
		return 0; /* cannot happen after valid_b64 */
	return get_be32(head);
}

static jup_status parse_sig_line(jup_sv line, size_t no, jup_checkpoint_sig *sig, jup_err *err)
{
	if (!jup_sv_starts_with(line, JUP_SV_LIT(SIG_PREFIX)))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "signature line %zu does not start with an em dash and a space",
				   no);
	jup_sv rest = sv_after(line, strlen(SIG_PREFIX));
	const char *sp = memchr(rest.ptr, ' ', rest.len);
	if (!sp)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "signature line %zu has no space after the key name", no);
	sig->name = (jup_sv){ rest.ptr, (size_t)(sp - rest.ptr) };
	sig->b64 = sv_after(rest, sig->name.len + 1);
	jup_err detail;
	if (check_name(sig->name, "the key name", &detail))
		return jup_err_set(err, JUP_ERR_INVALID, "signature line %zu: %s", no, detail.msg);
	if (!valid_b64(sig->b64, &sig->nbytes) || sig->nbytes < 5)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "signature line %zu: the signature is not base64 of at least 5 "
				   "bytes",
				   no);
	sig->id = sig_key_id(sig->b64);
	return JUP_OK;
}

/* Parse the signature block: one or more lines, each ending in a newline. */
static jup_status parse_sig_lines(jup_sv block, jup_checkpoint_note *out, jup_err *err)
{
	if (block.len == 0)
		return jup_err_set(err, JUP_ERR_INVALID, "note has no signature lines");
	if (block.ptr[block.len - 1] != '\n')
		return jup_err_set(err, JUP_ERR_INVALID, "note does not end with a newline");
	for (size_t pos = 0; pos < block.len;) {
		const char *nl = memchr(block.ptr + pos, '\n', block.len - pos);
		jup_sv line = { block.ptr + pos, (size_t)(nl - (block.ptr + pos)) };
		pos += line.len + 1;
		if (out->nsigs == JUP_CHECKPOINT_MAX_SIGS)
			return jup_err_set(err, JUP_ERR_LIMIT, "note has more than %d signatures",
					   JUP_CHECKPOINT_MAX_SIGS);
		jup_status st = parse_sig_line(line, out->nsigs + 1, &out->sigs[out->nsigs], err);
		if (st)
			return st;
		out->nsigs++;
	}
	return JUP_OK;
}

jup_status jup_checkpoint_note_parse(jup_sv msg, jup_checkpoint_note *out, jup_err *err)
{
	size_t bad, split;
	out->text = (jup_sv){ msg.ptr, 0 };
	out->nsigs = 0;
	if (msg.len > JUP_CHECKPOINT_MAX_NOTE)
		return jup_err_set(err, JUP_ERR_LIMIT, "note is larger than %d bytes",
				   JUP_CHECKPOINT_MAX_NOTE);
	if (!valid_text(msg, true, &bad))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "note is not UTF-8 without control characters (byte %zu)", bad);
	/* The text ends at the last blank line (it may itself hold blank
	 * lines); the signatures follow it. */
	if (!find_last_blank(msg, &split))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "note has no blank line before its signatures");
	jup_status st = parse_sig_lines(sv_after(msg, split + 2), out, err);
	if (st) {
		out->nsigs = 0;
		return st;
	}
	out->text = (jup_sv){ msg.ptr, split + 1 };
	return JUP_OK;
}

static jup_status verify_sig(jup_sv text, const jup_checkpoint_sig *sig,
			     const jup_checkpoint_pubkey *key, jup_err *err)
{
	uint8_t raw[SIG_BYTES];
	if (sig->nbytes != SIG_BYTES || !b64_decode(sig->b64, raw, sizeof raw))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "the signature by \"%s\" is not an Ed25519 signature",
				   key->name);
	if (crypto_sign_verify_detached(raw + 4, (const uint8_t *)text.ptr, text.len, key->key) !=
	    0)
		return jup_err_set(err, JUP_ERR_INVALID, "the signature by \"%s\" does not verify",
				   key->name);
	return JUP_OK;
}

jup_status jup_checkpoint_note_verify(const jup_checkpoint_note *note,
				      const jup_checkpoint_pubkey *key, jup_err *err)
{
	jup_sv name = jup_sv_from(key->name);
	size_t verified = 0;
	for (size_t i = 0; i < note->nsigs && i < JUP_CHECKPOINT_MAX_SIGS; i++) {
		const jup_checkpoint_sig *sig = &note->sigs[i];
		if (sig->id != key->id || !jup_sv_eq(sig->name, name))
			continue; /* another key's: not ours to judge */
		jup_status st = verify_sig(note->text, sig, key, err);
		if (st)
			return st;
		verified++;
	}
	if (verified == 0)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "note has no signature by key \"%s\" (%08" PRIx32 ")", key->name,
				   key->id);
	return JUP_OK;
}

/* ---- checkpoints ---- */

jup_status jup_checkpoint_format(const jup_checkpoint *cp, jup_buf *out, jup_err *err)
{
	size_t bad;
	jup_sv origin = { cp->origin, strnlen(cp->origin, sizeof cp->origin) };
	if (origin.len == 0 || origin.len == sizeof cp->origin || !valid_text(origin, false, &bad))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "checkpoint origin is empty, too long or not plain UTF-8 text");
	if (cp->size > JUP_MERKLE_MAX_SIZE)
		return jup_err_set(err, JUP_ERR_LIMIT,
				   "checkpoint tree size %llu is above the limit",
				   (unsigned long long)cp->size);
	char b64[B64_LEN(SIG_BYTES) + 1];
	b64_encode(b64, cp->root.b, sizeof cp->root.b);
	jup_status st =
	    jup_buf_appendf(out, "%s\n%llu\n%s\n", cp->origin, (unsigned long long)cp->size, b64);
	return st ? jup_err_set(err, st, "could not format the checkpoint") : JUP_OK;
}

/* Split text into exactly three newline-terminated lines. */
static jup_status split_lines(jup_sv text, jup_sv line[3], jup_err *err)
{
	size_t pos = 0;
	for (int i = 0; i < 3; i++) {
		const char *nl =
		    pos < text.len ? memchr(text.ptr + pos, '\n', text.len - pos) : NULL;
		if (!nl)
			return jup_err_set(err, JUP_ERR_INVALID,
					   "checkpoint text has %d complete lines, not 3", i);
		line[i] = (jup_sv){ text.ptr + pos, (size_t)(nl - (text.ptr + pos)) };
		pos += line[i].len + 1;
	}
	if (pos != text.len)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "checkpoint text goes on after the root hash (extension lines "
				   "are not accepted)");
	return JUP_OK;
}

static jup_status parse_origin(jup_sv s, char out[JUP_CHECKPOINT_MAX_NAME + 1], jup_err *err)
{
	size_t bad;
	if (s.len == 0)
		return jup_err_set(err, JUP_ERR_INVALID, "checkpoint origin is empty");
	if (s.len > JUP_CHECKPOINT_MAX_NAME)
		return jup_err_set(err, JUP_ERR_LIMIT, "checkpoint origin is longer than %d bytes",
				   JUP_CHECKPOINT_MAX_NAME);
	if (!valid_text(s, false, &bad))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "checkpoint origin is not UTF-8 without control characters");
	memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
	return JUP_OK;
}

/* Decimal digits, no sign, no leading zero (but "0"), at most the limit. */
static jup_status parse_size(jup_sv s, uint64_t *out, jup_err *err)
{
	if (s.len == 0 || (s.len > 1 && s.ptr[0] == '0'))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "checkpoint tree size is empty or has a leading zero");
	uint64_t v = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return jup_err_set(err, JUP_ERR_INVALID,
					   "checkpoint tree size is not a decimal number");
		unsigned d = (unsigned)(s.ptr[i] - '0');
		if (v > (JUP_MERKLE_MAX_SIZE - d) / 10)
			return jup_err_set(err, JUP_ERR_LIMIT, "checkpoint tree size is above %llu",
					   (unsigned long long)JUP_MERKLE_MAX_SIZE);
		v = v * 10 + d;
	}
	*out = v;
	return JUP_OK;
}

jup_status jup_checkpoint_parse_text(jup_sv text, jup_checkpoint *out, jup_err *err)
{
	jup_sv line[3];
	jup_checkpoint cp;
	jup_status st = split_lines(text, line, err);
	if (!st)
		st = parse_origin(line[0], cp.origin, err);
	if (!st)
		st = parse_size(line[1], &cp.size, err);
	if (!st && !b64_decode(line[2], cp.root.b, sizeof cp.root.b))
		st = jup_err_set(err, JUP_ERR_INVALID,
				 "checkpoint root hash is not canonical base64 of 32 bytes");
	if (!st)
		*out = cp;
	return st;
}

jup_status jup_checkpoint_sign(const jup_checkpoint *cp, const jup_checkpoint_signer *signer,
			       jup_buf *out, jup_err *err)
{
	jup_buf text;
	jup_buf_init(&text, JUP_CHECKPOINT_MAX_NOTE);
	jup_status st = jup_checkpoint_format(cp, &text, err);
	if (!st)
		st = jup_checkpoint_note_sign(jup_buf_sv(&text), signer, out, err);
	jup_buf_free(&text);
	return st;
}

jup_status jup_checkpoint_open(jup_sv msg, const jup_checkpoint_pubkey *key, jup_checkpoint *out,
			       jup_err *err)
{
	jup_checkpoint_note note;
	jup_status st = jup_checkpoint_note_parse(msg, &note, err);
	if (!st)
		st = jup_checkpoint_note_verify(&note, key, err);
	if (!st)
		st = jup_checkpoint_parse_text(note.text, out, err);
	return st;
}
