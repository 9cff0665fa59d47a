"""Schedules, seasons, statuses and next meetings in words, in Finnish, Swedish and
English: "arkitorstaisin klo 12–14.30", "varannan tisdag kl. 18–20",
"second Monday of the month 6 pm".

Weekday and month names come from Babel (CLDR); the forms CLDR does not have — Finnish
plural adverbs such as "torstaisin", ordinals and interval phrases — come from the
small tables here. An unknown locale falls back to Finnish.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date, get_day_names

from .model import RecordState, Schedule, Season, Status
from .model.recurrence import Frequency, WeekdayRule
from .schedule import Occurrence

LOCALES = ("fi", "sv", "en")

# Finnish "on Thursdays" is the plural instructive -sin, which CLDR does not list.
_FI_PLURAL = ("maanantaisin", "tiistaisin", "keskiviikkoisin", "torstaisin", "perjantaisin", "lauantaisin", "sunnuntaisin")
_ORDINALS = {
    "fi": {1: "ensimmäinen", 2: "toinen", 3: "kolmas", 4: "neljäs", 5: "viides", -1: "viimeinen", -2: "toiseksi viimeinen"},
    "sv": {1: "första", 2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", -1: "sista", -2: "näst sista"},
    "en": {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second-to-last"},
}
_EVERY_NTH = {  # "every other Tuesday"
    "fi": {2: "joka toinen", 3: "joka kolmas", 4: "joka neljäs"},
    "sv": {2: "varannan", 3: "var tredje", 4: "var fjärde"},
    "en": {2: "every other", 3: "every third", 4: "every fourth"},
}
_AND = {"fi": "ja", "sv": "och", "en": "and"}
_CLOCK = {"fi": "klo", "sv": "kl."}
_EXCEPT_HOLIDAYS = {"fi": " (ei arkipyhinä)", "sv": " utom helgdagar", "en": ", except public holidays"}
_TERM = {"fi": ("kevätkausi", "syyskausi"), "sv": ("vårtermin", "hösttermin"), "en": ("spring term", "autumn term")}


def _locale(locale: str) -> str:
    base = (locale or "fi").replace("_", "-").split("-")[0].lower()
    return base if base in LOCALES else "fi"


# Babel looks its locale data up anew on every call, which costs more than the formatting;
# these are pure functions of hashable values, so their answers are kept.
@functools.cache
def _day_name(weekday: int, locale: str) -> str:
    """The weekday's name as a word in a sentence: torstai, torsdag, Thursday."""
    name = get_day_names("wide", context="stand-alone", locale=locale)[weekday]
    return name if locale == "en" else name.lower()


@functools.lru_cache(maxsize=8192)
def _format_date(day: dt.date, pattern: str, locale: str) -> str:
    return format_date(day, pattern, locale=locale)


def _join(words: list[str], locale: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_AND[locale]} {words[-1]}"


def _clock(time: dt.time, locale: str) -> str:
    if locale == "en":
        hour = time.hour % 12 or 12
        return str(hour) if time.minute == 0 else f"{hour}.{time.minute:02d}"
    return str(time.hour) if time.minute == 0 else f"{time.hour}.{time.minute:02d}"


def describe_times(start: dt.time, end: dt.time | None, locale: str = "fi") -> str:
    """"klo 12–14.30", "kl. 18", "12–2.30 pm", "10 am–12 pm"."""
    locale = _locale(locale)
    if locale != "en":
        span = _clock(start, locale) + (f"–{_clock(end, locale)}" if end else "")
        return f"{_CLOCK[locale]} {span}"
    start_half = "am" if start.hour < 12 else "pm"
    if end is None:
        return f"{_clock(start, locale)} {start_half}"
    end_half = "am" if end.hour < 12 else "pm"
    if start_half == end_half:
        return f"{_clock(start, locale)}–{_clock(end, locale)} {end_half}"
    return f"{_clock(start, locale)} {start_half}–{_clock(end, locale)} {end_half}"


def _weekly_days(days: tuple[WeekdayRule, ...], interval: int, working_days: bool, locale: str) -> str:
    if interval == 1:
        if locale == "fi":
            return _join([("arki" if working_days else "") + _FI_PLURAL[d.weekday] for d in days], locale)
        if locale == "sv":
            return _join([_day_name(d.weekday, locale) + "ar" for d in days], locale)
        return _join([_day_name(d.weekday, locale) + "s" for d in days], locale)
    names = _join([_day_name(d.weekday, locale) for d in days], locale)
    every = _EVERY_NTH[locale].get(interval)
    if every:
        return f"{every} {names}"
    return {"fi": f"{names} {interval} viikon välein", "sv": f"{names} var {interval}:e vecka",
            "en": f"{names} every {interval} weeks"}[locale]


def _monthly_days(days: tuple[WeekdayRule, ...], interval: int, locale: str) -> str:
    parts = []
    for day in days:
        ordinal = _ORDINALS[locale].get(day.ordinal or 1, str(day.ordinal))
        name = _day_name(day.weekday, locale)
        parts.append({"fi": f"{ordinal} {name}", "sv": f"{ordinal} {name}en", "en": f"{ordinal} {name}"}[locale])
    joined = _join(parts, locale)
    text = {"fi": f"kuukauden {joined}", "sv": f"{joined} i månaden", "en": f"{joined} of the month"}[locale]
    if interval > 1:
        text += {"fi": f" ({interval} kuukauden välein)", "sv": f" (var {interval}:e månad)",
                 "en": f" (every {interval} months)"}[locale]
    return text


