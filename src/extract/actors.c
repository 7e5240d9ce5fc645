/* actors.c — the actor dictionary (data/actors.tsv) and its alias matcher.
 *
 * The file is small (a few hundred aliases), so it is parsed at start-up
 * (well under a millisecond) instead of being compiled to an image.  Each
 * alias becomes a path of word ids in a trie, built as one hash table keyed
 * by (node, word id); the matcher walks it from every word that may start
 * an alias and keeps the longest, so "Syrian Democratic Forces" wins over
 * "Syrian".  Aliases written with a leading '=' match only in that exact
 * case ("=IS" must not match the verb "is").  File grammar: see the header
 * of data/actors.tsv.
 *
 * The matcher is asked at ~100,000 words per 3 MB of text, so at the end
 * of the load the trie is also laid out as arrays (freeze): the root's
 * kids by word id (one load instead of a hash probe), every other node's
 * kids in a short sorted run read in one pass for the word's three ids
 * (exact case, folded, less a final 's').  The hash-table walk stays as the
 * plain mode (x_actors_set_plain), the reference the tests compare with. */
#include "extract/xint.h"
#include "core/mem.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* wflag bits: the id starts an alias, is one on its own (the root's kid
 * by it ends one), is the word of an edge below the root (most words
 * after "the" go on no alias: kids_of, x_actor_begins). */
enum { WF_START = 1, WF_WHOLE = 2, WF_INNER = 4 };

/* Aliases of more words than this are matched by the hash table (walk_run
 * keeps one entry a word on the stack); the dictionary's longest has 7. */
#define ACTOR_DEPTH 32

/* Entries after the last kid of kw and kto (zero): kids_of reads a short
 * run as 8 entries from its first, whatever its length. */
#define KID_PAD 8

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
    size_t maxlen;          /* words of the longest alias */
    /* word ids that leave the root, as bits: most words of a sentence start
     * no alias, and one bit test answers that before any hash probe */
    uint64_t *root;
    uint32_t nroot;         /* words (bits) the array covers */
    /* the trie as arrays (freeze): rkid[word] is the root's kid by that
     * word (0: none; nroot entries), the kids of node v are the (kw, kto)
     * pairs koff[v] .. koff[v + 1], sorted by word */
    uint32_t *rkid;
    uint32_t *koff, *kw, *kto;
    uint8_t *wflag;         /* per word id (nroot of them), WF_*: what a word of that id can be in an alias; a
                               byte, so that a word's three ids are ORed in three loads (x_actor_begins) */
    const x_lex *lex;       /* borrowed: the lexicon of the aliases (x_actor_starts covers its ids) */
    int plain;              /* match by the hash table (tests) */
};

/* Grow the table *p of old to nb entries of `size` bytes, the new ones 0;
 * a NULL table stays NULL (not made yet). */
static int grow_zero(void **p, size_t old, size_t nb, size_t size)
{
    if (!*p)
        return 0;
    char *q = sr_realloc(*p, nb * size);
    if (!q)
        return -1;
    memset(q + old * size, 0, (nb - old) * size);
    *p = q;
    return 0;
}

/* Make the root bitset (and, once frozen, the tables by word id) cover
 * word ids below `words`; the new ids start no alias. */
static int root_cover(x_actors *t, uint32_t words)
{
    if (words <= t->nroot)
        return 0;
    uint32_t nb = t->nroot ? t->nroot : 1024;
    while (nb < words)
        nb *= 2;
    if (!t->root && !(t->root = sr_calloc(1, sizeof *t->root)))
        return -1;
    /* nroot changes only when all have grown: on failure they all still
     * cover the old size */
    if (grow_zero((void **)&t->root, t->nroot / 64, nb / 64, sizeof *t->root) ||
        grow_zero((void **)&t->wflag, t->nroot, nb, sizeof *t->wflag) ||
        grow_zero((void **)&t->rkid, t->nroot, nb, sizeof *t->rkid))
        return -1;
    t->nroot = nb;
    return 0;
}

