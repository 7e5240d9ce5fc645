/* places_find.c — the geoparser: find place mentions and resolve them.
 *
 * Recognition (scan_sentence): at each capitalised word, the n-grams that
 * follow (capitalised words and short links, up to MAXN words) are looked
 * up, longest first, through the image's bloom filter; then the town before
 * a hyphen ("London-based"), then consonant skeletons, accepted only with
 * support from the document.  A single word's answers come from the token
 * cache (places_int.h); a longer n-gram's key is joined from its tokens'
 * parts (lex.h), and the image's prefix filter cuts a run once no key can
 * begin with it (run_limit); the answer for a run of two or more words is
 * kept in the run memo (places_int.h).  A first pass over the document
 * (sr_places_find) lists the starts, makes their runs and memo keys, and
 * fills the token cache for the words it has not seen, asking for the
 * memory each of these will read before reading it, so that a document's
 * cache misses overlap.
 * A match is dropped when the context makes it something else: a stop
 * word, an acronym, a title, initial or name particle before it, a
 * capitalised non-word before it or a name word after it (persons), a
 * street word after it, a given name or a common English word with no place
 * cue, a verb of saying after it.  Person names found anywhere (find_persons,
 * speakers) hide the same word everywhere in the document.
 *
 * Resolution works on groups of one spelling and scores every candidate:
 * prior (population, feature kind, own name or alternate) + country focus
 * of the document (countries, demonyms, names whose places lie in one
 * country) + explicit qualifiers ("X, Illinois", "X in Deir ez-Zor
 * province") + context cues ("X province", "the town of X", "Kan.") +
 * proximity to the places the other mentions chose (two rounds), and takes
 * the best.  docs/places.md lists every rule with its reason. */
#include "extract/places_int.h"
#include "core/arena.h"
#include "core/swar.h"

#include <math.h>
#include <stddef.h>
#include <string.h>
#if SR_SSE2
#include <emmintrin.h>
#endif

#define MAXN 6           /* longest name in words ("Ras al-Ain", "Saint-Jean-...") */
#define MAXC 64          /* candidates weighed per mention */
#define NEAR_KM 160.0
#define NEAR_X 0.026f    /* > the chord of NEAR_KM on the unit sphere (2 sin(160 / 2R) = 0.02511) */
#define SPEAKING_CITY 400000   /* "Liverpool said": a city that size speaks for its club or council */
#define BIG_TOWN 100000   /* population of a town a reader knows by its name alone */
#define MAIN_BONUS 0.5f   /* the mention spells the entry's own name, not one of its alternates */
#define EPONYM_PENALTY 0.5f   /* a division that shares its name with a town inside it */

typedef struct pm {
    uint32_t start, end, sent, t0, t1;   /* bytes; tokens [t0, t1) */
    uint32_t grp;                        /* the group of mentions with this slot */
    const sr_gazimg_slot *slot;          /* exact key's slot, or the skeleton's */
    uint64_t kh;                         /* hash of the mention's key (person filter) */
    uint64_t nxh;                        /* hash of the capitalised word glued after it, or 0 */
    int32_t qual;                        /* index of the qualifying mention or -1 */
    int32_t best;                        /* chosen entry index or -1 */
    float fw;                            /* its weight in the country focus (fc) */
    float score, second;
    int16_t c1;                          /* the country (cci) of its slot's first entry, -1 none */
    int16_t fc;                          /* the country it counts for in the focus, -1 none */
    int8_t bk;                           /* the chosen entry's index among the group's candidates
                                          * (< MAXC), -1 none */
    int8_t fk;                           /* the kind of its slot's first entry, -1 none */
    uint8_t cue;                         /* CUE_* */
    uint8_t skel;                        /* found through the skeleton only */
    uint8_t demonym;
    uint8_t people;                      /* a plural demonym ("Syrians"): people, not a place */
    uint8_t given;                       /* a given name kept only if the story is in its country */
} pm;                                    /* 80 bytes (was 112: written twice per mention) */
_Static_assert(MAXC <= 127, "pm.bk holds a candidate index");

enum { CUE_PREP = 1, CUE_SETTLEMENT = 2, CUE_ADMIN = 4, CUE_QUALIFIED = 8, CUE_ABBREV = 16 /* "Kan.": a division's short form */ };

/* Words before a capitalised word that make it a person (compared in lower case, dot dropped). */
static const char titles[] = " mr mrs ms dr president gen general sen senator rep gov governor judge officer sheriff "
                             "capt captain lt sgt col colonel king queen prince princess pope minister secretary mayor "
                             "coach sir lord lady brother sister father rev prof professor deputy chief pastor "
                             "detective trooper commissioner councilman councilwoman spokesman spokeswoman miss mrs "
                             "uncle aunt cpl pvt maj major adm admiral sheikh emir imam ayatollah ";
/* Capitalised words that may stand before a place name without making it a person's name. */
static const char pre_ok[] = " north south east west northern southern eastern western central northeast northwest "
                             "southeast southwest northeastern northwestern southeastern southwestern upper lower "
                             "greater downtown rural metro in near from to at of and outside across the across into for "
                             "on by with ";
/* Capitalised words after a name that keep it a place ("Douglas County", "Nineveh Province"). */
static const char post_place[] = " county parish province governorate district region state city town village township "
                                 "borough area valley countryside desert suburb suburbs ";
static const char admin_words[] = " province governorate county parish district region state oblast prefecture department ";
static const char settle_words[] = " town city village hamlet suburb district area outskirts neighbourhood neighborhood "
                                   "capital ";
static const char preps[] = " in near at from to outside around into across toward towards via between through west "
                            "east north south northwest northeast southwest southeast ";
/* Words before "of" that make it a place cue ("north of Raqqa", "outside of
 * Mosul"); "of" alone is not one ("Department of Human Resources"). */
static const char of_heads[] = " west east north south northwest northeast southwest southeast outside outskirts edge "
                               "heart centre center residents resident native people mayor governor south-east north-east "
                               "south-west north-west km miles kilometres kilometers ";
/* Capitalised words after a name that make it part of a street's name
 * ("Clark Drive", "Lakeview Avenue").  Organisations and buildings named
 * after a town ("Richmond Police Department", "Paris High School") still
 * mention the town, and the geoparsing gold counts them so. */
static const char facility[] = " street st road rd avenue ave drive dr lane ln boulevard blvd parkway pkwy court ct "
                               "circle trail pike place terrace streets roads avenues ";
/* Verbs of saying after a name: the name is a person's (or an organisation's). */
static const char saying[] = " said says told added stated explained noted wrote asked replied recalled testified "
                             "argued insisted admitted declined agreed thinks believes ";
/* Lower-case particles inside persons' names. */
static const char particles[] = " de van von der den bin ibn du di da dos del della le la ter ten ";
/* Standalone short words that the article rule would swallow ("An Iraqi ..."). */
static const char bad_first[] = " an at as en es et ed er us ud ul ar ad and but or nor so yet if i ";
/* Division words that join the name when capitalised ("Nineveh Province",
 * "Douglas County"); "State", "Department" start an organisation's name
 * ("Ohio Department of Health") and stay out. */
static const char join_words[] = " province governorate county parish district region oblast prefecture ";
/* "al", "el", "ez" standing alone between two capitalised words. */
static const char arts[] = " al el ad ar as ash az ez es ed er an at ul ud us ";

/* The lists as bits: every word of every list goes once into one small
 * open-addressing table (word -> the lists that hold it), built on first use
 * (the lists are constants; the library has no threads), so a token's
 * membership of all lists is one probe, made once per token and document
 * (scan.tl), instead of a strstr per list and question. */
enum { WL_TITLES, WL_PRE_OK, WL_POST_PLACE, WL_ADMIN, WL_SETTLE, WL_PREPS, WL_OF_HEADS, WL_FACILITY, WL_SAYING,
       WL_PARTICLES, WL_BAD_FIRST, WL_JOIN, WL_ARTS, WL_OF, WL_FM, WL_N };
#define WL_DONE 0x8000u       /* scan.tl: the token's bits are known */
_Static_assert(WL_N <= 15, "the lists and WL_DONE fit scan.tl's 16 bits");
#define WL_CAP 512            /* slots (the lists hold ~250 distinct words) */
static const char *const wl_lists[WL_N] = {titles, pre_ok, post_place, admin_words, settle_words, preps, of_heads,
                                           facility, saying, particles, bad_first, join_words, arts, " of ", " fm "};
static struct wl_slot {
    uint64_t w[2];            /* the word, lower case, zero-padded (wl_load) */
    uint32_t mask;            /* 1 << WL_*; 0 = empty */
    uint32_t len;
} wl_set[WL_CAP];
static int wl_built;
static size_t wl_maxlen;      /* the longest listed word (no longer word is looked up) */
/* an 8,192-bit filter on (length, first letter, last letter) of the listed
 * words: most tokens asked about are rejected before the hash (with 1,024
 * bits one in four passed) */
static uint64_t wl_ends[128];
/* the same filter on the titles' words alone: find_persons asks of the word
 * before every capitalised word whether it is a title, and most are
 * lower-case words of other lists or none ("the", "in", "said") */
static uint64_t wl_title_ends[128];

/* (the letters' low five bits: the same for either case) */
static unsigned wl_end_bit(size_t n, unsigned char first, unsigned char last)
{
    return ((unsigned)n * 1024u + (first & 31u) * 32u + (last & 31u)) & 8191u;
}

/* The masks of the low n bytes of sixteen (n = 0 .. 16), as two words:
 * a token's bytes loaded sixteen at once are cut to its length without a
 * branch on the length, which follows no pattern (mispredicted at one token
 * in eight) */
#define M8(n) (~(~0ull << (8 * (n))))   /* the low n bytes, 0 <= n < 8 */
static const uint64_t tc_mask[17][2] = {
    {0, 0},      {M8(1), 0},  {M8(2), 0},  {M8(3), 0},  {M8(4), 0},  {M8(5), 0},  {M8(6), 0},
    {M8(7), 0},  {~0ull, 0},  {~0ull, M8(1)}, {~0ull, M8(2)}, {~0ull, M8(3)}, {~0ull, M8(4)},
    {~0ull, M8(5)}, {~0ull, M8(6)}, {~0ull, M8(7)}, {~0ull, ~0ull}};
#undef M8

/* Eight bytes with ASCII capitals made lower case at once (bytes of 0x80
 * and up, parts of UTF-8 letters, unchanged: as wl_low). */
static inline uint64_t wl_low8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, h = 0x80 * ones;
    uint64_t t = x & ~h;
    uint64_t up = (t + (0x80 - 'A') * ones) & ~(t + (0x80 - 'Z' - 1) * ones) & ~x & h;
    return x | up >> 2;
}

/* Bytes s[0..n) (n <= 16) zero-padded into w: sixteen loaded at once and
 * masked where `wide` says they may be read (a copy of a variable length
 * is a call, and its narrow stores stall the wide loads that follow: store
 * forwarding). */
static inline void load16(const char *s, size_t n, int wide, uint64_t w[2])
{
    if (wide) {
        memcpy(w, s, 16);
        w[0] &= tc_mask[n][0];
        w[1] &= tc_mask[n][1];
    } else {
        w[0] = w[1] = 0;
        memcpy(w, s, n);
    }
}

/* Word s[0..n) (n < 16) lower-cased and zero-padded into w (load16). */
static inline void wl_load(const char *s, size_t n, int wide, uint64_t w[2])
{
    load16(s, n, wide, w);
    w[0] = wl_low8(w[0]);
    w[1] = wl_low8(w[1]);
}

static uint32_t wl_hash(const uint64_t w[2], size_t n)
{
    uint64_t h = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ull) ^ n) * 0xff51afd7ed558ccdull;
    return (uint32_t)(h >> 40) & (WL_CAP - 1);
}

__attribute__((cold, noinline)) static void wl_build(void)   /* (once: kept out of the lookup) */
{
    for (int l = 0; l < WL_N; l++)
        for (const char *p = wl_lists[l]; *p;) {
            while (*p == ' ')
                p++;
            const char *q = p;
            while (*q && *q != ' ')
                q++;
            size_t n = (size_t)(q - p);
            if (n && n < 16) {   /* (wl_mask compares 16 bytes) */
                uint64_t w[2];
                wl_load(p, n, 0, w);
                uint32_t i = wl_hash(w, n);
                while (wl_set[i].mask && !(wl_set[i].len == n && wl_set[i].w[0] == w[0] && wl_set[i].w[1] == w[1]))
                    i = (i + 1) & (WL_CAP - 1);
                wl_set[i].mask |= 1u << l;
                wl_set[i].len = (uint32_t)n;
                wl_set[i].w[0] = w[0];
                wl_set[i].w[1] = w[1];
                if (n > wl_maxlen)
                    wl_maxlen = n;
                unsigned e = wl_end_bit(n, (unsigned char)p[0], (unsigned char)p[n - 1]);
                wl_ends[e >> 6] |= 1ull << (e & 63);
                if (l == WL_TITLES)
                    wl_title_ends[e >> 6] |= 1ull << (e & 63);
            }
            p = q;
        }
    wl_built = 1;
}

