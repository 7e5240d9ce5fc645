/* html_meta.c — title and publication date of a page, and its JSON-LD body.
 *
 * Pages state their metadata in several places of uneven reliability; we
 * gather every candidate in one walk and keep the most reliable:
 *   date:  publication <meta> tags (article:published_time, datePublished,
 *          DC.date.issued...) and JSON-LD datePublished, then elements marked
 *          itemprop=datePublished or <time pubdate>, then generic "date"
 *          meta tags and the first <time datetime>, then a date in the
 *          canonical URL (/2019/11/20/).  Modification dates are ignored.
 *   title: og:title, twitter:title, JSON-LD headline, the first <h1>, and
 *          <title>, each with a " | Site name" decoration removed.
 * Dates in any common written form are normalised to YYYY-MM-DD by
 * hx_parse_date. */
#include "clean/html_int.h"
#include "core/mem.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---------- dates ---------- */

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* Month names of a few more languages the corpora use (first letters,
 * enough to be unambiguous): French, German, Spanish, Italian, Portuguese. */
static const struct { const char *s; int m; } MONTHS_X[] = {
    {"janv", 1}, {"févr", 2}, {"fevr", 2}, {"mars", 3}, {"avr", 4}, {"mai", 5}, {"juin", 6}, {"juil", 7},
    {"août", 8}, {"aout", 8}, {"sept", 9}, {"déc", 12}, {"januar", 1}, {"februar", 2}, {"märz", 3},
    {"juni", 6}, {"juli", 7}, {"okt", 10}, {"dez", 12}, {"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12},
    {"gen", 1}, {"giu", 6}, {"lug", 7}, {"set", 9}, {"ott", 10}, {"fev", 2}, {"out", 10},
};

static int month_word(const char *w, size_t n)
{
    char low[16];
    if (n < 3 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = '\0';
    for (int i = 0; i < 12; i++)
        if (!strncmp(low, MONTHS[i], 3)) {
            /* "mar" but not "marks"; full English names and abbreviations */
            static const char *const FULL[] = {"january", "february", "march", "april", "may", "june", "july",
                                               "august", "september", "october", "november", "december"};
            if (n == 3 || !strncmp(FULL[i], low, n) || (n == 4 && !strcmp(low, "sept")))
                return i + 1;
        }
    for (size_t i = 0; i < sizeof MONTHS_X / sizeof *MONTHS_X; i++)
        if (!strncmp(low, MONTHS_X[i].s, strlen(MONTHS_X[i].s)))
            return MONTHS_X[i].m;
    return 0;
}

static int valid_ymd(int y, int m, int d) { return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

static int put_ymd(int y, int m, int d, char out[11])
{
    if (!valid_ymd(y, m, d))
        return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 1;
}

int hx_parse_date(const char *s, size_t n, char out[11])
{
    /* tokens: numbers (value, digit count) and month words, in order */
    struct { int v, digits, month; } tk[12];
    int nt = 0;
    if (n > 80)
        n = 80;
    size_t i = 0;
    while (i < n && nt < 12) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            size_t j = i;
            long v = 0;
            while (j < n && isdigit((unsigned char)s[j]) && j - i < 9)
                v = v * 10 + (s[j++] - '0');
            tk[nt].v = (int)v, tk[nt].digits = (int)(j - i), tk[nt].month = 0;
            nt++;
            /* a time of day ends the date part: "10:30" */
            if (j < n && s[j] == ':')
                break;
            i = j;
        } else if (isalpha(c) || c >= 0x80) {
            size_t j = i;
            while (j < n && (isalpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80))
                j++;
            int m = month_word(s + i, j - i);
            if (m) {
                tk[nt].v = 0, tk[nt].digits = 0, tk[nt].month = m;
                nt++;
            }
            /* "T" of ISO 8601 ends the date: "2019-11-20T10:00" */
            if (j - i == 1 && (c == 'T' || c == 't') && nt >= 3)
                break;
            i = j;
        } else
            i++;
    }
    if (!nt)
        return 0;
    /* YYYYMMDD as one number */
    if (tk[0].digits == 8)
        return put_ymd(tk[0].v / 10000, tk[0].v / 100 % 100, tk[0].v % 100, out);
    /* a month name: the day is the 1-2 digit number, the year the 4-digit one */
    for (int k = 0; k < nt; k++)
        if (tk[k].month) {
            int y = 0, d = 0;
            for (int j = 0; j < nt; j++) {
                if (tk[j].month)
                    continue;
                if (tk[j].digits == 4 && !y)
                    y = tk[j].v;
                else if (tk[j].digits <= 2 && !d && tk[j].v >= 1 && tk[j].v <= 31)
                    d = tk[j].v;
            }
            return put_ymd(y, tk[k].month, d, out);
        }
    if (nt < 3)
        return 0;
    /* year first: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, 2019년 11월 20일 */
    if (tk[0].digits == 4)
        return put_ymd(tk[0].v, tk[1].v, tk[2].v, out);
    /* year last: DD.MM.YYYY (dots, dashes) or MM/DD/YYYY (slashes), unless
     * the numbers only fit the other order */
    if (tk[2].digits == 4 || tk[2].digits == 2) {
        int y = tk[2].digits == 2 ? 2000 + tk[2].v : tk[2].v;
        int a = tk[0].v, b = tk[1].v;
        int slash = memchr(s, '/', n) != NULL;
        if (a > 12 || (!slash && b <= 12))
            return put_ymd(y, b, a, out);
        return put_ymd(y, a, b, out);
    }
    return 0;
}

int hx_url_date(const char *url, char out[11])
{
    if (!url)
        return 0;
    for (const char *p = url; *p; p++) {
        if (*p != '/' && *p != '-' && *p != '_')
            continue;
        const char *q = p + 1;
        if (!(isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]) &&
              isdigit((unsigned char)q[3])))
            continue;
        int y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
        if (y < 1990 || y > 2100)
            continue;
        q += 4;
        if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]) &&
            isdigit((unsigned char)q[3]) && !isdigit((unsigned char)q[4])) {
            /* /20191120/ */
            int m = (q[0] - '0') * 10 + (q[1] - '0'), d = (q[2] - '0') * 10 + (q[3] - '0');
            if (put_ymd(y, m, d, out))
                return 1;
            continue;
        }
        char sep = *q;
        if (sep != '/' && sep != '-' && sep != '_')
            continue;
        q++;
        int m = 0, d = 0, k = 0;
        while (isdigit((unsigned char)*q) && k < 2)
            m = m * 10 + (*q++ - '0'), k++;
        if (!k || *q != sep)
            continue;
        q++;
        k = 0;
        while (isdigit((unsigned char)*q) && k < 2)
            d = d * 10 + (*q++ - '0'), k++;
        if (!k || isdigit((unsigned char)*q))
            continue;
        if (put_ymd(y, m, d, out))
            return 1;
    }
    return 0;
}

