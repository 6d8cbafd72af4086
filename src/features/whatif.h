/* What-if (thử thay đổi, docs/scoring.md "What-if"): named copies of a
 * table's maxima and per-occurrence points that the managers of the group's
 * year (and the office) edit to see how the ranking would move, before the
 * table's stage is locked. Nothing here writes the real table or answers:
 * the results are computed by score_results_load with the overrides. */
#ifndef TDKT_FEATURES_WHATIF_H
#define TDKT_FEATURES_WHATIF_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The what-ifs of a table ([{id, name, href}]), for the ranking page. */
json_t *whatif_list(struct request *req, int64_t table_id);

/* A what-if with its overrides ({id, table_id, name, nodes: [{node_id,
 * max_x100, each_x100}]}), for the audit log; NULL if none. */
json_t *whatif_get(struct db *db, int64_t id);

enum result whatif_create(struct request *req);
enum result whatif_show(struct request *req);
enum result whatif_node_set(struct request *req);
enum result whatif_delete(struct request *req);

#endif
