/* reader.c — documents in: plain text (+ manifest), HTML, JSON lines, gzip.
 *
 * Every input goes through zlib's gzFile, which reads gzip and plain bytes
 * alike, so ".gz" and standard input need no special case.  The kind of
 * input comes from the file name (.txt, .html/.htm, .jsonl/.ndjson/.json,
 * each optionally .gz) and, for "-" or unknown names, from its first bytes.
 *
 * Limits and checks, each reported with the file and the line or byte:
 *   - a NUL byte in a text/HTML document: binary file, skipped;
 *   - invalid UTF-8: repaired one byte for one ('?') with a warning;
 *   - a line (JSON lines) or document longer than SR_MAX_LINE: skipped;
 *   - a gzip stream cut short: the documents before the cut are kept, then
 *     an error, and the reader stops;
 *   - a JSON line that does not parse, lacks text/html, or has a field of
 *     the wrong type: that line is skipped; unknown fields warn once. */
#include "ingest/reader.h"
#include "ingest/jsonl.h"
#include "core/buf.h"
#include "core/mem.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

typedef enum { IN_UNKNOWN, IN_TEXT, IN_HTML, IN_JSONL } in_kind;

typedef struct man_entry {
    char *file, *id, *published, *source, *url, *title;
} man_entry;

struct sr_manifest {
    man_entry *e;
    size_t n;
};

struct sr_reader {
    char *path;             /* as given ("-" for stdin) */
    char *name;             /* for messages: path or "<stdin>" */
    gzFile gz;
    in_kind kind;
    const sr_manifest *man;
    int done, failed;
    /* JSON lines state */
    char *buf;              /* read buffer */
    size_t cap, len, pos;   /* buf[pos..len) not yet consumed */
    int eof;
    unsigned long line;     /* number of the last line returned */
    char *unknown_seen;     /* unknown fields already warned, NUL-separated */
    size_t unknown_len;
};

#define CHUNK (1u << 20)

/* ---------- helpers ---------- */

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* file name without directories and without its extension(s) */
static char *stem(sr_arena *a, const char *path)
{
    const char *b = base_name(path);
    size_t n = strlen(b);
    static const char *exts[] = {".gz", ".txt", ".html", ".htm", ".jsonl", ".ndjson", ".json"};
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
            size_t m = strlen(exts[i]);
            if (n > m && !strncasecmp(b + n - m, exts[i], m)) {
                n -= m;
                again = 1;
            }
        }
    }
    return sr_arena_strndup(a, b, n);
}

static in_kind kind_of_name(const char *p)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", p);
    size_t n = strlen(tmp);
    if (n > 3 && !strcasecmp(tmp + n - 3, ".gz"))
        tmp[n - 3] = '\0';
    if (ends_with(tmp, ".jsonl") || ends_with(tmp, ".ndjson") || ends_with(tmp, ".json"))
        return IN_JSONL;
    if (ends_with(tmp, ".html") || ends_with(tmp, ".htm") || ends_with(tmp, ".xhtml"))
        return IN_HTML;
    if (ends_with(tmp, ".txt") || ends_with(tmp, ".text"))
        return IN_TEXT;
    return IN_UNKNOWN;
}

static in_kind sniff(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (i < n && s[i] == '{')
        return IN_JSONL;
    if (i < n && s[i] == '<')
        return IN_HTML;
    return IN_TEXT;
}

static const man_entry *man_find(const sr_manifest *m, const char *path)
{
    if (!m)
        return NULL;
    const char *b = base_name(path);
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->e[i].file, b) || !strcmp(m->e[i].file, path))
            return &m->e[i];
    return NULL;
}

/* Accept YYYY-MM-DD (with anything after, e.g. a time) and M/D/YY(YY). */
static int norm_date(const char *s, char out[11])
{
    int y, mo, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3) {
    } else if (sscanf(s, "%d/%d/%d%c", &mo, &d, &y, &tail) == 3) {
        if (y < 100)
            y += y < 50 ? 2000 : 1900;
    } else
        return 0;
    if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
    return 1;
}

/* ---------- manifest ---------- */

static char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (json_is_string(v))
        return sr_strdup(json_string_value(v));
    if (json_is_integer(v)) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        return sr_strdup(tmp);
    }
    return NULL;
}

