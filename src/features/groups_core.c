/* The shared access to a group's year (features/groups.h): reading a group,
 * its year and members, membership checks, and who may manage the year. */
#include "features/groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

const char *group_head_title(const char *kind)
{
    return kind && strcmp(kind, "cum") == 0 ? _("Trưởng cụm") : _("Trưởng khối");
}

const char *group_deputy_title(const char *kind)
{
    return kind && strcmp(kind, "cum") == 0 ? _("Phó cụm") : _("Phó khối");
}

static const char *kind_name(const char *kind)
{
    return strcmp(kind, "cum") == 0 ? _("Cụm thi đua") : _("Khối thi đua");
}

json_t *group_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT id, kind, code, name, organiser, quorum_num, "
                                     "quorum_den, note, active, version, created_at, updated_at "
                                     "FROM emulation_groups WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *g = NULL;
    if (db_step(s) == DB_ROW) {
        char quorum[48];
        snprintf(quorum, sizeof quorum, "%lld/%lld", (long long)db_col_int(s, 5),
                 (long long)db_col_int(s, 6));
        g = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:b,s:I,s:s,s:s}", "id",
                      (json_int_t)db_col_int(s, 0), "kind", db_col_text(s, 1), "kind_name",
                      kind_name(db_col_text(s, 1)), "code", db_col_text(s, 2), "name",
                      db_col_text(s, 3), "organiser", db_col_text(s, 4), "quorum_num",
                      (json_int_t)db_col_int(s, 5), "quorum_den", (json_int_t)db_col_int(s, 6),
                      "quorum_text", quorum, "note", db_col_text(s, 7), "active",
                      db_col_int(s, 8) != 0, "version", (json_int_t)db_col_int(s, 9),
                      "created_at", db_col_text(s, 10), "updated_at", db_col_text(s, 11));
        json_object_set_new(g, "head_title", json_string(group_head_title(db_col_text(s, 1))));
        json_object_set_new(g, "deputy_title", json_string(group_deputy_title(db_col_text(s, 1))));
        json_object_set_new(g, "word", json_string(strcmp(db_col_text(s, 1), "cum") == 0
                                                       ? _("cụm")
                                                       : _("khối")));
    }
    db_done(s);
    return g;
}

static json_t *unit_ref(struct db_stmt *s, int col)
{
    if (db_col_is_null(s, col))
        return json_null();
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, col), "name",
                     db_col_text(s, col + 1), "short_name", db_col_text(s, col + 2));
}

json_t *group_year_get(struct db *db, int64_t group_id, int year)
{
    struct db_stmt *s = db_query(
        db, "SELECT y.group_id, y.year, y.head_unit_id, h.name, h.short_name, y.deputy_unit_id, "
            "d.name, d.short_name, y.elected_at, y.handover_on, y.handover_note, y.version "
            "FROM group_years y LEFT JOIN units h ON h.id = y.head_unit_id "
            "LEFT JOIN units d ON d.id = y.deputy_unit_id WHERE y.group_id = ? AND y.year = ?");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    json_t *y = NULL;
    if (db_step(s) == DB_ROW) {
        char dmy[11] = "";
        if (!db_col_is_null(s, 9))
            date_to_dmy(db_col_text(s, 9), dmy);
        y = json_pack("{s:I,s:I,s:o,s:o,s:o,s:s?,s:s,s:s,s:I}", "group_id",
                      (json_int_t)db_col_int(s, 0), "year", (json_int_t)db_col_int(s, 1), "head",
                      unit_ref(s, 2), "deputy", unit_ref(s, 5), "elected_at",
                      db_col_is_null(s, 8) ? json_null() : json_integer(db_col_int(s, 8)),
                      "handover_on", db_col_is_null(s, 9) ? NULL : db_col_text(s, 9),
                      "handover_on_dmy", dmy, "handover_note", db_col_text(s, 10), "version",
                      (json_int_t)db_col_int(s, 11));
    }
    db_done(s);
    return y;
}

json_t *group_members(struct db *db, int64_t group_id, int year)
{
    struct db_stmt *s = db_query(
        db, "SELECT m.unit_id, u.code, u.name, u.short_name, m.joined_on, m.left_on, "
            "CASE WHEN y.head_unit_id = m.unit_id THEN 'head' WHEN y.deputy_unit_id = m.unit_id "
            "THEN 'deputy' ELSE '' END, g.kind FROM group_members m JOIN units u ON u.id = "
            "m.unit_id JOIN group_years y ON y.group_id = m.group_id AND y.year = m.year JOIN "
            "emulation_groups g ON g.id = m.group_id "
            "WHERE m.group_id = ? AND m.year = ? ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        char joined[11] = "", left[11] = "";
        if (!db_col_is_null(s, 4))
            date_to_dmy(db_col_text(s, 4), joined);
        if (!db_col_is_null(s, 5))
            date_to_dmy(db_col_text(s, 5), left);
        const char *role = db_col_text(s, 6);
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s,s:b}", "unit_id",
                           (json_int_t)db_col_int(s, 0), "code", db_col_text(s, 1), "name",
                           db_col_text(s, 2), "short_name", db_col_text(s, 3), "joined_on",
                           db_col_is_null(s, 4) ? NULL : db_col_text(s, 4), "left_on",
                           db_col_is_null(s, 5) ? NULL : db_col_text(s, 5), "joined_on_dmy",
                           joined, "left_on_dmy", left, "role", role, "role_name",
                           strcmp(role, "head") == 0     ? group_head_title(db_col_text(s, 7))
                           : strcmp(role, "deputy") == 0 ? group_deputy_title(db_col_text(s, 7))
                                                         : "",
                           "left", !db_col_is_null(s, 5)));
    }
    db_done(s);
    return out;
}

