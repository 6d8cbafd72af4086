/* docs/xlsx_read and docs/xlsx_write: round trips, hand-built workbooks,
 * hostile files (zip bombs, lying sizes, DTDs) and every limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <zip.h>

#include "docs/xlsx_read.h"
#include "docs/xlsx_write.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define SHEET(body)                                                                           \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                         \
    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" body "</sheetData></worksheet>"
#define WORKBOOK(sheets)                                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" NS_MAIN                    \
    "\" xmlns:r=\"" NS_REL "\"><sheets>" sheets "</sheets></workbook>"
#define RELS(rels)                                                                            \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "                               \
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" rels             \
    "</Relationships>"
#define REL(id, type, target)                                                                 \
    "<Relationship Id=\"" id "\" Type=\"" NS_REL "/" type "\" Target=\"" target "\"/>"

static const char wb_xml[] = WORKBOOK("<sheet name=\"Trang 1\" sheetId=\"1\" r:id=\"rId1\"/>");
static const char rels_xml[] = RELS(REL("rId1", "worksheet", "worksheets/sheet1.xml")
                                        REL("rId2", "sharedStrings", "sharedStrings.xml"));

/* ---- building zips in memory ------------------------------------------------------------ */

struct zentry {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
};

static zip_t *zip_begin(zip_source_t **src)
{
    zip_error_t ze;
    zip_error_init(&ze);
    *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(*src);
    zip_source_keep(*src);
    zip_t *za = zip_open_from_source(*src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_error_fini(&ze);
    return za;
}

static void zip_put(zip_t *za, const char *name, const char *data, size_t len, bool store)
{
    zip_source_t *s = zip_source_buffer(za, data, len, 0);
    assert_non_null(s);
    zip_int64_t i = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
    assert_true(i >= 0);
    if (store)
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
}

static char *zip_end(zip_t *za, zip_source_t *src, size_t *len)
{
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(src, &st), 0);
    char *out = malloc(st.size ? st.size : 1);
    assert_non_null(out);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    *len = (size_t)st.size;
    return out;
}

static char *zip_build(const struct zentry *ents, size_t n, size_t *len)
{
    zip_source_t *src;
    zip_t *za = zip_begin(&src);
    for (size_t i = 0; i < n; i++)
        zip_put(za, ents[i].name, ents[i].data, ents[i].len ? ents[i].len : strlen(ents[i].data),
                false);
    return zip_end(za, src, len);
}

/* A minimal workbook around one sheet (and shared strings when sst is not NULL). */
static char *make_xlsx(const char *sheet, const char *sst, size_t *len)
{
    struct zentry ents[] = {
        {"xl/workbook.xml", wb_xml, 0},
        {"xl/_rels/workbook.xml.rels", rels_xml, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
        {"xl/sharedStrings.xml", sst, 0},
    };
    return zip_build(ents, sst ? 4 : 3, len);
}

/* The text of one part of a zip, for checking what the writer produced. */
static char *zip_entry_text(const char *data, size_t len, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_error_fini(&ze);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, name, 0, &st), 0);
    char *out = malloc(st.size + 1);
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
    out[st.size] = '\0';
    zip_fclose(zf);
    zip_discard(za);
    return out;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum result read_xlsx(const char *data, size_t len, const struct xlsx_limits *lim,
                             struct xlsx_sheet **s, struct err *e)
{
    err_clear(e);
    return xlsx_read(data, len, lim, s, e);
}

/* Reads a hand-built sheet that must be accepted. */
static struct xlsx_sheet *read_ok(const char *sheet, const char *sst)
{
    size_t len;
    char *z = make_xlsx(sheet, sst, &len);
    struct xlsx_sheet *s = NULL;
    struct err e;
    enum result rc = read_xlsx(z, len, NULL, &s, &e);
    if (rc != OK)
        fail_msg("xlsx_read: %d %s (%s)", rc, e.msg, e.field);
    free(z);
    return s;
}

static enum result read_fails(const char *sheet, const char *sst, const struct xlsx_limits *lim,
                              struct err *e)
{
    size_t len;
    char *z = make_xlsx(sheet, sst, &len);
    struct xlsx_sheet *s = (struct xlsx_sheet *)1;
    enum result rc = read_xlsx(z, len, lim, &s, e);
    assert_null(s);
    free(z);
    return rc;
}

static void assert_row(const struct xlsx_row *r, size_t number, size_t ncols,
                       const char *const *cells)
{
    assert_int_equal(r->number, number);
    assert_int_equal(r->ncols, ncols);
    for (size_t i = 0; i < ncols; i++)
        assert_string_equal(r->cells[i], cells[i]);
}

/* ---- writer, then reader ---------------------------------------------------------------- */

static const char *const people_headers[] = {"STT", "Họ và tên", "Mã định danh", "Năm sinh",
                                             "Ghi chú"};
static const double people_widths[] = {6, 28, 16, 10, 30};

struct person {
    const char *name, *code, *note;
    int64_t year;
};

static const struct person people[] = {
    {"Nguyễn Văn Đức", "0012", "Chiến sĩ thi đua cơ sở", 1985},
    {"Trần Thị Ánh Tuyết", "000123456789", "", 1990},
    {"Lê Hoàng Ổi", "01", "Dòng 1\nDòng 2\tcó tab", 1978},
    {"Phạm Thị Ngọc Ẩn", "1e5", "a & b <c> \"d\" 'e'", -1},
    {"Đặng Ư", "=SUM(A1)", "_x0041_ giữ nguyên", 0},
};

static char *write_people(size_t *len)
{
    struct err e;
    struct xlsx_table_writer *w =
        xlsx_table_begin("Danh sách", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024", people_headers,
                         people_widths, 5, &e);
    assert_non_null(w);
    for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
        xlsx_table_int(w, (int64_t)i + 1);
        xlsx_table_text(w, people[i].name);
        xlsx_table_text(w, people[i].code);
        if (people[i].year < 0)
            xlsx_table_blank(w);
        else
            xlsx_table_int(w, people[i].year);
        if (people[i].note[0])
            xlsx_table_text(w, people[i].note);
        xlsx_table_end_row(w);
    }
    char *data;
    assert_int_equal(xlsx_table_finish(w, &data, len, &e), OK);
    assert_non_null(data);
    return data;
}