sr_status sr_manifest_load(sr_manifest **out, const char *path, sr_ctx *ctx)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return sr_ctx_error(ctx, SR_EIO, "%s: cannot open manifest: %s", path, strerror(errno));
    sr_manifest *m = sr_calloc(1, sizeof *m);
    if (!m) {
        fclose(f);
        return SR_ENOMEM;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long ln = 0;
    sr_status st = SR_OK;
    while ((n = getline(&line, &cap, f)) >= 0) {
        ln++;
        size_t i = 0;
        while (i < (size_t)n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
            i++;
        if (i == (size_t)n)
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je);
        if (!o || !json_is_object(o)) {
            st = sr_ctx_error(ctx, SR_EJSON, "%s:%lu: manifest line is not a JSON object: %s", path, ln,
                              o ? "not an object" : je.text);
            json_decref(o);
            break;
        }
        char *file = jstr(o, "file");
        if (!file) {
            st = sr_ctx_error(ctx, SR_EFORMAT, "%s:%lu: manifest line has no \"file\"", path, ln);
            json_decref(o);
            break;
        }
        man_entry *ne = sr_realloc(m->e, (m->n + 1) * sizeof *ne);
        if (!ne) {
            sr_free(file);
            json_decref(o);
            st = SR_ENOMEM;
            break;
        }
        m->e = ne;
        man_entry *e = &m->e[m->n++];
        e->file = file;
        e->id = jstr(o, "id");
        e->published = jstr(o, "published");
        e->source = jstr(o, "source");
        e->url = jstr(o, "url");
        e->title = jstr(o, "title");
        json_decref(o);
    }
    free(line);
    fclose(f);
    if (st) {
        sr_manifest_destroy(m);
        return st;
    }
    *out = m;
    return SR_OK;
}

void sr_manifest_destroy(sr_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        man_entry *e = &m->e[i];
        sr_free(e->file), sr_free(e->id), sr_free(e->published);
        sr_free(e->source), sr_free(e->url), sr_free(e->title);
    }
    sr_free(m->e);
    sr_free(m);
}

/* ---------- reader ---------- */

sr_status sr_reader_open(sr_reader **out, const char *path, const sr_manifest *m, sr_ctx *ctx)
{
    *out = NULL;
    sr_reader *r = sr_calloc(1, sizeof *r);
    if (!r)
        return SR_ENOMEM;
    r->path = sr_strdup(path);
    r->name = sr_strdup(strcmp(path, "-") ? path : "<stdin>");
    if (!r->path || !r->name) {
        sr_reader_close(r);
        return SR_ENOMEM;
    }
    r->man = m;
    int fd = strcmp(path, "-") ? open(path, O_RDONLY) : dup(0);
    if (fd < 0) {
        sr_status st = sr_ctx_error(ctx, SR_EIO, "%s: cannot open: %s", r->name, strerror(errno));
        sr_reader_close(r);
        return st;
    }
    r->gz = gzdopen(fd, "rb");
    if (!r->gz) {
        close(fd);
        sr_reader_close(r);
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: cannot start reading", path);
    }
    gzbuffer(r->gz, 256 * 1024);
    r->kind = strcmp(path, "-") ? kind_of_name(path) : IN_UNKNOWN;
    *out = r;
    return SR_OK;
}

void sr_reader_close(sr_reader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    sr_free(r->path), sr_free(r->name), sr_free(r->buf), sr_free(r->unknown_seen);
    sr_free(r);
}

int sr_reader_failed(const sr_reader *r) { return r->failed || r->done; }

/* After gzread says 0 or -1: was it a clean end, a truncation or an error? */
static sr_status check_stream_end(sr_reader *r, sr_ctx *ctx)
{
    int err = Z_OK;
    const char *msg = gzerror(r->gz, &err);
    if (err == Z_OK || err == Z_STREAM_END)
        return SR_OK;
    r->failed = 1;
    if (err == Z_BUF_ERROR)
        return sr_ctx_error(ctx, SR_ETRUNC, "%s: byte %lld: truncated gzip stream (%s)", r->name,
                            (long long)gzoffset(r->gz), msg);
    if (err == Z_ERRNO)
        return sr_ctx_error(ctx, SR_EIO, "%s: read error: %s", r->name, strerror(errno));
    return sr_ctx_error(ctx, SR_EFORMAT, "%s: byte %lld: corrupt gzip data (%s)", r->name,
                        (long long)gzoffset(r->gz), msg);
}

