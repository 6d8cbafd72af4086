#include "features/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/registry.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

struct demo_unit {
    const char *code, *parent, *kind, *name, *short_name;
};

/* The province of Bắc Ninh as after the 2025 reorganisation (reference
 * province of domain/RULES.md), with the blocs its news describes. */
static const struct demo_unit named_units[] = {
    {"BN", NULL, "tinh", "Tỉnh Bắc Ninh", "BN"},
    /* Khối thi đua MTTQ và các đoàn thể tỉnh */
    {"MTTQ", "BN", "doan_the", "Ủy ban MTTQ Việt Nam tỉnh", "MTTQ tỉnh"},
    {"LDLD", "BN", "doan_the", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh"},
    {"HLHPN", "BN", "doan_the", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh"},
    {"HND", "BN", "doan_the", "Hội Nông dân tỉnh", "Hội ND tỉnh"},
    {"HCCB", "BN", "doan_the", "Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh"},
    {"TDOAN", "BN", "doan_the", "Tỉnh đoàn", "Tỉnh đoàn"},
    /* Khối các ban Đảng, cơ quan của Tỉnh ủy */
    {"VPTU", "BN", "dang", "Văn phòng Tỉnh ủy", "VPTU"},
    {"BTCTU", "BN", "dang", "Ban Tổ chức Tỉnh ủy", "BTC Tỉnh ủy"},
    {"BTGDVTU", "BN", "dang", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTG&DV Tỉnh ủy"},
    {"UBKTTU", "BN", "dang", "Ủy ban Kiểm tra Tỉnh ủy", "UBKT Tỉnh ủy"},
    {"BNCTU", "BN", "dang", "Ban Nội chính Tỉnh ủy", "BNC Tỉnh ủy"},
    {"BCT", "BN", "dang", "Báo và Phát thanh, Truyền hình Bắc Ninh", "Báo BN"},
    /* Departments */
    {"SNV", "BN", "so_nganh", "Sở Nội vụ", "SNV"},
    {"SNV-TDKT", "SNV", "truc_thuoc", "Phòng Thi đua, khen thưởng", "Phòng TĐKT"},
    {"SNV-VP", "SNV", "truc_thuoc", "Văn phòng Sở Nội vụ", "VP SNV"},
    {"STC", "BN", "so_nganh", "Sở Tài chính", "STC"},
    {"SGDDT", "BN", "so_nganh", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"},
    {"SYT", "BN", "so_nganh", "Sở Y tế", "SYT"},
    {"SNNMT", "BN", "so_nganh", "Sở Nông nghiệp và Môi trường", "Sở NN&MT"},
    {"SXD", "BN", "so_nganh", "Sở Xây dựng", "SXD"},
    {"SCT", "BN", "so_nganh", "Sở Công Thương", "SCT"},
    {"SVHTTDL", "BN", "so_nganh", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL"},
    {"SKHCN", "BN", "so_nganh", "Sở Khoa học và Công nghệ", "Sở KH&CN"},
    {"STP", "BN", "so_nganh", "Sở Tư pháp", "STP"},
    /* Cụm thi đua các xã, phường */
    {"P-KINHBAC", "BN", "xa_phuong", "Phường Kinh Bắc", NULL},
    {"P-VOCUONG", "BN", "xa_phuong", "Phường Võ Cường", NULL},
    {"P-DAIPHUC", "BN", "xa_phuong", "Phường Đại Phúc", NULL},
    {"P-TUSON", "BN", "xa_phuong", "Phường Từ Sơn", NULL},
    {"P-BACGIANG", "BN", "xa_phuong", "Phường Bắc Giang", NULL},
    {"X-TIENDU", "BN", "xa_phuong", "Xã Tiên Du", NULL},
    {"X-YENPHONG", "BN", "xa_phuong", "Xã Yên Phong", NULL},
    {"X-QUEVO", "BN", "xa_phuong", "Xã Quế Võ", NULL},
    {"X-GIABINH", "BN", "xa_phuong", "Xã Gia Bình", NULL},
    {"X-LUONGTAI", "BN", "xa_phuong", "Xã Lương Tài", NULL},
    {"X-DONGCUU", "BN", "xa_phuong", "Xã Đông Cứu", NULL},
    {"X-NHANTHANG", "BN", "xa_phuong", "Xã Nhân Thắng", NULL},
};

static const char *const families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                       "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
                                       "Đinh", "Trịnh", "Đào", "Mai", "Tạ", "Lương", "Chu", "Ông"};
static const char *const male_middles[] = {"Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công",
                                           "Xuân", "Tiến", "Mạnh", "Trọng", "Đình", "Ngọc"};
static const char *const female_middles[] = {"Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh",
                                             "Phương", "Thùy", "Kim", "Bích", "Thị Thu"};
static const char *const male_given[] = {"An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Đạt",
                                         "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long",
                                         "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung",
                                         "Tuấn", "Việt", "Ơn", "Ân", "Ước"};
static const char *const female_given[] = {"An", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh",
                                           "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc",
                                           "Phương", "Thảo", "Trang", "Vân", "Yến", "Ân", "Ly"};
static const char *const positions[] = {
    "Giám đốc",      "Phó Giám đốc", "Chánh Văn phòng",    "Trưởng phòng",  "Phó Trưởng phòng",
    "Chuyên viên chính", "Chuyên viên", "Chuyên viên",      "Chuyên viên",   "Cán sự",
    "Chủ tịch",      "Phó Chủ tịch", "Kế toán trưởng",     "Văn thư",       "Chuyên viên"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A small deterministic generator: the same demo every time. */
static uint32_t next(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

enum result demo_generate(struct db *db, int extra_units, int persons, struct err *e)
{
    if (db_scalar_int(db, "SELECT count(*) FROM units", 0) > 0)
        return err_set(e, E_CONFLICT, "", _("Cơ sở dữ liệu đã có đơn vị; không tạo dữ liệu mẫu."));
    if (db_begin(db) != OK)
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    size_t nids = COUNT(named_units) + (size_t)extra_units;
    int64_t *ids = xcalloc(nids, sizeof *ids);
    size_t n = 0;
    enum result rc = OK;
    for (size_t i = 0; i < COUNT(named_units) && rc == OK; i++) {
        const struct demo_unit *d = &named_units[i];
        struct unit_input u = {.parent_id = d->parent ? unit_id_by_code(db, d->parent) : 0, .kind = d->kind,
                               .code = d->code, .name = d->name, .short_name = d->short_name,
                               .active_from = "2025-07-01"};
        rc = unit_insert(db, &u, &ids[n++]);
    }
    /* Invented sub-units (bench data): departments' offices and schools. */
    uint32_t seed = 20251122u;
    static const char *const sub_kinds[] = {"Phòng", "Trung tâm", "Trường", "Chi cục", "Ban"};
    static const char *const sub_topics[] = {"Tổ chức cán bộ", "Kế hoạch - Tài chính",
                                             "Thanh tra", "Pháp chế", "Tổng hợp", "Đào tạo",
                                             "Dịch vụ công", "Kiểm định", "Bồi dưỡng", "Lưu trữ"};
    for (int i = 0; i < extra_units && rc == OK; i++) {
        int64_t parent = ids[next(&seed) % n];
        char code[32], name[200];
        snprintf(code, sizeof code, "DV%05d", i + 1);
        snprintf(name, sizeof name, "%s %s số %d", sub_kinds[next(&seed) % COUNT(sub_kinds)],
                 sub_topics[next(&seed) % COUNT(sub_topics)], i + 1);
        struct unit_input u = {.parent_id = parent, .kind = "truc_thuoc", .code = code,
                               .name = name, .short_name = ""};
        rc = unit_insert(db, &u, &ids[n++]);
    }
    for (int i = 0; i < persons && rc == OK; i++) {
        bool female = next(&seed) % 2;
        char name[200];
        const char *family = families[next(&seed) % COUNT(families)];
        const char *middle = female ? female_middles[next(&seed) % COUNT(female_middles)]
                                    : male_middles[next(&seed) % COUNT(male_middles)];
        const char *given = female ? female_given[next(&seed) % COUNT(female_given)]
                                   : male_given[next(&seed) % COUNT(male_given)];
        snprintf(name, sizeof name, "%s %s %s", family, middle, given);
        struct person_input p = {
            /* spread evenly, so every unit has people */
            .unit_id = ids[(size_t)i % n],
            .full_name = name,
            .gender = female ? "nu" : "nam",
            .birth_year = 1965 + (int64_t)(next(&seed) % 38),
            .position = positions[next(&seed) % COUNT(positions)],
        };
        int64_t id;
        rc = person_insert(db, &p, &id);
    }
    free(ids);
    if (rc == OK) {
        struct err ge = {0};
        rc = demo_groups_generate(db, &ge);
    }
    if (rc == OK) {
        struct db_stmt *s = db_query(db, "INSERT INTO meta (key, value) VALUES ('province', ?) "
                                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        db_bind_text(s, 1, "Tỉnh Bắc Ninh");
        if (db_step(s) != DB_DONE)
            rc = E_DB;
        db_done(s);
    }
    if (rc != OK || db_commit(db) != OK) {
        db_rollback(db);
        return err_set(e, E_DB, "", _("Không tạo được dữ liệu mẫu: %s"), db_errmsg(db));
    }
    /* fresh statistics, so the query planner knows how the registry looks */
    return db_exec_script(db, "ANALYZE", e);
}
