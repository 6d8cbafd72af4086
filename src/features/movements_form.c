/* Movements: the page of one movement, and creating and editing one
 * (features/movements.h). Who launches decides who may write: the council's
 * movements are the office's, a group's are its head and deputy's for the
 * year the movement starts, a unit's are that unit's. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/groups.h"
#include "features/listing.h"
#include "features/movements.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

struct movement_input {
    const char *name, *kind, *launcher_kind, *starts_on, *ends_on, *goals;
    int64_t group, unit;
};

static const char *const kind_values[] = {"regular", "thematic", NULL};
static const char *const kind_names[] = {N_("Thường xuyên"), N_("Theo chuyên đề"), NULL};
static const char *const launcher_values[] = {"council", "group", "unit", NULL};
static const char *const launcher_names[] = {N_("Hội đồng Thi đua - Khen thưởng tỉnh"),
                                             N_("Khối, cụm thi đua"), N_("Đơn vị"), NULL};

static struct movement_input input_from(struct request *req)
{
    return (struct movement_input){
        .name = req_text(req, "name"),
        .kind = req_text(req, "kind"),
        .launcher_kind = req_text(req, "launcher_kind"),
        .starts_on = req_text(req, "starts_on"),
        .ends_on = req_text(req, "ends_on"),
        .goals = req_text(req, "goals"),
        .group = req_int(req, "launcher_group_id", 0),
        .unit = req_int(req, "launcher_unit_id", 0),
    };
}

/* A field keeps the router's message (a date that does not exist …) when
 * it has one; otherwise ours. */
static bool has_error(struct request *req, const char *field)
{
    return json_object_get(req->field_errors, field) != NULL;
}

static void check_common(struct request *req, const struct movement_input *in)
{
    if (!in->name && !has_error(req, "name"))
        req_field_error(req, "name", _("Hãy nhập tên phong trào thi đua."));
    if (!in->kind && !has_error(req, "kind"))
        req_field_error(req, "kind",
                        _("Hãy chọn hình thức thi đua: thường xuyên hoặc theo chuyên đề."));
    if (!in->starts_on && !has_error(req, "starts_on"))
        req_field_error(req, "starts_on", _("Hãy nhập ngày bắt đầu (ngày/tháng/năm)."));
    if (!in->ends_on && !has_error(req, "ends_on"))
        req_field_error(req, "ends_on", _("Hãy nhập ngày kết thúc (ngày/tháng/năm)."));
    if (in->starts_on && in->ends_on) {
        char from[11], to[11];
        date_to_dmy(in->starts_on, from);
        date_to_dmy(in->ends_on, to);
        if (strcmp(in->ends_on, in->starts_on) < 0)
            req_field_error(req, "ends_on",
                            _("Ngày kết thúc (%s) không thể trước ngày bắt đầu (%s)."), to, from);
        else if (atoi(in->ends_on) - atoi(in->starts_on) > 4)
            /* a movement runs for a year, a stage of a plan (giai đoạn
             * 2026–2030) at most: five calendar years */
            req_field_error(req, "ends_on",
                            _("Một phong trào kéo dài nhiều nhất 5 năm (ví dụ giai đoạn "
                              "2026–2030); ngày kết thúc %s quá xa ngày bắt đầu %s."),
                            to, from);
    }
}

/* The launcher's fields: present for its kind; the others are cleared. */
static void check_launcher(struct request *req, struct movement_input *in)
{
    const char *lk = in->launcher_kind;
    if (!lk) {
        if (!has_error(req, "launcher_kind"))
            req_field_error(req, "launcher_kind",
                            _("Hãy chọn cấp phát động: Hội đồng, khối/cụm thi đua hoặc đơn "
                              "vị."));
        return;
    }
    bool group = strcmp(lk, "group") == 0, unit = strcmp(lk, "unit") == 0;
    /* the form sends both selects; the one the launcher's level does not
     * use is ignored (the officer's own unit comes preselected) */
    if (!group)
        in->group = 0;
    if (!unit)
        in->unit = 0;
    if (group && !in->group && !has_error(req, "launcher_group_id"))
        req_field_error(req, "launcher_group_id", _("Hãy chọn khối, cụm thi đua phát động."));
    if (unit && !in->unit && !has_error(req, "launcher_unit_id"))
        req_field_error(req, "launcher_unit_id", _("Hãy chọn đơn vị phát động."));
    if (group && in->group &&
        db_scalar_int_arg(req->db, "SELECT count(*) FROM emulation_groups WHERE id = ?",
                          in->group) == 0)
        req_field_error(req, "launcher_group_id", _("Không có khối, cụm thi đua này."));
    if (unit && in->unit &&
        db_scalar_int_arg(req->db, "SELECT count(*) FROM units WHERE id = ?", in->unit) == 0)
        req_field_error(req, "launcher_unit_id", _("Không có đơn vị này."));
}

