/* The demo's data: see cmd_demo_data.h. */
#include "cli/cmd_demo_data.h"

#define LIST(a) a, (sizeof a / sizeof a[0])

static const char *const postal_espoo[] = {"02100", "02600", "02610", "02650", "02230",
                                           "02320", "02770", "02200", "02360", "02940"};
static const char *const postal_kainuu[] = {"87100", "87200", "87500", "88900",
                                            "88600", "89600", "88300", "87700"};
static const char *const postal_pirkanmaa[] = {"33100", "33200", "33500", "33720",
                                               "37100", "33470", "33400", "33710"};
static const char *const postal_kronoby[] = {"68500", "68550", "68555", "68560", "68600"};

static const struct weighted tongues_espoo[] = {{"fi", 58}, {"sv", 8}, {"ru", 9}, {"so", 6},
                                                {"ar", 6},  {"et", 6}, {"en", 4}, {"other", 3}};
static const struct weighted tongues_kainuu[] = {{"fi", 90}, {"ru", 4}, {"sv", 1},
                                                 {"ar", 2},  {"et", 1}, {"other", 2}};
static const struct weighted tongues_pirkanmaa[] = {{"fi", 80}, {"ru", 5}, {"ar", 4}, {"so", 3},
                                                    {"et", 3},  {"en", 2}, {"sv", 1}, {"other", 2}};
static const struct weighted tongues_kronoby[] = {
    {"sv", 78}, {"fi", 15}, {"en", 2}, {"ar", 2}, {"other", 3}};

static const char *const reasons_fi[] = {"Kortti kadonnut", "Kortti varastettu",
                                         "Kortti vahingoittunut", "Väärinkäyttö"};
static const char *const reasons_sv[] = {"Kortet har försvunnit", "Kortet har stulits",
                                         "Kortet är skadat", "Missbruk"};

const struct region_def demo_regions[REGIONS] = {
    [R_ESPOO] = {"espoo", "Espoo", false, "koord-espoo", LIST(postal_espoo), LIST(tongues_espoo),
                 reasons_fi},
    [R_KAINUU] = {"kainuu", "Kainuun maakunta", true, "koord-kainuu", LIST(postal_kainuu),
                  LIST(tongues_kainuu), reasons_fi},
    [R_PIRKANMAA] = {"pirkanmaa", "Pirkanmaa", false, "koord-pirkanmaa", LIST(postal_pirkanmaa),
                     LIST(tongues_pirkanmaa), reasons_fi},
    [R_KRONOBY] = {"kronoby", "Kruunupyy – Kronoby", false, "koord-kronoby", LIST(postal_kronoby),
                   LIST(tongues_kronoby), reasons_sv},
};

const struct unit_def demo_units[UNITS] = {
    [U_LEPPAVAARA] = {"espoo-leppavaara", R_ESPOO, "Leppävaaran aikuissosiaalityö",
                      "jakaja-leppavaara", "E", 1001, 4, "XA", 1, 170},
    [U_TAPIOLA] = {"espoo-tapiola", R_ESPOO, "Tapiolan mielenterveys- ja päihdepalvelut",
                   "jakaja-tapiola", "E", 2001, 4, "XA", 25, 150},
    [U_MATINKYLA] = {"espoo-matinkyla", R_ESPOO, "Matinkylän työllisyyspalvelut",
                     "jakaja-matinkyla", "E", 3001, 4, "XA", 41, 130},
    [U_KAJAANI] = {"kainuu-kajaani", R_KAINUU, "Kajaanin aikuissosiaalityö", "jakaja-kajaani", "K",
                   1001, 4, "XK", 1, 150},
    [U_KUHMO] = {"kainuu-kuhmo", R_KAINUU, "Kuhmon sosiaali- ja terveysasema", "jakaja-kuhmo", "K",
                 2001, 4, "XK", 21, 80},
    [U_SOTKAMO] = {"kainuu-sotkamo", R_KAINUU, "Sotkamon mielenterveys- ja päihdepalvelut",
                   "jakaja-sotkamo", "K", 3001, 4, "XK", 41, 80},
    [U_HERVANTA] = {"pirkanmaa-hervanta", R_PIRKANMAA, "Hervannan sosiaaliasema, Tampere",
                    "jakaja-hervanta", "", 50001, 5, "XP", 1, 160},
    [U_AKLINIKKA] = {"pirkanmaa-a-klinikka", R_PIRKANMAA, "Tampereen A-klinikka",
                     "jakaja-a-klinikka", "", 51001, 5, "XP", 21, 110},
    [U_NOKIA] = {"pirkanmaa-nokia", R_PIRKANMAA, "Nokian aikuissosiaalityö", "jakaja-nokia", "",
                 52001, 5, "XP", 41, 90},
    [U_SOCIALBYRA] = {"kronoby-socialbyra", R_KRONOBY, "Kronoby socialbyrå", "utdelare-socialbyra",
                      "KR", 1001, 4, "XR", 1, 70},
    [U_HALSOCENTRAL] = {"kronoby-halsocentral", R_KRONOBY, "Kronoby hälsocentral, mentalvården",
                        "utdelare-halsocentral", "KR", 2001, 4, "XR", 21, 50},
};

