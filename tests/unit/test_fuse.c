/* test_fuse.c — dates, syndicated copies, fusion and the control timeline
 * on records written for the test (conflicts, out-of-order reports,
 * precision-dependent windows). */
#include "fuse/fuse.h"
#include "ingest/doc.h"
#include "t.h"

#include <math.h>

static sr_event ev(const char *doc, const char *type, const char *actor, const char *place, uint32_t gid,
                   const char *date, const char *prec, const char *mod, double conf)
{
    sr_event e = {0};
    e.doc = doc;
    e.type = type;
    e.actor.id = actor;
    e.actor.name = actor;
    e.place.name = place;
    e.place.geonameid = gid;
    e.place.lat = e.place.lon = NAN;
    e.date = date;
    e.date_text = date ? "(the words that gave it)" : NULL;
    e.precision = prec;
    e.modality = mod;
    e.confidence = conf;
    return e;
}

static void test_dates(void)
{
    sr_day d, d2;
    sr_prec p;
    char buf[11];
    T_EQ_INT(sr_day_parse("1970-01-01", &d, &p), SR_OK);
    T_EQ_INT(d, 0);
    T_EQ_INT(p, SR_PREC_DAY);
    T_EQ_INT(sr_day_parse("2017-11-03", &d, NULL), SR_OK);
    sr_day_format(d, buf);
    T_EQ_STR(buf, "2017-11-03");
    T_EQ_INT(sr_day_parse("2016-03-01", &d2, NULL), SR_OK);
    T_EQ_INT(sr_day_parse("2016-02-29", &d, NULL), SR_OK);
    T_EQ_INT(d2 - d, 1);
    T_EQ_INT(sr_day_parse("2017-11", &d, &p), SR_OK);
    T_EQ_INT(p, SR_PREC_MONTH);
    sr_day_format(d, buf);
    T_EQ_STR(buf, "2017-11-01");
    T_EQ_INT(sr_day_parse("2017", &d, &p), SR_OK);
    T_EQ_INT(p, SR_PREC_YEAR);
    T_EQ_INT(sr_day_parse("2017-13-01", &d, NULL), SR_EFORMAT);
    T_EQ_INT(sr_day_parse("2017-02-30", &d, NULL), SR_EFORMAT);
    T_EQ_INT(sr_day_parse("17-1-1", &d, NULL), SR_EFORMAT);
    /* every day of years 1..9999 formats and parses back to itself */
    sr_day lo, hi;
    sr_day_parse("0001-01-01", &lo, NULL);
    sr_day_parse("9999-12-31", &hi, NULL);
    int round = 1;
    for (sr_day z = lo; z <= hi && round; z++) {
        sr_day back;
        sr_day_format(z, buf);
        round = strlen(buf) == 10 && !sr_day_parse(buf, &back, NULL) && back == z;
    }
    T_CHECK(round);
    T_EQ_INT(sr_day_parse(NULL, &d, NULL), SR_EARG);
    T_CHECK(sr_fuse_window(SR_PREC_DAY) < sr_fuse_window(SR_PREC_WEEK));
    T_CHECK(sr_fuse_window(SR_PREC_MONTH) < sr_fuse_window(SR_PREC_YEAR));
    T_EQ_INT(sr_prec_parse("month"), SR_PREC_MONTH);
    T_EQ_INT(sr_prec_parse(NULL), SR_PREC_DAY);
}

/* The signature as first written (byte tests, modulo ring): the faster
 * sr_minhash_text must give the same bins, or stored signatures and band
 * keys of older files would no longer meet new ones. */
static uint64_t ref_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static int ref_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static void ref_add(sr_minhash *out, uint64_t h)
{
    unsigned bin = (unsigned)(h >> 58) % SR_MINHASH_N;
    uint32_t v = (uint32_t)h;
    if (v == UINT32_MAX)
        v--;
    if (v < out->v[bin])
        out->v[bin] = v;
}

