/* store.c — opening the store and writing to it: documents (idempotent by
 * id and content hash), syndication origins, places, mentions, actors and
 * event records.  Every write that can change what a place's facts are marks
 * that place dirty in the same transaction (see refresh.c). */
#include "store/internal.h"
#include "core/mem.h"
#include "fuse/fuse.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const sql[Q_NSTMT] = {
    [Q_DOC_GET] = "SELECT id, hash FROM doc WHERE name=?1",
    [Q_DOC_DIRTY] = "INSERT OR IGNORE INTO dirty_place(place) "
                    "SELECT DISTINCT place FROM event WHERE doc=?1 AND place IS NOT NULL",
    /* a document deleted, with what the foreign keys' cascades did (they
     * are not enforced: see sr_store_open) */
    [Q_DOC_DEL_BAND] = "DELETE FROM band WHERE doc=?1",
    [Q_DOC_UNORIGIN] = "UPDATE doc SET origin = NULL WHERE origin=?1",
    [Q_DOC_DEL] = "DELETE FROM doc WHERE id=?1",
    [Q_DOC_INS] = "INSERT INTO doc(name, hash, title, published, source, url, origin, sim, text, body, minhash, segs, "
                  "mentions, ingested) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_DOC_MINHASH] = "SELECT d.minhash, COALESCE(d.origin, d.id), o.name FROM doc d "
                      "JOIN doc o ON o.id = COALESCE(d.origin, d.id) WHERE d.id=?1",
    [Q_BAND_INS] = "INSERT INTO band(doc, keys) VALUES(?1, ?2)",
    /* A place row: looked up, then inserted or completed (an upsert with
     * RETURNING built a temporary table per call). */
    [Q_PLACE_GET] = "SELECT id, population, lat IS NOT NULL FROM place WHERE key=?1",
    [Q_PLACE_INS] = "INSERT INTO place(key, geonameid, name, lat, lon, country, fcode, population) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_PLACE_UPD] = "UPDATE place SET population = max(population, ?2), lat = COALESCE(lat, ?3), "
                    "lon = COALESCE(lon, ?4) WHERE id=?1",
    [Q_PALIAS_INS] = "INSERT OR IGNORE INTO place_alias(alias, place, skel) VALUES(?1, ?2, ?3)",
    [Q_ACTOR_INS] = "INSERT INTO actor(id, name) VALUES(?1, ?2) "
                    "ON CONFLICT(id) DO UPDATE SET name = COALESCE(name, excluded.name)",
    [Q_AALIAS_INS] = "INSERT OR IGNORE INTO actor_alias(alias, actor) VALUES(?1, ?2)",
    [Q_EVENT_INS] = "INSERT INTO event(doc, type, actor, actor_name, actor_text, target, target_name, target_text, "
                    "claimant, claimant_name, claimant_text, place, place_text, date, date_text, precision, "
                    "modality, ev_start, ev_end, more, contradicted, confidence) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    [Q_EVENT_DEL_DOC] = "DELETE FROM event WHERE doc=?1",
    [Q_DIRTY_INS] = "INSERT OR IGNORE INTO dirty_place(place) VALUES(?1)",
    /* schema 4: a span's facts and a fact's records are JSON arrays in
     * their rows (the views span_fact and fact_source read the same) */
    [Q_SPAN_SOURCES] = "SELECT sf.value ->> 1, " SRC_COLS " FROM span s, json_each(s.facts) sf, fact f, json_each(f.sources) fs"
                       " JOIN event e ON e.id = fs.value JOIN doc d ON d.id = e.doc"
                       " JOIN doc o ON o.id = COALESCE(d.origin, d.id)"
                       " WHERE s.id = ?1 AND f.id = sf.value ->> 0"
                       " ORDER BY sf.value ->> 1, d.published, d.name, e.id",
};

