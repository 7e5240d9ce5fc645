/* buf.c — growable buffer and JSON string escaping. */
#include "core/buf.h"
#include "core/mem.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sr_buf_init(sr_buf *b) { b->data = NULL, b->len = b->cap = 0; }

void sr_buf_finish(sr_buf *b)
{
    sr_free(b->data);
    sr_buf_init(b);
}

void sr_buf_clear(sr_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

sr_status sr_buf_grow(sr_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return SR_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = sr_realloc(b->data, cap);
    if (!d)
        return SR_ENOMEM;
    b->data = d;
    b->cap = cap;
    return SR_OK;
}

sr_status sr_buf_addu(sr_buf *b, unsigned long long v)
{
    char tmp[24];
    return sr_buf_add(b, tmp, (size_t)(sr_utoa(tmp, v) - tmp));
}

/* Why this equals printf: x = |v|*10^d is one rounding of the exact
 * product X (10^d is exact), so |x - X| <= |X| * 2^-53 < 2e-7 for |X| < 1e9.
 * printf rounds X to the nearest integer; whenever x's fraction is further
 * than 1e-6 from one half, x and X round the same way.  The integer part is
 * exact below 2^53, and the sign is written from v itself, as printf does
 * ("-0.00" for -0.001). */
sr_status sr_buf_addfix(sr_buf *b, double v, unsigned decimals)
{
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    int neg = v < 0 || (v == 0 && 1 / v < 0);
    double a = neg ? -v : v;
    if (decimals > 6 || !(a < 1e9)) /* NaN fails the test too */
        return sr_buf_addf(b, "%.*f", (int)decimals, v);
    double x = a * p10[decimals];
    unsigned long long q = (unsigned long long)x;
    double fr = x - (double)q; /* exact: both below 2^53 */
    if (fr > 0.5 - 1e-6 && fr < 0.5 + 1e-6)
        return sr_buf_addf(b, "%.*f", (int)decimals, v);
    q += fr > 0.5;
    char tmp[32], *p = tmp;
    if (neg)
        *p++ = '-';
    unsigned long long scale = (unsigned long long)p10[decimals], frac = q % scale;
    p = sr_utoa(p, q / scale);
    if (decimals) {
        *p++ = '.';
        for (unsigned k = decimals; k-- > 0; frac /= 10)
            p[k] = (char)('0' + frac % 10);
        p += decimals;
    }
    return sr_buf_add(b, tmp, (size_t)(p - tmp));
}

sr_status sr_buf_addf(sr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SR_EINTERNAL;
    if ((size_t)n < sizeof tmp)
        return sr_buf_add(b, tmp, (size_t)n);
    if (sr_buf_reserve(b, (size_t)n))
        return SR_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SR_OK;
}

/* A JSON string must escape bytes below 0x20, '"', '\\' and 0x7f. */
static inline int json_special(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c == 0x7f; }

#if SR_SSE2
/* The bytes of v a JSON string must escape, as a movemask (below 0x20
 * unsigned is min(v, 0x1f) == v). */
static inline unsigned special16(__m128i v)
{
    __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(sp);
}
#endif

/* The index of the first byte from i on that a JSON string must escape,
 * or n.  Sixteen bytes a step (eight without SSE2); the last few bytes of
 * a string (most names and ids are shorter than a block) are tested as a
 * block from a copy padded with plain bytes, not one by one. */
static size_t plain_run(const char *s, size_t i, size_t n)
{
#if SR_SSE2
    for (; i + 16 <= n; i += 16) {
        unsigned m = special16(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    if (i < n) {
        char pad[16];
        memset(pad, 'a', sizeof pad);
        memcpy(pad, s + i, n - i);
        unsigned m = special16(_mm_loadu_si128((const __m128i *)(const void *)pad));
        return m ? i + (size_t)__builtin_ctz(m) : n;
    }
#else
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t sp = ((x - SR_ONES8 * 0x20) & ~x) | sr_swar_zero(x ^ (SR_ONES8 * '"')) |
                      sr_swar_zero(x ^ (SR_ONES8 * '\\')) | sr_swar_zero(x ^ (SR_ONES8 * 0x7f));
        if (sp & SR_HIGH8) /* one, or a borrow's false alarm: look closer */
            for (size_t k = i; k < i + 8; k++)
                if (json_special((unsigned char)s[k]))
                    return k;
    }
    for (; i < n; i++)
        if (json_special((unsigned char)s[i]))
            return i;
#endif
    return n;
}

/* Written in place: the string is copied whole after the opening quote
 * (room for it, the quotes and a block more is made once), then the copy
 * is searched for bytes to escape, sixteen a step, a block of plain bytes
 * stored after it so the last step reads no byte left unwritten.  Most
 * strings (names, ids, dates, sentences) hold none and are done; from the
 * first one on, the rest is rewritten from s with its escapes (room made
 * again as needed). */
sr_status sr_buf_json_str(sr_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (sr_buf_reserve(b, n + 2 + 16))
        return SR_ENOMEM;
    size_t save = b->len, o = b->len + 1;
    char *d = b->data;
    d[save] = '"';
    if (n)
        memcpy(d + o, s, n);
#if SR_SSE2
    size_t i = 0;
    _mm_storeu_si128((__m128i *)(void *)(d + o + n), _mm_set1_epi8('a'));
    for (; i < n; i += 16) {
        unsigned m = special16(_mm_loadu_si128((const __m128i *)(const void *)(d + o + i)));
        if (m) {
            i += (size_t)__builtin_ctz(m); /* below n: the bytes after the copy are plain */
            break;
        }
    }
    if (i > n)
        i = n;
#else
    size_t i = plain_run(s, 0, n);
#endif
    if (i < n) {
        /* the bytes before i are in place; the rest is written again */
        o += i;
        size_t run = i; /* start of the pending run of plain bytes */
        for (; (i = plain_run(s, i, n)) < n; i++) {
            unsigned char c = (unsigned char)s[i];
            /* the run, six bytes at most for c, the rest as it is, the quote */
            b->len = o;
            if (sr_buf_reserve(b, (i - run) + 6 + (n - i - 1) + 1)) {
                b->len = save;
                b->data[save] = '\0';
                return SR_ENOMEM;
            }
            d = b->data;
            if (i > run)
                memcpy(d + o, s + run, i - run);
            o += i - run;
            run = i + 1;
            d[o++] = '\\';
            switch (c) {
            case '"': d[o++] = '"'; break;
            case '\\': d[o++] = '\\'; break;
            case '\n': d[o++] = 'n'; break;
            case '\r': d[o++] = 'r'; break;
            case '\t': d[o++] = 't'; break;
            default:
                d[o++] = 'u', d[o++] = '0', d[o++] = '0';
                d[o++] = hex[c >> 4], d[o++] = hex[c & 15];
            }
        }
        if (n > run)
            memcpy(d + o, s + run, n - run);
        o += n - run;
    } else
        o += n;
    d[o++] = '"';
    d[o] = '\0';
    b->len = o;
    return SR_OK;
}

sr_status sr_buf_json_cstr(sr_buf *b, const char *s)
{
    if (!s)
        return sr_buf_adds(b, "null");
    return sr_buf_json_str(b, s, strlen(s));
}
