/* The year of a group: /groups/{id}/{year} — members, head and deputy, the
 * handover, and the timeline of the year (pledge, movements, conferences,
 * results, elections, documents, news) in date order. */
#include "features/groups.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/docnum.h"
#include "features/pledges.h"
#include "features/criteria.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* One timeline event: sorted by date, then by the order the kinds happen
 * in on one day (a conference before the election it holds). */
static void add_event(json_t *events, const char *date, int order, const char *kind,
                      const char *text, const char *link)
{
    char dmy[11];
    date_to_dmy(date, dmy);
    json_array_append_new(events,
                          json_pack("{s:s,s:s,s:i,s:s,s:s,s:s?}", "date", date, "date_dmy", dmy,
                                    "order", order, "kind", kind, "text", text, "link", link));
}

static int event_cmp(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "date")),
                   json_string_value(json_object_get(y, "date")));
    if (c)
        return c;
    return (int)(json_integer_value(json_object_get(x, "order")) -
                 json_integer_value(json_object_get(y, "order")));
}

static const char *conference_kind_name(const char *kind)
{
    if (strcmp(kind, "pledge") == 0)
        return _("Hội nghị ký kết giao ước thi đua");
    if (strcmp(kind, "midyear") == 0)
        return _("Hội nghị sơ kết 6 tháng");
    if (strcmp(kind, "yearend") == 0)
        return _("Hội nghị tổng kết năm");
    return _("Hội nghị");
}