/* joined_on <= date < left_on, each bound open when NULL */
#define MEMBER_ON_DATE                                                                        \
    " AND (CAST(? AS TEXT) IS NULL OR ((joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR "       \
    "left_on > ?)))"

bool group_is_member(struct db *db, int64_t group_id, int year, int64_t unit_id,
                     const char *date)
{
    struct db_stmt *s = db_query(db, "SELECT 1 FROM group_members WHERE group_id = ? AND year = "
                                     "? AND unit_id = ?" MEMBER_ON_DATE);
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, unit_id);
    for (int i = 4; i <= 6; i++)
        db_bind_text(s, i, date);
    bool yes = db_step(s) == DB_ROW;
    db_done(s);
    return yes;
}

int group_member_count(struct db *db, int64_t group_id, int year, const char *date)
{
    struct db_stmt *s = db_query(db, "SELECT count(*) FROM group_members WHERE group_id = ? AND "
                                     "year = ?" MEMBER_ON_DATE);
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    for (int i = 3; i <= 5; i++)
        db_bind_text(s, i, date);
    int n = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : 0;
    db_done(s);
    return n;
}

bool group_can_manage(struct request *req, int64_t group_id, int year)
{
    if (!req->user)
        return false;
    if (req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE)
        return true;
    if (req->user->role != ROLE_UNIT)
        return false;
    char today[11];
    date_today(today);
    /* a grant is for one calendar year: the rights of this year's head and
     * deputy reach this year's records only */
    if (atoi(today) != year)
        return false;
    return (scope_group_roles(req, group_id) & (DERIVED_HEAD | DERIVED_DEPUTY)) != 0;
}

enum result group_require_manage(struct request *req, int64_t group_id, int year)
{
    if (group_can_manage(req, group_id, year))
        return OK;
    return req_fail(req, E_FORBIDDEN, NULL,
                    _("Chỉ Phòng Thi đua, khen thưởng hoặc cán bộ của đơn vị Trưởng khối, Phó "
                      "khối năm %d mới làm được việc này."),
                    year);
}

bool group_can_view(struct request *req, int64_t group_id)
{
    if (!req->user)
        return false;
    if (req->user->role != ROLE_UNIT)
        return true;
    int64_t root = scope_root(req);
    if (root <= 0)
        return false;
    struct db_stmt *s = db_query(req->db, "SELECT 1 FROM group_members WHERE group_id = ? AND "
                                          "unit_id IN (" SCOPE_SUBTREE_SQL ") LIMIT 1");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, root);
    bool yes = db_step(s) == DB_ROW;
    db_done(s);
    return yes;
}

bool group_can_view_year(struct request *req, int64_t group_id, int year)
{
    if (!req->user)
        return false;
    if (req->user->role != ROLE_UNIT)
        return true;
    int64_t root = scope_root(req);
    if (root <= 0)
        return false;
    struct db_stmt *s = db_query(req->db, "SELECT 1 FROM group_members WHERE group_id = ? AND "
                                          "year = ? AND unit_id IN (" SCOPE_SUBTREE_SQL
                                          ") LIMIT 1");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, root);
    bool yes = db_step(s) == DB_ROW;
    db_done(s);
    return yes;
}

json_t *group_of_path(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *g = group_get(req->db, id);
    if (!g) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có khối, cụm thi đua số hiệu %lld."),
                 (long long)id);
        return NULL;
    }
    if (!group_can_view(req, id)) {
        json_decref(g);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này."));
        return NULL;
    }
    return g;
}

static enum result write_grant(struct db *db, int64_t unit, int64_t group_id, int year,
                               enum derived_role role)
{
    if (!unit)
        return OK;
    char from[11], to[11];
    date_year_start(year, from);
    date_year_start(year + 1, to);
    return derived_role_grant(db, unit, group_id, role, from, to);
}

/* True when unit_id was a member of the year and has left it. */
static bool member_left(struct db *db, int64_t group_id, int year, int64_t unit_id)
{
    struct db_stmt *s = db_query(db, "SELECT 1 FROM group_members WHERE group_id = ? AND year = "
                                     "? AND unit_id = ? AND left_on IS NOT NULL");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, unit_id);
    bool left = db_step(s) == DB_ROW;
    db_done(s);
    return left;
}

