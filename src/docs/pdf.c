/* PDF output (pdf.h): the cairo surface writing into memory, the Pango
 * context and text helpers every layout uses, the header of a document
 * (ND30 Phụ lục I) and pdf_write. The body's flow over pages is in
 * pdf_layout.c, certificates in pdf_cert.c. */
#include "docs/pdf.h"

#include <limits.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "docs/pdf_impl.h"
#include "lib/i18n.h"

#define QUOC_HIEU "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define TIEU_NGU "Độc lập - Tự do - Hạnh phúc"

/* ---- surface and context ------------------------------------------------------------------ */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    buf_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* True when Pango really gives us the family asked for: fontconfig would
 * otherwise substitute the nearest serif face, whose other widths would move
 * every line break away from what Word shows for Times New Roman. */
static bool font_present(PangoContext *pc)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, PDF_FONT);
    pango_font_description_set_size(fd, 12 * PANGO_SCALE);
    PangoFont *f = pango_context_load_font(pc, fd);
    pango_font_description_free(fd);
    if (!f)
        return false;
    PangoFontDescription *got = pango_font_describe(f);
    const char *family = pango_font_description_get_family(got);
    bool ok = family && g_ascii_strcasecmp(family, PDF_FONT) == 0;
    pango_font_description_free(got);
    g_object_unref(f);
    return ok;
}

enum result pdf_open(struct pdf *p, double page_w, double page_h, struct err *e)
{
    memset(p, 0, sizeof *p);
    /* Pango's default font map is per thread, so concurrent writers never
     * share one, and each thread keeps its loaded fonts between files. */
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    p->pc = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(p->pc, 72.0); /* sizes in pt = user units */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(p->pc, FALSE);
    if (!font_present(p->pc)) {
        g_object_unref(p->pc);
        p->pc = NULL;
        return err_set(e, E_IO, "",
                       _("Máy chủ thiếu phông chữ %s (gói fonts-liberation2), không tạo được PDF."),
                       PDF_FONT);
    }
    p->surface = cairo_pdf_surface_create_for_stream(write_out, &p->out, page_w, page_h);
    p->cr = cairo_create(p->surface);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "tdkt");
    p->page_w = page_w;
    p->page_h = page_h;
    p->page = 1;
    return OK;
}

void pdf_set_title(struct pdf *p, const char *title)
{
    if (title && *title)
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
}

enum result pdf_close(struct pdf *p, char **data, size_t *len, struct err *e)
{
    cairo_show_page(p->cr);
    cairo_status_t st = cairo_status(p->cr);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(p->surface);
    cairo_surface_destroy(p->surface);
    g_object_unref(p->pc);
    if (st != CAIRO_STATUS_SUCCESS) {
        buf_free(&p->out);
        return err_set(e, E_IO, "", _("Không tạo được tệp PDF (%s)."),
                       cairo_status_to_string(st));
    }
    *len = p->out.len;
    *data = buf_detach(&p->out);
    return OK;
}

void pdf_release_caches(void)
{
    /* Only this thread's font map. cairo_debug_reset_static_data() and
     * FcFini() would free the rest, but they assert that nothing is still in
     * use, and cairo's scaled-font cache does not always say so at once: a
     * CLI run then died on that assertion about one time in four. Those
     * process-wide caches stay until exit (tests/lsan.supp names them). */
    pango_cairo_font_map_set_default(NULL);
}

/* ---- text ---------------------------------------------------------------------------------- */

static void attr_add(PangoAttrList *list, PangoAttribute *a, size_t start, size_t end)
{
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    pango_attr_list_insert(list, a);
}

PangoLayout *pdf_layout_runs(struct pdf *p, const struct doc_run *runs, size_t n,
                             const struct pdf_text *t)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoAttrList *attrs = pango_attr_list_new();
    struct buf text = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *s = runs[i].text ? runs[i].text : "";
        /* Upper-casing changes byte lengths, so it happens per run, before
         * the run's attribute range is known. */
        char *up = (t->flags & PDF_CAPS) ? g_utf8_strup(s, -1) : NULL;
        size_t start = text.len;
        buf_adds(&text, up ? up : s);
        g_free(up);
        if (text.len == start || text.len > INT_MAX)
            continue;
        if (runs[i].bold)
            attr_add(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, text.len);
        if (runs[i].italic)
            attr_add(attrs, pango_attr_style_new(PANGO_STYLE_ITALIC), start, text.len);
        if (runs[i].underline)
            attr_add(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, text.len);
    }
    if (t->flags & PDF_UNDERLINE)
        attr_add(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), 0, text.len);

    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, PDF_FONT);
    pango_font_description_set_size(fd, (gint)(t->size * PANGO_SCALE + 0.5));
    if (t->flags & PDF_BOLD)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (t->flags & PDF_ITALIC)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);

    pango_layout_set_text(l, buf_cstr(&text), text.len > INT_MAX ? INT_MAX : (int)text.len);
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    buf_free(&text);
    if (t->width > 0) {
        pango_layout_set_width(l, pango_units_from_double(t->width));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR); /* a long code still fits */
        pango_layout_set_alignment(l, t->align);
        pango_layout_set_justify(l, t->justify);
    }
    if (t->indent)
        pango_layout_set_indent(l, pango_units_from_double(t->indent));
    if (t->spacing > 0)
        pango_layout_set_line_spacing(l, (float)t->spacing);
    return l;
}

