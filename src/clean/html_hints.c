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
    unsigned char minor;     /* a part of the story's furniture (caption,
                              * byline, tags): dropped from the body but no
                              * evidence against the container around it */
} pat;

static const pat PATS[] = {
    /* the article body itself */
    {"articlebody", M_SUB, 6, 0}, {"storybody", M_SUB, 6, 0}, {"entrycontent", M_SUB, 6, 0},
    {"postcontent", M_SUB, 5, 0}, {"articlecontent", M_SUB, 5, 0}, {"articletext", M_SUB, 5, 0},
    {"posttext", M_SUB, 5, 0}, {"postbody", M_SUB, 5, 0}, {"storytext", M_SUB, 5, 0}, {"storycontent", M_SUB, 5, 0},
    {"bodytext", M_SUB, 4, 0}, {"articledetail", M_SUB, 3, 0}, {"newsbody", M_SUB, 4, 0}, {"newstext", M_SUB, 4, 0},
    {"contentbody", M_SUB, 3, 0}, {"maintext", M_SUB, 3, 0}, {"textcontent", M_SUB, 3, 0}, {"richtext", M_SUB, 3, 0},
    {"postentry", M_SUB, 4, 0}, {"blogpost", M_SUB, 2, 0}, {"hentry", M_TOKEN, 2, 0}, {"prose", M_TOKEN, 2, 0},
    /* generic content words: weak */
    {"article", M_SUB, 1, 0}, {"content", M_SUB, 1, 0}, {"story", M_SUB, 1, 0}, {"entry", M_SUB, 1, 0},
    {"post", M_TOKEN, 1, 0}, {"text", M_TOKEN, 1, 0}, {"body", M_SUB, 1, 0}, {"main", M_SUB, 1, 0}, {"blog", M_TOKEN, 1, 0},
    /* around the story */
    {"comment", M_SUB, -5, 0}, {"disqus", M_SUB, -6, 0}, {"respond", M_SUB, -3, 0}, {"replies", M_SUB, -3, 0},
    {"related", M_SUB, -5, 0}, {"recommend", M_SUB, -5, 0}, {"more-stories", M_SUB, -5, 0}, {"morestories", M_SUB, -5, 0},
    {"trending", M_SUB, -4, 0}, {"popular", M_SUB, -4, 0}, {"mostread", M_SUB, -4, 0}, {"most-read", M_SUB, -4, 0},
    {"readmore", M_SUB, -3, 0}, {"read-more", M_SUB, -3, 0}, {"readnext", M_SUB, -4, 0}, {"read-next", M_SUB, -4, 0},
    {"upnext", M_SUB, -3, 0}, {"outbrain", M_SUB, -6, 0}, {"taboola", M_SUB, -6, 0}, {"teaser", M_SUB, -3, 0},
    {"share", M_SUB, -4, 0}, {"sharing", M_SUB, -4, 0}, {"social", M_SUB, -4, 0}, {"follow", M_SUB, -2, 1},
    {"newsletter", M_SUB, -5, 0}, {"subscribe", M_SUB, -4, 0}, {"subscription", M_SUB, -3, 0}, {"signup", M_SUB, -4, 0},
    {"sign-up", M_SUB, -4, 0}, {"promo", M_SUB, -4, 0}, {"sponsor", M_SUB, -4, 0}, {"advert", M_SUB, -5, 0},
    {"ad", M_TOKEN, -4, 0}, {"ads", M_TOKEN, -4, 0}, {"adsense", M_SUB, -5, 0}, {"dfp", M_TOKEN, -4, 0}, {"gpt", M_TOKEN, -3, 0},
    {"banner", M_SUB, -3, 0}, {"sidebar", M_SUB, -5, 0}, {"widget", M_SUB, -3, 0}, {"rail", M_TOKEN, -3, 0},
    {"aside", M_SUB, -3, 0}, {"nav", M_TOKEN, -5, 0}, {"navbar", M_SUB, -5, 0}, {"navigation", M_SUB, -5, 0},
    {"menu", M_SUB, -5, 0}, {"breadcrumb", M_SUB, -5, 0}, {"footer", M_SUB, -5, 0}, {"foot", M_TOKEN, -4, 0},
    {"header", M_SUB, -3, 1}, {"masthead", M_SUB, -5, 0}, {"topbar", M_SUB, -4, 0}, {"toolbar", M_SUB, -4, 0},
    {"tools", M_TOKEN, -3, 0}, {"pagination", M_SUB, -4, 0}, {"pager", M_SUB, -4, 0}, {"cookie", M_SUB, -5, 0},
    {"gdpr", M_SUB, -5, 0}, {"consent", M_SUB, -4, 0}, {"popup", M_SUB, -4, 0}, {"modal", M_SUB, -4, 0},
    {"caption", M_SUB, -3, 1}, {"credit", M_SUB, -3, 1}, {"copyright", M_SUB, -4, 0}, {"byline", M_SUB, -3, 1},
    {"author", M_SUB, -2, 1}, {"meta", M_TOKEN, -3, 1}, {"tags", M_TOKEN, -4, 1}, {"tag", M_TOKEN, -3, 1},
    {"taglist", M_SUB, -4, 1}, {"keywords", M_SUB, -3, 1}, {"print", M_TOKEN, -3, 1}, {"email", M_TOKEN, -3, 1},
    {"login", M_SUB, -4, 0}, {"paywall", M_SUB, -2, 1}, {"disclaimer", M_SUB, -3, 1}, {"skip", M_TOKEN, -4, 1},
    {"hidden", M_CLASS, HIDE, 0}, {"sr-only", M_CLASS, HIDE, 0}, {"screen-reader-text", M_CLASS, HIDE, 0},
    {"visually-hidden", M_CLASS, HIDE, 0}, {"visuallyhidden", M_CLASS, HIDE, 0}, {"element-invisible", M_CLASS, HIDE, 0},
    {"contact", M_SUB, -2, 1}, {"footnote", M_SUB, -1, 1}, {"combx", M_SUB, -3, 0}, {"shoutbox", M_SUB, -4, 0},
    {"newsticker", M_SUB, -4, 0}, {"ticker", M_TOKEN, -3, 0}, {"alert", M_SUB, -3, 1}, {"announcement", M_SUB, -2, 1},
    {"donate", M_SUB, -4, 0}, {"app-download", M_SUB, -4, 0}, {"playlist", M_SUB, -3, 1}, {"gallery", M_SUB, -2, 1},
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

int hx_hint_str(const char *classid, int *noise)
{
    int dummy;
    if (!noise)
        noise = &dummy;
    *noise = 0;
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
            if (p->weight < 0 && !p->minor)
                *noise = 1;
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
    int w = 0, noise = 0;
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
                w -= 5, noise = 1;
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
            int nz = 0;
            int h = hx_hint_str(both, &nz);
            noise |= nz;
            if (h <= HIDE)
                return HIDE;
            w += h;
        }
    }
    switch (n->v.element.tag) {
    case GUMBO_TAG_NAV: w -= 6, noise = 1; break;
    case GUMBO_TAG_ASIDE: w -= 5, noise = 1; break;
    case GUMBO_TAG_FOOTER: w -= 5, noise = 1; break;
    case GUMBO_TAG_HEADER: w -= 2; break;
    case GUMBO_TAG_FORM: w -= 1; break;
    case GUMBO_TAG_ARTICLE: w += 2; break;
    case GUMBO_TAG_MAIN: w += 1; break;
    default: break;
    }
    if (w >= 3)
        *flags |= HX_N_BODYHINT;
    if (w <= -3 && noise)
        *flags |= HX_N_BAD;
    else if (w <= -2)
        *flags |= HX_N_MINOR;
    return w;
}
