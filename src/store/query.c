/* query.c — the questions the store answers: which place or actor a user
 * means, who held a place when (with the records behind the answer), the
 * places an actor held, monthly totals, and the facts that match a filter. */
#include "store/internal.h"
#include "core/mem.h"
#include "fuse/fuse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLACE_COLS "p.id, p.name, p.geonameid, p.lat, p.lon, p.country, p.population, p.fcode"

static void read_place(sqlite3_stmt *q, int i, sr_arena *a, sr_store_place *p, int *oom)
{
    p->id = sqlite3_column_int64(q, i);
    p->name = sr_col_str(q, i + 1, a, oom);
    p->geonameid = (uint32_t)sqlite3_column_int64(q, i + 2);
    p->lat = sqlite3_column_type(q, i + 3) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i + 3);
    p->lon = sqlite3_column_type(q, i + 4) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i + 4);
    p->country = sr_col_str(q, i + 5, a, oom);
    p->population = sqlite3_column_int64(q, i + 6);
    p->fcode = sr_col_str(q, i + 7, a, oom);
    p->nevents = sqlite3_column_count(q) > i + 8 ? sqlite3_column_int64(q, i + 8) : 0;
}

/* Run a one-row place query with one text or integer parameter. */
static sr_status place_by(sr_store *s, const char *sql, const char *txt, int64_t num, sr_arena *a,
                          sr_store_place *out, int *found, sr_ctx *ctx)
{
    sqlite3_stmt *q;
    *found = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "place look-up");
    if (txt)
        sqlite3_bind_text(q, 1, txt, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(q, 1, num);
    int oom = 0, rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        read_place(q, 0, a, out, &oom);
        *found = 1;
    }
    sqlite3_finalize(q);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sr_store_dberr(s, ctx, "place look-up");
    return SR_OK;
}

/* Edit distance of two names, ASCII case folded, capped at 64 bytes each:
 * among places sharing a consonant skeleton, the nearest spelling wins. */
static unsigned name_dist(const char *x, const char *y)
{
    unsigned row[65];
    size_t nx = strlen(x), ny = strlen(y);
    nx = nx > 64 ? 64 : nx, ny = ny > 64 ? 64 : ny;
    for (size_t j = 0; j <= ny; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= nx; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= ny; j++) {
            unsigned up = row[j];
            int same = ((x[i - 1] | 32) == (y[j - 1] | 32));
            unsigned best = diag + !same;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[ny];
}

/* The stored place whose alias has the skeleton of q and the spelling
 * nearest to q; spellings further than a third of q's length (plus one)
 * are other names that happen to share consonants ("Iraq" and "Raqqah"). */
static sr_status place_by_skeleton(sr_store *s, const char *q, sr_arena *a, sr_store_place *out, int *found,
                                   sr_ctx *ctx)
{
    static const char sql[] = "SELECT " PLACE_COLS ", (SELECT count(*) FROM event e WHERE e.place = p.id), pa.alias"
                              " FROM place_alias pa JOIN place p ON p.id = pa.place WHERE pa.skel = ?1"
                              " ORDER BY p.geonameid IS NULL, p.id";
    *found = 0;
    sr_place_skeleton(q, &s->buf);
    if (s->buf.len < 2)
        return SR_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "place look-up");
    sqlite3_bind_text(st, 1, s->buf.data, (int)s->buf.len, SQLITE_TRANSIENT);
    unsigned best = strlen(q) / 3 + 2;
    int64_t best_n = -1;
    int oom = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *alias = (const char *)sqlite3_column_text(st, 9);
        unsigned d = alias ? name_dist(q, alias) : UINT32_MAX;
        int64_t nev = sqlite3_column_int64(st, 8);
        if (d < best || (d == best && *found && nev > best_n)) {
            read_place(st, 0, a, out, &oom);
            best = d, best_n = nev, *found = 1;
        }
    }
    sqlite3_finalize(st);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? SR_OK : sr_store_dberr(s, ctx, "place look-up");
}

static void from_gazetteer(const sr_place_ref *ref, sr_arena *a, sr_store_place *out)
{
    /* Known to the gazetteer but never reported: a place with no holder. */
    out->name = ref->name;
    out->geonameid = ref->geonameid;
    out->lat = ref->lat;
    out->lon = ref->lon;
    out->country = ref->country[0] ? sr_arena_strndup(a, ref->country, strlen(ref->country)) : NULL;
}

