/* Pages and JSON of the unit registry: /units … (routes in routes.c). */
#include "features/units.h"

#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/listing.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char *const unit_sort_keys[] = {"name", "code", "kind", NULL};

/* The filters as given, for links and for the filter form. */
static json_t *unit_query(struct request *req)
{
    static const char *const texts[] = {"q", "kind", "status", "sort", NULL};
    static const char *const ints[] = {"parent", "per_page", NULL};
    return listing_query(req, texts, ints);
}

static json_t *status_options(const char *selected)
{
    static const char *const values[] = {"active", "inactive", "all", NULL};
    static const char *const names[] = {N_("Đang hoạt động"), N_("Ngừng hoạt động"), N_("Tất cả")};
    return listing_choices(selected ? selected : "active", values, names);
}

enum result units_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    struct list_query q = {
        .q = req_text(req, "q"),
        .kind = req_text(req, "kind"),
        .parent_id = req_int(req, "parent", 0),
        .status = req_text(req, "status"),
        .sort = req_text(req, "sort"),
        .page = req_int(req, "page", 1),
        .per_page = req_int(req, "per_page", 20),
        .scope_unit = scope_root(req),
    };
    /* as /persons?unit=: a unit outside the officer's scope is refused, not
     * answered with an empty list beside that unit's name and details */
    if (q.parent_id && scope_require_unit(req, q.parent_id) != OK)
        return E_FORBIDDEN;
    struct err e = {0};
    json_t *list = unit_list(req->db, &q, &e);
    if (!list)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    json_t *m = req->model;
    json_object_update(m, list);
    json_decref(list);
    json_t *query = unit_query(req);
    json_object_set(m, "query", query);
    json_t *kinds = unit_kinds(req->db);
    json_object_set_new(m, "kinds", listing_choices_json(kinds, q.kind));
    json_decref(kinds);
    json_object_set_new(m, "statuses", status_options(q.status));
    if (q.parent_id) {
        json_t *parent = unit_get(req->db, q.parent_id);
        if (parent)
            json_object_set_new(m, "parent", parent);
    }
    json_object_set_new(m, "export_url", json_string(listing_url(req, "/units/export.xlsx", query)));
    listing_page_model(req, m, "/units", query,
                       json_integer_value(json_object_get(m, "total")), q.page, q.per_page,
                       unit_sort_keys, q.sort ? q.sort : "name");
    json_decref(query);
    return OK;
}

enum result units_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *u = unit_get(req->db, id);
    if (!u)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có đơn vị số %lld."), (long long)id);
    if (scope_require_unit(req, id) != OK) {
        json_decref(u);
        return E_FORBIDDEN;
    }
    json_object_set_new(req->model, "unit", u);
    struct err e = {0};
    struct list_query children = {.parent_id = id, .status = "all", .page = 1, .per_page = 100};
    json_t *list = unit_list(req->db, &children, &e);
    if (list) {
        json_object_set(req->model, "children", json_object_get(list, "items"));
        json_object_set_new(req->model, "has_children",
                            json_boolean(json_array_size(json_object_get(list, "items")) > 0));
        json_decref(list);
    }
    struct list_query persons = {.parent_id = id, .page = 1, .per_page = 20};
    list = person_list(req->db, &persons, &e);
    if (list) {
        json_object_set(req->model, "persons", json_object_get(list, "items"));
        json_object_set(req->model, "persons_total", json_object_get(list, "total"));
        json_object_set_new(req->model, "has_persons",
                            json_boolean(json_array_size(json_object_get(list, "items")) > 0));
        json_decref(list);
    }
    return OK;
}

static void form_model(struct request *req, json_t *unit, int64_t self)
{
    json_t *m = req->model;
    json_object_set(m, "unit", unit);
    const char *kind = json_string_value(json_object_get(unit, "kind"));
    json_t *kinds = unit_kinds(req->db);
    json_object_set_new(m, "kinds", listing_choices_json(kinds, kind));
    json_decref(kinds);
    json_t *parent = json_object_get(unit, "parent");
    int64_t parent_id = json_integer_value(json_object_get(parent, "id"));
    if (!parent_id)
        parent_id = json_integer_value(json_object_get(unit, "parent_id"));
    json_object_set_new(m, "parents", unit_options(req->db, parent_id, 0, self));
}

enum result units_new(struct request *req)
{
    json_t *u = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "code", "", "name", "", "short_name",
                          "", "kind", "so_nganh", "parent_id",
                          (json_int_t)req_int(req, "parent", 0), "active_from_dmy", "",
                          "active_to_dmy", "");
    form_model(req, u, 0);
    json_decref(u);
    json_object_set_new(req->model, "creating", json_true());
    return OK;
}

enum result units_edit(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *u = unit_get(req->db, id);
    if (!u)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có đơn vị số %lld."), (long long)id);
    form_model(req, u, id);
    json_decref(u);
    return OK;
}

static struct unit_input input_from(struct request *req)
{
    struct unit_input u = {
        .parent_id = req_int(req, "parent_id", 0),
        .kind = req_text(req, "kind"),
        .code = req_text(req, "code"),
        .name = req_text(req, "name"),
        .short_name = req_text(req, "short_name"),
        .active_from = req_text(req, "active_from"),
        .active_to = req_text(req, "active_to"),
    };
    return u;
}

