/* bench_store.c — the store side of `sitrep ingest` and the queries, alone:
 * records already extracted, so the figures are those of SQLite writes,
 * syndication look-ups, fusion and the query paths, not of extraction.
 *
 *   build/bench/bench_store [--docs N] [--places P] [--batch B] [--queries Q]
 *                           [--mentions 0-6] [--records 0-3]
 *                           [--db FILE] [--keep] [--query-only]
 *
 * It makes N synthetic documents (about 2 KB of text each, one in ten a
 * syndicated copy of an earlier one, 6 place mentions and 3 event records
 * over P places with a skewed popularity), stores them in batches of B
 * through sr_store_put_doc, runs sr_store_refresh, then times Q rounds of
 * each query (a place by name then who held it on a day; the place's whole
 * timeline; what an actor held on a day; the facts of a place) as the CLI
 * makes them, in-process.  --query-only skips the writing and times the
 * queries on an existing database (e.g. one made by `sitrep ingest` from
 * FA-KES), over the places that have a timeline there.  The database is
 * deleted at the end unless --keep or --query-only.  One core, no threads. */
#include "core/arena.h"
#include "core/mem.h"
#include "fuse/fuse.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static size_t nmen = 6, nrec = 3;  /* mentions and records stored a document (at most 6, 3) */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU seconds of this process (user + system): steadier than wall time on
 * a machine shared with other work. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x853c49e6748fea9bull;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}
/* Skewed pick in [0, n): a few places get most reports, as in the news. */
static uint32_t skewed(uint32_t n)
{
    double u = (rnd() + 1.0) / 2147483649.0;
    return (uint32_t)(n * u * u * u) % n;
}

static const char *const words[] = {
    "forces", "the", "town", "militants", "said", "on", "army", "fighting", "government", "control", "after",
    "village", "group", "reported", "near", "district", "killed", "northern", "eastern", "offensive", "troops",
    "monitor", "officials", "province", "road", "border", "airstrikes", "civilians", "week", "local", "sources",
    "river", "advance", "positions", "defence", "council", "statement", "heavy", "clashes", "residents"};
static const char *const actors[][2] = {{"ISIS", "Islamic State"},
                                        {"SYRIA_GOV", "Syrian government forces"},
                                        {"SDF", "Syrian Democratic Forces"},
                                        {"IRAQ_GOV", "Iraqi forces"},
                                        {"REBELS", "Syrian rebels"}};
static const char *const types[] = {"control_change", "control_state", "clash", "airstrike", "control_change"};

typedef struct bplace {
    char name[32];
    sr_place_ref ref;
} bplace;

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t n)
{
    if (!n)
        return;
    qsort(t, n, sizeof *t, cmp_dbl);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i];
    printf("  %-28s n=%-6zu p50 %8.1f us   p99 %8.1f us   mean %8.1f us\n", what, n, t[n / 2] * 1e6,
           t[(size_t)(n * 0.99) < n ? (size_t)(n * 0.99) : n - 1] * 1e6, sum / n * 1e6);
}

static void die(const char *what, sr_ctx *ctx)
{
    fprintf(stderr, "bench_store: %s: %s\n", what, ctx->msg);
    exit(1);
}

/* One synthetic document with its records, made before the clock starts. */
typedef struct bdoc {
    char id[32], pub[11], dates[3][11];
    sr_buf text;
    sr_mention m[6];
    sr_event ev[3];
} bdoc;

