/* words.c — the lexicon (interned lower-case words) and the word view of a
 * sentence that every matcher of the extractor works on.
 *
 * Why a second view over the tokens: the tokenizer keeps "IS-held" and
 * "government-controlled" as one token, but rules need the parts ("IS" is
 * an actor, "held" a state cue).  Splitting here keeps the text model
 * simple and lets rule files write hyphenated words naturally. */
#include "extract/xint.h"
#include "core/mem.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <string.h>

void x_lex_init(x_lex *l) { memset(l, 0, sizeof *l); }

void x_lex_finish(x_lex *l)
{
    for (uint32_t i = 1; i < l->n; i++)
        sr_free(l->str[i]);
    sr_free(l->str);
    sr_free(l->hv);
    sr_free(l->len);
    sr_free(l->k16);
    sr_free(l->slot);
    memset(l, 0, sizeof *l);
}

/* Words of up to 16 bytes (nearly all) are hashed as two 64-bit chunks,
 * zero-padded: the word view folds a word eight bytes at a time and hashes
 * the chunks without a pass per byte (see ident).  Longer ones: FNV-1a.
 * One multiply on the path of a word of up to 8 bytes (most), two for
 * longer ones: the hash lies on every probe's chain of dependent steps
 * (load, fold, hash, slot, key), which bounds how fast the word view goes.
 * The chunks alone tell the word (no word holds a NUL), so the length is
 * not mixed in; the slot is taken from the top bits (slot_shift), which
 * depend on every bit of the product's input. */
static uint32_t hash16(uint64_t lo, uint64_t hi)
{
    return (uint32_t)(((lo ^ hi * 0xC2B2AE3D27D4EB4Full) * 0x9E3779B97F4A7C15ull) >> 32);
}

/* The shift that takes a hash to its first slot in a table of ns slots (a
 * power of two, at least 2): the top log2(ns) bits. */
static uint32_t slot_shift(uint32_t ns) { return (uint32_t)__builtin_clz(ns) + 1; }