/* Fill r->buf further; returns bytes added (0 at end), or -1 with ctx set. */
static long fill(sr_reader *r, sr_ctx *ctx)
{
    if (r->eof)
        return 0;
    if (r->pos > 0 && r->pos == r->len)
        r->pos = r->len = 0;
    if (r->cap - r->len < CHUNK) {
        if (r->pos > 0) { /* slide the unconsumed part to the front */
            memmove(r->buf, r->buf + r->pos, r->len - r->pos);
            r->len -= r->pos;
            r->pos = 0;
        }
        if (r->cap - r->len < CHUNK) {
            size_t nc = r->cap ? r->cap * 2 : 2 * CHUNK;
            char *nb = sr_realloc(r->buf, nc + 1);
            if (!nb) {
                r->failed = 1;
                sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", r->name);
                return -1;
            }
            r->buf = nb;
            r->cap = nc;
        }
    }
    int got = gzread(r->gz, r->buf + r->len, CHUNK);
    if (got <= 0) {
        r->eof = 1;
        if (check_stream_end(r, ctx))
            return -1;
        return 0;
    }
    r->len += (size_t)got;
    return got;
}

static void utf8_check(sr_reader *r, char *s, size_t n, const char *where, sr_ctx *ctx)
{
    size_t first = 0, bad = sr_utf8_repair(s, n, &first);
    if (bad)
        sr_ctx_warn(ctx, "%s: byte %zu: invalid UTF-8, %zu byte%s replaced by '?'", where, first, bad,
                    bad == 1 ? "" : "s");
    (void)r;
}

/* Whole-file documents (text, HTML). */
static sr_status next_whole(sr_reader *r, sr_doc *doc, sr_arena *a, sr_ctx *ctx)
{
    r->done = 1;
    long got;
    while ((got = fill(r, ctx)) > 0)
        if (r->len > SR_MAX_LINE) {
            r->failed = 1;
            return sr_ctx_error(ctx, SR_ETOOBIG, "%s: document larger than %u MiB; skipped", r->name,
                                SR_MAX_LINE >> 20);
        }
    if (got < 0)
        return ctx->code;
    size_t n = r->len;
    if (r->kind == IN_UNKNOWN)
        r->kind = sniff(r->buf ? r->buf : "", n);
    const char *nul = n ? memchr(r->buf, '\0', n) : NULL;
    if (nul)
        return sr_ctx_error(ctx, SR_EFORMAT, "%s: byte %zu: NUL byte: binary file, not a document", r->name,
                            (size_t)(nul - r->buf));
    char *text = sr_arena_alloc(a, n + 1);
    if (!text)
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", r->name);
    if (n)
        memcpy(text, r->buf, n);
    text[n] = '\0';
    utf8_check(r, text, n, r->name, ctx);
    memset(doc, 0, sizeof *doc);
    doc->origin = sr_arena_strndup(a, r->name, strlen(r->name));
    const man_entry *e = man_find(r->man, r->path);
    doc->id = e && e->id ? sr_arena_strndup(a, e->id, strlen(e->id))
                         : strcmp(r->path, "-") ? stem(a, r->path) : "stdin";
    if (e) {
        char d[11];
        if (e->published) {
            if (norm_date(e->published, d))
                doc->published = sr_arena_strndup(a, d, 10);
            else
                sr_ctx_warn(ctx, "%s: manifest date '%s' is not YYYY-MM-DD; ignored", r->name, e->published);
        }
        if (e->source) doc->source = sr_arena_strndup(a, e->source, strlen(e->source));
        if (e->url) doc->url = sr_arena_strndup(a, e->url, strlen(e->url));
        if (e->title) doc->title = sr_arena_strndup(a, e->title, strlen(e->title));
    }
    if (r->kind == IN_HTML) {
        doc->kind = SR_DOC_HTML;
        doc->raw = text;
        doc->raw_len = n;
        doc->text = "";
        doc->len = 0;
    } else {
        doc->kind = SR_DOC_TEXT;
        doc->text = text;
        doc->len = n;
    }
    if (!doc->id)
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", r->name);
    return SR_OK;
}

/* Next raw line of a JSON-lines input: *line and *n point into r->buf (valid
 * until the next call).  SR_DONE at the end. */
static sr_status next_line(sr_reader *r, char **line, size_t *n, sr_ctx *ctx)
{
    for (;;) {
        char *s = r->buf ? r->buf + r->pos : NULL;
        size_t avail = r->len - r->pos;
        char *nl = avail ? memchr(s, '\n', avail) : NULL;
        if (nl) {
            *line = s;
            *n = (size_t)(nl - s);
            r->pos += *n + 1;
            r->line++;
            return SR_OK;
        }
        if (avail > SR_MAX_LINE) {
            /* over the limit: drop what we have and skip to the next newline */
            r->line++;
            unsigned long ln = r->line;
            size_t total = avail;
            r->pos = r->len = 0;
            for (;;) {
                long got = fill(r, ctx);
                if (got < 0)
                    return ctx->code;
                char *e = got ? memchr(r->buf, '\n', r->len) : NULL;
                if (e) {
                    total += (size_t)(e - r->buf);
                    r->pos = (size_t)(e - r->buf) + 1;
                    break;
                }
                total += r->len;
                r->pos = r->len = 0;
                if (!got)
                    break;
            }
            return sr_ctx_error(ctx, SR_ETOOBIG, "%s:%lu: line of %zu bytes exceeds the %u MiB limit; skipped",
                                r->name, ln, total, SR_MAX_LINE >> 20);
        }
        long got = fill(r, ctx);
        if (got < 0)
            return ctx->code;
        if (got == 0) {
            if (r->len - r->pos == 0)
                return SR_DONE;
            *line = r->buf + r->pos; /* last line without newline */
            *n = r->len - r->pos;
            r->pos = r->len;
            r->line++;
            return SR_OK;
        }
    }
}

