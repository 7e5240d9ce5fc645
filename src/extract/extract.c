/* extract.c — the per-document pipeline: clean, text model, places, actors
 * (with coreference), rule matching, modality, dates, and the merging of
 * records into one per fact.
 *
 * Two passes over the sentences: the first finds the explicit actors and the
 * country words (the context coreference needs: who "the militants" are is
 * known only once the document's groups are counted); the second resolves
 * generic mentions, matches the rules and builds records.  Records are then
 * merged per (type, holder, place, modality) with every supporting sentence
 * kept, states superseded by a change of the same place are dropped, and a
 * fact both asserted and negated in one document is marked contradicted. */
#include "extract/extract.h"
#include "extract/xint.h"
#include "clean/clean.h"
#include "core/mem.h"
#include "resolve/coref.h"
#include "resolve/resolve.h"
#include "core/swar.h"

#if SR_SSE2
#include <emmintrin.h>
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sr_extractor {
    x_lex lex;
    x_actors *actors;
    x_rules *rules;
    sr_gaz *gaz;
    sr_coref_ids ids;
    uint32_t w_syria[6], w_iraq[6];     /* words that point at each country */
    uint32_t *w_country;                /* id -> 1 for a Syria word, 1 << 16 for an Iraq word, 0 else: XLEX_MAX
                                           entries (a word's id is 16 bits: no bound test; the pages of ids
                                           above the lexicon's are never touched) */
    uint32_t w_backed, w_supported, w_by, w_comma, w_lparen, w_rparen, w_and, w_its, w_allies, w_with;
    uint32_t w_including, w_from, w_of, w_the, w_town, w_city, w_village, w_to, w_that, w_allied, w_in;
    const x_actor *act;                 /* the dictionary's actors when x_actor_at lays them out as one
                                           array (checked at open), so that actor_of makes no call; NULL else */
    unsigned char *coref_cls;           /* actor -> sr_coref_class of its group (or id), made at open */
    unsigned char *amark;               /* actor + 1 -> AM_* (entry 0: no actor), made at open: pass 1
                                           counts its mentions without a branch per mention */
    /* the first and last words of the classes find_actors and find_places
     * ask about per word, asked at the first need (a look-up costs 100 to
     * 600 instructions; the answers stand while the lexicon does not grow,
     * and it grows only while the extractor opens) */
    x_class_bits site_b, pre_b, post_b;    /* @site_noun, @actor_pre, @actor_post */
    x_class_bits np_b;                     /* @not_place */
    int am_asked, np_asked;
    char theatre[64][3];                /* countries of the dictionary's actors */
    int ntheatre;
};

/* What the passes ask of an explicit actor's mention, a byte per actor made
 * at open: a non-state armed group, jihadist or not (what "the group" may
 * stand for; no generic class), a jihadist one ("the militants"), a Syrian or
 * an Iraqi side (the country a sentence is about), a monitor ("the group
 * said"). */
enum { AM_NSAG = 1, AM_SY = 2, AM_IQ = 4, AM_JIHAD = 8, AM_MONITOR = 16 };

static uint32_t lexw(sr_extractor *x, const char *s) { return x_lex_id(&x->lex, s, strlen(s), 1); }

/* Is country code cc one of the theatre's (the first byte compared inline:
 * asked for mentions of every document) */
static int in_theatre(const sr_extractor *x, const char *cc)
{
    for (int k = 0; k < x->ntheatre; k++)
        if (x->theatre[k][0] == cc[0] && !strcmp(x->theatre[k], cc))
            return 1;
    return 0;
}

sr_status sr_extractor_open(sr_extractor **out, const char *data_dir, sr_ctx *ctx)
{
    *out = NULL;
    /* default: the readable data beside the executable (build/../data), else ./data */
    char dflt[4096];
    int explicit_dir = data_dir != NULL;
    if (!data_dir) {
        data_dir = "data";
        ssize_t n = readlink("/proc/self/exe", dflt, sizeof dflt - 32);
        if (n > 0) {
            dflt[n] = '\0';
            char *slash = strrchr(dflt, '/');
            if (slash) {
                strcpy(slash, "/../data/actors.tsv");
                if (!access(dflt, R_OK)) {
                    slash[sizeof "/../data" - 1] = '\0';
                    data_dir = dflt;
                }
            }
        }
    }
    sr_extractor *x = sr_calloc(1, sizeof *x);
    if (!x)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    x_lex_init(&x->lex);
    char path[4096 + 64];
    snprintf(path, sizeof path, "%s/actors.tsv", data_dir);
    sr_status st = x_actors_load(&x->actors, path, &x->lex, ctx);
    if (!st) {
        snprintf(path, sizeof path, "%s/rules", data_dir);
        st = x_rules_load(&x->rules, path, &x->lex, ctx);
    }
    if (st) {
        sr_extractor_close(x);
        return st;
    }
    size_t nact = x_actors_count(x->actors);
    x->act = nact ? x_actor_at(x->actors, 0) : NULL;
    for (size_t i = 1; x->act && i < nact; i++)
        if (x_actor_at(x->actors, i) != x->act + i)
            x->act = NULL;
    x->coref_cls = sr_calloc(nact + 1, 1);
    x->amark = sr_calloc(nact + 1, 1);
    if (!x->coref_cls || !x->amark) {
        sr_extractor_close(x);
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nact; i++) {
        const x_actor *a = x_actor_at(x->actors, i);
        x->coref_cls[i] = (unsigned char)sr_coref_class(a->group ? a->group : a->id);
        x->amark[i + 1] = (unsigned char)(((a->bits & (XA_NSAG | XA_JIHADIST)) && a->id[0] != '?' ? AM_NSAG : 0) |
                                          ((a->bits & XA_SY) && a->group ? AM_SY : 0) | (a->bits & XA_IQ ? AM_IQ : 0) |
                                          ((a->bits & XA_JIHADIST) && a->id[0] != '?' ? AM_JIHAD : 0) |
                                          (a->bits & XA_MONITOR ? AM_MONITOR : 0));
    }
    /* the theatre: every country an actor of the dictionary belongs to */
    for (size_t i = 0; i < x_actors_count(x->actors); i++) {
        const char *cc = x_actor_at(x->actors, i)->country;
        if (cc && strlen(cc) == 2 && !in_theatre(x, cc) && x->ntheatre < 64)
            memcpy(x->theatre[x->ntheatre++], cc, 3);
    }
    x->ids.syria_gov = x_actor_find(x->actors, "SYRIA_GOV");
    x->ids.iraq_gov = x_actor_find(x->actors, "IRAQ_GOV");
    x->ids.sdf = x_actor_find(x->actors, "SDF");
    x->ids.peshmerga = x_actor_find(x->actors, "PESHMERGA");
    const char *sy[] = {"syria", "syrian", "damascus", "aleppo", "syrias", "homs"};
    const char *iq[] = {"iraq", "iraqi", "baghdad", "mosul", "iraqs", "anbar"};
    for (int i = 0; i < 6; i++)
        x->w_syria[i] = lexw(x, sy[i]), x->w_iraq[i] = lexw(x, iq[i]);
    /* (id 0, unknown or a word the lexicon could not take, stays 0) */
    x->w_country = sr_calloc(XLEX_MAX, sizeof *x->w_country);
    if (!x->w_country) {
        sr_extractor_close(x);
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    }
    for (int i = 0; i < 6; i++) {
        x->w_country[x->w_syria[i]] = 1;
        x->w_country[x->w_iraq[i]] = 1u << 16;
    }
    x->w_country[0] = 0;
    x->w_backed = lexw(x, "backed"), x->w_supported = lexw(x, "supported"), x->w_by = lexw(x, "by");
    x->w_comma = lexw(x, ","), x->w_lparen = lexw(x, "("), x->w_rparen = lexw(x, ")"), x->w_and = lexw(x, "and");
    x->w_its = lexw(x, "its"), x->w_allies = lexw(x, "allies"), x->w_with = lexw(x, "with");
    x->w_including = lexw(x, "including"), x->w_from = lexw(x, "from"), x->w_of = lexw(x, "of");
    x->w_the = lexw(x, "the"), x->w_town = lexw(x, "town"), x->w_city = lexw(x, "city");
    x->w_village = lexw(x, "village"), x->w_to = lexw(x, "to"), x->w_that = lexw(x, "that");
    x->w_allied = lexw(x, "allied"), x->w_in = lexw(x, "in");
    /* the gazetteer is optional: without it places keep their words only */
    if (explicit_dir)
        snprintf(path, sizeof path, "%s/compiled/gazetteer.img", data_dir);
    else
        sr_gaz_default_path(path, sizeof path);
    sr_status gst = sr_gaz_open(&x->gaz, path, ctx);
    if (gst) {
        /* a missing image is allowed; one that is there but cannot be used
         * (an older version, damaged) is said, or places would quietly
         * lose their coordinates */
        char why[sizeof ctx->msg];
        snprintf(why, sizeof why, "%s", ctx->msg);
        x->gaz = NULL;
        sr_ctx_clear(ctx);
        if (gst != SR_ENOTFOUND)
            sr_ctx_warn(ctx, "%s; places go without coordinates", why);
    }
    *out = x;
    return SR_OK;
}

void sr_extractor_close(sr_extractor *x)
{
    if (!x)
        return;
    x_actors_free(x->actors);
    x_rules_free(x->rules);
    sr_gaz_close(x->gaz);
    x_lex_finish(&x->lex);
    sr_free(x->w_country);
    sr_free(x->coref_cls);
    sr_free(x->amark);
    sr_free(x);
}

/* ---- per-sentence analysis ------------------------------------------------ */

typedef struct sinfo {
    xw *w;
    size_t n;
    x_amention *am;
    size_t nam;
    x_place *pl;
    size_t npl;
    int sy, iq;             /* country words in the sentence */
    int may;                /* some rule may match (x_rules_may_match): places looked for, rules tried */
} sinfo;

typedef struct dctx {
    sr_extractor *x;
    sr_doc *doc;
    sr_arena *a;
    sr_ctx *ctx;
    sr_doc_result *res;
    sinfo *si;
    sr_ymd ref;
    int have_ref;
    int year;               /* no publication date: the year last written out in the text, 0 when none */
    size_t ysent;           /* ... as of the sentences before this one (read on demand: see date_of) */
    int doc_sy, doc_iq;
    sr_coref_seen seen;     /* groups named so far (coreference) */
    /* records under construction */
    sr_event *ev;
    size_t nev, capev;
    char **evkey;
    /* the dates of the sentence scanned last, against reference dref:
     * several matches of one sentence (and sent_year) ask for the same */
    size_t ccur, pcur;      /* the first mention count_country, find_places may want (see there) */
    long dsi;               /* its sentence, -1 = none yet */
    sr_ymd dref;
    size_t dn;
    sr_datex dx[8];
} dctx;

/* The date expressions of sentence si read against ref (remembered). */
static size_t sent_dates(dctx *d, size_t si, sr_ymd ref, sr_datex *out)
{
    if (d->dsi != (long)si || sr_ymd_days(d->dref) != sr_ymd_days(ref)) {
        const sr_sent *se = &d->res->tm.sent[si];
        d->dn = sr_dates_scan(d->doc->text, d->res->tm.tok, se->tok, se->tok + se->ntok, ref, d->dx, 8);
        d->dsi = (long)si, d->dref = ref;
    }
    memcpy(out, d->dx, d->dn * sizeof *out);
    return d->dn;
}

