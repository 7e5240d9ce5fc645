/* test_extract.c — the event extractor end to end on sentences written for
 * these tests: each pattern kind (active, passive, nominal, state forms,
 * sieges, strikes, attacks, clashes, evacuations, agreements, negotiations,
 * surrenders), every modality, claimants, affiliations, coreference,
 * one-record-per-fact merging and contradiction marking.  The data (actors,
 * rules, gazetteer) is read from ./data: tests run from the repository root. */
#include "t.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/mem.h"
#include "extract/extract.h"

#include <math.h>
#include <stdlib.h>

static sr_extractor *X;
static sr_arena *A;
static sr_doc_result R;
static sr_doc D;
static sr_seg SEG;
static sr_ctx C;
static int nwarn_seen;

static void on_warn(void *u, const char *msg)
{
    (void)u, (void)msg;
    nwarn_seen++;
}

/* Extract one document (the whole text is the story). */
static size_t ex(const char *text, const char *published)
{
    sr_arena_reset(A);
    memset(&D, 0, sizeof D);
    D.id = "t";
    D.text = text;
    D.len = strlen(text);
    D.published = published;
    SEG.start = 0;
    SEG.end = (uint32_t)D.len;
    D.body = &SEG;
    D.nbody = 1;
    if (sr_extract_doc(X, &D, A, &R, &C)) {
        fprintf(stderr, "extract failed: %s\n", C.msg);
        return (size_t)-1;
    }
    return R.nevents;
}

static int group_is(const sr_actor_ref *a, const char *g)
{
    if (!g)
        return 1;
    const char *x = a->group ? a->group : a->id;
    return x && !strcmp(x, g);
}

/* The record of `type` whose actor counts for `group` (NULL: any) and whose
 * place words are `place` (NULL: any); NULL when none. */
static const sr_event *find(const char *type, const char *group, const char *place)
{
    for (size_t i = 0; i < R.nevents; i++) {
        const sr_event *e = &R.events[i];
        if (strcmp(e->type, type) || !group_is(&e->actor, group))
            continue;
        if (place && (!e->place.text || strcmp(e->place.text, place)))
            continue;
        return e;
    }
    return NULL;
}

static const char *mod(const sr_event *e) { return e ? e->modality : "(no record)"; }

static int count(const char *type)
{
    int n = 0;
    for (size_t i = 0; i < R.nevents; i++)
        n += !strcmp(R.events[i].type, type);
    return n;
}

