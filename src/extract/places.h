/* places.h — the compiled gazetteer and the geoparser.
 *
 * The gazetteer is one binary image (built by `sitrep gazetteer build` from
 * GeoNames cities500, countries/admin areas and data/gazetteer/ TSV files), mapped
 * read-only at start.  The geoparser finds place mentions in a document's
 * sentences and resolves each to one gazetteer entry.
 * (Interface agreed between stages; the places stage owns the details.) */
#ifndef SR_PLACES_H
#define SR_PLACES_H

#include <stddef.h>
#include <stdint.h>
#include "core/ctx.h"
#include "extract/event.h"
#include "text/text.h"

typedef struct sr_gaz sr_gaz;

/* Map the image at `path`; SR_ESTALE when its version or sources do not match. */
sr_status sr_gaz_open(sr_gaz **out, const char *path, sr_ctx *ctx);
void sr_gaz_close(sr_gaz *g);    /* NULL is a no-op */

/* Best entry for a name (any known spelling) or a numeric GeoNames id;
 * SR_ENOTFOUND when none.  Strings in *out point into the image. */
sr_status sr_gaz_lookup(const sr_gaz *g, const char *name, sr_place_ref *out);

typedef struct sr_mention {
    uint32_t start, end;        /* bytes into doc->text */
    uint32_t sent;              /* sentence index in the text model */
    sr_place_ref place;         /* resolved entry; geonameid 0 and lat NAN when unresolved */
    uint32_t population;
    float score;                /* resolution confidence 0..1 */
    uint32_t flags;             /* SR_MF_* */
} sr_mention;

/* mention flags */
#define SR_MF_DEMONYM  0x01u    /* "Syrian", "Iraqis": names the country, not a place in the story */
#define SR_MF_SKELETON 0x02u    /* resolved through the loose (consonant skeleton) key */
#define SR_MF_COUNTRY_SHARED 0x04u   /* another mention of the document, resolved to another entry,
                                      * lies in the same country (so the country is spoken of: the
                                      * extractor's trust test need not walk the mentions again) */

/* Where the image is looked for: $SITREP_DATA/gazetteer.img, else
 * ../data/compiled/gazetteer.img beside the running executable, else
 * data/compiled/gazetteer.img.  Writes the path into buf. */
void sr_gaz_default_path(char *buf, size_t cap);

/* SR_ESTALE (message names the file) when a source the image lists has
 * changed size or time since the build, or the image is of another version;
 * sources missing from this machine are skipped. */
sr_status sr_gaz_check(const sr_gaz *g, sr_ctx *ctx);

/* The image's entries and sources (for `sitrep gazetteer` and tests). */
size_t sr_gaz_size(const sr_gaz *g);
size_t sr_gaz_nsources(const sr_gaz *g);
/* Source i: its kind name ("geonames", "tsv", ...) and path; NULL past the end. */
const char *sr_gaz_source(const sr_gaz *g, size_t i, const char **kind);

/* Every entry a name may denote (exact key first; with `loose`, the
 * skeleton matches too), most important first.  Up to max refs into out;
 * returns how many were found (may exceed max). */
size_t sr_gaz_candidates(const sr_gaz *g, const char *name, int loose, sr_place_ref *out, size_t max);

/* Find and resolve the place mentions of a document.  The array comes from
 * `arena`, ordered by start offset. */
sr_status sr_places_find(const sr_gaz *g, const sr_doc *doc, const sr_textmodel *tm, sr_arena *arena,
                         sr_mention **out, size_t *nout, sr_ctx *ctx);

#endif
