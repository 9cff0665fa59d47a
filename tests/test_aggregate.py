"""Federation aggregation: many member feeds, some broken, into one catalogue with
nothing valid lost, every failure reported, and consent honoured on the next run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest

from feedserver import Declared, Endless, Feed, FeedServer, GzipBomb, Hang, LoopbackOnly, Redirect, Status, member_feed
from vertaistuki.aggregate import (AggregateConfig, Member, _reference_fields, aggregate, namespaced, namespaced_id,
                                  read_aggregate_config)
from vertaistuki.config import BuildConfig, ConfigError, OutputSpec, SourceSpec
from vertaistuki.feeds import FeedPolicy, FetchStatus
from vertaistuki.model import (COLLECTIONS, Event, Facilitation, Group, InPersonChannel, Organisation, Service, Training,
                               Volunteer)
from vertaistuki.schemas import validator_for

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)
FEDERATION_YAML = """\
source: liitto
publisher: liitto
organisations:
  - id: liitto
    kind: federation
    nationwide: true
    name: {fi: Esimerkkiliitto}
"""


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def make_config(tmp_path: Path, server: FeedServer, members: list[str], *, outputs=("json",), total_timeout=10.0,
                read_timeout=5.0, max_bytes=300_000, concurrency=32) -> AggregateConfig:
    # The timeouts are far above what a healthy loopback feed needs, even on a loaded CI
    # machine where the server's threads share the GIL with the reader: a test that is not
    # about timeouts must not fail by one. Tests of hanging feeds pass shorter ones.
    (tmp_path / "federation.yaml").write_text(FEDERATION_YAML, encoding="utf-8")
    build = BuildConfig(path=tmp_path / "federation.toml", sources=(SourceSpec("federation.yaml"),),
                        outputs=tuple(OutputSpec(name) for name in outputs), out_dir=tmp_path / "dist")
    policy = FeedPolicy(allow_http=True, allow_addresses={"loopback"}, connect_timeout=read_timeout,
                        read_timeout=read_timeout, total_timeout=total_timeout, max_bytes=max_bytes, max_field_length=2_000)
    return AggregateConfig(path=tmp_path / "federation.toml", build=build, source="liitto", federation="liitto",
                           members=tuple(Member(m, server.url(f"/{m}/catalogue.json")) for m in members),
                           policy=policy, concurrency=concurrency, cache_dir=tmp_path / "cache")


def published(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "dist" / "catalogue.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_hundreds_of_feeds_some_broken_lose_no_valid_record(tmp_path, server):
    members = [f"jasen-{n:03d}" for n in range(210)]
    good = {m: member_feed(m, 3) for m in members}
    # 20 members mix valid and invalid records: the invalid ones are quarantined alone.
    mixed = members[:20]
    for m in mixed:
        good[m] = member_feed(m, 3, invalid=2)
    for m in members:
        server.routes[f"/{m}/catalogue.json"] = Feed.of(good[m])
    config = make_config(tmp_path, server, members)
    transport = LoopbackOnly()

    # A first night when every feed works, so that some failing feeds have a last good copy.
    first = aggregate(config, today=TODAY, transport=transport)
    assert len(first.catalogue.groups) == 210 * 3, [(r.member, r.failure) for r in first.feeds if r.failure]

    faults = {
        "http_status": [(m, Status(500)) for m in members[20:30]],
        "timeout": [(m, Hang(limit=12)) for m in members[30:35]],
        "endless": [(m, Endless(limit=12)) for m in members[35:38]],  # cut by the deadline or the byte cap
        "not_json": [(m, Feed(b'{"format": "vertaistuki/1", "groups": [')) for m in members[38:43]],
        "too_large": [(m, Declared(5_000_000)) for m in members[43:46]] + [(m, GzipBomb(3_000_000)) for m in members[46:48]],
        "refused_address": [(m, Redirect("http://192.168.77.1/catalogue.json")) for m in members[48:53]],
    }
    for pairs in faults.values():
        for m, behaviour in pairs:
            server.routes[f"/{m}/catalogue.json"] = behaviour
    # Members that never had a good night: no copy to fall back on.
    newcomers = [f"uusi-{n}" for n in range(6)]
    for m in newcomers[:3]:
        server.routes[f"/{m}/catalogue.json"] = Status(500)
    for m in newcomers[3:]:
        server.routes[f"/{m}/catalogue.json"] = Feed.of(member_feed(m, 2))
    # Deadlines short enough for the hanging feeds, still generous for the healthy ones.
    config = make_config(tmp_path, server, members + newcomers, total_timeout=4.0, read_timeout=3.0)

    result = aggregate(config, today=TODAY, transport=transport)

    assert set(transport.hosts) == {"127.0.0.1"}  # the private redirect target was never contacted
    reports = {report.member: report for report in result.feeds}
    for code, pairs in faults.items():
        for m, _ in pairs:
            report = reports[m]
            assert report.status is FetchStatus.FALLBACK, (m, report)
            expected_codes = {"feed.timeout", "feed.too_large"} if code == "endless" else {f"feed.{code}"}
            assert report.failure.code in expected_codes, (m, report.failure)
            assert report.failure.source == config.members[members.index(m)].url
    for m in newcomers[:3]:
        assert reports[m].status is FetchStatus.FAILED and reports[m].failure.is_error
    ids = {group.id for group in result.catalogue.groups}
    # Every valid record of every reachable feed, and of every failing feed's last good copy.
    expected = {f"{m}:ryhma-{i}" for m in members for i in range(3)} | {f"{m}:ryhma-{i}" for m in newcomers[3:] for i in range(2)}
    assert ids == expected
    # The quarantined records are reported with feed, record id and field path.
    quarantined = [p for p in result.problems if p.record_id and p.record_id.startswith("rikki-")]
    assert {(p.source, p.record_id) for p in quarantined} == {
        (config.members[members.index(m)].url, f"rikki-{i}") for m in mixed for i in range(2)}
    assert all(p.path.startswith("$.groups[") and ".schedule" in p.path for p in quarantined)
    assert all(reports[m].quarantined == 2 for m in mixed)
    # The report files say the same, for people and for machines.
    feeds_json = json.loads((tmp_path / "dist/aggregate/feeds.json").read_text())
    failing = {f["member"]: f for f in feeds_json["feeds"] if f["failure"]}
    assert set(failing) == {m for pairs in faults.values() for m, _ in pairs} | set(newcomers[:3])
    assert failing[members[20]]["failure"]["message"]["en"].startswith(f"feed of member {members[20]}: the server answered 500")
    report_text = (tmp_path / "dist/aggregate/report.txt").read_text()
    assert f"- {members[48]} <{config.members[48].url}> [fallback]" in report_text
    changes = json.loads((tmp_path / "dist/aggregate/changes.json").read_text())
    assert sorted(changes["failing_feeds"]) == sorted(failing)
    assert changes["removed"] == []  # a failing feed is not a removal


@pytest.mark.slow
def test_a_second_run_against_unchanged_feeds_downloads_almost_nothing(tmp_path, server):
    members = [f"jasen-{n}" for n in range(40)]
    for m in members:
        server.routes[f"/{m}/catalogue.json"] = Feed.of(member_feed(m, 20), etag=m[-1] != "7")  # some send no ETag
    config = make_config(tmp_path, server, members)
    first = aggregate(config, today=TODAY)
    second = aggregate(config, today=TODAY)
    assert {report.status for report in second.feeds} == {FetchStatus.NOT_MODIFIED}
    assert all(r.status == 304 for r in server.requests[len(members):])
    assert sum(r.body_bytes for r in server.requests[len(members):]) == 0
    assert sum(r.bytes_received for r in second.feeds) < sum(r.bytes_received for r in first.feeds) / 100
    assert second.catalogue.groups == first.catalogue.groups
    assert second.changes.new == second.changes.changed == second.changes.removed == ()


def test_withdrawn_consent_in_a_member_feed_removes_the_field_next_run(tmp_path, server):
    path = "/omaiset/catalogue.json"
    server.routes[path] = Feed.of(member_feed("omaiset", 1, volunteer_consent={"given": "2026-01-10"}))
    config = make_config(tmp_path, server, ["omaiset"])
    aggregate(config, today=TODAY)
    [volunteer] = published(tmp_path)["volunteers"]
    assert volunteer["personal"]["name"]["value"] == "Maija"

    server.routes[path] = Feed.of(member_feed("omaiset", 1, volunteer_consent={"given": "2026-01-10", "withdrawn": "2026-11-20"}))
    result = aggregate(config, today=TODAY)
    [volunteer] = published(tmp_path)["volunteers"]
    assert "name" not in volunteer.get("personal", {})
    assert "Maija" not in (tmp_path / "dist/catalogue.json").read_text()
    assert result.changes.consent_withdrawn == (("omaiset:ohjaaja", ("name",)),)


def test_a_removed_group_disappears_and_leaves_a_tombstone(tmp_path, server):
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 3))
    server.routes["/b/catalogue.json"] = Feed.of(member_feed("b", 2))
    config = make_config(tmp_path, server, ["a", "b"])
    aggregate(config, today=TODAY)
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 2))
    server.routes["/b/catalogue.json"] = Status(500)
    (tmp_path / "cache").joinpath("keep").touch()
    for copy in (tmp_path / "cache").glob("*.body"):
        if json.loads(copy.read_bytes())["source"] == "b":
            copy.unlink()  # b has no copy: it is unavailable, not removed
    result = aggregate(config, today=TODAY + dt.timedelta(days=1))
    assert "a:ryhma-2" not in {g["id"] for g in published(tmp_path)["groups"]}
    assert result.changes.removed == ("a:ryhma-2",)
    stones = json.loads((tmp_path / "dist/tombstones.json").read_text())["tombstones"]
    assert stones == [{"id": "a:ryhma-2", "collection": "groups", "member": "a", "removed": "2026-11-24"}]
    # Tombstones are kept for tombstone_days, then dropped.
    server.routes["/b/catalogue.json"] = Feed.of(member_feed("b", 2))
    aggregate(config, today=TODAY + dt.timedelta(days=2))
    assert json.loads((tmp_path / "dist/tombstones.json").read_text())["tombstones"] == stones
    aggregate(config, today=TODAY + dt.timedelta(days=config.tombstone_days + 5))
    assert json.loads((tmp_path / "dist/tombstones.json").read_text())["tombstones"] == []


def test_a_misspelt_plugin_in_federation_toml_is_reported_and_the_members_still_aggregated(tmp_path, server):
    server.routes["/omaiset/catalogue.json"] = Feed.of(member_feed("omaiset", 1))
    config = make_config(tmp_path, server, ["omaiset"])
    config = attrs.evolve(config, build=attrs.evolve(config.build, enabled_plugins=("house_rule",)))
    result = aggregate(config, today=TODAY)
    [problem] = [p for p in result.problems if p.code == "unknown_plugin"]
    assert problem.path == "$.plugins.enable[0]" and problem.source == str(config.build.path)
    assert [g.id for g in result.catalogue.groups] == ["omaiset:ryhma-0"]


def test_the_federations_own_source_unreadable_publishes_nothing_and_fetches_nothing(tmp_path, server):
    server.routes["/omaiset/catalogue.json"] = Feed.of(member_feed("omaiset", 1))
    config = make_config(tmp_path, server, ["omaiset"])
    assert aggregate(config, today=TODAY).written
    before = published(tmp_path)
    (tmp_path / "federation.yaml").write_text("organisations: [unclosed\n", encoding="utf-8")
    result = aggregate(config, today=TODAY)
    assert result.written == () and not result.feeds and published(tmp_path) == before
    assert [p.code for p in result.errors if p.path in ("$", "$.sources")] == ["syntax", "source_unread"]


def test_a_member_whose_own_organisation_is_not_in_its_feed_is_told_which_one_was_looked_for(tmp_path, server):
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 1))
    config = make_config(tmp_path, server, ["a"])
    config = attrs.evolve(config, members=(attrs.evolve(config.members[0], organisation="eiole"),))
    result = aggregate(config, today=TODAY)
    [warning] = [p for p in result.problems if p.code == "feed.no_member_organisation"]
    assert not warning.is_error and warning.source.endswith("/a/catalogue.json")
    assert warning.message.get("en") == ('member a\'s organisation "eiole" (organisation in federation.toml) is not in its '
                                         "feed, so it is not marked as a member of the federation")
    assert {g["id"] for g in published(tmp_path)["groups"]} == {"a:ryhma-0"}  # its groups are published all the same


def test_a_published_group_with_a_new_mistake_is_left_out_not_sent_as_removed(tmp_path, server):
    """A typo in yesterday's group must not tell the federation's readers to delete it:
    it is left out (and reported) until fixed, and removed only once it leaves the feed."""
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 3))
    config = make_config(tmp_path, server, ["a"])
    aggregate(config, today=TODAY)
    typo = member_feed("a", 3)
    typo["groups"][1]["openness"] = "ajar"
    server.routes["/a/catalogue.json"] = Feed.of(typo)
    result = aggregate(config, today=TODAY + dt.timedelta(days=1))
    assert "a:ryhma-1" not in {g["id"] for g in published(tmp_path)["groups"]}
    assert result.changes.removed == () and result.changes.left_out == ("a:ryhma-1",)
    assert json.loads((tmp_path / "dist/tombstones.json").read_text())["tombstones"] == []
    assert "left out for an error 1" in (tmp_path / "dist/aggregate/report.txt").read_text(encoding="utf-8")
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 3))  # fixed: back, and not new
    fixed = aggregate(config, today=TODAY + dt.timedelta(days=2))
    assert fixed.changes.new == () and fixed.changes.left_out == ()
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 1))  # really removed now
    gone = aggregate(config, today=TODAY + dt.timedelta(days=3))
    assert gone.changes.removed == ("a:ryhma-1", "a:ryhma-2")


def test_a_member_feed_that_suddenly_offers_nothing_keeps_its_groups_and_sends_no_tombstones(tmp_path, server):
    server.routes["/omaiset/catalogue.json"] = Feed.of(member_feed("omaiset", 2))
    config = make_config(tmp_path, server, ["omaiset"])
    aggregate(config, today=TODAY)
    server.routes["/omaiset/catalogue.json"] = Feed.of(member_feed("omaiset", 0))  # an export gone wrong
    result = aggregate(config, today=TODAY)
    [held] = [p for p in result.problems if p.code == "feed.emptied"]
    assert not held.is_error and "the last good copy was used" in held.message.get("en")
    assert [g["id"] for g in published(tmp_path)["groups"]] == ["omaiset:ryhma-0", "omaiset:ryhma-1"]
    assert json.loads((tmp_path / "dist/tombstones.json").read_text())["tombstones"] == []


def test_ids_are_namespaced_references_follow_and_provenance_is_stamped(tmp_path, server):
    server.routes["/omaiset/catalogue.json"] = Feed.of(member_feed("omaiset", 1, volunteer_consent={"given": "2026-01-10"}))
    result = aggregate(make_config(tmp_path, server, ["omaiset"]), today=TODAY)
    catalogue = result.catalogue
    [group] = catalogue.groups
    assert group.id == "omaiset:ryhma-0" and group.organiser == "omaiset:yhdistys"
    assert group.channels[0].place == "omaiset:talo" and catalogue.place("omaiset:talo")
    assert group.facilitation.leaders == ("omaiset:ohjaaja",)
    assert group.provenance.source == "omaiset"
    assert group.provenance.location.endswith("/omaiset/catalogue.json")
    assert group.provenance.pointer == "$.groups[0]"
    assert group.provenance.retrieved is not None
    assert group.provenance.last_modified == dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    member = catalogue.organisation("omaiset:yhdistys")
    assert member.member_of == ("liitto:liitto",)
    assert catalogue.publisher == "liitto:liitto" and catalogue.organisation("liitto:liitto").kind.value == "federation"
    # The aggregate is itself a valid feed that another aggregator can read.
    assert not list(validator_for("catalogue").iter_errors(published(tmp_path)))


def test_every_reference_field_of_the_model_is_namespaced():
    def names(cls):
        return {name for name, _ in _reference_fields(cls)}

    assert names(Group) == {"id", "organiser", "contacts"}
    assert names(Facilitation) == {"leaders"}
    assert names(InPersonChannel) == {"place"}
    assert names(Event) == {"id", "organiser", "co_organisers", "contacts"}
    assert names(Service) == {"id", "organiser", "contacts"}
    assert names(Organisation) == {"id", "member_of", "parent"}
    assert names(Volunteer) == {"id", "organisation"}
    assert names(Training) == {"organiser"}


def _compare_namespaced(before, after, namespace: str) -> int:
    """Assert that ``after`` is ``before`` with every reference field (anywhere, by
    ``_reference_fields``) prefixed and nothing else changed; count the references."""
    if isinstance(before, tuple):
        assert isinstance(after, tuple) and len(after) == len(before)
        return sum(_compare_namespaced(a, b, namespace) for a, b in zip(before, after, strict=True))
    if not attrs.has(type(before)):
        assert after == before
        return 0
    assert type(after) is type(before)
    references = dict(_reference_fields(type(before)))
    checked = 0
    for field in attrs.fields(type(before)):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if field.name in references and old is not None:
            expected = tuple(namespaced_id(namespace, item) for item in old) if references[field.name] else namespaced_id(namespace, old)
            assert new == expected, (type(before).__name__, field.name)
            checked += 1
        else:
            checked += _compare_namespaced(old, new, namespace)
    return checked


def test_namespacing_prefixes_every_reference_anywhere_in_a_record_and_changes_nothing_else():
    # namespaced() looks only into the fields whose declared types can hold references
    # (a national aggregate has millions of other values); this walks everything.
    import vertaistuki

    checked = 0
    for path in sorted((ROOT / "examples").glob("*/catalogue.yaml")):
        catalogue = vertaistuki.load(path).catalogue
        renamed = namespaced(catalogue, "jasen")
        for collection in COLLECTIONS:
            if collection != "terms":
                checked += _compare_namespaced(getattr(catalogue, collection), getattr(renamed, collection), "jasen")
    assert checked > 200  # ids, organisers, places of channels, leaders, contacts, training organisers...


def test_the_same_group_listed_by_two_members_is_linked_not_merged(tmp_path, server):
    server.routes["/yhdistys/catalogue.json"] = Feed.of(member_feed("yhdistys", group_names=["Omaisten vertaisryhmä", "Muu"]))
    centre = member_feed("keskus", group_names=["OMAISTEN  vertaisryhmä!", "Toinen"], municipality="espoo")
    server.routes["/keskus/catalogue.json"] = Feed.of(centre)
    other_town = member_feed("turku", group_names=["Omaisten vertaisryhmä"], municipality="Turku")
    server.routes["/turku/catalogue.json"] = Feed.of(other_town)
    result = aggregate(make_config(tmp_path, server, ["yhdistys", "keskus", "turku"]), today=TODAY)
    groups = {g.id: g for g in result.catalogue.groups}
    assert len(groups) == 5  # nothing merged
    assert groups["yhdistys:ryhma-0"].same_as == ("keskus:ryhma-0",)
    assert groups["keskus:ryhma-0"].same_as == ("yhdistys:ryhma-0",)
    assert groups["turku:ryhma-0"].same_as == ()  # same name, another town
    assert groups["keskus:ryhma-1"].same_as == ()  # same place, another name and day
    assert result.changes.duplicates == (("keskus:ryhma-0", "yhdistys:ryhma-0"),)


def test_a_declared_same_as_links_across_members(tmp_path, server):
    server.routes["/yhdistys/catalogue.json"] = Feed.of(member_feed("yhdistys", 1))
    centre = member_feed("keskus", group_names=["Aivan eri nimi"], municipality="Vantaa")
    centre["groups"][0]["same_as"] = ["yhdistys:ryhma-0"]
    server.routes["/keskus/catalogue.json"] = Feed.of(centre)
    result = aggregate(make_config(tmp_path, server, ["yhdistys", "keskus"]), today=TODAY)
    groups = {g.id: g for g in result.catalogue.groups}
    assert groups["yhdistys:ryhma-0"].same_as == ("keskus:ryhma-0",)


def test_a_member_cannot_take_over_another_members_ids(tmp_path, server):
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 1))
    intruder = member_feed("b", 1)
    intruder["groups"][0]["id"] = "a:ryhma-0"
    server.routes["/b/catalogue.json"] = Feed.of(intruder)
    result = aggregate(make_config(tmp_path, server, ["a", "b"]), today=TODAY)
    [group] = result.catalogue.groups
    assert group.provenance.source == "a"
    [clash] = [p for p in result.problems if p.code == "aggregate.id_clash"]
    assert clash.record_id == "a:ryhma-0" and "member a" in clash.message.get("en")


def test_shards_cut_the_national_listing_by_region_and_municipality(tmp_path, server):
    server.routes["/espoo/catalogue.json"] = Feed.of(member_feed("espoo", 2, municipality="Espoo"))
    server.routes["/oulu/catalogue.json"] = Feed.of(member_feed("oulu", 1, municipality="Oulu"))
    config = make_config(tmp_path, server, ["espoo", "oulu"], outputs=("json", "shards"))
    aggregate(config, today=TODAY)
    shards = tmp_path / "dist/shards"
    index = json.loads((shards / "index.json").read_text())
    by_key = {(s["kind"], s["key"]): s for s in index["shards"]}
    assert set(by_key) == {("municipality", "espoo"), ("municipality", "oulu"), ("region", "uusimaa")}
    oulu = json.loads((shards / "municipality/oulu.json").read_text())
    assert [g["id"] for g in oulu["groups"]] == ["oulu:ryhma-0"]
    assert [p["id"] for p in oulu["places"]] == ["oulu:talo"]
    assert not list(validator_for("catalogue").iter_errors(oulu))
    fragment = (shards / by_key[("municipality", "espoo")]["html"]["fi"]).read_text()
    assert "Keskusteluryhmä 1" in fragment and "oulu" not in fragment.lower()


def test_federation_toml_is_read_and_checked(tmp_path):
    (tmp_path / "federation.toml").write_text(
        '[federation]\nsource = "liitto"\norganisation = "liitto"\nbase_url = "https://feeds.example/"\n'
        '[[members]]\nid = "a"\nurl = "a/catalogue.json"\n[[members]]\nid = "b"\nurl = "https://b.example/feed.json"\n'
        '[fetch]\nconcurrency = 8\ntotal_timeout = 12\ncache = "cache"\n[[sources]]\npath = "federation.yaml"\n',
        encoding="utf-8")
    config = read_aggregate_config(tmp_path / "federation.toml")
    assert [m.url for m in config.members] == ["https://feeds.example/a/catalogue.json", "https://b.example/feed.json"]
    assert config.policy.total_timeout == 12 and not config.policy.allow_http and config.concurrency == 8
    assert config.cache == tmp_path / "cache"
    other = read_aggregate_config(tmp_path / "federation.toml", base_url="http://127.0.0.1:9/")
    assert other.members[0].url == "http://127.0.0.1:9/a/catalogue.json"


@pytest.mark.parametrize(("text", "path"), [
    ('[[sources]]\npath = "x.yaml"\n', "$.federation"),
    ('[federation]\nsource = "liitto"\norganisation = "liitto"\n[[members]]\nid = "A B"\nurl = "x"\n[[sources]]\npath = "x.yaml"\n',
     "$.members[0].id"),
    ('[federation]\nsource = "liitto"\norganisation = "liitto"\n[[members]]\nid = "a"\nurl = "x"\n[[members]]\nid = "a"\nurl = "y"\n'
     '[[sources]]\npath = "x.yaml"\n', "$.members[1].id"),
    ('[federation]\nsource = "liitto"\norganisation = "liitto"\n[fetch]\nmax_byts = 3\n[[sources]]\npath = "x.yaml"\n', "$.fetch.max_byts"),
    # a misspelt base_url would fetch the members' addresses as written
    ('[federation]\nsource = "liitto"\norganisation = "liitto"\nbase_ur = "https://feeds.example/"\n[[sources]]\npath = "x.yaml"\n',
     "$.federation.base_ur"),
    # a limit of the wrong kind is named too, not only "[fetch]"
    ('[federation]\nsource = "liitto"\norganisation = "liitto"\n[fetch]\ntotal_timeout = "30"\n[[sources]]\npath = "x.yaml"\n',
     "$.fetch.total_timeout"),
])
def test_federation_toml_mistakes_name_the_setting(tmp_path, text, path):
    (tmp_path / "federation.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_aggregate_config(tmp_path / "federation.toml")
    assert error.value.problem.path == path
    if path == "$.federation.base_ur":
        assert error.value.problem.message.get("en") == 'unknown setting base_ur (did you mean "base_url"?)'


@pytest.mark.parametrize("day", ["31.2.2026", "2026-02-31", "tomorrow"])
def test_the_aggregate_command_refuses_a_day_that_is_no_day(tmp_path, capsys, day):
    from vertaistuki.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["aggregate", str(tmp_path / "federation.toml"), "--today", day])
    error = capsys.readouterr().err
    assert stopped.value.code == 2 and "--today" in error and "YYYY-MM-DD" in error and "Traceback" not in error


def test_vertaistuki_aggregate_command(tmp_path, server, capsys):
    from vertaistuki.cli import main

    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 2))
    server.routes["/b/catalogue.json"] = Status(500)
    (tmp_path / "federation.yaml").write_text(FEDERATION_YAML, encoding="utf-8")
    (tmp_path / "federation.toml").write_text(
        '[federation]\nsource = "liitto"\norganisation = "liitto"\n[[members]]\nid = "a"\nurl = "a/catalogue.json"\n'
        '[[members]]\nid = "b"\nurl = "b/catalogue.json"\n[fetch]\nallow_http = true\nallow_addresses = ["loopback"]\n'
        'cache = "cache"\n[[sources]]\npath = "federation.yaml"\n[build]\nout = "out"\n', encoding="utf-8")
    code = main(["aggregate", str(tmp_path / "federation.toml"), "--base-url", server.base + "/", "--lang", "en"])
    printed = capsys.readouterr().out
    assert code == 1  # b's feed failed with no copy: an error, reported, the rest published
    assert "aggregated 2 groups" in printed
    assert "- b <" in printed and "the server answered 500" in printed
    assert len(json.loads((tmp_path / "out/catalogue.json").read_text())["groups"]) == 2


@pytest.mark.slow
def test_the_demo_federation_aggregates_the_examples_served_on_loopback(tmp_path):
    """What `make demo` does: every example's feed, served over http, aggregated."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import attrs

    from vertaistuki.build import build
    from vertaistuki.config import read_config

    examples = Path(__file__).resolve().parent.parent / "examples"
    feeds = tmp_path / "feeds"
    for toml in sorted(examples.glob("*/catalogue.toml")):
        config = read_config(toml)  # the catalogue files only: tests load no installed plugin's source
        config = attrs.evolve(config, outputs=(OutputSpec("json"),), sources=tuple(s for s in config.sources if s.type is None))
        assert not build(config, feeds / toml.parent.name, today=TODAY).errors

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(feeds)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        config = read_aggregate_config(examples / "federation/federation.toml",
                                       base_url=f"http://127.0.0.1:{httpd.server_address[1]}/")
        config = attrs.evolve(config, cache_dir=tmp_path / "cache",
                              build=attrs.evolve(config.build, out_dir=tmp_path / "national"))
        result = aggregate(config, today=TODAY)
        again = aggregate(config, today=TODAY)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert not result.errors, "\n".join(p.describe("en") for p in result.errors)
    assert {r.status for r in result.feeds} == {FetchStatus.FRESH}
    assert {r.status for r in again.feeds} == {FetchStatus.NOT_MODIFIED}  # Last-Modified → 304
    members = {m.id for m in config.members}
    assert {g.provenance.source for g in result.catalogue.groups} <= members
    for member in members:
        own = json.loads((feeds / member / "catalogue.json").read_text())
        assert {f"{member}:{g['id']}" for g in own.get("groups", [])} <= {g.id for g in result.catalogue.groups}
        publisher = result.catalogue.organisation(f"{member}:{own['publisher']}")
        assert publisher.member_of[-1] == "vertaistukiverkosto:verkosto"
    index = json.loads((tmp_path / "national/shards/index.json").read_text())
    assert {"tampere", "helsinki"} <= {s["key"] for s in index["shards"] if s["kind"] == "municipality"}


