/* The register of outgoing documents (sổ văn bản đi): /documents … Each
 * document registered takes the next number of its issuer, year and series
 * in the same transaction that records it (features/docnum.h). */
#include "features/documents.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/docnum.h"
#include "features/groups.h"
#include "features/listing.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

#define DOCUMENT_COLUMNS                                                                  \
    "d.id, d.issuer_id, u.name, u.code, d.year, d.series, d.number, d.symbol, d.kind, "   \
    "d.subject, d.issued_on, d.created_at, d.group_id"

static json_t *document_row(struct db_stmt *s)
{
    /* a symbol is at most 40 characters of up to 4 bytes */
    char number[24 + 4 * 40 + 8], dmy[11];
    docnum_format(db_col_int(s, 6), db_col_text(s, 7), number, sizeof number);
    date_to_dmy(db_col_text(s, 10), dmy);
    const struct doc_kind *k = doc_kind_of(db_col_text(s, 8));
    json_t *d = json_pack("{s:I,s:{s:I,s:s,s:s},s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
                     (json_int_t)db_col_int(s, 0), "issuer", "id", (json_int_t)db_col_int(s, 1),
                     "name", db_col_text(s, 2), "code", db_col_text(s, 3), "year",
                     (json_int_t)db_col_int(s, 4), "series", db_col_text(s, 5), "number",
                     (json_int_t)db_col_int(s, 6), "symbol", db_col_text(s, 7), "number_text",
                     number, "kind", db_col_text(s, 8), "kind_name", k ? _(k->name) : "",
                     "subject", db_col_text(s, 9), "issued_on", db_col_text(s, 10),
                     "issued_on_dmy", dmy, "created_at", db_col_text(s, 11));
    json_object_set_new(d, "group_id",
                        db_col_is_null(s, 12) ? json_null() : json_integer(db_col_int(s, 12)));
    return d;
}

json_t *document_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT " DOCUMENT_COLUMNS " FROM documents d JOIN units u "
                                     "ON u.id = d.issuer_id WHERE d.id = ?");
    db_bind_int(s, 1, id);
    json_t *d = db_step(s) == DB_ROW ? document_row(s) : NULL;
    db_done(s);
    return d;
}

static json_t *kind_options(const char *selected)
{
    json_t *out = json_array();
    for (const struct doc_kind *k = doc_kinds; k->code; k++)
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "value", k->code, "name", _(k->name),
                                             "selected", selected && strcmp(selected, k->code) == 0));
    return out;
}

enum result documents_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    int64_t issuer = req_int(req, "issuer", 0), year = req_int(req, "year", 0);
    const char *kind = req_text(req, "kind");
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 20);
    int64_t root = scope_root(req);
    if (issuer && scope_require_unit(req, issuer) != OK)
        return E_FORBIDDEN;
    const char *where = arena_printf(
        req->arena, " WHERE 1 = 1%s%s%s%s", issuer ? " AND d.issuer_id = ?" : "",
        year ? " AND d.year = ?" : "", kind ? " AND d.kind = ?" : "",
        root ? " AND d.issuer_id IN (" SCOPE_SUBTREE_SQL ")" : "");
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct db_stmt *s = db_query(
            req->db,
            pass == 0 ? arena_printf(req->arena, "SELECT count(*) FROM documents d%s", where)
                      : arena_printf(req->arena,
                                     "SELECT " DOCUMENT_COLUMNS " FROM documents d JOIN units u "
                                     "ON u.id = d.issuer_id%s ORDER BY d.issued_on DESC, d.year "
                                     "DESC, d.number DESC, d.id DESC LIMIT ? OFFSET ?",
                                     where));
        int i = 1;
        if (issuer)
            db_bind_int(s, i++, issuer);
        if (year)
            db_bind_int(s, i++, year);
        if (kind)
            db_bind_text(s, i++, kind);
        if (root)
            db_bind_int(s, i++, root);
        if (pass == 1) {
            db_bind_int(s, i++, per_page);
            db_bind_int(s, i, (page - 1) * per_page);
        }
        while (db_step(s) == DB_ROW) {
            if (pass == 0)
                total = db_col_int(s, 0);
            else
                json_array_append_new(items, document_row(s));
        }
        if (db_done(s) == DB_ERROR) {
            json_decref(items);
            return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
        }
    }
    json_t *m = req->model;
    json_object_set_new(m, "items", items);
    json_object_set_new(m, "total", json_integer(total));
    static const char *const texts[] = {"kind", NULL};
    static const char *const ints[] = {"issuer", "year", "per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    json_object_set(m, "query", query);
    json_object_set_new(m, "kinds", kind_options(kind));
    json_object_set_new(m, "issuers", unit_options(req->db, issuer, root, 0));
    static const char *const no_sort[] = {NULL};
    listing_page_model(req, m, "/documents", query, total, page, per_page, no_sort, "");
    json_decref(query);
    return OK;
}

