/* The audit page and export (audit_pages.h). Entries are stored with UTC
 * times; people filter and read them by the day in Vietnam (UTC+7, no
 * daylight saving), so the day's bounds are moved seven hours back. */
#include "features/audit_pages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "docs/xlsx_write.h"
#include "features/listing.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char XLSX_TYPE[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* The UTC instant at which local day iso (+days) begins: "2026-11-21T17:00:00Z". */
static const char *local_day_start(struct request *req, const char *iso, int days)
{
    struct tm tm = {0};
    tm.tm_year = atoi(iso) - 1900;
    tm.tm_mon = atoi(iso + 5) - 1;
    tm.tm_mday = atoi(iso + 8) + days;
    time_t t = timegm(&tm) - 7 * 3600;
    struct tm out;
    gmtime_r(&t, &out);
    char buf[24];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
    return arena_strdup(req->arena, buf);
}

/* "2026-11-22T01:02:03Z" → "22/11/2026 08:02:03" (Vietnam time). */
static const char *local_time(struct request *req, const char *utc)
{
    struct tm tm = {0};
    if (!utc || strlen(utc) < 19)
        return "";
    tm.tm_year = atoi(utc) - 1900;
    tm.tm_mon = atoi(utc + 5) - 1;
    tm.tm_mday = atoi(utc + 8);
    tm.tm_hour = atoi(utc + 11);
    tm.tm_min = atoi(utc + 14);
    tm.tm_sec = atoi(utc + 17);
    time_t t = timegm(&tm) + 7 * 3600;
    struct tm out;
    gmtime_r(&t, &out);
    char buf[24];
    strftime(buf, sizeof buf, "%d/%m/%Y %H:%M:%S", &out);
    return arena_strdup(req->arena, buf);
}

static const char *action_label(const char *a)
{
    static const struct {
        const char *action, *label;
    } labels[] = {
        {"create", N_("Thêm mới")}, {"update", N_("Sửa")},
        {"deactivate", N_("Ngừng hoạt động")}, {"activate", N_("Hoạt động lại")},
        {"import", N_("Nhập từ Excel")}, {"login", N_("Đăng nhập")},
        {"login_recovery_code", N_("Đăng nhập bằng mã khôi phục")}, {"logout", N_("Đăng xuất")},
        {"password_change", N_("Đổi mật khẩu")}, {"password_reset", N_("Đặt lại mật khẩu")},
        {"disable", N_("Khóa tài khoản")}, {"enable", N_("Mở khóa tài khoản")},
        {"totp_enable", N_("Bật xác thực hai lớp")}, {"totp_disable", N_("Tắt xác thực hai lớp")},
        {"totp_reset", N_("Gỡ xác thực hai lớp")}, {"totp_setup", N_("Bắt đầu cài xác thực hai lớp")},
        {"demo", N_("Tạo dữ liệu mẫu")}, {"reset", N_("Trở lại bản có sẵn")},
        {"add_member", N_("Thêm thành viên")}, {"member_leave", N_("Ghi nhận rời khối")},
        {"set_leaders", N_("Chọn Trưởng, Phó khối")}, {"handover", N_("Bàn giao")},
        {"add_target", N_("Thêm chỉ tiêu")}, {"delete_target", N_("Bỏ chỉ tiêu")},
        {"add_participant", N_("Thêm đối tượng tham gia")},
        {"delete_participant", N_("Bỏ đối tượng tham gia")}, {"launch", N_("Phát động")},
        {"close", N_("Kết thúc")}, {"register_plan", N_("Lấy số kế hoạch")},
        {"item_add", N_("Thêm nội dung")}, {"item_update", N_("Sửa nội dung")},
        {"item_delete", N_("Bỏ nội dung")}, {"open", N_("Mở ký")},
        {"draft", N_("Trở lại dự thảo")}, {"sign", N_("Ký giao ước")}, {"complete", N_("Đủ chữ ký")},
        {"attendance", N_("Điểm danh")}, {"chair_add", N_("Thêm người chủ trì")},
        {"chair_delete", N_("Bỏ người chủ trì")}, {"report", N_("Báo cáo số liệu")},
        {"task_add", N_("Thêm nhiệm vụ")}, {"task_delete", N_("Bỏ nhiệm vụ")},
        {"decision", N_("Ghi kết luận")}, {"decision_delete", N_("Bỏ kết luận")}, {"election", N_("Bầu Trưởng, Phó khối")},
        {"elect", N_("Bầu Trưởng, Phó khối")}, {"minutes", N_("Lấy số biên bản")},
        {"publish", N_("Đăng tải")}, {"unpublish", N_("Gỡ khỏi trang công khai")},
        {"answer", N_("Tự chấm tiêu chí")}, {"submit", N_("Nộp phiếu tự chấm")},
        /* score stages (score_stage.c, score_review.c, score_evidence.c, score_adjust.c) */
        {"stage", N_("Chuyển giai đoạn chấm điểm")},
        {"close_late", N_("Khép phiếu không nộp đúng hạn (ghi 0 điểm)")},
        {"review", N_("Sửa điểm khi thẩm định")}, {"women", N_("Kê khai tỷ lệ nữ")},
        {"explain", N_("Giải trình")}, {"evidence_add", N_("Nộp minh chứng")},
        {"evidence_remove", N_("Gỡ minh chứng")}, {"adjust", N_("Ghi điểm thưởng, trừ, vi phạm")},
        {"adjust_withdraw", N_("Rút điểm thưởng, trừ, vi phạm")},
        /* criteria editing, settings, templates */
        {"node_update", N_("Sửa mục của bảng tiêu chí")}, {"node_move", N_("Đổi thứ tự mục")},
        {"settings", N_("Sửa cách xếp hạng")}, {"bands_default", N_("Điền mức xếp loại thường dùng")},
        {"deadlines", N_("Sửa thời hạn chấm điểm")},
        {"delete", N_("Xóa")},
        {"cross_mark", N_("Chấm chéo")},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].action, a) == 0)
            return _(labels[i].label);
    return a;
}