/* The lists holding word s[0..n) once lower-cased (ASCII letters only, as
 * the lists are written); wide: 16 bytes may be read from s. */
static uint32_t wl_mask(const char *s, size_t n, int wide)
{
    /* (the table is built: sr_places_find saw to it) */
    if (!n || n > wl_maxlen)
        return 0;
    unsigned e = wl_end_bit(n, (unsigned char)s[0], (unsigned char)s[n - 1]);
    if (!(wl_ends[e >> 6] >> (e & 63) & 1))
        return 0;
    uint64_t w[2];
    wl_load(s, n, wide, w);
    for (uint32_t i = wl_hash(w, n); wl_set[i].mask; i = (i + 1) & (WL_CAP - 1))
        if (wl_set[i].len == n && wl_set[i].w[0] == w[0] && wl_set[i].w[1] == w[1])
            return wl_set[i].mask;
    return 0;
}

/* al-Qaim, el-Zour: a lower-case article glued to a capitalised word (the
 * first hyphen within the first four bytes, a capital after it). */
static int art_glued(const char *s, size_t n)
{
    if (n >= 5) {   /* most words: no hyphen in the first four bytes, one test */
        uint32_t x;
        memcpy(&x, s, 4);
        x ^= 0x2d2d2d2du;
        if (!((x - 0x01010101u) & ~x & 0x80808080u))
            return 0;
    } else if (!((n > 1 && s[0] == '-') | (n > 2 && s[1] == '-') | (n > 3 && s[2] == '-')))
        return 0;   /* short words: the three places a hyphen could be */
    for (size_t i = 0; i < 4 && i + 1 < n; i++)
        if (s[i] == '-')
            return s[i + 1] >= 'A' && s[i + 1] <= 'Z';
    return 0;
}

/* Only spaces (no line break) between two tokens. */
static int glued(const char *t, const sr_tok *a, const sr_tok *b)
{
    uint32_t p = a->start + a->len;
    if (b->start == p + 1)   /* most gaps: one byte */
        return t[p] == ' ';
    for (; p < b->start; p++)
        if (t[p] != ' ')
            return 0;
    return 1;
}

/* Does the slot's list hold an entry of this kind first? */
static const sr_gazimg_ent *first_ent(const sr_gaz *g, const sr_gazimg_slot *s)
{
    if (!s || !s->n || s->list >= g->h->nlist)
        return NULL;
    uint32_t e = g->list[s->list] & SR_GAZ_LINDEX;
    return e < g->h->nent ? &g->ent[e] : NULL;
}

/* "Canadian" is a town in Texas too: a word that is some country's demonym is read as one. */
static int any_demonym(const sr_gaz *g, const sr_gazimg_slot *s)
{
    for (uint32_t k = 0; k < s->n && k < MAXC; k++)
        if (g->list[s->list + k] & SR_GAZ_LDEMONYM)
            return 1;
    return 0;
}

/* What the scan asks of a slot's list (places_int.h, SR_GAZ_HIT_*, SR_GAZ_HF_*):
 * kept in the token cache for a single word's slot, so that a repeated
 * name does not read the image's list[] and ent[] (cache misses). */
static void hit_info(const sr_gaz *g, const sr_gazimg_slot *s, int abbr, uint8_t *hit, uint8_t *hitf)
{
    uint8_t h = SR_GAZ_HIT_KNOWN, f = 0;
    if (any_demonym(g, s))
        h |= SR_GAZ_HIT_DEM;
    const sr_gazimg_ent *fe = first_ent(g, s);
    if (fe) {
        h |= SR_GAZ_HIT_ENT | (fe->kind & SR_GAZ_HIT_KIND);
        if (fe->flags & SR_GE_TRANSLIT)
            f |= SR_GAZ_HF_TRANSLIT;
        if (fe->pop < BIG_TOWN)
            f |= SR_GAZ_HF_SMALL;
        if (fe->kind == SR_GK_COUNTRY || !strncmp(fe->fcode, "PPLC", 4) || fe->pop >= SPEAKING_CITY)
            f |= SR_GAZ_HF_SPEAKS;
    }
    for (uint32_t c = 0; abbr && c < s->n && c < MAXC; c++) {   /* (asked only when it may count) */
        uint32_t it = g->list[s->list + c];
        if (g->ent[it & SR_GAZ_LINDEX].kind == SR_GK_ADM1 && !(it & (SR_GAZ_LMAIN | SR_GAZ_LDEMONYM))) {
            f |= SR_GAZ_HF_ABBR;
            break;
        }
    }
    *hit = h;
    *hitf = f;
}

/* The index of a country code (0 .. 26 * 26 - 1), -1 for none. */
static inline int cci(const char *cc)
{
    unsigned a = (unsigned)(unsigned char)cc[0] - 'A', b = (unsigned)(unsigned char)cc[1] - 'A';
    return (a < 26) & (b < 26) ? (int)(a * 26 + b) : -1;   /* (no branch: codes and empty ones mix) */
}

/* Are all the places a name may denote in one country ("Atlanta": every
 * Atlanta is American), so that the name tells the country if not the town? */
static int one_country(const sr_gaz *g, const sr_gazimg_slot *s)
{
    const sr_gazimg_ent *e = first_ent(g, s);
    if (!e)
        return 0;
    for (uint32_t k = 1; k < s->n && k < MAXC; k++) {
        uint32_t it = g->list[s->list + k];
        if (!(it & SR_GAZ_LDEMONYM) && memcmp(g->ent[it & SR_GAZ_LINDEX].cc, e->cc, 2))
            return 0;
    }
    return 1;
}

/* Does a division, or a town of some size, in another country share the
 * name of country entry e? */
static int shared_name(const sr_gaz *g, const sr_gazimg_slot *s, const sr_gazimg_ent *e)
{
    for (uint32_t k = 0; k < s->n && k < MAXC; k++) {
        uint32_t it = g->list[s->list + k];
        const sr_gazimg_ent *o = &g->ent[it & SR_GAZ_LINDEX];
        if (!(it & SR_GAZ_LDEMONYM) && o != e && memcmp(o->cc, e->cc, 2) &&
            (o->kind == SR_GK_ADM1 || (o->kind == SR_GK_CITY && o->pop >= 10000)))
            return 1;
    }
    return 0;
}

/* What a mention says of the story's country (the focus, resolution):
 * its weight, as SR_GAZ_FW_* (the weight's index in fw_weight).  The
 * country is that of the slot's first entry (*c1, cci of it, -1 none) for
 * a mention found exactly; one found by its skeleton says nothing. */
static const float fw_weight[] = {0, 0, 0.3f, 1.0f, 0.5f, 0.4f};
static uint8_t focus_of(const sr_gaz *g, const sr_gazimg_slot *slot, int skel, int demonym, int *c1)
{
    const sr_gazimg_ent *e = first_ent(g, slot);
    *c1 = e ? cci(e->cc) : -1;
    if (skel || *c1 < 0)
        return SR_GAZ_FW_NONE;
    if (e->kind == SR_GK_COUNTRY && !demonym && shared_name(g, slot, e))
        return SR_GAZ_FW_SHARED;   /* "Georgia", "Lebanon", "Jordan": a state or towns elsewhere share the name */
    if (e->kind == SR_GK_COUNTRY || demonym)
        return SR_GAZ_FW_COUNTRY;
    if (slot->n == 1 || one_country(g, slot))
        return SR_GAZ_FW_ONE;
    if (e->kind == SR_GK_ADM1)
        return SR_GAZ_FW_ADM1;
    return SR_GAZ_FW_NONE;
}

/* The document-wide state of recognition: the mentions found so far and
 * the person names seen ("Jim Hartmann", "Mr. Patterson"), whose surnames
 * are no places anywhere in the document (one sense per discourse). */
typedef struct scan {
    const sr_gaz *g;
    const char *t;
    size_t tlen;             /* bytes in t (t[tlen] is its NUL) */
    const sr_textmodel *tm;
    pm *ms;
    size_t nm, cap;
    uint64_t *person;        /* open addressing set of key hashes, 0 empty */
    size_t pcap, np;
    uint16_t *tl;            /* per token: the word lists holding it (WL_* bits, WL_DONE) */
    uint32_t icw;            /* find_persons' next start to read (an index into cs) */
    uint32_t *cs, ncs;       /* the tokens a name may start at (a capitalised word, or a lower-case
                              * article glued to one: art_glued); next to read */
    uint8_t *st;             /* per token: 1 where a name may start, else 0 (made with the list) */
    uint32_t *cix;           /* per token where st: its index in cs (elsewhere: not set) */
    uint32_t *lv, nlv, ilv;  /* the starts the scan visits (indices into cs, in order; live_start);
                              * next to read */
    uint32_t *clast, *cend;  /* for each: the last token of its run (run_last) and the sentence end used */
    uint64_t *crk;           /* ... and the run's memo key (run_key; a run of one word: 0) */
    sr_gaz_tok **ctc;        /* ... and its token cache entry (tc_slot; NULL: too long to keep) */
    uint64_t (*craw)[2];     /* ... and its bytes, zero-padded (the entry's key) */
} scan;

/* The word lists holding token k (WL_* bits, and WL_DONE). */
static uint16_t tok_lists(const scan *sc, const sr_tok *k)
{
    size_t n = k->len;
    if (n && sc->t[k->start + n - 1] == '.')
        n--;
    return (uint16_t)(wl_mask(sc->t + k->start, n, SR_SWAR_LE && k->start + 16 <= sc->tlen + 1) | WL_DONE);
}

/* The token cache entry of token x when x is a start and the entry the
 * first pass found for it is still its own (no hash, no tag: cix), else
 * NULL. */
static inline sr_gaz_tok *start_entry(const scan *sc, uint32_t x)
{
    if (!sc->st[x])
        return NULL;
    uint32_t ci = sc->cix[x];
    sr_gaz_tok *c = sc->ctc[ci];
    if (c && c->rn == sc->tm->tok[x].len && c->raw[0] == sc->craw[ci][0] && c->raw[1] == sc->craw[ci][1])
        return c;
    return NULL;
}

/* The word lists holding token x (WL_* bits, and WL_DONE): once per token
 * and document (scan.tl), and for a start once per entry of the token
 * cache (its bytes decide them). */
static inline uint32_t tok_lists_at(const scan *sc, uint32_t x)
{
    uint16_t *m = &sc->tl[x];
    if (!(*m & WL_DONE)) {
        if (sc->tm->tok[x].kind != SR_TOK_WORD)
            return *m = WL_DONE;   /* (every listed word is letters: no number or mark is one) */
        sr_gaz_tok *e = start_entry(sc, x);
        if (e && e->wl)
            *m = e->wl;
        else {
            *m = tok_lists(sc, &sc->tm->tok[x]);
            if (e)
                e->wl = *m;
        }
    }
    return *m;
}

/* Is token k (a token of the document) in word list `list` (WL_*),
 * compared in lower case, a final period dropped ("Mr.", "Gen.")? */
static inline int tok_in(const scan *sc, const sr_tok *k, int list)
{
    return (int)(tok_lists_at(sc, (uint32_t)(k - sc->tm->tok)) >> list & 1);
}

/* "al", "el", "ez" standing alone between two capitalised words. */
static int is_article_tok(const scan *sc, const sr_tok *k)
{
    return k->kind == SR_TOK_WORD && k->len <= 3 && tok_in(sc, k, WL_ARTS);
}

static void person_add(scan *sc, uint64_t h)
{
    if (!sc->pcap || sc->np * 2 >= sc->pcap)
        return;   /* full: forget further names rather than grow */
    size_t i = h & (sc->pcap - 1);
    while (sc->person[i] && sc->person[i] != h)
        i = (i + 1) & (sc->pcap - 1);
    if (!sc->person[i]) {
        sc->person[i] = h;
        sc->np++;
    }
}

static int person_has(const scan *sc, uint64_t h)
{
    if (!sc->pcap)
        return 0;
    for (size_t i = h & (sc->pcap - 1); sc->person[i]; i = (i + 1) & (sc->pcap - 1))
        if (sc->person[i] == h)
            return 1;
    return 0;
}

/* The token cache's entry for token k (1 to 16 bytes), and its bytes
 * zero-padded in raw (the entry's key; load16, wide where the text goes on
 * sixteen bytes: its NUL counts): the way of its set whose tag is the
 * token's, else the least recently used way, given to the token; either
 * becomes the most recently used (places_int.h).  The caller compares the
 * entry's bytes in full: a way taken over since, or a tag two tokens share,
 * is a miss, and the caller fills the entry. */
