/* The life of a pledge (features/pledges.h): its items while it is a draft,
 * opening it for signing (and back, while nobody has signed), and the
 * signature of each member unit by its own officer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/groups.h"
#include "features/pledges.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* the movements whose targets a group's pledge may take: launched by the
 * group (a draft of its own included) or joined by it as a whole once
 * launched (another launcher's draft is not public yet), running during the
 * year */
#define TARGETS_OF_GROUP                                                                    \
    " FROM movement_targets t JOIN movements m ON m.id = t.movement_id WHERE "             \
    "(m.launcher_group_id = ? OR (m.status <> 'draft' AND EXISTS (SELECT 1 FROM "           \
    "movement_participants p WHERE p.movement_id = m.id AND p.group_id = ?))) AND "         \
    "m.starts_on < ? AND m.ends_on >= ?"

static void bind_targets(struct db_stmt *s, int first, int64_t group, int year)
{
    char from[11], to[11];
    date_year_start(year, from);
    date_year_start(year + 1, to);
    db_bind_int(s, first, group);
    db_bind_int(s, first + 1, group);
    db_bind_text(s, first + 2, to);
    db_bind_text(s, first + 3, from);
}

json_t *pledge_target_options(struct db *db, int64_t group, int year, int64_t selected)
{
    struct db_stmt *s = db_query(db, "SELECT t.id, t.name, t.measure, t.value_x100, m.name"
                                     TARGETS_OF_GROUP " ORDER BY m.starts_on, m.id, t.position, "
                                     "t.id");
    bind_targets(s, 1, group, year);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        char num[32] = "", name[1200];
        if (!db_col_is_null(s, 3))
            bloc_format_x100(db_col_int(s, 3), num);
        snprintf(name, sizeof name, "%s: %s%s%s%s%s", db_col_text(s, 4), db_col_text(s, 1),
                 *num ? " (" : "", num, *num && *db_col_text(s, 2) ? " " : "",
                 *num ? db_col_text(s, 2) : "");
        if (*num)
            strncat(name, ")", sizeof name - strlen(name) - 1);
        json_array_append_new(out, json_pack("{s:I,s:s,s:b}", "value",
                                             (json_int_t)db_col_int(s, 0), "name", name,
                                             "selected", db_col_int(s, 0) == selected));
    }
    db_done(s);
    return out;
}

struct item_input {
    const char *content, *measure, *target_text;
    int64_t target, movement_target;
    bool has_target;
};

/* Reads and checks the item fields (field errors on req); a movement
 * target fills what was left empty: its name when the content is empty,
 * its measure and value when those are. */
static void item_input(struct request *req, json_t *pledge, struct item_input *in)
{
    in->content = req_text(req, "content");
    in->measure = req_text(req, "measure");
    in->target_text = req_text(req, "target");
    in->movement_target = req_int(req, "movement_target_id", 0);
    in->has_target = false;
    in->target = 0;
    if (in->target_text && (!bloc_parse_x100(in->target_text, &in->target) || in->target < 0))
        req_field_error(req, "target", _("Chỉ tiêu phải là một số không âm, ví dụ 100, 12,5 hoặc 1.000 "
                                         "(nhiều nhất hai chữ số thập phân); để trống nếu là "
                                         "nội dung định tính."));
    else
        in->has_target = in->target_text != NULL;
    if (in->movement_target) {
        struct db_stmt *s = db_query(req->db, "SELECT t.name, t.measure, t.value_x100"
                                              TARGETS_OF_GROUP " AND t.id = ?");
        bind_targets(s, 1, pledge_group(pledge), pledge_year(pledge));
        db_bind_int(s, 5, in->movement_target);
        if (db_step(s) == DB_ROW) {
            if (!in->content)
                in->content = arena_strdup(req->arena, db_col_text(s, 0));
            if (!in->measure && *db_col_text(s, 1))
                in->measure = arena_strdup(req->arena, db_col_text(s, 1));
            if (!in->target_text && !db_col_is_null(s, 2)) {
                in->has_target = true;
                in->target = db_col_int(s, 2);
            }
        } else {
            req_field_error(req, "movement_target_id",
                            _("Chỉ tiêu này không thuộc phong trào nào mà khối phát động hoặc "
                              "tham gia trong năm %d."),
                            pledge_year(pledge));
        }
        db_done(s);
    }
    if (!in->content)
        req_field_error(req, "content", _("Hãy nhập nội dung giao ước (hoặc chọn một chỉ tiêu "
                                          "của phong trào)."));
}

