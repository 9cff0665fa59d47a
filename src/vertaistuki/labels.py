"""User-interface words for the listing, in Finnish, Swedish and English.

Codes in the data (``open``, ``trained_volunteer``, ``drop_in`` …) are shown to people
through these tables; a missing language falls back to Finnish.
"""

from __future__ import annotations

import functools

UI: dict[str, dict[str, str]] = {
    "fi": {
        "channel_in_person": "Paikan päällä", "channel_online": "Verkossa", "channel_phone": "Puhelimessa",
        "openness_open": "Avoin ryhmä", "openness_closed": "Suljettu ryhmä",
        "time_morning": "Aamupäivällä (ennen klo 12)", "time_afternoon": "Iltapäivällä (klo 12–17)", "time_evening": "Illalla (klo 17 jälkeen)",
        "region": "Alue", "form": "Tukimuoto", "audience": "Kenelle", "topic": "Aihe", "channel": "Tapa osallistua",
        "openness": "Ryhmän tyyppi", "day": "Viikonpäivä", "time": "Kellonaika", "free_only": "Vain maksuttomat",
        "this_week": "Kokoontuu tällä viikolla", "clear_choices": "Poista rajaukset", "season": "Kausi", "status": "Tila",
        "organiser": "Järjestäjä", "place": "Paikka", "more": "Lisätietoja", "activities": "Toiminta",
        "updated": "Tiedot päivitetty", "nationwide": "Koko Suomi", "count_one": "{count} tulos", "count_other": "{count} tulosta",
        "skip": "Siirry tuloksiin", "show_more": "Näytä {count} lisää", "generated": "Listaus koottu", "join": "Näin pääset mukaan", "other_languages": "Muilla kielillä",
        "title": "Vertaistukiryhmät ja -palvelut", "filters": "Rajaa listaa", "search": "Hae nimellä tai aiheella",
        "municipality": "Kunta", "any": "Kaikki", "apply": "Näytä",
        "groups": "Ryhmät", "services": "Tukimuodot ja palvelut", "events": "Tapahtumat ja kurssit",
        "when": "Milloin", "where": "Missä", "fee": "Hinta", "for_whom": "Kenelle", "languages": "Kielet",
        "contact": "Yhteystiedot", "accessibility": "Esteettömyys", "online": "Verkossa", "phone": "Puhelimitse",
        "next": "Seuraava tapaaminen", "report": "Ilmoita vanhentuneesta tiedosta",
        "free": "Maksuton", "self_payment": "Omavastuu", "membership": "Jäsenille", "registration": "Ilmoittautuminen", "register_by": "Ilmoittaudu viimeistään {date}", "registration_closed": "Ilmoittautuminen päättyi {date}",
        "by_municipality": "Kunnittain", "all": "Kaikki kunnat", "no_results": "Ei tuloksia näillä rajauksilla.",
        "staff": "Mukana joskus yhdistyksen työntekijä", "guests": "Joskus vierailevia asiantuntijoita",
        "season_break": "Kausitauko", "new_season": "Uusi kausi alkaa", "season_ended": "Kausi päättyi {date}",
        "meetings_ended": "Päättyi {date}", "meetings_held": "Kaikki tapaamiset on pidetty",
        "see_nationwide": "Katso myös koko Suomessa toimivat ryhmät ja palvelut ({count})",
        "directory_lead": "Ryhmiä ja palveluita on niin paljon, että ne on jaettu kunnittain. Valitse kunta; sen sivulla voit rajata listaa.",
        "without_municipality": "Nämä eivät kokoonnu missään tietyssä kunnassa:",
    },
    "sv": {
        "channel_in_person": "På plats", "channel_online": "På nätet", "channel_phone": "Per telefon",
        "openness_open": "Öppen grupp", "openness_closed": "Sluten grupp",
        "time_morning": "På förmiddagen (före kl. 12)", "time_afternoon": "På eftermiddagen (kl. 12–17)", "time_evening": "På kvällen (efter kl. 17)",
        "region": "Område", "form": "Stödform", "audience": "För vem", "topic": "Ämne", "channel": "Sätt att delta",
        "openness": "Typ av grupp", "day": "Veckodag", "time": "Tid på dagen", "free_only": "Endast avgiftsfria",
        "this_week": "Träffas denna vecka", "clear_choices": "Ta bort avgränsningar", "season": "Termin", "status": "Status",
        "organiser": "Arrangör", "place": "Plats", "more": "Mer information", "activities": "Verksamhet",
        "updated": "Uppgifterna uppdaterade", "nationwide": "Hela Finland", "count_one": "{count} träff", "count_other": "{count} träffar",
        "skip": "Hoppa till resultaten", "show_more": "Visa {count} till", "generated": "Listan sammanställd", "join": "Så här kommer du med", "other_languages": "På andra språk",
        "title": "Kamratstödsgrupper och -tjänster", "filters": "Avgränsa listan", "search": "Sök på namn eller ämne",
        "municipality": "Kommun", "any": "Alla", "apply": "Visa",
        "groups": "Grupper", "services": "Stödformer och tjänster", "events": "Evenemang och kurser",
        "when": "När", "where": "Var", "fee": "Pris", "for_whom": "För vem", "languages": "Språk",
        "contact": "Kontakt", "accessibility": "Tillgänglighet", "online": "På nätet", "phone": "Per telefon",
        "next": "Nästa träff", "report": "Meddela föråldrad information",
        "free": "Avgiftsfri", "self_payment": "Självrisk", "membership": "För medlemmar", "registration": "Anmälan", "register_by": "Anmäl dig senast {date}", "registration_closed": "Anmälan stängde {date}",
        "by_municipality": "Per kommun", "all": "Alla kommuner", "no_results": "Inga träffar med dessa val.",
        "staff": "Ibland deltar föreningens anställda", "guests": "Ibland gästföreläsare",
        "season_break": "Terminsuppehåll", "new_season": "Ny termin börjar", "season_ended": "Terminen slutade {date}",
        "meetings_ended": "Avslutades {date}", "meetings_held": "Alla träffar har hållits",
        "see_nationwide": "Se också grupper och tjänster i hela Finland ({count})",
        "directory_lead": "Grupperna och tjänsterna är så många att de är uppdelade per kommun. Välj kommun; på dess sida kan du avgränsa listan.",
        "without_municipality": "Dessa träffas inte i någon viss kommun:",
    },
    "en": {
        "channel_in_person": "In person", "channel_online": "Online", "channel_phone": "By phone",
        "openness_open": "Open group", "openness_closed": "Closed group",
        "time_morning": "Morning (before 12)", "time_afternoon": "Afternoon (12–5 pm)", "time_evening": "Evening (from 5 pm)",
        "region": "Region", "form": "Form of support", "audience": "For whom", "topic": "Topic", "channel": "How to take part",
        "openness": "Type of group", "day": "Weekday", "time": "Time of day", "free_only": "Free only",
        "this_week": "Meets this week", "clear_choices": "Clear choices", "season": "Season", "status": "Status",
        "organiser": "Organiser", "place": "Place", "more": "More information", "activities": "Activities",
        "updated": "Information updated", "nationwide": "All of Finland", "count_one": "{count} result", "count_other": "{count} results",
        "skip": "Skip to results", "show_more": "Show {count} more", "generated": "Listing compiled", "join": "How to join", "other_languages": "In other languages",
        "title": "Peer support groups and services", "filters": "Narrow the list", "search": "Search by name or topic",
        "municipality": "Municipality", "any": "All", "apply": "Show",
        "groups": "Groups", "services": "Forms of support and services", "events": "Events and courses",
        "when": "When", "where": "Where", "fee": "Fee", "for_whom": "For whom", "languages": "Languages",
        "contact": "Contact", "accessibility": "Accessibility", "online": "Online", "phone": "By phone",
        "next": "Next meeting", "report": "Report outdated information",
        "free": "Free", "self_payment": "Own contribution", "membership": "For members", "registration": "Registration", "register_by": "Register by {date}", "registration_closed": "Registration closed {date}",
        "by_municipality": "By municipality", "all": "All municipalities", "no_results": "No results with these choices.",
        "staff": "Association staff sometimes take part", "guests": "Guest experts sometimes visit",
        "season_break": "Season break", "new_season": "New season starts", "season_ended": "Season ended {date}",
        "meetings_ended": "Ended {date}", "meetings_held": "All meetings have been held",
        "see_nationwide": "See also the groups and services available all over Finland ({count})",
        "directory_lead": "There are so many groups and services that they are listed by municipality. Choose a municipality; its page lets you narrow the list.",
        "without_municipality": "These do not meet in any one municipality:",
    },
}

