"""Flat, spreadsheet-shaped views of catalogue records: one column list per entity.

The same column specifications drive the CSV renderer (records → rows) and the CSV
source (rows → records), so a spreadsheet exported by one is read back by the other.
Columns are addressed by a path into a record's file form (what the converter writes),
with a few virtual columns for channels, which a spreadsheet keeps one per kind.
Headers exist in English and Finnish; either is accepted on reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .options import nearest

LIST_SEPARATOR = ";"
_TRUE = {"true", "yes", "kyllä", "kylla", "x", "1", "ja", "sant"}
_FALSE = {"false", "no", "ei", "0", "", "nej", "falskt"}

#: Spreadsheet editors write codes in Finnish too; these are read as the English codes.
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "openness": {"avoin": "open", "suljettu": "closed", "öppen": "open", "sluten": "closed"},
    "fee.kind": {"maksuton": "free", "ilmainen": "free", "omavastuu": "self_payment", "jäsenmaksu": "membership"},
    "status.state": {"käynnissä": "active", "aktiivinen": "active", "keskeytetty": "suspended", "tauolla": "suspended",
                     "päättynyt": "ended"},
}


@attrs.frozen
class Column:
    """One spreadsheet column. ``path`` points into the record's file form;
    ``kind`` is text, list, bool, or one of the virtual channel kinds."""

    path: tuple[str, ...]
    en: str
    fi: str
    kind: str = "text"
    #: What the cell says when the file form leaves the field out because it holds the
    #: model's default ("free", "false"): a reader of the spreadsheet cannot tell an empty
    #: cell from "not known". Only where the field's parent is there, unless
    #: ``parent_defaults`` (a fee or status left out is the default fee or status).
    default: str | None = None
    parent_defaults: bool = False


def _text_columns(field: str, fi: str) -> list[Column]:
    return [Column((field, lang), f"{field}_{lang}", f"{fi}_{lang}") for lang in ("fi", "sv", "en")]


def _activity_columns() -> list[Column]:
    """Columns shared by groups, services and events."""
    return [
        Column(("organiser",), "organiser", "järjestäjä"),
        *_text_columns("description", "kuvaus"),
        Column(("audiences",), "audiences", "kohderyhmät", "list"),
        Column(("topics",), "topics", "aiheet", "list"),
        Column(("support_forms",), "support_forms", "tukimuodot", "list"),
        Column(("languages",), "languages", "kielet", "list"),
        Column(("regions",), "regions", "alueet", "list"),
        Column(("nationwide",), "nationwide", "valtakunnallinen", "bool", default="false"),
        Column(("channels",), "place", "paikka", "in_person"),
        Column(("channels",), "online_url", "verkko-osoite", "online"),
        Column(("channels",), "phone", "puhelin", "phone"),
        Column(("fee", "kind"), "fee", "maksu", default="free", parent_defaults=True),
        Column(("fee", "amount"), "fee_amount", "hinta", "number"),
        Column(("fee", "note", "fi"), "fee_note_fi", "maksu_lisätieto_fi"),
        Column(("registration", "required"), "registration_required", "ilmoittautuminen", "bool", default="false"),
        Column(("registration", "instructions", "fi"), "registration_fi", "ilmoittautumisohje_fi"),
        Column(("registration", "email"), "registration_email", "ilmoittautuminen_sähköposti"),
        Column(("registration", "phone"), "registration_phone", "ilmoittautuminen_puhelin", "phone_number"),
        Column(("registration", "url"), "registration_url", "ilmoittautuminen_verkossa"),
        Column(("registration", "deadline"), "registration_deadline", "ilmoittautuminen_viimeistään"),
        Column(("status", "state"), "status", "tila", default="active", parent_defaults=True),
        Column(("status", "reason", "fi"), "status_reason_fi", "tilan_syy_fi"),
        Column(("status", "reason", "sv"), "status_reason_sv", "tilan_syy_sv"),
        Column(("status", "reason", "en"), "status_reason_en", "tilan_syy_en"),
        Column(("status", "until"), "status_until", "tila_asti"),
        Column(("contact", "email"), "contact_email", "yhteys_sähköposti"),
        Column(("contact", "phone"), "contact_phone", "yhteys_puhelin", "phone_number"),
        Column(("url",), "url", "verkkosivu"),
        Column(("updated",), "updated", "päivitetty"),
    ]


def _schedule_columns() -> list[Column]:
    return [
        Column(("schedule", "rrule"), "rrule", "toistuvuus"),
        Column(("schedule", "start_time"), "start_time", "alkaa_klo"),
        Column(("schedule", "end_time"), "end_time", "päättyy_klo"),
        Column(("schedule", "season", "start"), "season_start", "kausi_alkaa"),
        Column(("schedule", "season", "end"), "season_end", "kausi_päättyy"),
        Column(("schedule", "skip_public_holidays"), "skip_public_holidays", "ei_pyhäpäivinä", "bool", default="false"),
        *_text_columns("schedule_note", "aikataulu_lisätieto"),
    ]


COLUMNS: dict[str, list[Column]] = {
    "groups": [
        Column(("id",), "id", "tunniste"),
        *_text_columns("name", "nimi"),
        Column(("openness",), "openness", "avoimuus"),
        Column(("facilitation", "kind"), "facilitation", "ohjaus"),
        Column(("activities",), "activities", "toimintamuodot", "list"),
        Column(("staff_sometimes_present",), "staff_sometimes_present", "työntekijä_joskus_mukana", "bool", default="false"),
        Column(("guest_lecturers",), "guest_lecturers", "vierailevat_luennoitsijat", "bool", default="false"),
        *_schedule_columns(),
        *_activity_columns(),
    ],
    "services": [
        Column(("id",), "id", "tunniste"),
        Column(("kind",), "kind", "laji"),
        *_text_columns("name", "nimi"),
        Column(("arrangement",), "arrangement", "järjestely"),
        *_schedule_columns(),
        *_activity_columns(),
    ],
    "events": [
        Column(("id",), "id", "tunniste"),
        Column(("kind",), "kind", "laji"),
        *_text_columns("name", "nimi"),
        Column(("start_date",), "start_date", "alkupäivä"),
        Column(("end_date",), "end_date", "loppupäivä"),
        Column(("start_time",), "start_time", "alkaa_klo"),
        Column(("end_time",), "end_time", "päättyy_klo"),
        *_activity_columns(),
    ],
    "organisations": [
        Column(("id",), "id", "tunniste"),
        *_text_columns("name", "nimi"),
        Column(("kind",), "kind", "laji"),
        Column(("business_id",), "business_id", "y-tunnus"),
        Column(("parent",), "parent", "ylläpitäjä"),
        Column(("member_of",), "member_of", "jäsenenä", "list"),
        Column(("volunteer_run",), "volunteer_run", "vapaaehtoisvoimin", "bool", default="false"),
        Column(("participation_free",), "participation_free", "osallistuminen_maksutonta", "bool", default="false"),
        *_text_columns("funding", "rahoitus"),
        Column(("regions",), "regions", "alueet", "list"),
        Column(("contact", "email"), "contact_email", "yhteys_sähköposti"),
        Column(("contact", "phone"), "contact_phone", "yhteys_puhelin", "phone_number"),
        Column(("url",), "url", "verkkosivu"),
    ],
    "places": [
        Column(("id",), "id", "tunniste"),
        *_text_columns("name", "nimi"),
        Column(("street_address", "fi"), "street_address", "katuosoite"),
        Column(("postal_code",), "postal_code", "postinumero"),
        *_text_columns("municipality", "kunta"),
        Column(("coordinates", "latitude"), "latitude", "leveysaste", "number"),
        Column(("coordinates", "longitude"), "longitude", "pituusaste", "number"),
        Column(("accessibility", "step_free_entrance"), "step_free_entrance", "esteetön_sisäänkäynti", "bool"),
        Column(("accessibility", "elevator"), "elevator", "hissi", "bool"),
        Column(("accessibility", "accessible_toilet"), "accessible_toilet", "esteetön_wc", "bool"),
        Column(("accessibility", "induction_loop"), "induction_loop", "induktiosilmukka", "bool"),
        Column(("accessibility", "note", "fi"), "accessibility_fi", "esteettömyys_fi"),
    ],
    "volunteers": [
        Column(("id",), "id", "tunniste"),
        Column(("organisation",), "organisation", "organisaatio"),
        Column(("roles",), "roles", "tehtävät", "list"),
        Column(("confidentiality_pledge",), "confidentiality_pledge", "vaitiololupaus", "bool", default="false"),
        Column(("training", "name", "fi"), "training_fi", "koulutus_fi"),
        Column(("regions",), "regions", "alueet", "list"),
        Column(("personal", "name", "value"), "name", "nimi"),
        Column(("personal", "home_municipality", "value"), "home_municipality", "kotikunta"),
        Column(("personal", "phone", "value"), "phone", "puhelin", "phone_number"),
        Column(("personal", "email", "value"), "email", "sähköposti"),
        Column(("personal", "testimonial", "value", "fi"), "testimonial_fi", "kokemus_fi"),
    ],
    "coordinators": [
        Column(("id",), "id", "tunniste"),
        Column(("organisation",), "organisation", "organisaatio"),
        *_text_columns("title", "tehtävänimike"),
        Column(("office", "fi"), "office_fi", "toimipiste_fi"),
        Column(("regions",), "regions", "alueet", "list"),
        Column(("personal", "name", "value"), "name", "nimi"),
        Column(("personal", "phone", "value"), "phone", "puhelin", "phone_number"),
        Column(("personal", "email", "value"), "email", "sähköposti"),
    ],
}

_CHANNEL_FIELD = {"in_person": "place", "online": "url", "phone": "phone"}


def _dig(data: Any, path: Iterable[str]) -> Any:
    for key in path:
        # A plain dict first: the Mapping check goes through the ABC machinery, and
        # every cell of a national export asks it.
        if not (type(data) is dict or isinstance(data, Mapping)) or key not in data:
            return None
        data = data[key]
    return data


def cell_value(record_data: Mapping[str, Any], column: Column, phone_format: Callable[[str], str] = str) -> str:
    """The text a spreadsheet cell shows for one record (its file form)."""
    if column.kind in _CHANNEL_FIELD:
        channels = [c for c in record_data.get("channels", ()) if c.get("kind") == column.kind]
        # An online channel may have only joining instructions, no address.
        values = [c[_CHANNEL_FIELD[column.kind]] for c in channels if _CHANNEL_FIELD[column.kind] in c]
        if column.kind == "phone":
            values = [phone_format(v) for v in values]
        return LIST_SEPARATOR.join(values)
    value = _dig(record_data, column.path)
    if value is None:
        if column.default is not None and (column.parent_defaults or len(column.path) == 1
                                           or _dig(record_data, column.path[:-1]) is not None):
            return column.default
        return ""
    if column.kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value)
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "phone_number":
        return phone_format(value)
    return str(value)


def _set(data: dict, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


class CellError(ValueError):
    def __init__(self, column: Column, fi: str, en: str) -> None:
        super().__init__(en)
        self.column, self.fi, self.en = column, fi, en


#: Columns the csv renderer adds for people, English → Finnish header: a record's stable
#: id, and its schedule and status in words. The csv source knows them and leaves them
#: unread, since the coded columns hold the same facts.
FOR_PEOPLE = {"stable_id": "pysyvä_tunniste", "schedule_text": "aikataulu", "status_text": "tila_sanoin"}


def unknown_headers(collection: str, headers: Iterable[str | None]) -> list[tuple[str, str | None]]:
    """The headers no column of ``collection`` has (in English or Finnish, in any case),
    each with the nearest header that it does have (or None): their cells would be left
    out without a word, and a misspelt header loses a whole column of the editor's work."""
    known = {name.lower(): name for column in COLUMNS[collection] for name in (column.en, column.fi)}
    found = []
    for header in headers:
        name = (header or "").strip()
        if name and name.lower() not in known and name.lower() not in {*FOR_PEOPLE, *FOR_PEOPLE.values()}:
            near = nearest(name.lower(), known)
            found.append((name, known[near] if near else None))
    return found


