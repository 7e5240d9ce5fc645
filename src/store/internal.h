/* internal.h — what the store's files share: the handle, the prepared
 * statements (prepared once, on first use, kept for the handle's life) and
 * small helpers for binding and reading columns.  Not a public header. */
#ifndef SR_STORE_INTERNAL_H
#define SR_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>
#include "core/buf.h"
#include "store/store.h"

typedef enum stmt_id {
    Q_DOC_GET,          /* id, hash by name */
    Q_DOC_DIRTY,        /* mark the places of a doc's records dirty */
    Q_DOC_DEL_BAND,
    Q_DOC_UNORIGIN,
    Q_DOC_DEL,
    Q_DOC_INS,
    Q_DOC_MINHASH,      /* minhash, origin, name of a doc */
    Q_BAND_INS,         /* the band keys of an original text */
    Q_PLACE_GET,
    Q_PLACE_INS,
    Q_PLACE_UPD,
    Q_PALIAS_INS,
    Q_ACTOR_INS,
    Q_AALIAS_INS,
    Q_EVENT_INS,
    Q_EVENT_DEL_DOC,
    Q_DIRTY_INS,
    Q_SPAN_SOURCES,     /* a span's records, supporting and contrary (query.c) */
    Q_NSTMT
} stmt_id;

/* A string-keyed map of two integers (cache.c); NULL on out of memory. */
typedef struct sr_smap_entry {
    char *key;
    size_t klen;
    int64_t a, b;
} sr_smap_entry;
typedef struct sr_smap {
    sr_smap_entry *e;
    size_t n, cap;
} sr_smap;
/* A map holding this many entries is emptied by the next put. */
#define SR_CACHE_MAX (1u << 20)
sr_smap_entry *sr_smap_get(sr_smap *m, const char *k, size_t n);
sr_smap_entry *sr_smap_put(sr_smap *m, const char *k, size_t n, int64_t a, int64_t b);
void sr_smap_clear(sr_smap *m);

/* Documents as the refresh reads them (cache.c): row id -> name,
 * publication date (NULL when unknown) and origin row id (0: itself), for
 * the documents written or read through this handle.  The strings live in
 * the cache's arena and stay put until the cache is cleared. */
typedef struct sr_dinfo {
    int64_t id;                 /* 0: empty slot */
    int64_t origin;
    const char *name, *published;
} sr_dinfo;

typedef struct sr_dcache {
    sr_dinfo *e;
    size_t n, cap;
    sr_arena *strs;
} sr_dcache;

const sr_dinfo *sr_dcache_get(const sr_dcache *c, int64_t id);
/* 0, or -1 on out of memory (the cache is then left empty). */
int sr_dcache_put(sr_dcache *c, int64_t id, const char *name, const char *published, int64_t origin);
void sr_dcache_clear(sr_dcache *c);

/* The band keys in memory (bands.c): an open-addressing multimap. */
typedef struct sr_bslot {
    int64_t key;
    int64_t doc;                /* 0: empty slot */
} sr_bslot;
/* A stored text's signature as the syndication look-up needs it. */
typedef struct sr_bsig {
    int64_t doc;                /* 0: empty slot */
    int64_t origin;             /* its origin, or itself */
    char *name;                 /* the origin's id */
    uint32_t v[64];             /* the MinHash signature (SR_MINHASH_N) */
} sr_bsig;
typedef struct sr_bands {
    int loaded;
    sqlite3_int64 version;      /* PRAGMA data_version when loaded */
    sr_bslot *slot;
    size_t cap, n;
    sr_bsig *sig;               /* signatures of candidates met (open addressing by doc) */
    size_t scap, sn;
} sr_bands;

