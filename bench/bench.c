/* bench.c — sitrep's benchmark: throughput, start-up and memory of each
 * stage on a large corpus of real articles, on one core.
 *
 *   build/bench/bench [--corpus FILE] [--mb N] [--runs N] [--shared DIR]
 *                     [--sitrep PATH] [--stages clean,places,extract,ingest,store,extract-all]
 *                     [--sizes 50,100,200] [--short [--enforce] [--record]]
 *
 * Without --corpus it builds one with bench/make_corpus.py from ../shared
 * (FA-KES, seeds, Wikipedia; replicated with distinct ids to --mb MB, 200 by
 * default) under build/bench-data/.  Each stage is the real command
 * (`sitrep clean CORPUS > /dev/null`, ...) run as a child pinned to CPU 0;
 * wall time is the median of --runs runs; peak RSS and the CPU time (user +
 * system, the fastest run: the figure to trust on a shared, noisy machine)
 * come from wait4().  `ingest` is the whole command (extraction included);
 * `store` is `ingest --no-extract --events` with the records extracted
 * beforehand (untimed), the rate of the store alone.  `extract-all` is
 * `extract --jobs 0` on every core (not pinned): the one row that is not on
 * one core, for the scaling (its CPU column sums the workers).
 * Figures: MB/s, docs/s, sentences/s (sentences counted once in-process
 * with the library's own text model), start-up on an empty input, peak
 * RSS, and the ratio to `wc -w` on the same bytes (the cost of merely
 * reading them).  --sizes times `extract` (or the last stage available) on
 * prefixes of the corpus to show that time grows linearly.
 *
 * --short: a 5 MB corpus, 3 runs of clean and extract, compared with the
 * figure recorded for this machine in bench/baseline.tsv (MB/s on the
 * fastest run's CPU time; --record writes it).  It prints the comparison;
 * with --enforce it exits 1 when a stage is more than 30% below its
 * baseline. */
#define _GNU_SOURCE
#include "clean/clean.h"
#include "core/arena.h"
#include "ingest/reader.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct run_result {
    double secs;
    double cpu;     /* user + system seconds of the child */
    long maxrss_kb;
    int status;     /* exit status, -1 when killed */
    int missing;    /* the stage says it is not available */
} run_result;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Run argv with stdout to outfile and stderr to errfile (NULL: /dev/null),
 * pinned to CPU 0 when pin; run_cmd: stdout to /dev/null, pinned. */
static run_result run_cmd_to(char *const argv[], const char *outfile, const char *errfile, int pin);

static run_result run_cmd(char *const argv[], const char *errfile) { return run_cmd_to(argv, NULL, errfile, 1); }

static run_result run_cmd_to(char *const argv[], const char *outfile, const char *errfile, int pin)
{
    run_result r = {0};
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        if (pin)
            sched_setaffinity(0, sizeof set, &set);
        int dn = outfile ? open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644) : open("/dev/null", O_WRONLY);
        int ef = open(errfile ? errfile : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (dn >= 0) dup2(dn, 1);
        if (ef >= 0) dup2(ef, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
        r.status = -1;
        return r;
    }
    r.secs = now() - t0;
    r.maxrss_kb = ru.ru_maxrss;
    r.cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
            ru.ru_stime.tv_usec * 1e-6;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (r.status == 2 && errfile) {
        FILE *f = fopen(errfile, "r");
        char buf[512] = "";
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = 0;
            fclose(f);
        }
        r.missing = strstr(buf, "not available") != NULL;
    }
    return r;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The fastest of n runs: the CPU time other jobs on the machine added least to. */
static double fastest(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct corpus_stats {
    double mb;
    long docs, sents, failed;
    double inproc_secs;     /* read + clean + text model, in this process */
} corpus_stats;

/* Count documents and sentences with the library itself. */
static int count_corpus(const char *path, corpus_stats *cs)
{
    struct stat sb;
    if (stat(path, &sb))
        return -1;
    cs->mb = (double)sb.st_size / 1e6;
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_reader *r;
    if (sr_reader_open(&r, path, NULL, &ctx))
        return -1;
    sr_arena *a = sr_arena_create(1 << 20);
    sr_doc d;
    sr_status st;
    double t0 = now();
    while ((st = sr_reader_next(r, &d, a, &ctx)) != SR_DONE) {
        if (st) {
            cs->failed++;
            if (sr_reader_failed(r))
                break;
            continue;
        }
        sr_textmodel tm;
        if (!sr_clean_doc(&d, a, &ctx) && !sr_text_analyze(&d, a, &tm)) {
            cs->docs++;
            cs->sents += (long)tm.nsent;
        } else
            cs->failed++;
        sr_arena_reset(a);
    }
    cs->inproc_secs = now() - t0;
    sr_arena_destroy(a);
    sr_reader_close(r);
    return 0;
}

static const char *cpu_key(char *buf, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    snprintf(buf, n, "unknown");
    if (!f)
        return buf;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10)) {
            char *c = strchr(line, ':');
            if (c) {
                c += 2;
                c[strcspn(c, "\n")] = 0;
                for (char *p = c; *p; p++)
                    if (*p == '\t' || *p == ' ')
                        *p = '_';
                snprintf(buf, n, "%s", c);
            }
            break;
        }
    fclose(f);
    return buf;
}

