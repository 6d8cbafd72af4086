/* The model of a score sheet page (score_int.h): every node with its answer
 * and points by domain/scoring.h, the value of each stage (self, review 1,
 * review 2) derived from score_changes, the reasons, the unit's
 * explanations and evidence, the adjustments and the final score by
 * score_final. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/score_int.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

void score_tree_of(json_t *table, struct score_tree *tr)
{
    json_t *nodes = json_object_get(table, "nodes");
    tr->n = json_array_size(nodes);
    tr->nodes = xmalloc((tr->n + 1) * sizeof *tr->nodes);
    tr->ids = xmalloc((tr->n + 1) * sizeof *tr->ids);
    for (size_t i = 0; i < tr->n; i++) {
        json_t *nd = json_array_get(nodes, i);
        tr->ids[i] = sj_int(nd, "id");
        int parent = -1;
        int64_t pid = sj_int(nd, "parent_id");
        for (size_t j = 0; j < i && pid; j++)
            if (tr->ids[j] == pid)
                parent = (int)j;
        tr->nodes[i] = (struct score_node){
            .code = sj_str(nd, "code"), .name = sj_str(nd, "name"), .parent = parent,
            .kind = score_kind_of(sj_str(nd, "kind")), .max = sj_int(nd, "max_x100"),
            .each = sj_int(nd, "each_x100"),
            .capped = json_is_true(json_object_get(nd, "capped"))};
    }
}

void score_tree_free(struct score_tree *tr)
{
    free(tr->nodes);
    free(tr->ids);
}

size_t score_tree_index(const struct score_tree *tr, int64_t node)
{
    for (size_t i = 0; i < tr->n; i++)
        if (tr->ids[i] == node)
            return i;
    return tr->n;
}

const char *score_answer_text(struct request *req, enum score_kind kind, bool answered,
                              int64_t value, bool has_target, int64_t target)
{
    if (!answered)
        return "";
    char v[32], t[32];
    switch (kind) {
    case SCORE_PASSFAIL:
        return value == 1 ? _("Đạt") : _("Không đạt");
    case SCORE_OCCURRENCE:
        return arena_printf(req->arena, _("%lld lần"), (long long)value);
    case SCORE_TARGET:
        bloc_format_x100(value, v);
        if (!has_target)
            return arena_strdup(req->arena, v);
        bloc_format_x100(target, t);
        return arena_printf(req->arena, _("%s / chỉ tiêu %s"), v, t);
    default:
        bloc_format_x100(value, v);
        return arena_strdup(req->arena, v);
    }
}

/* Every sheet's answers of the table: units[u] owns answers[u * n …]. */
static size_t all_answers(struct db *db, int64_t table, const struct score_tree *tr,
                          int64_t **units, struct score_answer **answers)
{
    size_t nu = 0, cap = 8;
    *units = xmalloc(cap * sizeof **units);
    *answers = xcalloc(cap * (tr->n + 1), sizeof **answers);
    struct db_stmt *s = db_query(db, "SELECT s.unit_id, a.node_id, a.value_x100, a.target_x100 "
                                     "FROM score_sheets s JOIN score_answers a ON a.sheet_id = "
                                     "s.id WHERE s.table_id = ? ORDER BY s.unit_id");
    db_bind_int(s, 1, table);
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0);
        if (nu == 0 || (*units)[nu - 1] != unit) {
            if (nu == cap) {
                *units = xrealloc(*units, (cap * 2) * sizeof **units);
                *answers = xrealloc(*answers, cap * 2 * (tr->n + 1) * sizeof **answers);
                memset(*answers + cap * (tr->n + 1), 0, cap * (tr->n + 1) * sizeof **answers);
                cap *= 2;
            }
            (*units)[nu++] = unit;
        }
        size_t i = score_tree_index(tr, db_col_int(s, 1));
        if (i < tr->n)
            (*answers)[(nu - 1) * tr->n + i] = (struct score_answer){
                .answered = true, .value = db_col_int(s, 2),
                .target = db_col_is_null(s, 3) ? 0 : db_col_int(s, 3)};
    }
    db_done(s);
    return nu;
}

