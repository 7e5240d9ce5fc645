/* cmd_ingest.c — `sitrep ingest`: read documents, extract them, store them
 * with their mentions and records, then rebuild facts and timelines.
 *
 * Documents already stored with the same content are skipped before any
 * work is done on them (idempotent re-runs); writes go in transactions of
 * --batch documents, so a run killed half-way leaves every finished batch
 * and the next run completes the rest. */
#include "cli/storecli.h"
#include "clean/clean.h"
#include "core/hash.h"
#include "core/mem.h"
#include "extract/extract.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --events FILE: all records of a document (wherever they are in the
 * file) replace the records stored for it.  They are read before the
 * documents, so that a document read in this run is stored with its
 * records in one go (no second pass deleting what it had). */
typedef struct evrec {
    sr_event e;
    size_t line;
} evrec;

typedef struct evgroup {
    const char *doc;
    size_t lo, hi;          /* its records: ev[lo .. hi) */
    int used;               /* stored with its document in this run */
} evgroup;

typedef struct ing {
    sr_store *s;
    sr_extractor *x;        /* NULL: documents stored without extraction */
    sr_buf body;
    size_t batch, inbatch;
    int progress;
    double t0, tlast;
    size_t read, stored, skipped, replaced, syndicated, events, failed, renamed;
    size_t total;           /* documents in the inputs, 0 when unknown (progress bar) */
    struct evrec *ev;       /* --events: the file's records, a document's together, in file order */
    size_t nev;
    struct evgroup *grp;    /* one per document of the file, in file order */
    uint32_t *gslot;        /* the groups by id: open addressing, group index + 1 (0: empty) */
    size_t gcap;
    char *evtext;           /* the file's bytes: the records' strings point into them */
    size_t evtext_map;      /* its mapping's length (0: malloc'd) */
    size_t ev_map;          /* the length of ev's mapping (0: malloc'd) */
    sr_arena *evarena;      /* strings of records jansson read, further evidence spans */
    size_t ngrp;
    sr_event *group;        /* scratch: one group's records */
    char **seen;            /* ids read in this run (open addressing) */
    size_t nseen, cseen;
    char idbuf[512];
} ing;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
    return h;
}

/* Add id to the set of ids read in this run; 1 when it was there already,
 * -1 on out of memory. */
static int seen_add(ing *g, const char *id)
{
    if (2 * (g->nseen + 1) > g->cseen) {
        size_t nc = g->cseen ? 2 * g->cseen : 1024;
        char **t = sr_calloc(nc, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < g->cseen; i++)
            if (g->seen[i]) {
                size_t k = hash_str(g->seen[i]) & (nc - 1);
                while (t[k])
                    k = (k + 1) & (nc - 1);
                t[k] = g->seen[i];
            }
        sr_free(g->seen);
        g->seen = t, g->cseen = nc;
    }
    size_t k = hash_str(id) & (g->cseen - 1);
    for (; g->seen[k]; k = (k + 1) & (g->cseen - 1))
        if (!strcmp(g->seen[k], id))
            return 1;
    if (!(g->seen[k] = sr_strdup(id)))
        return -1;
    g->nseen++;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How many documents the inputs hold, for the progress bar: a line of a
 * .jsonl file is one, any other file one; 0 (no bar) when a stream or a
 * compressed file makes the count unknown.  Only counted on a terminal. */
static size_t count_docs(char **inputs, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        const char *p = inputs[i];
        size_t l = strlen(p);
        if (!strcmp(p, "-") || (l > 3 && !strcmp(p + l - 3, ".gz")))
            return 0;
        if (!(l > 6 && !strcmp(p + l - 6, ".jsonl"))) {
            total++;
            continue;
        }
        FILE *f = fopen(p, "rb");
        if (!f)
            continue;
        char buf[1 << 16];
        size_t k;
        int last = '\n';
        while ((k = fread(buf, 1, sizeof buf, f)) > 0)
            for (size_t j = 0; j < k; j++) {
                if (buf[j] == '\n' && last != '\n')
                    total++;
                last = (unsigned char)buf[j];
            }
        total += last != '\n';
        fclose(f);
    }
    return total;
}