/* The event records of a corpus, as `sitrep extract` writes them, for the
 * store stage (made once, untimed; remade when older than the corpus or the
 * binary).  Its path goes in out. */
static int events_of(const char *sitrep, const char *corpus, char *out, size_t cap)
{
    snprintf(out, cap, "%s.events", corpus);
    struct stat se, sc, sb;
    if (!stat(out, &se) && !stat(corpus, &sc) && !stat(sitrep, &sb) && se.st_mtime >= sc.st_mtime &&
        se.st_mtime >= sb.st_mtime && se.st_size > 0)
        return 0;
    char *argv[] = {(char *)sitrep, "extract", "--quiet", (char *)corpus, NULL};
    run_result r = run_cmd_to(argv, out, "build/bench-data/events.err", 1);
    return r.status == 0 ? 0 : -1;
}

/* Build the command of a stage; db is a scratch database path for ingest.
 * "store" is `ingest --no-extract --events`: the records come already
 * extracted, so the figure is that of the store itself (reading, cleaning
 * and storing the documents and their records, syndication, fusion; place
 * mentions come only with extraction and are left out). */
static char events_path[600];

static void stage_argv(const char *stage, const char *sitrep, const char *corpus, const char *db, char **argv)
{
    int k = 0;
    int store = !strcmp(stage, "store"), all = !strcmp(stage, "extract-all");
    argv[k++] = (char *)sitrep;
    argv[k++] = store ? "ingest" : all ? "extract" : (char *)stage;
    argv[k++] = "--quiet";
    if (all) {
        argv[k++] = "--jobs";
        argv[k++] = "0";
    }
    if (!strcmp(stage, "ingest") || store) {
        argv[k++] = "--db";
        argv[k++] = (char *)db;
    }
    if (store) {
        argv[k++] = "--no-extract";
        argv[k++] = "--events";
        argv[k++] = events_path;
    }
    argv[k++] = (char *)corpus;
    argv[k] = NULL;
}

static int make_corpus(const char *shared, double mb, const char *out)
{
    struct stat sb;
    if (!stat(out, &sb) && sb.st_size >= (off_t)(mb * 1e6 * 0.99))
        return 0; /* already built */
    char mbs[32];
    snprintf(mbs, sizeof mbs, "%g", mb);
    char *argv[] = {"python3", "bench/make_corpus.py", "--shared", (char *)shared, "--mb", mbs, "--out", (char *)out,
                    NULL};
    run_result r = run_cmd(argv, "build/bench-data/make_corpus.err");
    if (r.status) {
        fprintf(stderr, "bench: could not build the corpus (see build/bench-data/make_corpus.err)\n");
        return -1;
    }
    return 0;
}

/* head of a JSON-lines file up to mb megabytes, on whole lines */
static int prefix_file(const char *src, const char *dst, double mb)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    if (!in || !out) {
        if (in) fclose(in);
        if (out) fclose(out);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, total = 0;
    ssize_t n;
    while (total < mb * 1e6 && (n = getline(&line, &cap, in)) > 0) {
        fwrite(line, 1, (size_t)n, out);
        total += (size_t)n;
    }
    free(line);
    fclose(in);
    fclose(out);
    return 0;
}

