/* schema.c — the store's tables, as numbered migrations.
 *
 * PRAGMA user_version is the number of migrations a file has had; opening a
 * file applies the missing ones, all in one transaction (a new file gets
 * the four in one commit: 18 -> 14.5 ms to create one, a write and sync
 * of the log less each; a failure leaves the file as it was).  A migration is
 * never edited once released: changes go in a new one at the end. */
#include "store/internal.h"

/* Version 1: documents, syndication bands, places, mentions, actors,
 * records, and the derived facts and spans (rebuilt per dirty place). */
static const char *const v1[] = {
    "CREATE TABLE doc("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"          /* the document id */
    "  hash TEXT NOT NULL,"                 /* content hash of the input */
    "  title TEXT, published TEXT, source TEXT, url TEXT,"
    "  origin INTEGER REFERENCES doc(id) ON DELETE SET NULL," /* first copy of its story; NULL: itself */
    "  sim REAL,"                           /* estimated similarity to the origin */
    "  text TEXT NOT NULL,"                 /* the text every span points into */
    "  body TEXT NOT NULL,"                 /* the cleaned article body */
    "  minhash BLOB,"
    "  ingested TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
    "CREATE INDEX doc_origin ON doc(origin);",
    "CREATE INDEX doc_published ON doc(published);",
    "CREATE TABLE doc_band("
    "  key INTEGER NOT NULL, band INTEGER NOT NULL,"
    "  doc INTEGER NOT NULL REFERENCES doc(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(key, band, doc)) WITHOUT ROWID;",
    "CREATE TABLE place("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"           /* g:<geonameid> or n:<lower-case name> */
    "  geonameid INTEGER, name TEXT NOT NULL, lat REAL, lon REAL,"
    "  country TEXT, fcode TEXT, population INTEGER NOT NULL DEFAULT 0);",
    "CREATE INDEX place_geonameid ON place(geonameid);",
    "CREATE TABLE place_alias("
    "  alias TEXT NOT NULL COLLATE NOCASE,"
    "  place INTEGER NOT NULL REFERENCES place(id) ON DELETE CASCADE,"
    "  skel TEXT NOT NULL,"                 /* consonant skeleton, for loose matching */
    "  PRIMARY KEY(alias, place)) WITHOUT ROWID;",
    "CREATE INDEX place_alias_skel ON place_alias(skel);",
    "CREATE TABLE mention("
    "  id INTEGER PRIMARY KEY,"
    "  doc INTEGER NOT NULL REFERENCES doc(id) ON DELETE CASCADE,"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, sent INTEGER,"
    "  place INTEGER REFERENCES place(id), text TEXT, score REAL);",
    "CREATE INDEX mention_doc ON mention(doc);",
    "CREATE INDEX mention_place ON mention(place);",
    "CREATE TABLE actor(id TEXT PRIMARY KEY, name TEXT);",
    "CREATE TABLE actor_alias("
    "  alias TEXT NOT NULL COLLATE NOCASE,"
    "  actor TEXT NOT NULL REFERENCES actor(id),"
    "  PRIMARY KEY(alias, actor)) WITHOUT ROWID;",
    "CREATE TABLE event("
    "  id INTEGER PRIMARY KEY,"
    "  doc INTEGER NOT NULL REFERENCES doc(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL,"
    "  actor TEXT, actor_name TEXT, actor_text TEXT,"
    "  target TEXT, target_name TEXT, target_text TEXT,"
    "  claimant TEXT, claimant_name TEXT, claimant_text TEXT,"
    "  place INTEGER REFERENCES place(id), place_text TEXT,"
    "  date TEXT, date_text TEXT, precision TEXT, modality TEXT,"
    "  ev_start INTEGER, ev_end INTEGER, more TEXT,"  /* more: JSON array of [start,end] */
    "  contradicted INTEGER NOT NULL DEFAULT 0, confidence REAL);",
    "CREATE INDEX event_doc ON event(doc);",
    "CREATE INDEX event_place ON event(place);",
    "CREATE TABLE dirty_place(place INTEGER PRIMARY KEY REFERENCES place(id) ON DELETE CASCADE);",
    "CREATE TABLE fact("
    "  id INTEGER PRIMARY KEY,"
    "  place INTEGER NOT NULL REFERENCES place(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL, actor TEXT, actor_name TEXT, target TEXT, target_name TEXT,"
    "  date_first TEXT, date_last TEXT, precision TEXT,"
    "  reported_first TEXT, reported_last TEXT,"
    "  nsources INTEGER NOT NULL, norigins INTEGER NOT NULL,"
    "  confidence REAL NOT NULL, contested INTEGER NOT NULL DEFAULT 0);",
    "CREATE INDEX fact_place ON fact(place, date_first);",
    "CREATE INDEX fact_date ON fact(date_first);",
    "CREATE INDEX fact_actor ON fact(actor, date_first);",
    "CREATE INDEX fact_target ON fact(target, date_first);",
    "CREATE TABLE fact_source("
    "  fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,"
    "  event INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(fact, event)) WITHOUT ROWID;",
    "CREATE INDEX fact_source_event ON fact_source(event);",
    "CREATE TABLE fact_conflict("
    "  fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,"
    "  other INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(fact, other)) WITHOUT ROWID;",
    "CREATE INDEX fact_conflict_other ON fact_conflict(other);",
    "CREATE TABLE span("
    "  id INTEGER PRIMARY KEY,"
    "  place INTEGER NOT NULL REFERENCES place(id) ON DELETE CASCADE,"
    "  holder TEXT NOT NULL, holder_name TEXT,"
    "  start TEXT NOT NULL, end TEXT,"      /* [start, end); end NULL while it lasts */
    "  confidence REAL NOT NULL, contested INTEGER NOT NULL, by_change INTEGER NOT NULL,"
    "  norigins INTEGER NOT NULL,"
    "  start_fact INTEGER REFERENCES fact(id) ON DELETE SET NULL);",
    "CREATE INDEX span_place ON span(place, start);",
    "CREATE INDEX span_holder ON span(holder, start);",
    "CREATE TABLE span_fact("
    "  span INTEGER NOT NULL REFERENCES span(id) ON DELETE CASCADE,"
    "  fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,"
    "  contrary INTEGER NOT NULL,"          /* 1: says someone else held it */
    "  PRIMARY KEY(span, fact)) WITHOUT ROWID;",
    "CREATE INDEX span_fact_fact ON span_fact(fact);", NULL};

