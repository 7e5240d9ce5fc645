/* html_dom.c — from a gumbo tree to flat element and text-block arrays.
 *
 * One iterative walk (an explicit stack, so hostile nesting depth cannot
 * overflow the C stack) visits the tree in document order.  Block-level
 * elements become hx_node entries; inline elements (a, span, em...) only
 * add their text to the current block.  A block ends at every block-level
 * boundary and at <br>/<hr>, so text laid out with line breaks inside one
 * <div> still yields one block per paragraph.  Whitespace is collapsed,
 * invisible characters (NBSP becomes a space; zero-width space, BOM, soft
 * hyphen are dropped) are normalised while copying, and each block keeps
 * the counts the scorer needs: weighted characters, link characters,
 * words, sentence ends and commas. */
#include "clean/html_int.h"
#include "core/mem.h"

#include <string.h>

/* What the walk does with an element. */
enum { T_INLINE = 0, T_BLOCK, T_SKIP, T_BREAK };

static int tag_role(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_A: case GUMBO_TAG_ABBR: case GUMBO_TAG_B: case GUMBO_TAG_BDI: case GUMBO_TAG_BDO:
    case GUMBO_TAG_CITE: case GUMBO_TAG_CODE: case GUMBO_TAG_DATA: case GUMBO_TAG_DFN: case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_KBD: case GUMBO_TAG_MARK: case GUMBO_TAG_Q:
    case GUMBO_TAG_S: case GUMBO_TAG_SAMP: case GUMBO_TAG_SMALL: case GUMBO_TAG_SPAN: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_TIME: case GUMBO_TAG_U: case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR: case GUMBO_TAG_LABEL: case GUMBO_TAG_BIG: case GUMBO_TAG_STRIKE: case GUMBO_TAG_TT:
    case GUMBO_TAG_NOBR: case GUMBO_TAG_INS: case GUMBO_TAG_DEL: case GUMBO_TAG_RUBY: case GUMBO_TAG_RT:
    case GUMBO_TAG_RP: case GUMBO_TAG_BLINK:
        return T_INLINE;
    case GUMBO_TAG_BR: case GUMBO_TAG_HR:
        return T_BREAK;
    /* never article text: code, styling, media, controls, document head */
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION: case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_HEAD: case GUMBO_TAG_MAP: case GUMBO_TAG_IMG:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_PROGRESS: case GUMBO_TAG_METER: case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_APPLET: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_FRAME: case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_MENUITEM:
        return T_SKIP;
    default:
        return T_BLOCK;
    }
}

static int block_kind(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_ADDRESS: return HX_B_P;
    case GUMBO_TAG_H1: return HX_B_H1;
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        return HX_B_H;
    case GUMBO_TAG_LI: case GUMBO_TAG_DD: case GUMBO_TAG_DT: return HX_B_LI;
    case GUMBO_TAG_BLOCKQUOTE: return HX_B_QUOTE;
    case GUMBO_TAG_PRE: return HX_B_PRE;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: return HX_B_TD;
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION: return HX_B_CAPTION;
    default: return HX_B_DIV;
    }
}

typedef struct walker {
    hx_page *p;
    int32_t owner;          /* element the current text belongs to */
    int link;               /* depth of <a> around the text */
    size_t start;           /* where the current block's text begins in p->text */
    int space;              /* a space is pending before the next visible character */
    hx_block cur;           /* counts of the current block */
    int inword;
} walker;

/* End the current block: keep it when it holds any visible character. */
static sr_status flush(walker *w)
{
    hx_page *p = w->p;
    if (w->cur.chars == 0) {
        p->text.len = w->start;
    } else {
        if (sr_grow((void **)&p->block, &p->capblock, p->nblock + 1, sizeof *p->block, 256))
            return SR_ENOMEM;
        hx_block *b = &p->block[p->nblock++];
        *b = w->cur;
        b->off = (uint32_t)w->start;
        b->len = (uint32_t)(p->text.len - w->start);
        b->node = (uint32_t)(w->owner < 0 ? 0 : w->owner);
        const hx_node *o = w->owner >= 0 ? &p->node[w->owner] : NULL;
        b->kind = (uint8_t)(o && o->g ? block_kind(o->g->v.element.tag) : HX_B_DIV);
        if (o && (o->flags & HX_N_CAPTION))
            b->kind = HX_B_CAPTION;
        if (sr_buf_addc(&p->text, '\0'))
            return SR_ENOMEM;
    }
    w->start = p->text.len;
    memset(&w->cur, 0, sizeof w->cur);
    w->space = 0;
    w->inword = 0;
    return SR_OK;
}

static int is_cjk(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF);
}

/* Decode one UTF-8 sequence at s (gumbo hands us valid UTF-8). */
static uint32_t utf8_at(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) { *len = 1; return s[0]; }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) { *len = 2; return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu); }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *len = 3;
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *len = 4;
        return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    }
    *len = 1;
    return 0xFFFD;
}

static int is_alnum_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    /* letters of other scripts; punctuation blocks and symbols excluded */
    return !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFF0F) &&
           c != 0xA0 && c != 0xAB && c != 0xBB && c != 0xB7 && c != 0xA9 && c != 0xAE && c != 0xFFFD;
}

