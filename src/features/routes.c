/* Every route of tdkt, one row each: method, path, handler, template,
 * permission, CSRF, body limit and accepted parameters. The router enforces
 * the row (see http/http.h), so the handlers only hold the work itself. */
#include "features/routes.h"

#include "features/accounts.h"
#include "features/audit_pages.h"
#include "features/doc_template_pages.h"
#include "features/documents.h"
#include "features/conferences.h"
#include "features/criteria.h"
#include "features/score_sheets.h"
#include "features/ranking_pages.h"
#include "features/whatif.h"
#include "features/score_grid.h"
#include "features/cross_marks.h"
#include "features/groups.h"
#include "features/movements.h"
#include "features/news.h"
#include "features/pledges.h"
#include "features/home.h"
#include "features/persons.h"
#include "features/units.h"
#include "features/users.h"
#include "lib/i18n.h"

enum { KB = 1024, MB = 1024 * 1024, MAX_ID = 2147483647 };

static const char *const statuses[] = {"active", "inactive", "all", NULL};
static const char *const unit_sorts[] = {"name", "-name", "code", "-code", "kind", "-kind", NULL};
static const char *const person_sorts[] = {"name", "-name", "birth_year", "-birth_year", "unit",
                                           "-unit", NULL};
static const char *const genders[] = {"nam", "nu", NULL};

#define PAGING                                                                  \
    {"page", P_INT, N_("Trang"), 1, 1000000, NULL, false},                     \
    {"per_page", P_INT, N_("Số dòng mỗi trang"), 10, 200, NULL, false}

