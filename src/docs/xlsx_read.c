/* The .xlsx reader: libzip over the upload in memory, libxml2's streaming
 * reader over each part, every size bounded before and while inflating. */
#include "docs/xlsx_read.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

#define MIB ((size_t)1 << 20)
#define EXCEL_MAX_ROWS 1048576u
#define EXCEL_MAX_COLS 16384u
/* workbook.xml and the relationship parts are small in every real file; a
 * tighter bound keeps what we store from them small too. */
#define META_MAX (16 * MIB)
/* Small parts compress extremely well when they are mostly markup; the
 * ratio test only means something for large parts. */
#define RATIO_FLOOR MIB
#define POOL_CHUNK (64 * 1024)

/* No network, no DTD loading, no entity substitution (NOENT is absent on
 * purpose), no error printing (we report errors ourselves), and the encoding
 * declaration ignored so the bytes are always read as UTF-8: that keeps the
 * byte-level DOCTYPE scan in part_read sound. */
#define XML_OPTIONS                                                                           \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |          \
     XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC)

static const char empty_text[] = "";
/* Marks a shared string that was too long to keep; refused when a cell uses it. */
static const char too_long_text[] = "";

struct xlsx_limits xlsx_limits_default(void)
{
    return (struct xlsx_limits){
        .max_entries = 10000,
        .max_entry_size = 256 * MIB,
        .max_total_uncompressed = 512 * MIB,
        .max_ratio = 200,
        .max_rows = EXCEL_MAX_ROWS,
        .max_cols = EXCEL_MAX_COLS,
        .max_cell = 3 * 32767,
        .max_cells = 10000000,
    };
}

/* ---- string storage --------------------------------------------------------------------- */

/* Cells are many and small: one malloc each would dominate a 200 000-row
 * import, so their text lives in large chunks freed together. */
struct pool_chunk {
    struct pool_chunk *next;
    char data[];
};

struct pool {
    struct pool_chunk *chunks;
    char *cur;
    size_t left;
};

static char *pool_dup(struct pool *p, const char *s, size_t len)
{
    size_t need = len + 1;
    if (need > p->left) {
        bool own = need > POOL_CHUNK / 4;
        size_t size = own ? need : POOL_CHUNK;
        struct pool_chunk *c = xmalloc(sizeof *c + size);
        c->next = p->chunks;
        p->chunks = c;
        if (own) {
            /* A big string gets its own chunk so the current one keeps serving small ones. */
            memcpy(c->data, s, len);
            c->data[len] = '\0';
            return c->data;
        }
        p->cur = c->data;
        p->left = size;
    }
    char *r = p->cur;
    memcpy(r, s, len);
    r[len] = '\0';
    p->cur += need;
    p->left -= need;
    return r;
}

static void pool_free(struct pool *p)
{
    while (p->chunks) {
        struct pool_chunk *next = p->chunks->next;
        free(p->chunks);
        p->chunks = next;
    }
}

/* The public sheet is the first member, so xlsx_sheet_free can find the rest. */
struct sheet_impl {
    struct xlsx_sheet pub;
    struct pool pool;
    const char **cells;
    size_t ncells, cells_cap;
    size_t rows_cap;
};

void xlsx_sheet_free(struct xlsx_sheet *sheet)
{
    if (!sheet)
        return;
    struct sheet_impl *sh = (struct sheet_impl *)sheet;
    pool_free(&sh->pool);
    free(sh->cells);
    free(sh->pub.rows);
    free(sh);
}

const char *xlsx_cell(const struct xlsx_row *row, size_t col)
{
    if (!row || col >= row->ncols)
        return empty_text;
    return row->cells[col];
}

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

int xlsx_find_column(const struct xlsx_row *header, const char *name)
{
    if (!header || !name)
        return -1;
    char *want = text_fold(name);
    int found = -1;
    if (want[0] != '\0') {
        for (size_t i = 0; i < header->ncols && i < (size_t)INT32_MAX && found < 0; i++) {
            char *have = text_fold(header->cells[i]);
            if (strcmp(have, want) == 0)
                found = (int)i;
            free(have);
        }
    }
    free(want);
    return found;
}

