"""Source ``relatives-spreadsheet``: the association's group list as its editors keep it.

Their spreadsheet has one row per group, Finnish column names of their own and the
meeting time as a phrase ("torstaisin klo 18–20"). Options:

- ``organiser`` (required): the organisation id the groups belong to;
- ``regions``: region ids given to every group (e.g. ``["uusimaa"]``);
- ``places``: the sheet's place names that are places the catalogue already has, by
  their ids (``{ "Omaistalo" = "omaistalo" }``): such a row meets there, with the
  place's own names in every language, rather than in a copy made from the sheet.

Other places are made from the Paikka/Osoite/Postinumero/Kunta columns, one per
distinct place and town. A row whose time phrase cannot be read is still imported,
without a schedule, and the phrase is reported so an editor can fix it; so is a cell
that is not understood (an Avoin cell that is neither open nor closed, a place without
its town, two addresses for one place), and two groups of one name get the town, or
failing that the row, in their ids.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from vertaistuki import options as option_checks
from vertaistuki.default_plugins.csv_source import delimiter_of
from vertaistuki.hookspecs import hookimpl
from vertaistuki.problems import Problem
from vertaistuki.registry import Source, SourceOutput, SourceRequest

from .phrases import PhraseError, parse_phrase

FACILITATION = {
    "vertaiset": "peer_convener", "kokoonkutsuja": "peer_convener",
    "vertaisohjaaja": "trained_volunteer", "koulutettu vertaisohjaaja": "trained_volunteer",
    "ammattilainen": "professional", "työntekijä": "professional",
}
#: The sheet's columns (any case), as _row_to_records reads them.
COLUMNS = frozenset({"ryhmä", "kuvaus", "kohderyhmä", "aika", "kausi alkaa", "kausi päättyy", "paikka", "osoite",
                     "postinumero", "kunta", "ohjaaja", "avoin", "maksu", "ilmoittautuminen"})
OPENNESS = {"avoin": "open", "kyllä": "open", "suljettu": "closed", "ei": "closed"}
_FIRST_WORD = re.compile(r"[a-zåäö]+")
# What a fee cell says besides its note: the kind of fee and the amount ("omavastuu 2 €").
_FEE_WORDS = re.compile(r"\b(?:omavastuu(?:osuus)?|maksu|hinta)\b|(\d+(?:[.,]\d{1,2})?)\s*(?:€|e\b|euroa)", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d+(?:[.,]\d{1,2})?)\s*(?:€|e\b|euroa)")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "ryhma"


def _fee(text: str) -> dict[str, Any]:
    lowered = text.lower()
    if not lowered or lowered in ("maksuton", "ilmainen", "0", "0 €"):
        return {}
    amount = _AMOUNT.search(lowered)
    fee: dict[str, Any] = {"kind": "self_payment", "announced_in_advance": True}
    if amount:
        fee["amount"] = float(amount.group(1).replace(",", "."))
    # The note is what the cell says besides the kind and the amount, which the listing
    # shows itself: "omavastuu 2 € (kahvi)" is 2 € with the note "kahvi".
    note = re.sub(r"[\s()]+", " ", _FEE_WORDS.sub(" ", text)).strip(" [],.;:-–/") if amount else text
    if note:
        fee["note"] = {"fi": note}
    return fee


def _noted(field: str, fi: str, en: str, code: str = "relatives_spreadsheet.unclear_cell") -> tuple[str, str, str, str]:
    """A row's problem: the field, what is wrong in Finnish and English, and its code."""
    return field, fi, en, code