sr_status sr_store_dberr(sr_store *s, sr_ctx *ctx, const char *what)
{
    return sr_ctx_error(ctx, SR_EDB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *sr_store_stmt(sr_store *s, stmt_id id, sr_ctx *ctx)
{
    sqlite3_stmt *q = s->st[id];
    if (!q) {
        if (sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
            sr_ctx_error(ctx, SR_EDB, "%s: prepare: %s (%.60s)", s->path, sqlite3_errmsg(s->db), sql[id]);
            return NULL;
        }
        s->st[id] = q;
    } else {
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
    }
    return q;
}

int sr_bind_str(sqlite3_stmt *q, int i, const char *v)
{
    return v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

const char *sr_col_str(sqlite3_stmt *q, int i, sr_arena *a, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    if (!t)
        return NULL;
    char *r = sr_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i));
    if (!r)
        *oom = 1;
    return r;
}

static int exec(sr_store *s, const char *q)
{
    return sqlite3_exec(s->db, q, NULL, NULL, NULL);
}

int sr_store_cache_size(sr_store *s, long kb)
{
    char q[64];
    snprintf(q, sizeof q, "PRAGMA cache_size=%ld", -kb);
    return exec(s, q);
}

int sr_store_schema_version(sr_store *s)
{
    sqlite3_stmt *q;
    int v = -1;
    if (!s || sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* Does the file hold any table (of any program)? */
static int has_tables(sr_store *s)
{
    sqlite3_stmt *q;
    int r = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1", -1, &q, NULL) == SQLITE_OK) {
        r = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
    }
    return r;
}

sr_status sr_store_open(sr_store **out, const char *path, unsigned flags, sr_ctx *ctx)
{
    if (!out || !path || !*path)
        return sr_ctx_error(ctx, SR_EARG, "store: no database path");
    *out = NULL;
    sr_store *s = sr_calloc(1, sizeof *s);
    if (!s || !(s->path = sr_strdup(path))) {
        sr_free(s);
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    }
    sr_buf_init(&s->buf);
    sr_buf_init(&s->key);
    sr_buf_init(&s->last.name);
    sr_buf_init(&s->men);
    sr_status st = SR_OK;
    if (!(s->tmp = sr_arena_create(4096))) {
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        goto fail;
    }
    struct stat sb;
    if (!stat(path, &sb) && S_ISDIR(sb.st_mode)) {   /* SQLite would only say "disk I/O error" */
        st = sr_ctx_error(ctx, SR_EIO, "%s: is a directory, not a database file", path);
        goto fail;
    }
    /* A handle is used by one thread at a time: no SQLite mutexes (they
     * were 4% of the instructions of an ingest). */
    int of = SQLITE_OPEN_NOMUTEX |
             ((flags & SR_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    /* No global memory statistics (a mutex around every SQLite malloc);
     * refused, harmlessly, once SQLite is initialised. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open_v2(path, &s->db, of, NULL) != SQLITE_OK) {
        st = sr_ctx_error(ctx, (flags & SR_STORE_READONLY) ? SR_ENOTFOUND : SR_EIO, "%s: cannot open database: %s",
                          path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* Look before touching: a file that is not SQLite, one of another
     * program (tables but no sitrep version) or of a newer sitrep is
     * refused before anything (WAL switch, migration) writes to it. */
    int v = sr_store_schema_version(s);
    if (v < 0) {
        st = sr_ctx_error(ctx, SR_EFORMAT, "%s: not a sitrep database: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    if (v == 0 && has_tables(s)) {
        st = sr_ctx_error(ctx, SR_EFORMAT, "%s: not a sitrep database (it has tables but no sitrep schema version)",
                          path);
        goto fail;
    }
    if (v > SR_STORE_SCHEMA) {
        st = sr_ctx_error(ctx, SR_ESTALE, "%s: schema version %d is newer than this sitrep (%d): use a newer sitrep",
                          path, v, SR_STORE_SCHEMA);
        goto fail;
    }
    if ((flags & SR_STORE_READONLY) && v != SR_STORE_SCHEMA) {
        st = sr_ctx_error(ctx, v ? SR_ESTALE : SR_ENOTFOUND,
                          v ? "%s: schema version %d, this sitrep reads %d (run sitrep ingest to migrate)"
                            : "%s: empty database (schema version %d; run sitrep ingest first, sitrep reads %d)",
                          path, v, SR_STORE_SCHEMA);
        goto fail;
    }
    /* WAL: readers never block the writer and a crash loses at most the
     * open transaction; synchronous=NORMAL is durable at each checkpoint
     * and safe against corruption in WAL mode. */
    /* A new file gets 32 KB pages (an existing one keeps its size): an
     * article's row fits a page without an overflow chain, index pages
     * hold eight times the keys, and the write-ahead log is written and
     * folded back in 32 KB writes instead of 4 KB ones (two system calls
     * a page: the frame's header, then the page).  16 KB pages took the
     * `ingest --events` of the 20 MB bench corpus from 22,900 pwrite calls
     * to about 6,000 (CPU 0.84 -> 0.72 s; bench_store write 2.6 -> 2.1 s),
     * and 32 KB a further 6% once the random index writes of a document
     * were gone (round 4d: 322 -> 303 ms; bench_store's store side and
     * the queries' latencies the same, the file 0.4-4% larger).  64 KB
     * pages measured as 32 KB for the corpus. */
    if (!(flags & SR_STORE_READONLY) && v == 0 && exec(s, "PRAGMA page_size=32768")) {
        st = sr_store_dberr(s, ctx, "page size");
        goto fail;
    }
    if (!(flags & SR_STORE_READONLY) && exec(s, "PRAGMA journal_mode=WAL")) {
        st = sr_store_dberr(s, ctx, "cannot switch to WAL");
        goto fail;
    }
    /* Up to 256 MB of page cache (taken only as pages are used) and the
     * file read through a 1 GB memory map: once a store outgrows the cache,
     * index inserts otherwise wait on pread (bench_store, 20,000 documents:
     * a third less CPU than with 64 MB and no map).
     *
     * A writing handle keeps only 4 MB while it stores documents (the
     * refresh takes the 256 MB back for its one large transaction): the
     * rows of a batch go to the end of their tables and are not read
     * again, so a large cache only kept taking fresh memory, a page fault
     * every 4 KB of it (`ingest --events`, 20 MB corpus: 10,970 faults ->
     * 5,990, CPU -7%; bench_store write 1.21 -> 0.83 s CPU; 2 MB and 8 MB
     * were slower).  The map still serves the reads of evicted pages.
     *
     * Foreign keys off: the schema declares them (for `PRAGMA
     * foreign_key_check` and other readers of the file), but every row
     * this handle inserts points at rows it has just written or looked up,
     * so the checks -- a parent look-up per record, alias, band row and
     * dirty mark -- only cost (3.6% of the instructions of an ingest), and
     * the one delete that had cascades (a replaced document: its band
     * row, records, and the origin of its copies) does them itself
     * (del_doc).  The tests check foreign_key_check after every kind of
     * write.
     *
     * secure_delete off: Debian's SQLite is built with it on, which zeroes
     * every new b-tree page and every freed cell (a page-sized memset each new
     * page, 2.6% of the instructions of an ingest).  What it protects --
     * deleted text unreadable in the file -- is not asked of this store:
     * the file holds every report's text anyway. */
    if (exec(s, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824; PRAGMA secure_delete=OFF") ||
        (!(flags & SR_STORE_READONLY) && sr_store_cache_size(s, SR_CACHE_WRITE_KB))) {
        st = sr_store_dberr(s, ctx, "set-up");
        goto fail;
    }
    if (!(flags & SR_STORE_READONLY) && (st = sr_store_migrate(s, ctx)))
        goto fail;
    if (!(flags & SR_STORE_READONLY)) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, "SELECT NOT EXISTS(SELECT 1 FROM doc) AND NOT EXISTS(SELECT 1 FROM place)", -1,
                               &q, NULL) == SQLITE_OK) {
            s->fresh = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
            sqlite3_finalize(q);
        }
        s->fresh_version = sr_store_data_version(s);
        if (s->fresh_version < 0)
            s->fresh = 0;
    }
    *out = s;
    return SR_OK;
fail:
    sr_store_close(s);
    return st;
}

void sr_store_close(sr_store *s)
{
    if (!s)
        return;
    if (s->in_batch)
        exec(s, "ROLLBACK");
    for (int i = 0; i < Q_NSTMT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    sr_store_cache_clear(s);
    sr_buf_finish(&s->buf);
    sr_buf_finish(&s->key);
    sr_buf_finish(&s->last.name);
    sr_buf_finish(&s->men);
    sr_arena_destroy(s->tmp);
    sr_free(s->path);
    sr_free(s);
}

sr_status sr_store_begin(sr_store *s, sr_ctx *ctx)
{
    if (s->in_batch)
        return SR_OK;
    if (exec(s, "BEGIN IMMEDIATE"))
        return sr_store_dberr(s, ctx, "begin");
    s->in_batch = 1;
    s->last.valid = 0;
    sr_bands_check(s);
    s->now[0] = '\0';     /* stamped again at the batch's first document */
    /* another writer's refresh may have cleared marks since our last batch
     * (our own refresh forgets them itself): the marks are kept from batch
     * to batch while no other connection has written (a place of the
     * 20 MB corpus was marked once a batch, 1,405 inserts for 899 places) */
    sqlite3_int64 v = sr_store_data_version(s);
    if (s->fresh && v != s->fresh_version)
        s->fresh = 0;   /* another connection has written */
    if (v < 0 || v != s->dirty_version) {
        sr_smap_clear(&s->dirty);
        sr_dcache_clear(&s->docs);
        s->dirty_version = v;
    }
    return SR_OK;
}

sr_status sr_store_commit(sr_store *s, sr_ctx *ctx)
{
    s->last.valid = 0;
    if (!s->in_batch)
        return SR_OK;
    if (exec(s, "COMMIT")) {
        sr_status st = sr_store_dberr(s, ctx, "commit");
        exec(s, "ROLLBACK");
        s->in_batch = 0;
        sr_store_cache_clear(s);
        return st;
    }
    s->in_batch = 0;
    return SR_OK;
}

/* ---- documents ------------------------------------------------------ */

static void hex16(uint64_t h, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

/* The content hash of sitrep up to round 4 (16 hex digits): FNV-1a 64 over
 * the input, mixed with the length.  Documents stored with it are still
 * recognised (doc_hash_like); new rows get the hash below. */
static void doc_hash_fnv(const unsigned char *p, size_t n, char out[SR_DOC_HASH_SIZE])
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ull;
    h ^= h >> 31;
    hex16(h, out);
}

/* Eight bytes as a little-endian number, whatever the machine (the hash
 * is stored: the same file must give the same answers everywhere);
 * compilers make it one load where the machine is little-endian. */
static uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void sr_store_doc_hash(const sr_doc *doc, char out[SR_DOC_HASH_SIZE])
{
    /* Eight bytes a step (xor, multiply, rotate; then the length and a
     * final mix) over the input as given (HTML source or text): identical
     * input, identical hash; any edit, another (but with odds of 2^-64).
     * FNV-1a went a byte a step, a multiply each: 4% of the instructions
     * of storing a document and a chain of 4 cycles a byte. */
    const unsigned char *p = (const unsigned char *)(doc->raw ? doc->raw : doc->text);
    size_t n = doc->raw ? doc->raw_len : doc->len, i = 0;
    const uint64_t m = 0x9e3779b97f4a7c15ull;
    uint64_t h = 0x243f6a8885a308d3ull;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ load_le64(p + i)) * m;
        h = h << 31 | h >> 33;
    }
    uint64_t w = 0;
    for (size_t k = 0; i + k < n; k++)
        w |= (uint64_t)p[i + k] << (8 * k);
    h = ((h ^ w) * m) ^ (uint64_t)n;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    memcpy(out, "2:", 2);
    hex16(h, out + 2);
}

/* The content hash of doc in the form of `stored` (a hash read from the
 * file): FNV-1a for the 16 digits of rows written before, else the
 * current one. */
static void doc_hash_like(const sr_doc *doc, const char *stored, char out[SR_DOC_HASH_SIZE])
{
    if (strlen(stored) == 16)
        doc_hash_fnv((const unsigned char *)(doc->raw ? doc->raw : doc->text), doc->raw ? doc->raw_len : doc->len,
                     out);
    else
        sr_store_doc_hash(doc, out);
}

/* Whether a name this handle has not written is known to be absent from
 * the file (see struct sr_store): a new file's documents and places are
 * then stored without a look-up each (1.5% of storing a new corpus).  Only
 * under the write lock: between transactions another writer may come. */
static int fresh(const sr_store *s)
{
    return s->fresh && s->in_batch;
}

/* Remember a row written while fresh; a memory that cannot take it (full,
 * out of memory) ends the shortcut. */
static void fresh_put(sr_store *s, sr_smap *m, const char *k, size_t n, int64_t a, int64_t b)
{
    if (m->n + 1 >= SR_CACHE_MAX || !sr_smap_put(m, k, n, a, b))
        s->fresh = 0;
}

static sr_status doc_lookup(sr_store *s, const char *name, int64_t *id, char hash[SR_DOC_HASH_SIZE], sr_ctx *ctx)
{
    if (fresh(s) && !sr_smap_get(&s->docnames, name, strlen(name))) {
        *id = 0;
        return SR_OK;
    }
    sqlite3_stmt *q = sr_store_stmt(s, Q_DOC_GET, ctx);
    if (!q)
        return SR_EDB;
    sr_bind_str(q, 1, name);
    int rc = sqlite3_step(q);
    *id = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        const unsigned char *t = sqlite3_column_text(q, 1);
        snprintf(hash, SR_DOC_HASH_SIZE, "%s", t ? (const char *)t : "");
    } else if (rc != SQLITE_DONE) {
        return sr_store_dberr(s, ctx, "document look-up");
    }
    sqlite3_reset(q);
    return SR_OK;
}

sr_status sr_store_doc_state(sr_store *s, const sr_doc *doc, sr_doc_state *state, sr_ctx *ctx)
{
    s->last.valid = 0;
    char *h = s->last.hash, *old = s->last.old;
    int64_t id;
    old[0] = '\0';
    /* the content hash only when the id is stored: a new id is new */
    sr_status st = doc_lookup(s, doc->id, &id, old, ctx);
    if (st)
        return st;
    h[0] = '\0';
    if (id)
        doc_hash_like(doc, old, h);
    *state = !id ? SR_DOC_NEW : strcmp(h, old) ? SR_DOC_CHANGED : SR_DOC_SAME;
    sr_buf_clear(&s->last.name);
    if (!sr_buf_adds(&s->last.name, doc->id)) {
        s->last.valid = 1;
        s->last.doc = doc;
        s->last.text = doc->raw ? doc->raw : doc->text;
        s->last.len = doc->raw ? doc->raw_len : doc->len;
        s->last.id = id;
    }
    return SR_OK;
}

/* Did the last sr_store_doc_state look at this very document? */
static int last_is(sr_store *s, const sr_doc *doc)
{
    return s->last.valid && s->last.doc == doc && s->last.text == (doc->raw ? doc->raw : doc->text) &&
           s->last.len == (doc->raw ? doc->raw_len : doc->len) && !strcmp(s->last.name.data, doc->id);
}

static sr_status step_done(sr_store *s, sqlite3_stmt *q, sr_ctx *ctx, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sr_store_dberr(s, ctx, what);
    return SR_OK;
}

static sr_status mark_doc_dirty(sr_store *s, int64_t doc, sr_ctx *ctx)
{
    sqlite3_stmt *q = sr_store_stmt(s, Q_DOC_DIRTY, ctx);
    if (!q)
        return SR_EDB;
    sqlite3_bind_int64(q, 1, doc);
    return step_done(s, q, ctx, "mark places dirty");
}

/* Delete a document and what depends on it: its band row and records go,
 * its copies become originals (origin NULL), as the schema's ON DELETE
 * clauses say. */
static sr_status del_doc(sr_store *s, int64_t id, sr_ctx *ctx)
{
    static const stmt_id q[] = {Q_DOC_DEL_BAND, Q_EVENT_DEL_DOC, Q_DOC_UNORIGIN, Q_DOC_DEL};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        sqlite3_stmt *x = sr_store_stmt(s, q[i], ctx);
        if (!x)
            return SR_EDB;
        sqlite3_bind_int64(x, 1, id);
        sr_status st = step_done(s, x, ctx, "delete old version");
        if (st)
            return st;
    }
    return SR_OK;
}