/* ---- zip parts as XML streams ---------------------------------------------------------- */

struct ctx {
    const struct xlsx_limits *lim;
    struct err *e;
    zip_t *za;
    size_t inflated; /* bytes actually inflated so far, all parts */
};

static const char doctype[] = "<!DOCTYPE";

struct part {
    struct ctx *cx;
    const char *name;
    zip_file_t *zf;
    zip_uint64_t declared;
    zip_uint64_t got;
    size_t limit;
    size_t doctype_match; /* bytes of "<!DOCTYPE" matched at the end of the last read */
    enum result rc;       /* set when a check stops the parse; the error is in cx->e */
    xmlTextReaderPtr xr;
};

static int part_fail(struct part *p, enum result rc)
{
    p->rc = rc;
    return -1;
}

/* libxml2 pulls the part through here, so the sizes are counted as they are
 * inflated: declared sizes can lie, counted bytes cannot. The bytes are also
 * screened: no NUL (which rules out UTF-16 and UTF-32, whose autodetection
 * would hide markup from the scan), an ASCII '<' or blank first, and never a
 * DOCTYPE, which no OOXML part has and which is the door to entity attacks. */
static int part_read(void *arg, char *buffer, int len)
{
    struct part *p = arg;
    struct ctx *cx = p->cx;
    if (p->rc != OK)
        return -1;
    if (len <= 0)
        return 0;
    zip_int64_t n = zip_fread(p->zf, buffer, (zip_uint64_t)len);
    if (n < 0)
        return part_fail(p, err_set(cx->e, E_INVALID, "",
                                    _("Tệp bảng tính bị hỏng: không giải nén được phần %s"),
                                    p->name));
    if (n == 0)
        return 0;
    size_t start = 0;
    if (p->got == 0) {
        const unsigned char *u = (const unsigned char *)buffer;
        if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
            start = 3;
        if ((size_t)n > start && u[start] != '<' && u[start] != ' ' && u[start] != '\t' &&
            u[start] != '\r' && u[start] != '\n')
            return part_fail(p, err_set(cx->e, E_INVALID, "",
                                        _("Tệp bảng tính bị hỏng: phần %s không phải XML "
                                          "UTF-8"),
                                        p->name));
    }
    p->got += (zip_uint64_t)n;
    cx->inflated += (size_t)n;
    if (p->got > p->declared)
        return part_fail(p, err_set(cx->e, E_TOOBIG, "",
                                    _("Tệp .xlsx bị hỏng hoặc độc hại: phần %s giải nén ra "
                                      "nhiều hơn kích thước đã khai báo"),
                                    p->name));
    if (p->got > p->limit || cx->inflated > cx->lim->max_total_uncompressed)
        return part_fail(p, err_set(cx->e, E_TOOBIG, "",
                                    _("Tệp .xlsx khi giải nén quá lớn (phần %s)"), p->name));
    if (memchr(buffer, 0, (size_t)n))
        return part_fail(p, err_set(cx->e, E_INVALID, "",
                                    _("Tệp bảng tính bị hỏng: phần %s không phải XML UTF-8"),
                                    p->name));
    size_t m = p->doctype_match;
    for (size_t i = start; i < (size_t)n; i++) {
        char ch = buffer[i];
        if (ch == doctype[m]) {
            if (++m == sizeof doctype - 1)
                return part_fail(p, err_set(cx->e, E_INVALID, "",
                                            _("Tệp bảng tính chứa khai báo DTD không được "
                                              "phép (phần %s)"),
                                            p->name));
        } else {
            m = ch == '<';
        }
    }
    p->doctype_match = m;
    return (int)n;
}

static void xml_silent(void *arg, xmlErrorPtr error)
{
    (void)arg;
    (void)error;
}

static zip_int64_t locate(struct ctx *cx, const char *name)
{
    return zip_name_locate(cx->za, name, ZIP_FL_NOCASE);
}