static const char *known_fields[] = {"id", "text", "html", "title", "published", "source", "url", "lang",
                                     "date", NULL};
enum { F_ID, F_TEXT, F_HTML, F_TITLE, F_PUBLISHED, F_SOURCE, F_URL, F_LANG, F_DATE }; /* known_fields' order */

static void warn_unknown(sr_reader *r, const char *key, sr_ctx *ctx)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < r->unknown_len;) {
        if (!strcmp(r->unknown_seen + i, key))
            return;
        i += strlen(r->unknown_seen + i) + 1;
    }
    char *n = sr_realloc(r->unknown_seen, r->unknown_len + kl + 1);
    if (n) {
        memcpy(n + r->unknown_len, key, kl + 1);
        r->unknown_seen = n;
        r->unknown_len += kl + 1;
    }
    sr_ctx_warn(ctx, "%s:%lu: unknown field \"%s\" ignored", r->name, r->line, key);
}

/* One field of a JSON line (from the fast parser or from jansson): key,
 * kind (SR_JV_*, or 0 for another JSON type, named in `other`), value.
 * The string is already the arena's.  fast: it comes from sr_jsonl_flat,
 * whose strings hold no NUL (see jsonl.h). */
static sr_status apply_field(sr_reader *r, sr_doc *doc, sr_arena *a, sr_ctx *ctx, const char *where,
                             const char *key, int kind, const char *other, char *copy, size_t sl, long long num,
                             int fast)
{
    int f = 0;
    while (known_fields[f] && strcmp(key, known_fields[f]))
        f++;
    if (!known_fields[f]) {
        warn_unknown(r, key, ctx);
        return SR_OK;
    }
    if (kind == SR_JV_NULL)
        return SR_OK;
    if (f == F_ID && kind == SR_JV_INT) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%lld", num);
        doc->id = sr_arena_strndup(a, tmp, strlen(tmp));
        return SR_OK;
    }
    if (kind != SR_JV_STR)
        return sr_ctx_error(ctx, SR_EFORMAT, "%s: field \"%s\" must be a string, not %s", where, key,
                            kind == SR_JV_INT ? "a number" : other);
    if (!copy)
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", where);
    if (!fast && memchr(copy, '\0', sl))
        return sr_ctx_error(ctx, SR_EFORMAT, "%s: field \"%s\" holds a NUL character: binary data", where, key);
    if (f == F_ID) doc->id = copy;
    else if (f == F_TEXT) doc->text = copy, doc->len = sl;
    else if (f == F_HTML) doc->raw = copy, doc->raw_len = sl;
    else if (f == F_TITLE) doc->title = copy;
    else if (f == F_SOURCE) doc->source = copy;
    else if (f == F_URL) doc->url = copy;
    else if (f == F_PUBLISHED || f == F_DATE) {
        char d[11];
        if (norm_date(copy, d))
            doc->published = sr_arena_strndup(a, d, 10);
        else
            sr_ctx_warn(ctx, "%s: \"%s\" value '%s' is not a date (YYYY-MM-DD); ignored", where, key, copy);
    }
    return SR_OK;
}

/* After the fields: text or html present, a default id, UTF-8 repaired
 * (fast: the fields come from sr_jsonl_flat, which takes valid UTF-8
 * only, so there is nothing to repair). */
static sr_status finish_jsonl(sr_reader *r, sr_doc *doc, sr_arena *a, sr_ctx *ctx, const char *where, int fast)
{
    if (!doc->text && !doc->raw)
        return sr_ctx_error(ctx, SR_EFORMAT, "%s: no \"text\" or \"html\" field", where);
    if (!doc->id) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s-%lu", strcmp(r->path, "-") ? base_name(r->path) : "stdin", r->line);
        char *s = stem(a, r->path);
        if (s && strcmp(r->path, "-"))
            snprintf(tmp, sizeof tmp, "%s-%lu", s, r->line);
        doc->id = sr_arena_strndup(a, tmp, strlen(tmp));
    }
    if (doc->text) {
        doc->kind = SR_DOC_TEXT;
        if (!fast)
            utf8_check(r, (char *)doc->text, doc->len, where, ctx);
    } else {
        doc->kind = SR_DOC_HTML;
        if (!fast)
            utf8_check(r, (char *)doc->raw, doc->raw_len, where, ctx);
        doc->text = "";
    }
    return SR_OK;
}

