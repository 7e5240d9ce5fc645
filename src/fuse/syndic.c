/* syndic.c — dates as day numbers, and near-duplicate detection of texts
 * (MinHash over word 5-shingles, banded for candidate look-up), so that the
 * same wire story in several outlets counts as one origin. */
#include "fuse/fuse.h"
#include "core/buf.h"
#include "core/swar.h"
#include "ingest/doc.h"

#include <stdio.h>
#include <string.h>
#if SR_SSE2
#include <emmintrin.h>
#endif

/* Days from civil date (proleptic Gregorian), H. Hinnant's algorithm. */
static sr_day days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

sr_status sr_day_parse(const char *s, sr_day *out, sr_prec *prec)
{
    if (!s || !out)
        return SR_EARG;
    size_t n = strlen(s);
    int y = n >= 4 ? digits(s, 4) : -1, m = 1, d = 1;
    sr_prec p = SR_PREC_YEAR;
    if (y < 0 || (n != 4 && n != 7 && n != 10))
        return SR_EFORMAT;
    if (n >= 7) {
        if (s[4] != '-' || (m = digits(s + 5, 2)) < 1 || m > 12)
            return SR_EFORMAT;
        p = SR_PREC_MONTH;
    }
    if (n == 10) {
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (s[7] != '-' || (d = digits(s + 8, 2)) < 1 || d > mdays[m - 1])
            return SR_EFORMAT;
        p = SR_PREC_DAY;
    }
    *out = days_from_civil(y, (unsigned)m, (unsigned)d);
    if (prec)
        *prec = p;
    return SR_OK;
}

void sr_day_format(sr_day z, char buf[11])
{
    if (z == SR_DAY_NONE || z == SR_DAY_OPEN) {
        buf[0] = '\0';
        return;
    }
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999) {    /* outside what four digits hold: as printf writes it */
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%04d-%02u-%02u", y, m, d);
        memcpy(buf, tmp, 10);
        buf[10] = '\0';
        return;
    }
    sr_date10(buf, (unsigned)y, m, d); /* by hand: the refresh formats every fact's and span's dates */
}

sr_prec sr_prec_parse(const char *s)
{
    if (!s)
        return SR_PREC_DAY;
    if (!strcmp(s, "week"))
        return SR_PREC_WEEK;
    if (!strcmp(s, "month"))
        return SR_PREC_MONTH;
    if (!strcmp(s, "year"))
        return SR_PREC_YEAR;
    return SR_PREC_DAY;
}

int sr_fuse_window(sr_prec p)
{
    /* A day-precise report may still be a day or two off ("on Friday" in a
     * piece published Sunday, time zones): 3 days, the tolerance the gold
     * uses.  Coarser dates: the span they name. */
    switch (p) {
    case SR_PREC_DAY: return 3;
    case SR_PREC_WEEK: return 7;
    case SR_PREC_MONTH: return 31;
    case SR_PREC_YEAR: return 366;
    }
    return 3;
}

/* ---- MinHash -------------------------------------------------------- */

/* splitmix64 finaliser: a strong 64-bit mix, used both to hash shingles and
 * to derive the SR_MINHASH_N permutations (x ^ seed_i, mixed). */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Word bytes (ASCII letters and digits, every byte of a multi-byte UTF-8
 * character) mapped to themselves lower-cased; 0 for every other byte. */
static const unsigned char word_byte[256] = {
#define R16(b) b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15
    [48] = '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    [65] = 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
    'w', 'x', 'y', 'z',
    [97] = 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
    'w', 'x', 'y', 'z',
    [128] = R16(128), R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240)
#undef R16
};

#define SHINGLE 5
#define SHINGLE_MUL 0x9e3779b97f4a7c15ull
#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* One-permutation MinHash: each shingle's 64-bit hash goes to one of the
 * SR_MINHASH_N bins (its top bits) and each bin keeps the least of the
 * remaining bits.  One hash per shingle instead of one per slot; two texts
 * agree on a bin with probability close to their Jaccard similarity when
 * both have many shingles.  Empty bins stay UINT32_MAX.  Branch-free: which
 * bin wins is data, not a jump to mispredict. */
static inline void add_shingle(sr_minhash *out, uint64_t h)
{
    unsigned bin = (unsigned)(h >> 58) % SR_MINHASH_N;
    uint32_t v = (uint32_t)h;
    v -= v == UINT32_MAX;
    uint32_t o = out->v[bin];
    out->v[bin] = v < o ? v : o;
}

