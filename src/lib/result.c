#include "lib/result.h"

#include "lib/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum result err_set(struct err *e, enum result code, const char *field, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    utf8_trim_partial(e->msg);
    utf8_trim_partial(e->field);
    return code;
}

void err_clear(struct err *e)
{
    memset(e, 0, sizeof *e);
}

int result_http_status(enum result code)
{
    switch (code) {
    case OK: return 200;
    case E_INVALID: return 400;
    case E_NOTFOUND: return 404;
    case E_CONFLICT: return 409;
    case E_FORBIDDEN: return 403;
    case E_TOOBIG: return 413;
    case E_DB:
    case E_IO: return 500;
    }
    return 500;
}