static sr_status next_jsonl(sr_reader *r, sr_doc *doc, sr_arena *a, sr_ctx *ctx)
{
    char *line = NULL;
    size_t n = 0;
    sr_status st;
    for (;;) {
        st = next_line(r, &line, &n, ctx);
        if (st)
            return st;
        size_t i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i < n)
            break; /* skip blank lines */
    }
    /* "name:line" for the messages: what snprintf(where, sizeof where,
     * "%s:%lu", ...) writes (cut to the buffer), without printf per line */
    char where[4200];
    {
        char num[24];
        size_t nl = strlen(r->name), dl = (size_t)(sr_utoa(num, r->line) - num), w = 0;
        w = nl < sizeof where - 1 ? nl : sizeof where - 1;
        memcpy(where, r->name, w);
        if (w < sizeof where - 1)
            where[w++] = ':';
        dl = dl < sizeof where - 1 - w ? dl : sizeof where - 1 - w;
        memcpy(where + w, num, dl);
        where[w + dl] = '\0';
    }
    /* the common flat line without jansson (same fields, same order) */
    sr_jfield jf[32];
    long nf = sr_jsonl_flat(line, n, a, jf, sizeof jf / sizeof *jf);
    if (nf == -2)
        return sr_ctx_error(ctx, SR_ENOMEM, "%s: out of memory", where);
    if (nf >= 0) {
        memset(doc, 0, sizeof *doc);
        doc->origin = sr_arena_strndup(a, where, strlen(where));
        for (long k = 0; k < nf; k++)
            if ((st = apply_field(r, doc, a, ctx, where, jf[k].key, jf[k].kind, NULL, jf[k].str, jf[k].len,
                                  jf[k].num, 1)))
                return st;
        return finish_jsonl(r, doc, a, ctx, where, 1);
    }
    json_error_t je;
    json_t *o = json_loadb(line, n, JSON_ALLOW_NUL, &je);
    if (!o) {
        const char *nul = memchr(line, '\0', n);
        if (nul)
            return sr_ctx_error(ctx, SR_EFORMAT, "%s: byte %zu: NUL byte: binary data, not a JSON line", where,
                                (size_t)(nul - line));
        return sr_ctx_error(ctx, SR_EJSON, "%s: column %d: malformed JSON: %s", where, je.column, je.text);
    }
    st = SR_OK;
    if (!json_is_object(o)) {
        st = sr_ctx_error(ctx, SR_EFORMAT, "%s: a JSON object was expected", where);
        goto out;
    }
    memset(doc, 0, sizeof *doc);
    doc->origin = sr_arena_strndup(a, where, strlen(where));
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        int kind = json_is_string(v) ? SR_JV_STR : json_is_null(v) ? SR_JV_NULL : json_is_integer(v) ? SR_JV_INT : 0;
        const char *other = json_is_real(v) ? "a number" : json_is_array(v) ? "an array"
                            : json_is_object(v) ? "an object" : "a boolean";
        size_t sl = kind == SR_JV_STR ? json_string_length(v) : 0;
        char *copy = kind == SR_JV_STR ? sr_arena_strndup(a, json_string_value(v), sl) : NULL;
        if ((st = apply_field(r, doc, a, ctx, where, key, kind, other, copy, sl,
                              kind == SR_JV_INT ? (long long)json_integer_value(v) : 0, 0)))
            goto out;
    }
    st = finish_jsonl(r, doc, a, ctx, where, 0);
out:
    json_decref(o);
    return st;
}

sr_status sr_reader_next(sr_reader *r, sr_doc *doc, sr_arena *arena, sr_ctx *ctx)
{
    if (r->done || r->failed)
        return SR_DONE;
    if (r->kind == IN_UNKNOWN) {
        /* sniff from the first chunk */
        long got = fill(r, ctx);
        if (got < 0)
            return ctx->code;
        r->kind = sniff(r->buf ? r->buf : "", r->len);
    }
    if (r->kind == IN_JSONL) {
        sr_status st = next_jsonl(r, doc, arena, ctx);
        if (st == SR_DONE)
            r->done = 1;
        return st;
    }
    return next_whole(r, doc, arena, ctx);
}
