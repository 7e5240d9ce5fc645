/* fuzz_places.c — libFuzzer harness for the geoparser and the name keys:
 * any bytes (repaired to UTF-8) go through sr_lex_norm/sr_lex_skel and
 * sr_places_find against a small image compiled once from the fixtures in
 * tests/fixtures/places (run from the repository root).  Every mention must
 * lie inside the text, in order, with a known entry; and the key of the
 * first line's space-separated words, joined from their parts (sr_lex_part,
 * sr_lex_fold), must equal sr_lex_norm of that line when it is short enough.
 * Build and run: `make fuzz && build-fuzz/fuzz_places -max_total_time=60`. */
#include "fuzz.h"
#include "core/arena.h"
#include "extract/places.h"
#include "lex/gazimg.h"
#include "lex/lex.h"
#include "text/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FX "tests/fixtures/places/"

static sr_gaz *gaz;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char img[64];
    snprintf(img, sizeof img, "/tmp/sitrep-fuzz-places-%d.img", (int)getpid());
    sr_gazsrc src[] = {
        {SR_GSRC_WORDS, FX "words.txt"},       {SR_GSRC_NAMES, FX "names.txt"},
        {SR_GSRC_STOP, "data/gazetteer/stopwords.txt"}, {SR_GSRC_TRANSLIT, FX "translit.txt"},
        {SR_GSRC_GEONAMES, FX "mini-geonames.txt"}, {SR_GSRC_TSV, FX "mini.tsv"},
    };
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    if (sr_gazimg_build(src, sizeof src / sizeof *src, img, &ctx) || sr_gaz_open(&gaz, img, &ctx)) {
        fprintf(stderr, "fuzz_places: %s (run from the repository root)\n", ctx.msg);
        abort();
    }
    unlink(img);   /* the mapping stays valid */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sr_arena *a;
    char *text = fuzz_text(data, size, &a);
    if (!text)
        return 0;
    size_t len = strlen(text);
    char k[SR_LEX_MAX], sk[SR_LEX_MAX];
    size_t kn = sr_lex_norm(text, len, k, 0);
    if (kn >= SR_LEX_MAX || sr_lex_skel(k, kn, sk) >= SR_LEX_MAX || sr_lex_norm(text, len, k, 1) >= SR_LEX_MAX)
        abort();
    /* keys joined from parts (lex.h): the first line, cut at a space */
    size_t ln = strcspn(text, "\n\r\t");
    while (ln > SR_LEX_PART_MAX && ln > 0)
        ln--;
    if (ln <= SR_LEX_PART_MAX) {
        char joined[2 * SR_LEX_MAX], part[2 * SR_LEX_MAX], f[SR_LEX_MAX];
        size_t jn = 0, last = SIZE_MAX, starts[64], lens[64], nt = 0;
        for (size_t p = 0; p < ln && nt < 64;) {
            while (p < ln && text[p] == ' ')
                p++;
            size_t q = p;
            while (q < ln && text[q] != ' ')
                q++;
            if (q > p)
                starts[nt] = p, lens[nt++] = q - p;
            p = q;
        }
        /* a cut inside a UTF-8 sequence or past 64 tokens: not a span of tokens */
        int whole = nt < 64 && (ln == strcspn(text, "\n\r\t") || (text[ln] == ' '));
        for (size_t i = 0; whole && i < nt; i++) {
            size_t endn;
            sr_lex_part(text + starts[i], lens[i], part, &endn);
            if (endn)
                last = i;
        }
        for (size_t i = 0; whole && last != SIZE_MAX && i <= last; i++) {
            size_t endn, mid = sr_lex_part(text + starts[i], lens[i], part, &endn);
            size_t pn = i < last ? mid : endn;
            if (jn + pn >= sizeof joined)
                abort();
            memcpy(joined + jn, part, pn);
            jn += pn;
        }
        size_t fn = sr_lex_fold(joined, jn, f, SR_LEX_MAX - 1);
        size_t nn = sr_lex_norm(text, ln, k, 0);
        if (whole && (fn != nn || memcmp(f, k, nn)))
            abort();
    }
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.id = "fuzz";
    d.origin = "fuzz";
    d.text = text;
    d.len = len;
    sr_textmodel tm;
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    if (sr_text_analyze(&d, a, &tm))
        return 0;
    sr_mention *m;
    size_t n;
    if (sr_places_find(gaz, &d, &tm, a, &m, &n, &ctx))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].start >= m[i].end || m[i].end > len || (i && m[i].start < m[i - 1].start) || !m[i].place.geonameid)
            abort();
        sr_place_ref p;
        char id[16];
        snprintf(id, sizeof id, "%u", m[i].place.geonameid);
        if (sr_gaz_lookup(gaz, id, &p))
            abort();
    }
    return 0;
}