/* The events of the year, in order, with what the page lists beside them. */
static json_t *timeline(struct request *req, int64_t gid, int year, json_t *model)
{
    struct db *db = req->db;
    struct arena *a = req->arena;
    json_t *ev = json_array();
    char first[11], next_first[11];
    date_year_start(year, first);
    date_year_start(year + 1, next_first);

    /* membership changes during the year */
    struct db_stmt *s = db_query(db, "SELECT m.joined_on, m.left_on, u.name FROM group_members m "
                                     "JOIN units u ON u.id = m.unit_id WHERE m.group_id = ? AND "
                                     "m.year = ? AND (m.joined_on IS NOT NULL OR m.left_on IS NOT "
                                     "NULL)");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    while (db_step(s) == DB_ROW) {
        if (!db_col_is_null(s, 0))
            add_event(ev, db_col_text(s, 0), 0, "member",
                      arena_printf(a, _("%s gia nhập khối"), db_col_text(s, 2)), NULL);
        if (!db_col_is_null(s, 1))
            add_event(ev, db_col_text(s, 1), 0, "member",
                      arena_printf(a, _("%s rời khối"), db_col_text(s, 2)), NULL);
    }
    db_done(s);

    /* the pledge: opened, each signature, signed by all */
    json_t *pledge = json_null();
    s = db_query(db, "SELECT id, title, status, opened_on, signed_on, (SELECT count(*) FROM "
                     "pledge_signatures x WHERE x.pledge_id = p.id) FROM pledges p WHERE "
                     "group_id = ? AND year = ?");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    int64_t pledge_id = 0;
    if (db_step(s) == DB_ROW) {
        pledge_id = db_col_int(s, 0);
        const char *link = arena_printf(a, "/pledges/%lld", (long long)pledge_id);
        pledge = json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)pledge_id, "title",
                           db_col_text(s, 1), "status", db_col_text(s, 2), "signatures",
                           (json_int_t)db_col_int(s, 5), "link", link);
        if (!db_col_is_null(s, 3))
            add_event(ev, db_col_text(s, 3), 1, "pledge",
                      arena_printf(a, _("Mở ký %s"), db_col_text(s, 1)), link);
        if (!db_col_is_null(s, 4))
            add_event(ev, db_col_text(s, 4), 3, "pledge",
                      _("Tất cả đơn vị thành viên đã ký giao ước thi đua"), link);
    }
    db_done(s);
    if (pledge_id) {
        s = db_query(db, "SELECT x.signed_on, u.name, x.signer_name, x.signer_title FROM "
                         "pledge_signatures x JOIN units u ON u.id = x.unit_id WHERE "
                         "x.pledge_id = ?");
        db_bind_int(s, 1, pledge_id);
        while (db_step(s) == DB_ROW)
            add_event(ev, db_col_text(s, 0), 2, "signature",
                      arena_printf(a, _("%s ký giao ước (%s, %s)"), db_col_text(s, 1),
                                   db_col_text(s, 2), db_col_text(s, 3)),
                      arena_printf(a, "/pledges/%lld", (long long)pledge_id));
        db_done(s);
    }
    json_object_set_new(model, "pledge", pledge);

    /* movements the group launched or takes part in, launched this year */
    json_t *movements = json_array();
    s = db_query(db, "SELECT id, name, launched_on, starts_on, ends_on, status FROM movements "
                     "WHERE (launcher_group_id = ? OR (status <> 'draft' AND id IN (SELECT "
                     "movement_id FROM movement_participants WHERE group_id = ?))) AND starts_on "
                     "< ? AND ends_on >= ? ORDER BY starts_on, id");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, gid);
    db_bind_text(s, 3, next_first);
    db_bind_text(s, 4, first);
    while (db_step(s) == DB_ROW) {
        const char *link = arena_printf(a, "/movements/%lld", (long long)db_col_int(s, 0));
        char from[11], to[11];
        date_to_dmy(db_col_text(s, 3), from);
        date_to_dmy(db_col_text(s, 4), to);
        json_array_append_new(movements,
                              json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id",
                                        (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
                                        "from", from, "to", to, "status", db_col_text(s, 5),
                                        "link", link));
        const char *launched = db_col_is_null(s, 2) ? NULL : db_col_text(s, 2);
        if (launched && strcmp(launched, first) >= 0 && strcmp(launched, next_first) < 0)
            add_event(ev, launched, 1, "movement",
                      arena_printf(a, _("Phát động phong trào \"%s\""), db_col_text(s, 1)), link);
    }
    db_done(s);
    json_object_set_new(model, "movements", movements);

    /* conferences, with attendance and quorum; their decisions and elections */
    json_t *conferences = json_array();
    json_t *g = json_object_get(model, "group");
    int qn = (int)json_integer_value(json_object_get(g, "quorum_num"));
    int qd = (int)json_integer_value(json_object_get(g, "quorum_den"));
    s = db_query(db, "SELECT c.id, c.kind, c.title, c.held_on, c.place, (SELECT count(*) FROM "
                     "conference_attendance t WHERE t.conference_id = c.id AND t.present = 1), "
                     "(SELECT count(*) FROM conference_reports r WHERE r.conference_id = c.id), "
                     "(SELECT count(DISTINCT r.unit_id) FROM conference_reports r WHERE "
                     "r.conference_id = c.id) FROM conferences c WHERE c.group_id = ? AND c.year "
                     "= ? ORDER BY c.held_on, c.id");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    while (db_step(s) == DB_ROW) {
        int64_t cid = db_col_int(s, 0);
        const char *held = db_col_text(s, 3);
        int members = group_member_count(db, gid, year, held);
        int present = (int)db_col_int(s, 5);
        const char *link = arena_printf(a, "/conferences/%lld", (long long)cid);
        char dmy[11];
        date_to_dmy(held, dmy);
        json_array_append_new(
            conferences,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:b,s:s}", "id", (json_int_t)cid, "kind",
                      db_col_text(s, 1), "kind_name", conference_kind_name(db_col_text(s, 1)),
                      "title", db_col_text(s, 2), "held_on", held, "held_on_dmy", dmy, "present",
                      present, "members", members, "quorum_met",
                      bloc_quorum_met(present, members, qn, qd), "link", link));
        add_event(ev, held, 4, "conference",
                  arena_printf(a, _("%s (%d/%d đơn vị có mặt)"), db_col_text(s, 2), present,
                               members),
                  link);
        if (db_col_int(s, 6) > 0)
            add_event(ev, held, 5, "result",
                      arena_printf(a, _("%lld đơn vị báo cáo kết quả thực hiện giao ước"),
                                   (long long)db_col_int(s, 7)),
                      link);
    }
    db_done(s);
    json_object_set_new(model, "conferences", conferences);
    s = db_query(db, "SELECT d.kind, d.content, c.held_on, c.id FROM conference_decisions d "
                     "JOIN conferences c ON c.id = d.conference_id WHERE c.group_id = ? AND "
                     "c.year = ? ORDER BY c.held_on, c.id, d.position, d.id");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    while (db_step(s) == DB_ROW) {
        bool election = strcmp(db_col_text(s, 0), "election") == 0;
        add_event(ev, db_col_text(s, 2), election ? 7 : 6, election ? "election" : "decision",
                  db_col_text(s, 1), arena_printf(a, "/conferences/%lld", (long long)db_col_int(s, 3)));
    }
    db_done(s);

    /* the handover to this year's head (recorded on this year's row) and
     * from this year's head to the next (on next year's row) */
    for (int k = 0; k < 2; k++) {
        s = db_query(db, "SELECT y.handover_on, y.year, h.name FROM group_years y LEFT JOIN "
                         "units h ON h.id = y.head_unit_id WHERE y.group_id = ? AND y.year = ? "
                         "AND y.handover_on IS NOT NULL");
        db_bind_int(s, 1, gid);
        db_bind_int(s, 2, year + k);
        if (db_step(s) == DB_ROW)
            add_event(ev, db_col_text(s, 0), 8, "handover",
                      arena_printf(a, _("Bàn giao nhiệm vụ %s năm %lld cho %s"),
                                   json_string_value(json_object_get(g, "head_title")),
                                   (long long)db_col_int(s, 1),
                                   db_col_is_null(s, 2) ? "" : db_col_text(s, 2)),
                      NULL);
        db_done(s);
    }

    /* documents issued for the group this year */
    json_t *documents = json_array();
    s = db_query(db, "SELECT id, number, symbol, subject, issued_on FROM documents WHERE "
                     "group_id = ? AND year = ? ORDER BY issued_on, number");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    while (db_step(s) == DB_ROW) {
        char number[200];
        docnum_format(db_col_int(s, 1), db_col_text(s, 2), number, sizeof number);
        const char *link = arena_printf(a, "/documents/%lld", (long long)db_col_int(s, 0));
        json_array_append_new(documents,
                              json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(s, 0),
                                        "number", number, "subject", db_col_text(s, 3), "link",
                                        link));
        add_event(ev, db_col_text(s, 4), 9, "document",
                  arena_printf(a, _("Văn bản số %s: %s"), number, db_col_text(s, 3)), link);
    }
    db_done(s);
    json_object_set_new(model, "documents", documents);

    /* news published from the group's conferences */
    s = db_query(db, "SELECT n.slug, n.title, n.published_on FROM news n JOIN conferences c ON "
                     "c.id = n.conference_id WHERE c.group_id = ? AND c.year = ? AND n.status = "
                     "'published' AND n.published_on IS NOT NULL");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    while (db_step(s) == DB_ROW)
        add_event(ev, db_col_text(s, 2), 10, "news",
                  arena_printf(a, _("Đăng tin: %s"), db_col_text(s, 1)),
                  arena_printf(a, "/news/%s", db_col_text(s, 0)));
    db_done(s);

    size_t n = json_array_size(ev);
    json_t **items = arena_alloc(a, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(ev, i);
    qsort(items, n, sizeof *items, event_cmp);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(sorted, items[i]);
    json_decref(ev);
    return sorted;
}

