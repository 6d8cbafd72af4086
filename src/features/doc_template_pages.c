/* The wording of documents, edited by the office (doc_template_pages.h).
 * In addresses a template's name has '.' for '/' ("partials.header"). */
#include "features/doc_template_pages.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/doc_templates.h"
#include "docs/docx.h"
#include "docs/pdf.h"
#include "lib/assets.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* The template of the path, or NULL after failing the request with 404. */
static const struct doc_template_info *path_template(struct request *req)
{
    const char *slug = req->npath ? req->path_texts[0] : "";
    char name[120];
    snprintf(name, sizeof name, "%s", slug ? slug : "");
    for (char *c = name; *c; c++)
        if (*c == '.')
            *c = '/';
    for (const struct doc_template_info *t = doc_template_list; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    req_fail(req, E_NOTFOUND, NULL, _("Không có mẫu văn bản \"%s\"."), slug ? slug : "");
    return NULL;
}

static const char *slug_of(struct request *req, const char *name)
{
    char *s = arena_strdup(req->arena, name);
    for (char *c = s; *c; c++)
        if (*c == '/')
            *c = '.';
    return s;
}

/* The office's version: its body and when it was saved; NULL when none. */
static char *override_of(struct request *req, const char *name, const char **updated_at)
{
    struct db_stmt *s = db_query(req->db, "SELECT body, updated_at FROM doc_templates WHERE name = ?");
    db_bind_text(s, 1, name);
    char *body = NULL;
    if (db_step(s) == DB_ROW) {
        body = arena_strdup(req->arena, db_col_text(s, 0));
        if (updated_at)
            *updated_at = arena_strdup(req->arena, db_col_text(s, 1));
    }
    db_done(s);
    return body;
}

static const char *builtin_of(const char *name)
{
    char path[240];
    snprintf(path, sizeof path, "doctemplates/%s.mustache", name);
    const struct asset *a = asset_find(path);
    return a ? (const char *)a->data : "";
}

enum result doc_templates_list(struct request *req)
{
    json_t *items = json_array();
    for (const struct doc_template_info *t = doc_template_list; t->name; t++) {
        const char *updated = NULL;
        bool own = override_of(req, t->name, &updated) != NULL;
        json_t *row = json_pack("{s:s,s:s,s:s,s:b}", "name", t->name, "slug",
                                slug_of(req, t->name), "label", _(t->label), "overridden", own);
        if (updated)
            json_object_set_new(row, "updated_at", json_string(updated));
        json_array_append_new(items, row);
    }
    json_object_set_new(req->model, "items", items);
    return OK;
}

static void edit_model(struct request *req, const struct doc_template_info *t, const char *body)
{
    const char *updated = NULL;
    bool own = override_of(req, t->name, &updated) != NULL;
    json_object_set_new(req->model, "template",
                        json_pack("{s:s,s:s,s:s,s:b,s:s,s:b}", "name", t->name, "slug",
                                  slug_of(req, t->name), "label", _(t->label), "overridden", own,
                                  "body", body, "has_sample",
                                  strncmp(t->name, "partials/", 9) != 0));
}

enum result doc_template_edit(struct request *req)
{
    const struct doc_template_info *t = path_template(req);
    if (!t)
        return E_NOTFOUND;
    const char *own = override_of(req, t->name, NULL);
    edit_model(req, t, own ? own : builtin_of(t->name));
    return OK;
}

/* Records a change of template t (before and after: its bodies, NULL for the
 * built-in one) in the open transaction, commits, and goes back to its page. */
static enum result finish_change(struct request *req, const struct doc_template_info *t,
                                 enum result rc, const char *action, const char *before,
                                 const char *after, const char *flash)
{
    json_t *b = before ? json_pack("{s:s,s:s}", "name", t->name, "body", before) : NULL;
    json_t *a = after ? json_pack("{s:s,s:s}", "name", t->name, "body", after) : NULL;
    if (rc == OK && (b || a))
        rc = audit_record(req, action, "doc_template", 0, b, a);
    json_decref(b);
    json_decref(a);
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/documents/templates/%s",
                                          slug_of(req, t->name)),
                        flash);
}