/* Points of one answered leaf (0 when blank or refused). */
static int64_t leaf_points(const struct score_node *nd, const struct score_answer *a,
                           int64_t leader)
{
    int64_t out = 0;
    if (!a->answered)
        return 0;
    enum score_status st = SCORE_OK;
    switch (nd->kind) {
    case SCORE_DIRECT:
        st = score_direct(nd->max, a->value, &out);
        break;
    case SCORE_PASSFAIL:
        st = score_passfail(nd->max, a->value, &out);
        break;
    case SCORE_OCCURRENCE:
        st = score_per_occurrence(nd->max, nd->each, a->value, &out);
        break;
    case SCORE_TARGET:
        st = score_target(nd->max, a->value, a->target, leader, &out, NULL);
        break;
    default:
        break;
    }
    return st == SCORE_OK ? out : 0;
}

/* dd/mm/yyyy of a stored time ("2026-06-20T03:04:05Z") or date. */
static json_t *dmy_of(const char *iso)
{
    char day[11] = "", d[11] = "";
    if (iso)
        snprintf(day, sizeof day, "%s", iso);
    date_to_dmy(day, d);
    return json_string(d);
}

/* One value of a stage for the page. */
struct stage_value {
    bool answered, has_target;
    int64_t value, target;
};

static struct stage_value change_side(struct db_stmt *s, int vcol, int tcol)
{
    return (struct stage_value){.answered = !db_col_is_null(s, vcol),
                                .value = db_col_is_null(s, vcol) ? 0 : db_col_int(s, vcol),
                                .has_target = !db_col_is_null(s, tcol),
                                .target = db_col_is_null(s, tcol) ? 0 : db_col_int(s, tcol)};
}

/* The changes of the reviews on each node, with the value of each stage:
 * self = old value of the first change (or the answer when never changed),
 * review 1 = new value of the last review-1 change (or self), review 2 the
 * same over review 1. rows[k] gets "changes", "self_value", "review1_value",
 * "review2_value", "changed1", "changed2". */
static void stage_values(struct request *req, int64_t sheet, const struct score_tree *tr,
                         const struct score_answer *mine, json_t *rows)
{
    size_t n = tr->n;
    struct stage_value *self = xcalloc(n + 1, sizeof *self), *r1 = xcalloc(n + 1, sizeof *r1),
                       *r2 = xcalloc(n + 1, sizeof *r2);
    bool *seen = xcalloc(n + 1, sizeof *seen), *c1 = xcalloc(n + 1, sizeof *c1),
         *c2 = xcalloc(n + 1, sizeof *c2);
    for (size_t k = 0; k < n; k++) {
        self[k] = (struct stage_value){mine[k].answered, tr->nodes[k].kind == SCORE_TARGET,
                                       mine[k].value, mine[k].target};
        json_object_set_new(json_array_get(rows, k), "changes", json_array());
    }
    struct db_stmt *s = db_query(
        req->db, "SELECT c.node_id, c.stage, c.old_value_x100, c.old_target_x100, "
                 "c.new_value_x100, c.new_target_x100, c.reason, c.created_at, u.display_name "
                 "FROM score_changes c LEFT JOIN users u ON u.id = c.user_id WHERE c.sheet_id = ? "
                 "ORDER BY c.id");
    db_bind_int(s, 1, sheet);
    while (db_step(s) == DB_ROW) {
        size_t k = score_tree_index(tr, db_col_int(s, 0));
        if (k == n)
            continue;
        bool second = strcmp(db_col_text(s, 1), "review2") == 0;
        struct stage_value old = change_side(s, 2, 3), nw = change_side(s, 4, 5);
        if (!seen[k])
            self[k] = old;
        seen[k] = true;
        if (second) {
            r2[k] = nw;
            c2[k] = true;
        } else {
            r1[k] = nw;
            c1[k] = true;
        }
        enum score_kind kd = tr->nodes[k].kind;
        json_array_append_new(
            json_object_get(json_array_get(rows, k), "changes"),
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "stage_name",
                      second ? _("Thẩm định lần 2") : _("Thẩm định lần 1"), "old",
                      *score_answer_text(req, kd, old.answered, old.value, old.has_target,
                                         old.target)
                          ? score_answer_text(req, kd, old.answered, old.value, old.has_target,
                                              old.target)
                          : _("chưa chấm"),
                      "new",
                      score_answer_text(req, kd, nw.answered, nw.value, nw.has_target, nw.target),
                      "reason", db_col_text(s, 6), "by",
                      db_col_is_null(s, 8) ? "" : db_col_text(s, 8), "at_dmy",
                      dmy_of(db_col_text(s, 7))));
    }
    db_done(s);
    for (size_t k = 0; k < n; k++) {
        if (!c1[k])
            r1[k] = self[k];
        if (!c2[k])
            r2[k] = r1[k];
        enum score_kind kd = tr->nodes[k].kind;
        json_t *row = json_array_get(rows, k);
        struct stage_value *v[3] = {&self[k], &r1[k], &r2[k]};
        static const char *const keys[3] = {"self_value", "review1_value", "review2_value"};
        for (int j = 0; j < 3; j++)
            json_object_set_new(row, keys[j],
                                json_string(score_answer_text(req, kd, v[j]->answered,
                                                              v[j]->value, v[j]->has_target,
                                                              v[j]->target)));
        json_object_set_new(row, "changed1", json_boolean(c1[k]));
        json_object_set_new(row, "changed2", json_boolean(c2[k]));
        json_object_set_new(row, "has_changes", json_boolean(seen[k]));
    }
    free(self);
    free(r1);
    free(r2);
    free(seen);
    free(c1);
    free(c2);
}

