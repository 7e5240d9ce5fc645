/* places_int.h — the mapped gazetteer, shared by places.c (open, look-up)
 * and places_find.c (the geoparser), with the geoparser's caches kept in it
 * across documents (the token cache, the run memo).  Private to src/extract. */
#ifndef SR_PLACES_INT_H
#define SR_PLACES_INT_H

#include "extract/places.h"
#include "lex/gazimg.h"
#include "lex/lex.h"

/* What one token's bytes give the geoparser, kept across documents: names
 * repeat ("Syria", "Aleppo", "The", "He"), and each answer otherwise costs
 * a normalisation and two or three probes into tables of megabytes (cache
 * misses).  Four-way set-associative on the token's bytes, compared in
 * full (a tag word per set says which way holds what, below); tokens
 * longer than 16 bytes are not kept.  The cache makes an sr_gaz unfit for
 * concurrent use by several threads (the library has none). */
#define SR_GAZ_TC 16384          /* entries (1 MB; four-way: 4,096 and 8,192 were slower, below) */
#define SR_GAZ_TC_SETS (SR_GAZ_TC / 4)
/* A set's tag word: four 16-bit lanes, the most recently used first, each
 * 14 bits of the token's hash << 2 | the way (0-3) it names; the lanes'
 * ways are always a permutation of 0-3 (set up so at open).  Direct-mapped,
 * 8,192 entries missed 52,700 of 637,000 starts on the 20 MB corpus; four
 * ways with least-recently-used eviction miss 32,500 with 8,192 entries,
 * 15,500 with 16,384, and a miss is a first sight (a normalisation and
 * three or four probes of the image).  The tags (32 KB) are read before
 * the entry, which is still the only line of the cache that a look-up
 * touches. */
#define SR_GAZ_TC_TAG0 0x0003000200010000ull   /* a set's tags at open: ways 0, 1, 2, 3, no hash */

/* The set and tag bits of a token's bytes (raw: zero-padded, n: length). */
static inline uint64_t sr_gaz_tc_hash(const uint64_t raw[2], size_t n)
{
    uint64_t h = (raw[0] ^ (raw[1] * 0x9e3779b97f4a7c15ull) ^ n) * 0xff51afd7ed558ccdull;
    return h ^ h >> 29;
}
typedef struct sr_gaz_tok {
    uint64_t raw[2];             /* the token's bytes, zero-padded */
    uint64_t kh;                 /* sr_lex_hash of its key (sr_lex_norm of the token alone) */
    uint32_t slot;               /* the exact-key slot of kh (bloom, then table) + 1, 0 none */
    uint32_t skel;               /* without an exact slot: the skeleton's slot + 1 where the
                                  * skeleton is tried (key 5+ letters, skeleton 4+, not a
                                  * common, stop or given-name word), else 0 */
    uint16_t wf;                 /* word-table flags of kh */
    uint8_t kn;                  /* key length */
    uint8_t rn;                  /* token length; 0 = empty entry */
    char part[16];               /* its part in joined keys (sr_lex_part) ... */
    uint8_t pmid, pend;          /* ... and its two lengths; pend SR_GAZ_PART_UNKNOWN: not kept */
    uint8_t pfx;                 /* the prefix filter on a run of words that begins with
                                  * the token, as far as the token alone tells: SR_GAZ_PFX_* */
    uint8_t hit, hitf;           /* what the scan asks of the list of its slot (exact, else
                                  * skeleton): SR_GAZ_HIT_* and SR_GAZ_HF_*; hit 0 = not yet */
    uint8_t fw;                  /* with hit: what a mention of it weighs in the story's
                                  * country focus, SR_GAZ_FW_* */
    int16_t fcc;                 /* with hit: the country (index) of its slot's first entry, -1 none */
    uint16_t wl;                 /* the word lists holding it (places_find.c WL_*, with WL_DONE); 0 not yet */
    uint16_t pad;
} sr_gaz_tok;                    /* 64 bytes: one cache line (the array is aligned) */
_Static_assert(sizeof(sr_gaz_tok) == 64, "a token cache entry is one cache line");
/* sr_gaz_tok.hit: known, any item a demonym, the first item's kind */
enum { SR_GAZ_HIT_KNOWN = 0x80, SR_GAZ_HIT_DEM = 0x40, SR_GAZ_HIT_ENT = 0x20, SR_GAZ_HIT_KIND = 0x07 };
/* sr_gaz_tok.hitf, of the first item's entry: romanised country; population
 * under BIG_TOWN; a place that speaks ("Beijing said": country, capital,
 * big city); and of any item: a division's short form ("Ill.") */
enum { SR_GAZ_HF_TRANSLIT = 1, SR_GAZ_HF_SMALL = 2, SR_GAZ_HF_SPEAKS = 4, SR_GAZ_HF_ABBR = 8 };
/* sr_gaz_tok.fw: a mention's weight in the country focus (places_find.c
 * fw_weight): none, a country whose name others share (0.3), a country or
 * demonym (1), a name of one country's places (0.5), a division (0.4) */
