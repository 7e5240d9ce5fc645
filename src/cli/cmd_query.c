/* cmd_query.c — the questions: `sitrep control`, `timeline`, `held-by`,
 * `events` and `stats`, each as text for people or --json for programs.
 * They open the database read-only and never change it. */
#include "cli/storecli.h"
#include "fuse/fuse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Options every query understands. */
typedef struct qopts {
    const char *db, *place, *actor, *type, *from, *to, *at, *by, *format;
    int json;
    size_t limit;
    const char *pos[4];
    int npos;
} qopts;

/* Parse argv; returns 0 on success, 2 on a usage error, 1 after --help. */
static int parse(int argc, char **argv, const char *cmd, const char *help, qopts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return 1;
        }
        if (!strcmp(a, "--json")) {
            o->json = 1;
            continue;
        }
        if (!strcmp(a, "--db"))
            slot = &o->db;
        else if (!strcmp(a, "--place"))
            slot = &o->place;
        else if (!strcmp(a, "--actor"))
            slot = &o->actor;
        else if (!strcmp(a, "--type"))
            slot = &o->type;
        else if (!strcmp(a, "--from"))
            slot = &o->from;
        else if (!strcmp(a, "--to"))
            slot = &o->to;
        else if (!strcmp(a, "--at"))
            slot = &o->at;
        else if (!strcmp(a, "--by"))
            slot = &o->by;
        else if (!strcmp(a, "--format"))
            slot = &o->format;
        else if (!strcmp(a, "--limit")) {
            const char *v = storecli_arg(argc, argv, &i, cmd);
            if (!v)
                return 2;
            o->limit = (size_t)strtoul(v, NULL, 10);
            continue;
        }
        if (slot) {
            if (!(*slot = storecli_arg(argc, argv, &i, cmd)))
                return 2;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sitrep %s: unknown option '%s'\n", cmd, a);
            return 2;
        }
        if (o->npos == 4) {
            fprintf(stderr, "sitrep %s: too many arguments\n", cmd);
            return 2;
        }
        o->pos[o->npos++] = a;
    }
    const char *dates[] = {o->from, o->to, o->at};
    for (int k = 0; k < 3; k++) {
        sr_day d;
        if (dates[k] && sr_day_parse(dates[k], &d, NULL)) {
            fprintf(stderr, "sitrep %s: '%s' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)\n", cmd, dates[k]);
            return 2;
        }
    }
    return 0;
}

/* A YYYY or YYYY-MM date as the day a range starts (from) or ends (to). */
static const char *full_date(const char *d, int end, char buf[11])
{
    sr_day day;
    sr_prec p;
    if (!d || sr_day_parse(d, &day, &p))
        return d;
    if (end && p != SR_PREC_DAY) {
        char nx[16];
        int y = atoi(d), m = p == SR_PREC_MONTH ? atoi(d + 5) : 12;
        snprintf(nx, sizeof nx, "%04d-%02d", (m == 12 ? y + 1 : y) % 10000, (m == 12 ? 1 : m + 1) % 100);
        sr_day_parse(nx, &day, NULL);
        day--;
    }
    sr_day_format(day, buf);
    return buf;
}

