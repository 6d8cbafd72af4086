/* Document writers under load, one kind per run so each peak memory is its
 * own: a Quyết định with a 1 000-recipient list as DOCX or as PDF (from the
 * built-in template, so the template path is measured too), and an XLSX
 * table of 100 000 rows. Prints figures; asserts nothing.
 *   tdkt-bench-docs docx|pdf|xlsx [rows] [repeats]        (see bench/docs.sh) */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "docs/docx.h"
#include "docs/xlsx_write.h"
#include "features/doc_templates.h"
#include "lib/assets.h"
#ifdef TDKT_BENCH_PDF
#include "docs/pdf.h"
#endif

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
static const char *const middle[] = {"Văn", "Thị", "Minh", "Quốc", "Thu", "Ngọc", "Đức", "Hồng"};
static const char *const given[] = {"An", "Bình", "Cường", "Dũng", "Hằng", "Hương", "Khải", "Lan",
                                    "Mai", "Nam", "Phương", "Quân", "Thảo", "Tuấn", "Yến"};

static json_t *decision(int rows)
{
    json_t *m = doc_template_sample("quyet_dinh");
    json_t *items = json_array();
    for (int i = 0; i < rows; i++) {
        char name[96], detail[96];
        snprintf(name, sizeof name, "%s %s %s %s", i % 2 ? "Bà" : "Ông", family[i % 8],
                 middle[(i / 8) % 8], given[(i / 64) % 15]);
        snprintf(detail, sizeof detail, "Chuyên viên phòng %d, Sở Nội vụ tỉnh Bắc Ninh", i % 37 + 1);
        json_array_append_new(items, json_pack("{s:i,s:s,s:s}", "n", i + 1, "name", name,
                                               "detail", detail));
    }
    json_object_set_new(json_object_get(m, "list"), "items", items);
    return m;
}

static int bench_doc(const char *kind, int rows, int repeats)
{
    json_t *m = decision(rows);
    double best = 1e18, total = 0;
    size_t size = 0;
    for (int r = 0; r < repeats; r++) {
        double t0 = now_ms();
        struct doc *d;
        struct err e = {0};
        if (doc_render(NULL, "quyet_dinh", m, &d, &e) != OK) {
            fprintf(stderr, "render: %s\n", e.msg);
            return 1;
        }
        char *data = NULL;
        size_t len = 0;
        enum result rc = E_INVALID;
        if (strcmp(kind, "docx") == 0)
            rc = docx_write(d, &data, &len, &e);
#ifdef TDKT_BENCH_PDF
        else
            rc = pdf_write(d, &data, &len, &e);
#endif
        doc_free(d);
        if (rc != OK) {
            fprintf(stderr, "%s: %s\n", kind, e.msg);
            return 1;
        }
        double ms = now_ms() - t0;
        total += ms;
        if (ms < best)
            best = ms;
        size = len;
        free(data);
    }
    json_decref(m);
    printf("%s: decision with %d listed recipients: best %.1f ms, mean %.1f ms over %d, "
           "%zu bytes, peak RSS %.1f MB\n",
           kind, rows, best, total / repeats, repeats, size, (double)peak_rss_kb() / 1024.0);
    return 0;
}

static int bench_xlsx(int rows)
{
    const char *h[] = {"STT", "Họ và tên", "Đơn vị", "Ngày sinh", "Điểm", "Tiền thưởng"};
    double t0 = now_ms();
    struct err e = {0};
    struct xlsx_table_writer *w =
        xlsx_table_begin("Danh sách", "Danh sách cá nhân được khen thưởng", h, NULL, 6, &e);
    if (!w)
        return fprintf(stderr, "xlsx: %s\n", e.msg), 1;
    for (int i = 0; i < rows; i++) {
        char name[96], date[11];
        snprintf(name, sizeof name, "%s %s %s", family[i % 8], middle[(i / 8) % 8],
                 given[(i / 64) % 15]);
        snprintf(date, sizeof date, "%04d-%02d-%02d", 1960 + i % 40, i % 12 + 1, i % 28 + 1);
        xlsx_table_int(w, i + 1);
        xlsx_table_text(w, name);
        xlsx_table_text(w, "Sở Nội vụ tỉnh Bắc Ninh");
        xlsx_table_date(w, date);
        xlsx_table_number(w, 80 + (i % 2000) / 100.0, 2);
        xlsx_table_number(w, 1170000, 0);
        xlsx_table_end_row(w);
    }
    char *data;
    size_t len;
    if (xlsx_table_finish(w, &data, &len, &e) != OK)
        return fprintf(stderr, "xlsx: %s\n", e.msg), 1;
    double ms = now_ms() - t0;
    printf("xlsx: %d rows × 6 columns: %.0f ms, %zu bytes, peak RSS %.1f MB\n", rows, ms, len,
           (double)peak_rss_kb() / 1024.0);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "docx";
    int rows = argc > 2 ? atoi(argv[2]) : 0;
    int repeats = argc > 3 ? atoi(argv[3]) : 5;
    if (strcmp(kind, "xlsx") == 0)
        return bench_xlsx(rows > 0 ? rows : 100000);
    if (strcmp(kind, "docx") == 0 || strcmp(kind, "pdf") == 0)
        return bench_doc(kind, rows > 0 ? rows : 1000, repeats > 0 ? repeats : 5);
    fprintf(stderr, "usage: tdkt-bench-docs docx|pdf|xlsx [rows] [repeats]\n");
    return 2;
}
