/* Movements: targets, participants, launch and close, and the launch plan
 * (Kế hoạch) — printed from the movement, and registered once in the
 * register of outgoing documents under its issuer's number. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/doc_template_pages.h"
#include "features/doc_templates.h"
#include "features/docnum.h"
#include "features/documents.h"
#include "features/groups.h"
#include "features/movements.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

static void decref_later(struct request *req, json_t *j)
{
    arena_defer(req->arena, (void (*)(void *))json_decref, j);
}

static int64_t id_of(json_t *mv)
{
    return json_integer_value(json_object_get(mv, "id"));
}

/* A form of the movement's page was wrong: the page again, with the
 * messages by its fields. */
static enum result page_again(struct request *req)
{
    enum result rc = movements_show(req);
    if (rc != OK)
        return rc;
    req->status = 422;
    req->template = "movements/show";
    return OK;
}

/* Commits the change with its audit entry and sends the caller back to the
 * movement's page. */
static enum result done(struct request *req, json_t *mv, json_t *before, const char *action,
                        int status, const char *flash, const char *anchor)
{
    int64_t id = id_of(mv);
    if (audit_commit(req, action, "movement", id, before, movement_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "movement", movement_get(req->db, id));
    req->status = status;
    return req_redirect(req, arena_printf(req->arena, "/movements/%lld%s", (long long)id, anchor),
                        flash);
}

static enum result db_failed(struct request *req, json_t *before)
{
    json_decref(before);
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* Bumps the version: every change of a part is a change of the movement,
 * so an edit form opened before it is stale. */
static bool touch(struct request *req, int64_t id)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s =
        db_query(req->db, "UPDATE movements SET version = version + 1, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    return db_run(s) == DB_DONE;
}

/* --- targets ---------------------------------------------------------------- */

enum result movement_target_add(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    if (movement_require_status(req, mv, true) != OK)
        return E_CONFLICT;
    const char *name = req_text(req, "name"), *measure = req_text(req, "measure");
    const char *value = req_text(req, "value");
    if (!name && !json_object_get(req->field_errors, "name"))
        req_field_error(req, "name", _("Hãy nhập tên chỉ tiêu."));
    int64_t v = 0;
    if (value && (!bloc_parse_x100(value, &v) || v < 0))
        req_field_error(req, "value",
                        _("Giá trị chỉ tiêu \"%s\" không đọc được: hãy viết một số như 95, "
                          "12,5 hoặc 1.200 (nhiều nhất hai chữ số sau dấu phẩy); để trống với "
                          "chỉ tiêu định tính."),
                        value);
    if (req_has_errors(req))
        return page_again(req);
    int64_t id = id_of(mv);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = movement_get(req->db, id);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO movement_targets (movement_id, position, name, measure, value_x100) "
                 "SELECT ?, COALESCE(max(position), 0) + 1, ?, ?, ? FROM movement_targets WHERE "
                 "movement_id = ?");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, measure ? measure : "");
    if (value)
        db_bind_int(s, 4, v);
    else
        db_bind_null(s, 4);
    db_bind_int(s, 5, id);
    if (db_run(s) != DB_DONE || !touch(req, id))
        return db_failed(req, before);
    return done(req, mv, before, "add_target", 201, _("Đã thêm chỉ tiêu."), "#targets");
}

enum result movement_target_delete(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    int64_t id = id_of(mv), target = req_path_int(req, "target");
    struct db_stmt *q = db_query(req->db, "SELECT count(*) FROM movement_targets WHERE id = ? AND "
                                          "movement_id = ?");
    db_bind_int(q, 1, target);
    db_bind_int(q, 2, id);
    int64_t found = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_done(q);
    if (found == 0)
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Phong trào này không có chỉ tiêu số hiệu %lld."), (long long)target);
    if (movement_require_status(req, mv, true) != OK)
        return E_CONFLICT;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    /* read inside the write transaction, so a pledge item cannot start to
     * use the target between the check and the delete */
    if (db_scalar_int_arg(req->db,
                          "SELECT count(*) FROM pledge_items WHERE movement_target_id = ?",
                          target) > 0) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Chỉ tiêu này đã được dùng trong giao ước thi đua; không xóa được."));
    }
    json_t *before = movement_get(req->db, id);
    struct db_stmt *s =
        db_query(req->db, "DELETE FROM movement_targets WHERE id = ? AND movement_id = ?");
    db_bind_int(s, 1, target);
    db_bind_int(s, 2, id);
    if (db_run(s) != DB_DONE || !touch(req, id))
        return db_failed(req, before);
    return done(req, mv, before, "delete_target", 200, _("Đã xóa chỉ tiêu."), "#targets");
}

