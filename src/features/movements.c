/* Movements: reading them, who they concern, the list (with its export)
 * and the home page's block. The forms are in movements_form.c; targets,
 * participants, launch, close and the plan in movements_items.c. */
#include "features/movements.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "docs/xlsx_write.h"
#include "domain/bloc.h"
#include "features/documents.h"
#include "features/groups.h"
#include "features/listing.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

#define MOVEMENT_COLUMNS                                                                    \
    "m.id, m.name, m.kind, m.launcher_kind, m.launcher_group_id, g.name, g.code, "          \
    "m.launcher_unit_id, u.name, u.code, m.starts_on, m.ends_on, m.goals, m.status, "       \
    "m.launched_on, m.plan_document_id, m.version, m.created_at, m.updated_at"
#define MOVEMENT_FROM                                                                       \
    " FROM movements m LEFT JOIN emulation_groups g ON g.id = m.launcher_group_id "         \
    "LEFT JOIN units u ON u.id = m.launcher_unit_id"

/* The units of the caller's scope, as a CTE named down (one bound id). */
#define DOWN_CTE                                                                            \
    "WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT c.id FROM units " \
    "c JOIN down ON c.parent_id = down.id) "
/* A member in a year of the movement's period. */
#define YEARS_OF_M                                                                          \
    "gm.year BETWEEN CAST(substr(m.starts_on, 1, 4) AS INTEGER) AND "                      \
    "CAST(substr(m.ends_on, 1, 4) AS INTEGER)"
/* "Concerns the unit officer" (movements.h, docs/movements.md), over DOWN_CTE.
 * A draft is the launcher's own business: only its launcher's side sees it. */
#define CONCERNS                                                                            \
    "((m.launcher_kind = 'unit' AND m.launcher_unit_id IN (SELECT id FROM down)) "          \
    "OR (m.launcher_kind = 'group' AND EXISTS (SELECT 1 FROM group_members gm WHERE "       \
    "gm.group_id = m.launcher_group_id AND gm.unit_id IN (SELECT id FROM down) AND "        \
    YEARS_OF_M ")) "                                                                        \
    "OR (m.status <> 'draft' AND (EXISTS (SELECT 1 FROM movement_participants p WHERE "     \
    "p.movement_id = m.id AND p.unit_id IN (SELECT id FROM down)) "                         \
    "OR EXISTS (SELECT 1 FROM movement_participants p JOIN group_members gm ON "            \
    "gm.group_id = p.group_id WHERE p.movement_id = m.id AND gm.unit_id IN (SELECT id FROM " \
    "down) AND " YEARS_OF_M ") "                                                            \
    "OR (m.launcher_kind = 'council' AND NOT EXISTS (SELECT 1 FROM movement_participants "  \
    "p WHERE p.movement_id = m.id)))))"

static const char *kind_name(const char *kind)
{
    return strcmp(kind, "thematic") == 0 ? _("Theo chuyên đề") : _("Thường xuyên");
}

static const char *status_name(const char *status)
{
    if (strcmp(status, "launched") == 0)
        return _("Đã phát động");
    if (strcmp(status, "closed") == 0)
        return _("Đã kết thúc");
    return _("Dự thảo");
}

static const char *launcher_kind_name(const char *kind)
{
    if (strcmp(kind, "group") == 0)
        return _("Khối, cụm thi đua");
    if (strcmp(kind, "unit") == 0)
        return _("Đơn vị");
    return _("Hội đồng Thi đua - Khen thưởng tỉnh");
}

static json_t *nullable_int(struct db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_integer(db_col_int(s, col));
}

