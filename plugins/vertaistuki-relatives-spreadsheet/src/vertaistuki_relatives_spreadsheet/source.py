"""Source ``relatives-spreadsheet``: the association's group list as its editors keep it.

Their spreadsheet has one row per group, Finnish column names of their own and the
meeting time as a phrase ("torstaisin klo 18–20"). Options:

- ``organiser`` (required): the organisation id the groups belong to;
- ``regions``: region ids given to every group (e.g. ``["uusimaa"]``).

Places are made from the Paikka/Osoite/Postinumero/Kunta columns, one per distinct
place. A row whose time phrase cannot be read is still imported, without a schedule,
and the phrase is reported so an editor can fix it.
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
_AMOUNT = re.compile(r"(\d+(?:[.,]\d{1,2})?)\s*(?:€|e\b|euroa)")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "ryhma"


def _fee(text: str) -> dict[str, Any]:
    lowered = text.lower()
    if not lowered or lowered in ("maksuton", "ilmainen", "0", "0 €"):
        return {}
    amount = _AMOUNT.search(lowered)
    fee: dict[str, Any] = {"kind": "self_payment", "announced_in_advance": True, "note": {"fi": text}}
    if amount:
        fee["amount"] = float(amount.group(1).replace(",", "."))
    return fee


def _row_to_records(row: dict[str, str], organiser: str, regions: list[str]) -> tuple[dict, dict | None, list[tuple[str, str, str]]]:
    """One row → (group, place or None, [(field, fi, en) problems])."""
    cell = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
    name = cell.get("ryhmä", "")
    group: dict[str, Any] = {"id": slug(name), "name": {"fi": name} if name else None, "organiser": organiser,
                             "openness": OPENNESS.get(cell.get("avoin", "avoin").lower(), "open")}
    problems = []
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
            problems.append(("schedule", error.fi, error.en))
            group["schedule_note"] = {"fi": cell["aika"]}
        else:
            schedule: dict[str, Any] = {"rrule": parsed.rrule, "start_time": parsed.start_time}
            if parsed.end_time:
                schedule["end_time"] = parsed.end_time
            if parsed.skip_public_holidays:
                schedule["skip_public_holidays"] = True
            if cell.get("kausi alkaa") and cell.get("kausi päättyy"):
                schedule["season"] = {"start": _iso_date(cell["kausi alkaa"]), "end": _iso_date(cell["kausi päättyy"])}
            group["schedule"] = schedule
    place = None
    if cell.get("paikka"):
        municipality = cell.get("kunta") or "?"
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


OPTIONS = {"organiser": option_checks.record_reference, "regions": option_checks.texts}


def read_spreadsheet(request: SourceRequest) -> SourceOutput:
    label = request.path_or_url
    option_checks.check("relatives-spreadsheet", request.options, OPTIONS)  # the build reports a mistake
    organiser = request.options.get("organiser")
    if organiser is None:
        raise option_checks.OptionError("option organiser is missing: the id of the organising association",
                                        "asetus organiser puuttuu: järjestävän yhdistyksen tunniste", "organiser")
    try:
        text = Path(label).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem.error(label, "$", f"taulukkoa ei voi lukea: {error}", f"the spreadsheet cannot be read: {error}",
                                code="source_failed")
        return SourceOutput(data={}, problems=(problem,))
    groups: list[dict] = []
    places: dict[str, dict] = {}
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
        group, place, row_problems = _row_to_records(row, organiser, list(request.options.get("regions", [])))
        index = len(groups)
        for field, fi, en in row_problems:
            problems.append(Problem.warning(label, f"$.groups[{index}].{field}", f"rivi {row_number}: {fi}",
                                            f"row {row_number}: {en}", record_id=group["id"], code="schedule_phrase"))
        groups.append(group)
        pointers[("groups", index)] = f"row {row_number}"
        if place is not None and place["id"] not in places:
            pointers[("places", len(places))] = f"row {row_number}"
            places[place["id"]] = place
    return SourceOutput(data={"groups": groups, "places": list(places.values())}, pointers=pointers, problems=tuple(problems))


@hookimpl
def register_sources(register):
    register(Source(
        name="relatives-spreadsheet",
        read=read_spreadsheet,
        description="The relatives' association's group sheet: own column names, times like 'torstaisin klo 18–20'.",
        suffixes=(),
        options=OPTIONS,
    ))
