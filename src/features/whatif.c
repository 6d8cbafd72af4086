/* What-if copies of a criteria table (features/whatif.h). */
#include "features/whatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/ranking_pages.h"
#include "features/score_results.h"
#include "lib/arena.h"
#include "lib/date.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

static int64_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static json_t *x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

json_t *whatif_list(struct request *req, int64_t table_id)
{
    json_t *out = json_array();
    struct db_stmt *s = db_query(req->db, "SELECT id, name FROM criteria_whatifs WHERE "
                                          "table_id = ? ORDER BY id");
    db_bind_int(s, 1, table_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 0), "name",
                           db_col_text(s, 1), "href",
                           arena_printf(req->arena, "/criteria/%lld/whatifs/%lld",
                                        (long long)table_id, (long long)db_col_int(s, 0))));
    db_done(s);
    return out;
}

json_t *whatif_get(struct db *db, int64_t id)
{
    struct db_stmt *s =
        db_query(db, "SELECT id, table_id, name, updated_at FROM criteria_whatifs WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *w = NULL;
    if (db_step(s) == DB_ROW)
        w = json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 0), "table_id",
                      (json_int_t)db_col_int(s, 1), "name", db_col_text(s, 2), "updated_at",
                      db_col_text(s, 3));
    db_done(s);
    if (!w)
        return NULL;
    json_t *nodes = json_array();
    s = db_query(db, "SELECT node_id, max_x100, each_x100 FROM criteria_whatif_nodes WHERE "
                     "whatif_id = ? ORDER BY node_id");
    db_bind_int(s, 1, id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(
            nodes, json_pack("{s:I,s:I,s:o}", "node_id", (json_int_t)db_col_int(s, 0), "max_x100",
                             (json_int_t)db_col_int(s, 1), "each_x100",
                             db_col_is_null(s, 2) ? json_null() : json_integer(db_col_int(s, 2))));
    db_done(s);
    json_object_set_new(w, "nodes", nodes);
    return w;
}

static enum result db_failed(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* The table of the path, the caller one who manages its year; for a write
 * also the stage not locked. NULL after failing. */
static json_t *table_for(struct request *req, bool write)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    if (!t) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."), (long long)id);
        return NULL;
    }
    if (!group_can_manage(req, jint(t, "group_id"), (int)jint(t, "year"))) {
        json_decref(t);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Chỉ trưởng, phó khối của năm và cơ quan thường trực thử thay đổi bảng tiêu "
                   "chí."));
        return NULL;
    }
    if (write && strcmp(json_string_value(json_object_get(t, "stage")), "locked") == 0) {
        json_decref(t);
        req_fail(req, E_CONFLICT, NULL,
                 _("Kết quả chấm điểm đã khóa: không thử thay đổi được nữa."));
        return NULL;
    }
    return t;
}

/* The what-if {w} of the path's table; 0 after failing (404). */
static int64_t whatif_of_path(struct request *req, int64_t table)
{
    int64_t w = req_path_int(req, "w");
    struct db_stmt *s =
        db_query(req->db, "SELECT id FROM criteria_whatifs WHERE id = ? AND table_id = ?");
    db_bind_int(s, 1, w);
    db_bind_int(s, 2, table);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    if (!id)
        req_fail(req, E_NOTFOUND, NULL, _("Bảng tiêu chí này không có bản thử số hiệu %lld."),
                 (long long)w);
    return id;
}

enum { WHATIFS_PER_TABLE = 30 };

enum result whatif_create(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = table_for(req, true);
    if (!t) {
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t table = jint(t, "id");
    bool draft = json_is_true(json_object_get(t, "is_draft"));
    json_decref(t);
    if (draft) {
        /* no answers yet, and what-if rows would hold the draft's nodes */
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Bảng tiêu chí còn là dự thảo, chưa có điểm chấm để thử thay đổi; hãy "
                          "sửa thẳng bảng tiêu chí."));
    }
    const char *name = req_text(req, "name");
    if (!name) {
        db_rollback(req->db);
        return req_reject(req, "name", _("Hãy đặt tên cho bản thử, ví dụ \"Tăng điểm nhóm I\"."));
    }
    /* a bound on what one table may collect */
    struct db_stmt *c = db_query(req->db, "SELECT count(*) FROM criteria_whatifs WHERE table_id = ?");
    db_bind_int(c, 1, table);
    int64_t count = db_step(c) == DB_ROW ? db_col_int(c, 0) : 0;
    db_done(c);
    if (count >= WHATIFS_PER_TABLE) {
        db_rollback(req->db);
        return req_reject(req, "name",
                          _("Mỗi bảng tiêu chí có tối đa %d bản thử; hãy xóa bản không dùng nữa."),
                          WHATIFS_PER_TABLE);
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "INSERT INTO criteria_whatifs (table_id, name, "
                                          "created_by, created_at, updated_at) VALUES (?, ?, ?, "
                                          "?, ?) RETURNING id");
    db_bind_int(s, 1, table);
    db_bind_text(s, 2, name);
    if (req->user)
        db_bind_int(s, 3, req->user->id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    if (db_done(s) == DB_ERROR || !id)
        return db_failed(req);
    s = db_query(req->db, "INSERT INTO criteria_whatif_nodes (whatif_id, node_id, max_x100, "
                          "each_x100) SELECT ?, id, max_x100, each_x100 FROM criteria_nodes "
                          "WHERE table_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, table);
    if (db_run(s) != DB_DONE)
        return db_failed(req);
    if (audit_commit(req, "create", "whatif", id, NULL, whatif_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "whatif", whatif_get(req->db, id));
    req->status = 201;
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/whatifs/%lld", (long long)table,
                                     (long long)id),
                        _("Đã lập bản thử thay đổi."));
}

