/* Evidence files per criterion (minh chứng, score_evidence in the files
 * table): the unit's own officer adds them while self-scoring and while
 * explaining, removes them (removed_at; the file stays for the record)
 * only while its sheet is a draft; whoever reads the sheet downloads them.
 * docs/scoring.md "Scoring stages". */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/files.h"
#include "features/score_int.h"
#include "features/score_sheets.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

/* The kinds of evidence accepted: by the name's ending and the file's first
 * bytes, so a renamed program is not stored as a PDF. The type stored (and
 * sent back on download) is ours, never the client's. */
static const struct {
    const char *ext, *type, *magic;
    size_t magic_len;
} kinds[] = {
    {".pdf", "application/pdf", "%PDF-", 5},
    {".png", "image/png", "\x89PNG\r\n\x1a\n", 8},
    {".jpg", "image/jpeg", "\xff\xd8\xff", 3},
    {".jpeg", "image/jpeg", "\xff\xd8\xff", 3},
    {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "PK\x03\x04", 4},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04",
     4},
};

const char *score_evidence_check(struct request *req, const char *field)
{
    const struct param_value *f = req_value(req, field);
    if (!f || !f->present || !f->len) {
        req_reject(req, field, _("Hãy chọn tệp minh chứng."));
        return NULL;
    }
    if (f->len > SCORE_EVIDENCE_MAX) {
        req_reject(req, field, _("Tệp minh chứng quá lớn: tối đa %d MB."),
                   SCORE_EVIDENCE_MAX / (1024 * 1024));
        return NULL;
    }
    const char *name = f->text ? f->text : "";
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t e = strlen(kinds[i].ext);
        if (n > e && strcasecmp(name + n - e, kinds[i].ext) == 0 &&
            f->len >= kinds[i].magic_len &&
            memcmp(f->data, kinds[i].magic, kinds[i].magic_len) == 0)
            return kinds[i].type;
    }
    req_reject(req, field,
               _("Tệp minh chứng phải là PDF, ảnh (PNG, JPEG), Word (.docx) hoặc Excel (.xlsx)."));
    return NULL;
}

/* In a new transaction: the table and unit of the path, the caller the
 * unit's own officer, the table locked. NULL after failing (rolled back). */
static json_t *own_sheet_table(struct request *req, int64_t *unit)
{
    if (db_begin(req->db) != OK) {
        req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        return NULL;
    }
    json_t *t = score_table_for(req, unit);
    if (t && json_is_true(json_object_get(t, "is_draft"))) {
        json_decref(t);
        t = NULL;
        req_reject(req, "table", _("Bảng tiêu chí chưa khóa nên chưa nộp minh chứng được."));
    }
    if (t && !score_is_own(req, *unit)) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Chỉ cán bộ của chính đơn vị mới nộp, gỡ minh chứng của đơn vị."));
    }
    if (!t)
        db_rollback(req->db);
    return t;
}

static enum result back_to_sheet(struct request *req, int64_t tid, int64_t unit,
                                 const char *flash)
{
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        flash);
}

/* Files are bounded one by one (SCORE_EVIDENCE_MAX) and in number per
 * criterion, so one sheet cannot grow the database without end. */
enum { SCORE_EVIDENCE_PER_CRITERION = 20 };

static int evidence_count(struct db *db, int64_t sheet, int64_t node)
{
    struct db_stmt *s = db_query(db, "SELECT count(*) FROM score_evidence WHERE sheet_id = ? "
                                     "AND node_id = ? AND removed_at IS NULL");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    int n = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : 0;
    db_done(s);
    return n;
}

