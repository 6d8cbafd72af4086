/* A news article drafted from a conference of an emulation group: the facts
 * the secretary recorded (who chaired, who attended and who did not, what
 * was reviewed, what was decided, the tasks ahead) put into the sentences
 * the provinces' portals use, so the office edits a draft instead of
 * re-typing the minutes. Reads the conference tables directly; writes
 * nothing. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/groups.h"
#include "features/news.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"

struct conf {
    int64_t id, group_id;
    int year;
    const char *kind, *title, *held_on, *place, *summary, *group_name, *group_kind;
};

enum result news_draft_read_group(struct db *db, int64_t conference_id, int64_t *group_id,
                                  int *year)
{
    struct db_stmt *s = db_query(db, "SELECT group_id, year FROM conferences WHERE id = ?");
    db_bind_int(s, 1, conference_id);
    enum result rc = E_NOTFOUND;
    if (db_step(s) == DB_ROW) {
        *group_id = db_col_int(s, 0);
        *year = (int)db_col_int(s, 1);
        rc = OK;
    }
    if (db_done(s) == DB_ERROR)
        rc = E_DB;
    return rc;
}

static enum result read_conference(struct request *req, int64_t id, struct conf *c)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT c.group_id, c.year, c.kind, c.title, c.held_on, c.place, c.summary, "
                 "g.name, g.kind FROM conferences c JOIN emulation_groups g ON g.id = c.group_id "
                 "WHERE c.id = ?");
    db_bind_int(s, 1, id);
    enum result rc = E_NOTFOUND;
    if (db_step(s) == DB_ROW) {
        struct arena *a = req->arena;
        *c = (struct conf){
            .id = id,
            .group_id = db_col_int(s, 0),
            .year = (int)db_col_int(s, 1),
            .kind = arena_strdup(a, db_col_text(s, 2)),
            .title = arena_strdup(a, db_col_text(s, 3)),
            .held_on = arena_strdup(a, db_col_text(s, 4)),
            .place = arena_strdup(a, db_col_text(s, 5)),
            .summary = arena_strdup(a, db_col_text(s, 6)),
            .group_name = arena_strdup(a, db_col_text(s, 7)),
            .group_kind = arena_strdup(a, db_col_text(s, 8)),
        };
        rc = OK;
    }
    if (db_done(s) == DB_ERROR)
        rc = E_DB;
    return rc;
}

/* Names joined the Vietnamese way: "A, B và C". */
static void add_list(struct buf *b, json_t *names)
{
    size_t n = json_array_size(names);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(b, i + 1 == n ? _(" và ") : ", ");
        buf_adds(b, json_string_value(json_array_get(names, i)));
    }
}

static void add_date_dmy(struct buf *b, const char *iso)
{
    char dmy[11];
    date_to_dmy(iso, dmy);
    buf_adds(b, dmy[0] ? dmy : iso);
}

/* The conference as a noun phrase, "Hội nghị sơ kết …"; the title for a
 * kind the portal has no usual phrase for. */
static const char *conference_phrase(struct request *req, const struct conf *c)
{
    if (strcmp(c->kind, "pledge") == 0)
        return arena_printf(req->arena, _("Hội nghị ký kết giao ước thi đua năm %d"), c->year);
    if (strcmp(c->kind, "midyear") == 0)
        return arena_printf(req->arena, _("Hội nghị sơ kết công tác thi đua 6 tháng đầu năm %d"),
                            c->year);
    if (strcmp(c->kind, "yearend") == 0)
        return arena_printf(req->arena, _("Hội nghị tổng kết công tác thi đua năm %d"), c->year);
    return c->title;
}

static const char *article_title(struct request *req, const struct conf *c)
{
    if (strcmp(c->kind, "pledge") == 0)
        return arena_printf(req->arena, _("%s ký kết giao ước thi đua năm %d"), c->group_name,
                            c->year);
    if (strcmp(c->kind, "midyear") == 0)
        return arena_printf(req->arena, _("%s sơ kết 6 tháng đầu năm %d"), c->group_name, c->year);
    if (strcmp(c->kind, "yearend") == 0)
        return arena_printf(req->arena, _("%s tổng kết công tác thi đua năm %d"), c->group_name,
                            c->year);
    return c->title;
}

static void add_chairs(struct request *req, const struct conf *c, struct buf *b)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT h.person_name, h.person_title, u.name FROM conference_chairs h JOIN "
                 "units u ON u.id = h.unit_id WHERE h.conference_id = ? ORDER BY h.position");
    db_bind_int(s, 1, c->id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        buf_adds(b, n++ ? "; " : _("Chủ trì hội nghị: "));
        /* the title often names the unit already; the unit in brackets says
         * for whom the person spoke all the same */
        const char *title = db_col_text(s, 1);
        buf_printf(b, _("đồng chí %s"), db_col_text(s, 0));
        if (*title)
            buf_printf(b, ", %s", title);
        buf_printf(b, " (%s)", db_col_text(s, 2));
    }
    db_done(s);
    if (n)
        buf_adds(b, ".\n\n");
}

