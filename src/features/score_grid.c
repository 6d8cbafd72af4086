/* The score grid (features/score_grid.h): one query for every answer of the
 * table, the points by the pure rules of domain/scoring.h, and per cell
 * whether the caller may write it in the current stage. The writes
 * themselves go through the sheet's own answer route
 * (POST /criteria/{id}/units/{unit}/answers), so the grid adds no second
 * way of changing a score. */
#include "features/score_grid.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/score_int.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

static const char *const kind_codes[] = {"group", "direct", "passfail", "occurrence", "target",
                                         NULL};

static enum score_kind kind_of(const char *k)
{
    for (int i = 0; kind_codes[i]; i++)
        if (k && strcmp(kind_codes[i], k) == 0)
            return (enum score_kind)i;
    return SCORE_DIRECT;
}

static int64_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static json_t *x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

/* The table's tree for the domain, in the JSON's tree order. */
struct tree {
    struct score_node *nodes;
    int64_t *ids;
    size_t n;
};

static void tree_of(json_t *table, struct tree *tr)
{
    json_t *nodes = json_object_get(table, "nodes");
    tr->n = json_array_size(nodes);
    tr->nodes = xmalloc((tr->n + 1) * sizeof *tr->nodes);
    tr->ids = xmalloc((tr->n + 1) * sizeof *tr->ids);
    for (size_t i = 0; i < tr->n; i++) {
        json_t *nd = json_array_get(nodes, i);
        tr->ids[i] = jint(nd, "id");
        int parent = -1;
        int64_t pid = jint(nd, "parent_id");
        for (size_t j = 0; j < i && pid; j++)
            if (tr->ids[j] == pid)
                parent = (int)j;
        tr->nodes[i] = (struct score_node){
            .code = jstr(nd, "code"), .name = jstr(nd, "name"), .parent = parent,
            .kind = kind_of(jstr(nd, "kind")), .max = jint(nd, "max_x100"),
            .each = jint(nd, "each_x100"), .capped = json_is_true(json_object_get(nd, "capped"))};
    }
}

long score_days_between(const char *from, const char *to)
{
    /* days from the civil date (H. Hinnant's algorithm): exact for any
     * Gregorian date, no time zone involved */
    long d[2];
    const char *s[2] = {from, to};
    for (int i = 0; i < 2; i++) {
        long y = atol(s[i]), m = atol(s[i] + 5), dd = atol(s[i] + 8);
        y -= m <= 2;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        d[i] = era * 146097 + doe;
    }
    return d[1] - d[0];
}

/* What the caller may do in the grid, found once per page (each is a query
 * or two): read every row (score_sees_all: the council, the office, the
 * table-year's head and deputy units), and the table-year's head and
 * deputy units (group_year_get, so the rights hold after 31 December of
 * the table's year: a review often runs into January). */
struct caller {
    bool all_rows;
    int64_t head, deputy;
};

static struct caller caller_of(struct request *req, json_t *t)
{
    struct caller c = {false, 0, 0};
    if (!req->user)
        return c;
    c.all_rows = score_sees_all(req, t);
    score_year_leaders(req, t, &c.head, &c.deputy);
    return c;
}

/* Who writes a cell of a row in the table's current stage: in 'self' the
 * unit's own officer (own) while its sheet is not submitted; in 'review1'
 * the officers of the group-year's head and deputy units, never on their
 * own row (the head's row is the deputy's to review and the deputy's the
 * head's), and the office only where no other unit leads the group — the
 * rule of score_review.c, which the answer route applies again; in
 * 'review2' the office (and the admin). *reason: the stage asks a reason
 * for each change. */
static bool may_write(struct request *req, json_t *t, const struct caller *c, int64_t unit,
                      bool own, bool submitted, bool *reason)
{
    *reason = false;
    if (!req->user || json_is_true(json_object_get(t, "is_draft")))
        return false;
    const char *stage = jstr(t, "stage");
    bool office = req->user->role == ROLE_OFFICE || req->user->role == ROLE_ADMIN;
    if (strcmp(stage, "self") == 0)
        return req->user->role == ROLE_UNIT && own && !submitted;
    if (strcmp(stage, "review1") == 0) {
        *reason = true;
        if (office)
            return !((c->head && c->head != unit) || (c->deputy && c->deputy != unit));
        int64_t mine = req->user->role == ROLE_UNIT ? req->user->unit_id : 0;
        return mine > 0 && (mine == c->head || mine == c->deputy) && !own;
    }
    if (strcmp(stage, "review2") == 0) {
        *reason = true;
        return office;
    }
    return false;
}

