/* The route table of the web application: every page and JSON endpoint. */
#ifndef TDKT_FEATURES_ROUTES_H
#define TDKT_FEATURES_ROUTES_H

#include <stddef.h>

#include "http/http.h"

extern const struct route app_routes[];
extern const size_t app_routes_count;

#endif
