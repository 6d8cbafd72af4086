/* Fuzz target for http/form.
 *
 * Input: byte 0 picks the content type (low 3 bits) and the chunking (high
 * bits), byte 1 seeds the chunk sizes, the rest is the body. With content
 * type 7 the body starts with its own Content-Type line, so the header
 * parser is fuzzed too. Besides the sanitizers, the target checks that the
 * chunked parse gives exactly what a one-chunk parse gives (the parser
 * promises that the split never matters) and that results respect the
 * limits; any difference aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "lib/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const content_types[] = {
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=b",
    "multipart/form-data; boundary=\"--b-\"",
    "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b\"",
    "multipart/form-data; boundary=b",
    "multipart/form-data; boundary=xx",
    "application/x-www-form-urlencoded; charset=UTF-8",
};

/* Small limits so that every one of them is reached by short inputs. */
static const struct form_limits limits = {
    .max_fields = 8,
    .max_name = 16,
    .max_value = 64,
    .max_file = 256,
    .max_files = 2,
    .max_part_header = 128,
    .max_total = 3000,
};

struct outcome {
    enum result rc;
    struct err e;
    struct form_field *fields;
    int made; /* 0 when form_parser_new refused the content type */
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_form: invariant broken: %s\n", what);
        abort();
    }
}

static void parse(struct arena *a, const char *ct, const uint8_t *body, size_t len,
                  unsigned mode, uint32_t seed, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    struct form_parser *p = form_parser_new(a, ct, &limits, &o->e);
    if (!p) {
        check(o->e.code == E_INVALID, "new fails with E_INVALID");
        o->rc = o->e.code;
        return;
    }
    o->made = 1;
    size_t off = 0;
    enum result rc = OK;
    while (rc == OK && off <= len) {
        size_t n;
        if (mode == 0)
            n = len - off;
        else if (mode == 1)
            n = 1;
        else {
            seed = seed * 1103515245u + 12345u;
            n = (seed >> 16) % (1u << mode); /* 0-byte chunks too */
        }
        if (n > len - off)
            n = len - off;
        rc = form_parser_feed(p, (const char *)body + off, n, &o->e);
        off += n;
        if (off == len)
            break;
    }
    if (rc == OK)
        rc = form_parser_finish(p, &o->fields, &o->e);
    o->rc = rc;
    if (rc != OK) {
        /* sticky: the same error again */
        struct err again;
        struct form_field *f = (struct form_field *)1;
        check(form_parser_finish(p, &f, &again) == rc, "sticky finish");
        check(f == NULL, "no fields after an error");
        check(strcmp(again.msg, o->e.msg) == 0, "sticky message");
        check(form_parser_feed(p, "--", 2, &again) == rc, "sticky feed");
    }
}

static void check_fields(const struct form_field *f)
{
    size_t n = 0, files = 0;
    for (; f; f = f->next) {
        n++;
        check(f->name && f->name[0], "non-empty name");
        check(strlen(f->name) <= limits.max_name, "max_name");
        check(f->value[f->value_len] == '\0', "value terminated");
        check(f->content_type != NULL, "content_type set");
        if (f->filename) {
            files++;
            check(f->value_len <= limits.max_file, "max_file");
        } else {
            check(f->value_len <= limits.max_value, "max_value");
        }
    }
    check(n <= limits.max_fields, "max_fields");
    check(files <= limits.max_files, "max_files");
}

static int same(const struct outcome *x, const struct outcome *y)
{
    if (x->rc != y->rc || x->made != y->made)
        return 0;
    if (x->rc != OK)
        return strcmp(x->e.msg, y->e.msg) == 0 && strcmp(x->e.field, y->e.field) == 0;
    const struct form_field *f = x->fields, *g = y->fields;
    for (; f && g; f = f->next, g = g->next) {
        if (strcmp(f->name, g->name) != 0 || f->value_len != g->value_len ||
            memcmp(f->value, g->value, f->value_len) != 0 ||
            strcmp(f->content_type, g->content_type) != 0 || !f->filename != !g->filename ||
            (f->filename && strcmp(f->filename, g->filename) != 0))
            return 0;
    }
    return !f && !g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned type = data[0] & 7;
    unsigned mode = data[0] >> 3; /* 0: one chunk, 1: bytes, else up to 2^mode */
    if (mode > 12)
        mode = 12;
    uint32_t seed = data[1];
    const uint8_t *body = data + 2;
    size_t len = size - 2;

    char ct[160];
    if (type < sizeof content_types / sizeof *content_types) {
        snprintf(ct, sizeof ct, "%s", content_types[type]);
    } else {
        const uint8_t *nl = memchr(body, '\n', len < sizeof ct - 1 ? len : sizeof ct - 1);
        size_t n = nl ? (size_t)(nl - body) : 0;
        memcpy(ct, body, n);
        ct[n] = '\0';
        if (nl) {
            body += n + 1;
            len -= n + 1;
        }
    }

    struct arena *a = arena_new();
    struct outcome whole, chunked;
    parse(a, ct, body, len, 0, 0, &whole);
    parse(a, ct, body, len, mode, seed, &chunked);
    check(same(&whole, &chunked), "chunking changes the outcome");
    if (whole.rc == OK)
        check_fields(whole.fields);
    else
        check(whole.fields == NULL, "no fields after an error");

    /* urlencoded: the body parser is form_parse_urlencoded after buffering */
    if (whole.made && (type == 0 || type == 6)) {
        struct outcome direct;
        memset(&direct, 0, sizeof direct);
        direct.made = 1;
        direct.rc = form_parse_urlencoded(a, (const char *)body, len, &limits, &direct.fields,
                                          &direct.e);
        check(same(&whole, &direct), "urlencoded body and string parse agree");
    }
    arena_free(a);
    return 0;
}