/* ---------- titles ---------- */

/* Separators between a headline and a site name, longest first. */
static const char *const SEPS[] = {" | ", " || ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « ", " / ", " : "};

/* Case-insensitive (ASCII) substring test; strcasestr is not standard C. */
static int ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 0;
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

static int eq_fold(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    return an == bn && !strncasecmp(a, b, an);
}

size_t hx_clean_title(char *t, size_t n, const char *site)
{
    /* trim */
    while (n && t[n - 1] == ' ')
        n--;
    size_t s0 = 0;
    while (s0 < n && t[s0] == ' ')
        s0++;
    if (s0)
        memmove(t, t + s0, n - s0), n -= s0;
    t[n] = '\0';
    for (size_t k = 0; k < sizeof SEPS / sizeof *SEPS; k++) {
        const char *sep = SEPS[k];
        size_t sl = strlen(sep);
        /* last separator: "Headline | Section | Site" keeps "Headline | Section"
         * first, then loops */
        char *last = NULL;
        for (char *p = t; (p = strstr(p, sep)); p++)
            last = p;
        if (!last)
            continue;
        size_t head = (size_t)(last - t), tail = n - head - sl;
        const char *tp = last + sl;
        int tail_site = site && (eq_fold(tp, tail, site) || ci_contains(tp, site));
        /* a suffix that is the site name, or short next to a long headline */
        if (tail_site || (count_words(tp, tail) <= 4 && count_words(t, head) >= 3 && tail < head)) {
            n = head;
            t[n] = '\0';
            k = (size_t)-1;     /* look again: "A | Section | Site" */
            continue;
        }
        /* a prefix that is the site name: "Site | Headline" */
        char *first = strstr(t, sep);
        size_t fh = (size_t)(first - t);
        if ((site && eq_fold(t, fh, site)) || (count_words(t, fh) <= 3 && count_words(first + sl, n - fh - sl) >= 4 &&
                                                 fh * 3 < n - fh - sl && site && ci_contains(t, site))) {
            memmove(t, first + sl, n - fh - sl + 1);
            n -= fh + sl;
            k = (size_t)-1;
        }
    }
    return n;
}

