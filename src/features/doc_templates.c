/* Documents from templates (doc_templates.h). Each render builds a small
 * template set (the built-in templates, then the office's versions over them)
 * in strict mode, so a field the model lacks is an error, not a blank in a
 * signed document; values are escaped for the markup, never HTML. */
#include "features/doc_templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "docs/doc_markup.h"
#include "lib/assets.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "view/mustache.h"

bool doc_date_words(const char *iso, char *out, size_t size)
{
    char check[11];
    if (!iso || !date_parse(iso, check))
        return false;
    int y = atoi(check), m = atoi(check + 5), d = atoi(check + 8);
    /* ND30 Phụ lục I: days under 10 and the months 1 and 2 take a leading 0 */
    if (m <= 2)
        snprintf(out, size, "ngày %02d tháng %02d năm %d", d, m, y);
    else
        snprintf(out, size, "ngày %02d tháng %d năm %d", d, m, y);
    return true;
}

/* Adds the built-in templates, except those named in skip (an object). */
static enum result add_builtin(struct mst_set *set, json_t *skip, struct err *e)
{
    const char *prefix = "doctemplates/", *suffix = ".mustache";
    for (const struct asset *a = assets; a->path; a++) {
        size_t n = strlen(a->path);
        if (strncmp(a->path, prefix, strlen(prefix)) != 0 || n < strlen(suffix) ||
            strcmp(a->path + n - strlen(suffix), suffix) != 0)
            continue;
        char name[200];
        snprintf(name, sizeof name, "%.*s", (int)(n - strlen(prefix) - strlen(suffix)),
                 a->path + strlen(prefix));
        if (skip && json_object_get(skip, name))
            continue;
        enum result rc = mst_set_add(set, name, (const char *)a->data, a->size, e);
        if (rc != OK)
            return rc;
    }
    return OK;
}

static bool builtin_exists(const char *name)
{
    char path[240];
    snprintf(path, sizeof path, "doctemplates/%s.mustache", name);
    return asset_find(path) != NULL;
}

static bool override_exists(struct db *db, const char *name)
{
    if (!db)
        return false;
    struct db_stmt *s = db_query(db, "SELECT 1 FROM doc_templates WHERE name = ?");
    db_bind_text(s, 1, name);
    bool found = db_step(s) == DB_ROW;
    db_done(s);
    return found;
}

/* The set a render uses: the office's versions (and `extra`, a version
 * being checked before it is saved) first, then the built-in templates they
 * do not replace. */
static enum result build_set(struct db *db, const char *extra_name, const char *extra_body,
                             struct mst_set **out, struct err *e)
{
    json_t *rows = json_object();
    if (db) {
        struct db_stmt *s = db_query(db, "SELECT name, body FROM doc_templates ORDER BY name");
        while (db_step(s) == DB_ROW)
            json_object_set_new(rows, db_col_text(s, 0), json_string(db_col_text(s, 1)));
        if (db_done(s) == DB_ERROR) {
            json_decref(rows);
            return err_set(e, E_DB, NULL, _("Không đọc được mẫu văn bản."));
        }
    }
    if (extra_name)
        json_object_set_new(rows, extra_name, json_string(extra_body));
    /* a document is small: a few MB of markup at most, however the office's
     * version loops (pages keep the engine's far larger bounds) */
    struct mst_options opt = {.strict = true, .escape = doc_markup_escape,
                              .max_output = 4u << 20, .max_steps = 2000000};
    struct mst_set *set = mst_set_new(&opt);
    const char *name;
    json_t *body;
    enum result r = OK;
    json_object_foreach(rows, name, body) {
        r = mst_set_add(set, name, json_string_value(body), json_string_length(body), e);
        if (r != OK) {
            char msg[sizeof e->msg];
            memcpy(msg, e->msg, sizeof msg);
            err_set(e, r, NULL, _("Mẫu \"%s\" sai cú pháp ({{…}}): %s"), name, msg);
            break;
        }
    }
    if (r == OK)
        r = add_builtin(set, rows, e);
    json_decref(rows);
    if (r != OK) {
        mst_set_free(set);
        return r;
    }
    *out = set;
    return OK;
}

