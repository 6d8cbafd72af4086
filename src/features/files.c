#include "features/files.h"

#include <sodium.h>

#include "db/db.h"
#include "lib/date.h"

enum result file_store(struct db *db, const char *name, const char *content_type,
                       const void *data, size_t len, int64_t *id)
{
    if (len > FILE_MAX_BYTES)
        return E_TOOBIG;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "INSERT INTO files (name, content_type, size, sha256, data, "
                                     "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, name && *name ? name : "upload");
    db_bind_text(s, 2, content_type && *content_type ? content_type : "application/octet-stream");
    db_bind_int(s, 3, (int64_t)len);
    db_bind_text(s, 4, hex);
    db_bind_blob(s, 5, data, len);
    db_bind_text(s, 6, now);
    enum db_step r = db_step(s);
    if (r == DB_ROW)
        *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_ROW ? OK : E_DB;
}
