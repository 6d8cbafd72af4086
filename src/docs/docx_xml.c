/* word/document.xml for the DOCX writer: the ND30 header block, the title,
 * the body blocks and the closing (RULES.md §10). Everything is appended to
 * one buffer in a single pass, so a 1 000-row list costs only its own bytes.
 *
 * Sizes are in twips (1/20 pt) and font sizes in half-points, as
 * WordprocessingML counts them. Elements are written in the order the schema
 * requires: Word refuses a file whose pPr or rPr children are out of order. */
#include "docs/docx_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "lib/xalloc.h"
#include "text/text.h"

#define QUOC_HIEU "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define TIEU_NGU "Độc lập - Tự do - Hạnh phúc"
#define CELL_PAD 108 /* Word's default left and right cell margin */
#define RUN_OPEN_TEXT "<w:t xml:space=\"preserve\">"

/* Run formats. F_CAPS shows the text in capitals (w:caps) where the decree
 * wants them, whatever case a template's author typed. */
enum { F_BOLD = 1, F_ITALIC = 2, F_UNDERLINE = 4, F_CAPS = 8 };

struct dx {
    struct buf *b;
    const struct doc *d;
    long width; /* text width between the margins */
    bool bad;   /* a string was not valid UTF-8 */
};

/* ---- text ------------------------------------------------------------------------------- */

static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == 0x7f || c == 0xc2 ||
           c == 0xef;
}

/* Appends s as XML text. XML 1.0 forbids most control characters and the
 * non-characters U+FFFE/U+FFFF, and Word rejects the whole file over one, so
 * they are dropped (with the C1 controls, which no document wants). Inside a
 * run (in_run) a tab or line feed becomes Word's own tab or break; elsewhere
 * a space. Spans without specials are copied whole. */
static bool escape(struct buf *b, const char *s, bool in_run)
{
    size_t len = strlen(s);
    if (!text_utf8_valid(s, len))
        return false;
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *span = p;
    while (p < end) {
        if (!needs_escape(*p)) {
            p++;
            continue;
        }
        const char *rep = "";
        size_t skip = 1;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\t': rep = in_run ? "</w:t><w:tab/>" RUN_OPEN_TEXT : " "; break;
        case '\n': rep = in_run ? "</w:t><w:br/>" RUN_OPEN_TEXT : " "; break;
        case 0xc2: /* U+0080–U+009F; valid UTF-8, so p[1] exists */
            skip = p[1] <= 0x9f ? 2 : 0;
            break;
        case 0xef: /* U+FFFE, U+FFFF */
            skip = p[1] == 0xbf && p[2] >= 0xbe ? 3 : 0;
            break;
        default: break; /* other C0 controls and DEL: dropped */
        }
        if (!skip) {
            p++;
            continue;
        }
        buf_add(b, span, (size_t)(p - span));
        buf_adds(b, rep);
        p += skip;
        span = p;
    }
    buf_add(b, span, (size_t)(end - span));
    return true;
}

bool docx_xml_text(struct buf *b, const char *s)
{
    return escape(b, s, false);
}

/* ---- measuring ---------------------------------------------------------------------------- */

/* Advance widths of Times New Roman Bold for ' ' … '~' in 1/1000 em (Liberation
 * Serif, LibreOffice's stand-in, has the same metrics). The decree sizes the
 * rules under the issuer and the trích yếu against the line above them, and
 * Word cannot draw "a rule as long as the text", so the writer measures. */
static const unsigned short bold_widths[95] = {
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520};

/* The advance of one code point in 1/1000 em. A Vietnamese letter is as wide
 * as its base letter (the marks sit above or below it). */
static long cp_units(utf8proc_int32_t cp)
{
    if (cp == 0x110 || cp == 0x111) { /* Đ đ have no decomposition */
        cp = cp == 0x110 ? 'D' : 'd';
    } else if (cp >= 0x80) {
        utf8proc_int32_t dec[4];
        if (utf8proc_decompose_char(cp, dec, 4, UTF8PROC_DECOMPOSE, NULL) >= 1)
            cp = dec[0];
    }
    return cp >= 0x20 && cp < 0x7f ? bold_widths[cp - 0x20] : 600;
}