static json_t *typed_item(struct request *req, struct item_input *in)
{
    return json_pack("{s:s,s:s,s:s,s:o}", "content", req_text(req, "content") ? req_text(req, "content") : "",
                     "measure", req_text(req, "measure") ? req_text(req, "measure") : "",
                     "target", in->target_text ? in->target_text : "", "targets",
                     json_array());
}

static enum result db_failed(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

static void bind_item(struct db_stmt *s, int first, struct item_input *in)
{
    db_bind_text(s, first, in->content);
    db_bind_text(s, first + 1, in->measure ? in->measure : "");
    if (in->has_target)
        db_bind_int(s, first + 2, in->target);
    else
        db_bind_null(s, first + 2);
    if (in->movement_target)
        db_bind_int(s, first + 3, in->movement_target);
    else
        db_bind_null(s, first + 3);
}

enum result pledge_item_add(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_for_edit(req);
    if (!p) {
        db_rollback(req->db);
        return req->err.code;
    }
    struct item_input in;
    item_input(req, p, &in);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        json_t *typed = typed_item(req, &in);
        json_object_set_new(typed, "targets",
                            pledge_target_options(req->db, pledge_group(p), pledge_year(p),
                                                  in.movement_target));
        enum result rc = pledge_show_again(req, p, "item_form", typed);
        json_decref(p);
        return rc;
    }
    int64_t id = json_integer_value(json_object_get(p, "id"));
    if (pledge_touch(req->db, id) != OK) {
        json_decref(p);
        return db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "INSERT INTO pledge_items (pledge_id, position, "
                                          "content, measure, target_x100, movement_target_id) "
                                          "SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, ? "
                                          "FROM pledge_items WHERE pledge_id = ?");
    db_bind_int(s, 1, id);
    bind_item(s, 2, &in);
    db_bind_int(s, 6, id);
    if (db_run(s) != DB_DONE) {
        json_decref(p);
        return db_failed(req);
    }
    if (audit_commit(req, "item_add", "pledge", id, p, pledge_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld#items", (long long)id),
                        _("Đã thêm nội dung giao ước."));
}

/* The item of the path inside pledge p; NULL after a 404. */
static json_t *item_of_path(struct request *req, json_t *p)
{
    int64_t item = req_path_int(req, "item");
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(p, "items"), i, it)
    {
        if (json_integer_value(json_object_get(it, "id")) == item)
            return it;
    }
    req_fail(req, E_NOTFOUND, NULL, _("Giao ước không có nội dung số hiệu %lld."),
             (long long)item);
    return NULL;
}

static void item_form_model(struct request *req, json_t *p, json_t *item, json_t *typed)
{
    int64_t selected = json_integer_value(json_object_get(item, "movement_target_id"));
    json_t *form = typed ? typed
                         : json_pack("{s:O,s:O,s:s}", "content", json_object_get(item, "content"),
                                     "measure", json_object_get(item, "measure"), "target",
                                     json_is_string(json_object_get(item, "target"))
                                         ? json_string_value(json_object_get(item, "target"))
                                         : "");
    if (typed)
        selected = req_int(req, "movement_target_id", 0);
    json_object_set_new(form, "targets",
                        pledge_target_options(req->db, pledge_group(p), pledge_year(p), selected));
    json_object_set_new(form, "id", json_integer(json_integer_value(json_object_get(item, "id"))));
    json_object_set_new(form, "n", json_integer(json_integer_value(json_object_get(item, "n"))));
    json_object_set_new(form, "version",
                        json_integer(typed ? req_int(req, "version", 0)
                                           : json_integer_value(json_object_get(p, "version"))));
    json_object_set(req->model, "pledge", p);
    json_object_set_new(req->model, "item_form", form);
}

