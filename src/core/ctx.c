/* ctx.c — error context and the status names. */
#include "core/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *sr_status_str(sr_status st)
{
    switch (st) {
    case SR_OK: return "ok";
    case SR_DONE: return "done";
    case SR_ENOMEM: return "out of memory";
    case SR_EIO: return "i/o error";
    case SR_EARG: return "bad argument";
    case SR_EFORMAT: return "bad format";
    case SR_EUTF8: return "invalid UTF-8";
    case SR_ETOOBIG: return "too big";
    case SR_ETRUNC: return "truncated input";
    case SR_EJSON: return "malformed JSON";
    case SR_ENOTFOUND: return "not found";
    case SR_ESTALE: return "stale data";
    case SR_EDB: return "database error";
    case SR_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

void sr_ctx_init(sr_ctx *c)
{
    memset(c, 0, sizeof *c);
}

void sr_ctx_clear(sr_ctx *c)
{
    c->code = SR_OK;
    c->msg[0] = '\0';
}

sr_status sr_ctx_error(sr_ctx *c, sr_status code, const char *fmt, ...)
{
    if (!c)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    c->code = code;
    return code;
}

void sr_ctx_warn(sr_ctx *c, const char *fmt, ...)
{
    if (!c)
        return;
    c->nwarn++;
    if (!c->warn)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->warn(c->warn_user, buf);
}