/* OK when the caller may launch for this launcher; otherwise 403. Runs
 * only once the launcher itself is valid. */
static enum result require_launcher(struct request *req, const struct movement_input *in)
{
    bool staff = req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE;
    if (strcmp(in->launcher_kind, "council") == 0) {
        if (staff)
            return OK;
        return req_fail(req, E_FORBIDDEN, "launcher_kind",
                        _("Chỉ Phòng Thi đua, khen thưởng mới tạo được phong trào do Hội đồng "
                          "Thi đua - Khen thưởng tỉnh phát động."));
    }
    if (strcmp(in->launcher_kind, "group") == 0) {
        char today[11];
        date_today(today);
        int year = in->starts_on ? atoi(in->starts_on) : atoi(today);
        return group_require_manage(req, in->group, year);
    }
    return scope_require_unit(req, in->unit);
}

static void form_model(struct request *req, json_t *mv, bool creating)
{
    const char *kind = json_string_value(json_object_get(mv, "kind"));
    const char *lk = json_string_value(json_object_get(mv, "launcher_kind"));
    json_object_set(req->model, "movement", mv);
    json_object_set_new(req->model, "creating", json_boolean(creating));
    json_object_set_new(req->model, "kinds", listing_choices(kind, kind_values, kind_names));
    json_object_set_new(req->model, "launcher_kinds",
                        listing_choices(lk, launcher_values, launcher_names));
    json_object_set_new(
        req->model, "groups",
        movement_group_options(req, json_integer_value(json_object_get(mv, "launcher_group_id"))));
    json_object_set_new(req->model, "units",
                        unit_options(req->db,
                                     json_integer_value(json_object_get(mv, "launcher_unit_id")),
                                     scope_root(req), 0));
}

/* The form again with what was typed and a message by each wrong field. */
static enum result show_again(struct request *req, const struct movement_input *in,
                              json_t *saved)
{
    json_t *typed = saved ? json_deep_copy(saved) : json_object();
    const char *keys[] = {"name", "kind", "starts_on", "ends_on", "goals", "launcher_kind"};
    const char *vals[] = {in->name, in->kind, in->starts_on, in->ends_on, in->goals,
                          in->launcher_kind};
    for (int i = 0; i < (saved ? 5 : 6); i++)
        json_object_set_new(typed, keys[i], json_string(vals[i] ? vals[i] : ""));
    if (!saved) {
        json_object_set_new(typed, "launcher_group_id", json_integer(in->group));
        json_object_set_new(typed, "launcher_unit_id", json_integer(in->unit));
    }
    /* a date shown back as people write it, or as typed when it is wrong */
    const char *dates[] = {"starts_on", "ends_on"};
    for (int i = 0; i < 2; i++) {
        const struct param_value *v = req_value(req, dates[i]);
        char dmy[11] = "";
        if (v && v->text)
            date_to_dmy(v->text, dmy);
        json_object_set_new(typed, i ? "ends_on_dmy" : "starts_on_dmy",
                            json_string(dmy[0] ? dmy : v && v->text ? v->text : ""));
    }
    if (saved)
        json_object_set_new(typed, "version", json_integer(req_int(req, "version", 0)));
    form_model(req, typed, !saved);
    json_decref(typed);
    req->status = 422;
    req->template = "movements/form";
    return OK;
}