/* Append a text node to the current block, collapsing whitespace. */
static sr_status add_text(walker *w, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    sr_buf *t = &w->p->text;
    while (*s) {
        int n;
        uint32_t c = utf8_at(s, &n);
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x2009 ||
            c == 0x202F || c == 0x2002 || c == 0x2003 || c == 0x3000) {
            w->space = 1;
            w->inword = 0;
            s += n;
            continue;
        }
        if (c == 0x200B || c == 0xFEFF || c == 0xAD || c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F) {
            s += n;
            continue;
        }
        if (w->space && t->len > w->start && sr_buf_addc(t, ' '))
            return SR_ENOMEM;
        w->space = 0;
        if (sr_buf_add(t, (const char *)s, (size_t)n))
            return SR_ENOMEM;
        unsigned weight = is_cjk(c) ? 3 : 1;
        w->cur.chars += weight;
        if (w->link)
            w->cur.linkchars += weight;
        if (is_cjk(c)) {
            w->cur.words++;
            w->inword = 0;
        } else if (is_alnum_cp(c)) {
            if (!w->inword)
                w->cur.words++;
            w->inword = 1;
        } else {
            w->inword = 0;
            /* a sentence end: ., !, ? not inside a number or an abbreviation
             * like "U.S" (the next character decides), and CJK full stops */
            if ((c == '.' || c == '!' || c == '?') && !(s[n] && s[n] != ' ' && is_alnum_cp(s[n])))
                w->cur.stops++;
            else if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F)
                w->cur.stops++;
            else if (c == ',' || c == 0x060C || c == 0xFF0C || c == 0x3001)
                w->cur.commas++;
        }
        s += n;
    }
    return SR_OK;
}

typedef struct frame {
    const GumboNode *g;
    unsigned child;
    int32_t node;           /* element index when block-level, else -1 */
    int32_t prev_owner;
    uint8_t link;
} frame;

sr_status hx_page_build(hx_page *p, const GumboNode *root)
{
    walker w = {.p = p, .owner = -1};
    frame *st = NULL;
    size_t nst = 0, capst = 0;
    sr_status rc = SR_OK;
    p->container = -1;
    if (!root || root->type != GUMBO_NODE_ELEMENT)
        return SR_OK;
    if (sr_buf_reserve(&p->text, 4096))
        return SR_ENOMEM;
    w.start = p->text.len;

    /* Push the root as a block element. */
    const GumboNode *enter = root;
    for (;;) {
        if (enter) {
            const GumboNode *g = enter;
            enter = NULL;
            if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_CDATA) {
                if ((rc = add_text(&w, g->v.text.text)))
                    goto done;
            } else if (g->type == GUMBO_NODE_WHITESPACE) {
                w.space = 1;
                w.inword = 0;
            } else if (g->type == GUMBO_NODE_ELEMENT) {
                int role = tag_role(g->v.element.tag);
                unsigned fl = 0;
                int hint = role == T_SKIP ? 0 : hx_hint(g, &fl);
                if (role == T_SKIP || hint <= -1000) {
                    /* an element never shown (or never text): nothing of it */
                    if (role == T_BLOCK || role == T_SKIP)
                        w.space = 1;
                } else if (role == T_BREAK) {
                    if ((rc = flush(&w)))
                        goto done;
                } else {
                    if ((rc = sr_grow((void **)&st, &capst, nst + 1, sizeof *st, 256) ? SR_ENOMEM : SR_OK))
                        goto done;
                    frame *f = &st[nst++];
                    f->g = g, f->child = 0, f->node = -1, f->prev_owner = w.owner, f->link = 0;
                    if (role == T_BLOCK) {
                        if ((rc = flush(&w)) ||
                            (rc = sr_grow((void **)&p->node, &p->capnode, p->nnode + 1, sizeof *p->node, 256) ? SR_ENOMEM : SR_OK))
                            goto done;
                        hx_node *nd = &p->node[p->nnode];
                        memset(nd, 0, sizeof *nd);
                        nd->g = g;
                        nd->parent = w.owner;
                        nd->hint = (int16_t)(hint > 30000 ? 30000 : hint < -30000 ? -30000 : hint);
                        nd->flags = (uint8_t)fl;
                        if (w.owner >= 0) {
                            const hx_node *par = &p->node[w.owner];
                            nd->depth = (uint16_t)(par->depth < 65535 ? par->depth + 1 : par->depth);
                            nd->flags |= par->flags & HX_N_CAPTION;
                        }
                        GumboTag t = g->v.element.tag;
                        if (t == GUMBO_TAG_FIGURE || t == GUMBO_TAG_FIGCAPTION)
                            nd->flags |= HX_N_CAPTION;
                        nd->b0 = (uint32_t)p->nblock;
                        f->node = (int32_t)p->nnode;
                        w.owner = (int32_t)p->nnode++;
                    } else if (g->v.element.tag == GUMBO_TAG_A) {
                        w.link++;
                        f->link = 1;
                    }
                }
            }
            /* TEMPLATE, COMMENT, DOCUMENT nodes: nothing */
        }
        if (!nst)
            break;
        frame *f = &st[nst - 1];
        const GumboVector *kids = &f->g->v.element.children;
        if (f->child < kids->length) {
            enter = kids->data[f->child++];
            continue;
        }
        /* leave f */
        if (f->node >= 0) {
            if ((rc = flush(&w)))
                goto done;
            p->node[f->node].b1 = (uint32_t)p->nblock;
            w.owner = f->prev_owner;
        }
        if (f->link)
            w.link--;
        nst--;
    }
    rc = flush(&w);
done:
    sr_free(st);
    return rc;
}

void hx_page_finish(hx_page *p)
{
    sr_free(p->node);
    sr_free(p->block);
    sr_buf_finish(&p->text);
    memset(p, 0, sizeof *p);
}