/* Walks the code points of s[0..len): their widths in 1/1000 em, and for
 * each space (when at is not NULL) the offset and width before it. */
static long units_of(const char *s, size_t len, void (*at)(void *, size_t, long), void *arg)
{
    long units = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len, n;
    utf8proc_int32_t cp;
    while (left > 0 && (n = utf8proc_iterate(p, left, &cp)) > 0) {
        if (cp == ' ' && at)
            at(arg, (size_t)(p - (const utf8proc_uint8_t *)s), units);
        units += cp_units(cp);
        p += n;
        left -= n;
    }
    return units;
}

/* 1/1000 em at halfpts in twips: units/1000 em × halfpts/2 pt × 20 twips/pt. */
static long twips(long units, int halfpts)
{
    return units * halfpts / 100;
}

static long bold_width(const char *s, size_t len, int halfpts)
{
    return twips(units_of(s, len, NULL, NULL), halfpts);
}

struct balance {
    long whole, best_w; /* 1/1000 em */
    size_t best;
};

static void try_break(void *arg, size_t at, long before)
{
    struct balance *b = arg;
    long after = b->whole - before - bold_widths[0];
    long w = before > after ? before : after;
    if (w < b->best_w) {
        b->best_w = w;
        b->best = at;
    }
}

/* Where to break s (bold, halfpts) into two lines of about equal length when
 * it does not fit in avail, as offices set "ỦY BAN NHÂN DÂN / TỈNH BẮC NINH"
 * rather than leaving one word on the second line. Returns the offset of the
 * space to break at, or 0 to let the text wrap by itself; *longest gets the
 * longest line. One pass over s. */
static size_t balanced_break(const char *s, int halfpts, long avail, long *longest)
{
    size_t len = strlen(s);
    struct balance b = {.whole = units_of(s, len, NULL, NULL)};
    long whole = twips(b.whole, halfpts);
    *longest = whole < avail ? whole : avail;
    if (whole <= avail || whole > 2 * avail)
        return 0; /* it fits, or takes three lines or more: the wrap is as good as any */
    b.best_w = b.whole;
    units_of(s, len, try_break, &b);
    if (!b.best || twips(b.best_w, halfpts) > avail)
        return 0;
    *longest = twips(b.best_w, halfpts);
    return b.best;
}

/* ---- paragraphs and runs ------------------------------------------------------------------ */

static void text(struct dx *x, const char *s)
{
    if (!escape(x->b, s, true))
        x->bad = true;
}

/* A run of text in fmt; halfpts 0 keeps the style's size. */
static void run(struct dx *x, const char *s, int fmt, int halfpts)
{
    struct buf *b = x->b;
    buf_adds(b, "<w:r>");
    if (fmt || halfpts) {
        buf_adds(b, "<w:rPr>");
        if (fmt & F_BOLD)
            buf_adds(b, "<w:b/>");
        if (fmt & F_ITALIC)
            buf_adds(b, "<w:i/>");
        if (fmt & F_CAPS)
            buf_adds(b, "<w:caps/>");
        if (halfpts)
            buf_printf(b, "<w:sz w:val=\"%d\"/>", halfpts);
        if (fmt & F_UNDERLINE)
            buf_adds(b, "<w:u w:val=\"single\"/>");
        buf_adds(b, "</w:rPr>");
    }
    buf_adds(b, RUN_OPEN_TEXT);
    if (fmt & F_CAPS) {
        /* written in capitals too, not only shown so: a copy-paste, a search
         * or a text extraction reads what the page shows */
        char *up = text_upper(s ? s : "");
        text(x, up);
        free(up);
    } else {
        text(x, s);
    }
    buf_adds(b, "</w:t></w:r>");
}

static void runs(struct dx *x, const struct doc_run *r, size_t n, int extra_fmt)
{
    for (size_t i = 0; i < n; i++)
        run(x, r[i].text,
            extra_fmt | (r[i].bold ? F_BOLD : 0) | (r[i].italic ? F_ITALIC : 0) |
                (r[i].underline ? F_UNDERLINE : 0),
            0);
}