/* The origin of a new text: the first stored copy of a near-identical text
 * found through the LSH bands, or 0 when it is the first of its story. */
static sr_status find_origin(sr_store *s, const sr_minhash *mh, const int64_t keys[SR_LSH_BANDS], int64_t *origin,
                             double *sim, sr_ctx *ctx)
{
    *origin = 0;
    *sim = 0;
    s->origin[0] = '\0';
    /* The candidates in the order the band table gives them, each once,
     * at most 64 (bands.c). */
    int64_t seen[64];
    int nseen;
    sr_status st = sr_bands_candidates(s, keys, seen, 64, &nseen, ctx);
    if (st)
        return st;
    /* A listed document may be gone (replaced): its look-up finds nothing. */
    for (int c = 0; c < nseen; c++) {
        int err;
        const sr_bsig *g = sr_bands_sig(s, seen[c], &err, ctx);
        if (err)
            return SR_EDB;
        if (!g)
            continue;
        sr_minhash other;
        memcpy(other.v, g->v, sizeof other.v);
        double x = sr_minhash_sim(mh, &other);
        if (x >= SR_SYNDICATED_SIM && x > *sim) {
            *sim = x;
            *origin = g->origin;
            snprintf(s->origin, sizeof s->origin, "%s", g->name);
        }
    }
    return SR_OK;
}