static uint32_t hash(const char *s, size_t n)
{
    if (n <= 16) {
        uint64_t c[2] = {0, 0};
        memcpy(c, s, n);
        return hash16(c[0], c[1]);
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int grow(x_lex *l)
{
    uint32_t ns = l->nslot ? l->nslot * 2 : 1024;
    uint64_t *slot = sr_calloc(ns, sizeof *slot);
    if (!slot)
        return -1;
    for (uint32_t id = 1; id < l->n; id++) {
        uint32_t h = l->hv[id] >> slot_shift(ns);
        while (slot[h])
            h = (h + 1) & (ns - 1);
        slot[h] = (uint64_t)l->hv[id] << 32 | id;
    }
    sr_free(l->slot);
    l->slot = slot;
    l->nslot = ns;
    l->sshift = slot_shift(ns);
    return 0;
}

/* Look-up with the hash already computed (the word view hashes while it
 * folds); a probe compares hash and length before the bytes. */
static uint32_t lex_find(const x_lex *l, const char *s, size_t n, uint32_t hv)
{
    if (!l->nslot)
        return 0;
    uint32_t h = hv >> l->sshift;
    for (uint64_t e; (e = l->slot[h]); h = (h + 1) & (l->nslot - 1)) {
        uint32_t id = (uint32_t)e;
        if ((uint32_t)(e >> 32) == hv && l->len[id] == n && !memcmp(l->str[id], s, n))
            return id;
    }
    return 0;
}

/* lex_find for a word of 1 to 16 bytes given as its two chunks (c[0],
 * c[1], zero-padded), in a lexicon that has slots (ident_fast asks).  The chunks alone tell the word: no word holds a NUL
 * (the tokenizer counts it as space), so the zero padding marks the
 * length, and a word longer than 16 bytes keeps zero chunks, which no word
 * of 1 to 16 bytes has.  Hash and chunks are compared, not the length. */
static inline uint32_t lex_find16(const x_lex *l, uint64_t c0, uint64_t c1, uint32_t hv)
{
    uint32_t h = hv >> l->sshift;
    /* the first slot without a branch on its answer: with the slots at most
     * a quarter full (x_lex_id), nearly every word stops there (its own
     * slot, or an empty one, which reads id 0, whose chunks are zero: no
     * word's); only a slot holding another word goes on to the loop */
    uint32_t id0 = (uint32_t)l->slot[h];
    /* one value to test, so that the compiler makes one branch of it (it
     * split "found or empty" into two, the first a coin toss: two words in
     * three are in the lexicon): the key's difference, cleared for an
     * empty slot; zero answers id0 (the word's id, or 0 for empty) */
    uint64_t diff = (l->k16[2 * id0] ^ c0) | (l->k16[2 * id0 + 1] ^ c1);
    if (__builtin_expect(!(diff & (0 - (uint64_t)(id0 != 0))), 1))
        return id0;
    h = (h + 1) & (l->nslot - 1);
    for (uint64_t e; (e = l->slot[h]); h = (h + 1) & (l->nslot - 1)) {
        uint32_t id = (uint32_t)e;
        if ((uint32_t)(e >> 32) == hv && l->k16[2 * id] == c0 && l->k16[2 * id + 1] == c1)
            return id;
    }
    return 0;
}

uint32_t x_lex_id(x_lex *l, const char *s, size_t n, int add)
{
    uint32_t hv = hash(s, n);
    uint32_t found = lex_find(l, s, n, hv);
    if (found || !add)
        return found;
    if (!l->n)
        l->n = 1;
    if (l->n >= XLEX_MAX)
        return 0; /* the word record's ids are 16 bits */
    if (l->n >= l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 512;
        char **ns = sr_realloc(l->str, nc * sizeof *ns);
        if (!ns)
            return 0;
        l->str = ns;
        uint32_t *nh = sr_realloc(l->hv, nc * sizeof *nh);
        if (!nh)
            return 0;
        l->hv = nh;
        uint32_t *nl = sr_realloc(l->len, nc * sizeof *nl);
        if (!nl)
            return 0;
        l->len = nl;
        uint64_t *nk = sr_realloc(l->k16, 2 * nc * sizeof *nk);
        if (!nk)
            return 0;
        l->k16 = nk;
        l->k16[0] = l->k16[1] = 0;
        l->cap = nc;
        l->str[0] = NULL, l->hv[0] = 0, l->len[0] = 0;
    }
    /* slots at most a quarter full (8,192 for the usual 1,100 words: 64 KB):
     * the word view's probe stops at its first slot far more often than at
     * half full, which bench_words times at -6% for x_words */
    if ((l->n + 1) * 4 > l->nslot && grow(l))
        return 0;
    char *c = sr_strndup(s, n);
    if (!c)
        return 0;
    uint32_t id = l->n++;
    l->str[id] = c;
    l->hv[id] = hv;
    l->len[id] = (uint32_t)n;
    l->k16[2 * id] = l->k16[2 * id + 1] = 0;
    if (n <= 16)
        memcpy(&l->k16[2 * id], s, n);
    uint32_t h = hv >> l->sshift;
    while (l->slot[h])
        h = (h + 1) & (l->nslot - 1);
    l->slot[h] = (uint64_t)hv << 32 | id;
    if (n == 1)
        l->one[(unsigned char)s[0]] = id;
    else if (n == 2 && s[0] == '=')
        l->one_eq[(unsigned char)s[1]] = id;
    return id;
}

size_t x_fold(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
            out[o++] = '\'';
            i += 2;
            continue;
        }
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return o;
}

typedef struct wb {
    xw *w;
    size_t n, cap;
    sr_arena *a;
} wb;

/* The id of a word's upper-case form: '=' and its exact bytes (few words
 * are all capitals: out of line). */
static __attribute__((noinline)) uint32_t upper_id(const unsigned char *s, size_t n, x_lex *lex)
{
    char tmp[96];
    tmp[0] = '=';
    memcpy(tmp + 1, s, n);
    return x_lex_id(lex, tmp, n + 1, 0);
}

/* The case flags of a word (n >= 1 bytes, fewer than 95) and the id of its
 * upper-case form, once `upper` (any upper-case letter) and `lower` (any
 * lower-case one) are known. */
static inline void case_flags(xw *w, const unsigned char *s, size_t n, int upper, int lower, x_lex *lex)
{
    w->flags |= (uint16_t)((unsigned)(s[0] - 'A') < 26u ? XW_CAP : 0); /* (a coin toss as a branch) */
    /* all capitals: one test (upper > lower, both 0 or 1), so one branch;
     * gcc made "upper && !lower" a branch on upper first, a coin toss */
    if (upper > lower) {
        w->flags |= XW_UPPER;
        w->cid = (uint16_t)upper_id(s, n, lex);
    }
}

/* ident for an ASCII word of 1 to 16 bytes whose 16 bytes may be read:
 * loaded, case-tested and folded in one step (SSE2, or the eight-byte tests
 * of swar.h), hashed as two integers and looked up as two integers.
 * Returns 0, leaving w as it was, when a byte is not ASCII. */
static inline __attribute__((always_inline)) int ident16(xw *w, const unsigned char *s, size_t n, x_lex *lex)
{
    uint64_t c0, c1;
    int upper, lower;
#if SR_SSE2
    /* the word's bytes (the rest of the 16 zeroed) */
    static const unsigned char keep[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    __m128i v = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)s),
                              _mm_loadu_si128((const __m128i *)(const void *)(keep + 16 - n)));
    if (_mm_movemask_epi8(v))
        return 0;
    __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
    __m128i lo = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
    upper = _mm_movemask_epi8(up) != 0;
    lower = _mm_movemask_epi8(lo) != 0;
    v = _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20)));
    c0 = (uint64_t)_mm_cvtsi128_si64(v);
    c1 = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