/* --- participants ----------------------------------------------------------- */

/* Exactly one of group_id and unit_id, existing. False after recording a
 * field error. */
static bool participant_of(struct request *req, int64_t *group, int64_t *unit)
{
    *group = req_int(req, "group_id", 0);
    *unit = req_int(req, "unit_id", 0);
    if (req_has_errors(req))
        return false;
    if (!*group == !*unit) {
        req_field_error(req, *group ? "unit_id" : "group_id",
                        _("Hãy chọn một khối, cụm thi đua hoặc một đơn vị (chỉ một trong "
                          "hai)."));
        return false;
    }
    if (*group && db_scalar_int_arg(req->db, "SELECT count(*) FROM emulation_groups WHERE id = ?",
                                    *group) == 0) {
        req_field_error(req, "group_id", _("Không có khối, cụm thi đua này."));
        return false;
    }
    if (*unit &&
        db_scalar_int_arg(req->db, "SELECT count(*) FROM units WHERE id = ?", *unit) == 0) {
        req_field_error(req, "unit_id", _("Không có đơn vị này."));
        return false;
    }
    return true;
}

static int64_t participant_count(struct request *req, int64_t id, int64_t group, int64_t unit)
{
    struct db_stmt *s = db_query(
        req->db, group ? "SELECT count(*) FROM movement_participants WHERE movement_id = ? AND "
                         "group_id = ?"
                       : "SELECT count(*) FROM movement_participants WHERE movement_id = ? AND "
                         "unit_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, group ? group : unit);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return n;
}

/* A unit officer invites (and removes) inside their own reach: their units,
 * and for a group's movement the group and its members of the starting
 * year. OK, or the request failed with 403. */
static enum result participant_in_reach(struct request *req, json_t *mv, int64_t group,
                                        int64_t unit)
{
    if (!scope_root(req))
        return OK;
    bool of_group = strcmp(json_string_value(json_object_get(mv, "launcher_kind")),
                           "group") == 0;
    int64_t lg = json_integer_value(json_object_get(mv, "launcher_group_id"));
    int year = (int)json_integer_value(json_object_get(mv, "year_from"));
    bool ok = group ? of_group && group == lg
                    : scope_has_unit(req, unit) ||
                          (of_group && group_is_member(req->db, lg, year, unit, NULL));
    if (!ok)
        return req_fail(req, E_FORBIDDEN, group ? "group_id" : "unit_id", "%s",
                        group ? _("Bạn chỉ mời được khối, cụm thi đua phát động phong trào.")
                              : _("Bạn chỉ mời được đơn vị của mình hoặc thành viên của khối, "
                                  "cụm phát động phong trào."));
    return OK;
}

enum result movement_participant_add(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    if (movement_require_status(req, mv, false) != OK)
        return E_CONFLICT;
    int64_t group, unit, id = id_of(mv);
    if (!participant_of(req, &group, &unit))
        return page_again(req);
    if (participant_in_reach(req, mv, group, unit) != OK)
        return E_FORBIDDEN;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (participant_count(req, id, group, unit) > 0) {
        db_rollback(req->db);
        req_field_error(req, group ? "group_id" : "unit_id",
                        _("Đối tượng này đã có trong danh sách tham gia."));
        return page_again(req);
    }
    json_t *before = movement_get(req->db, id);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO movement_participants (movement_id, group_id, unit_id) VALUES (?, ?, ?)");
    db_bind_int(s, 1, id);
    if (group)
        db_bind_int(s, 2, group);
    else
        db_bind_null(s, 2);
    if (unit)
        db_bind_int(s, 3, unit);
    else
        db_bind_null(s, 3);
    if (db_run(s) != DB_DONE || !touch(req, id))
        return db_failed(req, before);
    return done(req, mv, before, "add_participant", 201, _("Đã thêm đối tượng tham gia."),
                "#participants");
}

enum result movement_participant_delete(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    if (movement_require_status(req, mv, false) != OK)
        return E_CONFLICT;
    int64_t group, unit, id = id_of(mv);
    if (!participant_of(req, &group, &unit))
        return page_again(req);
    if (participant_in_reach(req, mv, group, unit) != OK)
        return E_FORBIDDEN;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (participant_count(req, id, group, unit) == 0) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Đối tượng này không có trong danh sách tham gia."));
    }
    json_t *before = movement_get(req->db, id);
    struct db_stmt *s = db_query(
        req->db, group ? "DELETE FROM movement_participants WHERE movement_id = ? AND group_id = ?"
                       : "DELETE FROM movement_participants WHERE movement_id = ? AND unit_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, group ? group : unit);
    if (db_run(s) != DB_DONE || !touch(req, id))
        return db_failed(req, before);
    return done(req, mv, before, "delete_participant", 200, _("Đã bỏ đối tượng tham gia."),
                "#participants");
}

/* --- launch and close ------------------------------------------------------- */

static enum result set_status(struct request *req, bool launch)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    int64_t id = id_of(mv);
    const char *from = launch ? "draft" : "launched";
    if (strcmp(json_string_value(json_object_get(mv, "status")), from) != 0)
        return req_fail(req, E_CONFLICT, NULL, "%s",
                        launch ? _("Chỉ phát động được phong trào đang ở dạng dự thảo.")
                               : _("Chỉ kết thúc được phong trào đã phát động."));
    if (launch && json_array_size(json_object_get(mv, "targets")) == 0) {
        req_field_error(req, "targets",
                        _("Hãy thêm ít nhất một chỉ tiêu thi đua trước khi phát động."));
        return page_again(req);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = movement_get(req->db, id);
    char today[11], now[21];
    date_today(today);
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, launch ? "UPDATE movements SET status = 'launched', launched_on = ?, version = "
                          "version + 1, updated_at = ? WHERE id = ? AND status = 'draft' "
                          "RETURNING id"
                        : "UPDATE movements SET status = 'closed', version = version + 1, "
                          "updated_at = ? WHERE id = ? AND status = 'launched' RETURNING id");
    int i = 1;
    if (launch)
        db_bind_text(s, i++, today);
    db_bind_text(s, i++, now);
    db_bind_int(s, i, id);
    bool changed = db_step(s) == DB_ROW;
    if (db_done(s) == DB_ERROR)
        return db_failed(req, before);
    if (!changed) {
        /* another request changed the status meanwhile */
        json_decref(before);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Trạng thái của phong trào vừa thay đổi; hãy tải lại trang."));
    }
    return done(req, mv, before, launch ? "launch" : "close", 200,
                launch ? _("Đã phát động phong trào thi đua.")
                       : _("Đã kết thúc phong trào thi đua."),
                "");
}