void sr_place_skeleton(const char *name, sr_buf *out)
{
    static const char *const articles[] = {"al", "el", "ad", "ed", "ar", "er", "as", "es", "ash", "at", "az",
                                           "ez", "an", "en", "ech", "the", NULL};
    sr_buf_clear(out);
    const char *p = name;
    char last = 0;
    while (*p) {
        while (*p && !((*p | 32) >= 'a' && (*p | 32) <= 'z') && !((unsigned char)*p >= 0x80))
            p++;
        const char *w = p;
        while (*p && (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (unsigned char)*p >= 0x80))
            p++;
        size_t n = (size_t)(p - w);
        if (!n)
            continue;
        int art = 0;
        for (int k = 0; n >= 2 && n <= 3 && articles[k] && !art; k++)   /* articles: 2-3 letters */
            art = strlen(articles[k]) == n && !strncasecmp(w, articles[k], n);
        /* an article is dropped only before another word */
        if (art && *p)
            continue;
        for (size_t i = 0; i < n; i++) {
            char c = w[i];
            if ((unsigned char)c >= 0x80)
                continue;
            c |= 32;
            if (strchr("aeiouyhw", c) || c == last)
                continue;
            if (c == 'k')   /* Rakka / Raqqa, Kobane / Qobani */
                c = 'q';
            if (c == last)
                continue;
            sr_buf_addc(out, c);
            last = c;
        }
    }
    if (!out->data)
        sr_buf_adds(out, "");
}