static const x_actor *actor_of(const dctx *d, int i)
{
    return i < 0 ? NULL : d->x->act ? d->x->act + i : x_actor_at(d->x->actors, (size_t)i);
}

static int class_len(const sr_extractor *x, const char *cls, const xw *w, size_t n, size_t i)
{
    size_t l;
    return x_rules_in_class(x->rules, cls, w, n, i, &l) ? (int)l : 0;
}

static int push_am(dctx *d, sinfo *s, size_t *cap, x_amention m)
{
    /* (the room tested here, as in push_pl: a call per mention otherwise) */
    if (s->nam >= *cap && sr_arena_grow(d->a, (void **)&s->am, cap, s->nam, sizeof *s->am, 8))
        return -1;
    s->am[s->nam++] = m;
    return 0;
}

/* Actor mentions of one sentence: dictionary aliases, widened over their
 * determiners and head nouns ("the", "militants"), "backed by X" folded in. */
static int find_actors(dctx *d, sinfo *s)
{
    sr_extractor *x = d->x;
    size_t cap = 0;
    s->am = NULL, s->nam = 0;
    /* where an alias may begin, as bits: the few set bits are visited */
    size_t nb = (s->n + 63) / 64;
    uint64_t begin64[8], *begin = nb <= 8 ? begin64 : sr_arena_alloc(d->a, nb * sizeof *begin);
    if (!begin)
        return -1;
    x_actor_begins(x->actors, s->w, s->n, begin);
    for (size_t i = x_next_bit(begin, nb, 0, s->n); i < s->n;) {
        int a;
        size_t len = x_actor_match(x->actors, s->w, s->n, i, &a);
        /* a longer name starting inside this one wins: "the Army of
         * Conquest" is not "the army" */
        for (size_t j = i + 1; len && j < i + len; j++) {
            int b;
            if (!(begin[j >> 6] >> (j & 63) & 1))
                continue;
            size_t l2 = x_actor_match(x->actors, s->w, s->n, j, &b);
            if (l2 && j + l2 > i + len)
                len = 0;
        }
        if (!len) {
            i = x_next_bit(begin, nb, i + 1, s->n);
            continue;
        }
        /* "U.S.-backed fighters": the name before "-backed" is the backer,
         * not the actor (the head noun after it is) */
        if (i + len + 1 < s->n && (s->w[i + len].flags & XW_PUNCT) && d->doc->text[s->w[i + len].start] == '-' &&
            (s->w[i + len + 1].id == x->w_backed || s->w[i + len + 1].id == x->w_supported)) {
            i = x_next_bit(begin, nb, i + len, s->n);
            continue;
        }
        const x_actor *ac = actor_of(d, a);
        x_amention m = {(uint32_t)i, (uint32_t)(i + len), a, -1, -1, 0};
        if (ac->bits & XA_GENERIC)
            m.generic = a, m.actor = -1;
        if (push_am(d, s, &cap, m))
            return -1;
        i = x_next_bit(begin, nb, i + len, s->n);
    }
    if (!s->nam)
        return 0;
    /* the classes asked about below, per word: their first and last words
     * as bits turn most words away here, without a call */
    if (!x->am_asked) {
        x_rules_class_bits(x->rules, "site_noun", &x->site_b);
        x_rules_class_bits(x->rules, "actor_pre", &x->pre_b);
        x_rules_class_bits(x->rules, "actor_post", &x->post_b);
        x->am_asked = 1;
    }
    const x_class_bits site_b = x->site_b, pre_b = x->pre_b, post_b = x->post_b;
    /* "military airport", "army base": a generic word that names a site;
     * "the Naqshbandi Army", "Mahdi Army": a generic word closing the name
     * of a group the dictionary lacks (a capitalised word before it, not
     * the first of the sentence, not an actor modifier like "Syrian") */
    size_t kept = 0;
    for (size_t k = 0; k < s->nam; k++) {
        x_amention *m = &s->am[k];
        if (m->generic >= 0 && x_class_may_begin(&site_b, s->w, s->n, m->w1) &&
            class_len(x, "site_noun", s->w, s->n, m->w1) > 0)
            continue;
        if (m->generic >= 0 && m->w0 > 0 && (s->w[m->w0].flags & XW_CAP)) {
            const xw *p = &s->w[m->w0 - 1];
            if ((p->flags & XW_CAP) && !(p->flags & (XW_SENT0 | XW_PUNCT)) &&
                (!x_class_may_end(&pre_b, p->id) || !x_rules_class_ends(x->rules, "actor_pre", p->id) ||
                 class_len(x, "actor_pre", s->w, m->w0, m->w0 - 1) <= 0) &&
                (k == 0 || s->am[k - 1].w1 < m->w0))
                continue;
        }
        s->am[kept++] = *m;
    }
    s->nam = kept;
    /* widen */
    for (size_t k = 0; k < s->nam; k++) {
        x_amention *m = &s->am[k];
        size_t lo = k ? s->am[k - 1].w1 : 0;
        for (int guard = 0; guard < 4; guard++) {
            int moved = 0;
            /* a modifier ends right before the mention: none when the
             * word there ends no @actor_pre (most words) */
            int ends = m->w0 > 0 && x_class_may_end(&pre_b, s->w[m->w0 - 1].id) &&
                       x_rules_class_ends(x->rules, "actor_pre", s->w[m->w0 - 1].id);
            for (size_t p = m->w0 > 4 ? m->w0 - 4 : 0; ends && p < m->w0; p++) {
                if (p < lo || !x_class_may_begin(&pre_b, s->w, m->w0, p))
                    continue;
                if (class_len(x, "actor_pre", s->w, m->w0, p) == (int)(m->w0 - p)) {
                    m->w0 = (uint32_t)p;
                    moved = 1;
                    break;
                }
            }
            if (!moved)
                break;
        }
        /* "(SDF)": an abbreviation in brackets (before the head noun: "the Islamic State (IS) group") */
        if (k + 1 < s->nam && m->w1 < s->n && s->w[m->w1].id == x->w_lparen && s->am[k + 1].w0 == m->w1 + 1 &&
            s->am[k + 1].w1 < s->n && s->w[s->am[k + 1].w1].id == x->w_rparen) {
            if (m->actor < 0 && m->generic < 0)
                m->actor = s->am[k + 1].actor;
            m->w1 = s->am[k + 1].w1 + 1;
            memmove(&s->am[k + 1], &s->am[k + 2], (s->nam - k - 2) * sizeof *s->am);
            s->nam--;
        }
        for (int guard = 0; guard < 3; guard++) {
            /* a generic head noun right after a name is part of it ("Islamic State militants") */
            int gen_next = k + 1 < s->nam && s->am[k + 1].generic >= 0 && m->generic < 0;
            size_t hi = k + 1 < s->nam ? (gen_next ? s->am[k + 1].w1 : s->am[k + 1].w0) : s->n;
            int l = x_class_may_begin(&post_b, s->w, hi, m->w1) ? class_len(x, "actor_post", s->w, hi, m->w1) : 0;
            if (l <= 0)
                break;
            m->w1 += (uint32_t)l;
            while (k + 1 < s->nam && s->am[k + 1].w0 < m->w1) {
                if (s->am[k + 1].w1 > m->w1)
                    m->w1 = s->am[k + 1].w1;
                memmove(&s->am[k + 1], &s->am[k + 2], (s->nam - k - 2) * sizeof *s->am);
                s->nam--;
            }
        }
    }
    /* The four passes below join a mention with what follows it: ",
     * backed by", "supported by", "and allied", "including".  One pass
     * finds whether any mention is followed by such a word (most sentences
     * have none); a pass that joins may make new neighbours, so the passes
     * after it run whatever the first look said. */
    int join_b = 0, join_a = 0, join_i = 0;
    for (size_t k = 0; k < s->nam; k++) {
        size_t p = s->am[k].w1;
        if (p >= s->n)
            continue;
        join_a |= s->w[p].id == x->w_and;
        p += s->w[p].id == x->w_comma;
        uint32_t id = p < s->n ? s->w[p].id : 0;
        join_b |= id == x->w_backed || id == x->w_supported;
        join_i |= id == x->w_including;
    }
    if (join_b)
        join_a = join_i = 1;
    if (join_a)
        join_i = 1;
    /* ", backed by X," / "supported by X": X backs the mention before */
    for (size_t k = 0; join_b && k + 1 < s->nam; k++) {
        x_amention *m = &s->am[k], *nx = &s->am[k + 1];
        size_t p = m->w1;
        if (p < s->n && s->w[p].id == x->w_comma)
            p++;
        /* "backed by X" or "backed by air strikes from X" (a few words between) */
        if (p + 1 < s->n && (s->w[p].id == x->w_backed || s->w[p].id == x->w_supported) &&
            s->w[p + 1].id == x->w_by && nx->w0 >= p + 2 && nx->w0 <= p + 6) {
            m->backed_by = nx->actor >= 0 ? nx->actor : nx->generic;
            m->w1 = nx->w1;
            if (m->w1 < s->n && s->w[m->w1].id == x->w_comma && p > m->w1 - 1)
                m->w1++;
            memmove(&s->am[k + 1], &s->am[k + 2], (s->nam - k - 2) * sizeof *s->am);
            s->nam--;
            k--;
        }
    }
    /* "Syrian troops, backed by Russian airstrikes, ...": a backing that
     * names no actor still belongs to the mention (up to the next comma) */
    for (size_t k = 0; join_b && k < s->nam; k++) {
        x_amention *m = &s->am[k];
        size_t p = m->w1;
        if (p < s->n && s->w[p].id == x->w_comma)
            p++;
        if (!(p + 1 < s->n && (s->w[p].id == x->w_backed || s->w[p].id == x->w_supported) && s->w[p + 1].id == x->w_by))
            continue;
        size_t q = p + 2, lim = p + 8 < s->n ? p + 8 : s->n;
        while (q < lim && s->w[q].id != x->w_comma && !(k + 1 < s->nam && s->am[k + 1].w0 == q))
            q++;
        if (q < lim && s->w[q].id == x->w_comma && m->w1 < p)
            m->w1 = (uint32_t)(q + 1);
    }
    /* "Turkish troops and allied Syrian rebels": the allies belong to the
     * mention before, which stays the head */
    for (size_t k = 0; join_a && k + 1 < s->nam; k++) {
        x_amention *m = &s->am[k], *nx = &s->am[k + 1];
        if (m->w1 < s->n && s->w[m->w1].id == x->w_and && nx->w0 == m->w1 + 1 && s->w[nx->w0].id == x->w_allied) {
            m->w1 = nx->w1;
            memmove(&s->am[k + 1], &s->am[k + 2], (s->nam - k - 2) * sizeof *s->am);
            s->nam--;
        }
    }
    /* "rebel forces including fighters from Al-Nusra Front": the members
     * named after "including" belong to the mention before; it stays the
     * head (and the subject the rules see) */
    for (size_t k = 0; join_i && k + 1 < s->nam; k++) {
        x_amention *m = &s->am[k];
        size_t p = m->w1;
        if (p < s->n && s->w[p].id == x->w_comma)
            p++;
        if (p >= s->n || s->w[p].id != x->w_including)
            continue;
        p++;
        for (int guard = 0; guard < 3 && p < s->am[k + 1].w0; guard++) {
            int l = x_class_may_begin(&post_b, s->w, s->am[k + 1].w0, p)
                        ? class_len(x, "actor_post", s->w, s->am[k + 1].w0, p)
                        : 0;
            if (l > 0)
                p += (size_t)l;
            else if (s->w[p].id == x->w_from || s->w[p].id == x->w_of)
                p++;
            else
                break;
        }
        if (s->am[k + 1].w0 != p)
            continue;
        /* the included mention and any in apposition right after it */
        size_t e = k + 1;
        while (e + 1 < s->nam && s->am[e + 1].w0 == s->am[e].w1)
            e++;
        m->w1 = s->am[e].w1;
        memmove(&s->am[k + 1], &s->am[e + 1], (s->nam - e - 1) * sizeof *s->am);
        s->nam -= e - k;
    }
    return 0;
}

