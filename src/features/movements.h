/* (filled in by the movements feature) */
#ifndef TDKT_FEATURES_MOVEMENTS_H
#define TDKT_FEATURES_MOVEMENTS_H

#include "http/http.h"

#endif