#define BY_GEONAMEID "SELECT " PLACE_COLS " FROM place p WHERE p.geonameid = ?1"
#define BY_GEONAMEID_N                                                                                       \
    "SELECT " PLACE_COLS ", (SELECT count(*) FROM event e WHERE e.place = p.id) FROM place p WHERE p.geonameid = ?1"

/* How likely a stored place is the one a user means: one with records
 * first, a town before a province or country of the same name ("Raqqa":
 * the city, not the governorate), then the one most written about. */
static int64_t rank_place(const sr_store_place *p)
{
    if (!p->nevents)
        return 0;
    return (p->fcode && !strncmp(p->fcode, "PPL", 3) ? (int64_t)1 << 40 : 0) + p->nevents;
}

/* The best ranked of the stored places that have q as an alias. */
static sr_status alias_places(sr_store *s, const char *q, sr_arena *a, sr_store_place *out, int64_t *best,
                              sr_ctx *ctx)
{
    static const char sql[] = "SELECT " PLACE_COLS ", (SELECT count(*) FROM event e WHERE e.place = p.id)"
                              " FROM place_alias pa JOIN place p ON p.id = pa.place WHERE pa.alias = ?1"
                              " ORDER BY p.geonameid IS NULL, p.id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "place look-up");
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    int oom = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_place p;
        read_place(st, 0, a, &p, &oom);
        if (rank_place(&p) > *best)
            *out = p, *best = rank_place(&p);
    }
    sqlite3_finalize(st);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? SR_OK : sr_store_dberr(s, ctx, "place look-up");
}

sr_status sr_store_find_place(sr_store *s, const sr_gaz *gaz, const char *q, sr_arena *a, sr_store_place *out,
                              sr_ctx *ctx)
{
    if (!s || !q || !*q || !out)
        return sr_ctx_error(ctx, SR_EARG, "no place given");
    memset(out, 0, sizeof *out);
    out->lat = out->lon = NAN;
    int found = 0;
    sr_status st;
    sr_place_ref ref;
    size_t nd = strspn(q, "0123456789");
    if (!q[nd]) {
        if ((st = place_by(s, BY_GEONAMEID, NULL, strtoll(q, NULL, 10), a, out, &found, ctx)) || found)
            return st;
        if (gaz && sr_gaz_lookup(gaz, q, &ref) == SR_OK && ref.geonameid) {
            from_gazetteer(&ref, a, out);
            return SR_OK;
        }
        return sr_ctx_error(ctx, SR_ENOTFOUND, "%s: no place with this GeoNames id in the store or the gazetteer", q);
    }
    /* Every stored place the name can mean: the ones reports called so
     * (or the store names so), and the gazetteer's entries for it; the
     * best ranked wins (see rank_place). */
    int64_t best = -1;
    if ((st = alias_places(s, q, a, out, &best, ctx)))
        return st;
    sr_place_ref cand[16], first;
    size_t any = 0;
    for (int loose = 0; gaz && loose < 2; loose++) {
        size_t nc = sr_gaz_candidates(gaz, q, loose, cand, 16);
        nc = nc > 16 ? 16 : nc;
        if (nc && !any++)
            first = cand[0];
        for (size_t i = 0; i < nc; i++) {
            sr_store_place p;
            int f = 0;
            if (!cand[i].geonameid)
                continue;
            if ((st = place_by(s, BY_GEONAMEID_N, NULL, cand[i].geonameid, a, &p, &f, ctx)))
                return st;
            if (f && rank_place(&p) > best)
                *out = p, best = rank_place(&p);
        }
    }
    if (best >= 0)
        return SR_OK;
    if ((st = place_by_skeleton(s, q, a, out, &found, ctx)) || found)
        return st;
    if (any) {
        from_gazetteer(&first, a, out);
        return SR_OK;
    }
    return sr_ctx_error(ctx, SR_ENOTFOUND, "%s: no such place in the store or the gazetteer", q);
}

