/* docs/docx: the package and its XML, then what LibreOffice makes of it: the
 * text in reading order, A4 pages, page numbers from page 2 on, six signatures
 * two to a row, XML specials that come back exactly. Page 1 of the decision
 * is rendered to docx-quyet-dinh.png in $TDKT_DOC_OUT (when set) for review.
 *
 * Needs soffice (libreoffice-writer-nogui) and poppler-utils; each conversion
 * takes seconds, so there are three. Every run has its own LibreOffice
 * profile in its own temporary directory, so parallel runs do not clash. */
#define _XOPEN_SOURCE 700 /* nftw, to remove a LibreOffice profile */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <utf8proc.h>
#include <zip.h>

#include "docs/doc.h"
#include "docs/docx.h"

extern char **environ;

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define ISSUER "ỦY BAN NHÂN DÂN TỈNH BẮC NINH"
#define SUBJECT "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
#define PLACE_DATE "Bắc Ninh, ngày 05 tháng 01 năm 2026"
#define QUOC_HIEU "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define TIEU_NGU "Độc lập - Tự do - Hạnh phúc"
#define SPECIALS "Công ty A & B <C>"

static const char *const bases[] = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    ("Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 12/TTr-SNV ngày 03 tháng 01 năm "
     "2026."),
};

static const char *const articles[][2] = {
    {"Điều 1. ", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 12 cá nhân (có danh "
                 "sách kèm theo) đã có thành tích xuất sắc trong phong trào thi đua năm 2025."},
    {"Điều 2. ", "Mỗi cá nhân được tặng Bằng khen kèm theo tiền thưởng theo quy định của pháp "
                 "luật về thi đua, khen thưởng."},
    {"Điều 3. ", "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, thủ trưởng các cơ "
                 "quan, đơn vị có liên quan và các cá nhân có tên tại Điều 1 chịu trách nhiệm "
                 "thi hành Quyết định này."},
};

static const char *const people[][2] = {
    {"Nguyễn Thị Hồng Nhung", "Chuyên viên Phòng Tổ chức cán bộ, Sở Nội vụ"},
    {"Trần Văn Đức", "Trưởng phòng Kế hoạch - Tài chính, Sở Giáo dục và Đào tạo"},
    {"Lê Hoàng Yến", "Giáo viên Trường THPT Chuyên Bắc Ninh"},
    {"Phạm Quốc Khánh", "Phó Chủ tịch Ủy ban nhân dân xã Phù Khê"},
    {"Hoàng Thị Thu Hà", "Kế toán trưởng Bệnh viện Đa khoa tỉnh"},
    {"Vũ Đình Phương", "Chỉ huy trưởng Ban Chỉ huy quân sự xã Tam Sơn"},
    {"Đặng Minh Tuấn", "Kỹ sư Công ty Điện lực Bắc Ninh"},
    {"Bùi Thị Ngọc Ánh", "Bác sĩ Trung tâm Y tế thành phố Từ Sơn"},
    {"Đỗ Xuân Trường", "Trưởng thôn Đình Bảng, phường Đình Bảng"},
    {"Ngô Thị Lụa", "Chủ nhiệm Hợp tác xã nông nghiệp Cảnh Hưng"},
    {"Dương Văn Lợi", "Cán bộ Công an phường Võ Cường"},
    {"Lý Thanh Tùng", "Nghệ nhân quan họ làng Diềm, xã Hòa Long"},
};
#define NPEOPLE (sizeof people / sizeof *people)

/* ---- documents ---------------------------------------------------------------------------- */

static void para(struct doc *d, enum doc_para_style st, const char *lead, const char *text)
{
    struct doc_para *p = doc_add_para(d, st);
    if (lead)
        doc_para_run(d, p, lead, true, false);
    doc_para_run(d, p, text, false, false);
}

/* A Quyết định khen thưởng of UBND tỉnh Bắc Ninh with its list of nrows
 * people (the 12 above, repeated to make a long list). */
static struct doc *quyet_dinh(size_t nrows)
{
    struct doc *d = doc_new();
    d->header.parent = NULL;
    d->header.issuer = doc_str(d, ISSUER);
    d->header.number = doc_str(d, "05/QĐ-UBND");
    d->header.place_date = doc_str(d, PLACE_DATE);
    d->header.kind = doc_str(d, "QUYẾT ĐỊNH");
    d->header.subject = doc_str(d, SUBJECT);
    doc_para_run(d, doc_add_para(d, DOC_P_CENTER), "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH", true,
                 false);
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
        para(d, DOC_P_BASIS, NULL, bases[i]);
    doc_para_run(d, doc_add_para(d, DOC_P_CENTER), "QUYẾT ĐỊNH:", true, false);
    for (size_t i = 0; i < 3; i++)
        para(d, DOC_P_BODY, articles[i][0], articles[i][1]);
    doc_para_run(d, doc_add_para(d, DOC_P_CENTER), "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN", true,
                 false);
    static const double widths[] = {1, 4, 7};
    struct doc_table *t = doc_add_table(d, 3, widths, 1, true);
    doc_table_cell(d, t, "STT", false, 1);
    doc_table_cell(d, t, "Họ và tên", false, 1);
    doc_table_cell(d, t, "Chức vụ, đơn vị", false, 1);
    for (size_t r = 0; r < nrows; r++) {
        char n[24];
        snprintf(n, sizeof n, "%zu", r + 1);
        doc_table_cell(d, t, n, false, 1);
        doc_table_cell(d, t, people[r % NPEOPLE][0], false, 0);
        doc_table_cell(d, t, people[r % NPEOPLE][1], false, 0);
    }
    struct doc_closing *c = doc_add_closing(d);
    doc_closing_recipient(d, c, "- Như Điều 3;");
    doc_closing_recipient(d, c, "- Lưu: VT, NV.");
    doc_closing_signature(d, c, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A", NULL);
    return d;
}

static const char *const members[][2] = {
    {"ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH", "Nguyễn Hữu Thành"},
    {"ỦY BAN NHÂN DÂN THÀNH PHỐ TỪ SƠN", "Trần Quang Vinh"},
    {"ỦY BAN NHÂN DÂN THỊ XÃ QUẾ VÕ", "Lê Thị Minh Châu"},
    {"ỦY BAN NHÂN DÂN THỊ XÃ THUẬN THÀNH", "Phạm Văn Hưng"},
    {"ỦY BAN NHÂN DÂN HUYỆN TIÊN DU", "Đào Thị Thanh Hương"},
    {"ỦY BAN NHÂN DÂN HUYỆN YÊN PHONG", "Hà Mạnh Cường"},
};
#define NMEMBERS (sizeof members / sizeof *members)

/* A pledge of a bloc (giao ước thi đua) on A4 landscape, signed by every member. */
static struct doc *giao_uoc(void)
{
    struct doc *d = doc_new();
    d->landscape = true;
    d->header.parent = doc_str(d, "ỦY BAN NHÂN DÂN TỈNH BẮC NINH");
    d->header.issuer = doc_str(d, "KHỐI THI ĐUA CÁC THÀNH PHỐ, THỊ XÃ, HUYỆN");
    d->header.place_date = doc_str(d, "Bắc Ninh, ngày 20 tháng 02 năm 2026");
    d->header.kind = doc_str(d, "BẢN GIAO ƯỚC THI ĐUA");
    d->header.subject = doc_str(d, "Năm 2026");
    para(d, DOC_P_BODY, NULL,
         "Các đơn vị thành viên Khối thi đua cùng giao ước thực hiện tốt các nhiệm vụ chính "
         "trị năm 2026.");
    struct doc_closing *c = doc_add_closing(d);
    for (size_t i = 0; i < NMEMBERS; i++)
        doc_closing_signature(d, c, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", members[i][1],
                              members[i][0]);
    return d;
}

/* A công văn (no document type, trích yếu under the number) with no parent,
 * no number, and XML specials in every place text goes. The issuer is typed
 * in lower case: the decree's capitals are the writer's job. */
static struct doc *specials(void)
{
    struct doc *d = doc_new();
    d->header.issuer = doc_str(d, "Sở Nội vụ");
    d->header.place_date = doc_str(d, "Bắc Ninh, ngày 06 tháng 01 năm 2026");
    d->header.subject = doc_str(d, "V/v khen thưởng " SPECIALS);
    para(d, DOC_P_PLAIN, "Kính gửi: ", SPECIALS);
    para(d, DOC_P_BODY, NULL, "Đề nghị \"xét\" cho 'đơn vị' " SPECIALS " theo quy định.");
    struct doc_table *t = doc_add_table(d, 2, NULL, 0, false);
    doc_table_cell(d, t, "Bên A:", true, 0);
    doc_table_cell(d, t, SPECIALS, false, 0);
    struct doc_closing *c = doc_add_closing(d);
    doc_closing_recipient(d, c, "- " SPECIALS ";");
    doc_closing_signature(d, c, NULL, "GIÁM ĐỐC", "Trần Thị B & C", NULL);
    return d;
}

static char *write_docx(const struct doc *d, size_t *len)
{
    char *data = NULL;
    struct err e = {0};
    enum result rc = docx_write(d, &data, len, &e);
    if (rc != OK)
        fail_msg("docx_write: %s", e.msg);
    assert_non_null(data);
    return data;
}

/* ---- the package -------------------------------------------------------------------------- */

static const char *const parts[] = {
    "[Content_Types].xml", "_rels/.rels",      "word/document.xml", "word/styles.xml",
    "word/settings.xml",   "word/header1.xml", "word/header2.xml",
    "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml",
};

/* The named part of a zip in memory, NUL-terminated; NULL when missing. */
static char *zip_part(const char *zipdata, size_t ziplen, const char *name, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zipdata, ziplen, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    zip_error_fini(&ze);
    char *out = NULL;
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(za, name, 0);
        assert_non_null(f);
        out = malloc(st.size + 1);
        assert_non_null(out);
        assert_int_equal(zip_fread(f, out, st.size), (zip_int64_t)st.size);
        out[st.size] = '\0';
        zip_fclose(f);
        if (len)
            *len = st.size;
    }
    zip_close(za);
    return out;
}

static xmlDocPtr parse_part(const char *zipdata, size_t ziplen, const char *name)
{
    size_t len = 0;
    char *xml = zip_part(zipdata, ziplen, name, &len);
    if (!xml)
        fail_msg("part %s is missing", name);
    xmlDocPtr x = xmlReadMemory(xml, (int)len, name, NULL, XML_PARSE_NONET);
    if (!x)
        fail_msg("part %s is not well-formed XML", name);
    free(xml);
    return x;
}

/* The string value of an XPath expression over a WordprocessingML part. */
static char *xpath(xmlDocPtr x, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(x);
    xmlXPathRegisterNs(ctx, BAD_CAST "w", BAD_CAST NS_W);
    xmlChar *wrapped = xmlStrdup(BAD_CAST "string(");
    wrapped = xmlStrcat(wrapped, BAD_CAST expr);
    wrapped = xmlStrcat(wrapped, BAD_CAST ")");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(wrapped, ctx);
    assert_non_null(o);
    char *s = strdup((const char *)o->stringval);
    xmlXPathFreeObject(o);
    xmlFree(wrapped);
    xmlXPathFreeContext(ctx);
    return s;
}

static void assert_xpath(xmlDocPtr x, const char *expr, const char *want)
{
    char *got = xpath(x, expr);
    if (strcmp(got, want) != 0)
        fail_msg("%s = \"%s\", want \"%s\"", expr, got, want);
    free(got);
}

static void test_package_parts_and_layout(void **state)
{
    (void)state;
    struct doc *d = quyet_dinh(NPEOPLE);
    size_t len;
    char *data = write_docx(d, &len);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        xmlFreeDoc(parse_part(data, len, parts[i]));

    xmlDocPtr x = parse_part(data, len, "word/document.xml");
    /* A4 portrait, the decree's margins, no number on page 1 */
    assert_xpath(x, "//w:sectPr/w:pgSz/@w:w", "11906");
    assert_xpath(x, "//w:sectPr/w:pgSz/@w:h", "16838");
    assert_xpath(x, "//w:sectPr/w:pgMar/@w:top", "1134");
    assert_xpath(x, "//w:sectPr/w:pgMar/@w:bottom", "1134");
    assert_xpath(x, "//w:sectPr/w:pgMar/@w:left", "1701");
    assert_xpath(x, "//w:sectPr/w:pgMar/@w:right", "850");
    assert_xpath(x, "count(//w:sectPr/w:titlePg)", "1");
    assert_xpath(x, "count(//w:sectPr/w:headerReference[@w:type='first'])", "1");
    /* the list: one repeated header row, then a row per person */
    assert_xpath(x, "count(//w:tr[w:trPr/w:tblHeader])", "1");
    assert_xpath(x, "count(//w:tbl[w:tblPr/w:tblBorders/w:top/@w:val='single']/w:tr)", "13");
    /* quốc hiệu and tiêu ngữ bold, 13 and 14 pt; "Số:" 13 pt; place and date italic 14 pt */
    assert_xpath(x, "//w:r[w:t='" QUOC_HIEU "']/w:rPr/w:sz/@w:val", "26");
    assert_xpath(x, "count(//w:r[w:t='" QUOC_HIEU "']/w:rPr/w:b)", "1");
    assert_xpath(x, "//w:r[w:t='" TIEU_NGU "']/w:rPr/w:sz/@w:val", "28");
    assert_xpath(x, "//w:r[w:t='05/QĐ-UBND']/w:rPr/w:sz/@w:val", "26");
    assert_xpath(x, "count(//w:r[w:t='" PLACE_DATE "']/w:rPr/w:i)", "1");
    /* the issuer broken into two balanced lines with its short rule */
    assert_xpath(x, "count(//w:p[w:r/w:t='ỦY BAN NHÂN DÂN'][w:r/w:t='TỈNH BẮC NINH']/w:r/w:br)",
                 "1");
    /* "Điều 1." bold in a body paragraph; the căn cứ style */
    assert_xpath(x, "count(//w:p[w:pPr/w:pStyle/@w:val='Body']/w:r[w:t='Điều 1. ']/w:rPr/w:b)",
                 "1");
    assert_xpath(x, "count(//w:p[w:pPr/w:pStyle/@w:val='Basis'])", "3");
    /* the closing: Nơi nhận bold italic 12 pt */
    assert_xpath(x, "//w:r[w:t='Nơi nhận:']/w:rPr/w:sz/@w:val", "24");
    xmlFreeDoc(x);

    x = parse_part(data, len, "word/styles.xml");
    assert_xpath(x, "//w:docDefaults//w:rFonts/@w:ascii", "Times New Roman");
    assert_xpath(x, "//w:docDefaults//w:sz/@w:val", "28");
    assert_xpath(x, "//w:style[@w:styleId='Body']//w:ind/@w:firstLine", "720");
    assert_xpath(x, "//w:docDefaults//w:spacing/@w:after", "120");
    xmlFreeDoc(x);
    x = parse_part(data, len, "word/header1.xml");
    assert_xpath(x, "normalize-space(//w:instrText)", "PAGE");
    xmlFreeDoc(x);
    free(data);
    doc_free(d);
}

static void test_text_is_escaped_and_checked(void **state)
{
    (void)state;
    struct doc *d = specials();
    /* control characters never reach the XML, which would not parse */
    doc_para_run(d, doc_add_para(d, DOC_P_BODY), "a\x01" "b\x7f" "c\xc2\x85" "d\xef\xbf\xbf", false,
                 false);
    size_t len;
    char *data = write_docx(d, &len);
    xmlDocPtr x = parse_part(data, len, "word/document.xml");
    assert_xpath(x, "count(//w:t[.='" SPECIALS "'])", "2");
    assert_xpath(x, "count(//w:t[.='abcd'])", "1");
    assert_xpath(x, "count(//w:r[w:t='SỞ NỘI VỤ']/w:rPr/w:caps)", "1");
    assert_xpath(x, "count(//w:t[.='Số: '])", "0"); /* no number: no "Số:" */
    assert_xpath(x, "count(//w:landscape)", "0");
    xmlFreeDoc(x);
    x = parse_part(data, len, "docProps/core.xml");
    xmlFreeDoc(x);
    free(data);

    /* text that is not UTF-8 is refused, not passed on */
    doc_para_run(d, doc_add_para(d, DOC_P_BODY), "Nguy\xff", false, false);
    struct err e = {0};
    data = (char *)"untouched";
    assert_int_equal(docx_write(d, &data, &len, &e), E_INVALID);
    assert_null(data);
    assert_non_null(strstr(e.msg, "UTF-8"));
    doc_free(d);

    /* an empty document is still a document */
    d = doc_new();
    data = write_docx(d, &len);
    xmlFreeDoc(parse_part(data, len, "word/document.xml"));
    free(data);
    doc_free(d);
}

/* ---- through LibreOffice ------------------------------------------------------------------ */

struct scratch {
    char dir[256];
};

static void scratch_new(struct scratch *s)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/tdkt-docx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(s->dir));
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void scratch_free(struct scratch *s)
{
    nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Runs argv (no shell) with stdout into out_path (or /dev/null) and stderr
 * into /dev/null, in its own process group so a hung LibreOffice can be
 * killed with all its children. Returns the exit status, -1 on a timeout. */
static int run(char *const argv[], const char *out_path, int timeout_s)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0)
        fail_msg("cannot run %s: %s", argv[0], strerror(rc));
    int status;
    for (int waited_ms = 0;; waited_ms += 50) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (waited_ms > timeout_s * 1000) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void spill(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A file: URL for a path: LibreOffice takes its profile directory as one. */
static void file_url(char *out, size_t cap, const char *path)
{
    size_t n = (size_t)snprintf(out, cap, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", *p);
    }
    out[n] = '\0';
}

/* Writes d as <dir>/<name>.docx and converts it to <dir>/<name>.pdf. */
static void convert(const struct doc *d, const struct scratch *s, const char *name)
{
    char docx[512], pdf[512], profile[512], env[600], log[512];
    snprintf(docx, sizeof docx, "%s/%s.docx", s->dir, name);
    snprintf(pdf, sizeof pdf, "%s/%s.pdf", s->dir, name);
    snprintf(log, sizeof log, "%s/soffice.log", s->dir);
    snprintf(profile, sizeof profile, "%s/lo", s->dir);
    file_url(env, sizeof env - 32, profile);
    char arg_env[640];
    snprintf(arg_env, sizeof arg_env, "-env:UserInstallation=%s", env);
    size_t len;
    char *data = write_docx(d, &len);
    spill(docx, data, len);
    free(data);
    char *argv[] = {"soffice", "--headless", "--norestore", arg_env, "--convert-to", "pdf",
                    "--outdir", (char *)s->dir, docx, NULL};
    int rc = run(argv, log, 180);
    if (rc != 0 || access(pdf, R_OK) != 0)
        fail_msg("soffice did not convert %s (exit %d)", docx, rc);
}

static char *pdf_path(const struct scratch *s, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s.pdf", s->dir, name);
    return buf;
}

/* pdftotext of pages first..last (0: all). Raw mode keeps LibreOffice's
 * drawing order, which is the model's: a layout table cell by cell, row by
 * row (the default mode guesses columns and reorders the header block);
 * layout mode keeps columns side by side. */
static char *pdf_text(const struct scratch *s, const char *name, int first, int last, bool layout)
{
    char pdf[512], out[512], f[16], l[16];
    pdf_path(s, name, pdf, sizeof pdf);
    snprintf(out, sizeof out, "%s/%s.txt", s->dir, name);
    snprintf(f, sizeof f, "%d", first ? first : 1);
    snprintf(l, sizeof l, "%d", last ? last : 9999);
    char *argv[] = {"pdftotext", "-enc", "UTF-8", "-f", f, "-l", l,
                    layout ? "-layout" : "-raw", pdf, out, NULL};
    assert_int_equal(run(argv, NULL, 60), 0);
    char *t = slurp(out);
    assert_non_null(t);
    return t;
}

/* Runs of white space become one space, and the text is NFC, so a line that
 * LibreOffice wrapped compares equal to the model's line. */
static char *normalise(const char *t)
{
    char *flat = malloc(strlen(t) + 1), *o = flat;
    assert_non_null(flat);
    bool space = true;
    for (const char *p = t; *p; p++) {
        bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f';
        if (ws && !space)
            *o++ = ' ';
        else if (!ws)
            *o++ = *p;
        space = ws;
    }
    *o = '\0';
    char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)flat);
    assert_non_null(nfc);
    free(flat);
    return nfc;
}

