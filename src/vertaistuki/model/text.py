"""Multilingual text: one value per language, looked up with a fallback order.

User-facing text in a catalogue is written in Finnish first and, where the association
has them, in Swedish and English (and any other BCP 47 language, such as Northern Sámi
``se``).  Which languages a text must have is a catalogue rule, not a property of the
text, so this class accepts any non-empty set of languages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

import attrs

#: Languages tried, in order, after the requested one and its base language.
DEFAULT_FALLBACK: tuple[str, ...] = ("fi", "sv", "en")

# A pragmatic subset of BCP 47: language, optional script/region/variant subtags.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@functools.lru_cache(maxsize=1024)
def _is_language_tag(language: str) -> bool:
    # A catalogue uses a handful of languages in tens of thousands of texts.
    return LANGUAGE_TAG.fullmatch(language) is not None


def _check_translations(instance: Text, attribute: attrs.Attribute, value: tuple) -> None:
    if not value:
        raise ValueError("a text needs at least one language")
    seen = set()
    for language, text in value:
        if not _is_language_tag(language):
            raise ValueError(f"{language!r} is not a BCP 47 language tag")
        if language in seen:
            raise ValueError(f"language {language!r} given twice")
        if not text.strip():
            raise ValueError(f"the {language!r} text is empty")
        seen.add(language)


@attrs.frozen
class Text:
    """A short or long text in one or more languages.

    Stored as sorted ``(language, text)`` pairs so that two texts with the same
    translations are equal and hashable whatever order they were written in.
    """

    translations: tuple[tuple[str, str], ...] = attrs.field(validator=_check_translations)

    @classmethod
    def of(cls, values: Mapping[str, str] | None = None, /, **by_language: str) -> Text:
        """Build a text from a mapping or keywords: ``Text.of(fi="Hei", sv="Hej")``."""
        merged = {**(values or {}), **by_language}
        return cls(tuple(sorted(merged.items())))

    def as_dict(self) -> dict[str, str]:
        return dict(self.translations)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.translations)

    def has(self, language: str) -> bool:
        return any(given == language for given, _ in self.translations)

    def get(self, language: str, fallback: Iterable[str] = DEFAULT_FALLBACK) -> str:
        """The text in ``language``, else its base language, else the fallback order.

        Never fails: a text always has at least one language, and the last resort is
        whichever comes first alphabetically, so a listing never shows a blank.
        """
        return self.resolve(language, fallback)[1]

    def resolve(
        self, language: str, fallback: Iterable[str] = DEFAULT_FALLBACK
    ) -> tuple[str, str]:
        """Like :meth:`get` but also says which language was used, for ``lang=``."""
        for given, text in self.translations:  # most texts have the language asked for
            if given == language:
                return given, text
        values = self.as_dict()
        base = language.split("-", 1)[0]
        for candidate in (language, base, *fallback):
            if candidate in values:
                return candidate, values[candidate]
        return self.translations[0]

    def __str__(self) -> str:
        return self.get("fi")