static int trusted_walk(const dctx *d, int mi);

static int push_pl(dctx *d, sinfo *s, size_t *cap, x_place p)
{
    /* (the room tested here: a call per place otherwise) */
    if (s->npl >= *cap && sr_arena_grow(d->a, (void **)&s->pl, cap, s->npl, sizeof *s->pl, 8))
        return -1;
    s->pl[s->npl++] = p;
    return 0;
}

/* The lower-case Arabic article forms that join place names ("Deir ez-Zor",
 * "Ras al-Ain", "al-Masasneh"): 1 for those that are also English words
 * ("as", "at", "an": only when hyphen-joined), 2 for the others. */
static int arabic_article(const char *t, size_t n)
{
    static const char *const art[] = {"as", "at", "an", "al", "el", "ad", "ar", "az", "ez", "ash", "ul", NULL};
    if (n < 2 || n > 3)
        return 0; /* asked of every word of every sentence: no list walk for the rest */
    for (int k = 0; art[k]; k++)
        if (strlen(art[k]) == n && !memcmp(t, art[k], n))
            return k < 3 ? 1 : 2;
    return 0;
}

/* A resolved mention the records may use: its country is spoken of (the
 * theatre, or another entry of that country among the document's
 * mentions), and it was not matched only by a loose consonant skeleton with
 * low confidence ("Kherbat" read as "Uqayribat").  The other entry is the
 * geoparser's answer (SR_MF_COUNTRY_SHARED), not country_seen's walk over
 * every mention asked again for each one; a country that is no two
 * capitals is left to that walk. */
static int mention_trusted(const dctx *d, int mi)
{
    const sr_mention *m = &d->res->mentions[mi];
    const char *cc = m->place.country;
    if ((cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2]) && !(m->flags & SR_MF_COUNTRY_SHARED))
        return trusted_walk(d, mi);   /* (no such code: the walk as it is) */
    if ((m->flags & SR_MF_SKELETON) && m->score < 0.5f)
        return 0;
    return (m->flags & SR_MF_COUNTRY_SHARED) || in_theatre(d->x, cc);
}

/* Places of one sentence: the geoparser's mentions, plus runs of capitalised
 * words it did not resolve (small villages, bases), outside actor mentions. */
/* The words find_places' two loops visit, as bits of begin[] and the[]
 * ((n + 63) / 64 words each, all written): the words a capitalised run can
 * begin with (a capitalised word, or a word of two or three letters before
 * a hyphen and a glued capitalised word: "al-") and the "the" of "the
 * town".  Most words are neither, and which are follows no pattern: no
 * branch per word.  With SSE2 four word records are read a step and turned
 * into columns (length; id; flags), each test a compare of four lanes, its
 * answer four bits (a third of the instructions of a word-by-word pass);
 * the bits of the word after and the one after that are the masks shifted. */
static void place_marks(const xw *w, size_t n, uint32_t w_the, uint64_t *begin, uint64_t *the)
{
    size_t nb = (n + 63) / 64;
    uint64_t pcap = 0, pshrt = 0, ppun = 0, pgc = 0;   /* the chunk before */
    for (size_t k = 0; k < nb; k++) {
        uint64_t cap = 0, pun = 0, gc = 0, shrt = 0, th = 0;
        size_t i = k * 64, end = n - i < 64 ? n : i + 64;
#if SR_SSE2
        const __m128i capm = _mm_set1_epi32((XW_CAP | XW_PUNCT) << 16), cap1 = _mm_set1_epi32(XW_CAP << 16);
        const __m128i punm = _mm_set1_epi32(XW_PUNCT << 16), gcm = _mm_set1_epi32((XW_GLUED | XW_CAP) << 16);
        const __m128i lenm = _mm_set1_epi32(~1), two = _mm_set1_epi32(2);
        const __m128i idm = _mm_set1_epi32(0xFFFF), thev = _mm_set1_epi32((int)w_the);
        /* eight records a step: the two groups' columns packed into eight
         * 16-bit lanes (flags, length saturated: only 2 and 3 are asked,
         * the id's low half), each test's answer a byte a word, two tests
         * to one movemask */
        const __m128i cap16m = _mm_set1_epi16(XW_CAP | XW_PUNCT), cap16 = _mm_set1_epi16(XW_CAP);
        const __m128i pun16 = _mm_set1_epi16(XW_PUNCT), gc16 = _mm_set1_epi16(XW_GLUED | XW_CAP);
        const __m128i len16m = _mm_set1_epi16(~1), two16 = _mm_set1_epi16(2), the16 = _mm_set1_epi16((short)w_the);
        for (; i + 8 <= end; i += 8) {
            const __m128i *r = (const __m128i *)&w[i];
            __m128i a0 = _mm_loadu_si128(r), a1 = _mm_loadu_si128(r + 1), a2 = _mm_loadu_si128(r + 2);
            __m128i a3 = _mm_loadu_si128(r + 3), a4 = _mm_loadu_si128(r + 4), a5 = _mm_loadu_si128(r + 5);
            __m128i a6 = _mm_loadu_si128(r + 6), a7 = _mm_loadu_si128(r + 7);
            __m128i t0 = _mm_unpacklo_epi32(a0, a1), t1 = _mm_unpacklo_epi32(a2, a3);
            __m128i t2 = _mm_unpackhi_epi32(a0, a1), t3 = _mm_unpackhi_epi32(a2, a3);
            __m128i u0 = _mm_unpacklo_epi32(a4, a5), u1 = _mm_unpacklo_epi32(a6, a7);
            __m128i u2 = _mm_unpackhi_epi32(a4, a5), u3 = _mm_unpackhi_epi32(a6, a7);
            __m128i len = _mm_packs_epi32(_mm_unpackhi_epi64(t0, t1), _mm_unpackhi_epi64(u0, u1));
            __m128i id = _mm_packs_epi32(_mm_srai_epi32(_mm_slli_epi32(_mm_unpacklo_epi64(t2, t3), 16), 16),
                                         _mm_srai_epi32(_mm_slli_epi32(_mm_unpacklo_epi64(u2, u3), 16), 16));
            __m128i fl = _mm_packs_epi32(_mm_srli_epi32(_mm_unpackhi_epi64(t2, t3), 16),
                                         _mm_srli_epi32(_mm_unpackhi_epi64(u2, u3), 16));
            unsigned m1 = (unsigned)_mm_movemask_epi8(
                _mm_packs_epi16(_mm_cmpeq_epi16(_mm_and_si128(fl, cap16m), cap16),
                                _mm_cmpeq_epi16(_mm_and_si128(fl, pun16), pun16)));
            unsigned m2 = (unsigned)_mm_movemask_epi8(
                _mm_packs_epi16(_mm_cmpeq_epi16(_mm_and_si128(fl, gc16), gc16),
                                _mm_cmpeq_epi16(_mm_and_si128(len, len16m), two16)));
            __m128i th16 = _mm_cmpeq_epi16(id, the16);
            unsigned m3 = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(th16, th16)) & 0xFF;
            unsigned sh = (unsigned)(i & 63);
            cap |= (uint64_t)(m1 & 0xFF) << sh, pun |= (uint64_t)(m1 >> 8) << sh;
            gc |= (uint64_t)(m2 & 0xFF) << sh, shrt |= (uint64_t)(m2 >> 8) << sh;
            th |= (uint64_t)m3 << sh;
        }
        for (; i + 4 <= end; i += 4) {
            /* a record's 32-bit lanes: start, len, id | cid << 16, sid | flags << 16 */
            __m128i a0 = _mm_loadu_si128((const __m128i *)&w[i]), a1 = _mm_loadu_si128((const __m128i *)&w[i + 1]);
            __m128i a2 = _mm_loadu_si128((const __m128i *)&w[i + 2]), a3 = _mm_loadu_si128((const __m128i *)&w[i + 3]);
            __m128i t0 = _mm_unpacklo_epi32(a0, a1), t1 = _mm_unpacklo_epi32(a2, a3);
            __m128i t2 = _mm_unpackhi_epi32(a0, a1), t3 = _mm_unpackhi_epi32(a2, a3);
            __m128i len = _mm_unpackhi_epi64(t0, t1), id = _mm_unpacklo_epi64(t2, t3), fl = _mm_unpackhi_epi64(t2, t3);
            unsigned sh = (unsigned)(i & 63);
            cap |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(fl, capm), cap1))) << sh;
            pun |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(fl, punm), punm))) << sh;
            gc |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(fl, gcm), gcm))) << sh;
            shrt |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(len, lenm), two))) << sh;
            th |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(id, idm), thev))) << sh;
        }
#endif
        for (; i < end; i++) {
            unsigned f = w[i].flags, sh = (unsigned)(i & 63);
            cap |= (uint64_t)((f & (XW_CAP | XW_PUNCT)) == XW_CAP) << sh;
            pun |= (uint64_t)((f & XW_PUNCT) != 0) << sh;
            gc |= (uint64_t)((f & (XW_GLUED | XW_CAP)) == (XW_GLUED | XW_CAP)) << sh;
            shrt |= (uint64_t)(w[i].len - 2u <= 1u) << sh;
            th |= (uint64_t)(w[i].id == w_the) << sh;
        }
        /* the chunk before is done now that the first two words of this
         * one are known: a short word, punctuation after it, a glued
         * capitalised word after that */
        if (k)
            begin[k - 1] = pcap | (pshrt & (ppun >> 1 | pun << 63) & (pgc >> 2 | gc << 62));
        pcap = cap, pshrt = shrt, ppun = pun, pgc = gc;
        the[k] = th;
    }
    if (nb)
        begin[nb - 1] = pcap | (pshrt & (ppun >> 1) & (pgc >> 2));
}

/* A word already in a place or an actor mention (used[i] != 0) begins no
 * run: its bit in begin[] is cleared before the run loop, which would
 * otherwise test it first (whether a candidate is inside a mention follows
 * no pattern).  With SSE2 sixteen marks a compare; used[] holds whole
 * groups of 16 up to n + 1. */
