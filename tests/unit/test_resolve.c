/* test_resolve.c — dates (calendar, datelines, every relative form the
 * extractor resolves), coreference decisions and the rule-file grammar
 * (good lines and each error), on text written for these tests. */
#include "t.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "extract/xint.h"
#include "resolve/coref.h"
#include "resolve/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static sr_arena *A;

/* The first date expression of `s` resolved against `ref`: "DATE PREC [since] [future]|TEXT". */
static const char *d1(const char *s, const char *ref)
{
    static char out[256];
    sr_tok *t;
    size_t n;
    sr_ymd r;
    sr_arena_reset(A);
    if (sr_ymd_parse(ref, &r) || sr_tokenize(s, 0, strlen(s), A, &t, &n))
        return "ERR";
    sr_datex x[4];
    size_t k = sr_dates_scan(s, t, 0, n, r, x, 4);
    if (!k)
        return "none";
    char buf[11];
    sr_ymd_format(x[0].date, buf);
    snprintf(out, sizeof out, "%s %s%s%s|%.*s", buf, sr_date_prec_str(x[0].prec), x[0].since ? " since" : "",
             x[0].future ? " future" : "", (int)(x[0].end - x[0].start), s + x[0].start);
    return out;
}

static const char *dl(const char *s)
{
    static char out[64];
    sr_ymd d;
    uint32_t b, e;
    if (sr_dateline_find(s, strlen(s), &d, &b, &e))
        return "none";
    char buf[11];
    sr_ymd_format(d, buf);
    snprintf(out, sizeof out, "%s|%.*s", buf, (int)(e - b), s + b);
    return out;
}

static void test_calendar(void)
{
    sr_ymd d;
    T_EQ_INT(sr_ymd_parse("2017-11-03", &d), 0);
    T_EQ_INT(sr_ymd_weekday(d), 4); /* a Friday */
    T_EQ_INT(sr_ymd_days((sr_ymd){1970, 1, 1}), 0);
    sr_ymd e = sr_ymd_add(d, 60);
    char buf[11];
    sr_ymd_format(e, buf);
    T_EQ_STR(buf, "2018-01-02");
    sr_ymd_format(sr_ymd_add((sr_ymd){2016, 3, 1}, -1), buf);
    T_EQ_STR(buf, "2016-02-29");
    T_EQ_INT(sr_ymd_parse("2017-02-30", &d), -1);
    T_EQ_INT(sr_ymd_parse("yesterday", &d), -1);
    T_EQ_INT(sr_ymd_parse(NULL, &d), -1);
}

