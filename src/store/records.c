/* records.c — event records read back from their JSON form, so that the
 * output of `sitrep extract` (or records written by hand for tests) can be
 * stored without extracting again.
 *
 * A record line is read by a small parser of its own (one pass, strings
 * straight into the arena): jansson took a quarter of the instructions of
 * `sitrep ingest --events`.  The small parser accepts a subset of what
 * jansson accepts (no \u escapes, at most MAXNODE values); a line it does
 * not take is read again by jansson, which also words every error, so
 * records and messages are the same either way. */
#include "store/store.h"

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

#define MAXNODE 256

typedef struct jnode {
    char t;                 /* o(bject) a(rray) s(tring) i(nteger) r(eal) t f n(ull) */
    const char *s;          /* string bytes (unescaped) or number text */
    size_t n;
    const char *k;          /* key in the parent object */
    size_t kn;
    int kid, next;          /* first child, next sibling; -1: none */
} jnode;

typedef struct jp {
    const char *p, *end;
    sr_arena *a;
    jnode node[MAXNODE];
    int n;
    int oom;
} jp;

static void ws(jp *j)
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

/* A string at j->p (on the quote); *s, *n: its bytes (into the line when
 * it has no escapes, else unescaped into the arena).  0 on anything the
 * small parser leaves to jansson. */
/* Bytes a string scan stops at: 1 quote, 2 backslash, 3 control, 4 non-ASCII. */
static const unsigned char str_stop[256] = {
    [0] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    ['"'] = 1, ['\\'] = 2,
#define F16 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4
    [128] = F16, F16, F16, F16, F16, F16, F16, F16
#undef F16
};

static int jstring(jp *j, const char **s, size_t *n)
{
    const char *b = ++j->p;
    int esc = 0;
    for (;;) {
        while (j->p < j->end && !str_stop[(unsigned char)*j->p])
            j->p++;
        if (j->p >= j->end || *j->p == '"')
            break;
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (j->p + 1 >= j->end || !j->p[1] || !strchr("\"\\/bfnrt", j->p[1]))
                return 0;   /* \u escapes (and bad ones) are jansson's */
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
    size_t len = (size_t)(j->p - b);
    j->p++;
    if (!esc) {
        *s = b, *n = len;
        return 1;
    }
    char *o = sr_arena_alloc(j->a, len + 1), *q = o;
    if (!o) {
        j->oom = 1;
        return 0;
    }
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    for (const char *p = b; p < b + len; p++)
        *q++ = *p == '\\' ? to[strchr(from, *++p) - from] : *p;
    *s = o, *n = (size_t)(q - o);
    return 1;
}

/* A JSON number (RFC 8259 grammar); its kind in *t. */
static int jnumber(jp *j, char *t)
{
    const char *p = j->p, *e = j->end;
    *t = 'i';
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
        *t = 'r';
        if (++p >= e || *p < '0' || *p > '9')
            return 0;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        *t = 'r';
        if (++p < e && (*p == '+' || *p == '-'))
            p++;
        if (p >= e || *p < '0' || *p > '9')
            return 0;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    /* integers beyond 18 digits: jansson's range checks decide */
    if (*t == 'i' && p - j->p > 18)
        return 0;
    j->p = p;
    return 1;
}

/* One value at j->p; its node index, or -1. */
static int jvalue(jp *j, int depth)
{
    ws(j);
    if (j->p >= j->end || j->n >= MAXNODE || depth > 16)
        return -1;
    int me = j->n++;
    jnode *x = &j->node[me];
    x->kid = x->next = -1;
    x->k = NULL, x->kn = 0;
    x->s = j->p;
    x->n = 0;
    char c = *j->p;
    if (c == '{' || c == '[') {
        x->t = c == '{' ? 'o' : 'a';
        j->p++;
        ws(j);
        char close = c == '{' ? '}' : ']';
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return me;
        }
        int last = -1;
        for (;;) {
            const char *k = NULL;
            size_t kn = 0;
            if (c == '{') {
                ws(j);
                if (j->p >= j->end || *j->p != '"' || !jstring(j, &k, &kn))
                    return -1;
                ws(j);
                if (j->p >= j->end || *j->p++ != ':')
                    return -1;
            }
            int v = jvalue(j, depth + 1);
            if (v < 0)
                return -1;
            j->node[v].k = k, j->node[v].kn = kn;
            if (last < 0)
                j->node[me].kid = v;
            else
                j->node[last].next = v;
            last = v;
            ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == close) {
                j->p++;
                return me;
            }
            return -1;
        }
    }
    if (c == '"') {
        x->t = 's';
        return jstring(j, &x->s, &x->n) ? me : -1;
    }
    static const char *const lit[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(lit[i]);
        if ((size_t)(j->end - j->p) >= l && !memcmp(j->p, lit[i], l)) {
            x->t = "tfn"[i];
            j->p += l;
            return me;
        }
    }
    if (!jnumber(j, &x->t))
        return -1;
    x->n = (size_t)(j->p - x->s);
    return me;
}

/* The member `key` of object o (the last one, as jansson keeps it); NULL
 * when absent or o is not an object. */
static const jnode *get(const jp *j, const jnode *o, const char *key)
{
    if (!o || o->t != 'o')
        return NULL;
    size_t kl = strlen(key);
    const jnode *r = NULL;
    for (int i = o->kid; i >= 0; i = j->node[i].next)
        if (j->node[i].kn == kl && !memcmp(j->node[i].k, key, kl))
            r = &j->node[i];
    return r;
}