static void test_round_trip(void **state)
{
    (void)state;
    size_t len;
    char *data = write_people(&len);
    struct xlsx_sheet *s;
    struct err e;
    assert_int_equal(read_xlsx(data, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "Danh sách");
    assert_int_equal(s->nrows, 2 + sizeof people / sizeof *people);
    const char *title[] = {"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"};
    assert_row(&s->rows[0], 1, 1, title); /* merged blanks after A1 are not values */
    assert_row(&s->rows[1], 2, 5, (const char *const *)people_headers);
    for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
        const struct xlsx_row *r = &s->rows[2 + i];
        char stt[8], year[8];
        snprintf(stt, sizeof stt, "%zu", i + 1);
        snprintf(year, sizeof year, "%lld", (long long)people[i].year);
        assert_int_equal(r->number, 3 + i);
        assert_string_equal(xlsx_cell(r, 0), stt);
        assert_string_equal(xlsx_cell(r, 1), people[i].name);
        assert_string_equal(xlsx_cell(r, 2), people[i].code);
        assert_string_equal(xlsx_cell(r, 3), people[i].year < 0 ? "" : year);
        assert_string_equal(xlsx_cell(r, 4), people[i].note);
        assert_string_equal(xlsx_cell(r, 5), "");
        assert_int_equal(r->ncols, people[i].note[0] ? 5 : 4);
    }
    xlsx_sheet_free(s);
    free(data);
}

static void test_round_trip_numbers_and_many_rows(void **state)
{
    (void)state;
    struct err e;
    const char *h[] = {"Số", "Mã"};
    struct xlsx_table_writer *w = xlsx_table_begin(NULL, NULL, h, NULL, 2, &e);
    assert_non_null(w);
    static const int64_t special[] = {0, -5, 1985, INT64_C(9007199254740992),
                                      INT64_C(9007199254740993), INT64_MIN, INT64_MAX};
    size_t nspecial = sizeof special / sizeof *special;
    for (size_t i = 0; i < nspecial; i++) {
        xlsx_table_int(w, special[i]);
        xlsx_table_text(w, "x");
        xlsx_table_end_row(w);
    }
    /* Enough rows to go through many of constant_memory's row flushes. */
    for (int i = 0; i < 3000; i++) {
        char code[16];
        snprintf(code, sizeof code, "%06d", i);
        xlsx_table_int(w, i);
        xlsx_table_text(w, code);
        xlsx_table_end_row(w);
    }
    xlsx_table_int(w, 42); /* a last row without end_row: finish ends it */
    char *data;
    size_t len;
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), OK);

    struct xlsx_sheet *s;
    assert_int_equal(read_xlsx(data, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "Danh sách");
    assert_int_equal(s->nrows, 1 + nspecial + 3000 + 1);
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "Số");
    assert_int_equal(s->rows[0].number, 1); /* no title: the header is row 1 */
    const char *want[] = {"0", "-5", "1985", "9007199254740992", "9007199254740993",
                          "-9223372036854775808", "9223372036854775807"};
    for (size_t i = 0; i < nspecial; i++)
        assert_string_equal(xlsx_cell(&s->rows[1 + i], 0), want[i]);
    for (int i = 0; i < 3000; i++) {
        const struct xlsx_row *r = &s->rows[1 + nspecial + (size_t)i];
        char n[16], code[16];
        snprintf(n, sizeof n, "%d", i);
        snprintf(code, sizeof code, "%06d", i);
        assert_string_equal(xlsx_cell(r, 0), n);
        assert_string_equal(xlsx_cell(r, 1), code);
        assert_int_equal(r->number, 2 + nspecial + (size_t)i);
    }
    const struct xlsx_row *last = &s->rows[s->nrows - 1];
    assert_string_equal(xlsx_cell(last, 0), "42");
    assert_int_equal(last->ncols, 1);
    xlsx_sheet_free(s);
    free(data);
}

/* Dates are real Excel dates shown day first; numbers keep their decimals
 * and are grouped by thousands; a date that does not exist is refused with
 * its cell. */
static void test_writer_dates_and_numbers(void **state)
{
    (void)state;
    struct err e;
    const char *h[] = {"Ngày", "Điểm", "Tiền thưởng"};
    struct xlsx_table_writer *w = xlsx_table_begin(NULL, NULL, h, NULL, 3, &e);
    assert_non_null(w);
    xlsx_table_date(w, "2026-01-05");
    xlsx_table_number(w, 95.25, 2);
    xlsx_table_number(w, 2340000, 0);
    xlsx_table_end_row(w);
    xlsx_table_date(w, "28/02/2026");
    xlsx_table_number(w, 1.0 / 3.0, 2);
    xlsx_table_date(w, NULL);
    char *data;
    size_t len;
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), OK);
    struct xlsx_sheet *sh;
    assert_int_equal(read_xlsx(data, len, NULL, &sh, &e), OK);
    /* 2026-01-05 is Excel day 46027 (days since 1899-12-30) */
    assert_string_equal(xlsx_cell(&sh->rows[1], 0), "46027");
    assert_string_equal(xlsx_cell(&sh->rows[1], 1), "95.25");
    assert_string_equal(xlsx_cell(&sh->rows[1], 2), "2340000");
    assert_string_equal(xlsx_cell(&sh->rows[2], 0), "46081");
    xlsx_sheet_free(sh);
    char *styles = zip_entry_text(data, len, "xl/styles.xml");
    assert_non_null(strstr(styles, "formatCode=\"dd/mm/yyyy\""));
    assert_non_null(strstr(styles, "formatCode=\"#,##0.00\""));
    free(styles);
    free(data);

    w = xlsx_table_begin(NULL, NULL, h, NULL, 3, &e);
    xlsx_table_date(w, "2026-02-30");
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), E_INVALID);
    assert_string_equal(e.field, "A2");
    w = xlsx_table_begin(NULL, NULL, h, NULL, 3, &e);
    xlsx_table_blank(w);
    xlsx_table_number(w, NAN, 1);
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), E_INVALID);
    assert_string_equal(e.field, "B2");
}

