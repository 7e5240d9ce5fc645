/* records.c — event records read back from their JSON form, so that the
 * output of `sitrep extract` (or records written by hand for tests) can be
 * stored without extracting again.
 *
 * A record line is read by a small parser of its own: one pass over the
 * line that hands each member of the record to its field as it meets it
 * (no tree of values, no key searches), and strings left where they are,
 * ended (and unescaped) in the line itself once the whole line has been
 * read.  jansson took a quarter of the instructions of `sitrep ingest
 * --events`; a first small parser building a tree and copying strings to
 * the arena still took 20,000 instructions a record.  The small parser
 * accepts a subset of what jansson accepts (no \u escapes, keys without
 * escapes, nesting up to 32); a line it does not take is read again by
 * jansson, which also words every error, so records and messages are the
 * same either way.  Where a key repeats, the last one counts, as in
 * jansson. */
#include "store/store.h"
#include "core/swar.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k, sr_arena *a, int *oom)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_string(v))
        return NULL;
    const char *r = sr_arena_strndup(a, json_string_value(v), json_string_length(v));
    if (!r)
        *oom = 1;
    return r;
}

static void actor(json_t *o, const char *k, sr_arena *a, sr_actor_ref *r, int *oom)
{
    json_t *v = json_object_get(o, k);
    if (json_is_string(v)) {    /* "actor": "ISIS" is accepted for an id */
        r->id = str(o, k, a, oom);
        return;
    }
    if (!json_is_object(v))
        return;
    r->id = str(v, "id", a, oom);
    r->name = str(v, "name", a, oom);
    r->text = str(v, "text", a, oom);
}

static sr_status from_jansson(const char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx)
{
    memset(out, 0, sizeof *out);
    out->place.lat = out->place.lon = NAN;
    json_error_t err;
    json_t *o = json_loadb(line, len, 0, &err);
    if (!o)
        return sr_ctx_error(ctx, SR_EJSON, "byte %d: %s", err.position, err.text);
    sr_status st = SR_OK;
    int oom = 0;
    if (!json_is_object(o)) {
        st = sr_ctx_error(ctx, SR_EFORMAT, "byte 0: a record must be a JSON object");
        goto done;
    }
    out->doc = str(o, "doc", a, &oom);
    out->type = str(o, "type", a, &oom);
    if (!out->type)
        out->type = str(o, "kind", a, &oom);    /* the gold files' name for it */
    if (!out->doc || !out->type) {
        st = sr_ctx_error(ctx, SR_EFORMAT, "byte 0: a record needs \"doc\" and \"type\"");
        goto done;
    }
    actor(o, "actor", a, &out->actor, &oom);
    actor(o, "target", a, &out->target, &oom);
    actor(o, "claimant", a, &out->claimant, &oom);
    json_t *p = json_object_get(o, "place");
    if (json_is_object(p)) {
        out->place.name = str(p, "name", a, &oom);
        out->place.text = str(p, "text", a, &oom);
        json_t *v;
        if (json_is_integer(v = json_object_get(p, "geonameid")))
            out->place.geonameid = (uint32_t)json_integer_value(v);
        if (json_is_number(v = json_object_get(p, "lat")))
            out->place.lat = json_number_value(v);
        if (json_is_number(v = json_object_get(p, "lon")))
            out->place.lon = json_number_value(v);
        const char *c = str(p, "country", a, &oom), *f = str(p, "fcode", a, &oom);
        if (c)
            snprintf(out->place.country, sizeof out->place.country, "%s", c);
        if (f)
            snprintf(out->place.fcode, sizeof out->place.fcode, "%s", f);
    } else if (json_is_string(p)) {
        out->place.name = str(o, "place", a, &oom);
    }
    out->date = str(o, "date", a, &oom);
    out->date_text = str(o, "date_text", a, &oom);
    out->precision = str(o, "precision", a, &oom);
    out->modality = str(o, "modality", a, &oom);
    json_t *e = json_object_get(o, "evidence");
    if (json_is_object(e)) {
        out->evidence.start = (uint32_t)json_integer_value(json_object_get(e, "start"));
        out->evidence.end = (uint32_t)json_integer_value(json_object_get(e, "end"));
    }
    json_t *me = json_object_get(o, "more_evidence");
    if (json_is_array(me) && json_array_size(me)) {
        size_t nm = json_array_size(me);
        if (!(out->more = sr_arena_alloc(a, nm * sizeof *out->more)))
            oom = 1;
        for (size_t k = 0; out->more && k < nm; k++) {
            json_t *x = json_array_get(me, k);
            if (!json_is_object(x))
                continue;
            out->more[out->nmore].start = (uint32_t)json_integer_value(json_object_get(x, "start"));
            out->more[out->nmore++].end = (uint32_t)json_integer_value(json_object_get(x, "end"));
        }
    }
    json_t *c = json_object_get(o, "confidence");
    out->confidence = json_is_number(c) ? json_number_value(c) : 0;
    out->contradicted = json_is_true(json_object_get(o, "contradicted"));
    if (oom)
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
done:
    json_decref(o);
    return st;
}

