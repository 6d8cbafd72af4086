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

/* The office's versions replace the built-in ones of the same name. */
static enum result add_overrides(struct db *db, struct mst_set **set, struct err *e)
{
    struct db_stmt *s = db_query(db, "SELECT name, body FROM doc_templates ORDER BY name");
    json_t *rows = json_object();
    while (db_step(s) == DB_ROW)
        json_object_set_new(rows, db_col_text(s, 0), json_string(db_col_text(s, 1)));
    enum db_step rc = db_done(s);
    if (rc == DB_ERROR || json_object_size(rows) == 0) {
        json_decref(rows);
        return rc == DB_ERROR ? err_set(e, E_DB, NULL, _("Không đọc được mẫu văn bản.")) : OK;
    }
    /* a set cannot replace a template: build it again with the overrides first */
    struct mst_options opt = {.strict = true, .escape = doc_markup_escape};
    struct mst_set *fresh = mst_set_new(&opt);
    const char *name;
    json_t *body;
    enum result r = OK;
    json_object_foreach(rows, name, body) {
        r = mst_set_add(fresh, name, json_string_value(body), json_string_length(body), e);
        if (r != OK)
            break;
    }
    if (r == OK)
        r = add_builtin(fresh, rows, e);
    json_decref(rows);
    if (r != OK) {
        mst_set_free(fresh);
        return r;
    }
    mst_set_free(*set);
    *set = fresh;
    return OK;
}

enum result doc_render(struct db *db, const char *name, json_t *model, struct doc **out,
                       struct err *e)
{
    *out = NULL;
    struct mst_options opt = {.strict = true, .escape = doc_markup_escape};
    struct mst_set *set = mst_set_new(&opt);
    enum result rc = add_builtin(set, NULL, e);
    if (rc == OK && db)
        rc = add_overrides(db, &set, e);
    if (rc != OK) {
        mst_set_free(set);
        return rc;
    }
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
    if (!builtin_exists(name) && !override_exists(db, name))
        rc = err_set(e, E_NOTFOUND, NULL, _("Không có mẫu văn bản \"%s\"."), name);
    if (rc == OK) {
        rc = mst_render(set, name, m, &text, e);
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
    mst_set_free(set);
    return rc;
}