/* The overrides of what-if w (free items). */
static struct whatif_overrides overrides_of(struct db *db, int64_t w)
{
    size_t n = 0, cap = 32;
    struct whatif_override *items = xmalloc(cap * sizeof *items);
    struct db_stmt *s = db_query(db, "SELECT node_id, max_x100, each_x100 FROM "
                                     "criteria_whatif_nodes WHERE whatif_id = ?");
    db_bind_int(s, 1, w);
    while (db_step(s) == DB_ROW) {
        if (n == cap)
            items = xrealloc(items, (cap *= 2) * sizeof *items);
        items[n++] = (struct whatif_override){db_col_int(s, 0), db_col_int(s, 1),
                                              !db_col_is_null(s, 2),
                                              db_col_is_null(s, 2) ? 0 : db_col_int(s, 2)};
    }
    db_done(s);
    return (struct whatif_overrides){items, n};
}

static const struct unit_result *find_unit(const struct score_results *r, int64_t unit)
{
    for (size_t k = 0; k < r->nunits; k++)
        if (r->units[k].unit == unit)
            return &r->units[k];
    return NULL;
}

/* What changed a unit's score: the difference of its final score, and the
 * criteria (leaves) whose points moved, largest first, e.g. "I.1 −4; II.2
 * +2,5" — so a move in the ranking can be read, not only seen. */
static void why_moved(struct request *req, const struct score_results *alt,
                      const struct unit_result *a, const struct unit_result *b, json_t *row)
{
    if (!b || !a->complete || !b->complete) {
        json_object_set_new(row, "delta", json_string(""));
        json_object_set_new(row, "because", json_string(""));
        return;
    }
    char buf[32];
    int64_t d = a->final - b->final;
    bloc_format_x100(d < 0 ? -d : d, buf);
    json_object_set_new(row, "delta",
                        json_string(d == 0 ? "0" : arena_printf(req->arena, "%s%s",
                                                                d > 0 ? "+" : "−", buf)));
    /* the three leaves that moved most */
    size_t top[3];
    int64_t mag[3] = {0, 0, 0};
    size_t ntop = 0;
    for (size_t k = 0; k < alt->n; k++) {
        if (alt->nodes[k].kind == SCORE_GROUP)
            continue;
        int64_t m = a->points[k] - b->points[k];
        m = m < 0 ? -m : m;
        if (m == 0)
            continue;
        size_t at = ntop < 3 ? ntop++ : 3;
        if (at == 3 && m <= mag[2])
            continue;
        if (at == 3)
            at = 2;
        while (at > 0 && mag[at - 1] < m) {
            top[at] = top[at - 1];
            mag[at] = mag[at - 1];
            at--;
        }
        top[at] = k;
        mag[at] = m;
    }
    struct buf out = {0};
    for (size_t i = 0; i < ntop; i++) {
        int64_t m = a->points[top[i]] - b->points[top[i]];
        bloc_format_x100(m < 0 ? -m : m, buf);
        buf_printf(&out, "%s%s %s%s", i ? "; " : "", alt->nodes[top[i]].code, m > 0 ? "+" : "−",
                   buf);
    }
    json_object_set_new(row, "because", json_string(buf_cstr(&out)));
    buf_free(&out);
}

/* The page: the tree with the real and the tried maxima, and the two
 * rankings side by side with each unit's move. */
