/* Pages and JSON of the persons of each unit: /persons … (routes in routes.c). */
#include "features/persons.h"

#include <string.h>

#include "db/db.h"
#include "features/listing.h"
#include "features/audit.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/i18n.h"

static const char *const person_sort_keys[] = {"name", "birth_year", "unit", NULL};

static json_t *person_query(struct request *req)
{
    static const char *const texts[] = {"q", "status", "sort", NULL};
    static const char *const ints[] = {"unit", "per_page", NULL};
    return listing_query(req, texts, ints);
}

enum result persons_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    struct list_query q = {
        .q = req_text(req, "q"),
        .parent_id = req_int(req, "unit", 0),
        .status = req_text(req, "status"),
        .sort = req_text(req, "sort"),
        .page = req_int(req, "page", 1),
        .per_page = req_int(req, "per_page", 20),
        .scope_unit = scope_root(req),
    };
    if (q.parent_id && scope_require_unit(req, q.parent_id) != OK)
        return E_FORBIDDEN;
    struct err e = {0};
    json_t *list = person_list(req->db, &q, &e);
    if (!list)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    json_t *m = req->model;
    json_object_update(m, list);
    json_decref(list);
    json_t *query = person_query(req);
    json_object_set(m, "query", query);
    static const char *const codes[] = {"active", "inactive", "all", NULL};
    static const char *const names[] = {N_("Đang công tác"), N_("Đã nghỉ, chuyển đi"), N_("Tất cả")};
    json_object_set_new(m, "statuses", listing_choices(q.status ? q.status : "active", codes, names));
    if (q.parent_id) {
        json_t *unit = unit_get(req->db, q.parent_id);
        if (!unit) {
            json_decref(query);
            return req_fail(req, E_NOTFOUND, "unit", _("Không có đơn vị số %lld."),
                            (long long)q.parent_id);
        }
        json_object_set_new(m, "unit", unit);
    }
    json_object_set_new(m, "export_url",
                        json_string(listing_url(req, "/persons/export.xlsx", query)));
    listing_page_model(req, m, "/persons", query, json_integer_value(json_object_get(m, "total")),
                       q.page, q.per_page, person_sort_keys, q.sort ? q.sort : "name");
    json_decref(query);
    return OK;
}

/* The person of the path, when inside the user's scope; else the request
 * fails (404, or 403 outside the scope) and NULL is returned. */
static json_t *person_in_scope(struct request *req, int64_t id)
{
    json_t *p = person_get(req->db, id);
    if (!p) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có cá nhân số %lld."), (long long)id);
        return NULL;
    }
    /* person_get gives the unit as {"unit": {"id", "name"}} (there is no
     * "unit_id" key: reading one gave 0, outside every officer's scope) */
    int64_t unit = json_integer_value(json_object_get(json_object_get(p, "unit"), "id"));
    if (scope_require_unit(req, unit) != OK) {
        json_decref(p);
        return NULL;
    }
    return p;
}

enum result persons_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *p = person_in_scope(req, id);
    if (!p)
        return req->err.code;
    json_object_set_new(req->model, "person", p);
    return OK;
}

static void form_model(struct request *req, json_t *person)
{
    json_object_set(req->model, "person", person);
    int64_t unit = json_integer_value(json_object_get(json_object_get(person, "unit"), "id"));
    if (!unit)
        unit = json_integer_value(json_object_get(person, "unit_id"));
    json_object_set_new(req->model, "units", unit_options(req->db, unit, scope_root(req), 0));
    static const char *const codes[] = {"nam", "nu", NULL};
    static const char *const names[] = {N_("Nam"), N_("Nữ")};
    json_object_set_new(req->model, "genders",
                        listing_choices(json_string_value(json_object_get(person, "gender")), codes,
                                    names));
}

enum result persons_new(struct request *req)
{
    int64_t unit = req_int(req, "unit", 0);
    if (unit && scope_require_unit(req, unit) != OK)
        return E_FORBIDDEN;
    /* every field the form shows, birth_year too (a missing one fails the
     * page under strict templates) */
    json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:I}", "full_name", "", "gender", "", "birth_year", "",
                          "position", "", "unit_id", (json_int_t)req_int(req, "unit", 0));
    form_model(req, p);
    json_decref(p);
    json_object_set_new(req->model, "creating", json_true());
    return OK;
}

enum result persons_edit(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *p = person_in_scope(req, id);
    if (!p)
        return req->err.code;
    form_model(req, p);
    json_decref(p);
    return OK;
}

