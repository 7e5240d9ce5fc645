/* clean.c — from a read document to its article body (see clean.h). */
#include "clean/clean.h"

#include <string.h>

/* Split `text` into segments at blank lines; each non-empty line run is one. */
static sr_status segs_by_lines(sr_doc *doc, sr_arena *a)
{
    size_t n = 0, cap = 16;
    sr_seg *v = sr_arena_alloc(a, cap * sizeof *v);
    if (!v)
        return SR_ENOMEM;
    const char *t = doc->text;
    size_t i = 0;
    while (i < doc->len) {
        while (i < doc->len && (t[i] == '\n' || t[i] == '\r' || t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i >= doc->len)
            break;
        size_t s = i;
        const char *e = strstr(t + i, "\n\n");
        size_t end = e ? (size_t)(e - t) : doc->len;
        while (end > s && (t[end - 1] == ' ' || t[end - 1] == '\r' || t[end - 1] == '\n'))
            end--;
        if (n == cap) {
            sr_seg *nv = sr_arena_alloc(a, 2 * cap * sizeof *nv);
            if (!nv)
                return SR_ENOMEM;
            memcpy(nv, v, n * sizeof *v);
            v = nv, cap *= 2;
        }
        v[n].start = (uint32_t)s, v[n].end = (uint32_t)end;
        n++;
        i = e ? (size_t)(e - t) + 2 : doc->len;
    }
    doc->body = v;
    doc->nbody = n;
    return SR_OK;
}

sr_status sr_clean_doc(sr_doc *doc, sr_arena *arena, sr_ctx *ctx)
{
    if (doc->kind == SR_DOC_HTML) {
        sr_buf b;
        sr_buf_init(&b);
        sr_html_meta meta = {0};
        sr_status st = sr_html_extract(doc->raw, doc->raw_len, arena, &b, &meta, ctx);
        if (st) {
            sr_buf_finish(&b);
            return st;
        }
        char *t = sr_arena_strndup(arena, b.data ? b.data : "", b.len);
        sr_buf_finish(&b);
        if (!t)
            return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", doc->origin);
        doc->text = t;
        doc->len = strlen(t);
        if (!doc->title)
            doc->title = meta.title;
        if (!doc->published)
            doc->published = meta.published;
        if (segs_by_lines(doc, arena))
            return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", doc->origin);
        return SR_OK;
    }
    if (sr_boiler_segments(doc, arena))
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", doc->origin);
    return SR_OK;
}

sr_status sr_clean_body_text(const sr_doc *doc, sr_buf *out)
{
    if (!doc->body)
        return sr_buf_add(out, doc->text, doc->len);
    for (size_t i = 0; i < doc->nbody; i++) {
        if (i && sr_buf_add(out, "\n\n", 2))
            return SR_ENOMEM;
        if (sr_buf_add(out, doc->text + doc->body[i].start, doc->body[i].end - doc->body[i].start))
            return SR_ENOMEM;
    }
    return SR_OK;
}
