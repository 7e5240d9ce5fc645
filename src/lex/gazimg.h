/* gazimg.h — layout of the compiled gazetteer image, and its compiler.
 *
 * One file, written by sr_gazimg_build and mapped read-only by sr_gaz_open
 * (extract/places.c).  Native byte order and alignment (the image is built
 * on the machine that uses it, by the set-up).  Sections, each 8-aligned,
 * found through the header's offsets (the builder's order, gazimg_build.c:
 * ids and skels after the header, the bloom and prefix filters each on a
 * 2 MB boundary, then entries, keys, words, lists, pool, sources):
 *
 *   header      magic, format version, counts and section offsets
 *   entries     sr_gazimg_ent[nent], one per place (GeoNames id or own id);
 *               64-aligned, 64 bytes each: an entry is one cache line
 *   ids         uint32 entry indices sorted by id (numeric look-ups)
 *   keys        open-addressing table of exact keys (sr_lex_norm) -> lists
 *   skels       the same for consonant skeletons (sr_lex_skel)
 *   words       table of English common words / stop words (flags)
 *   bloom       2^bloom_log2 bits, two per exact key, both in the 64-bit
 *               word the hash picks (one cache line per test): the
 *               geoparser tests every n-gram against it first, so the
 *               small filter, not the large key table, takes the misses
 *   prefixes    2^pfx_log2 bits, the same blocked bloom layout, over the
 *               first SR_GAZIMG_PFX_MIN..SR_GAZIMG_PFX_MAX letters of every
 *               exact key: the geoparser stops lengthening a run of words
 *               once the folded start of its key begins no key (most runs of
 *               capitalised words: "The Syrian Army", headlines)
 *   lists       uint32 items: entry index | SR_GAZ_LDEMONYM | SR_GAZ_LMAIN; each list
 *               sorted by the entry's prior (most important first)
 *   pool        NUL-terminated strings (names, source paths)
 *   sources     sr_gazimg_src[nsrc]: what the image was built from, with
 *               size, mtime and a hash of the bytes, so `sitrep gazetteer
 *               check` sees staleness.
 *
 * Bump SR_GAZIMG_VERSION whenever this layout or the key functions in
 * lex.h change: an image of another version is refused as stale. */
#ifndef SR_GAZIMG_H
#define SR_GAZIMG_H

#include <stdint.h>
#include "core/ctx.h"

#define SR_GAZIMG_MAGIC "SRGAZIMG"
#define SR_GAZIMG_VERSION 9u

typedef struct sr_gazimg_hdr {
    char magic[8];
    uint32_t version;
    uint32_t nent, nsrc, nlist;
    uint32_t kcap, scap, wcap;       /* slots in each table (powers of two) */
    uint32_t bloom_log2;             /* bits in the bloom filter: 1 << bloom_log2 */
    uint32_t pfx_log2;               /* bits in the prefix filter */
    uint64_t off_ent, off_ids, off_key, off_skel, off_word, off_list, off_pool, off_src, off_bloom, off_pfx;
    uint64_t pool_len, size;         /* size: of the whole file */
} sr_gazimg_hdr;

/* what kind of place an entry is (drives priors and containment) */
enum { SR_GK_OTHER = 0, SR_GK_CITY, SR_GK_ADM2, SR_GK_ADM1, SR_GK_COUNTRY, SR_GK_REGION };

typedef struct sr_gazimg_ent {
    uint32_t id;                     /* GeoNames id; own ids from 4,000,000,000 */
    uint32_t name;                   /* pool offset */
    float lat, lon;
    uint32_t pop;                    /* population (or a stand-in, see build) */
    char cc[2];                      /* ISO 3166 alpha-2, "" for regions */
    char fcode[6];                   /* GeoNames feature code, NUL-padded */
    char a1[8];                      /* admin1 code (GeoNames / ISO for US) */
    uint8_t kind;                    /* SR_GK_* */
    uint8_t fclass;                  /* GeoNames feature class letter */
    uint16_t flags;                  /* SR_GE_* */
    /* made by the build for the geoparser's resolution, which reads them
     * for every candidate of every name (no trigonometry or logarithm per
     * candidate and document): */
    float ux, uy, uz;                /* unit vector of (lat, lon): sr_gazimg_unit */
    float prior;                     /* document-independent prior: sr_gazimg_geo_prior */
    uint32_t reserved[2];            /* zero */
} sr_gazimg_ent;
_Static_assert(sizeof(sr_gazimg_ent) == 64, "an entry is one cache line");

