"""Shared fixtures: paths to the project's examples and to the team's shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout: present in CI, maybe absent on a user's machine."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared is missing, but CI must provide it")
        pytest.skip("../shared (seed pages and interop data) is not beside this checkout")
    return SHARED
