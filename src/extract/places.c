/* places.c — the compiled gazetteer at run time: map, validate, look up.
 *
 * sr_gaz_open maps the image read-only (pages come in on demand, so start-up
 * costs a few system calls and RSS grows only with the keys touched) and
 * checks magic, version and section bounds once; look-ups are then pointer
 * arithmetic and one open-addressing probe per key. */
#include "extract/places_int.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int sec_ok(const sr_gazimg_hdr *h, uint64_t off, uint64_t bytes)
{
    return off >= sizeof *h && off <= h->size && bytes <= h->size - off;
}

sr_status sr_gaz_open(sr_gaz **out, const char *path, sr_ctx *ctx)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return sr_ctx_error(ctx, errno == ENOENT ? SR_ENOTFOUND : SR_EIO,
                            "%s: %s (build it with `sitrep gazetteer build` or ./setup.sh)", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) || (size_t)sb.st_size < sizeof(sr_gazimg_hdr)) {
        close(fd);
        return sr_ctx_error(ctx, SR_EFORMAT, "%s: byte 0: not a gazetteer image (too short)", path);
    }
    /* Every page mapped at once: the geoparser's probes land all over the
     * image's tables, and each first touch of a page is a fault (~13 us
     * under this kind of VM, ~650 of them in a 3 MB run); populating the
     * mapping in one call costs well under a millisecond when the file is
     * in the page cache.  MADV_HUGEPAGE first: a file the page cache holds
     * in 2 MB folios (gazimg_build.c writes it so; a cold file is read so)
     * is mapped with huge pages, and the random probes then rarely miss the
     * TLB.  (Either advice may be unknown to an older kernel: no matter.) */
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
        (void)madvise(m, (size_t)sb.st_size, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_READ
        (void)madvise(m, (size_t)sb.st_size, MADV_POPULATE_READ);
#endif
    }
    close(fd);
    if (m == MAP_FAILED)
        return sr_ctx_error(ctx, SR_EIO, "%s: mmap: %s", path, strerror(errno));
    const sr_gazimg_hdr *h = m;
    sr_status st = SR_OK;
    if (memcmp(h->magic, SR_GAZIMG_MAGIC, 8))
        st = sr_ctx_error(ctx, SR_EFORMAT, "%s: byte 0: not a gazetteer image (bad magic)", path);
    else if (h->version != SR_GAZIMG_VERSION)
        st = sr_ctx_error(ctx, SR_ESTALE, "%s: byte 8: image version %u, this sitrep reads %u: rebuild it", path,
                          h->version, SR_GAZIMG_VERSION);
    else if (h->size != (uint64_t)sb.st_size || !sec_ok(h, h->off_ent, (uint64_t)h->nent * sizeof(sr_gazimg_ent)) ||
             !sec_ok(h, h->off_ids, (uint64_t)h->nent * 4) ||
             !sec_ok(h, h->off_key, (uint64_t)h->kcap * sizeof(sr_gazimg_slot)) ||
             !sec_ok(h, h->off_skel, (uint64_t)h->scap * sizeof(sr_gazimg_slot)) ||
             !sec_ok(h, h->off_word, (uint64_t)h->wcap * sizeof(sr_gazimg_slot)) ||
             !sec_ok(h, h->off_list, (uint64_t)h->nlist * 4) || !sec_ok(h, h->off_pool, h->pool_len) ||
             !sec_ok(h, h->off_src, (uint64_t)h->nsrc * sizeof(sr_gazimg_src)) || h->bloom_log2 < 6 ||
             h->bloom_log2 > 40 || !sec_ok(h, h->off_bloom, ((uint64_t)1 << h->bloom_log2) / 8) || h->pfx_log2 < 6 ||
             h->pfx_log2 > 40 || !sec_ok(h, h->off_pfx, ((uint64_t)1 << h->pfx_log2) / 8) || !h->kcap || !h->scap || !h->wcap ||
             (h->kcap & (h->kcap - 1)) || (h->scap & (h->scap - 1)) || (h->wcap & (h->wcap - 1)) || !h->pool_len ||
             ((const char *)m)[h->off_pool + h->pool_len - 1] != 0)
        st = sr_ctx_error(ctx, SR_EFORMAT, "%s: byte 16: corrupt gazetteer image (sections out of bounds)", path);
    sr_gaz *g = st ? NULL : sr_calloc(1, sizeof *g);
    /* the token cache, its tags and the run memo (1.56 MB, probed at random by every
     * capitalised word) on one 2 MB boundary, advised into a huge page: one
     * TLB entry for all instead of ~400 (4 MB asked for, so that a whole
     * aligned 2 MB lies inside; the pages around it are never touched).
     * Mapped, not calloc'ed: the kernel's pages are zero already (a calloc
     * from a heap the front end made up front has to clear 4 MB, ~3 ms),
     * and the advice comes before the first touch, which can then fault
     * in one huge page. */
    if (g) {
        void *tm = mmap(NULL, 2 * SR_GAZ_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (tm == MAP_FAILED) {
            sr_free(g);
            g = NULL;
        } else
            g->tc_mem = tm;
    }
    if (g) {
        g->tc = (sr_gaz_tok *)((uintptr_t)((char *)g->tc_mem + SR_GAZ_HUGE - 1) & ~(uintptr_t)(SR_GAZ_HUGE - 1));
        g->runs = (sr_gaz_run *)(g->tc + SR_GAZ_TC);
        g->tctag = (uint64_t *)(g->runs + SR_GAZ_RUNS);
#ifdef MADV_HUGEPAGE
        (void)madvise(g->tc, SR_GAZ_HUGE, MADV_HUGEPAGE);
#endif
        for (size_t i = 0; i < SR_GAZ_TC_SETS; i++)
            g->tctag[i] = SR_GAZ_TC_TAG0;
    }
    if (!st && !g)
        st = sr_ctx_error(ctx, SR_ENOMEM, "out of memory");
    if (st) {
        munmap(m, (size_t)sb.st_size);
        return st;
    }
    g->base = m;
    g->size = (size_t)sb.st_size;
    g->h = h;
    g->ent = (const sr_gazimg_ent *)(g->base + h->off_ent);
    g->ids = (const uint32_t *)(g->base + h->off_ids);
    g->key = (const sr_gazimg_slot *)(g->base + h->off_key);
    g->skel = (const sr_gazimg_slot *)(g->base + h->off_skel);
    g->word = (const sr_gazimg_slot *)(g->base + h->off_word);
    g->list = (const uint32_t *)(g->base + h->off_list);
    g->pool = (const char *)(g->base + h->off_pool);
    g->src = (const sr_gazimg_src *)(g->base + h->off_src);
    g->bloom = (const uint64_t *)(g->base + h->off_bloom);
    g->pfx = (const uint64_t *)(g->base + h->off_pfx);
    *out = g;
    return SR_OK;
}

