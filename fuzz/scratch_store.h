/*
 * scratch_store.h - a throwaway store for fuzz targets: a scratch folder with
 * a database in it, files written there and imported, all removed at exit.
 */
#ifndef SCRATCH_STORE_H
#define SCRATCH_STORE_H

#include "store/jup_store.h"

#include <stddef.h>

/* scratch_open: make /tmp/jup-fuzz-NAME-XXXXXX with a new store in it;
 * aborts on failure. The folder and store go at exit. */
jup_store *scratch_open(const char *name);

/* scratch_write: write len bytes to the scratch folder as `name`; the full
 * path goes to path (512 bytes). Aborts on failure. */
void scratch_write(const char *name, const void *data, size_t len, char path[512]);

/* scratch_import: import the file at path (dates as of 2026-11-23). */
jup_status scratch_import(const char *path);

/* scratch_import_text: write text as `name` and import it; aborts unless it
 * imports cleanly. The file is removed afterwards. */
void scratch_import_text(const char *name, const char *text);

#endif