static void show_progress(ing *g, int final)
{
    double t = now();
    if (!g->progress || (!final && t - g->tlast < 0.1))
        return;
    g->tlast = t;
    double el = t - g->t0;
    char bar[32] = "";
    if (g->total) {
        size_t done = g->read < g->total ? g->read : g->total, w = 20, fill = done * w / g->total;
        bar[0] = '[';
        for (size_t i = 0; i < w; i++)
            bar[1 + i] = i < fill ? '#' : '.';
        snprintf(bar + 1 + w, sizeof bar - 1 - w, "] %3zu%% ", done * 100 / g->total);
    }
    fprintf(stderr, "\r\033[K%singest: %zu read, %zu stored, %zu already stored, %zu syndicated  %.0f docs/s%s", bar,
            g->read, g->stored, g->skipped, g->syndicated, el > 0 ? g->read / el : 0.0, final ? "\n" : "");
}

/* The slot of id in the group table: its group's, or the empty one where
 * it would go. */
static size_t group_slot(const ing *g, const char *id)
{
    size_t i = (size_t)sr_hash_bytes(id, strlen(id)) & (g->gcap - 1);
    while (g->gslot[i] && strcmp(g->grp[g->gslot[i] - 1].doc, id))
        i = (i + 1) & (g->gcap - 1);
    return i;
}

/* The --events records of a document, NULL when the file has none. */
static evgroup *find_group(ing *g, const char *id)
{
    if (!g->ngrp)
        return NULL;
    size_t i = group_slot(g, id);
    return g->gslot[i] ? &g->grp[g->gslot[i] - 1] : NULL;
}

static int on_doc(void *user, sr_doc *doc, sr_arena *arena, sr_ctx *ctx)
{
    ing *g = user;
    g->read++;
    sr_doc_state state;
    if (sr_store_doc_state(g->s, doc, &state, ctx))
        return 1;
    int dup = seen_add(g, doc->id);
    if (dup < 0)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
    if (dup && state != SR_DOC_SAME) {
        /* The same id twice in the input with other content: two documents,
         * not a new version of one (else every re-run would swap them).
         * The second becomes ID~2 (~3, ...), the same name on every run. */
        const char *base = doc->id;
        for (int k = 2; state != SR_DOC_SAME && k < 1000; k++) {
            snprintf(g->idbuf, sizeof g->idbuf, "%s~%d", base, k);
            doc->id = g->idbuf;
            if (sr_store_doc_state(g->s, doc, &state, ctx))
                return 1;
            if (state == SR_DOC_NEW || state == SR_DOC_SAME) {
                if ((dup = seen_add(g, doc->id)) < 0)
                    return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
                if (!dup)
                    break;
                state = SR_DOC_CHANGED;     /* that name is taken in this run too */
            }
        }
        sr_ctx_warn(ctx, "%s: document id '%s' already read with other content: stored as '%s'",
                    doc->origin ? doc->origin : "input", base, doc->id);
        g->renamed++;
    }
    if (state == SR_DOC_SAME) {
        g->skipped++;
        show_progress(g, 0);
        return 0;
    }
    sr_doc_result r;
    memset(&r, 0, sizeof r);
    /* The one place extraction happens: clean + text + places + events. */
    if (g->x ? sr_extract_doc(g->x, doc, arena, &r, ctx) : sr_clean_doc(doc, arena, ctx))
        return g->failed++, 1;
    /* with its paragraphs the store takes the body from them, unjoined */
    sr_buf_clear(&g->body);
    if (!doc->body && sr_clean_body_text(doc, &g->body))
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
    const sr_event *ev = r.events;
    size_t nev = r.nevents;
    evgroup *eg = find_group(g, doc->id);
    if (eg) {
        /* the file's records take the place of any extracted */
        for (size_t k = eg->lo; k < eg->hi; k++)
            g->group[k - eg->lo] = g->ev[k].e;
        ev = g->group, nev = eg->hi - eg->lo;
    }
    sr_put_info info;
    if (sr_store_put_doc(g->s, doc, doc->body ? NULL : g->body.data ? g->body.data : "", g->body.len, r.mentions,
                         r.nmentions, ev, nev, &info, ctx))
        return 1;
    if (eg)
        eg->used = 1;
    g->stored += info.stored;
    g->replaced += info.replaced;
    g->syndicated += info.origin != NULL;
    g->events += nev;
    if (++g->inbatch >= g->batch) {
        if (sr_store_commit(g->s, ctx) || sr_store_begin(g->s, ctx))
            return 1;
        g->inbatch = 0;
    }
    show_progress(g, 0);
    return 0;
}