/* Has this handle already stored the row that names (kind, id, text)?
 * Marks it as stored when not (the caller then writes it). */
static int seen_name(sr_store *s, char kind, const char *id, const char *text)
{
    /* the key "K\x1fid\x1ftext" made in one reserve (a few per record) */
    size_t il = strlen(id), tl = text ? strlen(text) : 0;
    sr_buf_clear(&s->key);
    if (sr_buf_reserve(&s->key, il + tl + 4))
        return 0;
    char *k = s->key.data;
    k[0] = kind, k[1] = '\x1f';
    memcpy(k + 2, id, il);
    k[2 + il] = '\x1f';
    if (tl)
        memcpy(k + 3 + il, text, tl);
    k[3 + il + tl] = '\0';
    s->key.len = 3 + il + tl;
    if (sr_smap_get(&s->names, s->key.data, s->key.len))
        return 1;
    sr_smap_put(&s->names, s->key.data, s->key.len, 1, 0);
    return 0;
}

/* Byte spans as JSON, [[start,end],...], into b (cleared first); `size` is
 * the stride of the array (sr_seg and sr_span32 both begin with two
 * uint32: start, end). */
static sr_status spans_json(sr_buf *b, const void *spans, size_t size, size_t n)
{
    sr_buf_clear(b);
    if (sr_buf_reserve(b, 2 + n * 24))
        return SR_ENOMEM;
    char *p = b->data;
    *p++ = '[';
    for (size_t k = 0; k < n; k++) {
        const uint32_t *v = (const uint32_t *)(const void *)((const char *)spans + k * size);
        if (k)
            *p++ = ',';
        *p++ = '[';
        p = sr_utoa(p, v[0]);
        *p++ = ',';
        p = sr_utoa(p, v[1]);
        *p++ = ']';
    }
    *p++ = ']';
    *p = '\0';
    b->len = (size_t)(p - b->data);
    return SR_OK;
}

/* A mention's score as JSON, to six decimals (it is a float: 0..1). */
static char *fmt_score(char *p, float f)
{
    double v = f;
    if (!isfinite(v) || fabs(v) > 1e12) {
        memcpy(p, "null", 4);
        return p + 4;
    }
    if (v < 0)
        *p++ = '-', v = -v;
    uint64_t x = (uint64_t)llround(v * 1e6), frac = x % 1000000;
    p = sr_utoa(p, x / 1000000);
    if (frac) {
        *p++ = '.';
        for (uint64_t d = 100000; frac; d /= 10) {
            *p++ = (char)('0' + frac / d);
            frac %= d;
        }
    }
    return p;
}

