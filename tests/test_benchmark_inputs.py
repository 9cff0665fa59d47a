"""The benchmarks' seeded catalogues stay valid as the model's rules grow: a rule the
generator does not know about would make `make bench` fail after twenty minutes, or
time a load that throws records away. (The timings themselves are never asserted.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import vertaistuki

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_a_generated_national_catalogue_loads_without_a_problem():
    data = _module("catalogue_gen").generate(1500, seed=2026)
    result = vertaistuki.load_data(data, "generated")
    assert result.problems == (), [p.describe("en") for p in result.problems[:5]]
    assert len(result.catalogue.groups) > 500
    schedules = [g.schedule for g in result.catalogue.groups if g.schedule is not None]
    assert any(s.rule.interval == 2 for s in schedules) and any(s.rule.count for s in schedules)