static void test_control_change(void)
{
    const sr_event *e;
    /* active, with the side that lost it */
    ex("The Syrian army recaptured the town of Palmyra from Islamic State militants on Sunday.", "2017-03-06");
    e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_CHECK(e != NULL);
    T_EQ_STR(mod(e), "asserted");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    T_EQ_STR(e ? e->date : NULL, "2017-03-05");
    T_EQ_STR(e ? e->date_text : NULL, "on Sunday");
    T_EQ_STR(e ? e->precision : NULL, "day");
    T_CHECK(e && e->place.geonameid != 0);
    T_CHECK(e && e->rule && strstr(e->rule, "20-control.rules:"));
    /* evidence: the sentence's bytes */
    T_CHECK(e && e->evidence.start == 0 && e->evidence.end == strlen(D.text));
    /* "drove X out of Y" */
    ex("Iraqi troops drove the militants out of Ramadi last week.", "2016-01-05");
    e = find("control_change", "IRAQ_GOV", "Ramadi");
    T_EQ_STR(mod(e), "asserted");
    T_EQ_STR(e ? e->precision : NULL, "week");
    /* passive: fell to */
    ex("Manbij fell to the Syrian Democratic Forces on Friday.", "2016-08-13");
    e = find("control_change", "SDF", "Manbij");
    T_EQ_STR(mod(e), "asserted");
    T_EQ_STR(e ? e->date : NULL, "2016-08-12");
    /* passive: was captured by */
    ex("The town of Jarabulus was captured by Turkish-backed rebels.", "2016-08-25");
    T_EQ_STR(mod(find("control_change", "TURKEY", "Jarabulus")), "asserted");
    /* nominal */
    ex("The capture of Tikrit by Iraqi forces ended a long battle.", "2015-04-02");
    T_EQ_STR(mod(find("control_change", "IRAQ_GOV", "Tikrit")), "asserted");
    /* the loser as subject */
    ex("Islamic State lost control of Tal Abyad to Kurdish fighters on Monday.", "2015-06-16");
    e = find("control_change", "SDF", "Tal Abyad");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    ex("Rebels were driven out of Daraya by government forces.", "2016-08-27");
    T_CHECK(find("control_change", "SYRIA_GOV", "Daraya") != NULL);
    ex("The rebels handed over Daraya to the Syrian army.", "2016-08-27");
    T_CHECK(find("control_change", "SYRIA_GOV", "Daraya") != NULL);
    /* "came under the control of"; the towns named set the country of "Kurdish forces" */
    ex("Sinjar came under the control of Kurdish forces.", "2015-11-13");
    T_CHECK(find("control_change", "KURDISTAN_IQ", "Sinjar") != NULL);
    ex("The SDF announced the full liberation of Raqqa.", "2017-10-20");
    T_CHECK(find("control_change", "SDF", "Raqqa") != NULL);
    /* "X, which IS had captured in May": a second, earlier change */
    ex("Government forces regained Palmyra, which IS had captured in May.", "2016-03-28");
    T_CHECK(find("control_change", "SYRIA_GOV", "Palmyra") != NULL);
    e = find("control_change", "ISIS", "Palmyra");
    T_EQ_STR(e ? e->date : NULL, "2015-05-15");
    /* "stormed X, capturing it" */
    ex("Islamic State militants stormed Tabqa on Sunday, capturing it from government forces.", "2014-08-25");
    T_CHECK(find("control_change", "ISIS", "Tabqa") != NULL);
    /* an apposition naming the former holder; the change keeps its own day */
    ex("Palmyra, which had been held by IS since May 2015, was recaptured by Syrian troops on Sunday.", "2016-03-28");
    e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    T_EQ_STR(e ? e->date : NULL, "2016-03-27");
    ex("The town of Ariha, once a government stronghold, was captured by opposition fighters in May.", "2015-06-01");
    T_CHECK(find("control_change", "REBELS", "Ariha") != NULL);
    /* a list of places: one record each */
    ex("Kurdish-led forces seized Tabqa, Mansoura and Hazima.", "2017-06-05");
    T_CHECK(find("control_change", "SDF", "Tabqa") != NULL);
    T_CHECK(find("control_change", "SDF", "Hazima") != NULL);
    /* stripped apostrophes, "retook full control of", "X-held stronghold of" leading to the place */
    ex("Bashar al Assads forces retook full control of Aleppo in December.", "2017-01-10");
    T_CHECK(find("control_change", "SYRIA_GOV", "Aleppo") != NULL);
    ex("Jaysh al-Fateh took control of the regime-held stronghold of Idlib in March.", "2015-07-15");
    T_CHECK(find("control_change", "REBELS", "Idlib") != NULL);
    T_CHECK(find("control_state", "SYRIA_GOV", "Idlib") == NULL);
    /* a pronoun subject is the armed side named last */
    ex("Islamic State lost ten fighters as it took control of Sukhnah.", "2015-05-14");
    T_EQ_STR(mod(find("control_change", "ISIS", "Sukhnah")), "asserted");
    /* a participle after a determiner is an adjective */
    ex("The Syrian army is rebuilding the liberated districts of Homs.", "2016-05-01");
    T_EQ_INT(count("control_change"), 0);
    /* a pronoun never stands for the side named as the object after the verb */
    ex("Rebels shelled the area. They seized the Sahel district, driving out the rebels.", "2015-07-21");
    T_EQ_INT(count("control_change"), 0);
    /* "taking control of" without a comma */
    ex("The fighting ended with the Nusra Front taking control of Jisr al-Shughour.", "2015-04-26");
    T_CHECK(find("control_change", "JIHADIST_OTHER", NULL) != NULL);
    /* an actor after "against" is an object: the subject named before it acts */
    ex("Turkish-backed rebels, fighting against IS, captured Dabiq.", "2016-10-16");
    T_CHECK(find("control_change", "TURKEY", "Dabiq") != NULL);
    T_CHECK(find("control_change", "ISIS", "Dabiq") == NULL);
    ex("Syrian forces launched an offensive against ISIL in the east, capturing Jirah on Friday.", "2017-05-13");
    T_CHECK(find("control_change", "SYRIA_GOV", "Jirah") != NULL);
    T_CHECK(find("control_change", "ISIS", NULL) == NULL);
    /* a place after "between" / "around" is not the subject of the change */
    ex("All the land between Deir ez-Zor and Mayadin was captured by the Tiger Forces.", "2017-10-17");
    T_CHECK(find("control_change", NULL, "Deir ez-Zor") == NULL);
    /* a country is never the place taken */
    ex("The Islamic State seized large parts of Syria and Iraq.", "2014-09-24");
    T_EQ_INT(count("control_change"), 0);
    /* a victory in battle is not a take-over */
    ex("Syrian soldiers won the battle against the rebels in Maarat.", "2014-08-24");
    T_EQ_INT(count("control_change"), 0);
    /* "stormed the town of X": a storming told as done; undone later in the sentence, an attempt */
    ex("Islamic State fighters stormed the town of Tabqa on Thursday.", "2014-08-25");
    T_EQ_STR(mod(find("control_change", "ISIS", "Tabqa")), "asserted");
    ex("Islamic State fighters stormed the town of Tabqa but were pushed back by the army.", "2014-08-25");
    T_EQ_STR(mod(find("control_change", "ISIS", "Tabqa")), "attempted");
    /* "entered X after Y withdrew": a take-over without a battle; "entered X" alone, an attack */
    ex("The Syrian army entered Palmyra after Islamic State fighters withdrew.", "2016-03-28");
    e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    ex("Syrian troops entered the town of Zabadani on Sunday.", "2015-07-06");
    T_CHECK(find("attack", "SYRIA_GOV", "Zabadani") != NULL);
    T_EQ_INT(count("control_change"), 0);
    /* a landmark ("X, northwest of Y", "villages north of Y") is never the place held or taken */
    ex("Two towns, Hit, northwest of Ramadi, and Rawa, to the east, were still under Islamic State control.", "2017-11-03");
    T_CHECK(find("control_state", "ISIS", "Rawa") != NULL);
    T_CHECK(find("control_state", NULL, "Ramadi") == NULL);
    ex("Islamic State militants seized the town of Sukhnah, east of Palmyra.", "2015-05-14");
    T_CHECK(find("control_change", "ISIS", "Sukhnah") != NULL);
    T_CHECK(find("control_change", NULL, "Palmyra") == NULL);
    ex("Rebels captured three villages 10 km north of Hama.", "2016-09-01");
    T_CHECK(find("control_change", NULL, "Hama") == NULL);
    /* "declared X liberated" (the rule's own verb: no claim cue, as "announced the liberation of"), "cleared X of Y" */
    ex("Iraqi forces declared Ramadi fully liberated on Monday.", "2015-12-29");
    T_EQ_STR(mod(find("control_change", "IRAQ_GOV", "Ramadi")), "asserted");
    ex("Iraqi troops cleared Fallujah of Islamic State militants on Sunday.", "2016-06-27");
    e = find("control_change", "IRAQ_GOV", "Fallujah");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    /* "X, captured by Y in November," an earlier change in an apposition; the main clause wins */
    ex("Palmyra, seized by Islamic State in May, is a UNESCO site.", "2015-08-01");
    T_CHECK(find("control_change", "ISIS", "Palmyra") != NULL);
    ex("The town of Sukhnah, captured by Islamic State in May, was retaken by the Syrian army.", "2017-08-14");
    e = find("control_change", "SYRIA_GOV", "Sukhnah");
    T_CHECK(e && group_is(&e->target, "ISIS"));
    /* "X returned to Y control", "seized back X", "Z abandoned X to Y" */
    ex("Palmyra returned to government control on Sunday.", "2016-03-28");
    T_CHECK(find("control_change", "SYRIA_GOV", "Palmyra") != NULL);
    ex("Government troops seized back Palmyra on Sunday.", "2016-03-28");
    T_CHECK(find("control_change", "SYRIA_GOV", "Palmyra") != NULL);
    ex("The rebels abandoned Daraya to the Syrian army.", "2016-08-27");
    e = find("control_change", "SYRIA_GOV", "Daraya");
    T_CHECK(e && group_is(&e->target, "REBELS"));
    /* "X, which fell to Y", "the X area recently seized by Y", "took villages including X and Y" */
    ex("Daraya, which fell to the Syrian army last year, was evacuated.", "2017-05-01");
    T_CHECK(find("control_change", "SYRIA_GOV", "Daraya") != NULL);
    ex("An airstrike hit the Ramouseh area recently seized by rebels from government forces.", "2016-08-10");
    e = find("control_change", "REBELS", "Ramouseh");
    T_CHECK(e && group_is(&e->target, "SYRIA_GOV"));
    ex("The army also took villages including Bashkuwi and Sifat.", "2016-02-05");
    T_CHECK(find("control_change", "SYRIA_GOV", "Sifat") != NULL);
    /* possessive nominals: "X's fall to Y", "X's capture by Y"; "completed their takeover of X" */
    ex("Palmyra's fall to Islamic State shocked the world.", "2015-05-22");
    T_CHECK(find("control_change", "ISIS", "Palmyra") != NULL);
    ex("Since Mosul's capture by Islamic State in June 2014, the city has suffered.", "2016-10-17");
    e = find("control_change", "ISIS", "Mosul");
    T_EQ_STR(e ? e->precision : NULL, "month");
    ex("Kurdish fighters completed their takeover of Tal Abyad on Tuesday.", "2015-06-17");
    T_CHECK(find("control_change", "SDF", "Tal Abyad") != NULL);
    /* a facility named after a town is the place taken, at the town's coordinates */
    ex("Islamic State militants captured the Tabqa air base on Sunday.", "2014-08-25");
    e = find("control_change", "ISIS", "Tabqa air base");
    T_CHECK(e && e->place.geonameid == 0 && !isnan(e->place.lat) && e->place_near != NULL);
    T_CHECK(find("control_change", "ISIS", "Tabqa") == NULL);
    ex("Islamic State fighters seized the Shaar oilfield east of the city of Homs.", "2014-07-18");
    e = find("control_change", "ISIS", "Shaar oilfield");
    T_CHECK(e && !isnan(e->place.lat));
    /* "the military airport of X": the facility, not the town */
    ex("Islamic State militants seized the military airport of Deir ez-Zor.", "2014-09-20");
    e = find("control_change", "ISIS", "military airport of Deir ez-Zor");
    T_CHECK(e && e->place.geonameid == 0 && !isnan(e->place.lat));
    T_CHECK(find("control_change", "ISIS", "Deir ez-Zor") == NULL);
    /* a village the gazetteer lacks, with no town after it, lies near the last one named before */
    ex("A car bomb exploded in Daraa province. Among the dead in the rebel-controlled town of Namar were two children.", "2014-08-15");
    e = find("control_state", "REBELS", "Namar");
    T_CHECK(e && !isnan(e->place.lat) && e->place_near != NULL);
    /* a town a control record names is in Syria or Iraq (or a side's country): a homonym
     * abroad ("Gharanij" read as a Russian village) is dropped and placed by the towns around it */
    ex("Islamic State fighters stormed Gharanij, a town in Deir ez-Zor province in Syria.", "2014-08-15");
    e = find("control_change", "ISIS", "Gharanij");
    T_CHECK(e && e->place.geonameid == 0 && !strcmp(e->place.country, "SY"));
    /* "except X": left out */
    ex("Most of Homs except the battered district of Waar has returned to regime control.", "2014-05-10");
    T_CHECK(find("control_change", NULL, "Waar") == NULL);
    /* but "the west and south of X" is a part of X */
    ex("The army has since mainly held the west and south of Aleppo.", "2014-07-30");
    T_CHECK(find("control_state", "SYRIA_GOV", "Aleppo") != NULL);
}

