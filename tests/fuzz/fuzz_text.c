/* fuzz_text.c — libFuzzer harness for the in-memory text path: UTF-8
 * repair, plain-text boilerplate cleaning, HTML extraction, tokenizer and
 * sentence splitter.  Build and run: `make fuzz && build-fuzz/fuzz_text -max_total_time=60`. */
#include "fuzz.h"
#include "clean/clean.h"
#include "core/arena.h"
#include "text/text.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sr_arena *a;
    char *text = fuzz_text(data, size, &a);
    if (!text)
        return 0;
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.id = "fuzz";
    d.origin = "fuzz";
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    if (size && (data[0] & 1)) { /* odd first byte: treat as HTML */
        d.kind = SR_DOC_HTML;
        d.raw = text, d.raw_len = size;
        d.text = "";
    } else {
        d.kind = SR_DOC_TEXT;
        d.text = text, d.len = strlen(text); /* the text stops at a NUL, as the reader guarantees */
    }
    if (sr_clean_doc(&d, a, &ctx))
        return 0;
    for (size_t i = 0; i < d.nbody; i++)
        if (d.body[i].start > d.body[i].end || d.body[i].end > d.len)
            __builtin_trap();
    sr_textmodel tm;
    if (sr_text_analyze(&d, a, &tm))
        return 0;
    for (size_t i = 0; i < tm.ntok; i++)
        if (tm.tok[i].start + tm.tok[i].len > d.len || tm.tok[i].len == 0)
            __builtin_trap();
    for (size_t i = 0; i < tm.nsent; i++)
        if (tm.sent[i].start > tm.sent[i].end || tm.sent[i].end > d.len)
            __builtin_trap();
    return 0;
}
