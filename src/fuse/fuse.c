/* fuse.c — event fusion across documents and the conflicts between facts.
 *
 * Records are grouped by (type, place, holder) and, inside a group, by date:
 * a record joins the cluster of the earliest record still within the
 * precision window of both.  A fact counts its sources twice: every record
 * (all outlets stay listed) and every independent origin (syndicated copies
 * of one wire story count once).  Contradictions are never resolved here:
 * both facts are kept, linked and flagged contested, and the timeline
 * decides which one holds. */
#include "fuse/fuse.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct item {
    uint32_t idx;           /* into the input */
    const char *type, *place, *holder;
    sr_day day, pub;
    sr_prec prec;
} item;

int sr_fuse_is_control(const char *type)
{
    return type && (!strcmp(type, "control_change") || !strcmp(type, "control_state"));
}

static const char *holder_of(const sr_event *e)
{
    if (e->actor.id && *e->actor.id)
        return e->actor.id;
    if (e->actor.name && *e->actor.name)
        return e->actor.name;
    return NULL;
}

const char *sr_fact_holder(const sr_fact *f)
{
    return f && f->rep ? holder_of(f->rep) : NULL;
}

static char *lower_dup(sr_arena *a, const char *prefix, const char *s)
{
    size_t np = strlen(prefix), n = strlen(s);
    char *r = sr_arena_alloc(a, np + n + 1);
    if (!r)
        return NULL;
    memcpy(r, prefix, np);
    for (size_t i = 0; i < n; i++)
        r[np + i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    r[np + n] = '\0';
    return r;
}

const char *sr_fuse_place_key(sr_arena *a, const sr_place_ref *p)
{
    if (p->geonameid) {
        /* by hand: one snprintf per mention was a tenth of a store write */
        char buf[16] = "g:";
        return sr_arena_strndup(a, buf, (size_t)(sr_utoa(buf + 2, p->geonameid) - buf));
    }
    if (p->name && *p->name)
        return lower_dup(a, "n:", p->name);
    if (p->text && *p->text)
        return lower_dup(a, "n:", p->text);
    return "";
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_item(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->place, b->place)) || (c = strcmp(a->type, b->type)) || (c = strcmp0(a->holder, b->holder)))
        return c;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static double rec_conf(const sr_event *e)
{
    double c = e->confidence > 0 ? e->confidence : 0.5;
    if (c > 1)
        c = 1;
    /* One party's claim is weaker evidence than a report's own statement. */
    if (e->modality && !strcmp(e->modality, "claimed"))
        c *= 0.75;
    return c;
}

static const char *origin_of(const sr_fuse_rec *r)
{
    return r->origin ? r->origin : (r->ev->doc ? r->ev->doc : "");
}

/* Fill a fact from the items [lo, hi). */
static sr_status make_fact(const sr_fuse_rec *in, const item *it, size_t lo, size_t hi, sr_arena *a, sr_fact *f)
{
    memset(f, 0, sizeof *f);
    f->recs = sr_arena_alloc(a, (hi - lo) * sizeof *f->recs);
    const char **orig = sr_arena_alloc(a, (hi - lo) * sizeof *orig);
    double *oconf = sr_arena_alloc(a, (hi - lo) * sizeof *oconf);
    if (!f->recs || !orig || !oconf)
        return SR_ENOMEM;
    f->place_key = it[lo].place;
    f->day_first = f->day_last = it[lo].day;
    f->prec = it[lo].prec;
    f->rep_first = SR_DAY_OPEN, f->rep_last = SR_DAY_NONE;
    double best = -1;
    for (size_t k = lo; k < hi; k++) {
        const sr_fuse_rec *r = &in[it[k].idx];
        f->recs[f->nrecs++] = it[k].idx;
        if (it[k].day < f->day_first)
            f->day_first = it[k].day;
        if (it[k].day > f->day_last)
            f->day_last = it[k].day;
        if (it[k].prec < f->prec)
            f->prec = it[k].prec;
        if (it[k].pub != SR_DAY_NONE) {
            if (it[k].pub < f->rep_first)
                f->rep_first = it[k].pub;
            if (it[k].pub > f->rep_last)
                f->rep_last = it[k].pub;
        }
        double c = rec_conf(r->ev);
        if (c > best)
            best = c, f->rep = r->ev;
        const char *o = origin_of(r);
        uint32_t j = 0;
        while (j < f->norigins && strcmp(orig[j], o))
            j++;
        if (j == f->norigins)
            orig[f->norigins++] = o, oconf[j] = c;
        else if (c > oconf[j])
            oconf[j] = c;
    }
    if (f->rep_first == SR_DAY_OPEN)
        f->rep_first = SR_DAY_NONE;
    double miss = 1;
    for (uint32_t j = 0; j < f->norigins; j++)
        miss *= 1 - oconf[j];
    f->confidence = 1 - miss;
    return SR_OK;
}