PangoLayout *pdf_layout_str(struct pdf *p, const char *s, double size, unsigned flags,
                            double width, PangoAlignment align)
{
    struct doc_run run = {.text = s};
    struct pdf_text t = {.size = size, .width = width, .align = align, .flags = flags};
    return pdf_layout_runs(p, &run, 1, &t);
}

void pdf_balance(PangoLayout *l)
{
    int n = pango_layout_get_line_count(l);
    int hi = pango_layout_get_width(l);
    if (n < 2 || hi <= 0)
        return;
    int lo = hi / n - 1;
    /* the narrowest width (to 1/4 pt) that keeps the same number of lines */
    while (hi - lo > PANGO_SCALE / 4) {
        int mid = lo + (hi - lo) / 2;
        pango_layout_set_width(l, mid);
        if (pango_layout_get_line_count(l) <= n)
            hi = mid;
        else
            lo = mid;
    }
    pango_layout_set_width(l, hi);
}

double pdf_height(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return pango_units_to_double(r.height);
}

double pdf_width(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return pango_units_to_double(r.width);
}

double pdf_baseline(PangoLayout *l)
{
    return pango_units_to_double(pango_layout_get_baseline(l));
}

/* The wrap box's width: the set width, or the text's own for a layout that
 * does not wrap. */
static double box_width(PangoLayout *l)
{
    int w = pango_layout_get_width(l);
    return w > 0 ? pango_units_to_double(w) : pdf_width(l);
}

void pdf_show(struct pdf *p, PangoLayout *l, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* Draws l centred in the column [x, x + w]: after pdf_balance the wrap box
 * is narrower than the column. */
static void show_centred(struct pdf *p, PangoLayout *l, double x, double w, double y)
{
    pdf_show(p, l, x + (w - box_width(l)) / 2, y);
}

void pdf_rule(struct pdf *p, double xa, double xb, double y, double width)
{
    cairo_save(p->cr);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, xa, y);
    cairo_line_to(p->cr, xb, y);
    cairo_stroke(p->cr);
    cairo_restore(p->cr);
}

/* The widest line's logical width, and the centre of the layout's lines
 * relative to the wrap box's left edge (lines are centred, so one centre). */
static void lines_span(PangoLayout *l, double *width, double *centre)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    *width = pango_units_to_double(r.width);
    *centre = pango_units_to_double(r.x) + *width / 2;
}

/* A rule centred under the layout drawn at (x, y), `frac` of its widest
 * line long, `gap` below its last line. Returns the rule's y. */
static double rule_under(struct pdf *p, PangoLayout *l, double x, double y, double frac,
                         double gap)
{
    double w, c;
    lines_span(l, &w, &c);
    double ry = y + pdf_height(l) + gap;
    pdf_rule(p, x + c - w * frac / 2, x + c + w * frac / 2, ry, 0.6);
    return ry;
}

/* ---- the header ---------------------------------------------------------------------------- */

/* Lays out one centred header text in a column: balanced lines. */
static PangoLayout *header_text(struct pdf *p, const char *s, double size, unsigned flags,
                                double width)
{
    PangoLayout *l = pdf_layout_str(p, s, size, flags, width, PANGO_ALIGN_CENTER);
    pdf_balance(l);
    return l;
}

/* ND30 Phụ lục I: two columns. Left: the parent body (caps, not bold), the
 * issuer (caps, bold, a rule of 1/3–1/2 its length), then "Số: …". Right:
 * the quốc hiệu, the tiêu ngữ with a rule as long as itself, then the place
 * and date in italics on the same line as the number. A công văn (no kind)
 * has its "V/v …" under the number. Returns the y below the header. */