static int cmp_evrec(const void *pa, const void *pb)
{
    const evrec *a = pa, *b = pb;
    int c = strcmp(a->e.doc, b->e.doc);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* Large buffers that are written through at once are mapped with their
 * pages made up front: on the project's VMs a page fault costs about 6
 * microseconds, and the --events file and its records (13 MB for the 20 MB
 * bench corpus, 3,000 faults) were a third of an ingest's faults.  Where
 * MAP_POPULATE is missing or the mapping fails, plain allocation. */
#ifdef MAP_POPULATE
#define POPULATE MAP_POPULATE
#else
#define POPULATE 0
#endif

static void *big_alloc(size_t n, size_t *mapped)
{
    *mapped = 0;
    void *p = n ? mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | POPULATE, -1, 0) : MAP_FAILED;
    if (p != MAP_FAILED) {
        *mapped = n;
        return p;
    }
    return malloc(n ? n : 1);
}

static void big_free(void *p, size_t mapped)
{
    if (mapped)
        munmap(p, mapped);
    else
        free(p);
}

/* A regular file as a private, writable copy (its pages read and copied
 * in one go); NULL when it cannot be mapped (then it is read). */
static char *map_file(FILE *f, size_t *len, size_t *mapped)
{
    struct stat sb;
    *mapped = 0;
    if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || sb.st_size <= 0)
        return NULL;
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | POPULATE, fileno(f), 0);
    if (p == MAP_FAILED)
        return NULL;
    *len = *mapped = (size_t)sb.st_size;
    return p;
}

/* The whole of f in one buffer (NUL-terminated, though the records'
 * reader is bounded by the lengths), *len its bytes; NULL on out of
 * memory or a read error. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1u << 16, n = 0;
    struct stat sb;
    if (!fstat(fileno(f), &sb) && S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *nb = realloc(b, 2 * cap);
        if (!nb)
            free(b);
        b = nb, cap *= 2;
    }
    if (!b || ferror(f)) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    *len = n;
    return b;
}

/* Read the records of --events FILE into g (sorted by document, grouped);
 * bad lines are reported and skipped.  1 when any line was bad or on
 * out of memory (*fatal set).  The file is read whole and its records
 * parsed in place (sr_event_from_json_in): their strings are the file's
 * bytes, kept until the end of the run, not copies. */
