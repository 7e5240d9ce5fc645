/* arena.c — bump allocator: a chain of blocks; big requests get their own.
 * An eager arena maps its blocks with their pages made at once (see
 * arena.h); the others take them from the heap. */
#include "core/arena.h"
#include "core/mem.h"

#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

typedef struct block {
    struct block *next;
    size_t size, used;
    int mapped;         /* from mmap (an eager arena), not the heap */
    /* data follows, 16-byte aligned */
} block;

struct sr_arena {
    block *head;        /* current block (most recent) */
    size_t block_size;
    size_t total;
    int eager;
};

#define HDR ((sizeof(block) + 15) & ~(size_t)15)

static void free_block(block *b)
{
    if (b && b->mapped)
        munmap(b, HDR + b->size);
    else
        sr_free(b);
}

static block *new_block(size_t size, int eager)
{
    block *b = NULL;
    int mapped = 0;
#ifdef MAP_POPULATE
    if (eager) {
        void *m = mmap(NULL, HDR + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (m != MAP_FAILED)
            b = m, mapped = 1;
    }
#else
    (void)eager;
#endif
    if (!b)
        b = sr_malloc(HDR + size);
    if (!b)
        return NULL;
    b->mapped = mapped;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

static sr_arena *create(size_t block_size, int eager)
{
    sr_arena *a = sr_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->eager = eager;
    a->head = new_block(a->block_size, eager);
    if (!a->head) {
        sr_free(a);
        return NULL;
    }
    return a;
}

sr_arena *sr_arena_create(size_t block_size) { return create(block_size, 0); }

sr_arena *sr_arena_create_eager(size_t block_size) { return create(block_size, 1); }

void sr_arena_destroy(sr_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *n = b->next;
        free_block(b);
        b = n;
    }
    sr_free(a);
}

void *sr_arena_alloc(sr_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    block *b = a->head;
    if (b->size - b->used < n) {
        size_t sz = n > a->block_size ? n : a->block_size;
        block *nb = new_block(sz, a->eager);
        if (!nb)
            return NULL;
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = (char *)b + HDR + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *sr_arena_calloc(sr_arena *a, size_t n)
{
    void *p = sr_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *sr_arena_strndup(sr_arena *a, const char *s, size_t n)
{
    char *d = sr_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void sr_arena_reset(sr_arena *a)
{
    /* keep the oldest block of standard size (the last in the chain) */
    block *b = a->head, *keep = NULL;
    while (b) {
        block *n = b->next;
        if (!n && b->size == a->block_size)
            keep = b;
        else
            free_block(b);
        b = n;
    }
    if (!keep)
        keep = new_block(a->block_size, a->eager); /* may be NULL: alloc then fails */
    if (keep)
        keep->used = 0, keep->next = NULL;
    a->head = keep;
    a->total = 0;
}

size_t sr_arena_used(const sr_arena *a) { return a->total; }

int sr_arena_grow(sr_arena *a, void **arr, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : first;
    void *nv = sr_arena_alloc(a, nc * size);
    if (!nv)
        return -1;
    if (n)
        memcpy(nv, *arr, n * size);
    *arr = nv;
    *cap = nc;
    return 0;
}