sr_status sr_store_find_actor(sr_store *s, const char *q, sr_arena *a, const char **id, const char **name,
                              sr_ctx *ctx)
{
    static const char sql[] =
        "SELECT id, name, 0 FROM actor WHERE id = ?1 COLLATE NOCASE"
        " UNION ALL SELECT id, name, 1 FROM actor WHERE name = ?1 COLLATE NOCASE"
        " UNION ALL SELECT a.id, a.name, 2 FROM actor_alias x JOIN actor a ON a.id = x.actor WHERE x.alias = ?1"
        " UNION ALL SELECT holder, holder_name, 3 FROM span WHERE holder = ?1 COLLATE NOCASE"
        " ORDER BY 3 LIMIT 1";
    sqlite3_stmt *st;
    if (!s || !q || !*q)
        return sr_ctx_error(ctx, SR_EARG, "no actor given");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "actor look-up");
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    int oom = 0, rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sr_col_str(st, 0, a, &oom);
        *name = sr_col_str(st, 1, a, &oom);
    }
    sqlite3_finalize(st);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (rc == SQLITE_DONE)
        return sr_ctx_error(ctx, SR_ENOTFOUND, "%s: no such actor in the store", q);
    return rc == SQLITE_ROW ? SR_OK : sr_store_dberr(s, ctx, "actor look-up");
}

/* ---- spans ---------------------------------------------------------- */

/* fs: the records of a fact, json_each(fact.sources) (schema 4; the view
 * fact_source says the same, but a view is expanded at every prepare) */
#define SRC_JOIN " JOIN event e ON e.id = fs.value JOIN doc d ON d.id = e.doc JOIN doc o ON o.id = COALESCE(d.origin, d.id)"

static void read_source(sqlite3_stmt *q, int i, sr_arena *a, sr_store_source *x, int *oom)
{
    x->event = sqlite3_column_int64(q, i);
    x->doc = sr_col_str(q, i + 1, a, oom);
    x->title = sr_col_str(q, i + 2, a, oom);
    x->source = sr_col_str(q, i + 3, a, oom);
    x->url = sr_col_str(q, i + 4, a, oom);
    x->published = sr_col_str(q, i + 5, a, oom);
    x->origin = sr_col_str(q, i + 6, a, oom);
    x->type = sr_col_str(q, i + 7, a, oom);
    x->actor = sr_col_str(q, i + 8, a, oom);
    x->date = sr_col_str(q, i + 9, a, oom);
    x->modality = sr_col_str(q, i + 10, a, oom);
    x->confidence = sqlite3_column_double(q, i + 11);
    x->start = (uint32_t)sqlite3_column_int64(q, i + 12);
    x->end = (uint32_t)sqlite3_column_int64(q, i + 13);
    const void *b = sqlite3_column_blob(q, i + 14);
    x->evidence = b ? sr_arena_strndup(a, b, (size_t)sqlite3_column_bytes(q, i + 14)) : NULL;
    if (b && !x->evidence)
        *oom = 1;
}

/* Grow-by-doubling array in an arena (old blocks are simply left behind). */
static void *grow(sr_arena *a, void *p, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return p;
    size_t nc = *cap ? 2 * *cap : 8;
    void *q = sr_arena_alloc(a, nc * size);
    if (q && n)
        memcpy(q, p, n * size);
    *cap = nc;
    return q;
}

static sr_status span_sources(sr_store *s, int64_t span, sr_arena *a, sr_store_span *sp, sr_ctx *ctx)
{
    /* prepared once for the handle (a timeline asks it once a span) */
    sqlite3_stmt *q = sr_store_stmt(s, Q_SPAN_SOURCES, ctx);
    if (!q)
        return SR_EDB;
    sqlite3_bind_int64(q, 1, span);
    size_t cs = 0, cc = 0;
    int oom = 0, rc;
    while (!oom && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int contrary = sqlite3_column_int(q, 0);
        sr_store_source **arr = contrary ? &sp->contrary : &sp->src;
        size_t *n = contrary ? &sp->ncontrary : &sp->nsrc, *cap = contrary ? &cc : &cs;
        if (!(*arr = grow(a, *arr, *n, cap, sizeof **arr))) {
            oom = 1;
            break;
        }
        read_source(q, 1, a, &(*arr)[(*n)++], &oom);
    }
    sqlite3_reset(q);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return SR_OK;
}

