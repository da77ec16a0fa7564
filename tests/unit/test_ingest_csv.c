/*
 * test_ingest_csv.c - unit tests for the streaming CSV reader
 * (src/ingest/jup_ingest_csv.c).
 *
 * Most cases are a table: an input and the transcript of reading it to the
 * end. A transcript lists each call's result separated by spaces: a record
 * is its starting line, a colon and each field in brackets ("2:[a][b,c]");
 * an error is its line, a colon and "!INVALID" or "!LIMIT". CR and LF inside
 * fields are written \r and \n. Limits and view placement are tested apart.
 */
#include "jup_test.h"

#include "core/jup_buf.h"
#include "core/jup_limits.h"
#include "ingest/jup_ingest_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* Is the view v inside [base, base+len)? */
static bool inside(jup_sv v, const char *base, size_t len)
{
	return base && v.ptr >= base && v.ptr + v.len <= base + len;
}

static void add(jup_buf *b, const char *s)
{
	assert_int_equal(jup_buf_append_cstr(b, s), JUP_OK);
}

static void add_field(jup_buf *b, jup_sv f)
{
	add(b, "[");
	for (size_t i = 0; i < f.len; i++) {
		char ch[2] = { f.ptr[i], 0 };
		add(b, f.ptr[i] == '\r' ? "\\r" : f.ptr[i] == '\n' ? "\\n" : ch);
	}
	add(b, "]");
}

/* Read everything in data with at most max fields per record; the transcript
 * goes to out. Checks on the way that every call moves forward, that views
 * lie inside the input or the scratch buffer and that reasons are set. */
static void transcript(const char *data, size_t len, size_t max, jup_buf *out)
{
	jup_csv c;
	jup_sv fields[JUP_CSV_MAX_FIELDS + 8];
	assert_true(max <= N(fields));
	jup_ingest_csv_init(&c, data, len);
	for (size_t calls = 0;; calls++) {
		size_t nf = 99, before = c.pos;
		int64_t line = -1;
		jup_err err = { "" };
		jup_status st = jup_ingest_csv_next(&c, fields, max, &nf, &line, &err);
		assert_true(calls <= len + 1);
		if (st == JUP_ERR_NOT_FOUND) {
			assert_int_equal(nf, 0);
			break;
		}
		assert_true(c.pos > before);
		if (out->len)
			add(out, " ");
		assert_int_equal(jup_buf_append_i64(out, line), JUP_OK);
		add(out, ":");
		if (st != JUP_OK) {
			assert_int_equal(nf, 0);
			assert_true(err.msg[0] != '\0');
			add(out, st == JUP_ERR_LIMIT ? "!LIMIT" : st == JUP_ERR_INVALID ? "!INVALID"
										: "!OTHER");
			continue;
		}
		assert_true(nf >= 1 && nf <= max);
		for (size_t i = 0; i < nf; i++) {
			assert_true(inside(fields[i], data, len) ||
				    inside(fields[i], c.scratch.data, c.scratch.len));
			add_field(out, fields[i]);
		}
	}
	jup_ingest_csv_free(&c);
}

typedef struct ccase {
	const char *name;
	const char *in;
	size_t len;
	size_t max; /* 0: 8 */
	const char *want;
} ccase;

#define C(name, in, want)         { name, in, sizeof(in) - 1, 0, want }
#define CMAX(name, in, max, want) { name, in, sizeof(in) - 1, max, want }

static void run_csv_cases(const ccase *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		jup_buf out;
		jup_buf_init(&out, 0);
		transcript(t[i].in, t[i].len, t[i].max ? t[i].max : 8, &out);
		if (strcmp(jup_buf_sv(&out).ptr, t[i].want) != 0)
			fail_msg("case \"%s\": got \"%s\", expected \"%s\"", t[i].name,
				 jup_buf_sv(&out).ptr, t[i].want);
		jup_buf_free(&out);
	}
}

