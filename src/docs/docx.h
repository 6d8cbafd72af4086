/* The DOCX writer: one struct doc (doc.h) as a WordprocessingML package laid
 * out by Nghị định 30/2020 (../shared/domain/RULES.md §10), so the office can
 * open, edit and print it in Word or LibreOffice.
 *
 * The package is built in memory; nothing touches the disk. The header block,
 * the title and the closing are fixed by the decree, so they are written with
 * direct formatting; the body uses named paragraph styles, so a person who
 * edits the document keeps the same look with Word's style list. */
#ifndef TDKT_DOCS_DOCX_H
#define TDKT_DOCS_DOCX_H

#include <stddef.h>

#include "docs/doc.h"
#include "lib/result.h"

/* Writes d as .docx bytes into *data (heap, the caller frees) and their count
 * into *len. Fails with E_INVALID when a string is not valid UTF-8 (doc.h
 * promises it is; the writer does not pass such text on to Word), E_IO when
 * the package cannot be built. On failure *data is NULL. */
enum result docx_write(const struct doc *d, char **data, size_t *len, struct err *e);

#endif