static void test_writer_layout(void **state)
{
    (void)state;
    size_t len;
    char *data = write_people(&len);
    char *sheet = zip_entry_text(data, len, "xl/worksheets/sheet1.xml");
    char *wb = zip_entry_text(data, len, "xl/workbook.xml");
    char *styles = zip_entry_text(data, len, "xl/styles.xml");
    /* title merged over the five columns, header frozen and filtered */
    assert_non_null(strstr(sheet, "<mergeCell ref=\"A1:E1\"/>"));
    assert_non_null(strstr(sheet, "ySplit=\"2\" topLeftCell=\"A3\""));
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A2:E7\"/>"));
    /* A4 landscape, one page wide, header row repeated */
    assert_non_null(strstr(sheet, "paperSize=\"9\""));
    assert_non_null(strstr(sheet, "orientation=\"landscape\""));
    assert_non_null(strstr(sheet, "fitToHeight=\"0\""));
    assert_non_null(strstr(sheet, "<pageSetUpPr fitToPage=\"1\"/>"));
    assert_non_null(strstr(wb, "_xlnm.Print_Titles"));
    assert_non_null(strstr(wb, "'Danh sách'!$2:$2"));
    assert_non_null(strstr(wb, "_xlnm._FilterDatabase"));
    /* the widths asked for (libxlsxwriter adds Excel's padding) */
    assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"28.7109375\""));
    /* codes are strings, never numbers */
    assert_non_null(strstr(sheet, "<c r=\"C3\" s=\"4\" t=\"inlineStr\"><is><t>0012</t>"));
    assert_non_null(strstr(sheet, "<t>=SUM(A1)</t>"));
    assert_null(strstr(sheet, "<f>"));
    /* Times New Roman 12, bold header with a fill and borders */
    assert_non_null(strstr(styles, "<name val=\"Times New Roman\"/>"));
    assert_non_null(strstr(styles, "<sz val=\"12\"/>"));
    assert_non_null(strstr(styles, "<b/>"));
    assert_non_null(strstr(styles, "<fgColor rgb=\"FFDDEBF7\"/>"));
    assert_non_null(strstr(styles, "<left style=\"thin\">"));
    free(sheet);
    free(wb);
    free(styles);
    free(data);
}

static void test_writer_sheet_names(void **state)
{
    (void)state;
    struct err e;
    const char *h[] = {"A"};
    struct {
        const char *in, *out;
    } cases[] = {
        {"Khen thưởng: [2024]/*?\\", "Khen thưởng- -2024-----"},
        {"'Đơn vị'", "Đơn vị"},
        {"Danh sách cá nhân đề nghị tặng Bằng khen", "Danh sách cá nhân đề nghị tặng"},
        {"", "Danh sách"},
        {"\xff\xfe", "Danh sách"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct xlsx_table_writer *w = xlsx_table_begin(cases[i].in, "T", h, NULL, 1, &e);
        assert_non_null(w);
        xlsx_table_text(w, "x");
        char *data;
        size_t len;
        assert_int_equal(xlsx_table_finish(w, &data, &len, &e), OK);
        struct xlsx_sheet *s;
        assert_int_equal(read_xlsx(data, len, NULL, &s, &e), OK);
        assert_string_equal(s->name, cases[i].out);
        assert_string_equal(xlsx_cell(&s->rows[0], 0), "T"); /* one column: no merge */
        xlsx_sheet_free(s);
        free(data);
    }
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void test_writer_errors_and_cleanup(void **state)
{
    (void)state;
    char tmp[] = "/tmp/test_xlsx_tmp_XXXXXX";
    assert_non_null(mkdtemp(tmp));
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);
    size_t fds = count_entries("/proc/self/fd");

    struct err e;
    const char *h[] = {"Họ và tên", "Ghi chú"};
    err_clear(&e);
    assert_null(xlsx_table_begin("x", "t", h, NULL, 0, &e));
    assert_int_equal(e.code, E_INVALID);
    const char *bad[] = {"ok", NULL};
    assert_null(xlsx_table_begin("x", "t", bad, NULL, 2, &e));
    assert_int_equal(e.code, E_INVALID);
    assert_int_equal(count_entries(tmp), 0);

    /* a cell past the last column */
    struct xlsx_table_writer *w = xlsx_table_begin("x", "t", h, NULL, 2, &e);
    assert_non_null(w);
    assert_int_equal(count_entries(tmp), 1); /* the private directory */
    xlsx_table_text(w, "a");
    xlsx_table_text(w, "b");
    xlsx_table_text(w, "c");
    xlsx_table_end_row(w);
    char *data = (char *)1;
    size_t len = 1;
    err_clear(&e);
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), E_INVALID);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(e.field, "C3");
    assert_int_equal(count_entries(tmp), 0);

    /* text longer than Excel keeps, on the second data row */
    char *longtext = malloc(40000);
    memset(longtext, 'a', 39999);
    longtext[39999] = '\0';
    w = xlsx_table_begin("x", "t", h, NULL, 2, &e);
    xlsx_table_text(w, "a");
    xlsx_table_end_row(w);
    xlsx_table_text(w, "a");
    xlsx_table_text(w, longtext);
    xlsx_table_end_row(w);
    xlsx_table_text(w, "later rows are ignored after the first error");
    err_clear(&e);
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), E_TOOBIG);
    assert_string_equal(e.field, "B4");
    assert_non_null(strstr(e.msg, "B4"));
    free(longtext);

    /* text that is not UTF-8 */
    w = xlsx_table_begin("x", NULL, h, NULL, 2, &e);
    xlsx_table_text(w, "Nguy\xe1\xbb");
    err_clear(&e);
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), E_INVALID);
    assert_string_equal(e.field, "A2");

    /* abort after some rows */
    w = xlsx_table_begin("x", "t", h, NULL, 2, &e);
    for (int i = 0; i < 100; i++) {
        xlsx_table_text(w, "a");
        xlsx_table_end_row(w);
    }
    xlsx_table_abort(w);
    xlsx_table_abort(NULL);
    assert_int_equal(count_entries(tmp), 0);

    /* success leaves nothing behind either */
    w = xlsx_table_begin("x", "t", h, NULL, 2, &e);
    xlsx_table_text(w, "a");
    assert_int_equal(xlsx_table_finish(w, &data, &len, &e), OK);
    free(data);
    assert_int_equal(count_entries(tmp), 0);
    /* no descriptor left open by any path, aborted ones included */
    assert_int_equal(count_entries("/proc/self/fd"), fds);

    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
    assert_int_equal(rmdir(tmp), 0);
}

/* ---- header mapping and references ------------------------------------------------------ */

