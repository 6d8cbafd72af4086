/* The body of a document over pages (pdf_impl.h): paragraphs split between
 * pages by lines (never leaving one line alone at either end), table rows
 * kept whole with the header rows repeated on each page, the closing kept
 * together, page numbers from page 2 on (ND30: not on the first page). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs/pdf_impl.h"
#include "lib/xalloc.h"

#define PARA_AFTER 6.0            /* ND30: at least 6 pt between paragraphs */
#define FIRST_INDENT (12.7 * PDF_MM)
#define BODY_SPACING 1.08         /* lines about 1.2 em apart: "single" in Word */
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define SIGN_SPACE (24 * PDF_MM)  /* room for the signature and the seal */
#define RECIPIENTS_SHARE 0.42     /* of the text width, the rest is the signature's */

static bool at_top(const struct pdf *p)
{
    return p->y <= p->y0 + 0.01;
}

void pdf_new_page(struct pdf *p)
{
    cairo_show_page(p->cr);
    p->page++;
    p->y = p->y0;
    char num[16];
    snprintf(num, sizeof num, "%d", p->page);
    double size = p->font_pt < 13 ? 13 : p->font_pt > 14 ? 14 : p->font_pt; /* ND30: 13–14 */
    PangoLayout *l = pdf_layout_str(p, num, size, 0, p->x1 - p->x0, PANGO_ALIGN_CENTER);
    pdf_show(p, l, p->x0, (p->y0 - pdf_height(l)) / 2); /* centred in the top margin */
    g_object_unref(l);
}

/* ---- paragraphs ---------------------------------------------------------------------------- */

static PangoLayout *para_layout(struct pdf *p, const struct doc_para *para)
{
    struct pdf_text t = {.size = p->font_pt, .width = p->x1 - p->x0, .align = PANGO_ALIGN_LEFT,
                         .spacing = BODY_SPACING};
    switch (para->style) {
    case DOC_P_BASIS:
        t.flags = PDF_ITALIC;
        /* fall through */
    case DOC_P_BODY:
    case DOC_P_ITEM:
        t.justify = true;
        t.indent = FIRST_INDENT;
        break;
    case DOC_P_HEADING:
        t.flags = PDF_BOLD;
        t.justify = true;
        t.indent = FIRST_INDENT;
        break;
    case DOC_P_CENTER:
        t.align = PANGO_ALIGN_CENTER;
        break;
    case DOC_P_RIGHT:
        t.align = PANGO_ALIGN_RIGHT;
        break;
    case DOC_P_PLAIN:
        break;
    }
    return pdf_layout_runs(p, para->runs, para->nruns, &t);
}

struct line {
    PangoLayoutLine *line;
    double top, bottom, baseline, x; /* in the layout */
};

