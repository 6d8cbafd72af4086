/* Document numbers and kinds (docnum.h). */
#include "features/docnum.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

const struct doc_kind doc_kinds[] = {
    {"QD", "QĐ", N_("Quyết định")},
    {"KH", "KH", N_("Kế hoạch")},
    {"BB", "BB", N_("Biên bản")},
    {"BBKP", "BB", N_("Biên bản kiểm phiếu")},
    {"TTR", "TTr", N_("Tờ trình")},
    {"BC", "BC", N_("Báo cáo")},
    {"TB", "TB", N_("Thông báo")},
    {"GU", "", N_("Bản giao ước thi đua")},
    {"CV", "", N_("Công văn")},
    {NULL, NULL, NULL},
};

const struct doc_kind *doc_kind_of(const char *code)
{
    for (const struct doc_kind *k = doc_kinds; code && k->code; k++)
        if (strcmp(k->code, code) == 0)
            return k;
    return NULL;
}

enum result docnum_next(struct db *db, int64_t issuer_id, int year, const char *series,
                        int64_t *number)
{
    *number = 0;
    if (!db_in_transaction(db))
        return E_DB;
    /* one statement both starts a series at 1 and moves it on */
    struct db_stmt *s = db_query(
        db, "INSERT INTO doc_counters (issuer_id, year, series, last) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (issuer_id, year, series) DO UPDATE SET last = doc_counters.last + 1 "
            "RETURNING last");
    db_bind_int(s, 1, issuer_id);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, series ? series : "");
    if (db_step(s) == DB_ROW)
        *number = db_col_int(s, 0);
    enum db_step rc = db_done(s);
    return rc == DB_ERROR || *number <= 0 ? E_DB : OK;
}

void docnum_format(int64_t number, const char *symbol, char *out, size_t size)
{
    snprintf(out, size, "%02lld/%s", (long long)number, symbol ? symbol : "");
}

char *docnum_default_symbol(const struct doc_kind *kind, const char *issuer_abbrev)
{
    const char *abbrev = kind && kind->abbrev ? kind->abbrev : "";
    size_t n = strlen(abbrev) + strlen(issuer_abbrev ? issuer_abbrev : "") + 2;
    char *out = xmalloc(n);
    if (*abbrev)
        snprintf(out, n, "%s-%s", abbrev, issuer_abbrev ? issuer_abbrev : "");
    else
        snprintf(out, n, "%s", issuer_abbrev ? issuer_abbrev : "");
    return out;
}
