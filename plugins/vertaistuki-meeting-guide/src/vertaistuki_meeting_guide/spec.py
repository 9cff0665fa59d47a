"""A check of a feed against the Meeting Guide specification (code4recovery/spec):
the required fields, the types and formats the specification states, and what the
Meeting Guide app needs to import a meeting (day, time and some geography).

Written from the specification's README; it says what is wrong in plain words, one
string per finding, prefixed with the meeting's JSON path.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_UPDATED = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_SLUG = re.compile(r"^[A-Za-z0-9._~-]+$")
_PHONE = re.compile(r"^\+?[0-9,*#]+$")
_HTTP = re.compile(r"^https?://\S+$")
_TEXT_FIELDS = ("location", "notes", "location_notes", "group", "group_notes", "conference_url_notes",
                "conference_phone_notes", "formatted_address", "address", "city", "state", "postal_code", "country",
                "region", "sub_region", "entity", "url")


def feed_findings(feed: Any) -> list[str]:
    """Everything in ``feed`` that the specification does not allow (empty: valid)."""
    if not isinstance(feed, list):
        return ["$: a feed is a JSON array of meetings"]
    findings: list[str] = []
    slugs: set[Any] = set()
    for index, meeting in enumerate(feed):
        where = f"$[{index}]"
        if not isinstance(meeting, dict):
            findings.append(f"{where}: a meeting is a JSON object")
            continue
        findings += [f"{where}.{field}: {why}" for field, why in _meeting_findings(meeting)]
        slug = meeting.get("slug")
        if slug in slugs:
            findings.append(f"{where}.slug: {slug!r} is not unique")
        if isinstance(slug, (str, int)):
            slugs.add(slug)
    return findings


def _meeting_findings(meeting: dict) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    name = meeting.get("name")
    if not isinstance(name, str) or not name.strip():
        found.append(("name", "required, a non-empty string"))
    elif len(name) > 255:
        found.append(("name", "255 characters at most"))
    slug = meeting.get("slug")
    if isinstance(slug, bool) or not isinstance(slug, (str, int)):
        found.append(("slug", "required, a string or an integer"))
    elif isinstance(slug, str) and (len(slug) > 64 or not _SLUG.match(slug)):
        found.append(("slug", "URL-safe, without spaces or special characters, 64 characters at most"))
    day = meeting.get("day")
    days = day if isinstance(day, list) else [day]
    if day is None or not days or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        found.append(("day", "an integer 0–6 (Sunday = 0) or an array of them; the app needs it"))
    for field in ("time", "end_time"):
        value = meeting.get(field)
        if (field == "time" or value is not None) and (not isinstance(value, str) or not _HH_MM.match(value)):
            found.append((field, "a five-character HH:MM 24-hour time" + ("; the app needs it" if field == "time" else "")))
    timezone = meeting.get("timezone")
    if timezone is not None and not _known_timezone(timezone):
        found.append(("timezone", "a tz database name such as Europe/Helsinki"))
    types = meeting.get("types")
    if types is not None and (not isinstance(types, list) or not all(isinstance(t, str) and t for t in types)):
        found.append(("types", "an array of type codes"))
    regions = meeting.get("regions")
    if regions is not None and (not isinstance(regions, list) or not all(isinstance(r, str) and r for r in regions)):
        found.append(("regions", "an array of region names, most general first"))
    for field in _TEXT_FIELDS:
        if field in meeting and not isinstance(meeting[field], str):
            found.append((field, "a string"))
    if not (meeting.get("formatted_address") or meeting.get("address") or meeting.get("city")):
        found.append(("formatted_address", "the app needs geographic information (formatted_address or address fields)"))
    for field in ("latitude", "longitude"):
        value = meeting.get(field)
        limit = 90 if field == "latitude" else 180
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit):
            found.append((field, f"a number between −{limit} and {limit}"))
    if meeting.get("approximate") not in (None, "yes", "no"):
        found.append(("approximate", '"yes" or "no"'))
    updated = meeting.get("updated")
    if updated is not None and (not isinstance(updated, str) or not _UPDATED.match(updated)):
        found.append(("updated", "a UTC timestamp YYYY-MM-DD HH:MM:SS"))
    for field in ("conference_url", "url", "entity_url"):
        value = meeting.get(field)
        if value is not None and (not isinstance(value, str) or not _HTTP.match(value)):
            found.append((field, "an http(s) URL"))
    phone = meeting.get("conference_phone")
    if phone is not None and (not isinstance(phone, str) or not _PHONE.match(phone)):
        found.append(("conference_phone", "digits, optionally + first and , * # for one-tap dialling"))
    if meeting.get("attendance_option") not in (None, "in_person", "online", "hybrid", "inactive"):
        found.append(("attendance_option", "in_person, online, hybrid or inactive"))
    if any(field.startswith("entity_") for field in meeting) and not meeting.get("entity"):
        found.append(("entity", "required when any other entity field is present"))
    return found


def _known_timezone(value: Any) -> bool:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True