static bdoc *make_docs(size_t n, size_t nplaces, const bplace *pl)
{
    bdoc *docs = sr_calloc(n, sizeof *docs);
    if (!docs)
        return NULL;
    sr_day base;
    sr_day_parse("2014-01-01", &base, NULL);
    for (size_t i = 0; i < n; i++) {
        bdoc *d = &docs[i];
        snprintf(d->id, sizeof d->id, "bs-%zu", i);
        sr_day pd = base + (sr_day)(i * 2000 / n);
        sr_day_format(pd, d->pub);
        sr_buf_init(&d->text);
        if (i > 10 && rnd() % 10 == 0) {
            /* a syndicated copy: an earlier story with another headline */
            sr_buf_addf(&d->text, "Copy %zu. ", i);
            sr_buf_adds(&d->text, docs[i - 1 - rnd() % 10].text.data + strlen("Story 0000000. "));
        } else {
            sr_buf_addf(&d->text, "Story %07zu. ", i);
            for (int w = 0; w < 330; w++)
                sr_buf_addf(&d->text, "%s%s", words[rnd() % (sizeof words / sizeof *words)],
                            w % 17 == 16 ? ". " : " ");
        }
        /* the mentions' words: place names, as a report writes them */
        for (int k = 0; k < 6; k++) {
            uint32_t p = skewed((uint32_t)nplaces);
            sr_mention *m = &d->m[k];
            sr_buf_adds(&d->text, " In ");
            m->start = (uint32_t)d->text.len;
            sr_buf_adds(&d->text, pl[p].name);
            m->end = (uint32_t)d->text.len;
            sr_buf_adds(&d->text, ".");
            m->sent = k;
            m->place = pl[p].ref;
            m->population = 1000 + p * 37;
            m->score = 0.9f;
        }
        for (int k = 0; k < 3; k++) {
            sr_event *e = &d->ev[k];
            uint32_t p = skewed((uint32_t)nplaces), ac = rnd() % 5, tg = (ac + 1 + rnd() % 4) % 5;
            e->doc = d->id;
            e->type = types[rnd() % 5];
            e->actor = (sr_actor_ref){.id = actors[ac][0], .name = actors[ac][1], .text = actors[ac][1]};
            e->target = (sr_actor_ref){.id = actors[tg][0], .name = actors[tg][1], .text = actors[tg][1]};
            e->place = pl[p].ref;
            sr_day_format(pd - (sr_day)(rnd() % 3), d->dates[k]);
            e->date = d->dates[k];
            e->precision = "day";
            e->modality = rnd() % 4 ? "asserted" : "claimed";
            e->evidence.start = 15 + 200 * k;
            e->evidence.end = 15 + 200 * k + 120;
            e->confidence = 0.6 + (rnd() % 40) / 100.0;
        }
    }
    return docs;
}

/* Store the documents in batches; returns the seconds spent (*cpus: CPU). */
static double write_docs(sr_store *s, bdoc *docs, size_t n, size_t batch, size_t *nsyn, double *cpus)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    double t0 = now(), c0 = cpu();
    if (sr_store_begin(s, &ctx))
        die("begin", &ctx);
    for (size_t i = 0; i < n; i++) {
        bdoc *b = &docs[i];
        sr_doc d = {0};
        d.id = b->id;
        d.published = b->pub;
        d.source = "Bench Wire";
        d.text = b->text.data;
        d.len = b->text.len;
        sr_seg body = {0, (uint32_t)b->text.len};   /* cleaned: the whole text is the story */
        d.body = &body;
        d.nbody = 1;
        sr_put_info info;
        if (sr_store_put_doc(s, &d, d.text, d.len, b->m, nmen, b->ev, nrec, &info, &ctx))
            die("put_doc", &ctx);
        *nsyn += info.origin != NULL;
        if ((i + 1) % batch == 0 && (sr_store_commit(s, &ctx) || sr_store_begin(s, &ctx)))
            die("commit", &ctx);
    }
    if (sr_store_commit(s, &ctx))
        die("commit", &ctx);
    *cpus = cpu() - c0;
    return now() - t0;
}

static int count_fact(void *u, const sr_store_fact *x)
{
    (void)x;
    ++*(size_t *)u;
    return 0;
}

