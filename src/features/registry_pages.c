/* Import and export pages of the registry, and the home page. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/home.h"
#include "features/listing.h"
#include "features/groups.h"
#include "features/movements.h"
#include "features/persons.h"
#include "features/registry_io.h"
#include "features/score_grid.h"
#include "features/scope.h"
#include "features/units.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char XLSX_TYPE[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static enum result export_list(struct request *req, enum registry_kind kind)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    struct list_query q = {
        .q = req_text(req, "q"),
        .status = req_text(req, "status"),
        .sort = req_text(req, "sort"),
        .page = 1,
        .scope_unit = scope_root(req),
    };
    if (kind == REG_UNITS) {
        q.kind = req_text(req, "kind");
        q.parent_id = req_int(req, "parent", 0);
    } else {
        q.parent_id = req_int(req, "unit", 0);
    }
    /* a unit officer exports their own part of the registry only, like the
     * lists they see; naming a unit outside it is refused as in the lists */
    if (q.parent_id && scope_require_unit(req, q.parent_id) != OK)
        return E_FORBIDDEN;
    char *data;
    size_t len;
    struct err e = {0};
    if (registry_export(req->db, kind, &q, &data, &len, &e) != OK)
        return req_fail(req, e.code ? e.code : E_IO, NULL, "%s", e.msg);
    char today[11];
    date_today(today);
    const char *name = arena_printf(req->arena, "%s-%s.xlsx",
                                    kind == REG_UNITS ? "don-vi" : "ca-nhan", today);
    return req_download(req, data, len, XLSX_TYPE, name);
}

enum result units_export(struct request *req)
{
    return export_list(req, REG_UNITS);
}

enum result persons_export(struct request *req)
{
    return export_list(req, REG_PERSONS);
}

struct column_doc {
    const char *name, *note;
    bool required;
};

static void import_model(struct request *req, enum registry_kind kind)
{
    static const struct column_doc units[] = {
        {N_("Mã đơn vị"), N_("mã đã có thì cập nhật đơn vị đó, mã mới thì thêm"), true},
        {N_("Tên đơn vị"), NULL, true},
        {N_("Tên viết tắt"), NULL, false},
        {N_("Loại đơn vị"), N_("tên hoặc mã loại, ví dụ \"Sở, ban, ngành\""), true},
        {N_("Mã đơn vị cấp trên"), N_("có thể là đơn vị ở dòng khác trong cùng tệp"), false},
        {N_("Ngày bắt đầu hoạt động"), N_("ngày/tháng/năm"), false},
        {N_("Ngày ngừng hoạt động"), N_("ngày/tháng/năm"), false},
        {NULL, NULL, false},
    };
    static const struct column_doc persons[] = {
        {N_("Mã số"), N_("để trống khi thêm người mới; có mã số thì cập nhật người đó"), false},
        {N_("Họ và tên"), NULL, true},
        {N_("Giới tính"), N_("Nam hoặc Nữ"), true},
        {N_("Năm sinh"), NULL, false},
        {N_("Chức vụ"), NULL, false},
        {N_("Mã đơn vị"), N_("mã của đơn vị công tác"), true},
        {NULL, NULL, false},
    };
    const struct column_doc *docs = kind == REG_UNITS ? units : persons;
    json_t *cols = json_array();
    for (int i = 0; docs[i].name; i++)
        json_array_append_new(cols, json_pack("{s:s,s:s?,s:b}", "name", _(docs[i].name), "note",
                                              docs[i].note ? _(docs[i].note) : NULL, "required",
                                              docs[i].required));
    json_object_set_new(req->model, "columns", cols);
    json_object_set_new(req->model, "action",
                        json_string(kind == REG_UNITS ? "/units/import" : "/persons/import"));
}

enum result units_import_form(struct request *req)
{
    import_model(req, REG_UNITS);
    return OK;
}

enum result persons_import_form(struct request *req)
{
    import_model(req, REG_PERSONS);
    return OK;
}

static enum result import_file(struct request *req, enum registry_kind kind)
{
    import_model(req, kind);
    const struct param_value *file = req_value(req, "file");
    if (!file || !file->len) {
        req_field_error(req, "file", _("Hãy chọn tệp Excel (.xlsx) để nhập."));
        json_object_set_new(req->model, "file_error",
                            json_string(_("Hãy chọn tệp Excel (.xlsx) để nhập.")));
        req->status = 400;
        return OK;
    }
    json_t *report = NULL;
    struct err e = {0};
    struct audit_actor who = audit_actor_of(req);
    enum result rc =
        registry_import(req->db, kind, file->text, file->data, file->len, &who, &report, &e);
    if (report) {
        json_object_set_new(req->model, "report", report);
        if (rc != OK) {
            /* the rows with problems, for the page and for JSON clients alike */
            req->status = 422;
            return OK;
        }
        req->status = 200;
        return OK;
    }
    if (rc == E_DB)
        return req_fail(req, E_DB, NULL, "%s", e.msg);
    json_object_set_new(req->model, "file_error", json_string(e.msg));
    req->status = rc == E_TOOBIG ? 413 : 400;
    return OK;
}

enum result units_import(struct request *req)
{
    return import_file(req, REG_UNITS);
}

enum result persons_import(struct request *req)
{
    return import_file(req, REG_PERSONS);
}

enum result home_show(struct request *req)
{
    char today[11];
    date_today(today);
    /* The cards link to /units and /persons: for a unit officer they count
     * what those lists show, their own unit and the units under it. */
    int64_t root = scope_root(req);
    struct db_stmt *s =
        db_query(req->db, root ? "SELECT (SELECT count(*) FROM units WHERE (active_from IS NULL OR "
                                 "active_from <= ?) AND (active_to IS NULL OR active_to > ?) AND "
                                 "id IN (" SCOPE_SUBTREE_SQL ")), "
                                 "(SELECT count(*) FROM persons WHERE active = 1 AND unit_id IN "
                                 "(" SCOPE_SUBTREE_SQL "))"
                               : "SELECT (SELECT count(*) FROM units WHERE (active_from IS NULL OR "
                                 "active_from <= ?) AND (active_to IS NULL OR active_to > ?)), "
                                 "(SELECT count(*) FROM persons WHERE active = 1)");
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    if (root) {
        db_bind_int(s, 3, root);
        db_bind_int(s, 4, root);
    }
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    }
    json_object_set_new(req->model, "counts",
                        json_pack("{s:I,s:I}", "units", (json_int_t)db_col_int(s, 0), "persons",
                                  (json_int_t)db_col_int(s, 1)));
    db_done(s);
    /* the movements under way that concern the caller (features/movements.h) */
    json_t *movements = movements_home(req);
    if (!movements)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    json_object_set_new(req->model, "movements", movements);
    json_object_set_new(req->model, "groups", groups_home(req));
    json_object_set_new(req->model, "tasks", groups_home_tasks(req));
    json_object_set_new(req->model, "scoring", score_home(req)); /* features/score_grid.h */
    return OK;
}

enum result health_show(struct request *req)
{
    int64_t one = db_scalar_int(req->db, "SELECT 1", 0);
    json_object_set_new(req->model, "status", json_string(one == 1 ? "ok" : "db_error"));
    json_object_set_new(req->model, "version", json_string(TDKT_VERSION));
    req->api = true;
    return one == 1 ? OK : req_fail(req, E_DB, NULL, _("Cơ sở dữ liệu không trả lời."));
}