/* One answer as the grid shows it, per kind. */
static void cell_text(enum score_kind kd, const struct score_answer *a, json_t *cell)
{
    char v[32] = "", tg[32] = "";
    const char *shown = "";
    if (a->answered) {
        if (kd == SCORE_PASSFAIL || kd == SCORE_OCCURRENCE)
            snprintf(v, sizeof v, "%lld", (long long)a->value);
        else
            bloc_format_x100(a->value, v);
        if (kd == SCORE_TARGET)
            bloc_format_x100(a->target, tg);
        shown = kd == SCORE_PASSFAIL ? (a->value == 1 ? _("Đạt") : _("Không đạt")) : v;
    }
    json_object_set_new(cell, "value", json_string(v));
    json_object_set_new(cell, "target", json_string(tg));
    json_object_set_new(cell, "shown", json_string(shown));
    json_object_set_new(cell, "passed", json_boolean(a->answered && a->value == 1));
    json_object_set_new(cell, "failed", json_boolean(a->answered && a->value == 0));
}

/* The row's sheet status for people. */
static const char *status_name(int status)
{
    return status == 2 ? _("đã nộp") : status == 1 ? _("đang chấm") : _("chưa mở");
}

/* Every member's row. Answers of every sheet of the table come in one query
 * (leaders of target criteria are taken over all of them, as the sheet
 * does). */
