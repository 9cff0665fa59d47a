"""Finnish schedule phrases, as editors type them, into recurrence rules and times.

Understands, for example::

    torstaisin klo 18–20              → FREQ=WEEKLY;BYDAY=TH, 18:00–20:00
    arkitorstaisin klo 12-14.30       → the same, skipping public holidays
    maanantaisin ja keskiviikkoisin klo 17.30
    joka toinen tiistai klo 18–19.30  → FREQ=WEEKLY;INTERVAL=2;BYDAY=TU
    kuukauden toinen maanantai klo 18 → FREQ=MONTHLY;BYDAY=2MO
    kuun viimeinen perjantai klo 14–16
"""

from __future__ import annotations

import re

import attrs

# Stems shared by the nominative (torstai), the plural adverb (torstaisin) and the
# genitive-like forms editors use; keskiviikko bends to keskiviikkoisin.
WEEKDAY_STEMS = {
    "maanantai": "MO", "tiistai": "TU", "keskiviikko": "WE", "torstai": "TH",
    "perjantai": "FR", "lauantai": "SA", "sunnuntai": "SU",
}
ORDINALS = {
    "ensimmäinen": 1, "1.": 1, "toinen": 2, "2.": 2, "kolmas": 3, "3.": 3, "neljäs": 4, "4.": 4,
    "viides": 5, "5.": 5, "viimeinen": -1,
}
INTERVALS = {"joka toinen": 2, "joka kolmas": 3, "joka neljäs": 4}
_TIME = re.compile(r"klo\s*(\d{1,2})(?:[.:](\d{2}))?(?:\s*[–—-]\s*(\d{1,2})(?:[.:](\d{2}))?)?", re.IGNORECASE)
_WEEKDAY = re.compile(r"(arki)?(" + "|".join(WEEKDAY_STEMS) + r")(?:isin|sin|na|n)?\b", re.IGNORECASE)


@attrs.frozen
class ParsedSchedule:
    rrule: str
    start_time: str
    end_time: str | None
    skip_public_holidays: bool


class PhraseError(ValueError):
    def __init__(self, phrase: str, fi: str, en: str) -> None:
        super().__init__(en)
        self.phrase, self.fi, self.en = phrase, fi, en


def _clock(hours: str, minutes: str | None) -> str:
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{hours}.{minutes} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def parse_phrase(phrase: str) -> ParsedSchedule:
    """Read one schedule phrase; raise PhraseError saying what was not understood."""
    text = " ".join(phrase.lower().split())
    time = _TIME.search(text)
    if not time:
        raise PhraseError(phrase, f"ajasta {phrase!r} puuttuu kellonaika (esim. 'klo 18–20')",
                          f"{phrase!r} gives no time of day (e.g. 'klo 18–20')")
    try:
        start = _clock(time.group(1), time.group(2))
        end = _clock(time.group(3), time.group(4)) if time.group(3) else None
    except ValueError:
        raise PhraseError(phrase, f"kellonaika {time.group(0)!r} ei ole mahdollinen", f"time {time.group(0)!r} is impossible") from None
    days = _WEEKDAY.findall(text[: time.start()])
    if not days:
        raise PhraseError(phrase, f"ajasta {phrase!r} puuttuu viikonpäivä (esim. 'torstaisin')",
                          f"{phrase!r} names no weekday (e.g. 'torstaisin')")
    skip_holidays = any(prefix for prefix, _ in days)
    codes = [WEEKDAY_STEMS[stem] for _, stem in days]

    ordinal = next((value for word, value in ORDINALS.items() if re.search(rf"(kuukauden|kuun)\s+{re.escape(word)}", text)), None)
    if ordinal is not None:
        rule = "FREQ=MONTHLY;BYDAY=" + ",".join(f"{ordinal}{code}" for code in codes)
    elif "kuukauden" in text or "kuun" in text:
        raise PhraseError(phrase, "kuukausittaiselle ajalle tarvitaan järjestysluku (esim. 'kuukauden toinen maanantai')",
                          "a monthly time needs an ordinal (e.g. 'kuukauden toinen maanantai')")
    else:
        interval = next((value for words, value in INTERVALS.items() if words in text), 1)
        rule = "FREQ=WEEKLY" + (f";INTERVAL={interval}" if interval > 1 else "") + ";BYDAY=" + ",".join(codes)
    return ParsedSchedule(rule, start, end, skip_holidays)