#elif SR_SWAR_LE
    uint64_t c[2];
    memcpy(c, s, 16);
    if (n < 8)
        c[0] &= (1ull << (8 * n)) - 1, c[1] = 0;
    else if (n == 8)
        c[1] = 0;
    else if (n < 16)
        c[1] &= (1ull << (8 * (n - 8))) - 1;
    if ((c[0] | c[1]) & SR_HIGH8)
        return 0;
    uint64_t u0 = sr_swar_range(c[0], 'A', 'Z'), u1 = sr_swar_range(c[1], 'A', 'Z');
    upper = (u0 | u1) != 0;
    lower = (sr_swar_range(c[0], 'a', 'z') | sr_swar_range(c[1], 'a', 'z')) != 0;
    c0 = c[0] | u0 >> 2, c1 = c[1] | u1 >> 2;
#else
    (void)w, (void)s, (void)n, (void)lex, (void)c0, (void)c1, (void)upper, (void)lower;
    return 0; /* the byte path: the masks above take the first byte as the lowest */
#endif
#if SR_SSE2 || SR_SWAR_LE
    w->id = (uint16_t)lex_find16(lex, c0, c1, hash16(c0, c1));
    /* the form less a final s ("States" -> state), for actor names in the singular */
    {
        /* one branch on the whole test (the byte before the last is read
         * within the chunks for a word of one byte too, where n > 3 says
         * no): gcc made one of "n > 3" alone, which mispredicted about
         * every third word of a text */
        uint64_t d[2] = {c0, c1};
        unsigned char *f = (unsigned char *)d, b2 = f[(n - 2) & 15];
        if ((n > 3) & (f[n - 1] == 's') & (b2 != 's') & (b2 != '\'')) {
            f[n - 1] = 0;
            w->sid = (uint16_t)lex_find16(lex, d[0], d[1], hash16(d[0], d[1]));
        }
    }
    case_flags(w, s, n, upper, lower, lex);
    return 1;
#endif
}

/* ident for a word of one byte c, from the lexicon's two tables (where
 * ident16 may not read 16 bytes: near the end of a text). */
static inline void ident1(xw *w, unsigned c, const x_lex *lex)
{
    unsigned cap = c - 'A' < 26u;
    w->id = (uint16_t)lex->one[cap ? c + 32 : c];
    if (cap)
        w->flags |= XW_CAP | XW_UPPER, w->cid = (uint16_t)lex->one_eq[c];
}

/* ident's fast paths: an ASCII word of up to 16 bytes whose 16 bytes may
 * be read by ident16 (one byte too, as x_words does), else a word of one
 * byte from two tables.  0 when neither applies (w as it was). */