enum result movement_launch(struct request *req)
{
    return set_status(req, true);
}

enum result movement_close(struct request *req)
{
    return set_status(req, false);
}

/* --- the plan (Kế hoạch) ------------------------------------------------------ */

/* Who issues the plan: its unit in the register (and the series), and how
 * the heading and the signature read. */
struct plan_issuer {
    int64_t unit_id;
    const char *code;   /* for the symbol: KH-<code> */
    const char *series; /* "" or the council's own series */
    json_t *issuer;     /* {parent?, name, name_sentence} */
    json_t *signer;     /* {prefix, title, name} */
};

static char *upper(struct request *req, const char *s)
{
    char *u = text_upper(s);
    char *out = arena_strdup(req->arena, u);
    free(u);
    return out;
}

static const char *province(struct request *req)
{
    struct db_stmt *s = db_query(req->db, "SELECT value FROM meta WHERE key = 'province'");
    const char *p = db_step(s) == DB_ROW ? arena_strdup(req->arena, db_col_text(s, 0)) : "";
    db_done(s);
    return p;
}

/* The council's plans are issued by its standing body, Sở Nội vụ (the
 * unit with code SNV), in the council's own series (Nghị định 30/2020: an
 * advisory body numbers its documents apart). A group's are issued by that
 * year's head unit, which uses its own number series (RULES.md §8.2). A
 * unit's by the unit. */
