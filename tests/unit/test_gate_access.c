/*
 * test_gate_access.c - nothing reads personal data around the purpose gate.
 *
 * Reads every source file under src/ and fails when a module outside the
 * list below names a table holding personal data (or the store's record
 * lookup), when any module but the store carries SQL, or when the care
 * module (the reader behind the gate) exports a function that does not take
 * the gate's decision (but for the reviewed few listed with their reasons).
 * A new module that needs such tables must be added to the list with its
 * reason, in review.
 */
#include "jup_test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The modules that may touch person tables, and why. */
static const struct {
	const char *module, *why;
} allowed[] = {
	{ "store", "implements the tables" },
	{ "ingest", "writes imported records and opt-out lists" },
	{ "link", "linkage: matching records into persons (audited system purpose)" },
	{ "consent", "what applies to a person: decisions, lists, participation (no demographics)" },
	{ "gate", "the purpose gate: care relationships, break-glass grants" },
	{ "care", "the record reader, behind a logged permit of the gate" },
	{ "person", "who holds an NHS number: person ids and record references; search compares "
		    "names, birth dates and NHS numbers but gives back ids only, and the FHIR "
		    "server puts every id found through the gate" },
};

/* Tables with personal data, as the code names them. The audit log's tables
 * (audit_entry, audit_person_run) are not among them: they hold person ids
 * as references only, and the audit module must write and read them. */
static const char *const person_tables[] = {
	"JUP_TABLE_SOURCE_RECORD", "JUP_TABLE_GP_REGISTRATION", "JUP_TABLE_CONDITION",
	"JUP_TABLE_MEDICATION",	   "JUP_TABLE_EOL_PLAN",	"JUP_TABLE_ADMISSION",
	"JUP_TABLE_ADMISSION_DIAGNOSIS", "JUP_TABLE_AE_ATTENDANCE", "JUP_TABLE_SC_ASSESSMENT",
	"JUP_TABLE_SC_SERVICE",	   "JUP_TABLE_SC_CONSENT",	"JUP_TABLE_CARE_TEAM",
	"JUP_TABLE_DEATH",	   "JUP_TABLE_OPT_OUT",		"JUP_TABLE_OPT_OUT_CHANGE",
	"JUP_TABLE_PERSON",	   "JUP_TABLE_PERSON_MEMBER",	"JUP_TABLE_LINK_PAIR",
	"JUP_TABLE_CONSENT_DECISION", "JUP_TABLE_BREAK_GLASS", "JUP_TABLE_CARE_PLAN",
	"JUP_TABLE_PERSON_NAME", "JUP_TABLE_LINK_KEY", "jup_store_source_find",
};

static char src_root[1024];

static bool is_ident(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Whether word occurs in text as a whole identifier. */
static bool names(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || !is_ident(p[-1])) && !is_ident(p[n]))
			return true;
	return false;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	size_t got = fread(text, 1, (size_t)n, f);
	text[got] = 0;
	fclose(f);
	return text;
}

static bool module_allowed(const char *module)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(module, allowed[i].module) == 0)
			return true;
	return false;
}

typedef struct findings {
	int files, person_refs, violations;
} findings;

static void check_file(const char *module, const char *path, findings *f)
{
	char *text = slurp(path);
	f->files++;
	for (size_t i = 0; i < sizeof person_tables / sizeof person_tables[0]; i++) {
		if (!names(text, person_tables[i]))
			continue;
		f->person_refs++;
		if (!module_allowed(module)) {
			print_error("%s: module %s names %s outside the purpose gate\n", path,
				    module, person_tables[i]);
			f->violations++;
		}
	}
	bool sql = strstr(text, "\"SELECT ") || strstr(text, "\"INSERT INTO ") ||
		   strstr(text, "\"DELETE FROM ") || strstr(text, "\"UPDATE ");
	if (sql && strcmp(module, "store") != 0) {
		print_error("%s: SQL outside the store\n", path);
		f->violations++;
	}
	free(text);
}

