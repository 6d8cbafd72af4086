/* The ranking settings of a criteria table (mode, normalisation, bonus cap,
 * the ordered tie-breaks, the classification bands) while it is a draft, and
 * the stage deadlines until its results are locked (features/criteria.h;
 * docs/scoring.md "Ranking settings"). The rules themselves are in
 * domain/ranking.h; this module stores, checks and describes the choices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/ranking.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/criteria_internal.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

#define MAX_TIEBREAKS 5
#define MAX_BANDS 6

static const char *const simple_items[] = {"at_max", "deductions", "women", "submitted"};
static const enum rank_tiebreak_kind simple_kinds[] = {RANK_TB_AT_MAX, RANK_TB_DEDUCTIONS,
                                                       RANK_TB_WOMEN, RANK_TB_SUBMITTED};
static const char *const due_fields[] = {"self_due", "review1_due", "explain_due", "review2_due"};

static const char *simple_label(size_t i)
{
    switch (i) {
    case 0:
        return _("Nhiều tiêu chí đạt điểm tối đa hơn");
    case 1:
        return _("Tổng số điểm bị trừ ít hơn");
    case 2:
        return _("Tập thể có từ 70% nữ trở lên được ưu tiên (khoản 6 Điều 4 Nghị định "
                 "152/2025/NĐ-CP)");
    default:
        return _("Nộp đủ phiếu tự chấm sớm hơn");
    }
}

static const char *due_label(size_t i)
{
    switch (i) {
    case 0:
        return _("Hạn đơn vị tự chấm");
    case 1:
        return _("Hạn thẩm định lần 1");
    case 2:
        return _("Hạn đơn vị giải trình");
    default:
        return _("Hạn thẩm định lần 2");
    }
}

/* criteria_group_lookup over a table as criteria_get gives it. */
static bool json_group(void *ctx, int64_t id, size_t *index, const char **code, const char **name)
{
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get((json_t *)ctx, "nodes"), i, nd)
    {
        if (json_integer_value(json_object_get(nd, "id")) != id)
            continue;
        if (!json_is_true(json_object_get(nd, "is_group")))
            return false;
        *index = i;
        *code = json_string_value(json_object_get(nd, "code"));
        *name = json_string_value(json_object_get(nd, "name"));
        return true;
    }
    return false;
}

bool criteria_tiebreak_parse(const char *item, size_t len, criteria_group_lookup lookup,
                             void *ctx, struct rank_tiebreak *tb, char *label, size_t label_len)
{
    while (len && *item == ' ')
        item++, len--;
    while (len && item[len - 1] == ' ')
        len--;
    for (size_t k = 0; k < sizeof simple_items / sizeof *simple_items; k++)
        if (strlen(simple_items[k]) == len && strncmp(item, simple_items[k], len) == 0) {
            *tb = (struct rank_tiebreak){.kind = simple_kinds[k],
                                         .women_pct = RANK_ND152_WOMEN_PCT};
            snprintf(label, label_len, "%s", simple_label(k));
            return true;
        }
    if (len <= 6 || len > 30 || strncmp(item, "group:", 6) != 0)
        return false;
    char num[32];
    memcpy(num, item + 6, len - 6);
    num[len - 6] = '\0';
    char *end;
    long long id = strtoll(num, &end, 10);
    size_t index = 0;
    const char *code = "", *name = "";
    if (*end || id <= 0 || !lookup(ctx, id, &index, &code, &name))
        return false;
    *tb = (struct rank_tiebreak){.kind = RANK_TB_GROUP, .node = index};
    snprintf(label, label_len, _("Điểm nhóm tiêu chí %s “%s” cao hơn"), code, name);
    utf8_trim_partial(label);
    return true;
}

static bool parse_item(json_t *table, const char *item, size_t len, struct rank_tiebreak *tb,
                       char *label, size_t label_len)
{
    return criteria_tiebreak_parse(item, len, json_group, table, tb, label, label_len);
}