static const char *today(char buf[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
    return buf;
}

/* Open store + arena and resolve PLACE; prints errors. */
typedef struct qrun {
    sr_store *s;
    sr_arena *a;
    sr_gaz *g;
    sr_ctx ctx;
    sr_buf out;
} qrun;

static int qopen(qrun *q, const qopts *o)
{
    memset(q, 0, sizeof *q);
    sr_ctx_init(&q->ctx);
    sr_buf_init(&q->out);
    if (!(q->s = storecli_open_query(storecli_db_path(o->db))))
        return 1;
    if (!(q->a = sr_arena_create(1u << 16))) {
        fprintf(stderr, "sitrep: error: out of memory\n");
        return 1;
    }
    return 0;
}

static int qclose(qrun *q, int rc)
{
    if (!rc && cli_write(&q->out)) {
        fprintf(stderr, "sitrep: error: cannot write output\n");
        rc = 1;
    }
    sr_buf_finish(&q->out);
    sr_arena_destroy(q->a);
    sr_gaz_close(q->g);
    sr_store_close(q->s);
    return rc;
}

static int find_place(qrun *q, const char *name, sr_store_place *p)
{
    if (!q->g)
        q->g = storecli_gazetteer();
    if (sr_store_find_place(q->s, q->g, name, q->a, p, &q->ctx)) {
        cli_error(&q->ctx);
        return 1;
    }
    return 0;
}

static int find_actor(qrun *q, const char *name, const char **id, const char **nm)
{
    if (sr_store_find_actor(q->s, name, q->a, id, nm, &q->ctx)) {
        cli_error(&q->ctx);
        return 1;
    }
    return 0;
}

static const char *status_of(const sr_store_span *sp)
{
    return !sp->holder ? "unknown" : sp->contested ? "contested" : "held";
}

static int json_sources(sr_buf *b, const char *key, const sr_store_source *x, size_t n)
{
    int bad = sr_buf_addf(b, ",\"%s\":[", key);
    for (size_t i = 0; !bad && i < n; i++)
        bad = (i && sr_buf_addc(b, ',')) || storecli_json_source(b, &x[i]);
    return bad || sr_buf_addc(b, ']');
}

/* One span as JSON members (no braces): holder, since, until, status, ... */
static int json_span_members(sr_buf *b, const sr_store_span *sp, int sources)
{
    int bad = sr_buf_adds(b, "\"holder\":");
    if (sp->holder)
        bad = bad || sr_buf_adds(b, "{\"id\":") || sr_buf_json_cstr(b, sp->holder) ||
              sr_buf_adds(b, ",\"name\":") || sr_buf_json_cstr(b, sp->holder_name) || sr_buf_addc(b, '}');
    else
        bad = bad || sr_buf_adds(b, "null");
    bad = bad || sr_buf_adds(b, ",\"since\":") || sr_buf_json_cstr(b, sp->start) || sr_buf_adds(b, ",\"until\":") ||
          sr_buf_json_cstr(b, sp->end) || sr_buf_addf(b, ",\"status\":\"%s\"", status_of(sp));
    if (sp->holder)
        bad = bad || sr_buf_addf(b, ",\"how\":\"%s\",\"confidence\":%.3f,\"origins\":%u",
                                 sp->by_change ? "taken" : "first reported holding", sp->confidence, sp->norigins);
    if (sources)
        bad = bad || json_sources(b, "sources", sp->src, sp->nsrc) ||
              json_sources(b, "contrary", sp->contrary, sp->ncontrary);
    return bad;
}

static void text_source(sr_buf *b, const sr_store_source *x)
{
    sr_buf_addf(b, "    %s  %s", x->published ? x->published : "(undated)", x->doc);
    if (x->source)
        sr_buf_addf(b, " (%s)", x->source);
    if (x->origin && x->doc && strcmp(x->origin, x->doc))
        sr_buf_addf(b, " [copy of %s]", x->origin);
    sr_buf_addf(b, " %s %s %s", x->type ? x->type : "", x->actor ? x->actor : "?", x->modality ? x->modality : "");
    if (x->evidence) {
        /* the sentence on one line */
        sr_buf_adds(b, "\n      \"");
        for (const char *p = x->evidence; *p; p++)
            sr_buf_addc(b, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
        sr_buf_addc(b, '"');
    }
    sr_buf_addc(b, '\n');
}

static void text_place(sr_buf *b, const sr_store_place *p)
{
    sr_buf_adds(b, p->name ? p->name : "?");
    int coords = !isnan(p->lat) && !isnan(p->lon);
    if (!p->geonameid && !coords)
        return;     /* a name only (not in the gazetteer): no empty brackets */
    if (p->geonameid)
        sr_buf_addf(b, " (GeoNames %u", p->geonameid);
    else
        sr_buf_adds(b, " (");
    if (coords)
        sr_buf_addf(b, "%s%.3f, %.3f", p->geonameid ? "; " : "", p->lat, p->lon);
    sr_buf_addc(b, ')');
}

static void text_span(sr_buf *b, const sr_store_span *sp, int sources)
{
    sr_buf_addf(b, "  %s .. %s  %s", sp->start, sp->end ? sp->end : "now     ", sp->holder_name ? sp->holder_name : sp->holder);
    if (sp->holder_name && strcmp(sp->holder_name, sp->holder))
        sr_buf_addf(b, " [%s]", sp->holder);
    sr_buf_addf(b, "  (%s, %s, confidence %.2f, %u independent origin%s)\n", sp->by_change ? "taken" : "first reported",
                sp->contested ? "CONTESTED" : "held", sp->confidence, sp->norigins, sp->norigins == 1 ? "" : "s");
    if (!sources)
        return;
    for (size_t i = 0; i < sp->nsrc; i++)
        text_source(b, &sp->src[i]);
    if (sp->ncontrary)
        sr_buf_adds(b, "    contrary reports:\n");
    for (size_t i = 0; i < sp->ncontrary; i++)
        text_source(b, &sp->contrary[i]);
}

int cmd_control(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep control PLACE [--at DATE] [--json] [--db FILE]\n\n"
        "Who held PLACE on DATE (default: the latest known holder), since when, on which\n"
        "sources, and the reports that say otherwise.  PLACE is a GeoNames id or any\n"
        "spelling the gazetteer or the stored documents know.  --json prints one object:\n"
        "{place:{name,geonameid,lat,lon,...}, date, holder:{id,name}|null, since, until,\n"
        " status: held|contested|unknown, confidence, origins, sources:[...], contrary:[...]}\n";
    qopts o;
    int r = parse(argc, argv, "control", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    if (o.npos != 1) {
        fprintf(stderr, "usage: sitrep control PLACE [--at DATE] [--json]\n");
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    sr_store_place p;
    sr_store_span sp;
    int found;
    char d[11], t[11];
    const char *at = o.at ? full_date(o.at, 0, d) : NULL;
    if (find_place(&q, o.pos[0], &p))
        return qclose(&q, 1);
    if (p.id ? sr_store_control(q.s, &p, at, q.a, &sp, &found, &q.ctx) : (found = 0, SR_OK)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    if (!found) {
        memset(&sp, 0, sizeof sp);
        sp.place = p;
    }
    const char *date = at ? at : today(t);
    sr_buf *b = &q.out;
    if (o.json) {
        sr_buf_adds(b, "{\"place\":");
        storecli_json_place(b, &p);
        sr_buf_adds(b, ",\"date\":");
        sr_buf_json_cstr(b, date);
        sr_buf_addc(b, ',');
        json_span_members(b, &sp, 1);
        if (!found)
            sr_buf_adds(b, ",\"sources\":[],\"contrary\":[]");
        sr_buf_adds(b, "}\n");
    } else {
        text_place(b, &p);
        sr_buf_addf(b, " on %s:\n", date);
        if (!found)
            sr_buf_adds(b, "  no holder known\n");
        else
            text_span(b, &sp, 1);
    }
    return qclose(&q, 0);
}

int cmd_timeline(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep timeline PLACE [--json] [--db FILE]\n\n"
        "The holders of PLACE over time: each with start and end dates, how the span\n"
        "began (taken, or first reported holding), confidence, independent origins, the\n"
        "records behind it and the contrary reports.  --json prints one object:\n"
        "{place:{...}, spans:[{holder, since, until, status, confidence, origins, sources, contrary}]}\n";
    qopts o;
    int r = parse(argc, argv, "timeline", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    if (o.npos != 1) {
        fprintf(stderr, "usage: sitrep timeline PLACE [--json]\n");
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    sr_store_place p;
    sr_store_span *sp = NULL;
    size_t n = 0;
    if (find_place(&q, o.pos[0], &p))
        return qclose(&q, 1);
    if (p.id && sr_store_timeline(q.s, &p, q.a, &sp, &n, &q.ctx)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    sr_buf *b = &q.out;
    if (o.json) {
        sr_buf_adds(b, "{\"place\":");
        storecli_json_place(b, &p);
        sr_buf_adds(b, ",\"spans\":[");
        for (size_t i = 0; i < n; i++) {
            sr_buf_adds(b, i ? ",{" : "{");
            json_span_members(b, &sp[i], 1);
            sr_buf_addc(b, '}');
        }
        sr_buf_adds(b, "]}\n");
    } else {
        text_place(b, &p);
        sr_buf_addf(b, ": %zu span%s of control\n", n, n == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            text_span(b, &sp[i], 1);
    }
    return qclose(&q, 0);
}

int cmd_heldby(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep held-by ACTOR --at DATE [--json] [--db FILE]\n\n"
        "The places ACTOR (an id such as ISIS, a name, or words used in the documents)\n"
        "held on DATE, largest population first, with the total population where known.\n";
    qopts o;
    int r = parse(argc, argv, "held-by", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    if (o.npos != 1 || !o.at) {
        fprintf(stderr, "usage: sitrep held-by ACTOR --at DATE [--json]\n");
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    const char *id, *name;
    char d[11];
    const char *at = full_date(o.at, 0, d);
    sr_store_span *sp;
    size_t n;
    if (find_actor(&q, o.pos[0], &id, &name))
        return qclose(&q, 1);
    if (sr_store_held_by(q.s, id, at, q.a, &sp, &n, &q.ctx)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    long long pop = 0;
    for (size_t i = 0; i < n; i++)
        pop += sp[i].place.population;
    sr_buf *b = &q.out;
    if (o.json) {
        sr_buf_adds(b, "{\"actor\":{\"id\":");
        sr_buf_json_cstr(b, id);
        sr_buf_adds(b, ",\"name\":");
        sr_buf_json_cstr(b, name);
        sr_buf_adds(b, "},\"date\":");
        sr_buf_json_cstr(b, at);
        sr_buf_addf(b, ",\"count\":%zu,\"population\":%lld,\"places\":[", n, pop);
        for (size_t i = 0; i < n; i++) {
            sr_buf_adds(b, i ? ",{\"place\":" : "{\"place\":");
            storecli_json_place(b, &sp[i].place);
            sr_buf_addc(b, ',');
            json_span_members(b, &sp[i], 0);
            sr_buf_addc(b, '}');
        }
        sr_buf_adds(b, "]}\n");
    } else {
        sr_buf_addf(b, "%s [%s] on %s: %zu place%s, population %lld where known\n", name ? name : id, id, at, n,
                    n == 1 ? "" : "s", pop);
        for (size_t i = 0; i < n; i++) {
            sr_buf_adds(b, "  ");
            text_place(b, &sp[i].place);
            if (sp[i].place.population)
                sr_buf_addf(b, "  pop. %lld", (long long)sp[i].place.population);
            sr_buf_addf(b, "  since %s%s\n", sp[i].start, sp[i].contested ? "  CONTESTED" : "");
        }
    }
    return qclose(&q, 0);
}

typedef struct evout {
    sr_buf *b;
    int json;
} evout;

/* Large answers go out as they come rather than all at the end. */
static int flush_big(sr_buf *b)
{
    if (b->len < (1u << 20))
        return 0;
    int bad = cli_write(b);
    sr_buf_clear(b);
    return bad;
}

static int on_fact(void *user, const sr_store_fact *f)
{
    evout *e = user;
    if (flush_big(e->b))
        return 1;
    if (e->json)
        return storecli_json_fact(e->b, f) || sr_buf_addc(e->b, '\n');
    return storecli_text_fact(e->b, f);
}

/* The filter of events/export from the options; 1 on error (printed). */
int storecli_filter(qrun *q, const qopts *o, sr_store_filter *f, char from[11], char to[11]);
int storecli_filter(qrun *q, const qopts *o, sr_store_filter *f, char from[11], char to[11])
{
    memset(f, 0, sizeof *f);
    if (o->place) {
        sr_store_place p;
        if (find_place(q, o->place, &p))
            return 1;
        f->place = p.id ? p.id : -1;
    }
    if (o->actor) {
        const char *name;
        if (find_actor(q, o->actor, &f->actor, &name))
            return 1;
    }
    f->type = o->type;
    f->from = full_date(o->from, 0, from);
    f->to = full_date(o->to, 1, to);
    f->limit = o->limit;
    return 0;
}

int cmd_events(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep events [--place P] [--actor A] [--type T] [--from D] [--to D]\n"
        "                     [--limit N] [--json] [--db FILE]\n\n"
        "Fused events (facts): records of several documents that state the same thing,\n"
        "with their number of records, independent origins, confidence and whether another\n"
        "fact contradicts them.  --actor matches the actor or the target.  Dates may be\n"
        "YYYY-MM-DD, YYYY-MM or YYYY.  --json prints one object a line.\n";
    qopts o;
    int r = parse(argc, argv, "events", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    if (o.npos) {
        fprintf(stderr, "sitrep events: unexpected argument '%s'\n", o.pos[0]);
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    sr_store_filter f;
    char from[11], to[11];
    if (storecli_filter(&q, &o, &f, from, to))
        return qclose(&q, 1);
    evout e = {&q.out, o.json};
    if (sr_store_facts(q.s, &f, on_fact, &e, &q.ctx)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    return qclose(&q, 0);
}

int cmd_stats(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep stats --actor A [--by month] [--json] [--db FILE]\n\n"
        "Places and known population held by actor A at the end of each month, from its\n"
        "first known holding to the latest date in the store, and that population as a\n"
        "share of its peak.  Countries and administrative areas are not counted.\n";
    qopts o;
    int r = parse(argc, argv, "stats", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    if (!o.actor || o.npos) {
        fprintf(stderr, "usage: sitrep stats --actor A [--by month] [--json]\n");
        return 2;
    }
    if (o.by && strcmp(o.by, "month")) {
        fprintf(stderr, "sitrep stats: --by supports 'month' only\n");
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    const char *id, *name;
    sr_store_month *m;
    size_t n;
    if (find_actor(&q, o.actor, &id, &name))
        return qclose(&q, 1);
    if (sr_store_stats(q.s, id, q.a, &m, &n, &q.ctx)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    /* The share of the peak: the figure behind "has lost 90 percent of its
     * territory" (population, the measure the store knows for places). */
    int64_t peak = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].population > peak)
            peak = m[i].population;
    sr_buf *b = &q.out;
    if (o.json) {
        sr_buf_adds(b, "{\"actor\":{\"id\":");
        sr_buf_json_cstr(b, id);
        sr_buf_adds(b, ",\"name\":");
        sr_buf_json_cstr(b, name);
        sr_buf_adds(b, "},\"by\":\"month\",\"rows\":[");
        for (size_t i = 0; i < n; i++)
            sr_buf_addf(b, "%s{\"month\":\"%s\",\"places\":%u,\"population\":%lld,\"of_peak\":%.3f}", i ? "," : "",
                        m[i].month, m[i].places, (long long)m[i].population,
                        peak ? (double)m[i].population / peak : 0.0);
        sr_buf_adds(b, "]}\n");
    } else {
        sr_buf_addf(b, "%s [%s]: places and population held at the end of each month\n", name ? name : id, id);
        sr_buf_adds(b, "month    places  population  of peak\n");
        for (size_t i = 0; i < n; i++)
            sr_buf_addf(b, "%s  %6u  %10lld  %6.1f%%\n", m[i].month, m[i].places, (long long)m[i].population,
                        peak ? 100.0 * m[i].population / peak : 0.0);
    }
    return qclose(&q, 0);
}

/* ---- export --------------------------------------------------------- */

typedef struct exout {
    sr_buf *b;
    int fmt;        /* 0 jsonl, 1 geojson, 2 csv */
    size_t n;
} exout;

static void csv_field(sr_buf *b, const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\n\r")) {
        sr_buf_addc(b, '"');
        for (; *s; s++) {
            if (*s == '"')
                sr_buf_addc(b, '"');
            sr_buf_addc(b, *s);
        }
        sr_buf_addc(b, '"');
    } else {
        sr_buf_adds(b, s);
    }
    sr_buf_addc(b, last ? '\n' : ',');
}

/* ACLED's event types for sitrep's kinds. */
static void acled_type(const sr_store_fact *f, const char **type, const char **sub)
{
    const char *t = f->type;
    *type = "Strategic developments", *sub = "Other";
    if (!strcmp(t, "control_change")) {
        int gov = f->actor && (strstr(f->actor, "GOV") || strstr(f->actor, "ARMY"));
        *type = "Battles", *sub = gov ? "Government regains territory" : "Non-state actor overtakes territory";
    } else if (!strcmp(t, "control_state")) {
        *sub = "Headquarters or base established";
    } else if (!strcmp(t, "clash") || !strcmp(t, "siege")) {
        *type = "Battles", *sub = "Armed clash";
    } else if (!strcmp(t, "airstrike")) {
        *type = "Explosions/Remote violence", *sub = "Air/drone strike";
    } else if (!strcmp(t, "attack")) {
        *type = "Violence against civilians", *sub = "Attack";
    } else if (!strcmp(t, "agreement") || !strcmp(t, "negotiation")) {
        *sub = "Agreement";
    } else if (!strcmp(t, "surrender")) {
        *sub = "Non-violent transfer of territory";
    }
}

static int on_export(void *user, const sr_store_fact *f)
{
    exout *e = user;
    sr_buf *b = e->b;
    if (flush_big(b))
        return 1;
    if (e->fmt == 0)
        return storecli_json_fact(b, f) || sr_buf_addc(b, '\n');
    if (e->fmt == 1) {
        if (isnan(f->place.lat) || isnan(f->place.lon))
            return 0;   /* a point needs coordinates */
        sr_buf_adds(b, e->n++ ? ",\n" : "\n");
        sr_buf_addf(b, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.5f,%.5f]},"
                       "\"properties\":",
                    f->place.lon, f->place.lat);
        return storecli_json_fact(b, f) || sr_buf_addc(b, '}');
    }
    const char *type, *sub;
    acled_type(f, &type, &sub);
    char lat[32] = "", lon[32] = "", notes[512];
    if (!isnan(f->place.lat))
        snprintf(lat, sizeof lat, "%.4f", f->place.lat), snprintf(lon, sizeof lon, "%.4f", f->place.lon);
    sr_buf src;
    sr_buf_init(&src);
    for (size_t i = 0; i < f->nsrc; i++) {
        const char *s = f->src[i].source ? f->src[i].source : f->src[i].doc;
        if (!strstr(src.data ? src.data : "", s))
            sr_buf_addf(&src, "%s%s", src.len ? "; " : "", s);
    }
    snprintf(notes, sizeof notes, "sitrep %s%s%s; %u record(s), %u independent origin(s), confidence %.2f%s",
             f->type, f->target ? " from " : "", f->target ? f->target : "", f->nsources, f->norigins,
             f->confidence, f->contested ? "; contested" : "");
    csv_field(b, f->date_first, 0);
    csv_field(b, type, 0);
    csv_field(b, sub, 0);
    csv_field(b, f->actor_name ? f->actor_name : f->actor, 0);
    csv_field(b, f->target_name ? f->target_name : f->target, 0);
    csv_field(b, f->place.name, 0);
    csv_field(b, lat, 0);
    csv_field(b, lon, 0);
    csv_field(b, src.data, 0);
    csv_field(b, notes, 1);
    sr_buf_finish(&src);
    e->n++;
    return 0;
}

int cmd_export(int argc, char **argv)
{
    static const char help[] =
        "usage: sitrep export --format jsonl|geojson|csv [--place P] [--actor A] [--type T]\n"
        "                     [--from D] [--to D] [--db FILE]\n\n"
        "All fused events (or those matching the filters, as for `sitrep events`):\n"
        "  jsonl    one fact a line, with its sources and evidence\n"
        "  geojson  a FeatureCollection of points (facts whose place has coordinates)\n"
        "  csv      ACLED-like columns: event_date, event_type, sub_event_type, actor1,\n"
        "           actor2, location, latitude, longitude, source, notes\n";
    qopts o;
    int r = parse(argc, argv, "export", help, &o);
    if (r)
        return r == 1 ? 0 : 2;
    int fmt = !o.format ? -1 : !strcmp(o.format, "jsonl") ? 0 : !strcmp(o.format, "geojson") ? 1
                               : !strcmp(o.format, "csv")   ? 2 : -1;
    if (fmt < 0 || o.npos) {
        fprintf(stderr, "usage: sitrep export --format jsonl|geojson|csv [filters]\n");
        return 2;
    }
    qrun q;
    if (qopen(&q, &o))
        return qclose(&q, 1);
    sr_store_filter f;
    char from[11], to[11];
    if (storecli_filter(&q, &o, &f, from, to))
        return qclose(&q, 1);
    exout e = {&q.out, fmt, 0};
    if (fmt == 1)
        sr_buf_adds(&q.out, "{\"type\":\"FeatureCollection\",\"features\":[");
    if (fmt == 2)
        sr_buf_adds(&q.out, "event_date,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,source,notes\n");
    if (sr_store_facts(q.s, &f, on_export, &e, &q.ctx)) {
        cli_error(&q.ctx);
        return qclose(&q, 1);
    }
    if (fmt == 1)
        sr_buf_adds(&q.out, "\n]}\n");
    return qclose(&q, 0);
}
