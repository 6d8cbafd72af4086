#include "lib/i18n.h"

#include <locale.h>

void i18n_init(const char *locale_dir)
{
    setlocale(LC_ALL, "");
    /* Numbers and sorting are done by us (ICU, integers), never by the C locale. */
    setlocale(LC_NUMERIC, "C");
    setlocale(LC_COLLATE, "C");
    if (locale_dir)
        bindtextdomain("tdkt", locale_dir);
    bind_textdomain_codeset("tdkt", "UTF-8");
    textdomain("tdkt");
}