/* The unit's explanations and evidence on each node (rows[k]
 * "explanation", "evidence"). */
static void node_extras(struct request *req, int64_t table, int64_t unit, int64_t sheet,
                        const struct score_tree *tr, json_t *rows)
{
    for (size_t k = 0; k < tr->n; k++) {
        json_object_set_new(json_array_get(rows, k), "explanation", json_string(""));
        json_object_set_new(json_array_get(rows, k), "evidence", json_array());
    }
    struct db_stmt *s = db_query(req->db, "SELECT node_id, text FROM score_explanations WHERE "
                                          "sheet_id = ?");
    db_bind_int(s, 1, sheet);
    while (db_step(s) == DB_ROW) {
        size_t k = score_tree_index(tr, db_col_int(s, 0));
        if (k < tr->n)
            json_object_set_new(json_array_get(rows, k), "explanation",
                                json_string(db_col_text(s, 1)));
    }
    db_done(s);
    s = db_query(req->db, "SELECT e.id, e.node_id, f.name, f.size, e.created_at FROM "
                          "score_evidence e JOIN files f ON f.id = e.file_id WHERE e.sheet_id = ? "
                          "AND e.removed_at IS NULL ORDER BY e.id");
    db_bind_int(s, 1, sheet);
    while (db_step(s) == DB_ROW) {
        size_t k = score_tree_index(tr, db_col_int(s, 1));
        if (k == tr->n)
            continue;
        int64_t id = db_col_int(s, 0), size = db_col_int(s, 3);
        const char *base = arena_printf(req->arena, "/criteria/%lld/units/%lld/evidence/%lld",
                                        (long long)table, (long long)unit, (long long)id);
        json_array_append_new(
            json_object_get(json_array_get(rows, k), "evidence"),
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)id, "name",
                      db_col_text(s, 2), "size",
                      arena_printf(req->arena, "%lld KB", (long long)((size + 1023) / 1024)),
                      "href", base, "remove_href", arena_printf(req->arena, "%s/remove", base),
                      "at_dmy", dmy_of(db_col_text(s, 4))));
    }
    db_done(s);
}