static void ref_minhash(const char *text, size_t len, sr_minhash *out)
{
    for (int i = 0; i < SR_MINHASH_N; i++)
        out->v[i] = UINT32_MAX;
    uint64_t win[5] = {0};
    size_t nw = 0, i = 0;
    while (i < len) {
        while (i < len && !ref_word((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        uint64_t h = 0xcbf29ce484222325ull;
        while (i < len && ref_word((unsigned char)text[i])) {
            unsigned char c = (unsigned char)text[i++];
            if (c >= 'A' && c <= 'Z')
                c += 32;
            h = (h ^ c) * 0x100000001b3ull;
        }
        win[nw % 5] = h;
        nw++;
        if (nw < 5)
            continue;
        uint64_t s = 0;
        for (size_t k = 0; k < 5; k++)
            s = (s ^ win[(nw - 5 + k) % 5]) * 0x9e3779b97f4a7c15ull + k;
        ref_add(out, ref_mix(s));
    }
    if (nw && nw < 5) {
        uint64_t s = 0;
        for (size_t k = 0; k < nw; k++)
            s = (s ^ win[k]) * 0x9e3779b97f4a7c15ull + k;
        ref_add(out, ref_mix(s));
    }
}

static void test_minhash_same(void)
{
    /* letters of both cases, digits, separators, UTF-8 (word bytes), and
     * the bytes next to the ranges' ends (@ [ ` { / :) */
    static const char alphabet[] = "abcXYZ019 .,-'\n\t\xc3\xa9\xd8\xa7!@[`{/:AzZa";
    static char text[9000];
    uint64_t r = 42;
    int same = 1;
    for (int t = 0; t < 4000 && same; t++) {
        size_t n = (size_t)(t % 600);
        /* now and then long texts and long words: across blocks, longer
         * than a block */
        int sep_odds = 0;
        if (t % 97 == 0)
            n = 4000 + (size_t)t % 5000, sep_odds = t % 2 ? 2000 : 9;
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            unsigned x = (unsigned)(r >> 33);
            text[i] = sep_odds ? (x % (unsigned)sep_odds == 0 ? ' ' : "qRst\xc3\xa9"[x % 6])
                               : alphabet[x % (sizeof alphabet - 1)];
        }
        sr_minhash a, b;
        sr_minhash_text(text, n, &a);
        ref_minhash(text, n, &b);
        same = !memcmp(&a, &b, sizeof a);
    }
    T_CHECK(same);
    /* one word longer than a block, alone and between others */
    memset(text, 'q', 8500);
    sr_minhash a, b;
    sr_minhash_text(text, 8500, &a);
    ref_minhash(text, 8500, &b);
    T_CHECK(!memcmp(&a, &b, sizeof a));
    memcpy(text, "one two ", 8);
    memcpy(text + 8490, " three", 6);
    sr_minhash_text(text, 8496, &a);
    ref_minhash(text, 8496, &b);
    T_CHECK(!memcmp(&a, &b, sizeof a));
}

/* Real prose (the FA-KES articles, read from ../shared when it is there;
 * nothing of it is kept here): slices of every length up to a few blocks,
 * at odd offsets, so that the four streams and the block ends of the fast
 * path fall inside words, between them and on multi-byte characters. */
static void test_minhash_real(void)
{
    FILE *f = fopen("../shared/corpus/fa-kes/fakes.csv", "rb");
    if (!f) {
        fprintf(stderr, "test_fuse: ../shared not present, real-text MinHash check skipped\n");
        return;
    }
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    unsigned long long r = 7;
    int same = 1;
    for (int t = 0; t < 3000 && same && n > 0; t++) {
        size_t len = t < 2000 ? (size_t)t * 3 : (size_t)(t_rand(&r) % 9000);
        size_t at = (size_t)(t_rand(&r) % n);
        if (len > n - at)
            len = n - at;
        sr_minhash a, b;
        sr_minhash_text(text + at, len, &a);
        ref_minhash(text + at, len, &b);
        same = !memcmp(&a, &b, sizeof a);
    }
    T_CHECK(same);
    /* the whole of it at once */
    sr_minhash a, b;
    sr_minhash_text(text, n, &a);
    ref_minhash(text, n, &b);
    T_CHECK(!memcmp(&a, &b, sizeof a));
}

/* The signature of paragraphs taken one by one equals that of the same
 * paragraphs joined by a blank line (how the store's body is made), words
 * and shingles running on across the breaks; empty paragraphs, paragraphs
 * that start or end mid-word in the text, none at all. */
static void test_minhash_segs(void)
{
    static char text[6000], joined[20000];
    uint64_t r = 11;
    int same = 1;
    for (int t = 0; t < 2000 && same; t++) {
        size_t n = 1 + (size_t)(t * 7 % 5000);
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            static const char abc[] = "ab Cd9 e.\xc3\xa9" "f-g\nhij";
            text[i] = abc[(r >> 33) % (sizeof abc - 1)];
        }
        sr_seg segs[40];
        size_t ns = (size_t)(t % 40), jl = 0;
        for (size_t k = 0; k < ns; k++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            uint32_t a = (uint32_t)((r >> 33) % n), b = a + (uint32_t)((r >> 13) % 300);
            segs[k] = (sr_seg){a, b > n ? (uint32_t)n : b};
            if (k)
                joined[jl++] = '\n', joined[jl++] = '\n';
            memcpy(joined + jl, text + segs[k].start, segs[k].end - segs[k].start);
            jl += segs[k].end - segs[k].start;
        }
        sr_minhash a, b;
        sr_minhash_segs(text, segs, ns, &a);
        sr_minhash_text(joined, jl, &b);
        same = !memcmp(&a, &b, sizeof a);
    }
    T_CHECK(same);
}

static void test_minhash(void)
{
    const char *a = "Government troops entered the river town on Tuesday after a week of fighting, "
                    "a monitoring group said, adding that the militants withdrew to the east overnight.";
    const char *b = "GOVERNMENT troops entered the river town on Tuesday after a week of fighting, "
                    "a monitoring group said, adding that the militants withdrew to the east overnight. "
                    "Read more on our site.";
    const char *c = "The council met on Monday to discuss the budget for the new school year and "
                    "agreed to raise the teachers' pay by two percent from next spring.";
    sr_minhash ma, mb, mc, me;
    sr_minhash_text(a, strlen(a), &ma);
    sr_minhash_text(b, strlen(b), &mb);
    sr_minhash_text(c, strlen(c), &mc);
    sr_minhash_text("", 0, &me);
    T_CHECK(sr_minhash_sim(&ma, &mb) >= SR_SYNDICATED_SIM);
    T_CHECK(sr_minhash_sim(&ma, &mc) < 0.2);
    T_CHECK(sr_minhash_sim(&me, &me) == 0.0);
    T_CHECK(sr_minhash_sim(&ma, &ma) == 1.0);
    int64_t ka[SR_LSH_BANDS], kb[SR_LSH_BANDS];
    sr_minhash_bands(&ma, ka);
    sr_minhash_bands(&mb, kb);
    int shared = 0;
    for (int i = 0; i < SR_LSH_BANDS; i++) {
        shared += ka[i] == kb[i];
        T_CHECK(ka[i] >= 0);
    }
    T_CHECK(shared > 0);
}

static const sr_fact *find(const sr_fact *f, size_t n, const char *type, const char *actor, const char *place)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].rep->type, type) && !strcmp(sr_fact_holder(&f[i]), actor) &&
            !strcmp(f[i].rep->place.name, place))
            return &f[i];
    return NULL;
}

