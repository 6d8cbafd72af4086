#include "testdb.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char current_url[1024];
static char current_name[128];
static char sqlite_dir[256];

static void die(const char *msg, const char *detail)
{
    fprintf(stderr, "testdb: %s%s%s\n", msg, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void pg_admin(const char *sql)
{
    const char *admin = getenv("TDKT_TEST_PG");
    PGconn *c = PQconnectdb(admin);
    if (PQstatus(c) != CONNECTION_OK)
        die("cannot reach PostgreSQL", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die(sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

struct db *testdb_open(void)
{
    const char *driver = getenv("TDKT_TEST_DB");
    static int counter;
    counter++;
    if (driver && strcmp(driver, "postgres") == 0) {
        const char *admin = getenv("TDKT_TEST_PG");
        if (!admin || !*admin)
            die("TDKT_TEST_DB=postgres needs TDKT_TEST_PG (run through scripts/with-pg.sh)", NULL);
        snprintf(current_name, sizeof current_name, "tdkt_t%d_%d", (int)getpid(), counter);
        char sql[256];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", current_name);
        pg_admin(sql);
        /* admin URL ends in /postgres: swap the database name */
        const char *slash = strrchr(admin, '/');
        snprintf(current_url, sizeof current_url, "%.*s/%s", (int)(slash - admin), admin,
                 current_name);
    } else {
        snprintf(sqlite_dir, sizeof sqlite_dir, "/tmp/tdkt-test.XXXXXX");
        if (!mkdtemp(sqlite_dir))
            die("mkdtemp failed", NULL);
        snprintf(current_url, sizeof current_url, "%s/test.db", sqlite_dir);
        current_name[0] = '\0';
    }
    struct db *db;
    struct err e;
    if (db_open(current_url, &db, &e) != OK)
        die("cannot open the test database", e.msg);
    int applied;
    if (db_migrate(db, &applied, &e) != OK)
        die("migration failed", e.msg);
    return db;
}

void testdb_close(struct db *db)
{
    db_close(db);
    if (current_name[0]) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", current_name);
        pg_admin(sql);
        current_name[0] = '\0';
    } else if (sqlite_dir[0]) {
        char path[512];
        const char *suffixes[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/test.db%s", sqlite_dir, suffixes[i]);
            unlink(path);
        }
        rmdir(sqlite_dir);
        sqlite_dir[0] = '\0';
    }
}

const char *testdb_url(void)
{
    return current_url;
}
