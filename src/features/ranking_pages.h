/* The ranking of a criteria table (xếp hạng, docs/scoring.md "Results and
 * ranking"): the page with its bar chart (SVG made on the server), the XLSX
 * of the full table and the DOCX/PDF annex for the minutes
 * (features/score_export.c). Who reads: those who see the group's year
 * (group_can_view_year) — except that while the table is still in the
 * self-scoring stage (before review 1 opens) a unit officer who does not
 * manage the group's year is refused: units do not see each other's
 * self-scores before the head's review. */
#ifndef TDKT_FEATURES_RANKING_PAGES_H
#define TDKT_FEATURES_RANKING_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "features/score_results.h"
#include "http/http.h"

/* Whether the caller may read the ranking of a group's year at a stage
 * (criteria_tables.stage). */
bool ranking_may_read(struct request *req, int64_t group_id, int year, const char *stage);

/* The results of the path's table {id} (w may be NULL), after the read
 * check; NULL with the request failed (404, 403). */
struct score_results *ranking_of_path(struct request *req, const struct whatif_overrides *w);

/* The bar chart of the ranked units for a template ({width, height, bars:
 * [{y, ty, w, vx, label, value}]}); the page's and the what-if's. */
json_t *ranking_chart(const struct score_results *r);

enum result ranking_show(struct request *req);
enum result ranking_xlsx(struct request *req);
enum result ranking_docx(struct request *req);
enum result ranking_pdf(struct request *req);

#endif