enum result documents_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *d = document_get(req->db, id);
    if (!d)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có văn bản số hiệu %lld trong sổ."),
                        (long long)id);
    int64_t issuer = json_integer_value(json_object_get(json_object_get(d, "issuer"), "id"));
    /* a group's document (its plan, its minutes) is read by that year's
     * members too, not only by the issuing head unit */
    int64_t group = json_integer_value(json_object_get(d, "group_id"));
    int year = (int)json_integer_value(json_object_get(d, "year"));
    bool member = group && group_can_view_year(req, group, year);
    if (!member && scope_require_unit(req, issuer) != OK) {
        json_decref(d);
        return E_FORBIDDEN;
    }
    json_object_set_new(req->model, "document", d);
    return OK;
}

static void form_model(struct request *req, json_t *doc)
{
    json_object_set(req->model, "document", doc);
    json_object_set_new(req->model, "kinds",
                        kind_options(json_string_value(json_object_get(doc, "kind"))));
    json_object_set_new(req->model, "issuers",
                        unit_options(req->db,
                                     json_integer_value(json_object_get(doc, "issuer_id")),
                                     scope_root(req), 0));
}

enum result documents_new(struct request *req)
{
    char today[11], dmy[11];
    date_today(today);
    date_to_dmy(today, dmy);
    int64_t issuer = req->user->unit_id;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "kind", "QD", "series", "", "symbol", "",
                          "subject", "", "issued_on", dmy, "issuer_id", (json_int_t)issuer);
    form_model(req, d);
    json_decref(d);
    return OK;
}

/* A symbol (or a series' name) as the decree writes them: letters —
 * Vietnamese ones included — and digits, groups joined by single '-', no
 * space, no '/' and no other sign. */
static bool symbol_ok(const char *s)
{
    if (!s || !*s || *s == '-' || s[strlen(s) - 1] == '-' || strstr(s, "--"))
        return false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
        if (k <= 0)
            return false;
        utf8proc_category_t c = utf8proc_category(cp);
        bool letter = c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL ||
                      c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LO ||
                      c == UTF8PROC_CATEGORY_MN;
        if (!(letter || c == UTF8PROC_CATEGORY_ND || cp == '-'))
            return false;
        p += k;
        left -= k;
    }
    return true;
}

static enum result show_again(struct request *req)
{
    json_t *typed = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:I}", "kind", req_text(req, "kind"),
                              "series", req_text(req, "series"), "symbol", req_text(req, "symbol"),
                              "subject", req_text(req, "subject"), "issued_on",
                              req_value(req, "issued_on") ? req_value(req, "issued_on")->text : NULL,
                              "issuer_id", (json_int_t)req_int(req, "issuer_id", 0));
    form_model(req, typed);
    json_decref(typed);
    req->status = 422;
    req->template = "documents/form";
    return OK;
}

