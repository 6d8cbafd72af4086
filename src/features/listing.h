/* What every list page shares: the query-string links for paging and
 * sorting, and the page model (number, pages, first/last row, links). */
#ifndef TDKT_FEATURES_LISTING_H
#define TDKT_FEATURES_LISTING_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

/* Appends to url "name=value" pairs of params (an object of strings/ints;
 * null and "" skipped) percent-encoded, after '?' or '&' as needed. Returns
 * an arena string. */
const char *listing_url(struct request *req, const char *base, json_t *params);

/* Adds to model: "page" {number, pages, per_page, total, first, last,
 * prev_url, next_url, links:[{number, url, current}] (a window around the
 * current page)} and "sort_links" {key: {url, active, desc}} for sortable
 * keys (each a column name; clicking the active one reverses it). query is
 * the current filter set (object), copied into every link. */
void listing_page_model(struct request *req, json_t *model, const char *base, json_t *query,
                        int64_t total, int64_t page, int64_t per_page,
                        const char *const *sort_keys, const char *current_sort);

/* The current filters as an object holding every key of text_keys and
 * int_keys (null when not given), so templates and links can read them all.
 * Both lists are NULL-terminated. */
json_t *listing_query(struct request *req, const char *const *text_keys,
                      const char *const *int_keys);

/* Options of a <select> or radio group: [{value, name, selected}] from
 * parallel NULL-terminated lists of values and names (msgids, translated). */
json_t *listing_choices(const char *selected, const char *const *values, const char *const *names);

/* The same from a JSON array of objects with "code" and "name". */
json_t *listing_choices_json(json_t *items, const char *selected);

/* Ends a list handler with 400 when a parameter was malformed (a GET list has
 * no form to show the error in). Returns OK when there was none. */
enum result listing_fail_on_errors(struct request *req);

#endif
