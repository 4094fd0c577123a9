#include "core/error.h"

#include <stddef.h>

#include "util/strutil.h"

static const struct {
    const char *code;
    int status;
} table[ERR_COUNT] = {[ERR_NONE] = {"ok", 200},
#define X(name, c, s) [ERR_##name] = {c, s},
                      KAIKU_ERRORS(X)
#undef X
};

/* One catalogue per language, indexed by error. A missing entry is a
 * compile-time gap that test_error catches (every entry must be set). */
static const char *const messages[LANG_COUNT][ERR_COUNT] = {
    [LANG_FI] =
        {
            [ERR_NONE] = "OK",
            [ERR_INVALID_REQUEST] = "Pyyntö on virheellinen.",
            [ERR_INVALID_CARD_CODE] = "Kortin tunnus on virheellinen: 1–16 merkkiä A–Z ja 0–9.",
            [ERR_INVALID_BIRTH_YEAR] = "Syntymävuosi on virheellinen.",
            [ERR_INVALID_POSTAL_CODE] = "Postinumero on virheellinen: täsmälleen 5 numeroa.",
            [ERR_INVALID_LANGUAGE] =
                "Äidinkieli on virheellinen: kaksikirjaiminen ISO 639-1 -koodi tai other.",
            [ERR_INVALID_GENDER] = "Sukupuoli on virheellinen.",
            [ERR_INVALID_LIFE_SITUATION] = "Elämäntilanne on virheellinen.",
            [ERR_IDENTITY_DATA_REFUSED] = "Henkilön tunnistetietoja ei saa tallentaa.",
            [ERR_UNAUTHENTICATED] = "Kirjaudu sisään.",
            [ERR_FORBIDDEN] = "Sinulla ei ole oikeutta tähän.",
            [ERR_NOT_FOUND] = "Ei löytynyt.",
            [ERR_CARD_UNKNOWN] = "Korttia ei tunneta.",
            [ERR_METHOD_NOT_ALLOWED] = "Menetelmä ei ole sallittu tälle osoitteelle.",
            [ERR_CODE_TAKEN] = "Tunnus on jo käytössä.",
            [ERR_ALREADY_EXISTS] = "On jo olemassa.",
            [ERR_CARD_ALREADY_ISSUED] = "Kortti on jo jaettu.",
            [ERR_IDEMPOTENCY_CONFLICT] = "Sama idempotenssiavain on käytetty eri pyynnössä.",
            [ERR_TRANSFER_NOT_PENDING] = "Siirto on jo käsitelty.",
            [ERR_BODY_TOO_LARGE] = "Pyyntö on liian suuri.",
            [ERR_UNSUPPORTED_MEDIA_TYPE] = "Pyynnön sisällön tyyppiä ei tueta tässä osoitteessa.",
            [ERR_TOO_YOUNG] = "Kortin saajan on oltava vähintään 16-vuotias.",
            [ERR_HANDOUT_IN_FUTURE] = "Jakopäivä ei voi olla tulevaisuudessa.",
            [ERR_CARD_NOT_IN_UNIT_STOCK] = "Kortti ei ole yksikön varastossa.",
            [ERR_CARD_NOT_ISSUED] = "Korttia ei ole jaettu.",
            [ERR_CARD_CANCELLED] = "Kortti on mitätöity.",
            [ERR_CARD_EXPIRED] = "Kortti ei ole voimassa tapahtuman päivänä.",
            [ERR_EVENT_EXCLUDED] = "Tapahtuma ei ole Kaikukortin piirissä.",
            [ERR_COMMUNITY_CARD_COURSE] = "Yhteisön korttia ei voi käyttää kursseihin.",
            [ERR_COURSE_CHILD_TICKET] = "Kursseille ei anneta lasten lippuja.",
            [ERR_DUPLICATE_ADULT_TICKET] = "Kortilla saa yhden aikuisen lipun tapahtumaan.",
            [ERR_BOOKING_NOT_OPEN] = "Varaus ei ole vielä auki.",
            [ERR_COLLECTION_NOT_OPEN] = "Lippujen lunastus ei ole vielä auki.",
            [ERR_CAP_TOO_LOW] = "Yläraja on pienempi kuin sallittu vähimmäismäärä.",
            [ERR_CAP_BELOW_USED] = "Yläraja on pienempi kuin jo käytetyt liput.",
            [ERR_CAP_REACHED] = "Kaikukortin liput tähän tapahtumaan on käytetty.",
            [ERR_RENEWS_INVALID] = "Uusittava kortti ei ole vanhentunut tai mitätöity.",
            [ERR_RATE_LIMITED] = "Liian monta epäonnistunutta hakua. Yritä myöhemmin uudelleen.",
            [ERR_INTERNAL] = "Sisäinen virhe.",
            [ERR_UNAVAILABLE] = "Palvelu ei ole juuri nyt käytettävissä. Yritä uudelleen.",
        },
    [LANG_SV] =
        {
            [ERR_NONE] = "OK",
            [ERR_INVALID_REQUEST] = "Begäran är ogiltig.",
            [ERR_INVALID_CARD_CODE] = "Kortets kod är ogiltig: 1–16 tecken A–Z och 0–9.",
            [ERR_INVALID_BIRTH_YEAR] = "Födelseåret är ogiltigt.",
            [ERR_INVALID_POSTAL_CODE] = "Postnumret är ogiltigt: exakt 5 siffror.",
            [ERR_INVALID_LANGUAGE] =
                "Modersmålet är ogiltigt: en ISO 639-1-kod med två bokstäver eller other.",
            [ERR_INVALID_GENDER] = "Könet är ogiltigt.",
            [ERR_INVALID_LIFE_SITUATION] = "Livssituationen är ogiltig.",
            [ERR_IDENTITY_DATA_REFUSED] = "Uppgifter som identifierar en person får inte sparas.",
            [ERR_UNAUTHENTICATED] = "Logga in.",
            [ERR_FORBIDDEN] = "Du har inte behörighet till detta.",
            [ERR_NOT_FOUND] = "Hittades inte.",
            [ERR_CARD_UNKNOWN] = "Kortet är okänt.",
            [ERR_METHOD_NOT_ALLOWED] = "Metoden är inte tillåten för denna adress.",
            [ERR_CODE_TAKEN] = "Koden används redan.",
            [ERR_ALREADY_EXISTS] = "Finns redan.",
            [ERR_CARD_ALREADY_ISSUED] = "Kortet har redan delats ut.",
            [ERR_IDEMPOTENCY_CONFLICT] = "Samma idempotensnyckel har använts för en annan begäran.",
            [ERR_TRANSFER_NOT_PENDING] = "Överföringen är redan behandlad.",
            [ERR_BODY_TOO_LARGE] = "Begäran är för stor.",
            [ERR_UNSUPPORTED_MEDIA_TYPE] = "Begärans innehållstyp stöds inte för denna adress.",
            [ERR_TOO_YOUNG] = "Kortets mottagare ska vara minst 16 år.",
            [ERR_HANDOUT_IN_FUTURE] = "Utdelningsdagen kan inte ligga i framtiden.",
            [ERR_CARD_NOT_IN_UNIT_STOCK] = "Kortet finns inte i enhetens lager.",
            [ERR_CARD_NOT_ISSUED] = "Kortet har inte delats ut.",
            [ERR_CARD_CANCELLED] = "Kortet är makulerat.",
            [ERR_CARD_EXPIRED] = "Kortet är inte giltigt på evenemangets dag.",
            [ERR_EVENT_EXCLUDED] = "Evenemanget omfattas inte av Kaikukortti.",
            [ERR_COMMUNITY_CARD_COURSE] = "Gemenskapens kort kan inte användas för kurser.",
            [ERR_COURSE_CHILD_TICKET] = "Till kurser ges inga barnbiljetter.",
            [ERR_DUPLICATE_ADULT_TICKET] = "Kortet ger en vuxenbiljett per evenemang.",
            [ERR_BOOKING_NOT_OPEN] = "Bokningen har inte öppnat ännu.",
            [ERR_COLLECTION_NOT_OPEN] = "Biljetterna kan inte lösas ut ännu.",
            [ERR_CAP_TOO_LOW] = "Taket är lägre än det tillåtna minimum.",
            [ERR_CAP_BELOW_USED] = "Taket är lägre än redan använda biljetter.",
            [ERR_CAP_REACHED] = "Kaikukortti-biljetterna till evenemanget är slut.",
            [ERR_RENEWS_INVALID] = "Det förnyade kortet har inte gått ut eller makulerats.",
            [ERR_RATE_LIMITED] = "För många misslyckade sökningar. Försök igen senare.",
            [ERR_INTERNAL] = "Internt fel.",
            [ERR_UNAVAILABLE] = "Tjänsten är inte tillgänglig just nu. Försök igen.",
        },
    [LANG_EN] =
        {
            [ERR_NONE] = "OK",
            [ERR_INVALID_REQUEST] = "The request is not valid.",
            [ERR_INVALID_CARD_CODE] = "The card code is not valid: 1–16 characters A–Z and 0–9.",
            [ERR_INVALID_BIRTH_YEAR] = "The birth year is not valid.",
            [ERR_INVALID_POSTAL_CODE] = "The postal code is not valid: exactly 5 digits.",
            [ERR_INVALID_LANGUAGE] =
                "The mother tongue is not valid: a two-letter ISO 639-1 code or other.",
            [ERR_INVALID_GENDER] = "The gender is not valid.",
            [ERR_INVALID_LIFE_SITUATION] = "The life situation is not valid.",
            [ERR_IDENTITY_DATA_REFUSED] = "Data that identifies a person must not be stored.",
            [ERR_UNAUTHENTICATED] = "Please sign in.",
            [ERR_FORBIDDEN] = "You are not allowed to do this.",
            [ERR_NOT_FOUND] = "Not found.",
            [ERR_CARD_UNKNOWN] = "The card is not known.",
            [ERR_METHOD_NOT_ALLOWED] = "This method is not allowed for this address.",
            [ERR_CODE_TAKEN] = "The code is already taken.",
            [ERR_ALREADY_EXISTS] = "It already exists.",
            [ERR_CARD_ALREADY_ISSUED] = "The card has already been handed out.",
            [ERR_IDEMPOTENCY_CONFLICT] = "The idempotency key was used for a different request.",
            [ERR_TRANSFER_NOT_PENDING] = "The transfer has already been decided.",
            [ERR_BODY_TOO_LARGE] = "The request is too large.",
            [ERR_UNSUPPORTED_MEDIA_TYPE] =
                "The content type of the request is not supported for this address.",
            [ERR_TOO_YOUNG] = "The cardholder must be at least 16 years old.",
            [ERR_HANDOUT_IN_FUTURE] = "The handout date cannot be in the future.",
            [ERR_CARD_NOT_IN_UNIT_STOCK] = "The card is not in the unit's stock.",
            [ERR_CARD_NOT_ISSUED] = "The card has not been handed out.",
            [ERR_CARD_CANCELLED] = "The card has been cancelled.",
            [ERR_CARD_EXPIRED] = "The card is not valid on the event's date.",
            [ERR_EVENT_EXCLUDED] = "The event is excluded from Kaikukortti.",
            [ERR_COMMUNITY_CARD_COURSE] = "A community card cannot be used for courses.",
            [ERR_COURSE_CHILD_TICKET] = "Courses have no child tickets.",
            [ERR_DUPLICATE_ADULT_TICKET] = "A card gets one adult ticket per event.",
            [ERR_BOOKING_NOT_OPEN] = "Booking has not opened yet.",
            [ERR_COLLECTION_NOT_OPEN] = "Tickets cannot be collected yet.",
            [ERR_CAP_TOO_LOW] = "The cap is below the lowest allowed.",
            [ERR_CAP_BELOW_USED] = "The cap is below the tickets already used.",
            [ERR_CAP_REACHED] = "The Kaikukortti tickets of this event are used up.",
            [ERR_RENEWS_INVALID] = "The renewed card has not expired or been cancelled.",
            [ERR_RATE_LIMITED] = "Too many failed lookups. Try again later.",
            [ERR_INTERNAL] = "Internal error.",
            [ERR_UNAVAILABLE] = "The service is not available right now. Try again.",
        },
};

static int index_of(int err)
{
    if (err < 0)
        err = -err;
    return err < ERR_COUNT ? err : ERR_INTERNAL;
}

const char *error_code(int err)
{
    return table[index_of(err)].code;
}

int error_status(int err)
{
    return table[index_of(err)].status;
}

const char *error_message(int err, enum lang lang)
{
    const char *m = messages[lang][index_of(err)];
    return m ? m : messages[LANG_EN][index_of(err)];
}

int error_field(struct error_details *d, int err, const char *field)
{
    if (d)
        d->field = field;
    return -err;
}

int error_value(struct error_details *d, int err, const char *key, int64_t value, int is_time)
{
    if (d) {
        d->key = key;
        d->value = value;
        d->value_is_time = is_time;
    }
    return -err;
}

int error_text(struct error_details *d, int err, const char *key, const char *text)
{
    if (d) {
        d->key = key;
        str_copy(d->text, sizeof d->text, text);
    }
    return -err;
}
