/* mem.h — the one allocation wrapper.
 *
 * Out-of-memory policy: every allocation goes through sr_malloc/sr_realloc;
 * a failure returns NULL and the caller returns SR_ENOMEM up the stack,
 * leaving every structure it owns in a destroyable state.  Nothing aborts.
 * Tests can make the Nth allocation fail (sr_mem_fail_after) to check that
 * every path handles it. */
#ifndef SR_MEM_H
#define SR_MEM_H

#include <stddef.h>

void *sr_malloc(size_t n);
void *sr_calloc(size_t n, size_t size);
void *sr_realloc(void *p, size_t n);
void sr_free(void *p);
char *sr_strndup(const char *s, size_t n);
char *sr_strdup(const char *s);

/* A growable heap array: make *cap at least `need` elements of `size`
 * bytes, doubling it (from `first`).  0 on success, -1 on OOM (the array is
 * left as it was). */
int sr_grow(void **arr, size_t *cap, size_t need, size_t size, size_t first);

/* Fault injection: the allocation after `n` more succeed fails (n < 0: off). */
void sr_mem_fail_after(long n);

#endif
