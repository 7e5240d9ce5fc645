/* storecli.c — shared pieces of the store commands (see storecli.h). */
#include "cli/storecli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *storecli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *e = getenv("SITREP_DB");
    return e && *e ? e : SR_STORE_DEFAULT;
}

sr_store *storecli_open_query(const char *db)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_store *s;
    if (sr_store_open(&s, db, SR_STORE_READONLY, &ctx)) {
        cli_error(&ctx);
        return NULL;
    }
    return s;
}

sr_gaz *storecli_gazetteer(void)
{
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_gaz *g = NULL;
    char def[4096];
    const char *p = getenv("SITREP_GAZETTEER");
    if (!p || !*p) {
        sr_gaz_default_path(def, sizeof def);
        p = def;
    }
    if (sr_gaz_open(&g, p, &ctx))
        return NULL;
    return g;
}

const char *storecli_arg(int argc, char **argv, int *i, const char *cmd)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "sitrep %s: %s needs a value\n", cmd, argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static int num(sr_buf *b, double v, const char *fmt)
{
    return isnan(v) ? sr_buf_adds(b, "null") : sr_buf_addf(b, fmt, v);
}

int storecli_json_place(sr_buf *b, const sr_store_place *p)
{
    int bad = sr_buf_adds(b, "{\"name\":") || sr_buf_json_cstr(b, p->name) || sr_buf_adds(b, ",\"geonameid\":");
    bad = bad || (p->geonameid ? sr_buf_addf(b, "%u", p->geonameid) : sr_buf_adds(b, "null"));
    bad = bad || sr_buf_adds(b, ",\"lat\":") || num(b, p->lat, "%.4f") || sr_buf_adds(b, ",\"lon\":") ||
          num(b, p->lon, "%.4f") || sr_buf_adds(b, ",\"country\":") || sr_buf_json_cstr(b, p->country);
    bad = bad || sr_buf_adds(b, ",\"population\":") ||
          (p->population ? sr_buf_addf(b, "%lld", (long long)p->population) : sr_buf_adds(b, "null"));
    return bad || sr_buf_addc(b, '}');
}

int storecli_json_source(sr_buf *b, const sr_store_source *x)
{
    return sr_buf_adds(b, "{\"doc\":") || sr_buf_json_cstr(b, x->doc) || sr_buf_adds(b, ",\"source\":") ||
           sr_buf_json_cstr(b, x->source) || sr_buf_adds(b, ",\"title\":") || sr_buf_json_cstr(b, x->title) ||
           sr_buf_adds(b, ",\"url\":") || sr_buf_json_cstr(b, x->url) || sr_buf_adds(b, ",\"published\":") ||
           sr_buf_json_cstr(b, x->published) || sr_buf_adds(b, ",\"origin\":") || sr_buf_json_cstr(b, x->origin) ||
           sr_buf_adds(b, ",\"type\":") || sr_buf_json_cstr(b, x->type) || sr_buf_adds(b, ",\"actor\":") ||
           sr_buf_json_cstr(b, x->actor) || sr_buf_adds(b, ",\"date\":") || sr_buf_json_cstr(b, x->date) ||
           sr_buf_adds(b, ",\"modality\":") || sr_buf_json_cstr(b, x->modality) ||
           sr_buf_addf(b, ",\"confidence\":%.2f,\"evidence\":{\"start\":%u,\"end\":%u,\"text\":", x->confidence,
                       x->start, x->end) ||
           sr_buf_json_cstr(b, x->evidence) || sr_buf_adds(b, "}}");
}

static int actor_json(sr_buf *b, const char *id, const char *name)
{
    if (!id && !name)
        return sr_buf_adds(b, "null");
    return sr_buf_adds(b, "{\"id\":") || sr_buf_json_cstr(b, id) || sr_buf_adds(b, ",\"name\":") ||
           sr_buf_json_cstr(b, name) || sr_buf_addc(b, '}');
}

int storecli_json_fact(sr_buf *b, const sr_store_fact *f)
{
    int bad = sr_buf_addf(b, "{\"id\":%lld,\"type\":", (long long)f->id) || sr_buf_json_cstr(b, f->type) ||
              sr_buf_adds(b, ",\"actor\":") || actor_json(b, f->actor, f->actor_name) ||
              sr_buf_adds(b, ",\"target\":") || actor_json(b, f->target, f->target_name) ||
              sr_buf_adds(b, ",\"place\":") || storecli_json_place(b, &f->place) || sr_buf_adds(b, ",\"date\":") ||
              sr_buf_json_cstr(b, f->date_first) || sr_buf_adds(b, ",\"date_last\":") ||
              sr_buf_json_cstr(b, f->date_last) || sr_buf_adds(b, ",\"precision\":") ||
              sr_buf_json_cstr(b, f->precision) || sr_buf_adds(b, ",\"first_report\":") ||
              sr_buf_json_cstr(b, f->reported_first) || sr_buf_adds(b, ",\"last_report\":") ||
              sr_buf_json_cstr(b, f->reported_last) ||
              sr_buf_addf(b, ",\"nsources\":%u,\"origins\":%u,\"confidence\":%.3f,\"status\":\"%s\",\"conflicts\":[",
                          f->nsources, f->norigins, f->confidence, f->contested ? "contested" : "reported");
    for (size_t i = 0; !bad && i < f->nconflicts; i++)
        bad = sr_buf_addf(b, "%s%lld", i ? "," : "", (long long)f->conflicts[i]);
    bad = bad || sr_buf_adds(b, "],\"sources\":[");
    for (size_t i = 0; !bad && i < f->nsrc; i++)
        bad = (i && sr_buf_addc(b, ',')) || storecli_json_source(b, &f->src[i]);
    return bad || sr_buf_adds(b, "]}");
}

int storecli_text_fact(sr_buf *b, const sr_store_fact *f)
{
    int bad = sr_buf_addf(b, "%-10s  %-15s %s", f->date_first ? f->date_first : "(no date)", f->type,
                          f->actor ? f->actor : f->actor_name ? f->actor_name : "?");
    if (f->target || f->target_name)
        bad = bad || sr_buf_addf(b, " from %s", f->target ? f->target : f->target_name);
    bad = bad || sr_buf_addf(b, " at %s", f->place.name ? f->place.name : "?");
    if (f->place.geonameid)
        bad = bad || sr_buf_addf(b, " (%u)", f->place.geonameid);
    bad = bad || sr_buf_addf(b, "  [%u record%s, %u origin%s, confidence %.2f%s]", f->nsources,
                             f->nsources == 1 ? "" : "s", f->norigins, f->norigins == 1 ? "" : "s", f->confidence,
                             f->contested ? ", CONTESTED" : "");
    for (size_t i = 0; !bad && i < f->nsrc; i++)
        bad = sr_buf_addf(b, "%s%s", i ? ", " : "  docs: ", f->src[i].doc);
    return bad || sr_buf_addc(b, '\n');
}
