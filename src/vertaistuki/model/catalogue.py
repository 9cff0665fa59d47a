"""The catalogue: everything one source publishes, indexed for lookups."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

import attrs

from .common import Provenance
from .event import Event
from .group import Group
from .identifiers import SOURCE_ID
from .errors import InvalidValue, names_field
from .organisation import Organisation
from .place import Place
from .service import Service
from .text import Text
from .vocabulary import Term
from .volunteer import Coordinator, Volunteer

FORMAT = "vertaistuki/1"

#: The record collections of a catalogue, in the order they are written and validated.
COLLECTIONS: dict[str, type] = {
    "organisations": Organisation,
    "places": Place,
    "groups": Group,
    "services": Service,
    "events": Event,
    "volunteers": Volunteer,
    "coordinators": Coordinator,
    "terms": Term,
}

Record = Organisation | Place | Group | Service | Event | Volunteer | Coordinator | Term


@names_field
def _check_source(instance, attribute, value: str) -> None:
    if not SOURCE_ID.fullmatch(value):
        raise InvalidValue(
            fi=f"lähteen nimi {value!r} saa sisältää vain pieniä kirjaimia a–z, numeroita ja - _ .",
            en=f"source name {value!r} may contain only lower-case a–z, digits and - _ .",
        )


@attrs.frozen
class Catalogue:
    """What one organisation (or one aggregation) publishes.

    ``source`` namespaces the record ids: a group ``miesten-voimaa`` in the catalogue
    ``omaiset-uusimaa`` has the stable id ``omaiset-uusimaa:miesten-voimaa``. Ids that
    already contain a colon (records merged from other catalogues) are kept as they are.
    """

    source: str = attrs.field(validator=_check_source)
    name: Text | None = None
    publisher: str | None = None  # organisation id
    required_languages: tuple[str, ...] = ("fi",)
    format: str = FORMAT
    updated: dt.date | None = None
    organisations: tuple[Organisation, ...] = ()
    places: tuple[Place, ...] = ()
    groups: tuple[Group, ...] = ()
    services: tuple[Service, ...] = ()
    events: tuple[Event, ...] = ()
    volunteers: tuple[Volunteer, ...] = ()
    coordinators: tuple[Coordinator, ...] = ()
    terms: tuple[Term, ...] = ()
    provenance: Provenance | None = None

    def stable_id(self, record_id: str) -> str:
        return record_id if ":" in record_id else f"{self.source}:{record_id}"

    def records(self) -> Iterator[tuple[str, int, Record]]:
        """Every record with its collection name and index, in file order."""
        for collection in COLLECTIONS:
            for index, record in enumerate(getattr(self, collection)):
                yield collection, index, record

    @functools.cached_property
    def _by_id(self) -> dict[str, dict[str, Record]]:
        return {
            collection: {record.id: record for record in getattr(self, collection)}
            for collection in COLLECTIONS
            if collection != "terms"
        }

    def organisation(self, record_id: str) -> Organisation | None:
        return self._by_id["organisations"].get(record_id)

    def place(self, record_id: str) -> Place | None:
        return self._by_id["places"].get(record_id)

    def person(self, record_id: str) -> Volunteer | Coordinator | None:
        return self._by_id["volunteers"].get(record_id) or self._by_id["coordinators"].get(record_id)

    def members(self, organisation_id: str) -> tuple[Organisation, ...]:
        """Organisations that list ``organisation_id`` in ``member_of``."""
        return tuple(o for o in self.organisations if organisation_id in o.member_of)