def test_outputs_are_streamed_to_disk_and_need_not_be_kept(tmp_path, server):
    # A federation's outputs are gigabytes: the command line keeps none of them in memory.
    server.routes["/jasen/catalogue.json"] = Feed.of(member_feed("jasen", 5))
    config = make_config(tmp_path, server, ["jasen"], outputs=("json", "csv"))
    result = aggregate(config, today=TODAY, keep_files=False)
    assert "catalogue.json" not in result.files and "csv/groups.csv" not in result.files
    assert len(published(tmp_path)["groups"]) == 5
    assert (tmp_path / "dist" / "csv" / "groups.csv").exists()
    assert {path.name for path in result.written} >= {"catalogue.json", "groups.csv", "problems.json"}
    assert "problems.json" in result.files  # the run's reports stay small and are returned


def test_a_renderer_writing_outside_the_folder_publishes_nothing(tmp_path, server):
    from vertaistuki import plugins
    from vertaistuki.hookspecs import hookimpl
    from vertaistuki.registry import Renderer

    class Escaping:
        @hookimpl
        def register_renderers(self, register):
            register(Renderer(name="escaping", media_type="text/plain", suffix=".txt",
                              render=lambda catalogue, context: {"../outside.txt": b"x"}))

    server.routes["/jasen/catalogue.json"] = Feed.of(member_feed("jasen", 3))
    config = make_config(tmp_path, server, ["jasen"])
    aggregate(config, today=TODAY)
    before = (tmp_path / "dist" / "catalogue.json").read_bytes()
    server.routes["/jasen/catalogue.json"] = Feed.of(member_feed("jasen", 4))
    escaping = make_config(tmp_path, server, ["jasen"], outputs=("json", "escaping"))
    with plugins.registered_plugin(Escaping(), "escaping-plugin"):
        result = aggregate(escaping, today=TODAY)
    assert [p for p in result.errors if "outside" in p.message.get("en")]
    assert not (tmp_path / "outside.txt").exists()
    assert (tmp_path / "dist" / "catalogue.json").read_bytes() == before  # the previous outputs stay
    assert not [p for p in (tmp_path / "dist").rglob("*.tmp")]


