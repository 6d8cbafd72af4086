/* The demo's emulation groups (DESIGN.md §1): the MTTQ-and-mass-organisations
 * bloc of six units, the departments' bloc, the Party bloc and a cluster of
 * communes and wards, each with this year's members, head and deputy. */
#include "features/demo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/groups.h"
#include "features/registry.h"
#include "lib/date.h"

struct demo_group {
    const char *code, *kind, *name;
    const char *members[13]; /* unit codes; the first is the head, the second the deputy */
};

static const struct demo_group demo_groups[] = {
    {"KHOI-MTTQ", "khoi", "Khối thi đua MTTQ và các đoàn thể tỉnh",
     {"MTTQ", "LDLD", "HLHPN", "HND", "HCCB", "TDOAN"}},
    {"KHOI-SO", "khoi", "Khối thi đua các sở, ngành tỉnh",
     {"STC", "SNV", "SGDDT", "SYT", "SNNMT", "SXD", "SCT", "SVHTTDL", "SKHCN", "STP"}},
    {"KHOI-DANG", "khoi", "Khối thi đua các cơ quan Đảng tỉnh",
     {"VPTU", "BTCTU", "BTGDVTU", "UBKTTU", "BNCTU", "BCT"}},
    {"CUM-XP", "cum", "Cụm thi đua các xã, phường",
     {"P-KINHBAC", "P-VOCUONG", "P-DAIPHUC", "P-TUSON", "P-BACGIANG", "X-TIENDU", "X-YENPHONG",
      "X-QUEVO", "X-GIABINH", "X-LUONGTAI", "X-DONGCUU", "X-NHANTHANG"}},
};

enum result demo_groups_generate(struct db *db, struct err *e)
{
    char today[11], now[21];
    date_today(today);
    date_now_utc(now);
    int year = atoi(today);
    for (size_t g = 0; g < sizeof demo_groups / sizeof demo_groups[0]; g++) {
        const struct demo_group *d = &demo_groups[g];
        struct db_stmt *s = db_query(
            db, "INSERT INTO emulation_groups (kind, code, name, organiser, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        db_bind_text(s, 1, d->kind);
        db_bind_text(s, 2, d->code);
        db_bind_text(s, 3, d->name);
        db_bind_text(s, 4, "Hội đồng Thi đua - Khen thưởng tỉnh");
        db_bind_text(s, 5, now);
        db_bind_text(s, 6, now);
        int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        db_done(s);
        if (!id)
            return err_set(e, E_DB, "", "%s", db_errmsg(db));
        enum result rc = group_year_ensure(db, id, year, e);
        int64_t head = 0, deputy = 0;
        for (size_t m = 0; rc == OK && m < 13 && d->members[m]; m++) {
            int64_t unit = unit_id_by_code(db, d->members[m]);
            s = db_query(db, "INSERT INTO group_members (group_id, year, unit_id) VALUES (?, ?, ?)");
            db_bind_int(s, 1, id);
            db_bind_int(s, 2, year);
            db_bind_int(s, 3, unit);
            if (db_run(s) != DB_DONE)
                rc = err_set(e, E_DB, "", "%s", db_errmsg(db));
            if (m == 0)
                head = unit;
            else if (m == 1)
                deputy = unit;
        }
        if (rc == OK)
            rc = group_set_leaders(db, id, year, head, deputy, 0, e);
        if (rc != OK)
            return rc;
    }
    return OK;
}

/* One statement with its values bound in order: "i" an int64, "s" a
 * string. Returns the first column of the first row (RETURNING id), or 0;
 * *rc becomes E_DB on failure and then nothing more runs. */
static int64_t run(struct db *db, enum result *rc, const char *sql, const char *types, ...)
{
    if (*rc != OK)
        return 0;
    struct db_stmt *s = db_query(db, sql);
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            db_bind_int(s, i + 1, va_arg(ap, int64_t));
        else
            db_bind_text(s, i + 1, va_arg(ap, const char *));
    }
    va_end(ap);
    int64_t id = 0;
    enum db_step st = db_step(s);
    if (st == DB_ROW)
        id = db_col_int(s, 0);
    if (st == DB_ERROR || db_done(s) == DB_ERROR)
        *rc = E_DB;
    return id;
}

