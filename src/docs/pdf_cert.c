/* Certificates (pdf.h): a Bằng khen or Giấy khen on one A4 landscape page.
 * A double border with ornaments; at the top the quốc hiệu and tiêu ngữ, the
 * issuer; in the middle the kind in large red-brown caps, "TẶNG", the
 * recipient, the detail and the reason; at the bottom left the decision, the
 * golden-book number and a QR code that leads to the public record (so a
 * printed copy can be checked), at the bottom right the place and date and
 * the signature. */
#include <string.h>

#include <qrencode.h>

#include "docs/pdf.h"
#include "docs/pdf_impl.h"
#include "lib/i18n.h"

#define W (297 * PDF_MM)
#define H (210 * PDF_MM)
#define MARGIN (24 * PDF_MM) /* text keeps this far from the paper's edge */
#define QR_SIZE (25 * PDF_MM)
#define QR_QUIET 4           /* modules of white around the code (ISO 18004) */

static const double RED[3] = {0.58, 0.11, 0.07};  /* red-brown: the kind, the frame */
static const double GOLD[3] = {0.76, 0.56, 0.17}; /* the frame's inner line and ornaments */

static void colour(struct pdf *p, const double c[3])
{
    cairo_set_source_rgb(p->cr, c[0], c[1], c[2]);
}

/* ---- checks -------------------------------------------------------------------------------- */

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

static enum result check(const struct doc_certificate *c, struct err *e)
{
    const struct {
        const char *value, *field, *msg;
    } req[] = {
        {c->kind, "kind", N_("Thiếu hình thức khen thưởng (kind).")},
        {c->recipient, "recipient", N_("Thiếu tên người hoặc tập thể được khen (recipient).")},
        {c->reason, "reason", N_("Thiếu thành tích được khen (reason).")},
        {c->decision, "decision", N_("Thiếu số và ngày của quyết định khen thưởng (decision).")},
        {c->signer_title, "signer_title", N_("Thiếu chức vụ của người ký (signer_title).")},
        {c->signer_name, "signer_name", N_("Thiếu họ tên người ký (signer_name).")},
        {c->verify_url, "verify_url", N_("Thiếu địa chỉ tra cứu để in mã QR (verify_url).")},
    };
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (blank(req[i].value))
            return err_set(e, E_INVALID, req[i].field, "%s", _(req[i].msg));
    const struct {
        const char *value, *field;
    } all[] = {
        {c->kind, "kind"},         {c->issuer, "issuer"},
        {c->recipient, "recipient"}, {c->recipient_detail, "recipient_detail"},
        {c->reason, "reason"},     {c->decision, "decision"},
        {c->book_number, "book_number"}, {c->place_date, "place_date"},
        {c->signer_title, "signer_title"}, {c->signer_name, "signer_name"},
        {c->verify_url, "verify_url"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i].value && !g_utf8_validate(all[i].value, -1, NULL))
            return err_set(e, E_INVALID, all[i].field, _("Văn bản không đúng mã UTF-8 (%s)."),
                           all[i].field);
    return OK;
}

/* ---- drawing ------------------------------------------------------------------------------- */

static void diamond(struct pdf *p, double cx, double cy, double r)
{
    cairo_move_to(p->cr, cx, cy - r);
    cairo_line_to(p->cr, cx + r, cy);
    cairo_line_to(p->cr, cx, cy + r);
    cairo_line_to(p->cr, cx - r, cy);
    cairo_close_path(p->cr);
}

/* A chain of small diamonds along the line from (xa, ya) to (xb, yb), evenly
 * spaced so both ends land on a corner. */
static void chain(struct pdf *p, double xa, double ya, double xb, double yb, double step, double r)
{
    double len = xb - xa + yb - ya; /* the line is horizontal or vertical */
    int n = (int)(len / step + 0.5);
    for (int i = 1; i < n; i++) {
        double t = (double)i / n;
        diamond(p, xa + (xb - xa) * t, ya + (yb - ya) * t, r);
    }
}