/* a recorded unit counts only while a member on the day, as the quorum does */
#define MEMBER_THAT_DAY                                                                     \
    " AND EXISTS (SELECT 1 FROM group_members w WHERE w.group_id = ? AND w.year = ? AND "   \
    "w.unit_id = a.unit_id AND (w.joined_on IS NULL OR w.joined_on <= ?) AND (w.left_on IS " \
    "NULL OR w.left_on > ?))"

static void bind_member_that_day(struct db_stmt *s, int first, const struct conf *c)
{
    db_bind_int(s, first, c->group_id);
    db_bind_int(s, first + 1, c->year);
    db_bind_text(s, first + 2, c->held_on);
    db_bind_text(s, first + 3, c->held_on);
}

/* Units present, and the absent: those recorded absent and the members of
 * that day with no row at all (a secretary who noted only who came). */
static void read_attendance(struct request *req, const struct conf *c, json_t *present,
                            json_t *absent)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT u.name FROM conference_attendance a JOIN units u ON u.id = a.unit_id "
                 "WHERE a.conference_id = ? AND a.present = 1" MEMBER_THAT_DAY
                 " ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, c->id);
    bind_member_that_day(s, 2, c);
    while (db_step(s) == DB_ROW)
        json_array_append_new(present, json_string(db_col_text(s, 0)));
    db_done(s);
    s = db_query(req->db,
                 "SELECT u.name, a.note, u.sort_key, u.id FROM conference_attendance a JOIN units u "
                 "ON u.id = a.unit_id WHERE a.conference_id = ? AND a.present = 0" MEMBER_THAT_DAY
                 " UNION ALL "
                 "SELECT u.name, '', u.sort_key, u.id FROM group_members m JOIN units u "
                 "ON u.id = m.unit_id WHERE m.group_id = ? AND m.year = ? "
                 "AND (m.joined_on IS NULL OR m.joined_on <= ?) "
                 "AND (m.left_on IS NULL OR m.left_on > ?) AND NOT EXISTS (SELECT 1 FROM "
                 "conference_attendance x WHERE x.conference_id = ? AND x.unit_id = m.unit_id) "
                 "ORDER BY 3, 4");
    db_bind_int(s, 1, c->id);
    bind_member_that_day(s, 2, c);
    db_bind_int(s, 6, c->group_id);
    db_bind_int(s, 7, c->year);
    db_bind_text(s, 8, c->held_on);
    db_bind_text(s, 9, c->held_on);
    db_bind_int(s, 10, c->id);
    while (db_step(s) == DB_ROW) {
        const char *note = db_col_text(s, 1);
        json_array_append_new(absent, json_string(*note ? arena_printf(req->arena, "%s (%s)",
                                                                       db_col_text(s, 0), note)
                                                        : db_col_text(s, 0)));
    }
    db_done(s);
}

static void add_attendance(const struct conf *c, json_t *present, json_t *absent, struct buf *b)
{
    size_t np = json_array_size(present), total = np + json_array_size(absent);
    const char *group_word = strcmp(c->group_kind, "cum") == 0 ? _("Cụm") : _("Khối");
    if (json_array_size(absent) == 0)
        buf_printf(b, _("Tham dự hội nghị có đại diện lãnh đạo đủ %zu/%zu đơn vị thành viên của "
                        "%s: "),
                   np, total, group_word);
    else
        buf_printf(b, _("Tham dự hội nghị có đại diện lãnh đạo %zu/%zu đơn vị thành viên của %s: "),
                   np, total, group_word);
    add_list(b, present);
    buf_adds(b, ".");
    if (json_array_size(absent)) {
        buf_adds(b, _(" Vắng mặt: "));
        add_list(b, absent);
        buf_adds(b, ".");
    }
    buf_adds(b, "\n\n");
}

static void add_summary(const struct conf *c, struct buf *b)
{
    if (!*c->summary)
        return;
    buf_adds(b, _("Hội nghị đã nghe báo cáo, xem xét và đánh giá kết quả thực hiện phong trào "
                  "thi đua:"));
    buf_adds(b, "\n\n");
    buf_adds(b, c->summary);
    buf_adds(b, "\n\n");
}