static void test_csv_wellformed(void **state)
{
	(void)state;
	static const ccase t[] = {
		C("empty input", "", ""),
		C("only line breaks", "\n\r\n\n", ""),
		C("one field", "a\n", "1:[a]"),
		C("LF endings", "a,b,c\nd,e,f\n", "1:[a][b][c] 2:[d][e][f]"),
		C("CRLF endings", "a,b\r\nc,d\r\n", "1:[a][b] 2:[c][d]"),
		C("mixed endings", "a\r\nb\nc\r\n", "1:[a] 2:[b] 3:[c]"),
		C("no final newline", "a,b\nc,d", "1:[a][b] 2:[c][d]"),
		C("no final newline, quoted", "a\n\"c\"", "1:[a] 2:[c]"),
		C("empty lines skipped", "a\n\n\nb\n\n", "1:[a] 4:[b]"),
		C("empty CRLF lines skipped", "\r\na\r\n\r\nb\r\n", "2:[a] 4:[b]"),
		C("BOM skipped", "\xEF\xBB\xBFid,name\n1,x\n", "1:[id][name] 2:[1][x]"),
		C("BOM then nothing", "\xEF\xBB\xBF", ""),
		C("BOM only at the start", "a\n\xEF\xBB\xBF\n", "1:[a] 2:[\xEF\xBB\xBF]"),
		C("empty fields", ",a,,b,\n", "1:[][a][][b][]"),
		C("a lone comma", ",", "1:[][]"),
		C("trailing comma at end", "a,", "1:[a][]"),
		C("spaces kept", " a , b \n", "1:[ a ][ b ]"),
		C("quoted comma", "a,\"b,c\",d\n", "1:[a][b,c][d]"),
		C("doubled quotes", "\"say \"\"hi\"\"\",x\n", "1:[say \"hi\"][x]"),
		C("only a doubled quote", "\"\"\"\"\n", "1:[\"]"),
		C("empty quoted", "\"\",\"\"\n", "1:[][]"),
		C("one empty quoted field", "\"\"\n", "1:[]"),
		C("quoted LF inside", "a,\"x\ny\",z\nnext\n", "1:[a][x\\ny][z] 3:[next]"),
		C("quoted CRLF inside", "a,\"x\r\ny\",z\r\nnext\r\n",
		  "1:[a][x\\r\\ny][z] 3:[next]"),
		C("quoted several lines", "\"1\n2\n3\n\"\nb\n", "1:[1\\n2\\n3\\n] 5:[b]"),
		C("quoted CR kept", "\"a\rb\"\n", "1:[a\\rb]"),
		C("quoted then CRLF", "\"a\"\r\nb", "1:[a] 2:[b]"),
		C("quoted at end of line", "x,\"a\"\ny\n", "1:[x][a] 2:[y]"),
		C("several escaped fields", "\"a\"\"\",\"b\"\"\",\"\"\"c\"\n",
		  "1:[a\"][b\"][\"c]"),
		C("utf-8 bytes pass", "caf\xC3\xA9,\xE2\x82\xAC\n",
		  "1:[caf\xC3\xA9][\xE2\x82\xAC]"),
		C("exactly max fields", "1,2,3,4,5,6,7,8\n", "1:[1][2][3][4][5][6][7][8]"),
	};
	run_csv_cases(t, N(t));
}