static void frame(struct pdf *p)
{
    cairo_t *cr = p->cr;
    double o = 9 * PDF_MM, m = 11 * PDF_MM, in = 15 * PDF_MM, band = (m + in) / 2;
    cairo_save(cr);
    colour(p, RED);
    cairo_set_line_width(cr, 3.2);
    cairo_rectangle(cr, o, o, W - 2 * o, H - 2 * o);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.9);
    cairo_rectangle(cr, in, in, W - 2 * in, H - 2 * in);
    cairo_stroke(cr);
    colour(p, GOLD);
    cairo_set_line_width(cr, 0.9);
    cairo_rectangle(cr, m, m, W - 2 * m, H - 2 * m);
    cairo_stroke(cr);
    /* the band between the gold and the inner red line: a chain of diamonds */
    chain(p, band, band, W - band, band, 9, 2.2);
    chain(p, band, H - band, W - band, H - band, 9, 2.2);
    chain(p, band, band, band, H - band, 9, 2.2);
    chain(p, W - band, band, W - band, H - band, 9, 2.2);
    cairo_fill(cr);
    /* corners: a red square on its point holding a gold diamond */
    double corners[4][2] = {{band, band}, {W - band, band}, {band, H - band}, {W - band, H - band}};
    for (int i = 0; i < 4; i++) {
        colour(p, RED);
        diamond(p, corners[i][0], corners[i][1], 9);
        cairo_fill(cr);
        colour(p, GOLD);
        diamond(p, corners[i][0], corners[i][1], 5);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

/* The QR code with its quiet zone, QR_SIZE square, top-left at x, y. */
static void qr_draw(struct pdf *p, const QRcode *qr, double x, double y)
{
    int n = qr->width;
    double m = QR_SIZE / (n + 2 * QR_QUIET);
    cairo_save(p->cr);
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_rectangle(p->cr, x, y, QR_SIZE, QR_SIZE);
    cairo_fill(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    /* one rectangle per run of dark modules (bit 0): a smaller file, and no
     * hairline seams between neighbours in some viewers */
    for (int r = 0; r < n; r++) {
        const unsigned char *row = qr->data + (size_t)r * (size_t)n;
        for (int c = 0; c < n;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && (row[c] & 1))
                c++;
            cairo_rectangle(p->cr, x + (start + QR_QUIET) * m, y + (r + QR_QUIET) * m,
                            (c - start) * m, m);
        }
    }
    cairo_fill(p->cr);
    cairo_restore(p->cr);
}

/* A centred text across [x, x + w], balanced; returns its height. */
static double centred(struct pdf *p, const char *s, double size, unsigned flags, double x,
                      double w, double y, bool draw, double *width_out)
{
    PangoLayout *l = pdf_layout_str(p, s, size, flags, w, PANGO_ALIGN_CENTER);
    pdf_balance(l);
    double bw = pango_units_to_double(pango_layout_get_width(l)), h = pdf_height(l);
    if (draw)
        pdf_show(p, l, x + (w - bw) / 2, y);
    if (width_out)
        *width_out = pdf_width(l);
    g_object_unref(l);
    return h;
}

/* The middle: kind, "TẶNG", recipient, detail, reason, at scale s of their
 * natural sizes. Returns the height (drawing when draw). */
static double middle(struct pdf *p, const struct doc_certificate *c, double s, double y,
                     bool draw)
{
    double x = MARGIN, w = W - 2 * MARGIN, top = y;
    if (draw)
        colour(p, RED);
    y += centred(p, c->kind, 44 * s, PDF_BOLD | PDF_CAPS, x, w, y, draw, NULL) + 10 * s;
    if (draw)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    y += centred(p, "TẶNG", 16 * s, PDF_BOLD, x, w, y, draw, NULL) + 8 * s;
    y += centred(p, c->recipient, 28 * s, PDF_BOLD, x, w, y, draw, NULL) + 4 * s;
    if (!blank(c->recipient_detail))
        y += centred(p, c->recipient_detail, 16 * s, 0, x, w, y, draw, NULL);
    y += 14 * s;
    y += centred(p, c->reason, 17 * s, PDF_ITALIC, x + w * 0.12, w * 0.76, y, draw, NULL);
    return y - top;
}

/* The bottom: on the left the decision, the book number and the QR code, on
 * the right the place and date, the signer's title, room to sign, the name.
 * Built first, so the middle knows how much room it has; drawn after it, so
 * the text reads (and copies) in order. */
struct bottom {
    PangoLayout *decision, *book, *hint, *place_date, *title, *name;
    double lx, ly, qy, rx, ry, top;
};

#define SIGN_SPACE (24 * PDF_MM)

static void bottom_build(struct pdf *p, const struct doc_certificate *c, struct bottom *b)
{
    double base = H - 24 * PDF_MM; /* the name's and the QR code's bottom */
    b->rx = W * 0.52;
    double rw = W - MARGIN - b->rx;
    b->place_date = blank(c->place_date) ? NULL
                                         : pdf_layout_str(p, c->place_date, 14, PDF_ITALIC, rw,
                                                          PANGO_ALIGN_CENTER);
    b->title = pdf_layout_str(p, c->signer_title, 14, PDF_BOLD | PDF_CAPS, rw, PANGO_ALIGN_CENTER);
    b->name = pdf_layout_str(p, c->signer_name, 15, PDF_BOLD, rw, PANGO_ALIGN_CENTER);
    b->ry = base - pdf_height(b->name) - SIGN_SPACE - pdf_height(b->title) -
            (b->place_date ? pdf_height(b->place_date) : 0);

    b->lx = MARGIN + 4 * PDF_MM;
    double lw = b->rx - b->lx - 6 * PDF_MM;
    b->decision = pdf_layout_str(p, c->decision, 13, 0, lw, PANGO_ALIGN_LEFT);
    b->book = blank(c->book_number)
                  ? NULL
                  : pdf_layout_str(p, c->book_number, 13, 0, lw, PANGO_ALIGN_LEFT);
    b->hint = pdf_layout_str(p, _("Quét mã để tra cứu"), 10, PDF_ITALIC, -1, PANGO_ALIGN_LEFT);
    b->qy = base - QR_SIZE;
    b->ly = b->qy - 6 - pdf_height(b->decision) - (b->book ? pdf_height(b->book) : 0);
    if (b->ly > b->ry)
        b->ly = b->ry; /* the decision starts level with the place and date */
    b->top = b->ly < b->ry ? b->ly : b->ry;
}

static void bottom_draw(struct pdf *p, const struct bottom *b, const QRcode *qr)
{
    pdf_show(p, b->decision, b->lx, b->ly);
    if (b->book)
        pdf_show(p, b->book, b->lx, b->ly + pdf_height(b->decision));
    qr_draw(p, qr, b->lx, b->qy);
    pdf_show(p, b->hint, b->lx + QR_SIZE + 4, b->qy + QR_SIZE - pdf_height(b->hint) - 4);
    double y = b->ry;
    if (b->place_date) {
        pdf_show(p, b->place_date, b->rx, y);
        y += pdf_height(b->place_date);
    }
    pdf_show(p, b->title, b->rx, y);
    pdf_show(p, b->name, b->rx, y + pdf_height(b->title) + SIGN_SPACE);
}

static void bottom_free(struct bottom *b)
{
    PangoLayout *all[] = {b->decision, b->book, b->hint, b->place_date, b->title, b->name};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            g_object_unref(all[i]);
}

enum result pdf_certificate(const struct doc_certificate *c, char **data, size_t *len,
                            struct err *e)
{
    *data = NULL;
    *len = 0;
    enum result rc = check(c, e);
    if (rc != OK)
        return rc;
    QRcode *qr = QRcode_encodeString(c->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return err_set(e, E_INVALID, "verify_url",
                       _("Địa chỉ tra cứu quá dài để in thành mã QR (verify_url)."));
    struct pdf p;
    rc = pdf_open(&p, W, H, e);
    if (rc != OK) {
        QRcode_free(qr);
        return rc;
    }
    char *title = g_strconcat(c->kind, " - ", c->recipient, NULL);
    pdf_set_title(&p, title);
    g_free(title);
    frame(&p);

    /* top: quốc hiệu, tiêu ngữ with its rule, the issuer */
    double x = MARGIN, w = W - 2 * MARGIN, y = 22 * PDF_MM, tw;
    y += centred(&p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 14, PDF_BOLD, x, w, y, true, NULL);
    y += centred(&p, "Độc lập - Tự do - Hạnh phúc", 15, PDF_BOLD, x, w, y, true, &tw) + 2;
    pdf_rule(&p, W / 2 - tw / 2, W / 2 + tw / 2, y, 0.7);
    y += 12;
    if (!blank(c->issuer))
        y += centred(&p, c->issuer, 16, PDF_BOLD | PDF_CAPS, x + w * 0.1, w * 0.8, y, true, NULL);

    /* the middle, shrunk until it fits between the issuer and the bottom,
     * then centred in that space */
    struct bottom b;
    bottom_build(&p, c, &b);
    double space_top = y + 10, space = b.top - 10 - space_top;
    double s = 1.0, h = middle(&p, c, s, 0, false);
    while (h > space && s > 0.55) {
        s -= 0.05;
        h = middle(&p, c, s, 0, false);
    }
    middle(&p, c, s, space_top + (h < space ? (space - h) / 2 : 0), true);
    bottom_draw(&p, &b, qr);
    bottom_free(&b);
    QRcode_free(qr);
    return pdf_close(&p, data, len, e);
}