#define SPAN_COLS "s.id, s.holder, s.holder_name, s.start, s.end, s.confidence, s.contested, s.by_change, s.norigins"

static void read_span(sqlite3_stmt *q, sr_arena *a, sr_store_span *sp, int *oom)
{
    sp->holder = sr_col_str(q, 1, a, oom);
    sp->holder_name = sr_col_str(q, 2, a, oom);
    sp->start = sr_col_str(q, 3, a, oom);
    sp->end = sr_col_str(q, 4, a, oom);
    sp->confidence = sqlite3_column_double(q, 5);
    sp->contested = sqlite3_column_int(q, 6);
    sp->by_change = sqlite3_column_int(q, 7);
    sp->norigins = (uint32_t)sqlite3_column_int64(q, 8);
}

/* Spans of one query (parameters: place id, then an optional date). */
static sr_status spans(sr_store *s, const char *sql, const sr_store_place *p, const char *date, int with_src,
                       sr_arena *a, sr_store_span **out, size_t *n, sr_ctx *ctx)
{
    sqlite3_stmt *q;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "spans");
    sqlite3_bind_int64(q, 1, p->id);
    if (date)
        sqlite3_bind_text(q, 2, date, -1, SQLITE_STATIC);
    size_t cap = 0;
    int64_t *ids = NULL;
    size_t icap = 0;
    int oom = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!(*out = grow(a, *out, *n, &cap, sizeof **out)) || !(ids = grow(a, ids, *n, &icap, sizeof *ids))) {
            oom = 1;
            break;
        }
        sr_store_span *sp = &(*out)[*n];
        memset(sp, 0, sizeof *sp);
        sp->place = *p;
        ids[*n] = sqlite3_column_int64(q, 0);
        read_span(q, a, sp, &oom);
        (*n)++;
    }
    sqlite3_finalize(q);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sr_store_dberr(s, ctx, "spans");
    for (size_t i = 0; with_src && i < *n; i++) {
        sr_status st = span_sources(s, ids[i], a, &(*out)[i], ctx);
        if (st)
            return st;
    }
    return SR_OK;
}

sr_status sr_store_timeline(sr_store *s, const sr_store_place *p, sr_arena *a, sr_store_span **out, size_t *n,
                            sr_ctx *ctx)
{
    return spans(s, "SELECT " SPAN_COLS " FROM span s WHERE s.place = ?1 ORDER BY s.start, s.id", p, NULL, 1, a, out,
                 n, ctx);
}

sr_status sr_store_control(sr_store *s, const sr_store_place *p, const char *date, sr_arena *a, sr_store_span *out,
                           int *found, sr_ctx *ctx)
{
    sr_store_span *sp;
    size_t n;
    sr_day d;
    if (date && sr_day_parse(date, &d, NULL))
        return sr_ctx_error(ctx, SR_EARG, "%s: not a date (YYYY-MM-DD)", date);
    sr_status st =
        date ? spans(s,
                     "SELECT " SPAN_COLS " FROM span s WHERE s.place = ?1 AND s.start <= ?2"
                     " AND (s.end IS NULL OR s.end > ?2) ORDER BY s.start DESC LIMIT 1",
                     p, date, 1, a, &sp, &n, ctx)
             : spans(s, "SELECT " SPAN_COLS " FROM span s WHERE s.place = ?1 ORDER BY s.start DESC LIMIT 1", p, NULL,
                     1, a, &sp, &n, ctx);
    if (st)
        return st;
    *found = n > 0;
    if (n)
        *out = sp[0];
    else {
        memset(out, 0, sizeof *out);
        out->place = *p;
    }
    return SR_OK;
}

/* Places that count as held: not countries or administrative areas
 * (GeoNames PCL*, ADM*), whose populations contain those of their towns and
 * whose "control" in a report is a manner of speaking. */
#define SETTLEMENT "COALESCE(p.fcode, '') NOT LIKE 'PCL%' AND COALESCE(p.fcode, '') NOT LIKE 'ADM%'"

