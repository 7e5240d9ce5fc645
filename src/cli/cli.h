/* cli.h — shared pieces of the sitrep command-line front end.
 *
 * The front end only parses arguments, calls the library and formats
 * output; it is the only layer that prints. */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stdio.h>
#include "core/ctx.h"
#include "core/buf.h"
#include "ingest/doc.h"

#define SITREP_VERSION "0.1.0"

/* A subcommand: returns the process exit status. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

/* Options shared by every command that reads documents. */
typedef struct cli_docopts {
    const char *manifest;   /* --manifest FILE */
    int quiet;              /* --quiet: no warnings on stderr */
    int jobs;               /* --jobs N: worker processes (0 or 1: none; the output is the same) */
} cli_docopts;

/* Called for each document read; return non-zero to count the document as
 * failed (the message is in ctx->msg). */
typedef int (*cli_doc_fn)(void *user, sr_doc *doc, sr_arena *arena, sr_ctx *ctx);

/* Read every input (paths or "-"), call fn for each document; report
 * bad input on stderr ("sitrep: FILE:LINE: what"), go on with the rest.
 * Returns 0 when every document was read and handled, 1 otherwise.
 * With o->jobs > 1 (and no standard input among the inputs) the documents
 * are shared round-robin among that many forked workers, each writing its
 * documents' output (JSON lines: never a NUL byte) to a pipe with a NUL
 * after each document, and this process copies them to stdout in input
 * order: the same output, several cores. */
int cli_each_doc(char **inputs, int ninputs, const cli_docopts *o, cli_doc_fn fn, void *user);

/* Make the heap memory a run over these inputs will touch in one call
 * (the size of the inputs, at most 32 MB), before the command allocates:
 * read buffers, arenas, caches and SQLite's page cache then take no page
 * fault per 4 KB page (13 us each on the benchmark VM: a tenth of `ingest`).
 * Not with worker processes (their writes would copy the pages) nor on
 * standard input (no size); freed memory stays with the process. */
void cli_prefault(char **inputs, int ninputs, const cli_docopts *o);

/* Parse a shared document option at argv[*i]; returns 1 when consumed
 * (advancing *i past its value), 0 when not a shared option, -1 on error. */
int cli_docopt(int argc, char **argv, int *i, cli_docopts *o);

/* A command's own option at argv[*i]: 1 when consumed (advancing *i past
 * its value), 0 when not one of its options, -1 on error (message printed). */
typedef int (*cli_opt_fn)(void *user, int argc, char **argv, int *i);

/* The argument loop of a document-reading command: --help/-h prints `help`,
 * the shared options (cli_docopt), the command's own (`own`, may be NULL),
 * then inputs, collected in place into argv (*inputs, *ninputs).  Returns 0
 * to go on, 1 when help was printed (exit 0), 2 on a usage error (message
 * printed; `usage` is the one-line synopsis shown without inputs). */
int cli_doc_args(int argc, char **argv, const char *cmd, const char *help, const char *usage, cli_docopts *o,
                 cli_opt_fn own, void *user, char ***inputs, int *ninputs);

/* Print the library error the way every command does. */
void cli_error(const sr_ctx *ctx);
void cli_warn_stderr(void *user, const char *msg);

/* Write a buffer to stdout; 0 on success. */
int cli_write(const sr_buf *b);

int cmd_clean(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_gazetteer(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_control(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_heldby(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif
