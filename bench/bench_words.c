/* bench_words.c — the tokenizer (sr_text_analyze) and the word view
 * (x_words) alone: how long the text model and the words of every sentence
 * take, without the cleaner, the geoparser or the rules around them.
 *
 *   build/bench/bench_words [--reps N] [--data DIR] FILE.jsonl|FILE.txt...
 *
 * It reads the documents and cleans them once, fills the lexicon from the
 * actor dictionary and the rules in DIR (default data/, as `extract`), then
 * runs 3N passes over all the documents, in turn "text model only",
 * "text model and words" and "text model, words and the actor names"
 * (x_actor_begins, then x_actor_match at each word where a name may
 * begin, as `extract` asks them of every sentence), each
 * document in a reset arena of 1 MB blocks (as the CLI), and prints the
 * least CPU time of each kind and their differences (the words, the
 * actor begins).  The caches are warm (the documents are
 * in memory, nothing else runs between the stages): the figures are the
 * stages' own cost, lower than their share of a whole `extract`.  One
 * core, no threads. */
#include "clean/clean.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/mem.h"
#include "extract/xint.h"
#include "ingest/reader.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int reps = 10;
    const char *data = "data";
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--reps") && first + 1 < argc)
            reps = atoi(argv[++first]);
        else if (!strcmp(argv[first], "--data") && first + 1 < argc)
            data = argv[++first];
        else {
            fprintf(stderr, "usage: bench_words [--reps N] [--data DIR] FILE...\n");
            return 2;
        }
    }
    if (first >= argc || reps < 1) {
        fprintf(stderr, "usage: bench_words [--reps N] [--data DIR] FILE...\n");
        return 2;
    }
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    x_lex lex;
    x_lex_init(&lex);
    x_actors *actors = NULL;
    x_rules *rules = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/actors.tsv", data);
    if (x_actors_load(&actors, path, &lex, &ctx) ||
        (snprintf(path, sizeof path, "%s/rules", data), x_rules_load(&rules, path, &lex, &ctx))) {
        fprintf(stderr, "bench_words: %s\n", ctx.msg);
        return 1;
    }
    sr_arena *keep = sr_arena_create(1u << 20), *work = sr_arena_create(1u << 20);
    sr_doc *docs = NULL;
    size_t nd = 0, cap = 0, bytes = 0;
    for (int f = first; f < argc; f++) {
        sr_reader *r;
        if (sr_reader_open(&r, argv[f], NULL, &ctx)) {
            fprintf(stderr, "bench_words: %s\n", ctx.msg);
            return 1;
        }
        for (;;) {
            if (nd == cap) {
                cap = cap ? cap * 2 : 1024;
                sr_doc *nv = sr_realloc(docs, cap * sizeof *nv);
                if (!nv)
                    return 1;
                docs = nv;
            }
            sr_status st = sr_reader_next(r, &docs[nd], keep, &ctx);
            if (st == SR_DONE)
                break;
            if (st || sr_clean_doc(&docs[nd], keep, &ctx))
                continue;
            bytes += docs[nd].len;
            nd++;
        }
        sr_reader_close(r);
    }
    double best[3] = {1e30, 1e30, 1e30};
    size_t ntok = 0, nsent = 0, nword = 0;
    uint64_t *begin = NULL;
    size_t nbegin = 0, found = 0;
    for (int rep = 0; rep < 3 * reps; rep++) {
        int kind = rep % 3, words = kind >= 1;
        size_t t = 0, s = 0, w = 0;
        double t0 = cpu_s();
        for (size_t d = 0; d < nd; d++) {
            sr_arena_reset(work);
            sr_textmodel tm;
            if (sr_text_analyze(&docs[d], work, &tm))
                return 1;
            t += tm.ntok, s += tm.nsent;
            for (size_t i = 0; words && i < tm.nsent; i++) {
                xw *wv;
                size_t n;
                if (x_words(&tm, i, &lex, work, &wv, &n))
                    return 1;
                w += n;
                if (kind == 2) {
                    if ((n + 63) / 64 > nbegin) {
                        nbegin = (n + 63) / 64;
                        sr_free(begin);
                        if (!(begin = sr_malloc(nbegin * sizeof *begin)))
                            return 1;
                    }
                    x_actor_begins(actors, wv, n, begin);
                    size_t nb = (n + 63) / 64;
                    for (size_t p = x_next_bit(begin, nb, 0, n); p < n; p = x_next_bit(begin, nb, p + 1, n)) {
                        int who;
                        found += x_actor_match(actors, wv, n, p, &who) != 0;
                    }
                }
            }
        }
        double dt = cpu_s() - t0;
        if (dt < best[kind])
            best[kind] = dt;
        ntok = t, nsent = s, nword = words ? w : nword;
    }
    printf("%zu documents, %.1f MB of text, %zu tokens, %zu sentences, %zu words; least CPU of %d passes each:\n", nd,
           (double)bytes / 1e6, ntok, nsent, nword, reps);
    printf("  sr_text_analyze         %7.2f ms  %6.1f MB/s  %5.1f ns/token\n", best[0] * 1e3,
           (double)bytes / 1e6 / best[0], best[0] * 1e9 / (double)(ntok ? ntok : 1));
    printf("  x_words                 %7.2f ms  %6.1f MB/s  %5.1f ns/word\n", (best[1] - best[0]) * 1e3,
           (double)bytes / 1e6 / (best[1] - best[0]), (best[1] - best[0]) * 1e9 / (double)(nword ? nword : 1));
    printf("  both                    %7.2f ms  %6.1f MB/s\n", best[1] * 1e3, (double)bytes / 1e6 / best[1]);
    printf("  actors (begins, match)  %7.2f ms  %6.1f MB/s  %5.1f ns/word  (%zu names)\n", (best[2] - best[1]) * 1e3,
           (double)bytes / 1e6 / (best[2] - best[1]), (best[2] - best[1]) * 1e9 / (double)(nword ? nword : 1),
           found / (size_t)reps);
    printf("  words and actors        %7.2f ms  %6.1f MB/s\n", (best[2] - best[0]) * 1e3,
           (double)bytes / 1e6 / (best[2] - best[0]));
    sr_free(begin);
    sr_free(docs);
    sr_arena_destroy(work);
    sr_arena_destroy(keep);
    x_rules_free(rules);
    x_actors_free(actors);
    x_lex_finish(&lex);
    return 0;
}