enum result group_set_leaders(struct db *db, int64_t group_id, int year, int64_t head,
                              int64_t deputy, int64_t elected_at, struct err *e)
{
    if (head && deputy && head == deputy)
        return err_set(e, E_INVALID, "deputy_unit_id",
                       _("Trưởng khối và Phó khối phải là hai đơn vị khác nhau."));
    if ((head && member_left(db, group_id, year, head)) ||
        (deputy && member_left(db, group_id, year, deputy)))
        return err_set(e, E_INVALID, head && member_left(db, group_id, year, head)
                                         ? "head_unit_id"
                                         : "deputy_unit_id",
                       _("Đơn vị này đã rời khối trong năm %d nên không giữ nhiệm vụ Trưởng, "
                         "Phó khối được."),
                       year);
    if (head && !group_is_member(db, group_id, year, head, NULL))
        return err_set(e, E_INVALID, "head_unit_id",
                       _("Đơn vị được chọn làm Trưởng khối không là thành viên năm %d."), year);
    if (deputy && !group_is_member(db, group_id, year, deputy, NULL))
        return err_set(e, E_INVALID, "deputy_unit_id",
                       _("Đơn vị được chọn làm Phó khối không là thành viên năm %d."), year);
    struct db_stmt *s = db_query(db, "UPDATE group_years SET head_unit_id = ?, deputy_unit_id = "
                                     "?, elected_at = ?, version = version + 1 WHERE group_id = ? "
                                     "AND year = ?");
    if (head)
        db_bind_int(s, 1, head);
    else
        db_bind_null(s, 1);
    if (deputy)
        db_bind_int(s, 2, deputy);
    else
        db_bind_null(s, 2);
    if (elected_at)
        db_bind_int(s, 3, elected_at);
    else
        db_bind_null(s, 3);
    db_bind_int(s, 4, group_id);
    db_bind_int(s, 5, year);
    if (db_run(s) != DB_DONE)
        return err_set(e, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    char from[11];
    date_year_start(year, from);
    s = db_query(db, "DELETE FROM role_grants WHERE scope_kind = 'group' AND scope_id = ? AND "
                     "valid_from = ?");
    db_bind_int(s, 1, group_id);
    db_bind_text(s, 2, from);
    enum result rc = db_run(s) == DB_DONE ? OK : E_DB;
    if (rc == OK)
        rc = write_grant(db, head, group_id, year, DERIVED_HEAD);
    if (rc == OK)
        rc = write_grant(db, deputy, group_id, year, DERIVED_DEPUTY);
    if (rc != OK)
        return err_set(e, rc, NULL, _("Lỗi cơ sở dữ liệu."));
    return OK;
}

enum result group_year_ensure(struct db *db, int64_t group_id, int year, struct err *e)
{
    if (db_scalar_int_arg(db, "SELECT count(*) FROM emulation_groups WHERE id = ?", group_id) == 0)
        return err_set(e, E_NOTFOUND, NULL, _("Không có khối, cụm thi đua này."));
    struct db_stmt *s = db_query(db, "SELECT 1 FROM group_years WHERE group_id = ? AND year = ?");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    bool have = db_step(s) == DB_ROW;
    db_done(s);
    if (have)
        return OK;
    s = db_query(db, "INSERT INTO group_years (group_id, year) VALUES (?, ?)");
    db_bind_int(s, 1, group_id);
    db_bind_int(s, 2, year);
    if (db_run(s) != DB_DONE)
        return err_set(e, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    /* next year starts with those who stayed to the end of this one, and
     * whose unit is still active */
    s = db_query(db, "INSERT INTO group_members (group_id, year, unit_id) SELECT m.group_id, ?, "
                     "m.unit_id FROM group_members m JOIN units u ON u.id = m.unit_id WHERE "
                     "m.group_id = ? AND m.year = ? AND m.left_on IS NULL AND "
                     "(u.active_to IS NULL OR u.active_to > ?)");
    char first[11];
    date_year_start(year, first);
    db_bind_int(s, 1, year);
    db_bind_int(s, 2, group_id);
    db_bind_int(s, 3, year - 1);
    db_bind_text(s, 4, first);
    if (db_run(s) != DB_DONE)
        return err_set(e, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    return OK;
}

json_t *group_member_options(struct db *db, int64_t group_id, int year, int64_t selected)
{
    json_t *members = group_members(db, group_id, year), *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (json_is_true(json_object_get(m, "left")))
            continue; /* a unit that left holds no office */
        int64_t id = json_integer_value(json_object_get(m, "unit_id"));
        json_array_append_new(out, json_pack("{s:I,s:O,s:b}", "value", (json_int_t)id, "name",
                                             json_object_get(m, "name"), "selected",
                                             id == selected));
    }
    json_decref(members);
    return out;
}
