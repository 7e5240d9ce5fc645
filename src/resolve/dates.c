/* dates.c — calendar arithmetic, datelines and relative date expressions.
 *
 * Reports date events relative to their own publication ("on Friday",
 * "yesterday", "last month", "two and a half years ago").  Each expression
 * resolves to one best day plus a precision: a weekday is the latest such
 * day not after the reference; a month without a year is the latest such
 * month not after it (its 15th, precision month); "N units ago" subtracts.
 * The dateline is searched separately because real corpora carry wrong
 * metadata dates and the text's own dateline is the better witness. */
#include "resolve/resolve.h"
#include "core/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- calendar (proleptic Gregorian; days_from_civil after H. Hinnant) ---- */

long sr_ymd_days(sr_ymd d)
{
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

sr_ymd sr_ymd_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    sr_ymd r = {(int)(y + (m <= 2)), (int)m, (int)d};
    return r;
}

sr_ymd sr_ymd_add(sr_ymd d, long days) { return sr_ymd_from_days(sr_ymd_days(d) + days); }

int sr_ymd_weekday(sr_ymd d)
{
    long z = sr_ymd_days(d); /* 1970-01-01 was a Thursday (3) */
    long w = (z + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int mdays(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
        return 29;
    return n[m - 1];
}

int sr_ymd_valid(sr_ymd d)
{
    return d.y >= 1900 && d.y <= 2100 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= mdays(d.y, d.m);
}

int sr_ymd_parse(const char *s, sr_ymd *out)
{
    if (!s)
        return -1;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    sr_ymd r = {y, m, d};
    if (!sr_ymd_valid(r))
        return -1;
    *out = r;
    return 0;
}

void sr_ymd_format(sr_ymd d, char out[11])
{
    sr_date10(out, (unsigned)d.y % 10000u, (unsigned)d.m % 13u, (unsigned)d.d % 32u);
}

const char *sr_date_prec_str(sr_date_prec p)
{
    static const char *const s[] = {"day", "week", "month", "year"};
    return s[p];
}

/* ---- word tables ---------------------------------------------------------- */

static const char *const months[] = {"january", "february", "march",     "april",   "may",      "june",
                                     "july",    "august",   "september", "october", "november", "december"};
static const char *const mon3[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const wdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
static const char *const wd3[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const numw[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                   "nine", "ten", "eleven", "twelve", NULL};

/* ASCII lower case of a byte (the library never sets a locale, so this is
 * what tolower() did, without a call per byte). */
static inline unsigned char lc(unsigned char c) { return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c); }

/* Case-insensitive equality of a span with a lower-case word.  The first
 * byte is compared before the word's length is taken: nearly every call
 * (every token against every month and weekday name) fails there, and
 * strlen on each comparison was a tenth of `extract`. */
static inline int eqw(const char *s, size_t n, const char *w)
{
    if (!n || lc((unsigned char)s[0]) != (unsigned char)w[0])
        return 0;
    size_t l = strlen(w);
    if (n != l)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (lc((unsigned char)s[i]) != (unsigned char)w[i])
            return 0;
    return 1;
}

/* Month 1..12 of a word ("September", "Sept", "Sep", "Sept."), 0 if none. */
static int month_of(const char *s, size_t n, int allow_abbrev)
{
    if (n && s[n - 1] == '.')
        n--;
    if (!n)
        return 0;
    unsigned char c = lc((unsigned char)s[0]);
    for (int i = 0; i < 12; i++) {
        if (c != (unsigned char)months[i][0])
            continue; /* the abbreviations start as their month does */
        if (eqw(s, n, months[i]))
            return i + 1;
        if (allow_abbrev && (eqw(s, n, mon3[i]) || (i == 8 && eqw(s, n, "sept"))))
            return i + 1;
    }
    return 0;
}

/* Weekday 0..6 of "Friday", "Fridays" (possessive without apostrophe), "Fri". */
static int wday_of(const char *s, size_t n, int allow_abbrev)
{
    if (n && s[n - 1] == '.')
        n--;
    for (int i = 0; i < 7; i++) {
        if (!n || lc((unsigned char)s[0]) != (unsigned char)wdays[i][0])
            continue; /* no weekday and no abbreviation starts so */
        size_t l = strlen(wdays[i]);
        if (eqw(s, n, wdays[i]) || (n == l + 1 && lc((unsigned char)s[l]) == 's' && eqw(s, l, wdays[i])))
            return i;
        if (allow_abbrev && eqw(s, n, wd3[i]))
            return i;
    }
    return -1;
}

/* ---- a gate before the word tests ------------------------------------------ */

/* The words an expression may begin with besides the month, weekday and
 * number names: those sr_dates_scan tests at token i with IS(i, ...)
 * (rel_starts) and count_of's (count_starts).  Keep these lists in step
 * with them. */
static const char *const rel_starts[] = {"today", "tonight", "yesterday", "tomorrow", "overnight",
                                         "last",  "this",    "past",      "next",     "earlier", NULL};
static const char *const count_starts[] = {"a", "an", "several", "few", "couple", NULL};

/* The families of start words, as bits: each branch of sr_dates_scan can
 * only match a token of its family, so a token goes through the branches
 * of its families only (most that pass the gate are "a", "an", "this",
 * numbers: one or two branches of the dozen). */
enum {
    F_REL = 1,   /* rel_starts: the IS(i, ...) branches */
    F_WDAY = 2,  /* weekday names (and "Fridays", "Fri") */
    F_MONTH = 4, /* month names and abbreviations */
    F_COUNT = 8, /* number words and count_starts */
    F_MID = 16,  /* mid-2012 */
    F_DIGIT = 32 /* a token starting with a digit: days, years, counts */
};

/* The gate, by byte classes (gate_cls: 1 + the letter's index for an ASCII
 * letter of either case, G_DIGIT, G_DASH, 0 for any other byte):
 * pair_len[a][b] are the lengths of the start forms beginning with bytes
 * of classes a, b (bit n: some has n bytes), pair_third[a][b] the classes
 * of their third bytes (bit 0: a form of two bytes).  A word token whose
 * first two letters begin none, or none of its length, or none with its
 * third letter ("the", "that" against "thu", "this", "three") cannot
 * start an expression, and most words are rejected so before some fifty
 * comparisons; the others are looked up whole (lower case, less a final
 * '.') in the set of every form the word tests accept at the start.  All
 * are built once from the tables above (they are constant; the library
 * has no threads). */
enum { G_DIGIT = 27, G_DASH = 28, G_N = 29 };
static unsigned char gate_cls[256];
static uint32_t pair_len[G_N][G_N], pair_third[G_N][G_N];
static int pair_ready;

enum { START_SLOTS = 256, START_MAX = 11 };
static char start_set[START_SLOTS][START_MAX + 1];   /* "" = empty slot */
static unsigned char start_fam[START_SLOTS];         /* its families (F_*) */

static unsigned start_hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void start_add(const char *w, const char *suffix, unsigned fam)
{
    char k[START_MAX + 1];
    int n = snprintf(k, sizeof k, "%s%s", w, suffix);
    if (n <= 0 || n > START_MAX)
        return;
    unsigned a = gate_cls[(unsigned char)k[0]], b = gate_cls[(unsigned char)k[1]];
    pair_len[a][b] |= 1u << n;
    pair_third[a][b] |= 1u << (n > 2 ? gate_cls[(unsigned char)k[2]] : 0);
    unsigned h = start_hash(k, (size_t)n) & (START_SLOTS - 1);
    while (start_set[h][0] && strcmp(start_set[h], k))
        h = (h + 1) & (START_SLOTS - 1);
    memcpy(start_set[h], k, (size_t)n + 1);
    start_fam[h] |= (unsigned char)fam;
}

/* The families of s[0..n) (already lower case), 0 when it is no start form. */
static unsigned start_has(const char *s, size_t n)
{
    unsigned h = start_hash(s, n) & (START_SLOTS - 1);
    for (; start_set[h][0]; h = (h + 1) & (START_SLOTS - 1))
        if (!memcmp(start_set[h], s, n) && !start_set[h][n])
            return start_fam[h];
    return 0;
}

static void pairs_init(void)
{
    for (int c = 'a'; c <= 'z'; c++)
        gate_cls[c] = gate_cls[c - 32] = (unsigned char)(c - 'a' + 1);
    for (int c = '0'; c <= '9'; c++)
        gate_cls[c] = G_DIGIT;
    gate_cls['-'] = G_DASH;
    for (int i = 0; i < 12; i++)
        start_add(months[i], "", F_MONTH), start_add(mon3[i], "", F_MONTH);
    start_add("sept", "", F_MONTH);
    for (int i = 0; i < 7; i++)
        start_add(wdays[i], "", F_WDAY), start_add(wdays[i], "s", F_WDAY), start_add(wd3[i], "", F_WDAY);
    for (int i = 0; numw[i]; i++)
        start_add(numw[i], "", F_COUNT);
    for (int i = 0; rel_starts[i]; i++)
        start_add(rel_starts[i], "", F_REL);
    for (int i = 0; count_starts[i]; i++)
        start_add(count_starts[i], "", F_COUNT);
    start_add("mid-", "", F_MID); /* opens the pair "mi" for mid-2012 */
    pair_ready = 1;
}

/* May a token starting with a letter begin an expression, and as what:
 * its families (F_*), 0 if none.  ("a" alone may: "a week ago"; "mid-2012"
 * is the one prefix.) */
/* The rest of word_may_start, for a word whose two first letters pass
 * (of classes a, b; lens: the lengths of the start forms that begin with
 * them). */
static __attribute__((noinline)) unsigned may_start_word(const char *s, size_t n, unsigned a, unsigned b,
                                                          uint32_t lens)
{
    if (n == 8 && lc((unsigned char)s[0]) == 'm' && lc((unsigned char)s[1]) == 'i' && lc((unsigned char)s[2]) == 'd' &&
        s[3] == '-')
        return F_MID;
    if (n && s[n - 1] == '.')
        n--;
    if (n > START_MAX || !(lens >> n & 1))
        return 0; /* no start form of this length begins so ("said", "on") */
    if (!(pair_third[a][b] >> (n > 2 ? gate_cls[(unsigned char)s[2]] : 0) & 1))
        return 0; /* nor with this third letter ("the", "that") */
    char k[START_MAX];
    for (size_t i = 0; i < n; i++)
        k[i] = (char)lc((unsigned char)s[i]);
    return start_has(k, n);
}

static inline unsigned word_may_start(const char *s, size_t n)
{
    if (n == 1)
        return lc((unsigned char)s[0]) == 'a' ? F_COUNT : 0;
    unsigned a = gate_cls[(unsigned char)s[0]], b = gate_cls[(unsigned char)s[1]];
    uint32_t lens = pair_len[a][b]; /* not 0 exactly where some start word begins with the pair */
    return lens ? may_start_word(s, n, a, b, lens) : 0;
}

static int num_of(const char *s, size_t n, long *v)
{
    if (!n || n > 9)
        return 0;
    long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

/* Day-of-month token: "3", "3rd", "21st". */
static int day_of(const char *s, size_t n)
{
    long v = 0;
    size_t k = 0;
    while (k < n && isdigit((unsigned char)s[k]))
        k++;
    if (!k || k > 2)
        return 0;
    if (k < n && !(n - k == 2 && (eqw(s + k, 2, "st") || eqw(s + k, 2, "nd") || eqw(s + k, 2, "rd") ||
                                  eqw(s + k, 2, "th"))))
        return 0;
    num_of(s, k, &v);
    return v >= 1 && v <= 31 ? (int)v : 0;
}

static int year_of(const char *s, size_t n)
{
    long v;
    if (n != 4 || !num_of(s, n, &v) || v < 1900 || v > 2100)
        return 0;
    return (int)v;
}

/* ---- dateline ---------------------------------------------------------------- */

typedef struct rw {
    uint32_t s, e;
} rw;

static int is_agency(const char *s, size_t n)
{
    static const char *const a[] = {"afp", "reuters", "ap", "sana", "irna", "anha", "dpa", "xinhua", "tass",
                                    "published", "updated", "posted", "eirns", "ani", "upi", "aa", NULL};
    for (int i = 0; a[i]; i++)
        if (eqw(s, n, a[i]))
            return 1;
    return 0;
}

int sr_dateline_find(const char *text, size_t len, sr_ymd *out, uint32_t *start, uint32_t *end)
{
    size_t lim = len < 600 ? len : 600;
    rw w[160];
    size_t nw = 0, i = 0;
    if (!pair_ready)
        pairs_init();
/* isalnum and isdigit of the C locale, from the gate's classes (a table
 * load; glibc's macros call __ctype_b_loc first) */
#define ALNUM(c) ((unsigned)gate_cls[(unsigned char)(c)] - 1u < G_DIGIT)
#define DIGIT(c) (gate_cls[(unsigned char)(c)] == G_DIGIT)
    for (size_t k = 0;; k++) {
        /* the words (alphanumeric runs of the first 600 bytes, 160 at
         * most) split as the search reaches them: a dateline opens most
         * documents that have one, and the search ends in their first
         * words */
        while (nw < k + 3 && nw < 160) {
            while (i < lim && !ALNUM(text[i]))
                i++;
            if (i >= lim)
                break;
            size_t j = i;
            while (j < lim && ALNUM(text[j]))
                j++;
            w[nw].s = (uint32_t)i, w[nw].e = (uint32_t)j;
            nw++;
            i = j;
        }
        if (k + 2 >= nw)
            break;
        const char *a = text + w[k].s, *b = text + w[k + 1].s, *c = text + w[k + 2].s;
        size_t la = w[k].e - w[k].s, lb = w[k + 1].e - w[k + 1].s, lc = w[k + 2].e - w[k + 2].s;
        sr_ymd d = {0, 0, 0};
        int m;
        /* a day is digits: the first or the second word starts with one (most do not) */
        if (!DIGIT(a[0]) && !DIGIT(b[0]))
            continue;
        /* both forms end on the year: asked first (four digits), the
         * month names only then */
        if (!DIGIT(c[0]) || !(d.y = year_of(c, lc)))
            continue;
        if ((d.d = day_of(a, la)) && (m = month_of(b, lb, 1)))
            d.m = m;            /* 29 Oct 2014 */
        else if ((m = month_of(a, la, 1)) && (d.d = day_of(b, lb)))
            d.m = m;            /* Oct 29, 2014 / Sept. 3, 2017 */
        else
            continue;
        if (!sr_ymd_valid(d))
            continue;
        /* does it read as a dateline? */
        int ok = 0;
        if (k > 0) {
            const char *p = text + w[k - 1].s;
            size_t lp = w[k - 1].e - w[k - 1].s;
            ok = wday_of(p, lp, 1) >= 0 || is_agency(p, lp);
        }
        size_t s0 = w[k].s, e0 = w[k + 2].e;
        /* at the start of a line */
        size_t q = s0;
        while (q > 0 && (text[q - 1] == ' ' || text[q - 1] == '\t'))
            q--;
        if (q == 0 || text[q - 1] == '\n')
            ok = 1;
        /* before "(" or a dash: "Sept. 3, 2017 (EIRNS)", "29 Oct 2014 - " */
        size_t r = e0;
        while (r < len && text[r] == ' ')
            r++;
        if (r < len && (text[r] == '(' || text[r] == '-' || (unsigned char)text[r] == 0xE2 || text[r] == '|'))
            ok = 1;
        if (!ok)
            continue;
        *out = d;
        *start = (uint32_t)s0;
        *end = (uint32_t)e0;
        return 0;
    }
    return -1;
#undef ALNUM
#undef DIGIT
}

/* ---- relative expressions ---------------------------------------------------- */

/* A count word or number: "two", "2", "a", "an", "several" (=3), "few" (=3). */
static int count_of(const char *s, size_t n, double *v)
{
    long x;
    if (!n)
        return 0;
    if (s[0] >= '0' && s[0] <= '9') { /* no word below starts so */
        if (num_of(s, n, &x) && x < 1000) {
            *v = (double)x;
            return 1;
        }
        return 0;
    }
    unsigned char c = lc((unsigned char)s[0]);
    for (int i = 0; numw[i]; i++)
        if (c == (unsigned char)numw[i][0] && eqw(s, n, numw[i])) {
            *v = i;
            return 1;
        }
    if (eqw(s, n, "a") || eqw(s, n, "an")) {
        *v = 1;
        return 1;
    }
    if (eqw(s, n, "several") || eqw(s, n, "few") || eqw(s, n, "couple")) {
        *v = 3;
        return 1;
    }
    return 0;
}

static int unit_of(const char *s, size_t n, int *days, sr_date_prec *p)
{
    switch (n ? lc((unsigned char)s[0]) : 0) { /* most words start as no unit does */
    case 'd':
        if (eqw(s, n, "day") || eqw(s, n, "days"))
            return *days = 1, *p = SR_PREC_DAY, 1;
        break;
    case 'w':
        if (eqw(s, n, "week") || eqw(s, n, "weeks"))
            return *days = 7, *p = SR_PREC_WEEK, 1;
        break;
    case 'm':
        if (eqw(s, n, "month") || eqw(s, n, "months"))
            return *days = 30, *p = SR_PREC_MONTH, 1;
        break;
    case 'y':
        if (eqw(s, n, "year") || eqw(s, n, "years"))
            return *days = 365, *p = SR_PREC_YEAR, 1;
        break;
    }
    return 0;
}

#define TS(i) (text + tok[i].start)
#define TL(i) ((size_t)tok[i].len)
#define IS(i, w) ((i) < t1 && eqw(TS(i), TL(i), (w)))

/* The latest month `m` (day 15) not after the reference; year given or inferred. */
static sr_ymd month_date(sr_ymd ref, int m, int y, int day)
{
    sr_ymd d = {y ? y : ref.y, m, day ? day : 15};
    if (!y && (d.m > ref.m || (d.m == ref.m && day && day > ref.d + 2)))
        d.y--;
    if (!day && !y && d.m == ref.m && d.y == ref.y && ref.d < 15)
        d.d = ref.d;
    if (d.d > mdays(d.y, d.m))
        d.d = mdays(d.y, d.m);
    return d;
}

size_t sr_dates_scan(const char *text, const sr_tok *tok, size_t t0, size_t t1, sr_ymd ref, sr_datex *out,
                     size_t max)
{
    size_t n = 0;
    if (!pair_ready)
        pairs_init();
    for (size_t i = t0; i < t1 && n < max;) {
        /* Every expression begins with an ASCII letter or digit: anything
         * else is rejected here before the dozens of word comparisons. */
        unsigned g = TL(i) ? gate_cls[(unsigned char)TS(i)[0]] : 0;
        unsigned f = 0; /* the token's families: the branches it may match */
        if (g == G_DIGIT)
            f = F_DIGIT;
        else if (g && g < G_DIGIT)
            f = word_may_start(TS(i), TL(i));
        if (!f) {
            i++;
            continue;
        }
        sr_datex x;
        memset(&x, 0, sizeof x);
        x.prec = SR_PREC_DAY;
        size_t e = i; /* last token of the expression, inclusive */
        size_t b = i; /* first token */
        int hit = 1, wd, m, dd, yy;
        double cnt;
        int udays;
        int rel = (f & F_REL) != 0;
        if (rel && (IS(i, "today") || IS(i, "tonight"))) {
            x.date = ref;
        } else if (rel && IS(i, "yesterday")) {
            x.date = sr_ymd_add(ref, -1);
        } else if (rel && IS(i, "tomorrow")) {
            x.date = sr_ymd_add(ref, 1), x.future = 1;
        } else if (rel && IS(i, "overnight")) {
            x.date = ref;
        } else if (rel && IS(i, "last") && i + 1 < t1 && IS(i + 1, "night")) {
            e = i + 1; /* last night: the evening before the report */
            x.date = sr_ymd_add(ref, -1);
        } else if (rel && IS(i, "this") && i + 1 < t1 &&
                   (IS(i + 1, "morning") || IS(i + 1, "afternoon") || IS(i + 1, "evening"))) {
            e = i + 1;
            x.date = ref;
        } else if ((f & F_WDAY) && (wd = wday_of(TS(i), TL(i), 0)) >= 0) {
            /* on Friday / late Friday / last Friday / Friday night */
            int back = (sr_ymd_weekday(ref) - wd + 7) % 7;
            if (i > t0 && IS(i - 1, "last"))
                b = i - 1, back = back ? back : 7;
            else if (i > t0 && (IS(i - 1, "on") || IS(i - 1, "late") || IS(i - 1, "early")))
                b = i - 1;
            if (i > t0 && IS(i - 1, "next"))
                b = i - 1, back = -((wd - sr_ymd_weekday(ref) + 7) % 7), x.future = 1;
            x.date = sr_ymd_add(ref, -back);
            /* "Friday, Nov. 3" : the explicit date below wins */
            if (i + 1 < t1 && month_of(TS(i + 1), TL(i + 1), 1))
                hit = 0;
        } else if (rel && (IS(i, "last") || IS(i, "past") || IS(i, "this") || IS(i, "next")) && i + 1 < t1 &&
                   (IS(i + 1, "week") || IS(i + 1, "month") || IS(i + 1, "year") || IS(i + 1, "weekend"))) {
            int last = IS(i, "last") || IS(i, "past"), next = IS(i, "next");
            e = i + 1;
            if (i > t0 && (IS(i - 1, "earlier") || IS(i - 1, "late") || IS(i - 1, "early")))
                b = i - 1;
            int earlier = b < i && IS(b, "earlier");
            if (IS(i + 1, "week") || IS(i + 1, "weekend")) {
                x.prec = SR_PREC_WEEK;
                x.date = sr_ymd_add(ref, last ? -7 : next ? 7 : earlier ? -2 : 0);
            } else if (IS(i + 1, "month")) {
                x.prec = SR_PREC_MONTH;
                sr_ymd d = ref;
                if (last) {
                    d.m--;
                    if (!d.m)
                        d.m = 12, d.y--;
                    d.d = 15;
                } else if (next) {
                    d.m++;
                    if (d.m > 12)
                        d.m = 1, d.y++;
                    d.d = 15;
                } else if (earlier)
                    d.d = d.d > 2 ? (d.d + 1) / 2 : 1;
                x.date = d;
            } else {
                x.prec = SR_PREC_YEAR;
                sr_ymd d = ref;
                if (last)
                    d.y--, d.m = 7, d.d = 1;
                else if (next)
                    d.y++, d.m = 7, d.d = 1;
                else if (earlier)
                    d = sr_ymd_from_days((sr_ymd_days((sr_ymd){ref.y, 1, 1}) + sr_ymd_days(ref)) / 2);
                x.date = d;
            }
            x.future = next;
        } else if (rel && IS(i, "earlier") && i + 1 < t1 && IS(i + 1, "year")) {
            /* "earlier year" (a common slip for "earlier this year") */
            e = i + 1, x.prec = SR_PREC_YEAR;
            x.date = sr_ymd_from_days((sr_ymd_days((sr_ymd){ref.y, 1, 1}) + sr_ymd_days(ref)) / 2);
        } else if ((f & F_MONTH) && (m = month_of(TS(i), TL(i), 1)) &&
                   (TL(i) > 3 || (i + 1 < t1 && (day_of(TS(i + 1), TL(i + 1)) || year_of(TS(i + 1), TL(i + 1)))) ||
                    /* "in May", "since May": the capitalised month after a preposition */
                    ((tok[i].flags & SR_TF_CAP) && i > t0 &&
                     (IS(i - 1, "in") || IS(i - 1, "since") || IS(i - 1, "early") || IS(i - 1, "late") ||
                      IS(i - 1, "mid") || IS(i - 1, "until") || IS(i - 1, "of"))))) {
            /* October 5[, 2014] / October 2014 / in October */
            if (m == 5 && TL(i) == 3 && !(tok[i].flags & SR_TF_CAP)) { /* "may" the verb */
                i++;
                continue;
            }
            x.named_month = 1;
            if (i + 1 < t1 && (dd = day_of(TS(i + 1), TL(i + 1)))) {
                e = i + 1;
                yy = 0;
                size_t k = i + 2;
                if (k < t1 && TS(k)[0] == ',')
                    k++;
                if (k < t1 && (yy = year_of(TS(k), TL(k))))
                    e = k;
                x.date = month_date(ref, m, yy, dd);
                x.absolute = yy != 0;
            } else if (i + 1 < t1 && (yy = year_of(TS(i + 1), TL(i + 1)))) {
                e = i + 1;
                x.prec = SR_PREC_MONTH;
                x.date = month_date(ref, m, yy, 0);
                x.absolute = 1;
            } else {
                x.prec = SR_PREC_MONTH;
                x.date = month_date(ref, m, 0, 0);
            }
            if (i > t0 && (IS(i - 1, "in") || IS(i - 1, "on") || IS(i - 1, "since") || IS(i - 1, "early") ||
                           IS(i - 1, "late") || IS(i - 1, "mid")))
                b = i - 1;
            if (b < i && IS(b, "since"))
                x.since = 1;
            if (!sr_ymd_valid(x.date))
                hit = 0;
        } else if ((f & F_DIGIT) && (dd = day_of(TS(i), TL(i))) && i + 1 < t1 &&
                   (m = month_of(TS(i + 1), TL(i + 1), 1))) {
            /* 5 October [2014] */
            x.named_month = 1;
            e = i + 1;
            yy = 0;
            if (i + 2 < t1 && (yy = year_of(TS(i + 2), TL(i + 2))))
                e = i + 2;
            x.date = month_date(ref, m, yy, dd);
            x.absolute = yy != 0;
            if (i > t0 && (IS(i - 1, "on") || IS(i - 1, "since")))
                b = i - 1;
            if (b < i && IS(b, "since"))
                x.since = 1;
            if (!sr_ymd_valid(x.date))
                hit = 0;
        } else if ((f & F_DIGIT) && (yy = year_of(TS(i), TL(i))) && i > t0 &&
                   (IS(i - 1, "in") || IS(i - 1, "since") || IS(i - 1, "of") || IS(i - 1, "mid") ||
                    IS(i - 1, "early") || IS(i - 1, "late") || IS(i - 1, "until"))) {
            b = i - 1;
            x.prec = SR_PREC_YEAR;
            sr_ymd d = {yy, 7, 1};
            if (IS(i - 1, "early"))
                d.m = 3;
            else if (IS(i - 1, "late"))
                d.m = 10;
            if (yy == ref.y && sr_ymd_days(d) > sr_ymd_days(ref))
                d = ref;
            x.date = d;
            x.since = IS(i - 1, "since");
            x.absolute = 1;
        } else if ((f & F_MID) && TL(i) == 8 && eqw(TS(i), 4, "mid-") && (yy = year_of(TS(i) + 4, 4))) {
            x.prec = SR_PREC_YEAR; /* mid-2012 */
            x.date = (sr_ymd){yy, 7, 1};
            x.absolute = 1;
        } else if ((f & (F_COUNT | F_DIGIT)) && count_of(TS(i), TL(i), &cnt)) {
            /* N units ago / two and a half years ago */
            size_t k = i + 1;
            if (k + 2 < t1 && IS(k, "and") && IS(k + 1, "a") && IS(k + 2, "half"))
                cnt += 0.5, k += 3;
            if (k < t1 && unit_of(TS(k), TL(k), &udays, &x.prec) && k + 1 < t1 && IS(k + 1, "ago")) {
                e = k + 1;
                if (udays >= 30) {
                    /* months and years count on the calendar: "two years ago" is the same day */
                    long months = (long)(cnt * (udays == 30 ? 1 : 12) + 0.5);
                    long mi = ref.y * 12L + (ref.m - 1) - months;
                    sr_ymd d = {(int)(mi / 12), (int)(mi % 12) + 1, ref.d};
                    if (d.d > mdays(d.y, d.m))
                        d.d = mdays(d.y, d.m);
                    x.date = d;
                } else
                    x.date = sr_ymd_add(ref, -(long)(cnt * udays + 0.5));
            } else
                hit = 0;
        } else
            hit = 0;
        if (!hit) {
            i++;
            continue;
        }
        x.tok0 = (uint32_t)b;
        x.tok1 = (uint32_t)(e + 1);
        x.start = tok[b].start;
        x.end = tok[e].start + tok[e].len;
        out[n++] = x;
        i = e + 1;
    }
    return n;
}
