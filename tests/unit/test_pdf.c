/* docs/pdf: a realistic Quyết định khen thưởng and a Bằng khen, written and
 * then read back with poppler's command-line tools (pdffonts, pdfinfo,
 * pdftotext, pdftoppm): fonts embedded and Liberation Serif, A4 in the right
 * orientation, every line of text there in reading order with each
 * Vietnamese mark intact, page numbers from page 2 on, the table's header
 * repeated; and the certificate's required fields. Page 1 of each is
 * rendered to PNG (into $TDKT_DOC_OUT when set) for a person to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "docs/doc.h"
#include "docs/pdf.h"
#include "lib/buf.h"

extern char **environ;

static char tmpdir[256];

/* ---- running poppler ----------------------------------------------------------------------- */

/* Runs argv (a fixed list: no shell) and returns its standard output; the
 * exit status must be 0. */
static char *run(char *const argv[])
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        fail_msg("%s: %s (poppler-utils installed?)", argv[0], strerror(rc));
    }
    struct buf out = BUF_INIT;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            buf_add(&out, chunk, (size_t)n);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        buf_free(&out);
        fail_msg("%s exited with status %d", argv[0], status);
    }
    buf_cstr(&out);
    return buf_detach(&out);
}

static char *save(const char *name, const char *data, size_t len)
{
    char *path = malloc(strlen(tmpdir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Collapses every run of white space (form feeds between pages included) to
 * one space and trims the ends: the layout decides where lines break, the
 * test only what is said and in which order. */
static char *collapse(const char *s)
{
    struct buf b = BUF_INIT;
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f' || *s == '\r') {
            space = b.len > 0;
            continue;
        }
        if (space)
            buf_addc(&b, ' ');
        space = false;
        buf_addc(&b, *s);
    }
    buf_cstr(&b);
    return buf_detach(&b);
}

/* Pages first to last as text. -raw: in content-stream order, which is the
 * writer's reading order, so the header's two columns do not interleave. */
static char *raw_text(const char *path, int first, int last)
{
    char f[16], l[16];
    snprintf(f, sizeof f, "%d", first);
    snprintf(l, sizeof l, "%d", last);
    char *argv[] = {"pdftotext", "-raw", "-enc", "UTF-8", "-f", f,
                    "-l",        l,      (char *)path, "-", NULL};
    return run(argv);
}

static char *pdf_text(const char *path, int first, int last)
{
    char *raw = raw_text(path, first, last);
    char *text = collapse(raw);
    free(raw);
    return text;
}

/* Every expected line occurs in text, each after the one before, exactly. */
static void assert_in_order(const char *text, const char *const *lines, size_t n)
{
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        char *want = collapse(lines[i]);
        const char *hit = strstr(at, want);
        if (!hit) {
            fprintf(stderr, "missing (or out of order): [%s]\nafter: [%.300s]\n", want, at);
            free(want);
            fail();
        }
        at = hit + strlen(want);
        free(want);
    }
}

/* pdffonts: at least one font, every one embedded, every one Liberation Serif. */
static void assert_fonts(const char *path)
{
    char *argv[] = {"pdffonts", (char *)path, NULL};
    char *out = run(argv);
    int fonts = 0, lineno = 0;
    for (char *save_ptr = NULL, *line = strtok_r(out, "\n", &save_ptr); line;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        if (lineno++ < 2) /* the column titles and the dashes */
            continue;
        char *tok[32];
        int nt = 0;
        char *sp = NULL;
        for (char *t = strtok_r(line, " ", &sp); t && nt < 32; t = strtok_r(NULL, " ", &sp))
            tok[nt++] = t;
        /* name … emb sub uni object ID: "emb" is fifth from the end */
        assert_true(nt >= 7);
        if (!strstr(tok[0], "LiberationSerif"))
            fail_msg("font not Liberation Serif: %s", tok[0]);
        if (strcmp(tok[nt - 5], "yes") != 0)
            fail_msg("font not embedded: %s", tok[0]);
        fonts++;
    }
    assert_true(fonts >= 1);
    free(out);
}