static void test_control_state(void)
{
    const sr_event *e;
    ex("Warplanes struck IS-held Raqqa on Monday.", "2016-05-03");
    e = find("control_state", "ISIS", "Raqqa");
    T_EQ_STR(mod(e), "asserted");
    ex("Aleppo's eastern districts remained under rebel control.", "2016-05-03");
    ex("Deir ez-Zor remains under the control of the Islamic State.", "2016-05-03");
    ex("Jarabulus, under Islamic State control, was quiet.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Jarabulus") != NULL);
    /* "X, held by Y, ...": a holding in an apposition; ended when the clause says X was taken */
    ex("Tabqa, controlled by Islamic State, was bombed on Monday.", "2016-05-03");
    T_EQ_STR(mod(find("control_state", "ISIS", "Tabqa")), "asserted");
    ex("Palmyra, held by Islamic State since May, was recaptured by Syrian troops on Sunday.", "2016-03-28");
    T_EQ_STR(mod(find("control_state", "ISIS", "Palmyra")), "past");
    T_CHECK(find("control_change", "SYRIA_GOV", "Palmyra") != NULL);
    /* "Y, who control X, ..." */
    ex("Islamic State militants, who control Raqqa, executed three men.", "2015-03-01");
    T_EQ_STR(mod(find("control_state", "ISIS", "Raqqa")), "asserted");
    /* "X, where Y still holds ...", "holed up in X", "entrenched in the old city of X" */
    ex("Fighting continued in Mosul, where IS still holds several neighbourhoods.", "2017-06-01");
    T_EQ_STR(mod(find("control_state", "ISIS", "Mosul")), "asserted");
    ex("Hundreds of IS fighters are holed up in Raqqa.", "2017-09-01");
    T_EQ_STR(mod(find("control_state", "ISIS", "Raqqa")), "asserted");
    ex("Islamic State fighters are entrenched in the old city of Mosul.", "2017-06-01");
    T_EQ_STR(mod(find("control_state", "ISIS", "Mosul")), "asserted");
    /* "has full control of X" */
    ex("The Syrian army has full control of Aleppo.", "2016-12-23");
    T_EQ_STR(mod(find("control_state", "SYRIA_GOV", "Aleppo")), "asserted");
    ex("Raqqa is the last stronghold of the Islamic State.", "2017-06-01");
    T_CHECK(find("control_state", "ISIS", "Raqqa") != NULL);
    ex("Mosul is the last IS stronghold in Iraq.", "2017-06-01");
    T_CHECK(find("control_state", "ISIS", "Mosul") != NULL);
    ex("Jets struck the last IS stronghold in Syria, Baghuz.", "2019-02-18");
    T_CHECK(find("control_state", "ISIS", "Baghuz") != NULL);
    ex("Airstrikes hit areas under IS control, including Raqqa and Tabqa.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Tabqa") != NULL);
    ex("Jets struck Manbij, which is held by the Islamic State.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Manbij") != NULL);
    ex("Jets struck Mosul, which IS has held since 2014.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Mosul") != NULL);
    ex("Mosul remains in the hands of the Islamic State.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Mosul") != NULL);
    ex("Planes hit the Islamic State's self-declared capital Raqqa.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Raqqa") != NULL);
    ex("The Islamic State controls most of Deir ez-Zor.", "2016-05-03");
    T_EQ_STR(mod(find("control_state", "ISIS", NULL)), "asserted");
    ex("Shelling hit the government-held part of Deir ez-Zor.", "2016-05-03");
    T_CHECK(find("control_state", "SYRIA_GOV", NULL) != NULL);
    /* "X was ... but is now in Y hands" */
    ex("Homs was a rebel bastion but is now almost entirely in regime hands.", "2014-04-09");
    T_CHECK(find("control_state", "SYRIA_GOV", "Homs") != NULL);
    /* split control: one record per holder */
    ex("Control of Hasakah is split between Kurdish forces and the Syrian army.", "2015-06-01");
    T_CHECK(find("control_state", "SDF", "Hasakah") != NULL);
    T_CHECK(find("control_state", "SYRIA_GOV", "Hasakah") != NULL);
    /* a state superseded by a change of the same place in the same report */
    ex("Kurdish fighters captured IS-held Tal Abyad on Tuesday.", "2015-06-17");
    T_CHECK(find("control_change", "SDF", "Tal Abyad") != NULL);
    T_CHECK(find("control_state", "ISIS", "Tal Abyad") == NULL);
    /* a stronghold in a province is not the province */
    ex("IS attacked Tabqa air base, the last government stronghold in Raqqa province.", "2014-08-20");
    T_CHECK(find("control_state", "SYRIA_GOV", "Raqqa") == NULL);
    /* holding territory in a province is not holding the province */
    ex("ISIS-held territory in Hama province shrank.", "2017-09-03");
    T_EQ_INT(count("control_state"), 0);
    /* "the town" refers back to the last town named */
    ex("Shelling hit Qamishli overnight. Control of the town is split between the Syrian army and Kurdish "
       "fighters.",
       "2016-04-21");
    e = find("control_state", "SDF", "the town");
    T_CHECK(e != NULL);
    T_CHECK(e && e->place.geonameid != 0 && strstr(e->place.name, "mishl"));
}

