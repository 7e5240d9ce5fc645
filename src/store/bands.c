/* bands.c — the LSH band keys of stored texts (syndication look-ups), kept
 * in memory by a writing handle.
 *
 * Each new original text has 16 band keys, and each text looks up its 16
 * keys to find the texts it may copy.  In SQLite both are random accesses
 * into a table of every key: 16 random inserts and 16 random seeks a
 * document were most of the cost of storing one (bench_store).  So the
 * handle loads the band table once (one sequential scan, at the first
 * look-up), answers look-ups from memory, and keeps the new keys of the
 * open batch to write them sorted by key just before the batch commits
 * (sorted inserts touch each page once; a crash loses them with the batch
 * they belong to).
 *
 * The candidates come out in the order the SQL look-up gave them (keys
 * ascending, then each key's documents oldest first), so the same origin
 * is chosen.  The map is dropped when a transaction rolls back and when
 * another connection has written to the file (PRAGMA data_version); a
 * table of more than SR_BANDS_MAX keys is not loaded and look-ups and
 * inserts go to SQLite as before (bounded memory). */
#include "store/internal.h"
#include "core/mem.h"
#include "fuse/fuse.h"

#include <stdlib.h>
#include <string.h>

#define SR_BANDS_MAX (8u << 20)     /* keys: about 200 MB of map at most */

static const char q_load[] = "SELECT key, docs FROM band";

void sr_bands_clear(sr_bands *b)
{
    sr_free(b->slot);
    sr_free(b->ent);
    sr_free(b->pend);
    memset(b, 0, sizeof *b);
}

static uint64_t slot_hash(int64_t k)
{
    uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 32);
}

static sr_bslot *find_slot(sr_bands *b, int64_t key)
{
    for (size_t i = slot_hash(key) & (b->cap - 1);; i = (i + 1) & (b->cap - 1))
        if (!b->slot[i].used || b->slot[i].key == key)
            return &b->slot[i];
}

static int grow_slots(sr_bands *b)
{
    size_t nc = b->cap ? 2 * b->cap : 1u << 12;
    sr_bslot *old = b->slot;
    size_t oc = b->cap;
    if (!(b->slot = sr_calloc(nc, sizeof *b->slot))) {
        b->slot = old;
        return -1;
    }
    b->cap = nc;
    for (size_t i = 0; i < oc; i++)
        if (old[i].used)
            *find_slot(b, old[i].key) = old[i];
    sr_free(old);
    return 0;
}

/* Append doc to key's list (in memory); indb: the key is in the table. */
static int map_add(sr_bands *b, int64_t key, int64_t doc, int indb)
{
    if (2 * (b->nkeys + 1) > b->cap && grow_slots(b))
        return -1;
    if (b->nent == b->capent) {
        size_t nc = b->capent ? 2 * b->capent : 1u << 12;
        sr_bent *e = sr_realloc(b->ent, nc * sizeof *e);
        if (!e)
            return -1;
        b->ent = e, b->capent = nc;
    }
    uint32_t i = (uint32_t)b->nent++;
    b->ent[i] = (sr_bent){doc, UINT32_MAX};
    sr_bslot *s = find_slot(b, key);
    if (!s->used) {
        *s = (sr_bslot){key, i, i, 1, indb};
        b->nkeys++;
    } else {
        b->ent[s->tail].next = i;
        s->tail = i;
    }
    return 0;
}

static sqlite3_int64 data_version(sr_store *s)
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
    if (s->bands.state && data_version(s) != s->bands.version)
        sr_bands_clear(&s->bands);
}

/* Parse a `docs` list ("12 57 301") and call add for each id. */
static int each_doc(const unsigned char *t, int (*add)(void *, int64_t), void *u)
{
    while (t && *t) {
        int64_t v = 0;
        while (*t >= '0' && *t <= '9')
            v = v * 10 + (*t++ - '0');
        while (*t && (*t < '0' || *t > '9'))
            t++;
        if (v && add(u, v))
            return -1;
    }
    return 0;
}

typedef struct load_ctx {
    sr_bands *b;
    int64_t key;
} load_ctx;

static int load_one(void *u, int64_t doc)
{
    load_ctx *l = u;
    return map_add(l->b, l->key, doc, 1);
}

