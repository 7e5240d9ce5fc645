/* html_body.c — choose the article container and keep its story blocks.
 *
 * Two steps over the flat arrays of html_dom.c:
 *
 * 1. Container.  Every block gets a value: prose (enough characters, a
 *    sentence end, few links) counts for its length without link text;
 *    link lists count against by their link text; short fragments (labels,
 *    dates, buttons) count slightly against.  Blocks inside a boilerplate
 *    element (comments, related links, sidebars: see html_hints.c) count
 *    against in full, unless that element holds most of the page's prose
 *    (then its name is a wrapper's, not a sidebar's).  The container is the
 *    element whose subtree has the largest sum: it grows while the text it
 *    takes in is mostly prose and stops where link lists and boilerplate
 *    begin.  Prefix sums make the search one pass over the elements.
 *
 * 2. Blocks.  Inside the container each block is classified (as jusText
 *    does) good, bad or short, then the short ones and headings take their
 *    class from their neighbours: a short block between good ones is part of
 *    the story (a list item, a one-line paragraph), one at the edges (byline,
 *    "Share this") is not; a heading stays when good text follows it.
 *    Captions, the headline and blocks in boilerplate elements are dropped. */
#include "clean/html_int.h"
#include "core/mem.h"

#include <string.h>

enum { C_DROP = 0, C_GOOD, C_BAD, C_SHORT, C_HEAD, C_KEEP };

/* A class/id hint at least this strong names the article body itself
 * (itemprop=articleBody, "entry-content", "article-body"; see html_hints.c). */
#define STRONG_HINT 6

/* Share of the best container's score a descendant must keep to be chosen
 * instead (tuned on the article-extraction benchmark: 0.8) */
#ifndef TIGHT
#define TIGHT 0.8
#endif

/* Weight of an isolated prose block (see isolated()). */
#ifndef ISOLATED
#define ISOLATED 0.3
#endif

static double link_density(const hx_block *b) { return b->chars ? (double)b->linkchars / b->chars : 0.0; }

/* Prose: a real sentence or a long run of text, mostly not links. */
static int is_prose(const hx_block *b)
{
    double ld = link_density(b);
    /* several sentences carry links more easily than one line does */
    if (ld >= (b->stops >= 2 ? 0.5 : 0.35) || b->kind == HX_B_CAPTION)
        return 0;
    return (b->stops >= 1 && b->chars >= 50) || b->chars >= 120 || (b->commas >= 2 && b->chars >= 60);
}

/* Can block b stand next to story paragraphs?  Prose and plain headings
 * can; link lists, labels and metadata cannot.  Tiny blocks (source tags
 * like "[CNN]", counters) are skipped over by the caller. */
static int story_neighbour(const hx_block *b)
{
    return is_prose(b) || ((b->kind == HX_B_H || b->kind == HX_B_H1) && b->linkchars * 2 < b->chars);
}

/* A prose block with no story neighbour on either side: the blurb of a
 * teaser card (headline link, blurb, metadata), not a paragraph of a story. */
static int isolated(const hx_page *p, size_t i)
{
    size_t j;
    for (j = i; j-- > 0;)
        if (p->block[j].chars >= 20 && p->block[j].kind != HX_B_CAPTION) {
            if (story_neighbour(&p->block[j]))
                return 0;
            break;
        }
    for (j = i + 1; j < p->nblock; j++)
        if (p->block[j].chars >= 20 && p->block[j].kind != HX_B_CAPTION)
            return !story_neighbour(&p->block[j]);
    return 1;
}

static double block_value(const hx_block *b)
{
    if (b->kind == HX_B_CAPTION)
        return 0;
    double ld = link_density(b);
    if (is_prose(b)) {
        /* list items that each open with a link are teasers of other
         * stories (a headline linked, then its summary): their links count
         * against the container, as a link list does; in the story they
         * are still kept (see the block classes below) */
        if (b->kind == HX_B_LI && ld >= 0.15)
            return -(double)b->linkchars;
        return b->chars * (1.0 - ld);
    }
    if (ld >= 0.5)
        return -(double)b->linkchars;
    /* a table cell of data is neither story nor boilerplate */
    if (b->kind == HX_B_TD)
        return 0;
    return -0.25 * b->chars;
}

