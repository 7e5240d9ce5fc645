/* store.h — the picture on disk: documents, their text, place mentions,
 * event records, and what fusion makes of them (facts, control spans), in
 * one SQLite file.
 *
 * The file runs in WAL mode with foreign keys on; its schema carries a
 * version (PRAGMA user_version) and sr_store_open applies the migrations
 * a file lacks.  Writes go in caller-delimited batches (sr_store_begin /
 * sr_store_commit): a crash loses at most the open batch, and everything
 * committed stays consistent.  Derived tables (facts, spans) are rebuilt per
 * place: a write marks its places dirty in the same transaction, and
 * sr_store_refresh rebuilds them, so a run killed before its refresh is
 * completed by the next one.
 *
 * Strings handed out by queries come from the caller's arena. */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/ctx.h"
#include "extract/event.h"
#include "extract/places.h"
#include "ingest/doc.h"

#define SR_STORE_SCHEMA 4           /* the schema version this build writes */
#define SR_STORE_DEFAULT "sitrep.db"/* when neither --db nor $SITREP_DB is given */

typedef struct sr_store sr_store;

#define SR_STORE_READONLY 1u        /* queries only; fails if the file is missing */

sr_status sr_store_open(sr_store **out, const char *path, unsigned flags, sr_ctx *ctx);
void sr_store_close(sr_store *s);   /* NULL is a no-op; rolls back an open batch */
int sr_store_schema_version(sr_store *s);

sr_status sr_store_begin(sr_store *s, sr_ctx *ctx);
sr_status sr_store_commit(sr_store *s, sr_ctx *ctx);

/* ---- writing -------------------------------------------------------- */

typedef enum sr_doc_state {
    SR_DOC_NEW = 0,         /* no document with this id */
    SR_DOC_SAME,            /* stored with the same content: nothing to do */
    SR_DOC_CHANGED          /* stored with other content: will be replaced */
} sr_doc_state;

/* Content hash of a document as given (raw HTML or text): "2:" and 16 hex
 * digits (rows stored before round 4b have FNV-1a's 16 digits, still
 * recognised when the same document comes again). */
#define SR_DOC_HASH_SIZE 24     /* room for a hash as text and its NUL */
void sr_store_doc_hash(const sr_doc *doc, char out[SR_DOC_HASH_SIZE]);
sr_status sr_store_doc_state(sr_store *s, const sr_doc *doc, sr_doc_state *state, sr_ctx *ctx);

typedef struct sr_put_info {
    int stored;             /* 1 when written (0: same content already there) */
    int replaced;           /* an older version was replaced */
    const char *origin;     /* id of the document it is a syndicated copy of, or NULL */
    double sim;             /* estimated similarity to that document */
} sr_put_info;

/* Store a cleaned document with its body text, mentions and events (either
 * may be empty).  When the document has its body paragraphs (doc->body, set
 * by the cleaner) they are stored as spans of the text and `body` is not
 * copied.  body NULL: those paragraphs joined by a blank line (as
 * sr_clean_body_text joins them; not built: the signature is taken from
 * the paragraphs), or the whole text when there are none.  `info` may be
 * NULL; its strings live until the next call. */
sr_status sr_store_put_doc(sr_store *s, const sr_doc *doc, const char *body, size_t body_len,
                           const sr_mention *m, size_t nm, const sr_event *ev, size_t ne,
                           sr_put_info *info, sr_ctx *ctx);

/* Replace the event records of an already stored document (records read
 * back from `sitrep extract` output).  SR_ENOTFOUND when it is not stored. */
sr_status sr_store_put_events(sr_store *s, const char *doc_id, const sr_event *ev, size_t ne, sr_ctx *ctx);

/* Read one event record in the JSON form `sitrep extract` writes (see
 * ../shared/eval/README.md) into *out; strings from the arena.  Fields
 * missing from the line are left NULL / 0 (place lat/lon NAN). */
sr_status sr_event_from_json(const char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx);
/* The same, reading the line in place: the record's strings point into
 * `line` (ended and unescaped there, so the line must outlive the record
 * and is no longer the line it was), or into the arena when the line is
 * one the small parser leaves to jansson. */
sr_status sr_event_from_json_in(char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx);

/* Mark every place with records dirty, so that the next refresh rebuilds
 * all facts and spans (after a change of the fusion rules). */
sr_status sr_store_mark_all(sr_store *s, sr_ctx *ctx);

/* Rebuild facts and control spans of every dirty place, in one transaction
 * (call outside a batch).  `progress` (may be NULL) gets (done, total). */
typedef void (*sr_progress_fn)(void *user, size_t done, size_t total);
sr_status sr_store_refresh(sr_store *s, sr_progress_fn progress, void *user, size_t *nplaces, sr_ctx *ctx);

/* ---- reading -------------------------------------------------------- */