static void test_relative(void)
{
    const char *ref = "2017-11-03"; /* a Friday */
    T_EQ_STR(d1("The town fell today.", ref), "2017-11-03 day|today");
    T_EQ_STR(d1("The town fell yesterday.", ref), "2017-11-02 day|yesterday");
    T_EQ_STR(d1("The town fell on Friday.", ref), "2017-11-03 day|on Friday");
    T_EQ_STR(d1("The town fell last night.", ref), "2017-11-02 day|last night");
    T_EQ_STR(d1("The town fell this morning.", ref), "2017-11-03 day|this morning");
    T_EQ_STR(d1("The town fell overnight.", ref), "2017-11-03 day|overnight");
    T_EQ_STR(d1("The town fell on Wednesday.", ref), "2017-11-01 day|on Wednesday");
    T_EQ_STR(d1("The town fell last Friday.", ref), "2017-10-27 day|last Friday");
    T_EQ_STR(d1("The town fell last week.", ref), "2017-10-27 week|last week");
    T_EQ_STR(d1("The town fell earlier this month.", ref), "2017-11-02 month|earlier this month");
    T_EQ_STR(d1("The town fell last month.", ref), "2017-10-15 month|last month");
    T_EQ_STR(d1("The town fell in September.", ref), "2017-09-15 month|in September");
    T_EQ_STR(d1("The town fell in December.", ref), "2016-12-15 month|in December");
    T_EQ_STR(d1("The town fell on Oct. 17.", ref), "2017-10-17 day|on Oct. 17");
    T_EQ_STR(d1("The town fell on 17 October 2016.", ref), "2016-10-17 day|on 17 October 2016");
    T_EQ_STR(d1("The town fell in June 2014.", ref), "2014-06-15 month|in June 2014");
    T_EQ_STR(d1("The town fell two years ago.", ref), "2015-11-03 year|two years ago");
    T_EQ_STR(d1("The town fell two and a half years ago.", ref), "2015-05-03 year|two and a half years ago");
    T_EQ_STR(d1("The town fell three weeks ago.", ref), "2017-10-13 week|three weeks ago");
    T_EQ_STR(d1("The town fell six months ago.", ref), "2017-05-03 month|six months ago");
    T_EQ_STR(d1("It fell 4 days ago.", ref), "2017-10-30 day|4 days ago");
    /* capitals and a one-letter count word pass the first-letters gate */
    T_EQ_STR(d1("A week ago the town fell.", ref), "2017-10-27 week|A week ago");
    T_EQ_STR(d1("It fell in MID-2012.", ref), "2012-07-01 year|MID-2012");
    T_EQ_STR(d1("It fell in SEPTEMBER 2014.", ref), "2014-09-15 month|in SEPTEMBER 2014");
    T_EQ_STR(d1("They have held it since 2014.", ref), "2014-07-01 year since|since 2014");
    T_EQ_STR(d1("They have held it since June.", ref), "2017-06-15 month since|since June");
    T_EQ_STR(d1("The town may fall tomorrow.", ref), "2017-11-04 day future|tomorrow");
    T_EQ_STR(d1("It will fall next week.", ref), "2017-11-10 week future|next week");
    T_EQ_STR(d1("The town fell in May.", ref), "2017-05-15 month|in May");
    T_EQ_STR(d1("They have held it since May 2015.", ref), "2015-05-15 month since|since May 2015");
    T_EQ_STR(d1("The town fell on Oct. 17.", ref), "2017-10-17 day|on Oct. 17");
    /* "may" the verb is not the month */
    T_EQ_STR(d1("The town May fall.", ref), "none");
    T_EQ_STR(d1("The town may fall.", ref), "none");
    T_EQ_STR(d1("Nothing dated here.", ref), "none");
    /* every form the whole-word gate before the tests must let through */
    T_EQ_STR(d1("The town fell on Sept. 17.", ref), "2017-09-17 day|on Sept. 17");
    T_EQ_STR(d1("The town fell several days ago.", ref), "2017-10-31 day|several days ago");
    T_EQ_STR(d1("The town fell an hour ago.", ref), "none");
    T_EQ_STR(d1("The town fell TONIGHT.", ref), "2017-11-03 day|TONIGHT");
    T_EQ_STR(d1("Thursdays the town fell.", ref), "2017-11-02 day|Thursdays");
}

static void test_dateline(void)
{
    T_EQ_STR(dl("BEIRUT, Nov. 3, 2017 (AP) \xE2\x80\x94 Troops advanced."), "2017-11-03|Nov. 3, 2017");
    T_EQ_STR(dl("AFP Friday 5 Sep 2014 The toll rose."), "2014-09-05|5 Sep 2014");
    T_EQ_STR(dl("Title line\nJuly 18 2014\nSoldiers clashed."), "2014-07-18|July 18 2014");
    /* a date inside a sentence is not a dateline */
    T_EQ_STR(dl("Troops said the town fell on 5 June 2014 after a siege."), "none");
    T_EQ_STR(dl(""), "none");
}

