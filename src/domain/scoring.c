#include "domain/scoring.h"

int64_t score_div_round(int64_t num, int64_t den)
{
    if (num < 0 || den <= 0)
        return 0;
    /* the callers keep num below 2·10^18 (SCORE_*_LIMIT), so 2·num fits */
    return (2 * num + den) / (2 * den);
}

static bool max_ok(int64_t max)
{
    return max >= 0 && max <= SCORE_MAX_LIMIT;
}

static enum score_status check_max(int64_t max)
{
    if (max < 0)
        return SCORE_ERR_NEGATIVE;
    return max_ok(max) ? SCORE_OK : SCORE_ERR_RANGE;
}

static enum score_status check_value(int64_t v)
{
    if (v < 0)
        return SCORE_ERR_NEGATIVE;
    return v <= SCORE_VALUE_LIMIT ? SCORE_OK : SCORE_ERR_RANGE;
}

enum score_status score_direct(int64_t max, int64_t given, int64_t *out)
{
    enum score_status s = check_max(max);
    if (s == SCORE_OK && given < 0)
        s = SCORE_ERR_NEGATIVE;
    if (s == SCORE_OK && given > max)
        s = SCORE_ERR_RANGE;
    if (s == SCORE_OK)
        *out = given;
    return s;
}

enum score_status score_passfail(int64_t max, int64_t passed, int64_t *out)
{
    enum score_status s = check_max(max);
    if (s != SCORE_OK)
        return s;
    if (passed < 0)
        return SCORE_ERR_NEGATIVE;
    if (passed > 1)
        return SCORE_ERR_RANGE;
    *out = passed ? max : 0;
    return SCORE_OK;
}

enum score_status score_per_occurrence(int64_t max, int64_t each, int64_t count,
                                       int64_t *out)
{
    enum score_status s = check_max(max);
    if (s == SCORE_OK)
        s = check_max(each);
    if (s == SCORE_OK)
        s = check_value(count);
    if (s != SCORE_OK)
        return s;
    /* count ≤ 10^12 and each ≤ 10^6: the product fits */
    int64_t p = count * each;
    *out = p < max ? p : max;
    return SCORE_OK;
}

enum score_status score_target(int64_t max, int64_t actual, int64_t target, int64_t leader,
                               int64_t *out, enum score_target_case *kind)
{
    enum score_status s = check_max(max);
    if (s == SCORE_OK)
        s = check_value(actual);
    if (s == SCORE_OK)
        s = check_value(target);
    if (s == SCORE_OK)
        s = check_value(leader);
    if (s != SCORE_OK)
        return s;
    if (leader < actual)
        return SCORE_ERR_RANGE;
    enum score_target_case c;
    int64_t p;
    if (actual < target) {
        /* target > actual >= 0, so the denominator is positive */
        c = SCORE_BELOW;
        p = score_div_round(max * actual, 2 * target);
    } else if (actual == target) {
        c = SCORE_MET;
        p = score_div_round(max, 2);
    } else if (actual == leader) {
        c = SCORE_LEADS;
        p = max;
    } else {
        /* target < actual < leader: the share of the way from the target to
         * the leader, on top of half; one fraction so one rounding */
        c = SCORE_EXCEEDS;
        p = score_div_round(max * (leader + actual - 2 * target), 2 * (leader - target));
    }
    *out = p;
    if (kind)
        *kind = c;
    return SCORE_OK;
}

