/* cmd_places.c — not built yet: says so and fails (replaced when its stage lands). */
#include "cli/cli.h"

int cmd_places(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep places: not available in this build yet\n"); return 2; }