/* Renders name over model with set, then parses the markup. */
static enum result render_with(struct mst_set *set, const char *name, json_t *model,
                               struct doc **out, struct err *e)
{
    json_t *m = json_deep_copy(model);
    const char *place = json_string_value(json_object_get(m, "place"));
    const char *date = json_string_value(json_object_get(m, "date"));
    char words[64], dmy[11];
    if (date && doc_date_words(date, words, sizeof words)) {
        if (place) {
            struct buf pd = BUF_INIT;
            buf_printf(&pd, "%s, %s", place, words);
            json_object_set_new(m, "place_date", json_string(buf_cstr(&pd)));
            buf_free(&pd);
        }
        date_to_dmy(date, dmy);
        json_object_set_new(m, "date_dmy", json_string(dmy));
    }
    struct buf text = BUF_INIT;
    *out = NULL;
    enum result rc = mst_render(set, name, m, &text, e);
    if (rc == E_TOOBIG)
        err_set(e, E_TOOBIG, NULL,
                _("Văn bản tạo ra quá lớn (quá 4 MB hoặc quá nhiều bước): mẫu \"%s\" có vòng "
                  "lặp lồng nhau quá sâu?"),
                name);
    {
        if (rc == E_INVALID && e->field[0]) {
            char where[sizeof e->msg];
            memcpy(where, e->msg, sizeof where);
            char *colon = strstr(where, ": '");
            if (colon)
                *colon = '\0';
            char field[sizeof e->field];
            memcpy(field, e->field, sizeof field);
            err_set(e, E_INVALID, field,
                    _("Thiếu trường \"%s\" trong dữ liệu của văn bản (mẫu %s)."), field, where);
        }
    }
    if (rc == OK)
        rc = doc_from_markup(text.data ? text.data : "", text.len, out, e);
    buf_free(&text);
    json_decref(m);
    return rc;
}

enum result doc_render(struct db *db, const char *name, json_t *model, struct doc **out,
                       struct err *e)
{
    *out = NULL;
    if (!builtin_exists(name) && !override_exists(db, name))
        return err_set(e, E_NOTFOUND, NULL, _("Không có mẫu văn bản \"%s\"."), name);
    struct mst_set *set;
    enum result rc = build_set(db, NULL, NULL, &set, e);
    if (rc != OK)
        return rc;
    rc = render_with(set, name, model, out, e);
    mst_set_free(set);
    return rc;
}

json_t *doc_template_sample(const char *kind)
{
    char path[240];
    snprintf(path, sizeof path, "doctemplates/samples/%s.json", kind);
    const struct asset *a = asset_find(path);
    return a ? json_loadb((const char *)a->data, a->size, 0, NULL) : NULL;
}

enum result doc_template_check(struct db *db, const char *name, const char *body, struct err *e)
{
    struct mst_set *set;
    enum result rc = build_set(db, name, body, &set, e);
    if (rc != OK)
        return rc;
    /* every kind with a sample renders, so an edited partial is checked by
     * the documents that use it */
    for (const struct doc_template_info *t = doc_template_list; rc == OK && t->name; t++) {
        json_t *sample = doc_template_sample(t->name);
        if (!sample)
            continue;
        struct doc *d = NULL;
        rc = render_with(set, t->name, sample, &d, e);
        if (rc != OK && strcmp(t->name, name) != 0) {
            char msg[sizeof e->msg], field[sizeof e->field];
            memcpy(msg, e->msg, sizeof msg);
            memcpy(field, e->field, sizeof field);
            err_set(e, rc, field, _("Văn bản \"%s\" dùng mẫu này: %s"), _(t->label), msg);
        }
        doc_free(d);
        json_decref(sample);
    }
    mst_set_free(set);
    return rc;
}

const struct doc_template_info doc_template_list[] = {
    {"quyet_dinh", N_("Quyết định khen thưởng (kèm danh sách)")},
    {"ke_hoach", N_("Kế hoạch")},
    {"giao_uoc", N_("Bản giao ước thi đua")},
    {"bien_ban", N_("Biên bản họp")},
    {"bien_ban_kiem_phieu", N_("Biên bản kiểm phiếu")},
    {"phu_luc_xep_hang", N_("Phụ lục kết quả chấm điểm, xếp hạng")},
    {"to_trinh", N_("Tờ trình")},
    {"bao_cao", N_("Báo cáo")},
    {"partials/header", N_("Phần đầu văn bản (dùng chung)")},
    {"partials/closing", N_("Nơi nhận và chữ ký (dùng chung)")},
    {NULL, NULL},
};