CODES: dict[str, dict[str, dict[str, str]]] = {
    "openness": {
        "fi": {"open": "Avoin ryhmä – tule silloin kun haluat", "closed": "Suljettu ryhmä – sovitut tapaamiset"},
        "sv": {"open": "Öppen grupp – kom när du vill", "closed": "Sluten grupp – avtalade träffar"},
        "en": {"open": "Open group – come when you like", "closed": "Closed group – agreed meetings"},
    },
    "facilitation": {
        "fi": {"peer_convener": "Vertaisryhmä, nimetty kokoonkutsuja", "trained_volunteer": "Koulutettu vertaisohjaaja",
               "professional": "Ammattilainen ohjaa", "online_moderator": "Verkkoyhteisö, ylläpitäjä valvoo"},
        "sv": {"peer_convener": "Kamratgrupp med sammankallande", "trained_volunteer": "Utbildad frivillig ledare",
               "professional": "Leds av en professionell", "online_moderator": "Nätgemenskap med moderator"},
        "en": {"peer_convener": "Peer group with a named convener", "trained_volunteer": "Trained volunteer leader",
               "professional": "Led by a professional", "online_moderator": "Online community with a moderator"},
    },
    "service": {
        "fi": {"drop_in": "Päivystys", "phone_line": "Puhelintuki", "one_to_one": "Henkilökohtainen vertaistuki",
               "online_community": "Verkkoyhteisö", "other": "Muu tuki"},
        "sv": {"drop_in": "Jour", "phone_line": "Telefonstöd", "one_to_one": "Personligt kamratstöd",
               "online_community": "Nätgemenskap", "other": "Annat stöd"},
        "en": {"drop_in": "Drop-in hours", "phone_line": "Phone support", "one_to_one": "One-to-one peer support",
               "online_community": "Online community", "other": "Other support"},
    },
    "event": {
        "fi": {"first_information_day": "Ensitietopäivä", "adaptation_course": "Sopeutumisvalmennuskurssi",
               "rehabilitation_course": "Kuntoutuskurssi", "camp": "Leiri", "volunteer_training": "Vapaaehtoisten koulutus",
               "meeting": "Vertaistapaaminen", "other": "Tapahtuma"},
        "sv": {"first_information_day": "Första informationsdag", "adaptation_course": "Anpassningskurs",
               "rehabilitation_course": "Rehabiliteringskurs", "camp": "Läger", "volunteer_training": "Utbildning för frivilliga",
               "meeting": "Kamratträff", "other": "Evenemang"},
        "en": {"first_information_day": "First-information day", "adaptation_course": "Adaptation course",
               "rehabilitation_course": "Rehabilitation course", "camp": "Camp", "volunteer_training": "Volunteer training",
               "meeting": "Peer meeting", "other": "Event"},
    },
    "accessibility": {
        "fi": {"step_free_entrance": "esteetön sisäänkäynti", "elevator": "hissi", "accessible_toilet": "esteetön WC",
               "induction_loop": "induktiosilmukka", "accessible_parking": "invapysäköinti", "public_transport_nearby": "joukkoliikenne lähellä"},
        "sv": {"step_free_entrance": "tillgänglig entré", "elevator": "hiss", "accessible_toilet": "tillgänglig toalett",
               "induction_loop": "hörslinga", "accessible_parking": "handikapparkering", "public_transport_nearby": "kollektivtrafik nära"},
        "en": {"step_free_entrance": "step-free entrance", "elevator": "lift", "accessible_toilet": "accessible toilet",
               "induction_loop": "induction loop", "accessible_parking": "accessible parking", "public_transport_nearby": "public transport nearby"},
    },
}


