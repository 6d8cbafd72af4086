/* Fuzz target for the .xlsx reader, the one parser fed whole untrusted files.
 *
 * An input that starts with "PK" (or anything but 'X') is read as a file,
 * which covers libzip's side and the magic checks. A zip's CRCs and deflate
 * streams make mutations reach the XML rarely, so an input that starts with
 * 'X' is split at the first NUL byte into a worksheet and shared strings,
 * stored uncompressed in a minimal workbook: the mutations then land on the
 * XML the reader walks. Limits are small so each run stays fast. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

#include "docs/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the cell lengths go, so the loop that touches them stays. */
static volatile size_t sink;

static const char wb_xml[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";

static int add_stored(zip_t *za, const char *name, const void *p, size_t n)
{
    zip_source_t *s = zip_source_buffer(za, p, n, 0);
    if (!s)
        return -1;
    zip_int64_t i = zip_file_add(za, name, s, 0);
    if (i < 0) {
        zip_source_free(s);
        return -1;
    }
    return zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* Wraps sheet (and sst when not NULL) in a stored zip; NULL on failure. */
static uint8_t *wrap(const uint8_t *sheet, size_t sheet_len, const uint8_t *sst, size_t sst_len,
                     size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_error_fini(&ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
    uint8_t *out = NULL;
    if (za && add_stored(za, "xl/workbook.xml", wb_xml, sizeof wb_xml - 1) == 0 &&
        add_stored(za, "xl/_rels/workbook.xml.rels", rels_xml, sizeof rels_xml - 1) == 0 &&
        add_stored(za, "xl/worksheets/sheet1.xml", sheet, sheet_len) == 0 &&
        (!sst || add_stored(za, "xl/sharedStrings.xml", sst, sst_len) == 0) &&
        zip_close(za) == 0) {
        za = NULL;
        zip_stat_t st;
        if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
            out = malloc(st.size ? st.size : 1);
            if (out && zip_source_read(src, out, st.size) == (zip_int64_t)st.size) {
                *len = st.size;
            } else {
                free(out);
                out = NULL;
            }
            zip_source_close(src);
        }
    }
    if (za)
        zip_discard(za);
    zip_source_free(src);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    if (!initialised) {
        xmlInitParser();
        initialised = 1;
    }
    struct xlsx_limits lim = {
        .max_entries = 64,
        .max_entry_size = 1 << 20,
        .max_total_uncompressed = 2 << 20,
        .max_ratio = 200,
        .max_rows = 2000,
        .max_cols = 256,
        .max_cell = 4096,
        .max_cells = 20000,
    };
    uint8_t *wrapped = NULL;
    if (size > 0 && data[0] == 'X') {
        const uint8_t *sheet = data + 1;
        size_t rest = size - 1;
        const uint8_t *nul = memchr(sheet, 0, rest);
        size_t sheet_len = nul ? (size_t)(nul - sheet) : rest;
        const uint8_t *sst = nul ? nul + 1 : NULL;
        size_t sst_len = nul ? rest - sheet_len - 1 : 0;
        wrapped = wrap(sheet, sheet_len, sst, sst_len, &size);
        if (!wrapped)
            return 0;
        data = wrapped;
    }
    struct xlsx_sheet *s = NULL;
    struct err e;
    if (xlsx_read(data, size, &lim, &s, &e) == OK) {
        /* Touch every cell so a bad pointer shows up under ASan. */
        size_t total = 0;
        for (size_t i = 0; i < s->nrows; i++)
            for (size_t j = 0; j < s->rows[i].ncols; j++)
                total += strlen(xlsx_cell(&s->rows[i], j));
        if (s->nrows > 0)
            total += (size_t)(xlsx_find_column(&s->rows[0], "Họ và tên") + 1);
        sink = total;
        xlsx_sheet_free(s);
    } else if (s != NULL || e.msg[0] == '\0') {
        abort(); /* a failure must leave no sheet and say why */
    }
    free(wrapped);
    return 0;
}
