/* gazimg_build.c — the gazetteer compiler: readable sources -> one image.
 *
 * Reads GeoNames dumps (cities500, allCountries, SY.txt...), GeoNames postal
 * files (US.txt: county centroids are the mean of their ZIP points), the
 * world-countries and country-state-city JSON files (countries with
 * demonyms, first-level divisions) and our own TSV files (data/gazetteer),
 * then writes the image described in gazimg.h.  Runs once at set-up (and on
 * `sitrep gazetteer add`), so it favours simple code over speed: everything
 * is held in memory, keys are sorted once, tables are built at the end. */
#include "lex/gazimg.h"
#include "lex/lex.h"
#include "core/buf.h"
#include "core/mem.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define OWN_ID0 4000000000u          /* ids for entries without a GeoNames id */
#define OWN_IDS 290000000u           /* ... up to OWN_ID0 + OWN_IDS (below 2^32) */

typedef struct pair { uint64_t h; uint32_t item; float prior; } pair;
typedef struct wpair { uint64_t h; uint32_t flags; } wpair;

typedef struct bld {
    sr_gazimg_ent *ent;
    size_t nent, cent;
    sr_buf pool;
    pair *key, *skel;
    size_t nkey, ckey, nskel, cskel;
    wpair *word;
    size_t nword, cword;
    uint64_t *pfx;                   /* hashes of key prefixes (gazimg.h: prefix filter) */
    size_t npfx, cpfx;
    uint32_t *idmap;                 /* open addressing: entry index + 1, 0 empty */
    size_t idcap;
    int32_t country[26 * 26];        /* cc -> entry index, -1 none */
    unsigned char translit[26 * 26]; /* cc whose names are romanised */
    sr_gazimg_src *src;
    size_t nsrc;
    sr_ctx *ctx;
} bld;

static const char *const kind_names[] = {NULL,    "geonames", "postal", "countries", "states",
                                        "tsv",   "words",    "stop",   "translit",  "names"};

const char *sr_gazsrc_name(sr_gazsrc_kind k)
{
    return (k >= 1 && k <= SR_GSRC_NAMES) ? kind_names[k] : "unknown";
}

int sr_gazsrc_parse(const char *name)
{
    for (int k = 1; k <= SR_GSRC_NAMES; k++)
        if (!strcmp(name, kind_names[k]))
            return k;
    return 0;
}

static sr_status oom(bld *b) { return sr_ctx_error(b->ctx, SR_ENOMEM, "gazetteer build: out of memory"); }

/* Prior importance of an entry: a population-like number used to order
 * candidate lists (sr_gaz_lookup returns the first). */
static float prior(const sr_gazimg_ent *e)
{
    double p = e->pop;
    switch (e->kind) {
    case SR_GK_COUNTRY: p = p > 5e7 ? p : 5e7 + p; break;
    case SR_GK_REGION: p = p > 3e7 ? p : 3e7; break;
    case SR_GK_ADM1: p = p > 2e5 ? p : 2e5; break;
    case SR_GK_ADM2: p = p > 5e4 ? p : 5e4; break;
    }
    if (!strncmp(e->fcode, "PPLC", 4))
        p *= 3;
    return (float)p;
}

void sr_gazimg_unit(float lat, float lon, float out[3])
{
    const double r = 0.017453292519943295;
    double cl = cos(lat * r);
    out[0] = (float)(cl * cos(lon * r));
    out[1] = (float)(cl * sin(lon * r));
    out[2] = (float)sin(lat * r);
}

float sr_gazimg_geo_prior(const sr_gazimg_ent *e)
{
    double pop = e->pop;
    switch (e->kind) {
    case SR_GK_COUNTRY: pop = pop > 5e7 ? pop : 5e7; break;
    case SR_GK_REGION: pop = pop > 3e7 ? pop : 3e7; break;
    case SR_GK_ADM1: pop = pop > 3e6 ? pop : 3e6; break;
    case SR_GK_ADM2: pop = pop > 4e4 ? pop : 4e4; break;
    case SR_GK_CITY: break;
    default: pop = pop > 1000 ? pop : 1000; break;
    }
    float s = (float)(log10(pop + 10) / 4.0);
    if (!strncmp(e->fcode, "PPLC", 4))
        s += 0.3f;
    else if (!strncmp(e->fcode, "PPLA", 4))
        s += 0.15f;
    return s;
}

static uint32_t pool_add(bld *b, const char *s, size_t n)
{
    uint32_t off = (uint32_t)b->pool.len;
    if (sr_buf_add(&b->pool, s, n) || sr_buf_addc(&b->pool, 0))
        return UINT32_MAX;
    return off;
}

static int32_t id_find(const bld *b, uint32_t id)
{
    if (!b->idcap)
        return -1;
    size_t m = b->idcap - 1, i = (id * 2654435761u) & m;
    for (; b->idmap[i]; i = (i + 1) & m)
        if (b->ent[b->idmap[i] - 1].id == id)
            return (int32_t)(b->idmap[i] - 1);
    return -1;
}

static int id_insert(bld *b, uint32_t idx)
{
    if ((b->nent + 1) * 2 > b->idcap) {
        size_t nc = b->idcap ? b->idcap * 2 : 4096;
        uint32_t *nm = sr_calloc(nc, sizeof *nm);
        if (!nm)
            return -1;
        for (size_t k = 0; k < b->idcap; k++)
            if (b->idmap[k]) {
                uint32_t id = b->ent[b->idmap[k] - 1].id;
                size_t i = (id * 2654435761u) & (nc - 1);
                while (nm[i])
                    i = (i + 1) & (nc - 1);
                nm[i] = b->idmap[k];
            }
        sr_free(b->idmap);
        b->idmap = nm;
        b->idcap = nc;
    }
    uint32_t id = b->ent[idx].id;
    size_t m = b->idcap - 1, i = (id * 2654435761u) & m;
    while (b->idmap[i])
        i = (i + 1) & m;
    b->idmap[i] = idx + 1;
    return 0;
}