static enum result plan_issuer_of(struct request *req, json_t *mv, struct plan_issuer *pi)
{
    const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
    pi->series = "";
    if (strcmp(lk, "council") == 0) {
        pi->unit_id = unit_id_by_code(req->db, "SNV");
        if (!pi->unit_id)
            return req_fail(req, E_INVALID, NULL,
                            _("Chưa có cơ quan thường trực của Hội đồng (đơn vị mã SNV) trong "
                              "danh mục đơn vị."));
        pi->code = "HĐTĐKT";
        pi->series = "HĐTĐKT";
        const char *prov = province(req);
        pi->issuer = json_pack("{s:s,s:s,s:s}", "parent",
                               arena_printf(req->arena, "ỦY BAN NHÂN DÂN %s", upper(req, prov)),
                               "name", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "name_sentence",
                               _("Hội đồng Thi đua - Khen thưởng tỉnh"));
        pi->signer = json_pack("{s:s,s:s,s:s}", "prefix", "TM. HỘI ĐỒNG", "title", "CHỦ TỊCH",
                               "name", "");
        return OK;
    }
    int64_t unit = json_integer_value(json_object_get(mv, "launcher_unit_id"));
    json_t *group = NULL;
    if (strcmp(lk, "group") == 0) {
        int64_t gid = json_integer_value(json_object_get(mv, "launcher_group_id"));
        int year = (int)json_integer_value(json_object_get(mv, "year_from"));
        json_t *y = group_year_get(req->db, gid, year);
        unit = y ? json_integer_value(json_object_get(json_object_get(y, "head"), "id")) : 0;
        json_decref(y);
        if (!unit)
            return req_fail(req, E_INVALID, NULL,
                            _("Khối, cụm thi đua chưa có đơn vị Trưởng khối năm %d, nên chưa có "
                              "cơ quan ban hành kế hoạch."),
                            year);
        group = group_get(req->db, gid);
    }
    json_t *u = unit_get(req->db, unit);
    if (!u) {
        json_decref(group);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có đơn vị này."));
    }
    const char *name = arena_strdup(req->arena, json_string_value(json_object_get(u, "name")));
    pi->unit_id = unit;
    pi->code = arena_strdup(req->arena, json_string_value(json_object_get(u, "code")));
    const char *parent =
        group ? upper(req, json_string_value(json_object_get(group, "name")))
        : json_is_object(json_object_get(u, "parent"))
            ? upper(req, json_string_value(
                             json_object_get(json_object_get(u, "parent"), "name")))
            : NULL;
    pi->issuer = json_pack("{s:s?,s:s,s:s}", "parent", parent, "name", upper(req, name),
                           "name_sentence", name);
    if (group) {
        bool cum = strcmp(json_string_value(json_object_get(group, "kind")), "cum") == 0;
        pi->signer = json_pack("{s:s,s:s,s:s}", "prefix",
                               cum ? "TM. CỤM THI ĐUA" : "TM. KHỐI THI ĐUA", "title",
                               cum ? "CỤM TRƯỞNG" : "TRƯỞNG KHỐI", "name", "");
    } else {
        pi->signer = json_pack("{s:s,s:s,s:s}", "prefix", "", "title", "THỦ TRƯỞNG ĐƠN VỊ",
                               "name", "");
    }
    json_decref(u);
    json_decref(group);
    return OK;
}

static const char *plan_subject(struct request *req, json_t *mv)
{
    return arena_printf(req->arena, "Tổ chức phong trào thi đua “%s”",
                        json_string_value(json_object_get(mv, "name")));
}

static json_t *section(const char *title, json_t *paragraphs, json_t *items)
{
    return json_pack("{s:s,s:o,s:o}", "title", title, "paragraphs",
                     paragraphs ? paragraphs : json_array(), "items", items ? items : json_array());
}