static const char *const entity_codes[] = {"unit",       "person",    "user",     "session",
                                           "units",      "persons",   "document", "doc_template",
                                           "group",      "group_year", "movement", "pledge",
                                           "conference", "news",      "criteria", "score_sheet",
                                           "criteria_template", "whatif", "cross_mark", NULL};
static const char *const entity_names[] = {
    N_("Đơn vị"),          N_("Cá nhân"),           N_("Tài khoản"),       N_("Phiên đăng nhập"),
    N_("Danh sách đơn vị"), N_("Danh sách cá nhân"), N_("Văn bản"),         N_("Mẫu văn bản"),
    N_("Khối, cụm"),        N_("Năm của khối, cụm"), N_("Phong trào"),      N_("Giao ước"),
    N_("Hội nghị"),         N_("Bản tin"),          N_("Bảng tiêu chí"), N_("Phiếu tự chấm"),
    N_("Bảng tiêu chí mẫu"), N_("Bản thử thay đổi bảng tiêu chí"),
    N_("Điểm chấm chéo")};

static const char *entity_label(const char *e)
{
    for (int i = 0; entity_codes[i]; i++)
        if (strcmp(entity_codes[i], e) == 0)
            return _(entity_names[i]);
    return e;
}

/* Builds the WHERE clause of the filters; binds them with bind_filters. */
struct audit_filter {
    const char *entity, *login, *from, *to;
    int64_t entity_id;
};

static struct audit_filter filter_of(struct request *req)
{
    struct audit_filter f = {
        .entity = req_text(req, "entity"),
        .entity_id = req_int(req, "entity_id", 0),
        .login = req_text(req, "login"),
        .from = req_text(req, "from") ? local_day_start(req, req_text(req, "from"), 0) : NULL,
        .to = req_text(req, "to") ? local_day_start(req, req_text(req, "to"), 1) : NULL,
    };
    return f;
}

static const char *where_of(struct request *req, const struct audit_filter *f)
{
    return arena_printf(req->arena, " WHERE 1 = 1%s%s%s%s%s", f->entity ? " AND entity = ?" : "",
                        f->entity_id ? " AND entity_id = ?" : "", f->login ? " AND login = ?" : "",
                        f->from ? " AND at >= ?" : "", f->to ? " AND at < ?" : "");
}

static int bind_filters(struct db_stmt *s, const struct audit_filter *f)
{
    int i = 1;
    if (f->entity)
        db_bind_text(s, i++, f->entity);
    if (f->entity_id)
        db_bind_int(s, i++, f->entity_id);
    if (f->login)
        db_bind_text(s, i++, f->login);
    if (f->from)
        db_bind_text(s, i++, f->from);
    if (f->to)
        db_bind_text(s, i++, f->to);
    return i;
}

#define AUDIT_COLUMNS                                                                          \
    "seq, at, login, action, entity, entity_id, before_json, after_json, request_id, client"

