/* Second factor for accounts: time-based one-time codes (RFC 6238), the
 * otpauth:// URI and its QR code that authenticator apps scan, and one-time
 * recovery codes. The parameters are fixed at what Google Authenticator,
 * Microsoft Authenticator and FreeOTP all accept without asking: SHA-1,
 * 6 digits, 30-second steps. HMAC, base32 and QR come from liboath and
 * libqrencode, randomness and hashing from libsodium. Every heap string
 * returned here is released with free(). */
#ifndef TDKT_LIB_TOTP_H
#define TDKT_LIB_TOTP_H

#include <stdbool.h>
#include <stdint.h>

/* Initialises liboath and libsodium once per process, whichever thread gets
 * here first (pthread_once). Call it at start-up so the first login does not
 * pay for it; every function below also calls it, so forgetting it is
 * harmless. liboath's oath_done() is never called: the process keeps the
 * library until it exits. */
void totp_global_init(void);

/* Writes a new shared secret: 20 random bytes (160 bits, the HMAC-SHA-1 key
 * size RFC 4226 recommends) as 32 upper-case base32 characters with no
 * padding, NUL-terminated. This is the form stored in the database and shown
 * to people who type it by hand. False (and out is "") only if the libraries
 * failed to initialise or allocate. */
bool totp_secret_new(char out[33]);

/* Checks a code typed by a person against secret_b32 at now_unix. Spaces and
 * tabs anywhere in the code are ignored (apps show "123 456"); what is left
 * must be exactly 6 digits. The steps now-1, now and now+1 are tried so a
 * phone clock up to ~30 s off still works. Returns 1 when the code matches a
 * step later than last_step, and writes that step to *matched_step (may be
 * NULL): the caller stores it as the new last_step, which is what makes each
 * code usable once. Returns -1 when the code is right but only for a step
 * <= last_step (a replay: someone reusing a code seen over a shoulder or
 * from a log), so the caller can say so and log it. Returns 0 for a wrong
 * code and for any bad input (NULL, bad base32, a secret under 16 bytes,
 * non-digits, wrong length, a time before 1970). Use last_step = -1 for a
 * secret never used yet. Comparisons are constant time. */
int totp_verify(const char *secret_b32, int64_t now_unix, const char *code,
                int64_t last_step, int64_t *matched_step);

/* The 6-digit code for secret_b32 at unix_time, as a heap string, for tests
 * and the command line (never for checking input: use totp_verify). NULL on a
 * bad secret or a time before 1970. */
char *totp_code_at(const char *secret_b32, int64_t unix_time);

/* The provisioning URI apps read from the QR code:
 * otpauth://totp/ISSUER:ACCOUNT?secret=S&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 * Issuer and account are UTF-8 and percent-encoded byte by byte (every byte
 * outside A-Z a-z 0-9 - . _ ~, a space as %20), which is what the apps
 * decode back into "tdkt Bắc Ninh". The issuer is repeated as a parameter
 * because some apps read only one of the two places. An empty issuer gives
 * a label of the account alone and no issuer parameter. NULL when an
 * argument is NULL, the account is empty or the secret is not valid base32. */
char *totp_uri(const char *issuer, const char *account, const char *secret_b32);

/* An inline SVG of text as a QR code: error correction M, 8-bit mode (so any
 * UTF-8 is encoded as is), a 4-module quiet zone (the minimum scanners need),
 * the dark modules as one <path> of horizontal runs, a white background, a
 * viewBox in modules and width/height near 200 px at a whole number of pixels
 * per module (crisp with shape-rendering="crispEdges"). No XML declaration
 * and no copy of text inside, so it can be placed in an HTML page as is;
 * role="img" and aria-label name it for screen readers. NULL if libqrencode
 * fails (NULL or empty text, or text too long for version 40). */
char *qr_svg(const char *text);

/* Writes a new recovery code "xxxx-xxxx-xxxx": 12 characters drawn uniformly
 * from 31 (about 59 bits) that cannot be misread for each other: no 0/o,
 * 1/l/i. Shown once; only its hash (recovery_code_hash) is stored. */
void recovery_code_new(char out[15]);

/* Normalises a recovery code as a person typed it (spaces and dashes
 * dropped, ASCII upper case lowered), so every typing of one code gives one
 * hash, then writes BLAKE2b-256 (crypto_generichash) of the 12 characters as
 * 64 lower-case hex digits. False, and out_hex "", when what remains is not
 * exactly 12 characters of the alphabet. Compare stored hashes with
 * sodium_memcmp or in SQL by equality; the hash is unsalted so it can be
 * looked up. */
bool recovery_code_hash(const char *typed, char out_hex[65]);

#endif
