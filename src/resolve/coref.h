/* coref.h — which actor "the militants", "the army" or "Kurdish forces"
 * stand for, decided from the document's context (see coref.c). */
#ifndef SR_COREF_H
#define SR_COREF_H

enum { SR_COREF_NONE = 0, SR_COREF_NSAG, SR_COREF_GOV, SR_COREF_KURD, SR_COREF_JIHAD };
enum { SR_COUNTRY_SY = 1, SR_COUNTRY_IQ };

/* Dictionary indexes of the actors generic mentions resolve to (-1: absent). */
typedef struct sr_coref_ids {
    int syria_gov, iraq_gov, sdf, peshmerga;
} sr_coref_ids;

/* What the document has named so far (dictionary indexes, -1 when none):
 * the non-state armed group named last and the one named most, and the
 * same for jihadist groups (kind "jihadist" in data/actors.tsv). */
typedef struct sr_coref_seen {
    int last_nsag, top_nsag, last_jihad, top_jihad;
} sr_coref_seen;

/* The class of a generic dictionary id ("?NSAG", "?JIHAD", "?GOV", "?KURD"). */
int sr_coref_class(const char *generic_id);
/* The country a sentence is about, from Syria/Iraq word counts of the
 * sentence and of the whole document. */
int sr_coref_country(int sent_sy, int sent_iq, int doc_sy, int doc_iq);
/* The actor a generic mention stands for, given what was named before it.
 * Returns a dictionary index or -1. */
int sr_coref_resolve(int cls, int country, const sr_coref_seen *seen, const sr_coref_ids *ids);

#endif
