/* cmd_places.c — `sitrep places`: each document's place mentions as JSON
 * lines (format: ../shared/eval/README.md, "Place mentions").  Same inputs
 * and options as `sitrep clean`. */
#include "cli/cli.h"
#include "clean/clean.h"
#include "extract/places.h"
#include "text/text.h"

#include <string.h>

typedef struct pl {
    const sr_gaz *g;
    int no_demonyms;
    int whole;              /* --whole: plain text is read whole, not only the story's lines */
    char *img;              /* -i/--image: the gazetteer image path (4096 bytes) */
    sr_buf out;
} pl;

static int on_doc(void *user, sr_doc *doc, sr_arena *arena, sr_ctx *ctx)
{
    pl *c = user;
    if (sr_clean_doc(doc, arena, ctx))
        return 1;
    if (c->whole && doc->kind == SR_DOC_TEXT) {   /* every line, boilerplate or not */
        doc->body = NULL;
        doc->nbody = 0;
    }
    sr_textmodel tm;
    if (sr_text_analyze(doc, arena, &tm))
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
    sr_mention *m;
    size_t n;
    if (sr_places_find(c->g, doc, &tm, arena, &m, &n, ctx))
        return 1;
    sr_buf *o = &c->out;
    sr_buf_clear(o);
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        const sr_place_ref *p = &m[i].place;
        if (c->no_demonyms && (m[i].flags & SR_MF_DEMONYM))
            continue;
        bad = sr_buf_adds(o, "{\"doc\":") || sr_buf_json_cstr(o, doc->id) ||
              sr_buf_adds(o, ",\"start\":") || sr_buf_addu(o, m[i].start) || sr_buf_adds(o, ",\"end\":") ||
              sr_buf_addu(o, m[i].end) || sr_buf_adds(o, ",\"text\":") ||
              sr_buf_json_str(o, doc->text + m[i].start, m[i].end - m[i].start) || sr_buf_adds(o, ",\"name\":") ||
              sr_buf_json_cstr(o, p->name) ||
              sr_buf_adds(o, ",\"geonameid\":") || sr_buf_addu(o, p->geonameid) || sr_buf_adds(o, ",\"lat\":") ||
              sr_buf_addfix(o, p->lat, 5) || sr_buf_adds(o, ",\"lon\":") || sr_buf_addfix(o, p->lon, 5) || sr_buf_adds(o, ",\"country\":") ||
              sr_buf_json_cstr(o, p->country) || sr_buf_adds(o, ",\"fcode\":") || sr_buf_json_cstr(o, p->fcode) ||
              sr_buf_adds(o, ",\"score\":") || sr_buf_addfix(o, m[i].score, 2) ||
              ((m[i].flags & SR_MF_DEMONYM) && sr_buf_adds(o, ",\"demonym\":true")) ||
              ((m[i].flags & SR_MF_SKELETON) && sr_buf_adds(o, ",\"loose\":true")) || sr_buf_adds(o, "}\n");
    }
    if (bad)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
    if (cli_write(o))
        return sr_ctx_error(ctx, SR_EIO, "cannot write output"), 1;
    return 0;
}

/* -i/--image IMAGE, --no-demonyms, --whole */
static int own_opt(void *user, int argc, char **argv, int *i)
{
    pl *c = user;
    const char *a = argv[*i];
    if (!strcmp(a, "-i") || !strcmp(a, "--image")) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "sitrep places: %s needs a file\n", a);
            return -1;
        }
        snprintf(c->img, 4096, "%s", argv[++*i]);
        return 1;
    }
    if (!strcmp(a, "--no-demonyms"))
        return c->no_demonyms = 1;
    if (!strcmp(a, "--whole"))
        return c->whole = 1;
    return 0;
}

int cmd_places(int argc, char **argv)
{
    cli_docopts o = {0};
    char **inputs;
    int n;
    pl c;
    memset(&c, 0, sizeof c);
    char img[4096];
    sr_gaz_default_path(img, sizeof img);
    static const char help[] =
        "usage: sitrep places [--manifest FILE] [--quiet] [-i IMAGE] [--no-demonyms] [--whole] INPUT...\n\n"
        "Reads documents like `sitrep clean` and prints one JSON line per place mention:\n"
        "  {\"doc\",\"start\",\"end\",\"text\",\"name\",\"geonameid\",\"lat\",\"lon\",\"country\",\n"
        "   \"fcode\",\"score\"[,\"demonym\":true][,\"loose\":true]}\n"
        "start/end are UTF-8 byte offsets into the document text (end exclusive).\n"
        "Demonyms (\"Syrian\", \"Iraqis\") resolve to their country and are marked.\n\n"
        "  -i, --image IMAGE  gazetteer image (default: $SITREP_DATA/gazetteer.img, else\n"
        "                     ../data/compiled/gazetteer.img beside the executable)\n"
        "  --no-demonyms      leave demonyms out\n"
        "  --whole            plain text: every line, not only the story's (no boilerplate removal)\n"
        "  --manifest FILE    JSON lines with file, id, published, source, url, title\n"
        "  --quiet            no warnings on stderr\n"
        "  --jobs N, -j N     share the documents among N processes (0: one per core);\n"
        "                     the output is the same, in input order\n";
    c.img = img;
    int r = cli_doc_args(argc, argv, "places", help, "sitrep places [--manifest FILE] [-i IMAGE] INPUT...", &o,
                         own_opt, &c, &inputs, &n);
    if (r)
        return r == 1 ? 0 : 2;
    cli_prefault(inputs, n, &o);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_gaz *g;
    if (sr_gaz_open(&g, img, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    c.g = g;
    sr_buf_init(&c.out);
    int rc = cli_each_doc(inputs, n, &o, on_doc, &c);
    sr_buf_finish(&c.out);
    sr_gaz_close(g);
    return rc;
}
