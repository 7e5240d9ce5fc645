/* event_json.c — one event record as a JSON object (the line format of
 * `sitrep extract`, see ../shared/eval/README.md).  Empty strings are left
 * out rather than written as null, except the fields every record has. */
#include "extract/event.h"

#include <math.h>

static int actor_json(sr_buf *o, const char *key, const sr_actor_ref *a)
{
    if (!a->id && !a->text)
        return 0;
    int bad = sr_buf_adds(o, ",\"") || sr_buf_adds(o, key) || sr_buf_adds(o, "\":{\"id\":") || sr_buf_json_cstr(o, a->id) || sr_buf_adds(o, ",\"name\":") ||
              sr_buf_json_cstr(o, a->name) || sr_buf_adds(o, ",\"text\":") || sr_buf_json_cstr(o, a->text);
    if (!bad && a->group)
        bad = sr_buf_adds(o, ",\"group\":") || sr_buf_json_cstr(o, a->group);
    if (!bad && a->kind)
        bad = sr_buf_adds(o, ",\"kind\":") || sr_buf_json_cstr(o, a->kind);
    if (!bad && a->backed_by)
        bad = sr_buf_adds(o, ",\"backed_by\":") || sr_buf_json_cstr(o, a->backed_by);
    return bad || sr_buf_addc(o, '}');
}

static int num(sr_buf *o, double v)
{
    if (isnan(v))
        return sr_buf_adds(o, "null");
    return sr_buf_addfix(o, v, 5);
}

int sr_event_to_json(const sr_event *e, sr_buf *o)
{
    int bad = sr_buf_adds(o, "{\"doc\":") || sr_buf_json_cstr(o, e->doc) || sr_buf_adds(o, ",\"type\":") ||
              sr_buf_json_cstr(o, e->type);
    bad = bad || actor_json(o, "actor", &e->actor) || actor_json(o, "target", &e->target);
    if (!bad && (e->place.name || e->place.text)) {
        bad = sr_buf_adds(o, ",\"place\":{\"name\":") || sr_buf_json_cstr(o, e->place.name) ||
              sr_buf_adds(o, ",\"text\":") || sr_buf_json_cstr(o, e->place.text) || sr_buf_adds(o, ",\"geonameid\":");
        bad = bad || (e->place.geonameid ? sr_buf_addu(o, e->place.geonameid)
                                         : sr_buf_adds(o, "null"));
        bad = bad || sr_buf_adds(o, ",\"lat\":") || num(o, e->place.lat) || sr_buf_adds(o, ",\"lon\":") ||
              num(o, e->place.lon);
        if (!bad && e->place.country[0])
            bad = sr_buf_adds(o, ",\"country\":") || sr_buf_json_cstr(o, e->place.country);
        if (!bad && e->place.fcode[0])
            bad = sr_buf_adds(o, ",\"fcode\":") || sr_buf_json_cstr(o, e->place.fcode);
        if (!bad && e->place_near)
            bad = sr_buf_adds(o, ",\"near\":") || sr_buf_json_cstr(o, e->place_near);
        bad = bad || sr_buf_addc(o, '}');
    }
    bad = bad || sr_buf_adds(o, ",\"date\":") || sr_buf_json_cstr(o, e->date) || sr_buf_adds(o, ",\"date_text\":") ||
          sr_buf_json_cstr(o, e->date_text) || sr_buf_adds(o, ",\"precision\":") || sr_buf_json_cstr(o, e->precision);
    if (!bad && e->since)
        bad = sr_buf_adds(o, ",\"since\":") || sr_buf_json_cstr(o, e->since);
    bad = bad || sr_buf_adds(o, ",\"modality\":") || sr_buf_json_cstr(o, e->modality);
    bad = bad || actor_json(o, "claimant", &e->claimant);
    bad = bad || sr_buf_adds(o, ",\"evidence\":{\"start\":") || sr_buf_addu(o, e->evidence.start) ||
          sr_buf_adds(o, ",\"end\":") || sr_buf_addu(o, e->evidence.end) || sr_buf_addc(o, '}');
    if (!bad && e->nmore) {
        bad = sr_buf_adds(o, ",\"more_evidence\":[");
        for (uint32_t i = 0; !bad && i < e->nmore; i++)
            bad = sr_buf_adds(o, i ? ",{\"start\":" : "{\"start\":") || sr_buf_addu(o, e->more[i].start) ||
                  sr_buf_adds(o, ",\"end\":") || sr_buf_addu(o, e->more[i].end) || sr_buf_addc(o, '}');
        bad = bad || sr_buf_addc(o, ']');
    }
    bad = bad || sr_buf_adds(o, e->contradicted ? ",\"contradicted\":true,\"confidence\":"
                                                : ",\"contradicted\":false,\"confidence\":") ||
          sr_buf_addfix(o, e->confidence, 2);
    if (!bad && e->rule)
        bad = sr_buf_adds(o, ",\"rule\":") || sr_buf_json_cstr(o, e->rule);
    return bad || sr_buf_addc(o, '}');
}