static sr_status put_place(sr_store *s, const sr_place_ref *p, const char *text, uint32_t population, int64_t *id,
                           sr_arena *tmp, sr_ctx *ctx)
{
    *id = 0;
    const char *key = sr_fuse_place_key(tmp, p);
    if (!key)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (!*key)
        return SR_OK;
    const char *name = p->name && *p->name ? p->name : p->text && *p->text ? p->text : text;
    if (!name)
        return SR_OK;
    int coords = !isnan(p->lat) && !isnan(p->lon) && !(p->lat == 0 && p->lon == 0);
    size_t kl = strlen(key);
    sr_smap_entry *ce = sr_smap_get(&s->places, key, kl);
    /* The upsert only adds what the row lacks (a larger population,
     * coordinates): skipped when the cache says there is nothing to add. */
    if (ce && (int64_t)population <= ce->b / 2 && (!coords || (ce->b & 1))) {
        *id = ce->a;
    } else {
        int64_t pop = 0;
        int has = 0;
        sqlite3_stmt *q;
        if (ce && fresh(s)) {
            /* while fresh the memory is the row */
            *id = ce->a, pop = ce->b / 2, has = (int)(ce->b & 1);
        } else if (!fresh(s)) {
            if (!(q = sr_store_stmt(s, Q_PLACE_GET, ctx)))
                return SR_EDB;
            sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
            int rc = sqlite3_step(q);
            if (rc == SQLITE_ROW) {
                *id = sqlite3_column_int64(q, 0);
                pop = sqlite3_column_int64(q, 1);
                has = sqlite3_column_int(q, 2);
            }
            sqlite3_reset(q);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return sr_store_dberr(s, ctx, "place");
        }
        sr_status st;
        if (*id && ((int64_t)population > pop || (coords && !has))) {
            /* what the row lacks: a larger population, coordinates */
            if (!(q = sr_store_stmt(s, Q_PLACE_UPD, ctx)))
                return SR_EDB;
            sqlite3_bind_int64(q, 1, *id);
            sqlite3_bind_int64(q, 2, population);
            if (coords) {
                sqlite3_bind_double(q, 3, p->lat);
                sqlite3_bind_double(q, 4, p->lon);
            }
            if ((st = step_done(s, q, ctx, "place")))
                return st;
            pop = (int64_t)population > pop ? (int64_t)population : pop;
            has |= coords;
        } else if (!*id) {
            if (!(q = sr_store_stmt(s, Q_PLACE_INS, ctx)))
                return SR_EDB;
            sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
            if (p->geonameid)
                sqlite3_bind_int64(q, 2, p->geonameid);
            sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
            if (coords) {
                sqlite3_bind_double(q, 4, p->lat);
                sqlite3_bind_double(q, 5, p->lon);
            }
            sr_bind_str(q, 6, p->country[0] ? p->country : NULL);
            sr_bind_str(q, 7, p->fcode[0] ? p->fcode : NULL);
            sqlite3_bind_int64(q, 8, population);
            if ((st = step_done(s, q, ctx, "place")))
                return st;
            *id = sqlite3_last_insert_rowid(s->db);
            pop = population, has = coords;
        }
        if (s->fresh)
            fresh_put(s, &s->places, key, kl, *id, pop * 2 + has);
        else
            sr_smap_put(&s->places, key, kl, *id, pop * 2 + has);
    }
    const char *alias[3] = {name, p->text, text};
    for (int k = 0; k < 3; k++) {
        if (!alias[k] || !*alias[k] || (k && alias[k] == alias[k - 1]) || seen_name(s, 'A', key, alias[k]))
            continue;
        sqlite3_stmt *a = sr_store_stmt(s, Q_PALIAS_INS, ctx);
        if (!a)
            return SR_EDB;
        sr_place_skeleton(alias[k], &s->buf);
        sqlite3_bind_text(a, 1, alias[k], -1, SQLITE_STATIC);
        sqlite3_bind_int64(a, 2, *id);
        sqlite3_bind_text(a, 3, s->buf.data ? s->buf.data : "", -1, SQLITE_TRANSIENT);
        sr_status st = step_done(s, a, ctx, "place alias");
        if (st)
            return st;
    }
    return SR_OK;
}

static sr_status put_actor(sr_store *s, const sr_actor_ref *r, sr_ctx *ctx)
{
    if (!r->id || !*r->id)
        return SR_OK;
    sr_status st = SR_OK;
    sqlite3_stmt *q;
    if (!seen_name(s, 'C', r->id, r->name)) {
        if (!(q = sr_store_stmt(s, Q_ACTOR_INS, ctx)))
            return SR_EDB;
        sr_bind_str(q, 1, r->id);
        sr_bind_str(q, 2, r->name);
        st = step_done(s, q, ctx, "actor");
    }
    const char *alias[2] = {r->name, r->text};
    for (int k = 0; k < 2 && !st; k++) {
        if (!alias[k] || !*alias[k] || seen_name(s, 'B', r->id, alias[k]))
            continue;
        if (!(q = sr_store_stmt(s, Q_AALIAS_INS, ctx)))
            return SR_EDB;
        sr_bind_str(q, 1, alias[k]);
        sr_bind_str(q, 2, r->id);
        st = step_done(s, q, ctx, "actor alias");
    }
    return st;
}