static void test_find_column(void **state)
{
    (void)state;
    const char *cells[] = {"STT", "Họ và tên", "", "Ngày sinh", "Đơn vị công tác",
                           "Chức vụ (nếu có)"};
    struct xlsx_row header = {1, 6, cells};
    assert_int_equal(xlsx_find_column(&header, "HỌ VÀ TÊN"), 1);
    assert_int_equal(xlsx_find_column(&header, "ho va ten"), 1);
    assert_int_equal(xlsx_find_column(&header, "  Họ  và   tên "), 1);
    assert_int_equal(xlsx_find_column(&header, "stt"), 0);
    assert_int_equal(xlsx_find_column(&header, "NGAY SINH"), 3);
    assert_int_equal(xlsx_find_column(&header, "don vi cong tac"), 4);
    assert_int_equal(xlsx_find_column(&header, "ĐƠN VỊ CÔNG TÁC"), 4);
    assert_int_equal(xlsx_find_column(&header, "chuc vu neu co"), 5);
    /* decomposed input (e + combining marks) folds the same way */
    assert_int_equal(xlsx_find_column(&header, "Ngay\xCC\x80 sinh"), 3);
    assert_int_equal(xlsx_find_column(&header, "Họ tên"), -1);
    assert_int_equal(xlsx_find_column(&header, "don vi"), -1);
    assert_int_equal(xlsx_find_column(&header, ""), -1);
    assert_int_equal(xlsx_find_column(&header, " - "), -1);
    assert_int_equal(xlsx_find_column(NULL, "stt"), -1);

    /* on a header read from a file written by the exporter */
    size_t len;
    char *data = write_people(&len);
    struct xlsx_sheet *s;
    struct err e;
    assert_int_equal(read_xlsx(data, len, NULL, &s, &e), OK);
    assert_int_equal(xlsx_find_column(&s->rows[1], "MÃ ĐỊNH DANH"), 2);
    assert_int_equal(xlsx_find_column(&s->rows[1], "nam sinh"), 3);
    xlsx_sheet_free(s);
    free(data);
}