struct sr_store {
    sqlite3 *db;
    char *path;
    int in_batch;
    sqlite3_stmt *st[Q_NSTMT];
    sr_buf buf;                 /* scratch for JSON and skeletons */
    sr_buf key;                 /* scratch for cache keys */
    sr_buf men;                 /* a document's mentions as JSON */
    char now[24];               /* ingest time of the open batch's documents */
    char origin[256];           /* sr_put_info.origin lives here */
    /* Write caches (cache.c), valid while the rows they name exist. */
    sr_smap places;             /* place key -> (row id, population * 2 + has coordinates) */
    sr_smap names;              /* "A\x1fplace\x1falias", "C\x1factor\x1fname...": rows stored */
    sr_smap dirty;              /* place row id (decimal) already in dirty_place */
    sqlite3_int64 dirty_version;/* PRAGMA data_version the dirty marks were last checked at */
    sr_bands bands;             /* LSH band keys (bands.c) */
    sr_dcache docs;             /* documents' names, dates and origins, for the refresh */
    /* The file had no documents and no places when this handle opened it,
     * and no other connection has written to it since: every such row is
     * one this handle wrote (and remembers: docnames, places), so while it
     * holds the write lock a name it does not remember is not in the file
     * and needs no look-up (store.c, fresh()).  Dropped for good by any
     * other writer, a rollback, or a cache that had to be emptied. */
    int fresh;
    sqlite3_int64 fresh_version;/* PRAGMA data_version when it was found fresh */
    sr_smap docnames;           /* names of the documents written (while fresh) */
    sr_arena *tmp;              /* per-document scratch (mention texts, place keys), reset per put */
    /* The answer of the last sr_store_doc_state, kept for the sr_store_put_doc
     * of the same document that follows it in `sitrep ingest` (one look-up
     * and one content hash a document instead of two).  Cleared by every
     * write, so it never outlives the row it describes. */
    struct {
        int valid;
        const sr_doc *doc;
        const char *text;
        size_t len;
        sr_buf name;
        int64_t id;
        char hash[SR_DOC_HASH_SIZE], old[SR_DOC_HASH_SIZE];
    } last;
};

/* The columns of a record as a source of a fact or span (query.c's
 * read_source reads them), with e the record, d its document, o its origin. */
#define SRC_COLS                                                                                             \
    "e.id, d.name, d.title, d.source, d.url, d.published, o.name, e.type, e.actor, e.date, e.modality,"      \
    " e.confidence, e.ev_start, e.ev_end,"                                                                   \
    " CASE WHEN e.ev_end > e.ev_start THEN substr(CAST(d.text AS BLOB), e.ev_start + 1, e.ev_end - e.ev_start) END"

/* Band keys (bands.c): the documents sharing any of the 16 keys, in the
 * order an index on (key, doc) gives them, each once, at most max; the keys
 * of a new original text; forget the map; drop it when another connection
 * wrote to the file. */
sr_status sr_bands_candidates(sr_store *s, const int64_t *keys, int64_t *out, int max, int *n, sr_ctx *ctx);
sr_status sr_bands_add(sr_store *s, const int64_t *keys, int64_t doc, sr_ctx *ctx);
void sr_bands_clear(sr_bands *b);
/* The signature, origin and origin's id of a stored text, from memory or
 * else read from the file and remembered; NULL when the document is gone
 * or on a database error (with ctx set: *err non-zero). */
const sr_bsig *sr_bands_sig(sr_store *s, int64_t doc, int *err, sr_ctx *ctx);
/* Remember the signature of a text just stored (an original: its own origin). */
void sr_bands_sig_put(sr_store *s, int64_t doc, const uint32_t *v, const char *name);
void sr_bands_check(sr_store *s);
/* PRAGMA data_version: changes when another connection commits (-1 on
 * error). */
sqlite3_int64 sr_store_data_version(sr_store *s);

/* SQLite's page cache, in KB: small while documents are written, large
 * for the refresh and for queries (store.c says why). */
#define SR_CACHE_WRITE_KB 4096
#define SR_CACHE_REFRESH_KB 262144
int sr_store_cache_size(sr_store *s, long kb);

/* Forget every cached row (after a rollback, or when the file changed). */
void sr_store_cache_clear(sr_store *s);

/* The statement, prepared on first use (reset and unbound); NULL on error
 * with the message in ctx. */
sqlite3_stmt *sr_store_stmt(sr_store *s, stmt_id id, sr_ctx *ctx);
/* Record the connection's last error in ctx, as "PATH: what: sqlite msg". */
sr_status sr_store_dberr(sr_store *s, sr_ctx *ctx, const char *what);
sr_status sr_store_migrate(sr_store *s, sr_ctx *ctx);

/* Bind a C string or NULL. */
int sr_bind_str(sqlite3_stmt *q, int i, const char *v);
/* Column as an arena string (NULL for SQL NULL); *oom set on failure. */
const char *sr_col_str(sqlite3_stmt *q, int i, sr_arena *a, int *oom);

/* Loose key of a place name: lower-case consonants, articles and doubled
 * letters dropped ("Deir el-Zour" and "Deir ez-Zor" -> "drzr"). */
void sr_place_skeleton(const char *name, sr_buf *out);

#endif