static sr_status put_events(sr_store *s, int64_t doc, const sr_event *ev, size_t ne, sr_arena *tmp, sr_ctx *ctx)
{
    sr_status st = SR_OK;
    for (size_t i = 0; i < ne && !st; i++) {
        const sr_event *e = &ev[i];
        if (!e->type)
            continue;
        int64_t place = 0;
        if ((st = put_place(s, &e->place, NULL, 0, &place, tmp, ctx)) || (st = put_actor(s, &e->actor, ctx)) ||
            (st = put_actor(s, &e->target, ctx)) || (st = put_actor(s, &e->claimant, ctx)))
            break;
        if (e->nmore && spans_json(&s->buf, e->more, sizeof *e->more, e->nmore))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        sqlite3_stmt *q = sr_store_stmt(s, Q_EVENT_INS, ctx);
        if (!q)
            return SR_EDB;
        sqlite3_bind_int64(q, 1, doc);
        sr_bind_str(q, 2, e->type);
        const sr_actor_ref *r[3] = {&e->actor, &e->target, &e->claimant};
        for (int k = 0; k < 3; k++) {
            sr_bind_str(q, 3 + 3 * k, r[k]->id);
            sr_bind_str(q, 4 + 3 * k, r[k]->name);
            sr_bind_str(q, 5 + 3 * k, r[k]->text);
        }
        if (place)
            sqlite3_bind_int64(q, 12, place);
        sr_bind_str(q, 13, e->place.text);
        sr_bind_str(q, 14, e->date);
        sr_bind_str(q, 15, e->date_text);
        sr_bind_str(q, 16, e->precision);
        sr_bind_str(q, 17, e->modality);
        sqlite3_bind_int64(q, 18, e->evidence.start);
        sqlite3_bind_int64(q, 19, e->evidence.end);
        if (e->nmore)
            sqlite3_bind_text(q, 20, s->buf.data, (int)s->buf.len, SQLITE_STATIC);
        sqlite3_bind_int(q, 21, e->contradicted);
        sqlite3_bind_double(q, 22, e->confidence);
        if ((st = step_done(s, q, ctx, "event")))
            break;
        if (place) {
            char k[24];
            int kl = (int)(sr_utoa(k, (uint64_t)place) - k);
            if (sr_smap_get(&s->dirty, k, (size_t)kl))
                continue;
            if (!(q = sr_store_stmt(s, Q_DIRTY_INS, ctx)))
                return SR_EDB;
            sqlite3_bind_int64(q, 1, place);
            if (!(st = step_done(s, q, ctx, "dirty place")))
                sr_smap_put(&s->dirty, k, (size_t)kl, 1, 0);
        }
    }
    return st;
}