def _row_to_records(row: dict[str, str], organiser: str, regions: list[str],
                    known_places: dict[str, str] | None = None) -> tuple[dict, dict | None, list[tuple[str, str, str, str]]]:
    """One row → (group, place or None, [(field, fi, en, code) problems]). A place named
    in ``known_places`` (sheet name, any case → id) is the catalogue's own."""
    cell = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
    name = cell.get("ryhmä", "")
    problems = []
    written = cell.get("avoin", "") or "avoin"
    first = _FIRST_WORD.match(written.lower())
    openness = OPENNESS.get(first.group(0)) if first else None  # "Suljettu ryhmä", "suljettu, ilmoittaudu"
    if openness is None:
        openness = "open"
        problems.append(_noted("openness", f"Avoin-sarakkeen arvoa {written!r} ei ymmärretty (avoin tai suljettu); ryhmä luettiin avoimeksi",
                         f"the Avoin cell {written!r} was not understood (avoin or suljettu); the group was read as open"))
    group: dict[str, Any] = {"id": slug(name), "name": {"fi": name} if name else None, "organiser": organiser,
                             "openness": openness}
    if cell.get("kuvaus"):
        group["description"] = {"fi": cell["kuvaus"]}
    if cell.get("kohderyhmä"):
        group["audiences"] = [slug(part) for part in cell["kohderyhmä"].split(",") if part.strip()]
    if regions:
        group["regions"] = regions
    facilitation = FACILITATION.get(cell.get("ohjaaja", "").lower())
    if facilitation:
        group["facilitation"] = {"kind": facilitation}
    fee = _fee(cell.get("maksu", ""))
    if fee:
        group["fee"] = fee
    if cell.get("ilmoittautuminen"):
        group["registration"] = {"required": True, "instructions": {"fi": cell["ilmoittautuminen"]}}
    if cell.get("aika"):
        try:
            parsed = parse_phrase(cell["aika"])
        except PhraseError as error:
            problems.append(_noted("schedule", error.fi, error.en, code="schedule_phrase"))
            group["schedule_note"] = {"fi": cell["aika"]}
        else:
            schedule: dict[str, Any] = {"rrule": parsed.rrule, "start_time": parsed.start_time}
            if parsed.end_time:
                schedule["end_time"] = parsed.end_time
            if parsed.skip_public_holidays:
                schedule["skip_public_holidays"] = True
            if cell.get("kausi alkaa") and cell.get("kausi päättyy"):
                schedule["season"] = {"start": _iso_date(cell["kausi alkaa"]), "end": _iso_date(cell["kausi päättyy"])}
            if "INTERVAL=" in parsed.rrule and "season" not in schedule:
                # "joka toinen tiistai" is counted from a first day: without the season's
                # start nobody can tell which Tuesdays, so the phrase stays as words.
                problems.append(_noted(
                    "schedule", f"aika {cell['aika']!r} on joka toinen viikko, mutta kauden alkua ei ole (Kausi alkaa): "
                    "ei tiedetä, minä viikkoina ryhmä kokoontuu, joten aika näytetään tekstinä",
                    f"the time {cell['aika']!r} is every other week, but the season has no start (Kausi alkaa): which "
                    "weeks the group meets is not known, so the time is shown as words", code="schedule_phrase"))
                group["schedule_note"] = {"fi": cell["aika"]}
            else:
                group["schedule"] = schedule
    place = None
    known = (known_places or {}).get(cell.get("paikka", "").lower())
    if known is not None:
        group["channels"] = [{"kind": "in_person", "place": known}]
    elif cell.get("paikka") and not cell.get("kunta"):
        problems.append(_noted("channels", f"paikalta {cell['paikka']!r} puuttuu kunta, joten paikka jätettiin pois",
                         f"the place {cell['paikka']!r} has no town (Kunta), so the place was left out"))
    elif cell.get("paikka"):
        municipality = cell["kunta"]
        place = {"id": slug(f"{cell['paikka']} {municipality}"), "name": {"fi": cell["paikka"]},
                 "municipality": {"fi": municipality}}
        if cell.get("osoite"):
            place["street_address"] = {"fi": cell["osoite"]}
        if cell.get("postinumero"):
            place["postal_code"] = cell["postinumero"]
        group["channels"] = [{"kind": "in_person", "place": place["id"]}]
    return group, place, problems


def _iso_date(text: str) -> str:
    """'14.1.2019' → '2019-01-14'; anything else is passed on for the schema to judge."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text.strip())
    return f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}" if match else text


def _place_ids(value: Any) -> tuple[str, str] | None:
    """The ``places`` option: sheet place names to the ids of the catalogue's places."""
    if isinstance(value, dict) and all(isinstance(name, str) and option_checks.record_reference(place) is None
                                       for name, place in value.items()):
        return None
    shown = option_checks.shown(value)
    return (f'paikkojen nimet ja tunnisteet, esimerkiksi {{ "Omaistalo" = "omaistalo" }}, ei {shown}',
            f'place names and their ids, such as {{ "Omaistalo" = "omaistalo" }}, not {shown}')


