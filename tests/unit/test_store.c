/* test_store.c — the store's library interface on a real SQLite file in a
 * temporary directory: bad arguments, idempotent writes, the incremental
 * refresh (only the places a write touched are rebuilt), place and actor
 * look-up, records read back from JSON, and read-only opening. */
#include "store/store.h"
#include "t.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64], path[128];

static sr_event rec(const char *doc, const char *type, const char *actor, const char *place, uint32_t gid,
                    const char *fcode, const char *date)
{
    sr_event e = {0};
    e.doc = doc;
    e.type = type;
    e.actor.id = actor;
    e.actor.name = actor;
    e.actor.text = actor;
    e.place.name = place;
    e.place.text = place;
    e.place.geonameid = gid;
    e.place.lat = 35, e.place.lon = 38;
    snprintf(e.place.fcode, sizeof e.place.fcode, "%s", fcode);
    e.date = date;
    e.date_text = "on Sunday";
    e.precision = "day";
    e.modality = "asserted";
    e.confidence = 0.9;
    e.evidence.start = 0, e.evidence.end = 10;
    return e;
}

static sr_doc mkdoc(const char *id, const char *text, const char *pub)
{
    sr_doc d = {0};
    d.id = id;
    d.text = text;
    d.len = strlen(text);
    d.published = pub;
    d.source = "Test";
    return d;
}

static int64_t count(const char *what, sr_store *s)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store_counts c;
    if (sr_store_count(s, &c, &ctx))
        return -1;
    if (!strcmp(what, "docs"))
        return c.docs;
    if (!strcmp(what, "events"))
        return c.events;
    if (!strcmp(what, "facts"))
        return c.facts;
    if (!strcmp(what, "dirty"))
        return c.dirty;
    if (!strcmp(what, "origins"))
        return c.origins;
    return -1;
}

static void test_args(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s = (sr_store *)1;
    T_EQ_INT(sr_store_open(&s, NULL, 0, &ctx), SR_EARG);
    T_EQ_INT(sr_store_open(&s, "", 0, &ctx), SR_EARG);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.db", dir);
    T_CHECK(sr_store_open(&s, missing, SR_STORE_READONLY, &ctx) != SR_OK);
    T_CHECK(s == NULL);
    T_CHECK(access(missing, F_OK) != 0);
    sr_store_close(NULL);
}