static inline __attribute__((always_inline)) int ident_fast(xw *w, const unsigned char *s, size_t n, size_t bound,
                                                            x_lex *lex)
{
    if (!n)
        return 0; /* (never from x_words) the byte path */
    if (n <= 16 && w->start + 16 <= bound && lex->nslot && ident16(w, s, n, lex))
        return 1;
    if (n == 1) {
        ident1(w, s[0], lex);
        return 1;
    }
    return 0;
}

/* ident byte by byte: any word. */
static void ident_bytes(xw *w, const char *text, x_lex *lex)
{
    char tmp[96];
    const unsigned char *s = (const unsigned char *)text + w->start;
    size_t n = w->len;
    if (n + 1 >= sizeof tmp)
        return;
    int upper = 0, lower = 0;
    size_t m = 0;
    uint32_t h = 2166136261u, hprev = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = s[i];
        if (b >= 'A' && b <= 'Z')
            upper = 1, b = (unsigned char)(b + 32);
        else if (b >= 'a' && b <= 'z')
            lower = 1;
        else if (b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0x99 || s[i + 2] == 0x98))
            b = '\'', i += 2;
        tmp[m++] = (char)b;
        h = (h ^ b) * 16777619u;
    }
    if (m <= 16) /* the same key as ident16 */
        h = hash(tmp, m);
    else if (m > 17) {
        /* FNV of the first m-1 bytes, for the form less its final s */
        hprev = 2166136261u;
        for (size_t i = 0; i + 1 < m; i++)
            hprev = (hprev ^ (unsigned char)tmp[i]) * 16777619u;
    }
    w->id = (uint16_t)lex_find(lex, tmp, m, h);
    /* the form less a final s ("States" -> state), for actor names in the singular */
    if (m > 3 && tmp[m - 1] == 's' && tmp[m - 2] != 's' && tmp[m - 2] != '\'') {
        if (m <= 17) {
            uint64_t d[2] = {0, 0};
            memcpy(d, tmp, m - 1);
            hprev = hash16(d[0], d[1]);
        }
        w->sid = (uint16_t)lex_find(lex, tmp, m - 1, hprev);
    }
    if (n)
        case_flags(w, s, n, upper, lower, lex);
}

/* Fill ids and case flags of a word: fold (as x_fold does), hash, look up,
 * test the case.  An ASCII word of up to 16 bytes whose 16 bytes can be
 * read (they lie before `bound`) takes ident16; others go byte by byte. */
static void ident(xw *w, const char *text, size_t bound, x_lex *lex)
{
    if (!ident_fast(w, (const unsigned char *)text + w->start, w->len, bound, lex))
        ident_bytes(w, text, lex);
}

void x_word_ident(x_lex *lex, const char *text, size_t bound, uint32_t start, uint32_t len, int plain, xw *w)
{
    memset(w, 0, sizeof *w);
    w->start = start, w->len = len;
    if (plain)
        ident_bytes(w, text, lex);
    else
        ident(w, text, bound, lex);
}

/* One word of the view: bytes [p, q) of token t (p = 0: its first piece),
 * its flags and ids. */
static inline __attribute__((always_inline)) int put_piece(wb *b, const sr_textmodel *tm, const sr_tok *t, size_t p, size_t q, int glued,
                            int sent0, size_t bound, x_lex *lex)
{
    if (b->n == b->cap && sr_arena_grow(b->a, (void **)&b->w, &b->cap, b->n, sizeof *b->w, 64))
        return -1;
    const char *s = tm->text + t->start;
    int first = p == 0;
    xw *w = &b->w[b->n++];
    w->start = t->start + (uint32_t)p, w->len = (uint32_t)(q - p);
    w->id = w->cid = w->sid = 0;
    w->flags = (uint16_t)(((!first || glued) && !(t->kind == SR_TOK_PUNCT && !first) ? XW_GLUED : 0) |
                          (t->kind == SR_TOK_PUNCT || (q - p == 1 && s[p] == '-') ? XW_PUNCT : 0) |
                          (t->kind == SR_TOK_NUM ? XW_NUM : 0) | (sent0 && first ? XW_SENT0 : 0));
    ident(w, tm->text, bound, lex);
    /* a dotted abbreviation is also looked up without its dot (Dec. -> dec) */
    if (!w->id && (t->flags & SR_TF_ABBREV) && w->len > 1 && s[q - 1] == '.') {
        w->len--;
        ident(w, tm->text, bound, lex);
        w->len++;
    }
    return 0;
}