static void test_csv_malformed(void **state)
{
	(void)state;
	static const ccase t[] = {
		C("unterminated quote", "a,\"bc\nd\n", "1:!INVALID"),
		C("unterminated quote later", "x\n\"abc", "1:[x] 2:!INVALID"),
		C("unterminated doubled", "\"a\"\"\n", "1:!INVALID"),
		C("quote in unquoted field", "ab\"c,d\ne\n", "1:!INVALID 2:[e]"),
		C("quote after spaces", " \"a\",b\ne\n", "1:!INVALID 2:[e]"),
		C("text after closing quote", "\"a\"b,c\nd\n", "1:!INVALID 2:[d]"),
		C("space after closing quote", "\"a\" ,b\nd\n", "1:!INVALID 2:[d]"),
		C("quote after closing quote", "\"a\" \"\nd\n", "1:!INVALID 2:[d]"),
		C("lone CR in field", "a\rb\nc\n", "1:!INVALID 2:[c]"),
		C("lone CR at line start", "\rx\ny\n", "1:!INVALID 2:[y]"),
		C("lone CR at the end", "a\r", "1:!INVALID"),
		C("CR CR LF", "a\r\r\nb\n", "1:!INVALID 2:[b]"),
		C("lone CR after quote", "\"a\"\rb\nc\n", "1:!INVALID 2:[c]"),
		C("NUL in field", "a\0b\nc\n", "1:!INVALID 2:[c]"),
		C("NUL at line start", "\0\nc\n", "1:!INVALID 2:[c]"),
		C("NUL in quoted field", "\"a\0\"\nc\n", "1:!INVALID 2:[c]"),
		C("NUL after quote", "\"a\"\0\nc\n", "1:!INVALID 2:[c]"),
		C("errors on every line", "\"a\"x\nb\"\n\r\nok\n", "1:!INVALID 2:!INVALID 4:[ok]"),
		C("error inside a multi-line field", "\"a\nb\0\"\nc\n",
		  "1:!INVALID 3:[c]"),
		CMAX("more fields than max", "a,b,c,d\ne\n", 3, "1:!LIMIT 2:[e]"),
		CMAX("max of 1", "a\n", 1, "1:[a]"),
		CMAX("limit skips a multi-line record", "a,b,\"c\nd\"\ne\n", 2, "1:!LIMIT 3:[e]"),
		CMAX("limit then broken structure", "a,b,c\"\nd\n", 2, "1:!INVALID 2:[d]"),
	};
	run_csv_cases(t, N(t));
}

/* After every kind of error the next call reads the next line's record. */
static void test_csv_recovery(void **state)
{
	(void)state;
	static const char *const bad[] = { "a\"b", "\"a\"b", "a\rb", "\"x\"\"", "x,y,z,w" };
	for (size_t i = 0; i < N(bad); i++) {
		char in[64];
		int n = snprintf(in, sizeof in, "h1,h2\n%s\nnext,line\n", bad[i]);
		jup_buf out;
		jup_buf_init(&out, 0);
		transcript(in, (size_t)n, 3, &out);
		const char *want = i == 3 ? "1:[h1][h2] 2:!INVALID"
			: i == 4 ? "1:[h1][h2] 2:!LIMIT 3:[next][line]"
				 : "1:[h1][h2] 2:!INVALID 3:[next][line]";
		if (strcmp(jup_buf_sv(&out).ptr, want) != 0)
			fail_msg("bad line %zu: got \"%s\"", i, jup_buf_sv(&out).ptr);
		jup_buf_free(&out);
	}
}

/* Build a record from a pattern: count copies of unit, then tail. */
static char *repeat(const char *head, const char *unit, size_t count, const char *tail,
		    size_t *len)
{
	jup_buf b;
	jup_buf_init(&b, 0);
	add(&b, head);
	for (size_t i = 0; i < count; i++)
		add(&b, unit);
	add(&b, tail);
	*len = b.len;
	return b.data; /* the caller frees */
}

static jup_status read_one(const char *in, size_t len, size_t max, size_t *nf, jup_err *err)
{
	jup_csv c;
	jup_sv f[JUP_CSV_MAX_FIELDS + 8];
	int64_t line;
	jup_ingest_csv_init(&c, in, len);
	jup_status st = jup_ingest_csv_next(&c, f, max, nf, &line, err);
	jup_ingest_csv_free(&c);
	return st;
}

