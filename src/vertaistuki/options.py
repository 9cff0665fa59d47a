"""A renderer's or a source's options (``options = { … }`` of an ``[[outputs]]`` or a
``[[sources]]`` entry in catalogue.toml), checked before it renders or reads, with
errors that name the option and say what it takes.

Each built-in renderer and source declares its options as name → check
(:data:`LANGUAGES`, :func:`flag`, :func:`whole_number`, ...) and calls :func:`check`
first. An option it does not know is an error too, with the nearest known name: a
misspelt ``langauges`` would otherwise be ignored without a word, and ``languages =
"fi"`` (a text, not a list) read as the languages "f" and "i". The build reports an
:class:`OptionError` as a problem of that output (``renderer_option``) or source
(``source_option``), in Finnish and English: that output publishes nothing, that
source's records are not read, and everything else goes on as usual.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .model.identifiers import RECORD_ID, SOURCE_ID

# A check gives None for a good value, else (Finnish, English) words saying what the
# option takes, to follow "<name>: ".
Check = Callable[[Any], tuple[str, str] | None]

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class OptionError(ValueError):
    """An option a renderer cannot use. ``str()`` is the English, ``fi`` the Finnish;
    ``name`` the option's."""

    def __init__(self, en: str, fi: str, name: str | None = None) -> None:
        super().__init__(en)
        self.en, self.fi, self.name = en, fi, name