/* The adjustments of the sheet and the final score. */
static void adjustments(struct request *req, json_t *table, int64_t unit, int64_t sheet,
                        int64_t base, json_t *m)
{
    json_t *rows = json_array();
    size_t nb = 0, nd = 0, cap = 8;
    struct score_bonus *bonuses = xcalloc(cap, sizeof *bonuses);
    struct score_deduction *deds = xcalloc(cap, sizeof *deds);
    bool veto = false;
    struct db_stmt *s = db_query(
        req->db, "SELECT a.id, a.kind, a.points_x100, a.reason, a.agency, a.file_id, "
                 "a.created_at, u.display_name, a.withdrawn_at, a.withdrawn_reason, "
                 "w.display_name, f.name FROM score_adjustments a LEFT JOIN users u ON u.id = "
                 "a.user_id LEFT JOIN users w ON w.id = a.withdrawn_by LEFT JOIN files f ON "
                 "f.id = a.file_id WHERE a.sheet_id = ? ORDER BY a.id");
    db_bind_int(s, 1, sheet);
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int(s, 0), pts = db_col_int(s, 2);
        const char *kind = db_col_text(s, 1);
        bool withdrawn = !db_col_is_null(s, 8);
        if (!withdrawn) {
            if (nb == cap || nd == cap) {
                cap *= 2;
                bonuses = xrealloc(bonuses, cap * sizeof *bonuses);
                deds = xrealloc(deds, cap * sizeof *deds);
            }
            if (strcmp(kind, "bonus") == 0)
                bonuses[nb++] = (struct score_bonus){.code = "", .points = pts};
            else if (strcmp(kind, "deduction") == 0)
                deds[nd++] = (struct score_deduction){.agency = "", .evidence = "", .points = pts};
            else
                veto = true;
        }
        const char *href = arena_printf(req->arena, "/criteria/%lld/units/%lld/adjustments/%lld",
                                        (long long)sj_int(table, "id"), (long long)unit,
                                        (long long)id);
        json_t *row = json_pack(
            "{s:I,s:s,s:s,s:o,s:I,s:s,s:s,s:o,s:s,s:b,s:s,s:s,s:s}", "id", (json_int_t)id, "kind",
            kind, "kind_name",
            strcmp(kind, "bonus") == 0       ? _("Điểm thưởng")
            : strcmp(kind, "deduction") == 0 ? _("Điểm trừ")
                                             : _("Vi phạm một phiếu phủ quyết"),
            "points", score_x100(pts), "points_x100", (json_int_t)pts, "reason",
            db_col_text(s, 3), "agency", db_col_is_null(s, 4) ? "" : db_col_text(s, 4), "at_dmy",
            dmy_of(db_col_text(s, 6)), "by", db_col_is_null(s, 7) ? "" : db_col_text(s, 7),
            "withdrawn", withdrawn, "withdrawn_reason",
            db_col_is_null(s, 9) ? "" : db_col_text(s, 9), "withdrawn_by",
            db_col_is_null(s, 10) ? "" : db_col_text(s, 10), "withdraw_href",
            arena_printf(req->arena, "%s/withdraw", href));
        json_object_set_new(row, "is_veto", json_boolean(strcmp(kind, "veto") == 0));
        json_object_set_new(row, "file",
                            db_col_is_null(s, 5)
                                ? json_null()
                                : json_pack("{s:s,s:s}", "name", db_col_text(s, 11), "href",
                                            arena_printf(req->arena, "%s/file", href)));
        json_array_append_new(rows, row);
    }
    db_done(s);
    int64_t cap_x100 = json_is_integer(json_object_get(table, "bonus_cap_x100"))
                           ? sj_int(table, "bonus_cap_x100")
                           : -1;
    int64_t final = base, deducted = 0, bonus = 0;
    for (size_t i = 0; i < nb; i++)
        bonus += bonuses[i].points;
    /* the arithmetic (the cap on bonuses, the deductions) is the domain's */
    if (score_final(base, bonuses, nb, cap_x100, deds, nd, &final, &deducted) != SCORE_OK)
        final = base;
    int64_t bonus_counted = final - base + deducted;
    json_object_set_new(m, "adjustments", rows);
    json_object_set_new(m, "has_adjustments", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "bonus", score_x100(bonus));
    json_object_set_new(m, "bonus_counted", score_x100(bonus_counted));
    json_object_set_new(m, "bonus_capped", json_boolean(bonus_counted < bonus));
    json_object_set_new(m, "deduction", score_x100(deducted));
    json_object_set_new(m, "final", score_x100(final));
    json_object_set_new(m, "final_x100", json_integer(final));
    json_object_set_new(m, "bonus_x100", json_integer(bonus_counted));
    json_object_set_new(m, "deduction_x100", json_integer(deducted));
    json_object_set_new(m, "vetoed", json_boolean(veto));
    free(bonuses);
    free(deds);
}