/* Every expected string occurs in text, in this order. */
static void assert_in_order(const char *text, const char *const *want, size_t n)
{
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, want[i]);
        if (!hit) {
            fprintf(stderr, "%s\n", text);
            fail_msg("\"%s\" is missing (or out of order) in the text above", want[i]);
        }
        at = hit + strlen(want[i]);
    }
}

struct pdfinfo {
    int pages;
    double w, h;
};

static struct pdfinfo pdf_info(const struct scratch *s, const char *name)
{
    char pdf[512], out[512];
    pdf_path(s, name, pdf, sizeof pdf);
    snprintf(out, sizeof out, "%s/%s.info", s->dir, name);
    char *argv[] = {"pdfinfo", pdf, NULL};
    assert_int_equal(run(argv, out, 60), 0);
    char *t = slurp(out);
    assert_non_null(t);
    struct pdfinfo pi = {0};
    const char *p = strstr(t, "\nPages:");
    assert_non_null(p);
    pi.pages = atoi(p + 7);
    p = strstr(t, "\nPage size:");
    assert_non_null(p);
    assert_int_equal(sscanf(p + 11, "%lf x %lf", &pi.w, &pi.h), 2);
    free(t);
    return pi;
}

/* The words pdftotext finds on page in the top margin (above 20 mm), with
 * the horizontal centre of the first one. */
