/* Internal to the DOCX writer (docx.c packages, docx_xml.c writes the body):
 * not for other callers, which use docx.h. */
#ifndef TDKT_DOCS_DOCX_XML_H
#define TDKT_DOCS_DOCX_XML_H

#include <stdbool.h>

#include "docs/doc.h"
#include "lib/buf.h"

/* Page geometry in twips (1/1440 inch), from doc.h's millimetres. */
#define DOCX_TWIPS(mm) ((int)((mm) * 1440.0 / 25.4 + 0.5))
enum { DOCX_A4_SHORT = 11906, DOCX_A4_LONG = 16838 };

/* Paragraph style ids shared by styles.xml and document.xml. */
#define DOCX_STYLE_CELL "Cell"   /* table cells */
#define DOCX_STYLE_TIGHT "Tight" /* header block, title and closing: no spacing, centred */

/* Appends word/document.xml for d. Returns false when a string of d is not
 * valid UTF-8 (the part is then incomplete and must not be used). */
bool docx_document_xml(struct buf *b, const struct doc *d);

/* Appends s escaped as XML text (also safe in a quoted attribute). Control
 * characters are dropped, tab and line feed become spaces: for parts outside
 * a w:t, such as docProps/core.xml. Returns false when s is not valid UTF-8. */
bool docx_xml_text(struct buf *b, const char *s);

#endif
