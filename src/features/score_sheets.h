/* Score sheets, stage 1 (tự chấm, docs/scoring.md): each member unit answers
 * every criterion of its group-year's locked criteria table and submits.
 * Who reads a sheet: the unit's own officer, the managers of the group's
 * year, the admin, the office and the council; who answers and submits:
 * only the unit's own officer. */
#ifndef TDKT_FEATURES_SCORE_SHEETS_H
#define TDKT_FEATURES_SCORE_SHEETS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* A sheet with its answers ({id, table_id, unit_id, status, version,
 * submitted_at, answers: [{node_id, value_x100, target_x100, note}]}), for
 * the audit log; NULL if none. */
json_t *score_sheet_get(struct db *db, int64_t id);

/* The members of a table's year with their sheet's status, those the caller
 * may read ([{unit_id, name, status_name, href}]). */
json_t *score_sheet_links(struct request *req, json_t *table);

enum result score_sheet_show(struct request *req);
enum result score_sheet_answer(struct request *req);
enum result score_sheet_submit(struct request *req);

#endif