static bool source_file(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static void walk(findings *f)
{
	DIR *top = opendir(src_root);
	if (!top)
		fail_msg("cannot open %s", src_root);
	for (struct dirent *m; (m = readdir(top));) {
		if (m->d_name[0] == '.')
			continue;
		char dir[1280];
		snprintf(dir, sizeof dir, "%s/%s", src_root, m->d_name);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		for (struct dirent *e; (e = readdir(d));) {
			if (!source_file(e->d_name))
				continue;
			char path[1600];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			check_file(m->d_name, path, f);
		}
		closedir(d);
	}
	closedir(top);
}

static void test_no_person_tables_outside_the_gate(void **state)
{
	(void)state;
	findings f = { 0 };
	walk(&f);
	assert_true(f.files > 50);       /* the tree was really read */
	assert_true(f.person_refs > 10); /* and the check can see what it looks for */
	assert_int_equal(f.violations, 0);
}

/* The check itself: a file naming a person table from the CLI fails it. */
static void test_the_check_catches_a_violation(void **state)
{
	(void)state;
	const char *dir = jup_test_tmpdir();
	const char *path = jup_test_write_file(
		dir, "cmd_peek.c",
		"static int peek(jup_store *st) { return jup_store_scan(st, "
		"JUP_TABLE_SOURCE_RECORD, 0, 0, 0, 0, 0); }\n");
	findings f = { 0 };
	check_file("cli", path, &f);
	assert_int_equal(f.violations, 1);
	f = (findings){ 0 };
	check_file("gate", path, &f);
	assert_int_equal(f.violations, 0);
	path = jup_test_write_file(dir, "cmd_sql.c", "const char *q = \"SELECT * FROM person\";\n");
	check_file("cli", path, &f);
	assert_int_equal(f.violations, 1);
}

/* The care module's exports that take no decision, and why. */
static const struct {
	const char *name, *why;
} undecided[] = {
	{ "jup_care_plan_validate(", "checks a write's JSON; reads nothing stored" },
	{ "jup_care_plan_seed_eol(", "a system job (the demo): the GP end-of-life registers "
				     "become plans, each write audited; it returns no record" },
	{ "jup_care_plan_person(", "a plan id to the id of its person, so the gate can be asked "
				   "before the plan is read; returns no record" },
};

static bool undecided_ok(const char *decl)
{
	for (size_t i = 0; i < sizeof undecided / sizeof undecided[0]; i++)
		if (strstr(decl, undecided[i].name))
			return true;
	return false;
}

/* Every function the care module exports takes the gate's decision, but
 * for the reviewed few above. */
static void test_care_reads_only_with_a_decision(void **state)
{
	(void)state;
	static const char *const headers[] = { "jup_care.h", "jup_care_plan.h" };
	int exported = 0;
	for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++) {
		char path[1100];
		snprintf(path, sizeof path, "%s/care/%s", src_root, headers[h]);
		char *text = slurp(path);
		for (char *p = strstr(text, "\njup_status "); p; p = strstr(p + 1, "\njup_status ")) {
			char *end = strchr(p, ';');
			assert_non_null(end);
			*end = 0;
			exported++;
			if (!strstr(p, "const jup_gate_decision *") && !undecided_ok(p))
				fail_msg("care exports a reader without a gate decision: %.80s",
					 p + 1);
			*end = ';';
		}
		free(text);
	}
	assert_true(exported >= 5);
}

int main(void)
{
	const char *data = getenv("JUP_TEST_DATA"); /* <source>/tests/data */
	if (!data) {
		fprintf(stderr, "JUP_TEST_DATA is not set\n");
		return 1;
	}
	snprintf(src_root, sizeof src_root, "%s/../../src", data);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_person_tables_outside_the_gate),
		cmocka_unit_test(test_the_check_catches_a_violation),
		cmocka_unit_test(test_care_reads_only_with_a_decision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