int main(int argc, char **argv)
{
    const char *corpus = NULL, *shared = "../shared", *sitrep = "build/sitrep";
    const char *stages = "clean,places,extract,ingest,store,extract-all", *sizes = NULL;
    double mb = 200;
    int runs = 3, short_mode = 0, enforce = 0, record = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--corpus") && v) corpus = v, i++;
        else if (!strcmp(a, "--shared") && v) shared = v, i++;
        else if (!strcmp(a, "--sitrep") && v) sitrep = v, i++;
        else if (!strcmp(a, "--stages") && v) stages = v, i++;
        else if (!strcmp(a, "--sizes") && v) sizes = v, i++;
        else if (!strcmp(a, "--mb") && v) mb = atof(v), i++;
        else if (!strcmp(a, "--runs") && v) runs = atoi(v), i++;
        else if (!strcmp(a, "--short")) short_mode = 1;
        else if (!strcmp(a, "--enforce")) enforce = 1;
        else if (!strcmp(a, "--record")) record = 1;
        else {
            fprintf(stderr, "usage: bench [--corpus FILE] [--mb N] [--runs N] [--shared DIR] [--sitrep PATH]\n"
                            "             [--stages LIST] [--sizes 50,100,200] [--short [--enforce] [--record]]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;
    mkdir("build", 0755);
    mkdir("build/bench-data", 0755);
    char cpath[512];
    if (short_mode) {
        mb = 5;
        stages = "clean,extract";
        if (!corpus) {
            struct stat sb;
            if (stat(shared, &sb)) {
                printf("bench --short: %s not found; nothing to measure\nbench-short: 0 passed, 0 failed\n", shared);
                return 0;
            }
        }
    }
    if (!corpus) {
        snprintf(cpath, sizeof cpath, "build/bench-data/corpus-%g.jsonl", mb);
        if (make_corpus(shared, mb, cpath))
            return 1;
        corpus = cpath;
    }
    corpus_stats cs = {0};
    if (count_corpus(corpus, &cs)) {
        fprintf(stderr, "bench: cannot read %s\n", corpus);
        return 1;
    }
    char key[256];
    cpu_key(key, sizeof key);
    printf("sitrep benchmark — corpus %s: %.1f MB, %ld documents, %ld sentences; %d run(s) each, median, CPU 0 only\n",
           corpus, cs.mb, cs.docs, cs.sents, runs);
    printf("machine: %s\n", key);
    printf("in-process read+clean+text model: %.1f MB/s, %.0f sentences/s\n\n", cs.mb / cs.inproc_secs,
           cs.sents / cs.inproc_secs);

    /* the cost of merely reading the bytes */
    double *t = calloc((size_t)runs, sizeof *t);
    char *wc[] = {"wc", "-w", (char *)corpus, NULL};
    for (int k = 0; k < runs; k++)
        t[k] = run_cmd(wc, NULL).secs;
    double wc_s = median(t, runs);

    /* start-up: an empty input, 21 runs */
    const char *empty = "build/bench-data/empty.jsonl";
    FILE *ef = fopen(empty, "w");
    if (ef)
        fclose(ef);
    double st[21], stc[21];
    int nst = 0;
    long st_rss = 0;
    for (int k = 0; k < 21; k++) {
        char *av[8];
        stage_argv("extract", sitrep, empty, NULL, av);
        run_result r = run_cmd(av, "build/bench-data/startup.err");
        if (r.missing) {
            stage_argv("clean", sitrep, empty, NULL, av);
            r = run_cmd(av, NULL);
        }
        st[nst] = r.secs;
        stc[nst++] = r.cpu;
        st_rss = r.maxrss_kb;
    }
    printf("start-up (empty input): %.1f ms (cpu, fastest: %.1f ms), peak RSS %.1f MB\n", median(st, nst) * 1e3,
           fastest(stc, nst) * 1e3, st_rss / 1024.0);
    printf("wc -w on the same bytes: %.3f s (%.0f MB/s)\n\n", wc_s, cs.mb / wc_s);
    printf("%-11s %9s %9s %10s %12s %10s %9s %9s %9s\n", "stage", "seconds", "MB/s", "docs/s", "sentences/s",
           "peak MB", "x wc -w", "cpu s", "MB/s cpu");

    char list[256];
    snprintf(list, sizeof list, "%s", stages);
    int regress = 0;
    char last_stage[32] = "clean";
    FILE *base = fopen("bench/baseline.tsv", "r");
    char bl[64][256];
    int nbl = 0;
    if (base) {
        while (nbl < 64 && fgets(bl[nbl], sizeof bl[nbl], base))
            nbl++;
        fclose(base);
    }
    char newbase[4096] = "";
    for (char *stg = strtok(list, ","); stg; stg = strtok(NULL, ",")) {
        long rss = 0;
        int missing = 0, failed = 0;
        if (!strcmp(stg, "store") && events_of(sitrep, corpus, events_path, sizeof events_path)) {
            printf("%-8s (could not extract the records first: see build/bench-data/events.err)\n", stg);
            continue;
        }
        double *tc = calloc((size_t)runs, sizeof *tc);
        for (int k = 0; k < runs; k++) {
            char *av[12];
            const char *db = "build/bench-data/bench.db";
            unlink(db);
            char w1[600], w2[600];
            snprintf(w1, sizeof w1, "%s-wal", db), unlink(w1);
            snprintf(w2, sizeof w2, "%s-shm", db), unlink(w2);
            stage_argv(stg, sitrep, corpus, db, av);
            /* extract-all may use every core; the others run on CPU 0 */
            run_result r = run_cmd_to(av, NULL, "build/bench-data/stage.err", strcmp(stg, "extract-all") != 0);
            if (r.missing) {
                missing = 1;
                break;
            }
            if (r.status != 0 && r.status != 1)
                failed = 1;
            t[k] = r.secs;
            if (tc)
                tc[k] = r.cpu;
            if (r.maxrss_kb > rss)
                rss = r.maxrss_kb;
        }
        if (missing) {
            printf("%-8s (not available in this build)\n", stg);
            free(tc);
            continue;
        }
        snprintf(last_stage, sizeof last_stage, "%s", stg);
        double s = median(t, runs), c = tc ? fastest(tc, runs) : 0;
        free(tc);
        printf("%-11s %9.3f %9.1f %10.0f %12.0f %10.1f %9.1f %9.3f %9.1f%s\n", stg, s, cs.mb / s, cs.docs / s,
               cs.sents / s, rss / 1024.0, s / wc_s, c, c > 0 ? cs.mb / c : 0,
               failed ? "  (the command failed: see build/bench-data/stage.err)" : "");
        if (short_mode) {
            double rate = cs.mb / (c > 0 ? c : s), was = 0; /* CPU time: steadier than wall time */
            for (int b = 0; b < nbl; b++) {
                char k2[256], s2[32];
                double v;
                if (sscanf(bl[b], "%255s %31s %lf", k2, s2, &v) == 3 && !strcmp(k2, key) && !strcmp(s2, stg))
                    was = v;
            }
            if (was > 0) {
                printf("         baseline %.1f MB/s (cpu) on this machine: %+.0f%%\n", was, (rate / was - 1) * 100);
                if (rate < 0.7 * was)
                    regress = 1;
            } else
                printf("         no baseline for this machine (bench --short --record writes one)\n");
            char row[400];
            snprintf(row, sizeof row, "%s\t%s\t%.1f\n", key, stg, rate);
            strncat(newbase, row, sizeof newbase - strlen(newbase) - 1);
        }
    }
    if (sizes && !short_mode) {
        printf("\nlinearity (%s):\n", last_stage);
        char sl[128];
        snprintf(sl, sizeof sl, "%s", sizes);
        for (char *z = strtok(sl, ","); z; z = strtok(NULL, ",")) {
            double zmb = atof(z);
            char part[512];
            snprintf(part, sizeof part, "build/bench-data/prefix-%g.jsonl", zmb);
            if (prefix_file(corpus, part, zmb))
                continue;
            double *tc = calloc((size_t)runs, sizeof *tc);
            long rss = 0;
            if (!strcmp(last_stage, "store") && events_of(sitrep, part, events_path, sizeof events_path))
                continue;
            for (int k = 0; k < runs; k++) {
                char *av[12];
                stage_argv(last_stage, sitrep, part, "build/bench-data/lin.db", av);
                unlink("build/bench-data/lin.db");
                run_result r = run_cmd_to(av, NULL, NULL, strcmp(last_stage, "extract-all") != 0);
                t[k] = r.secs;
                if (tc)
                    tc[k] = r.cpu;
                if (r.maxrss_kb > rss)
                    rss = r.maxrss_kb;
            }
            struct stat sb;
            stat(part, &sb);
            double s = median(t, runs), c = tc ? fastest(tc, runs) : 0, pmb = (double)sb.st_size / 1e6;
            free(tc);
            printf("  %6.1f MB: %8.3f s  (%.2f ms/MB)  cpu %8.3f s  (%.2f ms/MB)  peak %.1f MB\n", pmb, s,
                   s * 1e3 / pmb, c, c * 1e3 / pmb, rss / 1024.0);
            unlink(part);
            if (!strcmp(last_stage, "store"))
                unlink(events_path);
        }
    }
    if (short_mode && record) {
        FILE *f = fopen("bench/baseline.tsv", "w");
        if (f) {
            for (int b = 0; b < nbl; b++) /* keep other machines' rows */
                if (strncmp(bl[b], key, strlen(key)) || bl[b][strlen(key)] != '\t')
                    fputs(bl[b], f);
            fputs(newbase, f);
            fclose(f);
            printf("recorded bench/baseline.tsv for this machine\n");
        }
    }
    free(t);
    if (short_mode) {
        if (regress)
            printf("throughput fell more than 30%% below the baseline%s\n", enforce ? "" : " (not enforced)");
        int fail = regress && enforce;
        printf("bench-short: %d passed, %d failed\n", !fail, fail);
        return fail;
    }
    return 0;
}
