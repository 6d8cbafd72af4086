#include "lib/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    TOTP_DIGITS = 6,
    TOTP_PERIOD = 30,
    SECRET_BYTES = 20,
    SECRET_MIN_BYTES = 16, /* RFC 4226 R6: a shared secret has at least 128 bits */
    SECRET_MAX_CHARS = 128,
    QR_QUIET = 4,          /* modules of white around the symbol */
    QR_TARGET_PX = 200,
};
/* 9999-12-31T23:59:59Z: later times are nonsense, and the bound keeps
 * step * 30 and step + 1 far from overflow. */
static const int64_t TIME_MAX = 253402300799;
static const char RECOVERY_ALPHABET[] = "23456789abcdefghjkmnpqrstuvwxyz";
enum { RECOVERY_ALPHABET_LEN = sizeof RECOVERY_ALPHABET - 1, RECOVERY_CHARS = 12 };

static pthread_once_t init_once_flag = PTHREAD_ONCE_INIT;
static bool init_ok;

static void init_once(void)
{
    /* sodium_init returns 1 when the application already called it. */
    init_ok = oath_init() == OATH_OK && sodium_init() >= 0;
}

void totp_global_init(void)
{
    pthread_once(&init_once_flag, init_once);
}

static bool ready(void)
{
    totp_global_init();
    return init_ok;
}

static void *must(void *p)
{
    if (!p) {
        fprintf(stderr, "tdkt: out of memory\n");
        abort();
    }
    return p;
}

/* A growing string; only what the URI and the SVG need. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
    if (!b->p || b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->p = must(realloc(b->p, cap));
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* RFC 3986 unreserved characters stay, every other byte becomes %XX. */
static void sb_percent(struct sbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            sb_put(b, (const char *)p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sb_put(b, esc, 3);
        }
    }
}

/* The raw key behind a base32 secret, or NULL when the text is not base32
 * or the key is too short to be one of ours. Released with key_free. */
static char *key_decode(const char *b32, size_t *len)
{
    if (!b32 || !ready())
        return NULL;
    size_t n = 0;
    while (n <= SECRET_MAX_CHARS && b32[n])
        n++;
    if (n == 0 || n > SECRET_MAX_CHARS)
        return NULL;
    char *key = NULL;
    if (oath_base32_decode(b32, n, &key, len) != OATH_OK || !key)
        return NULL;
    if (*len < SECRET_MIN_BYTES) {
        sodium_memzero(key, *len);
        free(key);
        return NULL;
    }
    return key;
}

static void key_free(char *key, size_t len)
{
    sodium_memzero(key, len);
    free(key);
}

static bool code_at_step(const char *key, size_t len, int64_t step, char out[TOTP_DIGITS + 1])
{
    if (step < 0 || step > TIME_MAX / TOTP_PERIOD + 1)
        return false;
    time_t t = (time_t)(step * TOTP_PERIOD);
    if ((int64_t)t != step * TOTP_PERIOD) /* a 32-bit time_t */
        return false;
    return oath_totp_generate2(key, len, t, TOTP_PERIOD, 0, TOTP_DIGITS, 0, out) == OATH_OK;
}

/* The 6 digits of a typed code, spaces and tabs dropped. */
static bool code_normalise(const char *code, char out[TOTP_DIGITS])
{
    if (!code)
        return false;
    size_t n = 0;
    for (size_t i = 0; code[i]; i++) {
        if (i >= 64)
            return false;
        char c = code[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c < '0' || c > '9' || n == TOTP_DIGITS)
            return false;
        out[n++] = c;
    }
    return n == TOTP_DIGITS;
}

