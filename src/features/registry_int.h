/* Inside the registry: the row helpers shared by registry.c (records) and
 * registry_list.c (lists). */
#ifndef TDKT_FEATURES_REGISTRY_INT_H
#define TDKT_FEATURES_REGISTRY_INT_H

#include <jansson.h>
#include <stdbool.h>

struct db_stmt;

/* A text column as a JSON string, or null when SQL NULL. */
json_t *registry_opt_string(struct db_stmt *s, int col);
/* Whether an active period [from, to) holds today (ISO dates; NULL/"" open). */
bool registry_is_active(const char *from, const char *to, const char *today);
/* Adds active_from_dmy and active_to_dmy (dd/mm/yyyy) beside the ISO dates. */
void registry_add_dmy(json_t *u);

#endif