/* One row of MOVEMENT_COLUMNS as the summary every page shows. */
static json_t *movement_row(struct db_stmt *s)
{
    const char *lk = db_col_text(s, 3);
    json_t *launcher;
    if (strcmp(lk, "group") == 0)
        launcher = json_pack("{s:s,s:I,s:s,s:s}", "kind", lk, "id", (json_int_t)db_col_int(s, 4),
                             "name", db_col_text(s, 5), "code", db_col_text(s, 6));
    else if (strcmp(lk, "unit") == 0)
        launcher = json_pack("{s:s,s:I,s:s,s:s}", "kind", lk, "id", (json_int_t)db_col_int(s, 7),
                             "name", db_col_text(s, 8), "code", db_col_text(s, 9));
    else
        launcher = json_pack("{s:s,s:n,s:s,s:s}", "kind", lk, "id", "name",
                             launcher_kind_name(lk), "code", "");
    char from[11], to[11], launched[11] = "";
    date_to_dmy(db_col_text(s, 10), from);
    date_to_dmy(db_col_text(s, 11), to);
    if (!db_col_is_null(s, 14))
        date_to_dmy(db_col_text(s, 14), launched);
    const char *status = db_col_text(s, 13), *kind = db_col_text(s, 2);
    json_t *m = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s}", "id",
        (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1), "kind", kind, "kind_name",
        kind_name(kind), "launcher_kind", lk, "launcher_kind_name", launcher_kind_name(lk),
        "launcher", launcher, "launcher_group_id", nullable_int(s, 4), "launcher_unit_id",
        nullable_int(s, 7), "plan_document_id", nullable_int(s, 15), "starts_on",
        db_col_text(s, 10), "ends_on", db_col_text(s, 11), "starts_on_dmy", from, "ends_on_dmy",
        to, "year_from", atoi(db_col_text(s, 10)), "year_to", atoi(db_col_text(s, 11)), "goals",
        db_col_text(s, 12), "status", status, "status_name", status_name(status));
    json_object_set_new(m, "by_council", json_boolean(strcmp(lk, "council") == 0));
    json_object_set_new(m, "is_draft", json_boolean(strcmp(status, "draft") == 0));
    json_object_set_new(m, "is_launched", json_boolean(strcmp(status, "launched") == 0));
    json_object_set_new(m, "is_closed", json_boolean(strcmp(status, "closed") == 0));
    json_object_set_new(m, "launched_on",
                        db_col_is_null(s, 14) ? json_null() : json_string(db_col_text(s, 14)));
    json_object_set_new(m, "launched_on_dmy", json_string(launched));
    json_object_set_new(m, "version", json_integer(db_col_int(s, 16)));
    json_object_set_new(m, "created_at", json_string(db_col_text(s, 17)));
    json_object_set_new(m, "updated_at", json_string(db_col_text(s, 18)));
    return m;
}

static json_t *targets_of(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT t.id, t.name, t.measure, t.value_x100, EXISTS (SELECT 1 FROM pledge_items i "
            "WHERE i.movement_target_id = t.id) FROM movement_targets t WHERE t.movement_id = ? "
            "ORDER BY t.position, t.id");
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    int n = 0;
    while (db_step(s) == DB_ROW) {
        char value[32] = "";
        if (!db_col_is_null(s, 3))
            bloc_format_x100(db_col_int(s, 3), value);
        json_array_append_new(
            out, json_pack("{s:I,s:i,s:s,s:s,s:o,s:s,s:b}", "id", (json_int_t)db_col_int(s, 0),
                           "n", ++n, "name", db_col_text(s, 1), "measure", db_col_text(s, 2),
                           "value_x100", nullable_int(s, 3), "value", value, "used",
                           db_col_int(s, 4) != 0));
    }
    db_done(s);
    return out;
}

static json_t *participants_of(struct db *db, int64_t id)
{
    /* groups first, then units, each in the registry's order */
    struct db_stmt *s = db_query(
        db, "SELECT 'group', g.id, g.code, g.name, '' FROM movement_participants p JOIN "
            "emulation_groups g ON g.id = p.group_id WHERE p.movement_id = ? UNION ALL "
            "SELECT 'unit', u.id, u.code, u.name, u.sort_key FROM movement_participants p JOIN "
            "units u ON u.id = p.unit_id WHERE p.movement_id = ? ORDER BY 1, 5, 3");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        const char *kind = db_col_text(s, 0);
        json_array_append_new(out, json_pack("{s:s,s:b,s:I,s:s,s:s}", "kind", kind, "is_group",
                                             strcmp(kind, "group") == 0, "id",
                                             (json_int_t)db_col_int(s, 1), "code",
                                             db_col_text(s, 2), "name", db_col_text(s, 3)));
    }
    db_done(s);
    return out;
}

json_t *movement_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT " MOVEMENT_COLUMNS MOVEMENT_FROM " WHERE m.id = ?");
    db_bind_int(s, 1, id);
    json_t *m = db_step(s) == DB_ROW ? movement_row(s) : NULL;
    db_done(s);
    if (!m)
        return NULL;
    json_object_set_new(m, "targets", targets_of(db, id));
    json_object_set_new(m, "participants", participants_of(db, id));
    json_t *plan = json_null();
    if (json_is_integer(json_object_get(m, "plan_document_id"))) {
        json_t *d = document_get(db, json_integer_value(json_object_get(m, "plan_document_id")));
        if (d)
            plan = d;
    }
    json_object_set_new(m, "plan_document", plan);
    return m;
}

