/* refresh.c — rebuilding the derived tables of dirty places: the place's
 * records are read back, fused into facts (fuse/fuse.c), the facts turned
 * into control spans (fuse/timeline.c), and both written in place of the
 * old ones.  One transaction for the whole refresh: a crash leaves the old
 * facts and the dirty marks, and the next refresh redoes the work. */
#include "store/internal.h"
#include "core/mem.h"
#include "fuse/fuse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct rq {
    sqlite3_stmt *ev, *place, *doc, *has, *del_span, *del_fact, *maxid, *ins_fact, *ins_span;
    sr_buf src, conf, sf;       /* JSON of a fact's records and conflicts, a span's facts */
    int64_t next;               /* the largest fact id (-1: not read yet) */
} rq;

/* A place's records.  Their documents' names, dates and origins come from
 * the handle's document cache (the documents of this run), else from the
 * row, once each (doc_info): joining every record to its document and its
 * origin was two seeks into the largest table a record. */
static const char q_ev[] =
    "SELECT e.id, e.type, e.actor, e.actor_name, e.target, e.target_name, e.date, e.precision, e.modality,"
    " e.confidence, e.doc, e.date_text FROM event e WHERE e.place = ?1";

static void rq_finish(rq *r)
{
    sqlite3_stmt *q[] = {r->ev, r->place, r->doc, r->has, r->del_span, r->del_fact, r->maxid, r->ins_fact, r->ins_span};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++)
        sqlite3_finalize(q[i]);
    sr_buf_finish(&r->src);
    sr_buf_finish(&r->conf);
    sr_buf_finish(&r->sf);
}

