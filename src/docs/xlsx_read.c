/* The .xlsx reader: libzip over the upload in memory, libxml2's streaming
 * reader over each part, every size bounded before and while inflating. This
 * file is its entry and its result: the default limits, the sheet's string
 * pool and public accessors, the workbook's order (which part is the first
 * visible worksheet, where the shared strings are) and xlsx_read, which opens
 * the zip and drives the two sides of the work: xlsx_zip.c, the archive
 * (screening it before anything is inflated, each part as a bounded XML
 * stream), and xlsx_sheet.c, the sheet XML (shared strings, cells). They
 * share only what xlsx_read_int.h declares. */
#include "docs/xlsx_read.h"
#include "docs/xlsx_read_int.h"

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

/* workbook.xml and the relationship parts are small in every real file; a
 * tighter bound keeps what we store from them small too. */
#define META_MAX (16 * MIB)
#define POOL_CHUNK (64 * 1024)

const char empty_text[] = "";

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

char *pool_dup(struct pool *p, const char *s, size_t len)
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

/* ---- workbook: which part is the first sheet -------------------------------------------- */

static zip_int64_t locate(struct ctx *cx, const char *name)
{
    return zip_name_locate(cx->za, name, ZIP_FL_NOCASE);
}

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

/* ---- the whole file --------------------------------------------------------------------- */

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