/* Marks elements lying in a boilerplate element below `top` (or anywhere
 * when top < 0) with bit 1, and those in a minor element (caption, byline)
 * with bit 4; bit 2 means "inside top".  An element named as boilerplate
 * is a wrapper, not boilerplate, when it holds at least half the prose
 * under `top` in three or more prose blocks (a layout "has-sidebar" div
 * around the article; a footer with one long legal notice is no wrapper).
 * A section opened by a boilerplate heading is never a wrapper.
 * prose[] and nprose[] are per-element prose weight and prose block count. */
static void mark_bad(const hx_page *p, const double *prose, const uint32_t *nprose, long top, unsigned char *bad)
{
    double total = top >= 0 ? prose[top] : prose[0];
    for (size_t i = 0; i < p->nnode; i++) {
        const hx_node *n = &p->node[i];
        int in_top = top < 0 || (long)i == top;
        unsigned char inh = 0;
        if (n->parent >= 0) {
            inh = bad[n->parent] & 5;
            in_top = in_top || (bad[n->parent] & 2);
        }
        int below = in_top && (long)i != top;
        int wrapper = prose[i] >= 0.5 * total && nprose[i] >= 3;
        if (below && (((n->flags & HX_N_BAD) && !wrapper) || (n->flags & HX_N_CUT)))
            inh |= 1;
        if (below && (n->flags & HX_N_MINOR) && !wrapper)
            inh |= 4;
        bad[i] = (unsigned char)(inh | (in_top ? 2 : 0));
    }
}

long hx_container(const hx_page *p) { return p->container; }

