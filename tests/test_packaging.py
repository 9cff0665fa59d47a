"""An installed wheel, not only a checkout, carries what the library reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_contains_schemas_vocabularies_and_type_marker(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    [wheel] = tmp_path.glob("vertaistuki-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    schemas = {path.name for path in (ROOT / "schemas").glob("*.schema.json")}
    assert {f"vertaistuki/schemas/{name}" for name in schemas} <= names
    assert "vertaistuki/default_plugins/vocabularies.yaml" in names
    assert "vertaistuki/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "vertaistuki = vertaistuki.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
