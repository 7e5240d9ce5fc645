/* status.h — the one status enum of sitrep.
 *
 * Every fallible function returns sr_status; results come through
 * out-parameters.  The human-readable message (with file and byte offset)
 * lives in the sr_ctx passed to the call, never in a global. */
#ifndef SR_STATUS_H
#define SR_STATUS_H

typedef enum sr_status {
    SR_OK = 0,
    SR_DONE,        /* iteration finished (not an error) */
    SR_ENOMEM,      /* allocation failed */
    SR_EIO,         /* read/write/open failed */
    SR_EARG,        /* bad argument or usage */
    SR_EFORMAT,     /* input not in the expected format (binary, bad field) */
    SR_EUTF8,       /* invalid UTF-8 that could not be repaired */
    SR_ETOOBIG,     /* a line or document over the size limit */
    SR_ETRUNC,      /* truncated input (gzip stream cut short) */
    SR_EJSON,       /* malformed JSON */
    SR_ENOTFOUND,   /* a named thing (place, actor, file) does not exist */
    SR_ESTALE,      /* compiled data older than its sources / wrong version */
    SR_EDB,         /* database error */
    SR_EINTERNAL    /* a bug: an invariant did not hold */
} sr_status;

/* Short constant name of a status, e.g. "truncated input". */
const char *sr_status_str(sr_status st);

#endif