enum result pledge_item_edit(struct request *req)
{
    json_t *p = pledge_for_edit(req);
    if (!p)
        return req->err.code;
    json_t *item = item_of_path(req, p);
    if (item)
        item_form_model(req, p, item, NULL);
    json_decref(p);
    return item ? OK : E_NOTFOUND;
}

/* Moves the pledge to the next version if the form saw the current one:
 * E_CONFLICT for a stale form, E_DB on failure. */
static enum result next_version(struct request *req, int64_t id)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "UPDATE pledges SET version = version + 1, updated_at "
                                          "= ? WHERE id = ? AND version = ? RETURNING id");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, req_int(req, "version", 0));
    bool changed = db_step(s) == DB_ROW;
    if (db_done(s) == DB_ERROR)
        return E_DB;
    return changed ? OK : E_CONFLICT;
}

static enum result stale(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_CONFLICT, "version",
                    _("Giao ước vừa được người khác sửa. Hãy mở lại trang để xem bản mới nhất "
                      "rồi làm lại."));
}

enum result pledge_item_update(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_for_edit(req);
    json_t *item = p ? item_of_path(req, p) : NULL;
    if (!item) {
        json_decref(p);
        db_rollback(req->db);
        return req->err.code;
    }
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    struct item_input in;
    item_input(req, p, &in);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        item_form_model(req, p, item, typed_item(req, &in));
        json_decref(p);
        req->status = 422;
        req->template = "pledges/item_form";
        return OK;
    }
    int64_t id = json_integer_value(json_object_get(p, "id"));
    enum result rc = next_version(req, id);
    if (rc == E_CONFLICT) {
        json_decref(p);
        return stale(req);
    }
    struct db_stmt *s = db_query(req->db, "UPDATE pledge_items SET content = ?, measure = ?, "
                                          "target_x100 = ?, movement_target_id = ? WHERE id = ? "
                                          "AND pledge_id = ?");
    bind_item(s, 1, &in);
    db_bind_int(s, 5, req_path_int(req, "item"));
    db_bind_int(s, 6, id);
    if (rc != OK || db_run(s) != DB_DONE) {
        json_decref(p);
        return db_failed(req);
    }
    if (audit_commit(req, "item_update", "pledge", id, p, pledge_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld#items", (long long)id),
                        _("Đã lưu nội dung giao ước."));
}

enum result pledge_item_delete(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_for_edit(req);
    json_t *item = p ? item_of_path(req, p) : NULL;
    if (!item) {
        json_decref(p);
        db_rollback(req->db);
        return req->err.code;
    }
    if (!req_value(req, "version")) {
        db_rollback(req->db);
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
        enum result rc = pledge_show_again(req, p, NULL, NULL);
        json_decref(p);
        return rc;
    }
    int64_t id = json_integer_value(json_object_get(p, "id"));
    int64_t position = json_integer_value(json_object_get(item, "n"));
    if (db_scalar_int_arg(req->db, "SELECT count(*) FROM conference_reports WHERE pledge_item_id = ?",
                          req_path_int(req, "item")) > 0) {
        db_rollback(req->db);
        json_decref(p);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Đã có đơn vị báo cáo kết quả theo nội dung này tại hội nghị, nên không "
                          "bỏ được."));
    }
    enum result rc = next_version(req, id);
    if (rc == E_CONFLICT) {
        json_decref(p);
        return stale(req);
    }
    struct db_stmt *s = db_query(req->db, "DELETE FROM pledge_items WHERE id = ? AND pledge_id = ?");
    db_bind_int(s, 1, req_path_int(req, "item"));
    db_bind_int(s, 2, id);
    if (rc == OK && db_run(s) != DB_DONE)
        rc = E_DB;
    /* the items after it move up one: positions stay 1, 2, 3 … */
    if (rc == OK) {
        s = db_query(req->db, "UPDATE pledge_items SET position = position - 1 WHERE pledge_id = "
                              "? AND position > ?");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, position);
        if (db_run(s) != DB_DONE)
            rc = E_DB;
    }
    if (rc != OK) {
        json_decref(p);
        return db_failed(req);
    }
    if (audit_commit(req, "item_delete", "pledge", id, p, pledge_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld#items", (long long)id),
                        _("Đã xóa nội dung giao ước."));
}

