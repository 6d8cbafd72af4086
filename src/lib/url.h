/* Percent-encoding for URLs, query strings and cookie values. */
#ifndef TDKT_LIB_URL_H
#define TDKT_LIB_URL_H

#include <stdbool.h>

#include "lib/buf.h"

/* Appends s to b with every byte outside A-Z a-z 0-9 - _ . ~ written as %XX;
 * a space becomes '+' when plus_for_space (query strings), else %20. */
void url_encode(struct buf *b, const char *s, bool plus_for_space);

#endif
