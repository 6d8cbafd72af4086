/* Shared by the PDF writer's files (pdf.c: surface, fonts, text helpers and
 * the header; pdf_layout.c: the flow of blocks over pages; pdf_cert.c:
 * certificates). Not a public interface. All lengths are PDF points (1/72
 * inch); y grows downwards from the top of the page, as in cairo. */
#ifndef TDKT_DOCS_PDF_IMPL_H
#define TDKT_DOCS_PDF_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "docs/doc.h"
#include "lib/buf.h"
#include "lib/result.h"

#define PDF_MM (72.0 / 25.4)
#define PDF_FONT "Liberation Serif"

/* Styles applied to a whole text (runs add their own on top). */
enum { PDF_BOLD = 1, PDF_ITALIC = 2, PDF_CAPS = 4, PDF_UNDERLINE = 8 };

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pc;
    struct buf out;
    double page_w, page_h;
    double x0, x1, y0, y1; /* the text area: left, right, top, bottom */
    double y;              /* where the next block starts */
    int page;              /* 1-based */
    int font_pt;           /* body size */
};

/* Opens a surface of the given size writing into p->out, with a Pango
 * context at 72 dpi and unhinted metrics (widths exactly as the font says,
 * so justification and line breaks do not depend on a device). E_IO with a
 * message when the font is missing. */
enum result pdf_open(struct pdf *p, double page_w, double page_h, struct err *e);
/* Finishes the file (*data and *len on success); always releases everything. */
enum result pdf_close(struct pdf *p, char **data, size_t *len, struct err *e);
void pdf_set_title(struct pdf *p, const char *title);

/* How a text is set. */
struct pdf_text {
    double size;          /* pt */
    double width;         /* wrap width; <= 0: one line per text */
    PangoAlignment align; /* within width */
    bool justify;
    double indent;        /* first line */
    double spacing;       /* line spacing factor (0: the font's own) */
    unsigned flags;       /* PDF_BOLD … for the whole text */
};

/* A layout of runs (the caller unrefs it). */
PangoLayout *pdf_layout_runs(struct pdf *p, const struct doc_run *runs, size_t n,
                             const struct pdf_text *t);
/* A layout of one plain string. */
PangoLayout *pdf_layout_str(struct pdf *p, const char *s, double size, unsigned flags,
                            double width, PangoAlignment align);
/* Narrows a wrapped layout's width as far as it goes without adding a line,
 * so a centred title breaks into even lines ("ỦY BAN NHÂN DÂN / TỈNH BẮC NINH")
 * instead of a full line and a stub. */
void pdf_balance(PangoLayout *l);
double pdf_height(PangoLayout *l);
/* The widest line's ink-free (logical) width. */
double pdf_width(PangoLayout *l);
/* The first line's baseline below the layout's top. */
double pdf_baseline(PangoLayout *l);
/* Draws l with its top-left corner (of the wrap box) at x, y. */
void pdf_show(struct pdf *p, PangoLayout *l, double x, double y);
/* A horizontal rule from xa to xb at y. */
void pdf_rule(struct pdf *p, double xa, double xb, double y, double width);

/* pdf_layout.c: the body, page after page, from p->y on page 1. */
void pdf_flow(struct pdf *p, const struct doc *d);
/* Starts a new page (numbered, from page 2 on). */
void pdf_new_page(struct pdf *p);

#endif
