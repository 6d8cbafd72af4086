/* The sheet XML side of the .xlsx reader: cell references ("C7"), OOXML's
 * _xHHHH_ escapes, the shared-strings table and the worksheet itself, read
 * node by node into the rows and cells of a sheet_impl. It sees parts only
 * as XML streams (xlsx_zip.c) and keeps text in the sheet's pool
 * (xlsx_read.c), so what a cell holds, how a string is decoded and the row,
 * column and cell limits are all decided here. */
#include "docs/xlsx_read.h"
#include "docs/xlsx_read_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

/* Marks a shared string that was too long to keep; refused when a cell uses it. */
static const char too_long_text[] = "";

/* ---- references ------------------------------------------------------------------------- */

void xlsx_cell_ref(size_t row_number, size_t col_index, char out[16])
{
    char letters[16];
    size_t n = 0;
    /* Bijective base 26: A..Z, AA..ZZ, AAA..; 13 letters cover any size_t. */
    size_t c = col_index;
    for (;;) {
        letters[n++] = (char)('A' + c % 26);
        if (c < 26 || n == sizeof letters)
            break;
        c = c / 26 - 1;
    }
    char digits[24];
    size_t d = 0;
    size_t r = row_number;
    do {
        digits[d++] = (char)('0' + r % 10);
        r /= 10;
    } while (r && d < sizeof digits);
    size_t o = 0;
    while (n && o < 15)
        out[o++] = letters[--n];
    while (d && o < 15)
        out[o++] = digits[--d];
    out[o] = '\0';
}

/* Parses the row digits of a reference ("7"), within the Excel grid. */
static bool parse_row_number(const char *s, size_t *row)
{
    size_t r = 0, digits = 0;
    while (*s >= '0' && *s <= '9') {
        r = r * 10 + (size_t)(*s - '0');
        if (++digits > 7)
            return false;
        s++;
    }
    if (*s != '\0' || digits == 0 || r == 0 || r > EXCEL_MAX_ROWS)
        return false;
    *row = r;
    return true;
}

/* Parses "C7" (column letters then row digits, nothing else) within the
 * Excel grid; false for anything else, a reference without digits included. */
static bool parse_ref(const char *s, size_t *col, size_t *row)
{
    size_t c = 0, letters = 0;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        int v = (*s >= 'a' ? *s - 'a' : *s - 'A') + 1;
        c = c * 26 + (size_t)v;
        if (++letters > 3)
            return false;
        s++;
    }
    if (letters == 0 || c > EXCEL_MAX_COLS || !parse_row_number(s, row))
        return false;
    *col = c - 1;
    return true;
}

/* ---- text of strings -------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* OOXML strings escape characters XML cannot hold as _xHHHH_ (Excel writes a
 * carriage return as _x000D_, and a literal "_x" as _x005F_x). Decodes them in
 * place; never lengthens the text (7 bytes become at most 3). NUL and
 * surrogates stay as written. */
static void decode_xstring(struct buf *b)
{
    if (!b->data || !memchr(b->data, '_', b->len))
        return;
    char *s = b->data;
    size_t o = 0;
    for (size_t i = 0; i < b->len;) {
        if (s[i] == '_' && i + 7 <= b->len && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]),
                h3 = hexval(s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                    if (cp < 0x80) {
                        s[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        s[o++] = (char)(0xC0 | cp >> 6);
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        s[o++] = (char)(0xE0 | cp >> 12);
                        s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        s[o++] = s[i++];
    }
    b->len = o;
    s[o] = '\0';
}

/* ---- shared strings --------------------------------------------------------------------- */

static void sst_push(struct sst *t, const char *s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
    }
    t->items[t->n++] = s;
}

static bool is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           type == XML_READER_TYPE_WHITESPACE;
}

/* Appends the value of the current text node to b unless that would pass
 * max; returns false (and leaves b alone) when it would. */
static bool append_text(struct part *p, struct buf *b, size_t max)
{
    const xmlChar *v = xmlTextReaderConstValue(p->xr);
    if (!v)
        return true;
    size_t n = strlen((const char *)v);
    if (n > max || b->len > max - n)
        return false;
    buf_add(b, v, n);
    return true;
}