/* The word flags a token's kind gives (SR_TOK_*). */
static const uint16_t kind_flags[8] = {[SR_TOK_NUM] = XW_NUM, [SR_TOK_PUNCT] = XW_PUNCT};

int x_words(const sr_textmodel *tm, size_t si, x_lex *lex, sr_arena *a, xw **out, size_t *nout)
{
    const sr_sent *se = &tm->sent[si];
    wb b = {NULL, 0, 0, a};
    /* every byte before the end of the last token may be read */
    size_t bound = tm->ntok ? tm->tok[tm->ntok - 1].start + tm->tok[tm->ntok - 1].len : 0;
    /* room for the usual split (a hyphenated word makes three) in one go */
    b.cap = se->ntok + se->ntok / 4 + 8;
    if (!(b.w = sr_arena_alloc(a, b.cap * sizeof *b.w)))
        return -1;
    const sr_tok *t0 = &tm->tok[se->tok], *te = t0 + se->ntok;
    /* the array and its count in registers (b lives in memory: put_piece
     * and sr_arena_grow take its address); a token without a hyphen makes
     * one word, and room for one a token is there from the start and
     * kept after each hyphenated one, so the loop asks no capacity */
    xw *wv = b.w;
    size_t nw = 0;
    /* tokens starting before fast_end have their 16 bytes before `bound`
     * (ident16 may read them), in a lexicon with slots */
    size_t fast_end = lex->nslot && bound >= 16 ? bound - 15 : 0;
    uint32_t prev_end = UINT32_MAX; /* where the token before ended: none before the first */
    for (const sr_tok *t = t0; t < te; t++) {
        const char *s = tm->text + t->start;
        size_t n = t->len;
        int glued = t->start == prev_end;
        prev_end = t->start + t->len;
        if (t->flags & SR_TF_HYPHEN) {
            /* split hyphen-joined words (the tokenizer flags the few
             * tokens with one, words all): pieces and the hyphens between
             * them */
            b.n = nw;
            for (size_t p = 0, q; p < n; p = q) {
                for (q = p; q < n && s[q] != '-'; q++)
                    ;
                if (q == p)
                    q = p + 1; /* the hyphen itself */
                if (put_piece(&b, tm, t, p, q, glued, t == t0, bound, lex))
                    return -1;
            }
            /* room again for one word a token left */
            size_t left = (size_t)(te - t) - 1;
            if (b.cap - b.n < left) {
                xw *nv = sr_arena_alloc(a, (b.n + left + 8) * sizeof *nv);
                if (!nv)
                    return -1;
                memcpy(nv, b.w, b.n * sizeof *nv);
                b.w = nv, b.cap = b.n + left + 8;
            }
            wv = b.w, nw = b.n;
            continue;
        }
        /* the whole token is one word: put_piece's case p = 0, with the
         * ASCII word of up to 16 bytes (most) looked up inline */
        xw *w = &wv[nw++];
        w->start = t->start, w->len = (uint32_t)n;
        w->id = w->cid = w->sid = 0;
        /* (a lone "-" is a punctuation token: its kind says XW_PUNCT) */
        w->flags = (uint16_t)((glued ? XW_GLUED : 0) | kind_flags[t->kind & 7]); /* (XW_SENT0 below) */
        /* (a word of one byte takes ident16 as the others: a branch on
         * n == 1, punctuation or a word in no pattern, mispredicted more
         * than the probe it saves costs) */
        if (!(n <= 16 && t->start < fast_end && ident16(w, (const unsigned char *)s, n, lex))) {
            if (n == 1)
                ident1(w, (unsigned char)s[0], lex);
            else
                ident_bytes(w, tm->text, lex);
        }
        /* a dotted abbreviation is also looked up without its dot (Dec. -> dec) */
        if ((t->flags & SR_TF_ABBREV) && !w->id && n > 1 && s[n - 1] == '.') {
            w->len--;
            ident(w, tm->text, bound, lex);
            w->len++;
        }
    }
    wv[0].flags |= XW_SENT0; /* the first word (a sentence has a token, so a word) */
    *out = wv;
    *nout = nw;
    return 0;
}
