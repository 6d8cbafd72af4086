/* The ranking page and its chart (features/ranking_pages.h). */
#include "features/ranking_pages.h"

#include <stdio.h>
#include <string.h>

#include "domain/bloc.h"
#include "features/groups.h"
#include "features/whatif.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/i18n.h"

bool ranking_may_read(struct request *req, int64_t group_id, int year, const char *stage)
{
    if (!group_can_view_year(req, group_id, year))
        return false;
    /* before review 1 opens, only the managers, office, admin and council
     * see every unit's self-score */
    if (req->user && req->user->role == ROLE_UNIT && stage && strcmp(stage, "self") == 0)
        return group_can_manage(req, group_id, year);
    return true;
}

struct score_results *ranking_of_path(struct request *req, const struct whatif_overrides *w)
{
    int64_t id = req_path_int(req, "id");
    struct score_results *r = w ? score_results_load(req->db, id, w)
                                : score_results_get(req->db, id);
    if (!r) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."), (long long)id);
        return NULL;
    }
    const char *stage = json_string_value(json_object_get(r->table, "stage"));
    if (!ranking_may_read(req, r->group_id, r->year, stage)) {
        bool seen = group_can_view_year(req, r->group_id, r->year);
        score_results_free(r);
        if (seen)
            req_fail(req, E_FORBIDDEN, NULL,
                     _("Trong giai đoạn tự chấm, chỉ trưởng, phó khối, cơ quan thường trực và "
                       "Hội đồng xem được điểm của các đơn vị; bảng xếp hạng mở cho các đơn vị "
                       "khi trưởng khối bắt đầu chấm (vòng 1)."));
        else
            req_fail(req, E_FORBIDDEN, NULL,
                     _("Chỉ các đơn vị thành viên của khối, cụm trong năm này, cơ quan thường "
                       "trực và Hội đồng xem được bảng xếp hạng."));
        return NULL;
    }
    return r;
}

/* Geometry of the chart, in SVG user units. */
enum { CHART_W = 720, LABEL_W = 260, BAR_W = 380, BAR_H = 22, GAP = 8, TOP = 8 };

json_t *ranking_chart(const struct score_results *r)
{
    int64_t scale = r->table_max;
    for (size_t k = 0; k < r->nranked; k++)
        if (r->units[k].final > scale)
            scale = r->units[k].final;
    json_t *bars = json_array();
    for (size_t k = 0; k < r->nranked; k++) {
        const struct unit_result *u = &r->units[k];
        int y = TOP + (int)k * (BAR_H + GAP);
        int64_t w = scale > 0 && u->final > 0 ? u->final * BAR_W / scale : 0;
        char value[32];
        bloc_format_x100(u->final, value);
        char label[1024]; /* a unit's name: 200 characters, up to 800 bytes */
        snprintf(label, sizeof label, "%d. %s", u->rank, u->name);
        utf8_trim_partial(label);
        json_array_append_new(
            bars, json_pack("{s:i,s:i,s:I,s:I,s:s,s:s,s:b}", "y", y, "ty", y + BAR_H - 6, "w",
                            (json_int_t)w, "vx", (json_int_t)(LABEL_W + w + 6), "label", label,
                            "value", value, "veto", u->veto));
    }
    int height = TOP * 2 + (int)r->nranked * (BAR_H + GAP);
    return json_pack("{s:i,s:i,s:i,s:i,s:o,s:b}", "width", CHART_W, "height", height, "x",
                     LABEL_W, "bar_h", BAR_H, "bars", bars, "has_bars", r->nranked > 0);
}

enum result ranking_show(struct request *req)
{
    struct score_results *r = ranking_of_path(req, NULL);
    if (!r)
        return req->err.code;
    json_t *m = req->model;
    json_t *t = json_deep_copy(r->table);
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    json_object_set_new(m, "results", score_results_json(r));
    json_object_set_new(m, "chart", ranking_chart(r));
    bool manage = group_can_manage(req, r->group_id, r->year);
    bool locked = strcmp(json_string_value(json_object_get(r->table, "stage")), "locked") == 0;
    bool draft = json_is_true(json_object_get(r->table, "is_draft"));
    json_object_set_new(m, "can_whatif", json_boolean(manage && !locked && !draft));
    if (manage)
        json_object_set_new(m, "whatifs", whatif_list(req, r->table_id));
    const char *base = arena_printf(req->arena, "/criteria/%lld/ranking", (long long)r->table_id);
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "criteria",
                  arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)r->group_id,
                               r->year),
                  "self", base, "xlsx", arena_printf(req->arena, "%s.xlsx", base), "docx",
                  arena_printf(req->arena, "%s.docx", base), "pdf",
                  arena_printf(req->arena, "%s.pdf", base)));
    score_results_free(r);
    return OK;
}
