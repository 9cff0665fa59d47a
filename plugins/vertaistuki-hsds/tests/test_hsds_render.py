"""The ``hsds`` renderer: what an HSDS 3.0 consumer receives from a vertaistuki build."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

import vertaistuki
import vertaistuki_hsds
from hsds_testing import EXAMPLES, errors, hsds_dir, typed_value_errors  # noqa: F401 - hsds_dir is a fixture
from vertaistuki import plugins
from vertaistuki.atomic import joined
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.privacy import publishable
from vertaistuki.registry import RenderContext
from vertaistuki_hsds.ids import NAMESPACE, hsds_id

CATALOGUES = sorted(EXAMPLES.glob("*/catalogue.yaml"))


def render(catalogue, **options) -> dict[str, object]:
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        renderer = plugins.renderers()["hsds"]
        assert plugins.provider_of(renderer) == "hsds"
        files = dict(renderer.render(publishable(catalogue), RenderContext(options=options)))  # it yields (path, content)
    return {name: json.loads(joined(name, content)) for name, content in files.items()}  # content may come in chunks


def load(path: Path):
    result = vertaistuki.load(path)
    assert not result.errors, [p.describe("en") for p in result.errors]
    return result.catalogue


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.name for p in CATALOGUES])
def test_every_example_catalogue_exports_valid_hsds(path, hsds_dir):
    catalogue = load(path)
    files = render(catalogue)
    assert set(files) == {"hsds/index.json", "hsds/organizations.json", "hsds/services.json"}
    organizations, services = files["hsds/organizations.json"], files["hsds/services.json"]
    assert len(organizations) == len(catalogue.organisations)
    assert len(services) == len(catalogue.groups) + len(catalogue.services) + len(catalogue.events)
    problems = [e for o in organizations for e in errors(hsds_dir, "compiled/organization.json", o)]
    problems += [e for s in services for e in errors(hsds_dir, "compiled/service.json", s)]
    problems += typed_value_errors(hsds_dir, files)
    assert problems == []
    # every nested service is also a valid standalone service of the modular schema
    assert [e for o in organizations for s in o.get("services", []) for e in errors(hsds_dir, "service.json", s)] == []


def test_the_validator_really_checks_formats(hsds_dir):
    """Without a format checker a wrong UUID or address would pass silently."""
    bad = {"id": "miesten-voimaa", "name": "x", "status": "active", "url": "not an address", "email": "nobody"}
    found = errors(hsds_dir, "compiled/service.json", bad)
    assert any("uuid" in e for e in found) and any("'uri'" in e for e in found) and any("email" in e for e in found)


def test_ids_are_uuid5_of_stable_ids_and_reexports_are_identical():
    catalogue = load(EXAMPLES / "relatives-association" / "catalogue.yaml")
    first, second = render(catalogue), render(catalogue)
    assert first == second
    group = catalogue.groups[0]
    expected = str(uuid.uuid5(NAMESPACE, f"groups/{catalogue.stable_id(group.id)}"))
    service = next(s for s in first["hsds/services.json"] if s["name"] == group.name.get("fi"))
    assert service["id"] == expected
    organisation = catalogue.organisation(group.organiser)
    assert service["organization_id"] == str(uuid.uuid5(NAMESPACE, f"organisations/{catalogue.stable_id(organisation.id)}"))


@pytest.mark.parametrize("parts", [("groups", "omaiset:miesten-voimaa"), ("",), ("term", "vertaistuki:topic", "åäö–€😀"),
                                   ("attribute", "x" * 500, "/", "")])
def test_ids_are_exactly_uuid5_whatever_the_name(parts):
    # hsds_id spells uuid5 out for speed: every id ever published must stay the same.
    assert hsds_id(*parts) == str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.name for p in CATALOGUES])
def test_the_lists_written_service_by_service_are_what_json_writes(path, indent):
    # The lists come in chunks (an organisation's services are written one at a time
    # inside it); joined, they must be the text json.dumps gives for the whole list:
    # compact by default, indented when the option asks.
    options = {} if indent is None else {"indent": indent}
    separators = (",", ":") if indent is None else None
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        files = plugins.renderers()["hsds"].render(publishable(load(path)), RenderContext(options=options))
        for name, content in files:
            if name == "hsds/index.json":
                continue  # the API root document, a few lines, always indented
            assert not isinstance(content, bytes), name
            text = joined(name, content).decode("utf-8")
            expected = json.dumps(json.loads(text), ensure_ascii=False, indent=indent, separators=separators)
            assert text == expected + "\n", name


@pytest.mark.parametrize("indent", [0, 9, "2", True, 1.5])
def test_an_indent_that_is_not_a_number_of_spaces_is_refused_with_its_value(indent):
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        files = plugins.renderers()["hsds"].render(publishable(load(CATALOGUES[0])), RenderContext(options={"indent": indent}))
        with pytest.raises(ValueError, match=r"indent must be a number of spaces from 1 to 8.*" + re.escape(str(indent))):
            list(files)


CATALOGUE = """\
source: testi
organisations:
  - {id: yhdistys, kind: association, name: {fi: Yhdistys ry, sv: Föreningen rf}, business_id: "0201256-6",
     contact: {email: info@yhdistys.example, phone: "09 123 4567"}}