/* Opens a Tight paragraph (header block, title, closing) whose text is set at
 * halfpts (also the height of an empty one). jc NULL keeps the centring;
 * before is spacing in twips; keep holds it on the page of what follows. */
static void tight_open(struct dx *x, const char *jc, int before, int halfpts, bool keep)
{
    struct buf *b = x->b;
    buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"" DOCX_STYLE_TIGHT "\"/>");
    if (keep)
        buf_adds(b, "<w:keepNext/>");
    if (before)
        buf_printf(b, "<w:spacing w:before=\"%d\"/>", before);
    if (jc)
        buf_printf(b, "<w:jc w:val=\"%s\"/>", jc);
    buf_printf(b, "<w:rPr><w:sz w:val=\"%d\"/></w:rPr></w:pPr>", halfpts);
}

/* One line of the header block or the closing: s in fmt at halfpts. A NULL s
 * writes an empty line of that height (room for a signature). */
static void tight_line(struct dx *x, const char *s, int fmt, int halfpts, const char *jc,
                       int before)
{
    tight_open(x, jc, before, halfpts, false);
    if (s)
        run(x, s, fmt, halfpts);
    buf_adds(x->b, "</w:p>");
}

/* A Tight line set in fmt and, when too long for avail, broken in two
 * balanced lines; returns the longest line's width, to size the rule beneath.
 * Measured as bold, text in regular weight breaks a little early, which
 * still reads as a balanced pair. */
static long tight_balanced(struct dx *x, const char *s, int fmt, int halfpts, long avail,
                           int before, bool keep)
{
    long longest;
    size_t at = balanced_break(s, halfpts, avail, &longest);
    tight_open(x, NULL, before, halfpts, keep);
    if (at) {
        char *first = xstrndup(s, at);
        run(x, first, fmt, halfpts);
        free(first);
        buf_adds(x->b, "<w:r><w:br/></w:r>");
        run(x, s + at + 1, fmt, halfpts);
    } else {
        run(x, s, fmt, halfpts);
    }
    buf_adds(x->b, "</w:p>");
    return longest;
}

/* A horizontal rule of len twips, centred in avail: an empty paragraph 4 pt
 * high whose bottom border is the line, so it sits a little below the text
 * above (a top border lands on that text's baseline in LibreOffice). Word and
 * LibreOffice draw paragraph borders alike, unlike drawing shapes. */
static void rule(struct dx *x, long len, long avail, int after)
{
    long ind = (avail - len) / 2;
    if (ind < 0)
        ind = 0;
    buf_printf(x->b,
               "<w:p><w:pPr><w:pStyle w:val=\"" DOCX_STYLE_TIGHT "\"/>"
               "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>"
               "</w:pBdr><w:spacing w:before=\"0\" w:after=\"%d\" w:line=\"80\" "
               "w:lineRule=\"exact\"/><w:ind w:left=\"%ld\" w:right=\"%ld\"/>"
               "<w:rPr><w:sz w:val=\"4\"/></w:rPr></w:pPr></w:p>",
               after, ind, ind);
}

/* The rule under the issuer and under the trích yếu: 1/3 to 1/2 of the
 * line above (RULES.md §10); 2/5 sits in the middle. */
static void short_rule(struct dx *x, long line, long avail, int after)
{
    rule(x, line * 2 / 5, avail, after);
}

/* ---- tables ------------------------------------------------------------------------------- */

static void tbl_open(struct dx *x, const long *cols, size_t n, bool borders)
{
    struct buf *b = x->b;
    long total = 0;
    for (size_t i = 0; i < n; i++)
        total += cols[i];
    buf_printf(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%ld\" w:type=\"dxa\"/>", total);
    const char *v = borders ? "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
                            : "w:val=\"nil\"";
    buf_printf(b,
               "<w:tblBorders><w:top %s/><w:left %s/><w:bottom %s/><w:right %s/>"
               "<w:insideH %s/><w:insideV %s/></w:tblBorders>",
               v, v, v, v, v, v);
    buf_adds(b, "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "<w:gridCol w:w=\"%ld\"/>", cols[i]);
    buf_adds(b, "</w:tblGrid>");
}