static bool is_office(const struct request *req)
{
    return req->user && (req->user->role & (ROLE_ADMIN | ROLE_OFFICE));
}

/* The group of the path and its year ({id}/{year}); NULL with the request
 * failed when either is missing or hidden from the caller. */
static json_t *year_of_path(struct request *req, json_t **group)
{
    *group = group_of_path(req);
    if (!*group)
        return NULL;
    int64_t gid = json_integer_value(json_object_get(*group, "id"));
    int year = (int)req_path_int(req, "year");
    json_t *y = group_year_get(req->db, gid, year);
    if (!y) {
        json_decref(*group);
        *group = NULL;
        req_fail(req, E_NOTFOUND, NULL, _("Khối, cụm này chưa có năm %d."), year);
    } else if (!group_can_view_year(req, gid, year)) {
        json_decref(*group);
        json_decref(y);
        *group = NULL;
        y = NULL;
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm này trong năm %d."), year);
    }
    return y;
}

/* The ids of the path's group and year for a write: the year row (the
 * caller's, to decref), or NULL with the request failed (404, 403). */
static json_t *year_for_write(struct request *req, int64_t *gid, int *year)
{
    json_t *g;
    json_t *y = year_of_path(req, &g);
    if (!y)
        return NULL;
    *gid = json_integer_value(json_object_get(g, "id"));
    *year = (int)req_path_int(req, "year");
    json_decref(g);
    return y;
}

/* Active units that are not members of the year, for the form that adds one. */
static json_t *candidate_options(struct db *db, int64_t gid, int year)
{
    struct db_stmt *s = db_query(
        db, "SELECT u.id, u.name, u.code FROM units u WHERE u.active_to IS NULL AND u.parent_id "
            "IS NOT NULL AND u.id NOT IN (SELECT unit_id FROM group_members WHERE group_id = ? "
            "AND year = ?) ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(out, json_pack("{s:I,s:s,s:s}", "value",
                                             (json_int_t)db_col_int(s, 0), "name",
                                             db_col_text(s, 1), "code", db_col_text(s, 2)));
    db_done(s);
    return out;
}

