"""Our vocabulary terms as Linked Events keyword ids.

Linked Events describes an event's topic and audience with keywords, mostly concepts
of the General Finnish Ontology (``yso:p…``). A term is mapped, in this order, by

1. the renderer option ``keyword_map`` (``"topic:depression" = "yso:p1234"``),
2. the term's own ``yso`` link (``http://www.yso.fi/onto/yso/p1234`` → ``yso:p1234``),
3. a keyword of our own: ``<data_source>:<vocabulary>-<id>``, which the Linked Events
   instance must have; those are listed in ``keywords.json`` with their labels so that
   an administrator can create them.
"""

from __future__ import annotations

import re
from typing import Any

from vertaistuki import plugins
from vertaistuki.labels import CODES
from vertaistuki.model import Catalogue, Term, Text

from .options import Options

_YSO = re.compile(r"^https?://(?:www\.)?yso\.fi/onto/yso/(p\d+)/?$")


def yso_id(url: str | None) -> str | None:
    match = _YSO.match(url or "")
    return f"yso:{match.group(1)}" if match else None


class Keywords:
    """Resolves terms to keyword ids and remembers the ones of our own it handed out."""

    def __init__(self, catalogue: Catalogue, options: Options) -> None:
        self.options = options
        terms = {(term.vocabulary, term.id): term for term in plugins.vocabulary_terms().values()}
        terms.update({(term.vocabulary, term.id): term for term in catalogue.terms})
        self._terms: dict[tuple[str, str], Term] = terms
        self._own: dict[str, Text | None] = {}

    def ids(self, vocabulary: str, term_id: str) -> tuple[str, ...]:
        mapped = self.options.keyword_map.get(f"{vocabulary}:{term_id}")
        if mapped:
            return mapped
        term = self._terms.get((vocabulary, term_id))
        found = yso_id(term.yso if term else None)
        if found:
            return (found,)
        own = f"{self.options.data_source}:{vocabulary}-{term_id}"
        self._own.setdefault(own, self._label(vocabulary, term_id, term))
        return (own,)

    def refs(self, pairs: list[tuple[str, str]], extra: tuple[str, ...] = ()) -> list[dict[str, str]]:
        """``{"@id": …}`` references, each keyword once, in first-seen order; ``extra``
        are Linked Events keyword ids added as they are."""
        ordered: dict[str, None] = {}
        for vocabulary, term_id in pairs:
            for keyword in self.ids(vocabulary, term_id):
                ordered.setdefault(keyword, None)
        for keyword in extra:
            ordered.setdefault(keyword, None)
        return [{"@id": f"{self.options.api_base}keyword/{keyword}/"} for keyword in ordered]

    def _label(self, vocabulary: str, term_id: str, term: Term | None) -> Text | None:
        if term is not None:
            return term.label
        table = CODES.get({"event_kind": "event", "service_kind": "service"}.get(vocabulary, ""))
        labels = {language: table[language][term_id] for language in table or {} if term_id in table[language]}
        if labels:
            return Text.of(labels)
        return None

    def own_keywords(self, languages: tuple[str, ...]) -> list[dict[str, Any]]:
        """The keywords of our own that were used, for ``keywords.json``."""
        found = []
        for keyword_id in sorted(self._own):
            label = self._own[keyword_id]
            texts = label.as_dict() if label else {}
            name = {language: texts[language] for language in languages if language in texts}
            found.append({"id": keyword_id, "data_source": self.options.data_source,
                          "name": name or {"fi": keyword_id.split(":", 1)[1]}})
        return found