size_t criteria_tiebreaks(json_t *table, struct rank_tiebreak *out, size_t cap, json_t **labels)
{
    if (labels)
        *labels = json_array();
    const char *p = json_string_value(json_object_get(table, "tie_breaks"));
    size_t n = 0;
    while (p && *p && n < cap) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char label[4096];
        if (parse_item(table, p, len, &out[n], label, sizeof label)) {
            if (labels)
                json_array_append_new(*labels, json_string(label));
            n++;
        }
        p = end ? end + 1 : p + len;
    }
    return n;
}

void crit_describe_settings(json_t *t)
{
    json_t *list = json_array();
    const char *p = json_string_value(json_object_get(t, "tie_breaks"));
    int position = 0;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char label[4096], item[64];
        struct rank_tiebreak tb;
        snprintf(item, sizeof item, "%.*s", (int)(len < 63 ? len : 63), p);
        if (parse_item(t, p, len, &tb, label, sizeof label))
            json_array_append_new(list, json_pack("{s:i,s:s,s:s}", "position", ++position,
                                                  "item", item, "label", label));
        p = end ? end + 1 : p + len;
    }
    json_object_set_new(t, "has_tie_breaks", json_boolean(json_array_size(list) > 0));
    json_object_set_new(t, "tie_break_list", list);
    json_object_set_new(t, "mode_name", json_string(strcmp(json_string_value(json_object_get(
                                                               t, "mode")),
                                                           "cross") == 0
                                                        ? _("Chấm chéo (các đơn vị chấm lẫn nhau)")
                                                        : _("Đơn vị tự chấm, khối thẩm định")));
    json_t *cap = json_object_get(t, "bonus_cap_x100");
    json_object_set_new(t, "bonus_cap", json_is_integer(cap) ? crit_x100(json_integer_value(cap))
                                                             : json_null());
    json_t *dues = json_array();
    for (size_t i = 0; i < 4; i++) {
        const char *iso = json_string_value(json_object_get(t, due_fields[i]));
        char dmy[11] = "";
        if (iso)
            date_to_dmy(iso, dmy);
        json_array_append_new(dues, json_pack("{s:s,s:s,s:o,s:s}", "field", due_fields[i],
                                              "label", due_label(i), "iso",
                                              iso ? json_string(iso) : json_null(), "dmy", dmy));
    }
    json_object_set_new(t, "deadlines", dues);
    size_t nb = json_array_size(json_object_get(t, "bands"));
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(t, "bands"), i, b)
    {
        json_object_set_new(b, "last", json_boolean(i + 1 == nb));
    }
    json_object_set_new(t, "has_bands", json_boolean(nb > 0));
}

/* The choices of tie-break select n (1-based) with value selected. */
static json_t *tiebreak_options(json_t *t, const char *selected)
{
    json_t *opts = json_array();
    json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", "", "label",
                                          _("(không dùng)"), "selected", !selected || !*selected));
    for (size_t k = 0; k < sizeof simple_items / sizeof *simple_items; k++)
        json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", simple_items[k], "label",
                                              simple_label(k), "selected",
                                              selected && strcmp(selected, simple_items[k]) == 0));
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        if (!json_is_true(json_object_get(nd, "is_group")))
            continue;
        char value[40], label[600];
        snprintf(value, sizeof value, "group:%lld",
                 (long long)json_integer_value(json_object_get(nd, "id")));
        snprintf(label, sizeof label, _("Điểm nhóm tiêu chí %s “%s” cao hơn"),
                 json_string_value(json_object_get(nd, "code")),
                 json_string_value(json_object_get(nd, "name")));
        json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", value, "label", label,
                                              "selected", selected && strcmp(selected, value) == 0));
    }
    return opts;
}

static json_t *options(const char *const *values, const char *const *labels, size_t n,
                       const char *selected)
{
    json_t *opts = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", values[i], "label",
                                              labels[i], "selected",
                                              selected && strcmp(selected, values[i]) == 0));
    return opts;
}

