/* boiler.c — plain text: keep the story's lines, drop what surrounds it.
 *
 * Works line by line (scraped articles put one paragraph on a line) with
 * general signals only, never strings of particular articles:
 *   - prose: a line with enough words that ends like a sentence
 *     (. ! ? or a closing quote), or a long line whatever its end;
 *   - short lines without sentence punctuation (menus, size toggles,
 *     headings, bylines, "Source: X > Y") are not story;
 *   - call-to-action vocabulary on a short line (subscribe, sign up,
 *     share, comments, powered by, read more, free articles, newsletter,
 *     cookies, advertisement, ...) marks promotion;
 *   - a line that occurs twice is a caption or a teaser: all copies go
 *     (a long paragraph repeated further down keeps its first copy);
 *   - a line right after a photo credit ("SANA/AP", "Getty Images") is its
 *     caption;
 *   - a short prose line whose neighbours are both non-story (a teaser
 *     between a promo heading and a button) goes too.
 * The last headline-like line before the story becomes the title when
 * the document has none.  A document where no line looks like story keeps
 * its longest line (a one-line brief is still news). */
#include "clean/clean.h"
#include "core/hash.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct line {
    uint32_t start, end;    /* trimmed */
    int words;              /* of the whole line when exact_words, else ENOUGH_WORDS or more */
    int exact_words;
    int prose;              /* looks like story text */
    int drop;
    int promo;              /* addresses the reader as the publisher (we/our/you); -1 not known yet */
    uint64_t hash;          /* line_key, to find repeated lines */
} line;


/* Words a publisher uses when it speaks about itself to the reader. */
static const char *const self_words[] = {"we", "our", "us", "you", "your", "we're", "we’re", "you're",
                                         "you’re", "we've", "we’ve", "you'll", "you’ll", "ours", "yours",
                                         "we'll", "we’ll", NULL};

static const char *const cta[] = {
    "subscribe", "subscription", "sign up", "sign in", "log in", "login", "newsletter", "share this",
    "share on", "facebook", "twitter", "whatsapp", "comments", "powered by", "read more", "click here",
    "free article", "free articles", "advertisement", "cookie", "all rights reserved", "copyright",
    "follow us", "download the app", "breaking news", "what's hot", "related", "more on the topic",
    "more on this", "accessibility", "skip to", "print this", "email this", "most popular", "trending",
    "recommended", "sponsored", "you've read", "you have read", "support our", "donate", "open graphic",
    "watch:", "listen:", "photo:", "image:", "video:", "terms of use", "privacy policy", NULL};

static unsigned char self_len[sizeof self_words / sizeof *self_words];

/* Words of photo credits and agencies (credit_line). */
static const char *const credit[] = {"getty", "photo", "reuters", "afp", "associated press", "image", NULL};

/* A set of lower-case terms to find inside a line: the terms each byte
 * begins (at0) and each byte is the second of (at1), bit c for term c, so
 * at0[a] & at1[b] are the terms that begin with the pair a, b (most pairs:
 * none; common ones such as "re", "co", "te" begin a few, each compared
 * only where its own pair is); and each term's length.  Filled once by
 * init_tables. */
typedef struct termset {
    const char *const *term; /* NULL-terminated, 64 at most */
    uint64_t at0[256], at1[256];
    unsigned char len[64];
} termset;
_Static_assert(sizeof cta / sizeof *cta <= 65, "a term's bit in a 64-bit mask");
static termset cta_set = {cta, {0}, {0}, {0}}, credit_set = {credit, {0}, {0}, {0}};

static void termset_init(termset *ts)
{
    for (int c = 0; ts->term[c]; c++) {
        const unsigned char *t = (const unsigned char *)ts->term[c]; /* two bytes or more */
        ts->at0[t[0]] |= 1ull << c;
        ts->at1[t[1]] |= 1ull << c;
        ts->len[c] = (unsigned char)strlen(ts->term[c]);
    }
}

/* Every self word starts with one of these letter pairs. */
static inline int self_pair(unsigned char a, unsigned char b)
{
    a |= 0x20, b |= 0x20;
    return (a == 'w' && b == 'e') || (a == 'o' && b == 'u') || (a == 'u' && b == 's') || (a == 'y' && b == 'o');
}