places:
  - id: talo
    name: {fi: Yhdistystalo}
    municipality: {fi: Tampere}
    postal_code: "33100"
    accessibility: {step_free_entrance: true, induction_loop: false}
volunteers:
  - id: sakari
    organisation: yhdistys
    personal:
      name: {value: Sakari, consent: {given: "2024-03-01"}}
      phone: {value: "040 123 4567"}
      email: {value: s@example.org, consent: {given: "2024-03-01", withdrawn: "2025-01-31"}}
groups:
  - id: ryhma
    name: {fi: Kuukausiryhmä, sv: Månadsgruppen}
    organiser: yhdistys
    openness: closed
    facilitation: {kind: trained_volunteer, leaders: [sakari]}
    audiences: [relatives]
    channels:
      - {kind: in_person, place: talo, room: {fi: Kerhohuone}}
      - {kind: online, url: "https://example.org/meet", platform: Teams}
      - {kind: phone, phone: "040 754 9716", note: {fi: Arkisin}}
    schedule:
      rrule: "FREQ=MONTHLY;BYDAY=2MO,-1FR"
      start_time: "18:00"
      end_time: "19:30"
      skip_public_holidays: true
      season: {start: "2026-09-01", end: "2026-12-15", name: {fi: Syyskausi}}
    fee: {kind: self_payment, amount: 2.5, announced_in_advance: true}
    status: {state: suspended, reason: {fi: Tauko}}
    registration: {required: true, instructions: {fi: Soita ohjaajalle}}
"""


@pytest.fixture
def small(tmp_path) -> BuildConfig:
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    return BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.yaml"),),
                       outputs=(OutputSpec("hsds", options={"language": "fi"}),))


def test_a_build_writes_the_hsds_files_and_only_consented_details(small, tmp_path, hsds_dir):
    out = tmp_path / "dist"
    with plugins.registered_plugin(vertaistuki_hsds, "hsds"):
        result = build(small, out)
    assert not result.errors, [p.describe("en") for p in result.errors]
    written = (out / "hsds" / "services.json").read_text(encoding="utf-8")
    [service] = json.loads(written)
    assert errors(hsds_dir, "compiled/service.json", service) == []
    # the leader's consented name is published; the phone without consent and the
    # e-mail whose consent was withdrawn are nowhere in the files
    assert {"Sakari"} == {c.get("name") for c in service["contacts"]}
    everything = written + (out / "hsds" / "organizations.json").read_text(encoding="utf-8")
    assert "+358401234567" not in everything and "s@example.org" not in everything


def test_a_group_maps_onto_hsds_fields(small):
    catalogue = load(small.path.parent / "catalogue.yaml")
    [service] = render(catalogue, language="sv")["hsds/services.json"]
    assert (service["name"], service["status"], service["alert"]) == ("Månadsgruppen", "temporarily closed", "Tauko")
    [schedule] = service["schedules"]
    assert {k: schedule[k] for k in ("freq", "interval", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
                                     "dtstart", "timezone", "notes")} == {
        "freq": "MONTHLY", "interval": 1, "byday": "2MO,-1FR", "opens_at": "18:00", "closes_at": "19:30",
        "valid_from": "2026-09-01", "valid_to": "2026-12-15", "dtstart": "2026-09-01", "timezone": 3, "notes": "Syyskausi"}
    [cost] = service["cost_options"]
    assert (cost["amount"], cost["currency"]) == (2.5, "EUR")
    assert [p["number"] for p in service["phones"]] == ["+358407549716"]
    links = service["service_at_locations"]
    assert [link["location"]["location_type"] for link in links] == ["physical", "virtual"]
    assert links[0]["description"] == "Kerhohuone" and links[1]["location"]["url"] == "https://example.org/meet"
    address = links[0]["location"]["addresses"][0]
    assert (address["city"], address["postal_code"], address["country"]) == ("Tampere", "33100", "FI")
    facts = {a["attributes"][0]["taxonomy_term"]["code"]: a["attributes"][0]["value"] for a in links[0]["location"]["accessibility"]}
    assert facts == {"step_free_entrance": "true", "induction_loop": "false"}  # unknown facts are not "no"
    assert service["application_process"] == "Soita ohjaajalle"
    assert service["organization"]["tax_id"] == "0201256-6"
    assert service["organization"]["email"] == "info@yhdistys.example"
