"""Seeded generator of realistic, national-scale vertaistuki catalogues for benchmarks.

    python benchmarks/catalogue_gen.py --records 10000 --seed 2026 --out catalogue.json

:func:`generate` returns plain catalogue data (what ``catalogue.yaml`` or a member's
``catalogue.json`` parses into) with about ``records`` records in all collections
together, shaped like a federation's national listing:

- organisations, about one per 40 groups: the federation (the publisher), Kela, member
  associations, regional peer centres kept by an association, cities, central hospitals
  and parishes;
- places, about one per 4 groups, in real Finnish municipalities (Swedish and Northern
  Sámi names where they exist) with street addresses, postal codes, coordinates and,
  for some, accessibility facts and directions;
- services 10 %, events 5 %, volunteers 8 % and coordinators 2 % of the records;
- groups, the rest (about 59 %: the organisation and place ratios above leave no room
  for more), each about 1 KB of JSON with fi/sv/en names and descriptions, weekly,
  biweekly and monthly rules, seasons, cancelled and moved meetings, suspended and
  ended groups, in-person, online and phone channels and, sometimes, fees;
- terms: the built-in regions and activities plus the catalogue's own topics,
  audiences and support forms, so that every vocabulary id resolves even when the
  caller passes no vocabulary (about 80 records, counted in ``records``).

Every reference (organiser, place, leader, contact, parent, member_of, co-organiser)
points at a record of the catalogue, every optional field of every entity is used
somewhere, and the data validates without errors or warnings under
``vertaistuki.validate.catalogue_from_data``. Records are written in the canonical form
that vertaistuki itself writes (a value equal to its field's default is left out), except
phone numbers, which are written the way editors type them ("040 754 9716") and become
E.164 on reading.

The same seed always gives the same data: one ``random.Random(seed)`` drives every
choice, and dates are laid out around a fixed day, never today. Names, addresses,
business ids, phone numbers, YSO links and people are synthetic; e-mail addresses and
web sites use the reserved ``.example`` domain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

SOURCE = "vertaistuki-kansallinen"
COLLECTION_NAMES = ("organisations", "places", "groups", "services", "events", "volunteers", "coordinators", "terms")
#: The day the listing is "published": dates are laid out around it, never around today.
PUBLISHED = dt.date(2026, 11, 23)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ALAND_ZONE = "Europe/Mariehamn"

Data = dict[str, Any]


def _text(fi: str, sv: str, en: str | None = None, **others: str) -> dict[str, str]:
    text = {"fi": fi, "sv": sv}
    if en is not None:
        text["en"] = en
    text.update(others)
    return text


def _slug(words: str) -> str:
    folded = words.lower().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Municipality:
    fi: str
    sv: str
    genitive: str  # Finnish names of venues and organisations start with it
    region: str  # region vocabulary id
    postal_prefix: str
    latitude: float
    longitude: float
    weight: int  # roughly the population in tens of thousands: big towns list more
    swedish_streets: bool = False  # officially bilingual: street names exist in Swedish
    sami: str | None = None  # Northern Sámi name

    def name(self) -> dict[str, str]:
        extra = {"se": self.sami} if self.sami else {}
        return _text(self.fi, self.sv, self.fi, **extra)


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("Helsinki", "Helsingfors", "Helsingin", "uusimaa", "00", 60.1699, 24.9384, 66, True),
    Municipality("Espoo", "Esbo", "Espoon", "uusimaa", "02", 60.2055, 24.6559, 31, True),
    Municipality("Vantaa", "Vanda", "Vantaan", "uusimaa", "01", 60.2934, 25.0378, 24, True),
    Municipality("Porvoo", "Borgå", "Porvoon", "uusimaa", "06", 60.3932, 25.6651, 5, True),
    Municipality("Raasepori", "Raseborg", "Raaseporin", "uusimaa", "10", 59.9751, 23.4367, 3, True),
    Municipality("Lohja", "Lojo", "Lohjan", "uusimaa", "08", 60.2486, 24.0653, 5),
    Municipality("Hyvinkää", "Hyvinge", "Hyvinkään", "uusimaa", "05", 60.6306, 24.8597, 5),
    Municipality("Järvenpää", "Träskända", "Järvenpään", "uusimaa", "04", 60.4737, 25.0899, 4),
    Municipality("Turku", "Åbo", "Turun", "varsinais-suomi", "20", 60.4518, 22.2666, 20, True),
    Municipality("Salo", "Salo", "Salon", "varsinais-suomi", "24", 60.3838, 23.1250, 5),
    Municipality("Parainen", "Pargas", "Paraisten", "varsinais-suomi", "21", 60.3031, 22.3003, 2, True),
    Municipality("Pori", "Björneborg", "Porin", "satakunta", "28", 61.4851, 21.7974, 8),
    Municipality("Rauma", "Raumo", "Rauman", "satakunta", "26", 61.1272, 21.5112, 4),
    Municipality("Tampere", "Tammerfors", "Tampereen", "pirkanmaa", "33", 61.4978, 23.7610, 25),
    Municipality("Hämeenlinna", "Tavastehus", "Hämeenlinnan", "kanta-hame", "13", 60.9959, 24.4643, 7),
    Municipality("Lahti", "Lahtis", "Lahden", "paijat-hame", "15", 60.9827, 25.6615, 12),
    Municipality("Kouvola", "Kouvola", "Kouvolan", "kymenlaakso", "45", 60.8679, 26.7042, 8),
    Municipality("Kotka", "Kotka", "Kotkan", "kymenlaakso", "48", 60.4664, 26.9458, 5),
    Municipality("Lappeenranta", "Villmanstrand", "Lappeenrannan", "etela-karjala", "53", 61.0587, 28.1887, 7),
    Municipality("Mikkeli", "S:t Michel", "Mikkelin", "etela-savo", "50", 61.6886, 27.2723, 5),
    Municipality("Savonlinna", "Nyslott", "Savonlinnan", "etela-savo", "57", 61.8699, 28.8797, 3),
    Municipality("Kuopio", "Kuopio", "Kuopion", "pohjois-savo", "70", 62.8924, 27.6770, 12),
    Municipality("Iisalmi", "Idensalmi", "Iisalmen", "pohjois-savo", "74", 63.5613, 27.1880, 2),
    Municipality("Joensuu", "Joensuu", "Joensuun", "pohjois-karjala", "80", 62.6010, 29.7636, 8),
    Municipality("Jyväskylä", "Jyväskylä", "Jyväskylän", "keski-suomi", "40", 62.2426, 25.7473, 15),
    Municipality("Seinäjoki", "Seinäjoki", "Seinäjoen", "etela-pohjanmaa", "60", 62.7903, 22.8403, 6),
    Municipality("Vaasa", "Vasa", "Vaasan", "pohjanmaa", "65", 63.0951, 21.6165, 7, True),
    Municipality("Pietarsaari", "Jakobstad", "Pietarsaaren", "pohjanmaa", "68", 63.6749, 22.7026, 2, True),
    Municipality("Kokkola", "Karleby", "Kokkolan", "keski-pohjanmaa", "67", 63.8385, 23.1307, 5, True),
    Municipality("Oulu", "Uleåborg", "Oulun", "pohjois-pohjanmaa", "90", 65.0121, 25.4651, 21),
    Municipality("Kajaani", "Kajana", "Kajaanin", "kainuu", "87", 64.2273, 27.7285, 4),
    Municipality("Rovaniemi", "Rovaniemi", "Rovaniemen", "lappi", "96", 66.5039, 25.7294, 6),
    Municipality("Kemi", "Kemi", "Kemin", "lappi", "94", 65.7364, 24.5637, 2),
    Municipality("Tornio", "Torneå", "Tornion", "lappi", "95", 65.8481, 24.1466, 2),
    Municipality("Inari", "Enare", "Inarin", "lappi", "99", 68.9057, 27.0288, 1, sami="Anár"),
    Municipality("Utsjoki", "Utsjoki", "Utsjoen", "lappi", "99", 69.9079, 27.0285, 1, sami="Ohcejohka"),
    Municipality("Maarianhamina", "Mariehamn", "Maarianhaminan", "ahvenanmaa", "22", 60.0973, 19.9348, 2, True),
)

# (Finnish, Swedish) street names: Swedish ones are used in bilingual municipalities.
STREETS: tuple[tuple[str, str], ...] = (
    ("Kauppakatu", "Handelsgatan"), ("Asemakatu", "Stationsgatan"), ("Koulukatu", "Skolgatan"),
    ("Kirkkokatu", "Kyrkogatan"), ("Rantakatu", "Strandgatan"), ("Puistokatu", "Parkgatan"),
    ("Torikatu", "Torggatan"), ("Sairaalankatu", "Sjukhusgatan"), ("Myllytie", "Kvarnvägen"),
    ("Koivukuja", "Björkgränden"), ("Satamakatu", "Hamngatan"), ("Keskuskatu", "Centralgatan"),
    ("Tehtaankatu", "Fabriksgatan"), ("Rautatienkatu", "Järnvägsgatan"), ("Pappilantie", "Prästgårdsvägen"),
)

# (fi, sv, en) kinds of venue: the Finnish name follows the municipality's genitive.
VENUES: tuple[tuple[str, str, str], ...] = (
    ("järjestötalo", "Organisationshuset", "Community organisations' house"),
    ("kirjaston kokoushuone", "Bibliotekets mötesrum", "Library meeting room"),
    ("seurakuntakeskus", "Församlingscentret", "Parish centre"),
    ("vertaiskeskus", "Kamratcentret", "Peer centre"),
    ("kansalaisopiston luokka", "Medborgarinstitutets klassrum", "Adult education centre classroom"),
    ("terveysaseman ryhmätila", "Hälsostationens grupprum", "Health centre group room"),
    ("asukastupa", "Invånarstugan", "Residents' meeting room"),
    ("kohtaamispaikka", "Mötesplatsen", "Meeting place"),
    ("kuntoutuskeskus", "Rehabiliteringscentret", "Rehabilitation centre"),
)

DIRECTIONS: tuple[dict[str, str], ...] = (
    _text("Sisäänkäynti sisäpihalta, toinen kerros.", "Ingång från gården, andra våningen.",
          "Entrance from the courtyard, second floor."),
    _text("Pääovesta vasemmalle, hissi löytyy aulasta.", "Från huvuddörren till vänster, hissen finns i lobbyn.",
          "Left from the main door; the lift is in the lobby."),
    _text("Bussipysäkki on talon edessä; soita ovikelloa B.", "Busshållplatsen är framför huset; ring på dörrklocka B.",
          "The bus stop is in front of the building; ring bell B."),
    _text("Pysäköinti pihalla, esteetön sisäänkäynti päädyssä.", "Parkering på gården, tillgänglig ingång på gaveln.",
          "Parking in the yard; the step-free entrance is at the end of the building."),
)

ROOMS: tuple[dict[str, str], ...] = (
    _text("Kokoushuone Aalto", "Mötesrummet Aalto", "Aalto meeting room"),
    _text("Toisen kerroksen ryhmätila", "Grupprummet på andra våningen", "Group room on the second floor"),
    _text("Takkahuone", "Brasrummet", "Fireplace room"),
    _text("Pieni sali", "Lilla salen", "Small hall"),
)

# ----------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Topic:
    id: str
    label: dict[str, str]
    group: tuple[str, str, str]  # a group's name stem
    association: tuple[str, str, str]  # an association's name stem
    about: dict[str, str]  # what a group on this topic does


TOPICS: tuple[Topic, ...] = (
    Topic("mental-health", _text("Mielenterveys", "Psykisk hälsa", "Mental health"),
          ("Mielen hyvinvoinnin vertaisryhmä", "Kamratgrupp för psykiskt välbefinnande", "Peer group for mental wellbeing"),
          ("mielenterveysyhdistys", "Förening för psykisk hälsa", "Mental Health Association"),
          _text("Ryhmässä jaetaan kokemuksia mielenterveyden haasteista ja kuntoutumisesta arjen keskellä.",
                "I gruppen delar vi erfarenheter av psykisk ohälsa och av återhämtning mitt i vardagen.",
                "We share experiences of mental health difficulties and of recovery in everyday life.")),
    Topic("depression", _text("Masennus", "Depression", "Depression"),
          ("Masennuksen vertaistukiryhmä", "Kamratstödsgrupp vid depression", "Depression peer support group"),
          ("masennusyhdistys", "Depressionsförening", "Depression Association"),
          _text("Puhumme masennuksen kanssa elämisestä, toipumisen pienistä askelista ja siitä, mikä auttaa jaksamaan.",
                "Vi talar om att leva med depression, om små steg mot återhämtning och om det som hjälper oss att orka.",
                "We talk about living with depression, the small steps of recovery and what helps us keep going.")),
    Topic("anxiety", _text("Ahdistus ja paniikkihäiriö", "Ångest och paniksyndrom", "Anxiety and panic disorder"),
          ("Ahdistuksen vertaisryhmä", "Kamratgrupp vid ångest", "Anxiety peer group"),
          ("paniikkihäiriöyhdistys", "Förening för paniksyndrom", "Panic Disorder Association"),
          _text("Ryhmässä harjoitellaan yhdessä keinoja ahdistuksen ja paniikkikohtausten kanssa pärjäämiseen.",
                "I gruppen övar vi tillsammans sätt att hantera ångest och panikattacker.",
                "Together we practise ways of coping with anxiety and panic attacks.")),
    Topic("substance-use", _text("Päihteet", "Rusmedel", "Substance use"),
          ("Päihteettömän arjen ryhmä", "Grupp för en drogfri vardag", "Substance-free everyday life group"),
          ("raittiusyhdistys", "Nykterhetsförening", "Temperance Association"),
          _text("Tuemme toisiamme päihteettömässä arjessa ja kerromme, mikä on auttanut retkahdusten jälkeen.",
                "Vi stöder varandra i en drogfri vardag och berättar vad som har hjälpt efter återfall.",
                "We support each other in a substance-free everyday life and share what has helped after relapses.")),
    Topic("grief", _text("Suru ja menetys", "Sorg och förlust", "Grief and loss"),
          ("Sururyhmä", "Sorggrupp", "Grief group"),
          ("surevien tukiyhdistys", "Stödförening för sörjande", "Bereavement Support Association"),
          _text("Ryhmä on tarkoitettu läheisensä menettäneille, ja siinä surulle annetaan aikaa ja tilaa.",
                "Gruppen är till för dem som har förlorat en närstående, och där får sorgen ta tid och plats.",
                "The group is for people who have lost someone close, and it gives grief time and room.")),
    Topic("cancer", _text("Syöpä", "Cancer", "Cancer"),
          ("Syöpään sairastuneiden vertaisryhmä", "Kamratgrupp för cancerdrabbade", "Peer group for people with cancer"),
          ("syöpäyhdistys", "Cancerförening", "Cancer Society"),
          _text("Jaamme kokemuksia hoidoista, sivuvaikutuksista ja elämästä sairauden jälkeen.",
                "Vi delar erfarenheter av behandlingar, biverkningar och livet efter sjukdomen.",
                "We share experiences of treatment, side effects and life after the illness.")),
    Topic("diabetes", _text("Diabetes", "Diabetes", "Diabetes"),
          ("Diabetesryhmä", "Diabetesgrupp", "Diabetes group"),
          ("diabetesyhdistys", "Diabetesförening", "Diabetes Association"),
          _text("Vaihdamme vinkkejä omahoitoon, ruokavalioon ja liikuntaan sekä tuemme toisiamme arjessa.",
                "Vi byter tips om egenvård, kost och motion och stöder varandra i vardagen.",
                "We swap tips on self-care, diet and exercise and support each other day to day.")),
    Topic("heart-disease", _text("Sydänsairaudet", "Hjärtsjukdomar", "Heart disease"),
          ("Sydänkerho", "Hjärtklubben", "Heart club"),
          ("sydänyhdistys", "Hjärtförening", "Heart Association"),
          _text("Kokoonnumme keskustelemaan sydänsairauden kanssa elämisestä ja kuntoutumisesta.",
                "Vi träffas för att tala om att leva med hjärtsjukdom och om rehabilitering.",
                "We meet to talk about living with heart disease and about rehabilitation.")),
    Topic("memory-disorders", _text("Muistisairaudet", "Minnessjukdomar", "Memory disorders"),
          ("Muistiryhmä", "Minnesgrupp", "Memory group"),
          ("muistiyhdistys", "Minnesförening", "Memory Association"),
          _text("Ryhmässä muistisairautta sairastavat ja heidän läheisensä saavat tietoa ja tukea toisiltaan.",
                "I gruppen får personer med minnessjukdom och deras närstående information och stöd av varandra.",
                "People with a memory disorder and their close ones get information and support from each other.")),
    Topic("neuromuscular-disease", _text("Lihastaudit", "Muskelsjukdomar", "Neuromuscular diseases"),
          ("Lihastautiryhmä", "Grupp för muskelsjuka", "Neuromuscular disease group"),
          ("lihastautiyhdistys", "Förening för muskelsjuka", "Neuromuscular Disease Association"),
          _text("Keskustelemme apuvälineistä, esteettömyydestä ja siitä, miten sairauden kanssa voi elää hyvää elämää.",
                "Vi diskuterar hjälpmedel, tillgänglighet och hur man kan leva ett gott liv med sjukdomen.",
                "We discuss assistive devices, accessibility and how to live a good life with the illness.")),
    Topic("chronic-pain", _text("Pitkäaikainen kipu", "Långvarig smärta", "Chronic pain"),
          ("Kipuryhmä", "Smärtgrupp", "Chronic pain group"),
          ("kipuyhdistys", "Smärtförening", "Pain Association"),
          _text("Jaamme keinoja kivun kanssa jaksamiseen ja kokemuksia kivunhoidosta.",
                "Vi delar sätt att orka med smärtan och erfarenheter av smärtbehandling.",
                "We share ways of coping with pain and experiences of pain treatment.")),
    Topic("insomnia", _text("Unettomuus", "Sömnlöshet", "Insomnia"),
          ("Uniryhmä", "Sömngrupp", "Sleep group"),
          ("uniyhdistys", "Sömnförening", "Sleep Association"),
          _text("Puhumme unettomuuden vaikutuksista arkeen ja kokeilemme yhdessä rentoutumisharjoituksia.",
                "Vi talar om hur sömnlösheten påverkar vardagen och provar avslappningsövningar tillsammans.",
                "We talk about how insomnia affects daily life and try relaxation exercises together.")),
    Topic("eating-disorders", _text("Syömishäiriöt", "Ätstörningar", "Eating disorders"),
          ("Syömishäiriöiden vertaisryhmä", "Kamratgrupp vid ätstörningar", "Eating disorder peer group"),
          ("syömishäiriöyhdistys", "Förening för ätstörningar", "Eating Disorder Association"),
          _text("Ryhmässä voi puhua syömishäiriöstä ilman pelkoa tulla tuomituksi, omassa tahdissaan.",
                "I gruppen kan du tala om ätstörningen utan rädsla för att bli dömd, i din egen takt.",
                "You can talk about the eating disorder without fear of judgement, at your own pace.")),
    Topic("psychological-violence", _text("Henkinen väkivalta", "Psykiskt våld", "Psychological violence"),
          ("Vertaisryhmä henkistä väkivaltaa kokeneille", "Kamratgrupp för dem som utsatts för psykiskt våld",
           "Peer group for survivors of psychological violence"),
          ("turvakotiyhdistys", "Skyddshemsförening", "Shelter Association"),
          _text("Ryhmässä kokemuksia voi jakaa turvallisesti, ja vahvistamme yhdessä omia rajoja.",
                "I gruppen kan erfarenheter delas tryggt, och vi stärker tillsammans våra egna gränser.",
                "Experiences can be shared safely, and together we strengthen our own boundaries.")),
    Topic("divorce", _text("Ero", "Skilsmässa", "Divorce and separation"),
          ("Eroryhmä", "Skilsmässogrupp", "Separation group"),
          ("perheyhdistys", "Familjeförening", "Family Association"),
          _text("Käymme läpi eron herättämiä tunteita ja uuden arjen rakentamista.",
                "Vi går igenom känslorna kring skilsmässan och hur man bygger en ny vardag.",
                "We work through the feelings a separation brings and building a new everyday life.")),
    Topic("loneliness", _text("Yksinäisyys", "Ensamhet", "Loneliness"),
          ("Kohtaamisryhmä", "Mötesgrupp", "Meeting group"),
          ("kohtaamispaikkayhdistys", "Förening för mötesplatser", "Meeting Place Association"),
          _text("Tule tapaamaan muita samassa tilanteessa olevia ja löytämään uusia tuttavuuksia.",
                "Kom och träffa andra i samma situation och hitta nya bekantskaper.",
                "Come and meet others in the same situation and make new acquaintances.")),
    Topic("caregiving", _text("Omaishoito", "Närståendevård", "Family caregiving"),
          ("Omaishoitajien vertaisryhmä", "Kamratgrupp för närståendevårdare", "Family carers' peer group"),
          ("omaishoitajayhdistys", "Förening för närståendevårdare", "Family Carers' Association"),
          _text("Omaishoitajat jakavat kokemuksia jaksamisesta, palveluista ja vapaapäivien järjestämisestä.",
                "Närståendevårdare delar erfarenheter av att orka, av tjänster och av att ordna lediga dagar.",
                "Family carers share experiences of coping, of services and of arranging days off.")),
    Topic("hearing-loss", _text("Kuulovamma", "Hörselnedsättning", "Hearing loss"),
          ("Huonokuuloisten vertaisryhmä", "Kamratgrupp för hörselskadade", "Peer group for the hard of hearing"),
          ("kuuloyhdistys", "Hörselförening", "Hearing Association"),
          _text("Tilassa on induktiosilmukka, ja puhumme kuulon apuvälineistä ja vuorovaikutuksesta.",
                "Lokalen har hörslinga, och vi talar om hörhjälpmedel och kommunikation.",
                "The room has an induction loop, and we talk about hearing aids and communication.")),
)


@dataclass(frozen=True)
class Audience:
    id: str
    label: dict[str, str]
    qualifier: tuple[str, str, str]  # "for relatives", appended to a group's name


AUDIENCES: tuple[Audience, ...] = (
    Audience("relatives", _text("Omaiset ja läheiset", "Anhöriga och närstående", "Relatives and close ones"),
             ("omaisille", "för anhöriga", "for relatives")),
    Audience("people-affected", _text("Sairastuneet", "Insjuknade", "People who are ill"),
             ("sairastuneille", "för insjuknade", "for people who are ill")),
    Audience("rehabilitees", _text("Kuntoutujat", "Rehabiliterande", "Rehabilitees"),
             ("kuntoutujille", "för rehabiliterande", "for rehabilitees")),
    Audience("men", _text("Miehet", "Män", "Men"), ("miehille", "för män", "for men")),
    Audience("women", _text("Naiset", "Kvinnor", "Women"), ("naisille", "för kvinnor", "for women")),
    Audience("young-people", _text("Nuoret", "Unga", "Young people"), ("nuorille", "för unga", "for young people")),
    Audience("young-adults", _text("Nuoret aikuiset", "Unga vuxna", "Young adults"),
             ("nuorille aikuisille", "för unga vuxna", "for young adults")),
    Audience("older-people", _text("Ikääntyneet", "Äldre", "Older people"),
             ("ikääntyneille", "för äldre", "for older people")),
    Audience("parents", _text("Vanhemmat", "Föräldrar", "Parents"), ("vanhemmille", "för föräldrar", "for parents")),
    Audience("families-with-children", _text("Lapsiperheet", "Barnfamiljer", "Families with children"),
             ("lapsiperheille", "för barnfamiljer", "for families with children")),
    Audience("bereaved", _text("Läheisensä menettäneet", "Efterlevande", "The bereaved"),
             ("läheisensä menettäneille", "för efterlevande", "for the bereaved")),
    Audience("immigrants", _text("Maahan muuttaneet", "Invandrare", "Immigrants"),
             ("maahan muuttaneille", "för invandrare", "for immigrants")),
    Audience("lgbtiq", _text("Sateenkaari-ihmiset", "Regnbågsmänniskor", "LGBTIQ+ people"),
             ("sateenkaari-ihmisille", "för regnbågsmänniskor", "for LGBTIQ+ people")),
    Audience("prospective-peer-supporters",
             _text("Vertaistukijaksi aikovat", "Blivande stödpersoner", "Prospective peer supporters"),
             ("vertaistukijaksi aikoville", "för blivande stödpersoner", "for prospective peer supporters")),
)

SUPPORT_FORMS: dict[str, dict[str, str]] = {
    "spontaneous-one-to-one": _text("Suunnittelematon vertaistuki", "Spontant kamratstöd", "Spontaneous peer support"),
    "organised-one-to-one": _text("Organisoitu henkilökohtainen vertaistuki", "Organiserat personligt kamratstöd",
                                  "Organised one-to-one peer support"),
    "open-group": _text("Avoin ryhmä", "Öppen grupp", "Open group"),
    "closed-group": _text("Suljettu ryhmä", "Sluten grupp", "Closed group"),
    "peer-group": _text("Vertaisryhmä (nimetty kokoonkutsuja)", "Kamratgrupp (med sammankallare)",
                        "Peer group (with a named convener)"),
    "volunteer-led-group": _text("Vertaistukiryhmä, jossa koulutettu vapaaehtoinen ohjaaja",
                                 "Kamratstödsgrupp med utbildad frivillig ledare",
                                 "Peer support group with a trained volunteer leader"),
    "professional-led-group": _text("Vertaistukiryhmä, jossa ammattilainen ohjaajana",
                                    "Kamratstödsgrupp med en professionell ledare",
                                    "Peer support group with a professional leader"),
    "online-community": _text("Verkon ja sosiaalisen median ryhmät", "Grupper på nätet och i sociala medier",
                              "Online and social media communities"),
    "face-to-face": _text("Kasvokkain", "Ansikte mot ansikte", "Face to face"),
    "by-phone": _text("Puhelimitse", "Per telefon", "By phone"),
    "online": _text("Verkossa", "På nätet", "Online"),
    "first-information-day": _text("Ensitietopäivä", "Dag med första information", "First-information day"),
    "adaptation-course": _text("Sopeutumisvalmennuskurssi", "Anpassningskurs", "Adaptation course"),
    "rehabilitation-course": _text("Kuntoutuskurssi", "Rehabiliteringskurs", "Rehabilitation course"),
    "camp": _text("Vertaisleiri", "Kamratläger", "Peer camp"),
}

FACILITATION_FORMS = {
    "peer_convener": "peer-group",
    "trained_volunteer": "volunteer-led-group",
    "professional": "professional-led-group",
    "online_moderator": "online-community",
}

# --------------------------------------------------------------------- group texts

OPENNESS_SENTENCES = {
    "open": _text("Avoin vertaistukiryhmä, johon voi tulla mukaan milloin tahansa ilman ennakkoilmoittautumista.",
                  "En öppen kamratstödsgrupp där du kan delta när du vill utan att anmäla dig på förhand.",
                  "An open peer support group you can join at any time without signing up in advance."),
    "closed": _text("Suljettu ryhmä, joka kokoontuu sovitusti koko kauden ajan; osallistujat sitoutuvat tapaamisiin.",
                    "En sluten grupp som träffas enligt överenskommelse hela terminen; deltagarna förbinder sig till träffarna.",
                    "A closed group that meets on agreed dates all season; members commit to the meetings."),
}

FACILITATION_SENTENCES = {
    "peer_convener": _text("Ryhmässä kaikki ovat vertaisia; kokoonkutsuja pitää huolen tiloista ja aikatauluista.",
                           "I gruppen är alla kamrater; en sammankallare sköter lokaler och tider.",
                           "Everyone in the group is a peer; a convener looks after the room and the timetable."),
    "trained_volunteer": _text("Keskustelua ohjaa koulutettu vapaaehtoinen vertaisohjaaja, jolla on omaa kokemusta aiheesta.",
                               "Samtalet leds av en utbildad frivillig kamratledare med egen erfarenhet av ämnet.",
                               "A trained volunteer peer leader with lived experience of the subject guides the conversation."),
    "professional": _text("Ryhmää ohjaa alan ammattilainen yhdessä kokemusasiantuntijan kanssa.",
                          "Gruppen leds av en yrkesperson tillsammans med en erfarenhetsexpert.",
                          "A professional runs the group together with an expert by experience."),
    "online_moderator": _text("Ylläpitäjä valvoo keskustelua ja huolehtii, että ryhmä pysyy turvallisena kaikille.",
                              "En moderator följer diskussionen och ser till att gruppen är trygg för alla.",
                              "A moderator follows the discussion and keeps the group safe for everyone."),
}

CLOSING_SENTENCES: tuple[dict[str, str], ...] = (
    _text("Ryhmässä puhuttu jää ryhmään, ja kukin kertoo itsestään sen verran kuin haluaa.",
          "Det som sägs i gruppen stannar i gruppen, och var och en berättar så mycket som hen vill.",
          "What is said in the group stays in the group, and everyone shares as much as they wish."),
    _text("Ensimmäisellä kerralla voit vain kuunnella; kahvia ja teetä on tarjolla.",
          "Första gången kan du bara lyssna; det bjuds på kaffe och te.",
          "On your first visit you are welcome just to listen; coffee and tea are served."),
    _text("Tila on esteetön, ja avustaja voi tulla mukaan maksutta.",
          "Lokalen är tillgänglig, och en assistent kan följa med utan kostnad.",
          "The room is accessible, and an assistant may come along free of charge."),
    _text("Uudet osallistujat ovat aina tervetulleita, eikä aiempaa kokemusta ryhmistä tarvita.",
          "Nya deltagare är alltid välkomna, och ingen tidigare erfarenhet av grupper behövs.",
          "Newcomers are always welcome, and no earlier experience of groups is needed."),
)

SCHEDULE_NOTES: tuple[dict[str, str], ...] = (
    _text("Tapaamisajat sovitaan ensimmäisellä kerralla.", "Mötestiderna avtalas vid första träffen.",
          "Meeting dates are agreed at the first meeting."),
    _text("Kesällä ryhmä pitää taukoa.", "Gruppen har paus under sommaren.", "The group takes a break in summer."),
    _text("Ajankohta ja tapa sovitaan yhdessä.", "Tid och sätt kommer vi överens om tillsammans.",
          "Time and way of meeting are agreed together."),
)

SEASONS: tuple[tuple[dt.date, dt.date, dict[str, str]], ...] = (
    (dt.date(2026, 8, 31), dt.date(2026, 12, 11), _text("syyskausi 2026", "hösttermin 2026", "autumn season 2026")),
    (dt.date(2027, 1, 11), dt.date(2027, 5, 28), _text("kevätkausi 2027", "vårtermin 2027", "spring season 2027")),
    (dt.date(2027, 8, 30), dt.date(2027, 12, 10), _text("syyskausi 2027", "hösttermin 2027", "autumn season 2027")),
)

CANCEL_REASONS: tuple[dict[str, str], ...] = (
    _text("Syysloma", "Höstlov", "Autumn half-term"),
    _text("Ohjaaja on estynyt", "Ledaren är förhindrad", "The leader cannot make it"),
    _text("Tila on varattu muuhun käyttöön", "Lokalen är upptagen", "The room is booked for something else"),
)

SUSPENSION_REASONS: tuple[dict[str, str], ...] = (
    _text("Ryhmälle etsitään uutta ohjaajaa.", "Gruppen söker en ny ledare.", "The group is looking for a new leader."),
    _text("Kokoontumistila on remontissa.", "Möteslokalen renoveras.", "The meeting room is being renovated."),
    _text("Osallistujia on ollut liian vähän.", "Det har varit för få deltagare.", "Too few people have been coming."),
)

# --------------------------------------------------------------------------- people

FIRST_NAMES = ("Aino", "Anna", "Antti", "Eeva", "Elina", "Emma", "Hanna", "Heikki", "Helena", "Ilkka", "Jari",
               "Johanna", "Juha", "Jukka", "Kaisa", "Kari", "Katja", "Laura", "Leena", "Liisa", "Marja", "Markku",
               "Matti", "Mikko", "Minna", "Outi", "Pekka", "Pirjo", "Riitta", "Sari", "Seppo", "Timo", "Tuula",
               "Ville", "Anders", "Britt", "Johan", "Karin", "Mikael", "Stina")
SURNAMES = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
            "Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä",
            "Kinnunen", "Salonen", "Turunen", "Lindholm", "Nyström", "Westerlund")
CONSENT_TAKERS = ("yhdistyksen sihteeri", "järjestösuunnittelija", "vapaaehtoiskoordinaattori", "viestintä")

TESTIMONIALS: tuple[dict[str, str], ...] = (
    _text("Vertaistukijana toimiminen palkitsee: kun toisen epävarmuus helpottaa, tiedän tekeväni tärkeää työtä.",
          "Att vara stödperson ger mycket: när någons oro lättar vet jag att jag gör något viktigt.",
          "Being a peer supporter is rewarding: when someone's uncertainty eases, I know the work matters."),
    _text("Oma kokemukseni on kääntynyt voimavaraksi, jonka voin jakaa muille.",
          "Min egen erfarenhet har blivit en resurs som jag kan dela med andra.",
          "My own experience has turned into a strength I can share with others."),
    _text("Ryhmässä opin, ettei kenenkään tarvitse selvitä yksin.",
          "I gruppen lärde jag mig att ingen behöver klara sig ensam.",
          "In the group I learnt that nobody has to cope alone."),
)

COORDINATOR_TITLES: tuple[dict[str, str], ...] = (
    _text("Vertaistoiminnan koordinaattori", "Koordinator för kamratverksamhet", "Peer activities coordinator"),
    _text("Järjestösuunnittelija", "Organisationsplanerare", "Organisation planner"),
    _text("Aluekoordinaattori", "Regionkoordinator", "Regional coordinator"),
    _text("Vapaaehtoistoiminnan suunnittelija", "Planerare för frivilligverksamhet", "Volunteering planner"),
)

RESPONSIBILITIES: tuple[dict[str, str], ...] = (
    _text("Vertaisohjaajien koulutus ja työnohjaus", "Utbildning och handledning av kamratledare",
          "Training and supervising peer leaders"),
    _text("Uusien ryhmien perustaminen", "Att grunda nya grupper", "Starting new groups"),
    _text("Yhteistyö hyvinvointialueen kanssa", "Samarbete med välfärdsområdet",
          "Cooperation with the wellbeing services county"),
    _text("Vapaaehtoisten rekrytointi ja perehdytys", "Rekrytering och introduktion av frivilliga",
          "Recruiting and introducing volunteers"),
    _text("Kokemusasiantuntijatoiminta", "Erfarenhetsexpertverksamhet", "Expertise-by-experience activities"),
)

VOLUNTEER_ROLES = ("one_to_one", "groups", "courses_and_camps", "family_and_youth", "events",
                   "informal_online_groups", "group_leader", "convener")

TRAINING = _text("Vertaistukijakoulutus", "Utbildning för stödpersoner", "Peer supporter training")

# ------------------------------------------------------------------- organisations

FEDERATION_ID = "vertaistukiliitto"
KELA_ID = "kela"


@dataclass
class _Org:
    """An organisation and what later records need to know about it."""

    record: Data
    municipality: Municipality
    topic: Topic
    places: list[str] = field(default_factory=list)
    volunteers: list[str] = field(default_factory=list)
    coordinators: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def kind(self) -> str:
        return self.record["kind"]

    @property
    def domain(self) -> str:
        return f"{self.id}.example"


#: How often an organisation of each kind organises a group or service.
ORGANISER_WEIGHT = {"federation": 6, "association": 10, "regional_peer_centre": 16, "public_body": 2,
                    "care_provider": 3, "other": 2}


def _business_id(rng: random.Random) -> str:
    """A Y-tunnus with a correct check digit (weights 7 9 10 5 8 4 2, modulo 11)."""
    while True:
        body = f"{rng.randrange(10**7):07d}"
        remainder = sum(int(digit) * weight for digit, weight in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:  # no check digit fits: such ids are never issued
            return f"{body}-{0 if remainder == 0 else 11 - remainder}"


#: The federation, Kela, the associations on Åland and in Inari and a peer centre.
MIN_ORGANISATIONS = 5


@dataclass(frozen=True)
class Plan:
    organisations: int
    places: int
    groups: int
    services: int
    events: int
    volunteers: int
    coordinators: int
    terms: int


def plan(records: int) -> Plan:
    """How many records of each kind make up about ``records`` in all."""
    terms = len(_terms())
    budget = max(records - terms, 40)
    services, events = round(budget * 0.10), round(budget * 0.05)
    volunteers, coordinators = round(budget * 0.08), max(1, round(budget * 0.02))
    rest = budget - services - events - volunteers - coordinators
    # groups : places : organisations = 1 : 1/4 : 1/40
    groups = round(rest / (1 + 1 / 4 + 1 / 40))
    places = round(groups / 4)
    organisations = max(rest - groups - places, MIN_ORGANISATIONS)
    groups = rest - places - organisations
    return Plan(organisations, places, groups, services, events, volunteers, coordinators, terms)


def _builtin_vocabularies() -> dict[str, list[list[Any]]]:
    return yaml.safe_load(files("vertaistuki.default_plugins").joinpath("vocabularies.yaml").read_text(encoding="utf-8"))


def _terms() -> list[Data]:
    # The built-in regions and activities are repeated so that the catalogue validates
    # without warnings even when no vocabulary is passed (catalogue_from_data's default).
    terms: list[Data] = []
    for vocabulary, rows in _builtin_vocabularies().items():
        for term_id, notation, fi, sv, en in rows:
            term: Data = {"vocabulary": vocabulary, "id": term_id, "label": _text(fi, sv, en)}
            if notation:
                term["notation"] = notation
            terms.append(term)
    for index, topic in enumerate(TOPICS):
        term = {"vocabulary": "topic", "id": topic.id, "label": topic.label}
        if index % 3 == 0:  # synthetic YSO concept links on some topics
            term["yso"] = f"http://www.yso.fi/onto/yso/p{10000 + 37 * index}"
        terms.append(term)
    for audience in AUDIENCES:
        terms.append({"vocabulary": "audience", "id": audience.id, "label": audience.label})
    for index, (form_id, label) in enumerate(SUPPORT_FORMS.items()):
        term = {"vocabulary": "support_form", "id": form_id, "label": label}
        if index < 4:
            term["description"] = _text(
                "Vertaistuen muoto, jonka jäsenjärjestöt ovat sopineet yhteisesti.",
                "En form av kamratstöd som medlemsorganisationerna har kommit överens om.",
                "A form of peer support agreed on by the member organisations.")
        terms.append(term)
    return terms


# ------------------------------------------------------------------- other records

SERVICE_NAMES = {
    "drop_in": _text("Päivystys", "Jour", "Drop-in hours"),
    "phone_line": _text("Vertaistukipuhelin", "Kamratstödstelefon", "Peer support phone line"),
    "one_to_one": _text("Henkilökohtainen vertaistuki", "Personligt kamratstöd", "One-to-one peer support"),
    "online_community": _text("Verkkoyhteisö", "Nätgemenskap", "Online community"),
    "other": _text("Vertaisneuvonta", "Kamratrådgivning", "Peer guidance"),
}

EVENT_NAMES = {
    "first_information_day": ("Ensitietopäivä", "Dag med första information", "First-information day"),
    "adaptation_course": ("Sopeutumisvalmennuskurssi", "Anpassningskurs", "Adaptation course"),
    "rehabilitation_course": ("Kuntoutuskurssi", "Rehabiliteringskurs", "Rehabilitation course"),
    "camp": ("Vertaisleiri", "Kamratläger", "Peer camp"),
    "volunteer_training": ("Vertaistukijakoulutus", "Utbildning för stödpersoner", "Peer supporter training"),
    "meeting": ("Alueellinen vertaistapaaminen", "Regional kamratträff", "Regional peer meeting"),
    "other": ("Virkistyspäivä", "Rekreationsdag", "Recreation day"),
}
EVENT_DAYS = {"adaptation_course": 5, "rehabilitation_course": 3, "camp": 3, "volunteer_training": 2}
EVENT_FORMS = {"first_information_day": "first-information-day", "adaptation_course": "adaptation-course",
               "rehabilitation_course": "rehabilitation-course", "camp": "camp"}


# ------------------------------------------------------------------------ generator


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[_Org] = []
        self.places: list[str] = []
        self.volunteers: list[str] = []
        self.coordinators: list[str] = []

    # ------------------------------------------------------------------ small values

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def iso_day(self, start: dt.date, end: dt.date) -> str:
        return self.day(start, end).isoformat()

    def instant(self, day: dt.date) -> str:
        # Helsinki is UTC+3 in summer time (roughly April to October), else UTC+2.
        offset = "+03:00" if 4 <= day.month <= 10 else "+02:00"
        return f"{day.isoformat()}T{self.rng.randrange(24):02d}:{self.rng.randrange(60):02d}:{self.rng.randrange(60):02d}{offset}"

    def phone(self) -> str:
        """A phone number as Finnish editors write it, in one of several styles."""
        rng = self.rng
        style = rng.random()
        middle, last = rng.randrange(100, 1000), rng.randrange(1000, 10000)
        if style < 0.55:
            return f"{rng.choice(('040', '041', '044', '045', '046', '050'))} {middle} {last}"
        if style < 0.75:
            return f"+358 {rng.choice(('40', '44', '50'))} {middle} {last}"
        if style < 0.95:  # a landline with its area code
            return f"{rng.choice(('09', '02', '03', '06', '08'))} {middle} {last}"
        return f"0800 {middle} {last // 10}"

    def stamps(self, record: Data, collection: str) -> None:
        """``updated``/``verified`` as a maintained catalogue has them on most records."""
        if self.chance(0.7):
            record["updated"] = self.iso_day(dt.date(2026, 1, 1), PUBLISHED)
        if self.chance(0.4):
            record["verified"] = self.iso_day(dt.date(2025, 6, 1), PUBLISHED)
        if self.chance(0.03):
            record["provenance"] = self.provenance(collection)

    def provenance(self, collection: str) -> Data:
        # A record taken over from a member's own feed keeps where it came from.
        member = self.rng.choice(("tampere-peer-centre", "relatives-association", "mental-health-federation"))
        retrieved = self.day(dt.date(2026, 11, 1), PUBLISHED)
        return {
            "source": member,
            "location": f"https://{member}.example/catalogue.json",
            "pointer": f"$.{collection}[{self.rng.randrange(200)}]",
            "retrieved": self.instant(retrieved),
            "last_modified": self.instant(retrieved - dt.timedelta(days=self.rng.randrange(1, 60))),
        }

    def contact(self, org: _Org) -> Data:
        contact: Data = {}
        if self.chance(0.6):
            contact["email"] = f"{self.rng.choice(('info', 'toimisto', 'vertaistuki', 'ryhmat'))}@{org.domain}"
        if self.chance(0.5) or not contact:
            contact["phone"] = self.phone()
        if self.chance(0.3):
            contact["url"] = f"https://{org.domain}/yhteystiedot"
        if self.chance(0.15):
            contact["note"] = _text("Puhelinaika arkisin klo 9–12.", "Telefontid vardagar kl. 9–12.",
                                    "Phone hours on weekdays 9–12.")
        return contact

    # ---------------------------------------------------------------- organisations

    def organisations(self, count: int) -> list[Data]:
        helsinki = MUNICIPALITIES[0]
        federation: Data = {
            "id": FEDERATION_ID,
            "name": _text("Suomen Vertaistukiliitto ry", "Finlands kamratstödsförbund rf", "Finnish Peer Support Federation"),
            "kind": "federation",
            "short_name": _text("Vertaistukiliitto", "Kamratstödsförbundet", "Peer Support Federation"),
            "description": _text(
                "Valtakunnallinen liitto, jonka jäsenyhdistykset järjestävät vertaistukiryhmiä, päivystyksiä, "
                "kursseja ja leirejä eri puolilla Suomea. Vertaistuki on omaehtoista ja vastavuoroista tukea "
                "ihmisten kesken, joita yhdistää samankaltainen elämäntilanne.",
                "Ett riksomfattande förbund vars medlemsföreningar ordnar kamratstödsgrupper, jourer, kurser och "
                "läger runt om i Finland. Kamratstöd är frivilligt och ömsesidigt stöd mellan människor i en "
                "liknande livssituation.",
                "A national federation whose member associations run peer support groups, drop-in hours, courses "
                "and camps across Finland. Peer support is self-directed, reciprocal support between people who "
                "share a life situation."),
            "business_id": _business_id(self.rng),
            "participation_free": True,
            "funding": _text("Sosiaali- ja terveysministeriön avustus (STEA).",
                             "Understöd från social- och hälsovårdsministeriet (STEA).",
                             "A grant from the Ministry of Social Affairs and Health (STEA)."),
            "founded": 1987,
            "nationwide": True,
            "audiences": ["people-affected", "relatives"],
            "topics": [topic.id for topic in TOPICS[:6]],
            "url": "https://vertaistukiliitto.example/",
            "volunteering": _text(
                "Haluatko vertaistukijaksi? Liitto järjestää peruskoulutuksen kahdesti vuodessa.",
                "Vill du bli stödperson? Förbundet ordnar grundutbildning två gånger om året.",
                "Would you like to become a peer supporter? The federation runs the basic training twice a year."),
            "updated": "2026-11-02",
            "verified": "2026-10-15",
        }
        fed = _Org(federation, helsinki, TOPICS[0])
        federation["contact"] = self.contact(fed)
        kela = _Org({
            "id": KELA_ID,
            "name": _text("Kansaneläkelaitos", "Folkpensionsanstalten", "Social Insurance Institution of Finland"),
            "kind": "public_body",
            "short_name": _text("Kela", "FPA", "Kela"),
            "business_id": _business_id(self.rng),
            "nationwide": True,
            "url": "https://kela.example/kuntoutus",
        }, helsinki, TOPICS[1])
        self.orgs = [fed, kela]

        weights = [m.weight for m in MUNICIPALITIES]
        by_name = {m.fi: m for m in MUNICIPALITIES}
        # Åland (its own time zone, Swedish only), Sámi Inari and a peer centre kept by an
        # association are too rare to be drawn reliably, yet every catalogue has them.
        seeded = [("association", by_name["Maarianhamina"]), ("association", by_name["Inari"]),
                  ("regional_peer_centre", by_name["Inari"])]
        associations: list[_Org] = []
        for serial in range(len(self.orgs), count):
            if seeded:
                kind, municipality = seeded.pop(0)
            else:
                kind = self.rng.choices(tuple(ORGANISER_WEIGHT)[1:], (78, 10, 5, 5, 2))[0]
                municipality = self.rng.choices(MUNICIPALITIES, weights)[0]
            topic = self.rng.choice(TOPICS)
            org = self.organisation(serial, kind, municipality, topic, associations)
            self.orgs.append(org)
            if kind == "association":
                associations.append(org)
        return [org.record for org in self.orgs]

    def organisation(self, serial: int, kind: str, m: Municipality, topic: Topic, associations: list[_Org]) -> _Org:
        rng = self.rng
        if kind == "association":
            fi, sv, en = topic.association
            name = _text(f"{m.genitive} {fi} ry", f"{sv} i {m.sv} rf", f"{m.fi} {en}")
            slug = _slug(f"{fi}-{m.fi}")
        elif kind == "regional_peer_centre":
            name = _text(f"{m.genitive} seudun vertaiskeskus", f"Kamratcentret i {m.sv} med omnejd",
                         f"{m.fi} Region Peer Centre")
            slug = _slug(f"vertaiskeskus-{m.fi}")
        elif kind == "public_body":
            name = _text(f"{m.genitive} kaupunki", f"{m.sv} stad", f"City of {m.fi}")
            slug = _slug(f"{m.fi}-kaupunki")
        elif kind == "care_provider":
            name = _text(f"{m.genitive} keskussairaala", f"Centralsjukhuset i {m.sv}", f"{m.fi} Central Hospital")
            slug = _slug(f"{m.fi}-keskussairaala")
        else:
            name = _text(f"{m.genitive} seurakunta", f"{m.sv} församling", f"{m.fi} Parish")
            slug = _slug(f"{m.fi}-seurakunta")
        record: Data = {"id": f"{slug}-{serial:04d}", "name": name, "kind": kind}
        org = _Org(record, m, topic)
        if kind == "association":
            record["member_of"] = [FEDERATION_ID]
            record["volunteer_run"] = True
            if rng.random() < 0.3:
                record["short_name"] = _text(topic.association[0].capitalize(), topic.association[1], topic.association[2])
            if rng.random() < 0.2:
                record["founded"] = rng.randrange(1950, 2024)
        if kind == "regional_peer_centre":
            nearby = [a for a in associations if a.municipality is m] or associations
            record["parent"] = rng.choice(nearby).id
            record["participation_free"] = True
            record["topics"] = [t.id for t in rng.sample(TOPICS, 4)]
            record["funding"] = _text(f"{m.genitive} kaupungin avustus tilavuokraan.", f"Bidrag från {m.sv} stad för hyran.",
                                      f"A grant from the City of {m.fi} towards the rent.")
            record["volunteering"] = _text("Ryhmänvetäjiksi tarvitaan aina uusia vapaaehtoisia.",
                                           "Nya frivilliga behövs alltid som gruppledare.",
                                           "New volunteers are always needed as group leaders.")
            if rng.random() < 0.5:
                record["description"] = _text(
                    "Vertaiskeskuksessa kymmenkunta yhdistystä ja ryhmää kokoontuu säännöllisesti.",
                    "På kamratcentret träffas ett tiotal föreningar och grupper regelbundet.",
                    "About ten associations and groups meet regularly at the peer centre.")
        elif rng.random() < 0.5:
            record["description"] = _text(
                f"Paikallinen toimija, jonka aiheena on {topic.label['fi'].lower()}.",
                f"En lokal aktör med fokus på {topic.label['sv'].lower()}.",
                f"A local organisation working on {topic.label['en'].lower()}.")
        if rng.random() < 0.6:
            record["business_id"] = _business_id(rng)
        if kind == "association" and rng.random() < 0.4:
            record["audiences"] = [rng.choice(AUDIENCES[:12]).id]
        if kind == "association":
            record["topics"] = [topic.id]
        record["regions"] = [m.region]
        if rng.random() < 0.8:
            record["contact"] = self.contact(org)
        if rng.random() < 0.7:
            record["url"] = f"https://{org.domain}/"
        self.stamps(record, "organisations")
        return org

    # ----------------------------------------------------------------------- places

    def places_for(self, count: int) -> list[Data]:
        hosts = [org for org in self.orgs if org.id != KELA_ID]
        weights = [ORGANISER_WEIGHT[org.kind] for org in hosts]
        records = []
        for serial in range(count):
            # Every host gets a place of its own before any gets a second one.
            org = hosts[serial] if serial < len(hosts) else self.rng.choices(hosts, weights)[0]
            record = self.place(serial, org.municipality)
            org.places.append(record["id"])
            records.append(record)
        return records

    def place(self, serial: int, m: Municipality) -> Data:
        rng = self.rng
        fi_venue, sv_venue, en_venue = rng.choice(VENUES)
        place_id = f"{_slug(fi_venue)}-{_slug(m.fi)}-{serial:05d}"
        record: Data = {
            "id": place_id,
            "name": _text(f"{m.genitive} {fi_venue}", f"{sv_venue} i {m.sv}", f"{en_venue}, {m.fi}"),
            "municipality": m.name(),
        }
        if rng.random() < 0.9:
            fi_street, sv_street = rng.choice(STREETS)
            number = f"{rng.randrange(1, 80)}{rng.choice(('', '', ' A', ' B', ' C'))}"
            sv_name = sv_street if m.swedish_streets else fi_street
            record["street_address"] = _text(f"{fi_street} {number}", f"{sv_name} {number}", f"{fi_street} {number}")
            record["postal_code"] = f"{m.postal_prefix}{rng.randrange(10, 100) * 10:03d}"
        if rng.random() < 0.6:
            record["coordinates"] = {
                "latitude": round(m.latitude + rng.uniform(-0.05, 0.05), 5),
                "longitude": round(m.longitude + rng.uniform(-0.08, 0.08), 5),
            }
        if rng.random() < 0.4:
            record["accessibility"] = self.accessibility()
        if rng.random() < 0.3:
            record["directions"] = rng.choice(DIRECTIONS)
        self.places.append(place_id)
        return record

    def accessibility(self) -> Data:
        # Only some facts are known; an unknown one is left out, never written as false.
        facts = ("step_free_entrance", "elevator", "accessible_toilet", "induction_loop", "accessible_parking",
                 "public_transport_nearby")
        known = {fact: self.rng.random() < 0.8 for fact in self.rng.sample(facts, self.rng.randrange(2, 7))}
        if self.chance(0.3):
            known["note"] = _text("Ovet avautuvat painikkeesta.", "Dörrarna öppnas med en knapp.",
                                  "The doors open with a push button.")
        return known

    # ------------------------------------------------------------------------ people

    def consent(self, withdrawn: bool = False) -> Data:
        given = self.day(dt.date(2021, 1, 1), dt.date(2026, 10, 31))
        consent: Data = {"given": given.isoformat()}
        if withdrawn:
            consent["withdrawn"] = self.iso_day(given, PUBLISHED)
        if self.chance(0.8):
            consent["recorded_by"] = self.rng.choice(CONSENT_TAKERS)
        return consent

    def personal(self, org: _Org, contact_details: bool) -> Data:
        """Personal details, each with its own consent record (or none: never asked)."""
        rng = self.rng
        style = rng.random()
        if style < 0.2 and not contact_details:
            return {}
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if style < 0.35:  # recorded, but consent was never asked: must never be published
            return {"name": {"value": f"{first} {surname}"}}
        withdrawn = style < 0.45
        details: Data = {"name": {"value": first if rng.random() < 0.6 else f"{first} {surname}",
                                  "consent": self.consent(withdrawn)}}
        if rng.random() < 0.5:
            details["home_municipality"] = {"value": org.municipality.fi, "consent": self.consent(withdrawn)}
        if contact_details or rng.random() < 0.2:
            details["phone"] = {"value": self.phone(), "consent": self.consent()}
            details["email"] = {"value": f"{_slug(first)}.{_slug(surname)}@{org.domain}", "consent": self.consent()}
        if rng.random() < 0.25:
            details["languages"] = {"value": rng.choice((["fi"], ["fi", "sv"], ["sv"], ["fi", "en"], ["se", "fi"])),
                                    "consent": self.consent()}
        if rng.random() < 0.2:
            words = rng.choice(TESTIMONIALS)
            # A person's own words stay in the languages they gave them in.
            value = {"fi": words["fi"]} if rng.random() < 0.5 else words
            details["testimonial"] = {"value": value, "consent": self.consent()}
        return details

    def volunteer(self, serial: int) -> Data:
        rng = self.rng
        org = self.pick_organiser()
        record: Data = {"id": f"vertaistukija-{serial:05d}", "organisation": org.id,
                        "roles": sorted(rng.sample(VOLUNTEER_ROLES, rng.randrange(1, 4)), key=VOLUNTEER_ROLES.index)}
        if rng.random() < 0.8:
            training: Data = {"name": TRAINING}
            if rng.random() < 0.6:
                training["completed"] = self.iso_day(dt.date(2018, 1, 1), dt.date(2026, 10, 31))
            if rng.random() < 0.7:
                training["organiser"] = rng.choice((FEDERATION_ID, org.id))
            record["training"] = training
            record["confidentiality_pledge"] = True
        record["regions"] = [org.municipality.region]
        personal = self.personal(org, contact_details=False)
        if personal:
            record["personal"] = personal
        self.stamps(record, "volunteers")
        org.volunteers.append(record["id"])
        self.volunteers.append(record["id"])
        return record

    def coordinator(self, serial: int) -> Data:
        rng = self.rng
        org = self.pick_organiser()
        m = org.municipality
        record: Data = {"id": f"koordinaattori-{serial:04d}", "organisation": org.id,
                        "title": rng.choice(COORDINATOR_TITLES)}
        if rng.random() < 0.6:
            record["office"] = _text(f"{m.genitive} aluetoimisto", f"Regionkontoret i {m.sv}", f"{m.fi} regional office")
        neighbours = sorted({m.region} | {x.region for x in rng.sample(MUNICIPALITIES, rng.randrange(0, 4))})
        record["regions"] = neighbours
        if rng.random() < 0.8:
            record["responsibilities"] = rng.sample(RESPONSIBILITIES, rng.randrange(1, 4))
        record["personal"] = self.personal(org, contact_details=True)
        if not record["personal"]:
            del record["personal"]
        self.stamps(record, "coordinators")
        org.coordinators.append(record["id"])
        self.coordinators.append(record["id"])
        return record

    # ------------------------------------------------------------------ activities

    def pick_organiser(self) -> _Org:
        weights = [0 if org.id == KELA_ID else ORGANISER_WEIGHT[org.kind] for org in self.orgs]
        return self.rng.choices(self.orgs, weights)[0]

    def place_of(self, org: _Org) -> str:
        return self.rng.choice(org.places or self.places)

    def in_person(self, org: _Org) -> Data:
        channel: Data = {"kind": "in_person", "place": self.place_of(org)}
        if self.chance(0.15):
            channel["room"] = self.rng.choice(ROOMS)
        return channel

    def online(self, org: _Org) -> Data:
        rng = self.rng
        platform = rng.choice(("Teams", "Zoom", "Facebook", "Discord", "Whereby"))
        channel: Data = {"kind": "online"}
        if platform == "Facebook" or rng.random() < 0.3:
            channel["platform"] = platform
            channel["instructions"] = _text(
                "Pyydä liittymistä ryhmään ja vastaa ylläpitäjän kysymyksiin.",
                "Be om att få gå med i gruppen och svara på moderatorns frågor.",
                "Ask to join the group and answer the moderator's questions.")
            if rng.random() < 0.3:
                channel["url"] = f"https://{org.domain}/verkkoryhma"
        else:
            channel["url"] = f"https://{org.domain}/liity/{rng.randrange(10**6):06d}"
            if rng.random() < 0.6:
                channel["platform"] = platform
        return channel

    def phone_channel(self) -> Data:
        channel: Data = {"kind": "phone", "phone": self.phone()}
        if self.chance(0.5):
            channel["note"] = _text("Puhelu maksaa normaalin puhelun hinnan.", "Samtalet kostar som ett vanligt samtal.",
                                    "Calls cost the price of an ordinary call.")
        return channel

    def fee(self) -> Data | None:
        roll = self.rng.random()
        if roll < 0.08:
            amount = self.rng.choice((2, 3, 5, 2.5, 10))
            return {"kind": "self_payment", "amount": amount, "announced_in_advance": True,
                    "note": _text("Pieni omavastuuosuus tarvikkeista; siitä kerrotaan aina etukäteen.",
                                  "En liten självriskandel för material; den meddelas alltid på förhand.",
                                  "A small contribution towards materials, always announced in advance.")}
        if roll < 0.10:
            return {"kind": "self_payment", "note": _text("Retken hinta ilmoitetaan myöhemmin.",
                                                          "Priset för utflykten meddelas senare.",
                                                          "The price of the outing will be announced later.")}
        if roll < 0.13:
            return {"kind": "membership", "note": _text("Mukana voivat olla yhdistyksen jäsenet (jäsenmaksu 20 €/v).",
                                                        "Öppen för föreningens medlemmar (medlemsavgift 20 €/år).",
                                                        "Open to members of the association (membership 20 €/year).")}
        return None

    def registration(self, org: _Org, before: dt.date | None) -> Data:
        rng = self.rng
        registration: Data = {"required": True}
        if rng.random() < 0.5:
            registration["instructions"] = _text(
                "Ilmoittaudu etukäteen, niin varaamme sinulle paikan.",
                "Anmäl dig på förhand så reserverar vi en plats åt dig.",
                "Sign up in advance and we will keep a place for you.")
        way = rng.random()
        if way < 0.5:
            registration["email"] = f"ilmoittautumiset@{org.domain}"
        elif way < 0.8:
            registration["phone"] = self.phone()
        else:
            registration["url"] = f"https://{org.domain}/ilmoittaudu"
        if before is not None and rng.random() < 0.7:
            registration["deadline"] = (before - dt.timedelta(days=rng.randrange(3, 21))).isoformat()
        return registration

    def status(self) -> Data | None:
        roll = self.rng.random()
        if roll < 0.05:
            status: Data = {"state": "suspended", "reason": self.rng.choice(SUSPENSION_REASONS),
                            "since": self.iso_day(dt.date(2026, 6, 1), PUBLISHED)}
            if self.chance(0.5):  # otherwise until further notice
                status["until"] = self.iso_day(dt.date(2027, 1, 1), dt.date(2027, 6, 30))
            return status
        if roll < 0.08:
            return {"state": "ended", "since": self.iso_day(dt.date(2026, 1, 1), PUBLISHED),
                    "reason": _text("Ryhmä on lopettanut toimintansa.", "Gruppen har avslutat sin verksamhet.",
                                    "The group has stopped meeting.")}
        if roll < 0.09:  # active (the default state) again since a restart
            return {"since": self.iso_day(dt.date(2026, 8, 1), PUBLISHED)}
        return None

    def times(self) -> tuple[str, str]:
        start_hour, start_minute = self.rng.choice(((10, 0), (12, 0), (13, 0), (14, 0), (17, 0), (17, 30), (18, 0), (18, 30)))
        minutes = start_hour * 60 + start_minute + self.rng.choice((60, 90, 90, 120, 150))
        return f"{start_hour:02d}:{start_minute:02d}", f"{minutes // 60:02d}:{minutes % 60:02d}"

    def schedule(self, closed: bool, m: Municipality) -> Data:
        rng = self.rng
        weekday = rng.choices(range(6), (5, 6, 6, 6, 3, 2))[0]
        day = WEEKDAYS[weekday]
        shape = rng.choices(("weekly", "biweekly", "monthly", "twice_monthly", "count"),
                            (45, 25, 12, 8, 14 if closed else 0))[0]
        rule = {
            "weekly": f"FREQ=WEEKLY;BYDAY={day}",
            "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
            "monthly": f"FREQ=MONTHLY;BYDAY={rng.choice(('1', '2', '3', '-1'))}{day}",
            "twice_monthly": f"FREQ=MONTHLY;BYDAY=1{day},3{day}",
            "count": f"FREQ=WEEKLY;BYDAY={day};COUNT={rng.choice((6, 8, 10, 12))}",
        }[shape]
        start_time, end_time = self.times()
        schedule: Data = {"rrule": rule, "start_time": start_time}
        if rng.random() < 0.92:
            schedule["end_time"] = end_time
        if m.region == "ahvenanmaa":
            schedule["timezone"] = ALAND_ZONE
        season_start, season_end, season_name = rng.choice(SEASONS)
        if shape != "count" and rng.random() < 0.55:
            schedule["season"] = {"start": season_start.isoformat(), "end": season_end.isoformat()}
            if rng.random() < 0.8:
                schedule["season"]["name"] = season_name
        elif shape == "weekly" and rng.random() < 0.15:
            schedule["rrule"] += f";UNTIL={season_end:%Y%m%d}"
        first = season_start + dt.timedelta(days=(weekday - season_start.weekday()) % 7)
        # Every other week and a COUNT are counted from a first day, which the model
        # requires (since 2026-12-05; the catalogues generated before differ from here).
        if rng.random() < 0.1 or shape == "count" or (shape == "biweekly" and "season" not in schedule):
            schedule["starts"] = first.isoformat()
        if rng.random() < 0.6:
            schedule["skip_public_holidays"] = True
        if rng.random() < 0.2:
            schedule["exceptions"] = self.exceptions(first, start_time)
        return schedule

    def exceptions(self, first: dt.date, start_time: str) -> list[Data]:
        rng = self.rng
        meetings = [first + dt.timedelta(weeks=week) for week in sorted(rng.sample(range(1, 14), rng.randrange(1, 3)))]
        found: list[Data] = []
        for meeting in meetings:
            roll = rng.random()
            if roll < 0.6:  # cancelled: the default kind, so only the date and maybe why
                exception: Data = {"date": meeting.isoformat()}
                if rng.random() < 0.7:
                    exception["reason"] = rng.choice(CANCEL_REASONS)
            elif roll < 0.8:
                exception = {"date": meeting.isoformat(), "kind": "moved",
                             "moved_to": (meeting + dt.timedelta(days=1)).isoformat(),
                             "reason": _text("Siirretty seuraavaan päivään", "Flyttad till följande dag",
                                             "Moved to the next day")}
            else:
                hour = int(start_time[:2]) - 2
                exception = {"date": meeting.isoformat(), "kind": "moved", "start_time": f"{hour:02d}:00",
                             "end_time": f"{hour + 1:02d}:30"}
            found.append(exception)
        return found

    def group(self, serial: int) -> Data:
        rng = self.rng
        org = self.pick_organiser()
        m = org.municipality
        topic = org.topic if org.kind == "association" and rng.random() < 0.8 else rng.choice(TOPICS)
        audience = rng.choice(AUDIENCES[:13]) if rng.random() < 0.6 else None
        openness = "closed" if rng.random() < 0.25 else "open"
        online_only = org.kind == "federation" or rng.random() < 0.08

        qualifier = audience.qualifier if audience else ("", "", "")
        place_words = ("verkossa", "på nätet", "online") if online_only else (m.fi, m.sv, m.fi)
        name = {language: " ".join(filter(None, (stem, extra))) + f", {where}"
                for language, stem, extra, where in zip(("fi", "sv", "en"), topic.group, qualifier, place_words, strict=True)}
        record: Data = {"id": f"{_slug(topic.group[0])[:40]}-{_slug(m.fi)}-{serial:05d}", "name": name,
                        "organiser": org.id, "openness": openness}

        facilitation_kind = "online_moderator" if online_only and rng.random() < 0.6 else rng.choices(
            ("peer_convener", "trained_volunteer", "professional"), (3, 5, 2))[0]
        if rng.random() < 0.95:
            sentences = [topic.about]
            extra = rng.random()
            if extra < 0.06:
                sentences.insert(0, OPENNESS_SENTENCES[openness])
            elif extra < 0.12:
                sentences.append(FACILITATION_SENTENCES[facilitation_kind])
            elif extra < 0.18:
                sentences.append(rng.choice(CLOSING_SENTENCES))
            record["description"] = {language: " ".join(s[language] for s in sentences) for language in ("fi", "sv", "en")}
            if m.sami:
                record["description"]["se"] = "Joavku lea rabas buohkaide."
        if rng.random() < 0.9:
            facilitation: Data = {"kind": facilitation_kind}
            people = org.volunteers or self.volunteers
            if people and rng.random() < 0.3:
                facilitation["leaders"] = sorted(set(rng.sample(people, min(len(people), rng.randrange(1, 3)))))
            if rng.random() < 0.1:
                facilitation["note"] = _text("Ohjaajat vuorottelevat.", "Ledarna turas om.", "The leaders take turns.")
            record["facilitation"] = facilitation

        activities = sorted(rng.sample(("discussion", "crafts", "cooking", "sports", "culture", "outdoor", "hobby"),
                                       rng.randrange(1, 3)))
        if activities != ["discussion"]:  # the default
            record["activities"] = activities
        if rng.random() < 0.6:  # not every editor fills in the forms of support
            record["support_forms"] = ["closed-group" if openness == "closed" else "open-group",
                                       FACILITATION_FORMS[facilitation_kind], "online" if online_only else "face-to-face"]
        if audience:
            record["audiences"] = [audience.id]
        record["topics"] = [topic.id] + ([rng.choice(TOPICS).id] if rng.random() < 0.2 else [])
        record["topics"] = list(dict.fromkeys(record["topics"]))
        languages = self.languages(m)
        if languages:
            record["languages"] = languages

        if online_only:
            channels = [self.online(org)]
        else:
            channels = [self.in_person(org)]
            if rng.random() < 0.12:
                channels.append(self.online(org))
        if rng.random() < 0.04:
            channels.append(self.phone_channel())
        record["channels"] = channels

        if rng.random() < 0.88:
            record["schedule"] = self.schedule(openness == "closed", m)
            if rng.random() < 0.1:
                record["schedule_note"] = rng.choice(SCHEDULE_NOTES[1:])
        else:
            record["schedule_note"] = SCHEDULE_NOTES[0]
        if fee := self.fee():
            record["fee"] = fee
        if rng.random() < 0.25:
            record["staff_sometimes_present"] = True
        if rng.random() < 0.15:
            record["guest_lecturers"] = True
        if openness == "closed" or rng.random() < 0.05:
            first = record.get("schedule", {}).get("starts") or record.get("schedule", {}).get("season", {}).get("start")
            record["registration"] = self.registration(org, dt.date.fromisoformat(first) if first else None)
        if status := self.status():
            record["status"] = status
        if online_only:
            record["nationwide"] = True
        else:
            record["regions"] = [m.region]
        if rng.random() < 0.35:
            record["contact"] = self.contact(org)
        if org.coordinators and rng.random() < 0.3:
            record["contacts"] = [rng.choice(org.coordinators)]
        if rng.random() < 0.2:
            record["url"] = f"https://{org.domain}/ryhmat/{serial}"
        if rng.random() < 0.02:
            record["same_as"] = [f"tampere-peer-centre:ryhma-{rng.randrange(1, 500)}"]
        self.stamps(record, "groups")
        return record

    def languages(self, m: Municipality) -> list[str] | None:
        """The languages a group is run in; None for the default, Finnish only."""
        rng = self.rng
        if m.region == "ahvenanmaa":
            return ["sv"]
        if m.sami and rng.random() < 0.5:
            return ["se", "fi"]
        roll = rng.random()
        if m.swedish_streets and roll < 0.25:
            return rng.choice((["sv"], ["fi", "sv"]))
        if roll < 0.05:
            return rng.choice((["fi", "en"], ["ru", "fi"], ["ar", "fi"], ["fse"], ["en"]))
        return None

    def service(self, serial: int) -> Data:
        rng = self.rng
        org = self.pick_organiser()
        m = org.municipality
        kind = rng.choices(tuple(SERVICE_NAMES), (40, 15, 25, 12, 8))[0]
        stem = SERVICE_NAMES[kind]
        record: Data = {
            "id": f"{kind.replace('_', '-')}-{_slug(m.fi)}-{serial:05d}",
            "kind": kind,
            "name": {language: f"{stem[language]}: {org.record['name'][language]}" for language in ("fi", "sv", "en")},
            "organiser": org.id,
            "description": _text(
                "Tule juttelemaan ilman ajanvarausta ja kysymään, mikä ryhmä sopisi sinulle.",
                "Kom och prata utan tidsbokning och fråga vilken grupp som kunde passa dig.",
                "Drop in without an appointment to talk and ask which group might suit you.")
            if kind == "drop_in" else _text(
                "Koulutettu vertaistukija on kokenut saman kuin sinä ja kulkee hetken rinnallasi.",
                "En utbildad stödperson har upplevt samma sak som du och går en bit av vägen med dig.",
                "A trained peer supporter has been through the same as you and walks alongside you for a while."),
        }
        if kind == "one_to_one":
            record["arrangement"] = rng.choice(("organised", "organised", "spontaneous"))
            record["support_forms"] = [f"{record['arrangement']}-one-to-one", "face-to-face", "by-phone"]
        elif kind == "online_community":
            record["support_forms"] = ["online-community", "online"]
        record["audiences"] = [rng.choice(AUDIENCES[:13]).id]
        record["topics"] = [org.topic.id]
        if m.swedish_streets and rng.random() < 0.3:
            record["languages"] = ["fi", "sv"]
        if kind == "drop_in":
            # "Every working Thursday 12–14.30": weekly, never on a public holiday.
            day = rng.choice(("TU", "WE", "TH"))
            record["channels"] = [self.in_person(org)]
            record["schedule"] = {"rrule": f"FREQ=WEEKLY;BYDAY={day}", "start_time": "12:00", "end_time": "14:30",
                                  "skip_public_holidays": True}
            if m.region == "ahvenanmaa":
                record["schedule"]["timezone"] = ALAND_ZONE
        elif kind == "phone_line":
            record["channels"] = [self.phone_channel()]
            record["schedule"] = {"rrule": "FREQ=WEEKLY;BYDAY=MO,WE", "start_time": "17:00", "end_time": "20:00",
                                  "skip_public_holidays": True}
            record["nationwide"] = True
        elif kind == "online_community":
            record["channels"] = [self.online(org)]
            record["nationwide"] = True
        else:
            record["channels"] = [self.in_person(org), self.online(org)]
            record["schedule_note"] = SCHEDULE_NOTES[2]
        if fee := self.fee():
            record["fee"] = fee
        if kind == "one_to_one" and rng.random() < 0.5:
            record["registration"] = self.registration(org, None)
        if status := self.status():
            record["status"] = status
        if not record.get("nationwide"):
            record["regions"] = [m.region]
        if rng.random() < 0.5:
            record["contact"] = self.contact(org)
        if org.coordinators and rng.random() < 0.4:
            record["contacts"] = [rng.choice(org.coordinators)]
        if rng.random() < 0.4:
            record["url"] = f"https://{org.domain}/palvelut/{kind.replace('_', '-')}"
        if rng.random() < 0.05:
            record["same_as"] = [f"tampere-peer-centre:paivystys-{rng.randrange(1, 50)}"]
        self.stamps(record, "services")
        return record

    def event(self, serial: int) -> Data:
        rng = self.rng
        kind = rng.choices(tuple(EVENT_NAMES), (20, 12, 10, 12, 16, 20, 10))[0]
        org = next(o for o in self.orgs if o.id == KELA_ID) if kind == "adaptation_course" and rng.random() < 0.5 \
            else self.pick_organiser()
        topic = org.topic if org.kind == "association" else rng.choice(TOPICS)
        start = self.day(dt.date(2026, 9, 1), dt.date(2027, 12, 15))
        stem = EVENT_NAMES[kind]
        record: Data = {
            "id": f"{kind.replace('_', '-')}-{start:%Y%m%d}-{serial:05d}",
            "kind": kind,
            "name": {language: f"{word} – {topic.label[language].lower()}"
                     for language, word in zip(("fi", "sv", "en"), stem, strict=True)},
            "organiser": org.id,
            "start_date": start.isoformat(),
        }
        if days := EVENT_DAYS.get(kind):
            record["end_date"] = (start + dt.timedelta(days=days - 1)).isoformat()
        if rng.random() < 0.8:
            start_time, end_time = self.times()
            record["start_time"] = start_time
            if rng.random() < 0.8:
                record["end_time"] = end_time
        if org.municipality.region == "ahvenanmaa":
            record["timezone"] = ALAND_ZONE
        if rng.random() < 0.3:
            others = [o.id for o in rng.sample(self.orgs, min(3, len(self.orgs))) if o.id != org.id]
            if others:
                record["co_organisers"] = others[:2]
        record["description"] = _text(
            f"{stem[0]} tarjoaa tietoa ja mahdollisuuden tavata muita, joilla on kokemusta samasta.",
            f"{stem[1]} ger information och en möjlighet att träffa andra med samma erfarenhet.",
            f"The {stem[2].lower()} offers information and a chance to meet others with the same experience.")
        if form := EVENT_FORMS.get(kind):
            record["support_forms"] = [form]
        audience = "prospective-peer-supporters" if kind == "volunteer_training" else rng.choice(AUDIENCES[:13]).id
        record["audiences"] = [audience]
        record["topics"] = [topic.id]
        if rng.random() < 0.1:
            record["languages"] = ["fi", "sv"]
        if rng.random() < 0.15:
            record["channels"] = [self.online(org)]
            record["nationwide"] = True
        else:
            record["channels"] = [self.in_person(org)]
            record["regions"] = [org.municipality.region]
        if kind in ("camp", "rehabilitation_course") or rng.random() < 0.1:
            record["fee"] = {"kind": "self_payment", "amount": rng.choice((30, 45, 60, 72.5)),
                             "announced_in_advance": True}
        if kind != "meeting" or rng.random() < 0.5:
            record["registration"] = self.registration(org, start)
        if rng.random() < 0.03:
            record["status"] = {"state": "suspended", "reason": rng.choice(SUSPENSION_REASONS)}
        if rng.random() < 0.4:
            record["contact"] = self.contact(org)
        if org.coordinators and rng.random() < 0.5:
            record["contacts"] = [rng.choice(org.coordinators)]
        if rng.random() < 0.5:
            record["url"] = f"https://{org.domain}/tapahtumat/{record['id']}"
        if rng.random() < 0.03:
            record["same_as"] = [f"muscular-disease-federation:koulutus-{rng.randrange(1, 40)}"]
        self.stamps(record, "events")
        return record


def generate(records: int, seed: int = 2026) -> dict[str, Any]:
    """A valid catalogue of about ``records`` records, the same for the same seed."""
    counts = plan(records)
    generator = _Generator(seed)
    organisations = generator.organisations(counts.organisations)
    places = generator.places_for(counts.places)
    # People first: groups, services and events name them as leaders and contacts.
    volunteers = [generator.volunteer(serial) for serial in range(1, counts.volunteers + 1)]
    coordinators = [generator.coordinator(serial) for serial in range(1, counts.coordinators + 1)]
    groups = [generator.group(serial) for serial in range(1, counts.groups + 1)]
    services = [generator.service(serial) for serial in range(1, counts.services + 1)]
    events = [generator.event(serial) for serial in range(1, counts.events + 1)]
    catalogue = {
        "source": SOURCE,
        "name": _text("Vertaistuki Suomessa – valtakunnallinen luettelo",
                      "Kamratstöd i Finland – riksomfattande förteckning",
                      "Peer support in Finland – national listing"),
        "publisher": FEDERATION_ID,
        "required_languages": ["fi", "sv"],
        "updated": PUBLISHED.isoformat(),
        "provenance": {"source": SOURCE, "location": f"https://{SOURCE}.example/catalogue.json",
                       "retrieved": f"{PUBLISHED.isoformat()}T03:00:00+02:00",
                       "last_modified": f"{PUBLISHED.isoformat()}T02:41:17+02:00"},
        "organisations": organisations,
        "places": places,
        "groups": groups,
        "services": services,
        "events": events,
        "volunteers": volunteers,
        "coordinators": coordinators,
        "terms": _terms(),
    }
    # The tables above are shared by many records; parsed JSON shares nothing, and a
    # benchmark that edits one record to inject a fault must not edit others with it.
    return json.loads(json.dumps(catalogue))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="about this many records in all (default 10000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    args = parser.parse_args(argv)
    data = generate(args.records, args.seed)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {name: len(data[name]) for name in COLLECTION_NAMES}
    print(f"{args.out}: {sum(counts.values())} records", ", ".join(f"{name} {count}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