static int is_self_word(const char *w, size_t n)
{
    if (n > 8 || n < 2 || !self_pair((unsigned char)w[0], (unsigned char)w[1]))
        return 0; /* skip the list */
    for (int k = 0; self_words[k]; k++)
        if (self_len[k] == n && !strncasecmp(w, self_words[k], n))
            return 1;
    return 0;
}

/* Byte classes of the word scan (the C locale's isalnum, as before). */
enum { B_START = 1, B_WORD = 2, B_LOWER = 4, B_SELF0 = 8 };
static unsigned char bcls[256];

static void init_tables(void)
{
    if (bcls['a'])
        return;
    for (int c = 0; c < 256; c++) {
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        bcls[c] = (unsigned char)((alnum || c >= 0x80 ? B_START | B_WORD : 0) | (c == '\'' ? B_WORD : 0) |
                                  (c >= 'a' && c <= 'z' ? B_LOWER : 0) |
                                  (strchr("wouyWOUY", c) && c ? B_SELF0 : 0));
    }
    for (int k = 0; self_words[k]; k++)
        self_len[k] = (unsigned char)strlen(self_words[k]);
    termset_init(&cta_set);
    termset_init(&credit_set);
}

/* One pass over a line's words: how many, and how many start lower case.
 * A word is a run of letters, digits, apostrophes and non-ASCII bytes
 * that begins with one that is not an apostrophe (a byte is inside a word
 * when it may start one, or when it is an apostrophe right after a byte
 * inside a word).  This runs over every byte of every line: 64 bytes a
 * step with SSE2, eight where a chunk holds no apostrophe without it (no
 * branch per byte: about 20% less time for `clean` than the table loop
 * with the same instruction count), the table byte by byte elsewhere.
 * The self words are counted apart (count_self), only for the lines the
 * promotion test at the document's end reads: a few per document. */

/* One byte of the scan, by the table: a word starts here (counted), and
 * whether the byte is inside a word.  self: also count the self words
 * (the reference count_self is tested against). */
static inline void word_step(const unsigned char *u, size_t n, size_t k, int *in, int *w, int *lw, int *sw)
{
    unsigned c = bcls[u[k]];
    if ((c & B_START) && !*in) {
        ++*w;
        *lw += (c & B_LOWER) != 0;
        if (sw && (c & B_SELF0)) {
            size_t e = k;
            while (e < n && (bcls[u[e]] & B_WORD))
                e++;
            *sw += is_self_word((const char *)u + k, e - k);
        }
    }
    *in = (c & B_START) || ((c & B_WORD) && *in);
}

#if SR_SSE2
/* The bytes of v within [a, b] (a, b below 0x80; bytes >= 0x80 are
 * never inside): v - a moved to the signed range by adding 0x80 - a, then
 * one signed compare against the range's width (two steps, not three). */
static inline __m128i in_range16(__m128i v, char a, char b)
{
    __m128i x = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - a)));
    return _mm_cmplt_epi8(x, _mm_set1_epi8((char)(-0x80 + (b - a) + 1)));
}

/* The words of a line counted in two byte counters (one lane per byte
 * position, +1 for each word that starts there); summed at the line's end,
 * or before a lane could pass 255 (4 a block: every 63 blocks). */
typedef struct wcount {
    __m128i w, lw;
    unsigned blocks;
} wcount;

static inline void wcount_flush(wcount *c, int *w, int *lw)
{
    __m128i z = _mm_setzero_si128(), sw = _mm_sad_epu8(c->w, z), sl = _mm_sad_epu8(c->lw, z);
    *w += _mm_cvtsi128_si32(sw) + _mm_cvtsi128_si32(_mm_srli_si128(sw, 8));
    *lw += _mm_cvtsi128_si32(sl) + _mm_cvtsi128_si32(_mm_srli_si128(sl, 8));
    c->w = c->lw = z;
    c->blocks = 0;
}

/* The classes of 16 bytes: those that may start a word (letters, digits,
 * bytes from 0x80), and the lower-case letters. */
