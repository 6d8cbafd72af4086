/* Every route of tdkt, one row each: method, path, handler, template,
 * permission, CSRF, body limit and accepted parameters. The router enforces
 * the row (see http/http.h), so the handlers only hold the work itself. */
#include "features/routes.h"

#include "features/home.h"
#include "features/persons.h"
#include "features/units.h"
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

/* Form posts carry a few KB; imports up to 10 MB. The last column marks the
 * heavy routes (imports, exports), which run on the job threads. */
const struct route app_routes[] = {
    {HTTP_GET, "/", home_show, "home", PERM_PUBLIC, false, 0, NULL, false},
    {HTTP_GET, "/healthz", health_show, NULL, PERM_PUBLIC, false, 0, NULL, false},

    {HTTP_GET, "/units", units_list, "units/list", PERM_USER, false, 0, unit_list_params, false},
    {HTTP_POST, "/units", units_create, "units/form", PERM_OFFICE, true, 64 * KB, unit_form_params, false},
    {HTTP_GET, "/units/new", units_new, "units/form", PERM_OFFICE, false, 0, unit_new_params, false},
    {HTTP_GET, "/units/export.xlsx", units_export, NULL, PERM_USER, false, 0, unit_export_params,
     true},
    {HTTP_GET, "/units/import", units_import_form, "units/import", PERM_OFFICE, false, 0, NULL, false},
    {HTTP_POST, "/units/import", units_import, "units/import", PERM_OFFICE, true, 10 * MB,
     import_params, true},
    {HTTP_GET, "/units/{id:int}", units_show, "units/show", PERM_USER, false, 0, NULL, false},
    {HTTP_POST, "/units/{id:int}", units_update, "units/form", PERM_OFFICE, true, 64 * KB,
     unit_form_params, false},
    {HTTP_GET, "/units/{id:int}/edit", units_edit, "units/form", PERM_OFFICE, false, 0, NULL, false},
    {HTTP_POST, "/units/{id:int}/deactivate", units_deactivate, NULL, PERM_OFFICE, true, 4 * KB,
     deactivate_params, false},
    {HTTP_POST, "/units/{id:int}/activate", units_activate, NULL, PERM_OFFICE, true, 4 * KB, NULL, false},

    {HTTP_GET, "/persons", persons_list, "persons/list", PERM_USER, false, 0, person_list_params, false},
    {HTTP_POST, "/persons", persons_create, "persons/form", PERM_USER, true, 64 * KB,
     person_form_params, false},
    {HTTP_GET, "/persons/new", persons_new, "persons/form", PERM_USER, false, 0, person_new_params, false},
    {HTTP_GET, "/persons/export.xlsx", persons_export, NULL, PERM_USER, false, 0,
     person_export_params, true},
    {HTTP_GET, "/persons/import", persons_import_form, "persons/import", PERM_USER, false, 0, NULL, false},
    {HTTP_POST, "/persons/import", persons_import, "persons/import", PERM_USER, true, 10 * MB,
     import_params, true},
    {HTTP_GET, "/persons/{id:int}", persons_show, "persons/show", PERM_USER, false, 0, NULL, false},
    {HTTP_POST, "/persons/{id:int}", persons_update, "persons/form", PERM_USER, true, 64 * KB,
     person_form_params, false},
    {HTTP_GET, "/persons/{id:int}/edit", persons_edit, "persons/form", PERM_USER, false, 0, NULL, false},
    {HTTP_POST, "/persons/{id:int}/deactivate", persons_deactivate, NULL, PERM_USER, true, 4 * KB,
     NULL, false},
    {HTTP_POST, "/persons/{id:int}/activate", persons_activate, NULL, PERM_USER, true, 4 * KB, NULL, false},
};

const size_t app_routes_count = sizeof app_routes / sizeof app_routes[0];