/* The view model of doctemplates/ke_hoach.mustache (see its sample). */
static json_t *plan_model(struct request *req, json_t *mv, struct plan_issuer *pi)
{
    const char *prov = province(req);
    const char *place = strncmp(prov, "Tỉnh ", strlen("Tỉnh ")) == 0 ? prov + strlen("Tỉnh ")
                        : strncmp(prov, "Thành phố ", strlen("Thành phố ")) == 0
                            ? prov + strlen("Thành phố ")
                            : prov;
    json_t *doc = json_object_get(mv, "plan_document");
    char today[11];
    date_today(today);
    const char *date = json_is_object(doc)
                           ? json_string_value(json_object_get(doc, "issued_on"))
                       : json_is_string(json_object_get(mv, "launched_on"))
                           ? json_string_value(json_object_get(mv, "launched_on"))
                           : today;
    const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
    const char *issuer_name = json_string_value(json_object_get(pi->issuer, "name_sentence"));
    const char *name = json_string_value(json_object_get(mv, "name"));

    json_t *bases = json_array();
    json_array_append_new(bases, json_string("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 "
                                             "ngày 15 tháng 6 năm 2022;"));
    if (strcmp(lk, "group") == 0)
        json_array_append_new(
            bases,
            json_sprintf("Căn cứ kết quả thống nhất của các đơn vị thành viên %s,",
                         json_string_value(json_object_get(json_object_get(mv, "launcher"),
                                                           "name"))));
    json_array_append_new(bases, json_sprintf("%s ban hành Kế hoạch tổ chức phong trào thi đua "
                                              "“%s” như sau:",
                                              issuer_name, name));

    /* I. goals: one paragraph per line the launcher wrote */
    json_t *goals = json_array();
    const char *g = json_string_value(json_object_get(mv, "goals"));
    while (g && *g) {
        const char *nl = strchr(g, '\n');
        size_t n = nl ? (size_t)(nl - g) : strlen(g);
        while (n && (g[n - 1] == ' ' || g[n - 1] == '\r'))
            n--;
        if (n)
            json_array_append_new(goals, json_stringn(g, n));
        g = nl ? nl + 1 : g + strlen(g);
    }
    if (!json_array_size(goals))
        json_array_append_new(goals, json_sprintf("Phát huy tinh thần thi đua yêu nước, hoàn "
                                                  "thành các chỉ tiêu của phong trào “%s”.",
                                                  name));

    /* II. the targets, in words; the table at the end gives them again */
    json_t *contents = json_array(), *targets = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(mv, "targets"), i, t)
    {
        const char *value = json_string_value(json_object_get(t, "value"));
        const char *measure = json_string_value(json_object_get(t, "measure"));
        const char *tname = json_string_value(json_object_get(t, "name"));
        if (*value)
            json_array_append_new(contents, json_sprintf("%zu. %s: %s%s%s;", i + 1, tname, value,
                                                         *measure && strcmp(measure, "%") ? " "
                                                                                          : "",
                                                         measure));
        else
            json_array_append_new(contents, json_sprintf("%zu. %s;", i + 1, tname));
        json_array_append_new(targets, json_pack("{s:I,s:s,s:s,s:s}", "n", (json_int_t)(i + 1),
                                                 "name", tname, "measure", measure, "value",
                                                 *value ? value : "—"));
    }

    char from[64] = "", to[64] = "";
    doc_date_words(json_string_value(json_object_get(mv, "starts_on")), from, sizeof from);
    doc_date_words(json_string_value(json_object_get(mv, "ends_on")), to, sizeof to);
    json_t *period = json_array();
    json_array_append_new(period, json_sprintf("Phong trào thi đua %s, từ %s đến %s.",
                                               strcmp(json_string_value(json_object_get(mv, "kind")),
                                                      "thematic") == 0
                                                   ? "theo chuyên đề"
                                                   : "thường xuyên",
                                               from, to));

    json_t *who = json_array();
    json_array_foreach(json_object_get(mv, "participants"), i, t)
    {
        json_array_append_new(who, json_sprintf("%s;", json_string_value(json_object_get(t, "name"))));
    }
    if (!json_array_size(who))
        json_array_append_new(who, json_string(strcmp(lk, "council") == 0
                                                   ? "Các cơ quan, đơn vị, địa phương trong tỉnh."
                                               : strcmp(lk, "group") == 0
                                                   ? "Các đơn vị thành viên của khối, cụm thi đua."
                                                   : "Các phòng, đơn vị trực thuộc và toàn thể "
                                                     "cán bộ, công chức, viên chức, người lao "
                                                     "động."));
    json_t *organise = json_array();
    json_array_append_new(organise,
                          json_string("Các đơn vị tham gia xây dựng kế hoạch, đăng ký chỉ tiêu "
                                      "và tổ chức thực hiện phong trào; báo cáo kết quả sơ kết, "
                                      "tổng kết đúng thời hạn."));
    json_array_append_new(organise,
                          json_sprintf("%s theo dõi, đôn đốc, tổng hợp kết quả; tổ chức sơ kết, "
                                       "tổng kết và đề xuất khen thưởng các tập thể, cá nhân có "
                                       "thành tích xuất sắc.",
                                       issuer_name));

    json_t *sections = json_array();
    json_array_append_new(sections, section("I. MỤC ĐÍCH, YÊU CẦU", goals, NULL));
    json_array_append_new(sections, section("II. NỘI DUNG THI ĐUA", NULL, contents));
    json_array_append_new(sections, section("III. THỜI GIAN", period, NULL));
    json_array_append_new(sections, section("IV. ĐỐI TƯỢNG THAM GIA", NULL, who));
    json_array_append_new(sections, section("V. TỔ CHỨC THỰC HIỆN", organise, NULL));

    json_t *recipients = json_array();
    json_array_append_new(recipients, json_string("Các đơn vị tham gia;"));
    if (strcmp(lk, "council") != 0)
        json_array_append_new(recipients, json_string("Hội đồng Thi đua - Khen thưởng tỉnh (để "
                                                      "b/c);"));
    json_array_append_new(recipients, json_string("Lưu: VT."));
    return json_pack("{s:O,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:O}", "issuer", pi->issuer, "place",
                     place, "number",
                     json_is_object(doc) ? json_string_value(json_object_get(doc, "number_text"))
                                         : "",
                     "date", date, "subject", plan_subject(req, mv), "bases", bases, "sections",
                     sections, "targets", targets, "recipients", recipients, "signer", pi->signer);
}