static int read_events(ing *g, const char *path, int *fatal)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    *fatal = 0;
    if (!f) {
        fprintf(stderr, "sitrep: error: %s: cannot open\n", path);
        return *fatal = 1;
    }
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    size_t size = 0, n = 0, lineno = 0;
    evrec *ev = NULL;
    int bad = 0;
    if (!(g->evarena = sr_arena_create(1u << 16)))
        goto oom;
    if (!(g->evtext = map_file(f, &size, &g->evtext_map)) && !(g->evtext = slurp(f, &size))) {
        if (ferror(f)) {
            fprintf(stderr, "sitrep: error: %s: cannot read\n", path);
            bad = *fatal = 1;
            goto done;
        }
        goto oom;
    }
    /* one record a line at most: the array is sized once */
    size_t nlines = 1;
    for (const char *p = g->evtext; (p = memchr(p, '\n', size - (size_t)(p - g->evtext))); p++)
        nlines++;
    if (!(ev = g->ev = big_alloc(nlines * sizeof *ev, &g->ev_map)))
        goto oom;
    for (char *line = g->evtext, *end = g->evtext + size, *nl; line < end; line = nl + 1) {
        if (!(nl = memchr(line, '\n', (size_t)(end - line))))
            nl = end;
        lineno++;
        size_t l = (size_t)(nl - line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            l--;
        if (!l)
            continue;
        if (sr_event_from_json_in(line, l, g->evarena, &ev[n].e, &ctx)) {
            if (ctx.code == SR_ENOMEM)
                goto oom;
            fprintf(stderr, "sitrep: error: %s:%zu: %s\n", path, lineno, ctx.msg);
            sr_ctx_clear(&ctx);
            bad = 1;
            continue;
        }
        ev[n++].line = lineno;
    }
    g->ev = ev, g->nev = n;
    /* `sitrep extract` writes a document's records together: each run of
     * one id is a group, found by a hash of the id (sorting 15,625 records
     * by id was a tenth of reading them).  Only a file whose runs repeat
     * an id is sorted (by id, then line) to bring its records together. */
    size_t ng = 0;
    for (size_t k = 0; k < n; k++)
        ng += !k || strcmp(ev[k].e.doc, ev[k - 1].e.doc);
    if (n && (!(g->group = malloc(n * sizeof *g->group)) || !(g->grp = calloc(ng, sizeof *g->grp))))
        goto oom;
    for (g->gcap = 16; g->gcap < 2 * ng; g->gcap *= 2)
        ;
    if (!(g->gslot = calloc(g->gcap, sizeof *g->gslot)))
        goto oom;
    for (int sorted = 0;; sorted = 1) {
        int again = 0;
        g->ngrp = 0;
        for (size_t lo = 0, hi; lo < n && !again; lo = hi) {
            for (hi = lo + 1; hi < n && !strcmp(ev[hi].e.doc, ev[lo].e.doc); hi++)
                ;
            size_t i = group_slot(g, ev[lo].e.doc);
            if (g->gslot[i]) {
                again = 1;  /* the id came before, in another run */
                break;
            }
            g->grp[g->ngrp++] = (evgroup){ev[lo].e.doc, lo, hi, 0};
            g->gslot[i] = (uint32_t)g->ngrp;
        }
        if (!again || sorted)
            break;
        memset(g->gslot, 0, g->gcap * sizeof *g->gslot);
        qsort(ev, n, sizeof *ev, cmp_evrec);
    }
    goto done;
oom:
    fprintf(stderr, "sitrep: error: out of memory\n");
    bad = *fatal = 1;
done:
    if (f != stdin)
        fclose(f);
    return bad;
}

static int cmp_group_id(const void *a, const void *b)
{
    return strcmp((*(evgroup *const *)a)->doc, (*(evgroup *const *)b)->doc);
}

/* The records of documents not read in this run (stored before) replace
 * what is stored for them, in one transaction. */
static int put_left_events(ing *g, const char *path, int quiet)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    size_t missing = 0;
    /* the documents left, by id (the order their records get row ids in) */
    evgroup **left = NULL;
    size_t nleft = 0;
    for (size_t i = 0; i < g->ngrp; i++)
        nleft += !g->grp[i].used;
    if (nleft && !(left = malloc(nleft * sizeof *left))) {
        fprintf(stderr, "sitrep: error: out of memory\n");
        return 1;
    }
    nleft = 0;
    for (size_t i = 0; i < g->ngrp; i++)
        if (!g->grp[i].used)
            left[nleft++] = &g->grp[i];
    if (nleft > 1)
        qsort(left, nleft, sizeof *left, cmp_group_id);
    if (sr_store_begin(g->s, &ctx))
        goto dberr;
    for (size_t i = 0; i < nleft; i++) {
        evgroup *eg = left[i];
        for (size_t k = eg->lo; k < eg->hi; k++)
            g->group[k - eg->lo] = g->ev[k].e;
        if (sr_store_put_events(g->s, eg->doc, g->group, eg->hi - eg->lo, &ctx)) {
            if (ctx.code != SR_ENOTFOUND)
                goto dberr;
            /* a few examples, then only the count: a file of records for
             * another corpus would otherwise print a line a document */
            if (!quiet && ++missing <= 5)
                fprintf(stderr, "sitrep: warning: %s:%zu: %s\n", path, g->ev[eg->lo].line, ctx.msg);
            sr_ctx_clear(&ctx);
        } else {
            g->events += eg->hi - eg->lo;
        }
    }
    free(left);
    left = NULL;
    if (sr_store_commit(g->s, &ctx))
        goto dberr;
    if (!quiet && missing > 5)
        fprintf(stderr, "sitrep: warning: %s: records of %zu documents not stored (ingest them first)\n", path,
                missing);
    return 0;