static int cc_index(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static int kind_of(char fclass, const char *fcode)
{
    if (!strncmp(fcode, "PCL", 3))
        return SR_GK_COUNTRY;
    if (!strcmp(fcode, "ADM1"))
        return SR_GK_ADM1;
    if (!strcmp(fcode, "ADM2"))
        return SR_GK_ADM2;
    if (!strcmp(fcode, "CONT") || !strcmp(fcode, "RGN") || !strcmp(fcode, "AREA"))
        return SR_GK_REGION;
    if (fclass == 'P')
        return SR_GK_CITY;
    return SR_GK_OTHER;
}

static char fclass_of(const char *fcode)
{
    if (!strncmp(fcode, "PPL", 3))
        return 'P';
    if (!strncmp(fcode, "ADM", 3) || !strncmp(fcode, "PCL", 3))
        return 'A';
    if (!strcmp(fcode, "CONT") || !strcmp(fcode, "RGN") || !strcmp(fcode, "AREA"))
        return 'L';
    if (!strcmp(fcode, "DAM") || !strcmp(fcode, "STM") || !strcmp(fcode, "LK") || !strcmp(fcode, "RSV"))
        return 'H';
    if (!strcmp(fcode, "MT") || !strcmp(fcode, "MTS") || !strcmp(fcode, "VAL") || !strcmp(fcode, "DSRT"))
        return 'T';
    return 'S';
}

/* An id for an entry GeoNames does not have: from a hash of its name,
 * country and feature code, so that it stays the same when other rows are
 * added or sources reordered (stored facts keep pointing at the same
 * place); the next free id on a collision. */
static uint32_t own_id(const bld *b, const char *name, const char *cc, const char *fcode)
{
    char k[256];
    snprintf(k, sizeof k, "%s|%s|%s", name, cc ? cc : "", fcode ? fcode : "");
    uint32_t id = OWN_ID0 + (uint32_t)(sr_lex_hash(k, strlen(k)) % OWN_IDS);
    while (id_find(b, id) >= 0)
        id = id + 1 < OWN_ID0 + OWN_IDS ? id + 1 : OWN_ID0;
    return id;
}

/* A new entry; returns its index or -1 (out of memory). */
static long ent_new(bld *b, uint32_t id, const char *name, double lat, double lon, uint32_t pop, const char *cc,
                    const char *fcode, const char *a1, char fclass)
{
    if (sr_grow((void **)&b->ent, &b->cent, b->nent + 1, sizeof *b->ent, 1024))
        return -1;
    sr_gazimg_ent *e = &b->ent[b->nent];
    memset(e, 0, sizeof *e);
    e->id = id ? id : own_id(b, name, cc, fcode);
    e->name = pool_add(b, name, strlen(name));
    if (e->name == UINT32_MAX)
        return -1;
    e->lat = (float)lat;
    e->lon = (float)lon;
    e->pop = pop;
    if (cc && strlen(cc) >= 2)
        memcpy(e->cc, cc, 2);
    /* fixed-width fields, NUL-padded, not NUL-terminated when full */
    for (size_t k = 0; fcode && k < sizeof e->fcode && fcode[k]; k++)
        e->fcode[k] = fcode[k];
    for (size_t k = 0; a1 && k < sizeof e->a1 && a1[k]; k++)
        e->a1[k] = a1[k];
    e->fclass = (uint8_t)(fclass ? fclass : fclass_of(e->fcode));
    e->kind = (uint8_t)kind_of((char)e->fclass, e->fcode);
    int t = cc_index(e->cc);
    if (t >= 0 && b->translit[t])
        e->flags |= SR_GE_TRANSLIT;
    if (id_insert(b, (uint32_t)b->nent))
        return -1;
    if (e->kind == SR_GK_COUNTRY) {
        int k = cc_index(e->cc);
        if (k >= 0 && b->country[k] < 0)
            b->country[k] = (int32_t)b->nent;
    }
    return (long)b->nent++;
}

static uint32_t word_flags(const bld *b, uint64_t h);

/* Index one spelling of entry idx (exact key, and skeleton unless a
 * demonym); bits: SR_GAZ_LDEMONYM and/or SR_GAZ_LMAIN (its own name). */
static int add_key(bld *b, uint32_t idx, const char *s, size_t n, uint32_t bits)
{
    int demonym = (bits & SR_GAZ_LDEMONYM) != 0;
    char k[SR_LEX_MAX], sk[SR_LEX_MAX];
    size_t kn = sr_lex_norm(s, n, k, 1);
    if (kn < 2)
        return 0;
    float pr = prior(&b->ent[idx]);
    if (sr_grow((void **)&b->key, &b->ckey, b->nkey + 1, sizeof *b->key, 1024))
        return -1;
    b->key[b->nkey++] = (pair){sr_lex_hash(k, kn), idx | bits, pr};
    for (size_t l = SR_GAZIMG_PFX_MIN; l <= kn && l <= SR_GAZIMG_PFX_MAX; l++) {
        if (sr_grow((void **)&b->pfx, &b->cpfx, b->npfx + 1, sizeof *b->pfx, 4096))
            return -1;
        b->pfx[b->npfx++] = sr_lex_hash(k, l);
    }
    size_t sn = sr_lex_skel(k, kn, sk);
    /* skeletons only where spelling varies with the transliteration */
    if (!demonym && sn >= 3 && (b->ent[idx].flags & SR_GE_TRANSLIT)) {
        if (sr_grow((void **)&b->skel, &b->cskel, b->nskel + 1, sizeof *b->skel, 1024))
            return -1;
        b->skel[b->nskel++] = (pair){sr_lex_hash(sk, sn), idx, pr};
    }
    return 0;
}

static int add_keyz(bld *b, uint32_t idx, const char *s, uint32_t bits)
{
    return s ? add_key(b, idx, s, strlen(s), bits) : 0;
}

/* Split line in place on tabs; returns the number of fields. */
static int split(char *line, char **f, int max, char sep)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == sep) {
            *p = 0;
            if (n < max)
                f[n++] = p + 1;
        }
    size_t l = strlen(f[n - 1]);
    while (l && (f[n - 1][l - 1] == '\n' || f[n - 1][l - 1] == '\r'))
        f[n - 1][--l] = 0;
    return n;
}