json_t *score_sheet_model(struct request *req, json_t *table, int64_t unit)
{
    struct score_tree tr;
    score_tree_of(table, &tr);
    int64_t table_id = sj_int(table, "id"), *units = NULL;
    struct score_answer *answers = NULL;
    size_t nu = all_answers(req->db, table_id, &tr, &units, &answers);
    int64_t *leaders = xcalloc(tr.n + 1, sizeof *leaders);
    struct score_table st = {tr.nodes, tr.n};
    struct score_answer *mine = xcalloc(tr.n + 1, sizeof *mine);
    for (size_t u = 0; u < nu; u++)
        if (units[u] == unit)
            memcpy(mine, answers + u * tr.n, tr.n * sizeof *mine);
    /* While units score themselves, a reader who may not see every sheet
     * (a member's officer) must learn nothing of the others: the leader of
     * a target criterion is another unit's self-score, and the points and
     * total computed against it would give it away. Such a reader gets
     * provisional points against its own answers only (an actual above
     * its target then leads: max); the comparison with the other units
     * comes once self-scoring closes. */
    bool provisional = strcmp(sj_str(table, "stage"), "self") == 0 && !score_sees_all(req, table);
    if (provisional)
        score_leaders(&st, mine, 1, leaders);
    else
        score_leaders(&st, answers, nu, leaders);
    bool has_target = false;
    int64_t *points = xcalloc(tr.n + 1, sizeof *points), *sums = xcalloc(tr.n + 1, sizeof *sums);
    size_t leaves = 0, answered = 0;
    for (size_t k = tr.n; k-- > 0;) {
        const struct score_node *nd = &tr.nodes[k];
        if (nd->kind == SCORE_GROUP) {
            points[k] = nd->capped && sums[k] > nd->max ? nd->max : sums[k];
        } else {
            leaves++;
            answered += mine[k].answered;
            points[k] = leaf_points(nd, &mine[k], leaders[k]);
        }
        if (nd->parent >= 0)
            sums[nd->parent] += points[k];
    }
    int64_t total = 0;
    for (size_t k = 0; k < tr.n; k++)
        if (tr.nodes[k].parent < 0)
            total += points[k];
    bool complete = leaves > 0 && answered == leaves;
    if (complete) {
        int at_max = 0;
        size_t bad = 0;
        if (score_unit(&st, mine, leaders, points, &total, &at_max, &bad) != SCORE_OK)
            complete = false;
    }
    char status[16];
    int64_t version = 0;
    int64_t sheet = score_sheet_of(req->db, table_id, unit, status, &version);
    json_t *rows = json_array();
    json_t *nodes = json_object_get(table, "nodes");
    for (size_t k = 0; k < tr.n; k++) {
        json_t *nd = json_deep_copy(json_array_get(nodes, k));
        enum score_kind kd = tr.nodes[k].kind;
        json_object_set_new(nd, "points_x100", json_integer(points[k]));
        json_object_set_new(nd, "points", score_x100(points[k]));
        json_object_set_new(nd, "answered", json_boolean(mine[k].answered));
        json_object_set_new(nd, "is_passfail", json_boolean(kd == SCORE_PASSFAIL));
        json_object_set_new(nd, "is_target", json_boolean(kd == SCORE_TARGET));
        json_object_set_new(nd, "is_count", json_boolean(kd == SCORE_OCCURRENCE));
        json_object_set_new(nd, "is_points", json_boolean(kd == SCORE_DIRECT));
        if (kd != SCORE_GROUP) {
            char buf[32];
            if (!mine[k].answered)
                buf[0] = '\0';
            else if (kd == SCORE_PASSFAIL || kd == SCORE_OCCURRENCE)
                snprintf(buf, sizeof buf, "%lld", (long long)mine[k].value);
            else
                bloc_format_x100(mine[k].value, buf);
            json_object_set_new(nd, "value", json_string(buf));
            json_object_set_new(nd, "passed", json_boolean(mine[k].answered && mine[k].value == 1));
            json_object_set_new(nd, "failed", json_boolean(mine[k].answered && mine[k].value == 0));
            json_object_set_new(nd, "value_text",
                                json_string(score_answer_text(req, kd, mine[k].answered,
                                                              mine[k].value, kd == SCORE_TARGET,
                                                              mine[k].target)));
            if (kd == SCORE_TARGET) {
                if (mine[k].answered)
                    bloc_format_x100(mine[k].target, buf);
                json_object_set_new(nd, "target", json_string(buf));
                json_object_set_new(nd, "leader",
                                    provisional ? json_null() : score_x100(leaders[k]));
                has_target = true;
            }
        }
        json_array_append_new(rows, nd);
    }
    stage_values(req, sheet, &tr, mine, rows);
    node_extras(req, table_id, unit, sheet, &tr, rows);
    bool submitted = strcmp(status, "submitted") == 0;
    const char *stage = sj_str(table, "stage");
    bool past_self = strcmp(stage, "self") != 0;
    /* no sheet yet: version 1, the version a new sheet starts at and what a
     * first review write must send (score_review.c) */
    json_t *m = json_pack(
        "{s:I,s:o,s:s,s:s,s:b,s:I,s:I,s:I,s:o,s:b,s:I}", "sheet_id", (json_int_t)sheet, "nodes",
        rows, "status", status[0] ? status : "draft", "status_name",
        submitted    ? _("Đã nộp")
        : past_self ? _("Không nộp đúng hạn")
                     : _("Đang tự chấm"),
        "submitted", submitted, "version", (json_int_t)(sheet ? version : 1), "answered", (json_int_t)answered,
        "criteria", (json_int_t)leaves, "total", score_x100(total), "complete", complete,
        "total_x100", (json_int_t)total);
    provisional = provisional && has_target;
    json_object_set_new(m, "provisional", json_boolean(provisional));
    json_object_set_new(m, "provisional_note",
                        json_string(provisional ? _("Điểm tiêu chí theo chỉ tiêu đang tạm tính "
                                                    "trên kết quả của chính đơn vị; sau khi hết "
                                                    "giai đoạn tự chấm mới so sánh với các đơn "
                                                    "vị khác trong khối, cụm.")
                                                : ""));
    bool r1 = past_self, r2 = strcmp(stage, "review2") == 0 || strcmp(stage, "locked") == 0;
    json_object_set_new(m, "show_review1", json_boolean(r1));
    json_object_set_new(m, "show_review2", json_boolean(r2));
    /* the sheet's own fields of migration 0007 */
    json_t *women = json_null(), *expl = json_string("");
    if (sheet) {
        struct db_stmt *s = db_query(req->db, "SELECT women_pct, explanation FROM score_sheets "
                                              "WHERE id = ?");
        db_bind_int(s, 1, sheet);
        if (db_step(s) == DB_ROW) {
            if (!db_col_is_null(s, 0)) {
                json_decref(women);
                women = score_x100(db_col_int(s, 0));
            }
            if (!db_col_is_null(s, 1)) {
                json_decref(expl);
                expl = json_string(db_col_text(s, 1));
            }
        }
        db_done(s);
    }
    json_object_set_new(m, "women_pct", women);
    json_object_set_new(m, "explanation", expl);
    adjustments(req, table, unit, sheet, total, m);
    free(units);
    free(answers);
    free(leaders);
    free(mine);
    free(points);
    free(sums);
    score_tree_free(&tr);
    return m;
}