/* ---- the small parser ------------------------------------------------ */

typedef struct jr {
    char *p, *end;
    int depth;
} jr;

/* A value as read: its kind (o(bject) a(rray) s(tring) i(nteger) r(eal)
 * t f n(ull)); for a string its raw bytes in the line (b, n: between the
 * quotes, escapes still in) and whether it has escapes; for a number its
 * text at b. */
typedef struct jv {
    char t;
    int esc;
    char *b;
    size_t n;
} jv;

static void ws(jr *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* Length of the valid UTF-8 sequence at p (0: invalid). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (!n || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
        (c == 0xf4 && p[1] > 0x8f))
        return 0;   /* overlong, surrogate, beyond U+10FFFF */
    return n;
}

/* Bytes a string scan stops at: 1 quote, 2 backslash, 3 control, 4 non-ASCII. */
static const unsigned char str_stop[256] = {
    [0] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    ['"'] = 1, ['\\'] = 2,
#define F16 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4
    [128] = F16, F16, F16, F16, F16, F16, F16, F16
#undef F16
};

/* A string at j->p (on the quote) into *v.  0 on anything the small
 * parser leaves to jansson (\u escapes, bad escapes, control bytes, bad
 * UTF-8, no closing quote). */
static int jstring(jr *j, jv *v)
{
    char *b = ++j->p;
    int esc = 0;
    for (;;) {
#if SR_SWAR_LE
        /* eight plain ASCII bytes at a time up to the first stop byte */
        while (j->end - j->p >= 8) {
            uint64_t x;
            memcpy(&x, j->p, 8);
            if (x & SR_HIGH8)
                break;
            uint64_t m = sr_swar_eq(x, '"') | sr_swar_eq(x, '\\') | sr_swar_range(x, 0, 0x1f);
            if (m) {
                j->p += __builtin_ctzll(m) >> 3;
                break;
            }
            j->p += 8;
        }
#endif
        while (j->p < j->end && !str_stop[(unsigned char)*j->p])
            j->p++;
        if (j->p >= j->end || *j->p == '"')
            break;
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (j->p + 1 >= j->end || !j->p[1] || !strchr("\"\\/bfnrt", j->p[1]))
                return 0;
            esc = 1;
            j->p += 2;
        } else if (c >= 0x80) {
            size_t l = utf8_len((const unsigned char *)j->p, (const unsigned char *)j->end);
            if (!l)
                return 0;
            j->p += l;
        } else {
            j->p++;
        }
    }
    if (j->p >= j->end)
        return 0;
    v->t = 's', v->esc = esc, v->b = b, v->n = (size_t)(j->p - b);
    j->p++;
    return 1;
}

