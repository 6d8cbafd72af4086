/* The minutes (Biên bản họp) of a conference, printed from what was
 * recorded (doctemplates/bien_ban.mustache) as DOCX or PDF, and their
 * registration in the head unit's register of outgoing documents, so the
 * printed minutes carry their number. */
#include "features/conferences.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/doc_template_pages.h"
#include "features/doc_templates.h"
#include "features/docnum.h"
#include "features/documents.h"
#include "features/groups.h"
#include "features/registry.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

/* "8 giờ 00 phút" of "08:00" */
static const char *clock_words(struct request *req, const char *hhmm)
{
    return arena_printf(req->arena, _("%d giờ %.2s phút"), atoi(hhmm), hhmm + 3);
}

static const char *upper(struct request *req, const char *s)
{
    char *u = text_upper(s);
    const char *out = arena_strdup(req->arena, u);
    free(u);
    return out;
}

/* The place in the date line: the province's name without "Tỉnh" or
 * "Thành phố" ("Bắc Ninh, ngày …"). */
static const char *place_of_province(struct request *req)
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

/* The model of bien_ban from the page's model (conference_page_model). */
static json_t *minutes_model(struct request *req)
{
    json_t *m = req->model;
    json_t *conf = json_object_get(m, "conference"), *group = json_object_get(m, "group");
    json_t *gy = json_object_get(m, "group_year"), *q = json_object_get(m, "quorum");
    json_t *head = json_object_get(gy, "head");
    const char *head_name = json_string_value(json_object_get(head, "name"));
    json_t *issuer =
        head_name ? json_pack("{s:s,s:s,s:s}", "parent", upper(req, conf_str(group, "name")),
                              "name", upper(req, head_name), "name_sentence", head_name)
                  : json_pack("{s:s,s:s,s:s}", "parent", "", "name",
                              upper(req, conf_str(group, "name")), "name_sentence",
                              conf_str(group, "name"));
    char words[64];
    doc_date_words(conf_str(conf, "held_on"), words, sizeof words);
    const char *started = arena_printf(req->arena, "%s, %s", clock_words(req, conf_str(conf, "starts_at")),
                                       words);
    const char *ends = conf_str(conf, "ends_at");
    const char *ended = *ends ? arena_printf(req->arena, _("%s cùng ngày"), clock_words(req, ends))
                              : _("…… giờ …… phút cùng ngày");

    /* chairs: "<person>, <title>, <unit>"; the first one signs by name */
    char *chair = arena_strdup(req->arena, "");
    const char *signer = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(m, "chairs"), i, r)
    {
        const char *title = conf_str(r, "person_title");
        chair = arena_printf(req->arena, "%s%s%s%s%s, %s", chair, i ? "; " : "",
                               conf_str(r, "person_name"), *title ? ", " : "", title,
                               conf_str(r, "unit_name"));
        if (!signer)
            signer = conf_str(r, "person_name");
    }
    /* the absent, with their notes; members never recorded count as absent */
    char *absent = arena_strdup(req->arena, "");
    json_array_foreach(json_object_get(m, "attendance"), i, r)
    {
        if (json_is_true(json_object_get(r, "present")))
            continue;
        const char *note = json_is_true(json_object_get(r, "unknown"))
                               ? _("không ghi nhận có mặt")
                               : conf_str(r, "note");
        absent = arena_printf(req->arena, "%s%s%s%s%s%s", absent, *absent ? "; " : "",
                              conf_str(r, "name"), *note ? " (" : "", note, *note ? ")" : "");
    }
    json_t *contents = json_array();
    char *summary = arena_strdup(req->arena, conf_str(conf, "summary"));
    /* strtok_r: handlers run on several threads at once */
    char *save = NULL;
    for (char *line = strtok_r(summary, "\r\n", &save); line;
         line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line)
            json_array_append_new(contents, json_string(line));
    }
    json_t *review = json_object_get(m, "review");
    if (json_is_object(review) && json_array_size(json_object_get(review, "items"))) {
        json_array_append_new(contents,
                              json_string(_("Kết quả thực hiện giao ước thi đua của các đơn vị:")));
        json_array_foreach(json_object_get(review, "units"), i, r)
            json_array_append_new(contents, json_string(conf_str(r, "summary_line")));
    }
    json_array_foreach(json_object_get(m, "tasks"), i, r)
    {
        const char *due = conf_str(r, "due_on_dmy");
        json_array_append_new(
            contents, json_string(arena_printf(req->arena, _("Nhiệm vụ: %s (%s%s%s)."),
                                               conf_str(r, "content"), conf_str(r, "unit_name"),
                                               *due ? _(", hạn ") : "", due)));
    }
    json_t *decisions = json_array();
    json_array_foreach(json_object_get(m, "decisions"), i, r)
        json_array_append(decisions, json_object_get(r, "content"));
    json_t *minutes = json_object_get(m, "minutes");
    /* unregistered minutes print "Số:      /BB-MTTQ", the number left to
     * write by hand as on a draft (ND30) */
    const char *number = "";
    if (json_is_object(minutes))
        number = conf_str(minutes, "number_text");
    else if (head) {
        json_t *unit = unit_get(req->db, json_integer_value(json_object_get(head, "id")));
        char *symbol = unit ? docnum_default_symbol(doc_kind_of("BB"),
                                                    json_string_value(json_object_get(unit, "code")))
                            : NULL;
        if (symbol)
            /* no-break spaces: the markup trims ordinary ones */
            number = arena_printf(req->arena,
                                  "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/%s",
                                  symbol);
        free(symbol);
        json_decref(unit);
    }
    const char *place = conf_str(conf, "place");
    /* what was not recorded prints as a line to fill in by hand */
    static const char blank[] = "……………………………";
    const char *secretary = *conf_str(conf, "secretary") ? conf_str(conf, "secretary") : blank;
    return json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:O,s:s,s:o,s:o,s:s}", "issuer",
                     issuer, "place", place_of_province(req), "number", number, "date",
                     conf_str(conf, "held_on"), "subject", conf_str(conf, "title"), "started",
                     started, "place_held", *place ? place : blank, "chair",
                     *chair ? chair : blank, "chair_signer", signer ? signer : "", "secretary",
                     secretary, "present_count",
                     json_object_get(q, "present"), "member_count", json_object_get(q, "members"),
                     "absent_text", absent, "contents", contents, "decisions", decisions, "ended",
                     ended);
}

