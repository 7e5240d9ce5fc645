/* utf8.c — UTF-8 validation and one-for-one repair.
 *
 * Follows RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF.
 * A bad byte becomes '?', so every byte offset keeps its meaning. */
#include "text/text.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif

#include <stdint.h>
#include <string.h>

static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else return 0;
    if (len > n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

size_t sr_utf8_repair(char *str, size_t n, size_t *first_bad)
{
    unsigned char *s = (unsigned char *)str;
    size_t bad = 0, i = 0;
    while (i < n) {
        if (s[i] < 0x80) { /* fast path for ASCII runs, sixteen or eight bytes at a time */
            i++;
#if SR_SSE2
            while (i + 16 <= n && !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
                i += 16;
#endif
            uint64_t x;
            while (i + 8 <= n && (memcpy(&x, s + i, 8), !(x & 0x8080808080808080ull)))
                i += 8;
            continue;
        }
        size_t l = seq_len(s + i, n - i);
        if (l) {
            i += l;
            continue;
        }
        if (!bad && first_bad)
            *first_bad = i;
        s[i++] = '?';
        bad++;
    }
    return bad;
}
