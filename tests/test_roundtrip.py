"""Any valid catalogue survives writing and reading unchanged, and what we write is
valid against the published schemas."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from strategies import catalogues
from vertaistuki.convert import structure, unstructure
from vertaistuki.model import Catalogue
from vertaistuki.schemas import validator_for


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues)
def test_any_valid_catalogue_round_trips_through_json(catalogue: Catalogue):
    data = json.loads(json.dumps(unstructure(catalogue)))
    assert structure(data, Catalogue) == catalogue


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues)
def test_what_we_write_is_valid_against_the_published_schema(catalogue: Catalogue):
    data = json.loads(json.dumps(unstructure(catalogue)))
    errors = [f"{e.json_path}: {e.message}" for e in validator_for("catalogue").iter_errors(data)]
    assert errors == []