sr_status sr_store_held_by(sr_store *s, const char *actor, const char *date, sr_arena *a, sr_store_span **out,
                           size_t *n, sr_ctx *ctx)
{
    static const char sql[] = "SELECT " SPAN_COLS ", " PLACE_COLS " FROM span s JOIN place p ON p.id = s.place"
                              " WHERE s.holder = ?1 AND s.start <= ?2 AND (s.end IS NULL OR s.end > ?2) AND " SETTLEMENT
                              " ORDER BY p.population DESC, p.name";
    sr_day d;
    *out = NULL;
    *n = 0;
    if (!date || sr_day_parse(date, &d, NULL))
        return sr_ctx_error(ctx, SR_EARG, "%s: not a date (YYYY-MM-DD)", date ? date : "(none)");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "held-by");
    sqlite3_bind_text(q, 1, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, date, -1, SQLITE_STATIC);
    size_t cap = 0;
    int oom = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!(*out = grow(a, *out, *n, &cap, sizeof **out))) {
            oom = 1;
            break;
        }
        sr_store_span *sp = &(*out)[(*n)++];
        memset(sp, 0, sizeof *sp);
        read_span(q, a, sp, &oom);
        read_place(q, 9, a, &sp->place, &oom);
    }
    sqlite3_finalize(q);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? SR_OK : sr_store_dberr(s, ctx, "held-by");
}

sr_status sr_store_stats(sr_store *s, const char *actor, sr_arena *a, sr_store_month **out, size_t *n, sr_ctx *ctx)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT s.start, s.end, p.population, (SELECT max(date_last) FROM fact)"
                           " FROM span s JOIN place p ON p.id = s.place WHERE s.holder = ?1 AND " SETTLEMENT,
                           -1, &q, NULL) != SQLITE_OK)
        return sr_store_dberr(s, ctx, "stats");
    sqlite3_bind_text(q, 1, actor, -1, SQLITE_STATIC);
    typedef struct iv {
        sr_day start, end;
        int64_t pop;
    } iv;
    iv *v = NULL;
    size_t nv = 0, cap = 0;
    sr_day first = SR_DAY_OPEN, last = SR_DAY_NONE;
    int oom = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!(v = grow(a, v, nv, &cap, sizeof *v))) {
            oom = 1;
            break;
        }
        const char *st = (const char *)sqlite3_column_text(q, 0), *en = (const char *)sqlite3_column_text(q, 1);
        const char *mx = (const char *)sqlite3_column_text(q, 3);
        iv *x = &v[nv];
        if (!st || sr_day_parse(st, &x->start, NULL))
            continue;
        if (!en || sr_day_parse(en, &x->end, NULL))
            x->end = SR_DAY_OPEN;
        x->pop = sqlite3_column_int64(q, 2);
        if (x->start < first)
            first = x->start;
        sr_day m;
        if (mx && !sr_day_parse(mx, &m, NULL) && m > last)
            last = m;
        if (x->end != SR_DAY_OPEN && x->end > last)
            last = x->end;
        if (x->start > last)
            last = x->start;
        nv++;
    }
    sqlite3_finalize(q);
    if (oom)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (!nv)
        return SR_OK;
    char b[11];
    sr_day_format(first, b);
    int y = atoi(b), mo = atoi(b + 5);
    size_t mcap = 0;
    for (;;) {
        /* the last day of month (y, mo), or `last` for the final month */
        int ny = mo == 12 ? y + 1 : y, nm = mo == 12 ? 1 : mo + 1;
        char nb[16];
        snprintf(nb, sizeof nb, "%04d-%02d-01", ny % 10000, nm % 100);
        sr_day next;
        sr_day_parse(nb, &next, NULL);
        sr_day at = next - 1 < last ? next - 1 : last;
        if (!(*out = grow(a, *out, *n, &mcap, sizeof **out)))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        sr_store_month *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        char mb[16];
        snprintf(mb, sizeof mb, "%04d-%02d", y % 10000, mo % 100);
        memcpy(m->month, mb, 7);
        for (size_t i = 0; i < nv; i++)
            if (v[i].start <= at && at < v[i].end)
                m->places++, m->population += v[i].pop;
        if (next > last)
            break;
        y = ny, mo = nm;
    }
    return SR_OK;
}

/* ---- facts ---------------------------------------------------------- */