static struct line *layout_lines(PangoLayout *l, size_t *n)
{
    *n = (size_t)pango_layout_get_line_count(l);
    struct line *v = xcalloc(*n ? *n : 1, sizeof *v);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    size_t i = 0;
    do {
        int y0, y1;
        PangoRectangle r;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        pango_layout_iter_get_line_extents(it, NULL, &r);
        v[i].line = pango_layout_iter_get_line_readonly(it);
        v[i].top = pango_units_to_double(y0);
        v[i].bottom = pango_units_to_double(y1);
        v[i].baseline = pango_units_to_double(pango_layout_iter_get_baseline(it));
        v[i].x = pango_units_to_double(r.x);
        i++;
    } while (i < *n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    *n = i;
    return v;
}

/* Lines [from, to) with the first at p->y. */
static void show_lines(struct pdf *p, const struct line *v, size_t from, size_t to)
{
    double off = p->y - v[from].top;
    for (size_t i = from; i < to; i++) {
        cairo_move_to(p->cr, p->x0 + v[i].x, off + v[i].baseline);
        pango_cairo_show_layout_line(p->cr, v[i].line);
    }
    p->y = off + v[to - 1].bottom;
}

/* Sets a paragraph from p->y on, continuing on new pages as needed. follow:
 * the height of a closing that comes next; rather than let the signature
 * stand alone on a page, the paragraph's last lines go over with it. */
static void flow_layout(struct pdf *p, PangoLayout *l, double follow)
{
    size_t n;
    struct line *v = layout_lines(l, &n);
    size_t i = 0;
    while (i < n) {
        size_t k = 0; /* lines that fit here */
        while (i + k < n && p->y + v[i + k].bottom - v[i].top <= p->y1 + 0.01)
            k++;
        if (i + k == n && follow > 0 && !at_top(p) &&
            p->y + v[n - 1].bottom - v[i].top + PARA_AFTER + follow > p->y1 + 0.01) {
            k = n - i >= 4 ? n - i - 2 : 0; /* two lines go over, or all of a short one */
            if (k)
                show_lines(p, v, i, i + k);
            i += k;
            pdf_new_page(p);
            continue;
        }
        if (i + k < n) {
            if (n - i - k == 1 && k >= 3) /* no widow: a second line goes over */
                k--;
            if (k < 2 && !at_top(p)) { /* no orphan: the paragraph starts over there */
                pdf_new_page(p);
                continue;
            }
        }
        if (k == 0)
            k = 1; /* a line taller than a page: set it anyway */
        show_lines(p, v, i, i + k);
        i += k;
        if (i < n)
            pdf_new_page(p);
    }
    free(v);
    p->y += PARA_AFTER;
}

/* ---- tables -------------------------------------------------------------------------------- */

struct row {
    PangoLayout **cells;
    double h;
};

struct table_geom {
    double *x, *w;
};

static void geom_init(struct pdf *p, const struct doc_table *t, struct table_geom *g)
{
    g->x = xcalloc(t->ncols, sizeof *g->x);
    g->w = xcalloc(t->ncols, sizeof *g->w);
    double sum = 0;
    for (size_t c = 0; c < t->ncols; c++)
        sum += t->widths[c];
    double x = p->x0, full = p->x1 - p->x0;
    for (size_t c = 0; c < t->ncols; c++) {
        g->x[c] = x;
        g->w[c] = full * t->widths[c] / sum;
        x += g->w[c];
    }
}

static void geom_free(struct table_geom *g)
{
    free(g->x);
    free(g->w);
}

static void row_build(struct pdf *p, const struct doc_table *t, const struct table_geom *g,
                      size_t r, struct row *row)
{
    bool head = r < t->header_rows;
    row->cells = xcalloc(t->ncols, sizeof *row->cells);
    row->h = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        const struct doc_cell *cell = &t->cells[r * t->ncols + c];
        static const PangoAlignment aligns[] = {PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER,
                                                PANGO_ALIGN_RIGHT};
        struct pdf_text tx = {
            .size = p->font_pt,
            .width = g->w[c] > 2 * CELL_PAD_X + 1 ? g->w[c] - 2 * CELL_PAD_X : 1,
            .align = head ? PANGO_ALIGN_CENTER
                          : aligns[cell->align >= 0 && cell->align <= 2 ? cell->align : 0],
            .flags = head ? PDF_BOLD : 0,
        };
        row->cells[c] = pdf_layout_runs(p, cell->runs, cell->nruns, &tx);
        double h = pdf_height(row->cells[c]) + 2 * CELL_PAD_Y;
        if (h > row->h)
            row->h = h;
    }
}

static void row_free(const struct doc_table *t, struct row *row)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (row->cells[c])
            g_object_unref(row->cells[c]);
    free(row->cells);
}

/* Draws a row at p->y, the borders as one path. In a list (borders) the text
 * is centred vertically, so "STT" sits level with a two-line unit name; a
 * layout table keeps its text at the top, as running text would be. */
static void row_draw(struct pdf *p, const struct doc_table *t, const struct table_geom *g,
                     const struct row *row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        double slack = row->h - pdf_height(row->cells[c]) - 2 * CELL_PAD_Y;
        pdf_show(p, row->cells[c], g->x[c] + CELL_PAD_X,
                 p->y + CELL_PAD_Y + (t->borders ? slack / 2 : 0));
    }
    if (t->borders) {
        cairo_save(p->cr);
        cairo_set_line_width(p->cr, 0.5);
        for (size_t c = 0; c < t->ncols; c++)
            cairo_rectangle(p->cr, g->x[c], p->y, g->w[c], row->h);
        cairo_stroke(p->cr);
        cairo_restore(p->cr);
    }
    p->y += row->h;
}

/* The height a table needs before it can begin: its header and first row. */
static double table_lead(struct pdf *p, const struct doc_table *t)
{
    struct table_geom g;
    geom_init(p, t, &g);
    double h = 0;
    size_t upto = t->header_rows < t->nrows ? t->header_rows + 1 : t->nrows;
    for (size_t r = 0; r < upto; r++) {
        struct row row;
        row_build(p, t, &g, r, &row);
        h += row.h;
        row_free(t, &row);
    }
    geom_free(&g);
    return h;
}