static struct person_input input_from(struct request *req)
{
    struct person_input p = {
        .unit_id = req_int(req, "unit_id", 0),
        .full_name = req_text(req, "full_name"),
        .gender = req_text(req, "gender"),
        .birth_year = req_int(req, "birth_year", 0),
        .position = req_text(req, "position"),
    };
    return p;
}

static enum result show_again(struct request *req, const struct person_input *p, int64_t self)
{
    const struct param_value *by = req_value(req, "birth_year");
    json_t *typed = json_pack("{s:s?,s:s?,s:s?,s:s?,s:I,s:I}", "full_name", p->full_name,
                              "gender", p->gender, "position", p->position, "birth_year",
                              by ? by->text : NULL, "unit_id", (json_int_t)p->unit_id, "version",
                              (json_int_t)req_int(req, "version", 0));
    if (self)
        json_object_set_new(typed, "id", json_integer(self));
    form_model(req, typed);
    json_decref(typed);
    if (!self)
        json_object_set_new(req->model, "creating", json_true());
    req->status = 422;
    req->template = "persons/form";
    return OK;
}

enum result persons_create(struct request *req)
{
    struct person_input p = input_from(req);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    /* checked inside the write transaction: the unit cannot go meanwhile */
    bool valid = person_check(req->db, &p, req->field_errors);
    if (p.unit_id && !scope_has_unit(req, p.unit_id))
        req_field_error(req, "unit_id", _("Bạn chỉ thêm được cá nhân cho đơn vị mình và các đơn "
                                          "vị trực thuộc."));
    if (req_has_errors(req) || !valid) {
        db_rollback(req->db);
        return show_again(req, &p, 0);
    }
    int64_t id = 0;
    enum result rc = person_insert(req->db, &p, &id);
    if (rc == OK)
        rc = audit_commit(req, "create", "person", id, NULL, person_get);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "person", person_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/persons/%lld", (long long)id),
                        arena_printf(req->arena, _("Đã thêm \"%s\"."), p.full_name));
}

enum result persons_update(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *old = person_in_scope(req, id);
    if (!old)
        return req->err.code;
    json_decref(old);
    struct person_input p = input_from(req);
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    bool valid = person_check(req->db, &p, req->field_errors);
    if (p.unit_id && !scope_has_unit(req, p.unit_id))
        req_field_error(req, "unit_id", _("Bạn chỉ chuyển được cá nhân sang đơn vị mình hoặc các "
                                          "đơn vị trực thuộc."));
    if (req_has_errors(req) || !valid) {
        db_rollback(req->db);
        return show_again(req, &p, id);
    }
    /* checked again under the write lock: the person may have moved meanwhile */
    json_t *before = person_in_scope(req, id);
    if (!before) {
        db_rollback(req->db);
        return req->err.code;
    }
    enum result rc = person_update(req->db, id, req_int(req, "version", 0), &p);
    if (rc == OK)
        rc = audit_commit(req, "update", "person", id, before, person_get);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "version",
                        _("Hồ sơ này vừa được người khác sửa. Hãy mở lại trang sửa để xem bản "
                          "mới nhất rồi sửa lại."));
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "person", person_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/persons/%lld", (long long)id),
                        _("Đã lưu thay đổi."));
}

static enum result set_active(struct request *req, bool active)
{
    int64_t id = req_path_int(req, "id");
    json_t *old = person_in_scope(req, id);
    if (!old)
        return req->err.code;
    json_decref(old);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = person_in_scope(req, id);
    if (!before) {
        db_rollback(req->db);
        return req->err.code;
    }
    enum result rc = person_set_active(req->db, id, active);
    if (rc == OK)
        rc = audit_commit(req, active ? "activate" : "deactivate", "person", id, before,
                          person_get);
    else {
        json_decref(before);
        db_rollback(req->db);
    }
    if (rc == E_NOTFOUND)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có cá nhân số %lld."), (long long)id);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "person", person_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/persons/%lld", (long long)id),
                        active ? _("Đã ghi nhận cá nhân công tác trở lại.")
                               : _("Đã ghi nhận cá nhân nghỉ hoặc chuyển đi; hồ sơ vẫn được giữ."));
}

enum result persons_deactivate(struct request *req)
{
    return set_active(req, false);
}

enum result persons_activate(struct request *req)
{
    return set_active(req, true);
}