enum result group_year_show(struct request *req)
{
    json_t *g;
    json_t *y = year_of_path(req, &g);
    if (!y)
        return req->err.code;
    int64_t gid = json_integer_value(json_object_get(g, "id"));
    int year = (int)req_path_int(req, "year");
    json_t *m = req->model;
    json_object_set_new(m, "group", g);
    json_object_set_new(m, "year", y);
    json_t *members = group_members(req->db, gid, year);
    int active = 0;
    size_t i;
    json_t *it;
    json_array_foreach(members, i, it)
    {
        active += !json_is_true(json_object_get(it, "left"));
        /* a unit's page opens for those whose scope holds it: no dead links */
        json_object_set_new(it, "linkable",
                            json_boolean(scope_has_unit(
                                req, json_integer_value(json_object_get(it, "unit_id")))));
    }
    json_object_set_new(m, "members", members);
    json_object_set_new(m, "member_count", json_integer(active));
    json_object_set_new(m, "timeline", timeline(req, gid, year, m));
    bool office = is_office(req);
    json_object_set_new(m, "can_edit", json_boolean(office));
    json_object_set_new(m, "can_manage", json_boolean(group_can_manage(req, gid, year)));
    /* the criteria table of the year, if any (features/criteria.c) */
    struct db_stmt *cs = db_query(req->db, "SELECT title, status, id, stage FROM criteria_tables WHERE "
                                           "group_id = ? AND year = ?");
    db_bind_int(cs, 1, gid);
    db_bind_int(cs, 2, year);
    json_t *criteria = json_null();
    if (db_step(cs) == DB_ROW)
        criteria = json_pack("{s:s,s:b,s:s,s:I,s:s}", "title", db_col_text(cs, 0), "locked",
                             strcmp(db_col_text(cs, 1), "locked") == 0, "link",
                             arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)gid,
                                          year),
                             "id", (json_int_t)db_col_int(cs, 2), "stage_name",
                             criteria_stage_name(db_col_text(cs, 3)));
    db_done(cs);
    json_object_set_new(m, "criteria", criteria);
    if (office) {
        json_object_set_new(m, "candidates", candidate_options(req->db, gid, year));
        int64_t head = json_integer_value(json_object_get(json_object_get(y, "head"), "id"));
        int64_t deputy = json_integer_value(json_object_get(json_object_get(y, "deputy"), "id"));
        json_object_set_new(m, "head_options", group_member_options(req->db, gid, year, head));
        json_object_set_new(m, "deputy_options",
                            group_member_options(req->db, gid, year, deputy));
    }
    json_t *prev = group_year_get(req->db, gid, year - 1), *next = group_year_get(req->db, gid,
                                                                                   year + 1);
    json_object_set_new(m, "prev_year", prev ? json_integer(year - 1) : json_null());
    json_object_set_new(m, "next_year", next ? json_integer(year + 1) : json_null());
    /* this year's head records the handover to next year's head, once the
     * year-end conference (or the office) has named one */
    bool next_head = next && json_is_object(json_object_get(next, "head"));
    json_object_set_new(m, "can_hand_over",
                        json_boolean(next_head && group_can_manage(req, gid, year)));
    if (next_head)
        json_object_set_new(m, "next", json_incref(next));
    json_decref(prev);
    json_decref(next);
    char today[11], dmy[11];
    date_today(today);
    date_to_dmy(today, dmy);
    json_object_set_new(m, "today_dmy", json_string(dmy));
    return OK;
}

/* The year page again with the refusal beside its field (422), so the
 * office sees what was wrong where it typed it; JSON callers get the same
 * errors object. */
static enum result refuse(struct request *req, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum result year_again(struct request *req)
{
    enum result rc = group_year_show(req);
    if (rc != OK)
        return rc;
    req->status = 422;
    req->template = "groups/year";
    return OK;
}

static enum result refuse(struct request *req, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    req_field_error(req, field, "%s", msg);
    enum result rc = group_year_show(req);
    if (rc != OK)
        return rc;
    req->status = 422;
    req->template = "groups/year";
    return OK;
}

/* The day of the year's last conference with attendance recorded ("" when
 * none, else ISO in out): membership may not change on or before it, or
 * the quorum, minutes and news of a meeting already held would change. */
static bool last_recorded_meeting(struct db *db, int64_t gid, int year, char out[11])
{
    struct db_stmt *s = db_query(db, "SELECT max(c.held_on) FROM conferences c WHERE "
                                     "c.group_id = ? AND c.year = ? AND EXISTS (SELECT 1 FROM "
                                     "conference_attendance a WHERE a.conference_id = c.id)");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    out[0] = 0;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0))
        snprintf(out, 11, "%s", db_col_text(s, 0));
    db_done(s);
    return out[0] != 0;
}

