"""The build pipeline end to end: sources → catalogue → renderers → files on disk."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import types
from pathlib import Path

import attrs
import pytest

from vertaistuki import plugins
from vertaistuki.build import PROBLEMS_JSON, build
from vertaistuki.config import BuildConfig, ConfigError, OutputSpec, SourceSpec, read_config
from vertaistuki.csvsafe import FORMULA_STARTS
from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer, Source
from vertaistuki.schemas import validator_for

from repository_plugins import every_renderer_name, renderer_available

CATALOGUE = """\
source: omaiset
organisations:
  - {id: omaiset, name: {fi: Omaisyhdistys}, kind: association, contact: {phone: "09 123 4567"}}
places:
  - {id: talo, name: {fi: Omaistalo}, municipality: {fi: Helsinki}}
groups:
  - id: miesten-voimaa
    name: {fi: Miesten voimaa, sv: Männens kraft}
    organiser: omaiset
    openness: open
    channels: [{kind: in_person, place: talo}, {kind: phone, phone: "040 754 9716"}]
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=TH", start_time: "18:00", end_time: "20:00"}
  - id: kaava
    name: {fi: "=HYPERLINK(\\"http://evil.example\\",\\"klikkaa\\")"}
    description: {fi: "-2+3", sv: "@SUM(A1)"}
    organiser: omaiset
    openness: closed
    registration: {required: true, instructions: {fi: "Soita"}}
  - {id: rikki, name: {fi: Rikki}, organiser: omaiset, openness: ajar}
"""
SPREADSHEET = "id;name_fi;organiser;openness;place;rrule;start_time\nkasityo;Käsityöilta;omaiset;avoin;talo;\"FREQ=WEEKLY;BYDAY=MO\";17:00\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "ryhmat.csv").write_text(SPREADSHEET, encoding="utf-8-sig")
    (tmp_path / "catalogue.toml").write_text(
        '[[sources]]\npath = "catalogue.yaml"\n[[sources]]\npath = "ryhmat.csv"\n'
        '[[outputs]]\nrenderer = "json"\n[[outputs]]\nrenderer = "csv"\n[build]\nout = "public"\n', encoding="utf-8")
    return tmp_path


def test_build_merges_sources_and_writes_every_output(project):
    result = build(read_config(project / "catalogue.toml"))
    out = project / "public"
    assert sorted(g.id for g in result.catalogue.groups) == ["kaava", "kasityo", "miesten-voimaa"]
    assert {"catalogue.json", "csv/groups.csv", "csv/places.csv", "problems.json", "problems.txt"} <= {
        p.relative_to(out).as_posix() for p in result.written}
    # the one bad record is reported against its own file, with its id and path
    [problem] = [p for p in result.errors]
    assert (problem.record_id, problem.path, Path(problem.source).name) == ("rikki", "$.groups[2].openness", "catalogue.yaml")
    report = json.loads((out / PROBLEMS_JSON).read_text(encoding="utf-8"))
    assert report["errors"] == 1 and report["problems"][0]["record_id"] == "rikki"


def test_csv_records_remember_their_row(project):
    result = build(read_config(project / "catalogue.toml"), write=False)
    kasityo = next(g for g in result.catalogue.groups if g.id == "kasityo")
    assert kasityo.provenance.pointer == "row 2"
    # as catalogue.toml names it: the published feed does not tell the editor's own folders
    assert kasityo.provenance.location == "ryhmat.csv"
    assert kasityo.openness.value == "open"  # "avoin" read as the code
    problem = next(p for p in result.errors if p.record_id == "rikki")
    assert problem.source == str(project / "catalogue.yaml")  # the editor is told where the file is


def test_json_output_is_valid_against_the_published_schema(project):
    build(read_config(project / "catalogue.toml"))
    feed = json.loads((project / "public" / "catalogue.json").read_text(encoding="utf-8"))
    assert feed["format"] == "vertaistuki/1"
    assert list(validator_for("catalogue").iter_errors(feed)) == []


@pytest.mark.parametrize(("indent", "first_lines"), [(None, ['{', '  "format": "vertaistuki/1",']),
                                                     ("4", ['{', '    "format": "vertaistuki/1",']),
                                                     ("false", None)])
def test_the_json_feed_is_indented_as_its_option_says(project, indent, first_lines):
    if indent is not None:
        config = project / "catalogue.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            'renderer = "json"\n', f'renderer = "json"\noptions = {{ indent = {indent} }}\n'), encoding="utf-8")
    build(read_config(project / "catalogue.toml"))
    text = (project / "public" / "catalogue.json").read_text(encoding="utf-8")
    assert json.loads(text)["format"] == "vertaistuki/1"
    assert text.splitlines()[:2] == first_lines if first_lines else text.startswith('{"format":"vertaistuki/1",')


@pytest.mark.parametrize("indent", ['"x"', "3.5", "0", "9", "true"])
def test_a_json_indent_that_is_no_number_of_spaces_is_refused_and_no_broken_feed_is_published(project, indent):
    config = project / "catalogue.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'renderer = "json"\n', f'renderer = "json"\noptions = {{ indent = {indent} }}\n'), encoding="utf-8")
    result = build(read_config(config))
    [problem] = [p for p in result.errors if p.code == "renderer_option"]
    assert problem.path == "$.options.indent" and problem.source.endswith("[outputs.json]")
    assert problem.message.get("en").startswith("output json: option indent must be a number of spaces from 1 to 8")
    assert problem.message.get("fi").startswith("tulosteen json asetuksen indent pitää olla välilyöntien määrä 1–8")
    assert not (project / "public" / "catalogue.json").exists()
    assert (project / "public" / "csv" / "groups.csv").exists()  # the other outputs are published


def test_csv_output_is_excel_safe_and_reads_back(project):
    build(read_config(project / "catalogue.toml"))
    raw = (project / "public" / "csv" / "groups.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    header = rows[0]
    by_id = {row[header.index("tunniste")]: row for row in rows[1:]}
    assert by_id["kaava"][header.index("nimi_fi")].startswith("'=HYPERLINK")
    assert by_id["miesten-voimaa"][header.index("puhelin")].replace(" ", "") == "0407549716"
    # every field quoted
    assert raw.decode("utf-8-sig").splitlines()[1].startswith('"')

    # and the CSV source reads our own export back to the same groups
    again = project / "again"
    again.mkdir()
    (again / "groups.csv").write_bytes(raw)
    (again / "catalogue.yaml").write_text(CATALOGUE.split("groups:")[0], encoding="utf-8")
    config = BuildConfig(path=again / "catalogue.toml", sources=(SourceSpec("catalogue.yaml"), SourceSpec("groups.csv")))
    reread = build(config, write=False)
    assert not [p for p in reread.problems if p.code == "csv_unknown_column"]  # every column of ours is read
    original = {g.id: g for g in build(read_config(project / "catalogue.toml"), write=False).catalogue.groups}
    for group in reread.catalogue.groups:
        before = original[group.id]
        assert (group.name, group.openness, group.schedule, group.channels) == (
            before.name, before.openness, before.schedule, before.channels)


def test_a_missing_source_is_reported_the_rest_read_and_nothing_published(project):
    config = read_config(project / "catalogue.toml")
    config = BuildConfig(path=config.path, sources=(*config.sources, SourceSpec("puuttuu.yaml")), outputs=config.outputs)
    result = build(config)
    assert any(p.code == "file_missing" and p.source.endswith("puuttuu.yaml") for p in result.problems)
    assert len(result.catalogue.groups) == 3  # the other sources are read and checked
    assert result.written == () and any(p.code == "source_unread" for p in result.errors)


class RaisingSource:
    @hookimpl
    def register_sources(self, register):
        def explode(request):
            raise RuntimeError("spreadsheet API down")
        register(Source(name="exploding", read=explode))


class RaisingRenderer:
    @hookimpl
    def register_renderers(self, register):
        def explode(catalogue, context):
            raise ValueError("template missing")
        register(Renderer(name="exploding", media_type="text/plain", suffix=".txt", render=explode))


class YieldingRenderer:
    """Writes one page per group as it goes; can fail or clash half-way."""

    def __init__(self, fail_after: int | None = None, clash: str | None = None) -> None:
        self.fail_after, self.clash = fail_after, clash

    @hookimpl
    def register_renderers(self, register):
        def pages(catalogue, context):
            for number, group in enumerate(catalogue.groups):
                if number == self.fail_after:
                    raise RuntimeError("disk template vanished")
                yield f"pages/{group.id}.txt", group.name.get("fi").encode("utf-8")
            if self.clash:
                yield self.clash, b"mine"

        register(Renderer(name="pages", media_type="text/plain", suffix=".txt", render=pages))


def _with_pages(project):
    config = read_config(project / "catalogue.toml")
    return BuildConfig(path=config.path, sources=config.sources, out_dir=config.out_dir,
                       outputs=(*config.outputs, OutputSpec("pages")))


def test_a_renderer_may_yield_its_files_one_by_one(project):
    with plugins.registered_plugin(YieldingRenderer(), "page-per-group"):
        result = build(_with_pages(project), keep_files=False)
    assert not [p for p in result.problems if p.code == "renderer_failed"]
    assert (project / "public" / "pages" / "kasityo.txt").read_text(encoding="utf-8") == "Käsityöilta"
    assert len(list((project / "public" / "pages").iterdir())) == len(result.catalogue.groups) == 3


@pytest.mark.parametrize("renderer", [YieldingRenderer(fail_after=2), YieldingRenderer(clash="catalogue.json")],
                         ids=["fails half-way", "clashes at the end"])
def test_a_yielding_renderer_that_fails_half_way_publishes_none_of_its_files(project, renderer):
    with plugins.registered_plugin(renderer, "page-per-group"):
        result = build(_with_pages(project))
    [problem] = [p for p in result.problems if p.code == "renderer_failed"]
    assert "pages" in problem.message.get("en")
    assert not (project / "public" / "pages").exists() or not any((project / "public" / "pages").iterdir())
    assert not [name for name in result.files if name.startswith("pages/")]
    published = json.loads((project / "public" / "catalogue.json").read_text(encoding="utf-8"))
    assert published["source"]  # the json renderer's file is the real one, not "mine"


class ChunkedRenderer:
    """Writes one big file in chunks, as a generator; can fail or send text half-way."""

    def __init__(self, fail_at: int | None = None, text_at: int | None = None) -> None:
        self.fail_at, self.text_at = fail_at, text_at
        self.chunks_made = 0

    @hookimpl
    def register_renderers(self, register):
        def chunks(catalogue):
            for number, group in enumerate(catalogue.groups):
                if number == self.fail_at:
                    raise RuntimeError("template broke in the middle of the page")
                self.chunks_made += 1
                line = group.name.get("fi") + "\n"
                yield line if number == self.text_at else line.encode("utf-8")

        def pages(catalogue, context):
            yield "big/all.txt", chunks(catalogue)
            yield "big/after.txt", b"written after the big file"

        register(Renderer(name="pages", media_type="text/plain", suffix=".txt", render=pages))


@pytest.mark.parametrize("keep_files", [False, True], ids=["streamed", "kept"])
def test_a_file_may_come_in_chunks_and_is_written_whole(project, keep_files):
    renderer = ChunkedRenderer()
    with plugins.registered_plugin(renderer, "chunked"):
        result = build(_with_pages(project), keep_files=keep_files)
    assert not [p for p in result.problems if p.code == "renderer_failed"]
    names = [group.name.get("fi") for group in result.catalogue.groups]
    written = (project / "public" / "big" / "all.txt").read_text(encoding="utf-8")
    assert written.splitlines() == names and renderer.chunks_made == len(names) == 3
    assert (project / "public" / "big" / "after.txt").read_bytes() == b"written after the big file"
    if keep_files:
        assert result.files["big/all.txt"] == written.encode("utf-8")
    else:
        assert "big/all.txt" not in result.files


@pytest.mark.parametrize("renderer", [ChunkedRenderer(fail_at=1), ChunkedRenderer(text_at=2)],
                         ids=["fails between chunks", "sends text, not bytes"])
def test_a_file_that_breaks_between_chunks_publishes_nothing_of_its_renderer(project, renderer):
    with plugins.registered_plugin(renderer, "chunked"):
        result = build(_with_pages(project), keep_files=False)
    [problem] = [p for p in result.problems if p.code == "renderer_failed"]
    assert "chunked" in problem.message.get("en") and "pages" in problem.message.get("en")
    assert not (project / "public" / "big").exists() or not any((project / "public" / "big").iterdir())
    assert (project / "public" / "catalogue.json").exists()  # the other renderers' files are published


def test_a_raising_source_plugin_is_reported_by_name(project):
    with plugins.registered_plugin(RaisingSource(), "raising-source"):
        config = read_config(project / "catalogue.toml")
        config = BuildConfig(path=config.path, sources=(SourceSpec("x", type="exploding"), *config.sources),
                             outputs=config.outputs)
        result = build(config, write=False)
    [problem] = [p for p in result.problems if p.code == "source_failed"]
    assert "raising-source" in problem.message.get("en") and "spreadsheet API down" in problem.message.get("en")
    assert len(result.catalogue.groups) == 3


def test_a_raising_renderer_is_reported_and_other_outputs_written(project):
    with plugins.registered_plugin(RaisingRenderer(), "raising-renderer"):
        config = read_config(project / "catalogue.toml")
        config = BuildConfig(path=config.path, sources=config.sources, out_dir=config.out_dir,
                             outputs=(OutputSpec("exploding"), *config.outputs))
        result = build(config)
    [problem] = [p for p in result.problems if p.code == "renderer_failed"]
    assert "raising-renderer" in problem.message.get("en") and "template missing" in problem.message.get("en")
    assert (project / "public" / "catalogue.json").is_file()


def test_strict_publishes_nothing_when_there_are_errors(project):
    result = build(read_config(project / "catalogue.toml"), strict=True)
    assert result.errors and result.written == ()
    assert not (project / "public").exists()


def test_a_build_killed_while_writing_leaves_the_previous_outputs(project, monkeypatch):
    build(read_config(project / "catalogue.toml"))
    before = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
    (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Isien voimaa"), encoding="utf-8")
    calls = {"n": 0}
    real_fsync = os.fsync

    def dying_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the build is killed mid-way
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", dying_fsync)
    with pytest.raises(KeyboardInterrupt):
        build(read_config(project / "catalogue.toml"))
    after = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
    assert after == before  # no half-written file, no temporary left behind


class ManyFiles:
    """A hundred small files, each naming the catalogue's groups: enough that the build
    flushes them with one sync, and all of them change when a group's name does. And two
    long pages streamed in chunks, as a national listing's are: one of the places, one
    naming the groups half-way through."""

    @hookimpl
    def register_renderers(self, register):
        register(Renderer(name="pages", media_type="text/plain", suffix=".txt", render=self.render))

    @staticmethod
    def render(catalogue, context):
        groups = " ".join(g.name.get("fi") for g in catalogue.groups)
        places = " ".join(p.name.get("fi") for p in catalogue.places).encode()
        filler = b"x" * 65_000 + b"\n"
        return {**{f"pages/{n}.txt": groups.encode() for n in range(100)},
                "pages/long-places.txt": (places + filler for _ in range(40)),
                "pages/long-groups.txt": itertools.chain([filler] * 20, [groups.encode()], [filler] * 20)}


def test_a_large_build_killed_while_flushing_leaves_the_previous_outputs(project, monkeypatch):
    with plugins.registered_plugin(ManyFiles(), "many-files"):
        build(_with_pages(project))
        before = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
        (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Isien voimaa"), encoding="utf-8")

        def dying_sync():
            raise KeyboardInterrupt  # killed while the files go to disk, before any rename

        monkeypatch.setattr(os, "sync", dying_sync)
        with pytest.raises(KeyboardInterrupt):
            build(_with_pages(project))
    after = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
    assert after == before and len(before) > 100  # no half-published build, no temporary left behind


def _published(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_that_keeps_no_files_in_memory_publishes_the_same(project):
    kept = build(read_config(project / "catalogue.toml"), project / "kept", today=dt.date(2026, 11, 23))
    streamed = build(read_config(project / "catalogue.toml"), project / "streamed", today=dt.date(2026, 11, 23), keep_files=False)
    assert streamed.files == {} and "catalogue.json" in kept.files
    assert _published(project / "streamed") == _published(project / "kept")
    assert len(streamed.written) == len(kept.written) > 3


def test_a_build_killed_after_one_renderer_was_staged_leaves_the_previous_outputs(project, monkeypatch):
    build(read_config(project / "catalogue.toml"))
    before = _published(project / "public")
    (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Isien voimaa"), encoding="utf-8")
    real = plugins.renderers()

    def dying(catalogue, context):
        raise KeyboardInterrupt  # killed while the csv renderer runs, after json was staged

    monkeypatch.setattr(plugins, "renderers", lambda: {**real, "csv": attrs.evolve(real["csv"], render=dying)})
    with pytest.raises(KeyboardInterrupt):
        build(read_config(project / "catalogue.toml"))
    assert _published(project / "public") == before  # nothing new, no temporary left behind


def test_files_a_later_build_no_longer_makes_are_removed(project):
    build(read_config(project / "catalogue.toml"))
    assert (project / "public" / "csv" / "places.csv").exists()
    (project / "catalogue.toml").write_text(
        '[[sources]]\npath = "catalogue.yaml"\n[[outputs]]\nrenderer = "json"\n[build]\nout = "public"\n', encoding="utf-8")
    build(read_config(project / "catalogue.toml"))
    assert not (project / "public" / "csv" / "places.csv").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_leaves_the_files_whose_bytes_did_not_change_as_they_were(project, jobs):
    # Their modification times keep saying when their content changed (Last-Modified,
    # calendar clients, rsync), and a rebuild makes new files only for what changed.
    config = _with_pages(project)
    with plugins.registered_plugin(ManyFiles(), "many-files"):
        build(config, today=dt.date(2026, 11, 23))
        out = project / "public"
        identity = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
        (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Isien voimaa"), encoding="utf-8")
        result = build(config, today=dt.date(2026, 11, 23), jobs=jobs, keep_files=False)  # streamed, as the CLI does
    changed = {p for p in identity if (p.stat().st_ino, p.stat().st_mtime_ns) != identity[p]}
    assert "Isien voimaa" in (out / "pages" / "7.txt").read_text(encoding="utf-8")
    assert out / "pages" / "7.txt" in changed and out / "catalogue.json" in changed
    assert out / "csv" / "places.csv" not in changed  # the places did not change
    # a long streamed page too (2.6 MB, compared as it comes); the one that changed
    # half-way gets the new bytes (checked against a fresh build below)
    assert out / "pages" / "long-places.txt" not in changed and out / "pages" / "long-groups.txt" in changed
    assert set(result.written) == set(identity) - {out / ".vertaistuki-manifest.json"}  # unchanged files included
    assert set(result.changed) == changed - {out / ".vertaistuki-manifest.json"}  # what the build says it wrote
    assert _published(out) == _published(_fresh_build(project, config))


def _fresh_build(project: Path, config: BuildConfig) -> Path:
    with plugins.registered_plugin(ManyFiles(), "many-files"):
        build(config, project / "fresh", today=dt.date(2026, 11, 23))
    return project / "fresh"


@pytest.mark.skipif(os.name != "posix", reason="file modes and symbolic links as on POSIX")
def test_an_unchanged_file_is_replaced_when_it_is_not_readable_as_a_new_one_would_be_or_is_a_link(project):
    previous = os.umask(0o022)
    try:
        build(read_config(project / "catalogue.toml"), today=dt.date(2026, 11, 23))
        out = project / "public"
        (out / "catalogue.json").chmod(0o600)  # as an older version published it
        (project / "elsewhere.csv").write_bytes((out / "csv" / "places.csv").read_bytes())
        (out / "csv" / "places.csv").unlink()
        (out / "csv" / "places.csv").symlink_to(project / "elsewhere.csv")  # the same bytes, behind a link
        build(read_config(project / "catalogue.toml"), today=dt.date(2026, 11, 23))
    finally:
        os.umask(previous)
    assert (out / "catalogue.json").stat().st_mode & 0o777 == 0o644
    assert not (out / "csv" / "places.csv").is_symlink()
    assert (out / "csv" / "places.csv").read_bytes() == (project / "elsewhere.csv").read_bytes()


def test_an_output_folder_that_cannot_be_made_is_reported_before_anything_is_rendered(project, monkeypatch):
    (project / "public").write_text("a file where the output folder should be", encoding="utf-8")

    def render_all(*args, **kwargs):
        raise AssertionError("rendered although nothing could be published")

    monkeypatch.setattr("vertaistuki.build.render_all", render_all)
    result = build(read_config(project / "catalogue.toml"))
    [problem] = [p for p in result.errors if p.code == "folder_unwritable"]
    assert (problem.path, Path(problem.source).name) == ("$.build.out", "catalogue.toml")
    assert str(project / "public") in problem.message.get("en") and "nothing was published" in problem.message.get("en")
    assert result.written == () and len(result.catalogue.groups) == 3  # the sources were still read and checked
    assert (project / "public").read_text(encoding="utf-8").startswith("a file")


def test_a_strict_build_with_errors_leaves_no_folder_behind_from_the_check(project):
    result = build(read_config(project / "catalogue.toml"), project / "new" / "deeper", strict=True)
    assert result.errors and not (project / "new").exists()


def test_a_disk_that_fills_up_while_publishing_is_reported_and_the_previous_outputs_stand(project, monkeypatch):
    import errno

    from vertaistuki import atomic

    build(read_config(project / "catalogue.toml"))
    before = _published(project / "public")
    (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Isien voimaa"), encoding="utf-8")

    def full(paths):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_make_durable", full)
    result = build(read_config(project / "catalogue.toml"))
    [problem] = [p for p in result.errors if p.code == "folder_unwritable"]
    assert "No space left on device" in problem.message.get("en") and result.written == ()
    assert _published(project / "public") == before  # nothing new, no temporary left behind


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
@pytest.mark.parametrize("jobs", [1, 2])
def test_published_files_get_the_permissions_of_the_users_umask(project, jobs):
    # A web server running as another user must be able to read the pages it serves:
    # temporary files made by tempfile.mkstemp would have been published readable by
    # their owner only (0600).
    previous = os.umask(0o022)
    try:
        result = build(read_config(project / "catalogue.toml"), jobs=jobs)
    finally:
        os.umask(previous)
    modes = {p.relative_to(project / "public").as_posix(): p.stat().st_mode & 0o777 for p in result.written}
    modes[".vertaistuki-manifest.json"] = (project / "public" / ".vertaistuki-manifest.json").stat().st_mode & 0o777
    assert "catalogue.json" in modes and set(modes.values()) == {0o644}, modes
    os.umask(0o077)
    try:
        result = build(read_config(project / "catalogue.toml"), jobs=jobs)
    finally:
        os.umask(previous)
    assert {p.stat().st_mode & 0o777 for p in result.written} == {0o600}  # a private umask is kept too


@pytest.mark.parametrize(("toml", "path", "english"), [
    ("", "$.sources", "needs at least one [[sources]]"),
    ('[[sources]]\nfile = "x.yaml"\n', "$.sources[0]", "a source needs a path"),
    ('[[sources]]\npath = 5\n', "$.sources[0].path", "path is a file's path or an address in quotes"),
    ('[[sources]]\npath = "x.yaml"\n[colours]\n', "$.colours", "unknown section [colours]"),
    ('[[sources]]\npath = "x.yaml"\n[outputz]\n', "$.outputz", 'unknown section [outputz] (did you mean "outputs"?)'),
    ('[[sources]\n', "$", ""),
    # misspelt settings that were ignored before, leaving options unset or publishing elsewhere
    ('[[sources]]\npath = "x.yaml"\n[[outputs]]\nrenderer = "html"\noption = { languages = ["fi"] }\n', "$.outputs[0].option",
     'unknown setting option (did you mean "options"?)'),
    ('[[sources]]\npath = "x.yaml"\n[build]\noutput = "site"\n', "$.build.output", 'unknown setting output (did you mean "out"?)'),
    ('[[sources]]\npath = "x.yaml"\n[build]\nout = 5\n', "$.build.out", ""),
    ('build = "site"\n[[sources]]\npath = "x.yaml"\n', "$.build", ""),
    ('[[sources]]\npath = "x.yaml"\n[plugins]\nenabled = ["house_rules"]\n', "$.plugins.enabled",
     'unknown setting enabled (did you mean "enable"?)'),
    ('[[sources]]\npath = "x.yaml"\ncolour = "red"\n', "$.sources[0].colour", "unknown setting colour (path, type, options)"),
])
def test_config_errors_are_clear(tmp_path, toml, path, english):
    (tmp_path / "catalogue.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config(tmp_path / "catalogue.toml")
    assert raised.value.problem.path == path
    assert english in raised.value.problem.message.get("en")


def test_csv_lists_an_online_channel_that_has_only_instructions(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "source: x\norganisations: [{id: o, name: {fi: O}, kind: association}]\n"
        "groups:\n- id: verkko\n  name: {fi: Verkkoryhmä}\n  organiser: o\n  openness: open\n"
        "  channels: [{kind: online, instructions: {fi: Pyydä kutsu sähköpostilla}}, {kind: online, url: 'https://example.org/r'}]\n",
        encoding="utf-8")
    result = build(BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("c.yaml"),),
                               outputs=(OutputSpec("csv", {"headers": "en"}),)), write=False)
    assert result.problems == ()
    rows = list(csv.DictReader(io.StringIO(result.files["csv/groups.csv"].decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["online_url"] == "https://example.org/r"


def test_csv_shows_schedules_in_words(project):
    build(read_config(project / "catalogue.toml"))
    rows = list(csv.DictReader(io.StringIO((project / "public" / "csv" / "groups.csv").read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
    assert {row["tunniste"]: row["aikataulu"] for row in rows}["miesten-voimaa"] == "torstaisin klo 18–20"


def test_csv_says_a_default_rather_than_leaving_the_cell_empty_and_how_to_sign_up(project):
    """An empty fee cell cannot be told from "not known": the default is written out.
    Where to sign up (e-mail, phone, last day) is a column of its own, read back too."""
    text = (project / "catalogue.yaml").read_text(encoding="utf-8")
    (project / "catalogue.yaml").write_text(text.replace(
        'registration: {required: true, instructions: {fi: "Soita"}}',
        'registration: {required: true, instructions: {fi: "Soita"}, email: ilmo@example.fi, deadline: 2027-01-08}'),
        encoding="utf-8")
    build(read_config(project / "catalogue.toml"))
    raw = (project / "public" / "csv" / "groups.csv").read_bytes()
    rows = {row["tunniste"]: row for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")}
    plain = rows["miesten-voimaa"]  # no fee, status or registration given
    assert (plain["maksu"], plain["tila"], plain["valtakunnallinen"], plain["ilmoittautuminen"]) == (
        "free", "active", "false", "")
    signed = rows["kaava"]
    assert (signed["ilmoittautuminen"], signed["ilmoittautuminen_sähköposti"], signed["ilmoittautuminen_viimeistään"]) == (
        "true", "ilmo@example.fi", "2027-01-08")
    again = project / "again"
    again.mkdir()
    (again / "groups.csv").write_bytes(raw)
    (again / "catalogue.yaml").write_text(CATALOGUE.split("groups:")[0], encoding="utf-8")
    config = BuildConfig(path=again / "catalogue.toml", sources=(SourceSpec("catalogue.yaml"), SourceSpec("groups.csv")))
    reread = {g.id: g for g in build(config, write=False).catalogue.groups}
    original = {g.id: g for g in build(read_config(project / "catalogue.toml"), write=False).catalogue.groups}
    for group_id in ("kaava", "miesten-voimaa"):
        assert (reread[group_id].fee, reread[group_id].status) == (original[group_id].fee, original[group_id].status)
    assert reread["kaava"].registration == original["kaava"].registration


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("name", every_renderer_name())
def test_every_renderer_frees_what_it_made_without_the_garbage_collector(name):
    # At national scale the collector is kept from walking the catalogue during a
    # render (bulk.collector_skips_existing); what a renderer makes must then go by
    # reference counting alone. A reference cycle would keep a listing's cards (a
    # Jinja macro did, through the render's context) alive until a full collection.
    import gc

    import vertaistuki
    from vertaistuki.privacy import publishable
    from vertaistuki.registry import RenderContext

    catalogue = publishable(vertaistuki.load(EXAMPLES / "mental-health-federation" / "catalogue.yaml").catalogue, TODAY)
    options = {"languages": ["fi", "sv", "en"]} if name == "html" else {}
    with renderer_available(name):
        renderer = plugins.renderers()[name]
        assert renderer.cycle_free  # so the build pauses the collector while it renders
        assert renderer.files(catalogue, RenderContext(options=options, today=TODAY))  # first use fills caches
        gc.collect()
        gc.disable()
        try:
            renderer.files(catalogue, RenderContext(options=options, today=TODAY))
            assert gc.collect() == 0
        finally:
            gc.enable()


def test_rendering_leaves_the_collector_as_it_found_it(project):
    # The build changes the collector's settings for its render only, also when the
    # render fails.
    import gc

    before = gc.get_threshold()
    build(read_config(project / "catalogue.toml"), today=TODAY, write=False)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with plugins.registered_plugin(RaisingRenderer(), "raising-renderer"):
        config = read_config(project / "catalogue.toml")
        config = BuildConfig(path=config.path, sources=config.sources, out_dir=config.out_dir,
                             outputs=(OutputSpec("exploding"), *config.outputs))
        result = build(config, today=TODAY, write=False)
    assert any(p.code == "renderer_failed" for p in result.problems)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_objects_an_application_froze_stay_frozen_through_a_build(project):
    # gc.freeze is the process's: a server that froze its own objects before forking
    # workers must not find them unfrozen by a build it ran.
    import gc

    gc.freeze()
    try:
        frozen_before = gc.get_freeze_count()
        assert frozen_before
        build(read_config(project / "catalogue.toml"), today=TODAY, write=False)
        assert gc.get_freeze_count() >= frozen_before
    finally:
        gc.unfreeze()


class CollectorWatchingRenderer:
    """Two renderers that note whether the cyclic collector runs while they render."""

    def __init__(self) -> None:
        self.seen: dict[str, bool] = {}

    @hookimpl
    def register_renderers(self, register):
        def watch(name):
            def render(catalogue, context):
                import gc

                self.seen[name] = gc.isenabled()
                yield f"{name}.txt", b"x"
            return render

        register(Renderer(name="declared", media_type="text/plain", suffix=".txt", render=watch("declared"),
                          cycle_free=True))
        register(Renderer(name="undeclared", media_type="text/plain", suffix=".txt", render=watch("undeclared")))


def test_the_collector_is_paused_only_for_renderers_that_declare_they_make_no_cycles(project):
    import gc

    watcher = CollectorWatchingRenderer()
    with plugins.registered_plugin(watcher, "watcher"):
        config = read_config(project / "catalogue.toml")
        config = BuildConfig(path=config.path, sources=config.sources, out_dir=config.out_dir,
                             outputs=(OutputSpec("declared"), OutputSpec("undeclared")))
        build(config, today=TODAY, write=False)
    assert watcher.seen == {"declared": False, "undeclared": True}
    assert gc.isenabled()


def test_a_plugin_name_no_installed_plugin_has_is_an_error_naming_the_nearest(tmp_path):
    """A misspelt opt-in plugin would otherwise not run, and its rules not be applied."""
    (tmp_path / "c.yaml").write_text("source: x\norganisations: [{id: o, name: {fi: O}, kind: association}]\n", encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text(
        '[[sources]]\npath = "c.yaml"\n[plugins]\nenable = ["vertaistuki.default_plugins.jsonl", "nothing-like-it"]\n'
        'disable = ["vertaistuki.default_plugins.ics"]\n', encoding="utf-8")
    result = build(read_config(tmp_path / "catalogue.toml"), write=False, today=TODAY)
    problems = {p.path: p for p in result.errors}
    assert set(problems) == {"$.plugins.enable[0]", "$.plugins.enable[1]"}  # the disabled one exists
    assert problems["$.plugins.enable[0]"].code == "unknown_plugin"
    assert problems["$.plugins.enable[0]"].message.get("en") == (
        'no installed plugin is named "vertaistuki.default_plugins.jsonl" (did you mean "vertaistuki.default_plugins.jsonld"?)')
    assert problems["$.plugins.enable[1]"].message.get("fi") == 'liitännäistä "nothing-like-it" ei ole asennettu'


@pytest.mark.parametrize(("breakage", "where"), [
    ("catalogue.yaml", "groups:\n  - id: [unclosed\n"),  # an editor's YAML that does not parse
    ("ryhmat.csv", None),  # the spreadsheet moved away
    ("catalogue.yaml", CATALOGUE.replace("groups:", "gruops:")),  # a misspelt collection would be lost whole
])
def test_a_source_that_cannot_be_read_publishes_nothing_and_the_last_outputs_stay(project, breakage, where):
    """Published without it, the listing would lose every record of that source: a
    broken save or a moved file would empty the association's pages."""
    config = read_config(project / "catalogue.toml")
    first = build(config, today=TODAY)
    before = {path: path.read_bytes() for path in first.written}
    assert any(path.name == "catalogue.json" for path in before)  # with its one bad record left out
    if where is None:
        (project / breakage).unlink()
    else:
        (project / breakage).write_text(where, encoding="utf-8")
    second = build(config, today=TODAY)
    assert second.written == () and second.files == {}
    assert {path: path.read_bytes() for path in before} == before  # nothing rewritten, nothing removed
    [unread] = [p for p in second.errors if p.code == "source_unread"]
    assert unread.path == "$.sources" and "nothing was published" in unread.message.get("en")
    assert any(p.source.endswith(breakage) and p.path == "$" for p in second.errors)  # and why, where
    if where and "gruops" in where:
        [typo] = [p for p in second.errors if p.code == "schema.additionalProperties"]
        assert typo.message.get("en") == 'unknown field: gruops (did you mean "groups"?)'


def test_a_bad_record_still_publishes_the_good_ones(project):
    """Only a source that cannot be read at all stops publishing, not a bad record in it
    (the project's catalogue.yaml has one, and this makes another)."""
    text = (project / "catalogue.yaml").read_text(encoding="utf-8")
    (project / "catalogue.yaml").write_text(text.replace("openness: open", "openness: ajar", 1), encoding="utf-8")
    result = build(read_config(project / "catalogue.toml"), today=TODAY)
    assert result.errors and not [p for p in result.errors if p.code == "source_unread"]
    assert any(path.name == "catalogue.json" for path in result.written)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_output_that_fails_keeps_its_last_files_until_it_succeeds(project, jobs):
    """A mistaken option (or a renderer's bug) must not take the published widget down:
    its pages from the last build stay, while the other outputs are brought up to date."""
    def configured(html_options: dict) -> BuildConfig:
        config = read_config(project / "catalogue.toml")
        return attrs.evolve(config, outputs=(*config.outputs, OutputSpec("html", html_options)))

    def files() -> dict[str, bytes]:
        return {p.relative_to(project / "public").as_posix(): p.read_bytes()
                for p in (project / "public").rglob("*") if p.is_file() and not p.name.startswith(".")}

    build(configured({"languages": ["fi", "sv"]}), today=TODAY, jobs=jobs)
    first = files()
    assert "widget/sv/index.html" in first
    (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Miesten ilta"), encoding="utf-8")
    failed = build(configured({"langauges": ["fi"]}), today=TODAY, jobs=jobs)
    assert [p.code for p in failed.errors if p.code == "renderer_option"] == ["renderer_option"]
    during = files()
    assert {k: v for k, v in during.items() if k.startswith("widget/")} == {k: v for k, v in first.items() if k.startswith("widget/")}
    assert b"Miesten ilta" in during["catalogue.json"]  # the others are up to date
    build(configured({"languages": ["fi"]}), today=TODAY, jobs=jobs)  # fixed: and Swedish is no longer wanted
    after = files()
    assert "Miesten ilta" in after["widget/fi/index.html"].decode("utf-8")
    assert not any(path.startswith("widget/sv/") for path in after)  # what the fixed build does not make is removed


def test_a_spreadsheet_column_no_collection_has_is_reported_with_the_nearest(tmp_path):
    """A misspelt header (kuvaus_fii) left a whole column of the editor's work out
    without a word."""
    (tmp_path / "o.yaml").write_text("source: x\norganisations: [{id: o, name: {fi: O}, kind: association}]\n", encoding="utf-8")
    (tmp_path / "ryhmat.csv").write_text("tunniste;nimi_fi;järjestäjä;avoimuus;kuvaus_fii;väri\n"
                                         "miehet;Miesten ryhmä;o;open;Tervetuloa;sininen\n", encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("o.yaml"), SourceSpec("ryhmat.csv")),
                         outputs=(OutputSpec("json"),))
    result = build(config, write=False, today=TODAY)
    warnings = [p for p in result.problems if p.code == "csv_unknown_column"]
    assert [(p.source.endswith("ryhmat.csv"), p.where, p.message.get("en")) for p in warnings] == [
        (True, "row 1", 'unknown column \'kuvaus_fii\' (did you mean "kuvaus_fi"?): its values were left out'),
        (True, "row 1", "unknown column 'väri': its values were left out")]
    assert [g.id for g in result.catalogue.groups] == ["miehet"] and not result.errors  # the rest of the row is read


def test_a_folder_of_spreadsheets_reads_finnish_names_in_any_case_and_refuses_a_name_it_cannot_place(tmp_path):
    """ryhmät.csv was once left unread without a word: the listing lost every group."""
    sheets = tmp_path / "taulukot"
    sheets.mkdir()
    (sheets / "Organisaatiot.CSV").write_text("tunniste;nimi_fi;laji\no;O;association\n", encoding="utf-8")
    (sheets / "ryhmät.csv").write_text("tunniste;nimi_fi;järjestäjä;avoimuus\nmiehet;Miesten ryhmä;o;open\n",
                                       encoding="utf-8")
    (sheets / "muistiinpanot.txt").write_text("not a sheet", encoding="utf-8")  # not CSV: not ours to read
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("taulukot", type="csv"),),
                         outputs=(OutputSpec("json"),), catalogue={"source": "x"})
    result = build(config, write=False, today=TODAY)
    assert [g.id for g in result.catalogue.groups] == ["miehet"] and not result.errors, result.errors

    (sheets / "ryhmat-syksy.csv").write_text("tunniste;nimi_fi;järjestäjä;avoimuus\nsyksy;S;o;open\n", encoding="utf-8")
    result = build(config, write=False, today=TODAY)
    [unknown] = [p for p in result.errors if p.code == "csv_unknown_file"]
    assert unknown.source.endswith("ryhmat-syksy.csv") and unknown.path == "$"
    assert 'name it after its collection (groups.csv, places.csv, …) (did you mean "ryhmat.csv"?)' in unknown.message.get("en")
    assert any(p.code == "source_unread" for p in result.errors) and result.files == {}  # its groups would be lost


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_while_rendering_stops_the_build_as_the_folders_problem(project, monkeypatch, jobs):
    """Not "plugin html failed: OSError": no renderer can help it, and at national scale
    the others would spend minutes failing alike. The last outputs stay."""
    import errno

    from vertaistuki import atomic

    config = read_config(project / "catalogue.toml")
    config = attrs.evolve(config, outputs=(*config.outputs, OutputSpec("ics"), OutputSpec("html")))
    first = build(config, today=TODAY, jobs=jobs)
    before = {path: path.read_bytes() for path in first.written}
    write_new = atomic.StagedOutputs._write_new

    def full_after_two(self, *args, **kwargs):
        if len(self._staged) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_new(self, *args, **kwargs)

    monkeypatch.setattr(atomic.StagedOutputs, "_write_new", full_after_two)
    (project / "catalogue.yaml").write_text(CATALOGUE.replace("Miesten voimaa", "Miesten ilta"), encoding="utf-8")
    result = build(config, today=TODAY, jobs=jobs)
    stopped = [p for p in result.errors if p.code in ("folder_unwritable", "renderer_failed")]
    assert [(p.code, p.path) for p in stopped] == [("folder_unwritable", "$.build.out")]
    assert "No space left on device" in stopped[0].message.get("en") and result.written == ()
    assert {path: path.read_bytes() for path in before} == before
    assert not list((project / "public").rglob("*.tmp"))  # nothing half-written left behind