static void drop_used(uint64_t *begin, size_t nb, const unsigned char *used, size_t n)
{
#if SR_SSE2
    const __m128i zero = _mm_setzero_si128();
    for (size_t k = 0; k < nb; k++) {
        uint64_t keep = 0;
        for (size_t g = 0; g < 4 && k * 64 + g * 16 < n; g++) {
            __m128i u = _mm_loadu_si128((const __m128i *)(used + k * 64 + g * 16));
            keep |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(u, zero)) << (g * 16);
        }
        begin[k] &= keep;
    }
#else
    for (size_t i = x_next_bit(begin, nb, 0, n); i < n; i = x_next_bit(begin, nb, i + 1, n))
        if (used[i])
            begin[i >> 6] &= ~(1ull << (i & 63));
#endif
}

static int find_places(dctx *d, size_t si, sinfo *s)
{
    sr_extractor *x = d->x;
    const sr_sent *se = &d->res->tm.sent[si];
    size_t cap = 8;
    s->npl = 0;
    s->pl = sr_arena_alloc(d->a, cap * sizeof *s->pl);
    if (!s->pl)
        return -1;
    /* (one allocation: the two bit sets of words below, then the marks,
     * whole groups of 16: drop_used reads them sixteen at a time) */
    size_t nb = (s->n + 63) / 64, nused = (s->n + 1 + 15) & ~(size_t)15;
    uint64_t *begin = sr_arena_alloc(d->a, 2 * nb * sizeof *begin + nused), *the = begin + nb;
    if (!begin)
        return -1;
    unsigned char *used = (unsigned char *)(the + nb);
    memset(used, 0, nused);
    for (size_t k = 0; k < s->nam; k++)
        for (size_t i = s->am[k].w0; i < s->am[k].w1; i++)
            used[i] = 2;
    /* the mentions are ordered by start (places.h): begin at the first one
     * that starts in the sentence, stop after its end, instead of reading
     * every mention of the document for every sentence */
    /* (find_places is asked about sentences in order: the search goes on
     * from where the last one stopped, each mention passed once) */
    size_t lo = d->pcur;
    while (lo < d->res->nmentions && d->res->mentions[lo].start < se->start)
        lo++;
    size_t a = 0;   /* the first word that starts at or after the last mention's start */
    size_t mi = lo;
    for (; mi < d->res->nmentions && d->res->mentions[mi].start <= se->end; mi++) {
        const sr_mention *m = &d->res->mentions[mi];
        if (m->start < se->start || m->end > se->end)
            continue;
        /* the words inside the mention: from the first that starts in it to
         * the last that ends in it; words and mentions are both ordered by
         * start, so the first is found by walking on from the last one's
         * (a few words, no binary search's unpredictable branches) */
        size_t w0 = s->n, w1 = 0;
        while (a + 8 <= s->n && s->w[a + 7].start < m->start)
            a += 8;   /* (eight words a step first: mentions lie a dozen words apart) */
        while (a < s->n && s->w[a].start < m->start)
            a++;
        for (size_t i = a; i < s->n && s->w[i].start <= m->end; i++) {
            if (s->w[i].start + s->w[i].len <= m->end) {
                if (w0 == s->n)
                    w0 = i;
                w1 = i + 1;
            }
        }
        /* a homonym far away or a weak skeleton match: leave the words to
         * the capitalised-run pass below, which keeps the whole name */
        /* (the common answer inline: another entry of its country, no loose
         * skeleton match; mention_trusted for the rest) */
        if (w0 >= w1 || ((m->flags & (SR_MF_COUNTRY_SHARED | SR_MF_SKELETON)) != SR_MF_COUNTRY_SHARED &&
                         !mention_trusted(d, (int)mi)))
            continue;
        int clash = 0;
        for (size_t i = w0; i < w1; i++)
            clash |= used[i];
        if (clash)
            continue;
        for (size_t i = w0; i < w1; i++)
            used[i] = 1;
        /* a whole country is never the place a side takes or holds ("IS-held
         * territory in Syria", "strongholds in Iraq"): keep its words out of
         * the slots so the rule looks for the town instead */
        if (!strncmp(m->place.fcode, "PCL", 3))
            continue;
        if (push_pl(d, s, &cap, (x_place){(uint32_t)w0, (uint32_t)w1, (int)mi}))
            return -1;
    }
    d->pcur = mi;
    /* the two loops below visit few words (place_marks) */
    place_marks(s->w, s->n, x->w_the, begin, the);
    /* "the town" / "the city" / "the village" (not "the town of X"): the
     * last town the report named, at most three sentences back */
    for (size_t i = x_next_bit(the, nb, 0, s->n); i + 1 < s->n; i = x_next_bit(the, nb, i + 1, s->n)) {
        uint32_t h = s->w[i + 1].id;
        if ((h != x->w_town && h != x->w_city && h != x->w_village) || used[i] || used[i + 1] ||
            (i + 2 < s->n && s->w[i + 2].id == x->w_of))
            continue;
        /* "the city" prefers a capital (PPLA*, PPLC) to a village */
        int ante = -1;
        /* the mentions that start before the phrase (ordered by start, never
         * empty: those after it end after it too) */
        size_t before = 0, bhi = d->res->nmentions;
        while (before < bhi) {
            size_t mid = before + (bhi - before) / 2;
            if (d->res->mentions[mid].start < s->w[i].start)
                before = mid + 1;
            else
                bhi = mid;
        }
        for (int pass = h == x->w_city ? 0 : 1; pass < 2 && ante < 0; pass++)
            for (size_t mi = before; mi-- > 0;) {
                const sr_mention *m = &d->res->mentions[mi];
                if (m->end > s->w[i].start)
                    continue;
                if (m->sent + 3 < si)
                    break;
                if (!strncmp(m->place.fcode, "PPL", 3) &&
                    (pass || m->place.fcode[3] == 'A' || m->place.fcode[3] == 'C') && mention_trusted(d, (int)mi)) {
                    ante = (int)mi;
                    break;
                }
            }
        if (ante < 0)
            continue;
        used[i] = used[i + 1] = 1;
        if (push_pl(d, s, &cap, (x_place){(uint32_t)i, (uint32_t)(i + 2), ante}))
            return -1;
    }
    /* capitalised runs: [al -] Cap (Cap | al - Cap | - word)*, from the
     * words marked above; @not_place's first words as bits turn most
     * capitalised words away inline, without a call */
    if (!x->np_asked)
        x_rules_class_bits(x->rules, "not_place", &x->np_b), x->np_asked = 1;
    const x_class_bits np_b = x->np_b;
    drop_used(begin, nb, used, s->n);
    for (size_t i = x_next_bit(begin, nb, 0, s->n), next; i < s->n; i = x_next_bit(begin, nb, next, s->n)) {
        next = i + 1;   /* (a run's end, past it) */
        const xw *w = &s->w[i];
        size_t l;
        /* "al-Masasneh": a lower-case article glued to a capitalised name
         * (a capitalised word is none: tested first, most candidates are) */
        int art = !(w->flags & XW_CAP) && !used[i] && i + 2 < s->n && !used[i + 2] && (s->w[i + 1].flags & XW_PUNCT) &&
                  d->doc->text[s->w[i + 1].start] == '-' && (s->w[i + 2].flags & XW_GLUED) &&
                  (s->w[i + 2].flags & XW_CAP) && arabic_article(d->doc->text + w->start, w->len);
        if (!art && (used[i] || !(w->flags & XW_CAP) || (w->flags & XW_PUNCT) ||
                     (x_class_may_begin(&np_b, s->w, s->n, i) &&
                      x_rules_in_class(x->rules, "not_place", s->w, s->n, i, &l))))
            continue;
        size_t j = art ? i + 3 : i + 1;
        while (j < s->n && !used[j]) {
            const xw *v = &s->w[j];
            if ((v->flags & XW_PUNCT) && v->len == 1 && d->doc->text[v->start] == '-' && j + 1 < s->n &&
                !used[j + 1] && (s->w[j + 1].flags & XW_GLUED)) {
                j += 2;
                continue;
            }
            if ((v->flags & XW_CAP) && !(v->flags & XW_PUNCT) &&
                !(x_class_may_begin(&np_b, s->w, s->n, j) &&
                  x_rules_in_class(x->rules, "not_place", s->w, s->n, j, &l))) {
                j++;
                continue;
            }
            /* al / el / ad joined by a hyphen or followed by a capital */
            if (j + 1 < s->n && !used[j + 1] && !(v->flags & XW_PUNCT) &&
                ((s->w[j + 1].flags & XW_GLUED) ||
                 ((s->w[j + 1].flags & XW_CAP) && arabic_article(d->doc->text + v->start, v->len) > 1)) &&
                arabic_article(d->doc->text + v->start, v->len)) {
                j++;
                continue;
            }
            break;
        }
        next = j;
        /* a sentence-initial single word is too often just a capitalised word
         * (tested first: such a run is no place whatever its neighbours) */
        if ((j == i + 1 && (w->flags & XW_SENT0)) || (w->flags & XW_UPPER && j == i + 1 && w->len <= 4))
            continue;
        /* a headline in title case ("Bombing Targets Civilians in ...") is
         * no place: skip runs whose neighbourhood is mostly capitalised */
        size_t lo = i > 6 ? i - 6 : 0, hi = j + 6 < s->n ? j + 6 : s->n, caps = 0, words = 0;
        for (size_t k = lo; k < hi; k++)
            if (!(s->w[k].flags & (XW_PUNCT | XW_NUM)) && !(s->w[k].flags & XW_GLUED))
                words++, caps += (s->w[k].flags & XW_CAP) != 0;
        if (words >= 8 && caps * 10 >= words * 7)
            continue;
        if (push_pl(d, s, &cap, (x_place){(uint32_t)i, (uint32_t)j, -1}))
            return -1;
    }
    /* keep them ordered by position */
    for (size_t a = 1; a < s->npl; a++)
        for (size_t b = a; b > 0 && s->pl[b - 1].w0 > s->pl[b].w0; b--) {
            x_place t = s->pl[b];
            s->pl[b] = s->pl[b - 1];
            s->pl[b - 1] = t;
        }
    return 0;
}

/* The country words and towns of sentence si (s->sy, s->iq), and its
 * explicit actors: Syrian and Iraqi sides counted there too, armed groups
 * in cnt (by actor + 1). */
