/* Uploaded files kept in the database (the `files` table), so what was
 * imported can be shown again and nothing depends on a server's disk. */
#ifndef TDKT_FEATURES_FILES_H
#define TDKT_FEATURES_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

struct db;

enum { FILE_MAX_BYTES = 10 * 1024 * 1024 };

/* Stores data[0..len) with its name and content type; *id receives the new
 * row. Files above FILE_MAX_BYTES are refused (E_TOOBIG). Call inside the
 * transaction of the write the file belongs to. */
enum result file_store(struct db *db, const char *name, const char *content_type,
                       const void *data, size_t len, int64_t *id);

#endif
