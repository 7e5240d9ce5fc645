/* test_places.c — unit tests of the places stage: name normalisation and
 * skeleton keys (src/lex/norm.c), the gazetteer compiler and image
 * (src/lex/gazimg_build.c, src/extract/places.c: build, open, look up,
 * staleness check, bad input) and the geoparser (src/extract/places_find.c:
 * recognition negatives, qualifiers, country focus, skeleton fallback) and
 * the geoparser's speed structures: n-gram keys joined from per-token parts
 * (sr_lex_part), the image's prefix filter, the run memo and the token
 * cache in sr_gaz (whose answers must equal those made without
 * them), and the
 * entries' unit vectors and priors made at build (image v9).
 *
 * The image is compiled from the small fixture files in tests/fixtures/places
 * (written for this project) into a temporary directory, so the tests do not
 * depend on the full gazetteer; the real stop list of data/gazetteer is used. */
#include "t.h"
#include "core/arena.h"
#include "extract/places.h"
#include "extract/places_int.h"
#include "ingest/doc.h"
#include "lex/gazimg.h"
#include "lex/lex.h"
#include "text/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define FX "tests/fixtures/places/"

static char keybuf[SR_LEX_MAX];
static const char *key(const char *s)
{
    sr_lex_norm(s, strlen(s), keybuf, 0);
    return keybuf;
}

static int same_key(const char *a, const char *b)
{
    char ka[SR_LEX_MAX], kb[SR_LEX_MAX];
    size_t na = sr_lex_norm(a, strlen(a), ka, 0), nb = sr_lex_norm(b, strlen(b), kb, 0);
    return na && na == nb && !memcmp(ka, kb, na);
}

static int same_skel(const char *a, const char *b)
{
    char ka[SR_LEX_MAX], kb[SR_LEX_MAX], sa[SR_LEX_MAX], sb[SR_LEX_MAX];
    size_t na = sr_lex_skel(ka, sr_lex_norm(a, strlen(a), ka, 0), sa);
    size_t nb = sr_lex_skel(kb, sr_lex_norm(b, strlen(b), kb, 0), sb);
    return na && na == nb && !memcmp(sa, sb, na);
}

static void test_norm(void)
{
    /* case, diacritics, marks, hyphens */
    T_EQ_STR(key("DAMASCUS"), "damascus");
    T_EQ_STR(key("Ālbū Kamāl"), "albukamal");
    T_CHECK(same_key("Qa'im", "Qaim"));
    T_CHECK(same_key("Qaʿim", "Qaim"));      /* U+02BF ayn */
    T_CHECK(same_key("Qa’im", "Qa‘im"));     /* curly quotes */
    T_CHECK(same_key("Ras al-Ain", "Ras al Ain"));
    /* the Arabic article before another word */
    T_CHECK(same_key("al-Qaim", "Qaim"));
    T_CHECK(same_key("el-Qaim", "Qaim"));
    T_CHECK(same_key("ash-Shaddadi", "Shaddadi"));
    T_CHECK(same_key("ad-Dana", "Dana"));
    T_CHECK(same_key("Deir al-Zour", "Deir el-Zour"));
    T_CHECK(same_key("Deir ez-Zour", "Deir al Zour"));
    T_EQ_STR(key("Al"), "al");                 /* alone it is a word, not an article */
    /* ou -> u, ee -> i, -ah -> -a, doubled letters single */
    T_CHECK(same_key("Boukamal", "Bukamal"));
    T_CHECK(same_key("Deir el-Zeer", "Deir el-Zir"));
    T_CHECK(same_key("Raqqah", "Raqqa"));
    T_CHECK(same_key("Raqqa", "Raqa"));
    T_CHECK(same_key("Tell Abyad", "Tel Abyad"));
    /* short forms of whole words */
    T_CHECK(same_key("Saint Louis", "St. Louis"));
    T_CHECK(same_key("Fort Worth", "Ft. Worth"));
    /* different places stay apart */
    T_CHECK(!same_key("Homs", "Hama"));
    T_CHECK(!same_key("Deir ez-Zor", "Deir Hafer"));
    /* other scripts: letters of another script are separators in text, and
     * names made only of them are refused at build time */
    char k[SR_LEX_MAX];
    T_EQ_INT(sr_lex_norm("دمشق", strlen("دمشق"), k, 1), 0);
    T_EQ_INT(sr_lex_norm("", 0, k, 0), 0);
    T_EQ_INT(sr_lex_norm("--", 2, k, 0), 0);
    /* over-long names are cut, never overflow */
    char longname[600];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    T_CHECK(sr_lex_norm(longname, strlen(longname), k, 0) < SR_LEX_MAX);
}

static void test_skel(void)
{
    /* the loose key: vowels, y, w, h dropped; q, c -> k */
    T_CHECK(same_skel("Deir al-Zour", "Deir ez-Zor"));
    T_CHECK(same_skel("Deir el-Zour", "Dayr az Zawr"));
    T_CHECK(same_skel("Bukamal", "Abu Kamal"));
    T_CHECK(same_skel("Boukamal", "al-Bukamal"));
    T_CHECK(same_skel("Qalamoun", "Kalamun"));
    T_CHECK(!same_skel("Mosul", "Damascus"));
    T_CHECK(sr_lex_hash("", 0) != 0);
    T_CHECK(sr_lex_hash("a", 1) != sr_lex_hash("b", 1));
}

