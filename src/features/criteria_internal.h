/* What the criteria modules share among themselves (criteria.c: reading,
 * the page, creating, adding, deleting, locking; criteria_edit.c: editing
 * and reordering nodes; criteria_settings.c: ranking settings, bands,
 * deadlines; criteria_templates.c: provincial templates). Not a public face:
 * other features use features/criteria.h. */
#ifndef TDKT_FEATURES_CRITERIA_INTERNAL_H
#define TDKT_FEATURES_CRITERIA_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The node kinds as stored, in enum score_kind order, NULL-terminated. */
extern const char *const crit_kind_codes[];

/* The SELECT crit_nodes_of expects (one bound id), for a table's nodes. */
#define CRIT_NODES_SQL                                                                            \
    "SELECT id, parent_id, kind, code, name, max_x100, each_x100, capped FROM criteria_nodes "    \
    "WHERE table_id = ? ORDER BY position, id"
/* The same for a provincial template's nodes (ids local to the template). */
#define CRIT_TEMPLATE_NODES_SQL                                                                   \
    "SELECT id, parent_id, kind, code, name, max_x100, each_x100, capped FROM "                  \
    "criteria_template_nodes WHERE template_id = ? ORDER BY position, id"

/* The nodes that sql selects for id, in tree order, as criteria_get shows
 * them; sets total, total_x100, valid, check_message, bad_node_id on table. */
json_t *crit_nodes_of(struct db *db, const char *sql, int64_t id, json_t *table);

/* Points as text ("12,5"). */
json_t *crit_x100(int64_t v);

int64_t crit_tgroup(json_t *t);
int crit_tyear(json_t *t);
int64_t crit_tid(json_t *t);

/* Rolls back and fails with a database error. */
enum result crit_db_failed(struct request *req);

/* The table of the path ({id}) if the caller may read it; NULL after failing. */
json_t *crit_table_of_path(struct request *req);
/* The table of the path, managed by the caller, still a draft, at the version
 * given (if any); NULL after failing and rolling back. In a transaction. */
json_t *crit_table_for_edit(struct request *req);
/* Like crit_table_for_edit without the draft rule (a locked table's
 * deadlines still move): managed, at the version given. */
json_t *crit_table_for_manage(struct request *req);

/* Bumps the version and updated_at (and sets status when not NULL). */
enum result crit_touch(struct request *req, int64_t id, const char *status);

/* Parses a points field (0..SCORE_MAX_LIMIT); false after recording the
 * field's message. */
bool crit_points(struct request *req, const char *field, const char *label, int64_t *out);

/* Fails with 422 naming the first field error recorded (the router's or
 * the handler's), for handlers that answer with an error, not the form. */
enum result crit_reject_fields(struct request *req);

/* True when the request carried the declared parameter at all (even empty):
 * a form sends every field, so an empty one clears; a JSON body may leave a
 * field out to keep it. */
bool crit_seen(const struct request *req, const char *name);

/* Fills the page model of table t (consumed). */
void crit_show_model(struct request *req, json_t *t);
/* The page again with 422 and the forms refilled from the request (t consumed). */
enum result crit_show_again(struct request *req, json_t *t);
/* Where a change sends the browser: the table's page. */
const char *crit_page_of(struct request *req, json_t *t);

/* criteria_settings.c: adds to a table read by criteria_get the tie-break
 * list in words (tie_break_list [{position, item, label}]), the deadlines
 * shown dd/mm/yyyy (self_due_dmy …) and the bonus cap as text. */
void crit_describe_settings(json_t *table);
/* Adds the settings and deadline forms to the page model of a manager
 * (from the table, or from the request when refill). */
void crit_settings_forms(struct request *req, json_t *t, bool refill);
/* Drops group:<node> from the table's tie-break list (the node is being
 * deleted). In the caller's transaction. */
enum result crit_tiebreak_forget(struct db *db, int64_t table, int64_t node);

/* criteria_templates.c: copies the nodes that sql selects for from (id,
 * position, parent_id, kind, code, name, max_x100, each_x100, capped,
 * ordered so that a parent comes before its children) into table, parents
 * mapped to the new ids. Reads everything first: one statement at a time. */
#define CRIT_COPY_TABLE_SQL                                                                       \
    "SELECT id, position, parent_id, kind, code, name, max_x100, each_x100, capped FROM "         \
    "criteria_nodes WHERE table_id = ? ORDER BY id"
#define CRIT_COPY_TEMPLATE_SQL                                                                    \
    "SELECT id, position, parent_id, kind, code, name, max_x100, each_x100, capped FROM "         \
    "criteria_template_nodes WHERE template_id = ? ORDER BY id"
enum result crit_copy_nodes(struct db *db, const char *sql, int64_t from, int64_t table);
/* No table yet, and the caller manages the year: the create page (200). */
enum result crit_create_form(struct request *req, int64_t group, int year);
/* criteria_templates.c: copies the nodes of provincial template tpl into
 * table; E_NOTFOUND when there is no such template. */
enum result crit_template_copy(struct db *db, int64_t tpl, int64_t table);
/* The templates to offer on the create form ([{value, name}]). */
json_t *crit_template_options(struct db *db);

#endif
