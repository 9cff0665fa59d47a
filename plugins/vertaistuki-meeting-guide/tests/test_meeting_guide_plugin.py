"""The plugin as users install it: listed by ``vertaistuki plugins`` through its entry
point, and usable from a catalogue.toml build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vertaistuki import plugins


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "VERTAISTUKI_LOAD_PLUGINS": "vertaistuki-meeting-guide"}
    return subprocess.run([sys.executable, "-m", "vertaistuki", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, check=False)


def test_listed_by_vertaistuki_plugins_through_its_entry_point():
    listed = json.loads(_cli("plugins", "--format", "json").stdout)
    [entry] = [plugin for plugin in listed if plugin["name"] == "meeting_guide"]
    assert entry["distribution"] == "vertaistuki-meeting-guide"
    assert (entry["sources"], entry["renderers"]) == (["meeting-guide"], ["meeting-guide"])


def test_registered_descriptors_name_the_plugin(meeting_guide):
    assert plugins.provider_of(plugins.sources()["meeting-guide"]) == "meeting_guide"
    assert plugins.provider_of(plugins.renderers()["meeting-guide"]) == "meeting_guide"
    assert plugins.sources()["meeting-guide"].suffixes == ()  # a .json file stays a catalogue unless asked


def test_build_from_a_feed_to_a_feed_with_the_cli(tmp_path):
    feed = [{"name": "Tiistairyhmä", "slug": "tiistai", "day": 2, "time": "18:00", "end_time": "19:30",
             "types": ["O", "FI"], "address": "Hämeenkatu 1", "city": "Tampere", "country": "FI"}]
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text(
        '[[sources]]\ntype = "meeting-guide"\npath = "feed.json"\noptions = { language = "fi" }\n\n'
        '[[outputs]]\nrenderer = "meeting-guide"\n\n[build]\nout = "dist"\n', encoding="utf-8")
    completed = _cli("build", "catalogue.toml", cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    [meeting] = json.loads((tmp_path / "dist" / "meeting-guide.json").read_text(encoding="utf-8"))
    assert {key: meeting[key] for key in ("name", "slug", "day", "time", "end_time", "types", "city")} == {
        "name": "Tiistairyhmä", "slug": "tiistai", "day": 2, "time": "18:00", "end_time": "19:30",
        "types": ["O", "FI"], "city": "Tampere"}
    assert json.loads((tmp_path / "dist" / "meeting-guide-skipped.json").read_text(encoding="utf-8"))["skipped"] == []
