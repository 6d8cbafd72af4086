/* The project-wide result codes and the error a person reads.
 *
 * Functions that can fail return enum result and, when given a struct err,
 * fill it with the field at fault and a message in Vietnamese (through
 * gettext). The HTTP layer maps codes to statuses in one place. */
#ifndef TDKT_LIB_RESULT_H
#define TDKT_LIB_RESULT_H

enum result {
    OK = 0,
    E_INVALID,     /* input that breaks a rule: 400 / 422 */
    E_NOTFOUND,    /* 404 */
    E_CONFLICT,    /* unique key, stale edit: 409 */
    E_FORBIDDEN,   /* 403 */
    E_TOOBIG,      /* a size limit: 413 */
    E_DB,          /* storage failure: 500 */
    E_IO,          /* file or network failure: 500 */
};

struct err {
    enum result code;
    char field[64];  /* the input field at fault, "" when none */
    char msg[512];   /* for people, in the user's language */
};

/* Records code, field and message in e (when e is not NULL) and returns code,
 * so callers can write `return err_set(e, E_INVALID, "name", _("…"));`. */
enum result err_set(struct err *e, enum result code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void err_clear(struct err *e);
/* The HTTP status for a result code. */
int result_http_status(enum result code);

#endif