bool movement_concerns(struct request *req, int64_t id)
{
    int64_t root = scope_root(req);
    if (!req->user)
        return false;
    if (!root)
        return true;
    if (root < 0)
        return false;
    struct db_stmt *s = db_query(req->db, DOWN_CTE "SELECT 1 FROM movements m WHERE m.id = ? "
                                                   "AND " CONCERNS);
    db_bind_int(s, 1, root);
    db_bind_int(s, 2, id);
    bool yes = db_step(s) == DB_ROW;
    db_done(s);
    return yes;
}

bool movement_can_manage(struct request *req, json_t *mv)
{
    if (!req->user)
        return false;
    if (req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE)
        return true;
    if (req->user->role != ROLE_UNIT)
        return false;
    const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
    if (strcmp(lk, "unit") == 0)
        return scope_has_unit(req, json_integer_value(json_object_get(mv, "launcher_unit_id")));
    if (strcmp(lk, "group") == 0)
        return group_can_manage(req, json_integer_value(json_object_get(mv, "launcher_group_id")),
                                (int)json_integer_value(json_object_get(mv, "year_from")));
    return false;
}

json_t *movement_of_path(struct request *req, bool manage)
{
    int64_t id = req_path_int(req, "id");
    json_t *mv = movement_get(req->db, id);
    if (!mv) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có phong trào thi đua số hiệu %lld."),
                 (long long)id);
        return NULL;
    }
    if (!movement_concerns(req, id)) {
        json_decref(mv);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Phong trào thi đua này không liên quan đến đơn vị của bạn."));
        return NULL;
    }
    if (manage && !movement_can_manage(req, mv)) {
        const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
        const char *who =
            strcmp(lk, "council") == 0
                ? _("Chỉ Phòng Thi đua, khen thưởng sửa được phong trào do Hội đồng phát động.")
            : strcmp(lk, "group") == 0
                ? _("Chỉ Phòng Thi đua, khen thưởng hoặc cán bộ của đơn vị Trưởng khối, Phó khối "
                    "năm bắt đầu phong trào mới sửa được phong trào của khối, cụm.")
                : _("Chỉ cán bộ của đơn vị phát động (hoặc Phòng Thi đua, khen thưởng) mới sửa "
                    "được phong trào này.");
        json_decref(mv);
        req_fail(req, E_FORBIDDEN, NULL, "%s", who);
        return NULL;
    }
    return mv;
}

enum result movement_require_status(struct request *req, json_t *mv, bool draft_only)
{
    if (json_is_true(json_object_get(mv, "is_closed")))
        return req_fail(req, E_CONFLICT, NULL,
                        _("Phong trào đã kết thúc; không sửa được nữa."));
    if (draft_only && !json_is_true(json_object_get(mv, "is_draft")))
        return req_fail(req, E_CONFLICT, NULL,
                        _("Phong trào đã phát động: các chỉ tiêu đã ban hành theo kế hoạch, "
                          "không thêm hay xóa được nữa."));
    return OK;
}

/* --- the list ---------------------------------------------------------- */

struct list_filter {
    const char *q, *kind, *status, *sort;
    int64_t year, group;
    int64_t limit; /* 0: all */
};

/* The rows of the filter the caller may see, in SQL order (latest first);
 * q and the sort are applied by the caller. NULL on a database error. */