/* Version 2: a document's cleaned body as byte spans of its text (JSON
 * [[start,end],...]; the body is those paragraphs joined by a blank line)
 * instead of a second copy of the words: `body` is then ''.  Halves what a
 * document costs on disk.  The fusion rules changed with it (same-witness
 * fighting, publication-date precision), so every place is rebuilt. */
static const char *const v2[] = {
    "ALTER TABLE doc ADD COLUMN segs TEXT;",
    "INSERT OR IGNORE INTO dirty_place(place) SELECT DISTINCT place FROM event WHERE place IS NOT NULL;", NULL};

/* Version 3: a document's place mentions are one JSON array in its row,
 * doc.mentions = [[start,end,sent,place,score],...] (place: place row id
 * or null), instead of a row each in a table with two indexes: no query
 * reads mentions by place or by position, and the rows were a third of
 * the cost of storing a document.  `mention` stays readable as a view with
 * the old columns (but the row id); its `text` is cut from the document's
 * text as before.  doc_published is dropped: no query looks documents up
 * by date (they are sorted by it after the join).
 *
 * The LSH band keys move from doc_band (a WITHOUT ROWID row per key and
 * document: 16 random inserts a document, a sixth of the cost of storing
 * it) to band, one row per original text with its 16 keys ("k1 ... k16",
 * band order), appended in document order.  A writing handle reads them
 * into memory to look keys up (bands.c); no SQL query reads them.
 *
 * span.start_fact gets an index: deleting a place's facts (every refresh of
 * a place that had any) set it to NULL through a scan of all spans.
 * span_fact_fact and fact_conflict_other go: no query reads those rows by
 * fact or by `other`, and the only deletes of facts and spans are the
 * refresh's, which runs with foreign keys off and deletes the dependent
 * rows itself, by span and by fact (conflicts never cross places). */
static const char *const v3[] = {
    "ALTER TABLE doc ADD COLUMN mentions TEXT;",
    "UPDATE doc SET mentions = (SELECT json_group_array(json_array(m.start, m.end, m.sent, m.place, m.score))"
    "  FROM (SELECT * FROM mention WHERE mention.doc = doc.id ORDER BY mention.id) m)"
    " WHERE id IN (SELECT doc FROM mention);",
    "DROP TABLE mention;",
    "DROP INDEX doc_published;",
    "CREATE TABLE band(doc INTEGER PRIMARY KEY REFERENCES doc(id) ON DELETE CASCADE, keys TEXT NOT NULL);",
    "INSERT INTO band(doc, keys) SELECT doc, group_concat(key, ' ')"
    " FROM (SELECT doc, band, key FROM doc_band ORDER BY doc, band) GROUP BY doc;",
    "DROP TABLE doc_band;",
    "CREATE INDEX span_start_fact ON span(start_fact);",
    "DROP INDEX span_fact_fact;",
    "DROP INDEX fact_conflict_other;",
    "CREATE VIEW mention(doc, start, end, sent, place, text, score) AS"
    " SELECT d.id, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3,"
    "  CASE WHEN j.value ->> 0 < j.value ->> 1 AND j.value ->> 1 <= length(CAST(d.text AS BLOB))"
    "   THEN CAST(substr(CAST(d.text AS BLOB), (j.value ->> 0) + 1, (j.value ->> 1) - (j.value ->> 0)) AS TEXT) END,"
    "  j.value ->> 4"
    " FROM doc d, json_each(d.mentions) j WHERE d.mentions IS NOT NULL;",
    NULL};