static void test_other_events(void)
{
    ex("Government forces besieged Madaya for months.", "2016-01-10");
    T_CHECK(find("siege", "SYRIA_GOV", "Madaya") != NULL);
    ex("Russian warplanes struck Saraqeb on Monday.", "2016-02-10");
    T_CHECK(find("airstrike", "RUSSIA", "Saraqeb") != NULL);
    ex("Islamic State militants attacked Kobani from three sides.", "2014-10-10");
    T_CHECK(find("attack", "ISIS", "Kobani") != NULL);
    ex("Fierce clashes between the Syrian army and rebels in Daraa killed ten.", "2016-02-10");
    const sr_event *e = find("clash", "SYRIA_GOV", "Daraa");
    T_CHECK(e != NULL);
    T_CHECK(e && group_is(&e->target, "REBELS"));
    ex("Hundreds of rebels were evacuated from Homs on Friday.", "2014-05-10");
    T_CHECK(find("evacuation", "REBELS", "Homs") != NULL);
    ex("A truce between the Syrian government and the rebels took effect.", "2016-02-27");
    T_CHECK(find("agreement", "SYRIA_GOV", NULL) != NULL);
    ex("Kurdish forces held talks with the Syrian government about Manbij.", "2017-03-02");
    T_CHECK(find("negotiation", "SDF", NULL) != NULL);
    ex("Dozens of Islamic State fighters surrendered in Raqqa.", "2017-10-15");
    T_CHECK(find("surrender", "ISIS", "Raqqa") != NULL);
    /* fighting inside a place: not a change of hands, but a clash there */
    ex("Iraqi troops are keeping up the fight in Tikrit, a city on the Tigris.", "2015-03-20");
    T_CHECK(find("clash", "IRAQ_GOV", "Tikrit") != NULL);
    T_CHECK(find("control_change", NULL, "Tikrit") == NULL);
    ex("Kurdish fighters were chasing Islamic State remnants inside the town of Manbij.", "2016-08-10");
    e = find("clash", "SDF", "Manbij");
    T_CHECK(e != NULL);
    T_CHECK(e && group_is(&e->target, "ISIS"));
    ex("Heavy fighting raged inside Palmyra on Sunday.", "2016-03-27");
    T_CHECK(find("clash", NULL, "Palmyra") != NULL);
    /* an advance into a place: an attack by the side not yet holding it */
    ex("The Syrian army is now pushing into the eastern districts of Palmyra.", "2016-03-25");
    T_CHECK(find("attack", "SYRIA_GOV", "Palmyra") != NULL);
    T_CHECK(find("control_change", NULL, "Palmyra") == NULL);
}

