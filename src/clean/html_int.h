/* html_int.h — internals of the HTML article extractor (html*.c).
 *
 * The extractor turns a gumbo tree into two flat arrays in document order:
 * elements (hx_node, each knowing the range of blocks in its subtree) and
 * text blocks (hx_block, one run of inline text between block boundaries,
 * with its length, link text and punctuation counts).  Scoring then works
 * on these arrays with prefix sums instead of re-walking the tree.  The
 * pieces are exposed here so the unit tests can check each one on tiny
 * hand-written pages; nothing outside src/clean includes this file. */
#ifndef SR_HTML_INT_H
#define SR_HTML_INT_H

#include <gumbo.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

/* Block kinds, from the nearest block-level element around the text. */
enum { HX_B_DIV = 0, HX_B_P, HX_B_H, HX_B_H1, HX_B_LI, HX_B_QUOTE, HX_B_PRE, HX_B_TD, HX_B_CAPTION };

/* Element flags (inherited by the subtree where noted). */
#define HX_N_CAPTION 0x01u   /* inside figure/figcaption (inherited) */
#define HX_N_BAD     0x02u   /* this element's class/id/tag says boilerplate */
#define HX_N_BODYHINT 0x04u  /* this element's class/id says "the article body" */
#define HX_N_MINOR   0x08u   /* caption, byline, tags: not story text, not noise */
#define HX_N_CUT     0x10u   /* a section opened by a "Related"/"Comments" heading */

typedef struct hx_node {
    const GumboNode *g;
    int32_t parent;          /* index into page nodes, -1 for the top */
    uint32_t b0, b1;         /* blocks [b0, b1) lie in this subtree */
    int16_t hint;            /* class/id/tag evidence: > 0 content, < 0 boilerplate */
    uint16_t depth;
    uint8_t flags;
} hx_node;

typedef struct hx_block {
    uint32_t off, len;       /* bytes of its text in page->text */
    uint32_t node;           /* owning element (nearest block-level ancestor) */
    uint32_t chars;          /* weighted characters (CJK counts 3: denser script) */
    uint32_t linkchars;      /* of which inside <a> */
    uint16_t words, stops;   /* words; sentence-ending punctuation marks */
    uint16_t commas;
    uint8_t kind;            /* HX_B_* */
    uint8_t cls;             /* classification, see html_body.c */
    int32_t neg;             /* most negative hint on the path from the container */
} hx_block;

typedef struct hx_page {
    hx_node *node;
    size_t nnode, capnode;
    hx_block *block;
    size_t nblock, capblock;
    sr_buf text;             /* block texts, back to back (NUL between) */
    long container;          /* element chosen by hx_body, -1 before */
} hx_page;

/* html_dom.c: build the arrays from a parsed tree.  Page must be zeroed;
 * release with hx_page_finish. */
sr_status hx_page_build(hx_page *p, const GumboNode *root);
void hx_page_finish(hx_page *p);

/* html_hints.c: evidence from an element's tag, class and id (> 0: article
 * body; < 0: boilerplate; 0: nothing known).  *flags gets HX_N_* bits. */
int hx_hint(const GumboNode *n, unsigned *flags);
/* The hint of a class/id string alone; *noise (may be NULL) is set when a
 * boilerplate pattern (not a minor one like "caption") matched. */
int hx_hint_str(const char *classid, int *noise);

/* html_body.c: append the article body of the page to out ("\n\n" between
 * paragraphs).  `title` (may be NULL) is dropped when it opens the body. */
sr_status hx_body(hx_page *p, const char *title, sr_buf *out);
/* Index of the element chosen as the article container (after hx_body), or
 * -1 when the page has no text. */
long hx_container(const hx_page *p);

/* html_meta.c: what the page says about itself: <meta> tags, JSON-LD,
 * <time>, <title>/<h1>, canonical URL.  Strings come from `arena`. */
typedef struct hx_meta {
    const char *title;       /* best title, site-name suffix removed; NULL if none */
    const char *published;   /* YYYY-MM-DD or NULL */
    const char *ld_body;     /* longest JSON-LD articleBody, NULL if none */
    const char *site;        /* og:site_name or NULL */
} hx_meta;
sr_status hx_meta_collect(const GumboNode *root, sr_arena *arena, hx_meta *m);

/* html_meta.c: normalise a date in any common form (ISO 8601, "20 Nov 2019",
 * "November 20, 2019", "2019/11/20", "20.11.2019") to YYYY-MM-DD; 0 when none. */
int hx_parse_date(const char *s, size_t n, char out[11]);
/* A date in a URL path (/2019/11/20/, /2019-11-20, /20191120/); 0 when none. */
int hx_url_date(const char *url, char out[11]);
/* Strip a " | Site" / " - Site" / " :: Site" suffix or prefix from a title,
 * in place; returns the new length. */
size_t hx_clean_title(char *t, size_t n, const char *site);

#endif
