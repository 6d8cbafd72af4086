/* Writing a list as an .xlsx table laid out the way officials print it.
 *
 * Every list export (units, persons, scores, awards) goes through this one
 * writer so they all look alike: an optional bold title merged across the
 * table, a bold bordered header row with a light fill, frozen under the
 * header, with an autofilter on it, bordered cells in Times New Roman 12,
 * text always stored as text (a code "0012" stays "0012"), and an A4
 * landscape page that fits the table's width and repeats the header row on
 * every printed page. Rows are streamed (libxlsxwriter's constant_memory
 * mode), so 200 000 rows cost about one row of memory until the end, when the
 * finished file is returned in memory.
 *
 * Usage: begin; for each row, one xlsx_table_text/int/blank per column then
 * xlsx_table_end_row; finish (or abort). Cell calls never fail on their own:
 * the first problem (text that is not UTF-8 or longer than Excel allows, too
 * many cells in a row, too many rows) is remembered and reported by finish. */
#ifndef TDKT_DOCS_XLSX_WRITE_H
#define TDKT_DOCS_XLSX_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

struct xlsx_table_writer;

/* Starts a workbook with one sheet named sheet_name (characters Excel
 * forbids in tab names are replaced by '-', and it is cut to 31 characters;
 * NULL or "" gives "Danh sách"), an optional title row (NULL or "" for none)
 * and a header row of ncols columns from headers[0..ncols). widths gives
 * each column's width in Excel character units (NULL, or a value <= 0, picks
 * a width from the header text). Works in a private directory under $TMPDIR
 * (or /tmp) that finish and abort remove. Returns NULL with e set (E_INVALID
 * for a bad argument, E_IO when the temporary files cannot be created). */
struct xlsx_table_writer *xlsx_table_begin(const char *sheet_name, const char *title,
                                           const char *const *headers, const double *widths,
                                           size_t ncols, struct err *e);

/* Writes text s (UTF-8; NULL is a blank) as a string into the next cell of
 * the current row. Excel keeps at most 32 767 bytes in a cell; longer text
 * makes finish fail with E_TOOBIG naming the cell. */
void xlsx_table_text(struct xlsx_table_writer *w, const char *s);

/* Writes an integer as a number into the next cell. Integers beyond what a
 * double holds exactly (|v| > 2^53) are written as text so no digit changes. */
void xlsx_table_int(struct xlsx_table_writer *w, int64_t v);

/* Writes a number with `decimals` (0–4) digits after the point, grouped by
 * thousands as the reader's Excel shows them (1.234,50 in a Vietnamese
 * Excel). A NaN or infinity makes finish fail naming the cell. */
void xlsx_table_number(struct xlsx_table_writer *w, double v, int decimals);

/* Writes a date (ISO yyyy-mm-dd or dd/mm/yyyy) as a real Excel date shown
 * dd/mm/yyyy; NULL or "" is a blank; a day that does not exist makes finish
 * fail naming the cell. */
void xlsx_table_date(struct xlsx_table_writer *w, const char *iso);

/* Leaves the next cell empty (it keeps its border). */
void xlsx_table_blank(struct xlsx_table_writer *w);

/* Ends the current row; columns not written are left blank. */
void xlsx_table_end_row(struct xlsx_table_writer *w);

/* Completes the file and returns it in *data (heap, free with free()) and
 * *len, removes the temporary files and frees w, whatever the outcome. An
 * unfinished row is ended first. Returns OK, or the first error of the cell
 * calls (E_INVALID / E_TOOBIG with e->field the cell, e.g. "C7"), or E_IO;
 * on failure *data is NULL and *len 0. */
enum result xlsx_table_finish(struct xlsx_table_writer *w, char **data, size_t *len,
                              struct err *e);

/* Discards the table, its temporary files and w; NULL is a no-op. */
void xlsx_table_abort(struct xlsx_table_writer *w);

#endif