static void count_country(dctx *d, size_t si, sinfo *s, int *cnt)
{
    sr_extractor *x = d->x;
    s->sy = s->iq = 0;
    /* the towns named: "Kurdish forces took Sinjar" is about Iraq */
    /* the mentions are ordered by start, so by sentence, and the sentences
     * come in order: the sentence's first mention is where the last
     * sentence's stopped (each mention passed once, no search) */
    size_t i = d->ccur;
    while (i < d->res->nmentions && d->res->mentions[i].sent < si)
        i++;
    for (; i < d->res->nmentions && d->res->mentions[i].sent == si; i++) {
        const sr_mention *m = &d->res->mentions[i];
        const char *fc = m->place.fcode, *cc = m->place.country;
        if ((m->flags & SR_MF_DEMONYM) || fc[0] != 'P' || fc[1] != 'P' || fc[2] != 'L' || m->score < 0.5f)
            continue;
        s->sy += cc[0] == 'S' && cc[1] == 'Y' && !cc[2];
        s->iq += cc[0] == 'I' && cc[1] == 'Q' && !cc[2];
    }
    d->ccur = i;
    /* the country words: a table by id adds 1 for Syria and 1 << 16 for
     * Iraq, so that a word costs a load and an add, with no branch (a
     * block of fewer than 65,536 words cannot carry into the other half) */
    const uint32_t *cw = x->w_country;
    const xw *w = s->w;   /* (locals: the counts' stores would make every bound reload) */
    size_t n = s->n;
    int sy = 0, iq = 0;
    for (size_t i = 0; i < n;) {
        size_t end = n - i > 65535 ? i + 65535 : n;
        uint32_t acc = 0;
        /* (four words a step: the loop's own test was a third of the cost) */
        for (; i + 4 <= end; i += 4)
            acc += cw[w[i].id] + cw[w[i + 1].id] + cw[w[i + 2].id] + cw[w[i + 3].id];
        for (; i < end; i++)
            acc += cw[w[i].id];
        sy += (int)(acc & 0xFFFF), iq += (int)(acc >> 16);
    }
    /* the actors: AM_* by actor + 1, no branch (a generic mention has
     * actor -1 here, entry 0, nothing to count) */
    const unsigned char *am = x->amark;
    for (size_t k = 0; k < s->nam; k++) {
        unsigned b = am[s->am[k].actor + 1];
        sy += (b & AM_SY) != 0;
        iq += (b & AM_IQ) != 0;
        cnt[s->am[k].actor + 1] += b & AM_NSAG;
    }
    s->sy += sy;
    s->iq += iq;
}


/* ---- records ------------------------------------------------------------------ */

static char *astr(dctx *d, const char *s, size_t n) { return sr_arena_strndup(d->a, s, n); }

static char *span_text(dctx *d, const sinfo *s, uint32_t w0, uint32_t w1)
{
    if (w0 >= w1)
        return NULL;
    uint32_t b = s->w[w0].start, e = s->w[w1 - 1].start + s->w[w1 - 1].len;
    return astr(d, d->doc->text + b, e - b);
}

static void fill_actor(dctx *d, const sinfo *s, const x_amention *m, int resolved, sr_actor_ref *r)
{
    memset(r, 0, sizeof *r);
    if (!m)
        return;
    r->text = span_text(d, s, m->w0, m->w1);
    const x_actor *a = actor_of(d, resolved);
    if (!a)
        return;
    r->id = a->id;
    r->name = a->name;
    r->group = a->group;
    r->kind = a->kind;
    r->backed_by = a->backed_by;
    const x_actor *b = actor_of(d, m->backed_by);
    if (b && b->id[0] != '?')
        r->backed_by = b->id;
}

/* Is country `cc` one the report may be about: a country of the theatre
 * (where the dictionary's actors belong), or one another place mention of
 * the document (`self` and its homonyms excluded) lies in?  A name resolved
 * to a town of a far country the report never mentions (a Syrian village
 * read as "Sabha, Libya") is more likely a gazetteer homonym than a fact.
 * Mentions of the same entry (`gid`) do not count. */
static int country_seen(const dctx *d, const char *cc, uint32_t gid)
{
    if (!cc[0])
        return 0;
    if (in_theatre(d->x, cc))
        return 1;
    for (size_t i = 0; i < d->res->nmentions; i++) {
        const sr_place_ref *p = &d->res->mentions[i].place;
        if (p->geonameid != gid && p->country[0] == cc[0] && !strcmp(p->country, cc))
            return 1;
    }
    return 0;
}

/* mention_trusted by the walk */
static int trusted_walk(const dctx *d, int mi)
{
    const sr_mention *m = &d->res->mentions[mi];
    if ((m->flags & SR_MF_SKELETON) && m->score < 0.5f)
        return 0;
    return country_seen(d, m->place.country, m->place.geonameid);
}

/* The entry a bare name the geoparser did not resolve stands for: among the
 * entries of that exact spelling in a country the story speaks of, a town
 * before a division ("Raqqa": the city, not its governorate), else the
 * gazetteer's first choice when its country is spoken of.  1 when found. */
static int gaz_pick(dctx *d, const char *name, sr_place_ref *out)
{
    sr_place_ref c[8];
    size_t n = sr_gaz_candidates(d->x->gaz, name, 0, c, 8);
    n = n > 8 ? 8 : n;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++)
            if ((pass || !strncmp(c[i].fcode, "PPL", 3)) && country_seen(d, c[i].country, c[i].geonameid)) {
                *out = c[i];
                return 1;
            }
    return !n && !sr_gaz_lookup(d->x->gaz, name, out) && country_seen(d, out->country, out->geonameid);
}

static void fill_place(dctx *d, const sinfo *s, const x_place *p, sr_place_ref *r)
{
    memset(r, 0, sizeof *r);
    r->lat = r->lon = NAN;
    r->text = span_text(d, s, p->w0, p->w1);
    if (!r->text)
        return;
    /* "in Raqqa." at the very end of a text: the tokenizer may keep the
     * full stop on the last word as if it were an abbreviation */
    size_t tl = strlen(r->text);
    if (tl > 3 && r->text[tl - 1] == '.' && r->text[tl - 2] >= 'a' && r->text[tl - 2] <= 'z')
        ((char *)r->text)[tl - 1] = '\0';
    r->name = r->text;
    if (p->mention >= 0) {
        const sr_mention *m = &d->res->mentions[p->mention];
        if (mention_trusted(d, p->mention)) {
            const char *t = r->text;
            *r = m->place;
            r->text = t;
            if (!r->name)
                r->name = r->text;
        }
        return;
    }
    if (!d->x->gaz)
        return;
    /* the gazetteer's exact name, else without an apostrophe-less
     * possessive ("Raqas provincial capital") */
    sr_place_ref g;
    int found = gaz_pick(d, r->text, &g);
    size_t n = strlen(r->text);
    if (!found && n > 4 && r->text[n - 1] == 's') {
        char *t = astr(d, r->text, n - 1);
        found = t && gaz_pick(d, t, &g);
    }
    if (found) {
        const char *t = r->text;
        *r = g;
        r->text = t;
    }
}

/* A place the gazetteer lacks takes the coordinates of the town named at
 * most 16 words after it in the same sentence ("Khatab town ... in Hamah
 * countryside", "Hafez and Muhassen in Deir Ezzor"), else of the last one
 * named in the two sentences before: villages are reported by the town or
 * province they lie in.  A town (PPL*) is preferred to a
 * province (ADM*), whose centroid can be far from its villages.  Returns
 * the container's name, or NULL when none. */
static int control_country_ok(const dctx *d, const x_actor *a, const x_actor *t, const char *cc);

/* A town place_near may borrow coordinates from: in Syria or Iraq when the
 * report speaks of them (a homonym abroad would carry the village there). */
static int near_ok(const dctx *d, const char *cc)
{
    return control_country_ok(d, NULL, NULL, cc);
}

static const char *place_near(dctx *d, size_t si, const sinfo *s, const x_place *p, sr_place_ref *r)
{
    if (!isnan(r->lat))
        return NULL;
    static const char *const kinds[] = {"PPL", "ADM"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < s->npl; i++) {
            const x_place *q = &s->pl[i];
            if (q->w0 < p->w1 || q->w0 > p->w1 + 16 || q->mention < 0)
                continue;
            const sr_mention *m = &d->res->mentions[q->mention];
            if (strncmp(m->place.fcode, kinds[k], 3) || isnan(m->place.lat) || !mention_trusted(d, q->mention) ||
                !near_ok(d, m->place.country))
                continue;
            r->lat = m->place.lat, r->lon = m->place.lon;
            memcpy(r->country, m->place.country, sizeof r->country);
            return m->place.name;
        }
    /* none after it: the town or province the report named last, in the
     * two sentences before ("a car bomb in Daraa province ... Among the
     * dead in the rebel-controlled town of Namar"): a report moves from
     * the region to its villages */
    /* (the mentions are ordered by sentence: the walk back starts at the
     * sentence's first, found by a search, not at the document's end) */
    size_t hi = 0, len = d->res->nmentions;
    if (len) {
        const sr_mention *base = d->res->mentions;
        for (; len > 1; len -= len / 2)
            base = base[len / 2].sent < si ? base + len / 2 : base;
        hi = (size_t)(base - d->res->mentions) + (base->sent < si);
    }
    for (size_t mi = hi; mi-- > 0;) {
        const sr_mention *m = &d->res->mentions[mi];
        if (m->sent + 2 < si)
            break;
        if ((strncmp(m->place.fcode, "PPL", 3) && strncmp(m->place.fcode, "ADM", 3)) || isnan(m->place.lat) ||
            !mention_trusted(d, (int)mi) || !near_ok(d, m->place.country))
            continue;
        r->lat = m->place.lat, r->lon = m->place.lon;
        memcpy(r->country, m->place.country, sizeof r->country);
        return m->place.name;
    }
    return NULL;
}

/* A facility named after a place ("the Shaar oilfield", "the Tabqa air
 * base", "the Deir ez-Zor military airport": a phrase of @facility_noun
 * right after the place; "the military airport of Deir ez-Zor": one of
 * @facility_before and a word of @facility_prep before it) is what was taken or held, not the town it is
 * named after: the record names the facility, drops the town's gazetteer
 * id (so that the store keeps the two apart) and keeps its coordinates;
 * for a name the gazetteer lacks, place_near finds them.  Returns the
 * town's name (the record's "near") when the place was a resolved town. */
static int after_prep(const dctx *d, const sinfo *s, size_t i, const char *cls);

/* Is a control record's resolved place in a country where that fight can
 * be: the country of a side (the holder or the loser), or Syria or Iraq
 * when the report speaks of them (either when it names neither)?  Towns change hands on the ground of the
 * war, so "Gornyy, Russia" or "Salem, USA" for a Syrian village is a
 * gazetteer homonym even when the report names Russia or the United States
 * (whose forces fight there: the wider theatre of country_seen). */
static int control_country_ok(const dctx *d, const x_actor *a, const x_actor *t, const char *cc)
{
    if (!cc[0])
        return 1;
    if ((a && a->country && !strcmp(a->country, cc)) || (t && t->country && !strcmp(t->country, cc)))
        return 1;
    int sy = !strcmp(cc, "SY"), iq = !strcmp(cc, "IQ");
    if (!d->doc_sy && !d->doc_iq)   /* the report does not say: either */
        return sy || iq;
    return (d->doc_sy && sy) || (d->doc_iq && iq);
}