static void test_modality(void)
{
    const sr_event *e;
    ex("The Syrian army will soon take Raqqa.", "2017-11-03");
    T_EQ_STR(mod(find("control_change", "SYRIA_GOV", "Raqqa")), "future");
    ex("The Syrian army is preparing to storm and capture Raqqa.", "2017-11-03");
    T_EQ_STR(mod(find("control_change", "SYRIA_GOV", "Raqqa")), "future");
    ex("Islamic State fighters never controlled Qamishli.", "2016-04-21");
    T_EQ_STR(mod(find("control_state", "ISIS", "Qamishli")), "negated");
    ex("The Syrian army did not take Qamishli.", "2016-04-21");
    T_EQ_STR(mod(find("control_change", "SYRIA_GOV", "Qamishli")), "negated");
    ex("The Syrian army failed to capture Qamishli.", "2016-04-21");
    T_EQ_STR(mod(find("control_change", "SYRIA_GOV", "Qamishli")), "negated");
    /* a generic mention with no group named in the report gives no record */
    ex("The militants never controlled Qamishli.", "2016-04-21");
    T_EQ_INT(count("control_state"), 0);
    ex("If the army captured Tabqa, the road would open.", "2017-03-01");
    T_EQ_STR(mod(find("control_change", NULL, "Tabqa")), "hypothetical");
    ex("Islamic State fighters tried to capture Kobani.", "2014-10-10");
    T_EQ_STR(mod(find("control_change", "ISIS", "Kobani")), "attempted");
    ex("Kurdish fighters repulsed an attack on Kobani by Islamic State militants.", "2014-10-10");
    T_CHECK(find("control_change", NULL, NULL) == NULL);
    ex("The Islamic State once held Palmyra.", "2017-03-06");
    T_EQ_STR(mod(find("control_state", "ISIS", "Palmyra")), "past");
    ex("The fall of Kobani to the Islamic State would be a blow to the Kurds.", "2014-10-07");
    T_EQ_STR(mod(find("control_change", "ISIS", "Kobani")), "hypothetical");
    ex("Jets bombed the IS-held districts of Mosul before they were liberated.", "2017-07-12");
    T_EQ_STR(mod(find("control_state", "ISIS", NULL)), "past");
    /* a fronted phrase before the subject is not the clause's ("a battle for") */
    ex("After a three-week battle for Ramadi, Iraqi forces recaptured the city of Ramadi.", "2015-12-28");
    T_EQ_STR(mod(find("control_change", "IRAQ_GOV", "Ramadi")), "asserted");
    /* "May" the month is no modal */
    ex("In an offensive launched in May, Kurdish forces captured Tal Abyad.", "2015-06-16");
    T_EQ_STR(mod(find("control_change", "SDF", "Tal Abyad")), "asserted");
    /* a holding written as an adjective is presupposed: the cues do not reach it */
    ex("The army launched an offensive to try to encircle the rebel-held east of Aleppo.", "2015-02-21");
    T_EQ_STR(mod(find("control_state", "REBELS", NULL)), "asserted");
    ex("The army managed to capture Tadef after a long battle.", "2017-02-27");
    T_EQ_STR(mod(find("control_change", NULL, "Tadef")), "asserted");
    /* claimed: a party speaks; its word is a claim with a claimant */
    ex("The Russian Defence Ministry said Syrian troops captured Maskanah.", "2017-06-05");
    e = find("control_change", "SYRIA_GOV", "Maskanah");
    T_EQ_STR(mod(e), "claimed");
    T_EQ_STR(e ? e->claimant.id : NULL, "RUSSIA");
    ex("According to state media, the army retook Khanasser.", "2016-02-25");
    e = find("control_change", "SYRIA_GOV", "Khanasser");
    T_EQ_STR(mod(e), "claimed");
    /* a neutral monitor reports: the claimant is kept, the fact asserted */
    ex("The Syrian Observatory for Human Rights said Islamic State militants seized Qaryatain.", "2015-08-06");
    e = find("control_change", "ISIS", "Qaryatain");
    T_EQ_STR(mod(e), "asserted");
    T_EQ_STR(e ? e->claimant.id : NULL, "SOHR");
    ex("Islamic State claimed to have captured Tadef.", "2017-02-27");
    e = find("control_change", "ISIS", "Tadef");
    T_EQ_STR(mod(e), "claimed");
    ex("The army said it would retake Palmyra within days.", "2016-03-01");
    T_EQ_STR(mod(find("control_change", "SYRIA_GOV", "Palmyra")), "future");
    T_EQ_INT(count("control_change"), 1);
    /* the verb of the fact is not a claim cue ("claimed the other bank") */
    ex("Iraqi forces claimed the western bank on Friday, along with most of Qaim.", "2017-11-03");
    e = find("control_change", "IRAQ_GOV", "Qaim");
    T_EQ_STR(mod(e), "asserted");
}