/* Does fact f rest on a report of origin o? */
static int has_origin(const sr_fuse_rec *in, const sr_fact *f, const char *o)
{
    for (uint32_t k = 0; k < f->nrecs; k++)
        if (!strcmp(origin_of(&in[f->recs[k]]), o))
            return 1;
    return 0;
}

/* Is the fighting `clash` (reported gap days after the capture `change`)
 * evidence against that capture?  A report of a capture usually narrates
 * the fighting that led to it, on the same day ("the last moments of the
 * fighting ... before it was liberated"): that is not a contrary report.
 * Fighting dated after the capture is, and so is fighting on that day
 * reported by a witness (origin) that did not report the capture. */
/* b - a in days, wrapping as 32-bit arithmetic does: an unknown date
 * (SR_DAY_NONE) is far from every date either way, and the difference
 * stays defined behaviour (UBSan: signed overflow). */
static sr_day day_gap(sr_day b, sr_day a)
{
    return (sr_day)(uint32_t)((uint32_t)b - (uint32_t)a);
}

static int clash_against(const sr_fuse_rec *in, const sr_fact *change, const sr_fact *clash, sr_day gap, int w)
{
    if (gap < 0 || gap > w)
        return 0;
    if (gap > 0)
        return 1;
    for (uint32_t k = 0; k < clash->nrecs; k++)
        if (!has_origin(in, change, origin_of(&in[clash->recs[k]])))
            return 1;
    return 0;
}

/* Is `other` fighting for the place that `change` says was taken?  Any
 * clash there; an attack on it or a siege of it only by the taker itself
 * ("Iraqi forces pushed into Qaim": not yet theirs), since the loser's
 * counter-attack or siege says nothing against the capture. */
static int fighting_for(const sr_fact *change, const sr_fact *other)
{
    const char *t = other->rep->type, *h = sr_fact_holder(change), *a = sr_fact_holder(other);
    if (!strcmp(t, "clash"))
        return 1;
    return (!strcmp(t, "attack") || !strcmp(t, "siege")) && h && a && !strcmp(h, a);
}

/* Do facts x and y (same place, x not later than y) contradict each other? */
static int contradicts(const sr_fuse_rec *in, const sr_fact *x, const sr_fact *y)
{
    int w = sr_fuse_window(x->prec > y->prec ? x->prec : y->prec);
    const char *tx = x->rep->type, *ty = y->rep->type;
    int cx = !strcmp(tx, "control_change"), cy = !strcmp(ty, "control_change");
    if (sr_fuse_is_control(tx) && sr_fuse_is_control(ty)) {
        const char *hx = sr_fact_holder(x), *hy = sr_fact_holder(y);
        if (!hx || !hy || !strcmp(hx, hy))
            return 0;
        sr_day gap = day_gap(y->day_first, x->day_first);
        if (cx && !cy)          /* taken by X, yet Y still holds it on or after that day */
            return gap >= 0 && gap <= w;
        if (!cx && cy)          /* Y held it, then X took it: the ordinary sequence */
            return 0;
        return gap <= w;        /* two takers, or two holders, at once */
    }
    /* Taken by X, yet fighting inside the place is reported after that day
     * (or by another witness on it): the capture is contested (the holder
     * does not change; the fighting is linked as the contrary report). */
    if (cx && fighting_for(x, y))
        return clash_against(in, x, y, day_gap(y->day_first, x->day_first), w);
    if (cy && fighting_for(y, x))
        return clash_against(in, y, x, day_gap(x->day_last, y->day_first), w);
    return 0;
}

static int cmp_fact(const void *pa, const void *pb)
{
    const sr_fact *a = pa, *b = pb;
    int c = strcmp(a->place_key, b->place_key);
    if (c)
        return c;
    if (a->day_first != b->day_first)
        return a->day_first < b->day_first ? -1 : 1;
    return strcmp(a->rep->type, b->rep->type);
}

