/* fuse.h — from many witnesses to one picture: syndicated copies, fusion of
 * event records across documents, and the control timeline of a place.
 *
 * Everything here is a pure function over arrays (no database, no I/O), so
 * the rules can be unit-tested on records written by hand; src/store runs
 * them over what it has stored.  Results come from a caller's arena.
 *
 * Dates are days since 1970-01-01 (sr_day); a record's date precision sets
 * how far apart two reports of the same fact may be (sr_fuse_window). */
#ifndef SR_FUSE_H
#define SR_FUSE_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/status.h"
#include "extract/event.h"

/* ---- dates ---------------------------------------------------------- */

typedef int32_t sr_day;             /* days since 1970-01-01 */
#define SR_DAY_NONE INT32_MIN       /* unknown date */
#define SR_DAY_OPEN INT32_MAX       /* open end of a span ("until now") */

typedef enum sr_prec { SR_PREC_DAY = 0, SR_PREC_WEEK, SR_PREC_MONTH, SR_PREC_YEAR } sr_prec;

/* "YYYY-MM-DD", "YYYY-MM" or "YYYY" (the first day of the month or year;
 * *prec, when not NULL, says which).  SR_EFORMAT otherwise. */
sr_status sr_day_parse(const char *s, sr_day *out, sr_prec *prec);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL) into buf. */
void sr_day_format(sr_day d, char buf[11]);
/* "day", "week", "month", "year" -> the enum; NULL or unknown -> day. */
sr_prec sr_prec_parse(const char *s);
/* Half-width in days of the window within which two reports of a fact of
 * this precision are taken to be the same fact. */
int sr_fuse_window(sr_prec p);

/* ---- syndicated copies ---------------------------------------------- */

/* A MinHash signature of a text's word 5-shingles: the share of equal
 * slots estimates the Jaccard similarity of the two shingle sets. */
#define SR_MINHASH_N 64
#define SR_LSH_BANDS 16             /* 16 bands of 4 rows: candidates from J ~ 0.5 */
#define SR_SYNDICATED_SIM 0.5       /* estimated Jaccard at or above: same origin */

typedef struct sr_minhash {
    uint32_t v[SR_MINHASH_N];
} sr_minhash;

void sr_minhash_text(const char *text, size_t len, sr_minhash *out);
/* The same signature as sr_minhash_text of the paragraphs segs[0 .. n) of
 * text joined by a blank line (sr_clean_body_text), without joining them. */
struct sr_seg;
void sr_minhash_segs(const char *text, const struct sr_seg *segs, size_t n, sr_minhash *out);
double sr_minhash_sim(const sr_minhash *a, const sr_minhash *b);
/* One 63-bit key per band (non-negative, fits a SQLite integer): two texts
 * sharing any key are candidates for sr_minhash_sim. */
void sr_minhash_bands(const sr_minhash *m, int64_t keys[SR_LSH_BANDS]);

/* ---- fusion --------------------------------------------------------- */

/* One stored record as fusion sees it (all borrowed). */
typedef struct sr_fuse_rec {
    const sr_event *ev;
    const char *origin;     /* syndication origin of its document (an id); NULL: the doc itself */
    const char *published;  /* publication date of its document, NULL when unknown */
    int64_t id;             /* the caller's id for the record (store row id) */
} sr_fuse_rec;

/* A fact: records of different documents stating the same thing (same
 * type, place and actor, dates within the precision window). */
typedef struct sr_fact {
    const sr_event *rep;        /* representative record: the most confident */
    const char *place_key;      /* "g:<geonameid>" or "n:<lower-case name>" */
    sr_day day_first, day_last; /* dates the records give the event */
    sr_prec prec;               /* finest precision among them */
    sr_day rep_first, rep_last; /* first and last report (publication) dates */
    uint32_t *recs;             /* indices into the input array */
    uint32_t nrecs;
    uint32_t norigins;          /* independent origins (syndicated copies count once) */
    double confidence;          /* 1 - prod(1 - c) over origins */
    int contested;              /* another fact contradicts it */
    uint32_t *conflicts;        /* indices of the facts that contradict it */
    uint32_t nconflicts;
} sr_fact;

/* Only asserted and claimed records become facts; the others are left out
 * (they stay stored as records).  A record without a date of its own is
 * dated by its report, to a week; so is a day-precise date equal to the
 * publication date when no words gave it (date_text NULL).  Output order:
 * by place key, then date. */
sr_status sr_fuse(const sr_fuse_rec *in, size_t n, sr_arena *a, sr_fact **out, size_t *nout);

/* The identity of a record's place: "g:<geonameid>", else "n:" and the
 * lower-cased name (or words), else "" (no place).  NULL on OOM. */
const char *sr_fuse_place_key(sr_arena *a, const sr_place_ref *p);
/* True for the record types that say who holds a place. */
int sr_fuse_is_control(const char *type);
/* The fact's holder: the actor id, else its name, else NULL. */
const char *sr_fact_holder(const sr_fact *f);

/* ---- control timeline ----------------------------------------------- */

typedef struct sr_span {
    const char *holder;         /* actor id (or name when the record had no id) */
    const char *holder_name;
    sr_day start, end;          /* [start, end); end == SR_DAY_OPEN while it lasts */
    uint32_t start_fact;        /* index of the fact that opened it */
    int by_change;              /* opened by a control_change (else first seen in a state) */
    uint32_t *facts;            /* facts behind it (opening, confirming, contrary) */
    uint32_t nfacts;
    double confidence;
    int contested;              /* a contrary report falls inside it */
} sr_span;

/* The holders of one place over time from its facts (the facts of other
 * places must not be passed).  A holder persists until a later change or a
 * later contrary state; a contrary fact that is itself contested and weaker
 * than the current holder's does not end the span but marks it contested. */
sr_status sr_timeline(const sr_fact *facts, size_t n, sr_arena *a, sr_span **out, size_t *nout);

/* Index of the span holding on day d, or -1 when unknown then. */
long sr_timeline_at(const sr_span *spans, size_t n, sr_day d);

#endif
