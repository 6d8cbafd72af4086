/* The emulation pledge of a group's year (giao ước thi đua, RULES.md §8.2,
 * §8.6): one per group and year, its items with targets (taken from a
 * movement's targets where they come from one), and the signature of every
 * member unit, given by that unit's own officer. Draft → open for signing →
 * signed by every member that has not left. The Bản giao ước is printed
 * through the "giao_uoc" document template with a signature block per
 * member. pledges.c: reading, pages, creating, editing, the document;
 * pledges_flow.c: items, opening, signing. */
#ifndef TDKT_FEATURES_PLEDGES_H
#define TDKT_FEATURES_PLEDGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The pledge with its items and signatures as JSON ({id, group_id, year,
 * group_name, title, basis, status, status_name, opened_on, signed_on …,
 * version, items: [...], signatures: [...]}); NULL when there is none. Also
 * the "after" of its audit entries. */
json_t *pledge_get(struct db *db, int64_t id);

/* The pledge of the path ({id}) when the caller may see its group; NULL
 * after failing the request (404, or 403 for another group's pledge). */
json_t *pledge_of_path(struct request *req);

/* Fills req->model with the pledge's page (members and their signatures,
 * counts, the forms the caller may use). `pledge` is not consumed. */
void pledge_show_model(struct request *req, json_t *pledge);

/* The show page again with the field errors of a refused item or
 * signature form (422); `typed` (consumed) holds what was typed, under
 * "item_form" or "sign_form". */
enum result pledge_show_again(struct request *req, json_t *pledge, const char *form, json_t *typed);

/* Locks the pledge for the write that follows in the open transaction (and
 * marks it changed): version + 1, updated_at now. */
enum result pledge_touch(struct db *db, int64_t id);

/* The members asked to sign (not left) and how many of them signed; the
 * latest date among those signatures in last[11] ("" when none). */
void pledge_signature_counts(struct db *db, json_t *pledge, int *asked, int *signed_count,
                             char last[11]);

/* Small readers of a pledge_get object and of the table. */
int64_t pledge_group(json_t *pledge);
int pledge_year(json_t *pledge);
const char *pledge_status(json_t *pledge);
/* The id of the pledge of a group's year; 0 when there is none. */
int64_t pledge_id_of(struct db *db, int64_t group, int year);

/* The pledge of the path when the caller may manage its year and it is
 * still a draft; NULL after failing the request (404, 403, 409). */
json_t *pledge_for_edit(struct request *req);

/* The targets an item may come from: those of the movements the group
 * launched or takes part in that run during the year, as <option>s
 * ([{value, name, selected}]). */
json_t *pledge_target_options(struct db *db, int64_t group, int year, int64_t selected);

/* After a member of the year leaves: when every member still asked has
 * signed, the open pledge becomes signed (dated the latest signature) and
 * *completed is set. In the caller's transaction; OK when there is no
 * pledge. */
enum result pledge_recheck(struct db *db, int64_t group, int year, bool *completed);

/* Pages and JSON. */
enum result pledges_of_group(struct request *req);  /* GET /groups/{id}/{year}/pledge */
enum result pledges_new(struct request *req);
enum result pledges_create(struct request *req);
enum result pledges_show(struct request *req);
enum result pledges_edit(struct request *req);
enum result pledges_update(struct request *req);
enum result pledges_document_docx(struct request *req);
enum result pledges_document_pdf(struct request *req);

enum result pledge_item_add(struct request *req);
enum result pledge_item_edit(struct request *req);
enum result pledge_item_update(struct request *req);
enum result pledge_item_delete(struct request *req);
enum result pledges_open(struct request *req);
enum result pledges_back_to_draft(struct request *req);
enum result pledges_sign(struct request *req);

#endif
