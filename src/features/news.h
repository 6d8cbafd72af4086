/* (filled in by the news feature) */
#ifndef TDKT_FEATURES_NEWS_H
#define TDKT_FEATURES_NEWS_H

#include "http/http.h"

#endif
