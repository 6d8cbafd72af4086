/* Conferences of a group's year (conferences.h): reading a conference and
 * all that was recorded at it, who may see and manage it, the quorum, and
 * the model of its page. The pages to create, show and edit one are in
 * conferences_form.c, the records made at the meeting in
 * conferences_records.c, the minutes in conferences_minutes.c. */
#include "features/conferences.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/documents.h"
#include "features/groups.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

int64_t conf_int(json_t *conf, const char *key)
{
    return json_integer_value(json_object_get(conf, key));
}

const char *conf_str(json_t *conf, const char *key)
{
    const char *s = json_string_value(json_object_get(conf, key));
    return s ? s : "";
}

const char *conference_kind_name(const char *kind)
{
    if (strcmp(kind, "pledge") == 0)
        return _("Hội nghị ký kết giao ước thi đua");
    if (strcmp(kind, "midyear") == 0)
        return _("Hội nghị sơ kết 6 tháng");
    if (strcmp(kind, "yearend") == 0)
        return _("Hội nghị tổng kết năm");
    return _("Hội nghị khác");
}

#define CONFERENCE_COLUMNS                                                                    \
    "id, group_id, year, kind, title, held_on, starts_at, ends_at, place, secretary, summary, " \
    "minutes_document_id, version, created_at, updated_at"

json_t *conference_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT " CONFERENCE_COLUMNS " FROM conferences WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *c = NULL;
    if (db_step(s) == DB_ROW) {
        char dmy[11];
        date_to_dmy(db_col_text(s, 5), dmy);
        c = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:s,s:s}",
                      "id", (json_int_t)db_col_int(s, 0), "group_id",
                      (json_int_t)db_col_int(s, 1), "year", (json_int_t)db_col_int(s, 2),
                      "kind", db_col_text(s, 3), "kind_name", conference_kind_name(db_col_text(s, 3)),
                      "title", db_col_text(s, 4), "held_on", db_col_text(s, 5), "held_on_dmy",
                      dmy, "starts_at", db_col_text(s, 6), "ends_at", db_col_text(s, 7), "place",
                      db_col_text(s, 8), "secretary", db_col_text(s, 9), "summary",
                      db_col_text(s, 10), "minutes_document_id",
                      db_col_is_null(s, 11) ? json_null() : json_integer(db_col_int(s, 11)),
                      "version", (json_int_t)db_col_int(s, 12), "created_at",
                      db_col_text(s, 13), "updated_at", db_col_text(s, 14));
    }
    db_done(s);
    return c;
}

/* Rows of a query over one conference id as arrays of their columns (text
 * or integers as stored), for the audit snapshot. */
static json_t *raw_rows(struct db *db, const char *sql, int64_t id)
{
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *row = json_object();
        for (int i = 0; i < db_col_count(s); i++) {
            json_t *v;
            if (db_col_is_null(s, i))
                v = json_null();
            else if (strstr(db_col_name(s, i), "_id") || strcmp(db_col_name(s, i), "present") == 0 ||
                     strcmp(db_col_name(s, i), "position") == 0 ||
                     strcmp(db_col_name(s, i), "id") == 0)
                v = json_integer(db_col_int(s, i));
            else
                v = json_string(db_col_text(s, i));
            json_object_set_new(row, db_col_name(s, i), v);
        }
        json_array_append_new(out, row);
    }
    db_done(s);
    return out;
}