enum result movements_new(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    int64_t group = req_int(req, "group", 0), unit = req_int(req, "unit", 0);
    if (unit && scope_require_unit(req, unit) != OK)
        return E_FORBIDDEN;
    if (group && scope_root(req) && !group_can_view(req, group))
        return req_fail(req, E_FORBIDDEN, NULL,
                        _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này."));
    char today[11], from[11], to[11], dmy_from[11], dmy_to[11];
    date_today(today);
    int year = atoi(today);
    /* the usual case: a movement of the calendar year */
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    date_to_dmy(from, dmy_from);
    date_to_dmy(to, dmy_to);
    if (!unit && !group && scope_root(req) > 0)
        unit = scope_root(req);
    const char *lk = group ? "group" : unit ? "unit" : "council";
    json_t *mv = json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "name", "", "kind",
                           "regular", "launcher_kind", lk, "launcher_group_id", (json_int_t)group,
                           "launcher_unit_id", (json_int_t)unit, "starts_on", from, "ends_on", to,
                           "starts_on_dmy", dmy_from, "ends_on_dmy", dmy_to, "goals", "");
    form_model(req, mv, true);
    json_decref(mv);
    return OK;
}

enum result movements_create(struct request *req)
{
    struct movement_input in = input_from(req);
    check_launcher(req, &in);
    /* the right to launch is checked before the rest of the form, so a unit
     * officer learns first that the launcher is not theirs */
    if (!has_error(req, "launcher_kind") && !has_error(req, "launcher_group_id") &&
        !has_error(req, "launcher_unit_id") && require_launcher(req, &in) != OK)
        return E_FORBIDDEN;
    check_common(req, &in);
    if (req_has_errors(req))
        return show_again(req, &in, NULL);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO movements (name, kind, launcher_kind, launcher_group_id, "
                 "launcher_unit_id, starts_on, ends_on, goals, created_by, created_at, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, in.name);
    db_bind_text(s, 2, in.kind);
    db_bind_text(s, 3, in.launcher_kind);
    if (in.group)
        db_bind_int(s, 4, in.group);
    else
        db_bind_null(s, 4);
    if (in.unit)
        db_bind_int(s, 5, in.unit);
    else
        db_bind_null(s, 5);
    db_bind_text(s, 6, in.starts_on);
    db_bind_text(s, 7, in.ends_on);
    db_bind_text(s, 8, in.goals ? in.goals : "");
    db_bind_int(s, 9, req->user->id);
    db_bind_text(s, 10, now);
    db_bind_text(s, 11, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    enum result rc = db_done(s) == DB_ERROR || !id ? E_DB : OK;
    if (rc == OK)
        rc = audit_commit(req, "create", "movement", id, NULL, movement_get);
    else
        db_rollback(req->db);
    json_t *mv = rc == OK ? movement_get(req->db, id) : NULL;
    if (!mv)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "movement", mv);
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/movements/%lld", (long long)id),
                        _("Đã tạo phong trào thi đua (dự thảo). Hãy thêm chỉ tiêu và đối tượng "
                          "tham gia rồi phát động."));
}

/* Units a unit officer may add as participants: their own, and the
 * members of the launching group in the year the movement starts. */
static json_t *participant_units(struct request *req, json_t *mv)
{
    int64_t root = scope_root(req);
    json_t *out = unit_options(req->db, 0, root, 0);
    if (root && strcmp(json_string_value(json_object_get(mv, "launcher_kind")), "group") == 0) {
        json_t *members = group_member_options(
            req->db, json_integer_value(json_object_get(mv, "launcher_group_id")),
            (int)json_integer_value(json_object_get(mv, "year_from")), 0);
        json_array_extend(out, members);
        json_decref(members);
    }
    return out;
}