static void tc_open(struct dx *x, long w, int span, bool vcenter)
{
    buf_printf(x->b, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/>", w);
    if (span > 1)
        buf_printf(x->b, "<w:gridSpan w:val=\"%d\"/>", span);
    if (vcenter)
        buf_adds(x->b, "<w:vAlign w:val=\"center\"/>");
    buf_adds(x->b, "</w:tcPr>");
}

static void table(struct dx *x, const struct doc_table *t)
{
    if (!t->nrows || !t->ncols)
        return; /* Word rejects a table without rows */
    struct buf *b = x->b;
    long *cols = xmalloc(t->ncols * sizeof *cols), used = 0;
    double sum = 0;
    for (size_t c = 0; c < t->ncols; c++)
        sum += t->widths[c];
    for (size_t c = 0; c < t->ncols; c++) {
        cols[c] = c + 1 < t->ncols ? (long)((double)x->width * t->widths[c] / sum)
                                   : x->width - used;
        used += cols[c];
    }
    tbl_open(x, cols, t->ncols, t->borders);
    for (size_t r = 0; r < t->nrows; r++) {
        bool head = r < t->header_rows;
        /* a row never splits over a page; header rows repeat on each page */
        buf_adds(b, head ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                         : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const struct doc_cell *cell = &t->cells[r * t->ncols + c];
            tc_open(x, cols[c], 1, true);
            buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"" DOCX_STYLE_CELL "\"/>");
            if (head || cell->align == 1)
                buf_adds(b, "<w:jc w:val=\"center\"/>");
            else if (cell->align == 2)
                buf_adds(b, "<w:jc w:val=\"right\"/>");
            buf_adds(b, "</w:pPr>");
            runs(x, cell->runs, cell->nruns, head ? F_BOLD : 0);
            buf_adds(b, "</w:p></w:tc>");
        }
        buf_adds(b, "</w:tr>");
    }
    buf_adds(b, "</w:tbl>");
    free(cols);
}

/* A paragraph after a table so that the next table does not join it (Word
 * merges adjacent tables) and the body does not end in a table. */
static void spacer(struct dx *x, int after)
{
    buf_printf(x->b,
               "<w:p><w:pPr><w:pStyle w:val=\"" DOCX_STYLE_TIGHT "\"/><w:spacing w:before=\"0\" "
               "w:after=\"%d\" w:line=\"120\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"4\"/>"
               "</w:rPr></w:pPr></w:p>",
               after);
}

/* ---- header block and title --------------------------------------------------------------- */

/* ND30 Phụ lục I: a two-column layout table. Row 1: parent body and issuer
 * with its short rule | quốc hiệu and tiêu ngữ with its full rule. Row 2,
 * so the two share a line: "Số: …" (and a công văn's "V/v …") | place and
 * date. The right column is wide enough for the quốc hiệu on one line. */
