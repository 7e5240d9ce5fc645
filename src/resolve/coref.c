/* coref.c — resolve generic actor mentions ("the militants", "the army",
 * "Kurdish fighters") to a dictionary actor from the document's context.
 *
 * The rules are those a reader applies without thinking:
 *   - "the group / gunmen" (?NSAG) is the non-state armed group most
 *     recently named before it, else the one the document names most;
 *   - "the militants / the jihadists / the extremists / the terrorists"
 *     (?JIHAD) is likewise the jihadist group (IS, Nusra, HTS) named last or
 *     most, and only when the report names none, any armed group: reports
 *     call the rebels "rebels" and the jihadists "militants";
 *   - "the army / troops / the regime" (?GOV) are the state forces of the
 *     country the sentence (else the document) is about: Iraqi when the
 *     sentence or document speaks of Iraq more than of Syria;
 *   - "Kurdish forces" (?KURD) are the SDF in Syria and the Peshmerga in Iraq.
 * The country is counted from the words Syria/Iraq (and their adjectives,
 * capitals, and the actors named), passed in by the caller. */
#include "resolve/coref.h"

#include <string.h>

int sr_coref_class(const char *generic_id)
{
    if (!generic_id || generic_id[0] != '?')
        return SR_COREF_NONE;
    if (!strcmp(generic_id, "?NSAG"))
        return SR_COREF_NSAG;
    if (!strcmp(generic_id, "?GOV"))
        return SR_COREF_GOV;
    if (!strcmp(generic_id, "?KURD"))
        return SR_COREF_KURD;
    if (!strcmp(generic_id, "?JIHAD"))
        return SR_COREF_JIHAD;
    return SR_COREF_NONE;
}

int sr_coref_country(int sent_sy, int sent_iq, int doc_sy, int doc_iq)
{
    if (sent_iq > sent_sy)
        return SR_COUNTRY_IQ;
    if (sent_sy > sent_iq)
        return SR_COUNTRY_SY;
    return doc_iq > doc_sy ? SR_COUNTRY_IQ : SR_COUNTRY_SY;
}

int sr_coref_resolve(int cls, int country, const sr_coref_seen *seen, const sr_coref_ids *ids)
{
    switch (cls) {
    case SR_COREF_JIHAD:
        if (seen->last_jihad >= 0)
            return seen->last_jihad;
        if (seen->top_jihad >= 0)
            return seen->top_jihad;
        /* no jihadist group named: as "the group" */
        return seen->last_nsag >= 0 ? seen->last_nsag : seen->top_nsag;
    case SR_COREF_NSAG:
        return seen->last_nsag >= 0 ? seen->last_nsag : seen->top_nsag;
    case SR_COREF_GOV:
        return country == SR_COUNTRY_IQ ? ids->iraq_gov : ids->syria_gov;
    case SR_COREF_KURD:
        return country == SR_COUNTRY_IQ ? ids->peshmerga : ids->sdf;
    }
    return -1;
}