/* A JSON number (RFC 8259 grammar) into *v. */
static int jnumber(jr *j, jv *v)
{
    char *p = j->p, *e = j->end;
    v->t = 'i', v->b = p;
    if (p < e && *p == '-')
        p++;
    if (p >= e || *p < '0' || *p > '9')
        return 0;
    if (*p == '0')
        p++;
    else
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    if (p < e && *p == '.') {
        v->t = 'r';
        if (++p >= e || *p < '0' || *p > '9')
            return 0;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        v->t = 'r';
        if (++p < e && (*p == '+' || *p == '-'))
            p++;
        if (p >= e || *p < '0' || *p > '9')
            return 0;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    /* integers beyond 18 digits: jansson's range checks decide */
    if (v->t == 'i' && p - j->p > 18)
        return 0;
    v->n = (size_t)(p - j->p);
    j->p = p;
    return 1;
}

static int jvalue(jr *j, jv *v);

/* The members of an object, or the elements of an array, at j->p (on the
 * bracket): each key (NULL for an element) is handed to fn with j->p on
 * its value, and fn reads the value (with jvalue, or a reader of its own).
 * fn NULL: the values are only read. */
typedef int (*jmember_fn)(jr *j, const char *k, size_t kn, void *user);

static int jcompound(jr *j, jmember_fn fn, void *user)
{
    char open = *j->p++, close = open == '{' ? '}' : ']';
    if (++j->depth > 32)
        return 0;
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++, j->depth--;
        return 1;
    }
    for (;;) {
        jv k = {0};
        if (open == '{') {
            ws(j);
            if (j->p >= j->end || *j->p != '"' || !jstring(j, &k) || k.esc)
                return 0;   /* a key with escapes: jansson's (it is rare) */
            ws(j);
            if (j->p >= j->end || *j->p++ != ':')
                return 0;
        }
        ws(j);
        jv v;
        if (!(fn ? fn(j, k.b, k.n, user) : jvalue(j, &v)))
            return 0;
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++, j->depth--;
            return 1;
        }
        return 0;
    }
}

/* Any value at j->p (after white space) into *v; objects and arrays are
 * read through (validated) and only their kind kept. */
static int jvalue(jr *j, jv *v)
{
    if (j->p >= j->end)
        return 0;
    char c = *j->p;
    v->b = NULL, v->n = 0, v->esc = 0;
    if (c == '{' || c == '[') {
        v->t = c == '{' ? 'o' : 'a';
        return jcompound(j, NULL, NULL);
    }
    if (c == '"')
        return jstring(j, v);
    static const char *const lit[] = {"true", "false", "null"};
    static const size_t litn[] = {4, 5, 4};
    for (int i = 0; i < 3; i++)
        if ((size_t)(j->end - j->p) >= litn[i] && !memcmp(j->p, lit[i], litn[i])) {
            v->t = "tfn"[i];
            j->p += litn[i];
            return 1;
        }
    return jnumber(j, v);
}

#define KEY(lit) (kn == sizeof lit - 1 && !memcmp(k, lit, sizeof lit - 1))

/* What a line gives, as read (strings still in the line, unterminated). */
typedef struct jactor {
    jv id, name, text;
} jactor;
typedef struct jrec {
    jv doc, type, kind, date, date_text, precision, modality;
    jactor actor, target, claimant;
    jv pname, ptext, country, fcode;
    uint32_t geonameid;
    double lat, lon;
    sr_span32 evidence;
    sr_span32 more[32];
    uint32_t nmore;         /* object elements of more_evidence */
    double confidence;
    int contradicted;
    sr_span32 *span;        /* the span being read (evidence or an element of more) */
} jrec;

/* An integer value (at most 18 digits: jnumber leaves longer ones to
 * jansson), 0 for any other kind. */
static long long jint(const jv *v)
{
    if (v->t != 'i')
        return 0;
    const char *p = v->b, *e = v->b + v->n;
    int neg = *p == '-';
    long long x = 0;
    for (p += neg; p < e; p++)
        x = x * 10 + (*p - '0');
    return neg ? -x : x;
}

/* A number value as strtod reads it.  Up to 15 significant digits and 22
 * decimals (coordinates, confidences) the value is digits / 10^k, both
 * exact in a double, and one division rounds correctly: strtod's answer
 * without its set-up; anything else goes to strtod. */
