/* Conferences (hội nghị) of an emulation group's year (RULES.md §8): pledge
 * signing, mid-year review (sơ kết 6 tháng), year-end review (tổng kết) and
 * others; their attendance and quorum, chairs, the units' figures against
 * the pledge, tasks for the next period, decisions, the election of next
 * year's head and deputy, and the minutes (Biên bản họp) printed and
 * registered from what was recorded. Pages and JSON: /conferences/… and
 * /groups/{id}/{year}/conferences. */
#ifndef TDKT_FEATURES_CONFERENCES_H
#define TDKT_FEATURES_CONFERENCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The conference row as JSON ({id, group_id, year, kind, kind_name, title,
 * held_on, held_on_dmy, starts_at, ends_at, place, secretary, summary,
 * minutes_document_id, version, created_at, updated_at}); NULL when none. */
json_t *conference_get(struct db *db, int64_t id);

/* The row with everything recorded at the conference (attendance, chairs,
 * reports, tasks, decisions): what the audit log keeps before and after
 * every change of a conference. */
json_t *conference_snapshot(struct db *db, int64_t id);

/* Pages and JSON (features/routes.c). */
enum result conferences_new(struct request *req);
enum result conferences_create(struct request *req);
enum result conferences_show(struct request *req);
enum result conferences_edit(struct request *req);
enum result conferences_update(struct request *req);
enum result conference_attendance_set(struct request *req);
enum result conference_chair_add(struct request *req);
enum result conference_chair_delete(struct request *req);
enum result conference_report_set(struct request *req);
enum result conference_task_add(struct request *req);
enum result conference_task_delete(struct request *req);
enum result conference_decision_add(struct request *req);
enum result conference_decision_delete(struct request *req);
enum result conference_election(struct request *req);
enum result conference_minutes_docx(struct request *req);
enum result conference_minutes_pdf(struct request *req);
enum result conference_minutes_register(struct request *req);

/* --- shared by conferences*.c (not for other features) -------------------- */

/* The conference of the path ({id}) when it exists and the caller may see
 * its group (404 / 403 otherwise, request failed, NULL returned); with
 * manage, also when the caller may manage the group's year (403). */
json_t *conference_of_path(struct request *req, bool manage);

/* The quorum on the conference's date: members, present, needed, met and
 * the sentence shown ("5/6 đơn vị có mặt, cần ít nhất 4: đủ điều kiện biểu
 * quyết"). */
json_t *conference_quorum(struct db *db, json_t *conf, json_t *group);

/* Fills req->model with everything the conference page shows. */
void conference_page_model(struct request *req, json_t *conf);

/* Records a refusal as a field error and answers the conference page again
 * with 422 (or the JSON errors). */
enum result conference_refuse(struct request *req, json_t *conf, const char *field,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Checks the optional or required `version` against the conference: a field
 * error when required and missing (false), 409 when stale (false, failed). */
bool conference_version_ok(struct request *req, json_t *conf, bool required, enum result *rc);

/* Claims the conference for the write in the open transaction (the row is
 * locked until commit) — only while its minutes are not registered (a
 * registered Biên bản is what was decided) and, when version is not 0, only
 * from that version. bump: version + 1, for changes to the conference and
 * its lists (chairs, tasks, decisions, election); attendance and figures,
 * which members record side by side during the meeting, do not bump it, so
 * the secretary's form stays current. E_CONFLICT when refused
 * (conference_conflict says why). */
/* True (with the page shown again, 422, in *rc) when the conference's day
 * is still to come: what is recorded at a meeting — attendance, figures,
 * conclusions, the election, the minutes — waits for it. Chairs and tasks
 * may be prepared before. */
bool conference_not_held_yet(struct request *req, json_t *conf, enum result *rc);

enum result conference_touch(struct db *db, int64_t id, int64_t version, bool bump);

/* Fails the request with 409 after conference_touch refused: the minutes
 * are registered, or another write came first. */
enum result conference_conflict(struct request *req, int64_t id);

/* True when unit_id is a member of the conference's group on its date. */
bool conference_member(struct db *db, json_t *conf, int64_t unit_id);

/* The review block (pledge, figures and progress per unit × item, the
 * per-unit summary) for midyear and yearend conferences; NULL for others. */
json_t *conference_review(struct db *db, json_t *conf);

/* JSON helpers over a conference object. */
int64_t conf_int(json_t *conf, const char *key);
const char *conf_str(json_t *conf, const char *key);

/* "Hội nghị sơ kết 6 tháng" … for a kind code (pledge, midyear, yearend,
 * other); translated. */
const char *conference_kind_name(const char *kind);

#endif
