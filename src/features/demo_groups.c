/* The demo's emulation groups (DESIGN.md §1): the MTTQ-and-mass-organisations
 * bloc of six units, the departments' bloc, the Party bloc and a cluster of
 * communes and wards, each with this year's members, head and deputy. */
#include "features/demo.h"

#include <stdio.h>
#include <stdlib.h>

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