def describe_schedule(schedule: Schedule, locale: str = "fi") -> str:
    """"torstaisin klo 12–14.30", "varannan tisdag kl. 18–20", "Thursdays 12–2.30 pm"."""
    locale = _locale(locale)
    rule = schedule.rule
    working_days = schedule.skip_public_holidays
    if rule.frequency is Frequency.WEEKLY:
        days = _weekly_days(rule.by_day, rule.interval, working_days and locale == "fi" and rule.interval == 1, locale)
        fi_prefix_used = locale == "fi" and rule.interval == 1
    else:
        days = _monthly_days(rule.by_day, rule.interval, locale)
        fi_prefix_used = False
    text = f"{days} {describe_times(schedule.start_time, schedule.end_time, locale)}"
    if working_days and not fi_prefix_used:
        text += _EXCEPT_HOLIDAYS[locale]
    return text + _bounds(schedule, locale)


def _bounds(schedule: Schedule, locale: str) -> str:
    """", 6 kertaa 2.2.2027 alkaen", ", till 15.5.2027": a closed group's fixed number of
    meetings, or the rule's last day; a season is shown on its own (describe_season)."""
    rule = schedule.rule
    if rule.count is not None and schedule.first_date is not None:  # a model's COUNT always has a first day
        day = short_date(schedule.first_date, locale, with_year=True)
        if rule.count == 1:
            return ", " + {"fi": f"kerran {day}", "sv": f"en gång {day}", "en": f"once, on {day}"}[locale]
        return ", " + {"fi": f"{rule.count} kertaa {day} alkaen", "sv": f"{rule.count} gånger från {day}",
                       "en": f"{rule.count} times from {day}"}[locale]
    if rule.until is not None:
        day = short_date(rule.until, locale, with_year=True)
        return ", " + {"fi": f"{day} asti", "sv": f"till {day}", "en": f"until {day}"}[locale]
    return ""


def short_date(day: dt.date, locale: str, with_year: bool = False) -> str:
    pattern = {"fi": "d.M.", "sv": "d.M", "en": "d MMM"}[locale]
    if with_year:
        pattern = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}[locale]
    return _format_date(day, pattern, locale)


def describe_season(season: Season, locale: str = "fi") -> str:
    """"syyskausi 2026 (1.9.–15.12.)", "hösttermin 2026 (1.9–15.12)",
    "autumn term 2026 (1 Sep – 15 Dec)"."""
    locale = _locale(locale)
    if season.name is not None:
        name = season.name.get(locale)
    else:
        spring, autumn = _TERM[locale]
        name = f"{autumn if season.start.month >= 8 else spring} {season.start.year}"
    with_year = season.start.year != season.end.year
    dash = " – " if locale == "en" else "–"
    return f"{name} ({short_date(season.start, locale, with_year)}{dash}{short_date(season.end, locale, with_year)})"


def describe_status(status: Status, locale: str = "fi") -> str:
    """"keskeytetty toistaiseksi: koronatilanne", "inställd till 31.1.2027: …", ""."""
    locale = _locale(locale)
    if status.state is RecordState.ACTIVE:
        return ""
    if status.state is RecordState.ENDED:
        text = {"fi": "päättynyt", "sv": "avslutad", "en": "ended"}[locale]
    elif status.until is None:
        text = {"fi": "keskeytetty toistaiseksi", "sv": "inställd tills vidare", "en": "suspended until further notice"}[locale]
    else:
        until = short_date(status.until, locale, with_year=True)
        text = {"fi": f"keskeytetty {until} asti", "sv": f"inställd till {until}", "en": f"suspended until {until}"}[locale]
    return f"{text}: {status.reason.get(locale)}" if status.reason else text


def describe_meeting(occurrence: Occurrence, locale: str = "fi") -> str:
    """"to 14.1. klo 12", "tors 14.1 kl. 12", "Thu 14 Jan, 12 pm": one meeting's day and time."""
    locale = _locale(locale)
    day = occurrence.start.date()
    time = describe_times(occurrence.start.time(), None, locale)
    if locale == "fi":
        return f"{_format_date(day, 'EEE d.M.', 'fi')} {time}"
    if locale == "sv":
        return f"{_format_date(day, 'EEE d.M', 'sv')} {time}"
    return f"{_format_date(day, 'EEE d MMM', 'en')}, {time}"


def describe_next(occurrence: Occurrence, locale: str = "fi") -> str:
    """"seuraava tapaaminen to 14.1. klo 12", "nästa träff tors 14.1 kl. 12",
    "next meeting Thu 14 Jan, 12 pm"."""
    locale = _locale(locale)
    lead = {"fi": "seuraava tapaaminen", "sv": "nästa träff", "en": "next meeting"}[locale]
    return f"{lead} {describe_meeting(occurrence, locale)}"
