/* The ranking's files (features/ranking_pages.h): the full table as XLSX
 * (one row per unit, a column per node — a group's column is its subtotal —
 * then total, bonus, deductions, final, rank and band) and the ranking as
 * an annex to the minutes (DOCX, or PDF by the same template
 * doctemplates/phu_luc_xep_hang). Both from score_results_load, as the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "docs/xlsx_write.h"
#include "domain/bloc.h"
#include "features/doc_template_pages.h"
#include "features/ranking_pages.h"
#include "lib/arena.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

static const char *tstr(const struct score_results *r, const char *k)
{
    const char *s = json_string_value(json_object_get(r->table, k));
    return s ? s : "";
}

static void points(struct xlsx_table_writer *w, int64_t v)
{
    xlsx_table_number(w, (double)v / 100.0, 2);
}

enum result ranking_xlsx(struct request *req)
{
    struct score_results *r = ranking_of_path(req, NULL);
    if (!r)
        return req->err.code;
    enum { FIXED_L = 2, FIXED_R = 8 };
    size_t ncols = FIXED_L + r->n + FIXED_R;
    const char **headers = xcalloc(ncols, sizeof *headers);
    double *widths = xcalloc(ncols, sizeof *widths);
    headers[0] = _("STT");
    widths[0] = 6;
    headers[1] = _("Đơn vị");
    widths[1] = 40;
    for (size_t k = 0; k < r->n; k++) {
        char max[32];
        bloc_format_x100(r->nodes[k].max, max);
        headers[FIXED_L + k] = arena_printf(req->arena, "%s %s (%s)", r->nodes[k].code,
                                            r->nodes[k].name, max);
        widths[FIXED_L + k] = r->nodes[k].kind == SCORE_GROUP ? 14 : 12;
    }
    static const char *const tail[FIXED_R] = {N_("Tổng điểm tiêu chí"), N_("Điểm thưởng"),
                                              N_("Điểm trừ"),           N_("Điểm cuối cùng"),
                                              N_("Xếp hạng"),           N_("Xếp loại"),
                                              N_("Được suy tôn"),       N_("Ghi chú")};
    static const double tail_w[FIXED_R] = {12, 10, 10, 12, 9, 14, 10, 30};
    for (size_t k = 0; k < FIXED_R; k++) {
        headers[FIXED_L + r->n + k] = _(tail[k]);
        widths[FIXED_L + r->n + k] = tail_w[k];
    }
    const char *title = arena_printf(
        req->arena, _("Kết quả chấm điểm, xếp hạng thi đua năm %d — %s — giai đoạn: %s%s"),
        r->year, tstr(r, "group_name"), tstr(r, "stage_name"),
        r->provisional ? _(" (tạm tính)") : "");
    struct err e = {0};
    struct xlsx_table_writer *w =
        xlsx_table_begin(_("Xếp hạng"), title, headers, widths, ncols, &e);
    free(headers);
    free(widths);
    if (!w) {
        score_results_free(r);
        return req_fail(req, e.code, NULL, "%s", e.msg);
    }
    for (size_t i = 0; i < r->nunits; i++) {
        const struct unit_result *u = &r->units[i];
        xlsx_table_int(w, (int64_t)i + 1);
        xlsx_table_text(w, u->name);
        for (size_t k = 0; k < r->n; k++) {
            if (u->complete || (r->cross && u->has_sheet))
                points(w, u->points[k]);
            else
                xlsx_table_blank(w);
        }
        points(w, u->base);
        points(w, u->bonus);
        points(w, u->deducted);
        if (u->rank) {
            points(w, u->final);
            xlsx_table_int(w, u->rank);
        } else {
            xlsx_table_blank(w);
            xlsx_table_blank(w);
        }
        xlsx_table_text(w, u->band >= 0 ? r->bands[u->band].name : "");
        xlsx_table_text(w, u->rank ? (u->may_lead ? _("Có") : _("Không")) : "");
        xlsx_table_text(w, u->veto        ? _("Vi phạm bị phủ quyết: không được suy tôn")
                           : !u->complete ? _("Chưa đủ: chưa xếp hạng")
                                          : "");
        xlsx_table_end_row(w);
    }
    char *data = NULL;
    size_t len = 0;
    long long id = (long long)r->table_id;
    score_results_free(r);
    if (xlsx_table_finish(w, &data, &len, &e) != OK)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    return req_download(req, data, len,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        arena_printf(req->arena, "xep-hang-%lld.xlsx", id));
}

/* The province's name without "Tỉnh"/"Thành phố", for the date line. */
static const char *place_of(struct request *req)
{
    struct db_stmt *s = db_query(req->db, "SELECT value FROM meta WHERE key = 'province'");
    const char *p = db_step(s) == DB_ROW ? arena_strdup(req->arena, db_col_text(s, 0)) : "";
    db_done(s);
    static const char *const prefixes[] = {"Tỉnh ", "Thành phố ", NULL};
    for (int i = 0; prefixes[i]; i++)
        if (strncmp(p, prefixes[i], strlen(prefixes[i])) == 0)
            return p + strlen(prefixes[i]);
    return p;
}