static bool attendance_recorded(struct request *req, int64_t id)
{
    return db_scalar_int_arg(req->db,
                             "SELECT count(*) FROM conference_attendance WHERE conference_id = ?",
                             id) > 0;
}

static enum result send_minutes(struct request *req, bool pdf)
{
    json_t *c = conference_of_path(req, false);
    if (!c)
        return req->err.code;
    int64_t id = conf_int(c, "id");
    if (!attendance_recorded(req, id)) {
        enum result rc = conference_refuse(req, c, "attendance",
                                           _("Chưa ghi thành phần dự họp nên chưa lập được biên "
                                             "bản. Hãy ghi có mặt, vắng mặt của từng đơn vị."));
        json_decref(c);
        return rc;
    }
    conference_page_model(req, c);
    json_decref(c);
    json_t *model = minutes_model(req);
    enum result rc = doc_send(req, "bien_ban", model, pdf,
                              arena_printf(req->arena, "bien-ban-hop-%lld", (long long)id));
    json_decref(model);
    return rc;
}

enum result conference_minutes_docx(struct request *req)
{
    return send_minutes(req, false);
}

enum result conference_minutes_pdf(struct request *req)
{
    return send_minutes(req, true);
}

enum result conference_minutes_register(struct request *req)
{
    json_t *c = conference_of_path(req, true);
    if (!c)
        return req->err.code;
    enum result held_rc;
    if (conference_not_held_yet(req, c, &held_rc)) {
        json_decref(c);
        return held_rc;
    }
    int64_t id = conf_int(c, "id"), g = conf_int(c, "group_id");
    int year = (int)conf_int(c, "year");
    if (conf_int(c, "minutes_document_id")) {
        json_t *d = document_get(req->db, conf_int(c, "minutes_document_id"));
        const char *num = d ? arena_strdup(req->arena, conf_str(d, "number_text")) : "";
        json_decref(d);
        json_decref(c);
        return req_fail(req, E_CONFLICT, NULL, _("Biên bản của hội nghị này đã được đăng ký số %s."),
                        num);
    }
    if (!attendance_recorded(req, id)) {
        enum result rc = conference_refuse(req, c, "attendance",
                                           _("Chưa ghi thành phần dự họp nên chưa đăng ký được "
                                             "biên bản."));
        json_decref(c);
        return rc;
    }
    json_t *gy = group_year_get(req->db, g, year);
    json_t *head = gy ? json_object_get(gy, "head") : NULL;
    int64_t issuer = json_integer_value(json_object_get(head, "id"));
    json_decref(gy);
    if (!issuer) {
        enum result rc = conference_refuse(req, c, "issuer",
                                           _("Khối, cụm chưa có Trưởng khối năm %d, nên chưa có "
                                             "cơ quan ban hành biên bản."),
                                           year);
        json_decref(c);
        return rc;
    }
    if (db_begin(req->db) != OK) {
        json_decref(c);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    json_t *before = conference_snapshot(req->db, id);
    /* claim the conference first: two registrations at once must not both
     * take a number (the second finds the minutes registered and stops) */
    enum result claim = conference_touch(req->db, id, req_int(req, "version", 0), true);
    if (claim != OK) {
        db_rollback(req->db);
        json_decref(before);
        json_decref(c);
        return claim == E_CONFLICT ? conference_conflict(req, id)
                                   : req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ "
                                                                 "liệu)."));
    }
    struct db_stmt *s = db_query(req->db, "SELECT code FROM units WHERE id = ?");
    db_bind_int(s, 1, issuer);
    const char *code = db_step(s) == DB_ROW ? arena_strdup(req->arena, db_col_text(s, 0)) : "";
    db_done(s);
    char *symbol = docnum_default_symbol(doc_kind_of("BB"), code);
    const char *sym = arena_strdup(req->arena, symbol);
    free(symbol);
    int64_t number = 0, doc = 0;
    enum result rc = docnum_next(req->db, issuer, year, "", &number);
    if (rc == OK) {
        char now[21];
        date_now_utc(now);
        s = db_query(req->db,
                     "INSERT INTO documents (issuer_id, year, series, number, symbol, kind, "
                     "subject, issued_on, created_by, created_at, group_id) VALUES (?, ?, '', ?, "
                     "?, 'BB', ?, ?, ?, ?, ?) RETURNING id");
        db_bind_int(s, 1, issuer);
        db_bind_int(s, 2, year);
        db_bind_int(s, 3, number);
        db_bind_text(s, 4, sym);
        db_bind_text(s, 5, arena_printf(req->arena, _("Biên bản %s"), conf_str(c, "title")));
        db_bind_text(s, 6, conf_str(c, "held_on"));
        db_bind_int(s, 7, req->user->id);
        db_bind_text(s, 8, now);
        db_bind_int(s, 9, g);
        if (db_step(s) == DB_ROW)
            doc = db_col_int(s, 0);
        rc = db_done(s) == DB_ERROR || !doc ? E_DB : OK;
    }
    if (rc == OK) {
        s = db_query(req->db, "UPDATE conferences SET minutes_document_id = ? WHERE id = ?");
        db_bind_int(s, 1, doc);
        db_bind_int(s, 2, id);
        rc = db_run(s) == DB_DONE ? OK : E_DB;
    }
    if (rc == OK) {
        json_t *d = document_get(req->db, doc);
        rc = audit_record(req, "create", "document", doc, NULL, d) == OK ? OK : E_DB;
        json_decref(d);
    }
    json_decref(c);
    if (rc == OK)
        rc = audit_commit(req, "minutes", "conference", id, before, conference_snapshot);
    else
        json_decref(before);
    if (rc != OK) {
        db_rollback(req->db);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    json_t *d = document_get(req->db, doc);
    const char *num = arena_strdup(req->arena, conf_str(d, "number_text"));
    json_object_set_new(req->model, "document", d);
    json_object_set_new(req->model, "conference", conference_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/conferences/%lld", (long long)id),
                        arena_printf(req->arena, _("Biên bản đã được đăng ký số %s."), num));
}