static void header_block(struct dx *x)
{
    const struct doc_header *h = &x->d->header;
    long right = x->width * 63 / 100;
    if (right < 5900)
        right = 5900;
    long cols[2] = {x->width - right, right};
    long lavail = cols[0] - 2 * CELL_PAD, ravail = cols[1] - 2 * CELL_PAD;
    bool cong_van = !h->kind && h->subject;

    tbl_open(x, cols, 2, false);
    buf_adds(x->b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    tc_open(x, cols[0], 1, false);
    if (h->parent)
        tight_balanced(x, h->parent, F_CAPS, 26, lavail, 0, false);
    if (h->issuer)
        short_rule(x, tight_balanced(x, h->issuer, F_BOLD | F_CAPS, 26, lavail, 0, false),
                   lavail, 0);
    if (!h->parent && !h->issuer)
        tight_line(x, NULL, 0, 26, NULL, 0);
    buf_adds(x->b, "</w:tc>");
    tc_open(x, cols[1], 1, false);
    tight_line(x, QUOC_HIEU, F_BOLD, 26, NULL, 0);
    tight_line(x, TIEU_NGU, F_BOLD, 28, NULL, 0);
    rule(x, bold_width(TIEU_NGU, strlen(TIEU_NGU), 28), ravail, 0);
    buf_adds(x->b, "</w:tc></w:tr>");

    if (h->number || h->place_date || cong_van) {
        buf_adds(x->b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        tc_open(x, cols[0], 1, false);
        if (h->number) {
            tight_open(x, NULL, 120, 26, false);
            run(x, "Số: ", 0, 26);
            run(x, h->number, 0, 26);
            buf_adds(x->b, "</w:p>");
        }
        if (cong_van) /* công văn: trích yếu under the number, 12–13 pt */
            tight_line(x, h->subject, 0, 24, NULL, h->number ? 60 : 120);
        if (!h->number && !cong_van)
            tight_line(x, NULL, 0, 26, NULL, 120);
        buf_adds(x->b, "</w:tc>");
        tc_open(x, cols[1], 1, false);
        if (h->place_date)
            tight_line(x, h->place_date, F_ITALIC, 28, NULL, 120);
        else
            tight_line(x, NULL, 0, 26, NULL, 120);
        buf_adds(x->b, "</w:tc></w:tr>");
    }
    buf_adds(x->b, "</w:tbl>");

    /* the document type, its trích yếu and the rule under them */
    if (h->kind) {
        tight_open(x, NULL, 360, 28, true);
        run(x, h->kind, F_BOLD | F_CAPS, 28);
        buf_adds(x->b, "</w:p>");
        long line;
        if (h->subject)
            line = tight_balanced(x, h->subject, F_BOLD, 28, x->width, 0, true);
        else
            line = bold_width(h->kind, strlen(h->kind), 28);
        short_rule(x, line, x->width, 240);
    } else {
        spacer(x, 240);
    }
}

/* ---- closing ------------------------------------------------------------------------------ */

static void recipients(struct dx *x, const struct doc_closing *c)
{
    tight_line(x, "Nơi nhận:", F_BOLD | F_ITALIC, 24, "left", 0);
    for (size_t i = 0; i < c->nrecipients; i++)
        tight_line(x, c->recipients[i], 0, 22, "left", 0);
}

/* One signature block, centred: the unit (in a pledge), prefix and title in
 * bold caps, four empty lines for the signature and seal, the name in bold. */
static void signature(struct dx *x, const struct doc_signature *s, int before)
{
    if (s->unit) {
        tight_line(x, s->unit, F_BOLD | F_CAPS, 28, NULL, before);
        before = 0;
    }
    if (s->prefix) {
        tight_line(x, s->prefix, F_BOLD | F_CAPS, 28, NULL, before);
        before = 0;
    }
    if (s->title)
        tight_line(x, s->title, F_BOLD | F_CAPS, 28, NULL, before);
    for (int i = 0; i < 4; i++)
        tight_line(x, NULL, 0, 28, NULL, 0);
    if (s->name)
        tight_line(x, s->name, F_BOLD, 28, NULL, 0);
}

/* A borderless table: "Nơi nhận:" on the left, the signature on the right;
 * with several signatures (a pledge, minutes) they go two to a row, an odd
 * last one centred under the others, and the recipients after them. */
static void closing(struct dx *x, const struct doc_closing *c)
{
    struct buf *b = x->b;
    size_t ns = c->nsignatures;
    long cols[2];
    cols[0] = ns > 1 ? x->width / 2 : x->width * 45 / 100;
    cols[1] = x->width - cols[0];
    if (!ns && !c->nrecipients)
        return;
    tbl_open(x, cols, 2, false);
    if (ns <= 1) {
        buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        tc_open(x, cols[0], 1, false);
        if (c->nrecipients)
            recipients(x, c);
        else
            tight_line(x, NULL, 0, 22, NULL, 0);
        buf_adds(b, "</w:tc>");
        tc_open(x, cols[1], 1, false);
        if (ns)
            signature(x, &c->signatures[0], 0);
        else
            tight_line(x, NULL, 0, 22, NULL, 0);
        buf_adds(b, "</w:tc></w:tr></w:tbl>");
        return;
    }
    for (size_t i = 0; i < ns; i += 2) {
        int before = i ? 360 : 0;
        buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        if (i + 1 < ns) {
            tc_open(x, cols[0], 1, false);
            signature(x, &c->signatures[i], before);
            buf_adds(b, "</w:tc>");
            tc_open(x, cols[1], 1, false);
            signature(x, &c->signatures[i + 1], before);
        } else {
            tc_open(x, cols[0] + cols[1], 2, false);
            signature(x, &c->signatures[i], before);
        }
        buf_adds(b, "</w:tc></w:tr>");
    }
    if (c->nrecipients) {
        buf_adds(b, "<w:tr>");
        tc_open(x, cols[0], 1, false);
        tight_open(x, NULL, 240, 22, false);
        buf_adds(b, "</w:p>");
        recipients(x, c);
        buf_adds(b, "</w:tc>");
        tc_open(x, cols[1], 1, false);
        tight_line(x, NULL, 0, 22, NULL, 0);
        buf_adds(b, "</w:tc></w:tr>");
    }
    buf_adds(b, "</w:tbl>");
}

/* ---- the document ------------------------------------------------------------------------- */

static const char *const para_styles[] = {
    [DOC_P_BODY] = "Body",     [DOC_P_BASIS] = "Basis", [DOC_P_HEADING] = "Heading",
    [DOC_P_CENTER] = "Center", [DOC_P_ITEM] = "Item",   [DOC_P_RIGHT] = "Right",
    [DOC_P_PLAIN] = "Plain",
};

/* keep: the paragraph stays on the page of what follows (a heading, or a
 * list's caption right before its table). */
static void para(struct dx *x, const struct doc_para *p, bool keep)
{
    unsigned st = (unsigned)p->style;
    buf_printf(x->b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s</w:pPr>",
               st < sizeof para_styles / sizeof *para_styles && para_styles[st]
                   ? para_styles[st]
                   : "Body",
               keep ? "<w:keepNext/>" : "");
    runs(x, p->runs, p->nruns, 0);
    buf_adds(x->b, "</w:p>");
}

static void section(struct dx *x)
{
    bool land = x->d->landscape;
    buf_printf(x->b,
               "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
               "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>"
               "<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
               "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
               "w:header=\"%d\" w:footer=\"%d\" w:gutter=\"0\"/>"
               "<w:cols w:space=\"720\"/><w:titlePg/></w:sectPr>",
               land ? DOCX_A4_LONG : DOCX_A4_SHORT, land ? DOCX_A4_SHORT : DOCX_A4_LONG,
               land ? " w:orient=\"landscape\"" : "", DOCX_TWIPS(DOC_MARGIN_TOP_MM),
               DOCX_TWIPS(DOC_MARGIN_RIGHT_MM), DOCX_TWIPS(DOC_MARGIN_BOTTOM_MM),
               DOCX_TWIPS(DOC_MARGIN_LEFT_MM), DOCX_TWIPS(10), DOCX_TWIPS(10));
}

bool docx_document_xml(struct buf *b, const struct doc *d)
{
    struct dx x = {.b = b, .d = d};
    x.width = (d->landscape ? DOCX_A4_LONG : DOCX_A4_SHORT) - DOCX_TWIPS(DOC_MARGIN_LEFT_MM) -
              DOCX_TWIPS(DOC_MARGIN_RIGHT_MM);
    buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
                "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                "relationships\"><w:body>");
    header_block(&x);
    bool after_table = false;
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct doc_block *bl = &d->blocks[i];
        if (after_table && bl->kind != DOC_PARA)
            spacer(&x, 120);
        after_table = false;
        switch (bl->kind) {
        case DOC_PARA:
            para(&x, &bl->u.para,
                 bl->u.para.keep_with_next ||
                     (i + 1 < d->nblocks && d->blocks[i + 1].kind == DOC_TABLE));
            break;
        case DOC_TABLE:
            table(&x, &bl->u.table);
            after_table = bl->u.table.nrows > 0;
            break;
        case DOC_CLOSING:
            closing(&x, &bl->u.closing);
            after_table = true;
            break;
        case DOC_PAGE_BREAK:
            buf_adds(b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            break;
        }
    }
    if (after_table)
        spacer(&x, 0);
    section(&x);
    buf_adds(b, "</w:body></w:document>");
    return !x.bad;
}