static void assert_info(const char *path, double w, double h, int min_pages, int max_pages)
{
    char *argv[] = {"pdfinfo", (char *)path, NULL};
    char *out = run(argv);
    const char *size = strstr(out, "Page size:");
    const char *pages = strstr(out, "Pages:");
    assert_non_null(size);
    assert_non_null(pages);
    double pw = 0, ph = 0;
    int np = 0;
    assert_int_equal(sscanf(size, "Page size: %lf x %lf", &pw, &ph), 2);
    assert_int_equal(sscanf(pages, "Pages: %d", &np), 1);
    if (pw < w - 0.5 || pw > w + 0.5 || ph < h - 0.5 || ph > h + 0.5)
        fail_msg("page size %.3f x %.3f, want %.3f x %.3f", pw, ph, w, h);
    assert_true(np >= min_pages);
    assert_true(np <= max_pages);
    free(out);
}

static int page_count(const char *path)
{
    char *argv[] = {"pdfinfo", (char *)path, NULL};
    char *out = run(argv);
    const char *pages = strstr(out, "Pages:");
    int np = 0;
    assert_non_null(pages);
    assert_int_equal(sscanf(pages, "Pages: %d", &np), 1);
    free(out);
    return np;
}

/* pdftoppm page 1 at 60 dpi into $TDKT_DOC_OUT (or the temporary folder). */
static void render(const char *path, const char *name)
{
    const char *dir = getenv("TDKT_DOC_OUT");
    if (dir && *dir)
        mkdir(dir, 0777);
    else
        dir = tmpdir;
    char prefix[512], png[600];
    snprintf(prefix, sizeof prefix, "%s/%s", dir, name);
    char *argv[] = {"pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                    (char *)path, prefix, NULL};
    free(run(argv));
    snprintf(png, sizeof png, "%s.png", prefix);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_true(st.st_size > 1000);
}

/* ---- the decision -------------------------------------------------------------------------- */

static const char *const FAMILY[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                     "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"};
static const char *const MIDDLE[] = {"Thị", "Văn", "Đức", "Thu", "Minh", "Quốc", "Thanh",
                                     "Ngọc", "Hữu", "Thùy"};
static const char *const GIVEN[] = {"Hằng", "Anh", "Bình", "Cường", "Dũng", "Giang", "Hà",
                                    "Hải", "Hiếu", "Hoa", "Hương", "Khánh", "Lan", "Linh",
                                    "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Thảo",
                                    "Trung", "Tuấn", "Việt", "Yến", "Ánh", "Đạt", "Hưng", "Lộc",
                                    "Ngân", "Ước"};
static const char *const POSITION[] = {
    "Trưởng phòng Tổ chức cán bộ, Sở Nội vụ",
    "Phó Giám đốc Sở Tài chính",
    "Chuyên viên Văn phòng Ủy ban nhân dân tỉnh",
    "Hiệu trưởng Trường Trung học phổ thông Thuận Thành số 1",
    "Chủ tịch Ủy ban nhân dân xã Đông Cứu",
    "Giáo viên Trường Tiểu học Suối Hoa, thành phố Bắc Ninh",
    "Kế toán trưởng Bệnh viện Đa khoa tỉnh",
};

#define NAME_LEN 64
static void person(size_t i, char name[NAME_LEN])
{
    snprintf(name, NAME_LEN, "%s %s %s", FAMILY[i % 16], MIDDLE[i * 7 % 10], GIVEN[i * 11 % 32]);
}

static const char *const BASES[] = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
     "tiết thi hành một số điều của Luật Thi đua, khen thưởng;"),
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 12/TTr-SNV ngày 03 tháng 01 năm 2026.",
};
static const char ART1[] = "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 60 cá nhân có "
                           "tên sau đây đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm "
                           "2025, góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo vệ "
                           "Tổ quốc:";
static const char ART2[] = "Mỗi cá nhân được tặng Bằng khen kèm theo mức tiền thưởng theo quy "
                           "định tại Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của "
                           "Chính phủ, từ nguồn Quỹ Thi đua, khen thưởng của tỉnh.";