static const char *gstr(jp *j, const jnode *o, const char *key)
{
    const jnode *v = get(j, o, key);
    if (!v || v->t != 's')
        return NULL;
    char *r = sr_arena_strndup(j->a, v->s, v->n);
    if (!r)
        j->oom = 1;
    return r;
}

static long long gint(const jnode *v)
{
    return v && v->t == 'i' ? strtoll(v->s, NULL, 10) : 0;
}

static double gnum(const jnode *v)
{
    if (!v || (v->t != 'i' && v->t != 'r'))
        return NAN;
    char b[64];
    size_t n = v->n < sizeof b - 1 ? v->n : sizeof b - 1;
    memcpy(b, v->s, n);
    b[n] = '\0';
    return strtod(b, NULL);
}

static void gactor(jp *j, const jnode *o, const char *k, sr_actor_ref *r)
{
    const jnode *v = get(j, o, k);
    if (v && v->t == 's')
        r->id = gstr(j, o, k);
    else if (v && v->t == 'o') {
        r->id = gstr(j, v, "id");
        r->name = gstr(j, v, "name");
        r->text = gstr(j, v, "text");
    }
}

static void fixed(char *dst, size_t cap, const char *src)
{
    if (src)
        snprintf(dst, cap, "%s", src);
}

/* 1 when the small parser read the line (out filled or an error set in
 * *st), 0 when it leaves the line to jansson. */
static int fast(const char *line, size_t len, sr_arena *a, sr_event *out, sr_status *st, sr_ctx *ctx)
{
    jp jbuf, *j = &jbuf;    /* 14 KB on the stack: no allocation a line */
    j->p = line, j->end = line + len, j->a = a, j->n = 0, j->oom = 0;
    int root = jvalue(j, 0), done = 0;
    ws(j);
    if (root < 0 || j->p != j->end || j->oom || j->node[root].t != 'o')
        goto out;   /* errors and non-objects: jansson words them */
    const jnode *o = &j->node[root], *v;
    memset(out, 0, sizeof *out);
    out->place.lat = out->place.lon = NAN;
    done = 1;
    out->doc = gstr(j, o, "doc");
    out->type = gstr(j, o, "type");
    if (!out->type)
        out->type = gstr(j, o, "kind");
    if (!out->doc || !out->type) {
        *st = j->oom ? sr_ctx_error(ctx, SR_ENOMEM, "out of memory")
                     : sr_ctx_error(ctx, SR_EFORMAT, "byte 0: a record needs \"doc\" and \"type\"");
        goto out;
    }
    gactor(j, o, "actor", &out->actor);
    gactor(j, o, "target", &out->target);
    gactor(j, o, "claimant", &out->claimant);
    const jnode *p = get(j, o, "place");
    if (p && p->t == 'o') {
        out->place.name = gstr(j, p, "name");
        out->place.text = gstr(j, p, "text");
        if ((v = get(j, p, "geonameid")) && v->t == 'i')
            out->place.geonameid = (uint32_t)gint(v);
        if ((v = get(j, p, "lat")) && (v->t == 'i' || v->t == 'r'))
            out->place.lat = gnum(v);
        if ((v = get(j, p, "lon")) && (v->t == 'i' || v->t == 'r'))
            out->place.lon = gnum(v);
        fixed(out->place.country, sizeof out->place.country, gstr(j, p, "country"));
        fixed(out->place.fcode, sizeof out->place.fcode, gstr(j, p, "fcode"));
    } else if (p && p->t == 's') {
        out->place.name = gstr(j, o, "place");
    }
    out->date = gstr(j, o, "date");
    out->date_text = gstr(j, o, "date_text");
    out->precision = gstr(j, o, "precision");
    out->modality = gstr(j, o, "modality");
    if ((v = get(j, o, "evidence")) && v->t == 'o') {
        out->evidence.start = (uint32_t)gint(get(j, v, "start"));
        out->evidence.end = (uint32_t)gint(get(j, v, "end"));
    }
    if ((v = get(j, o, "more_evidence")) && v->t == 'a' && v->kid >= 0) {
        size_t nm = 0;
        for (int i = v->kid; i >= 0; i = j->node[i].next)
            nm++;
        if (!(out->more = sr_arena_alloc(a, nm * sizeof *out->more)))
            j->oom = 1;
        for (int i = v->kid; out->more && i >= 0; i = j->node[i].next) {
            if (j->node[i].t != 'o')
                continue;
            out->more[out->nmore].start = (uint32_t)gint(get(j, &j->node[i], "start"));
            out->more[out->nmore++].end = (uint32_t)gint(get(j, &j->node[i], "end"));
        }
    }
    v = get(j, o, "confidence");
    out->confidence = v && (v->t == 'i' || v->t == 'r') ? gnum(v) : 0;
    v = get(j, o, "contradicted");
    out->contradicted = v && v->t == 't';
    *st = j->oom ? sr_ctx_error(ctx, SR_ENOMEM, "out of memory") : SR_OK;
out:
    return done;
}

sr_status sr_event_from_json(const char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx)
{
    sr_status st;
    if (fast(line, len, a, out, &st, ctx))
        return st;
    return from_jansson(line, len, a, out, ctx);
}
