/* The text form of a document that the office edits: a Mustache template
 * renders the view model into this markup, which doc_from_markup turns into
 * a struct doc for the DOCX and PDF writers. So a document's wording and
 * layout are data (templates in doctemplates/, overridable in the database),
 * not C code.
 *
 * One line, one thing. A line starting with @ is a directive; any other
 * non-empty line is a body paragraph. Inline, **bold** and *italic*; a
 * backslash makes the next character plain (\*, \|, \@, \\).
 *
 *   @parent ỦY BAN NHÂN DÂN TỈNH BẮC NINH      header fields (doc.h)
 *   @issuer SỞ NỘI VỤ
 *   @number 05/QĐ-UBND
 *   @place_date Bắc Ninh, ngày 05 tháng 01 năm 2026
 *   @kind QUYẾT ĐỊNH
 *   @subject Về việc tặng Bằng khen
 *   @landscape                                   A4 landscape
 *   @font 13                                     body size (13 or 14)
 *   @basis Căn cứ …;                             paragraph styles: basis, heading,
 *   @heading I. ĐẶC ĐIỂM TÌNH HÌNH               center, item, right, plain, p
 *   @center **QUYẾT ĐỊNH:**
 *   @table 1,6,4 header=1 [noborder] [align=c,l,l]
 *   | STT | Họ và tên | Đơn vị |                  one row per line, cells between |
 *   @endtable
 *   @recipients                                  then "- Như trên;" lines
 *   @sign TM. ỦY BAN NHÂN DÂN | CHỦ TỊCH | Nguyễn Văn A [| unit]
 *   @pagebreak
 *
 * Values put into the template go through doc_markup_escape (the template
 * set's escape function), so a name or a reason can never start a directive,
 * open a cell or turn bold. */
#ifndef TDKT_DOCS_DOC_MARKUP_H
#define TDKT_DOCS_DOC_MARKUP_H

#include <stddef.h>

#include "docs/doc.h"
#include "lib/buf.h"
#include "lib/result.h"

/* Parses markup into a new document (*out, freed with doc_free). E_INVALID
 * with e->msg "dòng 12: …" (Vietnamese, naming the line and what is wrong)
 * for an unknown directive, a table row outside a table, a row with the
 * wrong number of cells, a table not closed, bad UTF-8 or a control
 * character. */
enum result doc_from_markup(const char *text, size_t len, struct doc **out, struct err *e);

/* Writes s[0..len) so that it reads as plain text in the markup: \ * | and
 * @ get a backslash; line breaks and other control characters become
 * spaces. */
void doc_markup_escape(struct buf *out, const char *s, size_t len);

#endif
