/* A document in the state format (Nghị định 30/2020, ../shared/domain/RULES.md
 * §10) as the writers see it: a header, a title, paragraphs of styled runs,
 * tables, and a closing with recipients and signatures. One struct doc is
 * written as DOCX (docx.c) and as PDF (pdf.c), so a document reads the same
 * in Word and on paper. Documents are built from office-editable templates by
 * doc_markup.c; certificates (Bằng khen, Giấy khen) have their own layout in
 * pdf.c (struct doc_certificate).
 *
 * Memory: every string and array hangs off the document's arena; a document
 * is freed with doc_free. All text is UTF-8 NFC without control characters
 * (doc_markup checks; writers may assume it). */
#ifndef TDKT_DOCS_DOC_H
#define TDKT_DOCS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/result.h"

/* A piece of text with one style. */
struct doc_run {
    const char *text;
    bool bold, italic, underline;
};

enum doc_para_style {
    DOC_P_BODY,    /* justified, first line indented 1.27 cm */
    DOC_P_BASIS,   /* căn cứ: italic, justified, first line indented */
    DOC_P_HEADING, /* a section heading ("I. ĐẶC ĐIỂM TÌNH HÌNH"): bold, justified, indented */
    DOC_P_CENTER,  /* centred ("QUYẾT ĐỊNH:", a list's caption) */
    DOC_P_ITEM,    /* a point "a) …" or "- …": justified, indented like the body */
    DOC_P_RIGHT,   /* right-aligned (a note, "Kèm theo Quyết định số …") */
    DOC_P_PLAIN,   /* left-aligned, no indent */
};

struct doc_para {
    enum doc_para_style style;
    struct doc_run *runs;
    size_t nruns;
    bool keep_with_next; /* headings stay with what follows */
};

struct doc_cell {
    struct doc_run *runs;
    size_t nruns;
    int align;            /* 0 left, 1 centre, 2 right */
};

struct doc_table {
    size_t ncols;
    const double *widths;  /* relative column widths, ncols of them (sum any) */
    struct doc_cell *cells; /* nrows × ncols, row by row */
    size_t nrows;
    size_t header_rows;    /* bold, centred, repeated on each page */
    bool borders;          /* a list table (borders) or a layout table (none) */
    size_t next_col;       /* building: the column the next cell goes to */
};

/* A signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH",
 * room for the signature and seal, then the name. */
struct doc_signature {
    const char *prefix;    /* "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC", or NULL */
    const char *title;     /* "CHỦ TỊCH", "PHÓ GIÁM ĐỐC"; caps, bold */
    const char *name;      /* "Nguyễn Văn A" (no academic titles), bold */
    const char *unit;      /* in a pledge: the member unit above its block, or NULL */
};

/* The end of a document: "Nơi nhận:" (or "Kính gửi" documents' list) on the
 * left, the signature on the right; or, for a pledge or minutes, several
 * signature blocks in rows of up to two. */
struct doc_closing {
    const char *const *recipients; /* lines after "Nơi nhận:"; NULL = none */
    size_t nrecipients;
    struct doc_signature *signatures;
    size_t nsignatures;
};

enum doc_block_kind { DOC_PARA, DOC_TABLE, DOC_CLOSING, DOC_PAGE_BREAK };

struct doc_block {
    enum doc_block_kind kind;
    union {
        struct doc_para para;
        struct doc_table table;
        struct doc_closing closing;
    } u;
};

/* The header of every document (ND30 Phụ lục I): on the left the parent body
 * (not bold), the issuer (caps, bold, short rule under it) and "Số: …"; on
 * the right the quốc hiệu, the tiêu ngữ with its full rule, and the place and
 * date line in italics. Then the document type (caps, bold) and the trích
 * yếu (bold) with a short rule, centred. */
struct doc_header {
    const char *parent;       /* "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" or NULL */
    const char *issuer;       /* "SỞ NỘI VỤ" */
    const char *number;       /* "05/QĐ-UBND" (written after "Số: ") or NULL */
    const char *place_date;   /* "Bắc Ninh, ngày 05 tháng 01 năm 2026" */
    const char *kind;         /* "QUYẾT ĐỊNH", "BIÊN BẢN", … or NULL (công văn) */
    const char *subject;      /* trích yếu: "Về việc khen thưởng …" or NULL */
};

struct doc {
    struct arena *arena;
    struct doc_header header;
    bool landscape;           /* A4 landscape (wide tables); portrait otherwise */
    int font_pt;              /* body size: 13 or 14 */
    struct doc_block *blocks;
    size_t nblocks;
};

/* Page geometry shared by both writers, in millimetres (ND30 Art 5 and
 * Phụ lục I: A4; top and bottom 20–25, left 30–35, right 15–20). */
enum { DOC_MARGIN_TOP_MM = 20, DOC_MARGIN_BOTTOM_MM = 20, DOC_MARGIN_LEFT_MM = 30,
       DOC_MARGIN_RIGHT_MM = 15 };

/* Building a document. Strings are copied into the document's arena. */
struct doc *doc_new(void);
void doc_free(struct doc *d);
/* Sets a header field: the string is copied (NULL leaves it NULL). */
const char *doc_str(struct doc *d, const char *s);
struct doc_para *doc_add_para(struct doc *d, enum doc_para_style style);
void doc_para_run(struct doc *d, struct doc_para *p, const char *text, bool bold, bool italic);
struct doc_table *doc_add_table(struct doc *d, size_t ncols, const double *widths,
                                size_t header_rows, bool borders);
/* Appends the next cell, row by row; a new row starts after ncols cells. */
struct doc_cell *doc_table_cell(struct doc *d, struct doc_table *t, const char *text, bool bold,
                                int align);
void doc_cell_run(struct doc *d, struct doc_cell *c, const char *text, bool bold, bool italic);
struct doc_closing *doc_add_closing(struct doc *d);
void doc_closing_recipient(struct doc *d, struct doc_closing *c, const char *line);
void doc_closing_signature(struct doc *d, struct doc_closing *c, const char *prefix,
                           const char *title, const char *name, const char *unit);
void doc_add_page_break(struct doc *d);

/* The plain text of the document as printed, paragraph per line, in reading
 * order (header, title, blocks; table cells separated by tabs; the fields
 * the writers print in capitals in capitals), for tests and previews. Heap
 * string. */
char *doc_plain_text(const struct doc *d);

#endif
