/* The job lanes (LANE_JOBS, LANE_AUTH): a request whose route runs off the
 * HTTP workers is queued here with its connection suspended, run by one of
 * the lane's threads on that thread's own database connection, and resumed
 * so the connection's MHD thread queues the answer (server_int.h). */
#include <pthread.h>

#include "http/server_int.h"
#include "lib/i18n.h"

/* Hands a heavy request to the job threads: the connection is suspended
 * until its job is done; a full queue answers 503 at once. */
enum MHD_Result enqueue_job(struct req_state *st, struct job_queue *q)
{
    pthread_mutex_lock(&q->lock);
    bool full = q->queued >= q->max_queued || q->stopping;
    if (!full) {
        st->in_worker = true;
        st->next_job = NULL;
        if (q->tail)
            q->tail->next_job = st;
        else
            q->head = st;
        q->tail = st;
        q->queued++;
        MHD_suspend_connection(st->conn);
        pthread_cond_signal(&q->ready);
    }
    pthread_mutex_unlock(&q->lock);
    if (full)
        return respond_error(st, 503, NULL,
                             q->max_queued == AUTH_QUEUE_MAX
                                 ? _("Đang có rất nhiều người đăng nhập cùng lúc; hãy thử lại sau "
                                     "ít phút.")
                                 : _("Máy chủ đang xử lý nhiều tệp lớn; hãy thử lại sau ít phút."));
    return MHD_YES;
}

static void *job_thread(void *arg)
{
    struct job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (!q->head && !q->stopping)
            pthread_cond_wait(&q->ready, &q->lock);
        struct req_state *st = q->head;
        if (!st) { /* stopping, and nothing left to do */
            pthread_mutex_unlock(&q->lock);
            return NULL;
        }
        q->head = st->next_job;
        if (!q->head)
            q->tail = NULL;
        q->queued--;
        pthread_mutex_unlock(&q->lock);
        run_handler(st);
        /* the connection's MHD thread calls on_request again and queues st->pending */
        MHD_resume_connection(st->conn);
    }
}

void jobs_start(struct job_queue *q, int max_queued)
{
    q->max_queued = max_queued;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    for (int i = 0; i < JOB_THREADS; i++)
        pthread_create(&q->threads[i], NULL, job_thread, q);
}

/* Finishes the queued jobs (each resumes its connection) and ends the threads. */
void jobs_stop(struct job_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->ready);
    pthread_mutex_unlock(&q->lock);
    for (int i = 0; i < JOB_THREADS; i++)
        pthread_join(q->threads[i], NULL);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->ready);
}
