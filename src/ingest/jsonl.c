/* jsonl.c — the fast path for flat JSON lines (see jsonl.h).
 *
 * It accepts only what jansson accepts and decodes it the same way, so that
 * the fallback is never needed for a correct answer, only for an error
 * message: strings must be valid UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF) without raw control bytes; escapes are the JSON
 * ones, \u0000 and lone surrogates excepted (jansson's own checks word
 * those); integers have no leading zero and at most 18 digits (so they fit
 * in a long long without the overflow check). */
#include "ingest/jsonl.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <stdint.h>
#include <string.h>

/* Index of the first byte at or after i that is not JSON white space. */
static size_t skip_ws(const unsigned char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), 0 if invalid. */
static int utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    int len;
    unsigned v;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)len > n)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    return len;
}

static int hex4(const unsigned char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(unsigned char *o, unsigned v)
{
    if (v < 0x80)
        return o[0] = (unsigned char)v, 1;
    if (v < 0x800)
        return o[0] = (unsigned char)(0xC0 | v >> 6), o[1] = (unsigned char)(0x80 | (v & 0x3F)), 2;
    if (v < 0x10000)
        return o[0] = (unsigned char)(0xE0 | v >> 12), o[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3F)),
               o[2] = (unsigned char)(0x80 | (v & 0x3F)), 3;
    return o[0] = (unsigned char)(0xF0 | v >> 18), o[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3F)),
           o[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3F)), o[3] = (unsigned char)(0x80 | (v & 0x3F)), 4;
}

/* The string whose opening quote is at s[*pi]: decoded into the arena;
 * *pi moves past the closing quote.  -1: not ours; -2: out of memory. */
/* From j, past plain string bytes (none of '"', '\\', a control byte or a
 * byte >= 0x80) a block at a time: the index of the first block holding
 * another, or of the last bytes too few for a block (the caller goes on
 * byte by byte). */
static size_t plain_run(const unsigned char *s, size_t j, size_t n)
{
#if SR_SSE2
    /* sixteen at a time: a byte below 0x20 or from 0x80 is negative or
     * small to the signed compare */
    for (; j + 16 <= n; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
        __m128i sp = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        unsigned m = (unsigned)_mm_movemask_epi8(sp);
        if (m)
            return j + (size_t)__builtin_ctz(m);
    }
#else
    for (; j + 8 <= n; j += 8) {
        uint64_t x;
        memcpy(&x, s + j, 8);
        uint64_t special = ((x - SR_ONES8 * 0x20) | sr_swar_zero(x ^ (SR_ONES8 * '"')) |
                            sr_swar_zero(x ^ (SR_ONES8 * '\\')) | x) & SR_HIGH8;
        if (special)
            break;
    }
#endif
    return j;
}

static int jstr(const unsigned char *s, size_t n, size_t *pi, sr_arena *a, char **out, size_t *outn)
{
    size_t i = *pi + 1, j = i;
    int esc = 0;
    /* pass 1: find the end, check the bytes, a block of plain bytes at a
     * time (plain_run) */
    while (j < n) {
        j = plain_run(s, j, n);
        if (j >= n)
            break;
        unsigned char c = s[j];
        if (c == '"')
            break;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            esc = 1;
            j += 2;
            continue;
        }
        if (c >= 0x80) {
            int l = utf8_len(s + j, n - j);
            if (!l)
                return -1;
            j += (size_t)l;
            continue;
        }
        j++;
    }
    if (j >= n)
        return -1;
    *pi = j + 1;
    unsigned char *o = sr_arena_alloc(a, j - i + 1);
    if (!o)
        return -2;
    if (!esc) {
        memcpy(o, s + i, j - i);
        o[j - i] = '\0';
        *out = (char *)o, *outn = j - i;
        return 0;
    }
    /* pass 2: decode the escapes (the result is never longer) */
    size_t m = 0;
    for (size_t k = i; k < j;) {
        if (s[k] != '\\') {
            /* the run up to the next escape in one copy */
            const unsigned char *bs = memchr(s + k, '\\', j - k);
            size_t run = bs ? (size_t)(bs - (s + k)) : j - k;
            memcpy(o + m, s + k, run);
            m += run, k += run;
            continue;
        }
        unsigned char e = s[k + 1];
        k += 2;
        switch (e) {
        case '"': case '\\': case '/': o[m++] = e; break;
        case 'b': o[m++] = '\b'; break;
        case 'f': o[m++] = '\f'; break;
        case 'n': o[m++] = '\n'; break;
        case 'r': o[m++] = '\r'; break;
        case 't': o[m++] = '\t'; break;
        case 'u': {
            unsigned v, lo;
            if (k + 4 > j || hex4(s + k, &v) || v == 0 || (v >= 0xDC00 && v <= 0xDFFF))
                return -1;
            k += 4;
            if (v >= 0xD800 && v <= 0xDBFF) {
                if (k + 6 > j || s[k] != '\\' || s[k + 1] != 'u' || hex4(s + k + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                k += 6;
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            }
            m += put_utf8(o + m, v);
            break;
        }
        default:
            return -1;
        }
    }
    o[m] = '\0';
    *out = (char *)o, *outn = m;
    return 0;
}

long sr_jsonl_flat(const char *line, size_t n, sr_arena *a, sr_jfield *f, size_t cap)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t nf = 0, i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return -1;
    i++;
    i = skip_ws(s, n, i);
    if (i < n && s[i] == '}')
        i++;
    else
        for (;;) {
            if (i >= n || s[i] != '"' || nf == cap)
                return -1;
            sr_jfield *x = &f[nf];
            memset(x, 0, sizeof *x);
            size_t kl;
            int rc = jstr(s, n, &i, a, &x->key, &kl);
            if (rc)
                return rc;
            for (size_t k = 0; k < nf; k++)
                if (!strcmp(f[k].key, x->key))
                    return -1;  /* a repeated key: jansson's rules */
            i = skip_ws(s, n, i);
            if (i >= n || s[i] != ':')
                return -1;
            i++;
            i = skip_ws(s, n, i);
            if (i >= n)
                return -1;
            if (s[i] == '"') {
                x->kind = SR_JV_STR;
                if ((rc = jstr(s, n, &i, a, &x->str, &x->len)))
                    return rc;
            } else if (s[i] == 'n') {
                if (n - i < 4 || memcmp(s + i, "null", 4))
                    return -1;
                x->kind = SR_JV_NULL;
                i += 4;
            } else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
                int neg = s[i] == '-';
                size_t d0 = i + (size_t)neg, d = d0;
                long long v = 0;
                while (d < n && s[d] >= '0' && s[d] <= '9')
                    v = v * 10 + (s[d++] - '0');
                if (d == d0 || d - d0 > 18 || (s[d0] == '0' && d - d0 > 1) ||
                    (d < n && (s[d] == '.' || s[d] == 'e' || s[d] == 'E')))
                    return -1;
                x->kind = SR_JV_INT;
                x->num = neg ? -v : v;
                i = d;
            } else
                return -1;
            nf++;
            i = skip_ws(s, n, i);
            if (i < n && s[i] == ',') {
                i++;
                i = skip_ws(s, n, i);
                continue;
            }
            if (i < n && s[i] == '}') {
                i++;
                break;
            }
            return -1;
        }
    i = skip_ws(s, n, i);
    return i == n ? (long)nf : -1;
}