/* GeoNames alternate names hold codes (IATA, ISO, postal) beside names:
 * keep only what looks like a name. */
static int name_like(const char *s)
{
    size_t n = strlen(s), up = 0, letters = 0;
    if (n < 2 || n > 60)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            return 0;
        if (c >= 'A' && c <= 'Z')
            up++;
        if ((c | 32) >= 'a' && (c | 32) <= 'z')
            letters++;
    }
    return !(up == letters && n <= 5);
}

static sr_status open_src(bld *b, const char *path, FILE **f)
{
    *f = fopen(path, "r");
    if (!*f)
        return sr_ctx_error(b->ctx, SR_EIO, "%s: %s", path, strerror(errno));
    return SR_OK;
}

static sr_status read_geonames(bld *b, const char *path)
{
    FILE *f;
    sr_status st = open_src(b, path, &f);
    if (st)
        return st;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        char *c[20];
        if (line[0] == '#' || split(line, c, 20, '\t') < 15)
            continue;
        char *end;
        unsigned long id = strtoul(c[0], &end, 10);
        if (*end || !id || id >= OWN_ID0) {
            st = sr_ctx_error(b->ctx, SR_EFORMAT, "%s:%ld: bad geonameid '%s'", path, lineno, c[0]);
            break;
        }
        if (id_find(b, (uint32_t)id) >= 0)
            continue;
        int idx = -1;
        if (!strncmp(c[7], "PCL", 3) && cc_index(c[8]) >= 0 && b->country[cc_index(c[8])] >= 0)
            idx = b->country[cc_index(c[8])];   /* the country is known: add its names */
        if (idx < 0) {
            long r = ent_new(b, (uint32_t)id, c[1], atof(c[4]), atof(c[5]), (uint32_t)strtoul(c[14], NULL, 10),
                             c[8], c[7], c[10], c[6][0]);
            if (r < 0) {
                st = oom(b);
                break;
            }
            idx = (int)r;
        }
        if (add_keyz(b, (uint32_t)idx, c[1], SR_GAZ_LMAIN) || add_keyz(b, (uint32_t)idx, c[2], SR_GAZ_LMAIN)) {
            st = oom(b);
            break;
        }
        for (char *a = c[3]; a && *a;) {
            char *comma = strchr(a, ',');
            if (comma)
                *comma = 0;
            if (name_like(a) && add_keyz(b, (uint32_t)idx, a, 0)) {
                st = oom(b);
                break;
            }
            a = comma ? comma + 1 : NULL;
        }
        if (st)
            break;
    }
    free(line);
    fclose(f);
    return st;
}

/* GeoNames postal codes: country, code, place, admin1 name, admin1 code,
 * admin2 name, admin2 code, admin3 name, admin3 code, lat, lon, accuracy.
 * Each admin2 (a US county) becomes an ADM2 entry at the mean of its
 * points; its population stand-in is 4000 per postal code. */
typedef struct acc { uint64_t h; double lat, lon; uint32_t n; char cc[3], a1[8]; char name[80]; } acc;