static enum result set_status(struct request *req, json_t *p, const char *status,
                              const char *opened_on, const char *action, const char *flash)
{
    int64_t id = json_integer_value(json_object_get(p, "id"));
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "UPDATE pledges SET status = ?, opened_on = ?, "
                                          "version = version + 1, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, opened_on);
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    if (db_run(s) != DB_DONE) {
        json_decref(p);
        return db_failed(req);
    }
    if (audit_commit(req, action, "pledge", id, p, pledge_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld", (long long)id), flash);
}

enum result pledges_open(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_for_edit(req);
    if (!p) {
        db_rollback(req->db);
        return req->err.code;
    }
    char today[11];
    date_today(today);
    const char *opened_on = req_text(req, "opened_on");
    if (!opened_on && !json_object_get(req->field_errors, "opened_on"))
        opened_on = today;
    int year = pledge_year(p);
    char dmy[11];
    if (opened_on && atoi(opened_on) != year)
        req_field_error(req, "opened_on",
                        _("Ngày mở ký phải trong năm %d của giao ước; hôm nay đã sang năm khác "
                          "thì hãy nhập ngày."),
                        year);
    else if (opened_on && strcmp(opened_on, today) > 0) {
        date_to_dmy(today, dmy);
        req_field_error(req, "opened_on", _("Ngày mở ký không thể sau hôm nay (%s)."), dmy);
    }
    if (json_array_size(json_object_get(p, "items")) == 0)
        req_field_error(req, "items", _("Giao ước chưa có nội dung nào; hãy thêm ít nhất một "
                                        "nội dung trước khi mở để ký."));
    if (req_has_errors(req)) {
        db_rollback(req->db);
        enum result rc = pledge_show_again(req, p, NULL, NULL);
        json_decref(p);
        return rc;
    }
    return set_status(req, p, "open", opened_on, "open",
                      _("Đã mở giao ước để các đơn vị thành viên ký."));
}

enum result pledges_back_to_draft(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_of_path(req);
    if (!p || group_require_manage(req, pledge_group(p), pledge_year(p)) != OK) {
        json_decref(p);
        db_rollback(req->db);
        return req->err.code;
    }
    const char *why = NULL;
    if (strcmp(pledge_status(p), "draft") == 0)
        why = _("Giao ước đang là dự thảo.");
    else if (json_array_size(json_object_get(p, "signatures")) > 0)
        why = _("Đã có đơn vị ký giao ước nên không đưa về dự thảo được nữa.");
    if (why) {
        json_decref(p);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL, "%s", why);
    }
    return set_status(req, p, "draft", NULL, "draft",
                      _("Giao ước đã trở về dự thảo; có thể sửa nội dung."));
}

/* The member row of a unit in the pledge's year: joined_on and left_on
 * (ISO, "" when none); false when it is not a member that year. */
static bool member_row(struct db *db, json_t *p, int64_t unit, char joined[11], char left[11])
{
    struct db_stmt *s = db_query(db, "SELECT joined_on, left_on FROM group_members WHERE "
                                     "group_id = ? AND year = ? AND unit_id = ?");
    db_bind_int(s, 1, pledge_group(p));
    db_bind_int(s, 2, pledge_year(p));
    db_bind_int(s, 3, unit);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        snprintf(joined, 11, "%s", db_col_text(s, 0));
        snprintf(left, 11, "%s", db_col_text(s, 1));
    }
    db_done(s);
    return found;
}

