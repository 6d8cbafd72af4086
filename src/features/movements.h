/* Emulation movements (phong trào thi đua; Law on Emulation and
 * Commendation 2022 Art 16–17): regular or thematic, launched by the
 * council, a group or a unit, with a period, goals, targets and the groups
 * and units that take part; the launch plan (Kế hoạch) as a document; and
 * the block of the home page that shows each officer the movements that
 * concern their unit. Pages and JSON: /movements … (routes.c). */
#ifndef TDKT_FEATURES_MOVEMENTS_H
#define TDKT_FEATURES_MOVEMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The movement as JSON: its fields, launcher {kind, id, name, code},
 * period (ISO and dd/mm/yyyy), status, plan_document (the register entry,
 * or null), targets [{id, n, name, measure, value_x100, value, used}] and
 * participants [{kind: "group" | "unit", id, code, name}]; NULL when there
 * is none. Also the "after" of every audit entry of entity "movement". */
json_t *movement_get(struct db *db, int64_t id);

/* Whether the movement concerns the signed-in user (docs/movements.md):
 * admin, office and council see every movement; a unit officer those
 * launched by a unit in their scope or by a group their unit belongs to in
 * a year of the period, and — once launched — those with a participating
 * unit in their scope, a participating group their unit belongs to, or
 * launched by the council without any participant listed. */
bool movement_concerns(struct request *req, int64_t id);

/* Who may change a movement (mv from movement_get): the council's — admin
 * and office; a group's — group_can_manage for the year it starts; a unit's
 * — admin, office, or an officer whose scope holds that unit. */
bool movement_can_manage(struct request *req, json_t *mv);

/* The movement of the path ({id}) when it exists and the caller may see it
 * (manage: may also change it); otherwise NULL with the request failed
 * (404 or 403). */
json_t *movement_of_path(struct request *req, bool manage);

/* Fails the request with 409 when the movement is closed (or, for targets,
 * no longer a draft); OK otherwise. */
enum result movement_require_status(struct request *req, json_t *mv, bool draft_only);

/* Active groups as <select> options ([{value, name, selected}]); for a
 * unit officer only those their unit belongs to (group_can_view). */
json_t *movement_group_options(struct request *req, int64_t selected);

/* The home page's block: {items: [summary…], any, drafts, show_drafts} —
 * for a unit officer the launched movements that concern their unit, for
 * the others the latest launched ones and (admin, office) the number of
 * drafts. NULL on a database error. */
json_t *movements_home(struct request *req);

enum result movements_list(struct request *req);
enum result movements_export(struct request *req);
enum result movements_new(struct request *req);
enum result movements_create(struct request *req);
enum result movements_show(struct request *req);
enum result movements_edit(struct request *req);
enum result movements_update(struct request *req);
enum result movement_target_add(struct request *req);
enum result movement_target_delete(struct request *req);
enum result movement_participant_add(struct request *req);
enum result movement_participant_delete(struct request *req);
enum result movement_launch(struct request *req);
enum result movement_close(struct request *req);
enum result movement_plan_docx(struct request *req);
enum result movement_plan_pdf(struct request *req);
enum result movement_plan_register(struct request *req);

#endif