enum result read_shared_strings(struct ctx *cx, zip_int64_t idx, const char *name,
                                struct pool *pool, struct sst *out)
{
    struct part p;
    enum result rc = part_open(cx, idx, name, cx->lim->max_entry_size, &p);
    if (rc != OK)
        return rc;
    struct buf text = BUF_INIT;
    bool in_si = false, capturing = false, too_long = false;
    int si_depth = -1, capture_depth = -1, rph_depth = -1;
    int r;
    while ((r = part_next(&p)) == 1) {
        int type = xmlTextReaderNodeType(p.xr);
        int depth = xmlTextReaderDepth(p.xr);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *ln = local_name(&p);
            bool empty = xmlTextReaderIsEmptyElement(p.xr) == 1;
            if (!in_si) {
                if (strcmp(ln, "si") == 0) {
                    if (empty) {
                        sst_push(out, empty_text);
                    } else {
                        in_si = true;
                        si_depth = depth;
                        buf_reset(&text);
                        too_long = false;
                    }
                }
            } else if (rph_depth < 0 && !empty) {
                /* rPh holds phonetic guides (furigana), not the visible text. */
                if (strcmp(ln, "rPh") == 0) {
                    rph_depth = depth;
                } else if (strcmp(ln, "t") == 0) {
                    capturing = true;
                    capture_depth = depth;
                }
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (capturing && depth == capture_depth) {
                capturing = false;
            } else if (rph_depth == depth) {
                rph_depth = -1;
            } else if (in_si && depth == si_depth) {
                in_si = false;
                if (too_long) {
                    sst_push(out, too_long_text);
                } else {
                    decode_xstring(&text);
                    if (!text_utf8_valid(buf_cstr(&text), text.len)) {
                        rc = err_set(cx->e, E_INVALID, "",
                                     _("Tệp bảng tính chứa văn bản không phải UTF-8 hợp lệ"));
                        break;
                    }
                    sst_push(out, text.len ? pool_dup(pool, text.data, text.len) : empty_text);
                }
            }
        } else if (capturing && !too_long && is_text_node(type)) {
            if (!append_text(&p, &text, cx->lim->max_cell))
                too_long = true;
        }
    }
    if (rc == OK && r < 0)
        rc = p.rc;
    buf_free(&text);
    part_close(&p);
    return rc;
}

/* ---- the worksheet ---------------------------------------------------------------------- */

enum cell_type { CT_NUMBER, CT_SHARED, CT_STR, CT_INLINE, CT_BOOL, CT_OTHER };

struct sheet_parse {
    struct ctx *cx;
    struct part *p;
    struct sheet_impl *sh;
    const struct sst *sst;
    /* the row being read */
    size_t row_number;
    const char **rowcells;
    size_t rowcap, rowlen;
    size_t next_col;
    /* the cell being read */
    size_t col;
    enum cell_type type;
    struct buf text;
};

static enum result cell_error(struct sheet_parse *sp, enum result code, const char *fmt)
{
    char ref[16];
    xlsx_cell_ref(sp->row_number, sp->col, ref);
    return err_set(sp->cx->e, code, ref, fmt, ref);
}