bool totp_secret_new(char out[33])
{
    out[0] = '\0';
    if (!ready())
        return false;
    unsigned char raw[SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *b32 = NULL;
    size_t len = 0;
    int rc = oath_base32_encode((const char *)raw, sizeof raw, &b32, &len);
    sodium_memzero(raw, sizeof raw);
    if (rc != OATH_OK || !b32)
        return false;
    /* 20 bytes are exactly 32 base32 characters, so there is no '=' padding. */
    bool ok = len == 32 && strspn(b32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 32;
    if (ok)
        memcpy(out, b32, 33);
    sodium_memzero(b32, len);
    free(b32);
    return ok;
}

int totp_verify(const char *secret_b32, int64_t now_unix, const char *code,
                int64_t last_step, int64_t *matched_step)
{
    char typed[TOTP_DIGITS];
    if (!code_normalise(code, typed) || now_unix < 0 || now_unix > TIME_MAX)
        return 0;
    size_t len;
    char *key = key_decode(secret_b32, &len);
    if (!key)
        return 0;
    /* All three steps are computed and compared (not liboath's validate,
     * which stops at the first match and uses strcmp): if the code of a used
     * step happens to equal the code of a fresh one, the fresh one wins. */
    int64_t now_step = now_unix / TOTP_PERIOD, fresh = -1;
    bool seen = false;
    for (int64_t s = now_step - 1; s <= now_step + 1; s++) {
        char want[TOTP_DIGITS + 1];
        if (!code_at_step(key, len, s, want))
            continue;
        bool match = sodium_memcmp(want, typed, TOTP_DIGITS) == 0;
        sodium_memzero(want, sizeof want);
        if (match) {
            seen = true;
            if (s > last_step && fresh < 0)
                fresh = s;
        }
    }
    key_free(key, len);
    sodium_memzero(typed, sizeof typed);
    if (fresh >= 0) {
        if (matched_step)
            *matched_step = fresh;
        return 1;
    }
    return seen ? -1 : 0;
}

char *totp_code_at(const char *secret_b32, int64_t unix_time)
{
    if (unix_time < 0 || unix_time > TIME_MAX)
        return NULL;
    size_t len;
    char *key = key_decode(secret_b32, &len);
    if (!key)
        return NULL;
    char code[TOTP_DIGITS + 1];
    bool ok = code_at_step(key, len, unix_time / TOTP_PERIOD, code);
    key_free(key, len);
    return ok ? memcpy(must(malloc(sizeof code)), code, sizeof code) : NULL;
}

char *totp_uri(const char *issuer, const char *account, const char *secret_b32)
{
    if (!issuer || !account || !*account)
        return NULL;
    size_t len;
    char *key = key_decode(secret_b32, &len);
    if (!key)
        return NULL;
    key_free(key, len);
    struct sbuf b = {0};
    sb_str(&b, "otpauth://totp/");
    if (*issuer) {
        sb_percent(&b, issuer);
        sb_str(&b, ":");
    }
    sb_percent(&b, account);
    sb_str(&b, "?secret=");
    sb_percent(&b, secret_b32);
    if (*issuer) {
        sb_str(&b, "&issuer=");
        sb_percent(&b, issuer);
    }
    sb_str(&b, "&algorithm=SHA1&digits=6&period=30");
    return b.p;
}

char *qr_svg(const char *text)
{
    if (!text || !*text)
        return NULL;
    QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!qr)
        return NULL;
    int w = qr->width, n = w + 2 * QR_QUIET;
    int scale = (QR_TARGET_PX + n / 2) / n;
    if (scale < 1)
        scale = 1;
    struct sbuf b = {0};
    char tmp[192];
    snprintf(tmp, sizeof tmp, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
             "width=\"%d\" height=\"%d\" ", n, n, n * scale, n * scale);
    sb_str(&b, tmp);
    sb_str(&b, "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"Mã QR\">"
               "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
    /* One rectangle per horizontal run of dark modules (bit 0 of each byte). */
    for (int y = 0; y < w; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (row[x] & 1))
                x++;
            snprintf(tmp, sizeof tmp, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET,
                     x - start, x - start);
            sb_str(&b, tmp);
        }
    }
    sb_str(&b, "\"/></svg>");
    QRcode_free(qr);
    return b.p;
}

void recovery_code_new(char out[15])
{
    totp_global_init(); /* randombytes works without sodium_init, but is faster after */
    for (int i = 0; i < 14; i++)
        out[i] = (i == 4 || i == 9) ? '-'
                                    : RECOVERY_ALPHABET[randombytes_uniform(RECOVERY_ALPHABET_LEN)];
    out[14] = '\0';
}

bool recovery_code_hash(const char *typed, char out_hex[65])
{
    out_hex[0] = '\0';
    if (!typed || !ready())
        return false;
    char norm[RECOVERY_CHARS];
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (n == RECOVERY_CHARS || !memchr(RECOVERY_ALPHABET, c, RECOVERY_ALPHABET_LEN))
            return false;
        norm[n++] = c;
    }
    if (n != RECOVERY_CHARS)
        return false;
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)norm, n, NULL, 0);
    sodium_memzero(norm, sizeof norm);
    sodium_bin2hex(out_hex, 65, hash, sizeof hash);
    return true;
}