static void test_csv_field_limit(void **state)
{
	(void)state;
	static const struct {
		const char *head, *unit;
		size_t count;
		const char *tail;
		jup_status st;
	} t[] = {
		{ "", "a", JUP_CSV_MAX_FIELD_LEN, "\n", JUP_OK },
		{ "", "a", JUP_CSV_MAX_FIELD_LEN + 1, "\n", JUP_ERR_LIMIT },
		{ "\"", "a", JUP_CSV_MAX_FIELD_LEN, "\"\n", JUP_OK },
		{ "\"", "a", JUP_CSV_MAX_FIELD_LEN + 1, "\"\n", JUP_ERR_LIMIT },
		{ "\"", "\"\"", JUP_CSV_MAX_FIELD_LEN, "\"\n", JUP_OK },
		{ "\"", "\"\"", JUP_CSV_MAX_FIELD_LEN + 1, "\"\n", JUP_ERR_LIMIT },
		{ "x,\"", "a\"\"", JUP_CSV_MAX_FIELD_LEN / 2, "\",y\n", JUP_OK },
		{ "x,\"", "a\"\"", JUP_CSV_MAX_FIELD_LEN / 2 + 1, "\",y\n", JUP_ERR_LIMIT },
	};
	for (size_t i = 0; i < N(t); i++) {
		size_t len, nf;
		jup_err err = { "" };
		char *in = repeat(t[i].head, t[i].unit, t[i].count, t[i].tail, &len);
		jup_status st = read_one(in, len, 8, &nf, &err);
		if (st != t[i].st)
			fail_msg("case %zu: %s (%s)", i, jup_strerror(st), err.msg);
		if (st == JUP_ERR_LIMIT)
			assert_non_null(strstr(err.msg, "longer than 4096 bytes"));
		free(in);
	}
}

static void test_csv_row_and_count_limits(void **state)
{
	(void)state;
	size_t len, nf;
	jup_err err;
	char *in;
	/* 16 fields of 4095 bytes and their commas: 65536 bytes, the limit */
	char big[JUP_CSV_MAX_FIELD_LEN + 2];
	memset(big, 'y', JUP_CSV_MAX_FIELD_LEN - 1);
	big[JUP_CSV_MAX_FIELD_LEN - 1] = ',';
	big[JUP_CSV_MAX_FIELD_LEN] = '\0';
	in = repeat("", big, 16, "", &len);
	assert_int_equal(len, JUP_CSV_MAX_ROW_LEN);
	assert_int_equal(read_one(in, len - 1, 16, &nf, &err), JUP_OK); /* no last comma */
	assert_int_equal(nf, 16);
	assert_int_equal(read_one(in, len, 17, &nf, &err), JUP_OK); /* 17th empty */
	assert_int_equal(nf, 17);
	free(in);
	in = repeat("", big, 16, "z", &len); /* one byte over */
	assert_int_equal(read_one(in, len, 17, &nf, &err), JUP_ERR_LIMIT);
	assert_string_equal(err.msg, "row longer than 65536 bytes");
	free(in);

	/* 64 fields are fine, 65 are not, even when the caller has room */
	in = repeat("", "1,", 63, "1", &len);
	assert_int_equal(read_one(in, len, JUP_CSV_MAX_FIELDS + 8, &nf, &err), JUP_OK);
	assert_int_equal(nf, JUP_CSV_MAX_FIELDS);
	free(in);
	in = repeat("", "1,", 64, "1", &len);
	assert_int_equal(read_one(in, len, JUP_CSV_MAX_FIELDS + 8, &nf, &err), JUP_ERR_LIMIT);
	assert_string_equal(err.msg, "more than 64 fields (the limit)");
	free(in);
	assert_int_equal(read_one("a,b,c", 5, 2, &nf, &err), JUP_ERR_LIMIT);
	assert_string_equal(err.msg, "more than 2 fields");
	assert_int_equal(read_one("a", 1, 0, &nf, &err), JUP_ERR_LIMIT);
}