/* The entry's point on the unit sphere (x, y, z): two places closer than
 * D km have a dot product above cos(D / 6371). */
void sr_gazimg_unit(float lat, float lon, float out[3]);
/* The geoparser's prior of an entry: population (with stand-ins for
 * divisions, whose population GeoNames often lacks) and capital rank,
 * log10(pop + 10) / 4 (1000 -> .75, 1e6 -> 1.5, 5e7 -> 1.9), + 0.3 for a
 * capital (PPLC), + 0.15 for a division's seat (PPLA*). */
float sr_gazimg_geo_prior(const sr_gazimg_ent *e);

/* entry flags */
#define SR_GE_TRANSLIT 1u            /* in a country whose names are romanised from another
                                        script: spelling varies, skeleton keys may be used */

typedef struct sr_gazimg_slot {
    uint64_t hash;                   /* sr_lex_hash of the key; 0 = empty */
    uint32_t list, n;                /* items list[list .. list+n) (words: flags in n) */
} sr_gazimg_slot;

/* The two bloom bits of a key hash (filter of 1 << log2 bits). */
static inline int sr_gazimg_bloom_has(const uint64_t *bits, uint32_t log2, uint64_t h)
{
    uint64_t w = bits[h & ((((uint64_t)1 << log2) >> 6) - 1)];
    uint64_t want = ((uint64_t)1 << ((h >> 40) & 63)) | ((uint64_t)1 << ((h >> 50) & 63));
    return (w & want) == want;
}

/* The prefix filter holds the first L letters of every exact key for L from
 * PFX_MIN to PFX_MAX (shorter keys: none): a string of PFX_MIN letters or
 * more whose first min(length, PFX_MAX) letters fail the filter begins no
 * key (sr_lex_hash of those letters, tested with sr_gazimg_bloom_has). */
#define SR_GAZIMG_PFX_MIN 4
#define SR_GAZIMG_PFX_MAX 8

#define SR_GAZ_LDEMONYM 0x80000000u  /* the key is a demonym/adjective of the entry */
#define SR_GAZ_LMAIN    0x40000000u  /* the key is the entry's own name, not an alternate */
#define SR_GAZ_LINDEX   0x3fffffffu

/* word-table flags */
#define SR_GAZ_WCOMMON 1u            /* an English word in lower case (dictionary) */
#define SR_GAZ_WSTOP   2u            /* never a place on its own (stop list) */
#define SR_GAZ_WGIVEN  4u            /* a given name (Moby list): "David", "Kelly" */

typedef struct sr_gazimg_src {
    uint32_t kind;                   /* sr_gazsrc_kind */
    uint32_t path;                   /* pool offset (absolute path) */
    uint64_t size;
    int64_t mtime;
    uint64_t hash;                   /* sr_gazimg_file_hash of its bytes */
} sr_gazimg_src;

/* 64-bit FNV-1a of a file's bytes (0 when unreadable), so that a source
 * changed in place with its size and time kept is still seen as changed. */
uint64_t sr_gazimg_file_hash(const char *path);

typedef enum sr_gazsrc_kind {
    SR_GSRC_GEONAMES = 1,            /* GeoNames dump, 19 tab-separated columns */
    SR_GSRC_POSTAL,                  /* GeoNames postal codes (admin2 centroids) */
    SR_GSRC_COUNTRIES,               /* world-countries countries.json */
    SR_GSRC_STATES,                  /* country-state-city state.json (admin1) */
    SR_GSRC_TSV,                     /* data/gazetteer/ TSV files (see its README) */
    SR_GSRC_WORDS,                   /* lower-case English words, one a line */
    SR_GSRC_STOP,                    /* stop words, one a line (# comments) */
    SR_GSRC_TRANSLIT,                /* ISO country codes whose names are transliterated */
    SR_GSRC_NAMES                    /* given names, one a line */
} sr_gazsrc_kind;

typedef struct sr_gazsrc {
    sr_gazsrc_kind kind;
    const char *path;
} sr_gazsrc;

const char *sr_gazsrc_name(sr_gazsrc_kind k);          /* "geonames", "postal", ... */
int sr_gazsrc_parse(const char *name);                 /* 0 when unknown */

/* Compile the sources, in order, into the image at out_path (written to a
 * temporary file and renamed).  Later sources can amend earlier entries
 * (TSV rows with a known id, or a PCLI row for a known country). */
sr_status sr_gazimg_build(const sr_gazsrc *src, size_t nsrc, const char *out_path, sr_ctx *ctx);

#endif