static void test_cell_ref(void **state)
{
    (void)state;
    char ref[16];
    struct {
        size_t row, col;
        const char *want;
    } cases[] = {
        {1, 0, "A1"},          {7, 2, "C7"},       {1, 25, "Z1"},   {10, 26, "AA10"},
        {1, 51, "AZ1"},        {1, 52, "BA1"},     {1, 701, "ZZ1"}, {1, 702, "AAA1"},
        {1048576, 16383, "XFD1048576"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        xlsx_cell_ref(cases[i].row, cases[i].col, ref);
        assert_string_equal(ref, cases[i].want);
    }
    xlsx_cell_ref(SIZE_MAX, SIZE_MAX, ref); /* absurd, but bounded */
    assert_true(strlen(ref) <= 15);
    xlsx_cell_ref(0, 0, ref);
    assert_string_equal(ref, "A0");
}

/* ---- hand-built workbooks ----------------------------------------------------------------- */

static void test_sparse_cells(void **state)
{
    (void)state;
    struct xlsx_sheet *s = read_ok(
        SHEET("<row r=\"2\" spans=\"2:5\"><c r=\"B2\" t=\"inlineStr\"><is><t>b2</t></is></c>"
              "<c r=\"D2\"><v>4</v></c><c r=\"E2\" s=\"1\"/></row>"
              "<row r=\"3\"><c r=\"A3\" s=\"2\"/><c r=\"B3\"><v></v></c></row>"
              "<row r=\"4\"/>"
              "<row r=\"5\"><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>2</v></c></row>"
              "<row><c r=\"C6\"><v>7</v></c></row>"
              "<row r=\"9\"><c r=\"B9\"><v>1</v></c><c r=\"A9\"><v>0</v></c></row>"),
        NULL);
    assert_int_equal(s->nrows, 4);
    const char *r2[] = {"", "b2", "", "4"};
    const char *r5[] = {"x", "2"};
    const char *r6[] = {"", "", "7"};
    const char *r9[] = {"0", "1"};
    assert_row(&s->rows[0], 2, 4, r2);
    assert_row(&s->rows[1], 5, 2, r5);
    assert_row(&s->rows[2], 6, 3, r6);
    assert_row(&s->rows[3], 9, 2, r9);
    assert_string_equal(xlsx_cell(&s->rows[0], 4), "");
    assert_string_equal(xlsx_cell(&s->rows[0], 1000), "");
    assert_string_equal(xlsx_cell(NULL, 0), "");
    assert_string_equal(s->name, "Trang 1");
    xlsx_sheet_free(s);

    s = read_ok(SHEET(""), NULL);
    assert_int_equal(s->nrows, 0);
    xlsx_sheet_free(s);
    s = read_ok("<worksheet xmlns=\"" NS_MAIN "\"><sheetData/></worksheet>", NULL);
    assert_int_equal(s->nrows, 0);
    xlsx_sheet_free(s);
}

static void test_inline_strings(void **state)
{
    (void)state;
    struct xlsx_sheet *s = read_ok(
        SHEET("<row r=\"1\">"
              "<c r=\"A1\" t=\"inlineStr\"><is><r><rPr><b/></rPr><t>Nguyễn </t></r>"
              "<r><t xml:space=\"preserve\">Văn  </t></r><r><t>Đức</t></r></is></c>"
              "<c r=\"B1\" t=\"inlineStr\"><is><t>dòng 1_x000D_\ndòng 2</t></is></c>"
              "<c r=\"C1\" t=\"inlineStr\"><is><t>_x005F_x0041_ và _x0041_ và _x00e1_</t></is></c>"
              "<c r=\"D1\" t=\"inlineStr\"><is><t><![CDATA[a<b & c]]></t></is></c>"
              "<c r=\"E1\" t=\"inlineStr\"><is><t>Vi&#7879;t &amp; &lt;Nam&gt;</t></is></c>"
              "<c r=\"F1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c>"
              "<c r=\"G1\" t=\"inlineStr\"><is><t>_x0000_ _xD800_ _x12_</t></is></c>"
              "<c r=\"H1\" t=\"inlineStr\"><v>ignored</v><is><t>kept</t></is></c>"
              "</row>"),
        NULL);
    assert_int_equal(s->nrows, 1);
    const char *want[] = {"Nguyễn Văn  Đức", "dòng 1\r\ndòng 2", "_x0041_ và A và á",
                          "a<b & c",         "Việt & <Nam>",     " ",
                          "_x0000_ _xD800_ _x12_", "kept"};
    assert_row(&s->rows[0], 1, 8, want);
    xlsx_sheet_free(s);
}

static void test_shared_strings_and_types(void **state)
{
    (void)state;
    const char *sst =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" NS_MAIN
        "\" count=\"5\" uniqueCount=\"5\">"
        "<si><t>Họ và tên</t></si>"
        "<si><r><t>Trần </t></r><r><rPr><i/><sz val=\"12\"/></rPr><t>Thị</t></r>"
        "<r><t xml:space=\"preserve\"> Bình</t></r></si>"
        "<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh><phoneticPr fontId=\"1\"/></si>"
        "<si/>"
        "<si><t>0012</t></si>"
        "</sst>";
    struct xlsx_sheet *s = read_ok(
        SHEET("<row r=\"1\">"
              "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
              "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
              "<c r=\"E1\" t=\"b\"><v>1</v></c><c r=\"F1\" t=\"b\"><v>0</v></c>"
              "<c r=\"G1\"><f>SUM(1,2)</f><v>3</v></c>"
              "<c r=\"H1\" t=\"str\"><f>\"a\"&amp;\"b\"</f><v>ab</v></c>"
              "<c r=\"I1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
              "<c r=\"J1\" s=\"3\"><v>12.5</v></c><c r=\"K1\"><v>1.0000000000000001E-3</v></c>"
              "<c r=\"L1\"><f>A1</f></c>"
              "</row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>0</v></c>"
              "<c r=\"C2\" t=\"n\"><v>31048</v></c><c r=\"D2\" t=\"d\"><v>1985-01-01</v></c></row>"),
        sst);
    assert_int_equal(s->nrows, 2);
    const char *r1[] = {"Họ và tên", "Trần Thị Bình", "漢字", "", "TRUE", "FALSE", "3", "ab",
                        "#DIV/0!", "12.5", "1.0000000000000001E-3"};
    const char *r2[] = {"0012", "Họ và tên", "31048", "1985-01-01"};
    assert_row(&s->rows[0], 1, 11, r1);
    assert_row(&s->rows[1], 2, 4, r2);
    /* cells that use the same shared string share its text */
    assert_ptr_equal(s->rows[0].cells[0], s->rows[1].cells[1]);
    xlsx_sheet_free(s);
}

static void test_workbook_order(void **state)
{
    (void)state;
    const char *wb = WORKBOOK(
        "<sheet name=\"Ẩn\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
        "<sheet name=\"Biểu đồ\" sheetId=\"2\" r:id=\"rId2\"/>"
        "<sheet name=\"Dữ liệu\" sheetId=\"3\" r:id=\"rId3\"/>"
        "<sheet name=\"Sau\" sheetId=\"4\" r:id=\"rId4\"/>");
    const char *rels = RELS(REL("rId4", "worksheet", "worksheets/sheet1.xml")
                                REL("rId1", "worksheet", "worksheets/hidden.xml")
                                    REL("rId2", "chartsheet", "chartsheets/sheet1.xml")
                                        REL("rId3", "worksheet", "/xl/worksheets/../worksheets/data.xml"));
    const char *hidden = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ẩn</t></is></c></row>");
    const char *data = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>đúng</t></is></c></row>");
    const char *later = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>sai</t></is></c></row>");
    struct zentry ents[] = {
        {"[Content_Types].xml", "<Types/>", 0},
        {"xl/workbook.xml", wb, 0},
        {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/hidden.xml", hidden, 0},
        {"xl/chartsheets/sheet1.xml", "<chartsheet/>", 0},
        {"xl/worksheets/data.xml", data, 0},
        {"xl/worksheets/sheet1.xml", later, 0},
    };
    size_t len;
    char *z = zip_build(ents, 7, &len);
    struct xlsx_sheet *s;
    struct err e;
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "Dữ liệu");
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "đúng");
    xlsx_sheet_free(s);
    free(z);

    /* every sheet hidden: the first one */
    const char *wb_hidden = WORKBOOK(
        "<sheet name=\"Ẩn\" sheetId=\"1\" state=\"veryHidden\" r:id=\"rId1\"/>"
        "<sheet name=\"Dữ liệu\" sheetId=\"3\" state=\"hidden\" r:id=\"rId3\"/>");
    ents[1].data = wb_hidden;
    z = zip_build(ents, 7, &len);
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "Ẩn");
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "ẩn");
    xlsx_sheet_free(s);
    free(z);

    /* no relationships part: the conventional sheet1.xml */
    struct zentry plain[] = {
        {"xl/workbook.xml", wb_xml, 0},
        {"xl/worksheets/sheet1.xml", later, 0},
    };
    z = zip_build(plain, 2, &len);
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "");
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "sai");
    xlsx_sheet_free(s);
    free(z);

    /* prefixed SpreadsheetML (as the .NET Open XML SDK writes it) and part
     * names in another case */
    const char *wb_x = "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
                       "\"><x:sheets><x:sheet name=\"S\" sheetId=\"1\" r:id=\"R7\"/></x:sheets>"
                       "</x:workbook>";
    const char *rels_x = RELS(REL("R7", "worksheet", "worksheets/Sheet1.xml"));
    const char *sheet_x = "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"3\">"
                          "<x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>ok</x:t></x:is></x:c>"
                          "</x:row></x:sheetData></x:worksheet>";
    struct zentry prefixed[] = {
        {"xl/workbook.xml", wb_x, 0},
        {"xl/_rels/workbook.xml.rels", rels_x, 0},
        {"xl/worksheets/sheet1.xml", sheet_x, 0},
    };
    z = zip_build(prefixed, 3, &len);
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), OK);
    assert_string_equal(s->name, "S");
    assert_int_equal(s->rows[0].number, 3);
    assert_string_equal(xlsx_cell(&s->rows[0], 1), "ok");
    xlsx_sheet_free(s);
    free(z);
}

/* ---- refusals --------------------------------------------------------------------------- */

