/* cache.c — what a writing store handle remembers of what it has written,
 * so that a batch of documents does not ask SQLite again and again about
 * the same few hundred places and actors: the row id (and known population
 * and coordinates) of each place key, the aliases and actors already
 * stored, the places already marked dirty, and the name, date and origin
 * of the documents written (the refresh reads them for every record: two
 * seeks into the large document table a record, 10% of an ingest).
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

/* ---- documents: an open-addressing table by row id ------------------- */

static size_t dslot(int64_t id, size_t cap)
{
    return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

const sr_dinfo *sr_dcache_get(const sr_dcache *c, int64_t id)
{
    if (!c->cap || !id)
        return NULL;
    for (size_t i = dslot(id, c->cap);; i = (i + 1) & (c->cap - 1)) {
        if (c->e[i].id == id)
            return &c->e[i];
        if (!c->e[i].id)
            return NULL;
    }
}

void sr_dcache_clear(sr_dcache *c)
{
    sr_free(c->e);
    sr_arena_destroy(c->strs);
    memset(c, 0, sizeof *c);
}

int sr_dcache_put(sr_dcache *c, int64_t id, const char *name, const char *published, int64_t origin)
{
    if (!id || !name)
        return 0;
    if (c->n >= SR_CACHE_MAX)
        sr_dcache_clear(c);
    if (2 * (c->n + 1) > c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 1024;
        sr_dinfo *t = sr_calloc(nc, sizeof *t);
        if (!t)
            goto oom;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->e[i].id)
                continue;
            size_t j = dslot(c->e[i].id, nc);
            while (t[j].id)
                j = (j + 1) & (nc - 1);
            t[j] = c->e[i];
        }
        sr_free(c->e);
        c->e = t, c->cap = nc;
    }
    if (!c->strs && !(c->strs = sr_arena_create(1u << 16)))
        goto oom;
    size_t i = dslot(id, c->cap);
    while (c->e[i].id && c->e[i].id != id)
        i = (i + 1) & (c->cap - 1);
    sr_dinfo d = {id, origin, sr_arena_strndup(c->strs, name, strlen(name)),
                  published ? sr_arena_strndup(c->strs, published, strlen(published)) : NULL};
    if (!d.name || (published && !d.published))
        goto oom;
    c->n += !c->e[i].id;
    c->e[i] = d;
    return 0;
oom:
    sr_dcache_clear(c);
    return -1;
}

void sr_store_cache_clear(sr_store *s)
{
    s->fresh = 0; /* rows it wrote may be gone from memory, not from the file */
    sr_smap_clear(&s->docnames);
    sr_smap_clear(&s->places);
    sr_smap_clear(&s->names);
    sr_smap_clear(&s->dirty);
    sr_bands_clear(&s->bands);
    sr_dcache_clear(&s->docs);
}