static json_t *select_rows(struct request *req, const struct list_filter *f)
{
    int64_t root = scope_root(req);
    if (root < 0)
        return json_array();
    char yfrom[11] = "", yto[11] = "";
    if (f->year) {
        date_year_start((int)f->year, yfrom);
        snprintf(yto, sizeof yto, "%04d-12-31", (int)f->year);
    }
    const char *sql = arena_printf(
        req->arena,
        "%sSELECT " MOVEMENT_COLUMNS MOVEMENT_FROM " WHERE 1 = 1%s%s%s%s%s ORDER BY m.starts_on "
        "DESC, m.id DESC%s",
        root ? DOWN_CTE : "", f->kind ? " AND m.kind = ?" : "",
        f->status ? " AND m.status = ?" : "",
        f->year ? " AND m.starts_on <= ? AND m.ends_on >= ?" : "",
        f->group ? " AND (m.launcher_group_id = ? OR EXISTS (SELECT 1 FROM movement_participants "
                   "pg WHERE pg.movement_id = m.id AND pg.group_id = ?))"
                 : "",
        root ? " AND " CONCERNS : "", f->limit ? " LIMIT ?" : "");
    struct db_stmt *s = db_query(req->db, sql);
    int i = 1;
    if (root)
        db_bind_int(s, i++, root);
    if (f->kind)
        db_bind_text(s, i++, f->kind);
    if (f->status)
        db_bind_text(s, i++, f->status);
    if (f->year) {
        db_bind_text(s, i++, yto);
        db_bind_text(s, i++, yfrom);
    }
    if (f->group) {
        db_bind_int(s, i++, f->group);
        db_bind_int(s, i++, f->group);
    }
    if (f->limit)
        db_bind_int(s, i, f->limit);
    json_t *rows = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(rows, movement_row(s));
    if (db_done(s) == DB_ERROR) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

static int by_name(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = text_collate(json_string_value(json_object_get(x, "name")),
                         json_string_value(json_object_get(y, "name")));
    if (c)
        return c;
    return strcmp(json_string_value(json_object_get(x, "starts_on")),
                  json_string_value(json_object_get(y, "starts_on")));
}

static int by_start(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "starts_on")),
                   json_string_value(json_object_get(y, "starts_on")));
    if (c)
        return c;
    json_int_t i = json_integer_value(json_object_get(x, "id"));
    json_int_t j = json_integer_value(json_object_get(y, "id"));
    return i < j ? -1 : i > j;
}

/* Keeps the rows whose name holds q (folded: any case and marks) and sorts
 * them. Movements are few (tens a year), so this runs over the rows the SQL
 * filters left, and the Vietnamese order of names is the collator's. */
static json_t *search_and_sort(json_t *rows, const char *q, const char *sort)
{
    char *fq = q ? text_fold(q) : NULL;
    size_t n = 0, i;
    json_t *r;
    json_t **v = xcalloc(json_array_size(rows) + 1, sizeof *v);
    json_array_foreach(rows, i, r)
    {
        if (fq && *fq) {
            char *fn = text_fold(json_string_value(json_object_get(r, "name")));
            bool hit = strstr(fn, fq) != NULL;
            free(fn);
            if (!hit)
                continue;
        }
        v[n++] = r;
    }
    free(fq);
    bool desc = sort && sort[0] == '-';
    const char *key = sort ? sort + desc : "starts_on";
    if (!sort)
        desc = true; /* latest first */
    qsort(v, n, sizeof *v, strcmp(key, "name") == 0 ? by_name : by_start);
    json_t *out = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append(out, v[desc ? n - 1 - k : k]);
    free(v);
    return out;
}

static const char *const kind_values[] = {"regular", "thematic", NULL};
static const char *const kind_names[] = {N_("Thường xuyên"), N_("Theo chuyên đề"), NULL};
static const char *const status_values[] = {"draft", "launched", "closed", NULL};
static const char *const status_names[] = {N_("Dự thảo"), N_("Đã phát động"), N_("Đã kết thúc"),
                                           NULL};

json_t *movement_group_options(struct request *req, int64_t selected)
{
    struct db_stmt *s = db_query(req->db, "SELECT id, name FROM emulation_groups WHERE active = "
                                          "1 ORDER BY kind DESC, code");
    json_t *out = json_array();
    int64_t ids[256];
    size_t n = 0;
    json_t *names = json_array();
    while (db_step(s) == DB_ROW && n < 256) {
        ids[n++] = db_col_int(s, 0);
        json_array_append_new(names, json_string(db_col_text(s, 1)));
    }
    db_done(s);
    for (size_t i = 0; i < n; i++) {
        if (scope_root(req) && !group_can_view(req, ids[i]) && ids[i] != selected)
            continue;
        json_array_append_new(out, json_pack("{s:I,s:O,s:b}", "value", (json_int_t)ids[i], "name",
                                             json_array_get(names, i), "selected",
                                             ids[i] == selected));
    }
    json_decref(names);
    return out;
}

static enum result read_filter(struct request *req, struct list_filter *f)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    *f = (struct list_filter){
        .q = req_text(req, "q"),
        .kind = req_text(req, "kind"),
        .status = req_text(req, "status"),
        .sort = req_text(req, "sort"),
        .year = req_int(req, "year", 0),
        .group = req_int(req, "group", 0),
    };
    /* naming a group the officer's unit never belonged to is refused, as
     * naming another unit is in the other lists */
    if (f->group && scope_root(req) && !group_can_view(req, f->group))
        return req_fail(req, E_FORBIDDEN, "group",
                        _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này."));
    return OK;
}

