/* html_hints.c — what an element's tag, class, id and ARIA role say about it.
 *
 * Page templates name their parts: "article-body", "entry-content" and
 * itemprop=articleBody mark the story; "comments", "related", "share",
 * "newsletter", "sidebar" mark what surrounds it.  These names are the
 * strongest signal an extractor has after the text itself, but only a
 * signal: the scorer weighs them against text length and link density.
 *
 * The table below is the rule data (kept in C because it is small, read on
 * every element and needs no parsing): each entry is a pattern, how it
 * must match the lower-cased class+id, and its weight.  TOKEN patterns match
 * a whole token (split at anything not a letter or digit), so "ad" does not
 * fire inside "header" or "download"; SUB patterns match anywhere, also
 * across separators removed ("article-body", "article_body", "articleBody"
 * all contain "articlebody" once separators are dropped); CLASS patterns
 * must be one whole class name ("hidden", not "hidden-xs", which only hides
 * on small screens).  Weights add up;
 * a boilerplate word outweighs a generic content word, so "related-content"
 * and "comment-body" come out negative while "article-body" is strongly
 * positive.  HIDE entries mean the element is never shown. */
#include "clean/html_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { M_TOKEN, M_SUB, M_CLASS };

#define HIDE (-1000)

typedef struct pat {
    const char *s;
    unsigned char mode;
    short weight;
} pat;

static const pat PATS[] = {
    /* the article body itself */
    {"articlebody", M_SUB, 6}, {"storybody", M_SUB, 6}, {"entrycontent", M_SUB, 6},
    {"postcontent", M_SUB, 5}, {"articlecontent", M_SUB, 5}, {"articletext", M_SUB, 5},
    {"posttext", M_SUB, 5}, {"postbody", M_SUB, 5}, {"storytext", M_SUB, 5}, {"storycontent", M_SUB, 5},
    {"bodytext", M_SUB, 4}, {"articledetail", M_SUB, 3}, {"newsbody", M_SUB, 4}, {"newstext", M_SUB, 4},
    {"contentbody", M_SUB, 3}, {"maintext", M_SUB, 3}, {"textcontent", M_SUB, 3}, {"richtext", M_SUB, 3},
    {"postentry", M_SUB, 4}, {"blogpost", M_SUB, 2}, {"hentry", M_TOKEN, 2}, {"prose", M_TOKEN, 2},
    /* generic content words: weak */
    {"article", M_SUB, 1}, {"content", M_SUB, 1}, {"story", M_SUB, 1}, {"entry", M_SUB, 1},
    {"post", M_TOKEN, 1}, {"text", M_TOKEN, 1}, {"body", M_SUB, 1}, {"main", M_SUB, 1}, {"blog", M_TOKEN, 1},
    /* around the story */
    {"comment", M_SUB, -5}, {"disqus", M_SUB, -6}, {"respond", M_SUB, -3}, {"replies", M_SUB, -3},
    {"related", M_SUB, -5}, {"recommend", M_SUB, -5}, {"more-stories", M_SUB, -5}, {"morestories", M_SUB, -5},
    {"trending", M_SUB, -4}, {"popular", M_SUB, -4}, {"mostread", M_SUB, -4}, {"most-read", M_SUB, -4},
    {"readmore", M_SUB, -3}, {"read-more", M_SUB, -3}, {"readnext", M_SUB, -4}, {"read-next", M_SUB, -4},
    {"upnext", M_SUB, -3}, {"outbrain", M_SUB, -6}, {"taboola", M_SUB, -6}, {"teaser", M_SUB, -3},
    {"share", M_SUB, -4}, {"sharing", M_SUB, -4}, {"social", M_SUB, -4}, {"follow", M_SUB, -2},
    {"newsletter", M_SUB, -5}, {"subscribe", M_SUB, -4}, {"subscription", M_SUB, -3}, {"signup", M_SUB, -4},
    {"sign-up", M_SUB, -4}, {"promo", M_SUB, -4}, {"sponsor", M_SUB, -4}, {"advert", M_SUB, -5},
    {"ad", M_TOKEN, -4}, {"ads", M_TOKEN, -4}, {"adsense", M_SUB, -5}, {"dfp", M_TOKEN, -4}, {"gpt", M_TOKEN, -3},
    {"banner", M_SUB, -3}, {"sidebar", M_SUB, -5}, {"widget", M_SUB, -3}, {"rail", M_TOKEN, -3},
    {"aside", M_SUB, -3}, {"nav", M_TOKEN, -5}, {"navbar", M_SUB, -5}, {"navigation", M_SUB, -5},
    {"menu", M_SUB, -5}, {"breadcrumb", M_SUB, -5}, {"footer", M_SUB, -5}, {"foot", M_TOKEN, -4},
    {"header", M_SUB, -3}, {"masthead", M_SUB, -5}, {"topbar", M_SUB, -4}, {"toolbar", M_SUB, -4},
    {"tools", M_TOKEN, -3}, {"pagination", M_SUB, -4}, {"pager", M_SUB, -4}, {"cookie", M_SUB, -5},
    {"gdpr", M_SUB, -5}, {"consent", M_SUB, -4}, {"popup", M_SUB, -4}, {"modal", M_SUB, -4},
    {"caption", M_SUB, -3}, {"credit", M_SUB, -3}, {"copyright", M_SUB, -4}, {"byline", M_SUB, -3},
    {"author", M_SUB, -2}, {"meta", M_TOKEN, -3}, {"tags", M_TOKEN, -4}, {"tag", M_TOKEN, -3},
    {"taglist", M_SUB, -4}, {"keywords", M_SUB, -3}, {"print", M_TOKEN, -3}, {"email", M_TOKEN, -3},
    {"login", M_SUB, -4}, {"paywall", M_SUB, -2}, {"disclaimer", M_SUB, -3}, {"skip", M_TOKEN, -4},
    {"hidden", M_CLASS, HIDE}, {"sr-only", M_CLASS, HIDE}, {"screen-reader-text", M_CLASS, HIDE},
    {"visually-hidden", M_CLASS, HIDE}, {"visuallyhidden", M_CLASS, HIDE}, {"element-invisible", M_CLASS, HIDE},
    {"contact", M_SUB, -2}, {"footnote", M_SUB, -1}, {"combx", M_SUB, -3}, {"shoutbox", M_SUB, -4},
    {"newsticker", M_SUB, -4}, {"ticker", M_TOKEN, -3}, {"alert", M_SUB, -3}, {"announcement", M_SUB, -2},
    {"donate", M_SUB, -4}, {"app-download", M_SUB, -4}, {"playlist", M_SUB, -3}, {"gallery", M_SUB, -2},
};

