/* The list exporter on libxlsxwriter. libxlsxwriter 1.1.4 writes only to a
 * file, so each table lives in a private temporary directory that finish and
 * abort always remove. */
#include "docs/xlsx_write.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "docs/xlsx_read.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

#define FONT_NAME "Times New Roman"
#define FONT_SIZE 12
#define EXCEL_MAX_ROWS 1048576u
#define EXCEL_MAX_COLS 16384u
#define EXCEL_MAX_STRING 32767u /* bytes, as libxlsxwriter counts them */
#define MAX_EXACT_INT ((int64_t)1 << 53)
#define PAPER_A4 9

struct xlsx_table_writer {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *f_text, *f_int, *f_date;
    lxw_format *f_num[5];   /* numbers with 0–4 decimals, grouped by thousands */
    char dir[PATH_MAX];
    char path[PATH_MAX + 32];
    size_t ncols;
    lxw_row_t header_row;
    lxw_row_t row; /* the row being written */
    size_t col;    /* the next column of that row */
    bool row_open; /* a cell of the row has been written */
    struct err err; /* the first failure of a cell call */
};

/* Removes the temporary file and directory; safe to call twice. */
static void remove_temp(struct xlsx_table_writer *w)
{
    if (w->path[0]) {
        unlink(w->path);
        w->path[0] = '\0';
    }
    if (w->dir[0]) {
        rmdir(w->dir);
        w->dir[0] = '\0';
    }
}

static void writer_free(struct xlsx_table_writer *w)
{
    if (w->wb) {
        /* lxw_workbook_free in 1.1.4 does not close the row file of
         * constant_memory mode (workbook_close does), so a discarded table
         * would leak a descriptor per export. */
        if (w->ws && w->ws->optimize_tmpfile) {
            fclose(w->ws->optimize_tmpfile);
            w->ws->optimize_tmpfile = NULL;
            w->ws->file = NULL;
        }
        lxw_workbook_free(w->wb);
    }
    w->wb = NULL;
    remove_temp(w);
    free(w);
}

void xlsx_table_abort(struct xlsx_table_writer *w)
{
    if (w)
        writer_free(w);
}

static enum result lxw_failed(struct err *e, lxw_error rc)
{
    return err_set(e, E_IO, "", _("Không tạo được tệp Excel: %s"), lxw_strerror(rc));
}

/* Excel refuses tab names with []:*?/\, a leading or trailing apostrophe, or
 * more than 31 characters; a name from the data must never make the export
 * fail, so those are repaired rather than refused. */
static void sheet_name_fix(const char *in, char *out, size_t cap)
{
    size_t o = 0, chars = 0;
    if (in && text_utf8_valid(in, strlen(in))) {
        for (const unsigned char *s = (const unsigned char *)in; *s;) {
            size_t n = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
            size_t units = n == 4 ? 2 : 1; /* Excel counts UTF-16 code units */
            if (chars + units > 31 || o + n >= cap)
                break;
            if (n == 1 && (strchr("[]:*?/\\", *s) || *s < 0x20)) {
                out[o++] = '-';
            } else {
                memcpy(out + o, s, n);
                o += n;
            }
            s += n;
            chars += units;
        }
    }
    out[o] = '\0';
    while (o > 0 && (out[o - 1] == '\'' || out[o - 1] == ' '))
        out[--o] = '\0';
    size_t lead = strspn(out, "'");
    memmove(out, out + lead, o - lead + 1);
    if (out[0] == '\0')
        snprintf(out, cap, "%s", "Danh sách");
}

static lxw_format *base_format(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT_NAME);
    format_set_font_size(f, FONT_SIZE);
    return f;
}