/* "yyyy-mm-dd" of this year */
static void on(int year, const char *mmdd, char out[11])
{
    date_year_start(year, out);
    memcpy(out + 5, mmdd, 5);
}

/* The MTTQ bloc's criteria table of the year, locked, in self-scoring with
 * its deadlines, and the members' sheets: four submitted, one half done,
 * one not opened — so the grid, the ranking and the home page show a year
 * under way. Fixed values: the demo is the same every time. */
static enum result demo_scores(struct db *db, int64_t g, int year, const char *now)
{
    static const struct {
        int parent; /* index of the parent group in this list, -1 at the top */
        const char *kind, *code, *name;
        int64_t max, each;
    } nodes[] = {
        {-1, "group", "I", "Tham mưu, tổ chức thực hiện nhiệm vụ chính trị", 4000, 0},
        {0, "direct", "I.1", "Ban hành kế hoạch, chương trình công tác năm đúng thời hạn", 1500, 0},
        {0, "direct", "I.2", "Thực hiện chương trình phối hợp, giám sát và phản biện xã hội", 1500,
         0},
        {0, "passfail", "I.3", "Phát động phong trào thi đua và ký kết giao ước thi đua", 1000, 0},
        {-1, "group", "II", "Phát triển đoàn viên, hội viên và chuyển đổi số", 3500, 0},
        {4, "target", "II.1", "Kết nạp đoàn viên, hội viên mới (người)", 2000, 0},
        {4, "target", "II.2", "Văn bản điện tử trên tổng số văn bản đi (%)", 1500, 0},
        {-1, "group", "III", "Công tác thi đua, khen thưởng và hoạt động chung của Khối", 2500, 0},
        {7, "occurrence", "III.1", "Mô hình, điển hình tiên tiến được biểu dương", 1000, 250},
        {7, "passfail", "III.2", "Thực hiện chế độ thông tin, báo cáo đúng hạn", 500, 0},
        {7, "direct", "III.3", "Tham gia hoạt động chung của Khối", 500, 0},
        {7, "direct", "III.4", "Tham gia đóng góp ý kiến xây dựng văn bản của Khối", 500, 0},
    };
    enum { N = sizeof nodes / sizeof nodes[0] };
    /* per unit, the answer of each node in order (groups ignored): value
     * and target as score_answers holds them; -1: left blank */
    static const struct {
        const char *code;
        bool submitted;
        int64_t v[N], t[N];
    } sheets[] = {
        {"MTTQ", true, {0, 1500, 1400, 1, 0, 23000, 9800, 0, 4, 1, 500, 450},
         {0, 0, 0, 0, 0, 20000, 10000}},
        {"LDLD", true, {0, 1400, 1450, 1, 0, 21000, 10000, 0, 3, 1, 500, 400},
         {0, 0, 0, 0, 0, 20000, 10000}},
        {"HLHPN", true, {0, 1500, 1300, 1, 0, 19000, 9500, 0, 5, 1, 450, 500},
         {0, 0, 0, 0, 0, 20000, 10000}},
        {"HCCB", true, {0, 1300, 1350, 0, 0, 20000, 9000, 0, 2, 1, 400, 400},
         {0, 0, 0, 0, 0, 20000, 10000}},
        {"HND", false, {0, 1400, 1300, 1, 0, 18000, -1, 0, -1, -1, -1, -1},
         {0, 0, 0, 0, 0, 20000, 0}},
    };
    char self_due[11], review1_due[11], explain_due[11], review2_due[11];
    on(year, "12-10", self_due);
    on(year, "12-17", review1_due);
    on(year, "12-22", explain_due);
    on(year, "12-29", review2_due);
    enum result rc = OK;
    int64_t table = run(db, &rc,
                        "INSERT INTO criteria_tables (group_id, year, title, status, self_due, "
                        "review1_due, explain_due, review2_due, created_at, updated_at) VALUES "
                        "(?, ?, ?, 'locked', ?, ?, ?, ?, ?, ?) RETURNING id",
                        "iisssssss", g, (int64_t)year,
                        "Bảng tiêu chí chấm điểm thi đua của Khối thi đua MTTQ và các đoàn thể",
                        self_due, review1_due, explain_due, review2_due, now, now);
    int64_t ids[N] = {0};
    for (int i = 0; i < N && rc == OK; i++) {
        struct db_stmt *s = db_query(db, "INSERT INTO criteria_nodes (table_id, position, "
                                         "parent_id, kind, code, name, max_x100, each_x100) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        db_bind_int(s, 1, table);
        db_bind_int(s, 2, i + 1);
        if (nodes[i].parent < 0)
            db_bind_null(s, 3);
        else
            db_bind_int(s, 3, ids[nodes[i].parent]);
        db_bind_text(s, 4, nodes[i].kind);
        db_bind_text(s, 5, nodes[i].code);
        db_bind_text(s, 6, nodes[i].name);
        db_bind_int(s, 7, nodes[i].max);
        if (nodes[i].each)
            db_bind_int(s, 8, nodes[i].each);
        else
            db_bind_null(s, 8);
        enum db_step st = db_step(s);
        ids[i] = st == DB_ROW ? db_col_int(s, 0) : 0;
        if (st != DB_ROW || db_done(s) == DB_ERROR)
            rc = E_DB;
    }
    for (size_t u = 0; u < sizeof sheets / sizeof sheets[0] && rc == OK; u++) {
        int64_t sheet = run(db, &rc,
                            "INSERT INTO score_sheets (table_id, unit_id, status, submitted_at, "
                            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            "iissss", table, unit_id_by_code(db, sheets[u].code),
                            sheets[u].submitted ? "submitted" : "draft",
                            sheets[u].submitted ? now : NULL, now, now);
        for (int i = 0; i < N && rc == OK; i++) {
            if (strcmp(nodes[i].kind, "group") == 0 || sheets[u].v[i] < 0)
                continue;
            struct db_stmt *s = db_query(db, "INSERT INTO score_answers (sheet_id, node_id, "
                                             "value_x100, target_x100, updated_at) VALUES (?, ?, "
                                             "?, ?, ?)");
            db_bind_int(s, 1, sheet);
            db_bind_int(s, 2, ids[i]);
            db_bind_int(s, 3, sheets[u].v[i]);
            if (strcmp(nodes[i].kind, "target") == 0)
                db_bind_int(s, 4, sheets[u].t[i]);
            else
                db_bind_null(s, 4);
            db_bind_text(s, 5, now);
            if (db_run(s) != DB_DONE)
                rc = E_DB;
        }
    }
    return rc;
}

/* The MTTQ bloc's year so far, so the demo shows a living year: its movement
 * (launched 10 January), the pledge (opened 25 February) signed at the
 * signing conference by the first three units — whatever of it lies on or
 * before today. The rest is for the people trying the demo to do. */
enum result demo_year_generate(struct db *db, struct err *e)
{
    char today[11], now[21], jan1[11], dec31[11], launch[11], signing[11];
    date_today(today);
    date_now_utc(now);
    int year = atoi(today);
    on(year, "01-01", jan1);
    on(year, "12-31", dec31);
    on(year, "01-10", launch);
    on(year, "02-25", signing);
    int64_t g = 0;
    struct db_stmt *s = db_query(db, "SELECT id FROM emulation_groups WHERE code = 'KHOI-MTTQ'");
    if (db_step(s) == DB_ROW)
        g = db_col_int(s, 0);
    db_done(s);
    if (!g || strcmp(launch, today) > 0)
        return OK;
    enum result rc = OK;
    int64_t mv = run(db, &rc,
                     "INSERT INTO movements (name, kind, launcher_kind, launcher_group_id, "
                     "starts_on, ends_on, goals, status, launched_on, created_at, updated_at) "
                     "VALUES (?, 'regular', 'group', ?, ?, ?, ?, 'launched', ?, ?, ?) RETURNING id",
                     "sissssss", "Đoàn kết, sáng tạo, thi đua hoàn thành xuất sắc nhiệm vụ", g,
                     jan1, dec31,
                     "Phát triển đoàn viên, hội viên; đẩy mạnh chuyển đổi số trong hoạt động của "
                     "Mặt trận và các đoàn thể.",
                     launch, now, now);
    int64_t target = run(db, &rc,
                         "INSERT INTO movement_targets (movement_id, position, name, measure, "
                         "value_x100) VALUES (?, 1, ?, ?, ?) RETURNING id",
                         "issi", mv, "Kết nạp đoàn viên, hội viên mới", "người", (int64_t)20000);
    run(db, &rc, "INSERT INTO movement_participants (movement_id, group_id) VALUES (?, ?)", "ii",
        mv, g);
    if (rc != OK || strcmp(signing, today) > 0)
        return rc == OK ? OK : err_set(e, rc, "", "%s", db_errmsg(db));
    int64_t pledge = run(db, &rc,
                         "INSERT INTO pledges (group_id, year, title, basis, status, opened_on, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
                         "iisssss", g, (int64_t)year,
                         "Giao ước thi đua của Khối thi đua MTTQ và các đoàn thể tỉnh",
                         "Kế hoạch phát động phong trào thi đua của Khối", signing, now, now);
    run(db, &rc,
        "INSERT INTO pledge_items (pledge_id, position, content, measure, target_x100, "
        "movement_target_id) VALUES (?, 1, ?, ?, ?, ?)",
        "issii", pledge, "Kết nạp đoàn viên, hội viên mới", "người", (int64_t)20000, target);
    run(db, &rc,
        "INSERT INTO pledge_items (pledge_id, position, content, measure, target_x100) "
        "VALUES (?, 2, ?, ?, ?)",
        "issi", pledge, "Văn bản điện tử trên tổng số văn bản đi", "%", (int64_t)10000);
    run(db, &rc,
        "INSERT INTO pledge_items (pledge_id, position, content, measure) VALUES (?, 3, ?, '')",
        "is", pledge, "Thực hiện tốt quy chế phối hợp công tác của Khối");
    int64_t conf = run(db, &rc,
                       "INSERT INTO conferences (group_id, year, kind, title, held_on, starts_at, "
                       "ends_at, place, secretary, summary, created_at, updated_at) VALUES (?, ?, "
                       "'pledge', ?, ?, '08:00', '10:30', ?, ?, ?, ?, ?) RETURNING id",
                       "iisssssss", g, (int64_t)year,
                       "Hội nghị ký kết giao ước thi đua của Khối", signing,
                       "Hội trường Ủy ban MTTQ Việt Nam tỉnh", "Hoàng Minh Đức",
                       "Các đơn vị thành viên thảo luận, thống nhất nội dung giao ước thi đua "
                       "năm.",
                       now, now);
    static const struct {
        const char *code, *name, *title;
        bool signs;
    } reps[] = {
        {"MTTQ", "Trần Quang Vinh", "Phó Chủ tịch", true},
        {"LDLD", "Lê Thị Bích", "Chủ tịch", true},
        {"HLHPN", "Nguyễn Thị Hòa", "Chủ tịch", true},
        {"HND", "Phạm Văn Thắng", "Chủ tịch", false},
        {"HCCB", "Đỗ Văn Hùng", "Chủ tịch", false},
        {"TDOAN", "Vũ Minh Đức", "Bí thư", false},
    };
    for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++) {
        int64_t unit = unit_id_by_code(db, reps[i].code);
        run(db, &rc,
            "INSERT INTO conference_attendance (conference_id, unit_id, present, representative, "
            "representative_title) VALUES (?, ?, 1, ?, ?)",
            "iiss", conf, unit, reps[i].name, reps[i].title);
        if (reps[i].signs)
            run(db, &rc,
                "INSERT INTO pledge_signatures (pledge_id, unit_id, signer_name, signer_title, "
                "signed_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                "iissss", pledge, unit, reps[i].name, reps[i].title, signing, now);
    }
    run(db, &rc,
        "INSERT INTO conference_chairs (conference_id, position, unit_id, person_name, "
        "person_title) VALUES (?, 1, ?, ?, ?)",
        "iiss", conf, unit_id_by_code(db, "MTTQ"), "Trần Quang Vinh",
        "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh, Trưởng Khối");
    if (rc == OK)
        rc = demo_scores(db, g, year, now);
    if (rc != OK)
        return err_set(e, rc, "", "%s", db_errmsg(db));
    return OK;
}