/* sr_lex_norm(span) of tokens separated by spaces, rebuilt from its parts. */
static int parts_agree(const char *span)
{
    char key[SR_LEX_MAX], joined[8 * 2 * SR_LEX_MAX], part[2 * SR_LEX_MAX], folded[SR_LEX_MAX];
    size_t kn = sr_lex_norm(span, strlen(span), key, 0);
    /* the tokens: runs of non-spaces */
    const char *tok[16];
    size_t tn[16], nt = 0;
    for (const char *p = span; *p && nt < 16;) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (q > p)
            tok[nt] = p, tn[nt++] = (size_t)(q - p);
        p = q;
    }
    size_t last = nt, jn = 0;   /* the last token with a letter */
    for (size_t i = 0; i < nt; i++) {
        size_t endn;
        sr_lex_part(tok[i], tn[i], part, &endn);
        if (endn)
            last = i;
    }
    for (size_t i = 0; last < nt && i <= last; i++) {
        size_t endn, mid = sr_lex_part(tok[i], tn[i], part, &endn);
        size_t n = i < last ? mid : endn;
        memcpy(joined + jn, part, n);
        jn += n;
    }
    size_t fn = sr_lex_fold(joined, jn, folded, SR_LEX_MAX - 1);
    if (fn != kn || memcmp(folded, key, kn)) {
        fprintf(stderr, "parts: \"%s\": norm \"%s\", parts \"%.*s\"\n", span, key, (int)fn, folded);
        return 0;
    }
    return 1;
}

/* sr_lex_fold against the rule written out byte by byte (ou -> u, ee -> i,
 * a byte twice in a row once, digits kept twice), on strings over the
 * letters that fold and their neighbours, at every length and limit: the
 * fast path (eight bytes a test) must agree at each position of a pair. */
/* A random string of fewer than cap bytes into buf, each one of alpha[0..na)
 * (na 0: any byte); its length. */
static size_t rand_text(uint32_t *seed, char *buf, size_t cap, const char *alpha, size_t na)
{
    *seed = *seed * 1103515245u + 12345u;
    size_t n = (*seed >> 16) % cap;
    for (size_t k = 0; k < n; k++) {
        *seed = *seed * 1103515245u + 12345u;
        buf[k] = na ? alpha[(*seed >> 16) % na] : (char)(*seed >> 16);
    }
    return n;
}

static void test_fold(void)
{
    uint32_t seed = 12345;
    size_t bad = 0;
    for (int round = 0; round < 20000; round++) {
        char j[40], out[SR_LEX_MAX], ref[SR_LEX_MAX];
        size_t jn = round % 3 ? rand_text(&seed, j, sizeof j, "abcdfgz", 7) : rand_text(&seed, j, sizeof j, "oueeab1 ", 8);
        if (round % 3 == 1 && jn > 1)   /* one pair that folds, anywhere */
            memcpy(j + (seed >> 8) % (jn - 1), (seed >> 20) & 1 ? "ou" : "ee", 2);
        size_t max = round % 5 ? SR_LEX_MAX - 1 : (seed >> 24) % 12;
        size_t rn = 0;
        for (size_t k = 0; k < jn && rn < max; k++) {
            char c = j[k];
            if (c == 'o' && k + 1 < jn && j[k + 1] == 'u')
                c = 'u', k++;
            else if (c == 'e' && k + 1 < jn && j[k + 1] == 'e')
                c = 'i', k++;
            if (rn && ref[rn - 1] == c && !(c >= '0' && c <= '9'))
                continue;
            ref[rn++] = c;
        }
        ref[rn] = 0;
        size_t on = sr_lex_fold(j, jn, out, max);
        bad += on != rn || memcmp(out, ref, rn + 1);
    }
    T_EQ_INT(bad, 0);
}

/* sr_lex_skel (a byte table) against its rule written out: vowels, y, w
 * and h dropped, q and c read as k, a letter twice in a row once; on
 * random bytes (every value, NUL included) and on strings of the letters
 * the rule names. */
static void test_skel_rule(void)
{
    uint32_t seed = 4321;
    size_t bad = 0;
    for (int round = 0; round < 20000; round++) {
        char k[140], out[SR_LEX_MAX], ref[SR_LEX_MAX];
        size_t n = rand_text(&seed, k, sizeof k, "aeiouywhqckbbt 0", round & 1 ? 0 : 16);
        size_t rn = 0;
        for (size_t i = 0; i < n && rn + 1 < SR_LEX_MAX; i++) {
            char c = k[i];
            if (strchr("aeiouywh", c) && c)
                continue;
            if (c == 'q' || c == 'c')
                c = 'k';
            if (rn && ref[rn - 1] == c)
                continue;
            ref[rn++] = c;
        }
        ref[rn] = 0;
        size_t on = sr_lex_skel(k, n, out);
        bad += on != rn || memcmp(out, ref, rn + 1);
    }
    T_EQ_INT(bad, 0);
}