static inline __m128i may_start16(__m128i v)
{
    return _mm_or_si128(_mm_or_si128(in_range16(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'), in_range16(v, '0', '9')),
                        _mm_cmplt_epi8(v, _mm_setzero_si128()));
}

/* A block holding an apostrophe: the byte classes as 64-bit masks (bit i =
 * byte i), then words by bit arithmetic.  A byte is inside a word when it
 * may start one, or when it is in a run of apostrophes right after such a
 * byte: the runs are found by adding the run's first bit (the carry runs
 * through the run and stops at its end). */
static void block64_apos(const unsigned char *p, uint64_t *carry, int *w, int *lw)
{
    uint64_t start = 0, low = 0, apos = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        unsigned sh = 16u * (unsigned)k;
        start |= (uint64_t)(unsigned)_mm_movemask_epi8(may_start16(v)) << sh;
        low |= (uint64_t)(unsigned)_mm_movemask_epi8(in_range16(v, 'a', 'z')) << sh;
        apos |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\''))) << sh;
    }
    uint64_t seeds = ((start << 1) | *carry) & apos;
    uint64_t inword = start | (apos & ~(apos + seeds));
    uint64_t first = start & ~((inword << 1) | *carry);
    *w += sr_popcount64(first);
    *lw += sr_popcount64(first & low);
    *carry = inword >> 63;
}

/* scan_words 64 bytes at a time.  Without an apostrophe in the block (most
 * blocks), a byte is inside a word exactly when it may start one: a word
 * starts where such a byte follows one that may not, found and counted as
 * bytes, sixteen a step (the carry says whether the byte before the block
 * is inside a word).  A block with an apostrophe is counted again by
 * block64_apos. */
static inline void block64(const unsigned char *p, uint64_t *carry, wcount *c, int *w, int *lw)
{
    __m128i tw = _mm_setzero_si128(), tl = _mm_setzero_si128(), ap = _mm_setzero_si128(), st = ap;
    __m128i before = _mm_cvtsi32_si128(*carry ? 0xFF : 0); /* byte 0: the byte before */
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        st = may_start16(v);
        __m128i first = _mm_andnot_si128(_mm_or_si128(_mm_slli_si128(st, 1), before), st);
        tw = _mm_sub_epi8(tw, first); /* a marked byte is -1 */
        tl = _mm_sub_epi8(tl, _mm_and_si128(first, in_range16(v, 'a', 'z')));
        ap = _mm_or_si128(ap, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
        before = _mm_srli_si128(st, 15);
    }
    if (_mm_movemask_epi8(ap)) {
        block64_apos(p, carry, w, lw);
        return;
    }
    c->w = _mm_add_epi8(c->w, tw);
    c->lw = _mm_add_epi8(c->lw, tl);
    *carry = (unsigned)_mm_movemask_epi8(st) >> 15;
    if (++c->blocks == 63)
        wcount_flush(c, w, lw);
}

/* Full blocks in place, a rest of TAIL_MIN bytes or more from a copy
 * padded with zero bytes (never inside a word); a shorter rest is left to
 * the byte loop (cheaper than the copy: 24 did best of 8-64 on 5 MB).
 * With enough_w > 0, stops (*cut = 1) once every two blocks there are
 * enough_w words and enough_lw lower-case ones.  Returns the bytes done. */
enum { TAIL_MIN = 24 };
static size_t scan_words64(const unsigned char *u, size_t n, int *in, int *w, int *lw, int enough_w, int enough_lw,
                           int *cut)
{
    uint64_t carry = 0;
    wcount c = {_mm_setzero_si128(), _mm_setzero_si128(), 0};
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        block64(u + i, &carry, &c, w, lw);
        if (enough_w && (i & 64)) {
            wcount_flush(&c, w, lw);
            if (*w >= enough_w && *lw >= enough_lw) {
                *cut = 1;
                return n;
            }
        }
    }
    if (n - i >= TAIL_MIN) {
        unsigned char pad[64];
        memset(pad, 0, sizeof pad);
        memcpy(pad, u + i, n - i);
        block64(pad, &carry, &c, w, lw);
        i = n;
    }
    if (c.blocks)
        wcount_flush(&c, w, lw);
    *in = (int)carry;
    return i;
}
#endif

/* plain: byte by byte only, the self words counted too (the reference
 * the tests compare the block scans and count_self with); else self is
 * not touched.  enough_w > 0: the scan may stop early once it has counted
 * enough_w words and enough_lw lower-case ones (the counts are then a
 * part of the line's); returns 1 when the counts are the whole line's. */
