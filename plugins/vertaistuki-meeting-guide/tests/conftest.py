"""Fixtures for the Meeting Guide plugin's tests: the plugin registered for the test
only (the root conftest loads no installed plugins), a way to read a feed through the
core's build, and the team's real feeds in ../shared."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vertaistuki_meeting_guide
from vertaistuki import plugins
from vertaistuki.build import BuildResult, build
from vertaistuki.config import BuildConfig, SourceSpec

#: plugins/vertaistuki-meeting-guide/tests → the repository → ../shared beside it.
REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


@pytest.fixture
def meeting_guide():
    with plugins.registered_plugin(vertaistuki_meeting_guide, "meeting_guide"):
        yield vertaistuki_meeting_guide


@pytest.fixture
def shared_feeds() -> Path:
    """../shared/interop/meeting-guide: present in CI, maybe absent on a user's machine."""
    folder = SHARED / "interop" / "meeting-guide"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing, but CI must provide it")
        pytest.skip(f"the real Meeting Guide feeds ({folder}) are not beside this checkout")
    return folder


@pytest.fixture
def import_feed(meeting_guide, tmp_path) -> Callable[..., BuildResult]:
    """Build a catalogue from a feed (a path, or meetings written to a file first)."""

    def run(feed: Path | list[Any], options: dict | None = None, *, extra: str | None = None) -> BuildResult:
        if not isinstance(feed, Path):
            path = tmp_path / "feed.json"
            path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
            feed = path
        sources = [SourceSpec(str(feed), type="meeting-guide", options=options or {})]
        if extra is not None:
            (tmp_path / "catalogue.yaml").write_text(extra, encoding="utf-8")
            sources.insert(0, SourceSpec("catalogue.yaml"))
        config = BuildConfig(path=tmp_path / "catalogue.toml", sources=tuple(sources), outputs=())
        return build(config, write=False)

    return run