static enum result end_cell(struct sheet_parse *sp)
{
    const char *value;
    struct buf *t = &sp->text;
    switch (sp->type) {
    case CT_SHARED: {
        const char *s = buf_cstr(t);
        size_t i = 0, digits = 0;
        while (s[i] >= '0' && s[i] <= '9' && digits < 12)
            digits++, i++;
        size_t idx = digits ? (size_t)strtoull(s, NULL, 10) : 0;
        if (digits == 0 || s[i] != '\0' || idx >= sp->sst->n)
            return cell_error(sp, E_INVALID,
                              _("Tệp bảng tính bị hỏng: ô %s trỏ tới chuỗi không tồn tại"));
        value = sp->sst->items[idx];
        if (value == too_long_text)
            return cell_error(sp, E_TOOBIG, _("Nội dung ô %s quá dài"));
        break;
    }
    case CT_BOOL:
        if (strcmp(buf_cstr(t), "1") == 0)
            value = "TRUE";
        else if (strcmp(buf_cstr(t), "0") == 0)
            value = "FALSE";
        else
            value = t->len ? pool_dup(&sp->sh->pool, t->data, t->len) : empty_text;
        break;
    case CT_STR:
    case CT_INLINE:
        decode_xstring(t);
        /* fall through */
    case CT_NUMBER:
    case CT_OTHER:
        if (!text_utf8_valid(buf_cstr(t), t->len))
            return cell_error(sp, E_INVALID, _("Ô %s chứa văn bản không phải UTF-8 hợp lệ"));
        value = t->len ? pool_dup(&sp->sh->pool, t->data, t->len) : empty_text;
        break;
    default:
        value = empty_text;
    }
    if (value[0] == '\0')
        return OK;
    if (sp->col >= sp->cx->lim->max_cols) {
        char ref[16];
        xlsx_cell_ref(sp->row_number, sp->col, ref);
        return err_set(sp->cx->e, E_TOOBIG, ref,
                       _("Ô %s nằm ngoài số cột cho phép (tối đa %zu cột)"), ref,
                       sp->cx->lim->max_cols);
    }
    if (sp->col >= sp->rowcap) {
        size_t cap = sp->rowcap ? sp->rowcap : 32;
        while (cap <= sp->col)
            cap *= 2;
        sp->rowcells = xrealloc(sp->rowcells, cap * sizeof *sp->rowcells);
        sp->rowcap = cap;
    }
    while (sp->rowlen <= sp->col)
        sp->rowcells[sp->rowlen++] = empty_text;
    sp->rowcells[sp->col] = value;
    return OK;
}

static enum result end_row(struct sheet_parse *sp)
{
    struct sheet_impl *sh = sp->sh;
    const struct xlsx_limits *lim = sp->cx->lim;
    size_t n = sp->rowlen;
    if (n == 0)
        return OK;
    if (sh->pub.nrows >= lim->max_rows || n > lim->max_cells ||
        sh->ncells > lim->max_cells - n) {
        size_t first = 0;
        while (first < n && sp->rowcells[first][0] == '\0')
            first++;
        char ref[16];
        xlsx_cell_ref(sp->row_number, first, ref);
        if (sh->pub.nrows >= lim->max_rows)
            return err_set(sp->cx->e, E_TOOBIG, ref,
                           _("Bảng tính có quá nhiều dòng (tối đa %zu dòng), dừng ở ô %s"),
                           lim->max_rows, ref);
        return err_set(sp->cx->e, E_TOOBIG, ref,
                       _("Bảng tính có quá nhiều ô (tối đa %zu ô), dừng ở ô %s"),
                       lim->max_cells, ref);
    }
    if (sh->pub.nrows == sh->rows_cap) {
        sh->rows_cap = sh->rows_cap ? sh->rows_cap * 2 : 64;
        sh->pub.rows = xrealloc(sh->pub.rows, sh->rows_cap * sizeof *sh->pub.rows);
    }
    if (sh->ncells + n > sh->cells_cap) {
        size_t cap = sh->cells_cap ? sh->cells_cap : 1024;
        while (cap < sh->ncells + n)
            cap *= 2;
        sh->cells = xrealloc(sh->cells, cap * sizeof *sh->cells);
        sh->cells_cap = cap;
    }
    memcpy(sh->cells + sh->ncells, sp->rowcells, n * sizeof *sh->cells);
    /* cells is still growing: the row points into it once reading is done. */
    sh->pub.rows[sh->pub.nrows++] = (struct xlsx_row){sp->row_number, n, NULL};
    sh->ncells += n;
    return OK;
}