enum result movements_list(struct request *req)
{
    struct list_filter f;
    if (read_filter(req, &f) != OK)
        return req->err.code;
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 20);
    json_t *rows = select_rows(req, &f);
    if (!rows)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    json_t *all = search_and_sort(rows, f.q, f.sort);
    json_decref(rows);
    int64_t total = (int64_t)json_array_size(all);
    json_t *items = json_array();
    for (int64_t i = (page - 1) * per_page; i < total && i < page * per_page; i++)
        json_array_append(items, json_array_get(all, (size_t)i));
    json_decref(all);
    json_t *m = req->model;
    json_object_set_new(m, "items", items);
    json_object_set_new(m, "total", json_integer(total));
    static const char *const texts[] = {"q", "kind", "status", "sort", NULL};
    static const char *const ints[] = {"year", "group", "per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    json_object_set(m, "query", query);
    json_object_set_new(m, "kinds", listing_choices(f.kind, kind_values, kind_names));
    json_object_set_new(m, "statuses", listing_choices(f.status, status_values, status_names));
    json_object_set_new(m, "groups", movement_group_options(req, f.group));
    static const char *const sorts[] = {"name", "starts_on", NULL};
    listing_page_model(req, m, "/movements", query, total, page, per_page, sorts, f.sort);
    json_object_del(query, "page");
    json_object_set_new(m, "export_url",
                        json_string(listing_url(req, "/movements/export.xlsx", query)));
    json_decref(query);
    return OK;
}

enum result movements_export(struct request *req)
{
    struct list_filter f;
    if (read_filter(req, &f) != OK)
        return req->err.code;
    json_t *rows = select_rows(req, &f);
    if (!rows)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    json_t *all = search_and_sort(rows, f.q, f.sort);
    json_decref(rows);
    static const char *const headers[] = {N_("Số hiệu"),    N_("Tên phong trào"), N_("Hình thức"),
                                          N_("Phát động"),  N_("Từ ngày"),        N_("Đến ngày"),
                                          N_("Trạng thái"), N_("Ngày phát động")};
    const char *names[8];
    for (int k = 0; k < 8; k++)
        names[k] = _(headers[k]);
    static const double widths[] = {9, 60, 16, 40, 12, 12, 14, 14};
    struct err e = {0};
    struct xlsx_table_writer *w = xlsx_table_begin(_("Phong trào thi đua"),
                                                   _("Danh sách phong trào thi đua"), names,
                                                   widths, 8, &e);
    if (!w) {
        json_decref(all);
        return req_fail(req, e.code, NULL, "%s", e.msg);
    }
    size_t i;
    json_t *r;
    json_array_foreach(all, i, r)
    {
        xlsx_table_int(w, json_integer_value(json_object_get(r, "id")));
        xlsx_table_text(w, json_string_value(json_object_get(r, "name")));
        xlsx_table_text(w, json_string_value(json_object_get(r, "kind_name")));
        xlsx_table_text(w, json_string_value(
                               json_object_get(json_object_get(r, "launcher"), "name")));
        xlsx_table_date(w, json_string_value(json_object_get(r, "starts_on")));
        xlsx_table_date(w, json_string_value(json_object_get(r, "ends_on")));
        xlsx_table_text(w, json_string_value(json_object_get(r, "status_name")));
        xlsx_table_date(w, json_string_value(json_object_get(r, "launched_on")));
        xlsx_table_end_row(w);
    }
    json_decref(all);
    char *data = NULL;
    size_t len = 0;
    if (xlsx_table_finish(w, &data, &len, &e) != OK)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    char today[11];
    date_today(today);
    return req_download(req, data, len,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        arena_printf(req->arena, "phong-trao-%s.xlsx", today));
}

/* --- the home page's block ------------------------------------------------ */

json_t *movements_home(struct request *req)
{
    bool unit = scope_root(req) != 0;
    struct list_filter f = {.status = "launched", .limit = unit ? 10 : 5};
    json_t *items = select_rows(req, &f);
    if (!items)
        return NULL;
    bool show_drafts =
        req->user && (req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE);
    int64_t drafts =
        show_drafts
            ? db_scalar_int(req->db, "SELECT count(*) FROM movements WHERE status = 'draft'", 0)
            : 0;
    return json_pack("{s:o,s:b,s:I,s:b}", "items", items, "any", json_array_size(items) > 0,
                     "drafts", (json_int_t)drafts, "show_drafts", show_drafts);
}
