/* Mustache compiler and template set.
 *
 * Compilation runs four passes over one template:
 *   1. lex: text and tags, with Set Delimiter tags applied as they come;
 *      text is cut after every newline so a line is a run of tokens;
 *   2. match: names are checked and every closing tag is paired with its
 *      opening tag (nesting is bounded here, once);
 *   3. standalone: a line holding only blanks and one tag that renders
 *      nothing (or one of the inheritance pairs the spec allows, such as
 *      "{{<parent}}{{$block}}") loses its blanks and newline;
 *   4. build: the node tree, with a line marker at the start of every kept
 *      line, so the renderer can indent partials without copying them.
 * Standalone decisions need to know what a closing tag closes and what is
 * on the rest of the line, which is why the tree is not built while lexing. */
#include "view/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "view/mustache_impl.h"

enum { TK_TEXT, TK_TAG };
enum { LF_START = 1, LF_NOMARK = 2 };

/* Positions are 32-bit: sources are bounded by MST_MAX_SOURCE, and a
 * template of newlines makes one token per byte. */
struct tok {
    unsigned char kind;     /* TK_TEXT or TK_TAG */
    char type;              /* tag sigil: # ^ / ! > < $ = & {, or 'v' */
    unsigned char lineflag; /* LF_START: first token of a line */
    unsigned char mode;     /* '$': enum mst_block_mode */
    unsigned char eolk;     /* '$' MB_EMPTY_PAIR: newline length (1 or 2) */
    bool eol;               /* text ending with '\n' */
    bool drop;              /* text removed by the standalone rule */
    bool standalone;        /* tag alone on its line */
    bool dyn;               /* '>' '<' '/': name starts with '*' */
    uint32_t line;
    uint32_t pos, len;      /* text bytes, or the trimmed tag content */
    uint32_t npos, nlen;    /* tag name (content without the '*') */
    uint32_t ipos, ilen;    /* indentation, see mst_node.text */
    uint32_t match;         /* index of the paired opening/closing tag */
};

struct comp {
    const struct mst_set *set;
    const char *name;
    const char *src;
    size_t n;
    struct tok *t;
    size_t nt, cap;
    struct mst_tpl *tpl;
    struct err *e;
};

/* What the build pass has open: the node being filled and its kids. */
struct cont {
    struct mst_node self;
    struct mst_node *v;
    size_t n, cap;
};