/* ---------- collecting candidates ---------- */

typedef struct cand {
    int prio;                /* lower is better; 99 = none yet */
    char date[11];
} cand;

static void offer_date(cand *c, int prio, const char *s)
{
    char d[11];
    if (!s || prio >= c->prio || !hx_parse_date(s, strlen(s), d))
        return;
    c->prio = prio;
    memcpy(c->date, d, 11);
}

/* Publication-date meta names (property, name or itemprop), lower case,
 * with their reliability (lower is better). */
static const struct { const char *k; int prio; } DATE_KEYS[] = {
    {"article:published_time", 1}, {"og:published_time", 1}, {"og:article:published_time", 1},
    {"datepublished", 1}, {"article:published", 1}, {"article.published", 1}, {"published_time", 1},
    {"publishdate", 2}, {"publish-date", 2}, {"publish_date", 2}, {"publication_date", 2},
    {"pubdate", 2}, {"dc.date.issued", 2}, {"dcterms.issued", 2}, {"citation_publication_date", 2},
    {"sailthru.date", 3}, {"parsely-pub-date", 2}, {"article_date_original", 2}, {"original-publish-date", 2},
    {"cxenseparse:recs:publishtime", 2}, {"dc.date", 4}, {"dcterms.date", 4}, {"dcterms.created", 4},
    {"dc.date.created", 4}, {"date", 5}, {"article.created", 4}, {"displaydate", 4}, {"created", 5},
};

typedef struct collect {
    sr_arena *a;
    cand date;
    const char *og_title, *tw_title, *ld_title, *title, *h1, *site, *url, *canonical;
    const char *ld_body;
    size_t ld_body_len;
    sr_buf tmp;
} collect;

static const char *attr(const GumboNode *n, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Visible text of an element, whitespace collapsed, into c->tmp. */
static void node_text(const GumboNode *n, sr_buf *b, int depth)
{
    if (depth > 64)
        return;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
        for (const char *s = n->v.text.text; *s; s++) {
            unsigned char c = (unsigned char)*s;
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
                if (b->len && b->data[b->len - 1] != ' ')
                    sr_buf_addc(b, ' ');
            } else if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
                s++;
                if (b->len && b->data[b->len - 1] != ' ')
                    sr_buf_addc(b, ' ');
            } else
                sr_buf_addc(b, (char)c);
        }
        return;
    }
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE)
        return;
    for (unsigned i = 0; i < n->v.element.children.length; i++)
        node_text(n->v.element.children.data[i], b, depth + 1);
}

static const char *dup_text(collect *c, const GumboNode *n)
{
    sr_buf_clear(&c->tmp);
    node_text(n, &c->tmp, 0);
    size_t s = 0, e = c->tmp.len;
    while (s < e && c->tmp.data[s] == ' ')
        s++;
    while (e > s && c->tmp.data[e - 1] == ' ')
        e--;
    return e > s ? sr_arena_strndup(c->a, c->tmp.data + s, e - s) : NULL;
}