static sr_status load(sr_store *s, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    sqlite3_stmt *q;
    b->version = data_version(s);
    if (sqlite3_prepare_v2(s->db, q_load, -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "band keys");
    int rc;
    b->state = 1;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        load_ctx l = {b, sqlite3_column_int64(q, 0)};
        if (b->nent >= SR_BANDS_MAX) {
            b->state = -1;  /* too many to keep: SQLite answers */
            break;
        }
        if (each_doc(sqlite3_column_text(q, 1), load_one, &l)) {
            sqlite3_finalize(q);
            sr_bands_clear(b);
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(q);
    if (b->state < 0) {
        int keep = b->state;
        sr_bands_clear(b);
        b->state = keep;
        b->version = data_version(s);
        return SR_OK;
    }
    if (rc != SQLITE_DONE) {
        sr_bands_clear(b);
        return sr_store_dberr(s, ctx, "band keys");
    }
    return SR_OK;
}

typedef struct cand_ctx {
    int64_t *out;
    int n, max;
} cand_ctx;

static int cand_add(void *u, int64_t doc)
{
    cand_ctx *c = u;
    if (c->n >= c->max)
        return 0;
    for (int k = 0; k < c->n; k++)
        if (c->out[k] == doc)
            return 0;
    c->out[c->n++] = doc;
    return 0;
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

sr_status sr_bands_candidates(sr_store *s, const int64_t *keys, int64_t *out, int max, int *n,
                              sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    cand_ctx c = {out, 0, max};
    *n = 0;
    sr_status st;
    if (!b->state && (st = load(s, ctx)))
        return st;
    if (b->state > 0) {
        /* keys ascending, each once, as the SQL look-up reads them */
        int64_t k[SR_LSH_BANDS];
        memcpy(k, keys, sizeof k);
        qsort(k, SR_LSH_BANDS, sizeof *k, cmp_i64);
        for (int i = 0; i < SR_LSH_BANDS && c.n < max; i++) {
            if (i && k[i] == k[i - 1])
                continue;
            sr_bslot *sl = b->cap ? find_slot(b, k[i]) : NULL;
            if (!sl || !sl->used)
                continue;
            for (uint32_t e = sl->head; e != UINT32_MAX && c.n < max; e = b->ent[e].next)
                cand_add(&c, b->ent[e].doc);
        }
        *n = c.n;
        return SR_OK;
    }
    sqlite3_stmt *q = sr_store_stmt(s, Q_DOC_BAND_GET, ctx);
    if (!q)
        return SR_EDB;
    for (int i = 0; i < SR_LSH_BANDS; i++)
        sqlite3_bind_int64(q, i + 1, keys[i]);
    int rc = SQLITE_DONE;
    while (c.n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        each_doc(sqlite3_column_text(q, 0), cand_add, &c);
    sqlite3_reset(q);
    if (c.n >= max)
        rc = SQLITE_DONE;
    if (rc != SQLITE_DONE)
        return sr_store_dberr(s, ctx, "band look-up");
    *n = c.n;
    return SR_OK;
}

static sr_status put_sql(sr_store *s, int64_t key, const char *docs, size_t len, int isnew, sr_ctx *ctx)
{
    /* a key new to the table is a plain insert (no conflict handling) */
    sqlite3_stmt *q = sr_store_stmt(s, isnew ? Q_BAND_NEW : Q_BAND_PUT, ctx);
    if (!q)
        return SR_EDB;
    sqlite3_bind_int64(q, 1, key);
    sqlite3_bind_text(q, 2, docs, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? SR_OK : sr_store_dberr(s, ctx, "band");
}

sr_status sr_bands_add(sr_store *s, const int64_t *keys, int64_t doc, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    char dec[24];
    size_t dl = (size_t)(sr_utoa(dec, (uint64_t)doc) - dec);
    for (int i = 0; i < SR_LSH_BANDS; i++) {
        if (b->state > 0 && map_add(b, keys[i], doc, b->state <= 0 || !s->in_batch))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        if (b->state <= 0 || !s->in_batch) {
            /* no map, or no batch to hold the key until its commit */
            sr_status st = put_sql(s, keys[i], dec, dl, 0, ctx);
            if (st)
                return st;
            continue;
        }
        if (b->npend == b->cappend) {
            size_t nc = b->cappend ? 2 * b->cappend : 1u << 12;
            sr_bpend *p = sr_realloc(b->pend, nc * sizeof *p);
            if (!p)
                return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            b->pend = p, b->cappend = nc;
        }
        b->pend[b->npend] = (sr_bpend){keys[i], doc, (uint32_t)b->npend};
        b->npend++;
    }
    return SR_OK;
}

static int cmp_pend(const void *pa, const void *pb)
{
    const sr_bpend *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

sr_status sr_bands_flush(sr_store *s, sr_ctx *ctx)
{
    sr_bands *b = &s->bands;
    if (!b->npend)
        return SR_OK;
    qsort(b->pend, b->npend, sizeof *b->pend, cmp_pend);
    sr_status st = SR_OK;
    for (size_t lo = 0, hi; lo < b->npend && !st; lo = hi) {
        /* one row a key: its new documents joined, oldest first */
        sr_buf_clear(&s->key);
        for (hi = lo; hi < b->npend && b->pend[hi].key == b->pend[lo].key; hi++) {
            char dec[24];
            if (hi > lo)
                sr_buf_addc(&s->key, ' ');
            sr_buf_add(&s->key, dec, (size_t)(sr_utoa(dec, (uint64_t)b->pend[hi].doc) - dec));
        }
        sr_bslot *sl = find_slot(b, b->pend[lo].key);
        if (!s->key.data)
            st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        else
            st = put_sql(s, b->pend[lo].key, s->key.data, s->key.len, !sl->indb, ctx);
        sl->indb = 1;
    }
    b->npend = 0;
    return st;
}