static int scan_words_by(const char *s, size_t n, int *words, int *lower, int *self, int plain, int enough_w,
                         int enough_lw)
{
    const unsigned char *u = (const unsigned char *)s;
    int w = 0, lw = 0;
    int in = 0; /* the byte before is inside a word */
    size_t i = 0;
    if (plain) {
        int sw = 0;
        for (; i < n; i++)
            word_step(u, n, i, &in, &w, &lw, &sw);
        *words = w, *lower = lw, *self = sw;
        return 1;
    }
#if SR_SSE2
    int cut = 0;
    i = scan_words64(u, n, &in, &w, &lw, enough_w, enough_lw, &cut);
    if (cut) {
        *words = w, *lower = lw;
        return 0;
    }
#else
    (void)enough_w, (void)enough_lw;
#endif
#if SR_SWAR_LE
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, u + i, 8);
        uint64_t hb = x & SR_HIGH8, x7 = x & SR_LOW7;
        if (sr_swar_eq(x7, '\'') & ~hb) {
            /* an apostrophe: this chunk byte by byte */
            for (size_t k = i; k < i + 8; k++)
                word_step(u, n, k, &in, &w, &lw, NULL);
            continue;
        }
        uint64_t low = sr_swar_range(x7, 'a', 'z') & ~hb;
        uint64_t start = (low | sr_swar_range(x7, 'A', 'Z') | sr_swar_range(x7, '0', '9')) & ~hb;
        start |= hb;
        /* no apostrophe: inside a word = may start one */
        uint64_t before = start << 8 | (in ? 0x80u : 0);
        uint64_t first = start & ~before;
        w += sr_swar_count(first);
        lw += sr_swar_count(first & low);
        in = (int)(start >> 63);
    }
#endif
    for (; i < n; i++)
        word_step(u, n, i, &in, &w, &lw, NULL);
    *words = w, *lower = lw;
    return 1;
}

/* Every test of a line's word counts reads the same for any count of 41
 * words or more with 5 lower-case ones (such a line is story; the largest
 * bound a test names is 40) but two: the promotion test of pass 4 and the
 * longest line of the fallback, which count such lines again in full
 * (exact_words).  A long paragraph is so scanned for its first few hundred
 * bytes only: most of the bytes `clean` sees are in such lines. */
enum { ENOUGH_WORDS = 41, ENOUGH_LOWER = 5 };

/* The whole line's counts. */
static void scan_words(const char *s, size_t n, int *words, int *lower)
{
    scan_words_by(s, n, words, lower, NULL, 0, 0, 0);
}

/* The self words of a line, as the byte scan counts them: every self word
 * begins with a pair self_pair accepts, so only such pairs are looked at
 * (sixteen positions a step with SSE2), and of those the ones that start
 * a word (the byte before is not inside one: walking back over an
 * apostrophe run, the byte before it cannot start a word). */
static int count_self(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    int sw = 0;
    size_t i = 0;
    for (;;) {
        uint32_t cand = 0; /* bit j: a pair begins at i + j */
        size_t step = 1;
#if SR_SSE2
        if (i + 17 <= n) {
            __m128i b20 = _mm_set1_epi8(0x20);
            __m128i c0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(u + i)), b20);
            __m128i c1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(u + i + 1)), b20);
#define SR_PAIR16(a, b) _mm_and_si128(_mm_cmpeq_epi8(c0, _mm_set1_epi8(a)), _mm_cmpeq_epi8(c1, _mm_set1_epi8(b)))
            __m128i m = _mm_or_si128(_mm_or_si128(SR_PAIR16('w', 'e'), SR_PAIR16('o', 'u')),
                                     _mm_or_si128(SR_PAIR16('u', 's'), SR_PAIR16('y', 'o')));
#undef SR_PAIR16
            cand = (uint32_t)_mm_movemask_epi8(m);
            step = 16;
        } else
#endif
        {
            if (i + 1 >= n)
                break;
            cand = self_pair(u[i], u[i + 1]);
        }
        for (; cand; cand &= cand - 1) {
            size_t k = i + (size_t)__builtin_ctz(cand), j = k;
            while (j > 0 && u[j - 1] == '\'')
                j--;
            if (j > 0 && (bcls[u[j - 1]] & B_START))
                continue; /* inside a word */
            size_t e = k + 1;
            while (e < n && (bcls[u[e]] & B_WORD))
                e++;
            sw += is_self_word(s + k, e - k);
        }
        i += step;
    }
    return sw;
}