def test_an_aggregation_renders_the_same_files_in_worker_processes(tmp_path, server, monkeypatch):
    from vertaistuki import parallel
    from vertaistuki.cli import build_parser
    from vertaistuki.parallel import can_fork

    if not can_fork():
        pytest.skip("worker processes need the fork start method (Linux)")
    server.routes["/espoo/catalogue.json"] = Feed.of(member_feed("espoo", 3, municipality="Espoo"))
    server.routes["/oulu/catalogue.json"] = Feed.of(member_feed("oulu", 2, municipality="Oulu"))
    config = make_config(tmp_path, server, ["espoo", "oulu"], outputs=("json", "csv", "html", "shards", "ics"))
    # The second run's feeds are unchanged (304), so the provenance it stamps is the same.
    alone = aggregate(config, today=TODAY, out_dir=tmp_path / "one", keep_files=False)
    in_workers = []
    original = parallel.render_in_workers
    monkeypatch.setattr(parallel, "render_in_workers",
                        lambda *args, **options: in_workers.append(options["jobs"]) or original(*args, **options))
    in_parallel = aggregate(config, today=TODAY, out_dir=tmp_path / "many", keep_files=False, jobs=2)
    assert in_workers == [2]

    def files(folder: Path) -> dict[str, bytes]:  # the renderers' files (the run's reports say when it fetched)
        return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*")
                if path.is_file() and path.relative_to(folder).parts[0] != "aggregate"}

    rendered = files(tmp_path / "many")
    assert rendered == files(tmp_path / "one") and "shards/index.json" in rendered
    assert len(in_parallel.written) == len(alone.written) > 10
    assert [p.describe("en") for p in in_parallel.problems] == [p.describe("en") for p in alone.problems]
    assert build_parser().parse_args(["aggregate", "federation.toml", "--jobs", "2"]).jobs == 2