static const char *facility_of(dctx *d, const sinfo *s, const x_place *p, sr_place_ref *r)
{
    size_t l, f0 = p->w0, f1 = p->w1;
    if (p->w1 < s->n && x_rules_in_class(d->x->rules, "facility_noun", s->w, s->n, p->w1, &l))
        f1 = p->w1 + l;     /* "the Tabqa air base" */
    else if (p->w0 >= 2 && after_prep(d, s, p->w0, "facility_prep")) {
        /* "the military airport of Deir ez-Zor": the longest phrase ending before the preposition */
        for (size_t k = p->w0 - 1 > 4 ? p->w0 - 5 : 0; k + 1 < p->w0 && f0 == p->w0; k++)
            if (x_rules_in_class(d->x->rules, "facility_before", s->w, s->n, k, &l) && k + l == p->w0 - 1)
                f0 = k;
    }
    if (f0 == p->w0 && f1 == p->w1)
        return NULL;
    /* the gazetteer's own entry for the facility ("Kuweires Airbase") */
    if (r->geonameid && strncmp(r->fcode, "PPL", 3) && strncmp(r->fcode, "ADM", 3))
        return NULL;
    char *t = span_text(d, s, (uint32_t)f0, (uint32_t)f1);
    if (!t)
        return NULL;
    const char *town = r->geonameid && !isnan(r->lat) ? r->name : NULL;
    r->text = r->name = t;
    r->geonameid = 0;
    r->fcode[0] = '\0';
    return town;
}

/* Modality of a match from the cues before and inside its trigger. */
static const char *modality_of(dctx *d, const sinfo *s, const x_match *m, const char *type)
{
    const x_rules *r = d->x->rules;
    const x_rule_info *ri = x_rule_at(r, (size_t)m->rule);
    if (ri->modality)
        return ri->modality;
    int control = !strncmp(type, "control_", 8);
    int state = !strcmp(type, "control_state");
    size_t t0 = m->trig0;
    size_t lo = t0 > 8 ? t0 - 8 : 0;
    /* "an offensive to try to encircle the rebel-held east of X": a holding
     * written as an adjective is presupposed, outside the scope of the cues */
    if (state && m->actor >= 0 && s->am[m->actor].w1 < s->n && (s->w[s->am[m->actor].w1].flags & XW_PUNCT) &&
        d->doc->text[s->w[s->am[m->actor].w1].start] == '-')
        lo = t0 + 1;
    for (size_t p = t0 + 1; p-- > lo;) {
        size_t len;
        if (p < t0 && x_cue_at(r, s->w, s->n, p, t0 - p, X_CUE_BLOCK, &len))
            break;
        /* "After a battle for Ramadi, Iraqi forces recaptured it": a comma
         * before the subject closes a fronted phrase the cues of which are
         * not the clause's */
        if (m->actor >= 0 && p < s->am[m->actor].w0 && s->w[p].id == d->x->w_comma)
            break;
        /* a capitalised word inside a sentence is a name ("in May") */
        if ((s->w[p].flags & XW_CAP) && !(s->w[p].flags & XW_SENT0))
            continue;
        /* cue words inside the actor or target slots do not count */
        if (m->actor >= 0 && p >= s->am[m->actor].w0 && p < s->am[m->actor].w1)
            continue;
        if (m->target >= 0 && p >= s->am[m->target].w0 && p < s->am[m->target].w1)
            continue;
        int k = x_cue_at(r, s->w, s->n, p, t0 - p, 0, &len);
        if (!k || k == X_CUE_BLOCK)
            continue;
        /* a longer cue that covers this one wins ("tried to" over "to") */
        for (size_t q = p > 3 ? p - 3 : 0; q < p; q++) {
            size_t l2;
            int k2 = x_cue_at(r, s->w, s->n, q, t0 - q, 0, &l2);
            if (k2 && k2 != X_CUE_BLOCK && q + l2 >= p + len) {
                k = k2;
                break;
            }
        }
        if (k == X_CUE_ASSERT)
            return "asserted";
        if (k == X_CUE_FUTURE)
            return "future";
        if (k == X_CUE_NEGATED)
            return "negated";
        if (k == X_CUE_HYPOTHETICAL)
            return "hypothetical";
        if (k == X_CUE_ATTEMPT && control && !state)
            return "attempted";
        if (k == X_CUE_PAST && !strcmp(type, "control_state"))
            return "past";
    }
    /* cues after the match: "the fall of Kobani would mark ..." (the match is
     * the subject of a modal verb); "IS-held districts ... before they were
     * liberated" (a state that has ended) */
    size_t len;
    if (strcmp(type, "control_state") && m->w1 < s->n &&
        x_rules_in_class(r, "post_hypothetical", s->w, s->n, m->w1, &len))
        return "hypothetical";
    /* "stormed the town but were pushed back": an attempt told after the fact */
    if (!strcmp(type, "control_change"))
        for (size_t p = m->w1; p < s->n; p++)
            if (x_rules_in_class(r, "change_failed", s->w, s->n, p, &len))
                return "attempted";
    if (!strcmp(type, "control_state"))
        for (size_t p = m->w1; p < s->n; p++)
            if (x_rules_in_class(r, "state_ended", s->w, s->n, p, &len))
                return "past";
    return "asserted";
}

/* Who says so: the actor next to a claim cue ("X said", "according to X"). */
static int claimant_of(dctx *d, const sinfo *s, const x_match *m, int *am_out)
{
    const x_rules *r = d->x->rules;
    /* the claim cues in order: x_cue_find walks the words to the next one
     * in one call (a call per word asked x_cue_at the same) */
    size_t len, pstart = 0;
    for (long q; (q = x_cue_find(r, X_CUE_CLAIM, s->w, pstart, s->n, &len)) >= 0;) {
        size_t p = (size_t)q;
        pstart = p + 1;
        /* "Iraqi forces claimed the other side": the rule's own verb (but
         * "IS claimed to have captured X" is a claim) */
        if (p >= m->trig0 && p <= m->trig1 && !(p + 1 < s->n && (s->w[p + 1].id == d->x->w_to || s->w[p + 1].id == d->x->w_that)))
            continue;
        int after = d->doc->text[s->w[p].start] == 'a' || d->doc->text[s->w[p].start] == 'A'; /* according to */
        int best = -1;
        if (!after)
            for (size_t k = 0; k < s->nam; k++)
                if (s->am[k].w1 <= p && p - s->am[k].w1 <= 4)
                    best = (int)k;
        if (best < 0)
            for (size_t k = 0; k < s->nam; k++)
                if (s->am[k].w0 >= p + len && s->am[k].w0 - (p + len) <= 3) {
                    best = (int)k;
                    break;
                }
        if (best >= 0) {
            *am_out = best;
            return 1;
        }
    }
    return 0;
}

static int resolved_actor(const dctx *d, const sinfo *s, int k)
{
    (void)d;
    return k >= 0 ? s->am[k].actor : -1;
}

/* The actor a rule without {actor} refers to ("in its Raqqa bastion"): the
 * last armed actor named before the match, in this sentence or the
 * `back` - 1 before it. */
static int topic_actor(const dctx *d, size_t si, uint32_t before, size_t back)
{
    for (size_t t = si + 1; t-- > 0;) {
        const sinfo *s = &d->si[t];
        for (size_t k = s->nam; k-- > 0;) {
            if (t == si && s->am[k].w1 > before)
                continue;
            const x_actor *a = actor_of(d, s->am[k].actor);
            if (a && !(a->bits & (XA_MONITOR | XA_MEDIA)) && a->group)
                return s->am[k].actor;
        }
        if (si - t >= back)
            break;
    }
    return -1;
}

static sr_status add_event(dctx *d, const sr_event *e)
{
    if (d->nev >= d->capev && sr_arena_grow(d->a, (void **)&d->ev, &d->capev, d->nev, sizeof *d->ev, 16))
        return SR_ENOMEM;
    d->ev[d->nev++] = *e;
    return SR_OK;
}

static long sent_year(dctx *d, size_t si);

/* The date of a record: the date expression nearest its trigger, else the
 * reference (publication) date. */
static void date_of(dctx *d, size_t si, const sinfo *s, const x_match *m, const char *type, sr_event *e)
{
    e->precision = "day";
    /* without a publication date (encyclopaedic text) only dates that carry
     * their year count, and days of a named month ("on 23 May") in the year
     * the text last wrote out */
    /* the year is read up to this sentence only now: a document without a
     * publication date and without records never needs it (most of the
     * scans of its dates were for nothing) */
    /* The year is the one of the last sentence up to this one that writes
     * a date out in full: looked for backwards, down to the sentences read
     * before (the nearest one ends the search). */
    if (!d->have_ref && d->ysent <= si) {
        for (size_t k = si + 1; k-- > d->ysent;) {
            long y = sent_year(d, k);
            if (y >= 0) {
                d->year = (int)y;
                break;
            }
        }
        d->ysent = si + 1;
    }
    sr_ymd ref = d->have_ref ? d->ref : (sr_ymd){d->year ? d->year : 2100, 12, 31};
    sr_datex dx[8];
    size_t n = sent_dates(d, si, ref, dx);
    if (!d->have_ref) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (dx[i].absolute || (d->year && dx[i].named_month && !dx[i].since))
                dx[k++] = dx[i];
        n = k;
    }
    uint32_t tb = s->w[m->trig0].start, te = s->w[m->trig1].start + s->w[m->trig1].len;
    long best = -1, bestd = 0;
    for (size_t i = 0; i < n; i++) {
        if (dx[i].future)
            continue;
        if (!strcmp(type, "control_state") && dx[i].prec != SR_PREC_DAY && !dx[i].since)
            continue;
        long dist = dx[i].end <= tb ? (long)(tb - dx[i].end) : dx[i].start >= te ? (long)(dx[i].start - te) : 0;
        /* a change is dated by its own day before a "since" of the clause
         * around it ("X, held by IS since May 2015, was retaken on Sunday") */
        if (dx[i].since && strcmp(type, "control_state"))
            dist += 100000;
        if (best < 0 || dist < bestd)
            best = (long)i, bestd = dist;
    }
    char buf[11];
    if (best >= 0 && dx[best].since) {
        sr_ymd_format(dx[best].date, buf);
        e->since = astr(d, buf, 10);
        /* a holding "since 2014" is dated by the report (date_text null);
         * the start goes in `since` */
        if (!strcmp(type, "control_state"))
            best = -1;
    }
    if (best >= 0) {
        sr_ymd_format(dx[best].date, buf);
        e->date = astr(d, buf, 10);
        e->date_text = astr(d, d->doc->text + dx[best].start, dx[best].end - dx[best].start);
        e->precision = sr_date_prec_str(dx[best].prec);
        return;
    }
    if (!d->have_ref)
        return;
    sr_ymd_format(d->ref, buf);
    e->date = astr(d, buf, 10);
}

/* True when the word before word i belongs to class `cls`. */
static int after_prep(const dctx *d, const sinfo *s, size_t i, const char *cls)
{
    size_t l;
    return i > 0 && x_rules_in_class(d->x->rules, cls, s->w, s->n, i - 1, &l) && l == 1;
}

/* True when the place starting at word w0 is only a landmark: "Rumana,
 * northwest of Qaim", "villages 10 km north of Aleppo" (a phrase of
 * @rel_dir, then "of", right before it).  The place held or taken is the
 * one located, never the landmark; "the north of X", "the west and south
 * of X", "the rebel-held east of X" (a word of @part_pre before the
 * direction) name a part of X and stay.  A place after a word of
 * @place_except ("all of X except Y") is left out as well. */
