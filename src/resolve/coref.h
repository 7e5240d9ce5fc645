/* coref.h — which actor "the militants", "the army" or "Kurdish forces"
 * stand for, decided from the document's context (see coref.c). */
#ifndef SR_COREF_H
#define SR_COREF_H

enum { SR_COREF_NONE = 0, SR_COREF_NSAG, SR_COREF_GOV, SR_COREF_KURD };
enum { SR_COUNTRY_SY = 1, SR_COUNTRY_IQ };

/* Dictionary indexes of the actors generic mentions resolve to (-1: absent). */
typedef struct sr_coref_ids {
    int syria_gov, iraq_gov, sdf, peshmerga;
} sr_coref_ids;

/* The class of a generic dictionary id ("?NSAG", "?GOV", "?KURD"). */
int sr_coref_class(const char *generic_id);
/* The country a sentence is about, from Syria/Iraq word counts of the
 * sentence and of the whole document. */
int sr_coref_country(int sent_sy, int sent_iq, int doc_sy, int doc_iq);
/* The actor a generic mention stands for: `last_nsag` is the non-state group
 * named most recently before it, `top_nsag` the one the document names most
 * (-1 when none).  Returns a dictionary index or -1. */
int sr_coref_resolve(int cls, int country, int last_nsag, int top_nsag, const sr_coref_ids *ids);

#endif