json_t *conference_snapshot(struct db *db, int64_t id)
{
    json_t *c = conference_get(db, id);
    if (!c)
        return NULL;
    json_object_set_new(c, "attendance",
                        raw_rows(db, "SELECT unit_id, present, representative, "
                                     "representative_title, note FROM conference_attendance "
                                     "WHERE conference_id = ? ORDER BY unit_id", id));
    json_object_set_new(c, "chairs",
                        raw_rows(db, "SELECT position, unit_id, person_name, person_title FROM "
                                     "conference_chairs WHERE conference_id = ? ORDER BY position",
                                 id));
    json_object_set_new(c, "reports",
                        raw_rows(db, "SELECT unit_id, pledge_item_id, CAST(actual_x100 AS TEXT) "
                                     "AS actual_x100, note FROM conference_reports WHERE "
                                     "conference_id = ? ORDER BY unit_id, pledge_item_id", id));
    json_object_set_new(c, "tasks",
                        raw_rows(db, "SELECT id, position, content, unit_id, due_on FROM "
                                     "conference_tasks WHERE conference_id = ? ORDER BY position",
                                 id));
    json_object_set_new(c, "decisions",
                        raw_rows(db, "SELECT id, position, kind, content, head_unit_id, "
                                     "deputy_unit_id FROM conference_decisions WHERE "
                                     "conference_id = ? ORDER BY position", id));
    return c;
}

json_t *conference_of_path(struct request *req, bool manage)
{
    int64_t id = req_path_int(req, "id");
    json_t *c = conference_get(req->db, id);
    if (!c) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có hội nghị số hiệu %lld."), (long long)id);
        return NULL;
    }
    int64_t g = conf_int(c, "group_id");
    int year = (int)conf_int(c, "year");
    if (!group_can_view_year(req, g, year)) {
        json_decref(c);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này."));
        return NULL;
    }
    if (manage && group_require_manage(req, g, year) != OK) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* joined_on <= held_on < left_on, each bound open when NULL */
#define MEMBER_ON(alias)                                                                      \
    " AND (" alias ".joined_on IS NULL OR " alias ".joined_on <= ?) AND (" alias              \
    ".left_on IS NULL OR " alias ".left_on > ?)"

bool conference_member(struct db *db, json_t *conf, int64_t unit_id)
{
    return unit_id > 0 && group_is_member(db, conf_int(conf, "group_id"), (int)conf_int(conf, "year"),
                                          unit_id, conf_str(conf, "held_on"));
}

json_t *conference_quorum(struct db *db, json_t *conf, json_t *group)
{
    int64_t g = conf_int(conf, "group_id");
    int year = (int)conf_int(conf, "year");
    const char *on = conf_str(conf, "held_on");
    int members = group_member_count(db, g, year, on);
    struct db_stmt *s = db_query(
        db, "SELECT count(*), COALESCE(sum(a.present), 0) FROM conference_attendance a JOIN "
            "group_members m ON m.unit_id = a.unit_id AND m.group_id = ? AND m.year = ? WHERE "
            "a.conference_id = ?" MEMBER_ON("m"));
    db_bind_int(s, 1, g);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, conf_int(conf, "id"));
    db_bind_text(s, 4, on);
    db_bind_text(s, 5, on);
    int recorded = 0, present = 0;
    if (db_step(s) == DB_ROW) {
        recorded = (int)db_col_int(s, 0);
        present = (int)db_col_int(s, 1);
    }
    db_done(s);
    int num = (int)json_integer_value(json_object_get(group, "quorum_num"));
    int den = (int)json_integer_value(json_object_get(group, "quorum_den"));
    int needed = bloc_quorum_needed(members, num, den);
    bool met = bloc_quorum_met(present, members, num, den);
    char text[256], rule[256];
    snprintf(text, sizeof text,
             met ? _("%d/%d đơn vị có mặt, cần ít nhất %d: đủ điều kiện biểu quyết")
                 : _("%d/%d đơn vị có mặt, cần ít nhất %d: chưa đủ điều kiện biểu quyết"),
             present, members, needed);
    snprintf(rule, sizeof rule,
             _("Hội nghị chỉ kết luận, bầu cử khi có ít nhất %d/%d số đơn vị thành viên có mặt "
               "(quy chế của khối, cụm)."),
             num, den);
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:b,s:s,s:s}", "members", members, "present", present,
                     "absent", recorded - present, "unrecorded", members - recorded, "needed",
                     needed, "met", met, "text", text, "rule", rule);
}