sr_status sr_fuse(const sr_fuse_rec *in, size_t n, sr_arena *a, sr_fact **out, size_t *nout)
{
    if (!a || !out || !nout || (n && !in))
        return SR_EARG;
    *out = NULL;
    *nout = 0;
    sr_status st = SR_OK;
    item *it = n ? sr_malloc(n * sizeof *it) : NULL;
    uint32_t (*pairs)[2] = NULL;
    size_t npairs = 0, cpairs = 0;
    if (n && !it)
        return SR_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const sr_event *e = in[i].ev;
        if (!e || !e->type)
            continue;
        if (e->modality && strcmp(e->modality, "asserted") && strcmp(e->modality, "claimed"))
            continue;
        item *t = &it[m];
        t->idx = (uint32_t)i;
        t->type = e->type;
        t->holder = holder_of(e);
        if (!(t->place = sr_fuse_place_key(a, &e->place))) {
            st = SR_ENOMEM;
            goto done;
        }
        sr_day pub = SR_DAY_NONE;
        if (in[i].published)
            sr_day_parse(in[i].published, &pub, NULL);
        t->pub = pub;
        sr_prec p;
        if (e->date && !sr_day_parse(e->date, &t->day, &p)) {
            t->prec = e->precision ? sr_prec_parse(e->precision) : p;
            /* A date no words of the report gave (the extractor fell back
             * on the publication date) only says "by then": a week. */
            if (!e->date_text && t->prec == SR_PREC_DAY && t->day == pub && pub != SR_DAY_NONE)
                t->prec = SR_PREC_WEEK;
        } else {
            /* No date of its own: the report's date, known to a week. */
            t->day = pub;
            t->prec = SR_PREC_WEEK;
        }
        m++;
    }
    if (m)  /* qsort wants a non-NULL array even when empty */
        qsort(it, m, sizeof *it, cmp_item);

    sr_fact *f = m ? sr_arena_alloc(a, m * sizeof *f) : NULL;
    if (m && !f) {
        st = SR_ENOMEM;
        goto done;
    }
    size_t nf = 0;
    for (size_t lo = 0; lo < m;) {
        size_t hi = lo + 1;
        while (hi < m && !strcmp(it[hi].place, it[lo].place) && !strcmp(it[hi].type, it[lo].type) &&
               !strcmp0(it[hi].holder, it[lo].holder)) {
            int w1 = sr_fuse_window(it[lo].prec), w2 = sr_fuse_window(it[hi].prec);
            if (it[lo].day == SR_DAY_NONE ? it[hi].day != SR_DAY_NONE
                                          : (it[hi].day - it[lo].day) > (w1 > w2 ? w1 : w2))
                break;
            hi++;
        }
        if ((st = make_fact(in, it, lo, hi, a, &f[nf])))
            goto done;
        nf++;
        lo = hi;
    }
    if (nf)
        qsort(f, nf, sizeof *f, cmp_fact);

    /* Contradictions, within a place and a year (the widest window). */
    for (size_t i = 0; i < nf; i++) {
        for (size_t j = i + 1; j < nf && !strcmp(f[j].place_key, f[i].place_key); j++) {
            if (f[i].day_first != SR_DAY_NONE && f[j].day_first - f[i].day_first > sr_fuse_window(SR_PREC_YEAR))
                break;
            if (!*f[i].place_key || !contradicts(in, &f[i], &f[j]))
                continue;
            if (npairs == cpairs) {
                size_t nc = cpairs ? 2 * cpairs : 16;
                void *p = sr_realloc(pairs, nc * sizeof *pairs);
                if (!p) {
                    st = SR_ENOMEM;
                    goto done;
                }
                pairs = p, cpairs = nc;
            }
            pairs[npairs][0] = (uint32_t)i, pairs[npairs][1] = (uint32_t)j;
            npairs++;
            f[i].nconflicts++, f[j].nconflicts++;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (!f[i].nconflicts)
            continue;
        if (!(f[i].conflicts = sr_arena_alloc(a, f[i].nconflicts * sizeof *f[i].conflicts))) {
            st = SR_ENOMEM;
            goto done;
        }
        f[i].contested = 1;
        f[i].nconflicts = 0;
    }
    for (size_t k = 0; k < npairs; k++) {
        sr_fact *x = &f[pairs[k][0]], *y = &f[pairs[k][1]];
        x->conflicts[x->nconflicts++] = pairs[k][1];
        y->conflicts[y->nconflicts++] = pairs[k][0];
    }
    *out = f;
    *nout = nf;
done:
    sr_free(it);
    sr_free(pairs);
    return st;
}