static double jreal(const jv *v)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = v->b, *e = v->b + v->n;
    int neg = *p == '-', digits = 0, frac = -1;
    uint64_t m = 0;
    for (p += neg; p < e; p++) {
        if (*p == '.') {
            frac = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 15)
            return strtod(v->b, NULL);
        m = m * 10 + (uint64_t)(*p - '0');
        frac += frac >= 0;
    }
    double x = (double)m;
    if (frac > 0)
        x /= p10[frac];
    return neg ? -x : x;
}

/* A string member: the value when it is a string, else none (as jansson's
 * json_is_string would say). */
static int jstrval(jr *j, jv *out)
{
    if (!jvalue(j, out))
        return 0;
    if (out->t != 's')
        out->b = NULL;
    return 1;
}

static int span_member(jr *j, const char *k, size_t kn, void *user)
{
    jrec *r = user;
    jv v;
    if (!jvalue(j, &v))
        return 0;
    if (KEY("start"))
        r->span->start = (uint32_t)jint(&v);
    else if (KEY("end"))
        r->span->end = (uint32_t)jint(&v);
    return 1;
}

static int more_element(jr *j, const char *k, size_t kn, void *user)
{
    jrec *r = user;
    if (*j->p != '{') {
        jv v;
        return jvalue(j, &v);
    }
    if (r->nmore == sizeof r->more / sizeof *r->more)
        return 0;   /* more than the small parser keeps: jansson's */
    r->span = &r->more[r->nmore++];
    *r->span = (sr_span32){0, 0};
    return jcompound(j, span_member, r);
}

static int actor_member(jr *j, const char *k, size_t kn, void *user)
{
    jactor *a = user;
    if (KEY("id"))
        return jstrval(j, &a->id);
    if (KEY("name"))
        return jstrval(j, &a->name);
    if (KEY("text"))
        return jstrval(j, &a->text);
    jv v;
    return jvalue(j, &v);
}

static int place_member(jr *j, const char *k, size_t kn, void *user)
{
    jrec *r = user;
    if (KEY("name"))
        return jstrval(j, &r->pname);
    if (KEY("text"))
        return jstrval(j, &r->ptext);
    if (KEY("country"))
        return jstrval(j, &r->country);
    if (KEY("fcode"))
        return jstrval(j, &r->fcode);
    jv v;
    if (!jvalue(j, &v))
        return 0;
    if (KEY("geonameid"))
        r->geonameid = v.t == 'i' ? (uint32_t)jint(&v) : 0;
    else if (KEY("lat"))
        r->lat = v.t == 'i' || v.t == 'r' ? jreal(&v) : NAN;
    else if (KEY("lon"))
        r->lon = v.t == 'i' || v.t == 'r' ? jreal(&v) : NAN;
    return 1;
}

static int record_member(jr *j, const char *k, size_t kn, void *user)
{
    jrec *r = user;
    jv v;
    jactor *a = KEY("actor") ? &r->actor : KEY("target") ? &r->target : KEY("claimant") ? &r->claimant : NULL;
    if (a) {
        /* "actor": "ISIS" is accepted for an id */
        memset(a, 0, sizeof *a);
        if (*j->p == '{')
            return jcompound(j, actor_member, a);
        return jstrval(j, &a->id);
    }
    if (KEY("place")) {
        memset(&r->pname, 0, 4 * sizeof r->pname);
        r->geonameid = 0;
        r->lat = r->lon = NAN;
        if (*j->p == '{')
            return jcompound(j, place_member, r);
        return jstrval(j, &r->pname);
    }
    if (KEY("evidence")) {
        r->evidence = (sr_span32){0, 0};
        r->span = &r->evidence;
        return *j->p == '{' ? jcompound(j, span_member, r) : jvalue(j, &v);
    }
    if (KEY("more_evidence")) {
        r->nmore = 0;
        return *j->p == '[' ? jcompound(j, more_element, r) : jvalue(j, &v);
    }
    jv *s = KEY("doc") ? &r->doc : KEY("type") ? &r->type : KEY("kind") ? &r->kind : KEY("date") ? &r->date
          : KEY("date_text") ? &r->date_text : KEY("precision") ? &r->precision : KEY("modality") ? &r->modality
          : NULL;
    if (s)
        return jstrval(j, s);
    if (!jvalue(j, &v))
        return 0;
    if (KEY("confidence"))
        r->confidence = v.t == 'i' || v.t == 'r' ? jreal(&v) : 0;
    else if (KEY("contradicted"))
        r->contradicted = v.t == 't';
    return 1;
}

