/* The home page and the health check. */
#ifndef TDKT_FEATURES_HOME_H
#define TDKT_FEATURES_HOME_H

#include "http/http.h"

enum result home_show(struct request *req);
/* GET /healthz: {"status":"ok"} when the database answers (for monitors). */
enum result health_show(struct request *req);

#endif