static void flow_table(struct pdf *p, const struct doc_table *t)
{
    if (!t->nrows)
        return;
    struct table_geom g;
    geom_init(p, t, &g);
    size_t nhead = t->header_rows < t->nrows ? t->header_rows : t->nrows;
    struct row *head = xcalloc(nhead ? nhead : 1, sizeof *head);
    double head_h = 0;
    for (size_t r = 0; r < nhead; r++) {
        row_build(p, t, &g, r, &head[r]);
        head_h += head[r].h;
    }
    /* A table of header rows only still prints them. */
    for (size_t r = nhead; r < t->nrows || r == nhead; r++) {
        struct row row = {NULL, 0};
        if (r < t->nrows)
            row_build(p, t, &g, r, &row);
        bool start = r == nhead;
        if (p->y + (start ? head_h : 0) + row.h > p->y1 + 0.01 && !at_top(p)) {
            /* rows are never split: the row goes to the next page, under
             * the header rows again (a row taller than a page is set from
             * the page's top and runs over: nothing better exists) */
            pdf_new_page(p);
            start = true;
        }
        if (start)
            for (size_t k = 0; k < nhead; k++)
                row_draw(p, t, &g, &head[k]);
        if (r >= t->nrows)
            break;
        row_draw(p, t, &g, &row);
        row_free(t, &row);
    }
    for (size_t r = 0; r < nhead; r++)
        row_free(t, &head[r]);
    free(head);
    geom_free(&g);
    p->y += PARA_AFTER;
}

/* ---- the closing --------------------------------------------------------------------------- */

/* A signature block's lines, centred in its column: the unit (a pledge), the
 * prefix and the title in bold caps, room to sign, the name in bold. */
struct sign {
    PangoLayout *l[4]; /* unit, prefix, title, name; NULL when absent */
    double upper, name; /* heights: the lines above the room to sign, the name */
};

static void sign_build(struct pdf *p, const struct doc_signature *s, double w, struct sign *out)
{
    const char *text[4] = {s->unit, s->prefix, s->title, s->name};
    out->upper = out->name = 0;
    for (int i = 0; i < 4; i++) {
        out->l[i] = NULL;
        if (!text[i] || !*text[i])
            continue;
        out->l[i] = pdf_layout_str(p, text[i], p->font_pt, i < 3 ? PDF_BOLD | PDF_CAPS : PDF_BOLD,
                                   w, PANGO_ALIGN_CENTER);
        double h = pdf_height(out->l[i]) + (i == 0 ? 4 : 0); /* the unit stands a little apart */
        if (i < 3)
            out->upper += h;
        else
            out->name = h;
    }
}

/* Draws the block at (x, y); the name goes `upper` below y plus the room to
 * sign, so names on one row share a line whatever stands above them. */
static void sign_draw(struct pdf *p, const struct sign *s, double x, double y, double upper)
{
    double top = y;
    for (int i = 0; i < 3; i++) {
        if (!s->l[i])
            continue;
        pdf_show(p, s->l[i], x, y);
        y += pdf_height(s->l[i]) + (i == 0 ? 4 : 0);
    }
    if (s->l[3])
        pdf_show(p, s->l[3], x, top + upper + SIGN_SPACE);
}

static void sign_free(struct sign *s)
{
    for (int i = 0; i < 4; i++)
        if (s->l[i])
            g_object_unref(s->l[i]);
}

/* "Nơi nhận:" (bold italic 12 pt) and its lines (11 pt, hanging "- "). */
struct recipients {
    PangoLayout *title, *lines;
    double h;
};

static void recipients_build(struct pdf *p, const struct doc_closing *c, double w,
                             struct recipients *out)
{
    memset(out, 0, sizeof *out);
    if (!c->nrecipients)
        return;
    out->title = pdf_layout_str(p, "Nơi nhận:", 12, PDF_BOLD | PDF_ITALIC, w, PANGO_ALIGN_LEFT);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < c->nrecipients; i++) {
        if (i)
            buf_addc(&b, '\n'); /* one Pango paragraph per line: the text has no newlines */
        buf_adds(&b, c->recipients[i]);
    }
    struct doc_run run = {.text = buf_cstr(&b)};
    struct pdf_text t = {.size = 11, .width = w, .align = PANGO_ALIGN_LEFT, .indent = -6};
    out->lines = pdf_layout_runs(p, &run, 1, &t);
    buf_free(&b);
    out->h = pdf_height(out->title) + pdf_height(out->lines);
}

static void recipients_draw(struct pdf *p, const struct recipients *r, double x, double y)
{
    if (!r->title)
        return;
    pdf_show(p, r->title, x, y);
    pdf_show(p, r->lines, x, y + pdf_height(r->title));
}