def ui(language: str) -> dict[str, str]:
    return UI.get(language, UI["fi"])


def code_label(kind: str, code: str, language: str) -> str:
    table = CODES[kind]
    return table.get(language, table["fi"]).get(code, code)


@functools.cache
def _babel_locale(language: str):
    """Babel's locale for a page language (Finnish for one without texts); parsed once,
    since parsing costs more than the lookups made with it."""
    from babel import Locale

    return Locale.parse(language if language in UI else "fi")


def count_text(count: int, language: str) -> str:
    """"1 tulos", "5 tulosta"; the plural category comes from CLDR via Babel."""
    category = _babel_locale(language).plural_form(count)
    texts = ui(language)
    return texts["count_one" if category == "one" else "count_other"].format(count=count)


@functools.lru_cache(maxsize=4096)  # a listing asks for the same few names on every card
def language_name(code: str, language: str) -> str:
    """"ru" → "venäjä" on a Finnish page; Babel knows fse (Finnish Sign Language) and se."""
    if code in SIGN_LANGUAGES:
        return SIGN_LANGUAGES[code].get(language, SIGN_LANGUAGES[code]["fi"])
    names = _babel_locale(language).languages
    return names.get(code.replace("-", "_"), code)


# CLDR has no names for Finland's sign languages (ISO 639-3 fse and fss).
SIGN_LANGUAGES = {
    "fse": {"fi": "suomalainen viittomakieli", "sv": "finskt teckenspråk", "en": "Finnish Sign Language"},
    "fss": {"fi": "suomenruotsalainen viittomakieli", "sv": "finlandssvenskt teckenspråk",
            "en": "Finland-Swedish Sign Language"},
}