static void add_decisions(struct request *req, const struct conf *c, struct buf *b)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT d.kind, d.content, h.name, p.name FROM conference_decisions d "
                 "LEFT JOIN units h ON h.id = d.head_unit_id "
                 "LEFT JOIN units p ON p.id = d.deputy_unit_id "
                 "WHERE d.conference_id = ? ORDER BY d.position, d.id");
    db_bind_int(s, 1, c->id);
    bool cum = strcmp(c->group_kind, "cum") == 0;
    /* a year-end conference elects the leaders of the year to come */
    int elected_year = strcmp(c->kind, "yearend") == 0 ? c->year + 1 : c->year;
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++)
            buf_adds(b, _("Hội nghị đã thống nhất:"));
        const char *head = db_col_text(s, 2), *deputy = db_col_text(s, 3);
        const char *kind = cum ? "cum" : "khoi";
        /* the election in the article's own words, once (the decision's
         * wording would repeat "Hội nghị thống nhất") */
        if (strcmp(db_col_text(s, 0), "election") == 0 && *head && *deputy)
            buf_printf(b, _("\n- Bầu %s làm %s, %s làm %s năm %d."), head,
                       group_head_title(kind), deputy, group_deputy_title(kind), elected_year);
        else if (strcmp(db_col_text(s, 0), "election") == 0 && *head)
            buf_printf(b, _("\n- Bầu %s làm %s năm %d."), head, group_head_title(kind),
                       elected_year);
        else
            buf_printf(b, "\n- %s", db_col_text(s, 1));
    }
    db_done(s);
    if (n)
        buf_adds(b, "\n\n");
}

static void add_tasks(struct request *req, const struct conf *c, struct buf *b)
{
    struct db_stmt *s = db_query(
        req->db, "SELECT t.content, u.name, t.due_on FROM conference_tasks t LEFT JOIN units u "
                 "ON u.id = t.unit_id WHERE t.conference_id = ? ORDER BY t.position, t.id");
    db_bind_int(s, 1, c->id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++)
            buf_adds(b, _("Nhiệm vụ trọng tâm thời gian tới:"));
        buf_printf(b, "\n- %s", db_col_text(s, 0));
        const char *unit = db_col_text(s, 1), *due = db_col_text(s, 2);
        if (*unit || *due) {
            buf_adds(b, " (");
            buf_adds(b, *unit ? unit : "");
            if (*due) {
                buf_adds(b, *unit ? _(", hạn ") : _("hạn "));
                add_date_dmy(b, due);
            }
            buf_adds(b, ")");
        }
    }
    db_done(s);
    if (n)
        buf_adds(b, "\n\n");
}

enum result news_draft_compose(struct request *req, int64_t conference_id, struct news_draft *d,
                               struct err *e)
{
    struct conf c;
    enum result rc = read_conference(req, conference_id, &c);
    if (rc == E_NOTFOUND)
        return err_set(e, E_NOTFOUND, "", _("Không có hội nghị số %lld."),
                       (long long)conference_id);
    if (rc != OK)
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu."));
    if (db_scalar_int_arg(req->db,
                          "SELECT count(*) FROM conference_attendance WHERE conference_id = ?",
                          c.id) == 0)
        return err_set(e, E_INVALID, "conference",
                       _("Hội nghị này chưa ghi điểm danh các đơn vị tham dự, nên chưa soạn được "
                         "bản tin. Hãy ghi điểm danh của hội nghị trước."));
    json_t *present = json_array(), *absent = json_array();
    read_attendance(req, &c, present, absent);
    if (json_array_size(present) == 0) {
        json_decref(present);
        json_decref(absent);
        return err_set(e, E_INVALID, "conference",
                       _("Theo điểm danh, không đơn vị nào có mặt ở hội nghị này, nên không soạn "
                         "được bản tin. Hãy xem lại điểm danh."));
    }
    d->group_id = c.group_id;
    d->year = c.year;
    d->title = article_title(req, &c);
    const char *phrase = conference_phrase(req, &c);
    char held_dmy[11];
    date_to_dmy(c.held_on, held_dmy);
    size_t np = json_array_size(present), total = np + json_array_size(absent);
    d->summary = arena_printf(req->arena,
                              _("Ngày %s, %s tổ chức %s với sự tham dự của %zu/%zu đơn vị thành "
                                "viên."),
                              held_dmy, c.group_name, phrase, np, total);

    struct buf b = BUF_INIT;
    if (*c.place)
        buf_printf(&b, _("Ngày %s, tại %s, %s tổ chức %s."), held_dmy, c.place, c.group_name,
                   phrase);
    else
        buf_printf(&b, _("Ngày %s, %s tổ chức %s."), held_dmy, c.group_name, phrase);
    buf_adds(&b, "\n\n");
    add_chairs(req, &c, &b);
    add_attendance(&c, present, absent, &b);
    add_summary(&c, &b);
    add_decisions(req, &c, &b);
    add_tasks(req, &c, &b);
    json_decref(present);
    json_decref(absent);
    /* no trailing blank lines: the edit form shows the body as it is */
    while (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    d->body = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return OK;
}
