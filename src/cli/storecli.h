/* storecli.h — what the store commands (ingest, control, timeline, held-by,
 * events, stats, export) share: the database path rule, opening the store
 * and the gazetteer, and the JSON forms of places, sources and facts. */
#ifndef SR_STORECLI_H
#define SR_STORECLI_H

#include "cli/cli.h"
#include "store/store.h"

/* --db FILE, else $SITREP_DB, else ./sitrep.db (SR_STORE_DEFAULT). */
const char *storecli_db_path(const char *opt);

/* Open the store read-only for a query command; prints the error and
 * returns NULL on failure. */
sr_store *storecli_open_query(const char *db);

/* The compiled gazetteer for PLACE arguments, or NULL when there is none
 * (place look-ups then use the names stored in the database). */
sr_gaz *storecli_gazetteer(void);

/* JSON forms. */
int storecli_json_place(sr_buf *b, const sr_store_place *p);
int storecli_json_source(sr_buf *b, const sr_store_source *x);
int storecli_json_fact(sr_buf *b, const sr_store_fact *f);

/* A fact on one line for people. */
int storecli_text_fact(sr_buf *b, const sr_store_fact *f);

/* Option value: argv[*i] is NAME; returns the value (advancing *i) or NULL
 * after printing a usage error. */
const char *storecli_arg(int argc, char **argv, int *i, const char *cmd);

#endif
