/* Emulation groups (khối, cụm thi đua) and their years: the shared access
 * every feature of a group's year uses (membership, head and deputy, who may
 * manage what), and the pages of /groups. RULES.md §8; DESIGN.md §2 for the
 * derived roles of the head and deputy units. */
#ifndef TDKT_FEATURES_GROUPS_H
#define TDKT_FEATURES_GROUPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The names of the offices by kind of group: "Trưởng khối" / "Trưởng cụm",
 * "Phó khối" / "Phó cụm" (kind "khoi" or "cum"; translated). */
const char *group_head_title(const char *kind);
const char *group_deputy_title(const char *kind);

/* The group as JSON ({id, kind, kind_name, code, name, organiser,
 * quorum_num, quorum_den, quorum_text, note, active, version}); NULL when
 * there is none. */
json_t *group_get(struct db *db, int64_t id);

/* The year row: {group_id, year, head: {id, name, short_name} | null,
 * deputy: … | null, elected_at, handover_on, handover_note, version}; NULL
 * when the group has no such year. */
json_t *group_year_get(struct db *db, int64_t group_id, int year);

/* The members of a year in the group's order (Vietnamese order of names):
 * [{unit_id, code, name, short_name, joined_on, left_on, role: "head" |
 * "deputy" | ""}]. */
json_t *group_members(struct db *db, int64_t group_id, int year);

/* True when unit_id belongs to the group in year — on `date` when date is
 * an ISO date (joined on or before it, not left before it), at any time of
 * the year when date is NULL. */
bool group_is_member(struct db *db, int64_t group_id, int year, int64_t unit_id,
                     const char *date);

/* The number of members on date (NULL: every member of the year). */
int group_member_count(struct db *db, int64_t group_id, int year, const char *date);

/* Who may manage a group's year (its pledge, conferences, elections): the
 * admin and the office always; the officers of the group's head or deputy
 * unit while their grant lasts — only in that year, so the rights end when
 * the year passes (role_grants, features/scope.h). */
bool group_can_manage(struct request *req, int64_t group_id, int year);

/* OK, or fails the request with 403 naming who may do it. */
enum result group_require_manage(struct request *req, int64_t group_id, int year);

/* Who may see a group: admin, office, council; a unit officer whose unit
 * (or a unit under it) is a member in any year. */
bool group_can_view(struct request *req, int64_t group_id);

/* Who may see the records of one year of a group (its pledge, conferences,
 * timeline): admin, office, council; a unit officer whose unit (or one
 * under it) was a member in that year — a unit that joins later does not
 * read the years before it, one that left keeps the years it took part in. */
bool group_can_view_year(struct request *req, int64_t group_id, int year);

/* The group of the path ({id}) if it exists and the caller may see it;
 * otherwise NULL, with the request failed (404 or 403). */
json_t *group_of_path(struct request *req);

/* Writes head and deputy of a year (either may be 0 = none) with their
 * derived-role grants for [year-01-01, year+1-01-01), replacing earlier
 * grants of that group and year; elected_at is the electing conference (0:
 * set by the office). In the caller's transaction. E_INVALID when a unit is
 * not a member of that year or head == deputy (e->field names it). */
enum result group_set_leaders(struct db *db, int64_t group_id, int year, int64_t head,
                              int64_t deputy, int64_t elected_at, struct err *e);

/* Makes the year row (if missing) with the members of the year before
 * (those who had not left), in the caller's transaction. */
enum result group_year_ensure(struct db *db, int64_t group_id, int year, struct err *e);

/* <option> lists for forms: the members of a year who have not left
 * ([{value, name, selected}]). */
json_t *group_member_options(struct db *db, int64_t group_id, int year, int64_t selected);

/* For the home page of a unit officer: this year's groups of their unit
 * [{id, name, year, role, role_name, pledge_id, must_sign, next_conference}]. */
json_t *groups_home(struct request *req);

/* For the same home page: the tasks the unit's groups gave it (or all their
 * members) this year and not yet past due, soonest first (at most 10):
 * [{content, due_dmy, link, group}]. */
json_t *groups_home_tasks(struct request *req);

/* Pages and JSON: /groups … */
enum result groups_list(struct request *req);
enum result groups_new(struct request *req);
enum result groups_create(struct request *req);
enum result groups_show(struct request *req);
enum result groups_edit(struct request *req);
enum result groups_update(struct request *req);
enum result groups_year_create(struct request *req);
enum result group_year_show(struct request *req);
enum result group_member_add(struct request *req);
enum result group_member_leave(struct request *req);
enum result group_leaders_set(struct request *req);
enum result group_handover(struct request *req);

#endif
