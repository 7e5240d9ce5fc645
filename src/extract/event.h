/* event.h — an event record: the unit every later stage (store, fusion,
 * timeline, exports) consumes.  Layout of the JSON form: see
 * ../shared/eval/README.md and sr_event_to_json.
 *
 * Strings are owned by the arena of the document the record came from
 * (or by the store when read back); empty fields are NULL. */
#ifndef SR_EVENT_H
#define SR_EVENT_H

#include <stdint.h>
#include "core/buf.h"

typedef struct sr_actor_ref {
    const char *id;         /* canonical id from data/actors (e.g. "ISIS"), NULL if unknown */
    const char *name;       /* canonical name */
    const char *text;       /* the words in the document */
    const char *group;      /* side it counts for (data/actors.tsv "group"), NULL if none */
    const char *kind;       /* state, militia, nsag, foreign_state, coalition, media, monitor */
    const char *backed_by;  /* comma-separated backer ids (dictionary or "backed by X" in the text) */
} sr_actor_ref;

typedef struct sr_place_ref {
    const char *name;       /* gazetteer name */
    const char *text;       /* the words in the document */
    uint32_t geonameid;     /* 0 when none (supplement entries have their own ids) */
    double lat, lon;        /* NAN when unresolved */
    char country[3];        /* ISO 3166 alpha-2 or "" */
    char fcode[8];          /* GeoNames feature code or "" */
} sr_place_ref;

typedef struct sr_span32 { uint32_t start, end; } sr_span32;

typedef struct sr_event {
    const char *doc;            /* document id */
    const char *type;           /* control_change, control_state, siege, airstrike,
                                   attack, clash, evacuation, agreement,
                                   negotiation, surrender */
    sr_actor_ref actor;         /* who acts / the (new) holder */
    sr_actor_ref target;        /* from whom / against whom */
    sr_actor_ref claimant;      /* who says so (modality claimed), id may be NULL */
    sr_place_ref place;
    const char *date;           /* YYYY-MM-DD (the best day), NULL when unknown */
    const char *date_text;      /* the words that gave the date, NULL = publication date */
    const char *precision;      /* "day", "week", "month", "year" */
    const char *modality;       /* asserted, claimed, future, negated, hypothetical,
                                   attempted (a failed or ongoing try: not a change),
                                   past (a former state, "once held") */
    sr_span32 evidence;         /* the main supporting sentence */
    sr_span32 *more;            /* further supporting sentences */
    uint32_t nmore;
    int contradicted;           /* another record of the same doc says the opposite */
    double confidence;          /* 0..1 */
    const char *rule;           /* "FILE:LINE" of the rule that matched (traceability) */
    const char *since;          /* YYYY-MM-DD of a "since ..." start, NULL when none */
    const char *place_near;     /* the place is not in the gazetteer: lat/lon are those of this
                                   town named right after it ("Khatab ... in Hama countryside"),
                                   NULL when the coordinates are the place's own */
} sr_event;

/* Append one JSON object (no newline) for the record. */
int sr_event_to_json(const sr_event *e, sr_buf *out);

#endif
