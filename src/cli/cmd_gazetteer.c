/* cmd_gazetteer.c — `sitrep gazetteer build|check|add|lookup|info`: the
 * compiled gazetteer's life cycle from the command line.
 *
 * The image path is -i/--image, else the default (sr_gaz_default_path:
 * $SITREP_DATA/gazetteer.img, or data/compiled/ beside the executable). */
#include "cli/cli.h"
#include "core/mem.h"
#include "extract/places.h"
#include "lex/gazimg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: sitrep gazetteer build [-i IMAGE] KIND=PATH...\n"
            "       sitrep gazetteer add [-i IMAGE] [--kind KIND] FILE\n"
            "       sitrep gazetteer check [-i IMAGE]\n"
            "       sitrep gazetteer lookup [-i IMAGE] [--all] NAME|GEONAMEID...\n"
            "       sitrep gazetteer info [-i IMAGE]\n\n"
            "build   compile the sources, in order, into IMAGE. KIND is one of\n"
            "        geonames (GeoNames dump: cities500.txt, allCountries.txt, SY.txt),\n"
            "        postal (GeoNames postal codes: county centroids), countries\n"
            "        (world-countries countries.json), states (country-state-city\n"
            "        state.json), tsv (data/gazetteer/*.tsv), words (lower-case common\n"
            "        words), stop (never places on their own).\n"
            "add     rebuild IMAGE from its own sources plus FILE (default kind geonames).\n"
            "check   exit 1 when IMAGE is of another version or a source changed since.\n"
            "lookup  the best entry for each name (any spelling) or id, as JSON;\n"
            "        --all lists every candidate, skeleton matches included.\n"
            "info    entries and sources of IMAGE.\n\n"
            "Default IMAGE: $SITREP_DATA/gazetteer.img, else ../data/compiled/gazetteer.img\n"
            "beside the sitrep executable, else data/compiled/gazetteer.img.\n");
}

static void print_ref(const sr_place_ref *p, const char *query)
{
    sr_buf b;
    sr_buf_init(&b);
    sr_buf_adds(&b, "{\"query\":");
    sr_buf_json_cstr(&b, query);
    sr_buf_adds(&b, ",\"name\":");
    sr_buf_json_cstr(&b, p->name);
    sr_buf_addf(&b, ",\"geonameid\":%u,\"lat\":%.5f,\"lon\":%.5f,\"country\":", p->geonameid, p->lat, p->lon);
    sr_buf_json_cstr(&b, p->country);
    sr_buf_adds(&b, ",\"fcode\":");
    sr_buf_json_cstr(&b, p->fcode);
    sr_buf_adds(&b, "}\n");
    cli_write(&b);
    sr_buf_finish(&b);
}

