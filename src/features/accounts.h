/* Signing in and out, and a user's own account: password change and the
 * second factor (TOTP with recovery codes). Routes in routes.c. */
#ifndef TDKT_FEATURES_ACCOUNTS_H
#define TDKT_FEATURES_ACCOUNTS_H

#include "http/http.h"

enum result login_form(struct request *req);
enum result login_submit(struct request *req);
enum result login_totp_form(struct request *req);
enum result login_totp_submit(struct request *req);
enum result logout_submit(struct request *req);

enum result account_show(struct request *req);
enum result account_password_form(struct request *req);
enum result account_password_submit(struct request *req);
enum result account_totp_form(struct request *req);
enum result account_totp_start(struct request *req);
enum result account_totp_enable(struct request *req);
enum result account_totp_disable(struct request *req);

#endif