static void test_parts(void)
{
    const char *fx[] = {"Deir ez-Zor", "Ras al Ain", "Tall al", "Tall al Abyad", "Raqqah City", "Abu Kamal",
                        "Saint Louis", "Mount Hermon", "Fort Ste Marie", "Abo Ubaida", "Zee Eel", "Hass Salam",
                        "U.S. Army", "Ñandú Ærø", "Al Bab", "al- Bab", "’ Qa’im", "Doo ou", "Aa Ahh Ah",
                        "A", "ash Shaddadi", "Ḥamāh Ḥimṣ", "al-Qaim al", "Es Suweida", "X 123 44 Y", NULL};
    for (int i = 0; fx[i]; i++)
        T_CHECK(parts_agree(fx[i]));
    /* generated spans: letters that fold across word joins (o u, e e,
     * doubles), articles, -ah endings, marks, hyphens, word folds */
    static const char *const bits[] = {"o", "u", "e", "a", "h", "l", "s", "t", "ah", "al", "el", "ash", "-", "'",
                                       "ou", "ee", "Saint", "mount", "Z", "é", "1", "2"};
    unsigned seed = 12345;
    int ok = 1;
    for (int n = 0; n < 3000; n++) {
        char span[64];
        size_t sl = 0;
        int words = 1 + (int)(seed % 4);
        for (int w = 0; w < words; w++) {
            if (w)
                span[sl++] = ' ';
            int pieces = 1 + (int)((seed >> 3) % 3);
            for (int k = 0; k < pieces; k++) {
                seed = seed * 1103515245u + 12345u;
                const char *b = bits[(seed >> 16) % (sizeof bits / sizeof *bits)];
                size_t bl = strlen(b);
                if (sl + bl + 2 < sizeof span)
                    memcpy(span + sl, b, bl), sl += bl;
            }
        }
        span[sl] = 0;
        ok &= parts_agree(span);
    }
    T_CHECK(ok);
    /* the lengths: a word follows (article dropped) / the name ends (kept) */
    char part[2 * SR_LEX_MAX];
    size_t endn, mid = sr_lex_part("al", 2, part, &endn);
    T_EQ_INT(mid, 0);
    T_EQ_INT(endn, 2);
    mid = sr_lex_part("Raqqah", 6, part, &endn);
    T_EQ_INT(mid, 5);
    T_EQ_MEM(part, endn, "raqqa");
    T_EQ_INT(sr_lex_part("", 0, part, &endn), 0);
    T_EQ_INT(endn, 0);
}

/* The image's prefix filter holds the first 4..8 letters of every key. */
static void test_prefix(const sr_gaz *g)
{
    const char *names[] = {"Deir ez-Zor", "Boukamal", "Palmyra", "Pennsylvania", "Mosul", "Raqqa", NULL};
    for (int i = 0; names[i]; i++) {
        char k[SR_LEX_MAX];
        size_t kn = sr_lex_norm(names[i], strlen(names[i]), k, 0);
        for (size_t l = SR_GAZIMG_PFX_MIN; l <= kn && l <= SR_GAZIMG_PFX_MAX; l++)
            T_CHECK(sr_gazimg_bloom_has(g->pfx, g->h->pfx_log2, sr_lex_hash(k, l)));
    }
    /* strings that begin no key mostly fail (a bloom filter: some may pass) */
    const char *none[] = {"thesyria", "qxzvqxzv", "zzzzzzzz", "islamics", "kkkkjjjj", "wxwxwxwx", NULL};
    int fail = 0;
    for (int i = 0; none[i]; i++)
        fail += !sr_gazimg_bloom_has(g->pfx, g->h->pfx_log2, sr_lex_hash(none[i], 8));
    T_CHECK(fail >= 4);
}

static const char *places(const sr_gaz *g, sr_arena *a, const char *text);

/* The token cache changes no answer: cold, warm, after other documents,
 * with tokens too long to be kept; and what it keeps equals a fresh look-up. */
