/* common.c — the document loop shared by clean, places, extract, ingest. */
#include "cli/cli.h"
#include "core/mem.h"
#include "ingest/reader.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
    if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
        char *end;
        long v = *i + 1 < argc ? strtol(argv[*i + 1], &end, 10) : -1;
        if (*i + 1 >= argc || *end || v < 0 || v > 256) {
            fprintf(stderr, "sitrep: --jobs needs a number of processes (0-256; 0: one per core)\n");
            return -1;
        }
        if (!v) {
            long c = sysconf(_SC_NPROCESSORS_ONLN);
            v = c > 0 ? (c < 256 ? c : 256) : 1;
        }
        o->jobs = (int)v;
        ++*i;
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

/* The document loop of one process: every document when nw <= 1, else
 * those whose index (in input order) is w modulo nw, each one's output
 * followed by a NUL; reading errors are reported by worker 0 only (every
 * worker meets them). */
static int each_doc(char **inputs, int ninputs, const cli_docopts *o, cli_doc_fn fn, void *user, int w, int nw);

/* Copy the workers' output to stdout in input order: document i is the
 * next NUL-terminated piece of worker i % nw's pipe; the stream ends where
 * that worker's pipe does. */
typedef struct wpipe {
    int fd;
    char buf[1 << 16];
    size_t off, len;
    int eof;
} wpipe;

static int merge_workers(wpipe *p, int nw)
{
    int bad = 0;
    for (size_t i = 0;; i++) {
        wpipe *q = &p[i % (size_t)nw];
        int got = 0, ended = 0;
        while (!ended) {
            if (q->off == q->len) {
                if (q->eof)
                    break;
                ssize_t r = read(q->fd, q->buf, sizeof q->buf);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0) {
                    q->eof = 1;
                    break;
                }
                q->off = 0, q->len = (size_t)r;
            }
            got = 1;
            char *z = memchr(q->buf + q->off, '\0', q->len - q->off);
            size_t n = z ? (size_t)(z - (q->buf + q->off)) : q->len - q->off;
            if (n && fwrite(q->buf + q->off, 1, n, stdout) != n)
                bad = 1;
            q->off += n + (z != NULL);
            ended = z != NULL;
        }
        if (!got)
            return bad; /* that worker had no document i: there is none */
        if (!ended)
            return 1;   /* a worker stopped inside a document */
    }
}

int cli_each_doc(char **inputs, int ninputs, const cli_docopts *o, cli_doc_fn fn, void *user)
{
    int nw = o->jobs;
    for (int k = 0; k < ninputs && nw > 1; k++)
        if (!strcmp(inputs[k], "-"))
            nw = 1; /* standard input can be read once only */
    if (nw <= 1)
        return each_doc(inputs, ninputs, o, fn, user, 0, 1);
    fflush(stdout);
    wpipe *p = sr_calloc((size_t)nw, sizeof *p);
    pid_t *pid = sr_calloc((size_t)nw, sizeof *pid);
    if (!p || !pid) {
        sr_free(p), sr_free(pid);
        fprintf(stderr, "sitrep: error: out of memory\n");
        return 1;
    }
    int bad = 0, started = 0;
    for (int w = 0; w < nw; w++) {
        int fd[2];
        if (pipe(fd)) {
            bad = 1;
            break;
        }
        pid[w] = fork();
        if (pid[w] < 0) {
            close(fd[0]), close(fd[1]);
            bad = 1;
            break;
        }
        if (pid[w] == 0) {
            close(fd[0]);
            for (int v = 0; v < w; v++)
                close(p[v].fd);
            if (dup2(fd[1], 1) < 0)
                _exit(1);
            close(fd[1]);
            int rc = each_doc(inputs, ninputs, o, fn, user, w, nw);
            _exit(fflush(stdout) ? 1 : rc);
        }
        close(fd[1]);
        p[w].fd = fd[0];
        started++;
    }
    if (bad) {
        fprintf(stderr, "sitrep: error: cannot start %d worker processes: %s\n", nw, strerror(errno));
        for (int w = 0; w < started; w++)
            kill(pid[w], SIGTERM);
    } else
        bad = merge_workers(p, nw);
    for (int w = 0; w < started; w++) {
        int st = 0;
        close(p[w].fd);
        while (waitpid(pid[w], &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st))
            fprintf(stderr, "sitrep: error: worker %d of %d stopped by signal %d; the output is incomplete\n", w + 1,
                    nw, WTERMSIG(st));
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            bad = 1;
    }
    sr_free(p), sr_free(pid);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "sitrep: error: cannot write output\n");
        bad = 1;
    }
    return bad;
}

static int each_doc(char **inputs, int ninputs, const cli_docopts *o, cli_doc_fn fn, void *user, int w, int nw)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    ctx.warn = cli_warn_stderr;
    ctx.warn_user = (void *)o;
    int bad = 0;
    size_t idx = 0; /* documents read so far */
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
            if (w == 0)
                cli_error(&ctx);
            bad = 1;
            continue;
        }
        sr_doc doc;
        sr_status st;
        while ((st = sr_reader_next(r, &doc, arena, &ctx)) != SR_DONE) {
            if (st) {
                if (w == 0)
                    cli_error(&ctx);
                bad = 1;
                sr_ctx_clear(&ctx);
                if (st == SR_ENOMEM || sr_reader_failed(r))
                    break;
                continue;
            }
            if (nw > 1 && idx++ % (size_t)nw != (size_t)w) {
                sr_arena_reset(arena); /* another worker's document */
                continue;
            }
            if (fn(user, &doc, arena, &ctx)) {
                cli_error(&ctx);
                bad = 1;
                sr_ctx_clear(&ctx);
            }
            if (nw > 1 && fwrite("", 1, 1, stdout) != 1) /* the NUL after the document */
                bad = 1;
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

void cli_prefault(char **inputs, int ninputs, const cli_docopts *o)
{
#if defined(MADV_POPULATE_WRITE) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    if (o && o->jobs > 1)
        return;
    size_t total = 0;
    for (int i = 0; i < ninputs; i++) {
        struct stat sb;
        if (!strcmp(inputs[i], "-") || stat(inputs[i], &sb))
            return;
        total += (size_t)sb.st_size;
    }
    size_t n = total < ((size_t)32 << 20) ? total : (size_t)32 << 20;
    if (n < ((size_t)1 << 20))
        return; /* a small run: not worth a call */
    /* blocks below 64 MB from the heap (which keeps what is freed), so the
     * pages made here are the ones later allocations get */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    char *p = malloc(n);
    if (!p)
        return;
    uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE); /* older kernels: EINVAL, no harm */
    free(p);
#else
    (void)inputs, (void)ninputs, (void)o;
#endif
}
