/* Criteria tables (bảng tiêu chí chấm điểm thi đua, RULES.md §8.4;
 * docs/scoring.md): one per group and year, a tree of criterion groups and
 * criteria edited while in draft, checked by score_table_check
 * (domain/scoring.h) and locked before scoring. Who reads: those who see the
 * group's year; who writes: group_require_manage (features/groups.h). */
#ifndef TDKT_FEATURES_CRITERIA_H
#define TDKT_FEATURES_CRITERIA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

struct db;
struct rank_tiebreak;

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
/* criteria_edit.c: a node's fields, and its place among its siblings. */
enum result criteria_node_update(struct request *req);
enum result criteria_node_move(struct request *req);
/* criteria_settings.c: ranking settings and bands (draft), deadlines (until
 * the results are locked), the customary bands in one click. */
enum result criteria_settings(struct request *req);
enum result criteria_bands_default(struct request *req);
enum result criteria_deadlines(struct request *req);
/* criteria_templates.c: provincial templates (office). */
enum result criteria_template_save(struct request *req);
enum result criteria_templates_list(struct request *req);
enum result criteria_template_show(struct request *req);
enum result criteria_template_delete(struct request *req);

/* Finds group node id of a table: its index in the caller's node order, its
 * code and name; false when id is not a group node of the table. */
typedef bool (*criteria_group_lookup)(void *ctx, int64_t id, size_t *index, const char **code,
                                      const char **name);

/* One stored tie-break item (item[0..len), spaces around it ignored) as the
 * domain's struct and its words in Vietnamese; false for an item that does
 * not resolve. The one parser of criteria_tables.tie_breaks: the settings
 * page and the ranking (score_results.c) print the same words. */
bool criteria_tiebreak_parse(const char *item, size_t len, criteria_group_lookup lookup,
                             void *ctx, struct rank_tiebreak *tb, char *label, size_t label_len);

/* The table's tie-break list (its stored "tie_breaks", comma-separated
 * items group:<node id> | at_max | deductions | women | submitted) as the
 * domain takes it: writes up to cap items into out, in the table's order,
 * and returns how many. table is what criteria_get returns; a group item's
 * .node is the index of that node in table's "nodes" array (the order
 * score_unit's node_points use when built from that array), and women's
 * .women_pct is RANK_ND152_WOMEN_PCT. An item that no longer resolves (not
 * a group node of this table) is skipped. When labels is not NULL, *labels
 * is set to a new JSON array of the items' descriptions in Vietnamese, one
 * per item written ("Điểm nhóm tiêu chí I “…” cao hơn", …); the caller
 * owns it. criteria_get also carries them as tie_break_list [{position,
 * item, label}]. */
size_t criteria_tiebreaks(json_t *table, struct rank_tiebreak *out, size_t cap, json_t **labels);

/* The customary bands for a table of total points (hundredths): xuất sắc
 * from 90 %, tốt from 80 %, khá from 65 %, trung bình the rest (min 0); each
 * minimum rounded half up to hundredths. */
void criteria_default_bands(int64_t total, int64_t mins[4]);

#endif