def shown(value: Any) -> str:
    """A value as a message shows it: a text in double quotes, as catalogue.toml writes it."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _languages(value: Any) -> tuple[str, str] | None:
    if isinstance(value, (list, tuple)) and value and all(isinstance(code, str) and _LANGUAGE_CODE.fullmatch(code)
                                                          for code in value):
        return None
    return (f'luettelo kielikoodeja, esimerkiksi ["fi", "sv"], ei {shown(value)}',
            f'a list of language codes such as ["fi", "sv"], not {shown(value)}')


LANGUAGES: Check = _languages


def language(value: Any) -> tuple[str, str] | None:
    """One language code, such as "fi"."""
    if isinstance(value, str) and _LANGUAGE_CODE.fullmatch(value):
        return None
    return f'kielikoodi, esimerkiksi "fi", ei {shown(value)}', f'a language code such as "fi", not {shown(value)}'


def flag(value: Any) -> tuple[str, str] | None:
    """true or false (TOML's, not the texts "true" and "false")."""
    if isinstance(value, bool):
        return None
    return f"true tai false (ilman lainausmerkkejä), ei {shown(value)}", f"true or false (without quotes), not {shown(value)}"


def whole_number(minimum: int, maximum: int | None = None) -> Check:
    """A whole number from ``minimum`` (to ``maximum``)."""
    def check(value: Any) -> tuple[str, str] | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum and (maximum is None or value <= maximum):
            return None
        span_fi = f"{minimum}–{maximum}" if maximum is not None else f"vähintään {minimum}"
        span_en = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        return f"kokonaisluku {span_fi}, ei {shown(value)}", f"a whole number {span_en}, not {shown(value)}"
    return check


def positive_number(value: Any) -> tuple[str, str] | None:
    """A number above zero, whole or not (seconds, say)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return None
    return f"nollaa suurempi luku, ei {shown(value)}", f"a number above zero, not {shown(value)}"


def text(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str):
        return None
    return f"teksti lainausmerkeissä, ei {shown(value)}", f"a text in quotes, not {shown(value)}"


def source_name(value: Any) -> tuple[str, str] | None:
    """A catalogue's source name (the part before ":" in its ids), such as "omaiset"."""
    if isinstance(value, str) and SOURCE_ID.fullmatch(value):
        return None
    return (f'lähteen nimi pienin kirjaimin, esimerkiksi "omaiset", ei {shown(value)}',
            f'a source name in lower case such as "omaiset", not {shown(value)}')


def record_reference(value: Any) -> tuple[str, str] | None:
    """A record's id, such as "yhdistys" or "liitto:yhdistys"."""
    if isinstance(value, str) and RECORD_ID.fullmatch(value):
        return None
    return (f'tietueen tunniste, esimerkiksi "yhdistys" tai "liitto:yhdistys", ei {shown(value)}',
            f'a record id such as "yhdistys" or "liitto:yhdistys", not {shown(value)}')


def texts(value: Any) -> tuple[str, str] | None:
    """A list of texts, possibly empty."""
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return None
    return (f'luettelo tekstejä, esimerkiksi ["a", "b"], ei {shown(value)}',
            f'a list of texts such as ["a", "b"], not {shown(value)}')


def one_of(*allowed: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if value in allowed:
            return None
        choices = ", ".join(shown(choice) for choice in allowed)
        return f"jokin näistä: {choices}; ei {shown(value)}", f"one of {choices}, not {shown(value)}"
    return check


def some_of(*allowed: str, may_be_empty: bool = False) -> Check:
    """A list of some of ``allowed``: not empty, unless ``may_be_empty``."""
    def check(value: Any) -> tuple[str, str] | None:
        if isinstance(value, (list, tuple)) and (value or may_be_empty) and all(item in allowed for item in value):
            return None
        choices = ", ".join(shown(choice) for choice in allowed)
        return (f"luettelo, jossa on joitakin näistä: {choices}; ei {shown(value)}",
                f"a list of some of {choices}, not {shown(value)}")
    return check


def indent(value: Any) -> tuple[str, str] | None:
    """A JSON file's indent: 1 to 8 spaces, or false for compact JSON."""
    if value is False or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8):
        return None
    return (f"välilyöntien määrä 1–8 tai false (tiivis JSON), ei {shown(value)}",
            f"a number of spaces from 1 to 8, or false for compact JSON, not {shown(value)}")


def anything(value: Any) -> None:
    """Any value: the option is read by code that checks it itself, or is given by a
    host rather than written in catalogue.toml."""


def check(owner: str, options: Mapping[str, Any], known: Mapping[str, Check]) -> None:
    """Raise :class:`OptionError` for the first option that ``known`` does not have or
    whose check fails; options are looked at in sorted order, so the report is stable.
    ``owner`` (the renderer's or source's name) is how the message names what takes them."""
    for name in sorted(options):
        if name not in known:
            raise _unknown(owner, name, known)
        require(name, options[name], known[name])


def require(name: str, value: Any, check_value: Check) -> None:
    """Raise :class:`OptionError` unless ``value`` passes ``check_value``: for code that
    reads an option taken by more than one owner (the feed limits of ``http`` sources and
    of federation.toml's ``[fetch]``), whose names each owner checks itself."""
    problem = check_value(value)
    if problem is not None:
        fi, en = problem
        raise OptionError(f"option {name} must be {en}", f"asetuksen {name} pitää olla {fi}", name)


def indent_setting(options: Mapping[str, Any]) -> int | None:
    """A JSON renderer's ``indent`` option as the JSON writer takes it: None (left out, or
    ``false``, as TOML has no null) for compact text, else the number of spaces;
    :class:`OptionError` (see :func:`indent`) for anything else."""
    value = options.get("indent")
    if value is None or value is False:
        return None
    require("indent", value, indent)
    return value


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to a misspelt ``name``, when one is near enough."""
    found = difflib.get_close_matches(name, sorted(known), n=1)
    return found[0] if found else None


def did_you_mean(near: str | None) -> tuple[str, str]:
    """' (tarkoititko "x"?)' and ' (did you mean "x"?)' for a message, or nothing."""
    return (f' (tarkoititko "{near}"?)', f' (did you mean "{near}"?)') if near else ("", "")


def _unknown(owner: str, name: str, known: Iterable[str]) -> OptionError:
    names = sorted(known)
    if not names:
        return OptionError(f'unknown option "{name}"; {owner} takes no options',
                           f'tuntematon asetus "{name}"; {owner} ei ota asetuksia', name)
    hint_fi, hint_en = did_you_mean(nearest(name, names))
    return OptionError(f'unknown option "{name}"{hint_en}; {owner} takes {", ".join(names)}',
                       f'tuntematon asetus "{name}"{hint_fi}; {owner} ottaa asetukset {", ".join(names)}', name)