def record_from_row(collection: str, row: Mapping[str, str]) -> tuple[dict[str, Any], list[CellError]]:
    """Build a record's file form from one spreadsheet row keyed by (either) header.

    Empty cells are left out, so defaults apply; what cannot be read is returned as
    CellErrors naming the column, and the rest of the row is still used.
    """
    data: dict[str, Any] = {}
    errors: list[CellError] = []
    by_header = {header.strip().lower(): value for header, value in row.items() if header is not None}
    for column in COLUMNS[collection]:
        raw = by_header.get(column.en.lower(), by_header.get(column.fi.lower()))
        if raw is None or not str(raw).strip():
            continue
        text = str(raw).strip()
        dotted = ".".join(column.path)
        if column.kind in _CHANNEL_FIELD:
            channels = data.setdefault("channels", [])
            channels.extend({"kind": column.kind, _CHANNEL_FIELD[column.kind]: part.strip()}
                            for part in text.split(LIST_SEPARATOR) if part.strip())
        elif column.kind == "list":
            _set(data, column.path, [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()])
        elif column.kind == "bool":
            lowered = text.lower()
            if lowered not in _TRUE | _FALSE:
                errors.append(CellError(column, f"sarakkeessa {column.fi} pitää olla kyllä tai ei, nyt {text!r}",
                                        f"column {column.en} must be yes or no, got {text!r}"))
                continue
            _set(data, column.path, lowered in _TRUE)
        elif column.kind == "number":
            try:
                number = float(text.replace(",", ".").replace("€", "").strip())
            except ValueError:
                errors.append(CellError(column, f"sarakkeessa {column.fi} pitää olla luku, nyt {text!r}",
                                        f"column {column.en} must be a number, got {text!r}"))
                continue
            _set(data, column.path, int(number) if number.is_integer() else number)
        else:
            _set(data, column.path, VALUE_ALIASES.get(dotted, {}).get(text.lower(), text))
    return data, errors