/* The text is hashed MH_BLOCK bytes at a time: the running hash after
 * every byte goes to a table, the word ends to a bit mask, and the
 * shingles are made from the table at the mask's bits. */
#define MH_BLOCK 2048
/* Independent byte streams hashed side by side (see sr_minhash_text). */
#define MH_LANES 4 /* block_hashes writes the four out */

/* Bit i of ends[i / 64]: the word byte at p[i] ends a word (the byte after
 * it, p[n] for the last, is not a word byte; next says whether p[n] is). */
static void word_ends(const unsigned char *p, size_t n, int next, uint64_t *ends)
{
    size_t nm = (n + 63) / 64, i = 0;
    memset(ends, 0, nm * sizeof *ends);
#if SR_SSE2
    /* word bytes sixteen at a time: >= 0x80, digits, letters of either
     * case (the ranges tested as signed bytes moved to the bottom) */
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i hi = _mm_cmplt_epi8(b, zero);
        __m128i d = _mm_cmplt_epi8(_mm_add_epi8(b, _mm_set1_epi8((char)(0x80 - '0'))), _mm_set1_epi8(-128 + 10));
        __m128i l = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(b, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a'))),
                                   _mm_set1_epi8(-128 + 26));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(hi, _mm_or_si128(d, l)));
        ends[i / 64] |= (uint64_t)m << (i % 64);
    }
#endif
    for (; i < n; i++)
        ends[i / 64] |= (uint64_t)(word_byte[p[i]] != 0) << (i % 64);
    /* a word byte ends a word when the byte after it is not one */
    uint64_t after = (uint64_t)(next != 0);
    for (size_t j = nm; j-- > 0;) {
        uint64_t w = ends[j];
        unsigned top = j + 1 == nm && n % 64 ? (unsigned)(n % 64) - 1 : 63;
        ends[j] = w & ~((w >> 1) | (after << top));
        after = w & 1;
    }
}

/* One byte of FNV-1a over the lower-cased word bytes: g is the state the
 * byte starts from, the basis at a word's first byte (the byte before was
 * not a word byte), and the running hash (kept in hat) otherwise.  What a
 * separator's step leaves in hat is never read. */
#define FNV_STEP(i, g)                                                                             \
    do {                                                                                           \
        uint64_t c_ = word_byte[p[i]], h_ = ((g) ^ c_) * FNV_PRIME;                                \
        hat[i] = h_;                                                                               \
        (g) = c_ ? h_ : FNV_BASIS;                                                                 \
    } while (0)

/* The running hash after every byte of p[0 .. n) into hat[0 .. n): the
 * block cut into MH_LANES streams at separators, hashed side by side.  One
 * word's hash is a chain of multiplies (~5 cycles a byte, whatever the
 * processor's width); four independent chains fill the wait.  *g carries
 * the state the block's first byte starts from and comes back with the
 * state after its last. */
static void block_hashes(const unsigned char *p, size_t n, uint64_t *hat, uint64_t *g)
{
    size_t s[MH_LANES + 1];
    s[0] = 0;
    s[MH_LANES] = n;
    for (int k = 1; k < MH_LANES; k++) {
        size_t q = n * (size_t)k / MH_LANES;
        if (q < s[k - 1])
            q = s[k - 1];
        while (q < n && word_byte[p[q]])
            q++;
        s[k] = q; /* a separator (or the end): nothing carries into it */
    }
    size_t m = n;
    for (int k = 0; k < MH_LANES; k++)
        if (s[k + 1] - s[k] < m)
            m = s[k + 1] - s[k];
    /* one state a lane and shared offsets: the loop fits the registers */
    uint64_t g0 = *g, g1 = FNV_BASIS, g2 = FNV_BASIS, g3 = FNV_BASIS;
    const size_t d1 = s[1], d2 = s[2], d3 = s[3];
    for (size_t i = 0; i < m; i++) {
        FNV_STEP(i, g0);
        FNV_STEP(i + d1, g1);
        FNV_STEP(i + d2, g2);
        FNV_STEP(i + d3, g3);
    }
    uint64_t gk[MH_LANES] = {g0, g1, g2, g3};
    int last = 0;
    for (int k = 0; k < MH_LANES; k++) {
        for (size_t i = s[k] + m; i < s[k + 1]; i++)
            FNV_STEP(i, gk[k]);
        if (s[k + 1] > s[k])
            last = k;
    }
    *g = gk[last];
}