static inline sr_gaz_tok *tc_slot(const scan *sc, const sr_tok *k, uint64_t raw[2])
{
    static const uint64_t low[4] = {0xffffull, 0xffffffffull, 0xffffffffffffull, ~0ull};
    size_t n = k->len;
    load16(sc->t + k->start, n, SR_SWAR_LE && k->start + 16 <= sc->tlen + 1, raw);
    uint64_t h = sr_gaz_tc_hash(raw, n), set = h & (SR_GAZ_TC_SETS - 1);
    uint64_t *tw = &sc->g->tctag[set], t = *tw, want = (h >> 50) << 2;
    /* the lanes whose tag is the token's are zero in x; the first zero lane
     * has its top bit in z (no false one: a non-zero lane of x is >= 4) */
    uint64_t x = (t ^ want * 0x0001000100010001ull) & 0xfffcfffcfffcfffcull;
    uint64_t z = (x - 0x0001000100010001ull) & ~x & 0x8000800080008000ull;
    unsigned p = z ? (unsigned)__builtin_ctzll(z) >> 4 : 3;
    uint64_t way = t >> (16 * p) & 3;
    /* lane p to the front, the lanes before it one place on */
    *tw = (t & ~low[p]) | ((t << 16) & low[p]) | want | way;
    return &sc->g->tc[set * 4 + way];
}

/* Everything a token's bytes alone give (places_int.h), from the cache or
 * made and kept there: the cache's entry, or *scratch for a token too long
 * to keep (valid until the next call). */
/* A token seen for the first time (not in the token cache): what its bytes
 * alone give (tok_begin: key, hash, the skeleton's hash), then what the
 * image says of them (tok_end: word flags, exact slot, skeleton slot).
 * tok_begin asks for the image's lines that tok_end will read, so that
 * the first sights of a document's tokens, begun together and ended
 * together, wait for their misses at once (sr_places_find). */
typedef struct tok_new {
    sr_gaz_tok e;                /* raw, rn, kh, kn, pend from tok_begin; the rest from tok_end */
    uint64_t sh;                 /* the skeleton's hash, where try_skel */
    int try_skel;                /* key 5+ letters, skeleton 4+ */
    sr_gaz_tok *c;               /* its cache entry (sr_places_find) */
} tok_new;

static void tok_begin(const sr_gaz *g, const char *s, size_t n, const uint64_t raw[2], tok_new *p)
{
    sr_gaz_tok *e = &p->e;
    static const sr_gaz_tok zero;   /* (copied: a memset of this size is a slow `rep stos`) */
    *e = zero;
    e->raw[0] = raw[0];
    e->raw[1] = raw[1];
    char key[SR_LEX_MAX], sk[SR_LEX_MAX];
    size_t kn = sr_lex_norm(s, n, key, 0);
    e->kh = sr_lex_hash(key, kn);
    e->kn = (uint8_t)kn;
    e->pend = SR_GAZ_PART_UNKNOWN;
    e->rn = (uint8_t)n;
    size_t sn = sr_lex_skel(key, kn, sk);
    p->try_skel = kn >= 5 && sn >= 4;
    p->sh = p->try_skel ? sr_lex_hash(sk, sn) : 0;
    /* random reads in tables of megabytes, independent of each other:
     * asked for at once, their misses overlap instead of following in turn
     * (the skeleton's slot is read only without a key; the key's slot is
     * not asked for: read only when the bloom filter lets the key through,
     * asking for it always cost more than it saved) */
    __builtin_prefetch(&g->bloom[e->kh & ((((uint64_t)1 << g->h->bloom_log2) >> 6) - 1)]);
    __builtin_prefetch(&g->word[(uint32_t)e->kh & (g->h->wcap - 1)]);
    if (p->try_skel)
        __builtin_prefetch(&g->skel[(uint32_t)p->sh & (g->h->scap - 1)]);
}

static void tok_end(const sr_gaz *g, tok_new *p)
{
    sr_gaz_tok *e = &p->e;
    const sr_gazimg_slot *ws = sr_gaz_find(g->word, g->h->wcap, e->kh);
    e->wf = (uint16_t)(ws ? ws->n : 0);
    const sr_gazimg_slot *ks =
        sr_gazimg_bloom_has(g->bloom, g->h->bloom_log2, e->kh) ? sr_gaz_find(g->key, g->h->kcap, e->kh) : NULL;
    e->slot = ks ? (uint32_t)(ks - g->key) + 1 : 0;
    if (!ks) {
        const sr_gazimg_slot *ss = p->try_skel && !(e->wf & (SR_GAZ_WCOMMON | SR_GAZ_WSTOP | SR_GAZ_WGIVEN))
                                       ? sr_gaz_find(g->skel, g->h->scap, p->sh)
                                       : NULL;
        e->skel = ss ? (uint32_t)(ss - g->skel) + 1 : 0;
    }
}

/* (tok_info past a start's entry: the token cache asked, else a first sight) */
__attribute__((noinline)) static sr_gaz_tok *tok_look(const scan *sc, const sr_tok *k, sr_gaz_tok *scratch)
{
    const char *s = sc->t + k->start;
    size_t n = k->len;
    sr_gaz_tok *c = NULL;
    uint64_t raw[2] = {0, 0};
    if (n && n <= sizeof raw) {   /* (length 0 is an empty entry's) */
        c = tc_slot(sc, k, raw);
        if (c->rn == n && c->raw[0] == raw[0] && c->raw[1] == raw[1])
            return c;
    }
    tok_new p;
    tok_begin(sc->g, s, n, raw, &p);
    tok_end(sc->g, &p);
    if (!c)
        c = scratch;
    *c = p.e;
    return c;
}

static inline sr_gaz_tok *tok_info(const scan *sc, const sr_tok *k, sr_gaz_tok *scratch)
{
    sr_gaz_tok *c = start_entry(sc, (uint32_t)(k - sc->tm->tok));
    return c ? c : tok_look(sc, k, scratch);
}

/* The word-table flags of one token's key (its hash in *hash when asked). */
static inline uint32_t tok_flags(const scan *sc, const sr_tok *k, uint64_t *hash)
{
    sr_gaz_tok scratch;
    const sr_gaz_tok *e = tok_info(sc, k, &scratch);
    if (hash)
        *hash = e->kh;
    return e->kn ? e->wf : 0;
}

/* ASCII letters in s[0..n). */
static size_t letters(const char *s, size_t n)
{
    size_t l = 0;
    for (size_t i = 0; i < n; i++)
        l += (s[i] | 32) >= 'a' && (s[i] | 32) <= 'z';
    return l;
}

static int cap_word(const sr_tok *k) { return k->kind == SR_TOK_WORD && (k->flags & SR_TF_CAP); }

/* Is token i a middle initial: "D." or "T.R." glued to the next word, or a
 * lone capital letter followed by a period token? */
static int initial(const char *t, const sr_textmodel *tm, uint32_t i)
{
    const sr_tok *k = &tm->tok[i];
    const char *s = t + k->start;
    if (k->kind == SR_TOK_PUNCT && s[0] == '.' && i > 0) {
        const sr_tok *p = &tm->tok[i - 1];
        return p->kind == SR_TOK_WORD && p->len == 1 && t[p->start] >= 'A' && t[p->start] <= 'Z' &&
               p->start + 1 == k->start;
    }
    if (k->kind != SR_TOK_WORD || k->len < 2 || s[k->len - 1] != '.')
        return 0;
    /* letters and periods alternating: "D.", "T.R.", never "U.S." (a country) */
    for (uint32_t n = 0; n < k->len; n++)
        if ((n % 2 == 0) != (s[n] >= 'A' && s[n] <= 'Z') || (n % 2 == 1 && s[n] != '.'))
            return 0;
    return !(k->len == 4 && s[0] == 'U' && s[2] == 'S');
}

/* A capitalised word that may be a surname: no English word, no stop word. */
static int name_word(const scan *sc, const sr_tok *k)
{
    return cap_word(k) && !(k->flags & SR_TF_UPPER) && !tok_in(sc, k, WL_POST_PLACE) &&
           !tok_in(sc, k, WL_FACILITY) && !(tok_flags(sc, k, NULL) & (SR_GAZ_WCOMMON | SR_GAZ_WSTOP));
}

static uint32_t person_at(scan *sc, uint32_t i, uint32_t end);

/* May token k begin a person's name (person_at): a word that may be a
 * title (wl_title_ends: never wrong when it says no), or a capitalised
 * word not all capitals that may be a given name. */
static inline int may_begin_person(const scan *sc, const sr_tok *k)
{
    if (k->kind != SR_TOK_WORD)
        return 0;
    if ((k->flags & (SR_TF_CAP | SR_TF_UPPER)) == SR_TF_CAP)
        return 1;
    const char *s = sc->t + k->start;
    size_t n = k->len;
    if (n && s[n - 1] == '.')
        n--;   /* (as tok_lists) */
    if (!n || n > wl_maxlen)
        return 0;
    unsigned e = wl_end_bit(n, (unsigned char)s[0], (unsigned char)s[n - 1]);
    return (int)(wl_title_ends[e >> 6] >> (e & 63) & 1);
}

/* Person names in one sentence: a title ("Mr.", "Gen.") or a given name
 * followed by capitalised words; the last of them is the surname. */
static void find_persons(scan *sc, uint32_t si)
{
    const sr_sent *s = &sc->tm->sent[si];
    uint32_t end = s->tok + s->ntok;
    /* a person's name starts just before a capitalised word (one token, or
     * two with "Mr ."): only those tokens are tried, in order */
    const sr_tok *tok = sc->tm->tok;
    const uint32_t *cs = sc->cs, ncs = sc->ncs;   /* (the capitalised words among the starts) */
    uint32_t icw = sc->icw;
    while (icw < ncs && cs[icw] < s->tok)
        icw++;
    uint32_t from = s->tok;   /* tokens before it are done (or in a name) */
    /* Tokens that cannot begin a name are not tried: person_at would give
     * c + 1, and every token tried later is past it.  Two before the
     * capitalised word w is tried only across a punctuation mark ("Mr ."):
     * across a word it begins no name unless that word is capitalised, and
     * then it was tried with that word, before w. */
    for (uint32_t w; icw < ncs && (w = cs[icw]) < end; icw++) {
        if (w < s->tok + 1 || !(tok[w].flags & SR_TF_CAP))
            continue;   /* (no token before it; a lower-case article glued to a name) */
        if (w >= s->tok + 2 && tok[w - 1].kind == SR_TOK_PUNCT && w - 2 >= from &&
            may_begin_person(sc, &tok[w - 2]))
            from = person_at(sc, w - 2, end);
        if (w - 1 >= from && may_begin_person(sc, &tok[w - 1]))
            from = person_at(sc, w - 1, end);
    }
    sc->icw = icw;
}

/* The person name that token i begins, if any, added to the set; returns
 * the token after the last one it settled. */
static uint32_t person_at(scan *sc, uint32_t i, uint32_t end)
{
    const char *t = sc->t;
    const sr_tok *tok = sc->tm->tok;
    const sr_tok *k = &tok[i];
    if (k->kind != SR_TOK_WORD || i + 1 >= end)
        return i + 1;
    uint32_t j = i + 1;
    if (j < end && tok[j].kind == SR_TOK_PUNCT && t[tok[j].start] == '.' && tok[j].start == k->start + k->len)
        j++;   /* "Mr ." tokenised apart */
    if (j >= end || !cap_word(&tok[j]))
        return i + 1;   /* a name follows a title or a given name */
    int title = tok_in(sc, k, WL_TITLES);
    if (!title && !(cap_word(k) && !(k->flags & SR_TF_UPPER) && (tok_flags(sc, k, NULL) & SR_GAZ_WGIVEN) &&
                    j < end && glued(t, k, &tok[j]) && (name_word(sc, &tok[j]) || initial(t, sc->tm, j))))
        return i + 1;
    /* the run of capitalised words (and initials) that follows */
    uint32_t last = 0;
    const sr_tok *pk = k;
    for (; j < end && glued(t, pk, &tok[j]); j++) {
        const sr_tok *kj = &tok[j];
        if (cap_word(kj) && !tok_in(sc, kj, WL_POST_PLACE) && !tok_in(sc, kj, WL_FACILITY))
            last = j;
        else if (!(kj->kind == SR_TOK_PUNCT && t[kj->start] == '.' && j == last + 1 && tok[last].len == 1))
            break;
        pk = kj;
    }
    if (last) {
        uint64_t h;
        tok_flags(sc, &tok[last], &h);
        person_add(sc, h);
        return last + 1;
    }
    return i + 1;
}

/* The parts (lex.h) of the last few tokens whose n-grams were tried: a
 * token is in the runs of up to MAXN starts, and split once. */
#define PARTS 8   /* > MAXN, a power of two: a run's tokens never share a slot */
typedef struct parts {
    uint32_t tok[PARTS];                 /* token index held, UINT32_MAX none */
    char p[PARTS][2 * SR_LEX_MAX];
    size_t mid[PARTS], end[PARTS];       /* lengths: a word follows / the name ends here */
} parts;