static void recipients_free(struct recipients *r)
{
    if (r->title) {
        g_object_unref(r->title);
        g_object_unref(r->lines);
    }
}

/* Starts a new page unless h fits below p->y (or we are at a page's top). */
static void need(struct pdf *p, double h)
{
    if (p->y + h > p->y1 + 0.01 && !at_top(p))
        pdf_new_page(p);
}

/* One signature: recipients on the left, the signature on the right, tops
 * level. Several (a pledge, minutes): two to a row, a lone last one centred,
 * then the recipients. */
static double flow_closing(struct pdf *p, const struct doc_closing *c, bool measure)
{
    double full = p->x1 - p->x0, lw = full * RECIPIENTS_SHARE, sw = full - lw, first_h = 0;
    p->y += measure ? 0 : PARA_AFTER;
    if (c->nsignatures <= 1) {
        struct recipients r;
        struct sign s = {{NULL}, 0, 0};
        recipients_build(p, c, lw, &r);
        double sh = 0;
        if (c->nsignatures) {
            sign_build(p, &c->signatures[0], sw, &s);
            sh = s.upper + SIGN_SPACE + s.name;
        }
        first_h = r.h > sh ? r.h : sh;
        if (!measure) {
            need(p, first_h);
            recipients_draw(p, &r, p->x0, p->y);
            if (c->nsignatures)
                sign_draw(p, &s, p->x0 + lw, p->y, s.upper);
            p->y += first_h;
        }
        recipients_free(&r);
        sign_free(&s);
        return first_h;
    }
    double half = full / 2;
    for (size_t i = 0; i < c->nsignatures; i += 2) {
        struct sign a, b = {{NULL}, 0, 0};
        bool pair = i + 1 < c->nsignatures;
        sign_build(p, &c->signatures[i], half, &a);
        if (pair)
            sign_build(p, &c->signatures[i + 1], half, &b);
        double upper = a.upper > b.upper ? a.upper : b.upper;
        double h = upper + SIGN_SPACE + (a.name > b.name ? a.name : b.name);
        if (i == 0)
            first_h = h;
        if (!measure) {
            need(p, h);
            sign_draw(p, &a, pair ? p->x0 : p->x0 + half / 2, p->y, upper);
            if (pair)
                sign_draw(p, &b, p->x0 + half, p->y, upper);
            p->y += h + 2 * PARA_AFTER;
        }
        sign_free(&a);
        sign_free(&b);
        if (measure)
            return first_h;
    }
    struct recipients r;
    recipients_build(p, c, lw, &r);
    if (r.title) {
        need(p, r.h);
        recipients_draw(p, &r, p->x0, p->y);
        p->y += r.h;
    }
    recipients_free(&r);
    return first_h;
}

/* ---- blocks -------------------------------------------------------------------------------- */

/* What of block b must share a page with a heading before it. */
static double lead_height(struct pdf *p, const struct doc_block *b)
{
    switch (b->kind) {
    case DOC_PARA: {
        PangoLayout *l = para_layout(p, &b->u.para);
        size_t n;
        struct line *v = layout_lines(l, &n);
        double h = n ? v[n > 1 ? 1 : 0].bottom - v[0].top : 0; /* two lines: no orphan */
        free(v);
        g_object_unref(l);
        return h;
    }
    case DOC_TABLE:
        return table_lead(p, &b->u.table);
    case DOC_CLOSING:
        return flow_closing(p, &b->u.closing, true);
    case DOC_PAGE_BREAK:
        break;
    }
    return 0;
}

void pdf_flow(struct pdf *p, const struct doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_PARA: {
            PangoLayout *l = para_layout(p, &b->u.para);
            bool before_closing = i + 1 < d->nblocks && d->blocks[i + 1].kind == DOC_CLOSING;
            if (b->u.para.keep_with_next && i + 1 < d->nblocks)
                need(p, pdf_height(l) + PARA_AFTER + lead_height(p, &d->blocks[i + 1]));
            flow_layout(p, l, before_closing ? lead_height(p, &d->blocks[i + 1]) + PARA_AFTER : 0);
            g_object_unref(l);
            break;
        }
        case DOC_TABLE:
            flow_table(p, &b->u.table);
            break;
        case DOC_CLOSING:
            flow_closing(p, &b->u.closing, false);
            break;
        case DOC_PAGE_BREAK:
            if (!at_top(p))
                pdf_new_page(p);
            break;
        }
    }
}
