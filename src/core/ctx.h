/* ctx.h — error and warning context.
 *
 * The library never prints.  A failing call stores its message here
 * (sr_ctx_error) and returns the status; warnings go to an injected
 * callback so each front end chooses its own form (stderr, JSON, ...). */
#ifndef SR_CTX_H
#define SR_CTX_H

#include <stddef.h>
#include "core/status.h"

typedef void (*sr_warn_fn)(void *user, const char *msg);

typedef struct sr_ctx {
    sr_status code;          /* status of the last error, SR_OK if none */
    char msg[1024];          /* its message: "FILE:LINE: what is wrong" */
    sr_warn_fn warn;         /* may be NULL: warnings are dropped */
    void *warn_user;
    unsigned long nwarn;     /* warnings issued so far */
} sr_ctx;

void sr_ctx_init(sr_ctx *c);
/* Record an error and return its code, so callers can write
 * `return sr_ctx_error(c, SR_EIO, "%s: %s", path, strerror(errno));` */
sr_status sr_ctx_error(sr_ctx *c, sr_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void sr_ctx_warn(sr_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sr_ctx_clear(sr_ctx *c);

#endif
