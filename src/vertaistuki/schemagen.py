"""Generate the published JSON Schemas in ``schemas/`` from the attrs models.

The models are the single description of the data; this module adds what a schema
needs beyond Python types (id patterns, URL schemes, formats, ranges). A test checks
that the committed ``schemas/`` equal what this module generates, so the contract can
never drift from the code. Regenerate with ``python -m vertaistuki.schemagen``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
import types
import typing
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import attrs

from . import model as m

BASE = "https://vertaistuki.fi/schemas/v1/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Which file (entity) and which definition each model class is published as.
PLACEMENT: dict[type, tuple[str, str | None]] = {
    m.Catalogue: ("catalogue", None),
    m.Organisation: ("organisation", None),
    m.Place: ("place", None),
    m.Coordinates: ("place", "coordinates"),
    m.Accessibility: ("place", "accessibility"),
    m.InPersonChannel: ("channel", "in_person"),
    m.OnlineChannel: ("channel", "online"),
    m.PhoneChannel: ("channel", "phone"),
    m.Group: ("group", None),
    m.Facilitation: ("group", "facilitation"),
    m.Service: ("service", None),
    m.Event: ("event", None),
    m.Schedule: ("schedule", None),
    m.Season: ("schedule", "season"),
    m.ScheduleException: ("schedule", "exception"),
    m.Volunteer: ("volunteer", None),
    m.Training: ("volunteer", "training"),
    m.PersonalDetails: ("volunteer", "personal_details"),
    m.Consent: ("volunteer", "consent"),
    m.Coordinator: ("coordinator", None),
    m.Term: ("term", None),
    m.Contact: ("common", "contact"),
    m.Fee: ("common", "fee"),
    m.Registration: ("common", "registration"),
    m.Status: ("common", "status"),
    m.Provenance: ("common", "provenance"),
}

COMMON_DEFS: dict[str, dict[str, Any]] = {
    "text": {
        "description": "Text in one or more languages, keyed by BCP 47 language tag (fi, sv, en, se, …).",
        "type": "object", "minProperties": 1,
        "propertyNames": {"$ref": "#/$defs/language_tag"},
        "additionalProperties": {"type": "string", "minLength": 1, "pattern": "\\S"},
    },
    "language_tag": {"description": "A BCP 47 language tag such as fi, sv, en, se (Northern Sámi) or fse (Finnish Sign Language).",
                     "type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
    "record_id": {"description": "A record id: lower-case a–z, digits, - _ . ; optionally qualified by a catalogue source (source:id).",
                  "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,79}(:[a-z0-9][a-z0-9._-]{0,79})?$"},
    "source_id": {"description": "A catalogue's source name, which namespaces its record ids.",
                  "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,79}$"},
    "date": {"type": "string", "format": "date", "description": "A calendar date, YYYY-MM-DD."},
    "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
             "description": "A local wall-clock time, HH:MM."},
    "date_time": {"type": "string", "format": "date-time", "description": "An instant, ISO 8601 with an offset."},
    "web_url": {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
                "description": "An http(s) address; no other scheme may become a link."},
    "email": {"type": "string", "format": "email"},
    "phone": {"type": "string", "pattern": "^\\+?[0-9][0-9 ()/-]{4,24}$",
              "description": "A phone number as written in Finland (040 754 9716) or in international form."},
    "business_id": {"type": "string", "pattern": "^[0-9]{7}-[0-9]$",
                    "description": "Finnish business id (Y-tunnus), 1234567-8; the check digit is verified too."},
    "rrule": {"type": "string", "pattern": "^(RRULE:)?FREQ=(WEEKLY|MONTHLY)(;[A-Z]+=[A-Z0-9,+-]+)*$",
              "description": "A restricted RFC 5545 rule: FREQ WEEKLY or MONTHLY, INTERVAL, BYDAY (with ordinals), COUNT or UNTIL."},
}

ID_REF_FIELDS = {"id", "organiser", "place", "parent", "organisation", "publisher"}
ID_LIST_FIELDS = {"member_of", "leaders", "contacts", "co_organisers", "audiences", "topics", "activities", "regions",
                  "support_forms"}
LANGUAGE_LIST_FIELDS = {"languages", "required_languages"}
NEWTYPES = {m.PhoneNumber: "phone", m.WebUrl: "web_url", m.Email: "email"}
SPECIAL: dict[tuple[type, str], dict[str, Any]] = {
    (m.Catalogue, "source"): {"$ref": "common.schema.json#/$defs/source_id"},
    (m.Catalogue, "format"): {"const": m.FORMAT},
    (m.Organisation, "business_id"): {"$ref": "common.schema.json#/$defs/business_id"},
    (m.Organisation, "founded"): {"type": "integer", "minimum": 1800, "maximum": 2100},
    (m.Schedule, "rrule"): {"$ref": "common.schema.json#/$defs/rrule"},
    (m.Schedule, "timezone"): {"type": "string", "minLength": 1, "description": "IANA time zone, default Europe/Helsinki."},
    (m.Event, "timezone"): {"type": "string", "minLength": 1},
    (m.Place, "postal_code"): {"type": "string", "pattern": "^[0-9]{5}$"},
    (m.Coordinates, "latitude"): {"type": "number", "minimum": -90, "maximum": 90},
    (m.Coordinates, "longitude"): {"type": "number", "minimum": -180, "maximum": 180},
    (m.Fee, "amount"): {"type": "number", "minimum": 0, "description": "Euros."},
    (m.Term, "vocabulary"): {"enum": list(m.VOCABULARIES)},
}


def _ref(cls: type, from_file: str) -> dict[str, Any]:
    file, definition = PLACEMENT[cls]
    target = "" if file == from_file else f"{file}.schema.json"
    pointer = f"#/$defs/{definition}" if definition else "#"
    return {"$ref": f"{target}{pointer}" if target or definition else "#"}


def _common(name: str, from_file: str) -> dict[str, Any]:
    return {"$ref": ("" if from_file == "common" else "common.schema.json") + f"#/$defs/{name}"}


def _schema_for(tp: Any, owner: type, field: str, from_file: str) -> dict[str, Any]:
    if (owner, field) in SPECIAL:
        return SPECIAL[(owner, field)]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        inner = _schema_for(options[0], owner, field, from_file) if len(options) == 1 else _channel(from_file)
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in typing.get_args(tp) else inner
    if origin is tuple:
        item = typing.get_args(tp)[0]
        if field in ID_LIST_FIELDS:
            items = _common("record_id", from_file)
        elif field in LANGUAGE_LIST_FIELDS:
            items = _common("language_tag", from_file)
        else:
            items = _schema_for(item, owner, field, from_file)
        return {"type": "array", "items": items}
    if tp is m.Channel or (origin is None and tp == m.Channel):
        return _channel(from_file)
    if origin is m.Consented:
        value = _schema_for(typing.get_args(tp)[0], owner, field, from_file)
        return {"type": "object", "properties": {"value": value, "consent": _ref(m.Consent, from_file)},
                "required": ["value"], "additionalProperties": False,
                "description": "A personal detail and the person's recorded consent to publish it."}
    if tp in NEWTYPES:
        return _common(NEWTYPES[tp], from_file)
    if tp is m.Text:
        return _common("text", from_file)
    if tp is dt.date:
        return _common("date", from_file)
    if tp is dt.time:
        return _common("time", from_file)
    if tp is dt.datetime:
        return _common("date_time", from_file)
    if tp is Decimal:
        return {"type": "number"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if inspect.isclass(tp) and issubclass(tp, Enum):
        return {"enum": [member.value for member in tp]}
    if tp is str:
        if field in ID_REF_FIELDS:
            return _common("record_id", from_file)
        return {"type": "string", "minLength": 1}
    if attrs.has(tp):
        return _ref(tp, from_file)
    raise TypeError(f"no schema for {tp!r} ({owner.__name__}.{field})")


def _channel(from_file: str) -> dict[str, Any]:
    return {"$ref": ("" if from_file == "channel" else "channel.schema.json") + "#"}


def _description(cls: type) -> str:
    doc = inspect.getdoc(cls) or cls.__name__
    return " ".join(doc.split("\n\n")[0].split())


def object_schema(cls: type, from_file: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    properties: dict[str, Any] = {}
    if cls in (m.InPersonChannel, m.OnlineChannel, m.PhoneChannel):
        properties["kind"] = {"const": cls.kind.value}
    for field in attrs.fields(cls):
        properties[field.name] = _schema_for(hints[field.name], cls, field.name, from_file)
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    if "kind" in properties and cls in (m.InPersonChannel, m.OnlineChannel, m.PhoneChannel):
        required = ["kind", *required]
    schema: dict[str, Any] = {"type": "object", "description": _description(cls), "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def generate() -> dict[str, dict[str, Any]]:
    """File name → schema document, for every entity."""
    files: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(file for file, _ in PLACEMENT.values()):
        files[name] = {"$schema": DRAFT, "$id": f"{BASE}{name}.schema.json", "title": f"vertaistuki {name}"}
    files["channel"] = {**files.get("channel", {}), "description": "A way to take part: in person at a place, online, or by phone.",
                        "oneOf": [{"$ref": "#/$defs/in_person"}, {"$ref": "#/$defs/online"}, {"$ref": "#/$defs/phone"}]}
    files["common"]["$defs"] = dict(COMMON_DEFS)
    for cls, (file, definition) in PLACEMENT.items():
        schema = object_schema(cls, file)
        if definition is None:
            files[file].update(schema)
        else:
            files[file].setdefault("$defs", {})[definition] = schema
    return files


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0] if argv else Path(__file__).resolve().parents[2] / "schemas")
    target.mkdir(exist_ok=True)
    for name, schema in generate().items():
        (target / f"{name}.schema.json").write_text(render(schema), encoding="utf-8")
    print(f"wrote {len(generate())} schemas to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