static enum result part_open(struct ctx *cx, zip_int64_t idx, const char *name, size_t limit,
                             struct part *p)
{
    memset(p, 0, sizeof *p);
    p->cx = cx;
    p->name = name;
    p->limit = limit < cx->lim->max_entry_size ? limit : cx->lim->max_entry_size;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(cx->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    if (st.size > p->limit)
        return err_set(cx->e, E_TOOBIG, "", _("Tệp .xlsx khi giải nén quá lớn (phần %s)"), name);
    p->declared = st.size;
    p->zf = zip_fopen_index(cx->za, (zip_uint64_t)idx, 0);
    if (!p->zf) {
        int ze = zip_error_code_zip(zip_get_error(cx->za));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            return err_set(cx->e, E_INVALID, "",
                           _("Tệp Excel đang được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên "
                             "lại"));
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    }
    p->xr = xmlReaderForIO(part_read, NULL, p, name, NULL, XML_OPTIONS);
    if (!p->xr) {
        zip_fclose(p->zf);
        p->zf = NULL;
        if (p->rc != OK)
            return p->rc;
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    }
    xmlTextReaderSetStructuredErrorHandler(p->xr, xml_silent, NULL);
    return OK;
}

static void part_close(struct part *p)
{
    if (p->xr)
        xmlFreeTextReader(p->xr);
    if (p->zf)
        zip_fclose(p->zf);
    p->xr = NULL;
    p->zf = NULL;
}

/* Advances to the next node: 1 a node, 0 the end, -1 an error already
 * recorded in the context's err. */
static int part_next(struct part *p)
{
    int r = xmlTextReaderRead(p->xr);
    if (r == 1) {
        int t = xmlTextReaderNodeType(p->xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE ||
            t == XML_READER_TYPE_ENTITY) {
            /* Unreachable past the byte scan; kept so a future change there fails safe. */
            p->rc = err_set(p->cx->e, E_INVALID, "",
                            _("Tệp bảng tính chứa khai báo DTD không được phép (phần %s)"),
                            p->name);
            return -1;
        }
        return 1;
    }
    if (r == 0 && p->rc == OK)
        return 0;
    if (p->rc == OK)
        p->rc = err_set(p->cx->e, E_INVALID, "",
                        _("Tệp bảng tính bị hỏng: không đọc được phần %s"), p->name);
    return -1;
}

static const char *local_name(struct part *p)
{
    const xmlChar *n = xmlTextReaderConstLocalName(p->xr);
    return n ? (const char *)n : "";
}

static bool is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           type == XML_READER_TYPE_WHITESPACE;
}

/* Visits the attributes of the current element: fn(name, value) for each
 * attribute without a namespace, plus namespaced ones with their URI. */
struct attr {
    const char *name;
    const char *ns; /* NULL without a namespace */
    const char *value;
};

static size_t read_attrs(struct part *p, struct attr *out, size_t max)
{
    size_t n = 0;
    if (xmlTextReaderMoveToFirstAttribute(p->xr) != 1)
        return 0;
    do {
        if (n == max)
            break;
        const xmlChar *name = xmlTextReaderConstLocalName(p->xr);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->xr);
        const xmlChar *value = xmlTextReaderConstValue(p->xr);
        /* Namespace declarations are attributes too; they carry no data. */
        if (ns && strcmp((const char *)ns, "http://www.w3.org/2000/xmlns/") == 0)
            continue;
        out[n++] = (struct attr){(const char *)(name ? name : BAD_CAST ""),
                                 (const char *)ns,
                                 (const char *)(value ? value : BAD_CAST "")};
    } while (xmlTextReaderMoveToNextAttribute(p->xr) == 1);
    xmlTextReaderMoveToElement(p->xr);
    return n;
}

/* The value of attribute name without a namespace, or NULL. The pointer is
 * valid until the reader moves. */
static const char *attr_get(const struct attr *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!a[i].ns && strcmp(a[i].name, name) == 0)
            return a[i].value;
    return NULL;
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

struct sst {
    const char **items;
    size_t n, cap;
};

