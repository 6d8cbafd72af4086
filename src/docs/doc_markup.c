/* The document markup (doc_markup.h): a line-by-line parser into struct doc. */
#include "docs/doc_markup.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

/* Bounds on what one document may hold: far above any real decision (a list
 * of a few thousand names), far below what would tie up a job thread or
 * memory when a template loops over itself. */
enum { MAX_COLS = 20, MAX_BLOCKS = 20000, MAX_ROWS = 20000, MAX_LINE = 64 * 1024 };

struct parser {
    struct doc *doc;
    struct err *e;
    unsigned line;
    struct doc_table *table;     /* open @table … @endtable */
    int aligns[MAX_COLS];
    bool in_recipients;
};

static enum result fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static enum result fail(struct parser *p, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(p->e, E_INVALID, NULL, _("dòng %u: %s"), p->line, msg);
}

void doc_markup_escape(struct buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '*' || c == '|' || c == '@')
            buf_addc(out, '\\');
        buf_addc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
}

/* Drops the backslashes of a plain piece of text (a header field, a cell of
 * @sign), in place. */
static char *unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1])
            r++;
        *w++ = *r;
    }
    *w = '\0';
    return s;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Splits inline **bold** and *italic* into runs, calling add for each. */
static void inline_runs(struct doc *d, const char *s,
                        void (*add)(struct doc *, void *, const char *, bool, bool), void *target)
{
    struct buf piece = BUF_INIT;
    bool bold = false, italic = false;
    for (const char *p = s;; p++) {
        bool flush = !*p || *p == '*';
        if (*p == '\\' && p[1]) {
            buf_addc(&piece, p[1]);
            p++;
            continue;
        }
        if (flush) {
            if (piece.len)
                add(d, target, buf_cstr(&piece), bold, italic);
            buf_reset(&piece);
            if (!*p)
                break;
            if (p[1] == '*') {
                bold = !bold;
                p++;
            } else {
                italic = !italic;
            }
            continue;
        }
        buf_addc(&piece, *p);
    }
    buf_free(&piece);
}

static void add_para_run(struct doc *d, void *para, const char *text, bool bold, bool italic)
{
    doc_para_run(d, para, text, bold, italic);
}

static void add_cell_run(struct doc *d, void *cell, const char *text, bool bold, bool italic)
{
    doc_cell_run(d, cell, text, bold, italic);
}

static void paragraph(struct parser *p, enum doc_para_style style, const char *text)
{
    struct doc_para *para = doc_add_para(p->doc, style);
    inline_runs(p->doc, text, add_para_run, para);
}

/* Splits s at unescaped '|' into at most max pieces (each trimmed, escapes
 * kept); returns the count. Outer pipes of a table row give empty ends,
 * which the caller drops. */
static size_t split_cells(char *s, char **cells, size_t max)
{
    size_t n = 0;
    char *start = s;
    for (char *c = s;; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c == '|' || !*c) {
            bool end = !*c;
            *c = '\0';
            if (n < max)
                cells[n++] = trim(start);
            if (end)
                break;
            start = c + 1;
        }
    }
    return n;
}

static enum result table_start(struct parser *p, char *args)
{
    double widths[MAX_COLS];
    size_t ncols = 0, header = 1;
    bool borders = true;
    for (int i = 0; i < MAX_COLS; i++)
        p->aligns[i] = 0;
    char *save = NULL;
    for (char *tok = strtok_r(args, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strncmp(tok, "header=", 7) == 0) {
            header = (size_t)strtoul(tok + 7, NULL, 10);
        } else if (strcmp(tok, "noborder") == 0) {
            borders = false;
        } else if (strncmp(tok, "align=", 6) == 0) {
            int i = 0;
            for (char *a = tok + 6; *a && i < MAX_COLS; a++)
                if (*a != ',')
                    p->aligns[i++] = *a == 'c' ? 1 : *a == 'r' ? 2 : 0;
        } else {
            for (char *w = tok; *w && ncols < MAX_COLS;) {
                char *end;
                double v = strtod(w, &end);
                if (end == w || !isfinite(v) || v <= 0 || v > 1000)
                    return fail(p, _("độ rộng cột không hợp lệ \"%s\""), tok);
                widths[ncols++] = v;
                w = *end == ',' ? end + 1 : end;
                if (*end && *end != ',')
                    return fail(p, _("độ rộng cột không hợp lệ \"%s\""), tok);
            }
        }
    }
    if (ncols == 0)
        return fail(p, _("@table cần độ rộng các cột, ví dụ @table 1,6,4"));
    p->table = doc_add_table(p->doc, ncols, widths, header, borders);
    return OK;
}

static enum result table_row(struct parser *p, char *line)
{
    char *cells[MAX_COLS + 2];
    size_t n = split_cells(line, cells, MAX_COLS + 2);
    char **first = cells;
    if (n && !*cells[0]) { /* the leading | */
        first++;
        n--;
    }
    if (n && !*first[n - 1]) /* the trailing | */
        n--;
    if (n != p->table->ncols)
        return fail(p, _("dòng bảng có %zu ô, bảng có %zu cột"), n, p->table->ncols);
    if (p->table->nrows >= MAX_ROWS)
        return fail(p, _("bảng dài quá %d hàng"), MAX_ROWS);
    size_t row = p->table->nrows;
    for (size_t i = 0; i < n; i++) {
        struct doc_cell *c = doc_table_cell(p->doc, p->table, NULL, false,
                                            row < p->table->header_rows ? 1 : p->aligns[i]);
        inline_runs(p->doc, first[i], add_cell_run, c);
    }
    return OK;
}