static json_t *entry_row(struct request *req, struct db_stmt *s)
{
    const char *entity = db_col_text(s, 4);
    json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
                            (json_int_t)db_col_int(s, 0), "at", db_col_text(s, 1), "at_local",
                            local_time(req, db_col_text(s, 1)), "login", db_col_text(s, 2),
                            "action", db_col_text(s, 3), "action_label",
                            action_label(db_col_text(s, 3)), "entity", entity, "entity_label",
                            entity_label(entity), "client", db_col_text(s, 9));
    if (!db_col_is_null(s, 5)) {
        int64_t id = db_col_int(s, 5);
        json_object_set_new(row, "entity_id", json_integer(id));
        const char *base = strcmp(entity, "unit") == 0     ? "/units/"
                           : strcmp(entity, "person") == 0 ? "/persons/"
                           : strcmp(entity, "user") == 0   ? "/users/"
                           : strcmp(entity, "document") == 0 ? "/documents/"
                                                           : NULL;
        if (base)
            json_object_set_new(row, "entity_url",
                                json_string(arena_printf(req->arena, "%s%lld", base, (long long)id)));
    }
    json_object_set_new(row, "before", db_col_is_null(s, 6) ? json_null()
                                                            : json_string(db_col_text(s, 6)));
    json_object_set_new(row, "after", db_col_is_null(s, 7) ? json_null()
                                                           : json_string(db_col_text(s, 7)));
    json_object_set_new(row, "request_id", json_string(db_col_text(s, 8)));
    return row;
}

enum result audit_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    struct audit_filter f = filter_of(req);
    const char *where = where_of(req, &f);
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 50);
    struct db_stmt *s =
        db_query(req->db, arena_printf(req->arena, "SELECT count(*) FROM audit_log%s", where));
    bind_filters(s, &f);
    int64_t total = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    s = db_query(req->db, arena_printf(req->arena,
                                       "SELECT " AUDIT_COLUMNS " FROM audit_log%s ORDER BY seq "
                                       "DESC LIMIT ? OFFSET ?",
                                       where));
    int i = bind_filters(s, &f);
    db_bind_int(s, i++, per_page);
    db_bind_int(s, i, (page - 1) * per_page);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(items, entry_row(req, s));
    if (db_done(s) == DB_ERROR) {
        json_decref(items);
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    }
    json_t *m = req->model;
    json_object_set_new(m, "items", items);
    json_object_set_new(m, "total", json_integer(total));
    static const char *const texts[] = {"entity", "login", "from", "to", NULL};
    static const char *const ints[] = {"entity_id", "per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    json_object_set(m, "query", query);
    json_object_set_new(m, "entities", listing_choices(f.entity, entity_codes, entity_names));
    json_object_set_new(m, "export_url", json_string(listing_url(req, "/audit/export.xlsx", query)));
    static const char *const no_sort[] = {NULL};
    listing_page_model(req, m, "/audit", query, total, page, per_page, no_sort, "");
    json_decref(query);
    return OK;
}

enum result audit_export(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    struct audit_filter f = filter_of(req);
    static const char *const headers[] = {
        N_("Số thứ tự"), N_("Thời gian"), N_("Người thực hiện"), N_("Thao tác"),
        N_("Loại dữ liệu"), N_("Số hiệu"), N_("Trước khi sửa"), N_("Sau khi sửa"),
        N_("Mã yêu cầu"), N_("Địa chỉ máy"),
    };
    const char *names[10];
    for (int i = 0; i < 10; i++)
        names[i] = _(headers[i]);
    static const double widths[] = {10, 20, 18, 22, 18, 10, 50, 50, 18, 16};
    struct err e = {0};
    struct xlsx_table_writer *w =
        xlsx_table_begin(_("Nhật ký"), _("Nhật ký thay đổi dữ liệu"), names, widths, 10, &e);
    if (!w)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    struct db_stmt *s = db_query(
        req->db, arena_printf(req->arena, "SELECT " AUDIT_COLUMNS " FROM audit_log%s ORDER BY seq",
                              where_of(req, &f)));
    bind_filters(s, &f);
    while (db_step(s) == DB_ROW) {
        xlsx_table_int(w, db_col_int(s, 0));
        xlsx_table_text(w, local_time(req, db_col_text(s, 1)));
        xlsx_table_text(w, db_col_text(s, 2));
        xlsx_table_text(w, action_label(db_col_text(s, 3)));
        xlsx_table_text(w, entity_label(db_col_text(s, 4)));
        if (db_col_is_null(s, 5))
            xlsx_table_blank(w);
        else
            xlsx_table_int(w, db_col_int(s, 5));
        xlsx_table_text(w, db_col_is_null(s, 6) ? NULL : db_col_text(s, 6));
        xlsx_table_text(w, db_col_is_null(s, 7) ? NULL : db_col_text(s, 7));
        xlsx_table_text(w, db_col_text(s, 8));
        xlsx_table_text(w, db_col_text(s, 9));
        xlsx_table_end_row(w);
    }
    if (db_done(s) == DB_ERROR) {
        xlsx_table_abort(w);
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    }
    char *data;
    size_t len;
    if (xlsx_table_finish(w, &data, &len, &e) != OK)
        return req_fail(req, e.code, NULL, "%s", e.msg);
    char today[11];
    date_today(today);
    return req_download(req, data, len, XLSX_TYPE,
                        arena_printf(req->arena, "nhat-ky-%s.xlsx", today));
}