static void sst_push(struct sst *t, const char *s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
    }
    t->items[t->n++] = s;
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

static enum result read_shared_strings(struct ctx *cx, zip_int64_t idx, const char *name,
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

/* ---- workbook: which part is the first sheet -------------------------------------------- */

enum rel_kind { REL_WORKSHEET, REL_SHARED_STRINGS };

struct rel {
    char *id;
    char *target; /* resolved zip path */
    enum rel_kind kind;
};

struct rels {
    struct rel *items;
    size_t n, cap;
};

static void rels_free(struct rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].id);
        free(r->items[i].target);
    }
    free(r->items);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Resolves a relationship target against the folder "xl/": "worksheets/
 * sheet1.xml" and "/xl/worksheets/sheet1.xml" both give
 * "xl/worksheets/sheet1.xml"; "." and ".." segments are applied and can
 * never climb above the root. */
static char *resolve_target(const char *target)
{
    struct buf in = BUF_INIT;
    if (target[0] == '/')
        buf_adds(&in, target + 1);
    else {
        buf_adds(&in, "xl/");
        buf_adds(&in, target);
    }
    struct buf out = BUF_INIT;
    const char *s = buf_cstr(&in);
    while (*s) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            char *last = out.data ? strrchr(out.data, '/') : NULL;
            if (last) {
                out.len = (size_t)(last - out.data);
                out.data[out.len] = '\0';
            } else {
                buf_reset(&out);
            }
        } else {
            if (out.len)
                buf_addc(&out, '/');
            buf_add(&out, s, n);
        }
        s += n;
        if (*s == '/')
            s++;
    }
    buf_free(&in);
    char *r = xstrdup(buf_cstr(&out));
    buf_free(&out);
    return r;
}

static enum result read_workbook_rels(struct ctx *cx, zip_int64_t idx, struct rels *out)
{
    struct part p;
    enum result rc = part_open(cx, idx, "xl/_rels/workbook.xml.rels", META_MAX, &p);
    if (rc != OK)
        return rc;
    int r;
    while ((r = part_next(&p)) == 1) {
        if (xmlTextReaderNodeType(p.xr) != XML_READER_TYPE_ELEMENT ||
            strcmp(local_name(&p), "Relationship") != 0)
            continue;
        struct attr a[8];
        size_t na = read_attrs(&p, a, 8);
        const char *id = attr_get(a, na, "Id");
        const char *type = attr_get(a, na, "Type");
        const char *target = attr_get(a, na, "Target");
        const char *mode = attr_get(a, na, "TargetMode");
        if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
            continue;
        enum rel_kind kind;
        if (ends_with(type, "/worksheet"))
            kind = REL_WORKSHEET;
        else if (ends_with(type, "/sharedStrings"))
            kind = REL_SHARED_STRINGS;
        else
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xrealloc(out->items, out->cap * sizeof *out->items);
        }
        out->items[out->n++] = (struct rel){xstrdup(id), resolve_target(target), kind};
    }
    if (r < 0)
        rc = p.rc;
    part_close(&p);
    return rc;
}

/* Picks the first visible worksheet of workbook.xml (the first hidden one
 * when all are hidden) and returns its zip path and tab name, both NULL when
 * the workbook names no worksheet we can resolve. */