/* The closing that @recipients and @sign add to: the last block when it is
 * one, else a new one. Looked up each time, never kept: adding a block may
 * move the array of blocks. */
static struct doc_closing *closing(struct parser *p)
{
    struct doc *d = p->doc;
    if (d->nblocks && d->blocks[d->nblocks - 1].kind == DOC_CLOSING)
        return &d->blocks[d->nblocks - 1].u.closing;
    return doc_add_closing(d);
}

static enum result sign(struct parser *p, char *args)
{
    char *parts[5];
    size_t n = split_cells(args, parts, 5);
    if (n < 3 || n > 4)
        return fail(p, _("@sign cần: tiền tố | chức vụ | họ tên [| đơn vị]"));
    for (size_t i = 0; i < n; i++)
        unescape(parts[i]);
    doc_closing_signature(p->doc, closing(p), *parts[0] ? parts[0] : NULL, parts[1], parts[2],
                          n == 4 && *parts[3] ? parts[3] : NULL);
    return OK;
}

static const struct {
    const char *name;
    enum doc_para_style style;
} styles[] = {
    {"p", DOC_P_BODY},       {"basis", DOC_P_BASIS}, {"heading", DOC_P_HEADING},
    {"center", DOC_P_CENTER}, {"item", DOC_P_ITEM},  {"right", DOC_P_RIGHT},
    {"plain", DOC_P_PLAIN},
};

static enum result directive(struct parser *p, char *name, char *args)
{
    struct doc *d = p->doc;
    struct doc_header *h = &d->header;
    p->in_recipients = false;
    if (strcmp(name, "endtable") == 0) {
        if (!p->table)
            return fail(p, _("@endtable khi không có bảng nào đang mở"));
        p->table = NULL;
        return OK;
    }
    if (p->table)
        return fail(p, _("bảng chưa đóng (thiếu @endtable) trước @%s"), name);
    const char **field = strcmp(name, "parent") == 0       ? &h->parent
                         : strcmp(name, "issuer") == 0     ? &h->issuer
                         : strcmp(name, "number") == 0     ? &h->number
                         : strcmp(name, "place_date") == 0 ? &h->place_date
                         : strcmp(name, "kind") == 0       ? &h->kind
                         : strcmp(name, "subject") == 0    ? &h->subject
                                                           : NULL;
    if (field) {
        *field = *args ? doc_str(d, unescape(args)) : NULL;
        return OK;
    }
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (strcmp(name, styles[i].name) == 0) {
            paragraph(p, styles[i].style, args);
            return OK;
        }
    if (strcmp(name, "landscape") == 0) {
        d->landscape = true;
    } else if (strcmp(name, "font") == 0) {
        int pt = atoi(args);
        if (pt < 12 || pt > 14)
            return fail(p, _("cỡ chữ phải từ 12 đến 14 (Nghị định 30/2020)"));
        d->font_pt = pt;
    } else if (strcmp(name, "table") == 0) {
        return table_start(p, args);
    } else if (strcmp(name, "recipients") == 0) {
        closing(p);
        p->in_recipients = true;
    } else if (strcmp(name, "sign") == 0) {
        return sign(p, args);
    } else if (strcmp(name, "pagebreak") == 0) {
        doc_add_page_break(d);
    } else {
        return fail(p, _("không rõ lệnh @%s"), name);
    }
    return OK;
}

static enum result one_line(struct parser *p, char *line)
{
    char *s = trim(line);
    if (!*s)
        return OK;
    if (*s == '@') {
        char *name = s + 1, *args = name;
        while (*args && *args != ' ' && *args != '\t')
            args++;
        if (*args)
            *args++ = '\0';
        return directive(p, name, trim(args));
    }
    if (p->table) {
        if (*s != '|')
            return fail(p, _("trong bảng, mỗi dòng phải bắt đầu bằng |"));
        return table_row(p, s);
    }
    if (p->in_recipients) {
        doc_closing_recipient(p->doc, closing(p), unescape(s));
        return OK;
    }
    paragraph(p, DOC_P_BODY, s);
    return OK;
}

enum result doc_from_markup(const char *text, size_t len, struct doc **out, struct err *e)
{
    *out = NULL;
    struct parser p = {.doc = doc_new(), .e = e};
    enum result rc = OK;
    if (!text_utf8_valid(text, len))
        rc = err_set(e, E_INVALID, NULL, _("Mẫu văn bản không phải văn bản UTF-8 hợp lệ."));
    else if (memchr(text, '\0', len))
        rc = err_set(e, E_INVALID, NULL, _("Mẫu văn bản có ký tự điều khiển không được phép."));
    size_t start = 0;
    while (rc == OK && start < len) {
        size_t end = start;
        while (end < len && text[end] != '\n')
            end++;
        p.line++;
        if (end - start > MAX_LINE) {
            rc = fail(&p, _("dòng dài quá %d byte"), MAX_LINE);
            break;
        }
        if (p.doc->nblocks >= MAX_BLOCKS) {
            rc = fail(&p, _("văn bản có quá %d đoạn, bảng"), MAX_BLOCKS);
            break;
        }
        char *line = xstrndup(text + start, end - start);
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        for (char *c = line; *c && rc == OK; c++)
            if ((unsigned char)*c < 0x20 && *c != '\t')
                rc = fail(&p, _("có ký tự điều khiển không được phép"));
        if (rc == OK)
            rc = one_line(&p, line);
        free(line);
        start = end + 1;
    }
    if (rc == OK && p.table)
        rc = err_set(e, E_INVALID, NULL, _("Bảng chưa đóng: thiếu @endtable ở cuối mẫu."));
    if (rc != OK) {
        doc_free(p.doc);
        return rc;
    }
    *out = p.doc;
    return OK;
}
