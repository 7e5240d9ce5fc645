/* fuzz.h — what every harness does first: the input as a NUL-terminated,
 * UTF-8-repaired string in an arena reset for each run (NULL on OOM). */
#ifndef SR_FUZZ_H
#define SR_FUZZ_H

#include "core/arena.h"
#include "text/text.h"

#include <stdint.h>
#include <string.h>

static char *fuzz_text(const uint8_t *data, size_t size, sr_arena **arena)
{
    if (!*arena)
        *arena = sr_arena_create(1 << 16);
    if (!*arena)
        return NULL;
    sr_arena_reset(*arena);
    char *text = sr_arena_alloc(*arena, size + 1);
    if (!text)
        return NULL;
    memcpy(text, data, size);
    text[size] = '\0';
    sr_utf8_repair(text, size, NULL);
    return text;
}

#endif
