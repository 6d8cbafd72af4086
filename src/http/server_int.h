/* Inside the HTTP layer: shared by server.c, response.c and request.c. */
#ifndef TDKT_HTTP_SERVER_INT_H
#define TDKT_HTTP_SERVER_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <time.h>

#include "http/form.h"
#include "http/http.h"
#include "lib/buf.h"

enum body_kind { BODY_NONE, BODY_FORM, BODY_JSON };

struct req_state {
    struct request req;
    struct MHD_Connection *conn;
    const struct server *server;
    struct timespec started;
    bool responded;          /* a response was queued early (error during upload) */
    int early_status;        /* an error found before the body was read */
    struct err early_err;
    enum body_kind body;
    struct form_parser *form;
    struct buf json;         /* a JSON body, bounded by the route's limit */
    size_t body_bytes;
    size_t body_held;        /* of those, counted in the server-wide memory bound */
    unsigned status_sent;
    size_t bytes_sent;
    const char *csrf_token;  /* the token of this client (cookie), set or new */
    bool csrf_new;           /* send it as a new cookie */
    char method[12];         /* as received, for the log (letters only) */
    /* routes of the JOBS and AUTH lanes run on a job thread while the connection is suspended */
    bool in_worker;                 /* responses are kept for the MHD thread */
    struct MHD_Response *pending;   /* built by the job thread, queued after resume */
    unsigned pending_status;
    struct req_state *next_job;
};

/* The routes of a lane other than INLINE run on a job queue: a couple of
 * threads with their own database connections, so a long import or a burst
 * of password hashing holds up neither a worker of the HTTP pool nor the
 * connections it serves. JOBS (imports, exports) keeps a short queue: a full
 * one answers 503. AUTH (logins) queues long, since each job is short. */
enum { JOB_THREADS = 2, JOB_QUEUE_MAX = 16, AUTH_QUEUE_MAX = 1024 };

struct job_queue {
    int max_queued;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct req_state *head, *tail;
    int queued;
    bool stopping;
    pthread_t threads[JOB_THREADS];
};

struct server {
    const struct server_config *cfg;
    const struct route *routes;
    size_t nroutes;
    struct mst_set *templates;
    struct MHD_Daemon *daemon;
    struct job_queue jobs;
    struct job_queue auth;
};

/* server.c: runs the route's handler on this thread's database connection
 * and builds the response (queued now, or kept for the resume when on a job
 * thread). */
enum MHD_Result run_handler(struct req_state *st);

/* jobs.c: queue st on q (its connection suspended until done; a full queue
 * answers 503 at once), and start or stop a lane's threads. */
enum MHD_Result enqueue_job(struct req_state *st, struct job_queue *q);
void jobs_start(struct job_queue *q, int max_queued);
void jobs_stop(struct job_queue *q);

/* server.c: the name of the pre-sign-in CSRF cookie */
const char *csrf_cookie_name(const struct request *req);

/* response.c */
enum MHD_Result respond(struct req_state *st);
enum MHD_Result respond_error(struct req_state *st, int status, const char *field, const char *msg);
bool respond_static(struct req_state *st, const char *path, enum MHD_Result *ret);
void static_init(void);

#endif
