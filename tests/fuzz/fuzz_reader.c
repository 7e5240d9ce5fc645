/* fuzz_reader.c — libFuzzer harness for the document readers: the input
 * bytes become a file (a memfd), read as JSON lines, and as a gzip stream
 * when they start with the gzip magic.  `make fuzz && build-fuzz/fuzz_reader -max_total_time=60`. */
#define _GNU_SOURCE
#include "ingest/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    sr_reader *r;
    sr_arena *a = sr_arena_create(1 << 16);
    if (a && !sr_reader_open(&r, path, NULL, &ctx)) {
        sr_doc d;
        sr_status st;
        int n = 0;
        while ((st = sr_reader_next(r, &d, a, &ctx)) != SR_DONE && n++ < 10000) {
            if (st && sr_reader_failed(r))
                break;
            if (!st && d.text && strlen(d.text) > d.len)
                __builtin_trap();
            sr_arena_reset(a);
        }
        sr_reader_close(r);
    }
    sr_arena_destroy(a);
    close(fd);
    return 0;
}