static json_t *grid_rows(struct request *req, json_t *t, const struct tree *tr, json_t *members,
                         int *submitted_count, bool *any_edit, bool *reason)
{
    size_t nu = json_array_size(members), n = tr->n;
    struct score_answer *ans = calloc(nu * n + 1, sizeof *ans);
    int *status = calloc(nu + 1, sizeof *status);
    int64_t *version = calloc(nu + 1, sizeof *version);
    int64_t table_id = jint(t, "id");
    struct db_stmt *s = db_query(req->db, "SELECT s.unit_id, s.status, a.node_id, a.value_x100, "
                                          "a.target_x100, s.version FROM score_sheets s LEFT JOIN "
                                          "score_answers a ON a.sheet_id = s.id WHERE s.table_id "
                                          "= ? ORDER BY s.unit_id");
    db_bind_int(s, 1, table_id);
    size_t u = nu;
    int64_t last = 0;
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0);
        if (unit != last) {
            last = unit;
            for (u = 0; u < nu && jint(json_array_get(members, u), "unit_id") != unit; u++)
                ;
            if (u < nu) {
                status[u] = strcmp(db_col_text(s, 1), "submitted") == 0 ? 2 : 1;
                version[u] = db_col_int(s, 5);
            }
        }
        if (u == nu || db_col_is_null(s, 2))
            continue;
        int64_t node = db_col_int(s, 2);
        for (size_t i = 0; i < n; i++)
            if (tr->ids[i] == node) {
                ans[u * n + i] = (struct score_answer){
                    .answered = true, .value = db_col_int(s, 3),
                    .target = db_col_is_null(s, 4) ? 0 : db_col_int(s, 4)};
                break;
            }
    }
    db_done(s);
    struct score_table st = {tr->nodes, n};
    int64_t *leaders = calloc(n + 1, sizeof *leaders), *points = calloc(n + 1, sizeof *points),
            *own_leaders = calloc(n + 1, sizeof *own_leaders);
    score_leaders(&st, ans, nu, leaders);
    json_t *rows = json_array();
    struct caller who = caller_of(req, t);
    /* a reader of its own row only, while units score themselves, learns
     * nothing of other sheets: its target points are provisional, against
     * its own answers only (as the sheet's model does, score_model.c) */
    bool provisional = !who.all_rows && strcmp(jstr(t, "stage"), "self") == 0;
    bool has_target = false;
    for (size_t i = 0; i < n; i++)
        has_target = has_target || tr->nodes[i].kind == SCORE_TARGET;
    *submitted_count = 0;
    for (u = 0; u < nu; u++) {
        json_t *mb = json_array_get(members, u);
        int64_t unit = jint(mb, "unit_id");
        *submitted_count += status[u] == 2;
        /* a row is read as the sheet itself is (features/score_sheets.c): by
         * the unit's own officer and the managers of the year; and the council */
        bool own = scope_has_unit(req, unit);
        if (!own && !who.all_rows)
            continue;
        own = own && req->user && req->user->role == ROLE_UNIT;
        bool need_reason = false;
        bool edit = may_write(req, t, &who, unit, own, status[u] == 2, &need_reason);
        *any_edit = *any_edit || edit;
        *reason = *reason || (edit && need_reason);
        const struct score_answer *mine = ans + u * n;
        size_t leaves = 0, answered = 0;
        json_t *cells = json_array();
        for (size_t i = 0; i < n; i++) {
            enum score_kind kd = tr->nodes[i].kind;
            if (kd == SCORE_GROUP)
                continue;
            leaves++;
            answered += mine[i].answered;
            json_t *c = json_pack("{s:I,s:s,s:b,s:b,s:b,s:b,s:b,s:b}", "node_id",
                                  (json_int_t)tr->ids[i], "code", tr->nodes[i].code, "answered",
                                  mine[i].answered, "is_points", kd == SCORE_DIRECT,
                                  "is_passfail", kd == SCORE_PASSFAIL, "is_count",
                                  kd == SCORE_OCCURRENCE, "is_target", kd == SCORE_TARGET,
                                  "can_edit", edit);
            cell_text(kd, &mine[i], c);
            json_array_append_new(cells, c);
        }
        bool complete = leaves > 0 && answered == leaves;
        int64_t total = 0;
        int at_max = 0;
        if (provisional)
            score_leaders(&st, mine, 1, own_leaders);
        if (complete && score_unit(&st, mine, provisional ? own_leaders : leaders, points, &total,
                                   &at_max, NULL) != SCORE_OK)
            complete = false;
        const char *href = arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                        (long long)table_id, (long long)unit);
        json_t *row = json_pack(
            "{s:I,s:s,s:s,s:s,s:I,s:I,s:b,s:o,s:o,s:s,s:b,s:b,s:o,s:s}", "unit_id",
            (json_int_t)unit, "name", jstr(mb, "name"), "status",
            status[u] == 2 ? "submitted" : status[u] == 1 ? "draft" : "none", "status_name",
            status_name(status[u]), "answered", (json_int_t)answered, "criteria",
            (json_int_t)leaves, "complete", complete, "total",
            complete ? x100(total) : json_string(""), "total_x100",
            complete ? json_integer(total) : json_null(), "href", href, "can_edit", edit,
            "submitted", status[u] == 2, "cells", cells, "autosave",
            arena_printf(req->arena, "%s/answers", href));
        json_object_set_new(row, "reason", json_boolean(edit && need_reason));
        /* the sheet's version, sent back with every autosave (a sheet not
         * yet made starts at 1): a stale one gets 409, nothing written */
        json_object_set_new(row, "version", json_integer(status[u] ? version[u] : 1));
        json_object_set_new(row, "provisional", json_boolean(provisional && has_target));
        json_array_append_new(rows, row);
    }
    free(ans);
    free(status);
    free(version);
    free(own_leaders);
    free(leaders);
    free(points);
    return rows;
}

