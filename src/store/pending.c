/* pending.c — stand-ins for the extraction and gazetteer stages while they
 * are built on their own branches (events, places): every call says the
 * stage is not in this build.  Delete this file when merging those branches;
 * nothing else changes, since the store calls only the agreed interfaces
 * (extract/extract.h, extract/places.h). */
#include "extract/extract.h"
#include "extract/places.h"

sr_status sr_gaz_open(sr_gaz **out, const char *path, sr_ctx *ctx)
{
    *out = NULL;
    return sr_ctx_error(ctx, SR_ENOTFOUND, "%s: the gazetteer is not in this build", path ? path : "gazetteer");
}

void sr_gaz_close(sr_gaz *g) { (void)g; }

sr_status sr_gaz_lookup(const sr_gaz *g, const char *name, sr_place_ref *out)
{
    (void)g, (void)name, (void)out;
    return SR_ENOTFOUND;
}

sr_status sr_extractor_open(sr_extractor **out, const char *data_dir, sr_ctx *ctx)
{
    (void)data_dir;
    *out = NULL;
    return sr_ctx_error(ctx, SR_ENOTFOUND, "event extraction is not in this build");
}

void sr_extractor_close(sr_extractor *x) { (void)x; }

sr_status sr_extract_doc(sr_extractor *x, sr_doc *doc, sr_arena *arena, sr_doc_result *out, sr_ctx *ctx)
{
    (void)x, (void)doc, (void)arena, (void)out;
    return sr_ctx_error(ctx, SR_ENOTFOUND, "event extraction is not in this build");
}