static int rq_prepare(sqlite3 *db, rq *r)
{
    memset(r, 0, sizeof *r);
    sr_buf_init(&r->src);
    sr_buf_init(&r->conf);
    sr_buf_init(&r->sf);
    r->next = -1;
    return sqlite3_prepare_v2(db, q_ev, -1, &r->ev, NULL) ||
           sqlite3_prepare_v2(db, "SELECT geonameid, name FROM place WHERE id = ?1", -1, &r->place, NULL) ||
           sqlite3_prepare_v2(db, "SELECT name, published, origin FROM doc WHERE id = ?1", -1, &r->doc, NULL) ||
           sqlite3_prepare_v2(db, "SELECT EXISTS(SELECT 1 FROM fact WHERE place=?1) OR "
                                  "EXISTS(SELECT 1 FROM span WHERE place=?1)", -1, &r->has, NULL) ||
           /* foreign keys are off during a refresh; a fact's records and
            * conflicts and a span's facts are in their rows (schema 4) */
           sqlite3_prepare_v2(db, "DELETE FROM span WHERE place=?1", -1, &r->del_span, NULL) ||
           sqlite3_prepare_v2(db, "DELETE FROM fact WHERE place=?1", -1, &r->del_fact, NULL) ||
           sqlite3_prepare_v2(db, "SELECT max(id) FROM fact", -1, &r->maxid, NULL) ||
           sqlite3_prepare_v2(db,
                              "INSERT INTO fact(id, place, type, actor, actor_name, target, target_name, date_first,"
                              " date_last, precision, reported_first, reported_last, nsources, norigins, confidence,"
                              " contested, sources, conflicts)"
                              " VALUES(?16,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?17,?18)",
                              -1, &r->ins_fact, NULL) ||
           sqlite3_prepare_v2(db,
                              "INSERT INTO span(place, holder, holder_name, start, end, confidence, contested,"
                              " by_change, norigins, start_fact, facts) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                              -1, &r->ins_span, NULL);
}

/* A row of a JSON array written by the refresh: an id (a record, a
 * conflicting fact, a span's fact), for a span's facts its contrary flag,
 * and the order it was given in. */
typedef struct idrow {
    int64_t id;
    int flag;
    uint32_t seq;
} idrow;

static int cmp_row(const void *pa, const void *pb)
{
    const idrow *a = pa, *b = pb;
    if (a->id != b->id)
        return (a->id > b->id) - (a->id < b->id);
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The rows as a JSON array into b, by id and each id once, the first given
 * kept (the order, uniqueness and INSERT OR IGNORE of the old tables'
 * keys): [id,...], or with `flags` [[id,flag],...].  1 on out of memory. */
static int rows_json(sr_buf *b, idrow *v, size_t n, int flags)
{
    qsort(v, n, sizeof *v, cmp_row);
    sr_buf_clear(b);
    if (sr_buf_reserve(b, 2 + 26 * n))
        return 1;
    char *p = b->data;
    *p++ = '[';
    for (size_t k = 0; k < n; k++) {
        if (k && v[k].id == v[k - 1].id)
            continue;
        if (p > b->data + 1)
            *p++ = ',';
        if (flags)
            *p++ = '[';
        p = sr_utoa(p, (uint64_t)v[k].id);
        if (flags) {
            *p++ = ',';
            *p++ = v[k].flag ? '1' : '0';
            *p++ = ']';
        }
    }
    *p++ = ']';
    *p = '\0';
    b->len = (size_t)(p - b->data);
    return 0;
}

/* Parameter col of q: the rows as rows_json writes them into b (which must
 * outlive the step), or NULL when there are none.  1 on out of memory. */
static int bind_rows(sqlite3_stmt *q, int col, sr_buf *b, idrow *v, size_t n, int flags)
{
    if (!n) {
        sqlite3_bind_null(q, col);
        return 0;
    }
    if (rows_json(b, v, n, flags))
        return 1;
    sqlite3_bind_text(q, col, b->data, (int)b->len, SQLITE_STATIC);
    return 0;
}

static int run(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc != SQLITE_DONE;
}

static const char *prec_name(sr_prec p)
{
    static const char *const n[] = {"day", "week", "month", "year"};
    return n[p];
}

static int bind_day(sqlite3_stmt *q, int i, sr_day d)
{
    char b[11];
    if (d == SR_DAY_NONE || d == SR_DAY_OPEN)
        return sqlite3_bind_null(q, i);
    sr_day_format(d, b);
    return sqlite3_bind_text(q, i, b, 10, SQLITE_TRANSIENT);
}

/* The name, date and origin of document `id`: from the handle's cache,
 * else read and remembered.  NULL when the row is missing (its records are
 * left out, as the join did) or on a database error (*err set). */
static const sr_dinfo *doc_info(sr_store *s, rq *r, int64_t id, int *err)
{
    const sr_dinfo *d = sr_dcache_get(&s->docs, id);
    if (d)
        return d;
    sqlite3_bind_int64(r->doc, 1, id);
    int rc = sqlite3_step(r->doc);
    if (rc == SQLITE_ROW &&
        !sr_dcache_put(&s->docs, id, (const char *)sqlite3_column_text(r->doc, 0),
                       (const char *)sqlite3_column_text(r->doc, 1), sqlite3_column_int64(r->doc, 2)))
        d = sr_dcache_get(&s->docs, id);
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        *err = 1;
    else if (rc == SQLITE_ROW)
        *err = -1; /* out of memory */
    sqlite3_reset(r->doc);
    return d;
}

/* Rebuild one place; *oom on allocation failure, returns non-zero on a
 * database error. */
static int rebuild(sr_store *s, rq *r, int64_t place, sr_arena *a, int *oom)
{
    /* the place's own columns, once (no row: no records to fuse) */
    uint32_t geonameid = 0;
    const char *pname = NULL;
    sqlite3_bind_int64(r->place, 1, place);
    int rc = sqlite3_step(r->place);
    if (rc == SQLITE_ROW) {
        geonameid = (uint32_t)sqlite3_column_int64(r->place, 0);
        pname = sr_col_str(r->place, 1, a, oom);
    }
    sqlite3_reset(r->place);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return 1;
    sqlite3_bind_int64(r->ev, 1, place);
    size_t n = 0, cap = 64;
    sr_event *ev = sr_arena_alloc(a, cap * sizeof *ev);
    sr_fuse_rec *in = sr_arena_alloc(a, cap * sizeof *in);
    while (ev && in && rc == SQLITE_ROW && (rc = sqlite3_step(r->ev)) == SQLITE_ROW) {
        int err = 0;
        const sr_dinfo *d = doc_info(s, r, sqlite3_column_int64(r->ev, 10), &err);
        /* copied out: the origin's look-up may move the cache's slots or
         * empty it (the cache's bound, out of memory) */
        const char *dname = d ? sr_arena_strndup(a, d->name, strlen(d->name)) : NULL;
        const char *published = d && d->published ? sr_arena_strndup(a, d->published, strlen(d->published)) : NULL;
        if (d && (!dname || (d->published && !published)))
            err = -1;
        int64_t oid = d ? (d->origin ? d->origin : d->id) : 0;
        const sr_dinfo *o = d && !err ? doc_info(s, r, oid, &err) : NULL;
        const char *oname = o ? sr_arena_strndup(a, o->name, strlen(o->name)) : NULL;
        if (o && !oname)
            err = -1;
        if (err > 0) {
            sqlite3_reset(r->ev);
            return 1;
        }
        if (err < 0) {
            *oom = 1;
            break;
        }
        if (!o)
            continue;
        if (n == cap) {
            sr_event *e2 = sr_arena_alloc(a, 2 * cap * sizeof *e2);
            sr_fuse_rec *i2 = sr_arena_alloc(a, 2 * cap * sizeof *i2);
            if (!e2 || !i2) {
                ev = NULL;
                break;
            }
            memcpy(e2, ev, n * sizeof *ev);
            memcpy(i2, in, n * sizeof *in);
            for (size_t k = 0; k < n; k++)
                i2[k].ev = &e2[k];
            ev = e2, in = i2, cap *= 2;
        }
        sr_event *e = &ev[n];
        memset(e, 0, sizeof *e);
        e->type = sr_col_str(r->ev, 1, a, oom);
        e->actor.id = sr_col_str(r->ev, 2, a, oom);
        e->actor.name = sr_col_str(r->ev, 3, a, oom);
        e->target.id = sr_col_str(r->ev, 4, a, oom);
        e->target.name = sr_col_str(r->ev, 5, a, oom);
        e->date = sr_col_str(r->ev, 6, a, oom);
        e->precision = sr_col_str(r->ev, 7, a, oom);
        e->modality = sr_col_str(r->ev, 8, a, oom);
        e->confidence = sqlite3_column_double(r->ev, 9);
        e->doc = dname;
        e->place.geonameid = geonameid;
        e->place.name = pname;
        e->date_text = sr_col_str(r->ev, 11, a, oom);
        e->place.lat = e->place.lon = NAN;
        in[n].ev = e;
        in[n].published = published;
        in[n].origin = oname;
        in[n].id = sqlite3_column_int64(r->ev, 0);
        n++;
    }
    sqlite3_reset(r->ev);
    if (!ev || !in || *oom) {
        *oom = 1;
        return 0;
    }
    sr_fact *f;
    sr_span *sp;
    size_t nf, ns;
    if (sr_fuse(in, n, a, &f, &nf) || sr_timeline(f, nf, a, &sp, &ns)) {
        *oom = 1;
        return 0;
    }
    int64_t *fid = nf ? sr_arena_alloc(a, nf * sizeof *fid) : NULL;
    if (nf && !fid) {
        *oom = 1;
        return 0;
    }
    /* a place new to the refresh has nothing to delete (one look-up) */
    sqlite3_bind_int64(r->has, 1, place);
    int had = sqlite3_step(r->has) == SQLITE_ROW && sqlite3_column_int(r->has, 0);
    sqlite3_reset(r->has);
    sqlite3_stmt *del[] = {r->del_span, r->del_fact};
    for (size_t k = 0; had && k < sizeof del / sizeof *del; k++) {
        sqlite3_bind_int64(del[k], 1, place);
        if (run(del[k]))
            return 1;
    }
    /* The facts' row ids, given before they are inserted so that a fact's
     * conflicts can be written with it: those SQLite would give, one more
     * than the largest each time. */
    if (had || r->next < 0) {
        /* (a place that had no rows deleted none: the largest is the last
         * given, kept in r->next) */
        r->next = 0;
        if (sqlite3_step(r->maxid) == SQLITE_ROW)
            r->next = sqlite3_column_int64(r->maxid, 0);
        sqlite3_reset(r->maxid);
    }
    for (size_t i = 0; i < nf; i++)
        fid[i] = ++r->next;
    size_t most = 1;
    for (size_t i = 0; i < nf; i++) {
        most = f[i].nrecs > most ? f[i].nrecs : most;
        most = f[i].nconflicts > most ? f[i].nconflicts : most;
    }
    idrow *ids = sr_arena_alloc(a, most * sizeof *ids);
    if (!ids) {
        *oom = 1;
        return 0;
    }
    for (size_t i = 0; i < nf; i++) {
        const sr_event *e = f[i].rep;
        sqlite3_stmt *q = r->ins_fact;
        sqlite3_bind_int64(q, 1, place);
        sr_bind_str(q, 2, e->type);
        sr_bind_str(q, 3, e->actor.id);
        sr_bind_str(q, 4, e->actor.name);
        sr_bind_str(q, 5, e->target.id);
        sr_bind_str(q, 6, e->target.name);
        bind_day(q, 7, f[i].day_first);
        bind_day(q, 8, f[i].day_last);
        sr_bind_str(q, 9, prec_name(f[i].prec));
        bind_day(q, 10, f[i].rep_first);
        bind_day(q, 11, f[i].rep_last);
        sqlite3_bind_int64(q, 12, f[i].nrecs);
        sqlite3_bind_int64(q, 13, f[i].norigins);
        sqlite3_bind_double(q, 14, f[i].confidence);
        sqlite3_bind_int(q, 15, f[i].contested);
        sqlite3_bind_int64(q, 16, fid[i]);
        for (uint32_t k = 0; k < f[i].nrecs; k++)
            ids[k] = (idrow){in[f[i].recs[k]].id, 0, k};
        if (bind_rows(q, 17, &r->src, ids, f[i].nrecs, 0)) {
            *oom = 1;
            return 0;
        }
        for (uint32_t k = 0; k < f[i].nconflicts; k++)
            ids[k] = (idrow){fid[f[i].conflicts[k]], 0, k};
        if (bind_rows(q, 18, &r->conf, ids, f[i].nconflicts, 0)) {
            *oom = 1;
            return 0;
        }
        if (run(q))
            return 1;
    }
    for (size_t i = 0; i < ns; i++) {
        sqlite3_stmt *q = r->ins_span;
        uint32_t norig = 0;
        size_t nrow = sp[i].nfacts;
        for (uint32_t k = 0; k < sp[i].nfacts; k++) {
            const sr_fact *g = &f[sp[i].facts[k]];
            const char *h = sr_fact_holder(g);
            if (h && !strcmp(h, sp[i].holder)) {
                nrow += g->nconflicts;
                if (g->norigins > norig)
                    norig = g->norigins;
            }
        }
        /* its facts (contrary: says someone else held it), then what
         * contradicts its supporting facts, listed with it as contrary */
        idrow *v = sr_arena_alloc(a, (nrow ? nrow : 1) * sizeof *v);
        if (!v) {
            *oom = 1;
            return 0;
        }
        size_t nv = 0;
        for (uint32_t k = 0; k < sp[i].nfacts; k++) {
            const char *h = sr_fact_holder(&f[sp[i].facts[k]]);
            v[nv] = (idrow){fid[sp[i].facts[k]], !(h && !strcmp(h, sp[i].holder)), (uint32_t)nv};
            nv++;
        }
        for (uint32_t k = 0; k < sp[i].nfacts; k++) {
            const sr_fact *g = &f[sp[i].facts[k]];
            const char *h = sr_fact_holder(g);
            if (!h || strcmp(h, sp[i].holder))
                continue;
            for (uint32_t c = 0; c < g->nconflicts; c++) {
                v[nv] = (idrow){fid[g->conflicts[c]], 1, (uint32_t)nv};
                nv++;
            }
        }
        sqlite3_bind_int64(q, 1, place);
        sr_bind_str(q, 2, sp[i].holder);
        sr_bind_str(q, 3, sp[i].holder_name);
        bind_day(q, 4, sp[i].start);
        bind_day(q, 5, sp[i].end);
        sqlite3_bind_double(q, 6, sp[i].confidence);
        sqlite3_bind_int(q, 7, sp[i].contested);
        sqlite3_bind_int(q, 8, sp[i].by_change);
        sqlite3_bind_int64(q, 9, norig);
        sqlite3_bind_int64(q, 10, fid[sp[i].start_fact]);
        if (bind_rows(q, 11, &r->sf, v, nv, 1)) {
            *oom = 1;
            return 0;
        }
        if (run(q))
            return 1;
    }
    return 0;
}

sr_status sr_store_mark_all(sr_store *s, sr_ctx *ctx)
{
    if (sqlite3_exec(s->db,
                     "INSERT OR IGNORE INTO dirty_place(place) SELECT DISTINCT place FROM event WHERE place IS NOT NULL",
                     NULL, NULL, NULL))
        return sr_store_dberr(s, ctx, "mark every place dirty");
    return SR_OK;
}

sr_status sr_store_refresh(sr_store *s, sr_progress_fn progress, void *user, size_t *nplaces, sr_ctx *ctx)
{
    if (nplaces)
        *nplaces = 0;
    if (s->in_batch)
        return sr_ctx_error(ctx, SR_EINTERNAL, "%s: refresh inside an open batch", s->path);
    sqlite3_stmt *list = NULL;
    rq r;
    memset(&r, 0, sizeof r);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    /* Foreign keys are not enforced by a writing handle (store.c): every
     * row the refresh writes points at rows of the same place that it has
     * just written or read, and the rows it deletes take their dependants
     * with them explicitly (rebuild); the checks and cascades were 13% of
     * its instructions. */
    if (sr_store_cache_size(s, SR_CACHE_REFRESH_KB))
        return sr_store_dberr(s, ctx, "refresh");
    sr_status st = sr_store_begin(s, ctx);
    if (st)
        return st;
    sr_arena *a = sr_arena_create(1u << 16);
    if (!a) {
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        goto done;
    }
    if (rq_prepare(s->db, &r) || sqlite3_prepare_v2(s->db, "SELECT place FROM dirty_place", -1, &list, NULL)) {
        st = sr_store_dberr(s, ctx, "refresh");
        goto done;
    }
    while (sqlite3_step(list) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 256;
            int64_t *p = sr_realloc(ids, nc * sizeof *p);
            if (!p) {
                st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
                goto done;
            }
            ids = p, cap = nc;
        }
        ids[n++] = sqlite3_column_int64(list, 0);
    }
    for (size_t i = 0; i < n; i++) {
        int oom = 0;
        if (rebuild(s, &r, ids[i], a, &oom)) {
            st = sr_store_dberr(s, ctx, "rebuilding facts");
            goto done;
        }
        if (oom) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            goto done;
        }
        sr_arena_reset(a);
        if (progress && (i % 64 == 63 || i + 1 == n))
            progress(user, i + 1, n);
    }
    /* every place listed is rebuilt, and nothing else can have marked one
     * since the list was read (this transaction holds the write lock):
     * the marks go in one statement, not one delete a place */
    if (n && sqlite3_exec(s->db, "DELETE FROM dirty_place", NULL, NULL, NULL)) {
        st = sr_store_dberr(s, ctx, "refresh");
        goto done;
    }
    if (nplaces)
        *nplaces = n;
done:
    sqlite3_finalize(list);
    rq_finish(&r);
    sr_free(ids);
    sr_arena_destroy(a);
    if (st) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_batch = 0;
        sr_store_cache_clear(s);
    } else {
        st = sr_store_commit(s, ctx);
    }
    sr_store_cache_size(s, SR_CACHE_WRITE_KB);
    /* the marks are gone (or, rolled back, the cache with them) */
    sr_smap_clear(&s->dirty);
    return st;
}