static void test_cache(const sr_gaz *g, sr_arena *a)
{
    const char *texts[] = {
        "Syrian forces retook Palmyra from the militants near Deir ez-Zor.",
        "Officials in Palmyra, Pa. said Newark-area roads were closed; Mr. Newark agreed.",
        "The Extraordinarilylongname Committee met in Mosul and Boukamal.",
        "Jordan Haddad told the court that Kelly was at home in Orange.",
        "Syrian Army Retakes Palmyra As Deir Ez-Zor Governorate Waits: Mosul Residents Return To Boukamal",
        NULL};
    char first[5][1024];
    memset(g->tc, 0, SR_GAZ_TC * sizeof *g->tc);
    for (int i = 0; texts[i]; i++)
        snprintf(first[i], sizeof first[i], "%s", places(g, a, texts[i]));
    T_CHECK(strstr(first[0], "Palmyra=163345") != NULL);
    for (int round = 0; round < 2; round++)
        for (int i = 4; i >= 0; i--)
            T_EQ_STR(places(g, a, texts[i]), first[i]);
    memset(g->tc, 0, SR_GAZ_TC * sizeof *g->tc);
    memset(g->runs, 0, SR_GAZ_RUNS * sizeof *g->runs);   /* (else the runs' parts are not asked again) */
    T_EQ_STR(places(g, a, texts[2]), first[2]);
    for (int i = 0; texts[i]; i++)
        T_EQ_STR(places(g, a, texts[i]), first[i]);
    /* every kept entry: its bytes' key, hash, flags and slots as made now */
    size_t kept = 0, bad = 0, parts_kept = 0;
    for (size_t i = 0; i < SR_GAZ_TC; i++) {
        const sr_gaz_tok *e = &g->tc[i];
        if (!e->rn)
            continue;
        kept++;
        char raw[17], k[SR_LEX_MAX];
        memcpy(raw, e->raw, 16);
        raw[16] = 0;
        size_t kn = sr_lex_norm(raw, e->rn, k, 0);
        uint64_t h = sr_lex_hash(k, kn);
        const sr_gazimg_slot *ks = sr_gaz_find(g->key, g->h->kcap, h);
        int in_bloom = sr_gazimg_bloom_has(g->bloom, g->h->bloom_log2, h);
        bad += e->kn != kn || e->kh != h || e->wf != sr_gaz_wordflags(g, k, kn) ||
               e->slot != (in_bloom && ks ? (uint32_t)(ks - g->key) + 1 : 0);
        if (e->pend != SR_GAZ_PART_UNKNOWN) {   /* a kept part: as sr_lex_part makes it */
            char part[2 * SR_LEX_MAX];
            size_t endn, mid = sr_lex_part(raw, e->rn, part, &endn);
            bad += mid != e->pmid || endn != e->pend || memcmp(part, e->part, endn);
            parts_kept++;
        }
    }
    /* what the scan asked of a kept slot's list: as the image says */
    size_t hits = 0;
    for (size_t i = 0; i < SR_GAZ_TC; i++) {
        const sr_gaz_tok *e = &g->tc[i];
        if (!e->rn || !e->hit)
            continue;
        hits++;
        const sr_gazimg_slot *s = e->slot ? &g->key[e->slot - 1] : e->skel ? &g->skel[e->skel - 1] : NULL;
        T_CHECK(s != NULL);
        if (!s)
            continue;
        int dem = 0;
        for (uint32_t k = 0; k < s->n && k < 64; k++)
            dem |= !!(g->list[s->list + k] & SR_GAZ_LDEMONYM);
        const sr_gazimg_ent *fe = &g->ent[g->list[s->list] & SR_GAZ_LINDEX];
        bad += !(e->hit & SR_GAZ_HIT_KNOWN) || !!(e->hit & SR_GAZ_HIT_DEM) != dem ||
               !(e->hit & SR_GAZ_HIT_ENT) || (e->hit & SR_GAZ_HIT_KIND) != fe->kind ||
               !!(e->hitf & SR_GAZ_HF_TRANSLIT) != !!(fe->flags & SR_GE_TRANSLIT) ||
               !!(e->hitf & SR_GAZ_HF_SMALL) != (fe->pop < 100000);
    }
    T_CHECK(hits >= 3);
    T_EQ_INT((uintptr_t)g->tc % 64, 0);   /* one cache line an entry */
    T_CHECK(kept >= 8);
    T_CHECK(parts_kept >= 3);
    T_EQ_INT(bad, 0);
    /* ... and its focus weight and first entry's country (hit entries) */
    for (size_t i = 0; i < SR_GAZ_TC; i++) {
        const sr_gaz_tok *e = &g->tc[i];
        if (!e->rn || !e->hit)
            continue;
        const sr_gazimg_slot *s = e->slot ? &g->key[e->slot - 1] : &g->skel[e->skel - 1];
        const sr_gazimg_ent *fe = &g->ent[g->list[s->list] & SR_GAZ_LINDEX];
        int c = fe->cc[0] >= 'A' && fe->cc[0] <= 'Z' && fe->cc[1] >= 'A' && fe->cc[1] <= 'Z'
                    ? (fe->cc[0] - 'A') * 26 + (fe->cc[1] - 'A') : -1;
        bad += e->fcc != c || e->fw < SR_GAZ_FW_NONE || e->fw > SR_GAZ_FW_ADM1 ||
               (!e->slot && e->fw != SR_GAZ_FW_NONE) ||   /* a skeleton match says nothing of the focus */
               (e->slot && fe->kind == SR_GK_COUNTRY && e->fw != SR_GAZ_FW_COUNTRY && e->fw != SR_GAZ_FW_SHARED);
    }
    T_EQ_INT(bad, 0);
    char warm[1024];
    /* the run memo: runs of two or more words were kept, and every text
     * reads the same from it (warm), without it (cleared) and with the
     * token cache cleared under it */
    size_t runs = 0;
    for (size_t i = 0; i < SR_GAZ_RUNS; i++)
        runs += g->runs[i].key != 0;
    T_CHECK(runs >= 5);
    /* a set's four ways (one cache line) hold a run once */
    size_t twice = 0;
    for (size_t i = 0; i < SR_GAZ_RUNS; i += 4)
        for (size_t x = 0; x < 4; x++)
            for (size_t y = x + 1; y < 4; y++)
                twice += g->runs[i + x].key && g->runs[i + x].key == g->runs[i + y].key;
    T_EQ_INT(twice, 0);
    T_EQ_INT((uintptr_t)g->runs % 64, 0);
    for (int i = 0; texts[i]; i++)
        T_EQ_STR(places(g, a, texts[i]), first[i]);
    memset(g->tc, 0, SR_GAZ_TC * sizeof *g->tc);
    for (int i = 0; texts[i]; i++)
        T_EQ_STR(places(g, a, texts[i]), first[i]);
    memset(g->runs, 0, SR_GAZ_RUNS * sizeof *g->runs);
    for (int i = 4; i >= 0; i--)
        T_EQ_STR(places(g, a, texts[i]), first[i]);
    /* the same words with other spaces, or cut apart by a line break, are
     * other runs: each is searched for itself, cold or warm */
    const char *sp = "Fighting reached Deir ez-Zor. Then Deir  ez-Zor fell. Later Deir\nez-Zor. Deir ez-Zor.";
    memset(g->runs, 0, SR_GAZ_RUNS * sizeof *g->runs);
    snprintf(warm, sizeof warm, "%s", places(g, a, sp));
    T_CHECK(strstr(warm, "Deir ez-Zor=170794") != NULL);
    T_EQ_STR(places(g, a, sp), warm);
    /* the prefix test of runs that start with a kept word is kept too */
    size_t asked = 0;
    for (size_t i = 0; i < SR_GAZ_TC; i++)
        asked += g->tc[i].rn && g->tc[i].pfx != SR_GAZ_PFX_UNKNOWN;
    T_CHECK(asked >= 3);
    /* the word lists: any case, a final period dropped */
    T_EQ_STR(places(g, a, "GOVERNOR Newark met Gen. Newark and SHERIFF Newark."), "");
}