static const char *dup(collect *c, const char *s) { return s && *s ? sr_arena_strndup(c->a, s, strlen(s)) : NULL; }

static int is_article_type(json_t *t)
{
    const char *s = json_string_value(t);
    if (json_is_array(t) && json_array_size(t))
        s = json_string_value(json_array_get(t, 0));
    if (!s)
        return 0;
    return strstr(s, "Article") || strstr(s, "Posting") || strstr(s, "Report") || !strcmp(s, "WebPage") ||
           strstr(s, "News");
}

static void ld_walk(collect *c, json_t *o, int depth)
{
    if (depth > 16)
        return;
    if (json_is_array(o)) {
        size_t i;
        json_t *v;
        json_array_foreach(o, i, v) ld_walk(c, v, depth + 1);
        return;
    }
    if (!json_is_object(o))
        return;
    int art = is_article_type(json_object_get(o, "@type"));
    json_t *v;
    if (art && (v = json_object_get(o, "datePublished")) && json_is_string(v))
        offer_date(&c->date, 1, json_string_value(v));
    else if ((v = json_object_get(o, "datePublished")) && json_is_string(v))
        offer_date(&c->date, 3, json_string_value(v));
    if (art && !c->ld_title && (v = json_object_get(o, "headline")) && json_is_string(v))
        c->ld_title = dup(c, json_string_value(v));
    if ((v = json_object_get(o, "articleBody")) && json_is_string(v) &&
        strlen(json_string_value(v)) > c->ld_body_len) {
        c->ld_body = dup(c, json_string_value(v));
        c->ld_body_len = c->ld_body ? strlen(c->ld_body) : 0;
    }
    const char *k;
    json_object_foreach(o, k, v) if (json_is_object(v) || json_is_array(v)) ld_walk(c, v, depth + 1);
}

static void ld_script(collect *c, const GumboNode *n)
{
    if (n->v.element.children.length != 1)
        return;
    const GumboNode *t = n->v.element.children.data[0];
    if (t->type != GUMBO_NODE_TEXT && t->type != GUMBO_NODE_WHITESPACE && t->type != GUMBO_NODE_CDATA)
        return;
    const char *s = t->v.text.text;
    size_t len = strlen(s);
    /* raw line breaks inside strings are common and invalid JSON: blank them */
    char *fixed = sr_malloc(len + 1);
    if (!fixed)
        return;
    for (size_t i = 0; i < len; i++)
        fixed[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    fixed[len] = '\0';
    json_error_t je;
    json_t *o = json_loadb(fixed, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (o)
        ld_walk(c, o, 0);
    json_decref(o);
    sr_free(fixed);
}

static void on_meta(collect *c, const GumboNode *n)
{
    const char *key = attr(n, "property");
    if (!key)
        key = attr(n, "name");
    if (!key)
        key = attr(n, "itemprop");
    const char *val = attr(n, "content");
    if (!key || !val || !*val)
        return;
    if (!strcasecmp(key, "og:title"))
        c->og_title = c->og_title ? c->og_title : dup(c, val);
    else if (!strcasecmp(key, "twitter:title"))
        c->tw_title = c->tw_title ? c->tw_title : dup(c, val);
    else if (!strcasecmp(key, "og:site_name"))
        c->site = c->site ? c->site : dup(c, val);
    else if (!strcasecmp(key, "og:url"))
        c->url = c->url ? c->url : dup(c, val);
    else
        for (size_t i = 0; i < sizeof DATE_KEYS / sizeof *DATE_KEYS; i++)
            if (!strcasecmp(key, DATE_KEYS[i].k)) {
                offer_date(&c->date, DATE_KEYS[i].prio, val);
                break;
            }
}

static void on_element(collect *c, const GumboNode *n)
{
    GumboTag t = n->v.element.tag;
    const char *v;
    switch (t) {
    case GUMBO_TAG_META:
        on_meta(c, n);
        return;
    case GUMBO_TAG_LINK:
        if ((v = attr(n, "rel")) && !strcasecmp(v, "canonical") && !c->canonical)
            c->canonical = dup(c, attr(n, "href"));
        return;
    case GUMBO_TAG_SCRIPT:
        if ((v = attr(n, "type")) && ci_contains(v, "ld+json"))
            ld_script(c, n);
        return;
    case GUMBO_TAG_TITLE:
        if (!c->title)
            c->title = dup_text(c, n);
        return;
    case GUMBO_TAG_H1:
        if (!c->h1)
            c->h1 = dup_text(c, n);
        break;
    case GUMBO_TAG_TIME:
        if ((v = attr(n, "datetime"))) {
            const char *ip = attr(n, "itemprop");
            if ((ip && !strcasecmp(ip, "datePublished")) || attr(n, "pubdate"))
                offer_date(&c->date, 2, v);
            else if (!ip || strcasecmp(ip, "dateModified"))
                offer_date(&c->date, 6, v);
        }
        break;
    default:
        break;
    }
    if ((v = attr(n, "itemprop")) && !strcasecmp(v, "datePublished") && t != GUMBO_TAG_META) {
        const char *d = attr(n, "content");
        if (!d)
            d = attr(n, "datetime");
        if (d)
            offer_date(&c->date, 2, d);
        else {
            const char *txt = dup_text(c, n);
            if (txt)
                offer_date(&c->date, 3, txt);
        }
    }
}

/* Copy a title candidate and strip its site decoration. */
static const char *clean_copy(collect *c, const char *t)
{
    if (!t)
        return NULL;
    size_t n = strlen(t);
    char *s = sr_arena_strndup(c->a, t, n);
    if (!s)
        return NULL;
    /* collapse whitespace runs first (titles carry line breaks) */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i];
        if (ch == ' ' && (k == 0 || s[k - 1] == ' '))
            continue;
        s[k++] = ch;
    }
    s[k] = '\0';
    n = hx_clean_title(s, k, c->site);
    return n ? s : NULL;
}

