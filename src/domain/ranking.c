#include "domain/ranking.h"

#include <math.h>

/* Sign of b vs a on a "higher is better" value: < 0 when a goes first. */
static int higher_first(int64_t a, int64_t b)
{
    return (a < b) - (a > b);
}

static int tiebreak_cmp(const struct rank_entry *a, const struct rank_entry *b,
                        const struct rank_tiebreak *t)
{
    switch (t->kind) {
    case RANK_TB_GROUP:
        return higher_first(a->node_points[t->node], b->node_points[t->node]);
    case RANK_TB_AT_MAX:
        return higher_first(a->at_max, b->at_max);
    case RANK_TB_DEDUCTIONS:
        return -higher_first(a->deducted, b->deducted);
    case RANK_TB_WOMEN:
        return higher_first(a->women_pct >= t->women_pct, b->women_pct >= t->women_pct);
    case RANK_TB_SUBMITTED:
        if (a->submitted != b->submitted)
            return a->submitted ? -1 : 1;
        return a->submitted ? -higher_first(a->submitted_at, b->submitted_at) : 0;
    }
    return 0;
}

/* < 0 when a goes above b, > 0 below, 0 when they share a rank; *by and
 * *level say which rule decided. */
static int entry_cmp(const struct rank_entry *a, const struct rank_entry *b,
                     const struct rank_tiebreak *tb, size_t ntb, enum rank_decider *by,
                     int *level)
{
    *level = -1;
    if (a->veto != b->veto) {
        *by = RANK_BY_VETO;
        return a->veto ? 1 : -1;
    }
    int c = higher_first(a->score, b->score);
    if (c) {
        *by = RANK_BY_SCORE;
        return c;
    }
    for (size_t i = 0; i < ntb; i++) {
        c = tiebreak_cmp(a, b, &tb[i]);
        if (c) {
            *by = RANK_BY_TIEBREAK;
            *level = (int)i;
            return c;
        }
    }
    *by = RANK_TIED;
    return 0;
}

void rank_units(const struct rank_entry *entries, size_t n, const struct rank_tiebreak *tb,
                size_t ntb, struct rank_result *out)
{
    enum rank_decider by;
    int level;
    /* insertion sort on the result array itself: stable (tied units keep the
     * input order) and needs no memory besides out */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && entry_cmp(&entries[out[j - 1].entry], &entries[i], tb, ntb, &by,
                                  &level) > 0) {
            out[j] = out[j - 1];
            j--;
        }
        out[j].entry = i;
    }
    for (size_t k = 0; k < n; k++) {
        const struct rank_entry *e = &entries[out[k].entry];
        out[k].may_lead = !e->veto;
        out[k].tiebreak = -1;
        if (k == 0) {
            out[k].rank = 1;
            out[k].by = RANK_BY_NONE;
            continue;
        }
        entry_cmp(&entries[out[k - 1].entry], e, tb, ntb, &by, &level);
        out[k].by = by;
        out[k].tiebreak = level;
        out[k].rank = by == RANK_TIED ? out[k - 1].rank : (int)k + 1;
    }
}

bool rank_bands_ok(const struct rank_band *bands, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (bands[i].min >= bands[i - 1].min)
            return false;
    return true;
}

size_t rank_band_of(const struct rank_band *bands, size_t n, int64_t score, bool veto)
{
    size_t b = n - 1;
    for (size_t i = 0; i + 1 < n; i++) {
        if (score >= bands[i].min) {
            b = i;
            break;
        }
    }
    if (veto && b == 0 && n > 1)
        b = 1;
    return b;
}

/* Mean and population sd of the non-self marks given by scorer (all marks
 * when all is set). */
static void stats(const struct cross_mark *marks, size_t nmarks, bool all, int64_t scorer,
                  int *count, double *mean, double *sd)
{
    double sum = 0, sq = 0;
    int k = 0;
    for (size_t i = 0; i < nmarks; i++) {
        if (marks[i].scorer == marks[i].scored || (!all && marks[i].scorer != scorer))
            continue;
        sum += (double)marks[i].points;
        k++;
    }
    double m = k ? sum / k : 0;
    for (size_t i = 0; i < nmarks; i++) {
        if (marks[i].scorer == marks[i].scored || (!all && marks[i].scorer != scorer))
            continue;
        double d = (double)marks[i].points - m;
        sq += d * d;
    }
    *count = k;
    *mean = m;
    *sd = k ? sqrt(sq / k) : 0;
}

static int64_t round_half_up(double x)
{
    return (int64_t)floor(x + 0.5);
}

bool cross_score(const struct cross_mark *marks, size_t nmarks, const int64_t *units,
                 size_t nunits, bool normalise, int min_sample, struct cross_result *out)
{
    for (size_t i = 0; i < nmarks; i++)
        if (marks[i].points < 0)
            return false;
    int all_n;
    double all_mean, all_sd;
    stats(marks, nmarks, true, 0, &all_n, &all_mean, &all_sd);
    for (size_t u = 0; u < nunits; u++) {
        double raw = 0, adj = 0;
        int k = 0;
        for (size_t i = 0; i < nmarks; i++) {
            const struct cross_mark *m = &marks[i];
            if (m->scored != units[u] || m->scorer == m->scored)
                continue;
            double x = (double)m->points, y = x;
            if (normalise) {
                /* the scorer's own statistics, recomputed per mark: O(marks²),
                 * a few hundred marks per group, and no memory to manage */
                int sn;
                double smean, ssd;
                stats(marks, nmarks, false, m->scorer, &sn, &smean, &ssd);
                if (sn >= min_sample && ssd > 0)
                    y = all_mean + (x - smean) / ssd * all_sd;
            }
            raw += x;
            adj += y;
            k++;
        }
        out[u].unit = units[u];
        out[u].marks = k;
        out[u].raw = k ? round_half_up(raw / k) : 0;
        out[u].adjusted = k ? round_half_up(adj / k) : 0;
    }
    return true;
}