static enum result plan_send(struct request *req, bool pdf)
{
    json_t *mv = movement_of_path(req, false);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    struct plan_issuer pi = {0};
    if (plan_issuer_of(req, mv, &pi) != OK)
        return req->err.code;
    json_t *model = plan_model(req, mv, &pi);
    json_decref(pi.issuer);
    json_decref(pi.signer);
    enum result rc = doc_send(req, "ke_hoach", model, pdf,
                              arena_printf(req->arena, "ke-hoach-phong-trao-%lld",
                                           (long long)id_of(mv)));
    json_decref(model);
    return rc;
}

enum result movement_plan_docx(struct request *req)
{
    return plan_send(req, false);
}

enum result movement_plan_pdf(struct request *req)
{
    return plan_send(req, true);
}

enum result movement_plan_register(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    decref_later(req, mv);
    if (movement_require_status(req, mv, false) != OK)
        return E_CONFLICT;
    int64_t id = id_of(mv);
    struct plan_issuer pi = {0};
    if (plan_issuer_of(req, mv, &pi) != OK)
        return req->err.code;
    json_decref(pi.issuer);
    json_decref(pi.signer);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = movement_get(req->db, id);
    if (!json_is_null(json_object_get(before, "plan_document"))) {
        json_decref(before);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Kế hoạch của phong trào này đã được lấy số; không lấy số lần thứ "
                          "hai."));
    }
    const struct doc_kind *kind = doc_kind_of("KH");
    char *sym = docnum_default_symbol(kind, pi.code);
    const char *symbol = arena_strdup(req->arena, sym);
    free(sym);
    char today[11], now[21];
    date_today(today);
    date_now_utc(now);
    int year = atoi(today);
    int64_t number = 0, doc = 0;
    if (docnum_next(req->db, pi.unit_id, year, pi.series, &number) != OK)
        return db_failed(req, before);
    const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO documents (issuer_id, year, series, number, symbol, kind, subject, "
                 "issued_on, created_by, created_at, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?) RETURNING id");
    db_bind_int(s, 1, pi.unit_id);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, pi.series);
    db_bind_int(s, 4, number);
    db_bind_text(s, 5, symbol);
    db_bind_text(s, 6, kind->code);
    db_bind_text(s, 7, arena_printf(req->arena, "Kế hoạch %s", plan_subject(req, mv)));
    db_bind_text(s, 8, today);
    db_bind_int(s, 9, req->user->id);
    db_bind_text(s, 10, now);
    if (strcmp(lk, "group") == 0)
        db_bind_int(s, 11, json_integer_value(json_object_get(mv, "launcher_group_id")));
    else
        db_bind_null(s, 11);
    if (db_step(s) == DB_ROW)
        doc = db_col_int(s, 0);
    if (db_done(s) == DB_ERROR || !doc) {
        bool taken = db_last_was_unique_violation(req->db);
        json_decref(before);
        db_rollback(req->db);
        if (taken)
            return req_fail(req, E_CONFLICT, NULL,
                            _("Số %02lld/%s đã có trong sổ của cơ quan ban hành; hãy thử lại."),
                            (long long)number, symbol);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    json_t *entry = document_get(req->db, doc);
    enum result rc = audit_record(req, "create", "document", doc, NULL, entry);
    json_decref(entry);
    if (rc != OK) {
        json_decref(before);
        db_rollback(req->db);
        return E_DB;
    }
    s = db_query(req->db, "UPDATE movements SET plan_document_id = ?, version = version + 1, "
                          "updated_at = ? WHERE id = ?");
    db_bind_int(s, 1, doc);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    if (db_run(s) != DB_DONE)
        return db_failed(req, before);
    char text[120];
    docnum_format(number, symbol, text, sizeof text);
    return done(req, mv, before, "register_plan", 201,
                arena_printf(req->arena, _("Kế hoạch đã lấy số %s."), text), "");
}