enum { SR_GAZ_FW_NONE = 1, SR_GAZ_FW_SHARED, SR_GAZ_FW_COUNTRY, SR_GAZ_FW_ONE, SR_GAZ_FW_ADM1 };
#define SR_GAZ_PART_UNKNOWN 0xffu
enum { SR_GAZ_PFX_UNKNOWN = 0, SR_GAZ_PFX_MORE, /* ask on with the next words */
       SR_GAZ_PFX_NONE,          /* no key begins so: the run is the token alone */
       SR_GAZ_PFX_ALL };         /* its first letters settle it: every length may match */

/* The run memo: what the search of a run of two or more words found (the
 * n-gram keys joined and folded, the prefix filter, the bloom filter, the
 * key and skeleton tables: most of the scan's work and misses), kept on the
 * run's bytes and token bounds (run_key), four ways a set (below).  The
 * key's hash is not kept: the slot's own for a longer name, the token's
 * for one word.  Runs repeat across stories ("Islamic State", "the Syrian Observatory for Human
 * Rights", "Deir ez-Zor", headlines).  Equal keys give equal answers: the
 * search reads nothing of a token but its bytes. */
#define SR_GAZ_RUNS 32768        /* entries (512 KB; hits on the 20 MB corpus: 4,096 45%, 16,384 64%, 32,768 75%) */
/* Four-way set-associative: a set is the four entries of one cache line
 * (the line the first pass prefetches), most recently used first, a new
 * run in front and the last one out; the ways cost no extra line.  Hits on
 * the 20 MB corpus: direct-mapped 75.4%, four ways 86.0% (227,116 look-ups;
 * a miss is a search: prefix and bloom probes, keys joined and folded). */
#define SR_GAZ_RUN_SETS (SR_GAZ_RUNS / 4)
typedef struct sr_gaz_run {
    uint64_t key;                /* run_key; 0 empty */
    uint32_t slot;               /* the slot found + 1 (skel: in the skeleton table), 0 none */
    uint8_t jn;                  /* the name's last token - the run's first */
    uint8_t kn;                  /* the key's length */
    uint8_t skel;                /* found through the skeleton only (then jn is 0: a longer
                                  * name found so is not kept, its key's hash is not the slot's) */
    uint8_t pad;
} sr_gaz_run;                    /* 16 bytes: four a cache line */
_Static_assert(sizeof(sr_gaz_run) == 16, "four run memo entries a cache line");

#define SR_GAZ_HUGE ((size_t)2 << 20)   /* a huge page: the caches' alignment (places.c) */
_Static_assert(SR_GAZ_TC * sizeof(sr_gaz_tok) + SR_GAZ_RUNS * sizeof(sr_gaz_run) + SR_GAZ_TC_SETS * 8 <=
                   SR_GAZ_HUGE,
               "the token cache, its tags and the run memo fit in one huge page");

struct sr_gaz {
    const unsigned char *base;       /* the mapping */
    size_t size;
    const sr_gazimg_hdr *h;
    const sr_gazimg_ent *ent;
    const uint32_t *ids;
    const sr_gazimg_slot *key, *skel, *word;
    const uint32_t *list;
    const char *pool;
    const sr_gazimg_src *src;
    const uint64_t *bloom;
    const uint64_t *pfx;             /* the prefix filter (gazimg.h) */
    sr_gaz_tok *tc;                  /* SR_GAZ_TC entries, filled by the geoparser; 64-aligned */
    sr_gaz_run *runs;                /* SR_GAZ_RUNS entries, after them */
    uint64_t *tctag;                 /* the token cache's tag words (SR_GAZ_TC_SETS), after them */
    void *tc_mem;                    /* their allocation */
};

/* The slot of hash h in a table of cap slots, or NULL. */
static inline const sr_gazimg_slot *sr_gaz_find(const sr_gazimg_slot *t, uint32_t cap, uint64_t h)
{
    uint32_t m = cap - 1;
    for (uint32_t i = (uint32_t)h & m;; i = (i + 1) & m) {
        if (t[i].hash == h)
            return &t[i];
        if (!t[i].hash)
            return NULL;
    }
}

/* The exact key's slot, or NULL; the bloom filter answers most misses. */
static inline const sr_gazimg_slot *sr_gaz_key(const sr_gaz *g, const char *key, size_t n)
{
    uint64_t h = sr_lex_hash(key, n);
    if (!sr_gazimg_bloom_has(g->bloom, g->h->bloom_log2, h))
        return NULL;
    return sr_gaz_find(g->key, g->h->kcap, h);
}

static inline uint32_t sr_gaz_wordflags(const sr_gaz *g, const char *key, size_t n)
{
    const sr_gazimg_slot *s = sr_gaz_find(g->word, g->h->wcap, sr_lex_hash(key, n));
    return s ? s->n : 0;
}

/* Fill a place reference from entry i (strings point into the image). */
void sr_gaz_ref(const sr_gaz *g, uint32_t i, sr_place_ref *out);

#endif
