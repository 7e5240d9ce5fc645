/* cmd_extract.c — `sitrep extract`: event and control records as JSON lines. */
#include "cli/cli.h"
#include "extract/extract.h"

#include <string.h>

typedef struct ex {
    sr_extractor *x;
    sr_buf out;
} ex;

static int on_doc(void *user, sr_doc *doc, sr_arena *arena, sr_ctx *ctx)
{
    ex *c = user;
    sr_doc_result r;
    if (sr_extract_doc(c->x, doc, arena, &r, ctx))
        return 1;
    sr_buf_clear(&c->out);
    for (size_t i = 0; i < r.nevents; i++)
        if (sr_event_to_json(&r.events[i], &c->out) || sr_buf_addc(&c->out, '\n'))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory"), 1;
    if (cli_write(&c->out))
        return sr_ctx_error(ctx, SR_EIO, "cannot write output"), 1;
    return 0;
}

/* --data DIR */
static int own_opt(void *user, int argc, char **argv, int *i)
{
    if (strcmp(argv[*i], "--data"))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "sitrep extract: --data needs a directory\n");
        return -1;
    }
    *(const char **)user = argv[++*i];
    return 1;
}

int cmd_extract(int argc, char **argv)
{
    cli_docopts o = {0};
    const char *data = NULL;
    char **inputs;
    int n;
    static const char help[] =
        "usage: sitrep extract [--manifest FILE] [--data DIR] [--quiet] INPUT...\n\n"
        "Reads documents (as sitrep clean does) and prints one JSON line per event:\n"
        "  {\"doc\", \"type\", \"actor\", \"target\", \"place\", \"date\", \"date_text\",\n"
        "   \"precision\", \"since\", \"modality\", \"claimant\", \"evidence\", \"more_evidence\",\n"
        "   \"contradicted\", \"confidence\", \"rule\"}\n"
        "Actors carry id, name, text, group, kind and backed_by; places carry name, text,\n"
        "geonameid, lat, lon, country, fcode and, for a village the gazetteer lacks, \"near\"\n"
        "(the town whose coordinates it was given).  Evidence spans are UTF-8 byte offsets.\n"
        "Rules, cues and word classes: data/README-rules.md; actors: data/actors.tsv.\n"
        "Types: control_change, control_state, siege, airstrike, attack, clash, withdrawal,\n"
        "evacuation, agreement, negotiation, surrender.  Modality: asserted, claimed,\n"
        "future, negated, hypothetical, attempted, past.\n\n"
        "  --manifest FILE  JSON lines with file, id, published, source, url, title\n"
        "  --data DIR       data directory (actors.tsv, rules/, compiled/); default: the\n"
        "                   data/ beside the program's build directory, else ./data\n"
        "  --quiet          no warnings on stderr\n"
        "  --jobs N, -j N   share the documents among N processes (0: one per core);\n"
        "                   the output is the same, in input order\n"
        "Exit status: 0 when every document was read, 1 when any failed, 2 on usage errors.\n";
    int r = cli_doc_args(argc, argv, "extract", help, "sitrep extract [--manifest FILE] [--data DIR] INPUT...", &o,
                         own_opt, &data, &inputs, &n);
    if (r)
        return r == 1 ? 0 : 2;
    cli_prefault(inputs, n, &o);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    ctx.warn = cli_warn_stderr; /* an unusable gazetteer image is said */
    ctx.warn_user = &o;
    ex c = {NULL, {0}};
    if (sr_extractor_open(&c.x, data, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    sr_buf_init(&c.out);
    int rc = cli_each_doc(inputs, n, &o, on_doc, &c);
    sr_buf_finish(&c.out);
    sr_extractor_close(c.x);
    return rc;
}