static uint32_t part_of(parts *pt, const scan *sc, uint32_t x)
{
    uint32_t s = x & (PARTS - 1);
    if (pt->tok[s] != x) {
        const sr_tok *k = &sc->tm->tok[x];
        sr_gaz_tok scratch, *c = tok_info(sc, k, &scratch);
        pt->tok[s] = x;
        if (c->pend != SR_GAZ_PART_UNKNOWN) {   /* the token cache has it */
            memcpy(pt->p[s], c->part, sizeof c->part);
            pt->mid[s] = c->pmid;
            pt->end[s] = c->pend;
        } else {
            pt->mid[s] = sr_lex_part(sc->t + k->start, k->len, pt->p[s], &pt->end[s]);
            if (pt->end[s] <= sizeof c->part) {
                memcpy(c->part, pt->p[s], pt->end[s]);
                c->pmid = (uint8_t)pt->mid[s];
                c->pend = (uint8_t)pt->end[s];
            }
        }
    }
    return s;
}

/* n bytes of a part (parts.p) copied to d, which has room for `room`:
 * sixteen at once where both allow (most parts are short: a copy of a
 * variable length is a call; the bytes past n are never read). */
static inline void part_copy(char *d, size_t room, const char *part, size_t n)
{
    if (n <= 16 && room >= 16)
        memcpy(d, part, 16);
    else
        memcpy(d, part, n);
}

/* The key of tokens i..e (glued by spaces, at most SR_LEX_PART_MAX bytes):
 * sr_lex_fold of their parts joined (lex.h). */
static size_t parts_key(parts *pt, const scan *sc, uint32_t i, uint32_t e, char *key)
{
    char j[2 * SR_LEX_MAX];
    size_t jn = 0;
    while (e > i && !pt->end[part_of(pt, sc, e)])
        e--;   /* a token with no letter adds nothing; the name ends before it */
    for (uint32_t x = i; x <= e; x++) {
        uint32_t s = part_of(pt, sc, x);
        size_t n = x < e ? pt->mid[s] : pt->end[s];
        if (jn + n >= sizeof j)
            n = sizeof j - 1 - jn;   /* (as sr_lex_norm cuts: cannot happen under SR_LEX_PART_MAX) */
        part_copy(j + jn, sizeof j - jn, pt->p[s], n);
        jn += n;
    }
    return sr_lex_fold(j, jn, key, SR_LEX_MAX - 1);
}

/* The last token j <= last for which the n-gram i..j may name something.
 * The key of any n-gram i..j with j >= e begins with the fold of the parts
 * of tokens i..e but its last letter (which the next letters may still
 * change: "o" + "u" folds to "u"); once that start is in no key (the
 * image's prefix filter, on its first SR_GAZIMG_PFX_MAX letters), no
 * n-gram through e can match and the longest-first loop need not try it. */
static uint32_t run_limit(parts *pt, const scan *sc, uint32_t i, uint32_t last, sr_gaz_tok *ti)
{
    const sr_gaz *g = sc->g;
    char x[2 * SR_LEX_MAX], f[SR_LEX_MAX];
    size_t xn = 0;
    /* the first token's own answer is the token cache's (ti->pfx) */
    if (ti->pfx == SR_GAZ_PFX_NONE)
        return i;
    if (ti->pfx == SR_GAZ_PFX_ALL)
        return last;
    for (uint32_t e = i; e <= last; e++) {
        uint32_t s = part_of(pt, sc, e);
        size_t n = pt->mid[s];
        if (xn + n >= sizeof x)
            break;
        part_copy(x + xn, sizeof x - xn, pt->p[s], n);
        xn += n;
        int first = e == i;
        if (first && ti->pfx == SR_GAZ_PFX_MORE)
            continue;
        if (first)
            ti->pfx = SR_GAZ_PFX_MORE;
        if (xn <= SR_GAZIMG_PFX_MIN)
            continue;   /* (a fold is never longer: too short to test) */
        /* (a letter made after the first PFX_MAX leaves those settled) */
        size_t fn = sr_lex_fold(x, xn, f, SR_GAZIMG_PFX_MAX + 1);
        size_t cn = fn ? fn - 1 : 0;
        if (cn < SR_GAZIMG_PFX_MIN)
            continue;
        size_t l = cn < SR_GAZIMG_PFX_MAX ? cn : SR_GAZIMG_PFX_MAX;
        if (!sr_gazimg_bloom_has(g->pfx, g->h->pfx_log2, sr_lex_hash(f, l))) {
            if (first)
                ti->pfx = SR_GAZ_PFX_NONE;
            return e > i ? e - 1 : i;
        }
        if (cn >= SR_GAZIMG_PFX_MAX) {
            if (first)
                ti->pfx = SR_GAZ_PFX_ALL;
            break;   /* longer starts test the same letters */
        }
    }
    return last;
}

/* The n-grams starting at token i, longest first: a name runs through
 * capitalised words and at most two short lower-case links before another
 * capitalised word ("Dar es Salaam", "Isle of Man"), within the sentence
 * (tokens before `end`).  The last token of the run. */
static inline uint32_t run_last(const scan *sc, uint32_t i, uint32_t end)
{
    const sr_tok *tok = sc->tm->tok;
    uint32_t last = i;
    for (uint32_t x = i + 1; x < end && x - i < MAXN; x++) {
        const sr_tok *kx = &tok[x];
        if (kx->kind != SR_TOK_WORD || !glued(sc->t, &tok[x - 1], kx))
            break;
        if (sc->st[x]) {
            last = x;
            continue;
        }
        if (kx->len > 4 || x - last > 2)
            break;
    }
    return last;
}

/* The run memo's key of tokens i..last (places_int.h): a hash of their
 * bytes (the spaces between them included) and of each token's bounds.
 * What the search reads of a token (its kind, capital, hyphen, article)
 * comes from its bytes, so equal keys give equal answers. */