enum result documents_create(struct request *req)
{
    int64_t issuer = req_int(req, "issuer_id", 0);
    const char *kind_code = req_text(req, "kind"), *series = req_text(req, "series");
    const char *symbol = req_text(req, "symbol"), *subject = req_text(req, "subject");
    const char *issued_on = req_text(req, "issued_on");
    const struct doc_kind *kind = doc_kind_of(kind_code);
    if (!issuer)
        req_field_error(req, "issuer_id", _("Hãy chọn cơ quan ban hành."));
    else if (!scope_has_unit(req, issuer))
        req_field_error(req, "issuer_id", _("Bạn chỉ đăng ký được văn bản của đơn vị mình."));
    if (!kind)
        req_field_error(req, "kind", _("Hãy chọn loại văn bản."));
    if (!subject)
        req_field_error(req, "subject", _("Hãy nhập trích yếu nội dung văn bản."));
    if (!issued_on)
        req_field_error(req, "issued_on", _("Hãy nhập ngày ban hành (ngày/tháng/năm)."));
    if (symbol && !symbol_ok(symbol))
        req_field_error(req, "symbol", _("Ký hiệu chỉ gồm chữ, chữ số và dấu - giữa các nhóm, "
                                         "không có dấu cách hay dấu /, ví dụ QĐ-UBND."));
    /* a series is named like a symbol and in capitals, so "hđtđkt" and
     * "HĐTĐKT" are one series */
    char *series_up = NULL;
    if (series) {
        if (!symbol_ok(series))
            req_field_error(req, "series", _("Tên sổ riêng chỉ gồm chữ, chữ số và dấu - giữa "
                                             "các nhóm, ví dụ HĐTĐKT."));
        series_up = text_upper(series);
        series = arena_strdup(req->arena, series_up);
        free(series_up);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    char *code = NULL;
    if (issuer && !req_has_errors(req)) {
        struct db_stmt *s = db_query(req->db, "SELECT code FROM units WHERE id = ?");
        db_bind_int(s, 1, issuer);
        if (db_step(s) == DB_ROW)
            code = arena_strdup(req->arena, db_col_text(s, 0));
        db_done(s);
        if (!code)
            req_field_error(req, "issuer_id", _("Không có đơn vị này."));
    }
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return show_again(req);
    }
    char *default_symbol = NULL;
    if (!symbol) {
        /* a series' documents carry its name after the kind: QĐ-HĐTĐKT */
        default_symbol = docnum_default_symbol(kind, series ? series : code);
        symbol = arena_strdup(req->arena, default_symbol);
        free(default_symbol);
    }
    int year = atoi(issued_on);
    int64_t number = 0, id = 0;
    enum result rc = docnum_next(req->db, issuer, year, series, &number);
    if (rc == OK) {
        char now[21];
        date_now_utc(now);
        struct db_stmt *s = db_query(
            req->db, "INSERT INTO documents (issuer_id, year, series, number, symbol, kind, "
                     "subject, issued_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?) RETURNING id");
        db_bind_int(s, 1, issuer);
        db_bind_int(s, 2, year);
        db_bind_text(s, 3, series ? series : "");
        db_bind_int(s, 4, number);
        db_bind_text(s, 5, symbol);
        db_bind_text(s, 6, kind->code);
        db_bind_text(s, 7, subject);
        db_bind_text(s, 8, issued_on);
        db_bind_int(s, 9, req->user->id);
        db_bind_text(s, 10, now);
        if (db_step(s) == DB_ROW)
            id = db_col_int(s, 0);
        rc = db_done(s) == DB_ERROR || !id
                 ? (db_last_was_unique_violation(req->db) ? E_CONFLICT : E_DB)
                 : OK;
    }
    if (rc == E_CONFLICT) {
        /* another series of the issuer already printed this number and symbol */
        db_rollback(req->db);
        req_field_error(req, "symbol", _("Số %02lld với ký hiệu %s đã có trong sổ năm %d của cơ "
                                         "quan này; hãy dùng ký hiệu khác."),
                        (long long)number, symbol, year);
        return show_again(req);
    }
    if (rc == OK)
        rc = audit_commit(req, "create", "document", id, NULL, document_get);
    json_t *d = rc == OK ? document_get(req->db, id) : NULL;
    if (!d)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    const char *text = arena_strdup(req->arena, json_string_value(json_object_get(d, "number_text")));
    json_object_set_new(req->model, "document", d);
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/documents/%lld", (long long)id),
                        arena_printf(req->arena, _("Đã lấy số %s."), text));
}