enum result movements_show(struct request *req)
{
    json_t *mv = movement_of_path(req, false);
    if (!mv)
        return req->err.code;
    bool manage = movement_can_manage(req, mv);
    bool draft = json_is_true(json_object_get(mv, "is_draft"));
    bool launched = json_is_true(json_object_get(mv, "is_launched"));
    bool open = !json_is_true(json_object_get(mv, "is_closed"));
    json_t *m = req->model;
    json_object_set_new(m, "can_manage", json_boolean(manage));
    json_object_set_new(m, "can_edit", json_boolean(manage && open));
    json_object_set_new(m, "can_edit_targets", json_boolean(manage && draft));
    json_object_set_new(m, "can_launch", json_boolean(manage && draft));
    json_object_set_new(m, "can_close", json_boolean(manage && launched));
    json_object_set_new(
        m, "can_register_plan",
        json_boolean(manage && open && json_is_null(json_object_get(mv, "plan_document"))));
    json_object_set_new(m, "has_targets",
                        json_boolean(json_array_size(json_object_get(mv, "targets")) > 0));
    json_object_set_new(m, "has_participants",
                        json_boolean(json_array_size(json_object_get(mv, "participants")) > 0));
    /* a participant links to its page where the reader may open it */
    size_t pi;
    json_t *pt;
    json_array_foreach(json_object_get(mv, "participants"), pi, pt)
    {
        int64_t pid = json_integer_value(json_object_get(pt, "id"));
        bool linkable = json_is_true(json_object_get(pt, "is_group"))
                            ? group_can_view(req, pid)
                            : scope_has_unit(req, pid);
        json_object_set_new(pt, "linkable", json_boolean(linkable));
    }
    if (manage && open) {
        json_object_set_new(m, "participant_groups", movement_group_options(req, 0));
        json_object_set_new(m, "participant_units", participant_units(req, mv));
    }
    json_object_set_new(m, "movement", mv);
    return OK;
}

enum result movements_edit(struct request *req)
{
    json_t *mv = movement_of_path(req, true);
    if (!mv)
        return req->err.code;
    if (movement_require_status(req, mv, false) != OK) {
        json_decref(mv);
        return E_CONFLICT;
    }
    form_model(req, mv, false);
    json_decref(mv);
    return OK;
}

enum result movements_update(struct request *req)
{
    json_t *saved = movement_of_path(req, true);
    if (!saved)
        return req->err.code;
    arena_defer(req->arena, (void (*)(void *))json_decref, saved);
    int64_t id = json_integer_value(json_object_get(saved, "id"));
    if (movement_require_status(req, saved, false) != OK)
        return E_CONFLICT;
    struct movement_input in = input_from(req);
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    check_common(req, &in);
    if (req_has_errors(req))
        return show_again(req, &in, saved);
    /* a group's head and deputy manage their own year: moving the movement
     * into another year needs the rights of that year too */
    if (strcmp(json_string_value(json_object_get(saved, "launcher_kind")), "group") == 0 &&
        group_require_manage(req, json_integer_value(json_object_get(saved, "launcher_group_id")),
                             atoi(in.starts_on)) != OK)
        return E_FORBIDDEN;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = movement_get(req->db, id);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "UPDATE movements SET name = ?, kind = ?, starts_on = ?, ends_on = ?, goals = ?, "
                 "version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status "
                 "<> 'closed' RETURNING id");
    db_bind_text(s, 1, in.name);
    db_bind_text(s, 2, in.kind);
    db_bind_text(s, 3, in.starts_on);
    db_bind_text(s, 4, in.ends_on);
    db_bind_text(s, 5, in.goals ? in.goals : "");
    db_bind_text(s, 6, now);
    db_bind_int(s, 7, id);
    db_bind_int(s, 8, req_int(req, "version", 0));
    bool updated = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : updated ? OK : E_CONFLICT;
    if (rc == OK) {
        if (audit_commit(req, "update", "movement", id, before, movement_get) != OK)
            return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        json_object_set_new(req->model, "movement", movement_get(req->db, id));
        return req_redirect(req, arena_printf(req->arena, "/movements/%lld", (long long)id),
                            _("Đã lưu thay đổi."));
    }
    json_decref(before);
    db_rollback(req->db);
    if (rc == E_CONFLICT)
        return req_fail(req, E_CONFLICT, "version",
                        _("Phong trào này vừa được người khác sửa. Hãy mở lại trang sửa để xem "
                          "bản mới nhất rồi sửa lại."));
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}