static void test_fusion(void)
{
    sr_arena *a = sr_arena_create(4096);
    sr_event e[] = {
        /* two outlets of one wire story + one independent report, out of order */
        ev("d3", "control_change", "GOV", "Rivertown", 101, "2017-11-04", "day", "asserted", 0.8),
        ev("d1", "control_change", "GOV", "Rivertown", 101, "2017-11-03", "day", "asserted", 0.9),
        ev("d2", "control_change", "GOV", "Rivertown", 101, "2017-11-03", "day", "asserted", 0.9),
        /* a week later: too far for day precision, a new fact */
        ev("d4", "control_change", "GOV", "Rivertown", 101, "2017-11-12", "day", "asserted", 0.7),
        /* month precision: joins a report two weeks off */
        ev("d5", "siege", "REB", "Hilltown", 102, "2017-11-01", "month", "asserted", 0.6),
        ev("d6", "siege", "REB", "Hilltown", 102, "2017-11-16", "day", "asserted", 0.6),
        /* a future plan is no fact */
        ev("d7", "control_change", "REB", "Rivertown", 101, "2017-11-03", "day", "future", 0.9),
        /* contested: taken by GOV, yet ISIS still holds it the same day per another source */
        ev("d8", "control_change", "GOV", "Borderville", 103, "2017-11-03", "day", "asserted", 0.9),
        ev("d9", "control_state", "ISIS", "Borderville", 103, "2017-11-03", "day", "asserted", 0.6),
    };
    size_t n = sizeof e / sizeof e[0];
    sr_fuse_rec in[sizeof e / sizeof e[0]];
    const char *origin[] = {"d3", "d1", "d1", "d4", "d5", "d6", "d7", "d8", "d9"};
    for (size_t i = 0; i < n; i++)
        in[i] = (sr_fuse_rec){&e[i], origin[i], e[i].date, (int64_t)i};
    sr_fact *f;
    size_t nf;
    T_EQ_INT(sr_fuse(in, n, a, &f, &nf), SR_OK);
    T_EQ_INT(nf, 5);
    const sr_fact *r = find(f, nf, "control_change", "GOV", "Rivertown");
    T_CHECK(r != NULL);
    if (r) {
        T_EQ_INT(r->nrecs, 3);
        T_EQ_INT(r->norigins, 2);
        char b1[11], b2[11];
        sr_day_format(r->day_first, b1);
        sr_day_format(r->day_last, b2);
        T_EQ_STR(b1, "2017-11-03");
        T_EQ_STR(b2, "2017-11-04");
        sr_day_format(r->rep_last, b2);
        T_EQ_STR(b2, "2017-11-04");
        /* two independent origins: 1 - 0.1 * 0.2 */
        T_CHECK(fabs(r->confidence - 0.98) < 1e-9);
        T_CHECK(!r->contested);
    }
    const sr_fact *s = find(f, nf, "siege", "REB", "Hilltown");
    T_CHECK(s && s->nrecs == 2 && s->prec == SR_PREC_DAY);
    const sr_fact *g = find(f, nf, "control_change", "GOV", "Borderville");
    const sr_fact *i = find(f, nf, "control_state", "ISIS", "Borderville");
    T_CHECK(g && i && g->contested && i->contested);
    if (g && i) {
        T_EQ_INT(g->nconflicts, 1);
        T_CHECK(&f[g->conflicts[0]] == i);
    }
    /* bad arguments */
    T_EQ_INT(sr_fuse(NULL, 3, a, &f, &nf), SR_EARG);
    T_EQ_INT(sr_fuse(in, 0, a, &f, &nf), SR_OK);
    T_EQ_INT(nf, 0);
    sr_arena_destroy(a);
}

