/* cmd_todo.c — commands whose stage is not built yet.  Each is moved to its
 * own file when its stage lands; until then it says so and fails. */
#include "cli/cli.h"

static int todo(const char *name)
{
    fprintf(stderr, "sitrep %s: not available in this build yet\n", name);
    return 2;
}

int cmd_places(int argc, char **argv) { (void)argc, (void)argv; return todo("places"); }
int cmd_extract(int argc, char **argv) { (void)argc, (void)argv; return todo("extract"); }
int cmd_gazetteer(int argc, char **argv) { (void)argc, (void)argv; return todo("gazetteer"); }
int cmd_ingest(int argc, char **argv) { (void)argc, (void)argv; return todo("ingest"); }
int cmd_control(int argc, char **argv) { (void)argc, (void)argv; return todo("control"); }
int cmd_timeline(int argc, char **argv) { (void)argc, (void)argv; return todo("timeline"); }
int cmd_heldby(int argc, char **argv) { (void)argc, (void)argv; return todo("held-by"); }
int cmd_events(int argc, char **argv) { (void)argc, (void)argv; return todo("events"); }
int cmd_stats(int argc, char **argv) { (void)argc, (void)argv; return todo("stats"); }
int cmd_export(int argc, char **argv) { (void)argc, (void)argv; return todo("export"); }