enum result doc_template_save(struct request *req)
{
    const struct doc_template_info *t = path_template(req);
    if (!t)
        return E_NOTFOUND;
    const char *body = req_text(req, "body");
    struct err e = {0};
    /* checked under the write lock with the other versions as they will be
     * saved, so two people saving a kind and a shared part cannot leave a
     * pair that does not render together */
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    enum result check = body ? doc_template_check(req->db, t->name, body, &e) : E_INVALID;
    if (check != OK) {
        db_rollback(req->db);
        if (!body)
            req_field_error(req, "body", _("Mẫu văn bản không được để trống."));
        else
            req_field_error(req, "body", "%s", e.msg);
        edit_model(req, t, body ? body : "");
        req->template = "documents/template";
        req->status = check == E_DB ? 500 : 422;
        return OK;
    }
    const char *before = override_of(req, t->name, NULL);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO doc_templates (name, body, updated_by, updated_at) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET body = excluded.body, "
                 "updated_by = excluded.updated_by, updated_at = excluded.updated_at");
    db_bind_text(s, 1, t->name);
    db_bind_text(s, 2, body);
    db_bind_int(s, 3, req->user->id);
    db_bind_text(s, 4, now);
    enum result rc = db_run(s) == DB_DONE ? OK : E_DB;
    return finish_change(req, t, rc, "update", before, body,
                         _("Đã lưu mẫu văn bản; các văn bản tạo từ nay dùng mẫu này."));
}

enum result doc_template_reset(struct request *req)
{
    const struct doc_template_info *t = path_template(req);
    if (!t)
        return E_NOTFOUND;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    const char *before = override_of(req, t->name, NULL);
    enum result rc = OK;
    if (before) {
        struct db_stmt *s = db_query(req->db, "DELETE FROM doc_templates WHERE name = ?");
        db_bind_text(s, 1, t->name);
        rc = db_run(s) == DB_DONE ? OK : E_DB;
    }
    return finish_change(req, t, rc, "reset", before, NULL, _("Đã trở lại mẫu văn bản có sẵn."));
}

enum result doc_template_preview(struct request *req)
{
    const struct doc_template_info *t = path_template(req);
    if (!t)
        return E_NOTFOUND;
    json_t *sample = doc_template_sample(t->name);
    if (!sample)
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Mẫu \"%s\" là phần dùng chung; hãy xem thử một loại văn bản dùng nó."),
                        t->name);
    struct doc *d;
    struct err e = {0};
    enum result rc = doc_render(req->db, t->name, sample, &d, &e);
    json_decref(sample);
    if (rc != OK)
        return req_fail(req, rc, NULL, "%s", e.msg);
    char *text = doc_plain_text(d);
    json_t *lines = json_array();
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        json_array_append_new(lines, json_stringn(line, n));
        if (!nl)
            break;
        line = nl + 1;
    }
    json_object_set_new(req->model, "text", json_string(text));
    json_object_set_new(req->model, "lines", lines);
    json_object_set_new(req->model, "template",
                        json_pack("{s:s,s:s,s:s}", "name", t->name, "slug", slug_of(req, t->name),
                                  "label", _(t->label)));
    free(text);
    doc_free(d);
    return OK;
}

/* The sample document of a kind as a file, as it would be printed now. */
static enum result sample_file(struct request *req, bool pdf)
{
    const struct doc_template_info *t = path_template(req);
    if (!t)
        return E_NOTFOUND;
    json_t *sample = doc_template_sample(t->name);
    if (!sample)
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Mẫu \"%s\" là phần dùng chung; hãy xem thử một loại văn bản dùng nó."),
                        t->name);
    enum result rc = doc_send(req, t->name, sample, pdf,
                              arena_printf(req->arena, "mau-%s", slug_of(req, t->name)));
    json_decref(sample);
    return rc;
}

enum result doc_send(struct request *req, const char *name, json_t *model, bool pdf,
                     const char *file_base)
{
    struct doc *d;
    struct err e = {0};
    enum result rc = doc_render(req->db, name, model, &d, &e);
    if (rc != OK)
        return req_fail(req, rc == E_NOTFOUND ? E_NOTFOUND : E_INVALID, NULL, "%s", e.msg);
    char *data = NULL;
    size_t len = 0;
    rc = pdf ? pdf_write(d, &data, &len, &e) : docx_write(d, &data, &len, &e);
    doc_free(d);
    if (rc != OK)
        return req_fail(req, rc, NULL, "%s", e.msg);
    return req_download(req, data, len,
                        pdf ? "application/pdf"
                            : "application/vnd.openxmlformats-officedocument."
                              "wordprocessingml.document",
                        arena_printf(req->arena, "%s.%s", file_base, pdf ? "pdf" : "docx"));
}

enum result doc_template_sample_pdf(struct request *req)
{
    return sample_file(req, true);
}

enum result doc_template_sample_docx(struct request *req)
{
    return sample_file(req, false);
}