static enum result read_workbook(struct ctx *cx, zip_int64_t idx, const struct rels *rels,
                                 char **path, char **name)
{
    *path = *name = NULL;
    struct part p;
    enum result rc = part_open(cx, idx, "xl/workbook.xml", META_MAX, &p);
    if (rc != OK)
        return rc;
    char *hidden_path = NULL, *hidden_name = NULL;
    int r;
    while ((r = part_next(&p)) == 1) {
        if (xmlTextReaderNodeType(p.xr) != XML_READER_TYPE_ELEMENT ||
            strcmp(local_name(&p), "sheet") != 0)
            continue;
        struct attr a[8];
        size_t na = read_attrs(&p, a, 8);
        const char *rid = NULL;
        for (size_t i = 0; i < na; i++)
            if (a[i].ns && strcmp(a[i].name, "id") == 0 && ends_with(a[i].ns, "/relationships"))
                rid = a[i].value;
        const char *state = attr_get(a, na, "state");
        const char *sheet_name = attr_get(a, na, "name");
        if (!rid)
            continue;
        const struct rel *rel = NULL;
        for (size_t i = 0; i < rels->n && !rel; i++)
            if (rels->items[i].kind == REL_WORKSHEET && strcmp(rels->items[i].id, rid) == 0)
                rel = &rels->items[i];
        if (!rel || locate(cx, rel->target) < 0)
            continue;
        bool hidden = state && strcmp(state, "visible") != 0;
        if (!hidden) {
            *path = xstrdup(rel->target);
            *name = xstrdup(sheet_name ? sheet_name : "");
            break;
        }
        if (!hidden_path) {
            hidden_path = xstrdup(rel->target);
            hidden_name = xstrdup(sheet_name ? sheet_name : "");
        }
    }
    if (r < 0)
        rc = p.rc;
    part_close(&p);
    if (rc == OK && !*path) {
        *path = hidden_path;
        *name = hidden_name;
    } else {
        free(hidden_path);
        free(hidden_name);
    }
    if (rc != OK) {
        free(*path);
        free(*name);
        *path = *name = NULL;
    }
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

static enum result read_sheet(struct ctx *cx, zip_int64_t idx, const char *name,
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

/* ---- the whole file --------------------------------------------------------------------- */

static enum result not_xlsx(struct err *e)
{
    return err_set(e, E_INVALID, "", _("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ"));
}

static bool contains(const unsigned char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (hay[i] == (unsigned char)needle[0] && memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

/* Refuses what is not a zip with a message that tells the person what to do. */
static enum result check_magic(const unsigned char *d, size_t len, struct err *e)
{
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(d, ole2, 8) == 0) {
        /* A password-protected .xlsx is an OLE2 file holding an EncryptedPackage stream. */
        static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
        if (contains(d, len, enc, sizeof enc - 1))
            return err_set(e, E_INVALID, "",
                           _("Tệp Excel đang được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên "
                             "lại"));
        return err_set(e, E_INVALID, "",
                       _("Tệp là bảng tính Excel cũ (.xls); hãy mở bằng Excel và lưu lại dưới "
                         "dạng .xlsx"));
    }
    if (len < 4 || d[0] != 'P' || d[1] != 'K')
        return not_xlsx(e);
    return OK;
}

/* Checks the declared sizes of every entry before anything is inflated, so
 * a bomb is refused for the price of reading the central directory. */
static enum result check_entries(struct ctx *cx)
{
    const struct xlsx_limits *lim = cx->lim;
    zip_int64_t n = zip_get_num_entries(cx->za, 0);
    if (n < 0)
        return not_xlsx(cx->e);
    if ((zip_uint64_t)n > lim->max_entries)
        return err_set(cx->e, E_TOOBIG, "",
                       _("Tệp .xlsx chứa quá nhiều thành phần (%lld, tối đa %zu)"),
                       (long long)n, lim->max_entries);
    zip_uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(cx->za, (zip_uint64_t)i, 0, &st) != 0)
            return not_xlsx(cx->e);
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            return not_xlsx(cx->e);
        const char *name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "?";
        if (st.size > lim->max_entry_size || st.size > lim->max_total_uncompressed - total)
            return err_set(cx->e, E_TOOBIG, "",
                           _("Tệp .xlsx khi giải nén quá lớn (phần %.100s: %llu MB, tối đa "
                             "%zu MB)"),
                           name, (unsigned long long)(st.size / MIB),
                           (st.size > lim->max_entry_size ? lim->max_entry_size
                                                          : lim->max_total_uncompressed) /
                               MIB);
        total += st.size;
        if (st.size > RATIO_FLOOR) {
            zip_uint64_t comp = st.comp_size ? st.comp_size : 1;
            if (st.size / comp >= lim->max_ratio)
                return err_set(cx->e, E_TOOBIG, "",
                               _("Tệp .xlsx có tỉ lệ nén bất thường ở phần %.100s (có thể là "
                                 "tệp độc hại)"),
                               name);
        }
    }
    return OK;
}

static enum result read_zip(struct ctx *cx, struct sheet_impl *sh)
{
    enum result rc = check_entries(cx);
    if (rc != OK)
        return rc;
    zip_int64_t wb = locate(cx, "xl/workbook.xml");
    if (wb < 0) {
        if (locate(cx, "xl/workbook.bin") >= 0)
            return err_set(cx->e, E_INVALID, "",
                           _("Tệp là bảng tính Excel nhị phân (.xlsb); hãy lưu lại dưới dạng "
                             ".xlsx"));
        if (locate(cx, "content.xml") >= 0 && locate(cx, "mimetype") >= 0)
            return err_set(cx->e, E_INVALID, "",
                           _("Tệp là bảng tính OpenDocument (.ods); hãy lưu lại dưới dạng "
                             ".xlsx"));
        return not_xlsx(cx->e);
    }
    struct rels rels = {0};
    char *sheet_path = NULL, *sheet_name = NULL, *sst_path = NULL;
    struct sst sst = {0};
    zip_int64_t ri = locate(cx, "xl/_rels/workbook.xml.rels");
    if (ri >= 0)
        rc = read_workbook_rels(cx, ri, &rels);
    if (rc == OK)
        rc = read_workbook(cx, wb, &rels, &sheet_path, &sheet_name);
    if (rc == OK && !sheet_path && locate(cx, "xl/worksheets/sheet1.xml") >= 0)
        sheet_path = xstrdup("xl/worksheets/sheet1.xml");
    if (rc == OK && !sheet_path)
        rc = err_set(cx->e, E_INVALID, "", _("Bảng tính không có trang tính nào"));
    if (rc == OK) {
        for (size_t i = 0; i < rels.n && !sst_path; i++)
            if (rels.items[i].kind == REL_SHARED_STRINGS && locate(cx, rels.items[i].target) >= 0)
                sst_path = xstrdup(rels.items[i].target);
        if (!sst_path && locate(cx, "xl/sharedStrings.xml") >= 0)
            sst_path = xstrdup("xl/sharedStrings.xml");
        if (sst_path)
            rc = read_shared_strings(cx, locate(cx, sst_path), sst_path, &sh->pool, &sst);
    }
    if (rc == OK) {
        sh->pub.name = pool_dup(&sh->pool, sheet_name ? sheet_name : "",
                                sheet_name ? strlen(sheet_name) : 0);
        rc = read_sheet(cx, locate(cx, sheet_path), sheet_path, &sst, sh);
    }
    free(sst.items);
    free(sst_path);
    free(sheet_path);
    free(sheet_name);
    rels_free(&rels);
    return rc;
}

enum result xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
                      struct xlsx_sheet **out, struct err *e)
{
    *out = NULL;
    struct xlsx_limits defaults = xlsx_limits_default();
    if (!lim)
        lim = &defaults;
    if (!data)
        return not_xlsx(e);
    enum result rc = check_magic(data, len, e);
    if (rc != OK)
        return rc;
    xmlInitParser();
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    if (!src) {
        zip_error_fini(&zerr);
        return not_xlsx(e);
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    zip_error_fini(&zerr);
    if (!za) {
        zip_source_free(src);
        return not_xlsx(e);
    }
    struct ctx cx = {.lim = lim, .e = e, .za = za};
    struct sheet_impl *sh = xcalloc(1, sizeof *sh);
    sh->pub.name = empty_text;
    rc = read_zip(&cx, sh);
    zip_discard(za);
    if (rc != OK) {
        xlsx_sheet_free(&sh->pub);
        return rc;
    }
    /* Growth is over: point each row at its cells. */
    size_t off = 0;
    for (size_t i = 0; i < sh->pub.nrows; i++) {
        sh->pub.rows[i].cells = sh->cells + off;
        off += sh->pub.rows[i].ncols;
    }
    *out = &sh->pub;
    return OK;
}