static uint64_t run_key(const scan *sc, uint32_t i, uint32_t last)
{
    const sr_tok *tok = sc->tm->tok;
    uint32_t b = tok[i].start, n = tok[last].start + tok[last].len - b;
    const uint64_t M = 0x9e3779b97f4a7c15ull;
    uint64_t h = (uint64_t)n * M ^ (last - i);
    const char *s = sc->t + b;
    uint32_t o = 0;
    for (; o + 8 <= n; o += 8) {
        uint64_t w;
        memcpy(&w, s + o, 8);
        h = (h ^ w) * M;
        h ^= h >> 29;
    }
    if (o < n) {   /* the last 1-7 bytes, zero-padded: loaded eight at once and masked where the text goes on */
        uint64_t w = 0;
        if (SR_SWAR_LE && b + o + 8 <= sc->tlen + 1) {
            memcpy(&w, s + o, 8);
            w &= tc_mask[n - o][0];
        } else
            memcpy(&w, s + o, n - o);
        h = (h ^ w) * M;
        h ^= h >> 29;
    }
    for (uint32_t x = i; x <= last; x++) {
        h = (h ^ ((uint64_t)(tok[x].start - b) << 32 | tok[x].len)) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return h ? h : 1;   /* (0 marks an empty entry) */
}

/* Recognition within one sentence; appends to sc->ms. */
static void scan_sentence(scan *sc, uint32_t si)
{
    const sr_gaz *g = sc->g;
    const char *t = sc->t;
    const sr_textmodel *tm = sc->tm;
    const sr_sent *s = &tm->sent[si];
    uint32_t end = s->tok + s->ntok;
    parts pt;
    memset(pt.tok, 0xff, sizeof pt.tok);
    /* (the read position in the list of starts in a local: the stores to
     * sc->ms below would make the compiler reload it at every step) */
    const uint32_t *cs = sc->cs, *lv = sc->lv, nlv = sc->nlv;
    uint32_t ilv = sc->ilv;
    /* the starts in order (the others: no name begins there), from the
     * first in the sentence; `after`: the first token after the last
     * mention, where the next one may begin */
    uint32_t after = s->tok;
    for (; ilv < nlv && sc->nm < sc->cap; ilv++) {
        uint32_t ics = lv[ilv], i = cs[ics];
        if (i < after)
            continue;   /* (inside a mention, or before the sentence) */
        if (i >= end)
            break;
        const sr_tok *k0 = &tm->tok[i];
        if (k0->len <= 3 && !(k0->flags & SR_TF_UPPER) && tok_in(sc, k0, WL_BAD_FIRST))
            continue;
        /* the run and its memo key, as the first pass made them (for the
         * same sentence end) */
        uint32_t last = sc->cend[ics] == end ? sc->clast[ics] : run_last(sc, i, end);
        const sr_gazimg_slot *hit = NULL;
        uint32_t j = last;
        size_t kn = 0;
        uint64_t khit = 0;   /* on a hit: the hash of the key */
        uint32_t cut = 0;    /* "London-based": the end of the part named */
        int skel = 0;        /* found through the skeleton only */
        sr_gaz_tok tscratch, *tip = sc->ctc[ics], ti;
        if (!tip || tip->rn != k0->len || tip->raw[0] != sc->craw[ics][0] || tip->raw[1] != sc->craw[ics][1])
            tip = tok_info(sc, k0, &tscratch);   /* (the entry was given to another token since) */
        ti = *tip;
        /* a run of two or more words: the search's answer is a function of
         * its bytes alone, and runs repeat (the run memo, places_int.h) */
        sr_gaz_run *ru = NULL;   /* the run's set in the memo (four entries) */
        uint64_t rk = 0;
        int rhit = 0;
        if (last > i) {
            rk = sc->cend[ics] == end ? sc->crk[ics] : run_key(sc, i, last);
            ru = &g->runs[((rk >> 40) & (SR_GAZ_RUN_SETS - 1)) * 4];
            unsigned w = (ru[1].key == rk) | (ru[2].key == rk) << 1 | (ru[3].key == rk) << 2 | (ru[0].key == rk) << 3;
            if (w) {
                unsigned p = w & 8 ? 0 : (unsigned)__builtin_ctz(w) + 1;
                sr_gaz_run e = ru[p];
                if (p) {   /* most recently used first (the set is one cache line) */
                    memmove(ru + 1, ru, p * sizeof *ru);
                    ru[0] = e;
                }
                rhit = 1;
                j = i + e.jn;
                kn = e.kn;
                skel = e.skel;
                hit = !e.slot ? NULL : skel ? &g->skel[e.slot - 1] : &g->key[e.slot - 1];
                khit = j == i ? ti.kh : hit ? hit->hash : 0;   /* (the one word's; the slot's) */
            }
        }
        if (!rhit) {
            char key[SR_LEX_MAX];   /* on a hit: the key of tokens i..j */
            /* the keys of the n-grams i..j, kept for the skeleton pass below,
             * which would normalise the same n-grams again */
            char nkey[MAXN][SR_LEX_MAX];
            size_t nkn[MAXN];
            unsigned have = 0;
            /* each longer n-gram's key from the parts of its tokens (lex.h): a
             * join and a fold, not a normalisation from scratch */
            int use_parts = last > i && tm->tok[last].start + tm->tok[last].len - k0->start <= SR_LEX_PART_MAX;
            if (use_parts)
                j = run_limit(&pt, sc, i, last, tip);
            for (;; j--) {
                const sr_tok *kj = &tm->tok[j];
                /* a name ends on a capitalised word ("al-Zour" is one) or the single first word */
                if (j == i) {   /* the single word: from the token cache */
                    kn = ti.kn;
                    khit = ti.kh;
                    if (kn >= 2 && ti.slot)
                        hit = &g->key[ti.slot - 1];
                    if (hit)
                        break;
                } else if (sc->st[j]) {
                    char *nk = nkey[j - i];   /* (made in place: kept for the skeleton pass) */
                    kn = use_parts ? parts_key(&pt, sc, i, j, nk)
                                   : sr_lex_norm(t + k0->start, kj->start + kj->len - k0->start, nk, 0);
                    nkn[j - i] = kn;
                    have |= 1u << (j - i);
                    if (kn >= 2) {
                        khit = sr_lex_hash(nk, kn);
                        if (sr_gazimg_bloom_has(g->bloom, g->h->bloom_log2, khit))
                            hit = sr_gaz_find(g->key, g->h->kcap, khit);
                    }
                    if (hit)
                        break;
                }
                if (j == i)
                    break;
            }
            /* "Gainesville-area", "London-based", "Watertown-ML": the part before
             * the hyphen, when the whole token names nothing */
            /* (SR_TF_HYPHEN: the tokenizer marks a word with a '-' inside) */
            if (!hit && last == i && (k0->flags & SR_TF_CAP) && (k0->flags & SR_TF_HYPHEN)) {
                const char *w = t + k0->start;
                uint32_t h = 1;
                while (h < k0->len && w[h] != '-')
                    h++;
                if (h >= 3 && h + 1 < k0->len) {
                    kn = sr_lex_norm(w, h, key, 0);
                    khit = sr_lex_hash(key, kn);
                    if (kn >= 2 && (hit = sr_gaz_key(g, key, kn)) != NULL) {
                        const sr_gazimg_ent *he = first_ent(g, hit);
                        if (kn >= 3 || (he && he->kind == SR_GK_COUNTRY))   /* "U.S.-led" */
                            cut = k0->start + h;
                        else
                            hit = NULL;
                    }
                }
            }
            if (!hit && (k0->flags & SR_TF_CAP) && !(k0->flags & SR_TF_UPPER)) {
                /* no exact match: the skeletons of the same n-grams, shortest
                 * first, when long enough to be telling ("Boukamal", "Dair Zoor",
                 * "Deir al-Zour") and not an English word or a given name */
                char sk[SR_LEX_MAX];
                /* a longer name must not start with an English or given name word
                 * ("The Syrian", "Walker County" are no transliterations) */
                uint32_t f0 = ti.kn ? ti.wf : 0;
                uint32_t upto = (f0 & (SR_GAZ_WCOMMON | SR_GAZ_WSTOP | SR_GAZ_WGIVEN)) ? i : last;
                for (j = i; j <= upto; j++) {
                    const sr_tok *kj = &tm->tok[j];
                    if (j == i) {   /* the token cache tried its skeleton */
                        kn = ti.kn;
                        khit = ti.kh;
                        if (ti.skel)
                            hit = &g->skel[ti.skel - 1];
                        if (hit)
                            break;
                    } else if (sc->st[j]) {
                        if (j - i < MAXN && (have >> (j - i) & 1)) {
                            kn = nkn[j - i];
                            memcpy(key, nkey[j - i], kn + 1);
                        } else   /* (an n-gram the prefix filter spared the exact pass) */
                            kn = use_parts ? parts_key(&pt, sc, i, j, key)
                                           : sr_lex_norm(t + k0->start, kj->start + kj->len - k0->start, key, 0);
                        size_t sn = sr_lex_skel(key, kn, sk);
                        /* (the skeleton's table, 1 MB, first: most n-grams end
                         * there, before the word table's 4 MB) */
                        if (kn >= 5 && sn >= 4 && (hit = sr_gaz_find(g->skel, g->h->scap, sr_lex_hash(sk, sn))) &&
                            (sr_gaz_wordflags(g, key, kn) & (SR_GAZ_WCOMMON | SR_GAZ_WSTOP | SR_GAZ_WGIVEN)))
                            hit = NULL;
                        if (hit) {
                            khit = sr_lex_hash(key, kn);
                            break;
                        }
                    }
                    if (j > i && !sc->st[j] && !is_article_tok(sc, kj))
                        break;   /* a name goes on only through capitalised words and articles */
                }
                skel = hit != NULL;
            }

            if (ru && !(skel && j > i)) {   /* (a run's: never a cut) */
                memmove(ru + 1, ru, 3 * sizeof *ru);   /* (the least recently used out) */
                ru->key = rk;
                ru->kn = (uint8_t)kn;
                ru->jn = (uint8_t)(j - i);
                ru->skel = (uint8_t)skel;
                ru->pad = 0;
                ru->slot = !hit ? 0 : skel ? (uint32_t)(hit - g->skel) + 1 : (uint32_t)(hit - g->key) + 1;
            }
        }
        if (!hit)
            continue;
        static const pm zero;   /* (copied: a memset of this size is a slow `rep stos`) */
        pm *m = &sc->ms[sc->nm];   /* (made in place; counted in when kept) */
        *m = zero;
        m->t0 = i;
        m->t1 = j + 1;
        m->start = k0->start;
        m->end = cut ? cut : tm->tok[j].start + tm->tok[j].len;
        m->sent = si;
        m->slot = hit;
        m->skel = skel;
        m->qual = -1;
        m->best = -1;
        int single = m->t1 - m->t0 == 1;
        const sr_tok *prev = i > s->tok ? &tm->tok[i - 1] : NULL;
        const sr_tok *next = m->t1 < end ? &tm->tok[m->t1] : NULL;
        /* the word lists holding the tokens before and after it (WL_* bits),
         * each read once: every one of the tests below asks of them */
        uint32_t pwl = prev ? tok_lists_at(sc, i - 1) : 0, nwl = next ? tok_lists_at(sc, m->t1) : 0;
        /* "Ill.", "W.Va.": the abbreviation's period belongs to the name, unless
         * the name is spelled out ("North Texas." ends a sentence) */
        int abbr = m->end - m->start <= 5 && next && next->kind == SR_TOK_PUNCT && next->start == m->end &&
                   t[next->start] == '.';
        uint8_t hi, hf, fwc = 0;   /* fwc: the focus weight (SR_GAZ_FW_*), 0 not yet */
        if (single && !cut) {   /* the token's own slot: the token cache's answer */
            sr_gaz_tok scratch, *e = tip;
            /* (the entry may have been given to another token since) */
            if (e != &tscratch && (e->rn != ti.rn || e->raw[0] != ti.raw[0] || e->raw[1] != ti.raw[1]))
                e = tok_info(sc, k0, &scratch);
            if (!e->hit) {
                hit_info(g, hit, 1, &e->hit, &e->hitf);
                int c1;
                e->fw = focus_of(g, hit, skel, !skel && (e->hit & SR_GAZ_HIT_DEM), &c1);
                e->fcc = (int16_t)c1;
            }
            hi = e->hit;
            hf = e->hitf;
            fwc = e->fw;
            m->c1 = e->fcc;
        } else
            hit_info(g, hit, abbr, &hi, &hf);
        m->demonym = !skel && (hi & SR_GAZ_HIT_DEM);
        int fk = (hi & SR_GAZ_HIT_ENT) ? hi & SR_GAZ_HIT_KIND : -1;   /* the first entry's kind, -1 none */
        m->fk = fk;
        int big = fk == SR_GK_COUNTRY || (fk == SR_GK_REGION && m->t1 - m->t0 > 1);
        int division = fk == SR_GK_ADM1 || fk == SR_GK_COUNTRY;
        m->kh = khit;
        const sr_gazimg_slot *ws = single && !cut ? NULL : sr_gaz_find(g->word, g->h->wcap, m->kh);
        uint32_t wf = single && !cut ? ti.wf : ws ? ws->n : 0;
        /* the capitalised word glued after the name, if any */
        const sr_tok *nx = next && cap_word(next) && glued(t, &tm->tok[j], next) ? next : NULL;
        if (abbr && (hf & SR_GAZ_HF_ABBR))
            m->cue |= CUE_ABBREV;   /* the period joins the name if a division wins */
        int reject = 0;
        if (wf & SR_GAZ_WSTOP)
            reject = 1;
        /* all-capitals short words are acronyms (ISIS, SDF) unless a country code (US, UK, UAE),
         * a region's or a division's */
        if ((k0->flags & SR_TF_UPPER) && single && k0->len <= 4 &&
            (!(fk == SR_GK_COUNTRY || fk == SR_GK_REGION || fk == SR_GK_ADM1) ||
             letters(t + k0->start, k0->len) != kn))
            reject = 1;   /* (divisions and regions: "EU", "BC" exist only as our curated variants;
                           * "BBC" folds to "bc" but is no "BC") */
        if (pwl >> WL_TITLES & 1)
            reject = 1;
        if (!reject && !m->demonym && prev &&
            (prev->kind == SR_TOK_PUNCT || (prev->len && t[prev->start + prev->len - 1] == '.')) &&
            initial(t, tm, i - 1))   /* (an initial ends in a period: most words are tried no further) */
            reject = 1;   /* "Matthew D. Flores", "T.R. Ahlstrom" */
        /* "Mike de Kock", "Mohammed bin Rashid": a name particle after a capitalised word */
        if (!reject && !m->demonym && single && i >= s->tok + 2 && (pwl >> WL_PARTICLES & 1) &&
            !(prev->flags & SR_TF_CAP) && cap_word(&tm->tok[i - 2]) && glued(t, &tm->tok[i - 2], prev) &&
            glued(t, prev, k0))
            reject = 1;
        if (!m->demonym && prev && prev->kind == SR_TOK_WORD && (prev->flags & SR_TF_CAP) && glued(t, prev, k0) &&
            !(pwl >> WL_PRE_OK & 1)) {
            /* "John Austin", "Bashar Assad": a capitalised word before that is
             * no English word is likely a first name ("The", "Sunday" are) */
            sr_gaz_tok scratch;
            if (!(tok_info(sc, prev, &scratch)->wf & (SR_GAZ_WCOMMON | SR_GAZ_WSTOP)))
                reject = 1;
        }
        if (reject)
            continue;   /* (what follows sets cues and tests of a mention still kept: nothing else) */
        if (pwl >> WL_PREPS & 1)
            m->cue |= CUE_PREP;
        if (i >= s->tok + 2 && (pwl >> WL_OF & 1)) {
            uint32_t w2 = tok_lists_at(sc, i - 2);
            if (w2 >> WL_OF_HEADS & 1)
                m->cue |= CUE_PREP;
            if (w2 >> WL_SETTLE & 1)
                m->cue |= CUE_SETTLEMENT;
        }
        if (nwl >> WL_ADMIN & 1)
            m->cue |= CUE_ADMIN;
        else if (nwl >> WL_SETTLE & 1)
            m->cue |= CUE_SETTLEMENT;
        /* "Mobile", "Reading", "Cook": a common word needs a cue, unless it is
         * a division's abbreviation ("Ind.") */
        if (!reject && single && !big && !m->demonym && (wf & SR_GAZ_WCOMMON) && !(m->cue & CUE_ABBREV) &&
            ((k0->flags & SR_TF_SENT0) || !(m->cue & (CUE_PREP | CUE_ADMIN | CUE_SETTLEMENT))))
            reject = 1;
        /* "Clark Drive", "Harrison streets": part of a street's name */
        if (!reject && nx && !m->demonym && (nwl >> WL_FACILITY & 1))   /* (nx is next) */
            reject = 1;
        if (!reject && nx && single && (nwl >> WL_FM & 1))
            reject = 1;   /* "Arta FM": a radio station */
        if (nx && single)
            tok_flags(sc, nx, &m->nxh);
        /* "Michael Eneramo", "Paris Hilton", "Jordan Haddad": a name word after
         * a town's name (or a country's that is also a given name) makes a person */
        if (!reject && nx && single && (!division || (wf & SR_GAZ_WGIVEN)) && !m->demonym && name_word(sc, nx)) {   /* "Paul Hammersmith" */
            sr_gaz_tok scratch;
            if (!tok_info(sc, nx, &scratch)->slot)
                reject = 1;   /* ... unless that word is a place too ("Aleppo Damascus") */
        }
        /* "Kelly", "David": a given name alone is a person unless a cue makes
         * it a place or the place is a city everyone knows ("Paris", "Austin").
         * A romanised name ("Marea" in Syria) waits for the story's focus. */
        if (!reject && single && !division && !m->demonym && (wf & SR_GAZ_WGIVEN) && (hf & SR_GAZ_HF_SMALL) &&
            !(m->cue & CUE_ABBREV) &&
            !(m->cue & (CUE_PREP | CUE_ADMIN | CUE_SETTLEMENT)) &&
            !(next && next->kind == SR_TOK_PUNCT && t[next->start] == ',' && m->t1 + 1 < end &&
              cap_word(&tm->tok[m->t1 + 1]))) {
            if (hf & SR_GAZ_HF_TRANSLIT)
                m->given = 1;
            else
                reject = 1;
        }
        /* "Walsh said": a speaker; the name is a person's in the whole document
         * ("Beijing said": a capital speaks for its government, a large city
         * for its council or club) */
        if (!reject && !(hf & SR_GAZ_HF_SPEAKS) &&
            !m->demonym && (nwl >> WL_SAYING & 1)) {
            reject = 1;
            if (single)
                person_add(sc, m->kh);
        }
        if (reject)
            continue;
        /* "Nineveh Province", "Douglas County" not in the gazetteer as such: take the word in */
        if (next && (next->flags & SR_TF_CAP) && (nwl >> WL_JOIN & 1) && glued(t, &tm->tok[j], next)) {
            m->end = next->start + next->len;
            m->t1++;
        }
        m->people = m->demonym && t[m->end - 1] == 's';
        if (!fwc) {   /* (a single word's came from the token cache) */
            int c1;
            fwc = focus_of(g, hit, skel, m->demonym, &c1);
            m->c1 = (int16_t)c1;
        }
        m->fw = fw_weight[fwc];
        m->fc = skel ? -1 : m->c1;
        sc->nm++;
        after = m->t1;
    }
    sc->ilv = ilv;
}

/* Resolution works on groups: every mention of one spelling in a document
 * shares its candidate list, the candidates' priors and unit vectors, and
 * the proximity bonus of a round, so repeated names cost one evaluation.
 * Distances are never computed with trigonometry: each entry of the image
 * carries its unit vector (made at build, gazimg.h), and "closer than D
 * km" is a dot product above cos(D / R). */
#define EARTH_KM 6371.0
typedef struct vec { float x, y, z; } vec;

typedef struct grp {
    const sr_gazimg_slot *slot;
    uint32_t nc;             /* candidates weighed: min(slot->n, MAXC) */
    uint32_t *ent;           /* their entry indices (with SR_GAZ_LDEMONYM) */
    vec *v;                  /* their unit vectors */
    float *base;             /* prior + country focus, fixed for the document */
    float *prox;             /* proximity bonus of the current round */
    int anchor[4];           /* candidate indices chosen by its mentions (-1 none) */
    int sure;                /* the mention whose choice is surest (one_sense), -1 none */
    /* resolve's answer for its mentions without a cue or qualifier of their
     * own (most repeats of a name), as a place and as a demonym: their
     * scores are the group's alone, the same for each */
    unsigned plain;          /* bit d: plain_*[d] made in this round */
    int plain_bk[2];
    float plain_best[2], plain_second[2];
} grp;

/* An anchor of proximity(): a place some group's mentions chose. */
typedef struct anc {
    vec v;
    const sr_gazimg_ent *e;
    uint32_t grp;            /* the group that chose it */
    uint16_t cc;             /* e->cc, as one number (cc16): most tests end on it */
} anc;

/* A country code's two bytes as one number (equal codes, equal numbers). */
static inline uint16_t cc16(const char *cc) { return (uint16_t)((unsigned char)cc[0] | (unsigned char)cc[1] << 8); }

/* A bit of 1,024 for a cc16 code: the two letters' low five bits (two
 * capitals never share one). */
static inline unsigned cc_bit(uint16_t cc) { return (cc & 31u) << 5 | (cc >> 8 & 31u); }

typedef struct rctx {
    const sr_gaz *g;
    pm *ms;
    size_t nm;
    grp *gs;
    size_t ng;
    anc *an;                 /* room for 3 x 4 anchors a group */
    float focus[26 * 26];
    float ftotal;
} rctx;

static float dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

/* cos(km / R): two unit vectors closer than km have a larger dot product */
static float near_cos(double km) { return (float)cos(km / EARTH_KM); }

/* Is entry e (vector ev) inside qualifier entry q (vector qv): a country or
 * a first-level division of the same country, or near a second-level one? */
static int inside(const sr_gazimg_ent *e, vec ev, const sr_gazimg_ent *q, vec qv, const float *cosd)
{
    if (e == q || memcmp(e->cc, q->cc, 2))
        return 0;
    if (q->kind == SR_GK_COUNTRY)
        return 1;
    if (q->kind == SR_GK_ADM1) {
        if (e->a1[0] && q->a1[0] && !strncmp(e->a1, q->a1, sizeof e->a1))
            return 1;
        return dot(ev, qv) > cosd[0];   /* 350 km: the division's reach */
    }
    if (q->kind == SR_GK_ADM2)
        return dot(ev, qv) > cosd[1];   /* 60 km: a county */
    return 0;
}

static const float cosd_inside[2] = {0.99849f /* cos(350/R) */, 0.99996f /* cos(60/R) */};

static float cand_score(const rctx *r, const pm *m, const grp *gp, uint32_t k)
{
    const sr_gaz *g = r->g;
    uint32_t ei = gp->ent[k] & SR_GAZ_LINDEX;
    const sr_gazimg_ent *e = &g->ent[ei];
    float s = gp->base[k] + gp->prox[k];
    if (m->cue & CUE_ADMIN)   /* "X province": the division, whatever supports the town */
        s += (e->kind == SR_GK_ADM1 || e->kind == SR_GK_ADM2) ? 1.0f : -0.8f;
    if (m->cue & CUE_SETTLEMENT)
        s += e->kind == SR_GK_CITY ? 0.5f : 0;
    if ((m->cue & CUE_ABBREV) && e->kind == SR_GK_ADM1) {
        int c = cci(e->cc);   /* "Ill.", "Kan." in a story of their country */
        if (c >= 0 && r->ftotal > 0 && r->focus[c] / r->ftotal >= 0.1f)
            s += 1.5f;
    }
    if (m->qual >= 0) {
        const grp *q = &r->gs[r->ms[m->qual].grp];
        for (uint32_t j = 0; j < q->nc; j++)
            if (inside(e, gp->v[k], &g->ent[q->ent[j] & SR_GAZ_LINDEX], q->v[j], cosd_inside)) {
                s += 2.5f;
                break;
            }
    }
    return s;
}

/* One round's proximity bonus for every candidate of every group, from the
 * entries the mentions chose in the previous round (the anchors): +0.5 per
 * distinct other place within NEAR_KM (at most 3), +0.8 when inside a
 * first-level division the document names (or, for a division, when it
 * holds a town the document names).  The anchors of all groups are first
 * laid out in one flat array (group order, then anchor order), so the inner
 * loop reads one small record per anchor instead of walking every group. */
static void proximity(rctx *r)
{
    const sr_gaz *g = r->g;
    const float cn = near_cos(NEAR_KM);
    /* the anchors in three flat arrays: every one but countries (a country's
     * test), first-level divisions and other places (the others' tests);
     * demonyms and countries are no place to be near */
    anc *all = r->an, *adm = r->an + 4 * r->ng, *pl = r->an + 8 * r->ng;
    size_t nall = 0, nadm = 0, npl = 0;
    /* and the countries each array holds, as bits (cc_bit): a candidate
     * whose country has no anchor of the kind its test reads is not
     * walked past all of them (a bit shared by two codes only costs the
     * walk) */
    uint64_t call[16] = {0}, cadm[16] = {0}, cpl[16] = {0};
    for (size_t b = 0; b < r->ng; b++) {
        const grp *ob = &r->gs[b];
        for (int x = 0; x < 4 && ob->anchor[x] >= 0; x++) {
            uint32_t it = ob->ent[ob->anchor[x]];
            anc o = {ob->v[ob->anchor[x]], &g->ent[it & SR_GAZ_LINDEX], (uint32_t)b, 0};
            o.cc = cc16(o.e->cc);
            if (o.e->kind == SR_GK_COUNTRY)
                continue;
            unsigned cb = cc_bit(o.cc);
            all[nall++] = o;
            call[cb >> 6] |= 1ull << (cb & 63);
            if (it & SR_GAZ_LDEMONYM)
                continue;
            if (o.e->kind == SR_GK_ADM1) {
                adm[nadm++] = o;
                cadm[cb >> 6] |= 1ull << (cb & 63);
            } else {
                cpl[cb >> 6] |= 1ull << (cb & 63);
                /* kept ordered by x (insertion: a few dozen at most) */
                size_t q = npl++;
                for (; q > 0 && pl[q - 1].v.x > o.v.x; q--)
                    pl[q] = pl[q - 1];
                pl[q] = o;
            }
        }
    }
    for (size_t a = 0; a < r->ng; a++) {
        grp *gp = &r->gs[a];
        /* a name of one candidate: the bonus changes no choice (resolve
         * takes it whatever its score) and no confidence (with no second,
         * the output's margin is the full one, and one_sense's margins,
         * score + 1e9 in floats, are all 1e9 for any score under 32), so
         * none is made */
        if (gp->nc == 1)
            continue;
        for (uint32_t k = 0; k < gp->nc; k++) {
            const sr_gazimg_ent *e = &g->ent[gp->ent[k] & SR_GAZ_LINDEX];
            vec ev = gp->v[k];
            int near = 0, within = 0;
            uint16_t ecc = cc16(e->cc);
            unsigned eb = cc_bit(ecc);
            gp->prox[k] = 0;
            if (e->kind == SR_GK_COUNTRY) {
                if (!(call[eb >> 6] >> (eb & 63) & 1))
                    continue;
                /* a country holding a place of the story: as a division would */
                for (size_t o = 0; o < nall; o++)
                    if (all[o].grp != a && all[o].cc == ecc) {
                        gp->prox[k] = 0.8f;
                        break;
                    }
                continue;
            }
            if (e->kind == SR_GK_ADM1) {
                /* a town of the story lies in it (a division's centre is no
                 * place to be near: it holds or not) */
                size_t npl_c = (cpl[eb >> 6] >> (eb & 63) & 1) ? npl : 0;   /* (none of its country: none) */
                for (size_t o = 0; o < npl_c && !within; o++)   /* (inside wants one country) */
                    if (pl[o].grp != a && pl[o].cc == ecc)
                        within = inside(pl[o].e, pl[o].v, e, ev, cosd_inside);
            } else {
                size_t nadm_c = (cadm[eb >> 6] >> (eb & 63) & 1) ? nadm : 0;
                for (size_t o = 0; o < nadm_c && !within; o++)
                    if (adm[o].grp != a && adm[o].cc == ecc)
                        within = inside(e, ev, adm[o].e, adm[o].v, cosd_inside);
                /* a place within NEAR_KM differs by less than its chord
                 * (0.0251 of the radius) in x: only the anchors in that
                 * window of the x order can count (0.026 leaves room for
                 * rounding) */
                size_t lo = 0, hi = npl;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (pl[mid].v.x < ev.x - NEAR_X)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                for (size_t o = lo; o < npl && pl[o].v.x <= ev.x + NEAR_X && near < 3; o++)
                    near += pl[o].grp != a && dot(ev, pl[o].v) > cn;
            }
            gp->prox[k] = 0.5f * (float)near + 0.8f * (float)within;
        }
    }
}

static void resolve(rctx *r)
{
    for (size_t a = 0; a < r->ng; a++) {
        for (int x = 0; x < 4; x++)
            r->gs[a].anchor[x] = -1;
        r->gs[a].plain = 0;
    }
    for (size_t mi = 0; mi < r->nm; mi++) {
        pm *m = &r->ms[mi];
        grp *gp = &r->gs[m->grp];
        /* (cand_score reads of a mention only these cues and its qualifier) */
        int plain = !(m->cue & (CUE_ADMIN | CUE_SETTLEMENT | CUE_ABBREV)) && m->qual < 0, dk = m->demonym != 0;
        if (plain && (gp->plain >> dk & 1)) {
            /* a repeat: the same choice (its anchor is in already, or the
             * four were taken before it) */
            m->bk = (int8_t)gp->plain_bk[dk];
            m->best = m->bk >= 0 ? (int)(gp->ent[m->bk] & SR_GAZ_LINDEX) : -1;
            m->score = gp->plain_best[dk];
            m->second = gp->plain_second[dk];
            continue;
        }
        float best = -1e9f, second = -1e9f;
        int bk = -1;
        for (uint32_t k = 0; k < gp->nc; k++) {
            if (!m->demonym != !(gp->ent[k] & SR_GAZ_LDEMONYM))
                continue;   /* a demonym names its country ("Canadian" is not Canadian, Texas) */
            float s = cand_score(r, m, gp, k);
            if (s > best) {
                second = best;
                best = s;
                bk = (int)k;
            } else if (s > second)
                second = s;
        }
        m->bk = (int8_t)bk;
        m->best = bk >= 0 ? (int)(gp->ent[bk] & SR_GAZ_LINDEX) : -1;
        m->score = best;
        m->second = second;
        if (plain) {
            gp->plain |= 1u << dk;
            gp->plain_bk[dk] = bk;
            gp->plain_best[dk] = best;
            gp->plain_second[dk] = second;
        }
        if (bk >= 0 && !m->demonym)
            for (int x = 0; x < 4; x++) {
                if (gp->anchor[x] == bk)
                    break;
                if (gp->anchor[x] < 0) {
                    gp->anchor[x] = bk;
                    break;
                }
            }
    }
}

/* One sense per discourse: the mentions of one spelling without a cue of
 * their own take the entry that the surest mention of that spelling chose
 * ("Palmyra, Pennsylvania" ... "Palmyra" later is the same town). */
static void one_sense(rctx *r)
{
    for (size_t a = 0; a < r->ng; a++)
        r->gs[a].sure = -1;
    for (size_t mi = 0; mi < r->nm; mi++) {
        const pm *m = &r->ms[mi];
        grp *gp = &r->gs[m->grp];
        if (m->best < 0 || m->demonym)
            continue;
        const pm *s = gp->sure >= 0 ? &r->ms[gp->sure] : NULL;
        if (!s || m->score - m->second > s->score - s->second)
            gp->sure = (int)mi;
    }
    for (size_t mi = 0; mi < r->nm; mi++) {
        pm *m = &r->ms[mi];
        const grp *gp = &r->gs[m->grp];
        if (gp->sure >= 0 && !m->demonym && !(m->cue & (CUE_ADMIN | CUE_ABBREV)) && m->qual < 0) {
            const pm *s = &r->ms[gp->sure];
            m->best = s->best;
            m->bk = s->bk;
            m->score = s->score;     /* and its confidence */
            m->second = s->second;
        }
    }
}

static void focus(rctx *r)
{
    memset(r->focus, 0, sizeof r->focus);
    r->ftotal = 0;
    for (size_t mi = 0; mi < r->nm; mi++) {
        int c = r->ms[mi].fc;
        float w = r->ms[mi].fw;
        if (c >= 0) {
            r->focus[c] += w;
            r->ftotal += w;
        }
    }
}

/* The focus share of country c left when the mentions spelled like m are
 * set aside (a name must not vouch for itself: "Flores" x 15). */
static float share_without(const rctx *r, const pm *m, int c)
{
    float f = r->focus[c], tot = r->ftotal;
    for (size_t mi = 0; mi < r->nm; mi++)
        if (r->ms[mi].kh == m->kh) {
            float w = r->ms[mi].fc >= 0 ? r->ms[mi].fw : 0;
            tot -= w;
            if (r->ms[mi].fc == c)
                f -= w;
        }
    return tot > 0 ? f / tot : 0;
}

/* Group the mentions by slot and fill each group's candidates.  The
 * slots, their lists and the candidates' entries are mostly not in the
 * cache (a repeated name's token cache answered the scan without them), and
 * each is found through the one before: they are read in stages, the reads
 * of one stage asked for (prefetched) for every group at once, so that the
 * misses overlap instead of coming one after the other. */
static int make_groups(rctx *r, sr_arena *arena)
{
    const sr_gaz *g = r->g;
    size_t cap = 16;
    while (cap < r->nm * 2)
        cap *= 2;
    int32_t *map = sr_arena_alloc(arena, cap * sizeof *map);
    r->gs = sr_arena_alloc(arena, (r->nm ? r->nm : 1) * sizeof *r->gs);
    if (!map || !r->gs)
        return -1;
    memset(map, 0xff, cap * sizeof *map);
    r->ng = 0;
    /* 1: the groups, in the order of their first mention; their slots asked for */
    for (size_t mi = 0; mi < r->nm; mi++) {
        pm *m = &r->ms[mi];
        size_t h = ((uintptr_t)m->slot / sizeof *m->slot) * 2654435761u & (cap - 1);
        while (map[h] >= 0 && r->gs[map[h]].slot != m->slot)
            h = (h + 1) & (cap - 1);
        if (map[h] < 0) {
            grp *gp = &r->gs[r->ng];
            static const grp zero;   /* (copied, not a `rep stos`) */
            *gp = zero;
            gp->slot = m->slot;
            __builtin_prefetch(m->slot);
            map[h] = (int32_t)r->ng++;
        }
        m->grp = (uint32_t)map[h];
    }
    /* 2: each slot's list asked for */
    for (size_t a = 0; a < r->ng; a++) {
        grp *gp = &r->gs[a];
        const sr_gazimg_slot *sl = gp->slot;
        uint32_t nc = sl->n < MAXC ? sl->n : MAXC;
        if (sl->list > g->h->nlist || nc > g->h->nlist - sl->list)
            nc = 0;   /* a corrupt slot: no candidates */
        gp->nc = nc;
        gp->ent = sr_arena_alloc(arena, (nc ? nc : 1) * sizeof *gp->ent);
        gp->v = sr_arena_alloc(arena, (nc ? nc : 1) * sizeof *gp->v);
        gp->base = sr_arena_alloc(arena, (nc ? nc : 1) * sizeof *gp->base);
        gp->prox = sr_arena_calloc(arena, (nc ? nc : 1) * sizeof *gp->prox);
        if (!gp->ent || !gp->v || !gp->base || !gp->prox)
            return -1;
        for (uint32_t k = 0; k < nc; k += 64 / sizeof *g->list)
            __builtin_prefetch(&g->list[sl->list + k]);
        if (nc)
            __builtin_prefetch(&g->list[sl->list + nc - 1]);
    }
    /* 3: the candidates read; their entries asked for */
    for (size_t a = 0; a < r->ng; a++) {
        grp *gp = &r->gs[a];
        for (uint32_t k = 0; k < gp->nc; k++) {
            uint32_t it = g->list[gp->slot->list + k];
            if ((it & SR_GAZ_LINDEX) >= g->h->nent)
                it = 0;
            gp->ent[k] = it;
            __builtin_prefetch(&g->ent[it & SR_GAZ_LINDEX]);
        }
    }
    /* 4: their vectors and document-wide scores */
    for (size_t a = 0; a < r->ng; a++) {
        grp *gp = &r->gs[a];
        uint32_t nc = gp->nc;
        for (uint32_t k = 0; k < nc; k++) {
            uint32_t it = gp->ent[k];
            const sr_gazimg_ent *e = &g->ent[it & SR_GAZ_LINDEX];
            gp->v[k] = (vec){e->ux, e->uy, e->uz};   /* (sr_gazimg_unit, at build) */
            float s = e->prior + ((it & SR_GAZ_LMAIN) ? MAIN_BONUS : 0);
            int c = cci(e->cc);
            if (c >= 0 && r->ftotal > 0)
                s += 2.0f * r->focus[c] / r->ftotal;
            gp->base[k] = s;
        }
        /* "Raqqa", "Deir ez-Zor": a division named after its chief town
         * means the town, unless "province" follows (CUE_ADMIN) */
        for (uint32_t k = 0; k < nc; k++) {
            const sr_gazimg_ent *e = &g->ent[gp->ent[k] & SR_GAZ_LINDEX];
            if (e->kind != SR_GK_ADM1 && e->kind != SR_GK_ADM2)
                continue;
            for (uint32_t c = 0; c < nc; c++) {
                const sr_gazimg_ent *ce = &g->ent[gp->ent[c] & SR_GAZ_LINDEX];
                if (ce->kind == SR_GK_CITY && !(gp->ent[c] & SR_GAZ_LDEMONYM) &&
                    inside(ce, gp->v[c], e, gp->v[k], cosd_inside)) {
                    gp->base[k] -= EPONYM_PENALTY;
                    break;
                }
            }
        }
    }
    return 0;
}

/* "X, Y", "X (Y)", "X in Y": Y qualifies X. */
static void qualifiers(const char *t, pm *ms, size_t nm)
{
    for (size_t i = 0; i + 1 < nm; i++) {
        pm *a = &ms[i], *b = &ms[i + 1];
        if (a->sent != b->sent || b->start < a->end || b->start - a->end > 8)
            continue;
        char gap[10];
        size_t gn = 0;
        for (uint32_t p = a->end; p < b->start && gn < sizeof gap - 1; p++)
            if (t[p] != ' ')
                gap[gn++] = t[p];
        gap[gn] = 0;
        if (!strcmp(gap, ",") || !strcmp(gap, "(") || !strcmp(gap, "in") || !strcmp(gap, ",in"))
            a->qual = (int)(i + 1);
    }
}

/* SR_MF_COUNTRY_SHARED on every mention whose country (two capitals) holds
 * the entries of two or more mentions: then some other mention, of another
 * entry, lies there.  The extractor asks that of each mention it may trust;
 * asked of the mentions one by one it is a walk over all of them each time
 * (quadratic in a long report).  The first entry id seen per country, and
 * whether another followed, in two small tables touched only where a
 * mention's country is. */
static void country_shared(sr_mention *res, size_t n)
{
    uint32_t first[26 * 26];
    uint8_t multi[26 * 26], seen[26 * 26];
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < n; i++) {
        int c = cci(res[i].place.country);
        if (c >= 0) {   /* (the first entry of a country kept; whether another differs from it) */
            uint32_t id = res[i].place.geonameid;
            first[c] = seen[c] ? first[c] : id;
            multi[c] = seen[c] ? (uint8_t)(multi[c] | (first[c] != id)) : 0;
            seen[c] = 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int c = cci(res[i].place.country);
        if (c >= 0 && multi[c])
            res[i].flags |= SR_MF_COUNTRY_SHARED;
    }
}

/* Is mention m a person's name after all: a single word that names a
 * person somewhere in the document is that person everywhere, unless a
 * division word follows it ("Jackson County") or it names a country, or a
 * division of a country the story is about ("Queensland" in an Australian
 * story, not "Flores" in an American one). */
static int person_drops(const scan *sc, const rctx *r, const pm *m)
{
    /* (m->fk, m->c1: the kind and country of the slot's first entry) */
    if (m->given && (m->c1 < 0 || share_without(r, m, m->c1) < 0.3f || person_has(sc, m->kh)))
        return 1;
    /* "Donald Trump" where "Trump" is a person elsewhere ("Mr. Trump") */
    if (sc->np && m->nxh && !m->demonym && person_has(sc, m->nxh) && m->fk != SR_GK_COUNTRY)
        return 1;
    return sc->np && m->t1 - m->t0 == 1 && !(m->cue & CUE_ADMIN) && !m->demonym && person_has(sc, m->kh) &&
           !(m->fk == SR_GK_COUNTRY || (m->fk == SR_GK_ADM1 && m->c1 >= 0 && share_without(r, m, m->c1) >= 0.2f));
}

/* Can the scan find anything at start c (an index into sc->cs) whose run
 * is its one word (clast[c] == cs[c])?  Not when its token cache entry
 * (still its own) has no exact slot for a key of two or more letters, no
 * skeleton slot where the scan would try one (a capitalised word, not all
 * capitals), and the word is no capitalised one with a hyphen (the town
 * before it, "London-based"); nor when, no such hyphen in it, the word
 * is a stop word: whatever it names, the mention is dropped (and dropped
 * with nothing else done).  Then scan_sentence would step past it, and it
 * is not visited at all.  About a third of the starts ("The", "He",
 * "President", "Monday"). */
static int live_start(const scan *sc, uint32_t c)
{
    const sr_tok *k = &sc->tm->tok[sc->cs[c]];
    const sr_gaz_tok *e = sc->ctc[c];
    if (!e || e->rn != k->len || e->raw[0] != sc->craw[c][0] || e->raw[1] != sc->craw[c][1])
        return 1;   /* (no entry of its own to tell: the scan makes one) */
    unsigned f = k->flags;
    if ((f & SR_TF_CAP) && (f & SR_TF_HYPHEN))
        return 1;
    return !(e->wf & SR_GAZ_WSTOP) &&
           ((e->kn >= 2 && e->slot) || ((f & (SR_TF_CAP | SR_TF_UPPER)) == SR_TF_CAP && e->skel));
}

/* The first pass of sr_places_find over every token of the document: the
 * tokens a name may start at (sc->cs: a capitalised word, or a lower-case
 * article glued to one), a byte per token saying which (sc->st) and each
 * one's index in cs (sc->cix); the arrays have room for three more
 * entries than tokens.  Most tokens are lower-case words that begin
 * nothing, and their kind follows no pattern: a branch on it would be
 * mispredicted at every few tokens, so each index is written and kept by
 * counting it.  With SSE2, four tokens a step: their kinds and flags (the
 * third word of each sr_tok) gathered into one register and compared at
 * once, the indices of the marked ones written through a table of where
 * the set bits of a four-bit mask are (a step of four costs about what
 * one token did). */
#if SR_SSE2
_Static_assert(sizeof(sr_tok) == 16 && offsetof(sr_tok, kind) == 8 && offsetof(sr_tok, flags) == 10,
               "four tokens' kinds and flags gathered as the third 32-bit word of each");
/* the positions of the set bits of a four-bit mask, lowest first */
static const uint32_t mark_pos[16][4] __attribute__((aligned(16))) = {
    {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0},
    {0, 1, 2, 0}, {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0}, {2, 3, 0, 0}, {0, 2, 3, 0},
    {1, 2, 3, 0}, {0, 1, 2, 3}};
static const uint8_t mark_n[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
/* for each of the four, the set bits of the mask below its own */
static const uint32_t mark_pre[16][4] __attribute__((aligned(16))) = {
    {0, 0, 0, 0}, {0, 1, 1, 1}, {0, 0, 1, 1}, {0, 1, 2, 2}, {0, 0, 0, 1}, {0, 1, 1, 2}, {0, 0, 1, 2},
    {0, 1, 2, 3}, {0, 0, 0, 0}, {0, 1, 1, 1}, {0, 0, 1, 1}, {0, 1, 2, 2}, {0, 0, 0, 1}, {0, 1, 1, 2},
    {0, 0, 1, 2}, {0, 1, 2, 3}};
/* the four bytes of sc->st for a four-bit mask (byte b: bit b) */
#define ST4(m) (((m) & 1u) | ((m) & 2u) << 7 | ((m) & 4u) << 14 | ((m) & 8u) << 21)
static const uint32_t mark_st[16] = {ST4(0),  ST4(1),  ST4(2),  ST4(3),  ST4(4),  ST4(5),  ST4(6),  ST4(7),
                                     ST4(8),  ST4(9),  ST4(10), ST4(11), ST4(12), ST4(13), ST4(14), ST4(15)};
#undef ST4
#endif
/* (not inlined: in sr_places_find's body its pointers lived on the stack) */
__attribute__((noinline)) static void mark_tokens(scan *sc, uint32_t *pncs)
{
    const sr_tok *tok = sc->tm->tok;
    uint32_t *cs = sc->cs, *cix = sc->cix;
    uint8_t *st = sc->st;
    uint32_t ntok = (uint32_t)sc->tm->ntok, ncs = 0, i = 0;
#if SR_SSE2
    /* kind | flags << 16 of a capitalised word; of a lower-case word with a hyphen */
    const __m128i mcap = _mm_set1_epi32(0xffff | SR_TF_CAP << 16),
                  vcap = _mm_set1_epi32(SR_TOK_WORD | SR_TF_CAP << 16),
                  mhyp = _mm_set1_epi32(0xffff | (SR_TF_CAP | SR_TF_HYPHEN) << 16),
                  vhyp = _mm_set1_epi32(SR_TOK_WORD | SR_TF_HYPHEN << 16);
    for (; i + 4 <= ntok; i += 4) {
        const __m128i *p = (const __m128i *)(const void *)&tok[i];
        __m128i ab = _mm_unpackhi_epi32(_mm_loadu_si128(p), _mm_loadu_si128(p + 1));      /* a2 b2 a3 b3 */
        __m128i cd = _mm_unpackhi_epi32(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3));  /* c2 d2 c3 d3 */
        __m128i kf = _mm_unpacklo_epi64(ab, cd);                                           /* a2 b2 c2 d2 */
        unsigned cap = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(kf, mcap), vcap)));
        unsigned hyp = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(kf, mhyp), vhyp)));
        unsigned start = cap;
        for (; hyp; hyp &= hyp - 1) {   /* (rare: "al-Qaim") */
            unsigned b = (unsigned)__builtin_ctz(hyp);
            start |= (unsigned)art_glued(sc->t + tok[i + b].start, tok[i + b].len) << b;
        }
        __m128i base = _mm_set1_epi32((int)i);
        __m128i ps = _mm_load_si128((const __m128i *)(const void *)mark_pos[start]);
        _mm_storeu_si128((__m128i *)(void *)(cs + ncs), _mm_add_epi32(base, ps));
        _mm_storeu_si128((__m128i *)(void *)(cix + i),
                         _mm_add_epi32(_mm_set1_epi32((int)ncs),
                                       _mm_load_si128((const __m128i *)(const void *)mark_pre[start])));
        ncs += mark_n[start];
        memcpy(st + i, &mark_st[start], 4);
    }