void sr_clean_word_counts(const char *s, size_t n, int plain, int out[3])
{
    init_tables();
    if (plain) {
        scan_words_by(s, n, &out[0], &out[1], &out[2], 1, 0, 0);
        return;
    }
    scan_words_by(s, n, &out[0], &out[1], NULL, 0, 0, 0);
    out[2] = count_self(s, n);
}

static inline unsigned lc_ascii(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32u : c; }

/* Any term of ts inside s[0..n), ASCII letters folded: what strstr of
 * each term on the lower-cased line finds (it stops at a NUL, which no
 * term holds).  One walk over the byte pairs, no copy. */
static int terms_hit(const termset *ts, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 2 || !u[0])
        return 0;
    unsigned prev = lc_ascii(u[0]);
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned cur = lc_ascii(u[i + 1]);
        if (!cur)
            return 0;
        for (uint64_t m = ts->at0[prev] & ts->at1[cur]; m; m &= m - 1) {
            int c = __builtin_ctzll(m);
            size_t l = ts->len[c], k = 2;
            if (l > n - i)
                continue;
            while (k < l && (unsigned char)ts->term[c][k] == lc_ascii(u[i + k]))
                k++;
            if (k == l)
                return 1;
        }
        prev = cur;
    }
    return 0;
}

/* Call-to-action vocabulary on a line: any term inside its first 512
 * bytes. */
static int cta_hit(const char *s, size_t n) { return terms_hit(&cta_set, s, n > 512 ? 512 : n); }

/* ends like a sentence: . ! ? or such followed by closing quotes/brackets */
static int sentence_end(const char *s, size_t n)
{
    while (n > 0) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == ' ') { n--; continue; }
        /* ” ’ » (3 or 2 bytes) */
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) { n -= 3; continue; }
        if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && c == 0xBB) { n -= 2; continue; }
        if (c == '.' || c == '!' || c == '?' || c == ',' /* quote ending in ," */)
            return c == ',' ? 2 : 1;
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 && c == 0xA6)
            return 1; /* … */
        return 0;
    }
    return 0;
}

/* a photo credit: short, with a slash or an agency/photo word */
static int credit_line(const char *s, size_t n, int words)
{
    if (words == 0 || words > 5 || sentence_end(s, n))
        return 0;
    /* the words within the first 127 bytes (the copy strstr once looked in) */
    return memchr(s, '/', n) || terms_hit(&credit_set, s, n > 127 ? 127 : n) ||
           (n >= 2 && !memcmp(s + n - 2, "AP", 2));
}

/* Hard-wrapped text (a paragraph broken into lines of ~100 bytes, the
 * next ones often indented): the line `cur` (with `indent` bytes of leading
 * space) continues `prev` when prev has six words or more, does not end like
 * a sentence, and cur starts lower case, or is indented after a line that
 * ends on a lower-case word or a comma.  Across a blank line only when cur
 * starts lower case (no paragraph starts so). */
static int hard_wrapped(const char *prev, size_t pn, const char *cur, size_t indent)
{
    int words, lower;
    if (sentence_end(prev, pn))
        return 0;
    unsigned char last = (unsigned char)prev[pn - 1], first = (unsigned char)cur[0];
    if (!(first >= 'a' && first <= 'z') && !(indent >= 2 && ((last >= 'a' && last <= 'z') || last == ',')))
        return 0;
    scan_words_by(prev, pn, &words, &lower, NULL, 0, 6, 0);
    return words >= 6;
}

/* The key of a line in the repeated-line table: its length and its first,
 * middle and last 16 bytes (hashing whole lines cost as much as a tenth
 * of `clean`; lines whose keys meet are compared byte for byte). */
static uint64_t line_key(const char *s, size_t n)
{
    if (n <= 48)
        return sr_hash_bytes(s, n);
    char k[48];
    memcpy(k, s, 16);
    memcpy(k + 16, s + n / 2 - 8, 16);
    memcpy(k + 32, s + n - 16, 16);
    return sr_hash_bytes(k, sizeof k) ^ (uint64_t)n * 0x9e3779b97f4a7c15ull;
}

/* The line's word count, whole (see ENOUGH_WORDS). */
static void whole_words(line *l, const char *t)
{
    if (!l->exact_words) {
        int lw;
        scan_words(t + l->start, l->end - l->start, &l->words, &lw);
        l->exact_words = 1;
    }
}

/* Does the line speak to the reader as the publisher: at least one self
 * word in 50 (counted on first asking: pass 4 reads a few lines). */
