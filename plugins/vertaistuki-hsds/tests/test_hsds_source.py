"""The ``hsds`` source: HSDS 3.0 documents into a catalogue, and back from our own export."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

import vertaistuki
import vertaistuki_hsds
from hsds_testing import EXAMPLES, hsds_dir  # noqa: F401 - hsds_dir is a fixture
from vertaistuki import plugins
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.model import Contact, InPersonChannel, PhoneChannel, Registration, Schedule, Status, Text
from vertaistuki.privacy import publishable
from vertaistuki.registry import RenderContext
from vertaistuki_hsds.read import read_document
from vertaistuki_hsds.render import hsds_documents

NESTED_EXAMPLES = ["organization_full.json", "organization_list.json", "service_full.json", "service_list.json",
                   "service_at_location_full.json", "service_at_location_list.json", "location.json"]


def leaves(value: Any, path: str = "$") -> list[str]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, f"{path}[{index}]")]
    return [] if value in (None, "") else [path]


def covered(leaf: str, paths: frozenset[str]) -> bool:
    return any(leaf == p or leaf.startswith(p + ".") or leaf.startswith(p + "[") for p in paths)


@pytest.mark.parametrize("name", NESTED_EXAMPLES)
def test_official_examples_import_and_nothing_is_dropped_silently(name, hsds_dir):
    document = json.loads((hsds_dir / "examples" / name).read_text(encoding="utf-8"))
    result = read_document(document, name)
    loaded = vertaistuki.load_data(result.data, name)
    assert not loaded.errors, [p.describe("en") for p in loaded.errors]
    # every value in the document went into the catalogue or is reported by path
    warned = frozenset(p.path for p in result.problems)
    assert [leaf for leaf in leaves(document) if not covered(leaf, result.consumed | warned)] == []
    for problem in result.problems:
        # every problem is a record's, but that the file is one page of a list
        assert problem.source == name and problem.path.startswith("$")
        assert problem.record_id or problem.code == "hsds.partial_list"
        assert problem.message.get("fi") != problem.message.get("en")
    # the _list examples are page 1 of 10 of an API's list: the other nine are missing
    partial = [p.message.get("en") for p in result.problems if p.code == "hsds.partial_list"]
    if document.get("last_page") is False:
        assert partial == [f"the file is page {document['page_number']} of {document['total_pages']} of a list: "
                           "what the other pages hold is missing"]
    else:
        assert partial == []


def test_what_the_examples_say_arrives(hsds_dir):
    document = json.loads((hsds_dir / "examples" / "service_full.json").read_text(encoding="utf-8"))
    result = read_document(document, "service_full.json", {"language": "en"})
    catalogue = vertaistuki.load_data(result.data, "service_full.json").catalogue
    [service] = catalogue.services
    assert service.name.get("en") == "Community Counselling" and service.url == "http://example.com/counselling"
    assert service.organiser == catalogue.organisations[0].id == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    assert service.languages == ("ur",)
    # £35 is not €35: the sum stays as words in its currency, with who the price is for
    assert service.fee.amount is None
    assert service.fee.note.get("en") == "35 GBP; Under 18s and Over 60s; per 1 hour session"
    [place] = catalogue.places
    assert place.municipality.get("en") == "MyCity" and place.postal_code is None  # "ABC 1234" is reported
    assert [type(c).__name__ for c in service.channels] == ["PhoneChannel", "InPersonChannel"]
    by_path = {p.path: p for p in result.problems}
    assert by_path["$.wait_time"].record_id == service.id
    assert by_path["$.schedules[0].byweekno"].message.get("fi").startswith("BYWEEKNO")
    # a named person is never imported
    assert by_path["$.contacts[0]"].code == "hsds.person_not_imported"


def test_documents_that_are_not_organizations_or_services_are_reported(hsds_dir):
    tabular = json.loads((hsds_dir / "examples" / "tabular.json").read_text(encoding="utf-8"))
    assert [p.code for p in read_document(tabular, "tabular.json").problems] == ["hsds.tabular_not_supported"]
    term = json.loads((hsds_dir / "examples" / "taxonomy_term.json").read_text(encoding="utf-8"))
    result = read_document(term, "taxonomy_term.json")
    assert [p.code for p in result.problems] == ["hsds.taxonomy_not_imported"] and "organisations" not in result.data


def test_schedule_facts_that_cannot_be_kept_are_reported_not_dropped(hsds_dir):
    """A time with an offset, one that cannot be read and words on how to attend were
    once dropped without a word."""
    document = json.loads((hsds_dir / "examples" / "service_full.json").read_text(encoding="utf-8"))
    schedule = {"id": "5e8e5a3d-1a1b-4c6b-9f1e-0c5b2f0d9a11", "freq": "WEEKLY", "byday": "MO", "interval": 1,
                "wkst": "MO", "opens_at": "08:00Z", "closes_at": "5pm", "attending_type": "drop in, bring a friend"}
    document["schedules"] = [schedule]
    result = read_document(document, "service_full.json")
    said = {p.path.rsplit(".", 1)[-1]: p.message.get("en") for p in result.problems if ".schedules[0]." in p.path}
    assert said["opens_at"] == "the offset of '08:00Z' was dropped: the time was read as Finnish time"
    assert said["closes_at"] == "the time '5pm' cannot be read (form 18:00); it was left out"
    assert said["attending_type"] == ("the attending type 'drop in, bring a friend' was not kept: "
                                      "the channels say how to attend")
    [service] = result.data["services"] + result.data.get("groups", [])
    assert service["schedule"]["start_time"] == "08:00" and "end_time" not in service["schedule"]


# -- ours → HSDS → ours ----------------------------------------------------------------

def _only(text: Text | None, language: str) -> Text | None:
    return None if text is None else Text.of({language: text.get(language)})


def held(value: Any, language: str = "fi") -> Any:
    """A record as HSDS can hold it: texts in one language, and without the fields the
    mapping (docs/interop/hsds.md) lists as not expressible."""
    if isinstance(value, Text):
        return _only(value, language)
    if isinstance(value, tuple):
        return tuple(held(item, language) for item in value)
    if not attrs.has(type(value)):
        return value
    changes = {f.name: held(getattr(value, f.name), language) for f in attrs.fields(type(value)) if f.init}
    kind = type(value)
    if "provenance" in changes:
        changes["provenance"] = None
    if kind is Contact:
        changes.update(url=None, note=None)
    if kind is Registration:
        changes.update(url=None, email=None, phone=None, deadline=None)
    if kind is Status:
        changes.update(since=None, until=None)
    if kind is Schedule:
        changes.update(exceptions=())
    if "contact" in changes and changes["contact"] is not None and not (changes["contact"].phone or changes["contact"].email):
        changes["contact"] = None
    if "registration" in changes and changes["registration"] == Registration():
        changes["registration"] = None
    if "contacts" in changes and kind is not Contact and hasattr(value, "organiser"):
        changes["contacts"] = ()
    if kind.__name__ == "Facilitation":
        changes["leaders"] = ()
    if kind.__name__ == "Organisation":
        changes.update(volunteering=None, updated=None, verified=None)
    if "channels" in changes:  # HSDS lists phones apart from locations
        channels = changes["channels"]
        changes["channels"] = tuple(c for c in channels if isinstance(c, PhoneChannel)) + tuple(
            c for c in channels if not isinstance(c, PhoneChannel))
    return kind(**changes)


CATALOGUES = sorted(EXAMPLES.glob("*/catalogue.yaml"))


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.name for p in CATALOGUES])
def test_round_trip_keeps_every_field_hsds_can_hold(path):
    original = publishable(vertaistuki.load(path).catalogue)
    documents = hsds_documents(original, RenderContext())
    result = read_document(json.loads(json.dumps(documents["organizations"])), "organizations.json")
    # our own export holds nothing we cannot read back, except the people behind a
    # record, whose details vertaistuki takes only with consent recorded at the source
    assert {p.code for p in result.problems} <= {"hsds.person_not_imported"}
    loaded = vertaistuki.load_data(result.data, "organizations.json")
    assert not loaded.errors, [p.describe("en") for p in loaded.errors]
    back = loaded.catalogue
    assert back.source == original.source
    used = {c.place for r in (*original.groups, *original.services, *original.events) for c in r.channels
            if isinstance(c, InPersonChannel)}
    for collection in ("organisations", "groups", "services", "events"):
        assert sorted(repr(unstamped(r)) for r in getattr(back, collection)) == sorted(
            repr(held(r)) for r in getattr(original, collection)), collection
    assert sorted(map(repr, back.places)) == sorted(repr(held(p)) for p in original.places if p.id in used)


def unstamped(record: Any) -> Any:
    """Without the provenance the loader stamps on every record it reads."""
    return attrs.evolve(record, provenance=None)


def test_services_json_reads_back_the_same_records(tmp_path):
    """services.json (each service with its organization) is the other shape a consumer
    may keep; read through a build's [[sources]] like any input."""
    original = publishable(vertaistuki.load(EXAMPLES / "tampere-peer-centre" / "catalogue.yaml").catalogue)
    documents = hsds_documents(original, RenderContext())
    (tmp_path / "services.json").write_text(json.dumps(documents["services"]), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("services.json", type="hsds"),),
                         outputs=(OutputSpec("json"),))
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        result = build(config, write=False)
    assert not result.errors, [p.describe("en") for p in result.errors]
    assert sorted(g.id for g in result.catalogue.groups) == sorted(g.id for g in original.groups)
    assert {o.id for o in result.catalogue.organisations} <= {o.id for o in original.organisations}