static void show_model(struct request *req, json_t *t, int64_t w)
{
    json_t *m = req->model;
    int64_t table = jint(t, "id");
    struct whatif_overrides ov = overrides_of(req->db, w);
    struct score_results *real = score_results_get(req->db, table);
    struct score_results *alt = score_results_load(req->db, table, &ov);
    free((void *)ov.items);
    json_t *wj = whatif_get(req->db, w);
    bool locked = strcmp(json_string_value(json_object_get(t, "stage")), "locked") == 0;
    json_t *nodes = json_array();
    json_t *tnodes = json_object_get(t, "nodes");
    for (size_t k = 0; alt && k < alt->n; k++) {
        json_t *nd = json_deep_copy(json_array_get(tnodes, k));
        const struct score_node *sn = &alt->nodes[k];
        json_object_set_new(nd, "new_max", x100(sn->max));
        json_object_set_new(nd, "changed", json_boolean(sn->max != alt->old_max[k]));
        json_object_set_new(nd, "is_count", json_boolean(sn->kind == SCORE_OCCURRENCE));
        if (sn->kind == SCORE_OCCURRENCE)
            json_object_set_new(nd, "new_each", x100(sn->each));
        json_object_set_new(nd, "editable",
                            json_boolean(!locked && (sn->kind != SCORE_GROUP || sn->capped)));
        json_array_append_new(nodes, nd);
    }
    json_t *rows = json_array();
    for (size_t k = 0; alt && k < alt->nunits; k++) {
        const struct unit_result *a = &alt->units[k], *b = find_unit(real, a->unit);
        char mv[32] = "";
        int diff = b && b->rank && a->rank ? b->rank - a->rank : 0;
        if (b && b->rank && a->rank)
            snprintf(mv, sizeof mv, diff > 0 ? "↑%d" : diff < 0 ? "↓%d" : "=",
                     diff < 0 ? -diff : diff);
        char words[64] = "";
        if (b && b->rank && a->rank) {
            if (diff > 0)
                snprintf(words, sizeof words, _("lên %d bậc"), diff);
            else if (diff < 0)
                snprintf(words, sizeof words, _("xuống %d bậc"), -diff);
            else
                snprintf(words, sizeof words, "%s", _("giữ nguyên"));
        }
        char ra[16] = "", rb[16] = "";
        if (a->rank)
            snprintf(ra, sizeof ra, "%d", a->rank);
        if (b && b->rank)
            snprintf(rb, sizeof rb, "%d", b->rank);
        json_array_append_new(
            rows, json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:s,s:i,s:b,s:b}", "unit_id",
                            (json_int_t)a->unit, "name", a->name, "rank", ra, "final",
                            a->rank ? x100(a->final) : json_string("—"), "real_rank", rb,
                            "real_final", b && b->rank ? x100(b->final) : json_string("—"),
                            "move", mv, "diff", diff, "up", diff > 0,
                            "down", diff < 0));
        json_t *row = json_array_get(rows, json_array_size(rows) - 1);
        json_object_set_new(row, "move_words", json_string(words));
        why_moved(req, alt, a, b, row);
    }
    json_object_set_new(m, "whatif", wj ? wj : json_null());
    json_object_set_new(m, "nodes", nodes);
    json_object_set_new(m, "rows", rows);
    json_object_set_new(m, "can_edit", json_boolean(!locked));
    if (alt) {
        json_object_set_new(m, "results", score_results_json(alt));
        json_object_set_new(m, "chart", ranking_chart(alt));
        json_object_set_new(m, "new_total", x100(alt->table_max));
    }
    score_results_free(real);
    score_results_free(alt);
    const char *self =
        arena_printf(req->arena, "/criteria/%lld/whatifs/%lld", (long long)table, (long long)w);
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s}", "self", self, "ranking",
                  arena_printf(req->arena, "/criteria/%lld/ranking", (long long)table)));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
}

enum result whatif_show(struct request *req)
{
    json_t *t = table_for(req, false);
    if (!t)
        return req->err.code;
    int64_t w = whatif_of_path(req, jint(t, "id"));
    if (!w) {
        json_decref(t);
        return req->err.code;
    }
    show_model(req, t, w);
    return OK;
}

/* Parses a points field in 0..SCORE_MAX_LIMIT; false after rejecting. */
static bool points_field(struct request *req, const char *field, const char *label,
                         int64_t *out)
{
    const char *v = req_text(req, field);
    if (!v || !bloc_parse_x100(v, out) || *out < 0 || *out > SCORE_MAX_LIMIT) {
        req_reject(req, field, _("%s phải là một số không âm đến 10.000, ví dụ 20 hoặc 2,5."),
                   label);
        return false;
    }
    return true;
}

