/* Building documents (doc.h). Blocks, runs and cells grow in heap arrays that
 * doc_free releases; strings live in the document's arena. */
#include "docs/doc.h"

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/xalloc.h"
#include "text/text.h"

/* Grows a heap array by one element of size sz; returns the new element. */
static void *grow(void **arr, size_t *n, size_t sz)
{
    if ((*n & (*n - 1)) == 0) /* at 0, 1, 2, 4, 8 …: double */
        *arr = xrealloc(*arr, (*n ? *n * 2 : 1) * sz);
    void *el = (char *)*arr + *n * sz;
    memset(el, 0, sz);
    (*n)++;
    return el;
}

struct doc *doc_new(void)
{
    struct arena *a = arena_new();
    struct doc *d = arena_alloc(a, sizeof *d);
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->font_pt = 14;
    return d;
}

static void runs_free(struct doc_run *runs)
{
    free(runs);
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++) {
        struct doc_block *b = &d->blocks[i];
        if (b->kind == DOC_PARA) {
            runs_free(b->u.para.runs);
        } else if (b->kind == DOC_TABLE) {
            for (size_t c = 0; c < b->u.table.nrows * b->u.table.ncols; c++)
                runs_free(b->u.table.cells[c].runs);
            free(b->u.table.cells);
        } else if (b->kind == DOC_CLOSING) {
            free((void *)b->u.closing.recipients);
            free(b->u.closing.signatures);
        }
    }
    free(d->blocks);
    arena_free(d->arena);
}

const char *doc_str(struct doc *d, const char *s)
{
    return s ? arena_strdup(d->arena, s) : NULL;
}

static struct doc_block *add_block(struct doc *d, enum doc_block_kind kind)
{
    struct doc_block *b = grow((void **)&d->blocks, &d->nblocks, sizeof *b);
    b->kind = kind;
    return b;
}

struct doc_para *doc_add_para(struct doc *d, enum doc_para_style style)
{
    struct doc_block *b = add_block(d, DOC_PARA);
    b->u.para.style = style;
    b->u.para.keep_with_next = style == DOC_P_HEADING;
    return &b->u.para;
}

static void add_run(struct doc *d, struct doc_run **runs, size_t *n, const char *text, bool bold,
                    bool italic)
{
    struct doc_run *r = grow((void **)runs, n, sizeof *r);
    r->text = arena_strdup(d->arena, text ? text : "");
    r->bold = bold;
    r->italic = italic;
}

void doc_para_run(struct doc *d, struct doc_para *p, const char *text, bool bold, bool italic)
{
    add_run(d, &p->runs, &p->nruns, text, bold, italic);
}

struct doc_table *doc_add_table(struct doc *d, size_t ncols, const double *widths,
                                size_t header_rows, bool borders)
{
    struct doc_block *b = add_block(d, DOC_TABLE);
    struct doc_table *t = &b->u.table;
    t->ncols = ncols ? ncols : 1;
    double *w = arena_alloc(d->arena, t->ncols * sizeof *w);
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = widths && widths[i] > 0 ? widths[i] : 1.0;
    t->widths = w;
    t->header_rows = header_rows;
    t->borders = borders;
    return t;
}

struct doc_cell *doc_table_cell(struct doc *d, struct doc_table *t, const char *text, bool bold,
                                int align)
{
    /* cells grow a row at a time */
    struct doc_cell *c;
    if (t->nrows == 0 || t->next_col == t->ncols) {
        t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
        memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
        t->nrows++;
        t->next_col = 0;
    }
    c = &t->cells[(t->nrows - 1) * t->ncols + t->next_col++];
    c->align = align;
    if (text)
        doc_cell_run(d, c, text, bold, false);
    return c;
}

void doc_cell_run(struct doc *d, struct doc_cell *c, const char *text, bool bold, bool italic)
{
    add_run(d, &c->runs, &c->nruns, text, bold, italic);
}

struct doc_closing *doc_add_closing(struct doc *d)
{
    return &add_block(d, DOC_CLOSING)->u.closing;
}

void doc_closing_recipient(struct doc *d, struct doc_closing *c, const char *line)
{
    const char **slot = grow((void **)&c->recipients, &c->nrecipients, sizeof *slot);
    *slot = arena_strdup(d->arena, line);
}

void doc_closing_signature(struct doc *d, struct doc_closing *c, const char *prefix,
                           const char *title, const char *name, const char *unit)
{
    struct doc_signature *s = grow((void **)&c->signatures, &c->nsignatures, sizeof *s);
    s->prefix = doc_str(d, prefix);
    s->title = doc_str(d, title);
    s->name = doc_str(d, name);
    s->unit = doc_str(d, unit);
}

void doc_add_page_break(struct doc *d)
{
    add_block(d, DOC_PAGE_BREAK);
}

static void runs_text(struct buf *b, const struct doc_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_adds(b, runs[i].text);
}

static void line(struct buf *b, const char *s)
{
    if (s && *s) {
        buf_adds(b, s);
        buf_addc(b, '\n');
    }
}

/* A line the writers print in capitals (ND30: issuer, kind, signature titles). */
static void caps_line(struct buf *b, const char *s)
{
    if (s && *s) {
        char *up = text_upper(s);
        line(b, up);
        free(up);
    }
}

char *doc_plain_text(const struct doc *d)
{
    struct buf b = BUF_INIT;
    const struct doc_header *h = &d->header;
    caps_line(&b, h->parent);
    caps_line(&b, h->issuer);
    if (h->number) {
        buf_adds(&b, "Số: ");
        line(&b, h->number);
    }
    line(&b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    line(&b, "Độc lập - Tự do - Hạnh phúc");
    line(&b, h->place_date);
    caps_line(&b, h->kind);
    line(&b, h->subject);
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct doc_block *bl = &d->blocks[i];
        if (bl->kind == DOC_PARA) {
            runs_text(&b, bl->u.para.runs, bl->u.para.nruns);
            buf_addc(&b, '\n');
        } else if (bl->kind == DOC_TABLE) {
            const struct doc_table *t = &bl->u.table;
            for (size_t r = 0; r < t->nrows; r++) {
                for (size_t c = 0; c < t->ncols; c++) {
                    if (c)
                        buf_addc(&b, '\t');
                    const struct doc_cell *cell = &t->cells[r * t->ncols + c];
                    runs_text(&b, cell->runs, cell->nruns);
                }
                buf_addc(&b, '\n');
            }
        } else if (bl->kind == DOC_CLOSING) {
            const struct doc_closing *c = &bl->u.closing;
            if (c->nrecipients)
                line(&b, "Nơi nhận:");
            for (size_t k = 0; k < c->nrecipients; k++)
                line(&b, c->recipients[k]);
            for (size_t k = 0; k < c->nsignatures; k++) {
                caps_line(&b, c->signatures[k].unit);
                caps_line(&b, c->signatures[k].prefix);
                caps_line(&b, c->signatures[k].title);
                line(&b, c->signatures[k].name);
            }
        }
    }
    return buf_detach(&b);
}
