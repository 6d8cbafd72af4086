/* The customary rules of an emulation group's year (RULES.md §8), as pure
 * functions: the quorum of a meeting, the rotation of head and deputy, and
 * whether a unit is on track against its pledge. Every value that varies by
 * province (the quorum fraction) comes in as an argument. */
#ifndef TDKT_DOMAIN_BLOC_H
#define TDKT_DOMAIN_BLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A meeting may decide when present / members >= num / den (Hà Nội HD
 * 01/2021: at least 2/3 of the members, RULES.md §8.2 [S]; per group). False
 * for a group without members or a fraction that is not in (0, 1]. */
bool bloc_quorum_met(int present, int members, int num, int den);

/* The fewest members present that meet the quorum: ceil(members * num /
 * den); 6 members at 2/3 → 4. 0 for an invalid fraction. */
int bloc_quorum_needed(int members, int num, int den);

/* The customary rotation (RULES.md §8.2 [P/U]): this year's deputy becomes
 * next year's head, and the member after the new head in `order` (the
 * members of next year in the group's order, wrapping round) becomes deputy,
 * passing over this year's head so the office does not return at once.
 * head and deputy: this year's units (0 when none). Writes the proposal to
 * *next_head and *next_deputy (0 when there is none: fewer than two members,
 * or no deputy this year — then the first members in order are proposed).
 * The conference decides; this is only the proposal. */
void bloc_rotation(const int64_t *order, size_t n, int64_t head, int64_t deputy,
                   int64_t *next_head, int64_t *next_deputy);

/* Where a unit stands on one pledge item at a review. */
enum bloc_progress {
    BLOC_NO_FIGURE,  /* no figure reported, or a qualitative item */
    BLOC_BEHIND,     /* below what the period expects */
    BLOC_ON_TRACK,   /* at or above what the period expects, target not yet met */
    BLOC_MET,        /* the target is met or passed */
};

/* The period a review looks back on. */
enum bloc_period { BLOC_MIDYEAR, BLOC_YEAREND };

/* Progress of actual against target (both hundredths). A mid-year review
 * expects half of a quantity (target / 2, rounded up) and all of a rate
 * (rate = the measure is "%": a share is not pro-rated over the year); a
 * year-end review expects the whole target. target <= 0 counts any
 * reported figure as met. The rule is tdkt's reading of "sơ kết against the
 * pledge" (RULES.md §8.3 [P]); it is printed with the summary. */
enum bloc_progress bloc_progress_of(int64_t actual, bool has_actual, int64_t target,
                                    bool has_target, bool rate, enum bloc_period period);

/* "x" of an amount in hundredths as people write it in Vietnamese: 1250 →
 * "12,5"; 100000 → "1.000"; -5 → "-0,05". out needs 32 bytes. */
void bloc_format_x100(int64_t v, char out[32]);

/* Parses "12,5", "12.5" (one dot followed by 1–2 digits is a decimal
 * point), "1.000" (dots grouping thousands), "1 000", "-3" into hundredths.
 * More than two decimals, or anything else, is refused (false). */
bool bloc_parse_x100(const char *s, int64_t *out);

#endif