static int promo_of(line *l, const char *t)
{
    if (l->promo < 0) {
        whole_words(l, t);
        int sc = count_self(t + l->start, l->end - l->start);
        l->promo = sc >= 1 && sc * 50 >= l->words;
    }
    return l->promo;
}

sr_status sr_boiler_segments(sr_doc *doc, sr_arena *a)
{
    init_tables();
    const char *t = doc->text;
    size_t n = doc->len, nl = 0;
    for (const char *p = t, *e = t + n; p < e && (p = memchr(p, '\n', (size_t)(e - p))); p++)
        nl++;
    line *L = sr_arena_alloc(a, (nl + 1) * sizeof *L);
    if (!L)
        return SR_ENOMEM;
    size_t cnt = 0;
    int blank = 1;  /* a blank line (or the start) since the last line */
    for (size_t i = 0; i < n;) {
        size_t s = i, s0 = i;
        const char *e = memchr(t + i, '\n', n - i);
        size_t end = e ? (size_t)(e - t) : n;
        i = end + 1;
        while (s < end && isspace((unsigned char)t[s])) s++;
        size_t ee = end;
        while (ee > s && isspace((unsigned char)t[ee - 1])) ee--;
        if (ee == s) {
            blank = 1;
            continue;
        }
        if (cnt && (!blank || (t[s] >= 'a' && t[s] <= 'z')) &&
            hard_wrapped(t + L[cnt - 1].start, L[cnt - 1].end - L[cnt - 1].start, t + s, s - s0)) {
            L[cnt - 1].end = (uint32_t)ee; /* the paragraph goes on */
            continue;
        }
        blank = 0;
        line *l = &L[cnt++];
        memset(l, 0, sizeof *l);
        l->start = (uint32_t)s, l->end = (uint32_t)ee;
    }
    /* pass 1: classify each line on its own */
    for (size_t k = 0; k < cnt; k++) {
        line *l = &L[k];
        const char *s = t + l->start;
        size_t len = l->end - l->start;
        int lw;
        l->exact_words = scan_words_by(s, len, &l->words, &lw, NULL, 0, ENOUGH_WORDS, ENOUGH_LOWER);
        l->promo = -1; /* asked for in pass 4 only */
        int se = sentence_end(s, len);
        if (l->words >= 30 && lw >= 5)
            l->prose = 1; /* long lines are story whatever their end */
        else if (se == 1 && l->words >= 4 && lw >= 2)
            l->prose = 1;
        else if (se == 2 && l->words >= 8 && lw >= 4)
            l->prose = 1; /* a quotation ending in ," followed by its attribution */
        else
            l->prose = 0;
        /* a call to action on a short line makes it no story; asked only
         * where the answer can change that (it is a walk over the line) */
        if (l->prose && l->words <= 25 && cta_hit(s, len))
            l->prose = 0;
        l->drop = !l->prose;
    }
    /* pass 2: repeated lines (captions printed twice, teasers): each line
     * meets the previous line of the same bytes through a hash table (the
     * pairs a stable sort would put side by side); the table's key is a
     * sample of the line (line_key), its equality the bytes */
    {
        size_t cap = 16;
        while (cap < 2 * cnt)
            cap *= 2;
        uint32_t *slot = sr_arena_calloc(a, cap * sizeof *slot); /* line + 1 */
        if (!slot)
            return SR_ENOMEM;
        for (size_t k = 0; k < cnt; k++) {
            size_t len = L[k].end - L[k].start;
            L[k].hash = line_key(t + L[k].start, len);
            size_t h = (size_t)(L[k].hash ^ L[k].hash >> 32) & (cap - 1);
            for (; slot[h]; h = (h + 1) & (cap - 1)) {
                const line *o = &L[slot[h] - 1];
                if (o->hash == L[k].hash && o->end - o->start == len && !memcmp(t + o->start, t + L[k].start, len))
                    break;
            }
            size_t prev = slot[h];
            slot[h] = (uint32_t)(k + 1);
            if (!prev)
                continue;
            size_t ix = prev - 1, iy = k; /* ix < iy, the same bytes */
            line *x = &L[ix], *y = &L[iy];
            if (len > 20) {
                /* a caption printed twice sits next to itself; a whole
                 * paragraph repeated further on (a lede the page printed
                 * again) keeps its first copy */
                if (iy - ix > 1 && x->words >= 40)
                    y->drop = 1;
                else
                    x->drop = y->drop = 1;
            }
        }
    }
    /* pass 3: captions after credits; isolated short prose between non-story lines */
    for (size_t k = 0; k < cnt; k++) {
        line *l = &L[k];
        if (k > 0 && !l->drop && l->words <= 40 && /* (a dropped line stays so: no need to ask) */
            credit_line(t + L[k - 1].start, L[k - 1].end - L[k - 1].start, L[k - 1].words))
            l->drop = 1;
    }
    for (size_t k = 0; k < cnt; k++) {
        line *l = &L[k];
        if (l->drop || l->words >= 20)
            continue;
        int prev_bad = k == 0 || !L[k - 1].prose, next_bad = k + 1 == cnt || !L[k + 1].prose;
        int prev_short = k > 0 && !L[k - 1].prose && L[k - 1].words > 0;
        if (prev_bad && next_bad && prev_short && k + 1 < cnt)
            l->drop = 1;
    }
    /* pass 4: the publisher's self-promotion at the end: a block of lines
     * that speak to the reader as "we"/"you", walked back from the end;
     * a line without such words stays in the block when promotion lines
     * stand on both sides of it, or when it is short and one follows it. */
    size_t k0 = cnt; /* past the last line that is not a dropped non-story one */
    while (k0 > 0 && L[k0 - 1].drop && !L[k0 - 1].prose)
        k0--;
    /* The walk can only change a line that is not dropped already, so it
     * must pass the line k0 - 1: with no promotion there or just before
     * it, and 15 words or more, it stops there whatever the lines after
     * it are (whose self words are then never counted: the hundreds of
     * reference lines closing a Wikipedia article). */
    int may_pass = cnt >= 3 && k0 > 0 && (L[k0 - 1].words < 15 || promo_of(&L[k0 - 1], t) ||
                                          (k0 > 1 && promo_of(&L[k0 - 2], t)));
    if (may_pass) { /* three promotion lines at least (cnt >= 3), or nothing changes */
        size_t b = cnt, npromo = 0;
        int next_promo = 0; /* the nearest story-like line after k is promotion */
        for (size_t k = cnt; k-- > 0;) {
            int promo = promo_of(&L[k], t);
            if (promo)
                b = k, npromo++;
            else if (L[k].drop && !L[k].prose)
                b = k; /* menus, links and buttons inside the block */
            else if (k > 0 && next_promo && promo_of(&L[k - 1], t))
                b = k;
            else if (L[k].words < 15 && next_promo)
                b = k;
            else
                break;
            if (!L[k].drop || promo)
                next_promo = promo;
        }
        if (npromo >= 3 && b > 0)
            for (size_t k = b; k < cnt; k++)
                L[k].drop = 1;
    }
    /* title: the last headline-like line before the story with 3+ words and no sentence end, before the story */
    if (!doc->title) {
        const char *best = NULL;
        size_t bestlen = 0;
        for (size_t k = 0; k < cnt; k++) {
            if (!L[k].drop)
                break;
            const char *s = t + L[k].start;
            size_t len = L[k].end - L[k].start;
            if (L[k].words >= 3 && L[k].words <= 25 && !sentence_end(s, len) && !memchr(s, ':', len) &&
                !memchr(s, '|', len) && !memchr(s, '>', len) && /* not a menu or breadcrumb */
                !cta_hit(s, len)) {
                best = s, bestlen = len;
            }
        }
        if (best)
            doc->title = sr_arena_strndup(a, best, bestlen);
    }
    sr_seg *v = sr_arena_alloc(a, (cnt + 1) * sizeof *v);
    if (!v)
        return SR_ENOMEM;
    size_t nv = 0;
    for (size_t k = 0; k < cnt; k++)
        if (!L[k].drop)
            v[nv].start = L[k].start, v[nv].end = L[k].end, nv++;
    if (nv == 0 && cnt > 0) {
        /* nothing looked like a story (a headline-only item, a one-line
         * brief): keep the line with the most words rather than nothing */
        size_t best = 0;
        whole_words(&L[0], t);
        for (size_t k = 1; k < cnt; k++) {
            whole_words(&L[k], t);
            if (L[k].words > L[best].words)
                best = k;
        }
        v[0].start = L[best].start, v[0].end = L[best].end, nv = 1;
    }
    doc->body = v;
    doc->nbody = nv;
    return SR_OK;
}