__attribute__((format(printf, 3, 4)))
static enum result cerr(struct comp *c, unsigned line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(c->e, E_INVALID, NULL, "%s:%u: %s", c->name, line, msg);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static const char *find(const char *h, size_t hn, const char *nd, size_t nn)
{
    if (nn == 0 || nn > hn)
        return NULL;
    const char *end = h + (hn - nn) + 1;
    for (const char *p = h; p < end; p++) {
        p = memchr(p, nd[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, nd, nn) == 0)
            return p;
    }
    return NULL;
}

static struct tok *push_tok(struct comp *c)
{
    if (c->nt == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->t = xrealloc(c->t, c->cap * sizeof *c->t);
    }
    struct tok *k = &c->t[c->nt++];
    memset(k, 0, sizeof *k);
    return k;
}

static void lex_text(struct comp *c, size_t from, size_t to, unsigned *line)
{
    while (from < to) {
        const char *nl = memchr(c->src + from, '\n', to - from);
        size_t end = nl ? (size_t)(nl - c->src) + 1 : to;
        struct tok *k = push_tok(c);
        k->kind = TK_TEXT;
        k->pos = (uint32_t)from;
        k->len = (uint32_t)(end - from);
        k->line = *line;
        k->eol = nl != NULL;
        if (nl)
            (*line)++;
        from = end;
    }
}

/* {{=<% %>=}}: two blank-separated delimiters, neither holding '=' or
 * blanks, so that the next tag can always be found unambiguously. */
static bool parse_delims(const char *s, size_t n, const char **ot, size_t *ol, const char **ct,
                         size_t *cl)
{
    size_t i = 0;
    while (i < n && !is_blank(s[i]))
        i++;
    size_t j = i;
    while (j < n && is_blank(s[j]))
        j++;
    if (i == 0 || j == i || j == n)
        return false;
    for (size_t k = j; k < n; k++)
        if (is_blank(s[k]))
            return false;
    if (memchr(s, '=', i) || memchr(s + j, '=', n - j))
        return false;
    *ot = s;
    *ol = i;
    *ct = s + j;
    *cl = n - j;
    return true;
}

static enum result lex(struct comp *c)
{
    const char *src = c->src;
    size_t n = c->n;
    const char *ot = "{{", *ct = "}}";
    size_t ol = 2, cl = 2;
    unsigned line = 1;
    size_t pos = 0;

    while (pos < n) {
        const char *f = find(src + pos, n - pos, ot, ol);
        size_t ts = f ? (size_t)(f - src) : n;
        lex_text(c, pos, ts, &line);
        if (!f)
            break;
        unsigned tline = line;
        size_t p = ts + ol;
        char type = p < n ? src[p] : '\0';
        if (type && strchr("#^/!><$=&{", type))
            p++;
        else
            type = 'v';
        /* {{{name}}} and {{=a b=}} end with their sigil before the closing
         * delimiter; the content ends before that sigil. */
        char pre = type == '{' ? '}' : type == '=' ? '=' : '\0';
        size_t q = p, ce;
        for (;;) {
            const char *cf = find(src + q, n - q, ct, cl);
            if (!cf)
                return cerr(c, tline, "tag is not closed");
            size_t k = (size_t)(cf - src);
            if (!pre) {
                ce = k;
                break;
            }
            if (k > p && src[k - 1] == pre) {
                ce = k - 1;
                break;
            }
            q = k + 1;
        }
        size_t te = (pre ? ce + 1 : ce) + cl;
        for (size_t i = ts; i < te; i++)
            if (src[i] == '\n')
                line++;
        size_t cs = p;
        while (cs < ce && is_blank(src[cs]))
            cs++;
        while (ce > cs && is_blank(src[ce - 1]))
            ce--;
        if (type == '=' && !parse_delims(src + cs, ce - cs, &ot, &ol, &ct, &cl))
            return cerr(c, tline, "invalid delimiters '%.*s'", (int)(ce - cs), src + cs);
        struct tok *k = push_tok(c);
        k->kind = TK_TAG;
        k->type = type;
        k->line = tline;
        k->pos = k->npos = (uint32_t)cs;
        k->len = k->nlen = (uint32_t)(ce - cs);
        pos = te;
    }
    return OK;
}

static const char *kind_word(char type)
{
    switch (type) {
    case '<': return "parent";
    case '$': return "block";
    case '^': return "inverted section";
    default: return "section";
    }
}

/* Names hold no blanks, nor NUL (they become C strings); dotted names have
 * no empty part ("." alone is the implicit iterator). A leading '*' on
 * partial and parent names makes the rest a dotted name looked up in the
 * context. */
static enum result check_name(struct comp *c, struct tok *k)
{
    if (k->type == '!' || k->type == '=')
        return OK;
    const char *s = c->src + k->pos;
    size_t n = k->len;
    if ((k->type == '>' || k->type == '<' || k->type == '/') && n && s[0] == '*') {
        size_t i = 1;
        while (i < n && is_blank(s[i]))
            i++;
        k->dyn = true;
        k->npos = (uint32_t)(k->pos + i);
        k->nlen = (uint32_t)(n - i);
        s += i;
        n -= i;
    }
    if (n == 0)
        return cerr(c, k->line, "empty tag name");
    for (size_t i = 0; i < n; i++)
        if (is_blank(s[i]) || s[i] == '\0')
            return cerr(c, k->line, "invalid tag name '%.*s'", (int)k->len, c->src + k->pos);
    bool dotted = k->dyn || strchr("v&{#^", k->type);
    if (dotted && !(n == 1 && s[0] == '.')) {
        for (size_t i = 0; i < n; i++)
            if (s[i] == '.' && (i == 0 || i + 1 == n || s[i + 1] == '.'))
                return cerr(c, k->line, "invalid dotted name '%.*s'", (int)n, s);
    }
    return OK;
}

static enum result match(struct comp *c)
{
    size_t stack[MST_MAX_DEPTH];
    size_t sp = 0;
    for (size_t i = 0; i < c->nt; i++) {
        struct tok *k = &c->t[i];
        if (k->kind != TK_TAG)
            continue;
        enum result rc = check_name(c, k);
        if (rc != OK)
            return rc;
        if (strchr("#^<$", k->type)) {
            if (sp == MST_MAX_DEPTH)
                return cerr(c, k->line, "sections nested deeper than %d", MST_MAX_DEPTH);
            stack[sp++] = i;
        } else if (k->type == '/') {
            if (sp == 0)
                return cerr(c, k->line, "closing tag '%.*s' has no opening tag", (int)k->len,
                            c->src + k->pos);
            struct tok *o = &c->t[stack[--sp]];
            /* A closing "{{/ *x}}" also closes "{{#*x}}": only after > and < is * dynamic. */
            bool same = o->dyn == k->dyn
                ? o->nlen == k->nlen && memcmp(c->src + o->npos, c->src + k->npos, k->nlen) == 0
                : o->len == k->len && memcmp(c->src + o->pos, c->src + k->pos, k->len) == 0;
            if (!same)
                return cerr(c, k->line,
                            "closing tag '%.*s' does not match %s '%.*s' opened on line %u",
                            (int)k->len, c->src + k->pos, kind_word(o->type), (int)o->len,
                            c->src + o->pos, (unsigned)o->line);
            o->match = (uint32_t)i;
            k->match = (uint32_t)stack[sp];
        }
    }
    if (sp) {
        struct tok *o = &c->t[stack[sp - 1]];
        return cerr(c, o->line, "%s '%.*s' is not closed", kind_word(o->type), (int)o->len,
                    c->src + o->pos);
    }
    return OK;
}

/* Blanks only, up to an optional final newline. */
static bool text_is_blank(const struct comp *c, const struct tok *k)
{
    const char *s = c->src + k->pos;
    size_t n = k->len;
    if (k->eol) {
        n--;
        if (n && s[n - 1] == '\r')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* What closing tag k closes. */
static char closes(const struct comp *c, const struct tok *k)
{
    return k->type == '/' ? c->t[k->match].type : '\0';
}

enum line_kind { L_NONE, L_SINGLE, L_PARENT_BLOCK, L_BLOCK_PARENT, L_EMPTY_BLOCK, L_EMPTY_PARENT };

static enum line_kind classify(const struct comp *c, const size_t *tags, int ntag)
{
    const struct tok *a = &c->t[tags[0]];
    if (ntag == 1)
        return strchr("#^/!><$=", a->type) ? L_SINGLE : L_NONE;
    const struct tok *b = &c->t[tags[1]];
    if (tags[1] != tags[0] + 1)
        return L_NONE;
    if (a->type == '<' && b->type == '$')
        return L_PARENT_BLOCK;
    if (closes(c, a) == '$' && closes(c, b) == '<')
        return L_BLOCK_PARENT;
    if (a->type == '$' && b->type == '/')
        return L_EMPTY_BLOCK;
    if (a->type == '<' && b->type == '/')
        return L_EMPTY_PARENT;
    return L_NONE;
}

/* The intrinsic indentation of a block whose opening tag owns its line: the
 * blanks leading the first non-blank line after it (which may be the line
 * of the closing tag, when the default is empty). */
static void intrinsic_indent(const struct comp *c, size_t from, struct tok *k)
{
    size_t q = from;
    for (;;) {
        size_t r = q;
        while (r < c->n && (c->src[r] == ' ' || c->src[r] == '\t'))
            r++;
        if (r < c->n && c->src[r] == '\n') {
            q = r + 1;
        } else if (r + 1 < c->n && c->src[r] == '\r' && c->src[r + 1] == '\n') {
            q = r + 2;
        } else {
            k->ipos = (uint32_t)q;
            k->ilen = r < c->n ? (uint32_t)(r - q) : 0;
            return;
        }
    }
}

static void standalone(struct comp *c)
{
    size_t i = 0;
    while (i < c->nt) {
        size_t first = i, last = i;
        while (last + 1 < c->nt && !(c->t[last].kind == TK_TEXT && c->t[last].eol))
            last++;
        i = last + 1;
        struct tok *t = c->t;
        t[first].lineflag |= LF_START;
        if (first == last && t[first].kind == TK_TEXT && t[first].eol &&
            (t[first].len == 1 || (t[first].len == 2 && c->src[t[first].pos] == '\r')))
            t[first].lineflag |= LF_NOMARK; /* an empty line: nothing to indent */

        size_t tags[2];
        int ntag = 0;
        bool ok = true;
        for (size_t k = first; k <= last && ok; k++) {
            if (t[k].kind == TK_TEXT)
                ok = text_is_blank(c, &t[k]);
            else if (ntag == 2)
                ok = false;
            else
                tags[ntag++] = k;
        }
        if (!ok || ntag == 0)
            continue;
        enum line_kind lk = classify(c, tags, ntag);
        if (lk == L_NONE)
            continue;

        t[first].lineflag |= LF_NOMARK;
        size_t line_end = t[last].kind == TK_TEXT && t[last].eol ? t[last].pos + t[last].len : c->n;
        uint32_t ipos = t[first].kind == TK_TEXT ? t[first].pos : t[tags[0]].pos;
        uint32_t ilen = t[first].kind == TK_TEXT ? t[first].len : 0;
        for (size_t k = first; k <= last; k++)
            if (t[k].kind == TK_TEXT)
                t[k].drop = true;
        struct tok *a = &t[tags[0]];
        a->standalone = true;
        a->ipos = ipos;
        a->ilen = ilen;
        if (ntag == 2)
            t[tags[1]].standalone = true;

        if (lk == L_EMPTY_BLOCK) {
            /* The spec keeps this line's newline after an argument that
             * lacks one ("Standalone block"); the renderer decides. */
            const struct tok *nl = &t[last];
            if (nl->kind == TK_TEXT && nl->eol)
                a->eolk = nl->len >= 2 && c->src[nl->pos + nl->len - 2] == '\r' ? 2 : 1;
            a->mode = MB_EMPTY_PAIR;
        } else if (lk == L_SINGLE && a->type == '$') {
            a->mode = MB_STANDALONE;
            intrinsic_indent(c, line_end, a);
        } else if (lk == L_PARENT_BLOCK) {
            t[tags[1]].mode = MB_STANDALONE;
            intrinsic_indent(c, line_end, &t[tags[1]]);
        }
    }
}

static struct mst_node *add_node(struct cont *ct, unsigned char type, unsigned line)
{
    if (ct->n == ct->cap) {
        ct->cap = ct->cap ? ct->cap * 2 : 8;
        ct->v = xrealloc(ct->v, ct->cap * sizeof *ct->v);
    }
    struct mst_node *nd = &ct->v[ct->n++];
    memset(nd, 0, sizeof *nd);
    nd->type = type;
    nd->line = line;
    return nd;
}

static void make_path(struct mst_path *p, const char *s, size_t n)
{
    if (n == 1 && s[0] == '.') {
        p->segs = NULL;
        p->n = 0;
        return;
    }
    p->segs = xstrndup(s, n);
    p->n = 1;
    for (size_t i = 0; i < n; i++)
        if (p->segs[i] == '.') {
            p->segs[i] = '\0';
            p->n++;
        }
}

/* Fills the name fields of nd from tag k. */
static void name_node(struct comp *c, struct mst_node *nd, const struct tok *k, bool path)
{
    nd->name = xstrndup(c->src + k->npos, k->nlen);
    nd->dynamic = k->dyn;
    if (path || k->dyn)
        make_path(&nd->path, c->src + k->npos, k->nlen);
}

static void strip_prefix(const char **s, size_t *n, const char *pre, size_t pn)
{
    size_t k = 0;
    while (k < *n && k < pn && (*s)[k] == pre[k])
        k++;
    *s += k;
    *n -= k;
}

/* Removes a standalone block's intrinsic indentation from the lines it
 * holds; the renderer adds the indentation of the site where the content
 * lands. Nested blocks that own their lines were already dedented by their
 * own (deeper) indentation, so only their recorded indentation shifts. */
static void dedent(struct mst_node *v, size_t n, const char *pre, size_t pn)
{
    for (size_t i = 0; i < n; i++) {
        struct mst_node *nd = &v[i];
        switch (nd->type) {
        case MN_LINE:
            if (i + 1 < n && v[i + 1].type == MN_TEXT)
                strip_prefix(&v[i + 1].text, &v[i + 1].len, pre, pn);
            break;
        case MN_SECTION:
        case MN_INVERTED:
            dedent(nd->kids, nd->nkids, pre, pn);
            break;
        case MN_PARTIAL:
            if (nd->standalone)
                strip_prefix(&nd->text, &nd->len, pre, pn);
            break;
        case MN_PARENT:
            if (nd->standalone)
                strip_prefix(&nd->text, &nd->len, pre, pn);
            for (size_t k = 0; k < nd->nkids; k++)
                if (nd->kids[k].mode == MB_INLINE)
                    dedent(nd->kids[k].kids, nd->kids[k].nkids, pre, pn);
            break;
        case MN_BLOCK:
            if (nd->mode == MB_INLINE)
                dedent(nd->kids, nd->nkids, pre, pn);
            else
                strip_prefix(&nd->text, &nd->len, pre, pn);
            break;
        default:
            break;
        }
    }
}

static const char *pool_add(struct mst_tpl *t, const char *s)
{
    t->pool = xrealloc(t->pool, (t->npool + 1) * sizeof *t->pool);
    t->pool[t->npool] = xstrdup(s);
    return t->pool[t->npool++];
}

/* {{#_}}literal text{{/_}} → the translation, as text nodes with a line
 * marker after each inner newline (the translation may span lines). */
static enum result translate_section(struct comp *c, size_t open, struct cont *ct)
{
    size_t close = c->t[open].match;
    struct buf id = BUF_INIT;
    for (size_t k = open + 1; k < close; k++) {
        const struct tok *tk = &c->t[k];
        if (tk->kind == TK_TAG) {
            buf_free(&id);
            return cerr(c, tk->line, "section '_' must hold only text to translate");
        }
        if (!tk->drop)
            buf_add(&id, c->src + tk->pos, tk->len);
    }
    if (id.len) {
        const char *tr = c->set->opt.translate(buf_cstr(&id));
        const char *s = pool_add(c->tpl, tr ? tr : buf_cstr(&id));
        size_t n = strlen(s);
        while (n) {
            const char *nl = memchr(s, '\n', n);
            size_t len = nl ? (size_t)(nl - s) + 1 : n;
            struct mst_node *nd = add_node(ct, MN_TEXT, c->t[open].line);
            nd->text = s;
            nd->len = len;
            s += len;
            n -= len;
            if (n)
                add_node(ct, MN_LINE, c->t[open].line);
        }
    }
    buf_free(&id);
    return OK;
}

static void free_nodes(struct mst_node *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path.segs);
        free_nodes(v[i].kids, v[i].nkids);
    }
    free(v);
}

static enum result build(struct comp *c)
{
    struct cont *st = xcalloc(MST_MAX_DEPTH + 1, sizeof *st);
    size_t sp = 0;
    enum result rc = OK;

    for (size_t i = 0; i < c->nt && rc == OK; i++) {
        const struct tok *k = &c->t[i];
        struct cont *cur = &st[sp];
        bool in_parent = sp > 0 && cur->self.type == MN_PARENT;

        /* Between a parent's tags only blocks count: the rest is ignored. */
        if (in_parent) {
            if (k->kind != TK_TAG)
                continue;
            if (k->type == '#' || k->type == '^' || k->type == '<') {
                i = k->match;
                continue;
            }
            if (k->type != '$' && k->type != '/')
                continue;
        }
        if ((k->lineflag & LF_START) && !(k->lineflag & LF_NOMARK) && !in_parent)
            add_node(cur, MN_LINE, k->line);
        if (k->kind == TK_TEXT) {
            if (!k->drop && k->len) {
                struct mst_node *nd = add_node(cur, MN_TEXT, k->line);
                nd->text = c->src + k->pos;
                nd->len = k->len;
            }
            continue;
        }
        struct mst_node *nd;
        switch (k->type) {
        case 'v':
        case '&':
        case '{':
            /* a set with its own escaper (documents) keeps every value escaped:
             * a value must never become markup */
            if (k->type != 'v' && c->set->opt.escape) {
                rc = cerr(c, k->line, "{{{…}}} and {{&…}} are not allowed here: every value "
                                      "is escaped");
                continue; /* the loop ends on rc; what was built is freed below */
            }
            nd = add_node(cur, MN_VAR, k->line);
            nd->escape = k->type == 'v';
            name_node(c, nd, k, true);
            break;
        case '>':
            nd = add_node(cur, MN_PARTIAL, k->line);
            name_node(c, nd, k, false);
            nd->standalone = k->standalone;
            nd->text = c->src + k->ipos;
            nd->len = k->ilen;
            break;
        case '#':
        case '^':
        case '<':
        case '$':
            if (k->type == '#' && c->set->opt.translate && k->nlen == 1 && c->src[k->npos] == '_') {
                rc = translate_section(c, i, cur);
                i = k->match;
                break;
            }
            sp++;
            memset(&st[sp], 0, sizeof st[sp]);
            nd = &st[sp].self;
            nd->type = k->type == '#' ? MN_SECTION
                     : k->type == '^' ? MN_INVERTED
                     : k->type == '<' ? MN_PARENT : MN_BLOCK;
            nd->line = k->line;
            name_node(c, nd, k, k->type == '#' || k->type == '^');
            nd->standalone = k->standalone;
            nd->mode = k->mode;
            nd->eol = k->eolk;
            nd->text = c->src + k->ipos;
            nd->len = k->ilen; /* 0 unless the tag owns its line */
            break;
        case '/': {
            struct cont *done = &st[sp--];
            struct mst_node self = done->self;
            self.kids = done->v;
            self.nkids = done->n;
            if (self.type == MN_BLOCK && self.mode == MB_STANDALONE && self.len)
                dedent(self.kids, self.nkids, self.text, self.len);
            *add_node(&st[sp], self.type, self.line) = self;
            break;
        }
        default: /* comments and delimiter changes leave nothing */
            break;
        }
    }
    if (rc == OK) {
        c->tpl->root = st[0].v;
        c->tpl->nroot = st[0].n;
    } else {
        for (size_t k = 0; k <= sp; k++) {
            if (k > 0) {
                free(st[k].self.name);
                free(st[k].self.path.segs);
            }
            free_nodes(st[k].v, st[k].n);
        }
    }
    free(st);
    return rc;
}

static void tpl_free(struct mst_tpl *t)
{
    if (!t)
        return;
    free_nodes(t->root, t->nroot);
    for (size_t i = 0; i < t->npool; i++)
        free(t->pool[i]);
    free(t->pool);
    free(t->src);
    free(t->name);
    free(t);
}

static int name_cmp(const char *a, const char *b, size_t bl)
{
    size_t al = strlen(a);
    int d = memcmp(a, b, al < bl ? al : bl);
    if (d)
        return d;
    return al < bl ? -1 : al > bl;
}

/* Index of name in the sorted set, or where it would go (with *found). */
static size_t set_pos(const struct mst_set *set, const char *name, size_t len, bool *found)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = name_cmp(set->v[mid]->name, name, len);
        if (d == 0) {
            *found = true;
            return mid;
        }
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

const struct mst_tpl *mst_find(const struct mst_set *set, const char *name, size_t len)
{
    bool found;
    size_t i = set_pos(set, name, len, &found);
    return found ? set->v[i] : NULL;
}

struct mst_set *mst_set_new(const struct mst_options *opt)
{
    struct mst_set *set = xcalloc(1, sizeof *set);
    if (opt)
        set->opt = *opt;
    return set;
}

void mst_set_free(struct mst_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        tpl_free(set->v[i]);
    free(set->v);
    free(set);
}

bool mst_set_has(const struct mst_set *set, const char *name)
{
    return mst_find(set, name, strlen(name)) != NULL;
}

enum result mst_set_add(struct mst_set *set, const char *name, const char *source, size_t len,
                        struct err *e)
{
    if (len > MST_MAX_SOURCE)
        return err_set(e, E_TOOBIG, NULL, "%s: template is larger than %u bytes", name,
                       MST_MAX_SOURCE);
    bool found;
    size_t at = set_pos(set, name, strlen(name), &found);
    if (found)
        return err_set(e, E_CONFLICT, NULL, "%s: a template of that name is already in the set",
                       name);

    struct mst_tpl *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->src = xmalloc(len + 1);
    if (len)
        memcpy(t->src, source, len);
    t->src[len] = '\0';
    struct comp c = {.set = set, .name = name, .src = t->src, .n = len, .tpl = t, .e = e};
    enum result rc = lex(&c);
    if (rc == OK)
        rc = match(&c);
    if (rc == OK) {
        standalone(&c);
        rc = build(&c);
    }
    free(c.t);
    if (rc != OK) {
        tpl_free(t);
        return rc;
    }
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->v = xrealloc(set->v, set->cap * sizeof *set->v);
    }
    memmove(&set->v[at + 1], &set->v[at], (set->n - at) * sizeof *set->v);
    set->v[at] = t;
    set->n++;
    return OK;
}