/* The string of a read value, ended (and unescaped) in the line; NULL for
 * none.  Safe in place: a string's bytes are followed by its closing quote,
 * which the NUL takes, and unescaping only shortens. */
static const char *jfinish(jv *v)
{
    if (!v->b)
        return NULL;
    char *o = v->b;
    if (v->esc) {
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *p = v->b, *e = v->b + v->n;
        for (; p < e; p++)
            *o++ = *p == '\\' ? to[strchr(from, *++p) - from] : *p;
    } else {
        o += v->n;
    }
    *o = '\0';
    return v->b;
}

static void jfinish_actor(jactor *a, sr_actor_ref *r)
{
    r->id = jfinish(&a->id);
    r->name = jfinish(&a->name);
    r->text = jfinish(&a->text);
}

/* src into a fixed field, cut to fit (as snprintf "%s" would). */
static void fixed(char *dst, size_t cap, const char *src)
{
    if (!src)
        return;
    size_t n = 0;
    while (n + 1 < cap && src[n])
        n++;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* 1 when the small parser read the line (out filled or an error set in
 * *st), 0 when it leaves the line to jansson (the line is then as it was). */
static int fast(char *line, size_t len, sr_arena *a, sr_event *out, sr_status *st, sr_ctx *ctx)
{
    jr j = {line, line + len, 0};
    jrec r;
    memset(&r, 0, sizeof r);
    r.lat = r.lon = NAN;
    ws(&j);
    if (j.p >= j.end || *j.p != '{' || !jcompound(&j, record_member, &r))
        return 0;   /* errors and non-objects: jansson words them */
    ws(&j);
    if (j.p != j.end)
        return 0;
    memset(out, 0, sizeof *out);
    out->place.lat = out->place.lon = NAN;
    /* the whole line is read: now the strings may be ended in it */
    out->doc = jfinish(&r.doc);
    out->type = jfinish(&r.type);
    if (!out->type)
        out->type = jfinish(&r.kind);
    if (!out->doc || !out->type) {
        *st = sr_ctx_error(ctx, SR_EFORMAT, "byte 0: a record needs \"doc\" and \"type\"");
        return 1;
    }
    jfinish_actor(&r.actor, &out->actor);
    jfinish_actor(&r.target, &out->target);
    jfinish_actor(&r.claimant, &out->claimant);
    out->place.name = jfinish(&r.pname);
    out->place.text = jfinish(&r.ptext);
    out->place.geonameid = r.geonameid;
    out->place.lat = r.lat, out->place.lon = r.lon;
    fixed(out->place.country, sizeof out->place.country, jfinish(&r.country));
    fixed(out->place.fcode, sizeof out->place.fcode, jfinish(&r.fcode));
    out->date = jfinish(&r.date);
    out->date_text = jfinish(&r.date_text);
    out->precision = jfinish(&r.precision);
    out->modality = jfinish(&r.modality);
    out->evidence = r.evidence;
    if (r.nmore) {
        if (!(out->more = sr_arena_alloc(a, r.nmore * sizeof *out->more))) {
            *st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
            return 1;
        }
        memcpy(out->more, r.more, r.nmore * sizeof *out->more);
        out->nmore = r.nmore;
    }
    out->confidence = r.confidence;
    out->contradicted = r.contradicted;
    *st = SR_OK;
    return 1;
}

sr_status sr_event_from_json_in(char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx)
{
    sr_status st;
    if (fast(line, len, a, out, &st, ctx))
        return st;
    return from_jansson(line, len, a, out, ctx);
}

sr_status sr_event_from_json(const char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx)
{
    char *copy = sr_arena_strndup(a, line, len);
    if (!copy)
        return sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    return sr_event_from_json_in(copy, len, a, out, ctx);
}