/* Timeline of one place from hand-written records; returns the spans. */
static size_t timeline_of(sr_event *e, size_t n, sr_arena *a, sr_fact **facts, sr_span **sp)
{
    sr_fuse_rec in[16];
    for (size_t i = 0; i < n; i++)
        in[i] = (sr_fuse_rec){&e[i], e[i].doc, e[i].date, (int64_t)i};
    size_t nf, ns = 0;
    if (sr_fuse(in, n, a, facts, &nf) || sr_timeline(*facts, nf, a, sp, &ns))
        return (size_t)-1;
    return ns;
}

static void test_timeline(void)
{
    sr_arena *a = sr_arena_create(4096);
    sr_fact *f;
    sr_span *sp;
    char buf[11];
    sr_day d;

    /* Out of order: the later change reported first. */
    sr_event e1[] = {
        ev("a", "control_change", "SDF", "Town", 7, "2017-10-20", "day", "asserted", 0.9),
        ev("b", "control_state", "ISIS", "Town", 7, "2016-05-01", "day", "asserted", 0.8),
        ev("c", "control_change", "ISIS", "Town", 7, "2014-01-10", "day", "asserted", 0.7),
        ev("d", "control_state", "ISIS", "Town", 7, "2015-06-01", "month", "claimed", 0.8),
    };
    size_t ns = timeline_of(e1, 4, a, &f, &sp);
    T_EQ_INT(ns, 2);
    if (ns == 2) {
        T_EQ_STR(sp[0].holder, "ISIS");
        sr_day_format(sp[0].start, buf);
        T_EQ_STR(buf, "2014-01-10");
        sr_day_format(sp[0].end, buf);
        T_EQ_STR(buf, "2017-10-20");
        T_EQ_INT(sp[0].nfacts, 3);
        T_CHECK(sp[0].by_change);
        T_EQ_STR(sp[1].holder, "SDF");
        T_CHECK(sp[1].end == SR_DAY_OPEN);
        sr_day_parse("2016-01-01", &d, NULL);
        T_EQ_INT(sr_timeline_at(sp, ns, d), 0);
        sr_day_parse("2018-01-01", &d, NULL);
        T_EQ_INT(sr_timeline_at(sp, ns, d), 1);
        sr_day_parse("2013-01-01", &d, NULL);
        T_EQ_INT(sr_timeline_at(sp, ns, d), -1);
    }

    /* Contested: the taker is better attested, the contrary state is linked. */
    sr_event e2[] = {
        ev("a", "control_change", "IRAQ", "Qtown", 8, "2017-11-03", "day", "asserted", 0.9),
        ev("b", "control_change", "IRAQ", "Qtown", 8, "2017-11-03", "day", "asserted", 0.8),
        ev("c", "control_state", "ISIS", "Qtown", 8, "2017-11-03", "day", "asserted", 0.6),
        ev("d", "control_state", "ISIS", "Qtown", 8, "2017-10-01", "day", "asserted", 0.6),
    };
    ns = timeline_of(e2, 4, a, &f, &sp);
    T_EQ_INT(ns, 2);
    if (ns == 2) {
        T_EQ_STR(sp[0].holder, "ISIS");
        T_EQ_STR(sp[1].holder, "IRAQ");
        T_CHECK(sp[1].contested);
        T_EQ_INT(sp[1].nfacts, 2);   /* the change and the contrary state */
        T_CHECK(!sp[0].contested);
    }

    /* A later contrary state (outside any window) ends the span. */
    sr_event e3[] = {
        ev("a", "control_change", "GOV", "Ptown", 9, "2016-03-27", "day", "asserted", 0.9),
        ev("b", "control_state", "ISIS", "Ptown", 9, "2016-12-11", "day", "asserted", 0.7),
        ev("c", "control_state", "GOV", "Ptown", 9, "2016-06-01", "day", "asserted", 0.7),
    };
    ns = timeline_of(e3, 3, a, &f, &sp);
    T_EQ_INT(ns, 2);
    if (ns == 2) {
        T_EQ_STR(sp[0].holder, "GOV");
        T_EQ_INT(sp[0].nfacts, 2);
        sr_day_format(sp[0].end, buf);
        T_EQ_STR(buf, "2016-12-11");
        T_EQ_STR(sp[1].holder, "ISIS");
        T_CHECK(!sp[1].by_change && !sp[1].contested);
    }

    /* Same-day conflict where the contrary side is stronger: it holds. */
    sr_event e4[] = {
        ev("a", "control_change", "X", "Stown", 10, "2017-01-05", "day", "claimed", 0.5),
        ev("b", "control_state", "Y", "Stown", 10, "2017-01-05", "day", "asserted", 0.9),
        ev("c", "control_state", "Y", "Stown", 10, "2017-01-06", "day", "asserted", 0.9),
    };
    ns = timeline_of(e4, 3, a, &f, &sp);
    T_EQ_INT(ns, 1);
    if (ns == 1) {
        T_EQ_STR(sp[0].holder, "Y");
        T_CHECK(sp[0].contested);
        T_EQ_INT(sp[0].nfacts, 2);
    }
    T_EQ_INT(sr_timeline(NULL, 2, a, &sp, &ns), SR_EARG);
    sr_arena_destroy(a);
}