static lxw_format *cell_format(lxw_workbook *wb)
{
    lxw_format *f = base_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

/* The header's height in points: Excel does not grow a row for wrapped text
 * in a file it did not lay out itself, so a long header gets the lines its
 * column width needs (bold Times 12 is a little wider than Excel's unit). */
static double header_height(const char *const *headers, const double *widths, size_t ncols)
{
    size_t lines = 1;
    for (size_t i = 0; i < ncols; i++) {
        double width = widths[i];
        size_t len = text_utf8_valid(headers[i], strlen(headers[i])) ? text_length(headers[i]) : 1;
        double per_line = width > 2 ? width - 1 : 1;
        size_t need = (size_t)ceil((double)len * 1.1 / per_line);
        if (need > lines)
            lines = need;
    }
    if (lines > 5)
        lines = 5;
    return 16.0 * (double)lines + 4.0;
}

struct xlsx_table_writer *xlsx_table_begin(const char *sheet_name, const char *title,
                                           const char *const *headers, const double *widths,
                                           size_t ncols, struct err *e)
{
    if (ncols == 0 || ncols > EXCEL_MAX_COLS || !headers) {
        err_set(e, E_INVALID, "", _("Bảng xuất ra Excel phải có từ 1 đến %u cột"),
                EXCEL_MAX_COLS);
        return NULL;
    }
    for (size_t i = 0; i < ncols; i++) {
        if (!headers[i] || !text_utf8_valid(headers[i], strlen(headers[i])) ||
            strlen(headers[i]) > EXCEL_MAX_STRING) {
            err_set(e, E_INVALID, "", _("Tiêu đề cột %zu của bảng xuất ra Excel không hợp lệ"),
                    i + 1);
            return NULL;
        }
    }
    if (title && (!text_utf8_valid(title, strlen(title)) || strlen(title) > EXCEL_MAX_STRING)) {
        err_set(e, E_INVALID, "", _("Tên bảng xuất ra Excel không hợp lệ"));
        return NULL;
    }

    struct xlsx_table_writer *w = xcalloc(1, sizeof *w);
    w->ncols = ncols;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    int n = snprintf(w->dir, sizeof w->dir, "%s/tdkt-xlsx-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof w->dir - 16 || !mkdtemp(w->dir)) {
        int errnum = errno;
        w->dir[0] = '\0';
        writer_free(w);
        err_set(e, E_IO, "", _("Không tạo được thư mục tạm cho tệp Excel: %s"),
                strerror(errnum));
        return NULL;
    }
    snprintf(w->path, sizeof w->path, "%s/table.xlsx", w->dir);

    /* constant_memory flushes each row to a temporary file in our directory
     * as soon as the next one starts. */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = w->dir, .use_zip64 = 0};
    w->wb = workbook_new_opt(w->path, &opt);
    char name[128];
    sheet_name_fix(sheet_name, name, sizeof name);
    w->ws = w->wb ? workbook_add_worksheet(w->wb, name) : NULL;
    if (!w->ws) {
        writer_free(w);
        err_set(e, E_IO, "", _("Không tạo được tệp Excel"));
        return NULL;
    }
    lxw_workbook *wb = w->wb;
    lxw_worksheet *ws = w->ws;

    lxw_format *f_title = base_format(wb);
    format_set_bold(f_title);
    format_set_font_size(f_title, 14);
    format_set_align(f_title, LXW_ALIGN_CENTER);
    format_set_align(f_title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f_title);

    lxw_format *f_head = base_format(wb);
    format_set_bold(f_head);
    format_set_border(f_head, LXW_BORDER_THIN);
    format_set_bg_color(f_head, 0xDDEBF7); /* light blue, legible in black-and-white print */
    format_set_pattern(f_head, LXW_PATTERN_SOLID);
    format_set_align(f_head, LXW_ALIGN_CENTER);
    format_set_align(f_head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f_head);

    w->f_text = cell_format(wb);
    format_set_text_wrap(w->f_text);
    w->f_int = cell_format(wb);
    format_set_align(w->f_int, LXW_ALIGN_RIGHT);
    /* real dates shown day first, as people here write them, so Excel can
     * still sort and subtract them */
    w->f_date = cell_format(wb);
    format_set_num_format(w->f_date, "dd/mm/yyyy");
    format_set_align(w->f_date, LXW_ALIGN_CENTER);
    static const char *const num_formats[5] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000",
                                               "#,##0.0000"};
    for (int i = 0; i < 5; i++) {
        w->f_num[i] = cell_format(wb);
        format_set_num_format(w->f_num[i], num_formats[i]);
        format_set_align(w->f_num[i], LXW_ALIGN_RIGHT);
    }

    double *wd = xmalloc(ncols * sizeof *wd);
    for (size_t i = 0; i < ncols; i++) {
        if (widths && widths[i] > 0) {
            wd[i] = widths[i] > 255 ? 255 : widths[i];
        } else {
            size_t len = text_length(headers[i]);
            wd[i] = len < 8 ? 10 : len > 40 ? 42 : (double)len + 2;
        }
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, wd[i], NULL);
    }

    lxw_error rc = LXW_NO_ERROR;
    lxw_row_t row = 0;
    if (title && title[0]) {
        worksheet_set_row(ws, 0, 36, NULL);
        if (ncols > 1)
            rc = worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, f_title);
        else
            rc = worksheet_write_string(ws, 0, 0, title, f_title);
        row = 1;
    }
    w->header_row = row;
    if (rc == LXW_NO_ERROR)
        rc = worksheet_set_row(ws, row, header_height(headers, wd, ncols), NULL);
    for (size_t i = 0; i < ncols && rc == LXW_NO_ERROR; i++) {
        if (headers[i][0])
            rc = worksheet_write_string(ws, row, (lxw_col_t)i, headers[i], f_head);
        else
            rc = worksheet_write_blank(ws, row, (lxw_col_t)i, f_head);
    }
    free(wd);
    if (rc != LXW_NO_ERROR) {
        lxw_failed(e, rc);
        writer_free(w);
        return NULL;
    }
    w->row = row + 1;

    worksheet_freeze_panes(ws, row + 1, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, PAPER_A4);
    worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as many pages tall as needed */
    worksheet_repeat_rows(ws, row, row);
    worksheet_center_horizontally(ws);
    /* Inches: left 0.6 ≈ 15 mm for binding, the rest 0.4 ≈ 10 mm. */
    worksheet_set_margins(ws, 0.6, 0.4, 0.5, 0.5);
    worksheet_set_footer(ws, "&C&\"Times New Roman,Regular\"&11Trang &P/&N");

    lxw_doc_properties props = {.title = (char *)(title && title[0] ? title : name),
                                .author = "tdkt"};
    workbook_set_properties(wb, &props);
    return w;
}

