"""Privacy by default: what may leave the building.

The build pipeline hands renderers only :func:`publishable` catalogues, so a renderer —
built-in or a third party's — cannot publish a volunteer's personal detail that the
volunteer did not consent to, or whose consent was withdrawn. Consent is judged on the
day of publishing.

Participants are never in the model at all: membership in a mental-health group is
health data, and a listing has no need of it.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .bulk import collector_paused
from .model import Catalogue


def publishable(catalogue: Catalogue, on: dt.date | None = None) -> Catalogue:
    """The catalogue with every unconsented personal field removed (consent records of
    the consented ones kept, so that aggregators can honour a later withdrawal)."""
    day = on or dt.date.today()
    with collector_paused():  # a national catalogue's people, copied: no cycles to look for
        return attrs.evolve(
            catalogue,
            volunteers=tuple(attrs.evolve(v, personal=v.personal.redacted(day)) for v in catalogue.volunteers),
            coordinators=tuple(attrs.evolve(c, personal=c.personal.redacted(day)) for c in catalogue.coordinators),
        )