sr_status hx_meta_collect(const GumboNode *root, sr_arena *arena, hx_meta *m)
{
    memset(m, 0, sizeof *m);
    collect c;
    memset(&c, 0, sizeof c);
    c.a = arena;
    c.date.prio = 99;
    sr_buf_init(&c.tmp);
    /* iterative pre-order walk over elements */
    const GumboNode **st = NULL;
    size_t nst = 0, cap = 0;
    sr_status rc = SR_OK;
    if (root && root->type == GUMBO_NODE_ELEMENT) {
        st = sr_malloc(64 * sizeof *st);
        if (!st)
            return SR_ENOMEM;
        cap = 64;
        st[nst++] = root;
    }
    while (nst) {
        const GumboNode *n = st[--nst];
        on_element(&c, n);
        const GumboVector *kids = &n->v.element.children;
        for (unsigned i = kids->length; i-- > 0;) {
            const GumboNode *k = kids->data[i];
            if (k->type != GUMBO_NODE_ELEMENT)
                continue;
            if (nst == cap) {
                const GumboNode **ns = sr_realloc(st, 2 * cap * sizeof *ns);
                if (!ns) {
                    rc = SR_ENOMEM;
                    goto done;
                }
                st = ns, cap *= 2;
            }
            st[nst++] = k;
        }
    }
    if (c.date.prio == 99) {
        char d[11];
        if (hx_url_date(c.canonical, d) || hx_url_date(c.url, d))
            memcpy(c.date.date, d, 11), c.date.prio = 7;
    }
    if (c.date.prio < 99)
        m->published = sr_arena_strndup(arena, c.date.date, 10);
    /* title: the first that survives cleaning, in order of reliability */
    const char *order[] = {c.og_title, c.tw_title, c.ld_title, c.h1, c.title};
    for (size_t i = 0; i < sizeof order / sizeof *order && !m->title; i++)
        m->title = clean_copy(&c, order[i]);
    m->ld_body = c.ld_body;
    m->site = c.site;
done:
    sr_free(st);
    sr_buf_finish(&c.tmp);
    return rc;
}