def test_a_renderers_own_os_error_is_still_that_renderers_failure(project):
    def render(catalogue, context):
        raise FileNotFoundError(2, "No such file or directory", "templates/missing.j2")

    broken = types.ModuleType("broken")
    broken.register_renderers = hookimpl(lambda register: register(Renderer(name="broken", media_type="text/plain",
                                                                                suffix=".txt", render=render)))
    config = read_config(project / "catalogue.toml")
    with plugins.registered_plugin(broken, "broken"):
        result = build(attrs.evolve(config, outputs=(*config.outputs, OutputSpec("broken"))), today=TODAY)
    [failed] = [p for p in result.errors if p.code == "renderer_failed"]
    assert "FileNotFoundError" in failed.message.get("en") and any(path.name == "catalogue.json" for path in result.written)


def test_a_folder_of_the_outputs_that_cannot_be_written_stops_the_build_as_the_folders_problem(project, monkeypatch):
    """A widget folder that became another user's: the folder's problem, not html's."""
    from vertaistuki import atomic

    config = read_config(project / "catalogue.toml")
    temporary_beside = atomic._temporary_beside

    def refused(target, suffix):
        if "csv" in target.parts:
            raise PermissionError(13, "Permission denied", str(target.parent))
        return temporary_beside(target, suffix)

    monkeypatch.setattr(atomic, "_temporary_beside", refused)
    result = build(config, today=TODAY)
    assert [(p.code, p.path) for p in result.errors if p.code in ("folder_unwritable", "renderer_failed")] == [
        ("folder_unwritable", "$.build.out")]
    assert "Permission denied" in result.errors[-1].message.get("en") and result.written == ()