/* Version 4: the rows that tie derived rows together -- a fact's records
 * (fact_source), its contradictions (fact_conflict), a span's facts
 * (span_fact) -- become JSON arrays in the fact and span rows:
 * fact.sources = [event,...], fact.conflicts = [fact,...], span.facts =
 * [[fact,contrary],...], each in the order of the old table's key.  They
 * were written only by the refresh and read only through their parent
 * (by fact, by span), yet each was a row of a WITHOUT ROWID table (and
 * fact_source a second index, by event, for the cascade from event): two
 * thirds of the b-tree inserts of a refresh.  The three stay readable as
 * views with the old columns.  An event deleted before the next refresh
 * (its document replaced) leaves its id in `sources` until that refresh
 * rebuilds the place, which its deletion marked dirty; the joins of the
 * queries drop it meanwhile, as the cascade did. */
static const char *const v4[] = {
    "ALTER TABLE fact ADD COLUMN sources TEXT;",
    "ALTER TABLE fact ADD COLUMN conflicts TEXT;",
    "ALTER TABLE span ADD COLUMN facts TEXT;",
    "UPDATE fact SET sources = (SELECT json_group_array(event) FROM"
    " (SELECT event FROM fact_source WHERE fact_source.fact = fact.id ORDER BY event))"
    " WHERE id IN (SELECT fact FROM fact_source);",
    "UPDATE fact SET conflicts = (SELECT json_group_array(other) FROM"
    " (SELECT other FROM fact_conflict WHERE fact_conflict.fact = fact.id ORDER BY other))"
    " WHERE id IN (SELECT fact FROM fact_conflict);",
    "UPDATE span SET facts = (SELECT json_group_array(json_array(fact, contrary)) FROM"
    " (SELECT fact, contrary FROM span_fact WHERE span_fact.span = span.id ORDER BY fact))"
    " WHERE id IN (SELECT span FROM span_fact);",
    "DROP TABLE fact_source;",
    "DROP TABLE fact_conflict;",
    "DROP TABLE span_fact;",
    "CREATE VIEW fact_source(fact, event) AS"
    " SELECT f.id, j.value FROM fact f, json_each(f.sources) j WHERE f.sources IS NOT NULL;",
    "CREATE VIEW fact_conflict(fact, other) AS"
    " SELECT f.id, j.value FROM fact f, json_each(f.conflicts) j WHERE f.conflicts IS NOT NULL;",
    "CREATE VIEW span_fact(span, fact, contrary) AS"
    " SELECT s.id, j.value ->> 0, j.value ->> 1 FROM span s, json_each(s.facts) j WHERE s.facts IS NOT NULL;",
    NULL};

static const char *const *const migrations[] = {v1, v2, v3, v4};
_Static_assert(sizeof migrations / sizeof migrations[0] == SR_STORE_SCHEMA, "SR_STORE_SCHEMA: one per migration");

static int run_all(sqlite3 *db, const char *const *stmts, char **err)
{
    for (; *stmts; stmts++)
        if (sqlite3_exec(db, *stmts, NULL, NULL, err))
            return 1;
    return 0;
}

sr_status sr_store_migrate(sr_store *s, sr_ctx *ctx)
{
    int have = sr_store_schema_version(s);
    int want = (int)(sizeof migrations / sizeof migrations[0]);
    if (have > want)
        return sr_ctx_error(ctx, SR_ESTALE, "%s: schema version %d is newer than this sitrep (%d)", s->path, have,
                            want);
    if (have == want)
        return SR_OK;
    char setv[64];
    snprintf(setv, sizeof setv, "PRAGMA user_version=%d", want);
    char *err = NULL;
    int v = have;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err))
        goto fail;
    for (; v < want; v++)
        if (run_all(s->db, migrations[v], &err))
            goto fail;
    v--;
    if (sqlite3_exec(s->db, setv, NULL, NULL, &err) || sqlite3_exec(s->db, "COMMIT", NULL, NULL, &err))
        goto fail;
    return SR_OK;
fail:;
    sr_status st = sr_ctx_error(ctx, SR_EDB, "%s: migration to schema %d: %s", s->path, v + 1,
                                err ? err : sqlite3_errmsg(s->db));
    sqlite3_free(err);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
    return SR_OK;
}
