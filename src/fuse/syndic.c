/* syndic.c — dates as day numbers, and near-duplicate detection of texts
 * (MinHash over word 5-shingles, banded for candidate look-up), so that the
 * same wire story in several outlets counts as one origin. */
#include "fuse/fuse.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

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

/* One-permutation MinHash: each shingle's 64-bit hash goes to one of the
 * SR_MINHASH_N bins (its top bits) and each bin keeps the least of the
 * remaining bits.  One hash per shingle instead of one per slot; two texts
 * agree on a bin with probability close to their Jaccard similarity when
 * both have many shingles.  Empty bins stay UINT32_MAX. */
static void add_shingle(sr_minhash *out, uint64_t h)
{
    unsigned bin = (unsigned)(h >> 58) % SR_MINHASH_N;
    uint32_t v = (uint32_t)h;
    if (v == UINT32_MAX)
        v--;
    if (v < out->v[bin])
        out->v[bin] = v;
}

void sr_minhash_text(const char *text, size_t len, sr_minhash *out)
{
    for (int i = 0; i < SR_MINHASH_N; i++)
        out->v[i] = UINT32_MAX;
    /* The last five word hashes, each written twice (at pos and pos + 5)
     * so that the shingle ending here is win[pos .. pos + 5), oldest
     * first, without a modulo per word. */
    uint64_t win[2 * SHINGLE] = {0};
    size_t nw = 0;
    unsigned pos = 0;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    /* The last byte that ends a word: a word starting before it ends at
     * it at the latest, so its letters need no test against the end. */
    const unsigned char *stop = end;
    while (stop > p && word_byte[stop[-1]])
        stop--;
    stop = stop > p ? stop - 1 : p;
    for (;;) {
        while (p < end && !word_byte[*p])
            p++;
        if (p >= end)
            break;
        /* FNV-1a of the lower-cased word: case and punctuation differences
         * between outlets' copies do not matter. */
        uint64_t h = 0xcbf29ce484222325ull;
        unsigned char c;
        if (p < stop) {
            while ((c = word_byte[*p])) {
                h = (h ^ c) * 0x100000001b3ull;
                p++;
            }
        } else {
            while (p < end && (c = word_byte[*p])) {
                h = (h ^ c) * 0x100000001b3ull;
                p++;
            }
        }
        win[pos] = win[pos + SHINGLE] = h;
        pos = pos + 1 == SHINGLE ? 0 : pos + 1;
        if (++nw < SHINGLE)
            continue;
        const uint64_t *w = win + pos;
        uint64_t s = (w[0] * SHINGLE_MUL);
        s = (s ^ w[1]) * SHINGLE_MUL + 1;
        s = (s ^ w[2]) * SHINGLE_MUL + 2;
        s = (s ^ w[3]) * SHINGLE_MUL + 3;
        s = (s ^ w[4]) * SHINGLE_MUL + 4;
        add_shingle(out, mix64(s));
    }
    if (nw && nw < SHINGLE) {
        /* A text shorter than one shingle: its words as one shingle. */
        uint64_t s = 0;
        for (size_t k = 0; k < nw; k++)
            s = (s ^ win[k]) * SHINGLE_MUL + k;
        add_shingle(out, mix64(s));
    }
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
