/*
 * link_fold.c - folding names and free text for linkage, and the phonetic
 * code.
 *
 * Folding reads UTF-8 (invalid bytes are skipped: an extract that slipped
 * past validation still links on what can be read), maps the letters of
 * Latin-1 Supplement and Latin Extended-A to plain ASCII (é -> e, ø -> o,
 * æ -> ae, ß -> ss, ł -> l, ş -> s; umlauts lose their dots, ä -> a, as
 * records typed on an English keyboard do) and lower-cases. Names keep only
 * a-z; free text keeps a-z and 0-9 with single spaces between words.
 */
#include "link/link_internal.h"

#include <stdint.h>
#include <string.h>

#define BAD_CP UINT32_MAX

/* U+00C0..U+00FF: the ASCII letters each stands for ("" for × and ÷). */
static const char latin1[64][3] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", /* À Á Â Ã Ä Å Æ Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",  /* È É Ê Ë Ì Í Î Ï */
	"d", "n", "o", "o", "o", "o", "o", "",   /* Ð Ñ Ò Ó Ô Õ Ö × */
	"o", "u", "u", "u", "u", "y", "th", "ss", /* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c", /* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",  /* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", "",   /* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y", /* ø ù ú û ü ý þ ÿ */
};

/* U+0100..U+017F (Latin Extended-A), eight to a line. */
static const char latin_ext_a[128][3] = {
	"a", "a", "a", "a", "a", "a", "c", "c",    /* Ā ā Ă ă Ą ą Ć ć */
	"c", "c", "c", "c", "c", "c", "d", "d",    /* Ĉ ĉ Ċ ċ Č č Ď ď */
	"d", "d", "e", "e", "e", "e", "e", "e",    /* Đ đ Ē ē Ĕ ĕ Ė ė */
	"e", "e", "e", "e", "g", "g", "g", "g",    /* Ę ę Ě ě Ĝ ĝ Ğ ğ */
	"g", "g", "g", "g", "h", "h", "h", "h",    /* Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ */
	"i", "i", "i", "i", "i", "i", "i", "i",    /* Ĩ ĩ Ī ī Ĭ ĭ Į į */
	"i", "i", "ij", "ij", "j", "j", "k", "k",  /* İ ı Ĳ ĳ Ĵ ĵ Ķ ķ */
	"k", "l", "l", "l", "l", "l", "l", "l",    /* ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
	"l", "l", "l", "n", "n", "n", "n", "n",    /* ŀ Ł ł Ń ń Ņ ņ Ň */
	"n", "n", "n", "n", "o", "o", "o", "o",    /* ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
	"o", "o", "oe", "oe", "r", "r", "r", "r",  /* Ő ő Œ œ Ŕ ŕ Ŗ ŗ */
	"r", "r", "s", "s", "s", "s", "s", "s",    /* Ř ř Ś ś Ŝ ŝ Ş ş */
	"s", "s", "t", "t", "t", "t", "t", "t",    /* Š š Ţ ţ Ť ť Ŧ ŧ */
	"u", "u", "u", "u", "u", "u", "u", "u",    /* Ũ ũ Ū ū Ŭ ŭ Ů ů */
	"u", "u", "u", "u", "w", "w", "y", "y",    /* Ű ű Ų ų Ŵ ŵ Ŷ ŷ */
	"y", "z", "z", "z", "z", "z", "z", "s",    /* Ÿ Ź ź Ż ż Ž ž ſ */
};

/* Decode one code point from p[0..n) (n >= 1) into *cp; returns the bytes
 * used. An invalid sequence (bad lead or continuation byte, overlong form,
 * surrogate, past U+10FFFF, cut short) gives BAD_CP and uses one byte. */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char b = p[0];
	size_t len;
	uint32_t min, v;
	*cp = BAD_CP;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf)
		len = 2, min = 0x80, v = b & 0x1fu;
	else if (b >= 0xe0 && b <= 0xef)
		len = 3, min = 0x800, v = b & 0x0fu;
	else if (b >= 0xf0 && b <= 0xf4)
		len = 4, min = 0x10000, v = b & 0x07u;
	else
		return 1;
	if (n < len)
		return 1;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 1;
		v = (v << 6) | (p[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 1;
	*cp = v;
	return len;
}

/* The lower-case ASCII letters or digit a code point folds to, written to
 * out; returns how many (0: not a letter or digit we know). */
static size_t fold_cp(uint32_t cp, char out[2])
{
	const char *s;
	if (cp >= 'A' && cp <= 'Z') {
		out[0] = (char)(cp - 'A' + 'a');
		return 1;
	}
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp >= 0xc0 && cp <= 0xff)
		s = latin1[cp - 0xc0];
	else if (cp >= 0x100 && cp <= 0x17f)
		s = latin_ext_a[cp - 0x100];
	else
		return 0;
	size_t n = strlen(s);
	memcpy(out, s, n);
	return n;
}

/* Apostrophes (straight, back-tick, curly, modifier letter, acute) and
 * combining marks: dropped inside a word rather than splitting it. */
static bool is_silent(uint32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0xb4 || cp == 0x2bc || cp == 0x2018 ||
	       cp == 0x2019 || (cp >= 0x300 && cp <= 0x36f);
}

size_t jup_link_fold_name(jup_sv s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t len = 0, i = 0;
	if (cap == 0)
		return 0;
	while (i < s.len && len + 1 < cap) {
		uint32_t cp;
		char f[2];
		i += utf8_next(p + i, s.len - i, &cp);
		size_t n = cp == BAD_CP ? 0 : fold_cp(cp, f);
		for (size_t k = 0; k < n && len + 1 < cap; k++)
			if (f[k] >= 'a' && f[k] <= 'z')
				out[len++] = f[k];
	}
	out[len] = '\0';
	return len;
}

size_t link_fold_text(jup_sv s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t len = 0, i = 0;
	bool gap = false;
	if (cap == 0)
		return 0;
	while (i < s.len && len + 1 < cap) {
		uint32_t cp;
		char f[2];
		i += utf8_next(p + i, s.len - i, &cp);
		if (cp == BAD_CP || is_silent(cp))
			continue;
		size_t n = fold_cp(cp, f);
		if (n == 0) {
			gap = len > 0;
			continue;
		}
		/* a word after a gap needs room for the space and one character */
		if (gap && len + 2 >= cap)
			break;
		if (gap)
			out[len++] = ' ';
		gap = false;
		for (size_t k = 0; k < n && len + 1 < cap; k++)
			out[len++] = f[k];
	}
	out[len] = '\0';
	return len;
}

/* ---- phonetic code ---------------------------------------------------------- */

/* American Soundex digits for a..z; '0' for vowels, h, w and y. */
static const char soundex_digit[27] = "01230120022455012623010202";

uint32_t jup_link_phonetic(const char *folded)
{
	const char *p = folded;
	while (*p && (*p < 'a' || *p > 'z'))
		p++;
	if (!*p)
		return 0;
	uint32_t code = (uint32_t)(*p - 'a' + 'A') << 24;
	char prev = soundex_digit[*p - 'a'];
	int shift = 16;
	for (p++; *p && shift >= 0; p++) {
		if (*p < 'a' || *p > 'z')
			continue;
		char d = soundex_digit[*p - 'a'];
		if (*p == 'h' || *p == 'w') /* do not separate equal codes */
			continue;
		if (d != '0' && d != prev) {
			code |= (uint32_t)(unsigned char)d << shift;
			shift -= 8;
		}
		prev = d;
	}
	for (; shift >= 0; shift -= 8)
		code |= (uint32_t)'0' << shift;
	return code;
}