dberr:
    free(left);
    cli_error(&ctx);
    return 1;
}

static void refresh_progress(void *user, size_t done, size_t total)
{
    ing *g = user;
    if (g->progress)
        fprintf(stderr, "\r\033[Krefresh: %zu/%zu places%s", done, total, done == total ? "\n" : "");
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: sitrep ingest [--db FILE] [--manifest FILE] [--events FILE] [--no-extract]\n"
            "                     [--refresh-all] [--data DIR] [--batch N] [--json] [--quiet] [INPUT...]\n\n"
            "Stores documents (.txt, .html, .jsonl, optionally .gz, or - for standard input),\n"
            "their cleaned text, place mentions and event records in a SQLite database, then\n"
            "fuses the records of all documents into facts and control timelines.\n"
            "A document already stored with the same id and content is skipped; one with the\n"
            "same id and other content replaces the old version.\n\n"
            "  --db FILE       the database (default: $SITREP_DB, else ./%s)\n"
            "  --manifest FILE metadata of .txt inputs (JSON lines: file, id, published, source, url, title)\n"
            "  --events FILE   event records as `sitrep extract` writes them (JSON lines); each\n"
            "                  document's records replace those stored for it\n"
            "  --no-extract    store the documents without extracting events\n"
            "  --refresh-all   rebuild the facts and timelines of every place, not only of\n"
            "                  those this run changed (after an upgrade of sitrep)\n"
            "  --data DIR      compiled data for extraction (default: the built-in location)\n"
            "  --batch N       documents per transaction (default 1000)\n"
            "  --json          the summary as one JSON object on stdout: read, stored, replaced,\n"
            "                  already_stored, syndicated, records, failed, places_refreshed, db,\n"
            "                  bytes, seconds\n"
            "  --quiet         no progress, summary or warnings on stderr\n"
            "A progress line is shown when standard error is a terminal.\n"
            "Exit status: 0 when every document was stored, 1 when any failed, 2 on usage errors.\n",
            SR_STORE_DEFAULT);
}