/* The token cache's ways (places_int.h): five words of one set, seen in
 * turn, leave the four most recently seen kept, and every set's tag lanes
 * name the ways 0-3 once each. */
static void test_ways(const sr_gaz *g, sr_arena *a)
{
    char w[5][16];
    uint64_t raw[5][2], want = UINT64_MAX;
    int nw = 0;
    for (unsigned x = 0; x < 200000 && nw < 5; x++) {
        char c[16];
        int n = snprintf(c, sizeof c, "Qz%c%c%c%cv", 'a' + x % 26, 'a' + x / 26 % 26, 'a' + x / 676 % 26,
                         'a' + x / 17576 % 26);
        uint64_t r[2] = {0, 0};
        memcpy(r, c, (size_t)n);
        uint64_t set = sr_gaz_tc_hash(r, (size_t)n) & (SR_GAZ_TC_SETS - 1);
        if (want == UINT64_MAX)
            want = set;
        if (set != want)
            continue;
        memcpy(w[nw], c, (size_t)n + 1);
        memcpy(raw[nw], r, sizeof r);
        nw++;
    }
    T_EQ_INT(nw, 5);
    if (nw < 5)
        return;
    for (int i = 0; i < 5; i++) {
        char text[128];   /* (room for any w[i], as gcc counts) */
        snprintf(text, sizeof text, "Officials said %s was quiet.", w[i]);
        places(g, a, text);
    }
    int kept[5] = {0};
    for (int way = 0; way < 4; way++) {
        const sr_gaz_tok *e = &g->tc[want * 4 + (uint64_t)way];
        for (int i = 0; i < 5; i++)
            kept[i] += e->rn == strlen(w[i]) && e->raw[0] == raw[i][0] && e->raw[1] == raw[i][1];
    }
    T_EQ_INT(kept[0], 0);   /* the least recently seen: evicted */
    for (int i = 1; i < 5; i++)
        T_EQ_INT(kept[i], 1);
    size_t bad = 0;
    for (size_t s = 0; s < SR_GAZ_TC_SETS; s++) {
        unsigned seen = 0;
        for (int l = 0; l < 4; l++)
            seen |= 1u << (g->tctag[s] >> (16 * l) & 3);
        bad += seen != 15;
    }
    T_EQ_INT(bad, 0);
}

static char dir[256], img[300];

static sr_status build(const char *extra, sr_ctx *ctx)
{
    sr_gazsrc src[8] = {
        {SR_GSRC_WORDS, FX "words.txt"},      {SR_GSRC_NAMES, FX "names.txt"},
        {SR_GSRC_STOP, "data/gazetteer/stopwords.txt"}, {SR_GSRC_TRANSLIT, FX "translit.txt"},
        {SR_GSRC_GEONAMES, FX "mini-geonames.txt"}, {SR_GSRC_TSV, FX "mini.tsv"},
    };
    size_t n = 6;
    if (extra)
        src[n++] = (sr_gazsrc){SR_GSRC_GEONAMES, extra};
    return sr_gazimg_build(src, n, img, ctx);
}

