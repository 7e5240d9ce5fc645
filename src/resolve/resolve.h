/* resolve.h — dates: calendar arithmetic, the dateline of a report, and the
 * relative expressions ("on Friday", "last week", "two years ago") of its
 * sentences, resolved against the publication date.
 *
 * Everything works on byte spans of the document text; nothing allocates. */
#ifndef SR_RESOLVE_H
#define SR_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include "text/text.h"

typedef struct sr_ymd {
    int y, m, d;
} sr_ymd;

/* "YYYY-MM-DD..." -> date; 0 on success, -1 when not a valid date. */
int sr_ymd_parse(const char *s, sr_ymd *out);
/* Writes "YYYY-MM-DD" and a NUL into out[11]. */
void sr_ymd_format(sr_ymd d, char out[11]);
long sr_ymd_days(sr_ymd d);             /* days since 1970-01-01 */
sr_ymd sr_ymd_from_days(long days);
sr_ymd sr_ymd_add(sr_ymd d, long days);
int sr_ymd_weekday(sr_ymd d);           /* 0 = Monday .. 6 = Sunday */
int sr_ymd_valid(sr_ymd d);

/* The dateline date of a report: a full date (day, month name, year) near
 * the top of the text that reads as a dateline (after a weekday or an
 * agency name, at a line start, or before "(" / a dash).  Returns 0 and the
 * date's byte span when found, -1 otherwise. */
int sr_dateline_find(const char *text, size_t len, sr_ymd *out, uint32_t *start, uint32_t *end);

typedef enum sr_date_prec { SR_PREC_DAY = 0, SR_PREC_WEEK, SR_PREC_MONTH, SR_PREC_YEAR } sr_date_prec;
const char *sr_date_prec_str(sr_date_prec p);

typedef struct sr_datex {
    sr_ymd date;            /* the best single day for the expression */
    sr_date_prec prec;
    uint32_t start, end;    /* bytes of the expression */
    uint32_t tok0, tok1;    /* [tok0, tok1) token indexes */
    int since;              /* "since ..." : a start, not the event's own day */
    int future;             /* "next week", "tomorrow": after the reference date */
    int absolute;           /* the year is written ("5 June 2016", "in 2014"): no reference needed */
    int named_month;        /* names a month ("on 23 May", "in June"): resolvable against a year alone */
} sr_datex;

/* Find the date expressions among tokens [t0, t1) and resolve them against
 * `ref` (the publication date).  Fills at most `max`; returns the count. */
size_t sr_dates_scan(const char *text, const sr_tok *tok, size_t t0, size_t t1, sr_ymd ref, sr_datex *out,
                     size_t max);

#endif