/* The request's text of field when refilling (even empty), else dflt. */
static const char *value_of(struct request *req, bool refill, const char *field, const char *dflt)
{
    if (!refill || !crit_seen(req, field))
        return dflt ? dflt : "";
    const char *v = req_text(req, field);
    return v ? v : "";
}

void crit_settings_forms(struct request *req, json_t *t, bool refill)
{
    json_t *m = req->model;
    bool draft = json_is_true(json_object_get(t, "is_draft"));
    char buf[32];
    if (draft) {
        json_t *f = json_object();
        json_object_set_new(f, "title", json_string(value_of(
                                            req, refill, "title",
                                            json_string_value(json_object_get(t, "title")))));
        const char *mode_values[] = {"self", "cross"};
        const char *mode_labels[] = {_("Đơn vị tự chấm, khối thẩm định"),
                                     _("Chấm chéo (các đơn vị chấm lẫn nhau)")};
        json_object_set_new(f, "modes", options(mode_values, mode_labels, 2,
                                                value_of(req, refill, "mode",
                                                         json_string_value(
                                                             json_object_get(t, "mode")))));
        const char *yn_values[] = {"no", "yes"};
        const char *yn_labels[] = {_("Không"), _("Có")};
        json_object_set_new(
            f, "normalise_options",
            options(yn_values, yn_labels, 2,
                    value_of(req, refill, "normalise",
                             json_is_true(json_object_get(t, "normalise")) ? "yes" : "no")));
        snprintf(buf, sizeof buf, "%lld",
                 (long long)json_integer_value(json_object_get(t, "min_sample")));
        json_object_set_new(f, "min_sample", json_string(value_of(req, refill, "min_sample", buf)));
        json_t *cap = json_object_get(t, "bonus_cap_x100");
        buf[0] = '\0';
        if (json_is_integer(cap))
            bloc_format_x100(json_integer_value(cap), buf);
        json_object_set_new(f, "bonus_cap", json_string(value_of(req, refill, "bonus_cap", buf)));
        json_t *list = json_object_get(t, "tie_break_list");
        json_t *tbs = json_array();
        for (size_t i = 0; i < MAX_TIEBREAKS; i++) {
            char field[8];
            snprintf(field, sizeof field, "tb%zu", i + 1);
            json_t *cur = json_array_get(list, i);
            const char *sel = value_of(req, refill, field,
                                       cur ? json_string_value(json_object_get(cur, "item")) : "");
            json_array_append_new(tbs, json_pack("{s:i,s:s,s:o}", "n", (int)i + 1, "field", field,
                                                 "options", tiebreak_options(t, sel)));
        }
        json_object_set_new(f, "tie_breaks", tbs);
        json_t *bands = json_object_get(t, "bands");
        json_t *rows = json_array();
        for (size_t i = 0; i < MAX_BANDS; i++) {
            char nf[16], mf[16];
            snprintf(nf, sizeof nf, "band%zu_name", i + 1);
            snprintf(mf, sizeof mf, "band%zu_min", i + 1);
            json_t *b = json_array_get(bands, i);
            bool last = b && json_is_true(json_object_get(b, "last"));
            const char *name = b ? json_string_value(json_object_get(b, "name")) : "";
            const char *min = b && !last ? json_string_value(json_object_get(b, "min")) : "";
            json_array_append_new(rows, json_pack("{s:i,s:s,s:s,s:s,s:s}", "n", (int)i + 1,
                                                  "name_field", nf, "min_field", mf, "name",
                                                  value_of(req, refill, nf, name), "min",
                                                  value_of(req, refill, mf, min)));
        }
        json_object_set_new(f, "bands", rows);
        json_object_set_new(m, "settings_form", f);
    }
    if (strcmp(json_string_value(json_object_get(t, "stage")), "locked") != 0) {
        json_t *rows = json_array();
        for (size_t i = 0; i < 4; i++) {
            const char *iso = json_string_value(json_object_get(t, due_fields[i]));
            char dmy[11] = "";
            if (iso)
                date_to_dmy(iso, dmy);
            /* a refused form shows the date as typed: the route's date
             * parameter arrives as yyyy-mm-dd, the form speaks dd/mm/yyyy */
            const char *v = value_of(req, refill, due_fields[i], dmy);
            char back[11];
            if (v && strlen(v) == 10 && v[4] == '-' && v[7] == '-') {
                date_to_dmy(v, back);
                v = arena_strdup(req->arena, back);
            }
            json_array_append_new(rows, json_pack("{s:s,s:s,s:s}", "field", due_fields[i],
                                                  "label", due_label(i), "value", v));
        }
        json_object_set_new(m, "deadlines_form", json_pack("{s:o}", "fields", rows));
    }
}