static void expect_invalid(const char *data, size_t len, const char *msg_part)
{
    struct xlsx_sheet *s = (struct xlsx_sheet *)1;
    struct err e;
    assert_int_equal(read_xlsx(data, len, NULL, &s, &e), E_INVALID);
    assert_null(s);
    if (!strstr(e.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
}

static void test_not_xlsx(void **state)
{
    (void)state;
    expect_invalid("", 0, "Excel (.xlsx)");
    expect_invalid("Họ và tên,Năm sinh\nA,1985\n", 30, "Excel (.xlsx)");
    expect_invalid("PK\x03\x04garbage-garbage-garbage", 27, "Excel (.xlsx)");

    char ole[1024] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    expect_invalid(ole, sizeof ole, "lưu lại dưới dạng .xlsx");
    const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    memcpy(ole + 600, enc, sizeof enc - 1);
    expect_invalid(ole, sizeof ole, "mật khẩu");

    size_t len;
    struct zentry text[] = {{"ghi-chu.txt", "không phải bảng tính", 0}};
    char *z = zip_build(text, 1, &len);
    expect_invalid(z, len, "Excel (.xlsx)");
    free(z);

    struct zentry no_wb[] = {{"xl/worksheets/sheet1.xml", SHEET(""), 0}};
    z = zip_build(no_wb, 1, &len);
    expect_invalid(z, len, "Excel (.xlsx)");
    free(z);

    struct zentry no_sheet[] = {{"xl/workbook.xml", wb_xml, 0},
                                {"xl/_rels/workbook.xml.rels", rels_xml, 0}};
    z = zip_build(no_sheet, 2, &len);
    expect_invalid(z, len, "không có trang tính");
    free(z);

    struct zentry ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
                           {"content.xml", "<office:document-content/>", 0}};
    z = zip_build(ods, 2, &len);
    expect_invalid(z, len, ".ods");
    free(z);

    struct zentry xlsb[] = {{"xl/workbook.bin", "\x83\x01", 0}};
    z = zip_build(xlsb, 1, &len);
    expect_invalid(z, len, ".xlsb");
    free(z);

    /* a real file cut in half */
    char *whole = write_people(&len);
    expect_invalid(whole, len / 2, "Excel (.xlsx)");
    /* ... and one with damaged bytes in the middle of the sheet's compressed data */
    const unsigned char *d = (const unsigned char *)whole;
    const char *sheet = "xl/worksheets/sheet1.xml";
    size_t nlen = strlen(sheet), data_at = 0, comp = 0;
    for (size_t i = 0; i + 46 + nlen <= len; i++) {
        if (get32(d + i) == 0x02014b50 && d[i + 28] == nlen && memcmp(d + i + 46, sheet, nlen) == 0) {
            size_t lho = get32(d + i + 42);
            comp = get32(d + i + 20);
            data_at = lho + 30 + (d[lho + 26] | (size_t)d[lho + 27] << 8) +
                      (d[lho + 28] | (size_t)d[lho + 29] << 8);
        }
    }
    assert_true(comp > 64 && data_at + comp <= len);
    for (size_t i = 0; i < 8; i++)
        whole[data_at + comp / 2 + i] ^= 0x5A;
    expect_invalid(whole, len, "bị hỏng");
    free(whole);
}

static void test_malformed_parts(void **state)
{
    (void)state;
    struct err e;
    /* unbalanced XML inside sheetData */
    assert_int_equal(read_fails(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"), NULL, NULL, &e),
                     E_INVALID);
    assert_non_null(strstr(e.msg, "xl/worksheets/sheet1.xml"));
    /* references outside the grid or not references at all */
    const char *bad_refs[] = {
        SHEET("<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>"),
        SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"),
        SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"),
        SHEET("<row r=\"1\"><c r=\"A1048577\"><v>1</v></c></row>"),
        SHEET("<row r=\"1\"><c r=\"A 1\"><v>1</v></c></row>"),
        SHEET("<row r=\"0\"><c><v>1</v></c></row>"),
        SHEET("<row r=\"abc\"><c><v>1</v></c></row>"),
        SHEET("<row r=\"99999999\"><c><v>1</v></c></row>"),
    };
    for (size_t i = 0; i < sizeof bad_refs / sizeof *bad_refs; i++)
        assert_int_equal(read_fails(bad_refs[i], NULL, NULL, &e), E_INVALID);
    /* a shared string index past the table, or not a number */
    const char *sst = "<sst xmlns=\"" NS_MAIN "\"><si><t>a</t></si></sst>";
    assert_int_equal(read_fails(SHEET("<row r=\"3\"><c r=\"B3\" t=\"s\"><v>9</v></c></row>"), sst,
                                NULL, &e),
                     E_INVALID);
    assert_string_equal(e.field, "B3");
    assert_non_null(strstr(e.msg, "B3"));
    assert_int_equal(read_fails(SHEET("<row r=\"3\"><c r=\"B3\" t=\"s\"><v>-1</v></c></row>"), sst,
                                NULL, &e),
                     E_INVALID);
    assert_int_equal(read_fails(SHEET("<row r=\"3\"><c r=\"B3\" t=\"s\"><v></v></c></row>"), sst,
                                NULL, &e),
                     E_INVALID);
    /* bytes that are not UTF-8, and XML in UTF-16 */
    assert_int_equal(read_fails(SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Nguy\xe1\xbb"
                                      "n</t></is></c></row>"),
                                NULL, NULL, &e),
                     E_INVALID);
    static const char utf16[] = "\xff\xfe<\0w\0o\0r\0k\0s\0h\0e\0e\0t\0/\0>\0";
    struct zentry ents[] = {
        {"xl/workbook.xml", wb_xml, 0},
        {"xl/_rels/workbook.xml.rels", rels_xml, 0},
        {"xl/worksheets/sheet1.xml", utf16, sizeof utf16 - 1},
    };
    size_t len;
    char *z = zip_build(ents, 3, &len);
    struct xlsx_sheet *s = NULL;
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), E_INVALID);
    free(z);
    /* an encoding declaration is ignored: the bytes are read as UTF-8 */
    s = read_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet xmlns=\"" NS_MAIN
                "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Đức</t></is></c>"
                "</row></sheetData></worksheet>",
                NULL);
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "Đức");
    xlsx_sheet_free(s);
}