/* Checks the signing fields against the pledge and the unit (errors on
 * req). */
static void check_signature(struct request *req, json_t *p, int64_t unit, const char *signed_on)
{
    int year = pledge_year(p);
    char joined[11] = "", left[11] = "", dmy[11], today[11];
    date_today(today);
    if (strcmp(pledge_status(p), "draft") == 0)
        req_field_error(req, "pledge", _("Giao ước đang là dự thảo, chưa mở để ký."));
    if (!member_row(req->db, p, unit, joined, left))
        req_field_error(req, "unit_id", _("Đơn vị không là thành viên của khối năm %d."), year);
    else if (*left) {
        date_to_dmy(left, dmy);
        req_field_error(req, "unit_id",
                        _("Đơn vị đã rời khối ngày %s nên không ký giao ước."), dmy);
    }
    if (!req_text(req, "signer_name"))
        req_field_error(req, "signer_name", _("Hãy nhập họ và tên người ký."));
    if (!req_text(req, "signer_title"))
        req_field_error(req, "signer_title", _("Hãy nhập chức vụ người ký (ví dụ Chủ tịch)."));
    if (!signed_on)
        return; /* a malformed date: the router said why */
    const char *opened = json_string_value(json_object_get(p, "opened_on"));
    if (atoi(signed_on) != year)
        req_field_error(req, "signed_on", _("Ngày ký phải trong năm %d của giao ước."), year);
    else if (opened && strcmp(signed_on, opened) < 0) {
        date_to_dmy(opened, dmy);
        req_field_error(req, "signed_on",
                        _("Ngày ký không thể trước ngày mở giao ước để ký (%s)."), dmy);
    } else if (strcmp(signed_on, today) > 0) {
        date_to_dmy(today, dmy);
        req_field_error(req, "signed_on", _("Ngày ký không thể sau hôm nay (%s)."), dmy);
    } else if (*joined && strcmp(signed_on, joined) < 0) {
        date_to_dmy(joined, dmy);
        req_field_error(req, "signed_on",
                        _("Đơn vị tham gia khối từ ngày %s; ngày ký không thể trước ngày đó."),
                        dmy);
    }
}