/* Claims the next cell of the row, or records why it cannot be written. */
static bool next_cell(struct xlsx_table_writer *w, lxw_row_t *row, lxw_col_t *col)
{
    if (!w || w->err.code != OK)
        return false;
    if (w->col >= w->ncols) {
        char ref[16];
        xlsx_cell_ref((size_t)w->row + 1, w->col, ref);
        err_set(&w->err, E_INVALID, ref,
                _("Dòng %zu của bảng xuất ra Excel có nhiều ô hơn số cột (%zu)"),
                (size_t)w->row + 1, w->ncols);
        return false;
    }
    if (w->row >= EXCEL_MAX_ROWS) {
        err_set(&w->err, E_TOOBIG, "", _("Bảng quá lớn để xuất ra Excel (tối đa %u dòng)"),
                EXCEL_MAX_ROWS);
        return false;
    }
    *row = w->row;
    *col = (lxw_col_t)w->col++;
    w->row_open = true;
    return true;
}

static void record(struct xlsx_table_writer *w, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && w->err.code == OK)
        lxw_failed(&w->err, rc);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_xescape(const char *s)
{
    return s[0] == '_' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]) && is_hex(s[4]) &&
           is_hex(s[5]) && s[6] == '_';
}

/* Excel reads "_xHHHH_" in a string as the character U+HHHH, and
 * libxlsxwriter writes such text unchanged, so a literal "_x0041_" would
 * come back as "A". Escaping its underscore as _x005F_ keeps the text as
 * typed. Returns NULL when s needs no change. */
static char *escape_xstring(const char *s)
{
    const char *p = strstr(s, "_x");
    while (p && !is_xescape(p))
        p = strstr(p + 1, "_x");
    if (!p)
        return NULL;
    struct buf b = BUF_INIT;
    for (const char *q = s; *q; q++) {
        if (is_xescape(q))
            buf_adds(&b, "_x005F_"); /* stands for this '_' */
        else
            buf_addc(&b, *q);
    }
    return buf_detach(&b);
}

void xlsx_table_text(struct xlsx_table_writer *w, const char *s)
{
    lxw_row_t row;
    lxw_col_t col;
    if (!next_cell(w, &row, &col))
        return;
    if (!s || !s[0]) {
        record(w, worksheet_write_blank(w->ws, row, col, w->f_text));
        return;
    }
    char *escaped = escape_xstring(s);
    if (escaped)
        s = escaped;
    size_t len = strlen(s);
    char ref[16];
    if (!text_utf8_valid(s, len)) {
        xlsx_cell_ref((size_t)row + 1, col, ref);
        err_set(&w->err, E_INVALID, ref,
                _("Ô %s của bảng xuất ra Excel chứa văn bản không phải UTF-8 hợp lệ"), ref);
    } else if (len > EXCEL_MAX_STRING) {
        xlsx_cell_ref((size_t)row + 1, col, ref);
        err_set(&w->err, E_TOOBIG, ref,
                _("Nội dung ô %s quá dài để xuất ra Excel (tối đa %u byte)"), ref,
                EXCEL_MAX_STRING);
    } else {
        record(w, worksheet_write_string(w->ws, row, col, s, w->f_text));
    }
    free(escaped);
}