static double draw_header(struct pdf *p, const struct doc_header *h)
{
    /* The columns keep their portrait widths on a landscape page: the
     * header reads the same, the right one moves to the right margin. */
    double text_w = (210 - DOC_MARGIN_LEFT_MM - DOC_MARGIN_RIGHT_MM) * PDF_MM;
    PangoLayout *qh = pdf_layout_str(p, QUOC_HIEU, 13, PDF_BOLD, -1, PANGO_ALIGN_LEFT);
    double rw = text_w * 0.6;
    if (pdf_width(qh) + 6 > rw)
        rw = pdf_width(qh) + 6;
    double lw = text_w - rw, lx = p->x0, rx = p->x1 - rw;

    /* left column */
    double ly = p->y0;
    if (h->parent && *h->parent) {
        PangoLayout *l = header_text(p, h->parent, 13, PDF_CAPS, lw);
        show_centred(p, l, lx, lw, ly);
        ly += pdf_height(l);
        g_object_unref(l);
    }
    if (h->issuer && *h->issuer) {
        PangoLayout *l = header_text(p, h->issuer, 13, PDF_BOLD | PDF_CAPS, lw);
        double x = lx + (lw - box_width(l)) / 2;
        pdf_show(p, l, x, ly);
        /* the rule measures the issuer's last line, as in the model */
        int nlines = pango_layout_get_line_count(l);
        PangoRectangle r;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(l, nlines - 1), NULL, &r);
        double len = pango_units_to_double(r.width) * 0.4, cx = lx + lw / 2;
        ly = ly + pdf_height(l) + 2;
        pdf_rule(p, cx - len / 2, cx + len / 2, ly, 0.6);
        g_object_unref(l);
    }

    /* right column */
    double ry = p->y0;
    show_centred(p, qh, rx, rw, ry);
    ry += pdf_height(qh);
    g_object_unref(qh);
    PangoLayout *tn = pdf_layout_str(p, TIEU_NGU, 14, PDF_BOLD, rw, PANGO_ALIGN_CENTER);
    pdf_show(p, tn, rx, ry);
    ry = rule_under(p, tn, rx, ry, 1.0, 2);
    g_object_unref(tn);

    /* the number and the place-date share a baseline */
    double row = (ly > ry ? ly : ry) + 10, bottom = row;
    PangoLayout *num = NULL, *pd = NULL;
    if (h->number && *h->number) {
        char *s = g_strconcat("Số: ", h->number, NULL);
        num = header_text(p, s, 13, 0, lw);
        g_free(s);
    }
    if (h->place_date && *h->place_date)
        pd = header_text(p, h->place_date, 14, PDF_ITALIC, rw);
    double base = 0;
    if (num)
        base = pdf_baseline(num);
    if (pd && pdf_baseline(pd) > base)
        base = pdf_baseline(pd);
    if (num) {
        double y = row + base - pdf_baseline(num);
        show_centred(p, num, lx, lw, y);
        bottom = y + pdf_height(num);
        g_object_unref(num);
    }
    if (h->subject && *h->subject && !(h->kind && *h->kind)) {
        PangoLayout *vv = header_text(p, h->subject, 12, 0, lw);
        show_centred(p, vv, lx, lw, bottom + 2);
        bottom += 2 + pdf_height(vv);
        g_object_unref(vv);
    }
    if (pd) {
        double y = row + base - pdf_baseline(pd);
        show_centred(p, pd, rx, rw, y);
        if (y + pdf_height(pd) > bottom)
            bottom = y + pdf_height(pd);
        g_object_unref(pd);
    }

    /* the title: kind, trích yếu, a short rule */
    if (h->kind && *h->kind) {
        double full = p->x1 - p->x0, y = bottom + 18;
        PangoLayout *k = header_text(p, h->kind, 14, PDF_BOLD | PDF_CAPS, full);
        show_centred(p, k, p->x0, full, y);
        y += pdf_height(k);
        PangoLayout *under = k;
        double under_x = p->x0 + (full - box_width(k)) / 2, under_y = y - pdf_height(k);
        PangoLayout *s = NULL;
        if (h->subject && *h->subject) {
            s = header_text(p, h->subject, 14, PDF_BOLD, full * 0.85);
            under_x = p->x0 + (full - box_width(s)) / 2;
            under_y = y;
            pdf_show(p, s, under_x, y);
            under = s;
        }
        bottom = rule_under(p, under, under_x, under_y, 0.4, 2);
        if (s)
            g_object_unref(s);
        g_object_unref(k);
    }
    return bottom + 14;
}

/* ---- pdf_write ----------------------------------------------------------------------------- */

enum result pdf_write(const struct doc *d, char **data, size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    int pt = d->font_pt ? d->font_pt : 14;
    if (pt < 8 || pt > 24)
        return err_set(e, E_INVALID, "font_pt", _("Cỡ chữ nội dung phải từ 8 đến 24 pt."));
    double w = 210 * PDF_MM, h = 297 * PDF_MM;
    struct pdf p;
    enum result rc = pdf_open(&p, d->landscape ? h : w, d->landscape ? w : h, e);
    if (rc != OK)
        return rc;
    p.font_pt = pt;
    p.x0 = DOC_MARGIN_LEFT_MM * PDF_MM;
    p.x1 = p.page_w - DOC_MARGIN_RIGHT_MM * PDF_MM;
    p.y0 = DOC_MARGIN_TOP_MM * PDF_MM;
    p.y1 = p.page_h - DOC_MARGIN_BOTTOM_MM * PDF_MM;
    if (d->header.kind || d->header.subject) {
        char *title = g_strjoin(" ", d->header.kind ? d->header.kind : "",
                                d->header.subject ? d->header.subject : "", NULL);
        pdf_set_title(&p, g_strstrip(title));
        g_free(title);
    }
    p.y = draw_header(&p, &d->header);
    pdf_flow(&p, d);
    return pdf_close(&p, data, len, e);
}