sr_status sr_store_put_doc(sr_store *s, const sr_doc *doc, const char *body, size_t body_len, const sr_mention *m,
                           size_t nm, const sr_event *ev, size_t ne, sr_put_info *info, sr_ctx *ctx)
{
    if (!s || !doc || !doc->id)
        return sr_ctx_error(ctx, SR_EARG, "store: no document");
    sr_put_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    char h[SR_DOC_HASH_SIZE], old[SR_DOC_HASH_SIZE] = "";
    int64_t id;
    sr_status st = SR_OK;
    if (last_is(s, doc)) {
        id = s->last.id;
        memcpy(old, s->last.old, sizeof old);
        memcpy(h, s->last.hash, sizeof h);
    } else {
        if ((st = doc_lookup(s, doc->id, &id, old, ctx)))
            return st;
        h[0] = '\0';
        if (id)
            doc_hash_like(doc, old, h);
    }
    s->last.valid = 0;
    if (id && !strcmp(h, old))
        return SR_OK;
    /* the row gets the current hash (a replaced row's may be FNV's) */
    if (strncmp(h, "2:", 2))
        sr_store_doc_hash(doc, h);
    sr_arena *tmp = s->tmp;
    sr_arena_reset(tmp);
    if (id) {
        /* Another version of the document: the old one goes, with its
         * records; its places are rebuilt at the next refresh. */
        if ((st = mark_doc_dirty(s, id, ctx)) || (st = del_doc(s, id, ctx)))
            goto done;
        info->replaced = 1;
        /* its band keys went with it: the in-memory map is read again;
         * its copies lost their origin */
        sr_bands_clear(&s->bands);
        sr_dcache_clear(&s->docs);
    }
    /* body NULL: the paragraphs of doc->body (their signature taken
     * without joining them), else the whole text */
    int paras = !body && doc->body && doc->text;
    if (!body && !paras)
        body = doc->text, body_len = doc->len;
    sr_minhash mh;
    int64_t keys[SR_LSH_BANDS], origin;
    if (paras)
        sr_minhash_segs(doc->text, doc->body, doc->nbody, &mh);
    else
        sr_minhash_text(body, body_len, &mh);
    sr_minhash_bands(&mh, keys);
    if ((st = find_origin(s, &mh, keys, &origin, &info->sim, ctx)))
        goto done;
    /* The mentions' places first: the mentions themselves are one JSON
     * array in the document's row (schema 3), [[start,end,sent,place,score],...]. */
    sr_buf_clear(&s->men);
    for (size_t i = 0; i < nm; i++) {
        int64_t place = 0;
        char *text = doc->text && m[i].end <= doc->len && m[i].start < m[i].end
                         ? sr_arena_strndup(tmp, doc->text + m[i].start, m[i].end - m[i].start)
                         : NULL;
        if ((st = put_place(s, &m[i].place, text, m[i].population, &place, tmp, ctx)))
            goto done;
        if (sr_buf_reserve(&s->men, 80)) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            goto done;
        }
        char *p = s->men.data + s->men.len;
        *p++ = i ? ',' : '[';
        *p++ = '[';
        p = sr_utoa(p, m[i].start);
        *p++ = ',';
        p = sr_utoa(p, m[i].end);
        *p++ = ',';
        p = sr_utoa(p, m[i].sent);
        *p++ = ',';
        if (place)
            p = sr_utoa(p, (uint64_t)place);
        else
            memcpy(p, "null", 4), p += 4;
        *p++ = ',';
        p = fmt_score(p, m[i].score);
        *p++ = ']';
        if (i + 1 == nm)
            *p++ = ']';
        *p = '\0';
        s->men.len = (size_t)(p - s->men.data);
    }
    sqlite3_stmt *q = sr_store_stmt(s, Q_DOC_INS, ctx);
    if (!q) {
        st = SR_EDB;
        goto done;
    }
    if (nm)
        sqlite3_bind_text(q, 13, s->men.data, (int)s->men.len, SQLITE_STATIC);
    if (!s->now[0]) {
        /* the ingest time, once a batch (it was a per-row default) */
        time_t t = time(NULL);
        struct tm tm;
        if (!gmtime_r(&t, &tm) || !strftime(s->now, sizeof s->now, "%Y-%m-%dT%H:%M:%SZ", &tm))
            memcpy(s->now, "1970-01-01T00:00:00Z", 21);
    }
    sqlite3_bind_text(q, 14, s->now, -1, SQLITE_STATIC);
    sr_bind_str(q, 1, doc->id);
    sr_bind_str(q, 2, h);
    sr_bind_str(q, 3, doc->title);
    sr_bind_str(q, 4, doc->published);
    sr_bind_str(q, 5, doc->source);
    sr_bind_str(q, 6, doc->url);
    if (origin) {
        sqlite3_bind_int64(q, 7, origin);
        sqlite3_bind_double(q, 8, info->sim);
    }
    sqlite3_bind_text(q, 9, doc->text ? doc->text : "", doc->text ? (int)doc->len : 0, SQLITE_STATIC);
    if (doc->body && doc->nbody && doc->text) {
        /* the body as spans of the text (schema 2), not a second copy */
        if (spans_json(&s->buf, doc->body, sizeof *doc->body, doc->nbody)) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            goto done;
        }
        sqlite3_bind_text(q, 10, "", 0, SQLITE_STATIC);
        sqlite3_bind_text(q, 12, s->buf.data, (int)s->buf.len, SQLITE_STATIC);
    } else {
        sqlite3_bind_text(q, 10, body ? body : "", body ? (int)body_len : 0, SQLITE_STATIC);
    }
    sqlite3_bind_blob(q, 11, &mh, sizeof mh, SQLITE_STATIC);
    if ((st = step_done(s, q, ctx, "document")))
        goto done;
    id = sqlite3_last_insert_rowid(s->db);
    /* what the refresh will ask of it (out of memory only empties the
     * cache: the refresh then reads the row) */
    sr_dcache_put(&s->docs, id, doc->id, doc->published, origin);
    if (s->fresh)
        fresh_put(s, &s->docnames, doc->id, strlen(doc->id), id, 0);
    /* A copy needs no keys of its own: its origin's lead later copies to
     * the same origin. */
    if (!origin) {
        if ((st = sr_bands_add(s, keys, id, ctx)))
            goto done;
        sr_bands_sig_put(s, id, mh.v, doc->id);
    }
    if ((st = put_events(s, id, ev, ne, tmp, ctx)))
        goto done;
    info->stored = 1;
    info->origin = origin ? s->origin : NULL;
done:
    return st;
}

sr_status sr_store_put_events(sr_store *s, const char *doc_id, const sr_event *ev, size_t ne, sr_ctx *ctx)
{
    char old[SR_DOC_HASH_SIZE];
    int64_t id;
    sr_status st = doc_lookup(s, doc_id, &id, old, ctx);
    if (st)
        return st;
    s->last.valid = 0;
    if (!id)
        return sr_ctx_error(ctx, SR_ENOTFOUND, "%s: no stored document with this id (ingest it first)", doc_id);
    sqlite3_stmt *q;
    if ((st = mark_doc_dirty(s, id, ctx)))
        return st;
    if (!(q = sr_store_stmt(s, Q_EVENT_DEL_DOC, ctx)))
        return SR_EDB;
    sqlite3_bind_int64(q, 1, id);
    if ((st = step_done(s, q, ctx, "delete records")))
        return st;
    sr_arena_reset(s->tmp);
    return put_events(s, id, ev, ne, s->tmp, ctx);
}

sr_status sr_store_count(sr_store *s, sr_store_counts *c, sr_ctx *ctx)
{
    static const char q[] =
        "SELECT (SELECT count(*) FROM doc), (SELECT count(*) FROM doc WHERE origin IS NULL),"
        " (SELECT total(json_array_length(mentions)) FROM doc), (SELECT count(*) FROM event), (SELECT count(*) FROM fact),"
        " (SELECT count(*) FROM span), (SELECT count(*) FROM place), (SELECT count(*) FROM dirty_place)";
    sqlite3_stmt *st;
    memset(c, 0, sizeof *c);
    if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "count");
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t *f[] = {&c->docs, &c->origins, &c->mentions, &c->events, &c->facts, &c->spans, &c->places, &c->dirty};
        for (int i = 0; i < 8; i++)
            *f[i] = sqlite3_column_int64(st, i);
    }
    sqlite3_finalize(st);
    return SR_OK;
}
