/* main.c — the sitrep command: dispatch to subcommands. */
#include "cli/cli.h"

#include <string.h>

static const struct {
    const char *name;
    cli_cmd_fn fn;
    const char *summary;
} commands[] = {
    {"clean", cmd_clean, "print each document's article text as JSON lines"},
    {"places", cmd_places, "find and resolve place mentions (JSON lines)"},
    {"extract", cmd_extract, "extract event and control records (JSON lines)"},
    {"gazetteer", cmd_gazetteer, "build, check or extend the compiled gazetteer"},
    {"ingest", cmd_ingest, "store documents, places and events in a SQLite database"},
    {"control", cmd_control, "who held a place on a date"},
    {"timeline", cmd_timeline, "the history of control of a place"},
    {"held-by", cmd_heldby, "the places an actor held on a date"},
    {"events", cmd_events, "list stored events with filters"},
    {"stats", cmd_stats, "places and population held over time"},
    {"export", cmd_export, "export events as jsonl, geojson or csv"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sitrep COMMAND [OPTIONS] [ARGS]\n"
               "       sitrep --version | --help | COMMAND --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("sitrep %s\n", SITREP_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "sitrep: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
