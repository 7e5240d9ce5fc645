/* buf.h — growable byte buffer and JSON string writing.
 *
 * Used for building output lines and extracted text.  Append calls return
 * SR_ENOMEM on failure and leave the buffer as it was before the call. */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/status.h"

typedef struct sr_buf {
    char *data;     /* always NUL-terminated when len > 0 or after any append */
    size_t len, cap;
} sr_buf;

void sr_buf_init(sr_buf *b);
void sr_buf_finish(sr_buf *b);          /* frees; the struct can be reused */
void sr_buf_clear(sr_buf *b);           /* len = 0, keeps memory */
/* The slow half of sr_buf_reserve: a larger block (doubling). */
sr_status sr_buf_grow(sr_buf *b, size_t extra);

/* Room for `extra` more bytes and the NUL after them.  The appends below
 * are inline: record writers make tens of them per record, most of a
 * literal whose length the compiler knows, and the call, the strlen and
 * the library memcpy of each cost more than the copy itself (always
 * inline: left to itself, gcc keeps an out-of-line copy for files with
 * many calls, and strlen runs again). */
#if defined(__GNUC__)
#define SR_BUF_INLINE static inline __attribute__((always_inline))
#else
#define SR_BUF_INLINE static inline
#endif

SR_BUF_INLINE sr_status sr_buf_reserve(sr_buf *b, size_t extra)
{
    return b->len + extra + 1 <= b->cap ? SR_OK : sr_buf_grow(b, extra);
}

SR_BUF_INLINE sr_status sr_buf_add(sr_buf *b, const char *s, size_t n)
{
    if (sr_buf_reserve(b, n))
        return SR_ENOMEM;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SR_OK;
}

SR_BUF_INLINE sr_status sr_buf_adds(sr_buf *b, const char *s) { return sr_buf_add(b, s, strlen(s)); }

SR_BUF_INLINE sr_status sr_buf_addc(sr_buf *b, char c)
{
    if (sr_buf_reserve(b, 1))
        return SR_ENOMEM;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return SR_OK;
}
/* Decimal digits of v at p (no NUL); returns the end. */
static inline char *sr_utoa(char *p, uint64_t v)
{
    char t[20];
    int n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        *p++ = t[--n];
    return p;
}

/* "YYYY-MM-DD" and a NUL at out (y below 10,000, m and d below 100): what
 * "%04u-%02u-%02u" writes, without printf (dates of every record, fact
 * and span). */
static inline void sr_date10(char out[11], unsigned y, unsigned m, unsigned d)
{
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10), out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10), out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
    out[7] = '-', out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
}

/* Append v in decimal (what "%llu" writes, without the printf machinery:
 * record writers append offsets and ids by the thousand). */
sr_status sr_buf_addu(sr_buf *b, unsigned long long v);
/* Append v with `decimals` digits after the point (0-6): the bytes
 * "%.*f" writes, without printf for the usual case (coordinates and
 * confidences of every record); values near a rounding tie, huge ones and
 * NaN or infinities go through snprintf. */
sr_status sr_buf_addfix(sr_buf *b, double v, unsigned decimals);
sr_status sr_buf_addf(sr_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append s[0..n) as a quoted JSON string (escapes control chars, quotes,
 * backslashes; bytes >= 0x80 are copied as they are: input must be UTF-8). */
sr_status sr_buf_json_str(sr_buf *b, const char *s, size_t n);
/* Append "null" when s is NULL, else a quoted JSON string of the C string. */
sr_status sr_buf_json_cstr(sr_buf *b, const char *s);

#endif
