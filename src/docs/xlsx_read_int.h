/* Inside the .xlsx reader: what xlsx_read.c (the entry, limits, string pool,
 * workbook order), xlsx_zip.c (the archive, parts as XML streams) and
 * xlsx_sheet.c (shared strings, the worksheet) share. Not for other callers,
 * which use xlsx_read.h. */
#ifndef TDKT_DOCS_XLSX_READ_INT_H
#define TDKT_DOCS_XLSX_READ_INT_H

#include <stddef.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "docs/xlsx_read.h"
#include "lib/result.h"

#define MIB ((size_t)1 << 20)
#define EXCEL_MAX_ROWS 1048576u
#define EXCEL_MAX_COLS 16384u

/* ---- string storage (xlsx_read.c) ------------------------------------------------------- */

/* The text of an empty cell or name: "" that is never freed. */
extern const char empty_text[];

/* Text in large chunks freed together (see pool_dup). */
struct pool_chunk;
struct pool {
    struct pool_chunk *chunks;
    char *cur;
    size_t left;
};

/* A NUL-terminated copy of s[0..len) that lives as long as the pool. */
char *pool_dup(struct pool *p, const char *s, size_t len);

/* The public sheet is the first member, so xlsx_sheet_free can find the rest. */
struct sheet_impl {
    struct xlsx_sheet pub;
    struct pool pool;
    const char **cells;
    size_t ncells, cells_cap;
    size_t rows_cap;
};

/* ---- zip parts as XML streams (xlsx_zip.c) ---------------------------------------------- */

/* One xlsx_read call: its limits, where its error goes, the open zip. */
struct ctx {
    const struct xlsx_limits *lim;
    struct err *e;
    zip_t *za;
    size_t inflated; /* bytes actually inflated so far, all parts */
};

/* One zip entry read through libxml2's streaming reader (part_open). */
struct part {
    struct ctx *cx;
    const char *name;
    zip_file_t *zf;
    zip_uint64_t declared;
    zip_uint64_t got;
    size_t limit;
    size_t doctype_match; /* bytes of "<!DOCTYPE" matched at the end of the last read */
    enum result rc;       /* set when a check stops the parse; the error is in cx->e */
    xmlTextReaderPtr xr;
};

/* Refusals before anything is inflated: not_xlsx is the general "not an
 * .xlsx" message, check_magic looks at the first bytes (an old .xls, a
 * password-protected file), check_entries at the declared size of every
 * entry (a zip bomb). */
enum result not_xlsx(struct err *e);
enum result check_magic(const unsigned char *d, size_t len, struct err *e);
enum result check_entries(struct ctx *cx);

/* Opens entry idx, called name in messages, as an XML stream of at most
 * limit bytes (and max_entry_size); close it with part_close. */
enum result part_open(struct ctx *cx, zip_int64_t idx, const char *name, size_t limit,
                      struct part *p);
void part_close(struct part *p);
int part_next(struct part *p);
const char *local_name(struct part *p);

/* Visits the attributes of the current element: fn(name, value) for each
 * attribute without a namespace, plus namespaced ones with their URI. */
struct attr {
    const char *name;
    const char *ns; /* NULL without a namespace */
    const char *value;
};

size_t read_attrs(struct part *p, struct attr *out, size_t max);
const char *attr_get(const struct attr *a, size_t n, const char *name);

/* ---- the sheet XML (xlsx_sheet.c) ------------------------------------------------------- */

/* The shared-strings table: items[i] is the text of string i. */
struct sst {
    const char **items;
    size_t n, cap;
};

enum result read_shared_strings(struct ctx *cx, zip_int64_t idx, const char *name,
                                struct pool *pool, struct sst *out);
enum result read_sheet(struct ctx *cx, zip_int64_t idx, const char *name,
                       const struct sst *sst, struct sheet_impl *sh);

#endif