/* Claims the year's row for the write in the open transaction: version + 1,
 * and when the form sent the version it was opened with, only from that
 * one (two offices editing the same year: the second is told, nothing is
 * written). On refusal the transaction is rolled back and the request
 * failed (409). */
static enum result claim_year(struct request *req, int64_t gid, int year)
{
    int64_t version = req_int(req, "version", 0);
    struct db_stmt *s = db_query(req->db, "UPDATE group_years SET version = version + 1 WHERE "
                                          "group_id = ? AND year = ? AND (? = 0 OR version = ?) "
                                          "RETURNING version");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, version);
    db_bind_int(s, 4, version);
    bool claimed = db_step(s) == DB_ROW;
    bool failed = db_done(s) == DB_ERROR;
    if (claimed && !failed)
        return OK;
    db_rollback(req->db);
    if (failed)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_fail(req, E_CONFLICT, "version",
                    _("Năm này của khối, cụm vừa được người khác cập nhật. Hãy mở lại trang để "
                      "xem bản mới nhất rồi làm lại."));
}

/* A date of the form must fall inside the year. */
static bool date_in_year(const char *iso, int year)
{
    return iso && atoi(iso) == year;
}

static enum result finish(struct request *req, int64_t gid, int year, const char *action,
                          json_t *before, const char *flash)
{
    json_t *after = group_year_get(req->db, gid, year);
    json_object_set_new(after, "members", group_members(req->db, gid, year));
    enum result rc = audit_record(req, action, "group_year", gid, before, after);
    json_decref(before);
    json_decref(after);
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK) {
        db_rollback(req->db);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    json_object_set_new(req->model, "year", group_year_get(req->db, gid, year));
    json_object_set_new(req->model, "members", group_members(req->db, gid, year));
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d", (long long)gid, year),
                        flash);
}

static json_t *state_of(struct db *db, int64_t gid, int year)
{
    json_t *y = group_year_get(db, gid, year);
    if (y)
        json_object_set_new(y, "members", group_members(db, gid, year));
    return y;
}

/* POST /groups/{id}/{year}/members: the office adds a member; joined_on
 * (inside the year) marks a unit that joins during it. */
enum result group_member_add(struct request *req)
{
    int64_t gid;
    int year;
    json_t *y = year_for_write(req, &gid, &year);
    if (!y)
        return req->err.code;
    json_decref(y);
    int64_t unit = req_int(req, "unit_id", 0);
    const char *joined = req_text(req, "joined_on");
    if (!unit)
        req_field_error(req, "unit_id", _("Hãy chọn đơn vị."));
    if (joined && !date_in_year(joined, year))
        req_field_error(req, "joined_on", _("Ngày gia nhập phải trong năm %d."), year);
    if (req_has_errors(req))
        return year_again(req);
    char last[11], last_dmy[11];
    if (last_recorded_meeting(req->db, gid, year, last) && (!joined || strcmp(joined, last) <= 0)) {
        date_to_dmy(last, last_dmy);
        return refuse(req, "joined_on",
                      _("Khối đã họp và điểm danh ngày %s: hãy nhập ngày gia nhập sau ngày đó, "
                        "để số thành viên của các hội nghị đã họp giữ nguyên."),
                      last_dmy);
    }
    json_t *u = unit_get(req->db, unit);
    if (!u)
        return refuse(req, "unit_id", _("Không có đơn vị số %lld."),
                        (long long)unit);
    const char *name = arena_strdup(req->arena, json_string_value(json_object_get(u, "name")));
    bool inactive = json_is_string(json_object_get(u, "active_to"));
    json_decref(u);
    if (inactive)
        return refuse(req, "unit_id", _("%s đã ngừng hoạt động."), name);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (claim_year(req, gid, year) != OK)
        return req->err.code;
    json_t *before = state_of(req->db, gid, year);
    struct db_stmt *s = db_query(req->db, "INSERT INTO group_members (group_id, year, unit_id, "
                                          "joined_on) VALUES (?, ?, ?, ?)");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, unit);
    db_bind_text(s, 4, joined);
    if (db_run(s) != DB_DONE) {
        bool dup = db_last_was_unique_violation(req->db);
        db_rollback(req->db);
        json_decref(before);
        if (dup)
            return refuse(req, "unit_id", _("%s đã là thành viên năm %d."), name, year);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    req->status = 201;
    return finish(req, gid, year, "add_member", before,
                  arena_printf(req->arena, _("Đã thêm %s vào khối năm %d."), name, year));
}