sr_status sr_store_facts(sr_store *s, const sr_store_filter *flt, sr_fact_fn fn, void *user, sr_ctx *ctx)
{
    sr_buf sql;
    sr_buf_init(&sql);
    sr_buf_adds(&sql, "SELECT f.id, f.type, f.actor, f.actor_name, f.target, f.target_name, f.date_first,"
                      " f.date_last, f.precision, f.reported_first, f.reported_last, f.nsources, f.norigins,"
                      " f.confidence, f.contested, " PLACE_COLS " FROM fact f JOIN place p ON p.id = f.place WHERE 1");
    if (flt->place)
        sr_buf_adds(&sql, " AND f.place = ?1");
    if (flt->actor)
        sr_buf_adds(&sql, " AND (f.actor = ?2 OR f.target = ?2)");
    if (flt->type)
        sr_buf_adds(&sql, " AND f.type = ?3");
    if (flt->from)
        sr_buf_adds(&sql, " AND f.date_last >= ?4");
    if (flt->to)
        sr_buf_adds(&sql, " AND f.date_first <= ?5");
    sr_buf_adds(&sql, " ORDER BY f.date_first, f.id");
    if (flt->limit)
        sr_buf_addf(&sql, " LIMIT %zu", flt->limit);
    sqlite3_stmt *q = NULL, *src = NULL, *conf = NULL;
    sr_status st = SR_OK;
    sr_arena *a = sr_arena_create(1u << 14);
    if (!a || !sql.data) {
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(s->db, sql.data, -1, &q, NULL) ||
        sqlite3_prepare_v2(s->db, "SELECT " SRC_COLS " FROM fact f, json_each(f.sources) fs" SRC_JOIN
                                  " WHERE f.id = ?1 ORDER BY d.published, d.name, e.id",
                           -1, &src, NULL) ||
        sqlite3_prepare_v2(s->db, "SELECT j.value FROM fact f, json_each(f.conflicts) j WHERE f.id = ?1 ORDER BY 1",
                           -1, &conf, NULL)) {
        st = sr_store_dberr(s, ctx, "facts");
        goto done;
    }
    if (flt->place)
        sqlite3_bind_int64(q, 1, flt->place);
    sr_bind_str(q, 2, flt->actor);
    sr_bind_str(q, 3, flt->type);
    sr_bind_str(q, 4, flt->from);
    sr_bind_str(q, 5, flt->to);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        sr_store_fact f;
        int oom = 0;
        memset(&f, 0, sizeof f);
        f.id = sqlite3_column_int64(q, 0);
        const char **str[] = {&f.type, &f.actor, &f.actor_name, &f.target, &f.target_name, &f.date_first,
                              &f.date_last, &f.precision, &f.reported_first, &f.reported_last};
        for (int i = 0; i < 10; i++)
            *str[i] = sr_col_str(q, 1 + i, a, &oom);
        f.nsources = (uint32_t)sqlite3_column_int64(q, 11);
        f.norigins = (uint32_t)sqlite3_column_int64(q, 12);
        f.confidence = sqlite3_column_double(q, 13);
        f.contested = sqlite3_column_int(q, 14);
        read_place(q, 15, a, &f.place, &oom);
        size_t cap = 0;
        sqlite3_bind_int64(src, 1, f.id);
        while (!oom && sqlite3_step(src) == SQLITE_ROW) {
            if (!(f.src = grow(a, f.src, f.nsrc, &cap, sizeof *f.src))) {
                oom = 1;
                break;
            }
            read_source(src, 0, a, &f.src[f.nsrc++], &oom);
        }
        sqlite3_reset(src);
        cap = 0;
        sqlite3_bind_int64(conf, 1, f.id);
        while (!oom && sqlite3_step(conf) == SQLITE_ROW) {
            if (!(f.conflicts = grow(a, f.conflicts, f.nconflicts, &cap, sizeof *f.conflicts))) {
                oom = 1;
                break;
            }
            f.conflicts[f.nconflicts++] = sqlite3_column_int64(conf, 0);
        }
        sqlite3_reset(conf);
        if (oom) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            goto done;
        }
        int stop = fn(user, &f);
        sr_arena_reset(a);
        if (stop)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = sr_store_dberr(s, ctx, "facts");
done:
    sqlite3_finalize(q);
    sqlite3_finalize(src);
    sqlite3_finalize(conf);
    sr_arena_destroy(a);
    sr_buf_finish(&sql);
    return st;
}
