/* actors.c — the actor dictionary (data/actors.tsv) and its alias matcher.
 *
 * The file is small (a few hundred aliases), so it is parsed at start-up
 * (well under a millisecond) instead of being compiled to an image.  Each
 * alias becomes a path of word ids in a trie stored as one hash table keyed
 * by (node, word id); the matcher walks it from every word and keeps the
 * longest alias, so "Syrian Democratic Forces" wins over "Syrian".  Aliases
 * written with a leading '=' match only in that exact case ("=IS" must not
 * match the verb "is").  File grammar: see the header of data/actors.tsv. */
#include "extract/xint.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct edge {
    uint64_t key;   /* node << 32 | word id; 0 = empty */
    uint32_t to;
} edge;

struct x_actors {
    x_actor *a;
    size_t n, cap;
    edge *e;
    uint32_t ne, nused;     /* table size (power of two), edges in use */
    int32_t *term;          /* node -> actor index, -1 */
    uint32_t nnode, capnode;
    /* word ids that leave the root, as bits: most words of a sentence start
     * no alias, and one bit test answers that before any hash probe */
    uint64_t *root;
    uint32_t nroot;         /* words (bits) the array covers */
};

static int root_add(x_actors *t, uint32_t word)
{
    if (word >= t->nroot) {
        uint32_t nb = t->nroot ? t->nroot : 1024;
        while (nb <= word)
            nb *= 2;
        uint64_t *r = sr_realloc(t->root, nb / 64 * sizeof *r);
        if (!r)
            return -1;
        memset(r + t->nroot / 64, 0, (nb - t->nroot) / 64 * sizeof *r);
        t->root = r;
        t->nroot = nb;
    }
    t->root[word >> 6] |= 1ull << (word & 63);
    return 0;
}

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static uint32_t edge_get(const x_actors *t, uint32_t node, uint32_t word)
{
    if (!t->ne || !word)
        return 0;
    uint64_t key = ((uint64_t)node << 32 | word);
    uint32_t h = (uint32_t)mix(key) & (t->ne - 1);
    while (t->e[h].key) {
        if (t->e[h].key == key)
            return t->e[h].to;
        h = (h + 1) & (t->ne - 1);
    }
    return 0;
}

static int new_node(x_actors *t)
{
    if (t->nnode == t->capnode) {
        uint32_t nc = t->capnode ? t->capnode * 2 : 256;
        int32_t *nt = sr_realloc(t->term, nc * sizeof *nt);
        if (!nt)
            return -1;
        t->term = nt;
        t->capnode = nc;
    }
    t->term[t->nnode] = -1;
    return (int)t->nnode++;
}

static int edge_put(x_actors *t, uint32_t node, uint32_t word, uint32_t *to)
{
    uint32_t got = edge_get(t, node, word);
    if (got) {
        *to = got;
        return 0;
    }
    if ((t->nused + 1) * 2 > t->ne) {
        uint32_t nn = t->ne ? t->ne * 2 : 1024;
        edge *ne = sr_calloc(nn, sizeof *ne);
        if (!ne)
            return -1;
        for (uint32_t i = 0; i < t->ne; i++)
            if (t->e[i].key) {
                uint32_t h = (uint32_t)mix(t->e[i].key) & (nn - 1);
                while (ne[h].key)
                    h = (h + 1) & (nn - 1);
                ne[h] = t->e[i];
            }
        sr_free(t->e);
        t->e = ne;
        t->ne = nn;
    }
    int nd = new_node(t);
    if (nd < 0 || (node == 0 && root_add(t, word)))
        return -1;
    uint64_t key = ((uint64_t)node << 32 | word);
    uint32_t h = (uint32_t)mix(key) & (t->ne - 1);
    while (t->e[h].key)
        h = (h + 1) & (t->ne - 1);
    t->e[h].key = key;
    t->e[h].to = (uint32_t)nd;
    t->nused++;
    *to = (uint32_t)nd;
    return 0;
}

/* Split an alias into words the way x_words splits a sentence (spaces,
 * hyphens kept as their own word, "'s" apart) and add its trie path. */
static int add_alias(x_actors *t, x_lex *lex, const char *s, size_t n, int actor)
{
    int exact = 0;
    if (n && s[0] == '=')
        exact = 1, s++, n--;
    uint32_t node = 0;
    size_t i = 0;
    int any = 0;
    char tmp[128];
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t j = i;
        if (s[i] == '-')
            j = i + 1;
        else if (s[i] == '\'' && i + 1 < n && (s[i + 1] == 's' || s[i + 1] == 'S'))
            j = i + 2;
        else
            while (j < n && s[j] != ' ' && s[j] != '-' && !(s[j] == '\'' && j + 1 < n && s[j + 1] == 's' &&
                                                          (j + 2 == n || s[j + 2] == ' ')))
                j++;
        size_t len = j - i;
        if (len + 2 > sizeof tmp)
            return -1;
        uint32_t id;
        if (exact) {
            tmp[0] = '=';
            memcpy(tmp + 1, s + i, len);
            id = x_lex_id(lex, tmp, len + 1, 1);
        } else {
            size_t m = x_fold(s + i, len, tmp);
            id = x_lex_id(lex, tmp, m, 1);
        }
        if (!id || edge_put(t, node, id, &node))
            return -1;
        any = 1;
        i = j;
    }
    if (any && t->term[node] < 0)
        t->term[node] = actor;
    return 0;
}