enum result score_evidence_add(struct request *req)
{
    int64_t unit = 0;
    json_t *t = own_sheet_table(req, &unit);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    const char *stage = sj_str(t, "stage");
    char status[16];
    int64_t sheet = score_sheet_of(req->db, tid, unit, status, NULL);
    /* while self-scoring (the sheet not yet submitted) and while explaining */
    bool open = (strcmp(stage, "self") == 0 && strcmp(status, "submitted") != 0) ||
                strcmp(stage, "explain") == 0;
    const char *stage_name = arena_strdup(req->arena, sj_str(t, "stage_name"));
    struct score_tree tr;
    score_tree_of(t, &tr);
    size_t i = score_tree_index(&tr, req_int(req, "node_id", 0));
    bool leaf = i < tr.n && tr.nodes[i].kind != SCORE_GROUP;
    int64_t node = leaf ? tr.ids[i] : 0;
    score_tree_free(&tr);
    json_decref(t);
    if (!open) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Chỉ nộp minh chứng khi đang tự chấm (phiếu chưa nộp) hoặc khi giải "
                          "trình (nay: %s)."),
                        stage_name);
    }
    const char *type = NULL;
    if (!leaf)
        req_reject(req, "node_id", _("Hãy chọn một tiêu chí của bảng này."));
    else if (sheet && evidence_count(req->db, sheet, node) >= SCORE_EVIDENCE_PER_CRITERION)
        req_reject(req, "file",
                   _("Mỗi tiêu chí có tối đa %d tệp minh chứng; hãy gỡ bớt tệp không cần hoặc "
                     "gộp lại thành một tệp PDF."),
                   SCORE_EVIDENCE_PER_CRITERION);
    else
        type = score_evidence_check(req, "file");
    if (!type) {
        db_rollback(req->db);
        return score_sheet_again(req);
    }
    const struct param_value *f = req_value(req, "file");
    char now[21];
    date_now_utc(now);
    json_t *before = sheet ? score_sheet_get(req->db, sheet) : NULL;
    if (!sheet)
        sheet = score_sheet_ensure(req->db, tid, unit, now);
    int64_t file = 0;
    if (!sheet || (before && score_sheet_touch(req, sheet, NULL, NULL, now) != OK) ||
        file_store(req->db, f->text, type, f->data, f->len, &file) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "INSERT INTO score_evidence (sheet_id, node_id, "
                                          "file_id, user_id, created_at) VALUES (?, ?, ?, ?, ?)");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    db_bind_int(s, 3, file);
    db_bind_int(s, 4, req->user->id);
    db_bind_text(s, 5, now);
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "evidence_add", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    req->status = 201;
    return back_to_sheet(req, tid, unit, _("Đã nộp minh chứng."));
}

/* The evidence {eid} of the path on (table, unit)'s sheet, not removed:
 * its id and file; 0 when none. */
static int64_t evidence_of(struct request *req, int64_t tid, int64_t unit, int64_t *sheet,
                           int64_t *file)
{
    struct db_stmt *s = db_query(req->db, "SELECT e.id, e.sheet_id, e.file_id FROM score_evidence "
                                          "e JOIN score_sheets h ON h.id = e.sheet_id WHERE e.id = "
                                          "? AND h.table_id = ? AND h.unit_id = ? AND "
                                          "e.removed_at IS NULL");
    db_bind_int(s, 1, req_path_int(req, "eid"));
    db_bind_int(s, 2, tid);
    db_bind_int(s, 3, unit);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int(s, 0);
        *sheet = db_col_int(s, 1);
        *file = db_col_int(s, 2);
    }
    db_done(s);
    return id;
}

enum result score_file_send(struct request *req, int64_t file)
{
    struct db_stmt *s =
        db_query(req->db, "SELECT name, content_type, data FROM files WHERE id = ?");
    db_bind_int(s, 1, file);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có tệp này."));
    }
    size_t len = 0;
    const void *data = db_col_blob(s, 2, &len);
    char *copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    const char *name = arena_strdup(req->arena, db_col_text(s, 0));
    const char *type = arena_strdup(req->arena, db_col_text(s, 1));
    db_done(s);
    return req_download(req, copy, len, type, name);
}

enum result score_evidence_get(struct request *req)
{
    int64_t unit = 0, sheet = 0, file = 0;
    json_t *t = score_table_for(req, &unit);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    if (!evidence_of(req, tid, unit, &sheet, &file))
        return req_fail(req, E_NOTFOUND, NULL, _("Không có minh chứng số hiệu %lld."),
                        (long long)req_path_int(req, "eid"));
    return score_file_send(req, file);
}

enum result score_evidence_remove(struct request *req)
{
    int64_t unit = 0, sheet = 0, file = 0;
    json_t *t = own_sheet_table(req, &unit);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    bool self = strcmp(sj_str(t, "stage"), "self") == 0;
    json_decref(t);
    if (!evidence_of(req, tid, unit, &sheet, &file)) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có minh chứng số hiệu %lld."),
                        (long long)req_path_int(req, "eid"));
    }
    char status[16];
    score_sheet_of(req->db, tid, unit, status, NULL);
    if (!self || strcmp(status, "submitted") == 0) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Chỉ gỡ được minh chứng khi phiếu tự chấm chưa nộp."));
    }
    char now[21];
    date_now_utc(now);
    json_t *before = score_sheet_get(req->db, sheet);
    struct db_stmt *s = db_query(req->db, "UPDATE score_evidence SET removed_at = ? WHERE id = ?");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, req_path_int(req, "eid"));
    if (db_run(s) != DB_DONE || score_sheet_touch(req, sheet, NULL, NULL, now) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "evidence_remove", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return back_to_sheet(req, tid, unit, _("Đã gỡ minh chứng."));
}
