/* cmd_store.c — not built yet: says so and fails (replaced when its stage lands). */
#include "cli/cli.h"

int cmd_ingest(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep ingest: not available in this build yet\n"); return 2; }
int cmd_control(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep control: not available in this build yet\n"); return 2; }
int cmd_timeline(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep timeline: not available in this build yet\n"); return 2; }
int cmd_heldby(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep held-by: not available in this build yet\n"); return 2; }
int cmd_events(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep events: not available in this build yet\n"); return 2; }
int cmd_stats(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep stats: not available in this build yet\n"); return 2; }
int cmd_export(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep export: not available in this build yet\n"); return 2; }