void sr_gaz_close(sr_gaz *g)
{
    if (!g)
        return;
    munmap((void *)g->base, g->size);
    if (g->tc_mem)
        munmap(g->tc_mem, 2 * SR_GAZ_HUGE);
    sr_free(g);
}

size_t sr_gaz_size(const sr_gaz *g) { return g ? g->h->nent : 0; }
size_t sr_gaz_nsources(const sr_gaz *g) { return g ? g->h->nsrc : 0; }

const char *sr_gaz_source(const sr_gaz *g, size_t i, const char **kind)
{
    if (!g || i >= g->h->nsrc)
        return NULL;
    if (kind)
        *kind = sr_gazsrc_name((sr_gazsrc_kind)g->src[i].kind);
    return g->src[i].path < g->h->pool_len ? g->pool + g->src[i].path : "";
}

sr_status sr_gaz_check(const sr_gaz *g, sr_ctx *ctx)
{
    if (!g)
        return sr_ctx_error(ctx, SR_EARG, "gazetteer check: no image");
    for (size_t i = 0; i < g->h->nsrc; i++) {
        const char *p = sr_gaz_source(g, i, NULL);
        struct stat sb;
        if (stat(p, &sb))
            continue;   /* not on this machine: cannot judge */
        const char *why = NULL;
        if ((uint64_t)sb.st_size != g->src[i].size)
            why = "size differs";
        else if ((int64_t)sb.st_mtime > g->src[i].mtime)
            why = "newer";
        else if ((int64_t)sb.st_mtime != g->src[i].mtime)
            why = "time differs";
        else if (sr_gazimg_file_hash(p) != g->src[i].hash)
            why = "content differs";
        if (why)
            return sr_ctx_error(ctx, SR_ESTALE, "%s: changed since the gazetteer image was built (%s): rebuild it",
                                p, why);
    }
    return SR_OK;
}