static int wordish(unsigned char c)
{
    return c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Normalised comparison: letters and digits only, case folded (ASCII). */
static int same_text(const char *a, size_t an, const char *b)
{
    size_t i = 0, j = 0, bn = strlen(b);
    for (;;) {
        while (i < an && !wordish((unsigned char)a[i]))
            i++;
        while (j < bn && !wordish((unsigned char)b[j]))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        char x = a[i], y = b[j];
        if ((unsigned char)x < 0x80)
            x = (char)(x | 0x20);
        if ((unsigned char)y < 0x80)
            y = (char)(y | 0x20);
        if (x != y)
            return 0;
        i++, j++;
    }
}

/* A heading that opens what surrounds a story: "Related articles", "You
 * may also like", "Comments", by its own class/id or by its words (the same
 * patterns as class names: see html_hints.c). */
static int noise_heading(const hx_page *p, const hx_block *b)
{
    if (b->kind != HX_B_H && b->kind != HX_B_H1)
        return 0;
    const hx_node *n = &p->node[b->node];
    if (n->flags & HX_N_BAD)
        return 1;
    if (b->len > 60)
        return 0;
    int noise = 0;
    return hx_hint_str(p->text.data + b->off, &noise) <= -3 && noise;
}

/* The section a boilerplate heading at block i opens: the smallest element
 * that begins with the heading and holds more than it (the heading's own
 * <header> wrapper is not the section; the box around both is).  It stays
 * below `top` when top >= 0. */
static long noise_section(const hx_page *p, size_t i, long top)
{
    long a = (long)p->block[i].node;
    while (p->node[a].b1 - p->node[a].b0 <= 1 && p->node[a].parent > top && p->node[p->node[a].parent].b0 == i)
        a = p->node[a].parent;
    return a;
}

sr_status hx_body(hx_page *p, const char *title, sr_buf *out)
{
    p->container = -1;
    if (!p->nblock || !p->nnode)
        return SR_OK;
    sr_status rc = SR_OK;
    size_t nb = p->nblock, nn = p->nnode;
    double *pv = sr_malloc((nb + 1) * sizeof *pv);   /* prefix sums of value */
    double *pp = sr_malloc((nb + 1) * sizeof *pp);   /* prefix sums of prose */
    double *prose = sr_malloc(nn * sizeof *prose);
    uint32_t *np = sr_malloc((nb + 1) * sizeof *np);     /* prefix counts of prose blocks */
    uint32_t *nprose = sr_malloc(nn * sizeof *nprose);
    unsigned char *bad = sr_malloc(nn);
    if (!pv || !pp || !prose || !bad || !np || !nprose) {
        rc = SR_ENOMEM;
        goto done;
    }
    pp[0] = 0, np[0] = 0;
    for (size_t i = 0; i < nb; i++) {
        const hx_block *b = &p->block[i];
        int pr = is_prose(b);
        pp[i + 1] = pp[i] + (pr ? b->chars * (1.0 - link_density(b)) : 0.0);
        np[i + 1] = np[i] + (uint32_t)pr;
    }
    for (size_t i = 0; i < nn; i++) {
        prose[i] = pp[p->node[i].b1] - pp[p->node[i].b0];
        nprose[i] = np[p->node[i].b1] - np[p->node[i].b0];
    }

    /* 1. the container; sections opened by a boilerplate heading count as
     * boilerplate elements */
    for (size_t i = 0; i < nb; i++)
        if (noise_heading(p, &p->block[i]))
            p->node[noise_section(p, i, -1)].flags |= HX_N_CUT;
    mark_bad(p, prose, nprose, -1, bad);
    pv[0] = 0;
    for (size_t i = 0; i < nb; i++) {
        const hx_block *b = &p->block[i];
        double v = block_value(b);
        if (v > 0 && isolated(p, i))
            v *= ISOLATED;
        if (bad[b->node] & 1)
            v = -(double)b->chars;
        else if (bad[b->node] & 4)
            v = 0;
        pv[i + 1] = pv[i] + v;
    }
    long best = -1;
    double best_s = 0;
    for (size_t i = 0; i < nn; i++) {
        const hx_node *n = &p->node[i];
        if (bad[i] & 1)
            continue;
        double s = pv[n->b1] - pv[n->b0];
        if (s > 0 && n->hint > 0)
            s *= 1.0 + 0.02 * (n->hint > 10 ? 10 : n->hint);
        if (best < 0 || s >= best_s)
            best = (long)i, best_s = s;
    }
    if (best < 0)
        best = 0;
    /* Prefer the tightest element that keeps most of the best score: teaser
     * cards and short blurbs around a story add a little positive value
     * each, and their sum should not drag the choice up to <body>. */
    if (best_s > 0) {
        long tight = best;
        for (size_t i = (size_t)best + 1; i < nn && p->node[i].b0 < p->node[best].b1; i++) {
            const hx_node *n = &p->node[i];
            if (bad[i] & 1)
                continue;
            double s = pv[n->b1] - pv[n->b0];
            if (s >= TIGHT * best_s && n->depth > p->node[tight].depth)
                tight = (long)i;
        }
        best = tight;
    }
    /* The template's own name for the article body (itemprop=articleBody,
     * "entry-content"...) beats a guess that lies inside it: tables, lists
     * and product boxes score low but belong to the story.  And when the
     * guess is a wrapper around such a named body that holds nearly all its
     * prose, the named body is the tighter choice. */
    for (long a = p->node[best].parent; a >= 0; a = p->node[a].parent)
        if (p->node[a].hint >= STRONG_HINT && !(bad[a] & 1)) {
            best = a;
            break;
        }
    if (p->node[best].hint < STRONG_HINT) {
        long tight = -1;
        for (size_t i = (size_t)best + 1; i < nn && p->node[i].b0 < p->node[best].b1; i++)
            if (p->node[i].hint >= STRONG_HINT && !(bad[i] & 1) && prose[i] >= 0.85 * prose[best] &&
                (tight < 0 || prose[i] > prose[tight]))
                tight = (long)i;
        if (tight >= 0)
            best = tight;
    }
    p->container = best;

    /* 2. the blocks inside it */
    const hx_node *c = &p->node[best];
    mark_bad(p, prose, nprose, best, bad);
    size_t ngood = 0;
    for (size_t i = c->b0; i < c->b1; i++) {
        hx_block *b = &p->block[i];
        double ld = link_density(b);
        if (noise_heading(p, b)) {
            long a = noise_section(p, i, best);
            size_t e = a == best ? i + 1 : p->node[a].b1;
            for (; i < e; i++)
                p->block[i].cls = C_DROP;
            i--;
            continue;
        }
        if ((bad[b->node] & 5) || b->kind == HX_B_CAPTION)
            b->cls = C_DROP;
        else if (b->kind == HX_B_H1 && title && same_text(p->text.data + b->off, b->len, title))
            b->cls = C_DROP;
        else if (ld >= 0.5 && !(ld < 0.7 && b->stops >= 1 && b->chars >= 80))
            b->cls = C_BAD;
        else if (b->kind == HX_B_H || b->kind == HX_B_H1)
            b->cls = C_HEAD;
        else if (is_prose(b))
            b->cls = C_GOOD, ngood++;
        else
            b->cls = C_SHORT;
    }
    /* Context.  The story runs from the first to the last good block:
     * inside that span short blocks are its one-line paragraphs, list items
     * and table rows, and stay; outside it they are bylines, dates and
     * "Share this", and go, unless one reads as a sentence (40+ characters
     * with a full stop) right next to the story.  A heading stays when good
     * text follows it before any link list.  prevk/nextk: the nearest good or
     * bad block on each side (dropped and short blocks are transparent). */
    size_t first = c->b1, last = c->b0;
    for (size_t i = c->b0; i < c->b1; i++)
        if (p->block[i].cls == C_GOOD) {
            if (first == c->b1)
                first = i;
            last = i;
        }
    int prevk = C_BAD;
    for (size_t i = c->b0; i < c->b1; i++) {
        hx_block *b = &p->block[i];
        if (b->cls == C_GOOD || b->cls == C_BAD)
            prevk = b->cls;
        else if (b->cls == C_SHORT || b->cls == C_HEAD)
            b->neg = prevk;          /* remember the left neighbour */
    }
    int nextk = C_BAD;
    for (size_t i = c->b1; i-- > c->b0;) {
        hx_block *b = &p->block[i];
        if (b->cls == C_GOOD || b->cls == C_BAD) {
            nextk = b->cls;
            continue;
        }
        if (b->cls != C_SHORT && b->cls != C_HEAD)
            continue;
        int inside = ngood && i > first && i < last;
        int sentence = b->chars >= 40 && b->stops;
        if (!ngood)
            b->cls = C_KEEP;   /* no prose at all: keep what is not links */
        else if (b->cls == C_HEAD)
            b->cls = nextk == C_GOOD && i < last ? C_KEEP : C_DROP;
        else if (inside)
            b->cls = C_KEEP;
        else if (sentence && (nextk == C_GOOD || b->neg == C_GOOD))
            b->cls = C_KEEP;
        else
            b->cls = C_DROP;
    }
    for (size_t i = c->b0; i < c->b1; i++) {
        const hx_block *b = &p->block[i];
        if (b->cls != C_GOOD && b->cls != C_KEEP)
            continue;
        if ((out->len && sr_buf_add(out, "\n\n", 2)) || sr_buf_add(out, p->text.data + b->off, b->len)) {
            rc = SR_ENOMEM;
            goto done;
        }
    }
done:
    sr_free(pv), sr_free(pp), sr_free(prose), sr_free(bad), sr_free(np), sr_free(nprose);
    return rc;
}