/* Fighting at a place against its capture: the same witness narrating the
 * battle of the capture day does not contest it; another witness that day,
 * or fighting dated after it, does; fighting before it does not. */
static void test_clash(void)
{
    sr_arena *a = sr_arena_create(4096);
    sr_event e[] = {
        ev("w1", "control_change", "IRAQ", "Ctown", 20, "2017-11-03", "day", "asserted", 0.9),
        ev("w1", "clash", "IRAQ", "Ctown", 20, "2017-11-03", "day", "asserted", 0.9),
        ev("w2", "control_change", "GOV", "Dtown", 21, "2017-11-03", "day", "asserted", 0.9),
        ev("w3", "clash", "GOV", "Dtown", 21, "2017-11-03", "day", "asserted", 0.9),
        ev("w4", "control_change", "SDF", "Etown", 22, "2017-10-17", "day", "asserted", 0.9),
        ev("w4", "clash", "SDF", "Etown", 22, "2017-10-18", "day", "asserted", 0.9),
        ev("w5", "clash", "SDF", "Ftown", 23, "2017-10-01", "day", "asserted", 0.9),
        ev("w6", "control_change", "SDF", "Ftown", 23, "2017-10-03", "day", "asserted", 0.9),
        /* the taker still attacking it the next day: contested; the loser
         * counter-attacking: not */
        ev("w7", "control_change", "IRAQ", "Gtown", 24, "2017-11-03", "day", "asserted", 0.9),
        ev("w8", "attack", "IRAQ", "Gtown", 24, "2017-11-04", "day", "asserted", 0.9),
        ev("w9", "control_change", "GOV", "Htown", 25, "2017-11-03", "day", "asserted", 0.9),
        ev("wa", "attack", "ISIS", "Htown", 25, "2017-11-04", "day", "asserted", 0.9),
    };
    size_t n = sizeof e / sizeof e[0];
    sr_fuse_rec in[sizeof e / sizeof e[0]];
    for (size_t i = 0; i < n; i++)
        in[i] = (sr_fuse_rec){&e[i], NULL, e[i].date, (int64_t)i};
    sr_fact *f;
    size_t nf;
    T_EQ_INT(sr_fuse(in, n, a, &f, &nf), SR_OK);
    const sr_fact *c = find(f, nf, "control_change", "IRAQ", "Ctown");
    T_CHECK(c && !c->contested);
    c = find(f, nf, "control_change", "GOV", "Dtown");
    T_CHECK(c && c->contested && c->nconflicts == 1);
    if (c && c->nconflicts)
        T_EQ_STR(f[c->conflicts[0]].rep->type, "clash");
    c = find(f, nf, "control_change", "SDF", "Etown");
    T_CHECK(c && c->contested);
    c = find(f, nf, "control_change", "SDF", "Ftown");
    T_CHECK(c && !c->contested);
    c = find(f, nf, "control_change", "IRAQ", "Gtown");
    T_CHECK(c && c->contested);
    c = find(f, nf, "control_change", "GOV", "Htown");
    T_CHECK(c && !c->contested);
    sr_arena_destroy(a);
}