/* POST /groups/{id}/{year}/members/{unit}/leave: a member leaves during the
 * year; it is then no longer asked to sign and not counted after that day. */
enum result group_member_leave(struct request *req)
{
    if (req_has_errors(req)) /* a date that does not exist, a number out of range */
        return year_again(req);
    int64_t gid;
    int year;
    json_t *y = year_for_write(req, &gid, &year);
    if (!y)
        return req->err.code;
    int64_t unit = req_path_int(req, "unit");
    int64_t head = json_integer_value(json_object_get(json_object_get(y, "head"), "id"));
    int64_t deputy = json_integer_value(json_object_get(json_object_get(y, "deputy"), "id"));
    json_decref(y);
    const char *left = req_text(req, "left_on");
    if (!left)
        return refuse(req, "left_on", _("Hãy nhập ngày rời khối."));
    if (!date_in_year(left, year))
        return refuse(req, "left_on", _("Ngày rời khối phải trong năm %d."), year);
    if (unit == head || unit == deputy)
        return refuse(req, "unit",
                        _("Đơn vị đang là Trưởng khối hoặc Phó khối: hãy chọn đơn vị khác giữ "
                          "nhiệm vụ trước khi ghi nhận rời khối."));
    char last[11], last_dmy[11];
    if (last_recorded_meeting(req->db, gid, year, last) && strcmp(left, last) <= 0) {
        date_to_dmy(last, last_dmy);
        return refuse(req, "left_on",
                      _("Khối đã họp và điểm danh ngày %s: ngày rời phải sau ngày đó, để số "
                        "thành viên của các hội nghị đã họp giữ nguyên."),
                      last_dmy);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (claim_year(req, gid, year) != OK)
        return req->err.code;
    json_t *before = state_of(req->db, gid, year);
    struct db_stmt *s = db_query(
        req->db, "UPDATE group_members SET left_on = ? WHERE group_id = ? AND year = ? AND "
                 "unit_id = ? AND left_on IS NULL AND (joined_on IS NULL OR joined_on <= ?) "
                 "RETURNING unit_id");
    db_bind_text(s, 1, left);
    db_bind_int(s, 2, gid);
    db_bind_int(s, 3, year);
    db_bind_int(s, 4, unit);
    db_bind_text(s, 5, left);
    bool done = db_step(s) == DB_ROW;
    if (db_done(s) == DB_ERROR || !done) {
        db_rollback(req->db);
        json_decref(before);
        return req_fail(req, done ? E_DB : E_INVALID, "unit",
                        _("Đơn vị này không là thành viên đang tham gia năm %d (hoặc ngày rời "
                          "trước ngày gia nhập)."),
                        year);
    }
    /* the one who left was perhaps the last one the pledge waited for: then
     * the pledge is complete, and its own history says so */
    int64_t pid = pledge_id_of(req->db, gid, year);
    json_t *pledge_before = pid ? pledge_get(req->db, pid) : NULL;
    bool completed = false;
    enum result prc = pledge_recheck(req->db, gid, year, &completed);
    if (prc == OK && completed) {
        json_t *pledge_after = pledge_get(req->db, pid);
        prc = audit_record(req, "complete", "pledge", pid, pledge_before, pledge_after);
        json_decref(pledge_after);
    }
    json_decref(pledge_before);
    if (prc != OK) {
        db_rollback(req->db);
        json_decref(before);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    return finish(req, gid, year, "member_leave", before, _("Đã ghi nhận đơn vị rời khối."));
}

/* POST /groups/{id}/{year}/leaders: the office sets (or corrects) the head
 * and deputy of a year — where the province appoints them, or for the first
 * year; later years come from the year-end conference's election. */
enum result group_leaders_set(struct request *req)
{
    if (req_has_errors(req)) /* a date that does not exist, a number out of range */
        return year_again(req);
    int64_t gid;
    int year;
    json_t *y = year_for_write(req, &gid, &year);
    if (!y)
        return req->err.code;
    json_decref(y);
    int64_t head = req_int(req, "head_unit_id", 0), deputy = req_int(req, "deputy_unit_id", 0);
    if (!head)
        return refuse(req, "head_unit_id", _("Hãy chọn đơn vị Trưởng khối."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (claim_year(req, gid, year) != OK)
        return req->err.code;
    json_t *before = state_of(req->db, gid, year);
    struct err e = {0};
    enum result rc = group_set_leaders(req->db, gid, year, head, deputy, 0, &e);
    if (rc != OK) {
        db_rollback(req->db);
        json_decref(before);
        return rc == E_INVALID ? refuse(req, e.field[0] ? e.field : "head_unit_id", "%s", e.msg)
                              : req_fail(req, rc, e.field[0] ? e.field : NULL, "%s", e.msg);
    }
    return finish(req, gid, year, "set_leaders", before,
                  _("Đã lưu Trưởng khối, Phó khối; cán bộ của hai đơn vị có quyền quản lý khối "
                    "trong năm."));
}

/* POST /groups/{id}/{year}/handover: the head of year-1 hands over to the
 * head of `year` (recorded on year's row). */
enum result group_handover(struct request *req)
{
    if (req_has_errors(req)) /* a date that does not exist, a number out of range */
        return year_again(req);
    int64_t gid;
    int year;
    json_t *y = year_for_write(req, &gid, &year);
    if (!y)
        return req->err.code;
    bool has_head = json_is_object(json_object_get(y, "head"));
    bool recorded = json_is_string(json_object_get(y, "handover_on"));
    json_decref(y);
    /* the office, the outgoing head or deputy while their year lasts, or the
     * incoming ones when nobody recorded it yet (a handover in early January);
     * once recorded, only the office corrects it */
    bool may = is_office(req) || group_can_manage(req, gid, year - 1) ||
               (!recorded && group_can_manage(req, gid, year));
    if (!may)
        return req_fail(req, E_FORBIDDEN, NULL, "%s",
                        recorded ? _("Việc bàn giao đã được ghi nhận; chỉ Phòng Thi đua, khen "
                                     "thưởng sửa được.")
                                 : _("Chỉ Phòng Thi đua, khen thưởng hoặc Trưởng khối, Phó "
                                     "khối mới ghi nhận việc bàn giao."));
    if (!has_head)
        return refuse(req, "handover_on",
                        _("Năm %d chưa có Trưởng khối để nhận bàn giao."), year);
    const char *on = req_text(req, "handover_on");
    if (!on)
        return refuse(req, "handover_on", _("Hãy nhập ngày bàn giao."));
    if (atoi(on) != year && atoi(on) != year - 1)
        return refuse(req, "handover_on",
                        _("Ngày bàn giao phải trong năm %d hoặc %d."), year - 1, year);
    char today[11];
    date_today(today);
    if (strcmp(on, today) > 0)
        return refuse(req, "handover_on",
                      _("Ngày bàn giao không thể sau hôm nay: hãy ghi nhận khi đã bàn giao."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (claim_year(req, gid, year) != OK)
        return req->err.code;
    json_t *before = state_of(req->db, gid, year);
    struct db_stmt *s = db_query(req->db, "UPDATE group_years SET handover_on = ?, "
                                          "handover_note = ?, version = version + 1 WHERE "
                                          "group_id = ? AND year = ?");
    const char *note = req_text(req, "handover_note");
    db_bind_text(s, 1, on);
    db_bind_text(s, 2, note ? note : "");
    db_bind_int(s, 3, gid);
    db_bind_int(s, 4, year);
    if (db_run(s) != DB_DONE) {
        db_rollback(req->db);
        json_decref(before);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    return finish(req, gid, year, "handover", before, _("Đã ghi nhận việc bàn giao."));
}

json_t *groups_home(struct request *req)
{
    json_t *out = json_array();
    if (!req->user || req->user->role != ROLE_UNIT || scope_root(req) <= 0)
        return out;
    char today[11];
    date_today(today);
    int year = atoi(today);
    /* the groups the officer's own unit belongs to today, with its pledge
     * (signed by this unit or not) and the next conference */
    struct db_stmt *s = db_query(
        req->db,
        "SELECT g.id, g.name, CASE WHEN y.head_unit_id = m.unit_id THEN 'head' WHEN "
        "y.deputy_unit_id = m.unit_id THEN 'deputy' ELSE '' END, p.id, p.status, (SELECT "
        "count(*) FROM pledge_signatures x WHERE x.pledge_id = p.id AND x.unit_id = m.unit_id), "
        "(SELECT min(c.held_on) FROM conferences c WHERE c.group_id = g.id AND c.year = m.year "
        "AND c.held_on >= ?), g.kind, (SELECT CASE WHEN n.head_unit_id = m.unit_id THEN 'head' "
        "WHEN n.deputy_unit_id = m.unit_id THEN 'deputy' ELSE '' END FROM group_years n WHERE "
        "n.group_id = m.group_id AND n.year = m.year + 1) FROM group_members m JOIN "
        "emulation_groups g ON g.id = "
        "m.group_id "
        "JOIN group_years y ON y.group_id = m.group_id AND y.year = m.year LEFT JOIN pledges p ON "
        "p.group_id = m.group_id AND p.year = m.year WHERE m.unit_id = ? AND m.year = ? AND "
        "(m.left_on IS NULL OR m.left_on > ?) ORDER BY g.code");
    db_bind_text(s, 1, today);
    db_bind_int(s, 2, req->user->unit_id);
    db_bind_int(s, 3, year);
    db_bind_text(s, 4, today);
    while (db_step(s) == DB_ROW) {
        const char *role = db_col_text(s, 2);
        char next[11] = "";
        if (!db_col_is_null(s, 6))
            date_to_dmy(db_col_text(s, 6), next);
        bool open = !db_col_is_null(s, 4) && strcmp(db_col_text(s, 4), "draft") != 0;
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:i,s:s,s:s,s:o,s:b,s:s}", "id", (json_int_t)db_col_int(s, 0),
                           "name", db_col_text(s, 1), "year", year, "role", role, "role_name",
                           strcmp(role, "head") == 0     ? group_head_title(db_col_text(s, 7))
                           : strcmp(role, "deputy") == 0 ? group_deputy_title(db_col_text(s, 7))
                                                         : _("Thành viên"),
                           "pledge_id",
                           db_col_is_null(s, 3) ? json_null() : json_integer(db_col_int(s, 3)),
                           "must_sign", open && db_col_int(s, 5) == 0, "next_conference", next));
        /* elected for next year: the officer should know before 1 January */
        const char *next_role = db_col_is_null(s, 8) ? "" : db_col_text(s, 8);
        const char *kind = db_col_text(s, 7);
        json_object_set_new(
            json_array_get(out, json_array_size(out) - 1), "next_role_name",
            json_string(strcmp(next_role, "head") == 0
                            ? arena_printf(req->arena, _("%s năm %d"), group_head_title(kind),
                                           year + 1)
                        : strcmp(next_role, "deputy") == 0
                            ? arena_printf(req->arena, _("%s năm %d"), group_deputy_title(kind),
                                           year + 1)
                            : ""));
    }
    db_done(s);
    return out;
}

json_t *groups_home_tasks(struct request *req)
{
    json_t *out = json_array();
    if (!req->user || req->user->role != ROLE_UNIT || scope_root(req) <= 0)
        return out;
    char today[11];
    date_today(today);
    /* the tasks the unit's groups gave it (or every member) this year, not
     * yet past their date, soonest first */
    struct db_stmt *s = db_query(
        req->db,
        "SELECT t.content, t.due_on, c.id, g.name FROM conference_tasks t JOIN conferences c ON "
        "c.id = t.conference_id JOIN emulation_groups g ON g.id = c.group_id JOIN group_members "
        "m ON m.group_id = c.group_id AND m.year = c.year AND m.unit_id = ? WHERE c.year = ? AND "
        "(t.unit_id IS NULL OR t.unit_id = ?) AND (t.due_on IS NULL OR t.due_on >= ?) AND "
        "(m.left_on IS NULL OR m.left_on > ?) ORDER BY t.due_on IS NULL, t.due_on, t.id LIMIT 10");
    db_bind_int(s, 1, req->user->unit_id);
    db_bind_int(s, 2, atoi(today));
    db_bind_int(s, 3, req->user->unit_id);
    db_bind_text(s, 4, today);
    db_bind_text(s, 5, today);
    while (db_step(s) == DB_ROW) {
        char due[11] = "";
        if (!db_col_is_null(s, 1))
            date_to_dmy(db_col_text(s, 1), due);
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s}", "content", db_col_text(s, 0),
                                             "due_dmy", due, "link",
                                             arena_printf(req->arena, "/conferences/%lld",
                                                          (long long)db_col_int(s, 2)),
                                             "group", db_col_text(s, 3)));
    }
    db_done(s);
    return out;
}