typedef struct sr_store_place {
    int64_t id;             /* row id in the store; 0 when known only to the gazetteer */
    const char *name;
    uint32_t geonameid;
    double lat, lon;        /* NAN when unknown */
    const char *country;
    int64_t population;     /* 0 when unknown */
    const char *fcode;      /* GeoNames feature code, NULL when unknown */
    int64_t nevents;        /* records about it (filled by sr_store_find_place only) */
} sr_store_place;

/* PLACE as a user writes it: a GeoNames id, any spelling the gazetteer
 * (`gaz`, may be NULL) knows, a name or a words-in-a-document form stored
 * here, or the same up to articles, vowels and punctuation ("Deir el-Zour"
 * finds "Deir ez-Zor").  SR_ENOTFOUND with a message when nothing fits. */
sr_status sr_store_find_place(sr_store *s, const sr_gaz *gaz, const char *q, sr_arena *a, sr_store_place *out,
                              sr_ctx *ctx);
/* ACTOR as an id (ISIS), a canonical name or words used in a document. */
sr_status sr_store_find_actor(sr_store *s, const char *q, sr_arena *a, const char **id, const char **name,
                              sr_ctx *ctx);

typedef struct sr_store_source {
    int64_t event;          /* record row id */
    const char *doc, *title, *source, *url, *published;
    const char *origin;     /* doc id of the first copy of its story (itself when original) */
    const char *type, *actor, *date, *modality;
    double confidence;
    uint32_t start, end;    /* evidence span in the document's text */
    const char *evidence;   /* the sentence itself */
} sr_store_source;

typedef struct sr_store_span {
    sr_store_place place;
    const char *holder, *holder_name;   /* NULL holder: unknown */
    const char *start, *end;            /* YYYY-MM-DD; end NULL while it lasts */
    double confidence;
    int contested, by_change;
    uint32_t norigins;                  /* independent origins behind it */
    sr_store_source *src;               /* supporting records */
    size_t nsrc;
    sr_store_source *contrary;          /* records that say otherwise */
    size_t ncontrary;
} sr_store_span;

/* All spans of a place, oldest first, with their sources. */
sr_status sr_store_timeline(sr_store *s, const sr_store_place *p, sr_arena *a, sr_store_span **out, size_t *n,
                            sr_ctx *ctx);
/* The span holding on `date` (YYYY-MM-DD; NULL: the latest); *found = 0
 * when no holder is known then (out->holder NULL). */
sr_status sr_store_control(sr_store *s, const sr_store_place *p, const char *date, sr_arena *a,
                           sr_store_span *out, int *found, sr_ctx *ctx);
/* Spans held by `actor` on `date` (without sources), largest population
 * first.  Countries and administrative areas (GeoNames PCL*, ADM*) are left
 * out here and in sr_store_stats: their populations contain their towns'. */
sr_status sr_store_held_by(sr_store *s, const char *actor, const char *date, sr_arena *a, sr_store_span **out,
                           size_t *n, sr_ctx *ctx);

typedef struct sr_store_month {
    char month[8];          /* YYYY-MM */
    uint32_t places;        /* places held at the end of the month */
    int64_t population;     /* their known population */
} sr_store_month;

/* Places and population held by `actor` at the end of each month from its
 * first span to the latest date in the store. */
sr_status sr_store_stats(sr_store *s, const char *actor, sr_arena *a, sr_store_month **out, size_t *n,
                         sr_ctx *ctx);

typedef struct sr_store_filter {
    int64_t place;          /* 0: any */
    const char *actor;      /* actor id (as actor or target), NULL: any */
    const char *type;       /* NULL: any */
    const char *from, *to;  /* YYYY-MM-DD bounds on the fact's date, NULL: open */
    size_t limit;           /* 0: no limit */
} sr_store_filter;

typedef struct sr_store_fact {
    int64_t id;
    sr_store_place place;
    const char *type;
    const char *actor, *actor_name, *target, *target_name;
    const char *date_first, *date_last, *precision;
    const char *reported_first, *reported_last;
    uint32_t nsources, norigins;
    double confidence;
    int contested;
    int64_t *conflicts;     /* ids of contradicting facts */
    size_t nconflicts;
    sr_store_source *src;   /* its records */
    size_t nsrc;
} sr_store_fact;

/* Call fn for each fact matching the filter, in date order; the fact and
 * its strings are valid during the call only.  fn returns non-zero to stop. */
typedef int (*sr_fact_fn)(void *user, const sr_store_fact *f);
sr_status sr_store_facts(sr_store *s, const sr_store_filter *flt, sr_fact_fn fn, void *user, sr_ctx *ctx);

/* Counts for `sitrep ingest` and tests. */
typedef struct sr_store_counts {
    int64_t docs, origins, mentions, events, facts, spans, places, dirty;
} sr_store_counts;
sr_status sr_store_count(sr_store *s, sr_store_counts *c, sr_ctx *ctx);

#endif