enum result whatif_node_set(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = table_for(req, true);
    int64_t w = t ? whatif_of_path(req, jint(t, "id")) : 0;
    if (!w) {
        json_decref(t);
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t node = req_path_int(req, "node");
    const char *kind = NULL;
    bool capped = false;
    json_t *nd;
    size_t i;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
        if (jint(nd, "id") == node) {
            kind = json_string_value(json_object_get(nd, "kind"));
            capped = json_is_true(json_object_get(nd, "capped"));
        }
    int64_t max = 0, each = 0;
    bool has_each = req_text(req, "each") != NULL;
    enum result rc = OK;
    if (!kind)
        rc = req_fail(req, E_NOTFOUND, NULL, _("Bảng tiêu chí không có mục số hiệu %lld."),
                      (long long)node);
    else if (strcmp(kind, "group") == 0 && !capped)
        rc = req_reject(req, "max", _("Điểm tối đa của nhóm không có mức trần là tổng điểm tối "
                                      "đa các tiêu chí trong nhóm; hãy sửa các tiêu chí."));
    else if (!points_field(req, "max", _("Điểm tối đa"), &max))
        rc = E_INVALID;
    else if (has_each && strcmp(kind, "occurrence") != 0)
        rc = req_reject(req, "each", _("Chỉ tiêu chí tính theo lần mới có điểm mỗi lần."));
    else if (has_each && !points_field(req, "each", _("Điểm mỗi lần"), &each))
        rc = E_INVALID;
    if (rc != OK) {
        json_decref(t);
        db_rollback(req->db);
        return rc;
    }
    json_t *before = whatif_get(req->db, w);
    struct db_stmt *s = db_query(req->db, "UPDATE criteria_whatif_nodes SET max_x100 = ?, "
                                          "each_x100 = CASE WHEN ? = 1 THEN ? ELSE each_x100 END "
                                          "WHERE whatif_id = ? AND node_id = ?");
    db_bind_int(s, 1, max);
    db_bind_int(s, 2, has_each);
    db_bind_int(s, 3, each);
    db_bind_int(s, 4, w);
    db_bind_int(s, 5, node);
    char now[21];
    date_now_utc(now);
    bool ok = db_run(s) == DB_DONE;
    if (ok) {
        s = db_query(req->db, "UPDATE criteria_whatifs SET updated_at = ? WHERE id = ?");
        db_bind_text(s, 1, now);
        db_bind_int(s, 2, w);
        ok = db_run(s) == DB_DONE;
    }
    int64_t table = jint(t, "id");
    json_decref(t);
    if (!ok) {
        json_decref(before);
        return db_failed(req);
    }
    /* the tree with this change must still check out (a group's sum within
     * the bound, a cap not above its criteria): else every unit would drop
     * out of the what-if ranking with no word why */
    struct whatif_overrides ov = overrides_of(req->db, w);
    struct score_results *r = score_results_load(req->db, table, &ov);
    free((void *)ov.items);
    if (r && !r->tree_ok) {
        const struct score_node *bad = &r->nodes[r->tree_bad];
        char *msg = arena_printf(req->arena,
                                 _("Với điểm tối đa này, mục %s “%s” không còn hợp lệ (tổng điểm "
                                   "của nhóm vượt giới hạn 10.000 hoặc mức trần lớn hơn tổng các "
                                   "tiêu chí)."),
                                 bad->code, bad->name);
        score_results_free(r);
        json_decref(before);
        db_rollback(req->db);
        return req_reject(req, "max", "%s", msg);
    }
    score_results_free(r);
    if (audit_commit(req, "update", "whatif", w, before, whatif_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "whatif", whatif_get(req->db, w));
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/whatifs/%lld", (long long)table,
                                     (long long)w),
                        _("Đã sửa điểm tối đa trong bản thử."));
}

enum result whatif_delete(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = table_for(req, false);
    int64_t w = t ? whatif_of_path(req, jint(t, "id")) : 0;
    if (!w) {
        json_decref(t);
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t table = jint(t, "id");
    json_decref(t);
    json_t *before = whatif_get(req->db, w);
    /* the time of the last change as a version: a what-if someone has just
     * changed is not deleted from a stale page */
    const char *version = req_text(req, "version");
    const char *current = json_string_value(json_object_get(before, "updated_at"));
    if (!version || !current || strcmp(version, current) != 0) {
        json_decref(before);
        db_rollback(req->db);
        if (!version)
            return req_reject(req, "version", _("Thiếu phiên bản của bản thử cần xóa."));
        return req_fail(req, E_CONFLICT, "version",
                        _("Bản thử vừa được người khác sửa. Hãy mở lại trang rồi làm lại."));
    }
    struct db_stmt *s = db_query(req->db, "DELETE FROM criteria_whatif_nodes WHERE whatif_id = ?");
    db_bind_int(s, 1, w);
    bool ok = db_run(s) == DB_DONE;
    if (ok) {
        s = db_query(req->db, "DELETE FROM criteria_whatifs WHERE id = ?");
        db_bind_int(s, 1, w);
        ok = db_run(s) == DB_DONE;
    }
    if (!ok) {
        json_decref(before);
        return db_failed(req);
    }
    if (audit_commit(req, "delete", "whatif", w, before, whatif_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/criteria/%lld/ranking", (long long)table),
                        _("Đã xóa bản thử thay đổi."));
}