/* Does `t` (length n) appear in s as a whole token (delimited by anything
 * not a letter or digit), or with `space_only`, as a whole class name? */
static int has_token(const char *s, const char *t, size_t n, int space_only)
{
    for (const char *p = s; (p = strstr(p, t)); p++) {
        int left = p == s || (space_only ? p[-1] == ' ' : !isalnum((unsigned char)p[-1]));
        int right = space_only ? (p[n] == ' ' || !p[n]) : !isalnum((unsigned char)p[n]);
        if (left && right)
            return 1;
    }
    return 0;
}

int hx_hint_str(const char *classid)
{
    char low[512], flat[512], raw[512];
    size_t n = 0, m = 0, r = 0;
    /* camelCase boundaries become separators in `low` ("adContainer" has
     * the token "ad"), and `flat` drops separators for compound names */
    for (const char *s = classid; *s && n < sizeof low - 2; s++) {
        unsigned char c = (unsigned char)*s;
        raw[r++] = (char)tolower(c);
        if (isupper(c) && s > classid && islower((unsigned char)s[-1]))
            low[n++] = ' ';
        low[n++] = (char)tolower(c);
        if (isalnum(c) && m < sizeof flat - 1)
            flat[m++] = (char)tolower(c);
    }
    low[n] = '\0', flat[m] = '\0', raw[r] = '\0';
    if (!n)
        return 0;
    int w = 0;
    for (size_t i = 0; i < sizeof PATS / sizeof *PATS; i++) {
        const pat *p = &PATS[i];
        int hit;
        if (p->mode != M_SUB)
            hit = has_token(p->mode == M_CLASS ? raw : low, p->s, strlen(p->s), p->mode == M_CLASS);
        else
            hit = strchr(p->s, '-') ? strstr(low, p->s) != NULL
                                    : (strstr(flat, p->s) != NULL || strstr(low, p->s) != NULL);
        if (hit) {
            if (p->weight <= HIDE)
                return HIDE;
            w += p->weight;
        }
    }
    return w;
}

static const char *attr(const GumboNode *n, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Inline style that hides the element. */
static int hidden_style(const char *st)
{
    char buf[256];
    size_t n = 0;
    for (; *st && n < sizeof buf - 1; st++)
        if (!isspace((unsigned char)*st))
            buf[n++] = (char)tolower((unsigned char)*st);
    buf[n] = '\0';
    return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

int hx_hint(const GumboNode *n, unsigned *flags)
{
    *flags = 0;
    if (n->type != GUMBO_NODE_ELEMENT)
        return 0;
    const GumboVector *attrs = &n->v.element.attributes;
    int w = 0;
    if (attrs->length) {
        const char *v;
        if (gumbo_get_attribute(attrs, "hidden"))
            return HIDE;
        if ((v = attr(n, "style")) && hidden_style(v))
            return HIDE;
        if ((v = attr(n, "aria-hidden")) && !strcasecmp(v, "true") && n->v.element.tag != GUMBO_TAG_BODY &&
            n->v.element.tag != GUMBO_TAG_HTML)
            return HIDE;
        if ((v = attr(n, "itemprop")) && (!strcasecmp(v, "articleBody") || !strcasecmp(v, "text")))
            w += 8;
        if ((v = attr(n, "role"))) {
            if (!strcasecmp(v, "navigation") || !strcasecmp(v, "banner") || !strcasecmp(v, "contentinfo") ||
                !strcasecmp(v, "complementary") || !strcasecmp(v, "menu") || !strcasecmp(v, "dialog"))
                w -= 5;
            else if (!strcasecmp(v, "main") || !strcasecmp(v, "article"))
                w += 1;
        }
        const char *c = attr(n, "class"), *id = attr(n, "id");
        if (c || id) {
            char both[512];
            size_t cl = c ? strlen(c) : 0;
            if (cl > 300)
                cl = 300;
            int k = snprintf(both, sizeof both, "%.*s %.200s", (int)cl, c ? c : "", id ? id : "");
            (void)k;
            int h = hx_hint_str(both);
            if (h <= HIDE)
                return HIDE;
            w += h;
        }
    }
    switch (n->v.element.tag) {
    case GUMBO_TAG_NAV: w -= 6; break;
    case GUMBO_TAG_ASIDE: w -= 5; break;
    case GUMBO_TAG_FOOTER: w -= 5; break;
    case GUMBO_TAG_HEADER: w -= 2; break;
    case GUMBO_TAG_FORM: w -= 1; break;
    case GUMBO_TAG_ARTICLE: w += 2; break;
    case GUMBO_TAG_MAIN: w += 1; break;
    default: break;
    }
    if (w >= 3)
        *flags |= HX_N_BODYHINT;
    if (w <= -3)
        *flags |= HX_N_BAD;
    return w;
}