static int build(const char *img, char **args, int n)
{
    sr_gazsrc *src = sr_calloc((size_t)(n ? n : 1), sizeof *src);
    if (!src) {
        fprintf(stderr, "sitrep: error: out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char *eq = strchr(args[i], '=');
        int k = 0;
        if (eq) {
            *eq = 0;
            k = sr_gazsrc_parse(args[i]);
            *eq = '=';
        }
        if (!k) {
            fprintf(stderr, "sitrep gazetteer build: '%s' is not KIND=PATH (see --help)\n", args[i]);
            sr_free(src);
            return 2;
        }
        src[i].kind = (sr_gazsrc_kind)k;
        src[i].path = eq + 1;
    }
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_status st = sr_gazimg_build(src, (size_t)n, img, &ctx);
    sr_free(src);
    if (st) {
        cli_error(&ctx);
        return 1;
    }
    sr_gaz *g;
    if (sr_gaz_open(&g, img, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    fprintf(stderr, "sitrep gazetteer: %s: %zu places from %zu sources\n", img, sr_gaz_size(g), sr_gaz_nsources(g));
    sr_gaz_close(g);
    return 0;
}

static int add(const char *img, const char *kind, const char *file)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    int k = sr_gazsrc_parse(kind);
    if (!k) {
        fprintf(stderr, "sitrep gazetteer add: unknown kind '%s'\n", kind);
        return 2;
    }
    sr_gaz *g;
    if (sr_gaz_open(&g, img, &ctx)) {
        cli_error(&ctx);
        return 1;
    }
    size_t n = sr_gaz_nsources(g);
    sr_gazsrc *src = sr_calloc(n + 1, sizeof *src);
    char **paths = sr_calloc(n + 1, sizeof *paths);
    int rc = 0;
    if (!src || !paths) {
        fprintf(stderr, "sitrep: error: out of memory\n");
        rc = 1;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        const char *kn;
        paths[i] = sr_strdup(sr_gaz_source(g, i, &kn));
        src[i].kind = (sr_gazsrc_kind)sr_gazsrc_parse(kn);
        src[i].path = paths[i];
        if (!paths[i])
            rc = 1;
    }
    sr_gaz_close(g);
    if (!rc) {
        src[n].kind = (sr_gazsrc_kind)k;
        src[n].path = file;
        if (sr_gazimg_build(src, n + 1, img, &ctx)) {
            cli_error(&ctx);
            rc = 1;
        } else if (!sr_gaz_open(&g, img, &ctx)) {
            fprintf(stderr, "sitrep gazetteer: %s: %zu places from %zu sources\n", img, sr_gaz_size(g),
                    sr_gaz_nsources(g));
            sr_gaz_close(g);
        }
    }
    for (size_t i = 0; paths && i < n; i++)
        sr_free(paths[i]);
    sr_free(paths);
    sr_free(src);
    return rc;
}

int cmd_gazetteer(int argc, char **argv)
{
    char def[4096];
    sr_gaz_default_path(def, sizeof def);
    const char *img = def, *kind = "geonames";
    int all = 0;
    char **rest = argv + 1;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help(stdout);
            return 0;
        }
        if ((!strcmp(argv[i], "-i") || !strcmp(argv[i], "--image")) && i + 1 < argc)
            img = argv[++i];
        else if (!strcmp(argv[i], "--kind") && i + 1 < argc)
            kind = argv[++i];
        else if (!strcmp(argv[i], "--all"))
            all = 1;
        else
            rest[n++] = argv[i];
    }
    if (!n) {
        help(stderr);
        return 2;
    }
    const char *sub = rest[0];
    if (!strcmp(sub, "build"))
        return build(img, rest + 1, n - 1);
    if (!strcmp(sub, "add")) {
        if (n != 2) {
            fprintf(stderr, "usage: sitrep gazetteer add [-i IMAGE] [--kind KIND] FILE\n");
            return 2;
        }
        return add(img, kind, rest[1]);
    }
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_gaz *g;
    if (!strcmp(sub, "check") || !strcmp(sub, "info") || !strcmp(sub, "lookup")) {
        if (sr_gaz_open(&g, img, &ctx)) {
            cli_error(&ctx);
            return 1;
        }
    } else {
        fprintf(stderr, "sitrep gazetteer: unknown subcommand '%s'\n", sub);
        help(stderr);
        return 2;
    }
    int rc = 0;
    if (!strcmp(sub, "check")) {
        if (sr_gaz_check(g, &ctx)) {
            cli_error(&ctx);
            rc = 1;
        } else
            printf("%s: up to date (%zu places, %zu sources)\n", img, sr_gaz_size(g), sr_gaz_nsources(g));
    } else if (!strcmp(sub, "info")) {
        printf("%s: %zu places\n", img, sr_gaz_size(g));
        const char *k;
        for (size_t i = 0; i < sr_gaz_nsources(g); i++) {
            const char *p = sr_gaz_source(g, i, &k);
            printf("  %-9s %s\n", k, p);
        }
    } else {
        for (int i = 1; i < n; i++) {
            if (all) {
                sr_place_ref c[200];
                size_t nc = sr_gaz_candidates(g, rest[i], 1, c, 200);
                for (size_t k = 0; k < nc && k < 200; k++)
                    print_ref(&c[k], rest[i]);
                if (!nc)
                    rc = 1;
                continue;
            }
            sr_place_ref p;
            if (sr_gaz_lookup(g, rest[i], &p)) {
                fprintf(stderr, "sitrep gazetteer: '%s': not found\n", rest[i]);
                rc = 1;
                continue;
            }
            print_ref(&p, rest[i]);
        }
    }
    fflush(stdout);
    sr_gaz_close(g);
    return rc;
}
