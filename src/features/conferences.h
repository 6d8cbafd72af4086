/* (filled in by the conferences feature) */
#ifndef TDKT_FEATURES_CONFERENCES_H
#define TDKT_FEATURES_CONFERENCES_H

#include "http/http.h"

#endif