enum result pledges_sign(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_of_path(req);
    if (!p) {
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t id = json_integer_value(json_object_get(p, "id"));
    int64_t unit = req_int(req, "unit_id", req->user->unit_id);
    /* each unit signs through its own officer: nobody signs for another */
    if (req->user->role != ROLE_UNIT || !scope_has_unit(req, unit)) {
        json_decref(p);
        db_rollback(req->db);
        return req_fail(req, E_FORBIDDEN, "unit_id",
                        _("Mỗi đơn vị tự ký giao ước qua cán bộ của mình; bạn chỉ ký được cho "
                          "đơn vị %s."),
                        req->user->unit_name ? req->user->unit_name : "");
    }
    struct db_stmt *s = db_query(req->db, "SELECT signed_on FROM pledge_signatures WHERE "
                                          "pledge_id = ? AND unit_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, unit);
    char earlier[11] = "";
    if (db_step(s) == DB_ROW)
        date_to_dmy(db_col_text(s, 0), earlier);
    db_done(s);
    if (*earlier) {
        json_decref(p);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "unit_id", _("Đơn vị đã ký giao ước ngày %s."), earlier);
    }
    char today[11];
    date_today(today);
    const char *signed_on = req_text(req, "signed_on");
    if (!signed_on && !json_object_get(req->field_errors, "signed_on"))
        signed_on = today;
    check_signature(req, p, unit, signed_on);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        /* a real date comes back as people write it; anything else as typed */
        const struct param_value *v = req_value(req, "signed_on");
        char dmy[11] = "";
        if (v && v->text)
            date_to_dmy(v->text, dmy);
        json_t *typed = json_pack("{s:s,s:s,s:s}", "signer_name",
                                  req_text(req, "signer_name") ? req_text(req, "signer_name") : "",
                                  "signer_title",
                                  req_text(req, "signer_title") ? req_text(req, "signer_title") : "",
                                  "signed_on", dmy[0] ? dmy : v && v->text ? v->text : "");
        enum result rc = pledge_show_again(req, p, "sign_form", typed);
        json_decref(p);
        return rc;
    }
    char now[21];
    date_now_utc(now);
    s = db_query(req->db, "INSERT INTO pledge_signatures (pledge_id, unit_id, signer_name, "
                          "signer_title, signed_on, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                          "?)");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, unit);
    db_bind_text(s, 3, req_text(req, "signer_name"));
    db_bind_text(s, 4, req_text(req, "signer_title"));
    db_bind_text(s, 5, signed_on);
    db_bind_int(s, 6, req->user->id);
    db_bind_text(s, 7, now);
    enum result rc = db_run(s) == DB_DONE ? OK : E_DB;
    if (rc == OK)
        rc = pledge_touch(req->db, id);
    /* the last member to sign completes it: signed on the latest date */
    int asked = 0, signed_count = 0;
    char last[11] = "";
    if (rc == OK)
        pledge_signature_counts(req->db, p, &asked, &signed_count, last);
    if (rc == OK && asked > 0 && signed_count == asked) {
        s = db_query(req->db, "UPDATE pledges SET status = 'signed', signed_on = ? WHERE id = ?");
        db_bind_text(s, 1, last);
        db_bind_int(s, 2, id);
        rc = db_run(s) == DB_DONE ? OK : E_DB;
    }
    if (rc != OK) {
        json_decref(p);
        return db_failed(req);
    }
    const char *unit_name = NULL;
    s = db_query(req->db, "SELECT name FROM units WHERE id = ?");
    db_bind_int(s, 1, unit);
    if (db_step(s) == DB_ROW)
        unit_name = arena_strdup(req->arena, db_col_text(s, 0));
    db_done(s);
    if (audit_commit(req, "sign", "pledge", id, p, pledge_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    req->status = 201;
    return req_redirect(
        req, arena_printf(req->arena, "/pledges/%lld", (long long)id),
        asked > 0 && signed_count == asked
            ? arena_printf(req->arena, _("Đã ghi chữ ký của %s. Tất cả %d đơn vị đã ký giao ước."),
                           unit_name ? unit_name : "", asked)
            : arena_printf(req->arena, _("Đã ghi chữ ký của %s (%d/%d đơn vị đã ký)."),
                           unit_name ? unit_name : "", signed_count, asked));
}

enum result pledge_recheck(struct db *db, int64_t group, int year, bool *completed)
{
    *completed = false;
    int64_t id = pledge_id_of(db, group, year);
    if (!id)
        return OK;
    json_t *p = pledge_get(db, id);
    if (!p)
        return E_DB;
    enum result rc = OK;
    if (strcmp(pledge_status(p), "open") == 0) {
        int asked = 0, signed_count = 0;
        char last[11] = "";
        pledge_signature_counts(db, p, &asked, &signed_count, last);
        if (asked > 0 && signed_count == asked) {
            struct db_stmt *s = db_query(db, "UPDATE pledges SET status = 'signed', signed_on = "
                                             "?, version = version + 1 WHERE id = ?");
            db_bind_text(s, 1, last);
            db_bind_int(s, 2, id);
            rc = db_run(s) == DB_DONE ? OK : E_DB;
            *completed = rc == OK;
        }
    }
    json_decref(p);
    return rc;
}