static sr_status read_postal(bld *b, const char *path)
{
    FILE *f;
    sr_status st = open_src(b, path, &f);
    if (st)
        return st;
    acc *a = NULL;
    size_t na = 0, ca = 0, mapcap = 1u << 16;
    uint32_t *map = sr_calloc(mapcap, sizeof *map);
    char *line = NULL;
    size_t cap = 0;
    if (!map) {
        fclose(f);
        return oom(b);
    }
    while (getline(&line, &cap, f) > 0) {
        char *c[13];
        if (split(line, c, 13, '\t') < 11 || !c[5][0])
            continue;
        char key[160];
        snprintf(key, sizeof key, "%s|%s|%s", c[0], c[4], c[5]);
        uint64_t h = sr_lex_hash(key, strlen(key));
        size_t i = h & (mapcap - 1);
        while (map[i] && a[map[i] - 1].h != h)
            i = (i + 1) & (mapcap - 1);
        if (!map[i]) {
            if (na * 2 >= mapcap || sr_grow((void **)&a, &ca, na + 1, sizeof *a, 1024)) {
                st = oom(b);   /* 32k admin2 areas per file is plenty */
                break;
            }
            acc *x = &a[na];
            memset(x, 0, sizeof *x);
            x->h = h;
            snprintf(x->cc, sizeof x->cc, "%s", c[0]);
            snprintf(x->a1, sizeof x->a1, "%s", c[4]);
            snprintf(x->name, sizeof x->name, "%s", c[5]);
            map[i] = (uint32_t)++na;
        }
        acc *x = &a[map[i] - 1];
        x->lat += atof(c[9]);
        x->lon += atof(c[10]);
        x->n++;
    }
    for (size_t k = 0; !st && k < na; k++) {
        acc *x = &a[k];
        char name[128];
        size_t ln = strlen(x->name);
        int has = (ln > 7 && !strcmp(x->name + ln - 7, " County")) || (ln > 7 && !strcmp(x->name + ln - 7, " Parish")) ||
                  strstr(x->name, "Borough") || strstr(x->name, "Census Area") || strstr(x->name, "Municipality") ||
                  (ln > 5 && !strcmp(x->name + ln - 5, " city"));
        if (!strcmp(x->cc, "US") && !has)
            snprintf(name, sizeof name, "%s %s", x->name, !strcmp(x->a1, "LA") ? "Parish" : "County");
        else
            snprintf(name, sizeof name, "%s", x->name);
        long r = ent_new(b, 0, name, x->lat / x->n, x->lon / x->n, x->n * 4000u, x->cc, "ADM2", x->a1, 'A');
        if (r < 0 || add_keyz(b, (uint32_t)r, name, SR_GAZ_LMAIN))
            st = oom(b);
    }
    sr_free(map);
    sr_free(a);
    free(line);
    fclose(f);
    return st;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "Syrian" -> also "Syrians"; "Iraqi" -> "Iraqis". */
static int add_demonym(bld *b, uint32_t idx, const char *d)
{
    if (!d || !*d)
        return 0;
    if (add_keyz(b, idx, d, SR_GAZ_LDEMONYM))
        return -1;
    size_t n = strlen(d);
    char pl[96];
    if (n + 2 < sizeof pl && (d[n - 1] == 'n' || d[n - 1] == 'i')) {
        snprintf(pl, sizeof pl, "%ss", d);
        return add_keyz(b, idx, pl, SR_GAZ_LDEMONYM);
    }
    return 0;
}

/* world-countries has no population: its area (km2) orders countries that
 * share a spelling or demonym ("American": the United States before
 * American Samoa); every country still weighs at least a large city. */
static uint32_t area_pop(json_t *area)
{
    double a = json_number_value(area);
    double p = 5e7 + a * 10;
    return p > 4e9 ? 4000000000u : (uint32_t)p;
}

static sr_status read_countries(bld *b, const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return sr_ctx_error(b->ctx, SR_EJSON, "%s:%d: %s", path, je.line, je.text);
    sr_status st = SR_OK;
    if (!json_is_array(root))
        st = sr_ctx_error(b->ctx, SR_EFORMAT, "%s: expected a JSON array of countries", path);
    size_t i;
    json_t *c;
    json_array_foreach(root, i, c) {
        if (st)
            break;
        json_t *nm = json_object_get(c, "name"), *ll = json_object_get(c, "latlng");
        const char *cc = jstr(c, "cca2"), *common = jstr(nm, "common");
        if (!cc || !common || json_array_size(ll) != 2)
            continue;
        int ci = cc_index(cc);
        long idx = ci >= 0 ? b->country[ci] : -1;
        if (idx < 0)
            idx = ent_new(b, 0, common, json_number_value(json_array_get(ll, 0)),
                          json_number_value(json_array_get(ll, 1)), area_pop(json_object_get(c, "area")), cc,
                          "PCLI", "00", 'A');
        if (idx < 0 || add_keyz(b, (uint32_t)idx, common, SR_GAZ_LMAIN) || add_keyz(b, (uint32_t)idx, jstr(nm, "official"), 0)) {
            st = oom(b);
            break;
        }
        size_t k;
        json_t *alt;
        json_array_foreach(json_object_get(c, "altSpellings"), k, alt) {
            const char *s = json_string_value(alt);
            if (s && strlen(s) >= 3 && add_keyz(b, (uint32_t)idx, s, 0))
                st = oom(b);
        }
        json_t *eng = json_object_get(json_object_get(c, "demonyms"), "eng");
        if (add_demonym(b, (uint32_t)idx, jstr(eng, "m")) || add_demonym(b, (uint32_t)idx, jstr(eng, "f")))
            st = oom(b);
    }
    json_decref(root);
    return st;
}

/* Generic words around a division's name ("Al Anbar Governorate"). */
static const char *const div_words[] = {" Governorate", " Province", " Region", " State", " Oblast", " District",
                                        " Department", " Prefecture", " Municipality", " Voivodeship",
                                        " Canton", " Emirate", " Territory", " Division", " County", NULL};

/* "Al Anbar Governorate" is also "Al Anbar": index the name without its
 * division word (or its "Republic of"), unless what is left is a common
 * word ("Central Region"). */
static int add_div_base(bld *b, uint32_t idx, const char *name)
{
    /* "Republic of Dagestan" is also "Dagestan" */
    static const char *const pre[] = {"Autonomous Republic of ", "Republic of ", "State of ", "Province of ",
                                      "Region of ", "Emirate of ", NULL};
    for (const char *const *p = pre; *p; p++)
        if (!strncmp(name, *p, strlen(*p)) && strlen(name) > strlen(*p) + 2)
            return add_keyz(b, idx, name + strlen(*p), SR_GAZ_LMAIN);
    size_t n = strlen(name);
    for (const char *const *w = div_words; *w; w++) {
        size_t wl = strlen(*w);
        if (n > wl + 2 && !strcmp(name + n - wl, *w)) {
            char k[SR_LEX_MAX];
            size_t kn = sr_lex_norm(name, n - wl, k, 1);
            if (!(word_flags(b, sr_lex_hash(k, kn)) & SR_GAZ_WCOMMON))
                return add_key(b, idx, name, n - wl, SR_GAZ_LMAIN);
            return 0;
        }
    }
    return 0;
}

static sr_status read_states(bld *b, const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return sr_ctx_error(b->ctx, SR_EJSON, "%s:%d: %s", path, je.line, je.text);
    sr_status st = json_is_array(root) ? SR_OK
                                       : sr_ctx_error(b->ctx, SR_EFORMAT, "%s: expected a JSON array of states", path);
    size_t i;
    json_t *s;
    json_array_foreach(root, i, s) {
        if (st)
            break;
        const char *name = jstr(s, "name"), *cc = jstr(s, "countryCode"), *iso = jstr(s, "isoCode");
        const char *la = jstr(s, "latitude"), *lo = jstr(s, "longitude");
        if (!name || !cc || !la || !lo || !*la)
            continue;
        long idx = ent_new(b, 0, name, atof(la), atof(lo), 0, cc, "ADM1", iso, 'A');
        if (idx < 0 || add_keyz(b, (uint32_t)idx, name, SR_GAZ_LMAIN)) {
            st = oom(b);
            break;
        }
        if (add_div_base(b, (uint32_t)idx, name))
            st = oom(b);
    }
    json_decref(root);
    return st;
}

/* The entry of this kind and country whose own name has the key of `name`
 * (TSV rows amend divisions that have no stable id: "Illinois" + "Ill."). */
static long find_named(const bld *b, const char *name, const char *cc, int kind)
{
    char k[SR_LEX_MAX], k2[SR_LEX_MAX];
    size_t kn = sr_lex_norm(name, strlen(name), k, 1);
    for (size_t i = 0; kn && i < b->nent; i++) {
        const sr_gazimg_ent *e = &b->ent[i];
        if (e->kind != kind || strncmp(e->cc, cc, 2))
            continue;
        const char *en = b->pool.data + e->name;
        if (sr_lex_norm(en, strlen(en), k2, 1) == kn && !memcmp(k, k2, kn))
            return (long)i;
    }
    return -1;
}

/* data/gazetteer/ TSV files: id, name, variants, demonyms, lat, lon, cc, fcode,
 * population, admin1, source (see data/gazetteer/README.md). */
static sr_status read_tsv(bld *b, const char *path)
{
    FILE *f;
    sr_status st = open_src(b, path, &f);
    if (st)
        return st;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    while (!st && getline(&line, &cap, f) > 0) {
        lineno++;
        char *c[12];
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int nf = split(line, c, 12, '\t');
        if (nf < 8) {
            st = sr_ctx_error(b->ctx, SR_EFORMAT, "%s:%ld: %d fields, expected 11", path, lineno, nf);
            break;
        }
        for (int k = nf; k < 12; k++)
            c[k] = "";
        uint32_t id = (uint32_t)strtoul(c[0], NULL, 10);
        long idx = -1;
        if (!strncmp(c[7], "PCL", 3) && cc_index(c[6]) >= 0)
            idx = b->country[cc_index(c[6])];
        if (idx < 0 && id)
            idx = id_find(b, id);
        if (idx < 0 && !id && c[1][0] && (!strcmp(c[7], "ADM1") || !strcmp(c[7], "ADM2")))
            idx = find_named(b, c[1], c[6], kind_of('A', c[7]));
        if (idx >= 0) {              /* amend a known entry */
            sr_gazimg_ent *e = &b->ent[idx];
            if (c[4][0] && c[5][0]) {
                e->lat = (float)atof(c[4]);
                e->lon = (float)atof(c[5]);
            }
            if (id && e->id >= OWN_ID0 && id_find(b, id) < 0) {
                e->id = id;
                if (id_insert(b, (uint32_t)idx)) {
                    st = oom(b);
                    break;
                }
            }
            if (c[8][0])
                e->pop = (uint32_t)strtoul(c[8], NULL, 10);
        } else {
            if (!c[1][0] || !c[4][0] || !c[5][0] || !c[6][0]) {
                st = sr_ctx_error(b->ctx, SR_EFORMAT, "%s:%ld: a new place needs name, lat, lon and country", path,
                                  lineno);
                break;
            }
            const char *cc = strcmp(c[6], "-") ? c[6] : "";
            idx = ent_new(b, id, c[1], atof(c[4]), atof(c[5]), (uint32_t)strtoul(c[8], NULL, 10), cc,
                          c[7][0] ? c[7] : "PPL", c[9], 0);
            if (idx < 0) {
                st = oom(b);
                break;
            }
        }
        if (add_keyz(b, (uint32_t)idx, c[1], SR_GAZ_LMAIN) ||
            ((b->ent[idx].kind == SR_GK_ADM1 || b->ent[idx].kind == SR_GK_ADM2) && add_div_base(b, (uint32_t)idx, c[1])))
            st = oom(b);
        for (int col = 2; col <= 3 && !st; col++)
            for (char *v = c[col]; v && *v;) {
                char *semi = strchr(v, ';');
                if (semi)
                    *semi = 0;
                while (*v == ' ')
                    v++;
                /* our own variants are curated spellings, as good as the name,
                 * except abbreviations ("Ill.", "Kan."), which the geoparser
                 * recognises by their missing SR_GAZ_LMAIN */
                uint32_t bits = col == 3 ? SR_GAZ_LDEMONYM : strchr(v, '.') ? 0 : SR_GAZ_LMAIN;
                if (*v && add_keyz(b, (uint32_t)idx, v, bits)) {
                    st = oom(b);
                    break;
                }
                v = semi ? semi + 1 : NULL;
            }
    }
    free(line);
    fclose(f);
    return st;
}

static int wcmp(const void *x, const void *y)
{
    const wpair *a = x, *b = y;
    return a->h < b->h ? -1 : a->h > b->h;
}

static uint32_t word_flags(const bld *b, uint64_t h)
{
    /* during the build the word list is kept sorted after each words source */
    size_t lo = 0, hi = b->nword;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->word[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t fl = 0;
    for (; lo < b->nword && b->word[lo].h == h; lo++)
        fl |= b->word[lo].flags;
    return fl;
}

static sr_status read_words(bld *b, const char *path, uint32_t flag)
{
    FILE *f;
    sr_status st = open_src(b, path, &f);
    if (st)
        return st;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        size_t n = strcspn(line, "\r\n");
        if (!n || line[0] == '#')
            continue;
        if (flag == SR_GAZ_WCOMMON) {   /* dictionary: only lower-case words are common words */
            size_t k = 0;
            while (k < n && line[k] >= 'a' && line[k] <= 'z')
                k++;
            if (k != n)
                continue;
        }
        char key[SR_LEX_MAX];
        size_t kn = sr_lex_norm(line, n, key, 0);
        if (!kn)
            continue;
        if (sr_grow((void **)&b->word, &b->cword, b->nword + 1, sizeof *b->word, 1024)) {
            st = oom(b);
            break;
        }
        b->word[b->nword++] = (wpair){sr_lex_hash(key, kn), flag};
    }
    free(line);
    fclose(f);
    qsort(b->word, b->nword, sizeof *b->word, wcmp);
    return st;
}

static sr_status read_translit(bld *b, const char *path)
{
    FILE *f;
    sr_status st = open_src(b, path, &f);
    if (st)
        return st;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] == '#')
            continue;
        int k = cc_index(line);
        if (k >= 0)
            b->translit[k] = 1;
    }
    free(line);
    fclose(f);
    return SR_OK;
}