static int top_margin_words(const struct scratch *s, const char *name, int page, char *first,
                            size_t cap, double *centre)
{
    char pdf[512], out[512], pg[16];
    pdf_path(s, name, pdf, sizeof pdf);
    snprintf(out, sizeof out, "%s/%s.html", s->dir, name);
    snprintf(pg, sizeof pg, "%d", page);
    char *argv[] = {"pdftotext", "-enc", "UTF-8", "-bbox", "-f", pg, "-l", pg, pdf, out, NULL};
    assert_int_equal(run(argv, NULL, 60), 0);
    char *t = slurp(out);
    assert_non_null(t);
    const double margin = DOC_MARGIN_TOP_MM * 72 / 25.4;
    int n = 0;
    for (const char *w = strstr(t, "<word "); w; w = strstr(w + 1, "<word ")) {
        double x0, y0, x1, y1;
        int end = 0;
        if (sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%n", &x0, &y0,
                   &x1, &y1, &end) != 4 || !end)
            fail_msg("unexpected pdftotext -bbox output: %.80s", w);
        if (y1 >= margin)
            continue;
        if (n++ == 0) {
            size_t len = strcspn(w + end, "<");
            snprintf(first, cap, "%.*s", (int)len, w + end);
            *centre = (x0 + x1) / 2;
        }
    }
    free(t);
    return n;
}