#endif
    for (; i < ntok; i++) {
        const sr_tok *k = &tok[i];
        uint32_t word = k->kind == SR_TOK_WORD, cap = word & ((k->flags & SR_TF_CAP) != 0), start = cap;
        if (word & !cap & ((k->flags & SR_TF_HYPHEN) != 0))   /* (rare: "al-Qaim") */
            start = (uint32_t)art_glued(sc->t + k->start, k->len);
        cs[ncs] = i;
        cix[i] = ncs;
        ncs += start;
        st[i] = (uint8_t)start;
    }
    *pncs = ncs;
}

sr_status sr_places_find(const sr_gaz *g, const sr_doc *doc, const sr_textmodel *tm, sr_arena *arena,
                         sr_mention **out, size_t *nout, sr_ctx *ctx)
{
    *out = NULL;
    *nout = 0;
    if (!g || !doc || !tm)
        return sr_ctx_error(ctx, SR_EARG, "sr_places_find: missing gazetteer, document or text model");
    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.g = g;
    sc.t = doc->text;
    sc.tlen = doc->len;
    sc.tm = tm;
    sc.pcap = 64;
    while (sc.pcap < tm->ntok / 4)
        sc.pcap *= 2;
    sc.person = sr_arena_calloc(arena, sc.pcap * sizeof *sc.person);
    sc.tl = sr_arena_calloc(arena, (tm->ntok + 1) * sizeof *sc.tl);
    sc.cs = sr_arena_alloc(arena, (tm->ntok + 4) * sizeof *sc.cs);   /* (mark_tokens writes four at once) */
    sc.st = sr_arena_alloc(arena, tm->ntok + 4);
    sc.cix = sr_arena_alloc(arena, (tm->ntok + 4) * sizeof *sc.cix);
    if (!sc.person || !sc.tl || !sc.cs || !sc.st || !sc.cix)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (!wl_built)
        wl_build();   /* (wl_mask and may_begin_person read it) */
    /* one pass over the tokens marks the few that the loops below read (a
     * name's start; the capitalised words among them) */
    uint32_t ncs = 0;
    mark_tokens(&sc, &ncs);
    sc.ncs = ncs;
    /* a mention begins at a start, and the next one after it: room for one
     * at each (a tenth of the tokens or so, not every token) */
    sc.cap = ncs + 1;
    if (!(sc.ms = sr_arena_alloc(arena, sc.cap * sizeof *sc.ms)))
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    /* the scan asks the token cache of every start: its lines, asked for
     * now, arrive together (a miss each, else in turn, when the scan
     * reaches them) */
    /* (each start's entry and bytes kept for the two passes below and the
     * scan, which would otherwise load, mask and hash them again) */
    sc.ctc = sr_arena_alloc(arena, (ncs + 1) * sizeof *sc.ctc);
    sc.craw = sr_arena_alloc(arena, (ncs + 1) * sizeof *sc.craw);
    if (!sc.ctc || !sc.craw)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    for (uint32_t c = 0; c < ncs; c++) {
        const sr_tok *k = &tm->tok[sc.cs[c]];
        sc.ctc[c] = NULL;
        if (k->len && k->len <= 16) {
            sc.ctc[c] = tc_slot(&sc, k, sc.craw[c]);
            __builtin_prefetch(sc.ctc[c]);
        }
    }
    /* the runs that start there and their memo keys, their memo lines
     * asked for at once (as the token cache's above) */
    sc.clast = sr_arena_alloc(arena, (sc.ncs + 1) * sizeof *sc.clast);
    sc.cend = sr_arena_alloc(arena, (sc.ncs + 1) * sizeof *sc.cend);
    sc.crk = sr_arena_alloc(arena, (sc.ncs + 1) * sizeof *sc.crk);
    if (!sc.clast || !sc.cend || !sc.crk)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    /* the first sights among them (their cache lines, asked for above,
     * have come by now): begun together, their image lines asked for, then
     * ended together (tok_new) */
    tok_new *fresh = sr_arena_alloc(arena, (sc.ncs + 1) * sizeof *fresh);
    if (!fresh)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    size_t nfresh = 0;
    for (uint32_t c = 0; c < sc.ncs; c++) {
        const sr_tok *k = &tm->tok[sc.cs[c]];
        sr_gaz_tok *e = sc.ctc[c];
        if (!e)
            continue;   /* (no length the cache keeps) */
        const uint64_t *raw = sc.craw[c];
        if (e->rn == k->len && e->raw[0] == raw[0] && e->raw[1] == raw[1])
            continue;   /* kept (or begun here: a name said twice) */
        tok_begin(g, doc->text + k->start, k->len, raw, &fresh[nfresh]);
        fresh[nfresh].c = e;
        /* (its bytes now, so that the same name later is not begun again;
         * every begun entry is written whole below) */
        e->rn = (uint8_t)k->len;
        e->raw[0] = raw[0];
        e->raw[1] = raw[1];
        nfresh++;
    }
    for (size_t q = 0; q < nfresh; q++) {
        tok_end(g, &fresh[q]);
        *fresh[q].c = fresh[q].e;
    }
    /* (and the starts the scan must visit: a one-word run whose entry
     * says it names nothing is left out, live_start) */
    sc.lv = sr_arena_alloc(arena, (sc.ncs + 1) * sizeof *sc.lv);
    if (!sc.lv)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    for (uint32_t c = 0; c < sc.ncs; c++) {
        uint32_t i = sc.cs[c], si = tm->tok[i].sent, live = 1;
        sc.cend[c] = UINT32_MAX;   /* (no sentence known: the scan makes its own) */
        sc.crk[c] = 0;
        if (si < tm->nsent) {
            uint32_t end = tm->sent[si].tok + tm->sent[si].ntok;
            sc.cend[c] = end;
            const sr_tok *k = &tm->tok[i];
            if (k->len <= 3 && !(k->flags & SR_TF_UPPER) && i >= tm->sent[si].tok && i < end &&
                (tok_lists_at(&sc, i) >> WL_BAD_FIRST & 1))
                continue;   /* "An Iraqi ...": the scan would step past it, whatever its run (not listed) */
            sc.clast[c] = run_last(&sc, i, end);
            if (sc.clast[c] > i) {
                sc.crk[c] = run_key(&sc, i, sc.clast[c]);
                __builtin_prefetch(&g->runs[((sc.crk[c] >> 40) & (SR_GAZ_RUN_SETS - 1)) * 4]);
            } else if (i >= tm->sent[si].tok && i < end)   /* (the scan of sentence si will use this run) */
                live = live_start(&sc, c);
        }
        sc.lv[sc.nlv] = c;
        sc.nlv += live;
    }
    for (uint32_t si = 0; si < tm->nsent; si++) {
        find_persons(&sc, si);
        scan_sentence(&sc, si);
    }
    /* the country focus, from every mention found */
    rctx r;
    r.g = g;
    r.ms = sc.ms;
    r.nm = sc.nm;
    focus(&r);
    /* the persons' names among them dropped (person_drops); decided for
     * all first, as share_without reads every mention found, then the
     * kept ones moved up in place (most documents drop none) */
    uint8_t *drop = NULL;
    size_t ndrop = 0;
    for (size_t i = 0; i < sc.nm; i++) {
        if (!person_drops(&sc, &r, &sc.ms[i]))
            continue;
        if (!drop && !(drop = sr_arena_calloc(arena, sc.nm)))
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        drop[i] = 1;
        ndrop++;
    }
    pm *ms = sc.ms;
    size_t nm = sc.nm;
    if (ndrop) {
        nm = 0;
        for (size_t i = 0; i < sc.nm; i++)
            if (!drop[i])
                ms[nm++] = sc.ms[i];
    }
    r.ms = ms;
    r.nm = nm;
    const char *t = doc->text;
    qualifiers(t, ms, nm);
    if (make_groups(&r, arena) || !(r.an = sr_arena_alloc(arena, (12 * r.ng + 1) * sizeof *r.an)))
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    resolve(&r);
    /* two rounds of proximity; the second only when the first moved an
     * anchor (with the same anchors it would give the same bonuses, and
     * resolve the same choices) */
    int *seen = sr_arena_calloc(arena, (4 * r.ng + 1) * sizeof *seen);   /* (read, never used, in round 1) */
    if (!seen)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    for (int round = 1; round <= 2; round++) {
        int same = round > 1;
        for (size_t a = 0; a < r.ng; a++) {   /* (the four anchors compared and kept as one block) */
            same &= !memcmp(&seen[4 * a], r.gs[a].anchor, sizeof r.gs[a].anchor);
            memcpy(&seen[4 * a], r.gs[a].anchor, sizeof r.gs[a].anchor);
        }
        if (same && round > 1)
            break;
        proximity(&r);
        resolve(&r);
    }
    one_sense(&r);
    sr_mention *res = sr_arena_alloc(arena, (nm ? nm : 1) * sizeof *res);
    if (!res)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    const float c250 = near_cos(250);
    /* the places a skeleton match may lean on: every entry chosen by a
     * mention found exactly that is no country, once each (made when the
     * first skeleton match asks) */
    vec *nearv = NULL;
    size_t nnear = 0;
    int near_made = 0;
    size_t n = 0;
    for (size_t i = 0; i < nm; i++) {
        pm *m = &ms[i];
        if (m->best < 0 || m->people)
            continue;
        const sr_gazimg_ent *e = &g->ent[m->best];
        if (m->skel) {
            /* a skeleton match stands only with the document behind it:
             * its country in focus and another place of the story near it */
            int c = cci(e->cc);
            float share = (c >= 0 && r.ftotal > 0) ? r.focus[c] / r.ftotal : 0;
            vec ev = r.gs[m->grp].v[m->bk];
            if (!near_made) {
                uint64_t *had = sr_arena_calloc(arena, (r.ng + 1) * sizeof *had);   /* per group: bk taken */
                if (!had || !(nearv = sr_arena_alloc(arena, (nm + 1) * sizeof *nearv)))
                    return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
                for (size_t o = 0; o < nm; o++)
                    if (ms[o].best >= 0 && !ms[o].skel && !(had[ms[o].grp] >> ms[o].bk & 1) &&
                        g->ent[ms[o].best].kind != SR_GK_COUNTRY) {
                        had[ms[o].grp] |= 1ull << ms[o].bk;
                        nearv[nnear++] = r.gs[ms[o].grp].v[ms[o].bk];
                    }
                near_made = 1;
            }
            int near = 0;   /* (m itself is a skeleton match: never among them) */
            for (size_t o = 0; o < nnear && !near; o++)
                near = dot(ev, nearv[o]) > c250;
            if (share < 0.3f || (!near && !(m->cue & (CUE_PREP | CUE_SETTLEMENT))))
                continue;
        }
        sr_mention *o = &res[n++];
        static const sr_mention zero;   /* (copied, not a `rep stos`) */
        *o = zero;
        o->start = m->start;
        o->end = m->end + ((m->cue & CUE_ABBREV) && e->kind == SR_GK_ADM1);   /* "Ill." */
        o->sent = m->sent;
        sr_gaz_ref(g, (uint32_t)m->best, &o->place);
        o->place.text = sr_arena_strndup(arena, t + m->start, m->end - m->start);
        if (!o->place.text)
            return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
        o->population = e->pop;
        float margin = m->second > -1e8f ? m->score - m->second : 2.0f;
        o->score = margin >= 2.0f ? 1.0f : 0.5f + margin / 4.0f;
        if (m->skel)
            o->score *= 0.7f;
        o->flags = (m->demonym ? SR_MF_DEMONYM : 0) | (m->skel ? SR_MF_SKELETON : 0);
    }
    country_shared(res, n);
    *out = res;
    *nout = n;
    return SR_OK;
}