uint64_t sr_gazimg_file_hash(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    uint64_t h = 1469598103934665603ull;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ull;
        }
    fclose(f);
    return h;
}

static int pcmp(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    if (a->prior != b->prior)
        return a->prior > b->prior ? -1 : 1;
    return (a->item & SR_GAZ_LINDEX) < (b->item & SR_GAZ_LINDEX) ? -1 : (a->item & SR_GAZ_LINDEX) > (b->item & SR_GAZ_LINDEX);
}

static int u64cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static size_t pow2_for(size_t n)
{
    size_t c = 16;
    while (c < n * 2)
        c *= 2;
    return c;
}

/* Pairs sorted: drop repeats, fill `tab` (cap slots) and append lists. */
static int make_table(pair *p, size_t n, sr_gazimg_slot *tab, size_t cap, uint32_t **list, size_t *nlist,
                      size_t *clist)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t start = (uint32_t)*nlist;
        for (; j < n && p[j].h == p[i].h; j++) {
            /* sorted by (hash, prior, index): repeats of an entry are adjacent */
            if (*nlist > start && ((*list)[*nlist - 1] & SR_GAZ_LINDEX) == (p[j].item & SR_GAZ_LINDEX)) {
                (*list)[*nlist - 1] |= p[j].item & SR_GAZ_LMAIN;   /* own name under any of its spellings */
                continue;
            }
            if (sr_grow((void **)list, clist, *nlist + 1, sizeof **list, 1024))
                return -1;
            (*list)[(*nlist)++] = p[j].item;
        }
        size_t s = p[i].h & (cap - 1);
        while (tab[s].hash)
            s = (s + 1) & (cap - 1);
        tab[s].hash = p[i].h;
        tab[s].list = start;
        tab[s].n = (uint32_t)(*nlist - start);
        i = j;
    }
    return 0;
}