/* Page 1 as a PNG for people to look at: in $TDKT_DOC_OUT when set. */
static void render_page1(const struct scratch *s, const char *name, const char *png)
{
    const char *dir = getenv("TDKT_DOC_OUT");
    char pdf[512], root[512];
    pdf_path(s, name, pdf, sizeof pdf);
    snprintf(root, sizeof root, "%s/%s", dir && *dir ? dir : s->dir, png);
    char *argv[] = {"pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                    pdf, root, NULL};
    assert_int_equal(run(argv, NULL, 60), 0);
    char path[600];
    snprintf(path, sizeof path, "%s.png", root);
    assert_int_equal(access(path, R_OK), 0);
}

static void test_quyet_dinh_through_libreoffice(void **state)
{
    (void)state;
    struct scratch s;
    scratch_new(&s);
    struct doc *d = quyet_dinh(NPEOPLE);
    convert(d, &s, "quyet-dinh");
    render_page1(&s, "quyet-dinh", "docx-quyet-dinh");

    struct pdfinfo pi = pdf_info(&s, "quyet-dinh");
    assert_true(pi.w > 594 && pi.w < 596 && pi.h > 841 && pi.h < 843); /* A4 portrait */
    assert_true(pi.pages > 1);

    char *raw = pdf_text(&s, "quyet-dinh", 0, 0, false);
    char *text = normalise(raw);
    const char *want[64];
    size_t n = 0;
    /* the header block row by row: issuer | quốc hiệu, tiêu ngữ; number | place and date */
    want[n++] = ISSUER;
    want[n++] = QUOC_HIEU;
    want[n++] = TIEU_NGU;
    want[n++] = "Số: 05/QĐ-UBND";
    want[n++] = PLACE_DATE;
    want[n++] = "QUYẾT ĐỊNH";
    want[n++] = SUBJECT;
    want[n++] = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH";
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
        want[n++] = bases[i];
    want[n++] = "QUYẾT ĐỊNH:";
    char articles_text[3][512];
    for (size_t i = 0; i < 3; i++) {
        snprintf(articles_text[i], sizeof articles_text[i], "%s%s", articles[i][0],
                 articles[i][1]);
        want[n++] = articles_text[i];
    }
    for (size_t i = 0; i < NPEOPLE; i++)
        want[n++] = people[i][0];
    want[n++] = "Nơi nhận:";
    want[n++] = "- Như Điều 3;";
    want[n++] = "- Lưu: VT, NV.";
    want[n++] = "KT. CHỦ TỊCH";
    want[n++] = "PHÓ CHỦ TỊCH";
    want[n++] = "Nguyễn Văn A";
    assert_in_order(text, want, n);
    free(text);
    free(raw);

    /* page numbers: nothing in page 1's top margin; "2" centred in page 2's, where the
     * text area's centre is */
    char word[64] = "";
    double centre = 0;
    assert_int_equal(top_margin_words(&s, "quyet-dinh", 1, word, sizeof word, &centre), 0);
    assert_int_equal(top_margin_words(&s, "quyet-dinh", 2, word, sizeof word, &centre), 1);
    assert_string_equal(word, "2");
    double mid = (DOC_MARGIN_LEFT_MM + (210.0 - DOC_MARGIN_RIGHT_MM)) / 2 * 72 / 25.4;
    assert_true(centre > mid - 3 && centre < mid + 3);
    doc_free(d);
    scratch_free(&s);
}

static void test_pledge_landscape_six_signatures(void **state)
{
    (void)state;
    struct scratch s;
    scratch_new(&s);
    struct doc *d = giao_uoc();
    convert(d, &s, "giao-uoc");
    render_page1(&s, "giao-uoc", "docx-giao-uoc");
    struct pdfinfo pi = pdf_info(&s, "giao-uoc");
    assert_true(pi.w > 841 && pi.w < 843 && pi.h > 594 && pi.h < 596); /* A4 landscape */

    char *raw = pdf_text(&s, "giao-uoc", 0, 0, false);
    char *text = normalise(raw);
    for (size_t i = 0; i < NMEMBERS; i++) {
        const char *want[] = {members[i][0], "CHỦ TỊCH", members[i][1]};
        const char *from = strstr(text, members[i][0]);
        if (!from) {
            fprintf(stderr, "%s\n", text);
            fail_msg("\"%s\" is missing in the text above", members[i][0]);
        }
        assert_in_order(from, want, 3);
    }
    free(text);
    free(raw);

    /* two to a row: each pair of names shares a line of the laid-out text */
    raw = pdf_text(&s, "giao-uoc", 0, 0, true);
    for (size_t i = 0; i + 1 < NMEMBERS; i += 2) {
        const char *a = strstr(raw, members[i][1]);
        assert_non_null(a);
        const char *eol = strchr(a, '\n');
        const char *b = strstr(a, members[i + 1][1]);
        if (!b || (eol && b > eol)) {
            fprintf(stderr, "%s\n", raw);
            fail_msg("%s and %s are not side by side", members[i][1], members[i + 1][1]);
        }
    }
    free(raw);
    doc_free(d);
    scratch_free(&s);
}

static void test_specials_round_trip(void **state)
{
    (void)state;
    struct scratch s;
    scratch_new(&s);
    struct doc *d = specials();
    convert(d, &s, "cong-van");
    struct pdfinfo pi = pdf_info(&s, "cong-van");
    assert_int_equal(pi.pages, 1);
    char *raw = pdf_text(&s, "cong-van", 0, 0, false);
    char *text = normalise(raw);
    const char *want[] = {
        "SỞ NỘI VỤ", QUOC_HIEU, TIEU_NGU, "V/v khen thưởng " SPECIALS,
        "Kính gửi: " SPECIALS, "Đề nghị \"xét\" cho 'đơn vị' " SPECIALS " theo quy định.",
        "Bên A:", SPECIALS, "Nơi nhận:", "- " SPECIALS ";", "GIÁM ĐỐC", "Trần Thị B & C",
    };
    assert_in_order(text, want, sizeof want / sizeof *want);
    assert_null(strstr(text, "Số:")); /* no number: the line is left out */
    free(text);
    free(raw);
    doc_free(d);
    scratch_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_parts_and_layout),
        cmocka_unit_test(test_text_is_escaped_and_checked),
        cmocka_unit_test(test_quyet_dinh_through_libreoffice),
        cmocka_unit_test(test_pledge_landscape_six_signatures),
        cmocka_unit_test(test_specials_round_trip),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
