/* Private to the score sheet modules (score_sheets.c, score_model.c,
 * score_review.c, score_stage.c, score_evidence.c, score_adjust.c,
 * score_grid.c): the
 * table's tree as the domain reads it, the sheet row, the access rules of
 * each scoring stage (migration 0007; docs/scoring.md "Scoring stages") and
 * small JSON helpers. Not a public face: other features use
 * score_sheets.h. */
#ifndef TDKT_FEATURES_SCORE_INT_H
#define TDKT_FEATURES_SCORE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scoring.h"
#include "http/http.h"

struct db;

/* The reason written for the zeros of a sheet not submitted by the self
 * deadline (score_stage.c) — also shown beside each such criterion. */
#define SCORE_LATE_REASON N_("Không nộp phiếu tự chấm đúng hạn")

/* Evidence files (minh chứng) and adjustment files: at most this size. */
enum { SCORE_EVIDENCE_MAX = 5 * 1024 * 1024 };

static inline int64_t sj_int(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static inline const char *sj_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* "12,5" of hundredths, as a JSON string. */
json_t *score_x100(int64_t v);

/* The table's tree for the domain: nodes[i] mirrors the JSON nodes (tree
 * order, parents first); ids[i] the node's id. */
struct score_tree {
    struct score_node *nodes;
    int64_t *ids;
    size_t n;
};
void score_tree_of(json_t *table, struct score_tree *tr);
void score_tree_free(struct score_tree *tr);
/* The index of node id, tr->n when not in the table. */
size_t score_tree_index(const struct score_tree *tr, int64_t node);
/* The kind code ("direct"…) → the domain's kind. */
enum score_kind score_kind_of(const char *code);

/* The sheet of (table, unit): its id, status and version; 0 when none. */
int64_t score_sheet_of(struct db *db, int64_t table, int64_t unit, char status[16],
                       int64_t *version);
/* The sheet of (table, unit), made (draft) when missing; 0 on a database
 * error. In the caller's transaction. */
int64_t score_sheet_ensure(struct db *db, int64_t table, int64_t unit, const char *now);
/* version + 1 and updated_at = now; status (draft|submitted) when not NULL;
 * mark "review1"/"review2" sets that review's _at and _by to now and user,
 * "explain" sets explained_at. */
enum result score_sheet_touch(struct request *req, int64_t sheet, const char *status,
                              const char *mark, const char *now);

/* The table and unit of the path checked for reading (the unit's own
 * officer, the group's managers, admin, office, council) and membership;
 * NULL after failing (404, 403). Does not roll back. */
json_t *score_table_for(struct request *req, int64_t *unit);
/* Fails with 500 after rolling back. */
enum result score_db_failed(struct request *req);
/* True when the caller is an officer of unit (or of a unit above it). */
bool score_is_own(struct request *req, int64_t unit);

/* May the caller change the answers and adjustments of unit's sheet in the
 * table's current stage? review1: the officers of this year's head and
 * deputy units, never on their own sheet; the office and admin only where
 * neither head nor deputy is another unit. review2: the office and admin.
 * Other stages: nobody (409). When allowed returns OK and *stage is
 * "review1" or "review2"; otherwise fails the request (403/409). Does not
 * roll back. */
enum result score_require_reviewer(struct request *req, json_t *table, int64_t unit,
                                   const char **stage);
/* Whether the caller is an officer of the head or deputy unit of the
 * table's group-year (group_years, whatever today's year: a review of a
 * year runs into the next, when group_can_manage no longer grants it). */
bool score_is_leader_unit(struct request *req, json_t *table);

/* The same as a boolean, for the page's forms. */
bool score_may_review(struct request *req, json_t *table, int64_t unit);
/* The head and deputy units of the table's group-year (0: none), from
 * group_year_get: the table's year, whatever today's date (score_review.c). */
void score_year_leaders(struct request *req, json_t *table, int64_t *head, int64_t *deputy);
/* May the caller read every unit's sheet of the table? The council, the
 * office and admin, the managers of the year (group_can_manage) and the
 * officers of the table-year's head and deputy units. Others (a member's
 * officer) read their own sheet only, and while units score themselves
 * learn nothing of other sheets (score_model.c: target points against
 * their own answers only). */
bool score_sees_all(struct request *req, json_t *table);

/* A reason field (reason): the trimmed text, or NULL after rejecting it
 * (422 naming field). */
const char *score_reason(struct request *req, const char *field);

/* Validates the answer to node nd from the fields value and target; false
 * after rejecting (422). */
bool score_parse_answer(struct request *req, const struct score_node *nd, int64_t *value,
                        int64_t *target);
/* An answer as people read it: "35", "Đạt", "3 lần", "120 / chỉ tiêu 100";
 * "" for none (answered false). */
const char *score_answer_text(struct request *req, enum score_kind kind, bool answered,
                              int64_t value, bool has_target, int64_t target);

/* The sheet's model: nodes with answers, points, values of each stage,
 * changes, explanations, evidence; the total, adjustments, final score and
 * veto (score_model.c). */
json_t *score_sheet_model(struct request *req, json_t *table, int64_t unit);

/* A refused write: the sheet page again (422) with the message beside the
 * table (HTML), or the JSON error. */
enum result score_sheet_again(struct request *req);

/* Checks an uploaded file (the P_FILE field) for evidence: present, at most
 * SCORE_EVIDENCE_MAX bytes, a PDF, an image (PNG, JPEG), a DOCX or an XLSX by
 * its name and its first bytes. Returns the content type to store, or NULL
 * after rejecting (422 naming field). */
const char *score_evidence_check(struct request *req, const char *field);

/* The sheet snapshot (score_sheet_get) as the audit log's get. */
json_t *score_sheet_get(struct db *db, int64_t id);

#endif
