/* common.c — the document loop shared by clean, places, extract, ingest. */
#include "cli/cli.h"
#include "core/mem.h"
#include "ingest/reader.h"

#include <string.h>

void cli_warn_stderr(void *user, const char *msg)
{
    const cli_docopts *o = user;
    if (!o || !o->quiet)
        fprintf(stderr, "sitrep: warning: %s\n", msg);
}

void cli_error(const sr_ctx *ctx)
{
    fprintf(stderr, "sitrep: error: %s\n", ctx->msg[0] ? ctx->msg : sr_status_str(ctx->code));
}

int cli_write(const sr_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
        return 1;
    return 0;
}

int cli_docopt(int argc, char **argv, int *i, cli_docopts *o)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--manifest")) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "sitrep: --manifest needs a file\n");
            return -1;
        }
        o->manifest = argv[++*i];
        return 1;
    }
    if (!strncmp(a, "--manifest=", 11)) {
        o->manifest = a + 11;
        return 1;
    }
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
        o->quiet = 1;
        return 1;
    }
    return 0;
}

int cli_doc_args(int argc, char **argv, const char *cmd, const char *help, const char *usage, cli_docopts *o,
                 cli_opt_fn own, void *user, char ***inputs, int *ninputs)
{
    char **in = argv + 1;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, stdout);
            return 1;
        }
        int r = cli_docopt(argc, argv, &i, o);
        if (!r && own)
            r = own(user, argc, argv, &i);
        if (r < 0)
            return 2;
        if (r)
            continue;
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "sitrep %s: unknown option '%s'\n", cmd, argv[i]);
            return 2;
        }
        in[n++] = argv[i];
    }
    if (!n) {
        fprintf(stderr, "usage: %s\n", usage);
        return 2;
    }
    *inputs = in;
    *ninputs = n;
    return 0;
}

int cli_each_doc(char **inputs, int ninputs, const cli_docopts *o, cli_doc_fn fn, void *user)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    ctx.warn = cli_warn_stderr;
    ctx.warn_user = (void *)o;
    int bad = 0;
    sr_manifest *man = NULL;
    if (o->manifest && sr_manifest_load(&man, o->manifest, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    sr_arena *arena = sr_arena_create(1u << 20);
    if (!arena) {
        fprintf(stderr, "sitrep: error: out of memory\n");
        sr_manifest_destroy(man);
        return 1;
    }
    for (int k = 0; k < ninputs; k++) {
        sr_reader *r;
        sr_ctx_clear(&ctx);
        if (sr_reader_open(&r, inputs[k], man, &ctx)) {
            cli_error(&ctx);
            bad = 1;
            continue;
        }
        sr_doc doc;
        sr_status st;
        while ((st = sr_reader_next(r, &doc, arena, &ctx)) != SR_DONE) {
            if (st) {
                cli_error(&ctx);
                bad = 1;
                sr_ctx_clear(&ctx);
                if (st == SR_ENOMEM || sr_reader_failed(r))
                    break;
                continue;
            }
            if (fn(user, &doc, arena, &ctx)) {
                cli_error(&ctx);
                bad = 1;
                sr_ctx_clear(&ctx);
            }
            sr_arena_reset(arena);
        }
        sr_reader_close(r);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "sitrep: error: cannot write output\n");
        bad = 1;
    }
    sr_arena_destroy(arena);
    sr_manifest_destroy(man);
    return bad;
}