static size_t count_groups(pair *p, size_t n)
{
    size_t g = 0;
    for (size_t i = 0; i < n; i++)
        if (!i || p[i].h != p[i - 1].h)
            g++;
    return g;
}

/* Append n bytes and the zeros to the next 8-byte boundary to the image
 * being assembled (img, cap bytes); -1 past its end. */
static int wr(unsigned char *img, uint64_t cap, const void *p, size_t n, uint64_t *off)
{
    size_t pad = (8 - ((*off + n) & 7)) & 7;
    if (*off + n + pad > cap)
        return -1;
    if (n)
        memcpy(img + *off, p, n);
    memset(img + *off + n, 0, pad);
    *off += n + pad;
    return 0;
}

/* Zeros from *off up to section offset `at` (never backwards: -1). */
static int pad_to(unsigned char *img, uint64_t at, uint64_t *off)
{
    if (at < *off)
        return -1;
    memset(img + *off, 0, at - *off);
    *off = at;
    return 0;
}

static const sr_gazimg_ent *g_sort_ent;
static int idxcmp(const void *x, const void *y)
{
    uint32_t a = g_sort_ent[*(const uint32_t *)x].id, b = g_sort_ent[*(const uint32_t *)y].id;
    return a < b ? -1 : a > b;
}

static sr_status write_image(bld *b, const char *out_path)
{
    sr_status st = SR_OK;
    /* the geoparser's vectors and priors, from the amended entries */
    for (size_t i = 0; i < b->nent; i++) {
        sr_gazimg_ent *e = &b->ent[i];
        float u[3];
        sr_gazimg_unit(e->lat, e->lon, u);
        e->ux = u[0], e->uy = u[1], e->uz = u[2];
        e->prior = sr_gazimg_geo_prior(e);
    }
    /* priors may have changed after amendments: recompute before sorting */
    for (size_t i = 0; i < b->nkey; i++)
        b->key[i].prior = prior(&b->ent[b->key[i].item & SR_GAZ_LINDEX]);
    for (size_t i = 0; i < b->nskel; i++)
        b->skel[i].prior = prior(&b->ent[b->skel[i].item]);
    qsort(b->key, b->nkey, sizeof *b->key, pcmp);
    qsort(b->skel, b->nskel, sizeof *b->skel, pcmp);
    size_t kcap = pow2_for(count_groups(b->key, b->nkey)), scap = pow2_for(count_groups(b->skel, b->nskel));
    /* words: merge flags of equal hashes */
    size_t nw = 0;
    for (size_t i = 0; i < b->nword; i++) {
        if (nw && b->word[nw - 1].h == b->word[i].h)
            b->word[nw - 1].flags |= b->word[i].flags;
        else
            b->word[nw++] = b->word[i];
    }
    size_t wcap = pow2_for(nw);
    /* bloom: about 16 bits per key keeps false positives near 2% */
    uint32_t blog = 16;
    while (blog < 30 && ((size_t)1 << blog) < b->nkey * 16)
        blog++;
    size_t bwords = ((size_t)1 << blog) / 64;
    uint64_t *bloom = sr_calloc(bwords, sizeof *bloom);
    /* prefix filter: distinct prefixes, 16 bits each as for the keys */
    qsort(b->pfx, b->npfx, sizeof *b->pfx, u64cmp);
    size_t np = 0;
    for (size_t i = 0; i < b->npfx; i++)
        if (!np || b->pfx[np - 1] != b->pfx[i])
            b->pfx[np++] = b->pfx[i];
    uint32_t plog = 16;
    while (plog < 30 && ((size_t)1 << plog) < np * 16)
        plog++;
    size_t pwords = ((size_t)1 << plog) / 64;
    uint64_t *pfx = sr_calloc(pwords, sizeof *pfx);
    sr_gazimg_slot *kt = sr_calloc(kcap, sizeof *kt), *stab = sr_calloc(scap, sizeof *stab),
                   *wt = sr_calloc(wcap, sizeof *wt);
    uint32_t *list = NULL, *ids = sr_malloc((b->nent + 1) * sizeof *ids);
    size_t nlist = 0, clist = 0;
    char tmp[4096];
    FILE *f = NULL;
    unsigned char *img = NULL;   /* the whole file, assembled before it is written */
    if (!kt || !stab || !wt || !ids || !bloom || !pfx || make_table(b->key, b->nkey, kt, kcap, &list, &nlist, &clist) ||
        make_table(b->skel, b->nskel, stab, scap, &list, &nlist, &clist)) {
        st = oom(b);
        goto done;
    }
    for (size_t i = 0; i < nw; i++) {
        size_t s = b->word[i].h & (wcap - 1);
        while (wt[s].hash)
            s = (s + 1) & (wcap - 1);
        wt[s].hash = b->word[i].h;
        wt[s].n = b->word[i].flags;
    }
    for (size_t i = 0; i < b->nkey; i++) {
        uint64_t h = b->key[i].h;   /* the layout of sr_gazimg_bloom_has */
        bloom[h & (bwords - 1)] |= ((uint64_t)1 << ((h >> 40) & 63)) | ((uint64_t)1 << ((h >> 50) & 63));
    }
    for (size_t i = 0; i < np; i++) {
        uint64_t ph = b->pfx[i];
        pfx[ph & (pwords - 1)] |= ((uint64_t)1 << ((ph >> 40) & 63)) | ((uint64_t)1 << ((ph >> 50) & 63));
    }
    for (size_t i = 0; i < b->nent; i++)
        ids[i] = (uint32_t)i;
    g_sort_ent = b->ent;
    qsort(ids, b->nent, sizeof *ids, idxcmp);

    sr_gazimg_hdr h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SR_GAZIMG_MAGIC, 8);
    h.version = SR_GAZIMG_VERSION;
    h.nent = (uint32_t)b->nent;
    h.nsrc = (uint32_t)b->nsrc;
    h.nlist = (uint32_t)nlist;
    h.kcap = (uint32_t)kcap;
    h.scap = (uint32_t)scap;
    h.wcap = (uint32_t)wcap;
    h.bloom_log2 = blog;
    h.pfx_log2 = plog;
    /* Section order and alignment: the bloom and prefix filters, tested at
     * random by every run of capitalised words, each on a 2 MB boundary of
     * the file, so that the page cache's 2 MB folios (see below) map them
     * whole with huge pages; the first 2 MB hold the header and the small
     * sections that fit before them; the rest follows, the cold pool and
     * sources last (the file's tail, a partial folio, maps in small pages) */
    uint64_t off = sizeof h;