/* The words seen so far: the last four hashes, oldest first, and how many. */
typedef struct mh_words {
    uint64_t w0, w1, w2, w3;
    size_t nw;
} mh_words;

/* The shingles of the words of text[0 .. len), a piece that begins and
 * ends at a word break, after the words in *ws. */
static void minhash_piece(const unsigned char *p, size_t len, sr_minhash *out, mh_words *ws)
{
    const unsigned char *end = p + len;
    uint64_t hat[MH_BLOCK], ends[MH_BLOCK / 64];
    uint64_t w0 = ws->w0, w1 = ws->w1, w2 = ws->w2, w3 = ws->w3;
    size_t nw = ws->nw;
    uint64_t g = FNV_BASIS;
    while (p < end) {
        size_t n = (size_t)(end - p) < MH_BLOCK ? (size_t)(end - p) : MH_BLOCK;
        word_ends(p, n, p + n < end && word_byte[p[n]], ends);
        block_hashes(p, n, hat, &g);
        for (size_t j = 0; j < (n + 63) / 64; j++) {
            for (uint64_t e = ends[j]; e; e &= e - 1) {
                /* FNV-1a of the lower-cased word: case and punctuation
                 * differences between outlets' copies do not matter */
                uint64_t x = hat[j * 64 + (size_t)__builtin_ctzll(e)];
                if (nw >= SHINGLE - 1) {
                    uint64_t sh = w0 * SHINGLE_MUL;
                    sh = (sh ^ w1) * SHINGLE_MUL + 1;
                    sh = (sh ^ w2) * SHINGLE_MUL + 2;
                    sh = (sh ^ w3) * SHINGLE_MUL + 3;
                    sh = (sh ^ x) * SHINGLE_MUL + 4;
                    add_shingle(out, mix64(sh));
                }
                w0 = w1, w1 = w2, w2 = w3, w3 = x;
                nw++;
            }
        }
        p += n;
    }
    *ws = (mh_words){w0, w1, w2, w3, nw};
}

static void minhash_start(sr_minhash *out, mh_words *ws)
{
    for (int i = 0; i < SR_MINHASH_N; i++)
        out->v[i] = UINT32_MAX;
    memset(ws, 0, sizeof *ws);
}

static void minhash_finish(sr_minhash *out, const mh_words *ws)
{
    if (ws->nw && ws->nw < SHINGLE) {
        /* A text shorter than one shingle: its words as one shingle. */
        const uint64_t win[SHINGLE - 1] = {ws->w0, ws->w1, ws->w2, ws->w3};
        uint64_t s = 0;
        for (size_t k = 0; k < ws->nw; k++)
            s = (s ^ win[SHINGLE - 1 - ws->nw + k]) * SHINGLE_MUL + k;
        add_shingle(out, mix64(s));
    }
}

void sr_minhash_text(const char *text, size_t len, sr_minhash *out)
{
    mh_words ws;
    minhash_start(out, &ws);
    minhash_piece((const unsigned char *)text, len, out, &ws);
    minhash_finish(out, &ws);
}

void sr_minhash_segs(const char *text, const sr_seg *segs, size_t n, sr_minhash *out)
{
    /* a blank line between two paragraphs is a word break: the words run
     * on from one paragraph to the next, as in the joined text */
    mh_words ws;
    minhash_start(out, &ws);
    for (size_t i = 0; i < n; i++)
        if (segs[i].end > segs[i].start)
            minhash_piece((const unsigned char *)text + segs[i].start, segs[i].end - segs[i].start, out, &ws);
    minhash_finish(out, &ws);
}

double sr_minhash_sim(const sr_minhash *a, const sr_minhash *b)
{
    /* Bins empty in both texts say nothing; an empty text is like nothing,
     * not like other empty texts. */
    int same = 0, used = 0;
    for (int i = 0; i < SR_MINHASH_N; i++) {
        if (a->v[i] == UINT32_MAX && b->v[i] == UINT32_MAX)
            continue;
        used++;
        same += a->v[i] == b->v[i];
    }
    return used ? (double)same / used : 0.0;
}

void sr_minhash_bands(const sr_minhash *m, int64_t keys[SR_LSH_BANDS])
{
    const int rows = SR_MINHASH_N / SR_LSH_BANDS;
    for (int b = 0; b < SR_LSH_BANDS; b++) {
        uint64_t h = (uint64_t)b;
        for (int r = 0; r < rows; r++)
            h = mix64(h ^ m->v[b * rows + r]);
        keys[b] = (int64_t)(h >> 1);
    }
}
