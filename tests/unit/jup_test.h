/* jup_test.h - shared helpers for the cmocka unit tests. */
#ifndef JUP_TEST_H
#define JUP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/jup_str.h"

/* jup_test_tmpdir: a fresh empty directory for this test process (removed at
 * exit); the returned string is owned by the helper. */
const char *jup_test_tmpdir(void);

/* jup_test_write_file: write NUL-terminated text to dir/name; returns the
 * full path in a static buffer rotated over 8 calls. */
const char *jup_test_write_file(const char *dir, const char *name, const char *text);

/* jup_test_copy_file: copy a file byte for byte; fails the test on error. */
void jup_test_copy_file(const char *from, const char *to);

/* jup_test_open_store: open (creating) the store at path; fails the test
 * when it cannot. */
struct jup_store *jup_test_open_store(const char *path);

/* jup_test_open_copy: copy the (closed) store at base to tmpdir/name and
 * open the copy. */
struct jup_store *jup_test_open_copy(const char *base, const char *name);

#endif
