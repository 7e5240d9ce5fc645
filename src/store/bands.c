/* bands.c — the LSH band keys of stored texts (syndication look-ups), kept
 * in memory by a writing handle.
 *
 * Each new original text has 16 band keys, and each new text looks up its
 * 16 keys to find the texts it may copy.  Kept in SQLite as an index over
 * every key, both are random accesses: 16 random inserts and 16 random
 * seeks a document were most of the cost of storing one (bench_store).  So
 * the table `band` holds one row per original text (its 16 keys, appended
 * in document order: cheap), and a writing handle reads it once, at its
 * first look-up, into an in-memory multimap key -> documents that answers
 * the look-ups and takes the keys of the texts it stores.
 *
 * The candidates come out in the order the SQL index gave them (keys
 * ascending, each key's documents by id), so the same origin is chosen.
 * The map is dropped when a transaction rolls back and when another
 * connection has written to the file (PRAGMA data_version), and read
 * again at the next look-up.  Memory: 16 bytes a slot, two slots a key,
 * 16 keys an original text (about 0.5 KB a stored original).
 *
 * The signatures of the candidates are kept too (sr_bands_sig), with the
 * id of their origin: most stories have many copies, and each copy read
 * its original's signature from its row again -- a random read, often
 * from the write-ahead log, the signature stored after the text (an
 * overflow chain walked for a long one).  At most SIG_MAX of them, about
 * 300 bytes each; the map is emptied when full, and dropped with the keys. */
#include "store/internal.h"
#include "core/mem.h"
#include "fuse/fuse.h"

#include <stdlib.h>
#include <string.h>

static void sig_clear(sr_bands *b)
{
    for (size_t i = 0; i < b->scap; i++)
        sr_free(b->sig[i].name);
    sr_free(b->sig);
    b->sig = NULL, b->scap = b->sn = 0;
}

void sr_bands_clear(sr_bands *b)
{
    sr_free(b->slot);
    sig_clear(b);
    memset(b, 0, sizeof *b);
}

