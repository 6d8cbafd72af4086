/* Reading the first worksheet of an uploaded .xlsx file.
 *
 * Imports (lists of nominees, persons, units) arrive as Excel files typed by
 * officers, so the input is untrusted: the reader works from memory, refuses
 * zip bombs and oversized parts before and while inflating them, parses XML
 * without DTDs, entities or network access, and bounds rows, columns, cells and
 * cell length. Every refusal is an enum result with a Vietnamese message; the
 * field is the cell reference ("C7") when one cell is at fault.
 *
 * What comes out is plain text: the string a person sees for strings (shared,
 * inline or rich text), the number exactly as stored in the file for numbers
 * ("1985", "12.5", "0.30000000000000004"; a date is an Excel serial such as
 * "31048" because dates are numbers with a display format), "TRUE"/"FALSE"
 * for booleans, the cached result for formulas and the error text ("#N/A")
 * for error cells. Cells are valid UTF-8 but not yet normalised: callers pass
 * the fields they keep through text_clean like any other input. */
#ifndef TDKT_DOCS_XLSX_READ_H
#define TDKT_DOCS_XLSX_READ_H

#include <stddef.h>

#include "lib/result.h"

struct xlsx_limits {
    size_t max_entries;            /* files in the zip */
    size_t max_entry_size;         /* uncompressed bytes of any one file */
    size_t max_total_uncompressed; /* declared and actually inflated, all files */
    unsigned max_ratio;            /* uncompressed / compressed, for files over 1 MiB */
    size_t max_rows;               /* rows that hold at least one value */
    size_t max_cols;               /* a value in column index >= max_cols is refused */
    size_t max_cell;               /* bytes of UTF-8 in one cell */
    size_t max_cells;              /* cell slots kept in all rows (memory bound) */
};

/* One row that holds at least one value. cells[0] is column A; cells[i] is
 * never NULL and is "" for an empty cell; cells past ncols are empty too
 * (use xlsx_cell to read without checking ncols). Trailing empty cells are
 * not counted in ncols. */
struct xlsx_row {
    size_t number;      /* spreadsheet row number, 1-based: the 7 of "C7" */
    size_t ncols;
    const char **cells;
};

/* The rows of one worksheet in file order (Excel writes them ascending);
 * rows without any value are left out, so rows[i].number may jump. */
struct xlsx_sheet {
    const char *name; /* the sheet's tab name, "" when unknown */
    size_t nrows;
    struct xlsx_row *rows;
};

/* Limits that fit a 200 000-person import with room to spare: 10 000 zip
 * entries, 256 MiB per part and 512 MiB in all, ratio 200, the full Excel grid
 * of 1 048 576 rows and 16 384 columns but at most 10 million cell slots,
 * and a cell of 32 767 characters of Vietnamese (98 301 bytes). */
struct xlsx_limits xlsx_limits_default(void);

/* Reads the first visible worksheet of the .xlsx file data[0..len) (the
 * first worksheet in workbook order when all are hidden; chart sheets are
 * skipped) into a new *out, which the caller frees with xlsx_sheet_free.
 * lim may be NULL for xlsx_limits_default(). Returns OK; E_INVALID when the
 * data is not a readable .xlsx (not a zip, an old .xls, an .ods, a password-
 * protected file, missing or malformed parts, a DTD in any part, a bad cell
 * reference); E_TOOBIG when a limit is exceeded, with e->field set to the
 * cell reference when a cell is at fault. On failure *out is NULL. The
 * function keeps no state between calls and may run in several threads once
 * the program has called xmlInitParser() in its main thread. */
enum result xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
                      struct xlsx_sheet **out, struct err *e);

/* Frees a sheet from xlsx_read and every string it points to; NULL is a no-op. */
void xlsx_sheet_free(struct xlsx_sheet *sheet);

/* The text of column col (0 = A) of row, "" when the row is NULL or shorter. */
const char *xlsx_cell(const struct xlsx_row *row, size_t col);

/* The column of header whose text matches name when both are folded (case,
 * tone and vowel marks, đ→d, runs of spaces and punctuation), so "HỌ VÀ TÊN"
 * and "Họ và tên" both find "ho va ten". Returns the first matching column
 * index, or -1 when none matches or name folds to nothing. */
int xlsx_find_column(const struct xlsx_row *header, const char *name);

/* Writes the A1-style reference of row number row_number (1-based) and
 * column index col_index (0 = A) into out: "C7". A column past XFD or a
 * row number of 0 still gives a well-formed string. */
void xlsx_cell_ref(size_t row_number, size_t col_index, char out[16]);

#endif