static int root_add(x_actors *t, uint32_t word)
{
    if (root_cover(t, word + 1))
        return -1;
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
    size_t i = 0, depth = 0;
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
        depth++;
        i = j;
    }
    if (any && t->term[node] < 0)
        t->term[node] = actor;
    if (depth > t->maxlen)
        t->maxlen = depth;
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
    sr_free(t->rkid);
    sr_free(t->wflag);
    sr_free(t->koff);
    sr_free(t->kw);
    sr_free(t->kto);
    sr_free(t->term);
    sr_free(t);
}

static int cmpkey(const void *a, const void *b)
{
    uint64_t x = ((const edge *)a)->key, y = ((const edge *)b)->key;
    return x < y ? -1 : x > y;
}

/* Lay the trie out as arrays (see the header): the root's kids by word
 * id, the others' in runs sorted by (node, word), which is the order of
 * the edges' keys. */
static int freeze(x_actors *t, const x_lex *lex)
{
    if (t->maxlen >= ACTOR_DEPTH)
        return 0;   /* walk_run's tables would not hold an alias: the hash table serves */
    /* the tables by word id cover every id of the aliases (all below lex->n) */
    if (root_cover(t, lex->n))
        return -1;
    edge *all = sr_malloc((t->nused + 1) * sizeof *all);
    t->rkid = sr_calloc(t->nroot ? t->nroot : 1, sizeof *t->rkid);
    t->wflag = sr_calloc(t->nroot ? t->nroot : 1, sizeof *t->wflag);
    t->koff = sr_calloc(t->nnode + 1, sizeof *t->koff);
    t->kw = sr_calloc(t->nused + 1 + KID_PAD, sizeof *t->kw);
    t->kto = sr_calloc(t->nused + 1 + KID_PAD, sizeof *t->kto);
    if (!all || !t->rkid || !t->wflag || !t->koff || !t->kw || !t->kto) {
        sr_free(all);
        return -1;
    }
    uint32_t ne = 0;
    for (uint32_t i = 0; i < t->ne; i++)
        if (t->e[i].key)
            all[ne++] = t->e[i];
    qsort(all, ne, sizeof *all, cmpkey);
    uint32_t nk = 0;
    for (uint32_t i = 0; i < ne; i++) {
        uint32_t node = (uint32_t)(all[i].key >> 32), word = (uint32_t)all[i].key;
        if (!node) {
            t->rkid[word] = all[i].to;  /* a root word: below nroot (root_add) */
            t->wflag[word] |= WF_START | (t->term[all[i].to] >= 0 ? WF_WHOLE : 0);
            continue;
        }
        t->koff[node + 1]++;
        t->kw[nk] = word, t->kto[nk] = all[i].to, nk++;
        t->wflag[word] |= WF_INNER;  /* below nroot: see above */
    }
    for (uint32_t v = 0; v < t->nnode; v++)
        t->koff[v + 1] += t->koff[v];
    sr_free(all);
    return 0;
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
                  (a->country && !strcmp(a->country, "IQ") ? XA_IQ : 0) | (a->id[0] == '?' ? XA_GENERIC : 0);
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
                    st = lex->n >= XLEX_MAX
                             ? sr_ctx_error(ctx, SR_EFORMAT,
                                            "%s:%d: cannot add alias: too many distinct words in the rules and aliases "
                                            "(at most 65,535)",
                                            path, ln)
                             : sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: cannot add alias", path, ln);
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
    else if (freeze(t, lex))
        st = sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", path);
    t->lex = lex;
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

/* Depth-first over the exact-case and folded edges; keeps the longest end.
 * The plain mode: a hash probe per edge. */
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

/* The kid by `word` among the sorted kids k .. e (k < e; 0: none).  The
 * search halves the run by a select, not a branch: its steps depend on the
 * run's length only, where the branch on each comparison was a coin toss. */
static uint32_t kid_in(const x_actors *t, uint32_t k, uint32_t e, uint32_t word)
{
    if (!word)
        return 0;
    const uint32_t *b = t->kw + k;
    for (uint32_t n = e - k; n > 1;) {
        uint32_t half = n / 2;
        b = b[half] < word ? b + half : b;
        n -= half;
    }
    uint32_t lo = (uint32_t)(b - t->kw) + (*b < word);
    return lo < e && t->kw[lo] == word ? t->kto[lo] : 0;
}

/* The kids of node (not the root) by word w's exact-case, folded and
 * less-'s' ids, in *cc, *ci, *cs (0: none); false (and the three
 * untouched) when it has no kid.  Ids are never 0 in the trie, so a word's
 * missing id finds nothing. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int kids_of(const x_actors *t, uint32_t node, const xw *w, uint32_t *cc, uint32_t *ci, uint32_t *cs)
{
    uint32_t k = t->koff[node], e = t->koff[node + 1];
    if (k == e)
        return 0;
    uint32_t cid = w->cid, id = w->id, sid = w->sid, a = 0, b = 0, c = 0;
    if (e - k <= 8) {
#if SR_SSE2
        /* most nodes: a short run, its 8 entries from k (KID_PAD) compared
         * with the three ids four at a time, the run's own kept by `valid`:
         * no loop, whose exit after 1 to 8 kids mispredicted (a kid's word
         * is never 0, nor twice in a run, so a match is the kid) */
        __m128i k0 = _mm_loadu_si128((const __m128i *)(const void *)(t->kw + k));
        __m128i k1 = _mm_loadu_si128((const __m128i *)(const void *)(t->kw + k + 4));
        unsigned valid = (1u << (e - k)) - 1;
        __m128i vc = _mm_set1_epi32((int)cid), vi = _mm_set1_epi32((int)id), vs = _mm_set1_epi32((int)sid);
        unsigned mc = ((unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k0, vc))) |
                       (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k1, vc))) << 4) & valid;
        unsigned mi = ((unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k0, vi))) |
                       (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k1, vi))) << 4) & valid;
        unsigned ms = ((unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k0, vs))) |
                       (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(k1, vs))) << 4) & valid;
        /* (no match reads entry k + 8, inside the padding, and keeps 0) */
        a = t->kto[k + x_ctz64(mc | 0x100u)] & (0u - (mc != 0));
        b = t->kto[k + x_ctz64(mi | 0x100u)] & (0u - (mi != 0));
        c = t->kto[k + x_ctz64(ms | 0x100u)] & (0u - (ms != 0));
