/* Demo data: the organisations provincial news describes (the units of the
 * blocs of mass organisations, of the Party's bodies, of the departments and
 * the communes and wards), and persons with invented names. */
#ifndef TDKT_FEATURES_DEMO_H
#define TDKT_FEATURES_DEMO_H

#include "lib/result.h"

struct db;

/* Fills an empty registry: the named units, then extra_units invented
 * sub-units, then persons invented persons spread over all units. The
 * same arguments always give the same data. Refuses (E_CONFLICT) when the
 * registry already holds units. */
enum result demo_generate(struct db *db, int extra_units, int persons, struct err *e);

/* The demo's emulation groups with this year's members, head and deputy
 * (features/demo_groups.c); in demo_generate's transaction. */
enum result demo_groups_generate(struct db *db, struct err *e);

/* The MTTQ bloc's year so far (its movement, pledge and signing conference,
 * as far as today reaches); after demo_groups_generate. */
enum result demo_year_generate(struct db *db, struct err *e);

#endif
