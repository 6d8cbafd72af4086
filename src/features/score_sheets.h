/* Score sheets (phiếu chấm điểm, docs/scoring.md): each member unit answers
 * every criterion of its group-year's locked criteria table and submits;
 * then the table moves through review 1 (head and deputy units), the
 * units' explanations, review 2 (the office) to locked (criteria_tables.
 * stage, migration 0007). Who reads a sheet: the unit's own officer, the
 * managers of the group's year, the admin, the office and the council; who
 * writes depends on the stage (score_int.h, score_require_reviewer). */
#ifndef TDKT_FEATURES_SCORE_SHEETS_H
#define TDKT_FEATURES_SCORE_SHEETS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* A sheet with its answers ({id, table_id, unit_id, status, version,
 * submitted_at, women_pct_x100, explanation, answers: [{node_id,
 * value_x100, target_x100, note}], changes: [{id, node_id, stage,
 * old_value_x100, new_value_x100, old_target_x100, new_target_x100, reason,
 * user_id}], explanations: [{node_id, text}], evidence: [{id, node_id,
 * file_id, removed_at}], adjustments: [{id, kind, points_x100, reason,
 * agency, file_id, withdrawn_at, withdrawn_reason}]}), for the audit log;
 * NULL if none. */
json_t *score_sheet_get(struct db *db, int64_t id);

/* The members of a table's year with their sheet's status, those the caller
 * may read ([{unit_id, name, status_name, href}]). */
json_t *score_sheet_links(struct request *req, json_t *table);

enum result score_sheet_show(struct request *req);
enum result score_sheet_answer(struct request *req);
enum result score_sheet_submit(struct request *req);
enum result score_sheet_women(struct request *req);
/* An answer changed in review 1 or 2 (called by score_sheet_answer in a
 * transaction with the table t, which it consumes). */
enum result score_review_answer(struct request *req, json_t *t, int64_t unit);
enum result score_sheet_explain(struct request *req);
enum result score_stage_show(struct request *req);
enum result score_stage_advance(struct request *req);
enum result score_evidence_add(struct request *req);
enum result score_evidence_get(struct request *req);
enum result score_evidence_remove(struct request *req);
enum result score_adjustment_add(struct request *req);
enum result score_adjustment_withdraw(struct request *req);
enum result score_adjustment_file(struct request *req);
/* Sends the stored file as a download (404 when none). */
enum result score_file_send(struct request *req, int64_t file);

#endif
