/* mem.c — allocation wrapper with fault injection for tests. */
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static long fail_after = -1;

void sr_mem_fail_after(long n) { fail_after = n; }

static int should_fail(void)
{
    if (fail_after < 0)
        return 0;
    if (fail_after == 0)
        return 1;
    fail_after--;
    return 0;
}

void *sr_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *sr_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *sr_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void sr_free(void *p) { free(p); }

char *sr_strndup(const char *s, size_t n)
{
    char *d = sr_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *sr_strdup(const char *s) { return sr_strndup(s, strlen(s)); }

int sr_grow(void **arr, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *nv = sr_realloc(*arr, nc * size);
    if (!nv)
        return -1;
    *arr = nv;
    *cap = nc;
    return 0;
}
