/* Document numbers (Nghị định 30/2020 Art 15, RULES.md §10): per issuer, per
 * year, per series, from 01 on 1 January, zero-padded under 10, no gap and no
 * duplicate. And the kinds of document with their abbreviations (Phụ lục III). */
#ifndef TDKT_FEATURES_DOCNUM_H
#define TDKT_FEATURES_DOCNUM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

struct db;

struct doc_kind {
    const char *code;    /* QD, KH, BB, BBKP, TTR, BC, TB, GU, CV */
    const char *abbrev;  /* "QĐ", "TTr" …; "" when the kind has none (công văn) */
    const char *name;    /* msgid: "Quyết định" */
};

/* The kinds, ended by an entry with code NULL. */
extern const struct doc_kind doc_kinds[];
const struct doc_kind *doc_kind_of(const char *code);

/* Takes the next number of (issuer, year, series). Must run inside the write
 * transaction that records the document (db_begin): writers are serialised,
 * so two documents never get one number, and a rollback gives it back. */
enum result docnum_next(struct db *db, int64_t issuer_id, int year, const char *series,
                        int64_t *number);

/* "05/QĐ-UBND": the number zero-padded to two digits, "/", the symbol. */
void docnum_format(int64_t number, const char *symbol, char *out, size_t size);

/* The usual symbol of a kind from an issuer's abbreviation: "QĐ-UBND";
 * the abbreviation alone for kinds without one ("SNV"). Heap string. */
char *docnum_default_symbol(const struct doc_kind *kind, const char *issuer_abbrev);

#endif