static int landmark_place(const dctx *d, const sinfo *s, size_t w0)
{
    /* "most of the city except the district of X": X is left out */
    for (size_t k = w0; k-- > 0 && k + 6 >= w0 && s->w[k].id != d->x->w_comma;) {
        size_t l;
        if (x_rules_in_class(d->x->rules, "place_except", s->w, s->n, k, &l))
            return 1;
    }
    if (w0 < 2 || s->w[w0 - 1].id != d->x->w_of)
        return 0;
    for (size_t k = w0 - 1; k-- > 0 && k + 4 >= w0;) {
        size_t l, dl;
        if (x_rules_in_class(d->x->rules, "rel_dir", s->w, s->n, k, &l) && k + l == w0 - 1)
            return !(k > 0 && x_rules_in_class(d->x->rules, "part_pre", s->w, s->n, k - 1, &dl) && dl == 1);
    }
    return 0;
}

/* True when word i is a possessive "'s" (straight or curly) glued to the word before. */
static int possessive_after(const dctx *d, const sinfo *s, size_t i)
{
    if (i >= s->n || !(s->w[i].flags & XW_GLUED))
        return 0;
    const char *t = d->doc->text + s->w[i].start;
    size_t n = s->w[i].len;
    return (n == 2 && t[0] == '\'' && (t[1] == 's' || t[1] == 'S')) ||
           (n == 4 && !memcmp(t, "\xE2\x80\x99", 3) && (t[3] == 's' || t[3] == 'S'));
}

static sr_status records_of_match(dctx *d, size_t si, const sinfo *s, const x_match *m)
{
    const x_rule_info *ri = x_rule_at(d->x->rules, (size_t)m->rule);
    const char *type = ri->type;
    int control = !strncmp(type, "control_", 8);
    if (control && !m->nplace)
        return SR_OK;
    /* "the last government stronghold in Raqqa province": a stronghold in a
     * province is inside it, the province is not held */
    if (!strcmp(type, "control_state") && m->nplace) {
        const x_place *p0 = &s->pl[m->place[0]];
        size_t rl;
        if (p0->w0 > 0 && s->w[p0->w0 - 1].id == d->x->w_in && p0->w1 < s->n &&
            x_rules_in_class(d->x->rules, "region_noun", s->w, s->n, p0->w1, &rl))
            return SR_OK;
    }
    /* "took control of X": the noun, not the verb of a holding rule */
    size_t cl;
    if (!strcmp(type, "control_state") && m->trig0 > 0 &&
        x_rules_in_class(d->x->rules, "control_noun_pre", s->w, s->n, m->trig0 - 1, &cl))
        return SR_OK;
    int actors[2] = {resolved_actor(d, s, m->actor), resolved_actor(d, s, m->actor2)};
    int ams[2] = {m->actor, m->actor2};
    /* "an offensive against ISIL, capturing X": an actor after a preposition
     * is an object; the subject is an actor named before it that is not */
    int change = !strcmp(type, "control_change");
    if (change && m->actor >= 0 && after_prep(d, s, s->am[m->actor].w0, "object_prep")) {
        int subj = -1;
        for (int k = m->actor - 1; k >= 0 && subj < 0; k--)
            if (!after_prep(d, s, s->am[k].w0, "object_prep") && s->am[k].actor >= 0)
                subj = k;
        if (subj < 0)
            return SR_OK;
        ams[0] = subj;
        actors[0] = s->am[subj].actor;
    }
    /* "the land between X and Y was captured", "areas around X that the army
     * retook": the place is not the subject the rule needs */
    if (change && m->nplace && s->pl[m->place[0]].w0 <= m->w0 + 6 && m->w0 <= s->pl[m->place[0]].w0 &&
        (m->actor < 0 || s->am[m->actor].w0 > s->pl[m->place[0]].w0) && after_prep(d, s, m->w0, "place_rel_prep"))
        return SR_OK;
    if (m->actor < 0) {
        /* a holding or change refers back up to three sentences ("in its
         * Raqqa bastion"); a strike or an attack only within its sentence
         * ("regime warplanes launched 60 air raids on X"), else no actor */
        actors[0] = topic_actor(d, si, m->w0, control ? 4 : 1);
        /* "They seized X, driving out the rebels": the side named after the
         * verb is the object, so it cannot be what the pronoun stands for */
        const x_actor *ta = actor_of(d, actors[0]);
        for (size_t k = 0; ta && k < s->nam; k++) {
            const x_actor *b = actor_of(d, s->am[k].actor);
            if (s->am[k].w0 > m->trig0 && b && b->group && ta->group && !strcmp(b->group, ta->group))
                actors[0] = -1, ta = NULL;
        }
    }
    /* "the liberated areas of X", "a captured town": the participle is an
     * adjective, not the verb of a change */
    size_t dl;
    if (control && m->trig0 > 0 && x_rules_in_class(d->x->rules, "determiner", s->w, s->n, m->trig0 - 1, &dl) &&
        m->actor >= 0 && s->am[m->actor].w1 <= m->trig0 - 1)
        return SR_OK;
    const char *mod = modality_of(d, s, m, type);
    int cam = -1;
    const char *claim_mod = NULL;
    if (!strcmp(mod, "asserted") && claimant_of(d, s, m, &cam)) {
        const x_actor *ca = actor_of(d, s->am[cam].actor);
        if (ca && !(ca->bits & XA_MONITOR))
            claim_mod = "claimed";
    }
    const sr_sent *se = &d->res->tm.sent[si];
    for (int ai = 0; ai < 2; ai++) {
        if (ai == 1 && m->actor2 < 0)
            break;
        const x_actor *ac = actor_of(d, actors[ai]);
        if (control && (!ac || !ac->group || (ac->bits & (XA_MONITOR | XA_MEDIA))))
            continue;
        int np = m->nplace ? m->nplace : 1;
        for (int pi = 0; pi < np; pi++) {
            /* "most of Qaim, Bukamal's counterpart": a possessive in a list
             * qualifies the place before it */
            if (pi > 0 && possessive_after(d, s, s->pl[m->place[pi]].w1))
                continue;
            if (control && m->nplace && landmark_place(d, s, s->pl[m->place[pi]].w0))
                continue;
            sr_event e;
            memset(&e, 0, sizeof e);
            e.doc = d->doc->id;
            e.type = type;
            fill_actor(d, s, ams[ai] >= 0 ? &s->am[ams[ai]] : NULL, actors[ai], &e.actor);
            if (ams[ai] < 0 && ac) {
                e.actor.id = ac->id, e.actor.name = ac->name, e.actor.group = ac->group, e.actor.kind = ac->kind;
                e.actor.backed_by = ac->backed_by;
            }
            if (m->target >= 0)
                fill_actor(d, s, &s->am[m->target], resolved_actor(d, s, m->target), &e.target);
            if (m->nplace) {
                fill_place(d, s, &s->pl[m->place[pi]], &e.place);
                /* a homonym abroad: keep the words, drop the entry, and
                 * let place_near place it by the towns around it */
                if (control && e.place.geonameid &&
                    !control_country_ok(d, ac, m->target >= 0 ? actor_of(d, resolved_actor(d, s, m->target)) : NULL,
                                        e.place.country)) {
                    e.place.name = e.place.text;
                    e.place.geonameid = 0;
                    e.place.lat = e.place.lon = NAN;
                    e.place.country[0] = e.place.fcode[0] = '\0';
                }
                e.place_near = facility_of(d, s, &s->pl[m->place[pi]], &e.place);
                if (!e.place_near)
                    e.place_near = place_near(d, si, s, &s->pl[m->place[pi]], &e.place);
            }
            else
                e.place.lat = e.place.lon = NAN;
            e.modality = claim_mod && !strcmp(mod, "asserted") ? claim_mod : mod;
            if (cam >= 0)
                fill_actor(d, s, &s->am[cam], s->am[cam].actor, &e.claimant);
            date_of(d, si, s, m, type, &e);
            e.evidence.start = se->start;
            e.evidence.end = se->end;
            double c = 0.9;
            if (!e.place.geonameid && isnan(e.place.lat))
                c -= 0.2;
            if (ams[ai] >= 0 && s->am[ams[ai]].generic >= 0)
                c -= 0.1;
            if (ams[ai] < 0)
                c -= 0.2;
            if (e.place_near)
                c -= 0.15; /* coordinates of the town it lies near */
            if (!strcmp(e.modality, "claimed"))
                c -= 0.1; /* one party's word */
            e.confidence = c < 0.1 ? 0.1 : c;
            e.rule = astr(d, ri->label, strlen(ri->label));
            sr_status st = add_event(d, &e);
            if (st)
                return st;
        }
    }
    return SR_OK;
}

/* ---- merging ------------------------------------------------------------------- */

/* String equality that answers most calls from the first byte (or the
 * pointer: types and modalities are shared constants). */
static inline int streq(const char *a, const char *b) { return a == b || (a[0] == b[0] && !strcmp(a, b)); }

static const char *grp(const sr_event *e) { return e->actor.group ? e->actor.group : e->actor.id ? e->actor.id : ""; }

/* merge compares every pair of a document's records: each record's type,
 * group, place name and modality are numbered first (equal strings, equal
 * numbers), so that a pair costs integer comparisons, not strcmp. */
typedef struct ekey {
    uint32_t type, grp, name, mod;
} ekey;

/* Numbers of fixed strings: interned first, in this order. */
enum { EK_STATE = 0, EK_CHANGE = 1 };                   /* types */
enum { EK_ASSERTED = 0, EK_CLAIMED = 1, EK_NEGATED = 2 };  /* modalities */

/* The number of s among the n strings of tab (added when new). */
static uint32_t intern(const char **tab, uint32_t *n, const char *s)
{
    for (uint32_t k = 0; k < *n; k++)
        if (streq(tab[k], s))
            return k;
    tab[*n] = s;
    return (*n)++;
}

static int same_place(const sr_event *a, const ekey *ka, const sr_event *b, const ekey *kb)
{
    if (a->place.geonameid && b->place.geonameid)
        return a->place.geonameid == b->place.geonameid;
    return ka->name == kb->name;
}

static int asserting(const ekey *k) { return k->mod == EK_ASSERTED || k->mod == EK_CLAIMED; }

static int near_dates(const sr_event *a, const sr_event *b)
{
    sr_ymd x, y;
    if (sr_ymd_parse(a->date, &x) || sr_ymd_parse(b->date, &y))
        return 0;
    return labs(sr_ymd_days(x) - sr_ymd_days(y)) <= 3;
}

