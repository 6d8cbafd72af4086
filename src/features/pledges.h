/* (filled in by the pledges feature) */
#ifndef TDKT_FEATURES_PLEDGES_H
#define TDKT_FEATURES_PLEDGES_H

#include "http/http.h"

#endif
