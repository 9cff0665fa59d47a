"""Staging a file over a previous build's: the target ends up with exactly the new
bytes however they were cut into chunks, and is left untouched only when they are the
same bytes (compared as the chunks come, block by block)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vertaistuki import atomic
from vertaistuki.atomic import StagedOutputs


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in zip(points, points[1:], strict=False)] or [b""]


previous_bytes = st.one_of(st.none(), st.binary(max_size=60))


@settings(max_examples=300, deadline=None)
@given(old=previous_bytes, new=st.binary(max_size=60), cuts=st.lists(st.integers(0, 60), max_size=6),
       as_bytes=st.booleans(), data=st.data())
def test_a_staged_file_gets_exactly_its_bytes_and_an_unchanged_one_is_left_as_it_was(old, new, cuts, as_bytes, data):
    if old is not None and data.draw(st.booleans(), label="old repeats the start of new"):
        old = new[:data.draw(st.integers(0, len(new)), label="length")] + old[:3]  # a shared start, then a difference
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(atomic, "_COMPARE_BLOCK", 7)  # a difference inside a block, across blocks, across chunks
        out = Path(folder)
        target = out / "sivu.html"
        if old is not None:
            target.write_bytes(old)
            target.chmod(atomic._new_file_mode())
            before = os.stat(target)
        staging = StagedOutputs(out)
        size = staging.stage("sivu.html", new if as_bytes else iter(_cut(new, cuts)))
        staging.commit()
        assert size == len(new)
        assert target.read_bytes() == new
        after = os.stat(target)
        if old is not None:
            left_alone = (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
            assert left_alone == (old == new)
        assert sorted(p.name for p in out.iterdir()) == [".vertaistuki-manifest.json", "sivu.html"]  # no temporary left


def test_a_large_page_that_differs_late_is_written_whole_without_holding_its_chunks(tmp_path):
    # The previous build's bytes up to the difference are copied into the new file.
    start = b"<li>kortti</li>\n" * 200_000  # 3.2 MB, more than one compared block
    (tmp_path / "index.html").write_bytes(start + b"<li>vanha</li>\n")
    (tmp_path / "index.html").chmod(atomic._new_file_mode())
    staging = StagedOutputs(tmp_path)
    staging.stage("index.html", iter([start[:1_000_000], start[1_000_000:], b"<li>uusi</li>\n", b"</ul>\n"]))
    staging.commit()
    assert (tmp_path / "index.html").read_bytes() == start + b"<li>uusi</li>\n</ul>\n"


def _publish(out: Path, files: dict[str, dict[str, bytes]], failed: tuple[str, ...] = ()) -> None:
    """One build: each output's files (output → path → bytes), and the outputs that failed."""
    staging = StagedOutputs(out)
    for owner, made in files.items():
        staging.add(made)
        staging.own(made, owner)
    for owner in failed:
        staging.failed(owner)
    staging.commit()


def _on_disk(out: Path) -> set[str]:
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file() and not path.name.startswith(".")}


def test_a_failed_output_keeps_its_last_files_and_the_others_lose_what_they_no_longer_make(tmp_path):
    _publish(tmp_path, {"html": {"widget/a.html": b"a", "widget/b.html": b"b"}, "ics": {"cal/1.ics": b"1", "cal/2.ics": b"2"}})
    # html failed; ics no longer makes 2.ics (its group was removed)
    _publish(tmp_path, {"ics": {"cal/1.ics": b"1"}}, failed=("html",))
    assert _on_disk(tmp_path) == {"widget/a.html", "widget/b.html", "cal/1.ics"}
    # html works again and makes only a.html: b.html, kept while it failed, goes now
    _publish(tmp_path, {"html": {"widget/a.html": b"a"}, "ics": {"cal/1.ics": b"1"}})
    assert _on_disk(tmp_path) == {"widget/a.html", "cal/1.ics"}


def test_a_killed_builds_half_written_files_are_removed_by_a_later_build(tmp_path):
    """A build killed with SIGKILL cannot remove its temporary files; the next build
    that publishes there removes those old enough to be nobody's, and nothing else."""
    _publish(tmp_path, {"html": {"widget/a.html": b"a"}})
    abandoned = [tmp_path / "widget" / ".a.html.1a2b3c4d.tmp", tmp_path / "widget" / ".b.html.0f0f0f0f.vt123w1.tmp"]
    recent = tmp_path / "widget" / ".c.html.99aa99aa.tmp"  # a build running right now, perhaps
    theirs = [tmp_path / "widget" / ".notes.tmp", tmp_path / "widget" / "draft.1a2b3c4d.tmp"]  # not names of ours
    two_hours_ago = os.path.getmtime(tmp_path / "widget" / "a.html") - 2 * 3600
    for path in [*abandoned, recent, *theirs]:
        path.write_bytes(b"half")
    for path in [*abandoned, *theirs]:
        os.utime(path, (two_hours_ago, two_hours_ago))
    _publish(tmp_path, {"html": {"widget/a.html": b"a"}})
    assert not any(path.exists() for path in abandoned)
    assert recent.exists() and all(path.exists() for path in theirs)


def test_a_manifest_of_the_first_format_keeps_everything_only_when_an_output_failed(tmp_path):
    """It does not say whose a file is: with an output failing, nothing is removed."""
    for name in ("old.html", "old.ics"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / atomic.MANIFEST).write_text('["old.html", "old.ics"]', encoding="utf-8")
    _publish(tmp_path, {"ics": {"new.ics": b"n"}}, failed=("html",))
    assert _on_disk(tmp_path) == {"old.html", "old.ics", "new.ics"}
    _publish(tmp_path, {"ics": {"new.ics": b"n"}, "html": {"new.html": b"h"}})
    assert _on_disk(tmp_path) == {"new.ics", "new.html"}
