/* The score grid (bảng tổng hợp chấm điểm, docs/scoring.md): the member
 * units of a table's year × its criteria, each cell the current answer, per
 * unit the progress and the total, with autosave where the caller may write
 * in the current stage; and the scoring part of the home page (what each
 * caller must do in the current stage, and by when). */
#ifndef TDKT_FEATURES_SCORE_GRID_H
#define TDKT_FEATURES_SCORE_GRID_H

#include <jansson.h>

#include "http/http.h"

/* GET /criteria/{id}/grid (and its JSON twin). Rows: every member for the
 * admin, the office, the council and the managers of the group's year; a
 * unit officer only their own unit's row (no unit reads another's scores
 * before the review). */
enum result score_grid_show(struct request *req);

/* For the home page: [{group, title, year, stage, stage_name, due, due_dmy,
 * due_text, overdue, todo, link}] — for a unit officer every scoring table
 * of their groups this year with what they must do; for the admin and the
 * office the tables in review 2 and those whose self-scoring deadline has
 * passed with units not submitted. Empty for the others. */
json_t *score_home(struct request *req);

/* Days from `from` to `to` (ISO dates; negative when to is earlier). */
long score_days_between(const char *from, const char *to);

#endif
