/* places.h — the compiled gazetteer and the geoparser.
 *
 * The gazetteer is one binary image (built by `sitrep gazetteer build` from
 * GeoNames cities500, countries/admin areas and data/gazetteer/*.tsv), mapped
 * read-only at start.  The geoparser finds place mentions in a document's
 * sentences and resolves each to one gazetteer entry.
 * (Interface agreed between stages; the places stage owns the details.) */
#ifndef SR_PLACES_H
#define SR_PLACES_H

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
} sr_mention;

/* Find and resolve the place mentions of a document.  The array comes from
 * `arena`, ordered by start offset. */
sr_status sr_places_find(const sr_gaz *g, const sr_doc *doc, const sr_textmodel *tm, sr_arena *arena,
                         sr_mention **out, size_t *nout, sr_ctx *ctx);

#endif