enum result score_grid_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    if (!t)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."),
                        (long long)id);
    int64_t group = jint(t, "group_id");
    int year = (int)jint(t, "year");
    if (!group_can_view_year(req, group, year)) {
        json_decref(t);
        return req_fail(req, E_FORBIDDEN, NULL,
                        _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này nên không "
                          "xem được bảng tổng hợp chấm điểm."));
    }
    struct tree tr;
    tree_of(t, &tr);
    json_t *columns = json_array();
    json_t *nd;
    size_t i;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        if (json_is_true(json_object_get(nd, "is_group")))
            continue;
        json_array_append_new(columns, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O}", "id",
                                                 json_object_get(nd, "id"), "code",
                                                 json_object_get(nd, "code"), "name",
                                                 json_object_get(nd, "name"), "max",
                                                 json_object_get(nd, "max"), "kind",
                                                 json_object_get(nd, "kind"), "kind_name",
                                                 json_object_get(nd, "kind_name")));
    }
    json_t *members = group_members(req->db, group, year);
    int submitted = 0;
    bool any_edit = false, reason = false;
    json_t *rows = grid_rows(req, t, &tr, members, &submitted, &any_edit, &reason);
    int units = (int)json_array_size(members);
    json_decref(members);
    free(tr.nodes);
    free(tr.ids);
    json_t *m = req->model;
    json_object_set_new(
        m, "progress",
        json_pack("{s:i,s:i,s:b,s:s}", "submitted", submitted, "units", units, "all",
                  units > 0 && submitted == units, "text",
                  arena_printf(req->arena, _("%d trên %d đơn vị đã nộp phiếu tự chấm"),
                               submitted, units)));
    json_object_set_new(m, "columns", columns);
    json_object_set_new(m, "has_columns", json_boolean(json_array_size(columns) > 0));
    json_object_set_new(m, "own_only", json_boolean(json_array_size(rows) < (size_t)units));
    bool provisional = false;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        provisional = provisional || json_is_true(json_object_get(r, "provisional"));
    }
    json_object_set_new(m, "provisional", json_boolean(provisional));
    json_object_set_new(m, "rows", rows);
    json_object_set_new(m, "can_edit", json_boolean(any_edit));
    json_object_set_new(m, "needs_reason", json_boolean(reason));
    json_object_set_new(m, "locked", json_boolean(!json_is_true(json_object_get(t, "is_draft"))));
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s,s:s}", "criteria",
                  arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)group, year),
                  "year", arena_printf(req->arena, "/groups/%lld/%d", (long long)group, year),
                  "cross", arena_printf(req->arena, "/criteria/%lld/cross", (long long)id)));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    return OK;
}

/* The deadline of the table's current stage, and how far it is from today. */
static void due_of(struct request *req, json_t *item, const char *due, const char *today)
{
    char dmy[11] = "";
    const char *text = "";
    bool overdue = false;
    if (due) {
        date_to_dmy(due, dmy);
        long d = score_days_between(today, due);
        overdue = d < 0;
        text = d > 0   ? arena_printf(req->arena, _("còn %ld ngày"), d)
               : d < 0 ? arena_printf(req->arena, _("quá hạn %ld ngày"), -d)
                       : _("hôm nay");
    }
    json_object_set_new(item, "due", due ? json_string(due) : json_null());
    json_object_set_new(item, "due_dmy", json_string(dmy));
    json_object_set_new(item, "due_text", json_string(text));
    json_object_set_new(item, "overdue", json_boolean(overdue));
}

static const char *stage_due(const char *stage, const char *dues[4])
{
    static const char *const stages[] = {"self", "review1", "explain", "review2"};
    for (int i = 0; i < 4; i++)
        if (strcmp(stage, stages[i]) == 0)
            return dues[i];
    return NULL;
}

static json_t *home_item(struct request *req, struct db_stmt *s, const char *today,
                         const char *todo, const char *link)
{
    const char *dues[4];
    for (int i = 0; i < 4; i++)
        dues[i] = db_col_is_null(s, 5 + i) ? NULL : db_col_text(s, 5 + i);
    const char *stage = db_col_text(s, 4);
    json_t *item = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "table_id",
                             (json_int_t)db_col_int(s, 0), "group", db_col_text(s, 1), "title",
                             db_col_text(s, 2), "year", (json_int_t)db_col_int(s, 3), "stage",
                             stage, "stage_name", criteria_stage_name(stage), "todo", todo,
                             "link", link);
    due_of(req, item, stage_due(stage, dues), today);
    return item;
}

#define HOME_COLUMNS                                                                            \
    "c.id, g.name, c.title, c.year, c.stage, c.self_due, c.review1_due, c.explain_due, "      \
    "c.review2_due, c.mode"

/* A unit officer: each locked table of their unit's groups this year and
 * last year, until its scoring is closed; the head and the deputy unit of
 * the table's group-year both get review 1 (score_review.c). */