static void test_image(sr_gaz *g)
{
    sr_place_ref p;
    T_CHECK(sr_gaz_size(g) >= 15);
    T_EQ_INT(sr_gaz_nsources(g), 6);
    const char *kind;
    T_CHECK(sr_gaz_source(g, 0, &kind) != NULL);
    T_CHECK(sr_gaz_source(g, 99, &kind) == NULL);
    /* ids and spellings */
    T_EQ_INT(sr_gaz_lookup(g, "170794", &p), SR_OK);
    T_EQ_STR(p.name, "Deir ez-Zor");
    T_EQ_STR(p.country, "SY");
    T_EQ_INT(sr_gaz_lookup(g, "999999999", &p), SR_ENOTFOUND);
    const char *deir[] = {"Deir ez-Zor", "Deir el-Zor", "Deir al-Zour", "Deir el-Zour", "Dayr az Zawr", NULL};
    for (int i = 0; deir[i]; i++) {
        p.geonameid = 0;
        T_EQ_INT(sr_gaz_lookup(g, deir[i], &p), SR_OK);
        T_EQ_INT(p.geonameid, 170794);
    }
    const char *kamal[] = {"Bukamal", "Boukamal", "Abu Kamal", "Albu Kamal", "al-Bukamal", NULL};
    for (int i = 0; kamal[i]; i++) {
        p.geonameid = 0;
        T_EQ_INT(sr_gaz_lookup(g, kamal[i], &p), SR_OK);
        T_EQ_INT(p.geonameid, 174448);
    }
    T_EQ_INT(sr_gaz_lookup(g, "Qa'im", &p), SR_OK);
    T_EQ_INT(p.geonameid, 92138);
    T_EQ_INT(sr_gaz_lookup(g, "Nowhere-on-Earth", &p), SR_ENOTFOUND);
    /* image v9: entries on cache lines, each with the unit vector and prior
     * the build made, equal to those made now from its fields */
    T_EQ_INT((uintptr_t)g->ent % 64, 0);
    /* the filters each on a 2 MB boundary of the file (huge pages); the
     * token cache and run memo on one 2 MB-aligned region */
    T_EQ_INT(g->h->off_bloom % ((uint64_t)2 << 20), 0);
    T_EQ_INT(g->h->off_pfx % ((uint64_t)2 << 20), 0);
    T_EQ_INT((uintptr_t)g->tc % SR_GAZ_HUGE, 0);
    T_CHECK((char *)(g->runs + SR_GAZ_RUNS) <= (char *)g->tc + SR_GAZ_HUGE);
    size_t bad = 0;
    for (size_t i = 0; i < sr_gaz_size(g); i++) {
        const sr_gazimg_ent *e = &g->ent[i];
        float u[3];
        sr_gazimg_unit(e->lat, e->lon, u);
        bad += e->ux != u[0] || e->uy != u[1] || e->uz != u[2] || e->prior != sr_gazimg_geo_prior(e) ||
               e->reserved[0] || e->reserved[1];
        bad += fabsf(e->ux * e->ux + e->uy * e->uy + e->uz * e->uz - 1.0f) > 1e-5f;
    }
    T_EQ_INT(bad, 0);
    float u[3];
    sr_gazimg_unit(0, 90, u);   /* the equator at 90 E: (0, 1, 0) */
    T_CHECK(fabsf(u[0]) < 1e-6f && fabsf(u[1] - 1) < 1e-6f && fabsf(u[2]) < 1e-6f);
    sr_gazimg_ent big = {.pop = 1000000, .kind = SR_GK_CITY, .fcode = "PPLC"};
    T_CHECK(fabsf(sr_gazimg_geo_prior(&big) - (1.5f + 0.3f)) < 1e-3f);   /* log10(1e6) / 4 + capital */
    /* own ids come from a hash of name, country and code: the same in every build */
    T_EQ_INT(sr_gaz_lookup(g, "Pennsylvania", &p), SR_OK);
    T_EQ_INT(p.geonameid, 4251857964u);
    /* every candidate of an ambiguous name, the most important first */
    sr_place_ref c[8];
    size_t nc = sr_gaz_candidates(g, "Palmyra", 0, c, 8);
    T_EQ_INT(nc, 2);
    T_EQ_INT(c[0].geonameid, 163345);
    T_EQ_INT(sr_gaz_candidates(g, NULL, 0, c, 8), 0);
    T_EQ_INT(sr_gaz_lookup(NULL, "x", &p), SR_EARG);
}

/* The mentions of one short text (NULL on an error). */
static sr_mention *find_in(const sr_gaz *g, sr_arena *a, const char *text, size_t *n)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.id = "t";
    d.text = text;
    d.len = strlen(text);
    sr_arena_reset(a);
    sr_textmodel tm;
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_mention *m;
    if (sr_text_analyze(&d, a, &tm) || sr_places_find(g, &d, &tm, a, &m, n, &ctx))
        return NULL;
    return m;
}

/* The mentions of one short text, as "text=geonameid" joined by spaces. */
static char found[1024];
static const char *places(const sr_gaz *g, sr_arena *a, const char *text)
{
    size_t n;
    sr_mention *m = find_in(g, a, text, &n);
    found[0] = 0;
    if (!m)
        return "(error)";
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(found);
        snprintf(found + l, sizeof found - l, "%s%.*s=%u%s", l ? " " : "", (int)(m[i].end - m[i].start),
                 text + m[i].start, m[i].place.geonameid, (m[i].flags & SR_MF_DEMONYM) ? "(d)" : "");
    }
    return found;
}

