/* timeline.c — the holders of one place over time, from its facts.
 *
 * Facts are read in date order (on one day a change before a state, then the
 * better-attested first).  A holder persists until a later change to someone
 * else or a later contrary state.  A contrary fact that fusion found
 * contested and that is no better attested (origins, then confidence) than
 * the current holder's facts it conflicts with does not end the span: it is
 * attached to it as contrary evidence and the span is marked contested.  A
 * span is also contested when any of its supporting facts is. */
#include "fuse/fuse.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static int is_change(const sr_fact *f)
{
    return !strcmp(f->rep->type, "control_change");
}

/* Better attested: more independent origins, then more confidence. */
static int stronger(const sr_fact *a, const sr_fact *b)
{
    if (a->norigins != b->norigins)
        return a->norigins > b->norigins;
    return a->confidence > b->confidence;
}

/* Sort key of a fact, copied out so qsort needs no pointer to the facts. */
typedef struct ord {
    sr_day day;
    int change;
    uint32_t norigins;
    double conf;
    uint32_t idx;
} ord;

static int cmp_ord(const void *pa, const void *pb)
{
    const ord *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->change != b->change)
        return a->change ? -1 : 1;
    if (a->norigins != b->norigins)
        return a->norigins > b->norigins ? -1 : 1;
    if (a->conf != b->conf)
        return a->conf > b->conf ? -1 : 1;
    return a->idx < b->idx ? -1 : 1;
}

static int same_holder(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static int conflicts_with(const sr_fact *f, uint32_t other)
{
    for (uint32_t k = 0; k < f->nconflicts; k++)
        if (f->conflicts[k] == other)
            return 1;
    return 0;
}

/* Does the contested fact x lose against what span s already holds? */
static int loses_to_span(const sr_fact *facts, const sr_span *s, const sr_fact *x)
{
    if (!x->contested)
        return 0;
    for (uint32_t k = 0; k < s->nfacts; k++) {
        const sr_fact *g = &facts[s->facts[k]];
        if (same_holder(sr_fact_holder(g), s->holder) && conflicts_with(x, s->facts[k]) && !stronger(x, g))
            return 1;
    }
    return 0;
}

sr_status sr_timeline(const sr_fact *facts, size_t n, sr_arena *a, sr_span **out, size_t *nout)
{
    if (!a || !out || !nout || (n && !facts))
        return SR_EARG;
    *out = NULL;
    *nout = 0;
    ord *o = n ? sr_malloc(n * sizeof *o) : NULL;
    if (n && !o)
        return SR_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const sr_fact *f = &facts[i];
        if (sr_fuse_is_control(f->rep->type) && sr_fact_holder(f) && f->day_first != SR_DAY_NONE)
            o[m++] = (ord){f->day_first, is_change(f), f->norigins, f->confidence, (uint32_t)i};
    }
    if (m)
        qsort(o, m, sizeof *o, cmp_ord);

    sr_status st = SR_OK;
    sr_span *sp = m ? sr_arena_alloc(a, m * sizeof *sp) : NULL;
    /* Only the last span grows, so the spans' fact lists are consecutive
     * runs of one pool of m indices. */
    uint32_t *pool = m ? sr_arena_alloc(a, m * sizeof *pool) : NULL;
    if (m && (!sp || !pool)) {
        st = SR_ENOMEM;
        goto done;
    }
    size_t ns = 0, used = 0;
    for (size_t k = 0; k < m; k++) {
        uint32_t fi = o[k].idx;
        const sr_fact *f = &facts[fi];
        const char *h = sr_fact_holder(f);
        sr_span *cur = ns ? &sp[ns - 1] : NULL;
        if (cur && (same_holder(cur->holder, h) || loses_to_span(facts, cur, f))) {
            cur->facts[cur->nfacts++] = fi, used++;
            if (same_holder(cur->holder, h)) {
                if (f->confidence > cur->confidence)
                    cur->confidence = f->confidence;
            } else {
                cur->contested = 1;
            }
            continue;
        }
        /* A new holder from f's day on. */
        int contested = f->contested && cur && conflicts_with(f, cur->start_fact);
        uint32_t *fl = pool + used;
        uint32_t nfl = 0;
        if (cur && f->day_first <= cur->start) {
            /* Reported on the previous holder's first day and better
             * attested: that span never stood on its own; its facts stay
             * as contrary evidence of the new one. */
            contested = 1;
            fl = cur->facts;
            nfl = cur->nfacts;
            ns--;
            sr_span *before = ns ? &sp[ns - 1] : NULL;
            if (before && same_holder(before->holder, h)) {
                /* ... and the holder before it simply goes on (the runs
                 * of the two spans are adjacent in the pool). */
                before->end = SR_DAY_OPEN;
                before->nfacts += nfl;
                before->facts[before->nfacts++] = fi, used++;
                before->contested = 1;
                continue;
            }
            memmove(fl + 1, fl, nfl * sizeof *fl);
        } else if (cur) {
            cur->end = f->day_first;
        }
        sr_span *s = &sp[ns++];
        memset(s, 0, sizeof *s);
        s->holder = h;
        s->holder_name = f->rep->actor.name ? f->rep->actor.name : h;
        s->start = f->day_first;
        s->end = SR_DAY_OPEN;
        s->start_fact = fi;
        s->by_change = is_change(f);
        s->facts = fl;
        fl[0] = fi;
        s->nfacts = nfl + 1;
        used++;
        s->confidence = f->confidence;
        s->contested = contested;
    }
    /* A supporting fact that another report contradicts (a contrary
     * holder, or fighting inside after the capture) makes its span
     * contested, wherever the contrary fact itself ended up. */
    for (size_t i = 0; i < ns; i++)
        for (uint32_t k = 0; k < sp[i].nfacts; k++) {
            const sr_fact *g = &facts[sp[i].facts[k]];
            if (g->nconflicts && same_holder(sr_fact_holder(g), sp[i].holder))
                sp[i].contested = 1;
        }
    *out = sp;
    *nout = ns;
done:
    sr_free(o);
    return st;
}

long sr_timeline_at(const sr_span *spans, size_t n, sr_day d)
{
    for (size_t i = n; i-- > 0;)
        if (spans[i].start <= d && d < spans[i].end)
            return (long)i;
    return -1;
}