static void home_unit(struct request *req, json_t *out, const char *today)
{
    int64_t unit = req->user->unit_id;
    struct db_stmt *s = db_query(
        req->db,
        "SELECT " HOME_COLUMNS ", CASE WHEN y.head_unit_id = m.unit_id OR y.deputy_unit_id = "
        "m.unit_id THEN 1 ELSE 0 END, "
        "(SELECT x.status FROM score_sheets x WHERE x.table_id = c.id AND x.unit_id = m.unit_id), "
        "(SELECT count(*) FROM cross_marks k WHERE k.table_id = c.id AND k.scorer_unit = "
        "m.unit_id), (SELECT count(*) FROM group_members o WHERE o.group_id = c.group_id AND "
        "o.year = c.year AND o.unit_id <> m.unit_id AND (o.left_on IS NULL OR o.left_on > ?)), "
        "(SELECT count(*) FROM score_sheets x WHERE x.table_id = c.id AND x.status = "
        "'submitted') "
        "FROM group_members m JOIN criteria_tables c ON c.group_id = m.group_id AND c.year = "
        "m.year JOIN emulation_groups g ON g.id = c.group_id JOIN group_years y ON y.group_id = "
        "m.group_id AND y.year = m.year WHERE m.unit_id = ? AND m.year IN (?, ?) AND c.status = "
        "'locked' AND (c.stage <> 'locked' OR c.year = ?) AND (m.left_on IS NULL OR m.left_on > "
        "?) ORDER BY c.year DESC, g.code");
    db_bind_text(s, 1, today);
    db_bind_int(s, 2, unit);
    db_bind_int(s, 3, atoi(today));
    /* last year's tables too while not closed: review 1 often runs into
     * January and deadlines may reach 31 March of the next year */
    db_bind_int(s, 4, atoi(today) - 1);
    db_bind_int(s, 5, atoi(today)); /* this year's locked results: a link to the ranking */
    db_bind_text(s, 6, today);
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        const char *stage = db_col_text(s, 4);
        bool cross = strcmp(db_col_text(s, 9), "cross") == 0, head = db_col_int(s, 10) == 1;
        bool sent = !db_col_is_null(s, 11) && strcmp(db_col_text(s, 11), "submitted") == 0;
        long marks = (long)db_col_int(s, 12), others = (long)db_col_int(s, 13);
        long submitted = (long)db_col_int(s, 14);
        const char *stage_page = arena_printf(req->arena, "/criteria/%lld/stage", (long long)id);
        bool done = false; /* this unit's part of the stage is done: no "quá hạn" */
        const char *sheet = arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)id,
                                         (long long)unit);
        const char *grid = arena_printf(req->arena, "/criteria/%lld/grid", (long long)id);
        const char *todo = "", *link = sheet;
        if (strcmp(stage, "locked") == 0) {
            todo = _("Kết quả chấm điểm, xếp hạng đã khóa: xem kết quả");
            link = arena_printf(req->arena, "/criteria/%lld/ranking", (long long)id);
            done = true;
        } else if (strcmp(stage, "self") == 0 && cross) {
            todo = marks < others ? arena_printf(req->arena,
                                                 _("Chấm chéo các đơn vị thành viên (đã chấm %ld "
                                                   "trên %ld đơn vị)"),
                                                 marks, others)
                                  : _("Đã chấm chéo đủ các đơn vị thành viên");
            link = arena_printf(req->arena, "/criteria/%lld/cross", (long long)id);
            done = marks >= others;
        } else if (strcmp(stage, "self") == 0) {
            todo = sent ? _("Đã nộp phiếu tự chấm, chờ thẩm định")
                        : _("Tự chấm và nộp phiếu tự chấm của đơn vị");
            done = sent;
        } else if (strcmp(stage, "review1") == 0) {
            todo = head ? _("Thẩm định lần 1 phiếu tự chấm của các đơn vị thành viên")
                        : _("Chờ đơn vị Trưởng khối, cụm thẩm định lần 1");
            if (head)
                link = grid;
        } else if (strcmp(stage, "explain") == 0) {
            todo = _("Giải trình kết quả thẩm định lần 1 (nếu có ý kiến)");
        } else if (strcmp(stage, "review2") == 0) {
            todo = _("Chờ cơ quan thường trực thẩm định lần 2");
            done = true;
        }
        json_t *item = home_item(req, s, today, todo, link);
        if (done)
            json_object_set_new(item, "overdue", json_false());
        json_array_append_new(out, item);
        /* the head and deputy also close the self stage (score_stage.c) */
        if (head && strcmp(stage, "self") == 0) {
            long members = others + 1;
            const char *follow =
                cross ? _("Theo dõi chấm chéo của các đơn vị và chuyển sang thẩm định lần 1")
                      : arena_printf(req->arena,
                                     _("Theo dõi tự chấm (%ld trên %ld đơn vị đã nộp) và chuyển "
                                       "sang thẩm định lần 1"),
                                     submitted, members);
            item = home_item(req, s, today, follow, stage_page);
            json_array_append_new(out, item);
        }
    }
    db_done(s);
}

