/* PDF output: a struct doc (doc.h) laid out in the state format (Nghị định
 * 30/2020, ../shared/domain/RULES.md §10), and certificates (Bằng khen, Giấy
 * khen) on their own landscape layout.
 *
 * Text is set with Pango in "Liberation Serif", the metric twin of Times New
 * Roman that ND30 names, so lines break where they would in Word; cairo embeds
 * the subset of every face used, so the file prints the same anywhere. A
 * server without the font refuses (E_IO) rather than silently substituting
 * another face with other widths.
 *
 * Threads: each thread uses its own Pango font map (Pango's per-thread
 * default), so writers may run on several threads at once. */
#ifndef TDKT_DOCS_PDF_H
#define TDKT_DOCS_PDF_H

#include <stddef.h>

#include "docs/doc.h"
#include "lib/result.h"

/* Writes d as PDF into a heap buffer (*data, *len; free() it). E_INVALID for
 * a body size outside 8–24 pt, E_IO when the font is missing or cairo fails;
 * e gets the message. */
enum result pdf_write(const struct doc *d, char **data, size_t *len, struct err *e);

/* A certificate: what is printed, already worded. Required: kind, recipient,
 * reason, decision, signer_title, signer_name, verify_url; the others may be
 * NULL. Text is UTF-8 (checked) and should be NFC. */
struct doc_certificate {
    const char *kind;             /* "BẰNG KHEN" (printed in caps) */
    const char *issuer;           /* "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH" */
    const char *recipient;        /* "Ông Nguyễn Văn A" or a unit */
    const char *recipient_detail; /* "Trưởng phòng…, Sở Nội vụ" or NULL */
    const char *reason;           /* "Đã có thành tích xuất sắc trong …" */
    const char *decision;         /* "Quyết định số 05/QĐ-UBND ngày 05/01/2026" */
    const char *book_number;      /* "Số sổ vàng: 123" */
    const char *place_date;       /* "Bắc Ninh, ngày 05 tháng 01 năm 2026" */
    const char *signer_title;     /* "CHỦ TỊCH" */
    const char *signer_name;      /* "Nguyễn Văn A" */
    const char *verify_url;       /* encoded in the QR code */
};

/* Writes one certificate, A4 landscape, as PDF (*data, *len; free() it).
 * E_INVALID names the missing or unusable field (e->field). */
enum result pdf_certificate(const struct doc_certificate *c, char **data, size_t *len,
                            struct err *e);

/* Frees this thread's font map (for the end of a process). The caches
 * cairo and fontconfig keep for the whole process stay until exit. */
void pdf_release_caches(void);

#endif