/* A DTD is refused in any part, wherever the read boundaries fall. */
static void test_xxe_and_entity_bombs(void **state)
{
    (void)state;
    struct err e;
    const char *xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "
        "\"file:///etc/passwd\">]><worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
        "<c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>";
    assert_int_equal(read_fails(xxe, NULL, NULL, &e), E_INVALID);
    assert_non_null(strstr(e.msg, "DTD"));

    const char *laughs =
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
        "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>";
    assert_int_equal(read_fails(laughs, NULL, NULL, &e), E_INVALID);
    assert_non_null(strstr(e.msg, "DTD"));

    /* a parameter-entity variant, with the DTD in the shared strings */
    const char *pe_sst = "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [<!ENTITY % a \"&#37;b;\">%a;]>"
                         "<sst xmlns=\"" NS_MAIN "\"><si><t>x</t></si></sst>";
    assert_int_equal(read_fails(SHEET(""), pe_sst, NULL, &e), E_INVALID);
    assert_non_null(strstr(e.msg, "sharedStrings"));

    /* and in the workbook */
    const char *wb_dtd = "<!DOCTYPE workbook SYSTEM \"http://127.0.0.1:1/x.dtd\">" WORKBOOK(
        "<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/>");
    struct zentry ents[] = {
        {"xl/workbook.xml", wb_dtd, 0},
        {"xl/_rels/workbook.xml.rels", rels_xml, 0},
        {"xl/worksheets/sheet1.xml", SHEET(""), 0},
    };
    size_t len;
    char *z = zip_build(ents, 3, &len);
    struct xlsx_sheet *s = NULL;
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), E_INVALID);
    assert_non_null(strstr(e.msg, "DTD"));
    free(z);

    /* a DOCTYPE split across libxml2's first 4-byte read and the next one */
    for (size_t pad = 0; pad < 12; pad++) {
        char buf[512];
        snprintf(buf, sizeof buf, "%*s<!DOCTYPE worksheet []><worksheet xmlns=\"" NS_MAIN
                 "\"><sheetData/></worksheet>", (int)pad, "");
        assert_int_equal(read_fails(buf, NULL, NULL, &e), E_INVALID);
        assert_non_null(strstr(e.msg, "DTD"));
    }
    /* undeclared entities are plain errors, never expanded */
    assert_int_equal(read_fails(SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t>"
                                      "</is></c></row>"),
                                NULL, NULL, &e),
                     E_INVALID);
}

/* ---- zip bombs -------------------------------------------------------------------------- */

/* A zip entry produced on the fly: prefix, then size - strlen(prefix) bytes
 * of fill, so a 300 MB entry never exists in memory. */
struct gen {
    const char *prefix;
    char fill;
    zip_uint64_t size, pos;
    zip_error_t error;
};

static zip_int64_t gen_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    struct gen *g = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        g->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t n = g->size - g->pos < len ? g->size - g->pos : len;
        size_t plen = strlen(g->prefix);
        for (zip_uint64_t i = 0; i < n;) {
            zip_uint64_t at = g->pos + i;
            if (at < plen) {
                ((char *)data)[i++] = g->prefix[at];
            } else {
                memset((char *)data + i, g->fill, n - i);
                i = n;
            }
        }
        g->pos += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &g->error);
        zip_stat_init(st);
        st->size = g->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&g->error, data, len);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
    default:
        zip_error_set(&g->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

#define BOMB_SIZE ((zip_uint64_t)300 << 20)

static char *make_bomb(const char *prefix, char fill, size_t *len)
{
    zip_source_t *src;
    zip_t *za = zip_begin(&src);
    zip_put(za, "xl/workbook.xml", wb_xml, strlen(wb_xml), false);
    zip_put(za, "xl/_rels/workbook.xml.rels", rels_xml, strlen(rels_xml), false);
    struct gen g = {.prefix = prefix, .fill = fill, .size = BOMB_SIZE};
    zip_error_init(&g.error);
    zip_source_t *s = zip_source_function(za, gen_cb, &g);
    assert_non_null(s);
    zip_int64_t i = zip_file_add(za, "xl/worksheets/sheet1.xml", s, 0);
    assert_true(i >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_DEFLATE, 9), 0);
    char *out = zip_end(za, src, len);
    zip_error_fini(&g.error);
    return out;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Rewrites the uncompressed size of entry name, in its local header and in
 * the central directory, to size: a file that lies about what it holds. */
static void patch_size(char *zipdata, size_t len, const char *name, uint32_t size)
{
    unsigned char *d = (unsigned char *)zipdata;
    size_t nlen = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 + nlen <= len; i++) {
        if (get32(d + i) == 0x04034b50 && d[i + 26] == nlen && memcmp(d + i + 30, name, nlen) == 0) {
            assert_int_equal(get32(d + i + 22), BOMB_SIZE);
            put32(d + i + 22, size);
            patched++;
        } else if (get32(d + i) == 0x02014b50 && d[i + 28] == nlen &&
                   memcmp(d + i + 46, name, nlen) == 0) {
            assert_int_equal(get32(d + i + 24), BOMB_SIZE);
            put32(d + i + 24, size);
            patched++;
        }
    }
    assert_int_equal(patched, 2);
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_zip_bomb(void **state)
{
    (void)state;
    size_t len;
    char *z = make_bomb("", '\0', &len);
    assert_true(len < 2 * 1024 * 1024); /* 300 MB of zeros deflate to about 300 KB */
    struct xlsx_sheet *s = (struct xlsx_sheet *)1;
    struct err e;
    long before = max_rss_kib();
    /* declared size over the per-part limit */
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), E_TOOBIG);
    assert_null(s);
    assert_non_null(strstr(e.msg, "quá lớn"));
    /* with room for the size, the compression ratio gives it away */
    struct xlsx_limits lim = xlsx_limits_default();
    lim.max_entry_size = lim.max_total_uncompressed = (size_t)1 << 30;
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), E_TOOBIG);
    assert_non_null(strstr(e.msg, "tỉ lệ nén"));
    /* nothing was inflated */
    assert_true(max_rss_kib() - before < 64 * 1024);
    free(z);
}

static void test_lying_declared_size(void **state)
{
    (void)state;
    size_t len;
    /* Well-formed XML to start with, then 300 MB of blanks that libxml2
     * would happily keep reading. */
    char *z = make_bomb("<worksheet xmlns=\"" NS_MAIN "\"><sheetData>", ' ', &len);
    patch_size(z, len, "xl/worksheets/sheet1.xml", 2000);
    struct xlsx_sheet *s = (struct xlsx_sheet *)1;
    struct err e;
    long before = max_rss_kib();
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), E_TOOBIG);
    assert_null(s);
    assert_non_null(strstr(e.msg, "khai báo"));
    assert_true(max_rss_kib() - before < 64 * 1024);

    /* the other lie: fewer bytes than declared is a damaged file */
    free(z);
    struct zentry ents[] = {
        {"xl/workbook.xml", wb_xml, 0},
        {"xl/_rels/workbook.xml.rels", rels_xml, 0},
        {"xl/worksheets/sheet1.xml", SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), 0},
    };
    z = zip_build(ents, 3, &len);
    unsigned char *d = (unsigned char *)z;
    for (size_t i = 0; i + 4 <= len; i++) {
        if (get32(d + i) == 0x04034b50 && memcmp(d + i + 30, "xl/worksheets", 13) == 0)
            put32(d + i + 22, get32(d + i + 22) + 100);
        if (get32(d + i) == 0x02014b50 && memcmp(d + i + 46, "xl/worksheets", 13) == 0)
            put32(d + i + 24, get32(d + i + 24) + 100);
    }
    /* the sheet ends before the lie shows; what was read is still sound */
    assert_int_equal(read_xlsx(z, len, NULL, &s, &e), OK);
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "1");
    xlsx_sheet_free(s);
    free(z);
}