static void queries(sr_store *s, const char *dbpath, size_t q)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    /* the places that have a timeline, and the span of dates */
    sqlite3 *db;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    char lo[11] = "2014-01-01", hi[11] = "2019-12-31";
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db,
                               "SELECT (SELECT alias FROM place_alias a WHERE a.place = p.id LIMIT 1) FROM place p"
                               " WHERE p.id IN (SELECT place FROM span)",
                               -1, &st, NULL) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                const unsigned char *t = sqlite3_column_text(st, 0);
                if (!t)
                    continue;
                if (nn == cap) {
                    cap = cap ? 2 * cap : 256;
                    names = realloc(names, cap * sizeof *names);
                }
                names[nn++] = strdup((const char *)t);
            }
            sqlite3_finalize(st);
        }
        if (sqlite3_prepare_v2(db, "SELECT min(start), max(start) FROM span", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
                snprintf(lo, sizeof lo, "%s", (const char *)sqlite3_column_text(st, 0));
                snprintf(hi, sizeof hi, "%s", (const char *)sqlite3_column_text(st, 1));
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }
    if (!nn) {
        printf("queries: no place with a timeline in %s\n", dbpath);
        return;
    }
    sr_day dlo, dhi;
    sr_day_parse(lo, &dlo, NULL);
    sr_day_parse(hi, &dhi, NULL);
    sr_day span = dhi - dlo + 1;
    double *tc = calloc(q, sizeof *tc), *tt = calloc(q, sizeof *tt), *th = calloc(q, sizeof *th),
           *te = calloc(q, sizeof *te);
    sr_arena *a = sr_arena_create(1u << 16);
    size_t found = 0, nfacts = 0;
    for (size_t i = 0; i < q; i++) {
        const char *name = names[rnd() % nn];
        char date[11];
        sr_day_format(dlo + (sr_day)(rnd() % (uint32_t)span), date);
        sr_store_place p;
        sr_store_span sp, *spans;
        size_t n;
        int f;
        double t0 = now();
        if (sr_store_find_place(s, NULL, name, a, &p, &ctx) || sr_store_control(s, &p, date, a, &sp, &f, &ctx))
            die("control", &ctx);
        double t1 = now();
        if (sr_store_timeline(s, &p, a, &spans, &n, &ctx))
            die("timeline", &ctx);
        double t2 = now();
        if (sr_store_held_by(s, actors[rnd() % 5][0], date, a, &spans, &n, &ctx))
            die("held-by", &ctx);
        double t3 = now();
        sr_store_filter flt = {.place = p.id};
        size_t cnt = 0;
        if (sr_store_facts(s, &flt, count_fact, &cnt, &ctx))
            die("facts", &ctx);
        double t4 = now();
        tc[i] = t1 - t0, tt[i] = t2 - t1, th[i] = t3 - t2, te[i] = t4 - t3;
        found += f;
        nfacts += cnt;
        sr_arena_reset(a);
    }
    printf("queries over %zu places with a timeline, dates %s .. %s (%zu of %zu control answers known, "
           "%.1f facts a place):\n",
           nn, lo, hi, found, q, (double)nfacts / q);
    report("control PLACE --at DATE", tc, q);
    report("timeline PLACE", tt, q);
    report("held-by ACTOR --at DATE", th, q);
    report("events --place PLACE", te, q);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    free(tc), free(tt), free(th), free(te);
    sr_arena_destroy(a);
}