@pytest.mark.parametrize(("options", "en"), [
    ({"language": "suomi"}, 'source hsds: option language must be a language code such as "fi", not "suomi"'),
    ({"sorce": "liitto"}, 'source hsds: unknown option "sorce" (did you mean "source"?); hsds takes language, source'),
    ({"source": "Liitto"}, 'source hsds: option source must be a source name in lower case such as "omaiset", not "Liitto"'),
])
def test_a_mistaken_option_is_reported_and_nothing_is_read(tmp_path, options, en):
    """Before, a misspelt option was ignored and ``language = "suomi"`` made texts that
    every record then failed validation with."""
    original = publishable(vertaistuki.load(EXAMPLES / "tampere-peer-centre" / "catalogue.yaml").catalogue)
    (tmp_path / "services.json").write_text(json.dumps(hsds_documents(original, RenderContext())["services"]), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("services.json", type="hsds", options=options),),
                         outputs=(OutputSpec("json"),))
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        result = build(config, write=False)
    # the only source: the catalogue then also lacks its name, a problem of its own
    [problem] = [p for p in result.errors if p.code == "source_option"]
    assert (problem.code, problem.path) == ("source_option", f"$.options.{next(iter(options))}")
    assert problem.message.get("en").startswith(en) and problem.message.get("fi").startswith("lähteen hsds ")
    assert not result.catalogue.groups
