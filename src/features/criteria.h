/* Criteria tables (bảng tiêu chí chấm điểm thi đua, RULES.md §8.4;
 * docs/scoring.md): one per group and year, a tree of criterion groups and
 * criteria edited while in draft, checked by score_table_check
 * (domain/scoring.h) and locked before scoring. Who reads: those who see the
 * group's year; who writes: group_require_manage (features/groups.h). */
#ifndef TDKT_FEATURES_CRITERIA_H
#define TDKT_FEATURES_CRITERIA_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The table with its nodes in tree order ({id, group_id, year, title,
 * status, version, nodes: [{id, parent_id, depth, kind, code, name, max,
 * max_x100, …}], total, total_x100, valid, check_message}, and the scoring
 * settings of migration 0007: stage, stage_name, self_due, review1_due,
 * explain_due, review2_due (yyyy-mm-dd or null), mode ("self"|"cross"),
 * is_cross, normalise, min_sample, bonus_cap_x100 (or null), tie_breaks (the
 * stored comma list), bands [{position, name, min, min_x100}]); NULL if none. */
json_t *criteria_get(struct db *db, int64_t id);

/* The Vietnamese name of a scoring stage (criteria_tables.stage). */
const char *criteria_stage_name(const char *stage);

/* The id of a group's table for year, 0 when none. */
int64_t criteria_id_of(struct db *db, int64_t group, int year);

enum result criteria_show(struct request *req);
enum result criteria_create(struct request *req);
enum result criteria_node_add(struct request *req);
enum result criteria_node_delete(struct request *req);
enum result criteria_lock(struct request *req);

#endif