const struct venue_def demo_venues[VENUES] = {
    [V_HILLA] = {"teatteri-hilla", R_ESPOO, "Teatteri Hilla", CAT_THEATRE,
                 "Esteetön sisäänkäynti pihan puolelta, pyörätuolipaikat riveillä 1 ja 8, "
                 "induktiosilmukka.",
                 true, "kassa-hilla"},
    [V_KAMU] = {"kamu-espoo", R_ESPOO, "KAMU Espoon kaupunginmuseo", CAT_MUSEUM,
                "Esteetön, hissi kaikkiin kerroksiin.", true, "kassa-kamu"},
    [V_LEPPAVAARA_SWIM] = {"leppavaaran-uimahalli", R_ESPOO, "Leppävaaran uimahalli", CAT_SWIMMING,
                           "Invapukuhuone ja allasnostin.", false, "kassa-leppavaaran-uimahalli"},
    [V_TYOVAENOPISTO] = {"espoon-tyovaenopisto", R_ESPOO, "Espoon työväenopisto",
                         CAT_ADULT_EDUCATION, "Opetustilat esteettömiä, kysy tilakohtaisesti.",
                         false, "toimisto-tyovaenopisto"},
    [V_KAJAANI_THEATRE] = {"kajaanin-kaupunginteatteri", R_KAINUU, "Kajaanin kaupunginteatteri",
                           CAT_THEATRE, "Esteetön, pyörätuolipaikkoja 4.", true,
                           "kassa-kajaanin-teatteri"},
    [V_KAINUU_MUSEUM] = {"kainuun-museo", R_KAINUU, "Kainuun museo", CAT_MUSEUM,
                         "Näyttelytilat katutasossa.", true, "kassa-kainuun-museo"},
    [V_KUHMO] = {"kuhmon-kamarimusiikki", R_KAINUU, "Kuhmon Kamarimusiikki", CAT_FESTIVAL,
                 "Kuhmo-talo on esteetön; induktiosilmukka pääsalissa.", true, "kassa-kuhmo"},
    [V_NASINKALLIO] = {"nasinkallion-teatteri", R_PIRKANMAA, "Näsinkallion Teatteri", CAT_THEATRE,
                       "Hissi saliin, pyörätuolipaikkoja 6.", true, "kassa-nasinkallio"},
    [V_HERVANTA_SWIM] = {"hervannan-uimahalli", R_PIRKANMAA, "Hervannan uimahalli", CAT_SWIMMING,
                         "Allasnostin, esteetön pukuhuone.", false, "kassa-hervannan-uimahalli"},
    [V_FOLK_FESTIVAL] = {"pirkanmaan-kansanmusiikkijuhlat", R_PIRKANMAA,
                         "Pirkanmaan kansanmusiikkijuhlat", CAT_FESTIVAL,
                         "Festivaalialue esteetön, esteetön WC.", false, "kassa-kansanmusiikki"},
    [V_KINO] = {"kino-pispala", R_PIRKANMAA, "Kino Pispala", CAT_CINEMA,
                "Sali toisessa kerroksessa, ei hissiä.", true, "kassa-kino-pispala"},
    [V_FOLKHOGSKOLA] = {"kronoby-folkhogskola", R_KRONOBY, "Kronoby folkhögskola",
                        CAT_ADULT_EDUCATION, "Tillgänglig entré, hiss till andra våningen.", false,
                        "kansli-folkhogskola"},
    [V_BIBLIOTEK] = {"kronoby-bibliotek", R_KRONOBY, "Kronoby bibliotek", CAT_LIBRARY,
                     "Tillgängligt, hörslinga i sagorummet.", true, "personal-bibliotek"},
    [V_ATENEUM] = {"ateneum", -1, "Ateneumin taidemuseo (Kansallisgalleria)", CAT_MUSEUM,
                   "Esteetön sisäänkäynti Kaivokadun puolelta, pyörätuoleja lainaksi.", true,
                   "kassa-ateneum"},
};

