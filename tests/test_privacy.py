"""Privacy by default: no output of any renderer carries a personal detail that its
owner did not consent to, or whose consent was withdrawn."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaistuki import plugins
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec

TODAY = dt.date(2026, 11, 22)
FIELDS = ("name", "home_municipality", "email", "testimonial")


def consent_state(draw) -> tuple[dict | None, bool]:
    """A consent record (or none) and whether it is in force today."""
    kind = draw(st.sampled_from(["none", "given", "withdrawn", "future"]))
    if kind == "none":
        return None, False
    if kind == "given":
        return {"given": "2024-01-01"}, True
    if kind == "withdrawn":
        return {"given": "2024-01-01", "withdrawn": "2025-06-01"}, False
    return {"given": "2027-01-01"}, False


@st.composite
def people(draw):
    """Volunteers and coordinators whose every personal value is a unique marker."""
    records, secrets, shown = [], set(), set()
    for number in range(draw(st.integers(1, 4))):
        personal = {}
        for field in FIELDS:
            if not draw(st.booleans()):
                continue
            marker = f"{field}-{number}-{'x' * (number + 1)}"
            value = f"{marker}@example.org" if field == "email" else marker
            consent, in_force = consent_state(draw)
            personal[field] = {"value": {"fi": value} if field == "testimonial" else value}
            if consent:
                personal[field]["consent"] = consent
            (shown if in_force else secrets).add(value)
        records.append({"id": f"v{number}", "organisation": "liitto", "roles": ["one_to_one"], "personal": personal})
    return records, secrets, shown


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people())
def test_unconsented_fields_appear_in_no_output(tmp_path_factory, drawn):
    records, secrets, shown = drawn
    folder = tmp_path_factory.mktemp("privacy")
    data = {"source": "liitto",
            "organisations": [{"id": "liitto", "name": {"fi": "Liitto"}, "kind": "federation"}],
            "volunteers": records,
            "coordinators": [{**r, "id": f"c{r['id']}", "title": {"fi": "Koordinaattori"}, "roles": None} for r in records]}
    for coordinator in data["coordinators"]:
        del coordinator["roles"]
        coordinator["personal"] = {k: v for k, v in coordinator["personal"].items() if k in ("name", "email")}
    (folder / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    every_renderer = tuple(OutputSpec(name) for name in plugins.renderers())
    config = BuildConfig(path=folder / "catalogue.toml", sources=(SourceSpec("catalogue.json"),), outputs=every_renderer)
    result = build(config, today=TODAY, write=False)
    assert not result.errors, result.errors
    published = b"\n".join(content for name, content in result.files.items() if not name.startswith("problems"))
    text = published.decode("utf-8-sig", errors="replace")
    for secret in secrets:
        assert secret not in text, f"{secret} was published without consent"
    for value in shown:  # and the check is not vacuous: consented values do come out
        assert value in text


def test_a_published_problem_report_never_quotes_a_personal_detail(tmp_path):
    """problems.txt and problems.json go beside the outputs (and `serve` hands them out):
    a volunteer's mistyped phone number, given without consent, must not end up there.
    The editor still sees the whole message in the build's own problems."""
    data = {"source": "liitto",
            "organisations": [{"id": "liitto", "name": {"fi": "Liitto"}, "kind": "federation"}],
            "volunteers": [{"id": "v1", "organisation": "liitto", "roles": ["one_to_one"],
                            "personal": {"phone": {"value": "040-SALAINEN 12"}, "email": {"value": "salainen@"}}}]}
    (tmp_path / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                         outputs=(OutputSpec("json"),))
    result = build(config, today=TODAY, write=False)
    assert any("SALAINEN" in p.message.get("en") or "salainen@" in p.message.get("en") for p in result.errors)
    report = {name: content.decode("utf-8") for name, content in result.files.items() if name.startswith("problems")}
    assert set(report) == {"problems.txt", "problems.json"}
    for text in report.values():
        assert "SALAINEN" not in text and "salainen@" not in text
        assert "$.volunteers[0].personal" in text and "personal details are not shown" in text
