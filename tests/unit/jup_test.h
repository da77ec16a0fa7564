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

#endif