/* Replaces the table's bands with names[0..n) and mins[0..n). */
static bool store_bands(struct db *db, int64_t id, const char *const *names, const int64_t *mins,
                        size_t n)
{
    struct db_stmt *s = db_query(db, "DELETE FROM criteria_bands WHERE table_id = ?");
    db_bind_int(s, 1, id);
    if (db_run(s) != DB_DONE)
        return false;
    for (size_t i = 0; i < n; i++) {
        s = db_query(db, "INSERT INTO criteria_bands (table_id, position, name, min_x100) VALUES "
                         "(?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_text(s, 3, names[i]);
        db_bind_int(s, 4, mins[i]);
        if (db_run(s) != DB_DONE)
            return false;
    }
    return true;
}

/* Reads the tie-break fields into list (comma-separated); false when none came. */
static bool read_tiebreaks(struct request *req, json_t *t, char *list, size_t len)
{
    bool any = false;
    for (size_t i = 0; i < MAX_TIEBREAKS; i++) {
        char field[8];
        snprintf(field, sizeof field, "tb%zu", i + 1);
        any = any || crit_seen(req, field);
    }
    if (!any)
        return false;
    list[0] = '\0';
    const char *items[MAX_TIEBREAKS];
    size_t n = 0;
    for (size_t i = 0; i < MAX_TIEBREAKS; i++) {
        char field[8];
        snprintf(field, sizeof field, "tb%zu", i + 1);
        const char *v = req_text(req, field);
        if (!v)
            continue;
        struct rank_tiebreak tb;
        char label[4096];
        if (!parse_item(t, v, strlen(v), &tb, label, sizeof label)) {
            if (strncmp(v, "group:", 6) == 0)
                req_field_error(req, field,
                                _("Tiêu chí phụ %zu: “%s” không phải là một nhóm tiêu chí của "
                                  "bảng này."),
                                i + 1, v);
            else
                req_field_error(req, field,
                                _("Tiêu chí phụ %zu: không có lựa chọn “%s”; hãy chọn nhóm tiêu "
                                  "chí, at_max, deductions, women hoặc submitted."),
                                i + 1, v);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup = dup || strcmp(items[j], v) == 0;
        if (dup) {
            req_field_error(req, field, _("Tiêu chí phụ %zu: “%s” đã có ở trên; mỗi tiêu chí phụ "
                                          "chỉ chọn một lần."),
                            i + 1, label);
            continue;
        }
        items[n++] = v;
        size_t used = strlen(list);
        snprintf(list + used, len - used, "%s%s", used ? "," : "", v);
    }
    return true;
}

/* Reads the band rows; false when none came. Rows with neither a name nor
 * a minimum are skipped; the last band kept takes the rest (its min is 0). */
static bool read_bands(struct request *req, const char **names, int64_t *mins, size_t *n)
{
    bool any = false;
    for (size_t i = 0; i < MAX_BANDS; i++) {
        char nf[16], mf[16];
        snprintf(nf, sizeof nf, "band%zu_name", i + 1);
        snprintf(mf, sizeof mf, "band%zu_min", i + 1);
        any = any || crit_seen(req, nf) || crit_seen(req, mf);
    }
    if (!any)
        return false;
    const char *min_fields[MAX_BANDS];
    const char *min_texts[MAX_BANDS];
    *n = 0;
    for (size_t i = 0; i < MAX_BANDS; i++) {
        char nf[16], mf[16];
        snprintf(nf, sizeof nf, "band%zu_name", i + 1);
        snprintf(mf, sizeof mf, "band%zu_min", i + 1);
        const char *name = req_text(req, nf), *min = req_text(req, mf);
        if (!name && !min)
            continue;
        if (!name) {
            req_field_error(req, nf, _("Loại %zu: hãy nhập tên loại (ví dụ Xuất sắc)."), i + 1);
            continue;
        }
        names[*n] = name;
        min_texts[*n] = min;
        min_fields[*n] = arena_strdup(req->arena, mf);
        mins[*n] = 0;
        (*n)++;
    }
    for (size_t k = 0; k < *n; k++) {
        if (k + 1 == *n)
            break; /* the catch-all: its minimum is not used */
        const char *mf = min_fields[k];
        if (!min_texts[k]) {
            req_field_error(req, mf, _("Loại “%s”: hãy nhập điểm tối thiểu."), names[k]);
        } else if (!bloc_parse_x100(min_texts[k], &mins[k]) || mins[k] <= 0 ||
                   mins[k] > SCORE_MAX_LIMIT) {
            req_field_error(req, mf,
                            _("Loại “%s”: điểm tối thiểu phải là số điểm lớn hơn 0 và không quá "
                              "10.000, ví dụ 90 hoặc 87,5."),
                            names[k]);
            mins[k] = -1;
        }
    }
    if (req_has_errors(req))
        return true;
    struct rank_band bands[MAX_BANDS];
    for (size_t k = 0; k < *n; k++)
        bands[k] = (struct rank_band){names[k], mins[k]};
    if (*n && !rank_bands_ok(bands, *n))
        for (size_t k = 1; k + 1 < *n; k++)
            if (mins[k] >= mins[k - 1]) {
                req_field_error(req, min_fields[k],
                                _("Loại “%s”: điểm tối thiểu phải thấp hơn của loại “%s” ở trên "
                                  "(các mức giảm dần)."),
                                names[k], names[k - 1]);
                break;
            }
    return true;
}

/* The page again (422) with the refused form open and refilled; which is
 * "settings_open" or "deadlines_open". */
static enum result settings_again(struct request *req, json_t *t, const char *which)
{
    crit_show_model(req, t);
    json_object_set_new(req->model, which, json_true());
    crit_settings_forms(req, json_object_get(req->model, "table"), true);
    req->status = 422;
    req->template = "criteria/show";
    return OK;
}

enum result criteria_settings(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    int64_t id = crit_tid(t);
    const char *title = json_string_value(json_object_get(t, "title"));
    if (crit_seen(req, "title") && !(title = req_text(req, "title")))
        req_field_error(req, "title", _("Hãy nhập tên bảng tiêu chí."));
    const char *mode = req_text(req, "mode");
    int normalise = json_is_true(json_object_get(t, "normalise"));
    if (req_text(req, "normalise"))
        normalise = strcmp(req_text(req, "normalise"), "yes") == 0;
    int64_t min_sample = req_int(req, "min_sample", json_integer_value(json_object_get(t, "min_sample")));
    json_t *old_cap = json_object_get(t, "bonus_cap_x100");
    bool has_cap = json_is_integer(old_cap);
    int64_t cap = has_cap ? json_integer_value(old_cap) : 0;
    if (crit_seen(req, "bonus_cap")) {
        has_cap = req_text(req, "bonus_cap") != NULL;
        if (has_cap)
            crit_points(req, "bonus_cap", _("Mức trần điểm thưởng"), &cap);
    }
    char list[512];
    bool tbs = read_tiebreaks(req, t, list, sizeof list);
    const char *names[MAX_BANDS];
    int64_t mins[MAX_BANDS];
    size_t nbands = 0;
    bool bands = read_bands(req, names, mins, &nbands);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return settings_again(req, t, "settings_open");
    }
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    struct db_stmt *s = db_query(
        req->db, "UPDATE criteria_tables SET title = ?, mode = coalesce(CAST(? AS TEXT), mode), "
                 "normalise = ?, min_sample = ?, bonus_cap_x100 = ?, tie_breaks = "
                 "coalesce(CAST(? AS TEXT), tie_breaks) WHERE id = ?");
    db_bind_text(s, 1, title);
    if (mode)
        db_bind_text(s, 2, mode);
    else
        db_bind_null(s, 2);
    db_bind_int(s, 3, normalise);
    db_bind_int(s, 4, min_sample);
    if (has_cap)
        db_bind_int(s, 5, cap);
    else
        db_bind_null(s, 5);
    if (tbs)
        db_bind_text(s, 6, list);
    else
        db_bind_null(s, 6);
    db_bind_int(s, 7, id);
    if (db_run(s) != DB_DONE || (bands && !store_bands(req->db, id, names, mins, nbands))) {
        json_decref(t);
        return crit_db_failed(req);
    }
    const char *back = crit_page_of(req, t);
    if (audit_commit(req, "settings", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "%s#settings", back),
                        _("Đã lưu cách xếp hạng của bảng tiêu chí."));
}

/* Default bands: the customary xuất sắc / tốt / khá at 90, 80 and 65 % of
 * the table's total, trung bình below, each rounded half up to hundredths. */
void criteria_default_bands(int64_t total, int64_t mins[4])
{
    static const int64_t pct[] = {90, 80, 65, 0};
    for (size_t i = 0; i < 4; i++)
        mins[i] = (total * pct[i] + 50) / 100;
}

enum result criteria_bands_default(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    int64_t id = crit_tid(t), total = json_integer_value(json_object_get(t, "total_x100"));
    if (!json_is_true(json_object_get(t, "valid")) || total <= 0) {
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "bands",
                          _("Bảng tiêu chí chưa hợp lệ nên chưa có tổng điểm để tính các mức xếp "
                            "loại; hãy hoàn chỉnh bảng trước."));
    }
    int64_t mins[4];
    criteria_default_bands(total, mins);
    const char *names[] = {_("Xuất sắc"), _("Tốt"), _("Khá"), _("Trung bình")};
    struct rank_band check[4];
    for (size_t i = 0; i < 4; i++)
        check[i] = (struct rank_band){names[i], mins[i]};
    if (!rank_bands_ok(check, 4)) { /* a total of a few hundredths: the percentages meet */
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "bands",
                          _("Tổng điểm của bảng quá nhỏ để chia thành bốn mức xếp loại."));
    }
    if (crit_touch(req, id, NULL) != OK || !store_bands(req->db, id, names, mins, 4)) {
        json_decref(t);
        return crit_db_failed(req);
    }
    const char *back = crit_page_of(req, t);
    if (audit_commit(req, "bands_default", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "%s#settings", back),
                        _("Đã điền bốn mức xếp loại thường dùng theo tổng điểm của bảng."));
}

