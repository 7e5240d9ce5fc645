/* arena.h — bump allocator, one per document.
 *
 * Tokens, spans, mentions and records of a document come from its arena
 * and are released together by sr_arena_reset (reuse the blocks) or
 * sr_arena_destroy.  No per-object free. */
#ifndef SR_ARENA_H
#define SR_ARENA_H

#include <stddef.h>

typedef struct sr_arena sr_arena;

sr_arena *sr_arena_create(size_t block_size);   /* NULL on OOM */
/* An arena whose blocks are mapped with their pages made at once
 * (MAP_POPULATE): for long-lived data filled right after creation, such as
 * the compiled rules, where a page fault per 4 KB was a third of start-up. */
sr_arena *sr_arena_create_eager(size_t block_size);
void sr_arena_destroy(sr_arena *a);             /* NULL is a no-op */
/* Aligned to 16 bytes; NULL on OOM.  Valid until reset/destroy. */
void *sr_arena_alloc(sr_arena *a, size_t n);
void *sr_arena_calloc(sr_arena *a, size_t n);
char *sr_arena_strndup(sr_arena *a, const char *s, size_t n);
/* A growable array in the arena: make room for one element after the n in
 * use, doubling *cap (from `first`) and copying the n elements when full.
 * 0 on success, -1 on OOM (the array is left as it was). */
int sr_arena_grow(sr_arena *a, void **arr, size_t *cap, size_t n, size_t size, size_t first);
/* Forget every allocation but keep the first block for reuse. */
void sr_arena_reset(sr_arena *a);
/* Bytes handed out since the last reset (for statistics). */
size_t sr_arena_used(const sr_arena *a);

#endif
