/* Compiled form of Mustache templates, shared by the compiler (mustache.c)
 * and the renderer (mustache_render.c). Not for use outside view/. */
#ifndef TDKT_VIEW_MUSTACHE_IMPL_H
#define TDKT_VIEW_MUSTACHE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "view/mustache.h"

enum mst_node_type {
    MN_TEXT,     /* literal bytes */
    MN_LINE,     /* a template line starts here: the renderer writes the
                    current partial indentation */
    MN_VAR,      /* {{name}} {{{name}}} {{&name}} */
    MN_SECTION,  /* {{#name}} */
    MN_INVERTED, /* {{^name}} */
    MN_PARTIAL,  /* {{>name}} {{>*name}} */
    MN_PARENT,   /* {{<name}}: its kids are the argument blocks only */
    MN_BLOCK,    /* {{$name}}: a site with default content, or an argument */
};

/* How a block's opening tag sits on its line, which decides indentation. */
enum mst_block_mode {
    MB_INLINE,     /* text shares the line: no reindentation */
    MB_STANDALONE, /* the tag owns its line: content was dedented by the
                      intrinsic indentation, which is re-added at the site */
    MB_EMPTY_PAIR, /* "  {{$b}}{{/b}}" alone on a line: the leading blanks
                      are the site's indentation, and the line's newline is
                      written after content that does not end with one */
};

/* A dotted name split once at compile time: n NUL-terminated segments laid
 * end to end in segs; n == 0 is the implicit iterator ".". */
struct mst_path {
    char *segs;
    unsigned n;
};

struct mst_node {
    unsigned char type;       /* enum mst_node_type */
    unsigned char mode;       /* MN_BLOCK: enum mst_block_mode */
    bool escape;              /* MN_VAR: HTML-escape the value */
    bool standalone;          /* MN_PARTIAL, MN_PARENT: the tag owned its line */
    bool dynamic;             /* MN_PARTIAL, MN_PARENT: {{>*name}} */
    unsigned char eol;        /* MB_EMPTY_PAIR: 0, 1 ("\n") or 2 ("\r\n") */
    unsigned line;            /* 1-based source line of the tag, for messages */
    const char *text;         /* MN_TEXT: bytes; MN_PARTIAL/PARENT/BLOCK: indentation */
    size_t len;
    char *name;               /* the name as written (NUL-terminated) */
    struct mst_path path;     /* MN_VAR, MN_SECTION, MN_INVERTED, dynamic names */
    struct mst_node *kids;
    size_t nkids;
};

struct mst_tpl {
    char *name;
    char *src;                /* owned copy; MN_TEXT nodes point into it */
    struct mst_node *root;
    size_t nroot;
    char **pool;              /* translated strings, also pointed into */
    size_t npool;
};

struct mst_set {
    struct mst_options opt;
    struct mst_tpl **v;       /* sorted by name */
    size_t n, cap;
};

/* The template named name[0..len) in the set, or NULL. */
const struct mst_tpl *mst_find(const struct mst_set *set, const char *name, size_t len);

#endif