enum score_status score_table_check(const struct score_table *t, size_t *bad)
{
    /* the shape first, then the sums: a misplaced node is reported as
     * itself, not as the wrong sum it causes in its former group */
    for (size_t i = 0; i < t->n; i++) {
        const struct score_node *nd = &t->nodes[i];
        if (nd->parent < -1 || (nd->parent >= 0 && (size_t)nd->parent >= i) ||
            (nd->parent >= 0 && t->nodes[nd->parent].kind != SCORE_GROUP) ||
            !max_ok(nd->max) || (nd->kind == SCORE_OCCURRENCE && !max_ok(nd->each))) {
            if (bad)
                *bad = i;
            return SCORE_ERR_TABLE;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct score_node *nd = &t->nodes[i];
        if (nd->kind != SCORE_GROUP)
            continue;
        int64_t sum = 0;
        size_t children = 0;
        for (size_t j = i + 1; j < t->n; j++) {
            if (t->nodes[j].parent == (int)i) {
                children++;
                /* at most n · 10^6: no overflow for any table that fits */
                sum += t->nodes[j].max;
            }
        }
        if (children == 0 || (nd->capped ? nd->max > sum : nd->max != sum)) {
            if (bad)
                *bad = i;
            return SCORE_ERR_TABLE;
        }
    }
    return SCORE_OK;
}

int64_t score_table_max(const struct score_table *t)
{
    int64_t sum = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->nodes[i].parent < 0)
            sum += t->nodes[i].max;
    return sum;
}

void score_leaders(const struct score_table *t, const struct score_answer *answers,
                   size_t nunits, int64_t *leaders)
{
    for (size_t i = 0; i < t->n; i++) {
        leaders[i] = 0;
        if (t->nodes[i].kind != SCORE_TARGET)
            continue;
        for (size_t u = 0; u < nunits; u++) {
            const struct score_answer *a = &answers[u * t->n + i];
            if (a->answered && a->value > leaders[i])
                leaders[i] = a->value;
        }
    }
}

static enum score_status criterion_points(const struct score_node *nd,
                                          const struct score_answer *a, int64_t leader,
                                          int64_t *out)
{
    if (!a->answered)
        return SCORE_ERR_UNANSWERED;
    switch (nd->kind) {
    case SCORE_DIRECT:
        return score_direct(nd->max, a->value, out);
    case SCORE_PASSFAIL:
        return score_passfail(nd->max, a->value, out);
    case SCORE_OCCURRENCE:
        return score_per_occurrence(nd->max, nd->each, a->value, out);
    case SCORE_TARGET:
        return score_target(nd->max, a->value, a->target, leader, out, NULL);
    case SCORE_GROUP:
        break;
    }
    return SCORE_ERR_TABLE;
}

enum score_status score_unit(const struct score_table *t, const struct score_answer *answers,
                             const int64_t *leaders, int64_t *points, int64_t *base,
                             int *at_max, size_t *bad)
{
    int full = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct score_node *nd = &t->nodes[i];
        points[i] = 0;
        if (nd->kind == SCORE_GROUP)
            continue;
        enum score_status s = criterion_points(nd, &answers[i], leaders[i], &points[i]);
        if (s != SCORE_OK) {
            if (bad)
                *bad = i;
            return s;
        }
        if (nd->max > 0 && points[i] == nd->max)
            full++;
    }
    /* children follow their parents, so walking backwards adds every node to
     * its parent after the node's own subtree is complete; a capped group is
     * held to its max before it is added upwards */
    int64_t total = 0;
    for (size_t k = t->n; k-- > 0;) {
        const struct score_node *nd = &t->nodes[k];
        if (nd->kind == SCORE_GROUP && nd->capped && points[k] > nd->max)
            points[k] = nd->max;
        if (nd->parent >= 0)
            points[nd->parent] += points[k];
        else
            total += points[k];
    }
    *base = total;
    *at_max = full;
    return SCORE_OK;
}

enum score_status score_final(int64_t base, const struct score_bonus *bonuses, size_t nbonus,
                              int64_t bonus_cap, const struct score_deduction *deductions,
                              size_t ndeduction, int64_t *final, int64_t *deducted)
{
    int64_t plus = 0, minus = 0;
    for (size_t i = 0; i < nbonus; i++) {
        enum score_status s = check_max(bonuses[i].points);
        if (s != SCORE_OK)
            return s;
        plus += bonuses[i].points;
    }
    for (size_t i = 0; i < ndeduction; i++) {
        enum score_status s = check_max(deductions[i].points);
        if (s != SCORE_OK)
            return s;
        minus += deductions[i].points;
    }
    if (bonus_cap >= 0 && plus > bonus_cap)
        plus = bonus_cap;
    *final = base + plus - minus;
    if (deducted)
        *deducted = minus;
    return SCORE_OK;
}
