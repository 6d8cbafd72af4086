/* Units and persons to and from Excel (.xlsx), for the web pages and the CLI.
 *
 * Columns are found by their header text (any case, with or without marks),
 * in the first ten rows, so a file exported by tdkt (title row, then header)
 * or typed by hand (header first) both import. An import is all or nothing:
 * every row is checked, and when any row has a problem nothing of the file is
 * written and the report lists each problem by row and column. */
#ifndef TDKT_FEATURES_REGISTRY_IO_H
#define TDKT_FEATURES_REGISTRY_IO_H

#include <jansson.h>
#include <stddef.h>

#include "features/registry.h"
#include "lib/result.h"

struct audit_actor;

struct db;
struct audit_actor;

enum registry_kind { REG_UNITS, REG_PERSONS };

/* Imports the first sheet of an .xlsx file. Units are matched by their code
 * (a known code updates that unit, a new one creates it; a parent may be
 * given by the code of a unit earlier or later in the same file); persons by
 * the "Mã số" column when filled (update), else created. *report receives
 * {ok, created, updated, rows, errors: [{row, cell, column, message}]}.
 * When the rows are written, the file itself is kept in the files table in
 * the same transaction (report "file_id"), named filename, and one audit
 * entry by who records the import (file, rows created and updated).
 * Returns OK when the file was written, E_INVALID when rows had problems
 * (report lists them; nothing written), E_INVALID/E_TOOBIG when the file
 * itself is unreadable (e says why), E_DB on a storage failure. */
enum result registry_import(struct db *db, enum registry_kind kind, const char *filename,
                            const void *data, size_t len, const struct audit_actor *who,
                            json_t **report, struct err *e);

/* Writes the rows matching q (paging ignored) as an .xlsx file into *data
 * (heap) and *len. The columns are those the importer reads. */
enum result registry_export(struct db *db, enum registry_kind kind, const struct list_query *q,
                            char **data, size_t *len, struct err *e);

#endif