static sr_status merge(dctx *d)
{
    if (d->nev < 2)
        return SR_OK;   /* (one record: nothing to merge, supersede or contradict) */
    /* the numbers: one array of keys, four tables of the distinct strings */
    size_t nev = d->nev;
    ekey *key = sr_arena_alloc(d->a, nev * sizeof *key);
    const char **tab = sr_arena_alloc(d->a, 4 * (nev + 3) * sizeof *tab);
    if (!key || !tab)
        return SR_ENOMEM;
    const char **ttab = tab, **gtab = tab + nev + 3, **ntab = gtab + nev + 3, **mtab = ntab + nev + 3;
    uint32_t nt = 0, ng = 0, nn = 0, nm = 0;
    intern(ttab, &nt, "control_state"), intern(ttab, &nt, "control_change");
    intern(mtab, &nm, "asserted"), intern(mtab, &nm, "claimed"), intern(mtab, &nm, "negated");
    for (size_t i = 0; i < nev; i++) {
        const sr_event *e = &d->ev[i];
        key[i].type = intern(ttab, &nt, e->type);
        key[i].grp = intern(gtab, &ng, grp(e));
        key[i].name = intern(ntab, &nn, e->place.name ? e->place.name : "");
        key[i].mod = intern(mtab, &nm, e->modality);
    }
    size_t n = 0;
    for (size_t i = 0; i < d->nev; i++) {
        sr_event *e = &d->ev[i];
        const ekey ke = key[i];
        size_t j;
        for (j = 0; j < n; j++) {
            sr_event *f = &d->ev[j];
            ekey *kf = &key[j];
            if (kf->type != ke.type || kf->grp != ke.grp || !same_place(f, kf, e, &ke) ||
                asserting(kf) != asserting(&ke) || (!asserting(kf) && kf->mod != ke.mod))
                continue;
            if (f->evidence.start == e->evidence.start)
                break;
            int have = 0;
            for (uint32_t k = 0; k < f->nmore; k++)
                have |= f->more[k].start == e->evidence.start;
            if (!have) {
                sr_span32 *nmore = sr_arena_alloc(d->a, (f->nmore + 1) * sizeof *nmore);
                if (!nmore)
                    return SR_ENOMEM;
                if (f->nmore)
                    memcpy(nmore, f->more, f->nmore * sizeof *nmore);
                nmore[f->nmore++] = e->evidence;
                f->more = nmore;
            }
            /* an explicit date beats the publication date */
            if (!f->date_text && e->date_text)
                f->date = e->date, f->date_text = e->date_text, f->precision = e->precision;
            if (!f->target.id && e->target.id)
                f->target = e->target;
            if (kf->mod == EK_CLAIMED && ke.mod == EK_ASSERTED)
                f->modality = e->modality, f->claimant = e->claimant, kf->mod = ke.mod;
            if (e->confidence > f->confidence)
                f->confidence = e->confidence;
            break;
        }
        if (j == n)
            d->ev[n] = *e, key[n++] = ke;
    }
    d->nev = n;
    /* a state superseded by a change of the same place in the same report */
    n = 0;
    for (size_t i = 0; i < d->nev; i++) {
        sr_event *e = &d->ev[i];
        const ekey ke = key[i];
        int drop = 0;
        if (ke.type == EK_STATE && asserting(&ke))
            for (size_t j = 0; j < d->nev && !drop; j++)
                drop = key[j].type == EK_CHANGE && asserting(&key[j]) && same_place(e, &ke, &d->ev[j], &key[j]);
        if (!drop)
            d->ev[n] = *e, key[n++] = ke;
    }
    d->nev = n;
    /* asserted and negated in the same report (the pairs visited from the
     * negated side: most reports negate nothing) */
    for (size_t j = 0; j < d->nev; j++) {
        if (key[j].mod != EK_NEGATED)
            continue;
        for (size_t i = 0; i < d->nev; i++) {
            sr_event *a = &d->ev[i], *b = &d->ev[j];
            const ekey *ka = &key[i], *kb = &key[j];
            if (i != j && ka->type == kb->type && ka->grp == kb->grp && same_place(a, ka, b, kb) && asserting(ka))
                a->contradicted = b->contradicted = 1;
        }
    }
    /* two different sides said to take the same place within three days,
     * from different sentences (holdings may be partial, so two holders are
     * no contradiction) */
    for (size_t i = 0; i < d->nev; i++) {
        if (key[i].type != EK_CHANGE || !asserting(&key[i]))
            continue;
        for (size_t j = i + 1; j < d->nev; j++) {
            sr_event *a = &d->ev[i], *b = &d->ev[j];
            const ekey *ka = &key[i], *kb = &key[j];
            if (kb->type == EK_CHANGE && ka->grp != kb->grp && same_place(a, ka, b, kb) && asserting(kb) &&
                a->evidence.start != b->evidence.start && near_dates(a, b))
                a->contradicted = b->contradicted = 1;
        }
    }
    return SR_OK;
}

/* ---- the pipeline ---------------------------------------------------------------- */

/* A text without a publication date: the year of the first date written out
 * in full in sentence `si` (-1 when none) becomes the year of later "on 23 May". */
static long sent_year(dctx *d, size_t si)
{
    /* a date written out in full has a year: a number of four digits, or
     * "mid-2012"; a sentence without one is not scanned */
    const sr_sent *se = &d->res->tm.sent[si];
    const sr_tok *tk = d->res->tm.tok;
    int year = 0;
    for (size_t k = se->tok; k < se->tok + se->ntok && !year; k++)
        year = (tk[k].kind == SR_TOK_NUM && tk[k].len == 4) || (tk[k].len == 8 && d->doc->text[tk[k].start + 3] == '-');
    if (!year)
        return -1;
    sr_datex dx[8];
    size_t n = sent_dates(d, si, (sr_ymd){2100, 12, 31}, dx);
    for (size_t i = 0; i < n; i++)
        if (dx[i].absolute && !dx[i].since)
            return dx[i].date.y;
    return -1;
}

static void find_ref_date(dctx *d)
{
    sr_doc *doc = d->doc;
    sr_ymd pub, dl;
    int have_pub = !sr_ymd_parse(doc->published, &pub);
    uint32_t ds, de;
    int have_dl = 0;
    if (doc->dateline_date)
        have_dl = !sr_ymd_parse(doc->dateline_date, &dl);
    else if (!sr_dateline_find(doc->text, doc->len, &dl, &ds, &de)) {
        char buf[11];
        sr_ymd_format(dl, buf);
        doc->dateline_date = astr(d, buf, 10);
        have_dl = doc->dateline_date != NULL;
    }
    if (have_dl && have_pub && sr_ymd_days(dl) != sr_ymd_days(pub))
        sr_ctx_warn(d->ctx, "%s: byte %u: dateline date %s differs from the metadata date %s; using the dateline",
                    doc->origin ? doc->origin : doc->id, (unsigned)(doc->dateline_date ? ds : 0),
                    doc->dateline_date, doc->published);
    if (have_dl)
        d->ref = dl, d->have_ref = 1;
    else if (have_pub)
        d->ref = pub, d->have_ref = 1;
}

sr_status sr_extract_doc(sr_extractor *x, sr_doc *doc, sr_arena *arena, sr_doc_result *out, sr_ctx *ctx)
{
    memset(out, 0, sizeof *out);
    if (!x || !doc || !arena)
        return sr_ctx_error(ctx, SR_EARG, "sr_extract_doc: NULL argument");
    sr_status st;
    if (!doc->body || !doc->text) {
        if ((st = sr_clean_doc(doc, arena, ctx)))
            return st;
    }
    if ((st = sr_text_analyze(doc, arena, &out->tm)))
        return sr_ctx_error(ctx, st, "%s: out of memory", doc->origin ? doc->origin : doc->id);
    if (x->gaz && (st = sr_places_find(x->gaz, doc, &out->tm, arena, &out->mentions, &out->nmentions, ctx)))
        return st;
    dctx d;
    memset(&d, 0, sizeof d);
    d.x = x, d.doc = doc, d.a = arena, d.ctx = ctx, d.res = out;
    d.seen = (sr_coref_seen){-1, -1, -1, -1};
    d.dsi = -1;
    find_ref_date(&d);
    size_t ns = out->tm.nsent;
    d.si = sr_arena_calloc(arena, (ns + 1) * sizeof *d.si);
    if (!d.si)
        goto oom;
    /* pass 1: words, explicit actors, country words; and the places, which
     * need no coreference: looked for while the sentence's words are still
     * in the cache (pass 2 read them cold, a document later) */
    size_t nact = x_actors_count(x->actors);
    int *cnt = sr_arena_calloc(arena, (nact + 1) * sizeof *cnt);
    if (!cnt)
        goto oom;
    for (size_t i = 0; i < ns; i++) {
        sinfo *s = &d.si[i];
        if (x_words(&out->tm, i, &x->lex, arena, &s->w, &s->n) || find_actors(&d, s))
            goto oom;
        count_country(&d, i, s, cnt);
        d.doc_sy += s->sy, d.doc_iq += s->iq;
        /* no rule can match here, whatever places the sentence names: its
         * places are not looked for (they serve the rules only) */
        s->may = x_rules_may_match(x->rules, s->w, s->n, s->nam != 0);
        if (s->may && find_places(&d, i, s))
            goto oom;
    }
    /* (cnt is by actor + 1) */
    for (size_t a = 0; a < nact; a++) {
        if (cnt[a + 1] && (d.seen.top_nsag < 0 || cnt[a + 1] > cnt[d.seen.top_nsag + 1]))
            d.seen.top_nsag = (int)a;
        if (cnt[a + 1] && (x->amark[a + 1] & AM_JIHAD) &&
            (d.seen.top_jihad < 0 || cnt[a + 1] > cnt[d.seen.top_jihad + 1]))
            d.seen.top_jihad = (int)a;
    }
    /* pass 2: coreference, rules */
    int last_monitor = -1;
    size_t last_monitor_sent = 0;
    for (size_t i = 0; i < ns; i++) {
        sinfo *s = &d.si[i];
        int country = 0;   /* (worked out at the first generic mention; sr_coref_country never answers 0) */
        for (size_t k = 0; k < s->nam; k++) {
            x_amention *m = &s->am[k];
            if (m->generic >= 0) {
                const x_actor *g = actor_of(&d, m->generic);
                int cls = x->coref_cls[m->generic];
                if (!country)
                    country = sr_coref_country(s->sy, s->iq, d.doc_sy, d.doc_iq);
                m->actor = sr_coref_resolve(cls, country, &d.seen, &x->ids);
                if ((g->bits & XA_MEDIA) && m->actor >= 0) {
                    /* "state media": the state's own outlet, a party's claim */
                    m->generic = -1;
                }
                /* "the group said": the speaker of a report is the monitoring
                 * group named shortly before, not an armed group */
                size_t cl;
                if (cls == SR_COREF_NSAG && last_monitor >= 0 && i - last_monitor_sent <= 3 &&
                    x_cue_at(x->rules, s->w, s->n, m->w1, 0, X_CUE_CLAIM, &cl))
                    m->actor = last_monitor;
            } else if (x->amark[m->actor + 1] & AM_NSAG) {
                d.seen.last_nsag = m->actor;
                if (x->amark[m->actor + 1] & AM_JIHAD)
                    d.seen.last_jihad = m->actor;
            } else if (x->amark[m->actor + 1] & AM_MONITOR) {
                last_monitor = m->actor;
                last_monitor_sent = i;
            }
        }
        if (!s->may)
            continue;
        x_sent xs = {s->w, s->n, s->am, s->nam, s->pl, s->npl};
        x_match *mm;
        size_t nm;
        if (x_rules_match(x->rules, &xs, arena, &mm, &nm))
            goto oom;
        for (size_t k = 0; k < nm; k++)
            if ((st = records_of_match(&d, i, s, &mm[k])))
                goto fail;
    }
    if ((st = merge(&d)))
        goto fail;
    out->events = d.ev;
    out->nevents = d.nev;
    return SR_OK;
oom:
    st = SR_ENOMEM;
fail:
    return sr_ctx_error(ctx, st, "%s: %s", doc->origin ? doc->origin : doc->id, sr_status_str(st));
}