static void test_actors(void)
{
    const sr_event *e;
    /* affiliation from the dictionary and from "backed by X" in the text */
    ex("Syrian rebels, backed by Turkey, captured Dabiq.", "2016-10-16");
    e = find("control_change", "REBELS", "Dabiq");
    T_CHECK(e != NULL);
    T_EQ_STR(e ? e->actor.backed_by : NULL, "TURKEY");
    ex("The SDF backed by air strikes from the U.S.-led coalition captured Manbij.", "2016-08-13");
    e = find("control_change", "SDF", "Manbij");
    T_EQ_STR(e ? e->actor.backed_by : NULL, "US_COALITION");
    ex("Syrian troops, backed by Russian airstrikes, on Sunday recaptured Palmyra.", "2016-03-28");
    e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_EQ_STR(e ? e->actor.backed_by : NULL, "RUSSIA");
    ex("Syrian troops, backed by heavy air cover, on Sunday recaptured Palmyra.", "2016-03-28");
    T_CHECK(find("control_change", "SYRIA_GOV", "Palmyra") != NULL);
    /* "X and allied Y": X is the head */
    ex("Turkish troops and allied Syrian rebels took full control of al-Bab.", "2017-02-24");
    T_CHECK(find("control_change", "TURKEY", "al-Bab") != NULL);
    /* the name before "-backed" is the backer, never the actor */
    ex("Tabqa was captured by U.S.-backed fighters.", "2017-05-11");
    T_CHECK(find("control_change", "US_COALITION", NULL) == NULL);
    ex("The Syrian army captured Maheen.", "2015-11-23");
    e = find("control_change", "SYRIA_GOV", "Maheen");
    T_CHECK(e && e->actor.backed_by && strstr(e->actor.backed_by, "RUSSIA"));
    /* "X including fighters from Y": X is the actor */
    ex("Rebel forces including fighters from the Nusra Front seized Busra.", "2015-03-25");
    T_CHECK(find("control_change", "REBELS", "Busra") != NULL);
    T_CHECK(find("control_change", "JIHADIST_OTHER", "Busra") == NULL);
    /* coreference: "the militants" is the group named before */
    ex("Islamic State fighters advanced overnight. The militants seized Sukhnah.", "2015-05-14");
    e = find("control_change", "ISIS", "Sukhnah");
    T_CHECK(e != NULL);
    T_EQ_STR(e ? e->actor.text : NULL, "The militants");
    /* "the militants" are the jihadists, not the Kurdish-led forces named last */
    ex("Islamic State fighters fled Raqqa. The SDF advanced. Tabqa is an important stronghold for the militants.",
       "2017-05-02");
    T_CHECK(find("control_state", "ISIS", "Tabqa") != NULL);
    T_CHECK(find("control_state", "SDF", "Tabqa") == NULL);
    ex("The Nusra Front attacked a checkpoint. The group captured Ariha.", "2015-05-29");
    T_CHECK(find("control_change", "JIHADIST_OTHER", "Ariha") != NULL);
    /* "the group said" after a monitor is the monitor speaking */
    ex("The Britain-based Syrian Observatory for Human Rights reported heavy fighting. The group said Islamic "
       "State fighters took control of Markada.",
       "2014-03-30");
    e = find("control_change", "ISIS", "Markada");
    T_EQ_STR(mod(e), "asserted");
    T_EQ_STR(e ? e->claimant.id : NULL, "SOHR");
    /* "the army" is the army of the country the report is about */
    ex("Iraqi forces advanced in Anbar. The army retook Rutba.", "2016-05-19");
    T_CHECK(find("control_change", "IRAQ_GOV", "Rutba") != NULL);
    ex("Fighting went on near Aleppo in Syria. Government forces captured Khanasser.", "2016-02-25");
    T_CHECK(find("control_change", "SYRIA_GOV", "Khanasser") != NULL);
    /* "Kurdish fighters" are the SDF in Syria, the Peshmerga in Iraq */
    ex("In northern Iraq, Kurdish fighters retook Sinjar.", "2015-11-13");
    T_CHECK(find("control_change", "KURDISTAN_IQ", "Sinjar") != NULL);
    /* the apostrophe-less possessive of stripped corpora */
    ex("Raqqa, the Islamic States de facto capital, was bombed.", "2016-05-03");
    T_CHECK(find("control_state", "ISIS", "Raqqa") != NULL);
    /* a generic word closing the name of a group the dictionary lacks is not "the army" */
    ex("Fighters of the Naqshbandi Army captured Tal Afar.", "2014-06-16");
    T_CHECK(find("control_change", "IRAQ_GOV", NULL) == NULL);
    /* a generic word naming a site is not an actor */
    ex("Jets hit Tabqa military airport, the last regime-held position in the province.", "2014-08-18");
    T_CHECK(find("control_state", "SYRIA_GOV", NULL) != NULL);
}

