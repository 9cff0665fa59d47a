"""Bad input gets a clear problem list, never a traceback, and good records survive."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vertaistuki
from vertaistuki import documents
from vertaistuki.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DOCUMENT_BYTES,
    UnparsedRecord,
    parse_document,
    read_document,
)
from vertaistuki.model import COLLECTIONS
from vertaistuki.schemas import load_schema

GOOD_GROUP = {
    "id": "miesten-voimaa",
    "name": {"fi": "Miesten voimaa", "sv": "Männens kraft"},
    "organiser": "omaiset",
    "openness": "open",
}
BASE = {
    "source": "omaiset",
    "organisations": [{"id": "omaiset", "name": {"fi": "Omaisyhdistys"}, "kind": "association"}],
}


def write(tmp_path: Path, data, name: str = "catalogue.yaml") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def catalogue_with(*groups: dict, **extra) -> dict:
    return {**BASE, "groups": list(groups), **extra}


def only_problem(result: vertaistuki.LoadResult) -> vertaistuki.Problem:
    errors = result.errors
    assert len(errors) >= 1, result.problems
    return errors[0]


def test_a_valid_catalogue_loads_without_problems(tmp_path):
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP), "c.json"))
    assert result.problems == ()
    assert [g.id for g in result.catalogue.groups] == ["miesten-voimaa"]
    assert result.catalogue.groups[0].provenance.location.endswith("c.json")
    assert result.catalogue.groups[0].provenance.pointer == "$.groups[0]"


@pytest.mark.parametrize(
    ("bad_group", "path_fragment", "english"),
    [
        ({**GOOD_GROUP, "id": "bad-type", "openness": 3}, "$.groups[1].openness", "openness"),
        ({**GOOD_GROUP, "id": "unknown-key", "colour": "red"}, "$.groups[1]", "unknown field: colour"),
        ({**GOOD_GROUP, "id": "bad-rrule", "schedule": {"rrule": "FREQ=SECONDLY", "start_time": "18:00"}},
         "$.groups[1].schedule.rrule", ""),
        ({**GOOD_GROUP, "id": "bad-count", "schedule": {"rrule": "FREQ=WEEKLY;COUNT=1000000000", "start_time": "18:00"}},
         "$.groups[1].schedule.rrule", "COUNT"),
        ({**GOOD_GROUP, "id": "late-until", "schedule": {"rrule": "FREQ=WEEKLY;UNTIL=99991231", "start_time": "18:00"}},
         "$.groups[1].schedule.rrule", "UNTIL"),
        ({**GOOD_GROUP, "id": "season-backwards", "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start_time": "18:00",
          "season": {"start": "2026-12-15", "end": "2026-09-01"}}}, "$.groups[1].schedule.season.end", "ends before it starts"),
        ({**GOOD_GROUP, "id": "meeting-backwards", "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start_time": "18:00",
          "end_time": "17:00"}}, "$.groups[1].schedule.end_time", "ends before it starts"),
        ({**GOOD_GROUP, "id": "no-name", "name": None}, "$.groups[1]", "name"),
        ({**GOOD_GROUP, "id": "bad-link", "url": "javascript:alert(1)"}, "$.groups[1].url", ""),
    ],
)
def test_a_bad_record_is_reported_with_path_and_the_good_one_kept(tmp_path, bad_group, path_fragment, english):
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, bad_group)))
    assert [g.id for g in result.catalogue.groups] == ["miesten-voimaa"]
    problem = only_problem(result)
    assert problem.path.startswith(path_fragment), problem
    assert problem.record_id == bad_group["id"]
    assert problem.source.endswith("catalogue.yaml")
    assert english in problem.message.get("en")
    assert problem.message.get("fi") != problem.message.get("en")  # really translated


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), 10**29])
def test_a_fee_no_renderer_could_write_is_the_records_error(tmp_path, amount):
    """JSON's Infinity and NaN, or 29 digits, once took whole outputs down (and an
    aggregation with them); now only that record is left out."""
    bad = {**GOOD_GROUP, "id": "kallis", "fee": {"kind": "self_payment", "amount": amount}}
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, bad), "c.json"))
    assert [g.id for g in result.catalogue.groups] == ["miesten-voimaa"]
    problem = only_problem(result)
    assert (problem.record_id, problem.path) == ("kallis", "$.groups[1].fee.amount")
    assert "amount must be a sum of euros from 0 to 100000" in problem.message.get("en")


@pytest.mark.parametrize(("changes", "path", "english"), [
    ({"timezone": "Europe/Helsnki"}, "$.events[0].timezone", "time zone 'Europe/Helsnki' is not known"),
    ({"start_time": "18:00", "end_time": "17:00"}, "$.events[0].end_time", "ends before it starts"),
])
def test_an_events_time_no_calendar_could_place_is_the_events_error(tmp_path, changes, path, english):
    """A misspelt time zone once passed, then failed the html, JSON-LD and HSDS outputs."""
    event = {"id": "paiva", "kind": "first_information_day", "name": {"fi": "Ensitietopäivä"}, "organiser": "omaiset",
             "start_date": "2027-01-30", **changes}
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, events=[event])))
    assert result.catalogue.events == () and [g.id for g in result.catalogue.groups] == ["miesten-voimaa"]
    problem = only_problem(result)
    assert (problem.record_id, problem.path) == ("paiva", path) and english in problem.message.get("en")


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\x7f"])
def test_an_invisible_control_character_in_a_text_is_the_records_error(tmp_path, character):
    """It went raw into every output, and our own CSV source then refused the export."""
    bad = {**GOOD_GROUP, "id": "ohjausmerkki", "description": {"fi": f"Tervetuloa{character}mukaan"}}
    fine = {**GOOD_GROUP, "id": "rivit", "description": {"fi": "Rivi 1\nRivi 2\tsarkain\r\n"}}
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, bad, fine), "c.json"))
    assert [g.id for g in result.catalogue.groups] == ["miesten-voimaa", "rivit"]
    problem = only_problem(result)
    assert (problem.record_id, problem.path) == ("ohjausmerkki", "$.groups[1].description")
    assert f"U+{ord(character):04X}" in problem.message.get("en") and "ohjausmerkki" in problem.message.get("fi")


@pytest.fixture(params=["python", "auto"])
def schema_backend(request, monkeypatch):
    """Each schema backend in turn: pure-Python jsonschema, and jsonschema-rs when installed."""
    from vertaistuki import schemas

    monkeypatch.setenv(schemas.BACKEND_VARIABLE, request.param)
    return request.param


@pytest.mark.parametrize(("text", "where"), [
    ("  - {id: nimi, name: {fi: N, 1: x}, organiser: omaiset, openness: open}\n", "$.groups[1].name"),
    ("  - {id: tyhja, name: {fi: N}, organiser: omaiset, openness: open, null: x}\n", "$.groups[1]"),
    ("  - {1: x, id: numero, name: {fi: N}, organiser: omaiset, openness: open}\n", "$.groups[1]"),
])
def test_a_name_that_is_not_text_is_the_records_error_not_a_traceback(tmp_path, schema_backend, text, where):
    """YAML reads ``1:`` and ``null:`` as a number and a null, which no validator takes."""
    yaml_text = ("source: omaiset\norganisations: [{id: omaiset, name: {fi: O}, kind: association}]\ngroups:\n"
                 "  - {id: miesten-voimaa, name: {fi: M}, organiser: omaiset, openness: open}\n" + text)
    result = vertaistuki.load(write(tmp_path, yaml_text))
    assert [g.id for g in result.catalogue.groups] == ["miesten-voimaa"]
    problem = only_problem(result)
    assert problem.path == where and "name must be text" in problem.message.get("en")


@pytest.mark.parametrize(("text", "english"), [
    ("source: omaiset\n1: x\n", "a field's name must be text, got 1"),
    ("source: omaiset\ngroups:\n  - {id: a, [b]: c}\n", "a field's name must be text, not a list"),
])
def test_a_catalogue_whose_own_name_is_not_text_is_reported(tmp_path, schema_backend, text, english):
    result = vertaistuki.load(write(tmp_path, text))
    assert result.catalogue.groups == ()
    problem = only_problem(result)
    assert problem.path == "$" and english in problem.message.get("en")


def test_missing_fields_are_one_problem_naming_them_all(tmp_path, schema_backend):
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, {"id": "vajaa"})))
    assert [(p.record_id, p.message.get("en")) for p in result.errors] == [
        ("vajaa", "required field missing: name, organiser, openness")]


def test_a_bad_business_id_names_the_field_in_both_languages(tmp_path):
    org = {"id": "omaiset", "name": {"fi": "Omaisyhdistys"}, "kind": "association", "business_id": "1234567-8"}
    result = vertaistuki.load(write(tmp_path, {"source": "x", "organisations": [org]}))
    problem = only_problem(result)
    assert problem.path == "$.organisations[0].business_id"
    assert "Y-tunnus" in problem.message.get("fi")
    assert "business id" in problem.message.get("en")


def test_semantic_rules_report_without_dropping_warnings(tmp_path):
    closed = {**GOOD_GROUP, "id": "suljettu", "openness": "closed"}
    suspended = {**GOOD_GROUP, "id": "tauolla", "status": {"state": "suspended"}}
    online = {**GOOD_GROUP, "id": "verkossa", "channels": [{"kind": "online", "platform": "Teams"}]}
    unknown_term = {**GOOD_GROUP, "id": "aiheeton", "topics": ["no-such-topic"]}
    result = vertaistuki.load(write(tmp_path, catalogue_with(closed, suspended, online, unknown_term)))
    codes = {(p.record_id, p.code, p.severity.value) for p in result.problems}
    assert ("suljettu", "closed_group_no_way_in", "warning") in codes
    assert ("tauolla", "suspended_without_reason", "error") in codes
    assert ("verkossa", "online_channel_unreachable", "error") in codes
    assert ("aiheeton", "unknown_term", "warning") in codes
    assert sorted(g.id for g in result.catalogue.groups) == ["aiheeton", "suljettu"]


def test_a_record_pointing_at_a_dropped_place_is_dropped_too(tmp_path):
    place = {"id": "talo", "name": {"fi": "Talo"}, "municipality": {"fi": "Tampere"}, "postal_code": 33100}
    group = {**GOOD_GROUP, "channels": [{"kind": "in_person", "place": "talo"}]}
    result = vertaistuki.load(write(tmp_path, catalogue_with(group, places=[place])))
    assert result.catalogue.groups == ()
    [dangling] = [p for p in result.errors if p.code == "unknown_reference"]
    # said to be the place's own error, where that is: the place is in the file, after all
    assert dangling.message.get("en") == ("place 'talo' is not among the places: it was left out for an error of its own "
                                          "(at catalogue.yaml $.places[0].postal_code); fix that")


def test_a_group_whose_organiser_was_left_out_by_a_rule_is_told_why(tmp_path):
    """An organisation dropped by a rule (no Finnish name) in the rules' first round is
    named as left out in the second, where its group is dropped."""
    organisation = {"id": "omaiset", "name": {"sv": "Anhörigföreningen"}, "kind": "association"}
    result = vertaistuki.load(write(tmp_path, {**catalogue_with(GOOD_GROUP), "organisations": [organisation]}))
    [dangling] = [p for p in result.errors if p.code == "unknown_reference"]
    assert dangling.record_id == "miesten-voimaa"
    assert "it was left out for an error of its own (at catalogue.yaml $.organisations[0]" in dangling.message.get("en")


def test_missing_finnish_text_is_an_error_by_default(tmp_path):
    result = vertaistuki.load(write(tmp_path, catalogue_with({**GOOD_GROUP, "name": {"sv": "Männens kraft"}})))
    problem = only_problem(result)
    assert (problem.path, problem.code) == ("$.groups[0].name", "missing_language")


def test_duplicate_ids_keep_the_first(tmp_path):
    result = vertaistuki.load(write(tmp_path, catalogue_with(GOOD_GROUP, {**GOOD_GROUP, "name": {"fi": "Toinen"}})))
    assert [g.name.get("fi") for g in result.catalogue.groups] == ["Miesten voimaa"]
    assert only_problem(result).path == "$.groups[1].id"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        ("groups: [unclosed", "c.yaml", "syntax"),
        ("", "c.yaml", "file_empty"),
        ("   \n\n", "c.yaml", "file_empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "c.yaml", "not_text"),
        (b"source: \xe4\xe4kk\xf6set\n", "c.yaml", "not_utf8"),
        ("- just\n- a list\n", "c.yaml", "not_a_catalogue"),
        ("{\"source\": ", "c.json", "syntax"),
        ("a: &x [1, 2]\nb: *x\n", "c.yaml", "syntax"),
        ("source: x\nsource: y\n", "c.yaml", "syntax"),
        ("source: x", "c.txt", "unknown_format"),
        ("!!python/object/apply:os.system ['echo pwned']", "c.yaml", "syntax"),
    ],
)
def test_unusable_files_give_one_clear_problem(tmp_path, content, name, code):
    result = vertaistuki.load(write(tmp_path, content, name))
    assert [p.code for p in result.problems] == [code]
    assert result.catalogue.groups == ()


@pytest.mark.parametrize("name", ["ryhmat", "ryhmat.yaml"])
def test_a_folder_given_for_a_catalogue_file_is_said_to_be_a_folder(tmp_path, name):
    (tmp_path / name).mkdir()
    result = vertaistuki.load(tmp_path / name)
    assert [p.code for p in result.problems] == ["is_folder"]
    assert "folder" in result.problems[0].message.get("en")


def test_missing_file(tmp_path):
    result = vertaistuki.load(tmp_path / "nowhere.yaml")
    assert [p.code for p in result.problems] == ["file_missing"]


@pytest.mark.parametrize(("name", "megabytes", "limit"), [("huge.yaml", 50, MAX_DOCUMENT_BYTES), ("huge.json", 300, MAX_JSON_DOCUMENT_BYTES)])
def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, name, megabytes, limit):
    # Hand-written YAML has a low limit; machine-written JSON may hold a national catalogue.
    path = tmp_path / name
    with path.open("wb") as handle:  # sparse: costs no disk or time
        handle.truncate(megabytes * 1024 * 1024)
    assert path.stat().st_size > limit
    result = vertaistuki.load(path)
    assert [p.code for p in result.problems] == ["file_too_large"]
    assert str(megabytes) in result.problems[0].message.get("fi")


def test_yaml_keeps_codes_and_times_as_written(tmp_path):
    text = (
        "source: x\norganisations:\n- {id: o, name: {fi: O}, kind: association}\n"
        "groups:\n- id: g\n  name: {fi: Norjaksi}\n  organiser: o\n  openness: open\n"
        "  languages: [fi, no]\n  schedule: {rrule: 'FREQ=WEEKLY;BYDAY=MO', start_time: 18:00, end_time: 20:00}\n"
    )
    result = vertaistuki.load(write(tmp_path, text))
    assert result.errors == ()
    group = result.catalogue.groups[0]
    assert group.languages == ("fi", "no")  # YAML 1.1 would have read False
    assert str(group.schedule.start_time) == "18:00:00"  # YAML 1.1 would have read 1080


def test_strict_raises_with_every_problem(tmp_path):
    path = write(tmp_path, catalogue_with({**GOOD_GROUP, "openness": "ajar"}))
    with pytest.raises(vertaistuki.ProblemError) as raised:
        vertaistuki.load(path, strict=True)
    assert "openness" in str(raised.value)


# --- reading and loading large catalogues lightly ----------------------------------------

#: Characters that make CPython store a text with 2 or 4 bytes per character.
WIDE = "Ryhmä – ”vertaistuki” 5 € 😀 Ohcejohka ŋ"


def plain_parse(raw: bytes) -> tuple:
    """The straightforward way (decode, then parse): what the narrow JSON path must match."""
    text, problems = documents._decode(raw, "x")
    return (None, problems) if text is None else documents._parse_text(text, ".json", "x")


def test_json_with_wide_characters_reads_as_written(tmp_path):
    data = catalogue_with({**GOOD_GROUP, "name": {"fi": WIDE, "sv": "Männens kraft"}})
    path = write(tmp_path, data, "c.json")
    assert read_document(path) == (data, [])
    assert parse_document(path.read_bytes(), ".json", "feed") == (data, [])
    assert parse_document(b"\xef\xbb\xbf" + path.read_bytes(), ".json", "feed") == (data, [])


def assert_read_as_json_reads(raw: bytes) -> None:
    """Catalogue files parse as decoding then parsing would, and feeds' bytes give what
    json.loads gives (the same value, or the same error in the same words)."""
    assert parse_document(raw, ".json", "x") == plain_parse(raw)
    try:
        expected = json.loads(raw)
    except (ValueError, RecursionError) as error:
        with pytest.raises(type(error)) as raised:
            documents.loads_json_bytes(raw)
        assert str(raised.value) == str(error)
    else:
        assert documents.loads_json_bytes(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        '{"a": "\\–"}'.encode(),  # backslash and a dash: an invalid escape
        '{"a": "\\\\–"}'.encode(),  # an escaped backslash, then a dash
        '{"a": "\\ud83d–", "b": "😀"}'.encode(),  # a lone surrogate escape next to a wide character
        '{"a": –}'.encode(),  # outside a string
        '{"a": "–"} –'.encode(),
        '\ufeff\ufeff{"a": "–"}'.encode(),  # one byte order mark is allowed, not two
        "\u3000\n".encode(),  # only (wide) white space
        '["–"]'.encode(),
        b'{"a": "\xe2\x80"}',  # a cut UTF-8 sequence
        b'{"a": "\xed\xa0\x80"}',  # an encoded surrogate
        b'{"a": "\xe2\x80\x93", "b": "\xff"}',
        '{\n "a": "– – –",\n "b": "€" "c"\n}'.encode(),
        '{"a": "\\\\", "b": ["–", "😀", "\\u2013"]}'.encode(),
        "[1, 2]".encode("utf-16"),
    ],
)
def test_json_parses_exactly_as_decoded_text_would(raw):
    assert_read_as_json_reads(raw)


#: JSON's own characters, a few Latin-1 ones and wider ones from every UTF-8 length.
JSON_PIECES = st.sampled_from(['"', "\\", "{", "}", "[", "]", ":", ",", " ", "\n", "u", "d", "8", "0", "a", "ä",
                               "\xff", "–", "€", "\u3000", "\ufeff", "😀", "\\u2013", "\\ud83d"])
JSON_TEXT = st.lists(JSON_PIECES, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.recursive(JSON_TEXT | st.integers(), lambda inner: st.lists(inner) | st.dictionaries(JSON_TEXT, inner), max_leaves=8),
       st.lists(st.tuples(st.integers(0, 400), JSON_PIECES), max_size=3), st.booleans())
def test_json_is_read_as_json_loads_reads_it(value, edits, byte_order_mark):
    # Valid documents and broken ones: pieces put in anywhere (at odd positions in place
    # of a character), inside strings or between them.
    text = json.dumps({"value": value}, ensure_ascii=False)
    for position, inserted in edits:
        text = text[:position] + inserted + text[position + position % 2:]
    raw = (("\ufeff" if byte_order_mark else "") + text).encode()
    assert_read_as_json_reads(raw)


def test_a_json_syntax_error_points_at_the_file_as_written(tmp_path):
    text = '{"source": "x",\n "name": {"fi": "' + WIDE + '" "sv": "y"}}'
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    result = vertaistuki.load(write(tmp_path, text, "c.json"))
    assert [p.code for p in result.problems] == ["syntax"]
    assert f"line {expected.value.lineno}, column {expected.value.colno}" in result.problems[0].message.get("en")


def materialised(data):
    """Deferred data with every UnparsedRecord parsed: what json.loads gives."""
    if not isinstance(data, dict):
        return data
    return {key: [item.parse() if isinstance(item, UnparsedRecord) else item for item in value]
            if key in COLLECTIONS and isinstance(value, list) else value for key, value in data.items()}


def assert_deferred_as_json_loads(text: str) -> None:
    """A catalogue read with deferred records is, once they are parsed, what json.loads
    reads; and any text that is not one JSON object is left to the plain parser (None)."""
    try:
        expected = json.loads(text)
    except (ValueError, RecursionError):
        expected = None
    deferred = documents._deferred_catalogue(text)
    if not isinstance(expected, dict):
        assert deferred is None
    else:
        assert materialised(deferred) == expected


TOP_KEYS = st.sampled_from([*COLLECTIONS, "source", "name"]) | JSON_TEXT
JSON_VALUES = st.recursive(JSON_TEXT | st.integers() | st.none() | st.booleans(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3),
                           max_leaves=6)
RECORDS = st.lists(st.dictionaries(st.sampled_from(["id", "name", "x"]), JSON_VALUES, max_size=3) | JSON_VALUES, max_size=3)
SPACES = st.sampled_from(["", " ", "\n", "\t ", "\r\n  "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TOP_KEYS, RECORDS | JSON_VALUES), max_size=5), SPACES, SPACES,
       st.lists(st.tuples(st.integers(0, 300), JSON_PIECES), max_size=2))
def test_deferred_records_read_as_json_loads_reads_them(pairs, space, other_space, edits):
    # Keys may come twice (the last value wins), the envelope before or after the
    # records, records need not be objects, and the text may be broken anywhere.
    members = [f"{space}{json.dumps(key)}{other_space}:{space}{json.dumps(value, ensure_ascii=False)}{other_space}"
               for key, value in pairs]
    text = space + "{" + ",".join(members) + "}" + other_space
    assert_deferred_as_json_loads(text)
    for position, inserted in edits:
        text = text[:position] + inserted + text[position + position % 2:]
    assert_deferred_as_json_loads(text)


@pytest.mark.parametrize(
    "text",
    ['{"groups": [{"id": "a"},]}', '{"groups": [{"id": "a"} {"id": "b"}]}', '{"groups": [{"id": "a"}}',
     '{"groups": [{"id": "a"}]', '{"groups": [{"id": "a"}]} {}', r'{"groups": [{"id": "a\u"}]}', "{,}", "{}",
     '{"groups": []}', '{"groups": [1, "x", null, [], {}]}', '[{"groups": []}]', "", "  ", '{"a": 1,}',
     '{"groups" [{}]}', '{groups: []}', '{"groups": [{"id": NaN}], "source": Infinity}', "{" * 100_000 + "}" * 100_000,
     '{"groups": [' + "[" * 100_000 + "]" * 100_000 + "]}", '{"groups": [{"a": ' + "[" * 100_000 + "]" * 100_000 + "}]}"],
)
def test_deferred_records_read_edge_cases_as_json_loads(text):
    assert_deferred_as_json_loads(text)


def test_a_json_catalogue_is_loaded_one_record_at_a_time_with_the_same_result(tmp_path):
    # The records of a JSON file wait as text until the loader gets to them (a national
    # catalogue's parsed data is never all in memory); the result is the one the parsed
    # file gives: the same records, problems, paths and provenance.
    data = {
        "groups": [GOOD_GROUP, {**GOOD_GROUP, "id": "bad-type", "openness": 3}, "not a record",
                   {**GOOD_GROUP, "id": "elsewhere", "organiser": "nobody"},
                   {**GOOD_GROUP, "id": "late-until", "schedule": {"rrule": "FREQ=WEEKLY;UNTIL=99991231", "start_time": "18:00"}},
                   {**GOOD_GROUP, "id": "wide", "name": {"fi": WIDE, "sv": WIDE}}],
        **BASE,  # the envelope after the records
        "places": [],
    }
    path = write(tmp_path, data, "c.json")
    deferred, problems = read_document(path, defer_records=True)
    assert problems == []
    assert [type(record) for record in deferred["groups"]] == [UnparsedRecord] * 2 + [str] + [UnparsedRecord] * 3
    assert materialised(deferred) == json.loads(path.read_text(encoding="utf-8"))
    expected = vertaistuki.load_data(json.loads(path.read_text(encoding="utf-8")), str(path))
    assert {p.code for p in expected.problems} >= {"schema.type", "invalid_value"}  # every path below is covered
    assert vertaistuki.load(path) == expected
    assert vertaistuki.load_data(deferred, str(path)) == expected  # without consume, records can be parsed again
    assert vertaistuki.load_data(deferred, str(path), consume=True) == expected
    assert deferred == {}


def test_consume_gives_the_same_result_and_empties_the_data():
    data = catalogue_with(
        GOOD_GROUP,
        {**GOOD_GROUP, "id": "bad-type", "openness": 3},
        {**GOOD_GROUP, "id": "elsewhere", "organiser": "nobody"},
        {**GOOD_GROUP, "id": "with-provenance", "provenance": {"source": "s", "location": "l"}},
    )
    original = copy.deepcopy(data)
    expected = vertaistuki.load_data(data, "c.json")
    assert data == original  # without consume the data is left alone
    assert expected.errors  # the check below covers reported records too
    handed_over = copy.deepcopy(data)  # its lists are emptied too: nothing else may share them
    collections = [handed_over["organisations"], handed_over["groups"]]
    assert vertaistuki.load_data(handed_over, "c.json", consume=True) == expected
    assert handed_over == {} and collections == [[], []]


def test_records_can_be_validated_one_by_one():
    # The loader asks jsonschema-rs about each record on its own, not about the whole
    # catalogue at once (which copies all of it): only right if the catalogue schema says
    # nothing about the collections but "a list of these records".
    catalogue = load_schema("catalogue")
    assert set(catalogue) <= {"$schema", "$id", "title", "description", "type", "required", "additionalProperties", "properties"}
    for collection in COLLECTIONS:
        listing = catalogue["properties"][collection]
        assert set(listing) == {"type", "items"} and listing["type"] == "array"
        assert set(listing["items"]) == {"$ref"}


def test_equal_values_are_kept_once_per_load():
    description = {"fi": "Ilmoittaudu etukäteen – tervetuloa!", "sv": "Anmäl dig – välkommen!"}
    group = {**GOOD_GROUP, "description": description, "languages": ["fi", "sv"], "url": "https://omaiset.example/ryhmat"}
    # Parsed JSON: every occurrence is an object of its own, as in a real file.
    data = json.loads(json.dumps(catalogue_with(group, {**group, "id": "toinen"})))
    first, second = vertaistuki.load_data(data, consume=True).catalogue.groups
    assert first.description == second.description == vertaistuki.Text.of(description)
    assert first.description is second.description
    assert first.languages is second.languages
    assert first.url is second.url
    assert first.organiser is second.organiser
    # No UTF-8 copy (left by jsonschema-rs on the raw strings) stays with the models
    # when the raw data is handed over.
    finnish = first.description.get("fi")
    assert sys.getsizeof(finnish) == sys.getsizeof("".join((finnish, "")))  # noqa: FLY002 - a copy


def test_the_shared_values_go_with_the_load():
    from vertaistuki import convert

    vertaistuki.load_data(catalogue_with(GOOD_GROUP))
    assert convert._shared is None  # nothing kept between loads
    with pytest.raises(RuntimeError), convert.shared_values():
        raise RuntimeError
    assert convert._shared is None
    # Outside a load nothing is shared (and nothing is remembered).
    first, second = (convert.structure(json.loads(json.dumps(GOOD_GROUP["name"])), vertaistuki.Text) for _ in range(2))
    assert first == second and first is not second
