/* html.c — article body of an HTML page (baseline: paragraphs in order).
 *
 * Parses with gumbo (HTML5, recovers from any input), takes <title> and the
 * text of block elements outside navigation/scripts. */
#include "clean/clean.h"

#include <gumbo.h>
#include <string.h>

static int skip_tag(GumboTag t)
{
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NAV || t == GUMBO_TAG_HEADER ||
           t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_FORM ||
           t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_SVG || t == GUMBO_TAG_TEMPLATE;
}

static void inline_text(const GumboNode *n, sr_buf *b)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
        const char *s = n->v.text.text;
        for (; *s; s++) {
            int sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
            if (sp) {
                if (b->len && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '\n')
                    sr_buf_addc(b, ' ');
            } else
                sr_buf_addc(b, *s);
        }
        return;
    }
    if (n->type != GUMBO_NODE_ELEMENT || skip_tag(n->v.element.tag))
        return;
    for (unsigned i = 0; i < n->v.element.children.length; i++)
        inline_text(n->v.element.children.data[i], b);
}

static void walk(const GumboNode *n, sr_buf *out, sr_buf *tmp)
{
    if (n->type != GUMBO_NODE_ELEMENT || skip_tag(n->v.element.tag))
        return;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_P || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_BLOCKQUOTE) {
        sr_buf_clear(tmp);
        inline_text(n, tmp);
        size_t s = 0, e = tmp->len;
        while (s < e && tmp->data[s] == ' ') s++;
        while (e > s && tmp->data[e - 1] == ' ') e--;
        if (e > s) {
            if (out->len)
                sr_buf_add(out, "\n\n", 2);
            sr_buf_add(out, tmp->data + s, e - s);
        }
        return;
    }
    for (unsigned i = 0; i < n->v.element.children.length; i++)
        walk(n->v.element.children.data[i], out, tmp);
}

static const GumboNode *find_tag(const GumboNode *n, GumboTag tag)
{
    if (n->type != GUMBO_NODE_ELEMENT)
        return NULL;
    if (n->v.element.tag == tag)
        return n;
    for (unsigned i = 0; i < n->v.element.children.length; i++) {
        const GumboNode *r = find_tag(n->v.element.children.data[i], tag);
        if (r)
            return r;
    }
    return NULL;
}

sr_status sr_html_extract(const char *html, size_t len, sr_arena *arena, sr_buf *text, sr_html_meta *meta,
                          sr_ctx *ctx)
{
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
    if (!g)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory parsing HTML");
    sr_buf tmp;
    sr_buf_init(&tmp);
    const GumboNode *title = find_tag(g->root, GUMBO_TAG_TITLE);
    if (title) {
        inline_text(title, &tmp);
        if (tmp.len)
            meta->title = sr_arena_strndup(arena, tmp.data, tmp.len);
    }
    walk(g->root, text, &tmp);
    sr_buf_finish(&tmp);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    return SR_OK;
}
