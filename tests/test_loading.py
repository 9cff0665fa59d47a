"""Bad input gets a clear problem list, never a traceback, and good records survive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vertaistuki
from vertaistuki.documents import MAX_DOCUMENT_BYTES, MAX_JSON_DOCUMENT_BYTES

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
    assert {p.code for p in result.errors} >= {"unknown_reference"}


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