static const struct param_spec unit_list_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"kind", P_TEXT, N_("Loại đơn vị"), 0, 32, NULL, false},
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, statuses, false},
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, unit_sorts, false},
    {"parent", P_INT, N_("Đơn vị cấp trên"), 1, MAX_ID, NULL, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec unit_export_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"kind", P_TEXT, N_("Loại đơn vị"), 0, 32, NULL, false},
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, statuses, false},
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, unit_sorts, false},
    {"parent", P_INT, N_("Đơn vị cấp trên"), 1, MAX_ID, NULL, false},
    {"per_page", P_INT, N_("Số dòng mỗi trang"), 10, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec unit_new_params[] = {
    {"parent", P_INT, N_("Đơn vị cấp trên"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec unit_form_params[] = {
    {"code", P_TEXT, N_("Mã đơn vị"), 0, 32, NULL, false},
    {"name", P_TEXT, N_("Tên đơn vị"), 0, 200, NULL, false},
    {"short_name", P_TEXT, N_("Tên viết tắt"), 0, 60, NULL, false},
    {"kind", P_TEXT, N_("Loại đơn vị"), 0, 32, NULL, false},
    {"parent_id", P_INT, N_("Đơn vị cấp trên"), 1, MAX_ID, NULL, false},
    {"active_from", P_DATE, N_("Ngày bắt đầu hoạt động"), 0, 0, NULL, false},
    {"active_to", P_DATE, N_("Ngày ngừng hoạt động"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec deactivate_params[] = {
    {"date", P_DATE, N_("Ngày ngừng hoạt động"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec person_list_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"unit", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, statuses, false},
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, person_sorts, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec person_export_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"unit", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, statuses, false},
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, person_sorts, false},
    {"per_page", P_INT, N_("Số dòng mỗi trang"), 10, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec person_new_params[] = {
    {"unit", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec person_form_params[] = {
    {"full_name", P_TEXT, N_("Họ và tên"), 0, 100, NULL, false},
    {"gender", P_ENUM, N_("Giới tính"), 0, 0, genders, false},
    {"birth_year", P_INT, N_("Năm sinh"), 1900, 2100, NULL, false},
    {"position", P_TEXT, N_("Chức vụ"), 0, 200, NULL, false},
    {"unit_id", P_INT, N_("Đơn vị công tác"), 1, MAX_ID, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec import_params[] = {
    {"file", P_FILE, N_("Tệp Excel"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec next_params[] = {
    {"next", P_TEXT, N_("Trang tiếp theo"), 0, 1000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec login_params[] = {
    {"login", P_TEXT, N_("Tên đăng nhập"), 0, 64, NULL, false},
    {"password", P_TEXT, N_("Mật khẩu"), 0, 200, NULL, false},
    {"next", P_TEXT, N_("Trang tiếp theo"), 0, 1000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec totp_login_params[] = {
    {"code", P_TEXT, N_("Mã xác thực"), 0, 20, NULL, false},
    {"next", P_TEXT, N_("Trang tiếp theo"), 0, 1000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec code_params[] = {
    {"code", P_TEXT, N_("Mã xác thực"), 0, 20, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec password_params[] = {
    {"password", P_TEXT, N_("Mật khẩu"), 0, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec password_change_params[] = {
    {"current_password", P_TEXT, N_("Mật khẩu hiện tại"), 0, 200, NULL, false},
    {"new_password", P_TEXT, N_("Mật khẩu mới"), 0, 200, NULL, false},
    {"confirm_password", P_TEXT, N_("Nhập lại mật khẩu mới"), 0, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const char *const roles[] = {"admin", "office", "council", "unit", NULL};
static const char *const user_sorts[] = {"login", "-login", "name", "-name", "role", "-role", NULL};

static const struct param_spec user_list_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"role", P_ENUM, N_("Vai trò"), 0, 0, roles, false},
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, statuses, false},
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, user_sorts, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec user_form_params[] = {
    {"login", P_TEXT, N_("Tên đăng nhập"), 0, 64, NULL, false},
    {"display_name", P_TEXT, N_("Họ và tên"), 0, 100, NULL, false},
    {"role", P_ENUM, N_("Vai trò"), 0, 0, roles, false},
    {"unit_id", P_INT, N_("Đơn vị công tác"), 1, MAX_ID, NULL, false},
    {"email", P_TEXT, N_("Thư điện tử"), 0, 200, NULL, false},
    {"password", P_TEXT, N_("Mật khẩu"), 0, 200, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const char *const audit_entities[] = {"unit", "person", "user", "session", "units",
                                             "persons", "document", "doc_template", "group",
                                             "group_year", "movement", "pledge",
                                             "conference", "news", "criteria", "score_sheet",
                                             "criteria_template", "whatif", "cross_mark", NULL};

static const struct param_spec template_params[] = {
    {"body", P_LONGTEXT, N_("Nội dung mẫu"), 0, 60000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const char *const doc_kind_codes[] = {"QD", "KH", "BB", "BBKP", "TTR", "BC", "TB", "GU",
                                             "CV", NULL};

static const struct param_spec document_list_params[] = {
    {"issuer", P_INT, N_("Cơ quan ban hành"), 1, MAX_ID, NULL, false},
    {"year", P_INT, N_("Năm"), 1990, 2200, NULL, false},
    {"kind", P_ENUM, N_("Loại văn bản"), 0, 0, doc_kind_codes, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec document_form_params[] = {
    {"issuer_id", P_INT, N_("Cơ quan ban hành"), 1, MAX_ID, NULL, false},
    {"kind", P_ENUM, N_("Loại văn bản"), 0, 0, doc_kind_codes, false},
    {"series", P_TEXT, N_("Sổ (dãy số riêng)"), 0, 40, NULL, false},
    {"symbol", P_TEXT, N_("Ký hiệu"), 0, 40, NULL, false},
    {"subject", P_TEXT, N_("Trích yếu"), 0, 500, NULL, false},
    {"issued_on", P_DATE, N_("Ngày ban hành"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec audit_params[] = {
    {"entity", P_ENUM, N_("Loại dữ liệu"), 0, 0, audit_entities, false},
    {"entity_id", P_INT, N_("Số hiệu bản ghi"), 1, MAX_ID, NULL, false},
    {"login", P_TEXT, N_("Người thực hiện"), 0, 64, NULL, false},
    {"from", P_DATE, N_("Từ ngày"), 0, 0, NULL, false},
    {"to", P_DATE, N_("Đến ngày"), 0, 0, NULL, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

/* params: groups */
static const char *const group_kinds[] = {"khoi", "cum", NULL};

static const struct param_spec group_list_params[] = {
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},
    {"kind", P_ENUM, N_("Loại"), 0, 0, group_kinds, false},
    {"year", P_INT, N_("Năm"), 1990, 2200, NULL, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_form_params[] = {
    {"code", P_TEXT, N_("Mã khối, cụm"), 0, 32, NULL, false},
    {"name", P_TEXT, N_("Tên khối, cụm"), 0, 200, NULL, false},
    {"kind", P_ENUM, N_("Loại"), 0, 0, group_kinds, false},
    {"organiser", P_TEXT, N_("Cơ quan tổ chức"), 0, 200, NULL, false},
    {"quorum_num", P_INT, N_("Tỷ lệ có mặt tối thiểu (tử số)"), 1, 20, NULL, false},
    {"quorum_den", P_INT, N_("Tỷ lệ có mặt tối thiểu (mẫu số)"), 1, 20, NULL, false},
    {"note", P_LONGTEXT, N_("Ghi chú"), 0, 2000, NULL, false},
    {"first_year", P_INT, N_("Năm bắt đầu"), 1990, 2200, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_year_params[] = {
    {"year", P_INT, N_("Năm"), 1990, 2200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_member_params[] = {
    {"unit_id", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {"joined_on", P_DATE, N_("Ngày gia nhập"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_leave_params[] = {
    {"left_on", P_DATE, N_("Ngày rời khối"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_leaders_params[] = {
    {"head_unit_id", P_INT, N_("Trưởng khối"), 1, MAX_ID, NULL, false},
    {"deputy_unit_id", P_INT, N_("Phó khối"), 1, MAX_ID, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec group_handover_params[] = {
    {"handover_on", P_DATE, N_("Ngày bàn giao"), 0, 0, NULL, false},
    {"handover_note", P_TEXT, N_("Ghi chú bàn giao"), 0, 500, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: groups */

/* params: conferences */
static const char *const conference_kinds[] = {"pledge", "midyear", "yearend", "other", NULL};
static const char *const yes_no[] = {"yes", "no", NULL};

static const struct param_spec conference_form_params[] = {
    {"kind", P_ENUM, N_("Loại hội nghị"), 0, 0, conference_kinds, false},
    {"title", P_TEXT, N_("Tên hội nghị"), 0, 300, NULL, false},
    {"held_on", P_DATE, N_("Ngày họp"), 0, 0, NULL, false},
    {"starts_at", P_TEXT, N_("Giờ bắt đầu"), 0, 5, NULL, false},
    {"ends_at", P_TEXT, N_("Giờ kết thúc"), 0, 5, NULL, false},
    {"place", P_TEXT, N_("Địa điểm"), 0, 300, NULL, false},
    {"secretary", P_TEXT, N_("Thư ký"), 0, 100, NULL, false},
    {"summary", P_LONGTEXT, N_("Nội dung hội nghị"), 0, 20000, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_attendance_params[] = {
    {"unit_id", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {"present", P_ENUM, N_("Có mặt"), 0, 0, yes_no, false},
    {"representative", P_TEXT, N_("Người dự"), 0, 100, NULL, false},
    {"representative_title", P_TEXT, N_("Chức vụ người dự"), 0, 200, NULL, false},
    {"note", P_TEXT, N_("Ghi chú"), 0, 300, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_chair_params[] = {
    {"unit_id", P_INT, N_("Đơn vị chủ trì"), 1, MAX_ID, NULL, false},
    {"person_name", P_TEXT, N_("Người chủ trì"), 0, 100, NULL, false},
    {"person_title", P_TEXT, N_("Chức vụ người chủ trì"), 0, 200, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_version_params[] = {
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_report_params[] = {
    {"unit_id", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {"pledge_item_id", P_INT, N_("Chỉ tiêu giao ước"), 1, MAX_ID, NULL, false},
    {"actual", P_TEXT, N_("Kết quả thực hiện"), 0, 30, NULL, false},
    {"note", P_TEXT, N_("Ghi chú"), 0, 300, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_task_params[] = {
    {"content", P_TEXT, N_("Nội dung nhiệm vụ"), 0, 1000, NULL, false},
    {"unit_id", P_INT, N_("Đơn vị thực hiện"), 1, MAX_ID, NULL, false},
    {"due_on", P_DATE, N_("Hạn hoàn thành"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_decision_params[] = {
    {"content", P_LONGTEXT, N_("Nội dung kết luận"), 0, 4000, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec conference_election_params[] = {
    {"head_unit_id", P_INT, N_("Trưởng khối năm sau"), 1, MAX_ID, NULL, false},
    {"deputy_unit_id", P_INT, N_("Phó khối năm sau"), 1, MAX_ID, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: conferences */

/* params: movements */
static const char *const movement_kinds[] = {"regular", "thematic", NULL};
static const char *const movement_statuses[] = {"draft", "launched", "closed", NULL};
static const char *const movement_launchers[] = {"council", "group", "unit", NULL};
static const char *const movement_sorts[] = {"name", "-name", "starts_on", "-starts_on", NULL};

#define MOVEMENT_FILTERS                                                              \
    {"q", P_TEXT, N_("Từ khóa tìm kiếm"), 0, 100, NULL, false},                      \
    {"kind", P_ENUM, N_("Hình thức thi đua"), 0, 0, movement_kinds, false},          \
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, movement_statuses, false},            \
    {"year", P_INT, N_("Năm"), 1990, 2200, NULL, false},                             \
    {"group", P_INT, N_("Khối, cụm thi đua"), 1, MAX_ID, NULL, false},               \
    {"sort", P_ENUM, N_("Cách sắp xếp"), 0, 0, movement_sorts, false}

static const struct param_spec movement_list_params[] = {
    MOVEMENT_FILTERS,
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec movement_export_params[] = {
    MOVEMENT_FILTERS,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec movement_new_params[] = {
    {"group", P_INT, N_("Khối, cụm thi đua"), 1, MAX_ID, NULL, false},
    {"unit", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

#define MOVEMENT_FIELDS                                                               \
    {"name", P_TEXT, N_("Tên phong trào"), 0, 300, NULL, false},                     \
    {"kind", P_ENUM, N_("Hình thức thi đua"), 0, 0, movement_kinds, false},          \
    {"starts_on", P_DATE, N_("Ngày bắt đầu"), 0, 0, NULL, false},                    \
    {"ends_on", P_DATE, N_("Ngày kết thúc"), 0, 0, NULL, false},                     \
    {"goals", P_LONGTEXT, N_("Mục đích, yêu cầu"), 0, 20000, NULL, false}

static const struct param_spec movement_create_params[] = {
    MOVEMENT_FIELDS,
    {"launcher_kind", P_ENUM, N_("Cấp phát động"), 0, 0, movement_launchers, false},
    {"launcher_group_id", P_INT, N_("Khối, cụm thi đua phát động"), 1, MAX_ID, NULL, false},
    {"launcher_unit_id", P_INT, N_("Đơn vị phát động"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

/* the launcher is fixed at creation: who may write follows from it */
static const struct param_spec movement_update_params[] = {
    MOVEMENT_FIELDS,
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec movement_target_params[] = {
    {"name", P_TEXT, N_("Tên chỉ tiêu"), 0, 300, NULL, false},
    {"measure", P_TEXT, N_("Đơn vị tính"), 0, 40, NULL, false},
    {"value", P_TEXT, N_("Giá trị chỉ tiêu"), 0, 32, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec movement_participant_params[] = {
    {"group_id", P_INT, N_("Khối, cụm thi đua"), 1, MAX_ID, NULL, false},
    {"unit_id", P_INT, N_("Đơn vị"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: movements */

/* params: pledges */
static const char *const pledge_copy_choices[] = {"yes", "no", NULL};

static const struct param_spec pledge_create_params[] = {
    {"title", P_TEXT, N_("Tên giao ước"), 0, 300, NULL, false},
    {"basis", P_LONGTEXT, N_("Căn cứ"), 0, 2000, NULL, false},
    {"copy", P_ENUM, N_("Chép nội dung giao ước năm trước"), 0, 0, pledge_copy_choices, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec pledge_update_params[] = {
    {"title", P_TEXT, N_("Tên giao ước"), 0, 300, NULL, false},
    {"basis", P_LONGTEXT, N_("Căn cứ"), 0, 2000, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec pledge_item_params[] = {
    {"content", P_TEXT, N_("Nội dung giao ước"), 0, 1000, NULL, false},
    {"measure", P_TEXT, N_("Đơn vị tính"), 0, 60, NULL, false},
    {"target", P_TEXT, N_("Chỉ tiêu"), 0, 32, NULL, false},
    {"movement_target_id", P_INT, N_("Chỉ tiêu của phong trào"), 1, MAX_ID, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec pledge_version_params[] = {
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec pledge_open_params[] = {
    {"opened_on", P_DATE, N_("Ngày mở ký"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec pledge_sign_params[] = {
    {"unit_id", P_INT, N_("Đơn vị ký"), 1, MAX_ID, NULL, false},
    {"signer_name", P_TEXT, N_("Họ và tên người ký"), 0, 100, NULL, false},
    {"signer_title", P_TEXT, N_("Chức vụ người ký"), 0, 100, NULL, false},
    {"signed_on", P_DATE, N_("Ngày ký"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: pledges */

/* params: criteria */
static const char *const criteria_yes_no[] = {"yes", "no", NULL};
static const char *const criteria_kinds[] = {"group", "direct", "passfail", "occurrence", "target",
                                             NULL};

static const struct param_spec criteria_create_params[] = {
    {"title", P_TEXT, N_("Tên bảng tiêu chí"), 0, 300, NULL, false},
    {"copy", P_ENUM, N_("Chép bảng tiêu chí năm trước"), 0, 0, criteria_yes_no, false},
    {"template", P_INT, N_("Bảng mẫu của tỉnh"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_node_params[] = {
    {"parent_id", P_INT, N_("Thuộc nhóm"), 1, MAX_ID, NULL, false},
    {"kind", P_ENUM, N_("Loại tiêu chí"), 0, 0, criteria_kinds, false},
    {"code", P_TEXT, N_("Số thứ tự, ký hiệu"), 0, 20, NULL, false},
    {"name", P_TEXT, N_("Tên tiêu chí"), 0, 500, NULL, false},
    {"max", P_TEXT, N_("Điểm tối đa"), 0, 32, NULL, false},
    {"each", P_TEXT, N_("Điểm mỗi lần"), 0, 32, NULL, false},
    {"capped", P_ENUM, N_("Có mức trần"), 0, 0, criteria_yes_no, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_version_params[] = {
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_answer_params[] = {
    {"node_id", P_INT, N_("Tiêu chí"), 1, MAX_ID, NULL, false},
    {"value", P_TEXT, N_("Điểm, kết quả tự chấm"), 0, 32, NULL, false},
    {"target", P_TEXT, N_("Chỉ tiêu đăng ký"), 0, 32, NULL, false},
    {"note", P_TEXT, N_("Ghi chú"), 0, 1000, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {"reason", P_TEXT, N_("Lý do thay đổi"), 0, 1000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* score stages (features/score_stage.c, score_review.c, score_evidence.c,
 * score_adjust.c) */
static const char *const score_stages[] = {"self", "review1", "explain", "review2", "locked",
                                           NULL};
static const char *const score_adjust_kinds[] = {"bonus", "deduction", "veto", NULL};
static const struct param_spec score_stage_params[] = {
    {"to", P_ENUM, N_("Giai đoạn chuyển sang"), 0, 0, score_stages, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_women_params[] = {
    {"women_pct", P_TEXT, N_("Tỷ lệ nữ (%)"), 0, 16, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_evidence_params[] = {
    {"node_id", P_INT, N_("Tiêu chí"), 1, MAX_ID, NULL, false},
    {"file", P_FILE, N_("Tệp minh chứng"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_explain_params[] = {
    {"node_id", P_INT, N_("Tiêu chí"), 1, MAX_ID, NULL, false},
    {"text", P_LONGTEXT, N_("Nội dung giải trình"), 0, 4000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_adjust_params[] = {
    {"kind", P_ENUM, N_("Loại"), 0, 0, score_adjust_kinds, false},
    {"points", P_TEXT, N_("Số điểm"), 0, 32, NULL, false},
    {"reason", P_TEXT, N_("Lý do"), 0, 1000, NULL, false},
    {"agency", P_TEXT, N_("Cơ quan, đơn vị báo vi phạm"), 0, 300, NULL, false},
    {"file", P_FILE, N_("Tệp minh chứng"), 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec score_reason_params[] = {
    {"reason", P_TEXT, N_("Lý do"), 0, 1000, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end score stages */
/* criteria editing, settings, templates (features/criteria_edit.c,
 * criteria_settings.c, criteria_templates.c) */
static const char *const criteria_dirs[] = {"up", "down", NULL};
static const char *const criteria_modes[] = {"self", "cross", NULL};

static const struct param_spec criteria_node_update_params[] = {
    {"kind", P_ENUM, N_("Loại tiêu chí"), 0, 0, criteria_kinds, false},
    {"code", P_TEXT, N_("Số thứ tự, ký hiệu"), 0, 20, NULL, false},
    {"name", P_TEXT, N_("Tên tiêu chí"), 0, 500, NULL, false},
    {"max", P_TEXT, N_("Điểm tối đa"), 0, 32, NULL, false},
    {"each", P_TEXT, N_("Điểm mỗi lần"), 0, 32, NULL, false},
    {"capped", P_ENUM, N_("Có mức trần"), 0, 0, criteria_yes_no, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_move_params[] = {
    {"dir", P_ENUM, N_("Hướng chuyển"), 0, 0, criteria_dirs, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_settings_params[] = {
    {"title", P_TEXT, N_("Tên bảng tiêu chí"), 0, 300, NULL, false},
    {"mode", P_ENUM, N_("Cách chấm"), 0, 0, criteria_modes, false},
    {"normalise", P_ENUM, N_("Chuẩn hóa điểm chấm chéo"), 0, 0, criteria_yes_no, false},
    {"min_sample", P_INT, N_("Số phiếu chấm tối thiểu để chuẩn hóa"), 1, 50, NULL, false},
    {"bonus_cap", P_TEXT, N_("Mức trần điểm thưởng"), 0, 32, NULL, false},
    {"tb1", P_TEXT, N_("Tiêu chí phụ 1"), 0, 40, NULL, false},
    {"tb2", P_TEXT, N_("Tiêu chí phụ 2"), 0, 40, NULL, false},
    {"tb3", P_TEXT, N_("Tiêu chí phụ 3"), 0, 40, NULL, false},
    {"tb4", P_TEXT, N_("Tiêu chí phụ 4"), 0, 40, NULL, false},
    {"tb5", P_TEXT, N_("Tiêu chí phụ 5"), 0, 40, NULL, false},
    {"band1_name", P_TEXT, N_("Tên loại 1"), 0, 100, NULL, false},
    {"band1_min", P_TEXT, N_("Điểm tối thiểu loại 1"), 0, 32, NULL, false},
    {"band2_name", P_TEXT, N_("Tên loại 2"), 0, 100, NULL, false},
    {"band2_min", P_TEXT, N_("Điểm tối thiểu loại 2"), 0, 32, NULL, false},
    {"band3_name", P_TEXT, N_("Tên loại 3"), 0, 100, NULL, false},
    {"band3_min", P_TEXT, N_("Điểm tối thiểu loại 3"), 0, 32, NULL, false},
    {"band4_name", P_TEXT, N_("Tên loại 4"), 0, 100, NULL, false},
    {"band4_min", P_TEXT, N_("Điểm tối thiểu loại 4"), 0, 32, NULL, false},
    {"band5_name", P_TEXT, N_("Tên loại 5"), 0, 100, NULL, false},
    {"band5_min", P_TEXT, N_("Điểm tối thiểu loại 5"), 0, 32, NULL, false},
    {"band6_name", P_TEXT, N_("Tên loại 6"), 0, 100, NULL, false},
    {"band6_min", P_TEXT, N_("Điểm tối thiểu loại 6"), 0, 32, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_deadlines_params[] = {
    {"self_due", P_DATE, N_("Hạn đơn vị tự chấm"), 0, 0, NULL, false},
    {"review1_due", P_DATE, N_("Hạn thẩm định lần 1"), 0, 0, NULL, false},
    {"explain_due", P_DATE, N_("Hạn đơn vị giải trình"), 0, 0, NULL, false},
    {"review2_due", P_DATE, N_("Hạn thẩm định lần 2"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec criteria_template_params[] = {
    {"name", P_TEXT, N_("Tên bảng mẫu"), 0, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const char *const criteria_yes[] = {"yes", NULL};
static const struct param_spec criteria_confirm_params[] = {
    {"confirm", P_ENUM, N_("Xác nhận"), 0, 0, criteria_yes, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* ranking and what-if (features/ranking_pages.c, whatif.c) */
static const struct param_spec whatif_create_params[] = {
    {"name", P_TEXT, N_("Tên bản thử"), 0, 200, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec whatif_node_params[] = {
    {"max", P_TEXT, N_("Điểm tối đa"), 0, 32, NULL, false},
    {"each", P_TEXT, N_("Điểm mỗi lần"), 0, 32, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
static const struct param_spec whatif_delete_params[] = {
    {"version", P_TEXT, N_("Phiên bản"), 0, 40, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* score grid and cross marks (features/score_grid.c, cross_marks.c) */
static const struct param_spec cross_mark_params[] = {
    {"scored_unit", P_INT, N_("Đơn vị được chấm"), 1, MAX_ID, NULL, false},
    {"points", P_TEXT, N_("Điểm chấm chéo"), 0, 32, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: criteria */

/* params: news */
static const char *const news_statuses[] = {"draft", "published", NULL};

static const struct param_spec news_list_params[] = {
    {"status", P_ENUM, N_("Trạng thái"), 0, 0, news_statuses, false},
    PAGING,
    {NULL, 0, NULL, 0, 0, NULL, false},
};

/* the slug's length (80) is checked by the handler, so a long one gets the
 * form back (422) with the rule, not a bare 400 */
static const struct param_spec news_form_params[] = {
    {"title", P_TEXT, N_("Tiêu đề"), 0, 300, NULL, false},
    {"slug", P_TEXT, N_("Địa chỉ bản tin"), 0, 300, NULL, false},
    {"summary", P_TEXT, N_("Tóm tắt"), 0, 1000, NULL, false},
    {"body", P_LONGTEXT, N_("Nội dung"), 0, 20000, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec news_publish_params[] = {
    {"published_on", P_DATE, N_("Ngày đăng"), 0, 0, NULL, false},
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct param_spec news_version_params[] = {
    {"version", P_INT, N_("Phiên bản"), 1, MAX_ID, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};
/* end params: news */

/* Form posts carry a few KB; imports up to 10 MB. The permission column is
 * the set of roles allowed (http.h); the data scope of a unit officer is
 * enforced inside the handlers (features/scope.h). The lane column says where
 * the handler runs: JOBS for imports and exports, AUTH for password hashing. */
#define NOBODY 0, NULL
const struct route app_routes[] = {
    {HTTP_GET, "/", home_show, "home", PERM_USER, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/healthz", health_show, NULL, PERM_PUBLIC, false, NOBODY, LANE_INLINE},

    {HTTP_GET, "/login", login_form, "accounts/login", PERM_PUBLIC, false, 0, next_params,
     LANE_INLINE},
    {HTTP_POST, "/login", login_submit, "accounts/login", PERM_PUBLIC, true, 8 * KB, login_params,
     LANE_AUTH},
    {HTTP_GET, "/login/totp", login_totp_form, "accounts/login_totp", PERM_PUBLIC, false, 0,
     next_params, LANE_INLINE},
    {HTTP_POST, "/login/totp", login_totp_submit, "accounts/login_totp", PERM_PUBLIC, true, 4 * KB,
     totp_login_params, LANE_INLINE},
    {HTTP_POST, "/logout", logout_submit, NULL, PERM_USER, true, 4 * KB, NULL, LANE_INLINE},

    {HTTP_GET, "/account", account_show, "accounts/show", PERM_USER, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/account/password", account_password_form, "accounts/password", PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/account/password", account_password_submit, "accounts/password", PERM_USER, true,
     8 * KB, password_change_params, LANE_AUTH},
    {HTTP_GET, "/account/totp", account_totp_form, "accounts/totp", PERM_USER, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/account/totp/start", account_totp_start, "accounts/totp", PERM_USER, true, 4 * KB,
     password_params, LANE_AUTH},
    {HTTP_POST, "/account/totp", account_totp_enable, "accounts/totp", PERM_USER, true, 4 * KB,
     code_params, LANE_INLINE},
    {HTTP_POST, "/account/totp/disable", account_totp_disable, NULL, PERM_USER, true, 4 * KB,
     password_params, LANE_AUTH},

    {HTTP_GET, "/users", users_list, "users/list", PERM_ADMIN, false, 0, user_list_params,
     LANE_INLINE},
    {HTTP_POST, "/users", users_create, "users/form", PERM_ADMIN, true, 16 * KB, user_form_params,
     LANE_AUTH},
    {HTTP_GET, "/users/new", users_new, "users/form", PERM_ADMIN, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/users/{id:int}", users_show, "users/show", PERM_ADMIN, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/users/{id:int}", users_update, "users/form", PERM_ADMIN, true, 16 * KB,
     user_form_params, LANE_INLINE},
    {HTTP_GET, "/users/{id:int}/edit", users_edit, "users/form", PERM_ADMIN, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/users/{id:int}/disable", users_disable, NULL, PERM_ADMIN, true, 4 * KB, NULL,
     LANE_INLINE},
    {HTTP_POST, "/users/{id:int}/enable", users_enable, NULL, PERM_ADMIN, true, 4 * KB, NULL,
     LANE_INLINE},
    {HTTP_POST, "/users/{id:int}/password", users_reset_password, "users/show", PERM_ADMIN, true,
     4 * KB, password_params, LANE_AUTH},
    {HTTP_POST, "/users/{id:int}/totp/reset", users_reset_totp, NULL, PERM_ADMIN, true, 4 * KB, NULL,
     LANE_INLINE},

    {HTTP_GET, "/audit", audit_list, "audit/list", PERM_OFFICE, false, 0, audit_params,
     LANE_INLINE},
    {HTTP_GET, "/audit/export.xlsx", audit_export, NULL, PERM_OFFICE, false, 0, audit_params,
     LANE_JOBS},

    {HTTP_GET, "/documents", documents_list, "documents/list", PERM_USER, false, 0,
     document_list_params, LANE_INLINE},
    {HTTP_POST, "/documents", documents_create, "documents/form", PERM_EDITOR, true, 16 * KB,
     document_form_params, LANE_INLINE},
    {HTTP_GET, "/documents/new", documents_new, "documents/form", PERM_EDITOR, false, NOBODY,
     LANE_INLINE},
    {HTTP_GET, "/documents/templates", doc_templates_list, "documents/templates", PERM_OFFICE,
     false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/documents/templates/{name:text}", doc_template_edit, "documents/template",
     PERM_OFFICE, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/documents/templates/{name:text}", doc_template_save, "documents/template",
     PERM_OFFICE, true, 128 * KB, template_params, LANE_INLINE},
    {HTTP_GET, "/documents/templates/{name:text}/preview", doc_template_preview,
     "documents/template_preview", PERM_OFFICE, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/documents/templates/{name:text}/sample.pdf", doc_template_sample_pdf, NULL,
     PERM_OFFICE, false, NOBODY, LANE_JOBS},
    {HTTP_GET, "/documents/templates/{name:text}/sample.docx", doc_template_sample_docx, NULL,
     PERM_OFFICE, false, NOBODY, LANE_JOBS},
    {HTTP_POST, "/documents/templates/{name:text}/reset", doc_template_reset, NULL, PERM_OFFICE,
     true, 4 * KB, NULL, LANE_INLINE},
    {HTTP_GET, "/documents/{id:int}", documents_show, "documents/show", PERM_USER, false, NOBODY,
     LANE_INLINE},

    /* groups (features/groups.c) */
    {HTTP_GET, "/groups", groups_list, "groups/list", PERM_USER, false, 0, group_list_params,
     LANE_INLINE},
    {HTTP_POST, "/groups", groups_create, "groups/form", PERM_OFFICE, true, 16 * KB,
     group_form_params, LANE_INLINE},
    {HTTP_GET, "/groups/new", groups_new, "groups/form", PERM_OFFICE, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/groups/{id:int}", groups_show, "groups/show", PERM_USER, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}", groups_update, "groups/form", PERM_OFFICE, true, 16 * KB,
     group_form_params, LANE_INLINE},
    {HTTP_GET, "/groups/{id:int}/edit", groups_edit, "groups/form", PERM_OFFICE, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/years", groups_year_create, NULL, PERM_OFFICE, true, 4 * KB,
     group_year_params, LANE_INLINE},
    {HTTP_GET, "/groups/{id:int}/{year:int}", group_year_show, "groups/year", PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/members", group_member_add, NULL, PERM_OFFICE, true,
     4 * KB, group_member_params, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/members/{unit:int}/leave", group_member_leave, NULL,
     PERM_OFFICE, true, 4 * KB, group_leave_params, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/leaders", group_leaders_set, NULL, PERM_OFFICE, true,
     4 * KB, group_leaders_params, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/handover", group_handover, NULL, PERM_EDITOR, true,
     4 * KB, group_handover_params, LANE_INLINE},
    /* end groups */

    /* conferences (features/conferences.c) */
    {HTTP_POST, "/groups/{id:int}/{year:int}/conferences", conferences_create, "conferences/form",
     PERM_EDITOR, true, 64 * KB, conference_form_params, LANE_INLINE},
    {HTTP_GET, "/groups/{id:int}/{year:int}/conferences/new", conferences_new, "conferences/form",
     PERM_EDITOR, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/conferences/{id:int}", conferences_show, "conferences/show", PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}", conferences_update, "conferences/form", PERM_EDITOR, true,
     64 * KB, conference_form_params, LANE_INLINE},
    {HTTP_GET, "/conferences/{id:int}/edit", conferences_edit, "conferences/form", PERM_EDITOR,
     false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/attendance", conference_attendance_set, "conferences/show",
     PERM_EDITOR, true, 8 * KB, conference_attendance_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/chairs", conference_chair_add, "conferences/show",
     PERM_EDITOR, true, 8 * KB, conference_chair_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/chairs/{pos:int}/delete", conference_chair_delete,
     "conferences/show", PERM_EDITOR, true, 4 * KB, conference_version_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/reports", conference_report_set, "conferences/show",
     PERM_EDITOR, true, 8 * KB, conference_report_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/tasks", conference_task_add, "conferences/show",
     PERM_EDITOR, true, 16 * KB, conference_task_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/tasks/{task:int}/delete", conference_task_delete,
     "conferences/show", PERM_EDITOR, true, 4 * KB, conference_version_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/decisions/{decision:int}/delete", conference_decision_delete,
     "conferences/show", PERM_EDITOR, true, 4 * KB, conference_version_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/decisions", conference_decision_add, "conferences/show",
     PERM_EDITOR, true, 32 * KB, conference_decision_params, LANE_INLINE},
    {HTTP_POST, "/conferences/{id:int}/election", conference_election, "conferences/show",
     PERM_EDITOR, true, 4 * KB, conference_election_params, LANE_INLINE},
    {HTTP_GET, "/conferences/{id:int}/minutes.docx", conference_minutes_docx, NULL, PERM_USER,
     false, NOBODY, LANE_JOBS},
    {HTTP_GET, "/conferences/{id:int}/minutes.pdf", conference_minutes_pdf, NULL, PERM_USER, false,
     NOBODY, LANE_JOBS},
    {HTTP_POST, "/conferences/{id:int}/minutes", conference_minutes_register, "conferences/show",
     PERM_EDITOR, true, 4 * KB, conference_version_params, LANE_INLINE},
    /* end conferences */

    /* movements (features/movements.c) */
    {HTTP_GET, "/movements", movements_list, "movements/list", PERM_USER, false, 0,
     movement_list_params, LANE_INLINE},
    {HTTP_POST, "/movements", movements_create, "movements/form", PERM_EDITOR, true, 64 * KB,
     movement_create_params, LANE_INLINE},
    {HTTP_GET, "/movements/new", movements_new, "movements/form", PERM_EDITOR, false, 0,
     movement_new_params, LANE_INLINE},
    {HTTP_GET, "/movements/export.xlsx", movements_export, NULL, PERM_USER, false, 0,
     movement_export_params, LANE_JOBS},
    {HTTP_GET, "/movements/{id:int}", movements_show, "movements/show", PERM_USER, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}", movements_update, "movements/form", PERM_EDITOR, true,
     64 * KB, movement_update_params, LANE_INLINE},
    {HTTP_GET, "/movements/{id:int}/edit", movements_edit, "movements/form", PERM_EDITOR, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/targets", movement_target_add, "movements/show", PERM_EDITOR,
     true, 8 * KB, movement_target_params, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/targets/{target:int}/delete", movement_target_delete, NULL,
     PERM_EDITOR, true, 4 * KB, NULL, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/participants", movement_participant_add, "movements/show",
     PERM_EDITOR, true, 4 * KB, movement_participant_params, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/participants/delete", movement_participant_delete,
     "movements/show", PERM_EDITOR, true, 4 * KB, movement_participant_params, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/launch", movement_launch, "movements/show", PERM_EDITOR,
     true, 4 * KB, NULL, LANE_INLINE},
    {HTTP_POST, "/movements/{id:int}/close", movement_close, NULL, PERM_EDITOR, true, 4 * KB,
     NULL, LANE_INLINE},
    {HTTP_GET, "/movements/{id:int}/plan.docx", movement_plan_docx, NULL, PERM_USER, false,
     NOBODY, LANE_JOBS},
    {HTTP_GET, "/movements/{id:int}/plan.pdf", movement_plan_pdf, NULL, PERM_USER, false, NOBODY,
     LANE_JOBS},
    {HTTP_POST, "/movements/{id:int}/plan", movement_plan_register, NULL, PERM_EDITOR, true,
     4 * KB, NULL, LANE_INLINE},
    /* end movements */

    /* pledges (features/pledges.c) */
    {HTTP_GET, "/groups/{id:int}/{year:int}/pledge", pledges_of_group, NULL, PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/pledge", pledges_create, "pledges/form", PERM_EDITOR,
     true, 16 * KB, pledge_create_params, LANE_INLINE},
    {HTTP_GET, "/groups/{id:int}/{year:int}/pledge/new", pledges_new, "pledges/form", PERM_EDITOR,
     false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/pledges/{id:int}", pledges_show, "pledges/show", PERM_USER, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}", pledges_update, "pledges/form", PERM_EDITOR, true, 16 * KB,
     pledge_update_params, LANE_INLINE},
    {HTTP_GET, "/pledges/{id:int}/edit", pledges_edit, "pledges/form", PERM_EDITOR, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}/items", pledge_item_add, "pledges/show", PERM_EDITOR, true,
     16 * KB, pledge_item_params, LANE_INLINE},
    {HTTP_GET, "/pledges/{id:int}/items/{item:int}/edit", pledge_item_edit, "pledges/item_form",
     PERM_EDITOR, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}/items/{item:int}", pledge_item_update, "pledges/item_form",
     PERM_EDITOR, true, 16 * KB, pledge_item_params, LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}/items/{item:int}/delete", pledge_item_delete, "pledges/show",
     PERM_EDITOR, true, 4 * KB, pledge_version_params, LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}/open", pledges_open, "pledges/show", PERM_EDITOR, true, 4 * KB,
     pledge_open_params, LANE_INLINE},
    {HTTP_POST, "/pledges/{id:int}/draft", pledges_back_to_draft, NULL, PERM_EDITOR, true, 4 * KB,
     NULL, LANE_INLINE},
    /* only unit officers sign, each for their own unit (the handler checks
     * the unit); admin and office never sign for a unit */
    {HTTP_POST, "/pledges/{id:int}/sign", pledges_sign, "pledges/show", (unsigned)ROLE_UNIT, true,
     8 * KB, pledge_sign_params, LANE_INLINE},
    {HTTP_GET, "/pledges/{id:int}/document.docx", pledges_document_docx, NULL, PERM_USER, false,
     NOBODY, LANE_JOBS},
    {HTTP_GET, "/pledges/{id:int}/document.pdf", pledges_document_pdf, NULL, PERM_USER, false,
     NOBODY, LANE_JOBS},
    /* end pledges */

    /* criteria tables (features/criteria.c) */
    {HTTP_GET, "/groups/{id:int}/{year:int}/criteria", criteria_show, "criteria/show", PERM_USER,
     false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/groups/{id:int}/{year:int}/criteria", criteria_create, NULL, PERM_EDITOR, true,
     8 * KB, criteria_create_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/nodes", criteria_node_add, "criteria/show", PERM_EDITOR, true,
     16 * KB, criteria_node_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/nodes/{node:int}/delete", criteria_node_delete, NULL,
     PERM_EDITOR, true, 4 * KB, criteria_version_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/lock", criteria_lock, NULL, PERM_EDITOR, true, 4 * KB,
     criteria_version_params, LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/units/{unit:int}", score_sheet_show, "scores/sheet", PERM_USER,
     false, 0, NULL, LANE_INLINE},
    /* the table's stage decides who changes an answer (the handler): the
     * unit's own officer while self-scoring, the head and deputy units in
     * review 1, the office in review 2 */
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/answers", score_sheet_answer, "scores/sheet",
     PERM_EDITOR, true, 8 * KB, score_answer_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/submit", score_sheet_submit, "scores/sheet",
     (unsigned)ROLE_UNIT, true, 4 * KB, criteria_version_params, LANE_INLINE},
    /* score stages (features/score_stage.c, score_review.c, score_evidence.c,
     * score_adjust.c): evidence bodies up to SCORE_EVIDENCE_MAX (5 MB) and the
     * form around it, so a larger file gets the handler's 422 up to 6 MB */
    {HTTP_GET, "/criteria/{id:int}/stage", score_stage_show, "scores/stage", PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/stage", score_stage_advance, NULL, PERM_EDITOR, true, 4 * KB,
     score_stage_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/women", score_sheet_women, "scores/sheet",
     (unsigned)ROLE_UNIT, true, 4 * KB, score_women_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/explanation", score_sheet_explain,
     "scores/sheet", (unsigned)ROLE_UNIT, true, 32 * KB, score_explain_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/evidence", score_evidence_add, "scores/sheet",
     (unsigned)ROLE_UNIT, true, 6 * MB, score_evidence_params, LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}", score_evidence_get, NULL,
     PERM_USER, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}/remove",
     score_evidence_remove, "scores/sheet", (unsigned)ROLE_UNIT, true, 4 * KB, NULL, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/adjustments", score_adjustment_add,
     "scores/sheet", PERM_EDITOR, true, 6 * MB, score_adjust_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/withdraw",
     score_adjustment_withdraw, "scores/sheet", PERM_EDITOR, true, 4 * KB, score_reason_params,
     LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/file",
     score_adjustment_file, NULL, PERM_USER, false, NOBODY, LANE_INLINE},
    /* end score stages */
    /* criteria editing, settings, templates (features/criteria_edit.c, criteria_settings.c,
     * criteria_templates.c) */
    {HTTP_POST, "/criteria/{id:int}/nodes/{node:int}", criteria_node_update, "criteria/show",
     PERM_EDITOR, true, 16 * KB, criteria_node_update_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/nodes/{node:int}/move", criteria_node_move, NULL, PERM_EDITOR,
     true, 4 * KB, criteria_move_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/settings", criteria_settings, "criteria/show", PERM_EDITOR,
     true, 16 * KB, criteria_settings_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/bands/default", criteria_bands_default, NULL, PERM_EDITOR,
     true, 4 * KB, criteria_version_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/deadlines", criteria_deadlines, "criteria/show", PERM_EDITOR,
     true, 8 * KB, criteria_deadlines_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/template", criteria_template_save, NULL, PERM_OFFICE, true,
     4 * KB, criteria_template_params, LANE_INLINE},
    {HTTP_GET, "/criteria/templates", criteria_templates_list, "criteria/templates", PERM_OFFICE,
     false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/criteria/templates/{id:int}", criteria_template_show, "criteria/template",
     PERM_OFFICE, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/criteria/templates/{id:int}/delete", criteria_template_delete, NULL,
     PERM_OFFICE, true, 4 * KB, criteria_confirm_params, LANE_INLINE},
    /* ranking, its files and what-if (features/ranking_pages.c, score_export.c,
     * whatif.c); the handlers check group_can_view_year / group_can_manage */
    {HTTP_GET, "/criteria/{id:int}/ranking", ranking_show, "scores/ranking", PERM_USER, false,
     NOBODY, LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/ranking.xlsx", ranking_xlsx, NULL, PERM_USER, false, NOBODY,
     LANE_JOBS},
    {HTTP_GET, "/criteria/{id:int}/ranking.docx", ranking_docx, NULL, PERM_USER, false, NOBODY,
     LANE_JOBS},
    {HTTP_GET, "/criteria/{id:int}/ranking.pdf", ranking_pdf, NULL, PERM_USER, false, NOBODY,
     LANE_JOBS},
    {HTTP_POST, "/criteria/{id:int}/whatifs", whatif_create, NULL, PERM_EDITOR, true, 4 * KB,
     whatif_create_params, LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/whatifs/{w:int}", whatif_show, "scores/whatif", PERM_EDITOR,
     false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/whatifs/{w:int}/nodes/{node:int}", whatif_node_set, NULL,
     PERM_EDITOR, true, 4 * KB, whatif_node_params, LANE_INLINE},
    {HTTP_POST, "/criteria/{id:int}/whatifs/{w:int}/delete", whatif_delete, NULL, PERM_EDITOR,
     true, 4 * KB, whatif_delete_params, LANE_INLINE},
    /* score grid and cross marks (features/score_grid.c, cross_marks.c) */
    {HTTP_GET, "/criteria/{id:int}/grid", score_grid_show, "scores/grid", PERM_USER, false, 0,
     NULL, LANE_INLINE},
    {HTTP_GET, "/criteria/{id:int}/cross", cross_marks_show, "scores/cross", PERM_USER, false, 0,
     NULL, LANE_INLINE},
    /* only a member unit's officer marks the others (the handler checks) */
    {HTTP_POST, "/criteria/{id:int}/cross", cross_mark_save, "scores/cross", (unsigned)ROLE_UNIT,
     true, 4 * KB, cross_mark_params, LANE_INLINE},
    /* end criteria */

    /* news (features/news.c) */
    /* /news/new before /news/{slug:text}: the first row that matches wins */
    {HTTP_GET, "/news", news_list, "news/list", PERM_PUBLIC, false, 0, news_list_params,
     LANE_INLINE},
    {HTTP_POST, "/news", news_create, "news/form", PERM_OFFICE, true, 320 * KB, news_form_params,
     LANE_INLINE},
    {HTTP_GET, "/news/new", news_new, "news/form", PERM_OFFICE, false, NOBODY, LANE_INLINE},
    {HTTP_GET, "/news/{slug:text}", news_show, "news/show", PERM_PUBLIC, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/news/{id:int}", news_update, "news/form", PERM_OFFICE, true, 320 * KB,
     news_form_params, LANE_INLINE},
    {HTTP_GET, "/news/{id:int}/edit", news_edit, "news/form", PERM_OFFICE, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/news/{id:int}/publish", news_publish, "news/form", PERM_OFFICE, true, 4 * KB,
     news_publish_params, LANE_INLINE},
    {HTTP_POST, "/news/{id:int}/unpublish", news_unpublish, NULL, PERM_OFFICE, true, 4 * KB,
     news_version_params, LANE_INLINE},
    /* the head or deputy unit of the conference's group drafts too (checked inside) */
    {HTTP_POST, "/conferences/{id:int}/news", news_draft_from_conference, "news/refused",
     PERM_EDITOR, true, 4 * KB, NULL, LANE_INLINE},
    /* end news */

    {HTTP_GET, "/units", units_list, "units/list", PERM_USER, false, 0, unit_list_params,
     LANE_INLINE},
    {HTTP_POST, "/units", units_create, "units/form", PERM_OFFICE, true, 64 * KB, unit_form_params,
     LANE_INLINE},
    {HTTP_GET, "/units/new", units_new, "units/form", PERM_OFFICE, false, 0, unit_new_params,
     LANE_INLINE},
    {HTTP_GET, "/units/export.xlsx", units_export, NULL, PERM_USER, false, 0, unit_export_params,
     LANE_JOBS},
    {HTTP_GET, "/units/import", units_import_form, "units/import", PERM_OFFICE, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/units/import", units_import, "units/import", PERM_OFFICE, true, 10 * MB,
     import_params, LANE_JOBS},
    {HTTP_GET, "/units/{id:int}", units_show, "units/show", PERM_USER, false, NOBODY, LANE_INLINE},
    {HTTP_POST, "/units/{id:int}", units_update, "units/form", PERM_OFFICE, true, 64 * KB,
     unit_form_params, LANE_INLINE},
    {HTTP_GET, "/units/{id:int}/edit", units_edit, "units/form", PERM_OFFICE, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/units/{id:int}/deactivate", units_deactivate, NULL, PERM_OFFICE, true, 4 * KB,
     deactivate_params, LANE_INLINE},
    {HTTP_POST, "/units/{id:int}/activate", units_activate, NULL, PERM_OFFICE, true, 4 * KB, NULL,
     LANE_INLINE},

    {HTTP_GET, "/persons", persons_list, "persons/list", PERM_USER, false, 0, person_list_params,
     LANE_INLINE},
    {HTTP_POST, "/persons", persons_create, "persons/form", PERM_EDITOR, true, 64 * KB,
     person_form_params, LANE_INLINE},
    {HTTP_GET, "/persons/new", persons_new, "persons/form", PERM_EDITOR, false, 0,
     person_new_params, LANE_INLINE},
    {HTTP_GET, "/persons/export.xlsx", persons_export, NULL, PERM_USER, false, 0,
     person_export_params, LANE_JOBS},
    {HTTP_GET, "/persons/import", persons_import_form, "persons/import", PERM_OFFICE, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/persons/import", persons_import, "persons/import", PERM_OFFICE, true, 10 * MB,
     import_params, LANE_JOBS},
    {HTTP_GET, "/persons/{id:int}", persons_show, "persons/show", PERM_USER, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/persons/{id:int}", persons_update, "persons/form", PERM_EDITOR, true, 64 * KB,
     person_form_params, LANE_INLINE},
    {HTTP_GET, "/persons/{id:int}/edit", persons_edit, "persons/form", PERM_EDITOR, false, NOBODY,
     LANE_INLINE},
    {HTTP_POST, "/persons/{id:int}/deactivate", persons_deactivate, NULL, PERM_EDITOR, true, 4 * KB,
     NULL, LANE_INLINE},
    {HTTP_POST, "/persons/{id:int}/activate", persons_activate, NULL, PERM_EDITOR, true, 4 * KB,
     NULL, LANE_INLINE},
};

const size_t app_routes_count = sizeof app_routes / sizeof app_routes[0];