static const char ART3[] = "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc "
                           "Sở Tài chính, Thủ trưởng các cơ quan, đơn vị có liên quan và các cá "
                           "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.";
static const char *const RECIPIENTS[] = {"- Như Điều 3;", "- Chủ tịch, các PCT UBND tỉnh;",
                                         "- Sở Nội vụ (Ban Thi đua - Khen thưởng);",
                                         "- Lưu: VT, NC."};

static struct doc *decision(size_t nrows)
{
    struct doc *d = doc_new();
    d->header.issuer = doc_str(d, "ỦY BAN NHÂN DÂN TỈNH BẮC NINH");
    d->header.number = doc_str(d, "05/QĐ-UBND");
    d->header.place_date = doc_str(d, "Bắc Ninh, ngày 05 tháng 01 năm 2026");
    d->header.kind = doc_str(d, "QUYẾT ĐỊNH");
    d->header.subject = doc_str(d, "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh");
    doc_para_run(d, doc_add_para(d, DOC_P_CENTER), "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH", true,
                 false);
    for (size_t i = 0; i < sizeof BASES / sizeof BASES[0]; i++)
        doc_para_run(d, doc_add_para(d, DOC_P_BASIS), BASES[i], false, false);
    doc_para_run(d, doc_add_para(d, DOC_P_CENTER), "QUYẾT ĐỊNH:", true, false);
    struct doc_para *p = doc_add_para(d, DOC_P_BODY);
    doc_para_run(d, p, "Điều 1. ", true, false);
    doc_para_run(d, p, ART1, false, false);
    static const double widths[] = {1, 4, 7};
    struct doc_table *t = doc_add_table(d, 3, widths, 1, true);
    doc_table_cell(d, t, "STT", true, 1);
    doc_table_cell(d, t, "Họ và tên", true, 1);
    doc_table_cell(d, t, "Chức vụ, đơn vị", true, 1);
    for (size_t i = 0; i < nrows; i++) {
        char num[24], name[NAME_LEN];
        snprintf(num, sizeof num, "%zu", i + 1);
        person(i, name);
        doc_table_cell(d, t, num, false, 1);
        doc_table_cell(d, t, name, false, 0);
        doc_table_cell(d, t, POSITION[i % 7], false, 0);
    }
    p = doc_add_para(d, DOC_P_BODY);
    doc_para_run(d, p, "Điều 2. ", true, false);
    doc_para_run(d, p, ART2, false, false);
    p = doc_add_para(d, DOC_P_BODY);
    doc_para_run(d, p, "Điều 3. ", true, false);
    doc_para_run(d, p, ART3, false, false);
    struct doc_closing *c = doc_add_closing(d);
    for (size_t i = 0; i < sizeof RECIPIENTS / sizeof RECIPIENTS[0]; i++)
        doc_closing_recipient(d, c, RECIPIENTS[i]);
    doc_closing_signature(d, c, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A", NULL);
    return d;
}

static void test_decision(void **state)
{
    (void)state;
    struct doc *d = decision(60);
    char *data = NULL;
    size_t len = 0;
    struct err e = {0};
    assert_int_equal(pdf_write(d, &data, &len, &e), OK);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-", 5);
    char *path = save("quyet-dinh.pdf", data, len);
    free(data);

    assert_fonts(path);
    assert_info(path, 595.276, 841.89, 2, 5);

    /* the whole text, in reading order */
    struct buf want_rows = BUF_INIT;
    const char *lines[200];
    size_t n = 0;
    lines[n++] = "ỦY BAN NHÂN DÂN TỈNH BẮC NINH";
    lines[n++] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    lines[n++] = "Độc lập - Tự do - Hạnh phúc";
    lines[n++] = "Số: 05/QĐ-UBND";
    lines[n++] = "Bắc Ninh, ngày 05 tháng 01 năm 2026";
    lines[n++] = "QUYẾT ĐỊNH";
    lines[n++] = "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh";
    lines[n++] = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH";
    for (size_t i = 0; i < sizeof BASES / sizeof BASES[0]; i++)
        lines[n++] = BASES[i];
    lines[n++] = "QUYẾT ĐỊNH:";
    char *art1 = malloc(sizeof ART1 + 16), *art2 = malloc(sizeof ART2 + 16),
         *art3 = malloc(sizeof ART3 + 16);
    sprintf(art1, "Điều 1. %s", ART1);
    sprintf(art2, "Điều 2. %s", ART2);
    sprintf(art3, "Điều 3. %s", ART3);
    lines[n++] = art1;
    lines[n++] = "STT Họ và tên Chức vụ, đơn vị";
    /* rows as one string each, joined by \x01 and split below (lines[]
     * points into the buffer, so it is filled first) */
    for (size_t i = 0; i < 60; i++) {
        char name[NAME_LEN];
        person(i, name);
        buf_printf(&want_rows, "%zu %s %s%c", i + 1, name, POSITION[i % 7], 1);
    }
    size_t rows_len = want_rows.len;
    char *rows = buf_detach(&want_rows);
    for (char *r = rows, *end; (end = strchr(r, 1)); r = end + 1) {
        *end = '\0';
        lines[n++] = r;
    }
    lines[n++] = art2;
    lines[n++] = art3;
    lines[n++] = "Nơi nhận:";
    for (size_t i = 0; i < sizeof RECIPIENTS / sizeof RECIPIENTS[0]; i++)
        lines[n++] = RECIPIENTS[i];
    lines[n++] = "KT. CHỦ TỊCH";
    lines[n++] = "PHÓ CHỦ TỊCH";
    lines[n++] = "Nguyễn Văn A";
    char *text = pdf_text(path, 1, 99);
    assert_in_order(text, lines, n);
    /* spot checks of the marks, spelled out */
    assert_non_null(strstr(text, "Ủy ban nhân dân"));
    assert_non_null(strstr(text, "Nguyễn Thị Hằng"));
    assert_non_null(strstr(text, "Độc lập - Tự do - Hạnh phúc"));
    free(text);

    /* no number on page 1; page 2 begins with its number, then the
     * table's header again */
    char *p1 = pdf_text(path, 1, 1);
    assert_true(strncmp(p1, "ỦY BAN NHÂN DÂN", strlen("ỦY BAN NHÂN DÂN")) == 0);
    char *p2 = pdf_text(path, 2, 2);
    assert_true(strncmp(p2, "2 STT Họ và tên Chức vụ, đơn vị ",
                        strlen("2 STT Họ và tên Chức vụ, đơn vị ")) == 0);
    free(p1);
    free(p2);

    /* rows are never split: each row's text is whole on one page */
    int np = page_count(path);
    char *pages[8] = {NULL};
    assert_true(np <= 8);
    for (int i = 0; i < np; i++)
        pages[i] = pdf_text(path, i + 1, i + 1);
    for (char *r = rows; r < rows + rows_len; r += strlen(r) + 1) {
        int on = 0;
        for (int i = 0; i < np; i++)
            on += strstr(pages[i], r) != NULL;
        if (on != 1)
            fail_msg("row [%s] whole on %d pages", r, on);
    }
    for (int i = 0; i < np; i++)
        free(pages[i]);

    render(path, "pdf-quyet-dinh");
    free(rows);
    free(art1);
    free(art2);
    free(art3);
    free(path);
    doc_free(d);
}

/* A landscape pledge: a borderless table and four signatures, two a row. */
static void test_landscape_pledge(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    d->landscape = true;
    d->font_pt = 13;
    d->header.issuer = doc_str(d, "CỤM THI ĐUA CÁC SỞ, NGÀNH");
    d->header.place_date = doc_str(d, "Bắc Ninh, ngày 15 tháng 3 năm 2026");
    d->header.kind = doc_str(d, "BẢN ĐĂNG KÝ GIAO ƯỚC THI ĐUA");
    d->header.subject = doc_str(d, "Năm 2026");
    struct doc_para *h = doc_add_para(d, DOC_P_HEADING);
    doc_para_run(d, h, "I. NỘI DUNG GIAO ƯỚC", false, false);
    static const double widths[] = {1, 1};
    struct doc_table *t = doc_add_table(d, 2, widths, 0, false);
    doc_table_cell(d, t, "Hoàn thành 100% chỉ tiêu được giao", false, 0);
    doc_table_cell(d, t, "Không có cán bộ vi phạm kỷ luật", false, 0);
    struct doc_closing *c = doc_add_closing(d);
    doc_closing_signature(d, c, NULL, "GIÁM ĐỐC", "Trần Thị Bích", "SỞ NỘI VỤ");
    doc_closing_signature(d, c, NULL, "GIÁM ĐỐC", "Lê Văn Cường", "SỞ TÀI CHÍNH");
    doc_closing_signature(d, c, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Đức Dũng", "SỞ Y TẾ");
    doc_closing_signature(d, c, NULL, "GIÁM ĐỐC", "Đỗ Thùy Linh", "SỞ XÂY DỰNG");
    char *data = NULL;
    size_t len = 0;
    struct err e = {0};
    assert_int_equal(pdf_write(d, &data, &len, &e), OK);
    char *path = save("giao-uoc.pdf", data, len);
    free(data);
    assert_fonts(path);
    assert_info(path, 841.89, 595.276, 1, 1);
    const char *const lines[] = {
        "CỤM THI ĐUA CÁC SỞ, NGÀNH", "Bắc Ninh, ngày 15 tháng 3 năm 2026",
        "BẢN ĐĂNG KÝ GIAO ƯỚC THI ĐUA", "Năm 2026", "I. NỘI DUNG GIAO ƯỚC",
        "Hoàn thành 100% chỉ tiêu được giao", "Không có cán bộ vi phạm kỷ luật",
        "SỞ NỘI VỤ", "GIÁM ĐỐC", "Trần Thị Bích", "SỞ TÀI CHÍNH", "GIÁM ĐỐC", "Lê Văn Cường",
        "SỞ Y TẾ", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Đức Dũng", "SỞ XÂY DỰNG", "GIÁM ĐỐC",
        "Đỗ Thùy Linh"};
    char *text = pdf_text(path, 1, 1);
    assert_in_order(text, lines, sizeof lines / sizeof lines[0]);
    free(text);
    free(path);
    doc_free(d);
}

/* A paragraph longer than a page is split between lines: what page 1 ends
 * with, page 2 (after its number) continues, word for word. */
static void test_split_paragraph(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    struct buf para = BUF_INIT;
    for (int i = 1; i <= 60; i++) /* about 60 lines: two pages */
        buf_printf(&para,
                   "%sCâu thứ %d: phong trào thi đua yêu nước được triển khai sâu rộng ở "
                   "mọi cấp, mọi ngành.",
                   i > 1 ? " " : "", i);
    doc_para_run(d, doc_add_para(d, DOC_P_BODY), buf_cstr(&para), false, false);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(pdf_write(d, &data, &len, NULL), OK);
    char *path = save("doan-dai.pdf", data, len);
    free(data);
    assert_info(path, 595.276, 841.89, 2, 2);
    char *p1 = pdf_text(path, 1, 1), *p2 = pdf_text(path, 2, 2);
    assert_null(strstr(p1, "Câu thứ 60:")); /* the split is inside the paragraph */
    assert_true(strncmp(p2, "2 ", 2) == 0);
    assert_true(strlen(p2) > 200);            /* more than a widow line went over */
    char *joined = malloc(strlen(p1) + strlen(p2) + 2);
    sprintf(joined, "%s %s", p1, p2 + 2);
    if (!strstr(joined, buf_cstr(&para)))
        fail_msg("the paragraph is not whole across the page break");
    free(joined);
    free(p1);
    free(p2);
    free(path);
    buf_free(&para);
    doc_free(d);
}

/* A heading never ends a page: wherever the filler leaves it, it goes to
 * the page where its paragraph starts. */
static void test_heading_kept_with_next(void **state)
{
    (void)state;
    static const char heading[] = "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026";
    static const char body[] = "Tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào thi "
                               "đua, bảo đảm thiết thực, hiệu quả, tránh hình thức; phát hiện, "
                               "bồi dưỡng và nhân rộng các điển hình tiên tiến.";
    bool crossed = false; /* some filler length put the heading on page 2 */
    for (int filler = 30; filler <= 44; filler++) {
        struct doc *d = doc_new();
        for (int i = 0; i < filler; i++) {
            char line[96];
            snprintf(line, sizeof line, "Nội dung thứ %d của báo cáo.", i + 1);
            doc_para_run(d, doc_add_para(d, DOC_P_PLAIN), line, false, false);
        }
        doc_para_run(d, doc_add_para(d, DOC_P_HEADING), heading, false, false);
        doc_para_run(d, doc_add_para(d, DOC_P_BODY), body, false, false);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(pdf_write(d, &data, &len, NULL), OK);
        char *path = save("de-muc.pdf", data, len);
        free(data);
        char *p1 = pdf_text(path, 1, 1);
        const char *h = strstr(p1, heading);
        if (h) /* on page 1: the body's start follows it there */
            assert_true(strncmp(h + strlen(heading), " Tiếp tục", strlen(" Tiếp tục")) == 0);
        else
            crossed = true;
        free(p1);
        free(path);
        doc_free(d);
    }
    assert_true(crossed);
}

/* Lines of a page's text that are not filler, header or page number. */
static int body_lines(const char *path, int page)
{
    char *raw = raw_text(path, page, page), *sp = NULL;
    int n = 0;
    for (char *line = strtok_r(raw, "\n\f", &sp); line; line = strtok_r(NULL, "\n\f", &sp))
        if (strncmp(line, "Nội dung thứ", strlen("Nội dung thứ")) != 0 &&
            strncmp(line, "CỘNG HÒA", strlen("CỘNG HÒA")) != 0 &&
            strncmp(line, "Độc lập", strlen("Độc lập")) != 0 && strcmp(line, "2") != 0)
            n++;
    free(raw);
    return n;
}

/* A paragraph split between pages leaves at least two lines on each. */
static void test_no_widow_or_orphan(void **state)
{
    (void)state;
    static const char body[] = "Tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào thi "
                               "đua, bảo đảm thiết thực, hiệu quả, tránh hình thức; phát hiện, "
                               "bồi dưỡng và nhân rộng các điển hình tiên tiến. Gắn phong trào "
                               "thi đua với việc thực hiện nhiệm vụ chính trị của từng cơ quan, "
                               "đơn vị; khen thưởng kịp thời, đúng người, đúng thành tích, chú "
                               "trọng người lao động trực tiếp.";
    int split = 0;
    for (int filler = 24; filler <= 34; filler++) {
        struct doc *d = doc_new();
        for (int i = 0; i < filler; i++) {
            char line[96];
            snprintf(line, sizeof line, "Nội dung thứ %d của báo cáo.", i + 1);
            doc_para_run(d, doc_add_para(d, DOC_P_PLAIN), line, false, false);
        }
        doc_para_run(d, doc_add_para(d, DOC_P_BODY), body, false, false);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(pdf_write(d, &data, &len, NULL), OK);
        char *path = save("tach-doan.pdf", data, len);
        free(data);
        int np = page_count(path);
        assert_true(np <= 2);
        int b1 = body_lines(path, 1), b2 = np == 2 ? body_lines(path, 2) : 0;
        if (b1 == 1 || b2 == 1)
            fail_msg("filler %d: %d line(s) on page 1, %d on page 2", filler, b1, b2);
        split += b1 > 0 && b2 > 0;
        free(path);
        doc_free(d);
    }
    assert_true(split > 0);
}

static void test_bad_font_size(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    d->font_pt = 40;
    char *data = (char *)"x";
    size_t len = 9;
    struct err e = {0};
    assert_int_equal(pdf_write(d, &data, &len, &e), E_INVALID);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(e.field, "font_pt");
    doc_free(d);
}

/* ---- the certificate ----------------------------------------------------------------------- */

static struct doc_certificate bang_khen(void)
{
    return (struct doc_certificate){
        .kind = "BẰNG KHEN",
        .issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        .recipient = "Bà Nguyễn Thị Hằng",
        .recipient_detail = "Trưởng phòng Tổ chức cán bộ, Sở Nội vụ tỉnh Bắc Ninh",
        .reason = "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025, góp phần vào "
                  "sự nghiệp xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc",
        .decision = "Quyết định số 05/QĐ-UBND ngày 05/01/2026",
        .book_number = "Số sổ vàng: 123",
        .place_date = "Bắc Ninh, ngày 05 tháng 01 năm 2026",
        .signer_title = "CHỦ TỊCH",
        .signer_name = "Vương Quốc Tuấn",
        .verify_url = "https://tdkt.bacninh.gov.vn/tra-cuu/khen-thuong/2026-000123",
    };
}

static void test_certificate(void **state)
{
    (void)state;
    struct doc_certificate c = bang_khen();
    char *data = NULL;
    size_t len = 0;
    struct err e = {0};
    assert_int_equal(pdf_certificate(&c, &data, &len, &e), OK);
    char *path = save("bang-khen.pdf", data, len);
    free(data);
    assert_fonts(path);
    assert_info(path, 841.89, 595.276, 1, 1);
    char *text = pdf_text(path, 1, 1);
    const char *const lines[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "Độc lập - Tự do - Hạnh phúc",
                                 c.issuer,
                                 c.kind,
                                 "TẶNG",
                                 c.recipient,
                                 c.recipient_detail,
                                 c.reason,
                                 c.decision,
                                 c.book_number,
                                 c.place_date,
                                 c.signer_title,
                                 c.signer_name};
    assert_in_order(text, lines, sizeof lines / sizeof lines[0]);
    free(text);
    render(path, "pdf-bang-khen");
    free(path);
}

static void test_certificate_missing(void **state)
{
    (void)state;
    static const char *const fields[] = {"kind", "recipient", "reason", "decision",
                                         "signer_title", "signer_name", "verify_url"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        for (int blank = 0; blank < 2; blank++) {
            struct doc_certificate c = bang_khen();
            const char **slot = i == 0   ? &c.kind
                                : i == 1 ? &c.recipient
                                : i == 2 ? &c.reason
                                : i == 3 ? &c.decision
                                : i == 4 ? &c.signer_title
                                : i == 5 ? &c.signer_name
                                         : &c.verify_url;
            *slot = blank ? "  " : NULL;
            char *data = NULL;
            size_t len = 0;
            struct err e = {0};
            assert_int_equal(pdf_certificate(&c, &data, &len, &e), E_INVALID);
            assert_null(data);
            assert_string_equal(e.field, fields[i]);
            char want[64];
            snprintf(want, sizeof want, "(%s).", fields[i]);
            if (!strstr(e.msg, want))
                fail_msg("message for %s: %s", fields[i], e.msg);
            if (i == 1)
                assert_string_equal(e.msg, "Thiếu tên người hoặc tập thể được khen (recipient).");
        }
    }
    /* optional fields may be missing */
    struct doc_certificate c = bang_khen();
    c.issuer = c.recipient_detail = c.book_number = c.place_date = NULL;
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(pdf_certificate(&c, &data, &len, NULL), OK);
    free(data);
    /* text that is not UTF-8 is refused, naming its field */
    c = bang_khen();
    c.recipient_detail = "Tr\xc6\xb0\xe1\xbb";
    struct err e = {0};
    assert_int_equal(pdf_certificate(&c, &data, &len, &e), E_INVALID);
    assert_string_equal(e.field, "recipient_detail");
}

/* ---- setup --------------------------------------------------------------------------------- */

static int make_tmpdir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/tdkt-pdf-XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    DIR *dir = opendir(tmpdir);
    if (dir) {
        struct dirent *de;
        while ((de = readdir(dir))) {
            if (de->d_name[0] == '.')
                continue;
            char path[600];
            snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_landscape_pledge),
        cmocka_unit_test(test_split_paragraph),
        cmocka_unit_test(test_heading_kept_with_next),
        cmocka_unit_test(test_no_widow_or_orphan),
        cmocka_unit_test(test_bad_font_size),
        cmocka_unit_test(test_certificate),
        cmocka_unit_test(test_certificate_missing),
    };
    int failed = cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
    pdf_release_caches(); /* so LeakSanitizer sees only what we leak */
    return failed;
}
