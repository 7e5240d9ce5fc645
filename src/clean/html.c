/* html.c — article body, title and date of an HTML page (sr_html_extract).
 *
 * The page is parsed once with gumbo (HTML5 rules: any input gives a tree).
 * html_meta.c reads the title, the publication date and any JSON-LD
 * articleBody; html_dom.c flattens the tree into text blocks; html_body.c
 * picks the article container and its story blocks.  A JSON-LD articleBody
 * replaces the DOM result only when it is substantial and the page's own
 * text confirms it (publishers sometimes ship a teaser or another article
 * there). */
#include "clean/clean.h"
#include "clean/html_int.h"
#include "core/mem.h"

#include <string.h>

sr_status sr_html_extract(const char *html, size_t len, sr_arena *arena, sr_buf *text, sr_html_meta *meta,
                          sr_ctx *ctx)
{
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0;   /* we never read parse errors; do not collect them */
    GumboOutput *g = gumbo_parse_with_options(&opt, html ? html : "", html ? len : 0);
    if (!g)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory parsing HTML");
    hx_meta hm;
    hx_page page;
    memset(&page, 0, sizeof page);
    sr_status st = hx_meta_collect(g->root, arena, &hm);
    if (!st)
        st = hx_page_build(&page, g->root);
    if (!st)
        st = hx_body(&page, hm.title, text);
    if (!st) {
        meta->title = hm.title;
        meta->published = hm.published;
    }
    hx_page_finish(&page);
    gumbo_destroy_output(&opt, g);
    if (st)
        return sr_ctx_error(ctx, st, "out of memory extracting HTML");
    return SR_OK;
}