OPTIONS = {"organiser": option_checks.record_reference, "regions": option_checks.texts, "places": _place_ids}


def read_spreadsheet(request: SourceRequest) -> SourceOutput:
    label = request.path_or_url
    option_checks.check("relatives-spreadsheet", request.options, OPTIONS)  # the build reports a mistake
    organiser = request.options.get("organiser")
    if organiser is None:
        raise option_checks.OptionError("option organiser is missing: the id of the organising association",
                                        "asetus organiser puuttuu: järjestävän yhdistyksen tunniste", "organiser")
    try:
        text = Path(label).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = Problem.error(label, "$", "taulukko ei ole UTF-8-merkistöä; valitse tallennettaessa 'CSV UTF-8'",
                                "the spreadsheet is not UTF-8; choose 'CSV UTF-8' when saving", code="not_utf8")
        return SourceOutput(data={}, problems=(problem,))
    except OSError as error:
        problem = Problem.error(label, "$", f"taulukkoa ei voi lukea: {error}", f"the spreadsheet cannot be read: {error}",
                                code="source_failed")
        return SourceOutput(data={}, problems=(problem,))
    known_places = {name.strip().lower(): place for name, place in request.options.get("places", {}).items()}
    used_ids: set[str] = set()
    groups: list[dict] = []
    places: dict[str, dict] = {}
    place_rows: dict[str, int] = {}
    pointers: dict[tuple[str, int], str] = {}
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel, delimiter=delimiter_of(text))
    for header in reader.fieldnames or ():
        name = (header or "").strip()
        if name and name.lower() not in COLUMNS:  # its values would be left out without a word
            hint_fi, hint_en = option_checks.did_you_mean(option_checks.nearest(name.lower(), COLUMNS))
            problems.append(Problem.warning(label, "$", f"rivi 1: tuntematon sarake {name!r}{hint_fi}: sen arvot jätettiin pois",
                                            f"row 1: unknown column {name!r}{hint_en}: its values were left out",
                                            code="csv_unknown_column"))
    for row_number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values()):
            continue
        group, place, row_problems = _row_to_records(row, organiser, list(request.options.get("regions", [])), known_places)
        if group["id"] in used_ids:  # two groups of one name (in two towns): ids of their own, not a clash
            town = slug(str(row.get("Kunta") or row.get("kunta") or ""))
            group["id"] = f"{group['id']}-{town}" if town and f"{group['id']}-{town}" not in used_ids else f"{group['id']}-rivi-{row_number}"
        used_ids.add(group["id"])
        index = len(groups)
        if place is not None and place["id"] in places and _address(places[place["id"]]) != _address(place):
            row_problems.append(_noted("channels", f"paikalla {place['name']['fi']!r} on jo toinen osoite rivillä {place_rows[place['id']]}; "
                                 "käytettiin sitä", f"the place {place['name']['fi']!r} already has another address on row "
                                 f"{place_rows[place['id']]}; that one was used"))
        for field, fi, en, code in row_problems:
            problems.append(Problem.warning(label, f"$.groups[{index}].{field}", f"rivi {row_number}: {fi}",
                                            f"row {row_number}: {en}", record_id=group["id"], code=code))
        groups.append(group)
        pointers[("groups", index)] = f"row {row_number}"
        if place is not None and place["id"] not in places:
            pointers[("places", len(places))] = f"row {row_number}"
            places[place["id"]] = place
            place_rows[place["id"]] = row_number
    if not groups:
        problems.append(Problem.warning(label, "$", "taulukossa ei ole yhtään ryhmää", "the spreadsheet has no groups",
                                        code="relatives_spreadsheet.no_groups"))
    return SourceOutput(data={"groups": groups, "places": list(places.values())}, pointers=pointers, problems=tuple(problems))


def _address(place: dict) -> tuple:
    return place.get("street_address"), place.get("postal_code")


@hookimpl
def register_sources(register):
    register(Source(
        name="relatives-spreadsheet",
        read=read_spreadsheet,
        description="The relatives' association's group sheet: own column names, times like 'torstaisin klo 18–20'.",
        suffixes=(),
        options=OPTIONS,
    ))
