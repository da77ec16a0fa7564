/*
 * jup_file.h - a file's bytes, mapped read-only into memory.
 */
#ifndef JUP_FILE_H
#define JUP_FILE_H

#include "core/jup_status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct jup_file {
	int fd;
	char *data; /* NULL for an empty file */
	size_t len;
} jup_file;

/* jup_file_map: map the regular file at path (at most max bytes, else
 * JUP_ERR_LIMIT). JUP_ERR_IO when it cannot be opened or is not a regular
 * file. On success the caller calls jup_file_unmap. */
jup_status jup_file_map(const char *path, int64_t max, jup_file *m, jup_err *err)
	JUP_MUST_CHECK;

/* jup_file_unmap: release what jup_file_map took. */
void jup_file_unmap(jup_file *m);

#endif
