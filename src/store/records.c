/* records.c — event records read back from their JSON form, so that the
 * output of `sitrep extract` (or records written by hand for tests) can be
 * stored without extracting again. */
#include "store/store.h"

#include <jansson.h>
#include <math.h>
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

sr_status sr_event_from_json(const char *line, size_t len, sr_arena *a, sr_event *out, sr_ctx *ctx)
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
    json_t *c = json_object_get(o, "confidence");
    out->confidence = json_is_number(c) ? json_number_value(c) : 0;
    out->contradicted = json_is_true(json_object_get(o, "contradicted"));
    if (oom)
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
done:
    json_decref(o);
    return st;
}