/* Line numbers count physical lines, and a record reports where it starts. */
static void test_csv_line_numbers(void **state)
{
	(void)state;
	static const char in[] = "h\r\n\"a\r\nb\r\nc\",d\r\n\r\n\"\ne\"\nlast";
	jup_csv c;
	jup_sv f[4];
	size_t nf;
	int64_t line;
	jup_err err;
	static const int64_t want[] = { 1, 2, 6, 8 };
	jup_ingest_csv_init(&c, in, sizeof in - 1);
	for (size_t i = 0; i < N(want); i++) {
		assert_int_equal(jup_ingest_csv_next(&c, f, 4, &nf, &line, &err), JUP_OK);
		assert_int_equal(line, want[i]);
	}
	assert_int_equal(jup_ingest_csv_next(&c, f, 4, &nf, &line, &err), JUP_ERR_NOT_FOUND);
	jup_ingest_csv_free(&c);
}

/* Unquoted and plain quoted fields are views of the input; escaped ones live
 * in the scratch buffer, and all stay put until the next call. */
static void test_csv_views(void **state)
{
	(void)state;
	static const char in[] = "plain,\"quoted, plain\",\"esc\"\"aped\",\"two\"\"\"\n"
				 "\"again\"\"\",x\n";
	jup_csv c;
	jup_sv f[8];
	size_t nf;
	int64_t line;
	jup_err err;
	jup_ingest_csv_init(&c, in, sizeof in - 1);
	assert_int_equal(jup_ingest_csv_next(&c, f, 8, &nf, &line, &err), JUP_OK);
	assert_int_equal(nf, 4);
	assert_true(inside(f[0], in, sizeof in - 1));
	assert_true(inside(f[1], in, sizeof in - 1));
	assert_true(inside(f[2], c.scratch.data, c.scratch.len));
	assert_true(inside(f[3], c.scratch.data, c.scratch.len));
	assert_true(jup_sv_eq_cstr(f[1], "quoted, plain"));
	assert_true(jup_sv_eq_cstr(f[2], "esc\"aped"));
	assert_true(jup_sv_eq_cstr(f[3], "two\""));
	const char *scratch = c.scratch.data;
	assert_int_equal(jup_ingest_csv_next(&c, f, 8, &nf, &line, &err), JUP_OK);
	assert_ptr_equal(c.scratch.data, scratch); /* reused, not reallocated */
	assert_true(jup_sv_eq_cstr(f[0], "again\""));
	assert_int_equal(c.scratch.len, 6); /* the scratch holds one record */
	jup_ingest_csv_free(&c);
	jup_ingest_csv_free(&c); /* freeing twice is harmless */
}

/* Reasons name the column and never carry the input's bytes. */
static void test_csv_reasons(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *reason;
	} t[] = {
		{ "SECRET,\"SECRET", "column 2: unterminated quoted field" },
		{ "SECRET,SEC\"RET", "column 2: quote inside an unquoted field" },
		{ "\"SECRET\"SECRET", "column 1: text after a closing quote" },
		{ "SECRET,SECRET\rSECRET", "column 2: carriage return without line feed" },
	};
	for (size_t i = 0; i < N(t); i++) {
		size_t nf;
		jup_err err;
		assert_int_equal(read_one(t[i].in, strlen(t[i].in), 8, &nf, &err),
				 JUP_ERR_INVALID);
		assert_string_equal(err.msg, t[i].reason);
	}
	size_t nf;
	jup_err err;
	assert_int_equal(read_one("SECRET,S\0CRET", 13, 8, &nf, &err), JUP_ERR_INVALID);
	assert_string_equal(err.msg, "column 2: nul byte");
}

/* A NULL buffer of length 0 is an empty input. */
static void test_csv_null_input(void **state)
{
	(void)state;
	jup_csv c;
	size_t nf;
	int64_t line;
	jup_err err;
	jup_ingest_csv_init(&c, NULL, 0);
	assert_int_equal(jup_ingest_csv_next(&c, NULL, 0, &nf, &line, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(line, 1);
	jup_ingest_csv_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_wellformed),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_csv_recovery),
		cmocka_unit_test(test_csv_field_limit),
		cmocka_unit_test(test_csv_row_and_count_limits),
		cmocka_unit_test(test_csv_line_numbers),
		cmocka_unit_test(test_csv_views),
		cmocka_unit_test(test_csv_reasons),
		cmocka_unit_test(test_csv_null_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