#else
        /* most nodes: a short run, read once for the three ids */
        for (; k < e; k++) {
            uint32_t kw = t->kw[k];
            a = kw == cid ? t->kto[k] : a;
            b = kw == id ? t->kto[k] : b;
            c = kw == sid ? t->kto[k] : c;
        }
#endif
    } else {
        /* a wide node ("the ..."): most words after it go on no alias,
         * which one look-up per id tells (an id past the table reads
         * entry 0, never set) */
        const uint8_t *fl = t->wflag;
        uint32_t nr = t->nroot, x = cid < nr ? cid : 0, y = id < nr ? id : 0, z = sid < nr ? sid : 0;
        if ((fl[x] | fl[y] | fl[z]) & WF_INNER)
            a = kid_in(t, k, e, cid), b = kid_in(t, k, e, id), c = kid_in(t, k, e, sid);
    }
    *cc = a, *ci = b, *cs = c;
    return 1;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void walk_node(const x_actors *t, const xw *w, size_t n, size_t i, uint32_t node, size_t depth, size_t *best,
                      int *actor);

/* walk on the frozen arrays from word i, at a node (of depth `depth`)
 * whose kids by the word are cc, ci, cs: the folded path is followed in a
 * loop (an exact-case kid, rare, recursively first), and the checks of
 * the possessive 's' kids, which walk makes after both subtrees, are kept
 * and made last, deepest first (the same order, so the same ties). */
#if defined(__GNUC__)
__attribute__((always_inline))  /* a copy in x_actor_match (no call for most walks) and one in walk_node */
#endif
static inline void walk_run(const x_actors *t, const xw *w, size_t n, size_t i, uint32_t cc, uint32_t ci, uint32_t cs,
                            size_t depth, size_t *best, int *actor)
{
    uint32_t pend[ACTOR_DEPTH];
    size_t pdep[ACTOR_DEPTH], np = 0;
    for (;;) {
        /* "Islamic States" (possessive without apostrophe): only as the last word */
        if (cs && !(w[i].flags & XW_UPPER) && t->term[cs] >= 0)
            pend[np] = cs, pdep[np++] = depth + 1;  /* one a word of an alias: below ACTOR_DEPTH (freeze) */
        if (cc)
            walk_node(t, w, n, i + 1, cc, depth + 1, best, actor);
        if (!ci)
            break;
        i++, depth++;
        if (t->term[ci] >= 0 && depth > *best)
            *best = depth, *actor = t->term[ci];
        if (i >= n || !kids_of(t, ci, &w[i], &cc, &ci, &cs))
            break;
    }
    while (np-- > 0)
        if (pdep[np] > *best)
            *best = pdep[np], *actor = t->term[pend[np]];
}