int cmd_ingest(int argc, char **argv)
{
    cli_docopts o = {0};
    const char *db = NULL, *events = NULL, *data = NULL;
    int noextract = 0, refresh_all = 0, json = 0;
    long batch = 1000;
    char **inputs = argv + 1;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        int r = cli_docopt(argc, argv, &i, &o);
        if (r < 0)
            return 2;
        if (r && o.jobs) {
            /* one process writes the database: workers forked with the
             * SQLite handle would corrupt it */
            fprintf(stderr, "sitrep ingest: --jobs is for clean, places and extract; ingest writes with one process\n");
            return 2;
        }
        if (r)
            continue;
        if (!strcmp(a, "--db") || !strcmp(a, "--events") || !strcmp(a, "--data") || !strcmp(a, "--batch")) {
            const char *v = storecli_arg(argc, argv, &i, "ingest");
            if (!v)
                return 2;
            if (!strcmp(a, "--db"))
                db = v;
            else if (!strcmp(a, "--events"))
                events = v;
            else if (!strcmp(a, "--data"))
                data = v;
            else if ((batch = strtol(v, NULL, 10)) < 1) {
                fprintf(stderr, "sitrep ingest: --batch needs a positive number\n");
                return 2;
            }
        } else if (!strcmp(a, "--no-extract")) {
            noextract = 1;
        } else if (!strcmp(a, "--refresh-all")) {
            refresh_all = 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sitrep ingest: unknown option '%s'\n", a);
            return 2;
        } else {
            inputs[n++] = argv[i];
        }
    }
    if (!n && !events && !refresh_all) {
        usage(stderr);
        return 2;
    }
    db = storecli_db_path(db);
    cli_prefault(inputs, n, &o);
    ing g;
    memset(&g, 0, sizeof g);
    sr_buf_init(&g.body);
    g.batch = (size_t)batch;
    g.progress = !o.quiet && isatty(2);
    if (g.progress)
        g.total = count_docs(inputs, n);
    g.t0 = g.tlast = now();
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    ctx.warn = cli_warn_stderr; /* an unusable gazetteer image is said */
    ctx.warn_user = &o;
    int rc = 0;
    if (sr_store_open(&g.s, db, 0, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    if (n && !noextract && sr_extractor_open(&g.x, data, &ctx)) {
        cli_error(&ctx);
        fprintf(stderr, "sitrep ingest: use --no-extract to store documents without events\n");
        sr_store_close(g.s);
        return 1;
    }
    int evfatal = 0;
    if (events && read_events(&g, events, &evfatal))
        rc = 1;
    if (n) {
        if (sr_store_begin(g.s, &ctx)) {
            cli_error(&ctx);
            rc = 1;
            goto done;
        }
        int r = cli_each_doc(inputs, n, &o, on_doc, &g);
        if (r)
            rc = r;
        if (sr_store_commit(g.s, &ctx)) {
            cli_error(&ctx);
            rc = 1;
            goto done;
        }
        show_progress(&g, 1);
    }
    if (events && !evfatal && put_left_events(&g, events, o.quiet))
        rc = 1;
    size_t nplaces = 0;
    if (refresh_all && sr_store_mark_all(g.s, &ctx)) {
        cli_error(&ctx);
        rc = 1;
        goto done;
    }
    if (sr_store_refresh(g.s, refresh_progress, &g, &nplaces, &ctx)) {
        cli_error(&ctx);
        rc = 1;
        goto done;
    }
    if (!o.quiet || json) {
        /* the size once the store is closed (its write-ahead log folded in) */
        sr_store_close(g.s);
        g.s = NULL;
        double el = now() - g.t0;
        struct stat sb;
        long long bytes = stat(db, &sb) ? 0 : (long long)sb.st_size;
        if (json) {
            sr_buf b;
            sr_buf_init(&b);
            sr_buf_addf(&b,
                        "{\"read\":%zu,\"stored\":%zu,\"replaced\":%zu,\"already_stored\":%zu,\"syndicated\":%zu,"
                        "\"records\":%zu,\"failed\":%zu,\"places_refreshed\":%zu,\"db\":",
                        g.read, g.stored, g.replaced, g.skipped, g.syndicated, g.events, g.failed, nplaces);
            sr_buf_json_cstr(&b, db);
            sr_buf_addf(&b, ",\"bytes\":%lld,\"seconds\":%.3f}\n", bytes, el);
            if (!b.data || cli_write(&b)) {
                fprintf(stderr, "sitrep: error: cannot write output\n");
                rc = 1;
            }
            sr_buf_finish(&b);
        }
        if (!o.quiet)
            fprintf(stderr,
                    "sitrep ingest: %zu read, %zu stored (%zu replaced), %zu already stored, %zu syndicated copies, "
                    "%zu records, %zu places refreshed; %s %.1f MB; %.2f s, %.0f docs/s\n",
                    g.read, g.stored, g.replaced, g.skipped, g.syndicated, g.events, nplaces, db,
                    bytes / 1048576.0, el, el > 0 ? g.read / el : 0.0);
    }
done:
    big_free(g.ev, g.ev_map);
    free(g.grp);
    free(g.gslot);
    free(g.group);
    sr_arena_destroy(g.evarena);
    big_free(g.evtext, g.evtext_map);
    for (size_t i = 0; i < g.cseen; i++)
        sr_free(g.seen[i]);
    sr_free(g.seen);
    sr_extractor_close(g.x);
    sr_store_close(g.s);
    sr_buf_finish(&g.body);
    return rc;
}