/* Every member on the conference's date with its attendance (or none yet). */
static json_t *attendance_rows(struct db *db, json_t *conf, json_t *gy)
{
    const char *on = conf_str(conf, "held_on");
    struct db_stmt *s = db_query(
        db, "SELECT m.unit_id, u.name, u.short_name, a.present, a.representative, "
            "a.representative_title, a.note, (SELECT kind FROM emulation_groups WHERE id = "
            "m.group_id) FROM group_members m JOIN units u ON u.id = "
            "m.unit_id LEFT JOIN conference_attendance a ON a.conference_id = ? AND a.unit_id = "
            "m.unit_id WHERE m.group_id = ? AND m.year = ?" MEMBER_ON("m")
        " ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, conf_int(conf, "id"));
    db_bind_int(s, 2, conf_int(conf, "group_id"));
    db_bind_int(s, 3, conf_int(conf, "year"));
    db_bind_text(s, 4, on);
    db_bind_text(s, 5, on);
    int64_t head = json_integer_value(json_object_get(json_object_get(gy, "head"), "id"));
    int64_t deputy = json_integer_value(json_object_get(json_object_get(gy, "deputy"), "id"));
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0);
        bool recorded = !db_col_is_null(s, 3);
        bool present = recorded && db_col_int(s, 3) == 1;
        const char *status = !recorded ? "unknown" : present ? "present" : "absent";
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:s,s:s,s:s}", "unit_id",
                           (json_int_t)unit, "name", db_col_text(s, 1), "short_name",
                           db_col_text(s, 2), "role_name",
                           unit == head     ? group_head_title(db_col_text(s, 7))
                           : unit == deputy ? group_deputy_title(db_col_text(s, 7))
                                            : "",
                           "status", status, "present", present, "absent", recorded && !present,
                           "unknown", !recorded, "status_name",
                           !recorded ? _("Chưa ghi") : present ? _("Có mặt") : _("Vắng"),
                           "representative", recorded ? db_col_text(s, 4) : "",
                           "representative_title", recorded ? db_col_text(s, 5) : "", "note",
                           recorded ? db_col_text(s, 6) : ""));
    }
    db_done(s);
    return out;
}

static json_t *chair_rows(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT c.position, c.unit_id, u.name, c.person_name, "
                                     "c.person_title FROM conference_chairs c JOIN units u ON "
                                     "u.id = c.unit_id WHERE c.conference_id = ? ORDER BY "
                                     "c.position");
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(out, json_pack("{s:I,s:I,s:s,s:s,s:s}", "position",
                                             (json_int_t)db_col_int(s, 0), "unit_id",
                                             (json_int_t)db_col_int(s, 1), "unit_name",
                                             db_col_text(s, 2), "person_name", db_col_text(s, 3),
                                             "person_title", db_col_text(s, 4)));
    db_done(s);
    return out;
}

static json_t *task_rows(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT t.id, t.position, t.content, t.unit_id, u.name, "
                                     "t.due_on FROM conference_tasks t LEFT JOIN units u ON u.id "
                                     "= t.unit_id WHERE t.conference_id = ? ORDER BY t.position, "
                                     "t.id");
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        char dmy[11] = "";
        if (!db_col_is_null(s, 5))
            date_to_dmy(db_col_text(s, 5), dmy);
        json_array_append_new(
            out, json_pack("{s:I,s:I,s:s,s:o,s:s,s:s?,s:s}", "id", (json_int_t)db_col_int(s, 0),
                           "position", (json_int_t)db_col_int(s, 1), "content", db_col_text(s, 2),
                           "unit_id",
                           db_col_is_null(s, 3) ? json_null() : json_integer(db_col_int(s, 3)),
                           "unit_name",
                           db_col_is_null(s, 3) ? _("Tất cả đơn vị thành viên") : db_col_text(s, 4),
                           "due_on", db_col_is_null(s, 5) ? NULL : db_col_text(s, 5), "due_on_dmy",
                           dmy));
    }
    db_done(s);
    return out;
}

