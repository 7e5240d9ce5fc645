/* jsonl.h — a fast parser for the common JSON line (internal to src/ingest).
 *
 * Nearly every document line sitrep reads is one flat object whose values
 * are strings, null or integers.  A general JSON library builds a tree of
 * allocated values for it and spends half of the `clean` stage doing so;
 * this parser decodes such a line in one pass straight into the document's
 * arena.  Anything else (nested values, reals, booleans, escapes it does
 * not take, invalid UTF-8, a NUL, a duplicate key, malformed JSON) makes it
 * answer "not mine", and the caller parses the line with jansson, which
 * also words the error: both paths give the same fields, in the same order. */
#ifndef SR_INGEST_JSONL_H
#define SR_INGEST_JSONL_H

#include <stddef.h>
#include "core/arena.h"

enum { SR_JV_STR = 1, SR_JV_NULL, SR_JV_INT };

typedef struct sr_jfield {
    char *key;          /* decoded, NUL-terminated, in the arena */
    int kind;           /* SR_JV_* */
    char *str;          /* SR_JV_STR: decoded, NUL-terminated, in the arena */
    size_t len;
    long long num;      /* SR_JV_INT */
} sr_jfield;

/* Parse line[0..n) as one flat object into f (at most cap fields, in the
 * line's order).  Returns the number of fields; -1 when the line is not of
 * that simple kind (the caller uses a full parser); -2 out of memory.
 * Every string it gives is valid UTF-8 (RFC 3629, as sr_utf8_repair
 * checks it) without a NUL: the reader checks neither again. */
long sr_jsonl_flat(const char *line, size_t n, sr_arena *a, sr_jfield *f, size_t cap);

#endif