/* clang-format off */
const struct production demo_productions[] = {
    {V_HILLA, "Lumikuningatar", EVENT_PERFORMANCE, "01-10", "04-26", SAT | SUN, 13, 0, 120, 4, false, 30, 30, NULL, 1, 6, 70, 10},
    {V_HILLA, "Vanja-eno", EVENT_PERFORMANCE, "01-15", "05-16", THU | FRI, 19, 0, 120, 2, false, -1, -1, NULL, 1, 4, 5, 0},
    {V_HILLA, "Nummisuutarit (kesäteatteri)", EVENT_PERFORMANCE, "06-05", "08-15", WED | FRI | SAT, 19, 0, 260, 0, false, -1, -1, NULL, 2, 8, 20, 5},
    {V_HILLA, "Taikuri Matti", EVENT_PERFORMANCE, "09-06", "12-20", SUN, 15, 0, 120, 4, false, -1, -1, NULL, 2, 6, 85, 15},
    {V_HILLA, "Kesäyöntaika", EVENT_PERFORMANCE, "09-10", "12-19", FRI | SAT, 19, 0, 120, 2, false, -1, -1, NULL, 1, 5, 10, 0},
    {V_KAMU, "Päivälippu: Espoon tarina", EVENT_DAY_TICKET, "01-01", "12-31", WED | SAT | SUN, 11, 0, 250, -1, false, -1, -1, NULL, 0, 4, 40, 15},
    {V_LEPPAVAARA_SWIM, "Uinti ja kuntosali", EVENT_DAILY, "01-01", "06-30", ALL, 6, 0, 600, 0, false, -1, -1, NULL, 0, 5, 25, 5},
    {V_LEPPAVAARA_SWIM, "Uinti ja kuntosali", EVENT_DAILY, "08-01", "12-31", ALL, 6, 0, 600, 0, false, -1, -1, NULL, 0, 5, 25, 5},
    {V_TYOVAENOPISTO, "Akvarellimaalauksen alkeet", EVENT_COURSE, "01-12", "01-12", ALL, 17, 30, 16, 1, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Suomen kieli: alkeiskurssi A1", EVENT_COURSE, "01-14", "01-14", ALL, 18, 0, 20, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_TYOVAENOPISTO, "Kuntojooga", EVENT_COURSE, "01-13", "01-13", ALL, 18, 0, 24, 0, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Valokuvauksen perusteet", EVENT_COURSE, "09-07", "09-07", ALL, 17, 30, 14, 1, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_TYOVAENOPISTO, "Keramiikka", EVENT_COURSE, "09-08", "09-08", ALL, 17, 0, 10, 1, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_TYOVAENOPISTO, "Suomen kieli: jatkokurssi A2", EVENT_COURSE, "09-09", "09-09", ALL, 18, 0, 20, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_KAJAANI_THEATRE, "Seitsemän veljestä", EVENT_PERFORMANCE, "01-20", "05-10", WED | FRI | SAT, 19, 0, 300, 5, false, -1, -1, NULL, 2, 8, 10, 0},
    {V_KAJAANI_THEATRE, "Peppi Pitkätossu", EVENT_PERFORMANCE, "09-15", "12-13", SAT, 13, 0, 300, 5, false, -1, -1, NULL, 2, 8, 80, 20},
    {V_KAINUU_MUSEUM, "Päivälippu: Tervaa ja tukinuittoa", EVENT_DAY_TICKET, "01-01", "12-31", SAT | SUN, 11, 0, 120, -1, false, -1, -1, NULL, 0, 3, 30, 10},
    {V_KUHMO, "Kuhmon Kamarimusiikki: iltakonsertti", EVENT_PERFORMANCE, "07-12", "07-25", ALL, 19, 0, 650, 0, false, 14, -1, NULL, 3, 10, 5, 0},
    {V_NASINKALLIO, "Tuntematon sotilas (ensi-ilta)", EVENT_PERFORMANCE, "09-05", "09-05", ALL, 18, 0, 200, 0, false, -1, -1, "Ensi-ilta on kutsuvierasnäytös; Kaikukortilla ei lippuja tähän esitykseen.", 0, 0, 0, 0},
    {V_NASINKALLIO, "Tuntematon sotilas", EVENT_PERFORMANCE, "09-06", "12-12", THU | FRI | SAT, 19, 0, 200, 2, false, -1, -1, NULL, 2, 7, 5, 0},
    {V_NASINKALLIO, "Vierailu: Kolme sisarta", EVENT_PERFORMANCE, "03-12", "03-14", ALL, 19, 0, 200, 0, true, -1, -1, NULL, 1, 4, 0, 0},
    {V_NASINKALLIO, "Muumipeikko ja pyrstötähti", EVENT_PERFORMANCE, "01-17", "05-30", SAT, 12, 0, 200, 4, false, -1, -1, NULL, 2, 6, 85, 20},
    {V_HERVANTA_SWIM, "Uinti", EVENT_DAILY, "01-01", "12-31", ALL, 6, 0, 450, 0, false, -1, -1, NULL, 0, 4, 20, 5},
    {V_FOLK_FESTIVAL, "Kansanmusiikkijuhlat: päivälippu", EVENT_DAY_TICKET, "07-02", "07-05", ALL, 12, 0, 3000, 0, false, -1, -1, NULL, 15, 28, 40, 20},
    {V_KINO, "Elokuvakerho: kotimaiset klassikot", EVENT_PERFORMANCE, "01-01", "05-31", TUE, 18, 0, 80, 0, false, -1, -1, NULL, 0, 3, 0, 0},
    {V_KINO, "Elokuvakerho: kotimaiset klassikot", EVENT_PERFORMANCE, "09-01", "12-31", TUE, 18, 0, 80, 0, false, -1, -1, NULL, 0, 3, 0, 0},
    {V_FOLKHOGSKOLA, "Akvarellmålning för nybörjare", EVENT_COURSE, "01-19", "01-19", ALL, 18, 0, 14, 0, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_FOLKHOGSKOLA, "Svenska för inflyttade", EVENT_COURSE, "01-20", "01-20", ALL, 17, 0, 18, 1, false, -1, -1, NULL, 1, 2, 0, 0},
    {V_FOLKHOGSKOLA, "Körsång", EVENT_COURSE, "09-14", "09-14", ALL, 18, 30, 30, 0, false, -1, -1, NULL, 0, 2, 0, 0},
    {V_FOLKHOGSKOLA, "Vävning och textilhantverk", EVENT_COURSE, "09-15", "09-15", ALL, 17, 0, 8, 1, false, -1, -1, NULL, 0, 1, 0, 0},
    {V_BIBLIOTEK, "Sagostund för barn", EVENT_PERFORMANCE, "01-10", "05-30", SAT, 11, 0, 30, 0, false, -1, -1, NULL, 0, 2, 90, 30},
    {V_BIBLIOTEK, "Författarkväll: österbottnisk litteratur", EVENT_PERFORMANCE, "10-08", "10-08", ALL, 18, 0, 60, 1, false, -1, -1, NULL, 1, 3, 0, 0},
    {V_ATENEUM, "Ateneum: pääsylippu", EVENT_DAY_TICKET, "01-01", "12-31", FRI | SAT | SUN, 10, 0, 800, -1, false, -1, -1, NULL, 0, 5, 25, 10},
};
/* clang-format on */
const size_t demo_productions_count = sizeof demo_productions / sizeof demo_productions[0];