static void test_entry_limits(void **state)
{
    (void)state;
    struct zentry ents[16];
    char names[16][32];
    ents[0] = (struct zentry){"xl/workbook.xml", wb_xml, 0};
    ents[1] = (struct zentry){"xl/_rels/workbook.xml.rels", rels_xml, 0};
    ents[2] = (struct zentry){"xl/worksheets/sheet1.xml", SHEET(""), 0};
    for (int i = 3; i < 16; i++) {
        snprintf(names[i], sizeof names[i], "xl/media/image%d.png", i);
        ents[i] = (struct zentry){names[i], "not really a png", 0};
    }
    size_t len;
    char *z = zip_build(ents, 16, &len);
    struct xlsx_limits lim = xlsx_limits_default();
    struct xlsx_sheet *s = NULL;
    struct err e;
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), OK);
    xlsx_sheet_free(s);
    lim.max_entries = 10;
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), E_TOOBIG);
    assert_non_null(strstr(e.msg, "16"));
    lim = xlsx_limits_default();
    lim.max_total_uncompressed = 400; /* the parts add up to more */
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), E_TOOBIG);
    lim = xlsx_limits_default();
    lim.max_entry_size = 200; /* the workbook alone is larger */
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), E_TOOBIG);
    free(z);
}

static void test_sheet_limits(void **state)
{
    (void)state;
    struct err e;
    struct xlsx_limits lim = xlsx_limits_default();
    const char *five_rows = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                  "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
                                  "<row r=\"3\"/>"
                                  "<row r=\"4\"><c r=\"A4\"><v>3</v></c></row>"
                                  "<row r=\"5\"><c r=\"B5\"><v>4</v></c></row>"
                                  "<row r=\"6\"><c r=\"A6\"><v>5</v></c></row>");
    lim.max_rows = 4;
    assert_int_equal(read_fails(five_rows, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "A6");
    lim.max_rows = 3;
    assert_int_equal(read_fails(five_rows, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "B5");
    assert_non_null(strstr(e.msg, "B5"));

    lim = xlsx_limits_default();
    lim.max_cols = 3;
    const char *wide = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"Z1\" s=\"1\"/>"
                             "<c r=\"AA1\"><v></v></c></row>"
                             "<row r=\"2\"><c r=\"C2\"><v>1</v></c><c r=\"D2\"><v>2</v></c></row>");
    assert_int_equal(read_fails(wide, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "D2");
    assert_non_null(strstr(e.msg, "D2"));

    lim = xlsx_limits_default();
    lim.max_cell = 10;
    const char *ok10 = SHEET("<row r=\"7\"><c r=\"C7\" t=\"inlineStr\"><is><t>0123456789</t>"
                             "</is></c></row>");
    size_t len;
    char *z = make_xlsx(ok10, NULL, &len);
    struct xlsx_sheet *s;
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), OK);
    assert_string_equal(xlsx_cell(&s->rows[0], 2), "0123456789");
    xlsx_sheet_free(s);
    free(z);
    const char *long11 = SHEET("<row r=\"7\"><c r=\"C7\" t=\"inlineStr\"><is><r><t>01234</t></r>"
                               "<r><t>567890</t></r></is></c></row>");
    assert_int_equal(read_fails(long11, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "C7");
    assert_non_null(strstr(e.msg, "ô C7"));
    const char *long_number = SHEET("<row r=\"8\"><c r=\"A8\"><v>12345678901</v></c></row>");
    assert_int_equal(read_fails(long_number, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "A8");

    /* a too-long shared string is only a problem where a cell uses it */
    const char *sst = "<sst xmlns=\"" NS_MAIN "\"><si><t>ngắn</t></si>"
                      "<si><r><t>rất dài </t></r><r><t>quá mức</t></r></si></sst>";
    z = make_xlsx(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), sst, &len);
    assert_int_equal(read_xlsx(z, len, &lim, &s, &e), OK);
    assert_string_equal(xlsx_cell(&s->rows[0], 0), "ngắn");
    xlsx_sheet_free(s);
    free(z);
    assert_int_equal(read_fails(SHEET("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c></row>"), sst,
                                &lim, &e),
                     E_TOOBIG);
    assert_string_equal(e.field, "B2");

    lim = xlsx_limits_default();
    lim.max_cells = 10;
    const char *grid = SHEET("<row r=\"1\"><c r=\"D1\"><v>1</v></c></row>"
                             "<row r=\"2\"><c r=\"D2\"><v>1</v></c></row>"
                             "<row r=\"3\"><c r=\"B3\"><v>1</v></c><c r=\"D3\"><v>1</v></c></row>");
    assert_int_equal(read_fails(grid, NULL, &lim, &e), E_TOOBIG);
    assert_string_equal(e.field, "B3");
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_numbers_and_many_rows),
        cmocka_unit_test(test_writer_dates_and_numbers),
        cmocka_unit_test(test_writer_layout),
        cmocka_unit_test(test_writer_sheet_names),
        cmocka_unit_test(test_writer_errors_and_cleanup),
        cmocka_unit_test(test_find_column),
        cmocka_unit_test(test_cell_ref),
        cmocka_unit_test(test_sparse_cells),
        cmocka_unit_test(test_inline_strings),
        cmocka_unit_test(test_shared_strings_and_types),
        cmocka_unit_test(test_workbook_order),
        cmocka_unit_test(test_not_xlsx),
        cmocka_unit_test(test_malformed_parts),
        cmocka_unit_test(test_xxe_and_entity_bombs),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_lying_declared_size),
        cmocka_unit_test(test_entry_limits),
        cmocka_unit_test(test_sheet_limits),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