static void test_coref(void)
{
    sr_coref_ids ids = {10, 11, 12, 13};
    T_EQ_INT(sr_coref_class("?NSAG"), SR_COREF_NSAG);
    T_EQ_INT(sr_coref_class("?GOV"), SR_COREF_GOV);
    T_EQ_INT(sr_coref_class("?KURD"), SR_COREF_KURD);
    T_EQ_INT(sr_coref_class("ISIS"), SR_COREF_NONE);
    T_EQ_INT(sr_coref_class(NULL), SR_COREF_NONE);
    /* the sentence decides the country, else the document */
    T_EQ_INT(sr_coref_country(2, 0, 0, 9), SR_COUNTRY_SY);
    T_EQ_INT(sr_coref_country(0, 0, 1, 9), SR_COUNTRY_IQ);
    T_EQ_INT(sr_coref_country(0, 0, 0, 0), SR_COUNTRY_SY);
    T_EQ_INT(sr_coref_class("?JIHAD"), SR_COREF_JIHAD);
    /* "the group": the group named last, else the one named most */
    sr_coref_seen a = {5, 6, -1, -1}, b = {-1, 6, -1, -1}, none = {-1, -1, -1, -1}, j = {5, 6, 7, 8},
                  jtop = {5, 6, -1, 8};
    T_EQ_INT(sr_coref_resolve(SR_COREF_NSAG, SR_COUNTRY_SY, &a, &ids), 5);
    T_EQ_INT(sr_coref_resolve(SR_COREF_NSAG, SR_COUNTRY_SY, &b, &ids), 6);
    T_EQ_INT(sr_coref_resolve(SR_COREF_NSAG, SR_COUNTRY_SY, &none, &ids), -1);
    /* "the militants": a jihadist group when the report names one */
    T_EQ_INT(sr_coref_resolve(SR_COREF_JIHAD, SR_COUNTRY_SY, &j, &ids), 7);
    T_EQ_INT(sr_coref_resolve(SR_COREF_JIHAD, SR_COUNTRY_SY, &jtop, &ids), 8);
    T_EQ_INT(sr_coref_resolve(SR_COREF_JIHAD, SR_COUNTRY_SY, &a, &ids), 5);
    T_EQ_INT(sr_coref_resolve(SR_COREF_NSAG, SR_COUNTRY_SY, &j, &ids), 5);
    /* "the army" / "Kurdish forces" by country */
    T_EQ_INT(sr_coref_resolve(SR_COREF_GOV, SR_COUNTRY_SY, &none, &ids), 10);
    T_EQ_INT(sr_coref_resolve(SR_COREF_GOV, SR_COUNTRY_IQ, &none, &ids), 11);
    T_EQ_INT(sr_coref_resolve(SR_COREF_KURD, SR_COUNTRY_SY, &none, &ids), 12);
    T_EQ_INT(sr_coref_resolve(SR_COREF_KURD, SR_COUNTRY_IQ, &none, &ids), 13);
}

/* Load one rules file written from `body`; returns the status and leaves
 * the message in *c. */
static sr_status load_rules(const char *body, sr_ctx *c, size_t *nrules)
{
    char path[] = "/tmp/sitrep-test-rules-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return SR_EIO;
    FILE *f = fdopen(fd, "w");
    fputs(body, f);
    fclose(f);
    x_lex lex;
    x_lex_init(&lex);
    x_rules *r = NULL;
    sr_status st = x_rules_new(&r);
    if (!st)
        st = x_rules_load_file(r, path, &lex, c);
    *nrules = x_rules_count(r);
    x_rules_free(r);
    x_lex_finish(&lex);
    unlink(path);
    return st;
}

static void test_rules_grammar(void)
{
    sr_ctx c;
    size_t n;
    sr_ctx_init(&c);
    T_EQ_INT(load_rules("# comment\n\ndefine v = took | seized \\\n  | captured\n"
                        "rule control_change : {actor} *3 @v [@v] {place} [from {target}]\n"
                        "rule siege future : {actor} besieged {place}\n"
                        "cue future 3 : will | plans to\n",
                        &c, &n),
             SR_OK);
    T_EQ_INT(n, 2);
    /* each error names the file, the line and a byte */
    T_EQ_INT(load_rules("rule control_change : {actor} took (the {place}\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, ":1: byte") && strstr(c.msg, "missing ')'"));
    T_EQ_INT(load_rules("\nrule control_change : {actor} took {town}\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, ":2: byte") && strstr(c.msg, "unknown slot"));
    T_EQ_INT(load_rules("rule control_change : {actor} @nosuch {place}\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, "unknown @class"));
    T_EQ_INT(load_rules("define v = a\ndefine v = b\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, "defined twice"));
    T_EQ_INT(load_rules("cue sometimes : maybe\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, "unknown cue kind"));
    T_EQ_INT(load_rules("this is not a rule\n", &c, &n), SR_EFORMAT);
    T_EQ_INT(load_rules("rule clash : a | | b\n", &c, &n), SR_EFORMAT);
    T_CHECK(strstr(c.msg, "empty alternative"));
    T_EQ_INT(load_rules("rule clash : a ]\n", &c, &n), SR_EFORMAT);
    /* a missing file */
    x_lex lex;
    x_lex_init(&lex);
    x_rules *r = NULL;
    T_EQ_INT(x_rules_load(&r, "/nonexistent-rules-dir", &lex, &c), SR_EIO);
    T_CHECK(r == NULL);
    x_lex_finish(&lex);
}

int main(void)
{
    A = sr_arena_create(0);
    test_calendar();
    test_relative();
    test_dateline();
    test_coref();
    test_rules_grammar();
    sr_arena_destroy(A);
    return T_DONE();
}