void xlsx_table_int(struct xlsx_table_writer *w, int64_t v)
{
    lxw_row_t row;
    lxw_col_t col;
    if (!next_cell(w, &row, &col))
        return;
    if (v > MAX_EXACT_INT || v < -MAX_EXACT_INT) {
        char s[24];
        snprintf(s, sizeof s, "%" PRId64, v);
        record(w, worksheet_write_string(w->ws, row, col, s, w->f_int));
        return;
    }
    record(w, worksheet_write_number(w->ws, row, col, (double)v, w->f_int));
}

void xlsx_table_number(struct xlsx_table_writer *w, double v, int decimals)
{
    lxw_row_t row;
    lxw_col_t col;
    if (!next_cell(w, &row, &col))
        return;
    if (!isfinite(v)) {
        char ref[16];
        xlsx_cell_ref((size_t)row + 1, col, ref);
        err_set(&w->err, E_INVALID, ref, _("Ô %s: giá trị không phải là số"), ref);
        return;
    }
    int d = decimals < 0 ? 0 : decimals > 4 ? 4 : decimals;
    record(w, worksheet_write_number(w->ws, row, col, v, w->f_num[d]));
}

void xlsx_table_date(struct xlsx_table_writer *w, const char *iso)
{
    lxw_row_t row;
    lxw_col_t col;
    if (!next_cell(w, &row, &col))
        return;
    char check[11];
    if (!iso || !*iso) {
        record(w, worksheet_write_blank(w->ws, row, col, w->f_date));
        return;
    }
    if (!date_parse(iso, check)) {
        char ref[16];
        xlsx_cell_ref((size_t)row + 1, col, ref);
        err_set(&w->err, E_INVALID, ref, _("Ô %s: \"%s\" không phải là ngày"), ref, iso);
        return;
    }
    lxw_datetime dt = {.year = atoi(check), .month = atoi(check + 5), .day = atoi(check + 8)};
    record(w, worksheet_write_datetime(w->ws, row, col, &dt, w->f_date));
}

void xlsx_table_blank(struct xlsx_table_writer *w)
{
    lxw_row_t row;
    lxw_col_t col;
    if (next_cell(w, &row, &col))
        record(w, worksheet_write_blank(w->ws, row, col, w->f_text));
}

void xlsx_table_end_row(struct xlsx_table_writer *w)
{
    if (!w || w->err.code != OK)
        return;
    /* Blank cells keep the grid of borders whole when a row stops short. */
    while (w->col < w->ncols)
        xlsx_table_blank(w);
    w->row++;
    w->col = 0;
    w->row_open = false;
}

static enum result slurp(const char *path, char **data, size_t *len, struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 0) {
        int errnum = errno;
        if (fd >= 0)
            close(fd);
        return err_set(e, E_IO, "", _("Không đọc được tệp Excel vừa tạo: %s"),
                       strerror(errnum));
    }
    size_t size = (size_t)st.st_size;
    char *p = xmalloc(size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int errnum = n < 0 ? errno : EIO;
            close(fd);
            free(p);
            return err_set(e, E_IO, "", _("Không đọc được tệp Excel vừa tạo: %s"),
                           strerror(errnum));
        }
        got += (size_t)n;
    }
    close(fd);
    p[size] = '\0';
    *data = p;
    *len = size;
    return OK;
}

enum result xlsx_table_finish(struct xlsx_table_writer *w, char **data, size_t *len,
                              struct err *e)
{
    *data = NULL;
    *len = 0;
    if (!w)
        return err_set(e, E_INVALID, "", _("Không có bảng để xuất ra Excel"));
    if (w->row_open)
        xlsx_table_end_row(w);
    if (w->err.code != OK) {
        enum result rc = err_set(e, w->err.code, w->err.field, "%s", w->err.msg);
        writer_free(w);
        return rc;
    }
    lxw_row_t last = w->row > w->header_row + 1 ? w->row - 1 : w->header_row;
    worksheet_autofilter(w->ws, w->header_row, 0, last, (lxw_col_t)(w->ncols - 1));
    lxw_error lrc = workbook_close(w->wb);
    w->wb = NULL; /* workbook_close frees it, even when it fails */
    enum result rc = lrc == LXW_NO_ERROR ? slurp(w->path, data, len, e) : lxw_failed(e, lrc);
    writer_free(w);
    return rc;
}
