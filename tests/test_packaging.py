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


def test_the_public_names_are_listed_by_hand_and_are_no_modules():
    """``__all__`` is written out (a type checker reads it; a computed one is invisible to
    mypy) and names every model class, function and constant, and no submodule, so that
    ``from vertaistuki import *`` does not shadow a user's ``text`` or ``schedule``."""
    import ast
    import types

    import vertaistuki
    from vertaistuki import model

    source = Path(model.__file__).read_text(encoding="utf-8")
    written = next(node for node in ast.parse(source).body if isinstance(node, ast.Assign)
                   and any(getattr(target, "id", None) == "__all__" for target in node.targets))
    assert isinstance(written.value, ast.List)  # a list of strings, not a comprehension
    public = {name for name in dir(model) if not name.startswith("_")
              and not isinstance(getattr(model, name), types.ModuleType)}
    assert set(model.__all__) == public
    assert not [name for name in vertaistuki.__all__ if isinstance(getattr(vertaistuki, name), types.ModuleType)]
    assert set(model.__all__) <= set(vertaistuki.__all__)