static void test_merge(void)
{
    /* one record per fact, every supporting sentence kept */
    ex("The Syrian army captured Palmyra on Sunday. Troops raised the flag. Syrian forces captured Palmyra "
       "after weeks of fighting.",
       "2017-03-06");
    T_EQ_INT(count("control_change"), 1);
    const sr_event *e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_CHECK(e && e->nmore == 1);
    T_CHECK(e && e->nmore == 1 && e->more[0].start > e->evidence.start);
    T_EQ_STR(e ? e->date_text : NULL, "on Sunday");
    /* contradictions inside one report are kept and marked */
    ex("The Syrian army captured Tadef on Monday. Rebels said the army never captured Tadef.", "2017-02-28");
    const sr_event *a = NULL, *b = NULL;
    for (size_t i = 0; i < R.nevents; i++) {
        if (!strcmp(R.events[i].modality, "asserted") || !strcmp(R.events[i].modality, "claimed"))
            a = &R.events[i];
        if (!strcmp(R.events[i].modality, "negated"))
            b = &R.events[i];
    }
    T_CHECK(a && b);
    T_CHECK(a && a->contradicted);
    T_CHECK(b && b->contradicted);
    /* two sides said to take the same town the same day */
    ex("The Syrian army captured Tadef on Monday. Turkish-backed rebels captured Tadef on Monday.", "2017-02-28");
    a = find("control_change", "SYRIA_GOV", "Tadef");
    b = find("control_change", "TURKEY", "Tadef");
    T_CHECK(a && a->contradicted && b && b->contradicted);
    /* a take-over and a later take-back are no contradiction */
    ex("Islamic State seized Palmyra in May 2015. The Syrian army recaptured Palmyra on Sunday.", "2016-03-28");
    a = find("control_change", "SYRIA_GOV", "Palmyra");
    b = find("control_change", "ISIS", "Palmyra");
    T_CHECK(a && !a->contradicted && b && !b->contradicted);
}

static void test_places(void)
{
    const sr_event *e;
    /* a village the gazetteer lacks takes the coordinates of the town after it */
    ex("The Syrian army regained Kharbat Zuqaq in the countryside of Hama.", "2014-09-09");
    e = find("control_change", "SYRIA_GOV", "Kharbat Zuqaq");
    T_CHECK(e != NULL);
    T_CHECK(e && e->place.geonameid == 0 && e->place_near != NULL);
    T_CHECK(e && e->place.lat > 34.5 && e->place.lat < 35.5);
    /* "al-" names in lower case are places too */
    ex("The Syrian army established full control of al-Mashrafa village.", "2014-10-01");
    T_CHECK(find("control_change", "SYRIA_GOV", "al-Mashrafa") != NULL);
}

