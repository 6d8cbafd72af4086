/* Inside the command line: the options of every command, shared by cli.c
 * and the account commands in cli_accounts.c. */
#ifndef TDKT_CLI_CLI_INT_H
#define TDKT_CLI_CLI_INT_H

#include <stdbool.h>

struct db;

struct options {
    const char *db;
    const char *listen;
    const char *province;
    unsigned threads;
    long bodies_memory_mb;
    bool demo, demo_year, quiet, strict_templates, trust_proxy, secure_cookies;
    long session_idle_min, session_hours;
    const char *role, *unit, *name, *email;  /* tdkt user add */
    const char *model, *out;                 /* tdkt document */
    bool db_given;                           /* --db or TDKT_DB was given */
    int demo_units, demo_persons;
    const char *args[4];
    int nargs;
};

/* Opens and migrates the database; NULL (with *exit_code set) on failure. */
struct db *cli_open_db(const struct options *o, int *exit_code);

/* tdkt user add|passwd|disable|enable|list */
int cli_user(const struct options *o);
/* tdkt audit verify */
int cli_audit(const struct options *o);
/* tdkt document render|certificate */
int cli_document(const struct options *o);
/* tdkt routes: the route table as JSON (for the authorization matrix test) */
int cli_routes(void);
/* The demo accounts (one per role, two unit officers), printed to stdout. */
int cli_demo_accounts(struct db *db);

#endif