static void test_writes(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s;
    T_EQ_INT(sr_store_open(&s, path, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_schema_version(s), SR_STORE_SCHEMA);
    sr_event e1[] = {rec("d1", "control_change", "GOV", "Tadmur", 163808, "PPLA2", "2016-03-27"),
                     rec("d1", "control_state", "ISIS", "Raqqa", 172955, "PPLA", "2016-03-27")};
    sr_event e2[] = {rec("d2", "control_change", "GOV", "Tadmur", 163808, "PPLA2", "2016-03-28")};
    sr_doc d1 = mkdoc("d1", "The army retook the town on Sunday, officials said, after weeks of fighting.",
                      "2016-03-28");
    sr_doc d2 = mkdoc("d2", "Troops entered the ancient city on Monday and began clearing mines from its streets.",
                      "2016-03-29");
    sr_put_info info;
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &d1, NULL, 0, NULL, 0, e1, 2, &info, &ctx), SR_OK);
    T_CHECK(info.stored && !info.replaced && !info.origin);
    T_EQ_INT(sr_store_put_doc(s, &d2, NULL, 0, NULL, 0, e2, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(count("dirty", s), 2);
    size_t np;
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(np, 2);
    T_EQ_INT(count("dirty", s), 0);
    T_EQ_INT(count("facts", s), 2);   /* the two reports of the retaking are one fact */

    /* the same document again: nothing written, nothing dirty */
    sr_doc_state state;
    T_EQ_INT(sr_store_doc_state(s, &d1, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_SAME);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &d1, NULL, 0, NULL, 0, e1, 2, &info, &ctx), SR_OK);
    T_CHECK(!info.stored);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(count("docs", s), 2);
    T_EQ_INT(count("dirty", s), 0);

    /* a copy of d2's story in another outlet: one origin more? no */
    sr_doc d3 = mkdoc("d3", "Troops entered the ancient city on Monday and began clearing mines from its streets.",
                      "2016-03-29");
    d3.source = "Other outlet";
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &d3, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.stored && info.origin && !strcmp(info.origin, "d2"));
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(count("origins", s), 2);

    /* incremental: new records about Raqqa only rebuild Raqqa */
    sr_event e4[] = {rec("d3", "control_change", "SDF", "Raqqa", 172955, "PPLA", "2017-10-17")};
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_events(s, "d3", e4, 1, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_events(s, "nope", e4, 1, &ctx), SR_ENOTFOUND);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(count("dirty", s), 1);
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(np, 1);

    /* a new version of d1 replaces its records */
    sr_doc d1b = mkdoc("d1", "The army retook the town on Saturday, officials said, after weeks of fighting.",
                       "2016-03-28");
    T_EQ_INT(sr_store_doc_state(s, &d1b, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_CHANGED);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &d1b, NULL, 0, NULL, 0, e1, 1, &info, &ctx), SR_OK);
    T_CHECK(info.stored && info.replaced);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(count("docs", s), 3);
    T_EQ_INT(count("events", s), 3);
    T_EQ_INT(count("dirty", s), 2);   /* Tadmur (new record) and Raqqa (record gone) */
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);

    /* the band keys of a replaced text go with it: the next document with
     * that text is the origin of its copies, not the replaced one */
    const char *old = "Rebel fighters shelled the northern district overnight and three civilians were hurt.";
    sr_doc o1 = mkdoc("o1", old, "2016-05-01");
    sr_doc o1b = mkdoc("o1", "A quite different report on the water supply of the eastern suburbs this week.",
                       "2016-05-01");
    sr_doc o2 = mkdoc("o2", old, "2016-05-02"), o3 = mkdoc("o3", old, "2016-05-03");
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &o1, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &o1b, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.replaced);
    T_EQ_INT(sr_store_put_doc(s, &o2, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.stored && !info.origin);
    T_EQ_INT(sr_store_put_doc(s, &o3, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.origin && !strcmp(info.origin, "o2"));
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    /* foreign keys are not enforced by the handle: replacing a document
     * does the cascades itself -- its band row and records go, its copies
     * become originals -- and the file's keys still hold */
    sr_doc o2b = mkdoc("o2", "Shops reopened in the old market after the ceasefire took hold in the city.",
                       "2016-05-02");
    sr_event eo = rec("o2", "clash", "ISIS", "Tadmur", 163808, "PPL", "2016-05-02");
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_events(s, "o2", &eo, 1, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &o2b, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.replaced && !info.origin);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    {
        sqlite3 *db;
        sqlite3_stmt *q;
        T_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
        T_EQ_INT(sqlite3_prepare_v2(db,
                                    "SELECT (SELECT origin IS NULL FROM doc WHERE name = 'o3'),"
                                    " (SELECT count(*) FROM band b JOIN doc d ON d.id = b.doc WHERE d.name = 'o2'),"
                                    " (SELECT count(*) FROM band WHERE doc NOT IN (SELECT id FROM doc)),"
                                    " (SELECT count(*) FROM event WHERE doc NOT IN (SELECT id FROM doc)),"
                                    " (SELECT count(*) FROM pragma_foreign_key_check)",
                                    -1, &q, NULL),
                 SQLITE_OK);
        T_EQ_INT(sqlite3_step(q), SQLITE_ROW);
        T_EQ_INT(sqlite3_column_int(q, 0), 1);
        T_EQ_INT(sqlite3_column_int(q, 1), 1);   /* the new text's keys */
        T_EQ_INT(sqlite3_column_int(q, 2), 0);
        T_EQ_INT(sqlite3_column_int(q, 3), 0);
        T_EQ_INT(sqlite3_column_int(q, 4), 0);
        sqlite3_finalize(q);
        sqlite3_close(db);
    }

    /* band keys kept in memory: a text stored by another handle between
     * two batches is still found (the map is reloaded), and so is one
     * stored outside a batch */
    const char *t2 = "Government planes struck the market town twice on Friday, a monitoring group said.";
    sr_doc w1 = mkdoc("w1", t2, "2016-06-01"), w2 = mkdoc("w2", t2, "2016-06-02");
    sr_store *s2;
    T_EQ_INT(sr_store_open(&s2, path, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s2, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s2, &w1, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_commit(s2, &ctx), SR_OK);
    sr_store_close(s2);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &w2, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.origin && !strcmp(info.origin, "w1"));
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    const char *t3 = "Aid convoys reached the besieged suburb for the first time in four months on Sunday.";
    sr_doc u1 = mkdoc("u1", t3, "2016-07-01"), u2 = mkdoc("u2", t3, "2016-07-02");
    T_EQ_INT(sr_store_put_doc(s, &u1, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &u2, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.origin && !strcmp(info.origin, "u1"));
    /* a rolled-back batch leaves no keys behind */
    const char *t4 = "The bridge over the river was blown up by retreating fighters late on Tuesday night.";
    sr_doc r1 = mkdoc("r1", t4, "2016-08-01"), r2 = mkdoc("r2", t4, "2016-08-02");
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &r1, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    sr_store_close(s);  /* rolls back */
    T_EQ_INT(sr_store_open(&s, path, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &r2, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.stored && !info.origin);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    sr_store_close(s);
}

static void test_queries(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s;
    T_EQ_INT(sr_store_open(&s, path, SR_STORE_READONLY, &ctx), SR_OK);
    sr_arena *a = sr_arena_create(4096);
    sr_store_place p;
    T_EQ_INT(sr_store_find_place(s, NULL, "163808", a, &p, &ctx), SR_OK);
    T_EQ_STR(p.name, "Tadmur");
    T_EQ_INT(sr_store_find_place(s, NULL, "tadmur", a, &p, &ctx), SR_OK);
    T_EQ_INT(p.geonameid, 163808);
    T_EQ_INT(sr_store_find_place(s, NULL, "Rakka", a, &p, &ctx), SR_OK);   /* skeleton, nearest spelling */
    T_EQ_INT(p.geonameid, 172955);
    T_EQ_INT(sr_store_find_place(s, NULL, "Nowhereville", a, &p, &ctx), SR_ENOTFOUND);
    T_EQ_INT(sr_store_find_place(s, NULL, "", a, &p, &ctx), SR_EARG);
    sr_store_span sp;
    int found;
    T_EQ_INT(sr_store_find_place(s, NULL, "Raqqa", a, &p, &ctx), SR_OK);
    T_EQ_INT(sr_store_control(s, &p, "2017-11-01", a, &sp, &found, &ctx), SR_OK);
    T_CHECK(found && !strcmp(sp.holder, "SDF"));
    T_EQ_INT(sr_store_control(s, &p, "2017-01-01", a, &sp, &found, &ctx), SR_OK);
    T_CHECK(!found && !sp.holder);
    T_EQ_INT(sr_store_control(s, &p, "2017-13-01", a, &sp, &found, &ctx), SR_EARG);
    T_EQ_INT(sr_store_find_place(s, NULL, "Tadmur", a, &p, &ctx), SR_OK);
    T_EQ_INT(sr_store_control(s, &p, "2016-04-01", a, &sp, &found, &ctx), SR_OK);
    T_CHECK(found && !strcmp(sp.holder, "GOV") && sp.norigins == 2 && sp.nsrc == 2);
    const char *id, *name;
    T_EQ_INT(sr_store_find_actor(s, "gov", a, &id, &name, &ctx), SR_OK);
    T_EQ_STR(id, "GOV");
    T_EQ_INT(sr_store_find_actor(s, "NOBODY", a, &id, &name, &ctx), SR_ENOTFOUND);
    /* a read-only handle cannot write */
    sr_doc d = mkdoc("d9", "Some text here for a document that will not be stored.", "2016-01-01");
    T_CHECK(sr_store_begin(s, &ctx) != SR_OK || sr_store_put_doc(s, &d, NULL, 0, NULL, 0, NULL, 0, NULL, &ctx) != SR_OK);
    sr_arena_destroy(a);
    sr_store_close(s);
}

static void test_json(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_arena *a = sr_arena_create(4096);
    sr_event e;
    const char *ok = "{\"doc\":\"x\",\"type\":\"control_change\",\"actor\":{\"id\":\"SDF\",\"name\":\"S\"},"
                     "\"place\":{\"name\":\"Raqqa\",\"geonameid\":172955,\"lat\":35.9,\"lon\":39.0},"
                     "\"date\":\"2017-10-17\",\"modality\":\"asserted\",\"evidence\":{\"start\":3,\"end\":9}}";
    T_EQ_INT(sr_event_from_json(ok, strlen(ok), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.actor.id, "SDF");
    T_EQ_INT(e.place.geonameid, 172955);
    T_EQ_INT(e.evidence.end, 9);
    T_EQ_INT(sr_event_from_json("{", 1, a, &e, &ctx), SR_EJSON);
    T_EQ_INT(sr_event_from_json("[1]", 3, a, &e, &ctx), SR_EFORMAT);
    T_EQ_INT(sr_event_from_json("{\"doc\":\"x\"}", 11, a, &e, &ctx), SR_EFORMAT);
    const char *gold = "{\"doc\":\"x\",\"kind\":\"control_state\",\"actor\":\"ISIS\",\"place\":\"Rawah\"}";
    T_EQ_INT(sr_event_from_json(gold, strlen(gold), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.type, "control_state");
    T_EQ_STR(e.actor.id, "ISIS");
    T_EQ_STR(e.place.name, "Rawah");
    T_CHECK(isnan(e.place.lat));
    /* escapes, UTF-8, nesting, a repeated key (the last wins, as in
     * jansson), further evidence, numbers of both kinds */
    const char *esc = "{\"doc\":\"a\\\"b\\\\c\\n\",\"type\":\"clash\",\"type\":\"siege\","
                      "\"place\":{\"name\":\"Dayr az Zawr\",\"text\":\"D\u00e9ir\",\"lat\":35,\"lon\":-4.5e1,"
                      "\"country\":\"SYR\"},\"more_evidence\":[{\"start\":1,\"end\":2},{\"start\":5,\"end\":8}],"
                      "\"confidence\":1,\"contradicted\":true,\"extra\":[null,false,{\"x\":[]}]}";
    T_EQ_INT(sr_event_from_json(esc, strlen(esc), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.doc, "a\"b\\c\n");
    T_EQ_STR(e.type, "siege");
    T_EQ_STR(e.place.text, "D\u00e9ir");
    T_CHECK(e.place.lat == 35 && e.place.lon == -45);
    T_EQ_STR(e.place.country, "SY");
    T_EQ_INT(e.nmore, 2);
    T_EQ_INT(e.more[1].end, 8);
    T_CHECK(e.confidence == 1 && e.contradicted);
    /* a \\u escape goes to jansson: the same record */
    const char *u = "{\"doc\":\"caf\\u00e9\",\"type\":\"clash\"}";
    T_EQ_INT(sr_event_from_json(u, strlen(u), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.doc, "caf\u00e9");
    /* errors keep jansson's words: trailing bytes, bad UTF-8, bad numbers */
    const char *bad[] = {"{\"doc\":\"x\",\"type\":\"t\"} x", "{\"doc\":\"\xff\",\"type\":\"t\"}",
                         "{\"doc\":\"x\",\"type\":\"t\",\"confidence\":01}", "{\"doc\":\"x\",}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sr_ctx_clear(&ctx);
        T_EQ_INT(sr_event_from_json(bad[i], strlen(bad[i]), a, &e, &ctx), SR_EJSON);
        T_CHECK(strstr(ctx.msg, "byte ") != NULL);
    }
    /* numbers read as strtod reads them (the small parser's own path for
     * short decimals, strtod's for the rest) */
    const char *num[] = {"0.1", "35.95283", "-4.5", "0.90", "1", "-0", "36.40551", "0.30000000000000004",
                         "123456789012345.6", "9007199254740993", "1e-3", "2.5E+2", "0.000001"};
    for (size_t i = 0; i < sizeof num / sizeof *num; i++) {
        char line[160];
        snprintf(line, sizeof line, "{\"doc\":\"x\",\"type\":\"t\",\"place\":{\"lat\":%s},\"confidence\":%s}", num[i],
                 num[i]);
        T_EQ_INT(sr_event_from_json(line, strlen(line), a, &e, &ctx), SR_OK);
        double want = strtod(num[i], NULL);
        T_CHECK(memcmp(&e.place.lat, &want, sizeof want) == 0 && e.confidence == want);
    }
    /* in place: the strings are the line's own bytes, ended and unescaped
     * there; a line left to jansson is not changed */
    char in[] = "{\"doc\":\"d1\",\"type\":\"cla\\u0073h\"}", in2[] = "{\"doc\":\"d\\\"1\",\"type\":\"clash\"}";
    char keep[sizeof in];
    memcpy(keep, in, sizeof in);
    T_EQ_INT(sr_event_from_json_in(in, strlen(in), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.type, "clash");
    T_CHECK(!memcmp(in, keep, sizeof in));
    T_EQ_INT(sr_event_from_json_in(in2, strlen(in2), a, &e, &ctx), SR_OK);
    T_EQ_STR(e.doc, "d\"1");
    T_CHECK(e.doc >= in2 && e.doc < in2 + sizeof in2 && e.type > e.doc && e.type < in2 + sizeof in2);
    /* more further spans than the small parser keeps: jansson's, same record */
    sr_buf big;
    sr_buf_init(&big);
    sr_buf_adds(&big, "{\"doc\":\"x\",\"type\":\"t\",\"more_evidence\":[");
    for (int i = 0; i < 40; i++)
        sr_buf_addf(&big, "%s{\"start\":%d,\"end\":%d}", i ? "," : "", i, i + 1);
    sr_buf_adds(&big, "]}");
    T_EQ_INT(sr_event_from_json(big.data, big.len, a, &e, &ctx), SR_OK);
    T_EQ_INT(e.nmore, 40);
    T_EQ_INT(e.more[39].end, 40);
    sr_buf_finish(&big);
    sr_arena_destroy(a);
}

/* The content hash: eight bytes a step, every length's tail counted, any
 * edit seen; and rows stored with the FNV-1a hash of earlier versions
 * still recognised (same content: nothing to do; other content: replaced,
 * with the new hash). */
static void test_hash(void)
{
    char a[SR_DOC_HASH_SIZE], b[SR_DOC_HASH_SIZE];
    const char *txt = "Government forces took the village of Tall Abyad after two days of clashes.";
    for (size_t n = 0; n <= 20; n++) {
        sr_doc d = mkdoc("h", txt, NULL), e = d;
        d.len = n, e.len = n + 1;
        sr_store_doc_hash(&d, a);
        sr_store_doc_hash(&e, b);
        T_CHECK(strlen(a) == 18 && !strncmp(a, "2:", 2) && strcmp(a, b));
    }
    char edit[128];
    snprintf(edit, sizeof edit, "%s", txt);
    sr_doc d = mkdoc("h", txt, NULL), e = mkdoc("h", edit, NULL);
    sr_store_doc_hash(&d, a);
    sr_store_doc_hash(&e, b);
    T_EQ_STR(a, b);
    edit[40] ^= 0x20;
    sr_store_doc_hash(&e, b);
    T_CHECK(strcmp(a, b) != 0);

    char p2[160];
    snprintf(p2, sizeof p2, "%s/hash.db", dir);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s;
    sr_put_info info;
    sr_doc_state state;
    T_EQ_INT(sr_store_open(&s, p2, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &d, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    sr_store_close(s);
    /* the row as an earlier sitrep wrote it: FNV-1a 64, length mixed in */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < d.len; i++)
        h = (h ^ (unsigned char)d.text[i]) * 0x100000001b3ull;
    h ^= (uint64_t)d.len * 0x9e3779b97f4a7c15ull;
    h ^= h >> 31;
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE doc SET hash = '%016llx' WHERE name = 'h'", (unsigned long long)h);
    sqlite3 *db;
    T_EQ_INT(sqlite3_open(p2, &db), SQLITE_OK);
    T_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    T_EQ_INT(sr_store_open(&s, p2, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_doc_state(s, &d, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_SAME);
    T_EQ_INT(sr_store_put_doc(s, &d, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_EQ_INT(info.stored, 0);
    T_EQ_INT(sr_store_doc_state(s, &e, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_CHANGED);
    T_EQ_INT(sr_store_put_doc(s, &e, NULL, 0, NULL, 0, NULL, 0, &info, &ctx), SR_OK);
    T_CHECK(info.stored && info.replaced);
    sr_store_close(s);
    T_EQ_INT(sqlite3_open(p2, &db), SQLITE_OK);
    sqlite3_stmt *q;
    T_EQ_INT(sqlite3_prepare_v2(db, "SELECT hash FROM doc WHERE name = 'h'", -1, &q, NULL), SQLITE_OK);
    T_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    T_EQ_STR((const char *)sqlite3_column_text(q, 0), b);
    sqlite3_finalize(q);
    sqlite3_close(db);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        char p[200];
        snprintf(p, sizeof p, "%s%s", p2, sfx[k]);
        unlink(p);
    }
}

/* The fact's independent origins at place gid (-1: no single fact). */
static int fact_origins(uint32_t gid)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    int n = -1;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(db, "SELECT norigins FROM fact f JOIN place p ON p.id = f.place WHERE p.geonameid = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, gid);
        if (sqlite3_step(q) == SQLITE_ROW) {
            n = sqlite3_column_int(q, 0);
            if (sqlite3_step(q) != SQLITE_DONE)
                n = -1;
        }
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return n;
}

/* The refresh takes a record's document name, date and origin from the
 * handle's memory of the documents it wrote: that memory must follow a
 * replaced origin, whether this handle or another one replaced it. */
static void test_doc_cache(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s, *s2;
    const char *t = "Government forces took the hill town of Kessab from the rebels on Friday, state media said.";
    sr_doc k1 = mkdoc("k1", t, "2016-09-03"), k2 = mkdoc("k2", t, "2016-09-04");
    sr_doc k1b = mkdoc("k1", "An entirely different story about grain prices in the coastal markets.", "2016-09-03");
    sr_event e1 = rec("k1", "control_change", "GOV", "Kessab", 170000, "PPL", "2016-09-02");
    sr_event e2 = rec("k2", "control_change", "GOV", "Kessab", 170000, "PPL", "2016-09-02");
    sr_put_info info;
    size_t np;
    T_EQ_INT(sr_store_open(&s, path, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &k1, NULL, 0, NULL, 0, &e1, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &k2, NULL, 0, NULL, 0, &e2, 1, &info, &ctx), SR_OK);
    T_CHECK(info.origin && !strcmp(info.origin, "k1"));
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(fact_origins(170000), 1);     /* a copy is no second witness */
    /* this handle replaces the origin: its copy stands alone */
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &k1b, NULL, 0, NULL, 0, &e1, 1, &info, &ctx), SR_OK);
    T_CHECK(info.replaced);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(fact_origins(170000), 2);
    /* the same through another handle, between two refreshes of this one */
    sr_doc m1 = mkdoc("m1", t, "2016-10-03"), m2 = mkdoc("m2", t, "2016-10-04");
    sr_doc m1b = mkdoc("m1", "Rain flooded the low streets of the port for a second day on Tuesday.", "2016-10-03");
    sr_event f1 = rec("m1", "control_change", "ISIS", "Dabiq", 170001, "PPL", "2016-10-02");
    sr_event f2 = rec("m2", "control_change", "ISIS", "Dabiq", 170001, "PPL", "2016-10-02");
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &m1, NULL, 0, NULL, 0, &f1, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &m2, NULL, 0, NULL, 0, &f2, 1, &info, &ctx), SR_OK);
    T_CHECK(info.origin && !strcmp(info.origin, "m1"));
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(fact_origins(170001), 1);
    T_EQ_INT(sr_store_open(&s2, path, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s2, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s2, &m1b, NULL, 0, NULL, 0, &f1, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_commit(s2, &ctx), SR_OK);
    sr_store_close(s2);
    T_EQ_INT(sr_store_refresh(s, NULL, NULL, &np, &ctx), SR_OK);
    T_EQ_INT(fact_origins(170001), 2);
    sr_store_close(s);
}

/* A new file's documents and places are stored without a look-up each
 * while only this handle has written: another writer ends that (its rows
 * are then found), and so does a rollback. */
static void test_fresh(void)
{
    char fp[160];
    snprintf(fp, sizeof fp, "%s/fresh.db", dir);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s, *s2;
    sr_put_info info;
    sr_doc_state state;
    sr_doc f1 = mkdoc("f1", "Shelling hit the old quarter of the city again on Monday, residents said.", "2016-11-07");
    sr_doc f2 = mkdoc("f2", "The council voted to reopen two schools in the northern suburbs next month.", "2016-11-08");
    sr_doc f3 = mkdoc("f3", "Talks on a local truce broke down late on Wednesday after a night of clashes.", "2016-11-10");
    sr_event e1 = rec("f1", "clash", "ISIS", "Manbij", 166365, "PPL", "2016-11-07");
    sr_event e2 = rec("f2", "control_state", "SDF", "Jarablus", 169389, "PPL", "2016-11-08");
    sr_event e3 = rec("f3", "control_state", "SDF", "Jarablus", 169389, "PPL", "2016-11-09");
    T_EQ_INT(sr_store_open(&s, fp, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &f1, NULL, 0, NULL, 0, &e1, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_doc_state(s, &f1, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_SAME);      /* what it wrote, it finds */
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    /* another handle writes a document and a new place */
    T_EQ_INT(sr_store_open(&s2, fp, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s2, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s2, &f2, NULL, 0, NULL, 0, &e2, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_commit(s2, &ctx), SR_OK);
    sr_store_close(s2);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_doc_state(s, &f2, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_SAME);      /* its document is found */
    T_EQ_INT(sr_store_put_doc(s, &f3, NULL, 0, NULL, 0, &e3, 1, &info, &ctx), SR_OK);
    T_CHECK(info.stored);              /* and its place: no second row */
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    sr_store_close(s);
    {
        sqlite3 *db;
        sqlite3_stmt *q;
        T_EQ_INT(sqlite3_open(fp, &db), SQLITE_OK);
        T_EQ_INT(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM place WHERE geonameid = 169389),"
                                        " (SELECT count(*) FROM doc)", -1, &q, NULL), SQLITE_OK);
        T_EQ_INT(sqlite3_step(q), SQLITE_ROW);
        T_EQ_INT(sqlite3_column_int(q, 0), 1);
        T_EQ_INT(sqlite3_column_int(q, 1), 3);
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    /* a rolled-back batch of a new file (the handle closed in it), then
     * the file opened again: what the earlier batch wrote is found */
    char fp2[160];
    snprintf(fp2, sizeof fp2, "%s/fresh2.db", dir);
    T_EQ_INT(sr_store_open(&s, fp2, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &f1, NULL, 0, NULL, 0, &e1, 1, &info, &ctx), SR_OK);
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_put_doc(s, &f2, NULL, 0, NULL, 0, &e2, 1, &info, &ctx), SR_OK);
    sr_store_close(s);
    T_EQ_INT(sr_store_open(&s, fp2, 0, &ctx), SR_OK);
    T_EQ_INT(sr_store_begin(s, &ctx), SR_OK);
    T_EQ_INT(sr_store_doc_state(s, &f1, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_SAME);
    T_EQ_INT(sr_store_doc_state(s, &f2, &state, &ctx), SR_OK);
    T_EQ_INT(state, SR_DOC_NEW);
    T_EQ_INT(sr_store_put_doc(s, &f3, NULL, 0, NULL, 0, &e1, 1, &info, &ctx), SR_OK);
    T_CHECK(info.stored);              /* f1's place is not written twice */
    T_EQ_INT(sr_store_commit(s, &ctx), SR_OK);
    sr_store_close(s);
    const char *files[] = {fp, fp2};
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 3; k++) {
            char p[200];
            snprintf(p, sizeof p, "%s%s", files[f], sfx[k]);
            unlink(p);
        }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sitrep-test-store-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/t.db", dir);
    test_args();
    test_writes();
    test_queries();
    test_json();
    test_hash();
    test_doc_cache();
    test_fresh();
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, sfx[k]);
        unlink(p);
    }
    rmdir(dir);
    return T_DONE();
}