int main(int argc, char **argv)
{
    size_t ndocs = 20000, nplaces = 2000, batch = 1000, nq = 2000;
    const char *db = "build/bench-store.db";
    int keep = 0, qonly = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--docs") && v)
            ndocs = strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--places") && v)
            nplaces = strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--batch") && v)
            batch = strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--queries") && v)
            nq = strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--db") && v)
            db = v, i++;
        else if (!strcmp(a, "--mentions") && v)
            nmen = strtoul(v, NULL, 10) % 7, i++;
        else if (!strcmp(a, "--records") && v)
            nrec = strtoul(v, NULL, 10) % 4, i++;
        else if (!strcmp(a, "--keep"))
            keep = 1;
        else if (!strcmp(a, "--query-only"))
            qonly = 1;
        else {
            fprintf(stderr, "usage: bench_store [--docs N] [--places P] [--batch B] [--queries Q] "
                            "[--mentions 0-6] [--records 0-3] [--db FILE] [--keep] [--query-only]\n");
            return 2;
        }
    }
    if (!ndocs || !nplaces || !batch)
        return 2;
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s;
    if (!qonly) {
        char side[4200];
        const char *sfx[] = {"", "-wal", "-shm"};
        for (int k = 0; k < 3; k++) {
            snprintf(side, sizeof side, "%s%s", db, sfx[k]);
            unlink(side);
        }
        if (sr_store_open(&s, db, 0, &ctx))
            die(db, &ctx);
        bplace *pl = calloc(nplaces, sizeof *pl);
        for (size_t i = 0; i < nplaces; i++) {
            snprintf(pl[i].name, sizeof pl[i].name, "Place %zu", i);
            pl[i].ref.name = pl[i].ref.text = pl[i].name;
            pl[i].ref.geonameid = (uint32_t)(1000000 + i);
            pl[i].ref.lat = 32 + (i % 100) * 0.05;
            pl[i].ref.lon = 36 + (double)(i / 100) * 0.05;
            memcpy(pl[i].ref.country, "SY", 3);
            memcpy(pl[i].ref.fcode, "PPL", 4);
        }
        size_t nsyn = 0;
        bdoc *docs = make_docs(ndocs, nplaces, pl);
        if (!docs)
            return 1;
        double cw, tw = write_docs(s, docs, ndocs, batch, &nsyn, &cw);
        for (size_t i = 0; i < ndocs; i++)
            sr_buf_finish(&docs[i].text);
        sr_free(docs);
        size_t nref = 0;
        double t0 = now(), c0 = cpu();
        if (sr_store_refresh(s, NULL, NULL, &nref, &ctx))
            die("refresh", &ctx);
        double tr = now() - t0, cr = cpu() - c0;
        sr_store_counts c;
        sr_store_count(s, &c, &ctx);
        sr_store_close(s);
        struct stat sb;
        double mb = stat(db, &sb) ? 0 : sb.st_size / 1048576.0;
        printf("bench_store: %zu documents (%zu syndicated copies found), %lld records, %zu places, batch %zu\n",
               ndocs, nsyn, (long long)c.events, nplaces, batch);
        printf("  write   %8.2f s  %9.0f docs/s  %9.0f records/s  (CPU %.2f s: %.0f docs/s)\n", tw, ndocs / tw,
               c.events / tw, cw, ndocs / cw);
        printf("  refresh %8.2f s  %zu places -> %lld facts, %lld spans  (CPU %.2f s)\n", tr, nref,
               (long long)c.facts, (long long)c.spans, cr);
        printf("  total   %8.2f s  %9.0f docs/s;  database %.1f MB (%.1f KB a document)\n", tw + tr,
               ndocs / (tw + tr), mb, mb * 1024 / ndocs);
        /* the figure issue #6 asks for: the store side on one core, CPU time
         * (steadier than wall time on a shared machine) */
        printf("  store side (write + refresh): CPU %.2f s = %.0f docs/s\n", cw + cr, ndocs / (cw + cr));
        free(pl);
    }
    if (sr_store_open(&s, db, SR_STORE_READONLY, &ctx))
        die(db, &ctx);
    queries(s, db, nq);
    sr_store_close(s);
    if (!keep && !qonly) {
        char side[4200];
        const char *sfx[] = {"", "-wal", "-shm"};
        for (int k = 0; k < 3; k++) {
            snprintf(side, sizeof side, "%s%s", db, sfx[k]);
            unlink(side);
        }
    }
    return 0;
}
