/* Cross-scoring entry (chấm chéo, docs/scoring.md): when a table's mode is
 * 'cross', each member unit gives every other member of the year one mark,
 * total points 0..the table's total, during the 'self' stage. The marks are
 * the scorer's own until the review: a unit sees only the marks it gave;
 * the managers of the year, the office and the council see how many marks
 * each scorer has given, not the marks (the ranking shows the results). */
#ifndef TDKT_FEATURES_CROSS_MARKS_H
#define TDKT_FEATURES_CROSS_MARKS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* One mark as the audit log keeps it ({table_id, scorer_unit, scored_unit,
 * points_x100}); NULL when there is none. */
json_t *cross_mark_get(struct db *db, int64_t table, int64_t scorer, int64_t scored);

/* GET /criteria/{id}/cross */
enum result cross_marks_show(struct request *req);
/* POST /criteria/{id}/cross: scored_unit, points */
enum result cross_mark_save(struct request *req);

#endif