static json_t *decision_rows(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT id, position, kind, content, head_unit_id, "
                                     "deputy_unit_id, created_at FROM conference_decisions WHERE "
                                     "conference_id = ? ORDER BY position, id");
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        bool election = strcmp(db_col_text(s, 2), "election") == 0;
        json_array_append_new(
            out, json_pack("{s:I,s:I,s:s,s:s,s:b,s:s,s:o,s:o,s:s}", "id",
                           (json_int_t)db_col_int(s, 0), "position", (json_int_t)db_col_int(s, 1),
                           "kind", db_col_text(s, 2), "kind_name",
                           election ? _("Bầu người đứng đầu năm sau") : _("Kết luận"), "election",
                           election, "content", db_col_text(s, 3), "head_unit_id",
                           db_col_is_null(s, 4) ? json_null() : json_integer(db_col_int(s, 4)),
                           "deputy_unit_id",
                           db_col_is_null(s, 5) ? json_null() : json_integer(db_col_int(s, 5)),
                           "created_at", db_col_text(s, 6)));
    }
    db_done(s);
    return out;
}

static json_t *unit_brief(struct db *db, int64_t id)
{
    if (!id)
        return json_null();
    struct db_stmt *s = db_query(db, "SELECT name, short_name FROM units WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *u = db_step(s) == DB_ROW ? json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name",
                                                 db_col_text(s, 0), "short_name", db_col_text(s, 1))
                                     : json_null();
    db_done(s);
    return u;
}

/* The year-end election: the customary rotation proposed over next year's
 * members (or, before next year exists, this year's members who stay), the
 * choices, and what this conference elected. */
static json_t *election_block(struct db *db, json_t *conf, json_t *gy, json_t *decisions)
{
    int64_t g = conf_int(conf, "group_id");
    int year = (int)conf_int(conf, "year");
    json_t *next = group_year_get(db, g, year + 1);
    json_t *members = group_members(db, g, next ? year + 1 : year);
    size_t n = 0, i;
    json_t *m;
    int64_t *order = xcalloc(json_array_size(members) + 1, sizeof *order);
    json_array_foreach(members, i, m)
    {
        if (!next && json_is_true(json_object_get(m, "left")))
            continue;
        order[n++] = json_integer_value(json_object_get(m, "unit_id"));
    }
    int64_t head = json_integer_value(json_object_get(json_object_get(gy, "head"), "id"));
    int64_t deputy = json_integer_value(json_object_get(json_object_get(gy, "deputy"), "id"));
    int64_t next_head = 0, next_deputy = 0;
    bloc_rotation(order, n, head, deputy, &next_head, &next_deputy);
    int64_t chosen_head = next_head, chosen_deputy = next_deputy;
    json_t *result = json_null();
    json_array_foreach(decisions, i, m)
    {
        if (!json_is_true(json_object_get(m, "election")))
            continue;
        chosen_head = json_integer_value(json_object_get(m, "head_unit_id"));
        chosen_deputy = json_integer_value(json_object_get(m, "deputy_unit_id"));
        json_decref(result);
        result = json_pack("{s:o,s:o,s:O}", "head", unit_brief(db, chosen_head), "deputy",
                           unit_brief(db, chosen_deputy), "content", json_object_get(m, "content"));
    }
    json_t *head_options = json_array(), *deputy_options = json_array();
    json_array_foreach(members, i, m)
    {
        if (!next && json_is_true(json_object_get(m, "left")))
            continue;
        int64_t id = json_integer_value(json_object_get(m, "unit_id"));
        json_array_append_new(head_options,
                              json_pack("{s:I,s:O,s:b}", "value", (json_int_t)id, "name",
                                        json_object_get(m, "name"), "selected", id == chosen_head));
        json_array_append_new(deputy_options, json_pack("{s:I,s:O,s:b}", "value", (json_int_t)id,
                                                        "name", json_object_get(m, "name"),
                                                        "selected", id == chosen_deputy));
    }
    free(order);
    json_decref(members);
    json_t *out = json_pack(
        "{s:i,s:{s:o,s:o,s:s},s:o,s:o,s:o}", "next_year", year + 1, "proposal", "head",
        unit_brief(db, next_head), "deputy", unit_brief(db, next_deputy), "rule",
        _("Theo thông lệ, Phó khối (Phó cụm) năm nay làm Trưởng khối (Trưởng cụm) năm sau, đơn "
          "vị kế tiếp theo thứ tự làm Phó; hội nghị quyết định."),
        "result", result, "head_options", head_options, "deputy_options", deputy_options);
    json_decref(next);
    return out;
}