static char *field(char **p)
{
    char *s = *p, *tab = strchr(s, '\t');
    if (tab)
        *tab = '\0', *p = tab + 1;
    else
        *p = s + strlen(s);
    return s;
}

static char *dup_or_null(const char *s)
{
    if (!*s || !strcmp(s, "-"))
        return NULL;
    return sr_strdup(s);
}

void x_actors_free(x_actors *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        x_actor *a = &t->a[i];
        sr_free(a->id), sr_free(a->group), sr_free(a->kind), sr_free(a->name);
        sr_free(a->backed_by), sr_free(a->country);
    }
    sr_free(t->a);
    sr_free(t->e);
    sr_free(t->root);
    sr_free(t->term);
    sr_free(t);
}

sr_status x_actors_load(x_actors **out, const char *path, x_lex *lex, sr_ctx *ctx)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return sr_ctx_error(ctx, SR_EIO, "%s: %s", path, strerror(errno));
    x_actors *t = sr_calloc(1, sizeof *t);
    sr_status st = SR_OK;
    char line[8192];
    int ln = 0;
    if (!t || new_node(t) < 0) {
        st = sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    while (fgets(line, sizeof line, f)) {
        ln++;
        size_t L = strlen(line);
        while (L && (line[L - 1] == '\n' || line[L - 1] == '\r'))
            line[--L] = '\0';
        if (!L || line[0] == '#')
            continue;
        char *p = line;
        char *id = field(&p), *group = field(&p), *kind = field(&p), *country = field(&p);
        char *backed = field(&p), *name = field(&p), *aliases = field(&p);
        if (!*id || !*kind || !*name) {
            st = sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 0: expected 7 tab-separated fields", path, ln);
            goto done;
        }
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 64;
            x_actor *na = sr_realloc(t->a, nc * sizeof *na);
            if (!na) {
                st = sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            t->a = na, t->cap = nc;
        }
        x_actor *a = &t->a[t->n];
        memset(a, 0, sizeof *a);
        a->id = sr_strdup(id), a->group = dup_or_null(group), a->kind = sr_strdup(kind);
        a->country = dup_or_null(country), a->backed_by = dup_or_null(backed), a->name = sr_strdup(name);
        t->n++;
        if (!a->id || !a->kind || !a->name) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", path);
            goto done;
        }
        a->bits = (!strcmp(kind, "nsag") ? XA_NSAG : 0) | (!strcmp(kind, "jihadist") ? XA_JIHADIST : 0) |
                  (!strcmp(kind, "media") ? XA_MEDIA : 0) | (!strcmp(kind, "monitor") ? XA_MONITOR : 0) |
                  (a->country && !strcmp(a->country, "SY") ? XA_SY : 0) |
                  (a->country && !strcmp(a->country, "IQ") ? XA_IQ : 0);
        /* the canonical name is an alias too */
        const char *al[2] = {name, aliases};
        for (int k = 0; k < 2; k++) {
            const char *s = al[k];
            while (*s) {
                const char *e = strchr(s, '|');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                while (n && s[0] == ' ')
                    s++, n--;
                while (n && s[n - 1] == ' ')
                    n--;
                if (n && add_alias(t, lex, s, n, (int)(t->n - 1))) {
                    st = sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: cannot add alias", path, ln);
                    goto done;
                }
                if (!e)
                    break;
                s = e + 1;
            }
        }
    }
    if (ferror(f))
        st = sr_ctx_error(ctx, SR_EIO, "%s: read error", path);
done:
    fclose(f);
    if (st) {
        x_actors_free(t);
        return st;
    }
    *out = t;
    return SR_OK;
}

size_t x_actors_count(const x_actors *a) { return a ? a->n : 0; }
const x_actor *x_actor_at(const x_actors *a, size_t i) { return &a->a[i]; }

int x_actor_find(const x_actors *a, const char *id)
{
    for (size_t i = 0; a && i < a->n; i++)
        if (!strcmp(a->a[i].id, id))
            return (int)i;
    return -1;
}

/* Depth-first over the exact-case and folded edges; keeps the longest end. */
static void walk(const x_actors *t, const xw *w, size_t n, size_t i, uint32_t node, size_t depth, size_t *best,
                 int *actor)
{
    if (depth && t->term[node] >= 0 && depth > *best)
        *best = depth, *actor = t->term[node];
    if (i >= n)
        return;
    uint32_t c;
    if (w[i].cid && (c = edge_get(t, node, w[i].cid)))
        walk(t, w, n, i + 1, c, depth + 1, best, actor);
    if (w[i].id && (c = edge_get(t, node, w[i].id)))
        walk(t, w, n, i + 1, c, depth + 1, best, actor);
    /* "Islamic States" (possessive without apostrophe): only as the last word */
    if (w[i].sid && !(w[i].flags & XW_UPPER) && (c = edge_get(t, node, w[i].sid)) && t->term[c] >= 0 &&
        depth + 1 > *best)
        *best = depth + 1, *actor = t->term[c];
}

const uint64_t *x_actor_starts(const x_actors *t, uint32_t *nbits)
{
    *nbits = t ? t->nroot : 0;
    return t ? t->root : NULL;
}

size_t x_actor_match(const x_actors *t, const xw *w, size_t n, size_t i, int *actor)
{
    size_t best = 0;
    *actor = -1;
    if (t && i < n && x_actor_may_start(t->root, t->nroot, &w[i]))
        walk(t, w, n, i, 0, 0, &best, actor);
    return best;
}