static uint64_t slot_hash(int64_t k)
{
    uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

static int grow(sr_bands *b)
{
    size_t nc = b->cap ? 2 * b->cap : 1u << 14;
    sr_bslot *t = sr_calloc(nc, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < b->cap; i++) {
        if (!b->slot[i].doc)
            continue;
        size_t j = slot_hash(b->slot[i].key) & (nc - 1);
        while (t[j].doc)
            j = (j + 1) & (nc - 1);
        t[j] = b->slot[i];
    }
    sr_free(b->slot);
    b->slot = t, b->cap = nc;
    return 0;
}

/* One more (key, doc) pair; a key may have several documents. */
static int map_add(sr_bands *b, int64_t key, int64_t doc)
{
    if (2 * (b->n + 1) > b->cap && grow(b))
        return -1;
    size_t j = slot_hash(key) & (b->cap - 1);
    while (b->slot[j].doc)
        j = (j + 1) & (b->cap - 1);
    b->slot[j] = (sr_bslot){key, doc};
    b->n++;
    return 0;
}

sqlite3_int64 sr_store_data_version(sr_store *s)
{
    sqlite3_stmt *q;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return v;
}

void sr_bands_check(sr_store *s)
{
    if (s->bands.loaded && sr_store_data_version(s) != s->bands.version)
        sr_bands_clear(&s->bands);
}

/* The 16 keys of a `band` row ("k1 k2 ... k16", decimal); how many read. */
static int parse_keys(const unsigned char *t, int64_t keys[SR_LSH_BANDS])
{
    int n = 0;
    while (t && *t && n < SR_LSH_BANDS) {
        int64_t v = 0;
        while (*t >= '0' && *t <= '9')
            v = v * 10 + (*t++ - '0');
        keys[n++] = v;
        while (*t && (*t < '0' || *t > '9'))
            t++;
    }
    return n;
}

static sr_status load(sr_store *s, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    sqlite3_stmt *q;
    b->version = sr_store_data_version(s);
    if (sqlite3_prepare_v2(s->db, "SELECT doc, keys FROM band", -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "band keys");
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(q, 0), keys[SR_LSH_BANDS];
        int nk = parse_keys(sqlite3_column_text(q, 1), keys);
        for (int i = 0; i < nk; i++)
            if (map_add(b, keys[i], doc)) {
                sqlite3_finalize(q);
                sr_bands_clear(b);
                return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sr_bands_clear(b);
        return sr_store_dberr(s, ctx, "band keys");
    }
    b->loaded = 1;
    return SR_OK;
}

/* Ascending, in place: a few to a few dozen numbers a document, where
 * qsort's calls through a pointer cost more than the sort. */
static void sort_i64(int64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        size_t j = i;
        for (; j && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

sr_status sr_bands_candidates(sr_store *s, const int64_t *keys, int64_t *out, int max, int *n, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    *n = 0;
    sr_status st;
    if (!b->loaded && (st = load(s, ctx)))
        return st;
    if (!b->n)
        return SR_OK;
    int64_t k[SR_LSH_BANDS];
    memcpy(k, keys, sizeof k);
    sort_i64(k, SR_LSH_BANDS);
    /* sixteen random slots of a table larger than the caches: asked for
     * all at once, their misses overlap instead of coming one by one */
    for (int i = 0; i < SR_LSH_BANDS; i++)
        __builtin_prefetch(&b->slot[slot_hash(k[i]) & (b->cap - 1)]);
    int c = 0;
    for (int i = 0; i < SR_LSH_BANDS && c < max; i++) {
        if (i && k[i] == k[i - 1])
            continue;
        /* this key's documents, by id (as the index on (key, doc) read them) */
        int64_t docs[64];
        int nd = 0;
        for (size_t j = slot_hash(k[i]) & (b->cap - 1); b->slot[j].doc; j = (j + 1) & (b->cap - 1))
            if (b->slot[j].key == k[i] && nd < 64)
                docs[nd++] = b->slot[j].doc;
        if (nd > 1)
            sort_i64(docs, (size_t)nd);
        for (int d = 0; d < nd && c < max; d++) {
            int dup = 0;
            for (int x = 0; x < c && !dup; x++)
                dup = out[x] == docs[d];
            if (!dup)
                out[c++] = docs[d];
        }
    }
    *n = c;
    return SR_OK;
}

sr_status sr_bands_add(sr_store *s, const int64_t *keys, int64_t doc, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    /* the row: the keys in band order, decimal */
    char row[SR_LSH_BANDS * 21], *p = row;
    for (int i = 0; i < SR_LSH_BANDS; i++) {
        if (i)
            *p++ = ' ';
        p = sr_utoa(p, (uint64_t)keys[i]);
    }
    sqlite3_stmt *q = sr_store_stmt(s, Q_BAND_INS, ctx);
    if (!q)
        return SR_EDB;
    sqlite3_bind_int64(q, 1, doc);
    sqlite3_bind_text(q, 2, row, (int)(p - row), SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sr_store_dberr(s, ctx, "band");
    for (int i = 0; b->loaded && b->cap && i < SR_LSH_BANDS; i++)
        __builtin_prefetch(&b->slot[slot_hash(keys[i]) & (b->cap - 1)], 1);
    for (int i = 0; b->loaded && i < SR_LSH_BANDS; i++)
        if (map_add(b, keys[i], doc))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return SR_OK;
}

#define SIG_MAX (1u << 16)
_Static_assert(sizeof(sr_minhash) == sizeof(((sr_bsig *)0)->v), "sr_bsig holds one signature");

static sr_bsig *sig_slot(sr_bands *b, int64_t doc)
{
    size_t j = slot_hash(doc) & (b->scap - 1);
    while (b->sig[j].doc && b->sig[j].doc != doc)
        j = (j + 1) & (b->scap - 1);
    return &b->sig[j];
}

/* A slot for doc (new or its own), the map grown or emptied as needed;
 * NULL on out of memory. */
static sr_bsig *sig_insert(sr_bands *b, int64_t doc)
{
    if (b->sn >= SIG_MAX)
        sig_clear(b);
    if (2 * (b->sn + 1) > b->scap) {
        size_t nc = b->scap ? 2 * b->scap : 1024;
        sr_bsig *t = sr_calloc(nc, sizeof *t), *old = b->sig;
        if (!t)
            return NULL;
        size_t oc = b->scap;
        b->sig = t, b->scap = nc;
        for (size_t i = 0; i < oc; i++)
            if (old[i].doc)
                *sig_slot(b, old[i].doc) = old[i];
        sr_free(old);
    }
    sr_bsig *e = sig_slot(b, doc);
    if (!e->doc)
        b->sn++;
    sr_free(e->name);
    memset(e, 0, sizeof *e);
    e->doc = doc;
    return e;
}

void sr_bands_sig_put(sr_store *s, int64_t doc, const uint32_t *v, const char *name)
{
    char *nm = sr_strdup(name ? name : "");
    sr_bsig *e = nm ? sig_insert(&s->bands, doc) : NULL;
    if (!e) {
        sr_free(nm);
        return;     /* only a shortcut: the row answers next time */
    }
    e->origin = doc, e->name = nm;
    memcpy(e->v, v, sizeof e->v);
}

const sr_bsig *sr_bands_sig(sr_store *s, int64_t doc, int *err, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    *err = 0;
    if (b->scap) {
        sr_bsig *e = sig_slot(b, doc);
        if (e->doc)
            return e;
    }
    sqlite3_stmt *m = sr_store_stmt(s, Q_DOC_MINHASH, ctx);
    if (!m) {
        *err = 1;
        return NULL;
    }
    sqlite3_bind_int64(m, 1, doc);
    int rc = sqlite3_step(m);
    const sr_bsig *r = NULL;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(m, 0) == (int)sizeof r->v) {
        const unsigned char *on = sqlite3_column_text(m, 2);
        char *nm = sr_strdup(on ? (const char *)on : "");
        sr_bsig *e = nm ? sig_insert(b, doc) : NULL;
        if (!e) {
            sr_free(nm);
            *err = 1;
            sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        } else {
            e->origin = sqlite3_column_int64(m, 1);
            e->name = nm;
            memcpy(e->v, sqlite3_column_blob(m, 0), sizeof e->v);
            r = e;
        }
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = 1;
        sr_store_dberr(s, ctx, "document signature");
    }
    sqlite3_reset(m);
    return r;
}
