/* buf.h — growable byte buffer and JSON string writing.
 *
 * Used for building output lines and extracted text.  Append calls return
 * SR_ENOMEM on failure and leave the buffer as it was before the call. */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stddef.h>
#include "core/status.h"

typedef struct sr_buf {
    char *data;     /* always NUL-terminated when len > 0 or after any append */
    size_t len, cap;
} sr_buf;

void sr_buf_init(sr_buf *b);
void sr_buf_finish(sr_buf *b);          /* frees; the struct can be reused */
void sr_buf_clear(sr_buf *b);           /* len = 0, keeps memory */
sr_status sr_buf_reserve(sr_buf *b, size_t extra);
sr_status sr_buf_add(sr_buf *b, const char *s, size_t n);
sr_status sr_buf_adds(sr_buf *b, const char *s);
sr_status sr_buf_addc(sr_buf *b, char c);
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