def test_an_output_folder_that_cannot_be_made_is_reported_before_any_feed_is_fetched(tmp_path, server):
    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a"))
    config = make_config(tmp_path, server, ["a"])
    (tmp_path / "dist").write_text("a file where the output folder should be", encoding="utf-8")
    result = aggregate(config, today=TODAY)
    [problem] = result.problems
    assert (problem.code, problem.path) == ("folder_unwritable", "$.build.out")
    assert str(tmp_path / "dist") in problem.message.get("en")
    assert server.requests == [] and result.written == ()


def test_a_cache_that_cannot_be_written_loses_no_feed_and_is_reported(tmp_path, server, monkeypatch):
    from vertaistuki import feeds

    server.routes["/a/catalogue.json"] = Feed.of(member_feed("a", 2))

    def full(path, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feeds, "write_atomic", full)  # the cache's copies; the outputs are written as before
    result = aggregate(make_config(tmp_path, server, ["a"]), today=TODAY)
    assert [f.status for f in result.feeds] == [FetchStatus.FRESH]
    assert len(published(tmp_path)["groups"]) == 2
    [warning] = [p for p in result.problems if p.code == "feed_cache_unwritable"]
    assert not warning.is_error and warning.path == "$.fetch.cache" and "No space left on device" in warning.message.get("en")