/* Windows by precision, records without a date, syndicated copies, and the
 * modalities that are not facts. */
static void test_windows(void)
{
    sr_arena *a = sr_arena_create(4096);
    sr_event e[] = {
        /* day precision: 3 days apart is one fact, 5 days apart two */
        ev("p1", "control_change", "GOV", "Gtown", 30, "2016-03-27", "day", "asserted", 0.9),
        ev("p2", "control_change", "GOV", "Gtown", 30, "2016-03-30", "day", "asserted", 0.9),
        ev("p3", "control_change", "GOV", "Htown", 31, "2016-03-27", "day", "asserted", 0.9),
        ev("p4", "control_change", "GOV", "Htown", 31, "2016-04-01", "day", "asserted", 0.9),
        /* year precision joins a report months off */
        ev("p5", "control_state", "ISIS", "Itown", 32, "2015", "year", "asserted", 0.7),
        ev("p6", "control_state", "ISIS", "Itown", 32, "2015-07-14", "day", "asserted", 0.7),
        /* no date of its own: the publication date, known to a week */
        ev("p7", "control_state", "SDF", "Jtown", 33, NULL, NULL, "asserted", 0.8),
        ev("p8", "control_state", "SDF", "Jtown", 33, "2017-06-05", "day", "asserted", 0.8),
        /* three outlets of one wire story: one origin, no compounding */
        ev("s1", "control_change", "REB", "Ktown", 34, "2013-03-04", "day", "asserted", 0.6),
        ev("s2", "control_change", "REB", "Ktown", 34, "2013-03-04", "day", "asserted", 0.6),
        ev("s3", "control_change", "REB", "Ktown", 34, "2013-03-04", "day", "asserted", 0.6),
        /* negated, hypothetical: stored, never facts */
        ev("n1", "control_change", "REB", "Ltown", 35, "2013-03-04", "day", "negated", 0.9),
        ev("n2", "control_change", "REB", "Ltown", 35, "2013-03-04", "day", "hypothetical", 0.9),
    };
    size_t n = sizeof e / sizeof e[0];
    sr_fuse_rec in[sizeof e / sizeof e[0]];
    for (size_t i = 0; i < n; i++) {
        const char *pub = e[i].date ? e[i].date : "2017-06-01";
        const char *orig = e[i].doc[0] == 's' ? "s1" : NULL;
        in[i] = (sr_fuse_rec){&e[i], orig, pub, (int64_t)i};
    }
    in[4].published = "2015-08-01";
    sr_fact *f;
    size_t nf;
    T_EQ_INT(sr_fuse(in, n, a, &f, &nf), SR_OK);
    const sr_fact *x = find(f, nf, "control_change", "GOV", "Gtown");
    T_CHECK(x && x->nrecs == 2 && x->norigins == 2);
    size_t nh = 0;
    for (size_t i = 0; i < nf; i++)
        nh += !strcmp(f[i].rep->place.name, "Htown");
    T_EQ_INT(nh, 2);
    x = find(f, nf, "control_state", "ISIS", "Itown");
    T_CHECK(x && x->nrecs == 2 && x->prec == SR_PREC_DAY);
    x = find(f, nf, "control_state", "SDF", "Jtown");
    T_CHECK(x && x->nrecs == 2);
    x = find(f, nf, "control_change", "REB", "Ktown");
    T_CHECK(x && x->nrecs == 3 && x->norigins == 1 && fabs(x->confidence - 0.6) < 1e-9);
    T_CHECK(!find(f, nf, "control_change", "REB", "Ltown"));
    /* a day-precise date that is only the publication date: a week wide,
     * so a report four days later of a day-precise date joins it */
    sr_event u1 = ev("u1", "control_change", "SDF", "Utown", 38, "2017-10-20", "day", "asserted", 0.8);
    sr_event u2 = ev("u2", "control_change", "SDF", "Utown", 38, "2017-10-16", "day", "asserted", 0.8);
    u1.date_text = NULL;
    sr_fuse_rec ui[2] = {{&u1, NULL, "2017-10-20", 0}, {&u2, NULL, "2017-10-17", 1}};
    T_EQ_INT(sr_fuse(ui, 2, a, &f, &nf), SR_OK);
    T_EQ_INT(nf, 1);
    u1.date_text = "on Friday";
    T_EQ_INT(sr_fuse(ui, 2, a, &f, &nf), SR_OK);
    T_EQ_INT(nf, 2);
    /* a claim weighs less than a statement */
    sr_event c1 = ev("c1", "control_change", "REB", "Mtown", 36, "2013-03-04", "day", "claimed", 0.8);
    sr_event c2 = ev("c2", "control_change", "REB", "Ntown", 37, "2013-03-04", "day", "asserted", 0.8);
    sr_fuse_rec ci[2] = {{&c1, NULL, NULL, 0}, {&c2, NULL, NULL, 1}};
    T_EQ_INT(sr_fuse(ci, 2, a, &f, &nf), SR_OK);
    T_EQ_INT(nf, 2);
    if (nf == 2)
        T_CHECK(find(f, nf, "control_change", "REB", "Mtown")->confidence <
                find(f, nf, "control_change", "REB", "Ntown")->confidence);
    sr_arena_destroy(a);
}