#define SEC(field, bytes, al) \
    do { \
        off = (off + (al) - 1) & ~(uint64_t)((al) - 1); \
        h.field = off; \
        off += ((uint64_t)(bytes) + 7) & ~(uint64_t)7; \
    } while (0)
    const uint64_t huge = (uint64_t)2 << 20;
    SEC(off_ids, b->nent * sizeof *ids, 8);
    SEC(off_skel, scap * sizeof *stab, 8);
    SEC(off_bloom, bwords * sizeof *bloom, huge);
    SEC(off_pfx, pwords * sizeof *pfx, huge);
    SEC(off_ent, b->nent * sizeof *b->ent, 64);   /* the entries on cache lines (the mapping is page-aligned) */
    SEC(off_key, kcap * sizeof *kt, 8);
    SEC(off_word, wcap * sizeof *wt, 8);
    SEC(off_list, nlist * sizeof *list, 8);
    SEC(off_pool, b->pool.len, 8);
    SEC(off_src, b->nsrc * sizeof *b->src, 8);
#undef SEC
    h.pool_len = b->pool.len;
    h.size = off;
    /* the image assembled in memory and written in one call: the page
     * cache then holds the file in large folios (2 MB where aligned), which
     * the kernel maps with huge pages, and the geoparser's random probes of
     * its tables no longer miss the TLB at nearly every one (written in
     * sections of every size, 12 of its 44 MB came to be so mapped; in one
     * write, 42 MB: extract -8% CPU time on a VM) */
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    uint64_t w = 0;
    if (!(img = sr_malloc(h.size ? h.size : 1))) {
        st = oom(b);
        goto done;
    }
    /* (each section at its offset, the gaps between them zero) */
    if (wr(img, h.size, &h, sizeof h, &w) || pad_to(img, h.off_ids, &w) ||
        wr(img, h.size, ids, b->nent * sizeof *ids, &w) || pad_to(img, h.off_skel, &w) ||
        wr(img, h.size, stab, scap * sizeof *stab, &w) || pad_to(img, h.off_bloom, &w) ||
        wr(img, h.size, bloom, bwords * sizeof *bloom, &w) || pad_to(img, h.off_pfx, &w) ||
        wr(img, h.size, pfx, pwords * sizeof *pfx, &w) || pad_to(img, h.off_ent, &w) ||
        wr(img, h.size, b->ent, b->nent * sizeof *b->ent, &w) || pad_to(img, h.off_key, &w) ||
        wr(img, h.size, kt, kcap * sizeof *kt, &w) || pad_to(img, h.off_word, &w) ||
        wr(img, h.size, wt, wcap * sizeof *wt, &w) || pad_to(img, h.off_list, &w) ||
        wr(img, h.size, list, nlist * sizeof *list, &w) || pad_to(img, h.off_pool, &w) ||
        wr(img, h.size, b->pool.data, b->pool.len, &w) || pad_to(img, h.off_src, &w) ||
        wr(img, h.size, b->src, b->nsrc * sizeof *b->src, &w) || w != h.size) {
        st = sr_ctx_error(b->ctx, SR_EINTERNAL, "%s: assembled %llu bytes, expected %llu", tmp,
                          (unsigned long long)w, (unsigned long long)h.size);
        goto done;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        st = sr_ctx_error(b->ctx, SR_EIO, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    if (fwrite(img, 1, h.size, f) != h.size || fclose(f)) {
        f = NULL;
        remove(tmp);
        st = sr_ctx_error(b->ctx, SR_EIO, "%s: write failed: %s", tmp, strerror(errno));
        goto done;
    }
    f = NULL;
    if (rename(tmp, out_path))
        st = sr_ctx_error(b->ctx, SR_EIO, "%s: %s", out_path, strerror(errno));
done:
    if (f)
        fclose(f);
    sr_free(img);
    sr_free(kt);
    sr_free(stab);
    sr_free(wt);
    sr_free(list);
    sr_free(ids);
    sr_free(bloom);
    sr_free(pfx);
    return st;
}

sr_status sr_gazimg_build(const sr_gazsrc *src, size_t nsrc, const char *out_path, sr_ctx *ctx)
{
    bld b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    for (int i = 0; i < 26 * 26; i++)
        b.country[i] = -1;
    sr_buf_init(&b.pool);
    sr_status st = SR_OK;
    if (sr_buf_addc(&b.pool, 0))   /* offset 0 = "" */
        st = oom(&b);
    b.src = sr_calloc(nsrc ? nsrc : 1, sizeof *b.src);
    if (!b.src)
        st = oom(&b);
    /* words first, whatever the order given: division names consult them */
    for (int pass = 0; pass < 2 && !st; pass++)
        for (size_t i = 0; i < nsrc && !st; i++) {
            int isw = src[i].kind == SR_GSRC_WORDS || src[i].kind == SR_GSRC_STOP ||
                      src[i].kind == SR_GSRC_TRANSLIT || src[i].kind == SR_GSRC_NAMES;
            if (isw != (pass == 0))
                continue;
            switch (src[i].kind) {
            case SR_GSRC_GEONAMES: st = read_geonames(&b, src[i].path); break;
            case SR_GSRC_POSTAL: st = read_postal(&b, src[i].path); break;
            case SR_GSRC_COUNTRIES: st = read_countries(&b, src[i].path); break;
            case SR_GSRC_STATES: st = read_states(&b, src[i].path); break;
            case SR_GSRC_TSV: st = read_tsv(&b, src[i].path); break;
            case SR_GSRC_WORDS: st = read_words(&b, src[i].path, SR_GAZ_WCOMMON); break;
            case SR_GSRC_STOP: st = read_words(&b, src[i].path, SR_GAZ_WSTOP); break;
            case SR_GSRC_NAMES: st = read_words(&b, src[i].path, SR_GAZ_WGIVEN); break;
            case SR_GSRC_TRANSLIT: st = read_translit(&b, src[i].path); break;
            default: st = sr_ctx_error(ctx, SR_EARG, "gazetteer build: unknown source kind %d", (int)src[i].kind);
            }
            if (st)
                break;
            struct stat sb;
            char real[PATH_MAX];
            const char *p = realpath(src[i].path, real) ? real : src[i].path;
            if (stat(src[i].path, &sb)) {
                st = sr_ctx_error(ctx, SR_EIO, "%s: %s", src[i].path, strerror(errno));
                break;
            }
            sr_gazimg_src *s = &b.src[b.nsrc++];
            s->kind = src[i].kind;
            s->path = pool_add(&b, p, strlen(p));
            s->size = (uint64_t)sb.st_size;
            s->mtime = (int64_t)sb.st_mtime;
            s->hash = sr_gazimg_file_hash(src[i].path);
            if (s->path == UINT32_MAX)
                st = oom(&b);
        }
    if (!st && !b.nent)
        st = sr_ctx_error(ctx, SR_EARG, "gazetteer build: the sources hold no places");
    if (!st)
        st = write_image(&b, out_path);
    sr_free(b.ent);
    sr_buf_finish(&b.pool);
    sr_free(b.key);
    sr_free(b.skel);
    sr_free(b.word);
    sr_free(b.pfx);
    sr_free(b.idmap);
    sr_free(b.src);
    return st;
}