static void walk_node(const x_actors *t, const xw *w, size_t n, size_t i, uint32_t node, size_t depth, size_t *best,
                      int *actor)
{
    if (t->term[node] >= 0 && depth > *best)
        *best = depth, *actor = t->term[node];
    uint32_t cc, ci, cs;
    if (i < n && kids_of(t, node, &w[i], &cc, &ci, &cs))
        walk_run(t, w, n, i, cc, ci, cs, depth, best, actor);
}

void x_actors_set_plain(x_actors *t, int plain)
{
    if (t)
        t->plain = plain;
}

const uint64_t *x_actor_starts(const x_actors *t, uint32_t *nbits)
{
    /* cover every id of the lexicon (it grows after the load, with the
     * rules' words): callers may then test a word's ids without bounds */
    if (t && t->lex && t->lex->n > t->nroot)
        root_cover((x_actors *)t, t->lex->n);
    *nbits = t ? t->nroot : 0;
    return t ? t->root : NULL;
}

void x_actor_begins(const x_actors *t, const xw *w, size_t n, uint64_t *begin)
{
    size_t nw = (n + 63) / 64;
    uint32_t nb;
    const uint64_t *st = x_actor_starts(t, &nb);
    const uint8_t *fl = st ? t->wflag : NULL;
    if (!fl || !t->lex || nb < t->lex->n) {
        /* no flags (out of memory, not frozen): every start word may begin one */
        for (size_t k = 0; k < nw; k++) {
            uint64_t m = 0;
            for (size_t p = k * 64; st && p < n && p < k * 64 + 64; p++)
                m |= (uint64_t)x_actor_may_start(st, nb, &w[p]) << (p & 63);
            begin[k] = m;
        }
        return;
    }
    /* every id is below nb (x_actor_starts covered the lexicon): the words
     * that may start an alias in one pass without a branch */
    for (size_t k = 0; k < nw; k++) {
        size_t lo = k * 64, hi = lo + 64 < n ? lo + 64 : n;
        uint64_t m = 0;
        for (size_t p = lo; p < hi; p++)
            m |= (uint64_t)((fl[w[p].id] | fl[w[p].cid] | fl[w[p].sid]) & WF_START) << (p - lo);
        begin[k] = m;
    }
    /* of those (a few), the ones that are an alias on their own or whose
     * next word goes on one ("the town" is turned away): the bit cleared
     * without a branch (which way it goes is a coin toss) */
    for (size_t k = 0; k < nw; k++) {
        uint64_t keep = begin[k];
        for (uint64_t m = begin[k]; m; m &= m - 1) {
            size_t p = k * 64 + x_ctz64(m);
            unsigned f = (fl[w[p].id] | fl[w[p].cid] | fl[w[p].sid]) & WF_WHOLE;
            if (p + 1 < n)
                f |= (fl[w[p + 1].id] | fl[w[p + 1].cid] | fl[w[p + 1].sid]) & WF_INNER;
            keep &= ~((uint64_t)!f << (p & 63));
        }
        begin[k] = keep;
    }
}

size_t x_actor_match(const x_actors *t, const xw *w, size_t n, size_t i, int *actor)
{
    size_t best = 0;
    *actor = -1;
    if (!t || i >= n || !x_actor_may_start(t->root, t->nroot, &w[i]))
        return 0;
    if (t->plain || !t->rkid) {
        walk(t, w, n, i, 0, 0, &best, actor);
        return best;
    }
    const xw *x = &w[i];
    uint32_t nr = t->nroot;
    walk_run(t, w, n, i, x->cid < nr ? t->rkid[x->cid] : 0, x->id < nr ? t->rkid[x->id] : 0,
             x->sid < nr ? t->rkid[x->sid] : 0, 0, &best, actor);
    return best;
}