static json_t *x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

static enum result send_annex(struct request *req, bool pdf)
{
    struct score_results *r = ranking_of_path(req, NULL);
    if (!r)
        return req->err.code;
    json_t *rows = json_array();
    char buf[800];
    bool any_veto = false;
    for (size_t i = 0; i < r->nunits; i++) {
        const struct unit_result *u = &r->units[i];
        any_veto |= u->veto && u->rank;
        snprintf(buf, sizeof buf, "%d", u->rank);
        const char *note = u->veto       ? _("Vi phạm bị phủ quyết, không được suy tôn")
                           : !u->rank    ? _("Chưa đủ điểm các tiêu chí, chưa xếp hạng")
                                         : "";
        json_array_append_new(
            rows,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:s}", "rank_text", u->rank ? buf : "—",
                      "name", u->name, "table_points",
                      u->rank ? x100(u->base) : json_string("—"), "bonus", x100(u->bonus),
                      "deductions", x100(u->deducted), "final",
                      u->rank ? x100(u->final) : json_string("—"), "band",
                      u->band >= 0 ? r->bands[u->band].name : "", "note", note));
    }
    json_t *tbs = json_array();
    for (size_t i = 0; i < r->ntb; i++)
        json_array_append_new(tbs, json_pack("{s:I,s:s}", "n", (json_int_t)(i + 1), "text",
                                             r->tb_words[i]));
    char today[11];
    date_today(today);
    char *upper = text_upper(tstr(r, "group_name"));
    json_t *model = json_pack(
        "{s:{s:s,s:s,s:s},s:s,s:s,s:s,s:I,s:s,s:b,s:s,s:o,s:o,s:s}", "issuer", "parent", "",
        "name", upper ? upper : tstr(r, "group_name"), "name_sentence", tstr(r, "group_name"),
        "place", place_of(req), "number", "", "date", today, "year", (json_int_t)r->year,
        "group_name", tstr(r, "group_name"), "provisional", r->provisional, "stage_name",
        tstr(r, "stage_name"), "rows", rows, "tie_breaks", tbs, "veto_note",
        any_veto ? _("Đơn vị có vi phạm bị phủ quyết được xếp sau mọi đơn vị không vi phạm, "
                     "không được suy tôn dẫn đầu và không xếp loại cao nhất.")
                 : "");
    free(upper);
    long long id = (long long)r->table_id;
    score_results_free(r);
    enum result rc = doc_send(req, "phu_luc_xep_hang", model, pdf,
                              arena_printf(req->arena, "phu-luc-xep-hang-%lld", id));
    json_decref(model);
    return rc;
}

enum result ranking_docx(struct request *req)
{
    return send_annex(req, false);
}

enum result ranking_pdf(struct request *req)
{
    return send_annex(req, true);
}