enum result read_sheet(struct ctx *cx, zip_int64_t idx, const char *name,
                       const struct sst *sst, struct sheet_impl *sh)
{
    struct part p;
    enum result rc = part_open(cx, idx, name, cx->lim->max_entry_size, &p);
    if (rc != OK)
        return rc;
    struct sheet_parse sp = {.cx = cx, .p = &p, .sh = sh, .sst = sst};
    bool in_data = false, in_row = false, in_cell = false, capturing = false;
    int data_depth = -1, row_depth = -1, cell_depth = -1, capture_depth = -1, rph_depth = -1;
    int r;
    while (rc == OK && (r = part_next(&p)) == 1) {
        int type = xmlTextReaderNodeType(p.xr);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *ln = local_name(&p);
            int depth = xmlTextReaderDepth(p.xr);
            bool empty = xmlTextReaderIsEmptyElement(p.xr) == 1;
            if (!in_data) {
                if (strcmp(ln, "sheetData") == 0) {
                    if (empty)
                        break;
                    in_data = true;
                    data_depth = depth;
                }
            } else if (!in_row) {
                if (strcmp(ln, "row") != 0)
                    continue;
                struct attr a[16];
                size_t na = read_attrs(&p, a, 16);
                const char *rn = attr_get(a, na, "r");
                if (rn) {
                    if (!parse_row_number(rn, &sp.row_number)) {
                        rc = err_set(cx->e, E_INVALID, "",
                                     _("Tệp bảng tính bị hỏng: số dòng \"%.20s\" không hợp lệ"),
                                     rn);
                        break;
                    }
                } else if (++sp.row_number > EXCEL_MAX_ROWS) {
                    rc = err_set(cx->e, E_INVALID, "",
                                 _("Tệp bảng tính bị hỏng: quá %u dòng"), EXCEL_MAX_ROWS);
                    break;
                }
                sp.rowlen = 0;
                sp.next_col = 0;
                if (empty)
                    continue;
                in_row = true;
                row_depth = depth;
            } else if (!in_cell) {
                if (strcmp(ln, "c") != 0)
                    continue;
                struct attr a[16];
                size_t na = read_attrs(&p, a, 16);
                const char *ref = attr_get(a, na, "r");
                const char *t = attr_get(a, na, "t");
                if (ref) {
                    size_t row_of_ref;
                    if (!parse_ref(ref, &sp.col, &row_of_ref)) {
                        rc = err_set(cx->e, E_INVALID, "",
                                     _("Tệp bảng tính bị hỏng: tham chiếu ô \"%.20s\" không "
                                       "hợp lệ"),
                                     ref);
                        break;
                    }
                } else if (sp.next_col >= EXCEL_MAX_COLS) {
                    rc = err_set(cx->e, E_INVALID, "",
                                 _("Tệp bảng tính bị hỏng: quá %u cột"), EXCEL_MAX_COLS);
                    break;
                } else {
                    sp.col = sp.next_col;
                }
                sp.next_col = sp.col + 1;
                if (!t || strcmp(t, "n") == 0)
                    sp.type = CT_NUMBER;
                else if (strcmp(t, "s") == 0)
                    sp.type = CT_SHARED;
                else if (strcmp(t, "str") == 0)
                    sp.type = CT_STR;
                else if (strcmp(t, "inlineStr") == 0)
                    sp.type = CT_INLINE;
                else if (strcmp(t, "b") == 0)
                    sp.type = CT_BOOL;
                else
                    sp.type = CT_OTHER;
                buf_reset(&sp.text);
                if (empty)
                    continue; /* a styled blank: nothing to keep */
                in_cell = true;
                cell_depth = depth;
            } else if (rph_depth < 0 && !empty) {
                if (strcmp(ln, "rPh") == 0) {
                    rph_depth = depth;
                } else if (sp.type == CT_INLINE ? strcmp(ln, "t") == 0
                                                : strcmp(ln, "v") == 0) {
                    capturing = true;
                    capture_depth = depth;
                }
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            int depth = xmlTextReaderDepth(p.xr);
            if (capturing && depth == capture_depth) {
                capturing = false;
            } else if (depth == rph_depth) {
                rph_depth = -1;
            } else if (in_cell && depth == cell_depth) {
                in_cell = false;
                rc = end_cell(&sp);
            } else if (in_row && depth == row_depth) {
                in_row = false;
                rc = end_row(&sp);
            } else if (in_data && depth == data_depth) {
                break; /* what follows sheetData (merges, print setup) is not data */
            }
        } else if (capturing && is_text_node(type)) {
            if (!append_text(&p, &sp.text, cx->lim->max_cell)) {
                char ref[16];
                xlsx_cell_ref(sp.row_number, sp.col, ref);
                rc = err_set(cx->e, E_TOOBIG, ref, _("Nội dung ô %s quá dài (tối đa %zu byte)"),
                             ref, cx->lim->max_cell);
            }
        }
    }
    if (rc == OK && r < 0)
        rc = p.rc;
    free(sp.rowcells);
    buf_free(&sp.text);
    part_close(&p);
    return rc;
}