/* clang-format off */
const struct production demo_tonight[VENUES] = {
    [V_HILLA] = {V_HILLA, "Kesäyöntaika (lisänäytös)", EVENT_PERFORMANCE, NULL, NULL, ALL, 19, 0, 120, 40, false, 30, -1, NULL, 1, 4, 10, 0},
    [V_KAMU] = {V_KAMU, "Museoilta: Espoon tarina", EVENT_PERFORMANCE, NULL, NULL, ALL, 17, 30, 120, 40, false, -1, -1, NULL, 1, 4, 40, 15},
    [V_LEPPAVAARA_SWIM] = {V_LEPPAVAARA_SWIM, "Iltauinti", EVENT_PERFORMANCE, NULL, NULL, ALL, 18, 0, 300, 40, false, -1, -1, NULL, 1, 4, 25, 5},
    [V_TYOVAENOPISTO] = {V_TYOVAENOPISTO, "Avoin luento: Espoon kaupunkiluonto", EVENT_PERFORMANCE, NULL, NULL, ALL, 18, 0, 80, 40, false, 7, -1, NULL, 1, 4, 0, 0},
    [V_KAJAANI_THEATRE] = {V_KAJAANI_THEATRE, "Seitsemän veljestä (lisänäytös)", EVENT_PERFORMANCE, NULL, NULL, ALL, 19, 0, 300, 40, false, -1, -1, NULL, 1, 4, 10, 0},
    [V_KAINUU_MUSEUM] = {V_KAINUU_MUSEUM, "Museoilta: Tervaa ja tukinuittoa", EVENT_PERFORMANCE, NULL, NULL, ALL, 17, 0, 120, 40, false, -1, -1, NULL, 1, 4, 30, 10},
    [V_KUHMO] = {V_KUHMO, "Kuhmon Kamarimusiikki: talvikonsertti", EVENT_PERFORMANCE, NULL, NULL, ALL, 19, 0, 650, 40, false, 14, -1, NULL, 1, 4, 5, 0},
    [V_NASINKALLIO] = {V_NASINKALLIO, "Tuntematon sotilas (lisänäytös)", EVENT_PERFORMANCE, NULL, NULL, ALL, 19, 0, 200, 40, false, -1, -1, NULL, 1, 4, 5, 0},
    [V_HERVANTA_SWIM] = {V_HERVANTA_SWIM, "Iltauinti", EVENT_PERFORMANCE, NULL, NULL, ALL, 18, 0, 300, 40, false, -1, -1, NULL, 1, 4, 20, 5},
    [V_FOLK_FESTIVAL] = {V_FOLK_FESTIVAL, "Kansanmusiikkiklubi", EVENT_PERFORMANCE, NULL, NULL, ALL, 19, 0, 150, 40, false, -1, -1, NULL, 1, 4, 20, 10},
    [V_KINO] = {V_KINO, "Elokuvakerho: myöhäisnäytös", EVENT_PERFORMANCE, NULL, NULL, ALL, 20, 30, 80, 40, false, -1, -1, NULL, 1, 4, 0, 0},
    [V_FOLKHOGSKOLA] = {V_FOLKHOGSKOLA, "Öppen föreläsning: Kronobys historia", EVENT_PERFORMANCE, NULL, NULL, ALL, 18, 0, 60, 40, false, -1, -1, NULL, 1, 4, 0, 0},
    [V_BIBLIOTEK] = {V_BIBLIOTEK, "Läsarkväll i biblioteket", EVENT_PERFORMANCE, NULL, NULL, ALL, 18, 0, 50, 40, false, -1, -1, NULL, 1, 4, 30, 10},
    [V_ATENEUM] = {V_ATENEUM, "Ateneum-ilta", EVENT_PERFORMANCE, NULL, NULL, ALL, 17, 0, 800, 40, false, 3, -1, NULL, 1, 4, 20, 10},
};
/* clang-format on */

const struct seed_use demo_seed_uses[] = {
    {"E2251", U_TAPIOLA, {2020, 1, 14}, "Taikuri Matti", {2020, 2, 3}, 18, 1, 2},
    {"50141", U_HERVANTA, {2020, 1, 22}, "Kesäyöntaika", {2020, 2, 9}, 15, 1, 2},
};
const size_t demo_seed_uses_count = sizeof demo_seed_uses / sizeof demo_seed_uses[0];
