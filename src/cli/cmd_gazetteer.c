/* cmd_gazetteer.c — not built yet: says so and fails (replaced when its stage lands). */
#include "cli/cli.h"

int cmd_gazetteer(int argc, char **argv) { (void)argc, (void)argv; fprintf(stderr, "sitrep gazetteer: not available in this build yet\n"); return 2; }