void sr_gaz_default_path(char *buf, size_t cap)
{
    const char *env = getenv("SITREP_DATA");
    if (env && *env) {
        snprintf(buf, cap, "%s/gazetteer.img", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, cap, "%s/../data/compiled/gazetteer.img", exe);
            if (!access(buf, R_OK))
                return;
        }
    }
    snprintf(buf, cap, "data/compiled/gazetteer.img");
}

void sr_gaz_ref(const sr_gaz *g, uint32_t i, sr_place_ref *out)
{
    const sr_gazimg_ent *e = &g->ent[i];
    out->name = e->name < g->h->pool_len ? g->pool + e->name : "";
    out->text = NULL;
    out->geonameid = e->id;
    out->lat = e->lat;
    out->lon = e->lon;
    out->country[0] = e->cc[0];
    out->country[1] = e->cc[1];
    out->country[2] = 0;
    /* the code is NUL-padded in the image: its six bytes copied whole and
     * the string closed after them (the same string as a byte loop to the
     * first NUL, without its branches; asked for every mention's entry) */
    _Static_assert(sizeof e->fcode < sizeof out->fcode, "a place's feature code fits the record's");
    memcpy(out->fcode, e->fcode, sizeof e->fcode);
    out->fcode[sizeof e->fcode] = 0;
}

static size_t from_slot(const sr_gaz *g, const sr_gazimg_slot *s, sr_place_ref *out, size_t max, size_t have)
{
    if (!s)
        return have;
    for (uint32_t k = 0; k < s->n && s->list + k < g->h->nlist; k++) {
        uint32_t e = g->list[s->list + k] & SR_GAZ_LINDEX;
        if (e >= g->h->nent)
            continue;
        int dup = 0;
        for (size_t j = 0; j < have && j < max; j++)
            if (out[j].geonameid == g->ent[e].id)
                dup = 1;
        if (dup)
            continue;
        if (have < max)
            sr_gaz_ref(g, e, &out[have]);
        have++;
    }
    return have;
}

size_t sr_gaz_candidates(const sr_gaz *g, const char *name, int loose, sr_place_ref *out, size_t max)
{
    if (!g || !name)
        return 0;
    char k[SR_LEX_MAX], sk[SR_LEX_MAX];
    size_t kn = sr_lex_norm(name, strlen(name), k, 0);
    if (!kn)
        return 0;
    size_t n = from_slot(g, sr_gaz_find(g->key, g->h->kcap, sr_lex_hash(k, kn)), out, max, 0);
    if (!loose)
        return n;   /* (the skeleton only when it is asked for) */
    size_t sn = sr_lex_skel(k, kn, sk);
    if (sn >= 3)
        n = from_slot(g, sr_gaz_find(g->skel, g->h->scap, sr_lex_hash(sk, sn)), out, max, n);
    return n;
}

sr_status sr_gaz_lookup(const sr_gaz *g, const char *name, sr_place_ref *out)
{
    if (!g || !name || !out)
        return SR_EARG;
    char *end;
    unsigned long id = strtoul(name, &end, 10);
    if (*name >= '0' && *name <= '9' && !*end) {
        size_t lo = 0, hi = g->h->nent;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            uint32_t v = g->ent[g->ids[mid]].id;
            if (v < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < g->h->nent && g->ent[g->ids[lo]].id == id) {
            sr_gaz_ref(g, g->ids[lo], out);
            return SR_OK;
        }
        return SR_ENOTFOUND;
    }
    /* exact spelling first; the skeleton only for names long enough that a
     * consonant match is telling (5+ consonants: "Deir el-Zour", "Boukamal");
     * the key made once for both (sr_gaz_candidates made it three times
     * here, and asked the exact key twice) */
    char k[SR_LEX_MAX], sk[SR_LEX_MAX];
    size_t kn = sr_lex_norm(name, strlen(name), k, 0);
    if (!kn)
        return SR_ENOTFOUND;
    if (from_slot(g, sr_gaz_find(g->key, g->h->kcap, sr_lex_hash(k, kn)), out, 1, 0))
        return SR_OK;
    size_t sn = sr_lex_skel(k, kn, sk);
    if (sn >= 4 && from_slot(g, sr_gaz_find(g->skel, g->h->scap, sr_lex_hash(sk, sn)), out, 1, 0))
        return SR_OK;
    return SR_ENOTFOUND;
}