void conference_page_model(struct request *req, json_t *conf)
{
    struct db *db = req->db;
    int64_t id = conf_int(conf, "id"), g = conf_int(conf, "group_id");
    int year = (int)conf_int(conf, "year");
    json_t *group = group_get(db, g), *gy = group_year_get(db, g, year);
    if (!group)
        group = json_object();
    if (!gy)
        gy = json_object();
    bool manage = group_can_manage(req, g, year);
    json_t *c = json_deep_copy(conf);
    json_object_set_new(c, "can_manage", json_boolean(manage));
    /* registered minutes close the record: no form offers a change then */
    bool open = conf_int(conf, "minutes_document_id") == 0;
    json_object_set_new(c, "can_record", json_boolean(manage && open));
    /* members' officers report their own figures (checked again on the post) */
    json_object_set_new(c, "can_report",
                        json_boolean(manage || (req->user && req->user->role == ROLE_UNIT)));
    json_object_set_new(c, "is_review", json_boolean(strcmp(conf_str(conf, "kind"), "midyear") == 0 ||
                                                     strcmp(conf_str(conf, "kind"), "yearend") == 0));
    json_object_set_new(c, "is_yearend", json_boolean(strcmp(conf_str(conf, "kind"), "yearend") == 0));
    json_t *attendance = attendance_rows(db, conf, gy);
    json_t *options = json_array(), *report_options = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(attendance, i, a)
    {
        json_array_append_new(options, json_pack("{s:O,s:O}", "value", json_object_get(a, "unit_id"),
                                                 "name", json_object_get(a, "name")));
        /* a member's officer reports for their own unit only: offer no other */
        if (manage || scope_has_unit(req, json_integer_value(json_object_get(a, "unit_id"))))
            json_array_append_new(report_options,
                                  json_pack("{s:O,s:O}", "value", json_object_get(a, "unit_id"),
                                            "name", json_object_get(a, "name")));
    }
    json_object_set_new(c, "can_report",
                        json_boolean(json_is_true(json_object_get(c, "can_report")) && open &&
                                     json_array_size(report_options) > 0));
    json_t *decisions = decision_rows(db, id);
    json_t *minutes = json_null();
    if (conf_int(conf, "minutes_document_id")) {
        json_t *d = document_get(db, conf_int(conf, "minutes_document_id"));
        if (d)
            minutes = json_pack("{s:O,s:O}", "document_id", json_object_get(d, "id"),
                                "number_text", json_object_get(d, "number_text"));
        json_decref(d);
    }
    json_t *m = req->model;
    json_t *quorum = conference_quorum(db, conf, group);
    /* the minutes and the news are written from the attendance: offered once
     * there is some */
    json_object_set_new(m, "has_attendance",
                        json_boolean(json_integer_value(json_object_get(quorum, "present")) +
                                         json_integer_value(json_object_get(quorum, "absent")) >
                                     0));
    json_object_set_new(m, "quorum", quorum);
    json_object_set_new(m, "attendance", attendance);
    json_object_set_new(m, "member_options", options);
    /* the articles drafted from this conference, so a second press of the
     * button is a choice, and the draft is found again */
    json_t *news = json_array();
    /* a draft is the office's and its author's until published */
    bool office = req->user && (req->user->role & (ROLE_ADMIN | ROLE_OFFICE));
    struct db_stmt *ns = db_query(db, "SELECT id, slug, title, status FROM news WHERE "
                                      "conference_id = ? AND (status = 'published' OR ? = 1 OR "
                                      "created_by = ?) ORDER BY id");
    db_bind_int(ns, 1, id);
    db_bind_int(ns, 2, office ? 1 : 0);
    db_bind_int(ns, 3, req->user ? req->user->id : 0);
    while (db_step(ns) == DB_ROW)
        json_array_append_new(
            news, json_pack("{s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)db_col_int(ns, 0), "url",
                            arena_printf(req->arena, "/news/%s", db_col_text(ns, 1)), "title",
                            db_col_text(ns, 2), "published",
                            strcmp(db_col_text(ns, 3), "published") == 0, "status_name",
                            strcmp(db_col_text(ns, 3), "published") == 0 ? _("đã đăng")
                                                                          : _("bản nháp")));
    db_done(ns);
    json_object_set_new(m, "news", news);
    json_object_set_new(m, "report_options", report_options);
    json_object_set_new(m, "chairs", chair_rows(db, id));
    json_object_set_new(m, "tasks", task_rows(db, id));
    json_object_set_new(m, "review", conference_review(db, conf));
    json_object_set_new(m, "election", strcmp(conf_str(conf, "kind"), "yearend") == 0
                                           ? election_block(db, conf, gy, decisions)
                                           : json_null());
    json_object_set_new(m, "decisions", decisions);
    json_object_set_new(m, "minutes", minutes);
    json_object_set_new(m, "conference", c);
    json_object_set_new(m, "group", group);
    json_object_set_new(m, "group_year", gy);
}