enum result criteria_deadlines(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_manage(req);
    if (!t)
        return req->err.code;
    if (strcmp(json_string_value(json_object_get(t, "stage")), "locked") == 0) {
        json_decref(t);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Kết quả chấm điểm đã khóa nên không đổi được thời hạn nữa."));
    }
    int64_t id = crit_tid(t);
    int year = crit_tyear(t);
    /* a year's scoring ends in the first months of the next: the bound is
     * 31 March of year + 1, the customary latest date of the year-end
     * conferences and of the proposals that follow them */
    char first[11], last[16];
    date_year_start(year, first);
    snprintf(last, sizeof last, "%04d-03-31", (year + 1) % 10000);
    const char *dues[4];
    const char *prev = NULL, *prev_label = NULL;
    /* Once scoring is under way (criteria locked), the deadline of the
     * running stage and of those before it are the office's to change: the
     * head or deputy unit is itself scored, and an earlier self deadline
     * would close the other units' sheets with zeros (score_stage.c). */
    bool office = req->user && (req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE);
    const char *stage = json_string_value(json_object_get(t, "stage"));
    static const char *const stage_codes[] = {"self", "review1", "explain", "review2"};
    size_t running = 0;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(stage, stage_codes[i]) == 0)
            running = i;
    bool scoring = !json_is_true(json_object_get(t, "is_draft"));
    for (size_t i = 0; i < 4; i++) {
        const char *stored = json_string_value(json_object_get(t, due_fields[i]));
        dues[i] = crit_seen(req, due_fields[i]) ? req_text(req, due_fields[i]) : stored;
        if (json_object_get(req->field_errors, due_fields[i]))
            continue;
        bool changed = (dues[i] == NULL) != (stored == NULL) ||
                       (dues[i] && stored && strcmp(dues[i], stored) != 0);
        if (!office && scoring && i <= running && changed) {
            req_field_error(req, due_fields[i],
                            _("%s thuộc giai đoạn đang diễn ra hoặc đã qua; chỉ cơ quan thường "
                              "trực đổi được."),
                            due_label(i));
            continue;
        }
        if (!dues[i])
            continue;
        if (strcmp(dues[i], first) < 0 || strcmp(dues[i], last) > 0) {
            char a[11], b[11], d[11];
            date_to_dmy(first, a);
            date_to_dmy(last, b);
            date_to_dmy(dues[i], d);
            req_field_error(req, due_fields[i], _("%s %s phải trong khoảng từ %s đến %s."),
                            due_label(i), d, a, b);
            continue;
        }
        if (prev && strcmp(dues[i], prev) < 0) {
            char d[11], p[11];
            date_to_dmy(dues[i], d);
            date_to_dmy(prev, p);
            req_field_error(req, due_fields[i], _("%s %s không được sớm hơn %s %s."),
                            due_label(i), d, prev_label, p);
            continue;
        }
        prev = dues[i];
        prev_label = due_label(i);
    }
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return settings_again(req, t, "deadlines_open");
    }
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "UPDATE criteria_tables SET self_due = ?, review1_due = "
                                          "?, explain_due = ?, review2_due = ? WHERE id = ?");
    for (int i = 0; i < 4; i++) {
        if (dues[i])
            db_bind_text(s, i + 1, dues[i]);
        else
            db_bind_null(s, i + 1);
    }
    db_bind_int(s, 5, id);
    if (db_run(s) != DB_DONE) {
        json_decref(t);
        return crit_db_failed(req);
    }
    const char *back = crit_page_of(req, t);
    if (audit_commit(req, "deadlines", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "%s#deadlines", back),
                        _("Đã lưu thời hạn các bước chấm điểm."));
}

enum result crit_tiebreak_forget(struct db *db, int64_t table, int64_t node)
{
    struct db_stmt *s = db_query(db, "SELECT tie_breaks FROM criteria_tables WHERE id = ?");
    db_bind_int(s, 1, table);
    char *list = db_step(s) == DB_ROW ? xstrdup(db_col_text(s, 0)) : NULL;
    db_done(s);
    if (!list)
        return E_DB;
    char item[40], out[512] = "";
    snprintf(item, sizeof item, "group:%lld", (long long)node);
    bool changed = false;
    for (char *p = list; *p;) {
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        if (strcmp(p, item) == 0) {
            changed = true;
        } else if (*p) {
            size_t used = strlen(out);
            snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", p);
        }
        if (!end)
            break;
        p = end + 1;
    }
    free(list);
    if (!changed)
        return OK;
    s = db_query(db, "UPDATE criteria_tables SET tie_breaks = ? WHERE id = ?");
    db_bind_text(s, 1, out);
    db_bind_int(s, 2, table);
    return db_run(s) == DB_DONE ? OK : E_DB;
}