static void test_find(const sr_gaz *g, sr_arena *a)
{
    /* the seeds' spellings, with the article and without */
    T_EQ_STR(places(g, a, "The army took Deir al-Zour and Boukamal from the militants."),
             "Deir al-Zour=170794 Boukamal=174448");
    T_EQ_STR(places(g, a, "Fighting went on near al-Qaim and Abu Kamal on the border."),
             "al-Qaim=92138 Abu Kamal=174448");
    /* country focus: Palmyra in a Syria story is Tadmur; demonyms name the country */
    T_EQ_STR(places(g, a, "Syrian forces retook Palmyra from the militants."), "Syrian=163843(d) Palmyra=163345");
    /* a qualifier wins over the story's focus */
    T_EQ_STR(places(g, a, "The Syrian refugees settled in Palmyra, Pennsylvania, last year."),
             "Syrian=163843(d) Palmyra=5206379 Pennsylvania=4251857964");
    T_EQ_STR(places(g, a, "Officials in Palmyra, Pa. said the roads were closed."),
             "Palmyra=5206379 Pa.=4251857964");
    /* one sense per discourse: the qualified mention decides for the others */
    T_EQ_STR(places(g, a, "Syrian refugees reached Palmyra, Pennsylvania, in May. Palmyra welcomed them."),
             "Syrian=163843(d) Palmyra=5206379 Pennsylvania=4251857964 Palmyra=5206379");
    /* plural demonyms are people: they set the focus but are not mentions */
    T_EQ_STR(places(g, a, "Many Iraqis returned to Mosul."), "Mosul=99072");
    /* "X province" means the division */
    T_EQ_STR(places(g, a, "Clashes spread across Deir ez-Zor province."), "Deir ez-Zor=4204984209");
    /* recognition negatives: titles, months, given names, common words, speakers */
    T_EQ_STR(places(g, a, "Mr. Newark met reporters in March."), "");
    T_EQ_STR(places(g, a, "Jordan Haddad told the court that Kelly was at home."), "");
    T_EQ_STR(places(g, a, "The fruit was orange. Orange juice was served."), "");
    T_EQ_STR(places(g, a, "Mobile phones were banned."), "");   /* the real stop list */
    T_EQ_STR(places(g, a, "Newark said the plan would fail."), "");
    T_EQ_STR(places(g, a, "Police closed Newark Avenue on Sunday."), "");
    /* ... but a cue makes a common word a place, and a country stays a country */
    T_EQ_STR(places(g, a, "He moved to Orange in 2001."), "Orange=5102076");
    T_EQ_STR(places(g, a, "Jordan closed its border with Syria."), "Jordan=248816 Syria=163843");
    /* a surname seen after a given name is that person everywhere in the document */
    T_EQ_STR(places(g, a, "David Newark spoke first. Later Newark left."), "");
    /* skeleton fallback: only with support from the document */
    T_EQ_STR(places(g, a, "Syrian troops shelled Dair Zoor, near Raqqa, on Sunday."),
             "Syrian=163843(d) Dair Zoor=170794 Raqqa=172955");
    T_EQ_STR(places(g, a, "The singer Dair Zoor released an album."), "");
    /* the town before a hyphen; a name particle makes a person */
    T_EQ_STR(places(g, a, "A Mosul-based group and Newark-area residents met."), "Mosul=99072 Newark=5101798");
    T_EQ_STR(places(g, a, "The trainer Mike de Newark won again."), "");
    /* a word before a surname used for a person elsewhere is a given name */
    T_EQ_STR(places(g, a, "Mr. Haddad spoke first. Then Orange Haddad left for Mosul."), "Mosul=99072");
    /* acronyms are not places */
    T_EQ_STR(places(g, a, "ISIS fighters left MOSUL."), "MOSUL=99072");
}

/* SR_MF_COUNTRY_SHARED of each mention of a text, as "1" or "0" in order:
 * set where another mention, of another entry, lies in the same country. */
static const char *shared(const sr_gaz *g, sr_arena *a, const char *text)
{
    size_t n;
    sr_mention *m = find_in(g, a, text, &n);
    if (!m)
        return "(error)";
    size_t k = 0;
    for (; k < n && k + 1 < sizeof found; k++)
        found[k] = (m[k].flags & SR_MF_COUNTRY_SHARED) ? '1' : '0';
    found[k] = 0;
    return found;
}

static void test_shared(const sr_gaz *g, sr_arena *a)
{
    /* two Syrian places: each has the other; the same place twice has none */
    T_EQ_STR(shared(g, a, "The army took Deir al-Zour and Boukamal from the militants."), "11");
    T_EQ_STR(shared(g, a, "Fighting near Mosul. The army left Mosul."), "00");
    /* a demonym resolves to its country: another entry of the same country */
    T_EQ_STR(shared(g, a, "Syrian forces retook Palmyra from the militants."), "11");
    /* Palmyra (US), Pennsylvania (US) share; Syrian has no other Syrian entry */
    T_EQ_STR(shared(g, a, "The Syrian refugees settled in Palmyra, Pennsylvania, last year."), "011");
    T_EQ_STR(shared(g, a, "Mosul"), "0");
}

