/* The unit registry and the persons of each unit: records, checks, storage.
 *
 * Shared by the web handlers (units.c, persons.c), the importer and the CLI,
 * so a rule about a unit or a person is written once. Checks record every
 * problem as field → message in a jansson object (the same shape the forms
 * and the JSON API show), and nothing is written while any remains. */
#ifndef TDKT_FEATURES_REGISTRY_H
#define TDKT_FEATURES_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/result.h"

struct db;

/* Province → department → office → team … : deeper trees are refused. */
enum { UNIT_MAX_LEVELS = 12 };

struct unit_input {
    int64_t parent_id;  /* 0 = top level */
    const char *kind;   /* a code of unit_kinds */
    const char *code;
    const char *name;
    const char *short_name;
    const char *active_from; /* ISO date or NULL */
    const char *active_to;
};

struct person_input {
    int64_t unit_id;
    const char *full_name;
    const char *gender;      /* "nam" | "nu" */
    int64_t birth_year;      /* 0 = unknown */
    const char *position;
};

/* Checks u against the rules and the database (kind exists, parent exists and
 * would not make a cycle for unit self_id, code unused by another unit).
 * Adds field → message to errors; returns true when there is none. */
bool unit_check(struct db *db, const struct unit_input *u, int64_t self_id, json_t *errors);
bool person_check(struct db *db, const struct person_input *p, json_t *errors);

/* Inserts a checked unit; *id receives its id. Call inside a transaction. */
enum result unit_insert(struct db *db, const struct unit_input *u, int64_t *id);
/* Updates unit id if its version is still `version` (E_CONFLICT otherwise). */
enum result unit_update(struct db *db, int64_t id, int64_t version, const struct unit_input *u);
/* Sets or clears the end of the active period (date NULL = active again). */
enum result unit_set_active_to(struct db *db, int64_t id, const char *date);

enum result person_insert(struct db *db, const struct person_input *p, int64_t *id);
enum result person_update(struct db *db, int64_t id, int64_t version, const struct person_input *p);
enum result person_set_active(struct db *db, int64_t id, bool active);

/* One unit as a JSON object (id, code, name, short_name, kind, kind_name,
 * parent {id, name}, path [{id, name}…] from the top, active_from, active_to,
 * active, version), or NULL when there is no such unit. */
json_t *unit_get(struct db *db, int64_t id);
/* The id of the unit with that code, 0 when none. */
int64_t unit_id_by_code(struct db *db, const char *code);
json_t *person_get(struct db *db, int64_t id);

/* The kinds of unit in display order: [{code, name}]. */
json_t *unit_kinds(struct db *db);

/* What a list shows: the filters of /units and /persons. */
struct list_query {
    const char *q;         /* search words, any marks and case */
    const char *kind;      /* units: a kind code */
    int64_t parent_id;     /* units: direct children of; persons: of unit */
    int64_t scope_unit;    /* when set: only this unit and the units under it
                              (a unit officer's data scope) */
    const char *status;    /* "active" (default), "inactive", "all" */
    const char *sort;      /* "name", "-name", "code", "-code", "birth_year"… */
    int64_t page;          /* from 1 */
    int64_t per_page;      /* 0 = all (exports) */
    /* When set, each row is handed to each() instead of collected in items
     * (exports of 200 000 rows stay small); the row is freed after the call. */
    void (*each)(json_t *row, void *ctx);
    void *ctx;
};

/* "x IN (" SCOPE_SUBTREE_SQL ")" with one bound unit id: that unit and every
 * unit under it (the tree is at most 12 levels deep). */
#define SCOPE_SUBTREE_SQL                                                                \
    "WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT c.id FROM units c " \
    "JOIN down ON c.parent_id = down.id) SELECT id FROM down"

/* Lists units or persons matching q: {items: [...], total: N}. */
json_t *unit_list(struct db *db, const struct list_query *q, struct err *e);
json_t *person_list(struct db *db, const struct list_query *q, struct err *e);

/* The active units as <select> options [{value, name, code, selected}] in
 * Vietnamese order: only those under scope_unit when it is set, and without
 * the unit `exclude` (a unit cannot be its own parent). */
json_t *unit_options(struct db *db, int64_t selected, int64_t scope_unit, int64_t exclude);

/* Rebuilds stored sort keys when the ICU collator version changed since they
 * were written (an ICU upgrade can change the order). */
enum result registry_refresh_sort_keys(struct db *db, struct err *e);

#endif