enum result conference_refuse(struct request *req, json_t *conf, const char *field,
                              const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (db_in_transaction(req->db))
        db_rollback(req->db);
    req_field_error(req, field, "%s", msg);
    conference_page_model(req, conf);
    req->status = 422;
    req->template = "conferences/show";
    return OK;
}

bool conference_not_held_yet(struct request *req, json_t *conf, enum result *rc)
{
    char today[11];
    date_today(today);
    const char *held = conf_str(conf, "held_on");
    if (strcmp(held, today) <= 0)
        return false;
    char dmy[11];
    date_to_dmy(held, dmy);
    *rc = conference_refuse(req, conf, "held_on",
                            _("Hội nghị họp ngày %s, chưa diễn ra: điểm danh, số liệu, kết luận, "
                              "kết quả bầu và biên bản được ghi từ ngày họp."),
                            dmy);
    return true;
}

bool conference_version_ok(struct request *req, json_t *conf, bool required, enum result *rc)
{
    *rc = OK;
    const struct param_value *v = req_value(req, "version");
    if (!v || !v->present) {
        if (required)
            req_field_error(req, "version", _("Thiếu số phiên bản của hội nghị đang sửa (version)."));
        return !required;
    }
    if (v->num != conf_int(conf, "version")) {
        *rc = req_fail(req, E_CONFLICT, "version",
                       _("Hội nghị này vừa được người khác cập nhật. Hãy mở lại trang để xem bản "
                         "mới nhất rồi làm lại."));
        return false;
    }
    return true;
}

enum result conference_touch(struct db *db, int64_t id, int64_t version, bool bump)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE conferences SET version = version + ?, updated_at = ? "
                                     "WHERE id = ? AND minutes_document_id IS NULL AND (? = 0 OR "
                                     "version = ?) RETURNING id");
    db_bind_int(s, 1, bump ? 1 : 0);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    db_bind_int(s, 4, version);
    db_bind_int(s, 5, version);
    bool claimed = db_step(s) == DB_ROW;
    if (db_done(s) == DB_ERROR)
        return E_DB;
    return claimed ? OK : E_CONFLICT;
}

enum result conference_conflict(struct request *req, int64_t id)
{
    bool locked = db_scalar_int_arg(req->db, "SELECT count(*) FROM conferences WHERE id = ? AND "
                                             "minutes_document_id IS NOT NULL", id) > 0;
    return req_fail(req, E_CONFLICT, locked ? NULL : "version", "%s",
                    locked ? _("Biên bản của hội nghị này đã được lấy số: những gì đã ghi không "
                               "sửa được nữa.")
                           : _("Hội nghị này vừa được người khác cập nhật. Hãy mở lại trang để "
                               "xem bản mới nhất rồi làm lại."));
}