/* Bad and odd input to the geoparser: no crash, sane answers. */
static void test_odd(const sr_gaz *g, sr_arena *a)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.id = "odd";
    d.text = "";
    sr_textmodel tm;
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_mention *m = NULL;
    size_t n = 99;
    sr_arena_reset(a);
    T_EQ_INT(sr_text_analyze(&d, a, &tm), SR_OK);
    T_EQ_INT(sr_places_find(NULL, &d, &tm, a, &m, &n, &ctx), SR_EARG);
    T_EQ_INT(n, 0);
    T_EQ_INT(sr_places_find(g, NULL, &tm, a, &m, &n, &ctx), SR_EARG);
    T_EQ_INT(sr_places_find(g, &d, &tm, a, &m, &n, &ctx), SR_OK);
    T_EQ_INT(n, 0);
    T_EQ_STR(places(g, a, "   \n\n  "), "");
    T_EQ_STR(places(g, a, "Mosul"), "Mosul=99072");
    T_EQ_STR(places(g, a, "-Mosul- 'Mosul' (Mosul) \"Mosul\"."), "Mosul=99072 Mosul=99072 Mosul=99072 Mosul=99072");
    /* a long run of capitalised words, names longer than MAXN words, marks alone */
    T_EQ_STR(places(g, a, "The Very Long Name Of Some Committee For Mosul met."), "Mosul=99072");
    T_EQ_STR(places(g, a, "’ ‘ ʿ ' Al- al- -"), "");
    char big[4096];
    size_t k = 0;
    while (k + 7 < sizeof big) {
        memcpy(big + k, "Mosul, ", 7);
        k += 7;
    }
    big[k] = 0;
    const char *r = places(g, a, big);
    T_CHECK(strncmp(r, "Mosul=99072", 11) == 0);
}

static void test_check(sr_ctx *ctx)
{
    /* a copy of a source, so that the test may change it */
    char src[300], cmd[700];
    snprintf(src, sizeof src, "%s/extra.txt", dir);
    snprintf(cmd, sizeof cmd, "cp " FX "add-geonames.txt %s", src);
    T_EQ_INT(system(cmd), 0);
    T_EQ_INT(build(src, ctx), SR_OK);
    sr_gaz *g = NULL;
    T_EQ_INT(sr_gaz_open(&g, img, ctx), SR_OK);
    T_EQ_INT(sr_gaz_check(g, ctx), SR_OK);
    sr_place_ref p;
    T_EQ_INT(sr_gaz_lookup(g, "Hajin", &p), SR_OK);
    T_EQ_INT(p.geonameid, 163915);
    /* same size, same time, other bytes: still stale */
    struct stat sb;
    T_EQ_INT(stat(src, &sb), 0);
    FILE *f = fopen(src, "r+");
    T_CHECK(f != NULL);
    if (f) {
        fputc('2', f);   /* the id 163915 becomes 263915 */
        fclose(f);
    }
    struct timeval tv[2] = {{sb.st_atime, 0}, {sb.st_mtime, 0}};
    T_EQ_INT(utimes(src, tv), 0);
    T_EQ_INT(sr_gaz_check(g, ctx), SR_ESTALE);
    T_CHECK(strstr(ctx->msg, "extra.txt") != NULL);
    /* newer */
    T_EQ_INT(build(src, ctx), SR_OK);
    sr_gaz_close(g);
    T_EQ_INT(sr_gaz_open(&g, img, ctx), SR_OK);
    T_EQ_INT(sr_gaz_check(g, ctx), SR_OK);
    tv[1].tv_sec = sb.st_mtime + 100;
    T_EQ_INT(utimes(src, tv), 0);
    T_EQ_INT(sr_gaz_check(g, ctx), SR_ESTALE);
    T_CHECK(strstr(ctx->msg, "newer") != NULL);
    sr_gaz_close(g);
    T_EQ_INT(sr_gaz_check(NULL, ctx), SR_EARG);
    /* bad input: a broken GeoNames line, a missing file, a short TSV row */
    f = fopen(src, "w");
    if (f) {
        fputs("12x4\tBadplace\tBadplace\t\t1\t2\tP\tPPL\tSY\t\t\t\t\t\t0\t\t\t\t\n", f);
        fclose(f);
    }
    T_EQ_INT(build(src, ctx), SR_EFORMAT);
    T_CHECK(strstr(ctx->msg, "extra.txt:1") != NULL);
    T_EQ_INT(build("/nonexistent/geonames.txt", ctx), SR_EIO);
    f = fopen(src, "w");
    if (f) {
        fputs("\tOnlyname\n", f);
        fclose(f);
    }
    sr_gazsrc bad = {SR_GSRC_TSV, src};
    T_EQ_INT(sr_gazimg_build(&bad, 1, img, ctx), SR_EFORMAT);
    /* a file that is no image */
    T_EQ_INT(sr_gaz_open(&g, src, ctx), SR_EFORMAT);
    T_EQ_INT(sr_gaz_open(&g, "/nonexistent/gazetteer.img", ctx), SR_ENOTFOUND);
}

int main(void)
{
    test_norm();
    test_skel();
    test_fold();
    test_skel_rule();
    test_parts();
    snprintf(dir, sizeof dir, "/tmp/sitrep-test-places-XXXXXX");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp failed\n");
        return 1;
    }
    snprintf(img, sizeof img, "%s/g.img", dir);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_status st = build(NULL, &ctx);
    T_EQ_INT(st, SR_OK);
    if (st)
        fprintf(stderr, "build: %s\n", ctx.msg);
    sr_gaz *g = NULL;
    T_EQ_INT(sr_gaz_open(&g, img, &ctx), SR_OK);
    if (g) {
        sr_arena *a = sr_arena_create(0);
        test_image(g);
        test_find(g, a);
        test_shared(g, a);
        test_prefix(g);
        test_cache(g, a);
        test_ways(g, a);
        test_odd(g, a);
        sr_arena_destroy(a);
        sr_gaz_close(g);
    }
    sr_gaz_close(NULL);
    test_check(&ctx);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", dir);
    return T_DONE();
}