/* The timeline does not depend on the order the reports arrive in. */
static void test_order(void)
{
    sr_arena *a = sr_arena_create(4096);
    sr_event base[] = {
        ev("a", "control_change", "ISIS", "Otown", 40, "2015-05-20", "day", "asserted", 0.9),
        ev("b", "control_state", "ISIS", "Otown", 40, "2015-09-01", "day", "asserted", 0.7),
        ev("c", "control_change", "GOV", "Otown", 40, "2016-03-27", "day", "asserted", 0.9),
        ev("d", "control_change", "GOV", "Otown", 40, "2016-03-28", "day", "claimed", 0.9),
        ev("e", "control_change", "ISIS", "Otown", 40, "2016-12-11", "day", "asserted", 0.9),
        ev("f", "clash", "GOV", "Otown", 40, "2016-12-12", "day", "asserted", 0.9),
        ev("g", "control_change", "GOV", "Otown", 40, "2017-03-02", "day", "asserted", 0.9),
    };
    enum { N = sizeof base / sizeof base[0] };
    const char *want = "ISIS 2015-05-20|GOV 2016-03-27|ISIS 2016-12-11|GOV 2017-03-02|";
    unsigned seed = 12345;
    for (int round = 0; round < 20; round++) {
        sr_event e[N];
        memcpy(e, base, sizeof e);
        for (size_t i = N - 1; i > 0; i--) {   /* Fisher-Yates with a fixed LCG */
            seed = seed * 1103515245u + 12345u;
            size_t j = (seed >> 16) % (i + 1);
            sr_event t = e[i];
            e[i] = e[j], e[j] = t;
        }
        sr_fact *f;
        sr_span *sp;
        size_t ns = timeline_of(e, N, a, &f, &sp);
        char got[256] = "", buf[11];
        for (size_t i = 0; i < ns && i < 8; i++) {
            sr_day_format(sp[i].start, buf);
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s %s|", sp[i].holder, buf);
        }
        T_EQ_STR(got, want);
        if (ns == 4)
            T_CHECK(sp[2].contested && !sp[1].contested && sp[3].end == SR_DAY_OPEN);
        sr_arena_reset(a);
    }
    sr_arena_destroy(a);
}

int main(void)
{
    test_dates();
    test_minhash();
    test_minhash_same();
    test_minhash_real();
    test_minhash_segs();
    test_fusion();
    test_timeline();
    test_clash();
    test_windows();
    test_order();
    return T_DONE();
}