/* The office: tables in review 2, and tables still in self-scoring past
 * their deadline with members that have not submitted. */
static void home_office(struct request *req, json_t *out, const char *today)
{
    struct db_stmt *s = db_query(
        req->db,
        "SELECT " HOME_COLUMNS ", (SELECT count(*) FROM group_members o WHERE o.group_id = "
        "c.group_id AND o.year = c.year AND NOT EXISTS (SELECT 1 FROM score_sheets x WHERE "
        "x.table_id = c.id AND x.unit_id = o.unit_id AND x.status = 'submitted')) FROM "
        "criteria_tables c JOIN emulation_groups g ON g.id = c.group_id WHERE c.status = "
        "'locked' AND (c.stage IN ('explain', 'review2') OR (c.stage = 'self' AND c.mode = "
        "'self' AND c.self_due < ?)) ORDER BY c.stage DESC, c.year DESC, g.code");
    db_bind_text(s, 1, today);
    while (db_step(s) == DB_ROW) {
        long missing = (long)db_col_int(s, 10);
        const char *stage = db_col_text(s, 4);
        bool review2 = strcmp(stage, "review2") == 0, explain = strcmp(stage, "explain") == 0;
        if (!review2 && !explain && missing == 0)
            continue;
        long long id = (long long)db_col_int(s, 0);
        /* review 2 happens in the grid; closing a stage on the stage page */
        const char *todo =
            review2   ? _("Thẩm định lần 2 kết quả chấm điểm")
            : explain ? _("Đơn vị đang giải trình: chuyển sang thẩm định lần 2 khi hết hạn")
                      : arena_printf(req->arena,
                                     _("Đã quá hạn tự chấm: %ld đơn vị chưa nộp phiếu; khép giai "
                                       "đoạn tự chấm"),
                                     missing);
        const char *link = review2 ? arena_printf(req->arena, "/criteria/%lld/grid", id)
                                   : arena_printf(req->arena, "/criteria/%lld/stage", id);
        json_array_append_new(out, home_item(req, s, today, todo, link));
    }
    db_done(s);
}

/* The council: this year's and last year's rankings once review 2 has
 * begun (what the council will weigh proposals against). */
static void home_council(struct request *req, json_t *out, const char *today)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT " HOME_COLUMNS " FROM criteria_tables c JOIN emulation_groups g ON "
                 "g.id = c.group_id WHERE c.status = 'locked' AND c.stage IN ('review2', "
                 "'locked') AND c.year IN (?, ?) ORDER BY c.year DESC, g.code");
    db_bind_int(s, 1, atoi(today));
    db_bind_int(s, 2, atoi(today) - 1);
    while (db_step(s) == DB_ROW) {
        bool locked = strcmp(db_col_text(s, 4), "locked") == 0;
        json_t *item = home_item(
            req, s, today,
            locked ? _("Kết quả xếp hạng đã khóa") : _("Kết quả xếp hạng (đang thẩm định lần 2)"),
            arena_printf(req->arena, "/criteria/%lld/ranking", (long long)db_col_int(s, 0)));
        json_object_set_new(item, "overdue", json_false());
        json_array_append_new(out, item);
    }
    db_done(s);
}

json_t *score_home(struct request *req)
{
    json_t *out = json_array();
    if (!req->user)
        return out;
    char today[11];
    date_today(today);
    if (req->user->role == ROLE_UNIT && req->user->unit_id > 0)
        home_unit(req, out, today);
    else if (req->user->role == ROLE_OFFICE || req->user->role == ROLE_ADMIN)
        home_office(req, out, today);
    else if (req->user->role == ROLE_COUNCIL)
        home_council(req, out, today);
    return out;
}
