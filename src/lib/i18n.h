/* Translation of the strings people read.
 *
 * Message ids are the Vietnamese text itself: Vietnamese is the default and
 * needs no catalogue; an English catalogue (locale/en.po) can follow without
 * touching the code. N_() marks a string for extraction without translating. */
#ifndef TDKT_LIB_I18N_H
#define TDKT_LIB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Binds the "tdkt" text domain to locale_dir (may be NULL for the default). */
void i18n_init(const char *locale_dir);

#endif
