/* News for the public portal (tin tức): articles drafted from a conference
 * of an emulation group (who chaired, who attended, what was reviewed and
 * decided, the tasks ahead) or written by hand, edited and published by the
 * provincial office. /news and /news/{slug} are public; drafts are seen only
 * by the office, the admin and the one who drafted them. */
#ifndef TDKT_FEATURES_NEWS_H
#define TDKT_FEATURES_NEWS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

struct db;

/* The longest slug (bytes, ASCII) and body (code points) an article may have. */
enum { NEWS_SLUG_MAX = 80, NEWS_BODY_MAX = 20000 };

/* The article as JSON ({id, slug, title, summary, body, paragraphs:
 * [{lines: [{text, first}]}], conference_id, status, status_name,
 * published, published_on, published_on_dmy, created_by, version,
 * created_at, updated_at, url}); NULL when there is none. */
json_t *news_get(struct db *db, int64_t id);

/* A slug not yet taken by another article (except `self`): text_slug of
 * title, or of `base` when given, then "-2", "-3" … while taken, within
 * NEWS_SLUG_MAX. "tin-tuc" when the title has no letter or digit. Read in
 * the caller's transaction. Arena string of req. */
const char *news_unique_slug(struct request *req, const char *title, int64_t self);

/* An article drafted from a conference: title, summary and body (arena
 * strings), or E_INVALID with the reason in e (no attendance recorded),
 * E_NOTFOUND. Also gives the conference's group and year, for the caller's
 * access check (drafted only after that check passes, but read first). */
struct news_draft {
    int64_t group_id;
    int year;
    const char *title, *summary, *body;
};
enum result news_draft_read_group(struct db *db, int64_t conference_id, int64_t *group_id,
                                  int *year);
enum result news_draft_compose(struct request *req, int64_t conference_id, struct news_draft *d,
                               struct err *e);

/* Pages and JSON. */
enum result news_list(struct request *req);
enum result news_show(struct request *req);
enum result news_new(struct request *req);
enum result news_create(struct request *req);
enum result news_edit(struct request *req);
enum result news_update(struct request *req);
enum result news_publish(struct request *req);
enum result news_unpublish(struct request *req);
enum result news_draft_from_conference(struct request *req);

#endif
