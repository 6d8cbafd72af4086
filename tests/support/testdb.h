/* A fresh, migrated database for one test, on the driver named by
 * TDKT_TEST_DB ("sqlite" or "postgres"; PostgreSQL needs TDKT_TEST_PG, the
 * admin URL that scripts/with-pg.sh exports). A PostgreSQL test without it
 * fails: no test skips PostgreSQL silently. */
#ifndef TDKT_TESTS_TESTDB_H
#define TDKT_TESTS_TESTDB_H

#include "db/db.h"

struct db *testdb_open(void);
void testdb_close(struct db *db);
/* The URL testdb_open used for the last database (for a second connection). */
const char *testdb_url(void);

#endif
