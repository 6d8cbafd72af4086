/* Fuzz target for docs/doc_markup (the text form of documents the office
 * edits): the input is parsed, and a document that parses is written as its
 * plain text and as DOCX, the two writers that run for every save and
 * preview. Parse errors are expected; crashes, sanitizer reports, leaks and
 * hangs are not. (The PDF writer is left out: pango's start-up per input
 * would make each run slow without reaching more of our code.) */
#include <stdint.h>
#include <stdlib.h>

#include "docs/doc_markup.h"
#include "docs/docx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc *d;
    struct err e;
    if (doc_from_markup((const char *)data, size, &d, &e) != OK)
        return 0;
    free(doc_plain_text(d));
    char *docx = NULL;
    size_t len = 0;
    if (docx_write(d, &docx, &len, &e) == OK)
        free(docx);
    doc_free(d);
    return 0;
}
