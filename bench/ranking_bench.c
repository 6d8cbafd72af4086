/* The ranking benchmark's helper (bench/ranking.sh): seeds 50 groups × 15
 * units × 60 criteria with complete sheets into a database made by `tdkt
 * init --demo --demo-units 800`, then times recomputing every ranking
 * through score_results_load (what the page, the exports and the what-if
 * call). Prints figures; asserts nothing.
 *   tdkt-bench-ranking seed DB_URL              prints the first table's id
 *   tdkt-bench-ranking recompute DB_URL [passes] */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "features/score_results.h"

enum { GROUPS = 50, UNITS = 15, TOPS = 6, PER_TOP = 10, YEAR = 2026 };

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static uint64_t rng = 88172645463325252ull;

static int64_t rnd(int64_t n) /* 0..n-1, xorshift: the same data every run */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)n);
}

static int64_t insert_id(struct db_stmt *s)
{
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    if (!id) {
        fprintf(stderr, "insert failed\n");
        exit(1);
    }
    return id;
}

static void run(struct db_stmt *s)
{
    if (db_run(s) != DB_DONE) {
        fprintf(stderr, "statement failed\n");
        exit(1);
    }
}

static int seed(struct db *db)
{
    const char *now = "2026-11-01T08:00:00Z";
    int64_t units[GROUPS * UNITS];
    struct db_stmt *s = db_query(db, "SELECT id FROM units ORDER BY id");
    size_t n = 0;
    while (n < GROUPS * UNITS && db_step(s) == DB_ROW)
        units[n++] = db_col_int(s, 0);
    db_done(s);
    if (n < GROUPS * UNITS) {
        fprintf(stderr, "need %d units, have %zu (tdkt init --demo --demo-units 800)\n",
                GROUPS * UNITS, n);
        return 1;
    }
    double t0 = now_ms();
    if (db_begin(db) != OK)
        return 1;
    int64_t first = 0;
    for (int g = 0; g < GROUPS; g++) {
        char code[32], name[64];
        snprintf(code, sizeof code, "BENCH-%02d", g + 1);
        snprintf(name, sizeof name, "Khối thi đua đo tải số %d", g + 1);
        s = db_query(db, "INSERT INTO emulation_groups (kind, code, name, organiser, "
                         "created_at, updated_at) VALUES ('khoi', ?, ?, 'Hội đồng', ?, ?) "
                         "RETURNING id");
        db_bind_text(s, 1, code);
        db_bind_text(s, 2, name);
        db_bind_text(s, 3, now);
        db_bind_text(s, 4, now);
        int64_t gid = insert_id(s);
        const int64_t *mine = units + g * UNITS;
        s = db_query(db, "INSERT INTO group_years (group_id, year, head_unit_id, "
                         "deputy_unit_id) VALUES (?, ?, ?, ?)");
        db_bind_int(s, 1, gid);
        db_bind_int(s, 2, YEAR);
        db_bind_int(s, 3, mine[0]);
        db_bind_int(s, 4, mine[1]);
        run(s);
        for (int u = 0; u < UNITS; u++) {
            s = db_query(db, "INSERT INTO group_members (group_id, year, unit_id) VALUES (?, ?, ?)");
            db_bind_int(s, 1, gid);
            db_bind_int(s, 2, YEAR);
            db_bind_int(s, 3, mine[u]);
            run(s);
        }
        s = db_query(db, "INSERT INTO criteria_tables (group_id, year, title, status, stage, "
                         "created_at, updated_at) VALUES (?, ?, ?, 'locked', 'review2', ?, ?) "
                         "RETURNING id");
        db_bind_int(s, 1, gid);
        db_bind_int(s, 2, YEAR);
        db_bind_text(s, 3, "Bảng tiêu chí chấm điểm thi đua năm 2026");
        db_bind_text(s, 4, now);
        db_bind_text(s, 5, now);
        int64_t table = insert_id(s);
        if (!first)
            first = table;
        /* 6 groups of 10 criteria, kinds in turn: direct 1.50, pass/fail
         * 1.50, per occurrence 0.50 each up to 1.50, target 1.50 */
        int64_t leaves[TOPS * PER_TOP], tops[TOPS];
        const char *kinds[] = {"direct", "passfail", "occurrence", "target"};
        int pos = 0;
        for (int t = 0; t < TOPS; t++) {
            char c[16];
            snprintf(c, sizeof c, "%d", t + 1);
            s = db_query(db, "INSERT INTO criteria_nodes (table_id, position, parent_id, kind, "
                             "code, name, max_x100) VALUES (?, ?, NULL, 'group', ?, ?, ?) "
                             "RETURNING id");
            db_bind_int(s, 1, table);
            db_bind_int(s, 2, pos++);
            db_bind_text(s, 3, c);
            db_bind_text(s, 4, "Nhóm tiêu chí");
            db_bind_int(s, 5, PER_TOP * 150);
            tops[t] = insert_id(s);
            for (int k = 0; k < PER_TOP; k++) {
                char cc[16];
                snprintf(cc, sizeof cc, "%d.%d", t + 1, k + 1);
                const char *kind = kinds[k % 4];
                s = db_query(db, "INSERT INTO criteria_nodes (table_id, position, parent_id, "
                                 "kind, code, name, max_x100, each_x100) VALUES (?, ?, ?, ?, ?, "
                                 "?, 150, ?) RETURNING id");
                db_bind_int(s, 1, table);
                db_bind_int(s, 2, pos++);
                db_bind_int(s, 3, tops[t]);
                db_bind_text(s, 4, kind);
                db_bind_text(s, 5, cc);
                db_bind_text(s, 6, "Tiêu chí");
                if (k % 4 == 2)
                    db_bind_int(s, 7, 50);
                else
                    db_bind_null(s, 7);
                leaves[t * PER_TOP + k] = insert_id(s);
            }
        }
        char tb[64];
        snprintf(tb, sizeof tb, "group:%lld,at_max,deductions,women,submitted",
                 (long long)tops[1]);
        s = db_query(db, "UPDATE criteria_tables SET tie_breaks = ? WHERE id = ?");
        db_bind_text(s, 1, tb);
        db_bind_int(s, 2, table);
        run(s);
        static const char *const bands[] = {"Xuất sắc", "Tốt", "Khá", "Trung bình"};
        static const int64_t mins[] = {8000, 6500, 5000, 0};
        for (int b = 0; b < 4; b++) {
            s = db_query(db, "INSERT INTO criteria_bands (table_id, position, name, min_x100) "
                             "VALUES (?, ?, ?, ?)");
            db_bind_int(s, 1, table);
            db_bind_int(s, 2, b + 1);
            db_bind_text(s, 3, bands[b]);
            db_bind_int(s, 4, mins[b]);
            run(s);
        }
        for (int u = 0; u < UNITS; u++) {
            char at[32];
            snprintf(at, sizeof at, "2026-10-%02dT%02d:00:00Z", 1 + (int)rnd(28), (int)rnd(24));
            s = db_query(db, "INSERT INTO score_sheets (table_id, unit_id, status, submitted_at, "
                             "women_pct, created_at, updated_at) VALUES (?, ?, 'submitted', ?, ?, "
                             "?, ?) RETURNING id");
            db_bind_int(s, 1, table);
            db_bind_int(s, 2, mine[u]);
            db_bind_text(s, 3, at);
            db_bind_int(s, 4, rnd(10001));
            db_bind_text(s, 5, now);
            db_bind_text(s, 6, now);
            int64_t sheet = insert_id(s);
            for (int k = 0; k < TOPS * PER_TOP; k++) {
                int64_t value = 0, target = -1;
                switch (k % PER_TOP % 4) {
                case 0: value = rnd(151); break;
                case 1: value = rnd(5) ? 1 : 0; break;
                case 2: value = rnd(5); break;
                default: value = 5000 + rnd(10001); target = 10000; break;
                }
                s = db_query(db, "INSERT INTO score_answers (sheet_id, node_id, value_x100, "
                                 "target_x100, updated_at) VALUES (?, ?, ?, ?, ?)");
                db_bind_int(s, 1, sheet);
                db_bind_int(s, 2, leaves[k]);
                db_bind_int(s, 3, value);
                if (target >= 0)
                    db_bind_int(s, 4, target);
                else
                    db_bind_null(s, 4);
                db_bind_text(s, 5, now);
                run(s);
            }
            /* a bonus for one unit in five, a deduction for one in four, a
             * veto for one in fifty */
            const char *kinds_adj[] = {"bonus", "deduction", "veto"};
            int64_t pts[] = {500, 100 + rnd(300), 0};
            bool have[] = {rnd(5) == 0, rnd(4) == 0, rnd(50) == 0};
            for (int a = 0; a < 3; a++) {
                if (!have[a])
                    continue;
                s = db_query(db, "INSERT INTO score_adjustments (sheet_id, kind, points_x100, "
                                 "reason, agency, created_at) VALUES (?, ?, ?, 'Đo tải', 'Sở', ?)");
                db_bind_int(s, 1, sheet);
                db_bind_text(s, 2, kinds_adj[a]);
                db_bind_int(s, 3, pts[a]);
                db_bind_text(s, 4, now);
                run(s);
            }
        }
    }
    if (db_commit(db) != OK)
        return 1;
    fprintf(stderr, "seeded %d groups × %d units × %d criteria in %.0f ms\n", GROUPS, UNITS,
            TOPS * PER_TOP, now_ms() - t0);
    printf("%lld\n", (long long)first);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int recompute(struct db *db, int passes)
{
    int64_t ids[GROUPS];
    size_t n = 0;
    struct db_stmt *s = db_query(db, "SELECT c.id FROM criteria_tables c JOIN emulation_groups g "
                                     "ON g.id = c.group_id WHERE g.code LIKE 'BENCH-%' ORDER BY "
                                     "c.id");
    while (n < GROUPS && db_step(s) == DB_ROW)
        ids[n++] = db_col_int(s, 0);
    db_done(s);
    double *ms = calloc((size_t)passes, sizeof *ms);
    size_t ranked = 0;
    for (int p = 0; p < passes; p++) {
        double t0 = now_ms();
        ranked = 0;
        for (size_t i = 0; i < n; i++) {
            struct score_results *r = score_results_load(db, ids[i], NULL);
            json_t *j = score_results_json(r);
            ranked += r->nranked;
            json_decref(j);
            score_results_free(r);
        }
        ms[p] = now_ms() - t0;
    }
    qsort(ms, (size_t)passes, sizeof *ms, cmp);
    printf("recompute %zu rankings (%zu units ranked): best %.1f ms, median %.1f ms over %d "
           "passes\n", n, ranked, ms[0], ms[passes / 2], passes);
    free(ms);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s seed|recompute DB_URL [passes]\n", argv[0]);
        return 2;
    }
    struct db *db = NULL;
    struct err e = {0};
    if (db_open(argv[2], &db, &e) != OK) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    int rc = strcmp(argv[1], "seed") == 0 ? seed(db)
                                           : recompute(db, argc > 3 ? atoi(argv[3]) : 10);
    db_close(db);
    return rc;
}
