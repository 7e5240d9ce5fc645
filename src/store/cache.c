/* cache.c — what a writing store handle remembers of what it has written,
 * so that a batch of documents does not ask SQLite again and again about
 * the same few hundred places and actors: the row id (and known population
 * and coordinates) of each place key, the aliases and actors already
 * stored, and the places already marked dirty.
 *
 * It is only a shortcut: every entry names a row that exists in the file
 * once the current transaction commits, so the whole cache is dropped when
 * a transaction rolls back (sr_store_cache_clear) and when a refresh clears
 * the dirty marks.  Keys are byte strings; a map that grows past
 * SR_CACHE_MAX entries is emptied rather than grown (bounded memory). */
#include "store/internal.h"
#include "core/hash.h"
#include "core/mem.h"

#include <string.h>

#define SR_CACHE_MAX (1u << 20)

void sr_smap_clear(sr_smap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        sr_free(m->e[i].key);
    sr_free(m->e);
    memset(m, 0, sizeof *m);
}

sr_smap_entry *sr_smap_get(sr_smap *m, const char *k, size_t n)
{
    if (!m->cap)
        return NULL;
    for (size_t i = sr_hash_bytes(k, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        sr_smap_entry *e = &m->e[i];
        if (!e->key)
            return NULL;
        if (e->klen == n && !memcmp(e->key, k, n))
            return e;
    }
}

static int grow(sr_smap *m)
{
    size_t nc = m->cap ? 2 * m->cap : 1024;
    sr_smap_entry *t = sr_calloc(nc, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        sr_smap_entry *e = &m->e[i];
        if (!e->key)
            continue;
        size_t j = sr_hash_bytes(e->key, e->klen) & (nc - 1);
        while (t[j].key)
            j = (j + 1) & (nc - 1);
        t[j] = *e;
    }
    sr_free(m->e);
    m->e = t, m->cap = nc;
    return 0;
}

sr_smap_entry *sr_smap_put(sr_smap *m, const char *k, size_t n, int64_t a, int64_t b)
{
    sr_smap_entry *e = sr_smap_get(m, k, n);
    if (e) {
        e->a = a, e->b = b;
        return e;
    }
    if (m->n >= SR_CACHE_MAX)
        sr_smap_clear(m);
    if (2 * (m->n + 1) > m->cap && grow(m))
        return NULL;
    char *key = sr_malloc(n + 1);
    if (!key)
        return NULL;
    memcpy(key, k, n);
    key[n] = '\0';
    size_t i = sr_hash_bytes(k, n) & (m->cap - 1);
    while (m->e[i].key)
        i = (i + 1) & (m->cap - 1);
    m->e[i] = (sr_smap_entry){key, n, a, b};
    m->n++;
    return &m->e[i];
}

void sr_store_cache_clear(sr_store *s)
{
    sr_smap_clear(&s->places);
    sr_smap_clear(&s->names);
    sr_smap_clear(&s->dirty);
    sr_bands_clear(&s->bands);
}