static void test_dates(void)
{
    const sr_event *e;
    /* the dateline wins over the metadata, with a warning */
    nwarn_seen = 0;
    ex("BEIRUT, Nov. 3, 2017 (AP) \xE2\x80\x94 Syrian troops captured Mayadin yesterday.", "2017-12-01");
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2017-11-02");
    T_EQ_STR(e ? e->date_text : NULL, "yesterday");
    T_EQ_INT(nwarn_seen, 1);
    /* no date expression: the publication date, date_text null */
    ex("Syrian troops captured Mayadin.", "2017-10-14");
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2017-10-14");
    T_CHECK(e && e->date_text == NULL);
    /* month precision */
    ex("Syrian troops captured Mayadin in September.", "2017-11-03");
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2017-09-15");
    T_EQ_STR(e ? e->precision : NULL, "month");
    /* a state "since" a year */
    ex("Mosul has been under Islamic State control since 2014.", "2016-10-17");
    e = find("control_state", "ISIS", "Mosul");
    T_EQ_STR(e ? e->since : NULL, "2014-07-01");
    /* no date at all */
    ex("Syrian troops captured Mayadin.", NULL);
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_CHECK(e && e->date == NULL);
    /* no publication date: a date with its year still counts, a relative one does not */
    ex("Syrian troops captured Mayadin on 14 October 2017.", NULL);
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2017-10-14");
    ex("Syrian troops captured Mayadin yesterday.", NULL);
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_CHECK(e && e->date == NULL);
    /* ... and a day of a named month takes the year last written out */
    ex("The offensive began in September 2017. On 14 October, Syrian troops captured Mayadin.", NULL);
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2017-10-14");
    /* ... the year of the nearest sentence before that writes one out (a
     * number of four digits that is no date does not count), for each
     * record in turn */
    ex("The offensive began in September 2015. Fighting resumed in 2016. It killed 1500 people. "
       "On 14 October, Syrian troops captured Mayadin. The siege lasted until 2017. "
       "On 3 May, Syrian troops captured Qaryatain. On 4 June, Syrian troops captured Palmyra.", NULL);
    e = find("control_change", "SYRIA_GOV", "Mayadin");
    T_EQ_STR(e ? e->date : NULL, "2016-10-14");
    e = find("control_change", "SYRIA_GOV", "Qaryatain");
    T_EQ_STR(e ? e->date : NULL, "2017-05-03");
    e = find("control_change", "SYRIA_GOV", "Palmyra");
    T_EQ_STR(e ? e->date : NULL, "2017-06-04");
}

static void test_json(void)
{
    ex("Manbij fell to the Syrian Democratic Forces on Friday.", "2016-08-13");
    const sr_event *e = find("control_change", "SDF", "Manbij");
    sr_buf b;
    sr_buf_init(&b);
    T_CHECK(e && !sr_event_to_json(e, &b));
    T_CHECK(b.data && strstr(b.data, "\"type\":\"control_change\""));
    T_CHECK(b.data && strstr(b.data, "\"modality\":\"asserted\""));
    T_CHECK(b.data && strstr(b.data, "\"evidence\":{\"start\":0,"));
    T_CHECK(b.data && strstr(b.data, "\"date\":\"2016-08-12\""));
    sr_buf_finish(&b);
}

static void test_bad_args(void)
{
    sr_ctx c;
    sr_ctx_init(&c);
    sr_doc_result r;
    T_EQ_INT(sr_extract_doc(NULL, &D, A, &r, &c), SR_EARG);
    T_EQ_INT(sr_extract_doc(X, NULL, A, &r, &c), SR_EARG);
    sr_extractor *x = NULL;
    T_CHECK(sr_extractor_open(&x, "/nonexistent-dir", &c) != SR_OK);
    T_CHECK(x == NULL);
    T_CHECK(strstr(c.msg, "/nonexistent-dir") != NULL);
    sr_extractor_close(NULL);
    /* an empty document has no records */
    T_EQ_INT((long long)ex("", "2017-01-01"), 0);
    T_EQ_INT((long long)ex("No armed group is named here at all.", "2017-01-01"), 0);
}

/* Every allocation that can fail is checked: the Nth one fails, the call
 * returns SR_ENOMEM (or succeeds when it needed fewer), never crashes. */
static void test_oom(void)
{
    const char *text = "BEIRUT, Nov. 3, 2017 (AP) - The Syrian army recaptured Palmyra from Islamic State "
                       "militants on Sunday. The militants had seized Palmyra, Tadmur and Arak, officials said.";
    int bad = 0, oom = 0;
    for (long n = 0; n < 400; n++) {
        sr_arena *a = sr_arena_create(256);
        if (!a)
            continue;
        sr_doc d;
        memset(&d, 0, sizeof d);
        d.id = "oom";
        d.text = text;
        d.len = strlen(text);
        d.published = "2017-11-03";
        sr_seg seg = {0, (uint32_t)d.len};
        d.body = &seg;
        d.nbody = 1;
        sr_ctx c;
        sr_ctx_init(&c);
        sr_doc_result r;
        sr_mem_fail_after(n);
        sr_status st = sr_extract_doc(X, &d, a, &r, &c);
        sr_mem_fail_after(-1);
        bad += st != SR_OK && st != SR_ENOMEM;
        oom += st == SR_ENOMEM;
        sr_arena_destroy(a);
    }
    T_EQ_INT(bad, 0);
    T_CHECK(oom > 0);
}

int main(void)
{
    sr_ctx_init(&C);
    C.warn = on_warn;
    A = sr_arena_create(0);
    if (sr_extractor_open(&X, "data", &C)) {
        fprintf(stderr, "cannot open data: %s\n", C.msg);
        return 1;
    }
    test_control_change();
    test_control_state();
    test_other_events();
    test_modality();
    test_actors();
    test_merge();
    test_places();
    test_dates();
    test_json();
    test_bad_args();
    test_oom();
    sr_extractor_close(X);
    sr_arena_destroy(A);
    return T_DONE();
}