/* The form again, with what was typed and a message beside each field. */
static enum result show_again(struct request *req, const struct unit_input *u, int64_t self)
{
    json_t *typed = json_pack("{s:s?,s:s?,s:s?,s:s?,s:I,s:s?,s:s?,s:I}", "code", u->code, "name",
                              u->name, "short_name", u->short_name, "kind", u->kind, "parent_id",
                              (json_int_t)u->parent_id, "active_from", u->active_from, "active_to",
                              u->active_to, "version", (json_int_t)req_int(req, "version", 0));
    if (self)
        json_object_set_new(typed, "id", json_integer(self));
    /* a valid date is shown back as people write it, an invalid one as typed */
    const char *dates[] = {"active_from", "active_to"};
    for (int i = 0; i < 2; i++) {
        const struct param_value *v = req_value(req, dates[i]);
        char dmy[11] = "";
        if (v && v->text)
            date_to_dmy(v->text, dmy);
        json_object_set_new(typed, i ? "active_to_dmy" : "active_from_dmy",
                            json_string(dmy[0] ? dmy : v && v->text ? v->text : ""));
    }
    form_model(req, typed, self);
    json_decref(typed);
    if (!self)
        json_object_set_new(req->model, "creating", json_true());
    req->status = 422;
    req->template = "units/form";
    return OK;
}

enum result units_create(struct request *req)
{
    struct unit_input u = input_from(req);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được đơn vị (lỗi cơ sở dữ liệu)."));
    /* The checks run inside the write transaction, so the parent chain and
     * the codes they read cannot change before the write; and they run even
     * after a typing error, so every problem of the form shows at once. */
    bool valid = unit_check(req->db, &u, 0, req->field_errors);
    if (req_has_errors(req) || !valid) {
        db_rollback(req->db);
        return show_again(req, &u, 0);
    }
    int64_t id = 0;
    enum result rc = unit_insert(req->db, &u, &id);
    if (rc == OK)
        rc = audit_commit(req, "create", "unit", id, NULL, unit_get);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        req_field_error(req, "code", _("Mã đơn vị \"%s\" đã được dùng cho đơn vị khác."), u.code);
        return show_again(req, &u, 0);
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được đơn vị (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "unit", unit_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/units/%lld", (long long)id),
                        arena_printf(req->arena, _("Đã thêm đơn vị \"%s\"."), u.name));
}

enum result units_update(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *old = unit_get(req->db, id);
    if (!old)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có đơn vị số %lld."), (long long)id);
    json_decref(old);
    struct unit_input u = input_from(req);
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được đơn vị (lỗi cơ sở dữ liệu)."));
    bool valid = unit_check(req->db, &u, id, req->field_errors);
    if (req_has_errors(req) || !valid) {
        db_rollback(req->db);
        return show_again(req, &u, id);
    }
    json_t *before = unit_get(req->db, id);
    enum result rc = unit_update(req->db, id, req_int(req, "version", 0), &u);
    if (rc == OK)
        rc = audit_commit(req, "update", "unit", id, before, unit_get);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "version",
                        _("Đơn vị này vừa được người khác sửa hoặc mã đã bị trùng. Hãy mở lại "
                          "trang sửa để xem bản mới nhất rồi sửa lại."));
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được đơn vị (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "unit", unit_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/units/%lld", (long long)id),
                        _("Đã lưu thay đổi."));
}

static enum result set_active(struct request *req, bool active)
{
    int64_t id = req_path_int(req, "id");
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    char today[11];
    date_today(today);
    const char *date = active ? NULL : (req_text(req, "date") ? req_text(req, "date") : today);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *unit = unit_get(req->db, id);
    const char *from = unit ? json_string_value(json_object_get(unit, "active_from")) : NULL;
    if (date && from && strcmp(date, from) < 0) {
        char date_dmy[11], from_dmy[11];
        date_to_dmy(date, date_dmy);
        date_to_dmy(from, from_dmy);
        json_decref(unit);
        db_rollback(req->db);
        return req_fail(req, E_INVALID, "date",
                        _("Ngày ngừng hoạt động (%s) không thể trước ngày bắt đầu hoạt động (%s)."),
                        date_dmy, from_dmy);
    }
    enum result rc = unit_set_active_to(req->db, id, date);
    if (rc == OK)
        rc = audit_commit(req, active ? "activate" : "deactivate", "unit", id, unit, unit_get);
    else
        json_decref(unit);
    if (rc != OK)
        db_rollback(req->db);
    if (rc == E_NOTFOUND)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có đơn vị số %lld."), (long long)id);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "unit", unit_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/units/%lld", (long long)id),
                        active ? _("Đơn vị đã hoạt động trở lại.")
                               : _("Đã ghi nhận đơn vị ngừng hoạt động; dữ liệu của đơn vị vẫn "
                                   "được giữ nguyên."));
}

enum result units_deactivate(struct request *req)
{
    return set_active(req, false);
}

enum result units_activate(struct request *req)
{
    return set_active(req, true);
}
