"""Controlled vocabularies: audiences, topics, activities, regions, support forms."""

from __future__ import annotations

import attrs

from .identifiers import WebUrl, check_record_id, check_web_url
from .text import Text

#: The vocabularies that record fields draw their codes from.
VOCABULARIES: tuple[str, ...] = ("audience", "topic", "activity", "region", "support_form")


@attrs.frozen
class Term:
    """One term of a vocabulary with labels in fi/sv/en and, where one exists, the
    matching concept in the General Finnish Ontology (YSO) so that catalogues from
    different associations can be matched."""

    vocabulary: str = attrs.field(validator=attrs.validators.in_(VOCABULARIES))
    id: str = attrs.field(validator=check_record_id)
    label: Text
    description: Text | None = None
    yso: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    notation: str | None = None  # an official code, e.g. ISO 3166-2 "FI-11" for a region
