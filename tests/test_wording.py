"""Schedules in words, asserted exactly (Babel is pinned in constraints.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from vertaistuki.model import RecordState, Schedule, Season, Status, Text
from vertaistuki.schedule import Occurrence
from vertaistuki.wording import describe_next, describe_schedule, describe_season, describe_status, describe_times


def schedule(rule: str, start: str, end: str | None = None, **extra) -> Schedule:
    return Schedule(rrule=rule, start_time=dt.time.fromisoformat(start),
                    end_time=dt.time.fromisoformat(end) if end else None, **extra)


@pytest.mark.parametrize(("data", "fi", "sv", "en"), [
    (schedule("FREQ=WEEKLY;BYDAY=TH", "12:00", "14:30"),
     "torstaisin klo 12–14.30", "torsdagar kl. 12–14.30", "Thursdays 12–2.30 pm"),
    (schedule("FREQ=WEEKLY;BYDAY=TH", "12:00", "14:30", skip_public_holidays=True),
     "arkitorstaisin klo 12–14.30", "torsdagar kl. 12–14.30 utom helgdagar", "Thursdays 12–2.30 pm, except public holidays"),
    (schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "18:00", "20:00", starts=dt.date(2026, 9, 1)),
     "joka toinen tiistai klo 18–20", "varannan tisdag kl. 18–20", "every other Tuesday 6–8 pm"),
    (schedule("FREQ=MONTHLY;BYDAY=2MO", "18:00"),
     "kuukauden toinen maanantai klo 18", "andra måndagen i månaden kl. 18", "second Monday of the month 6 pm"),
    (schedule("FREQ=MONTHLY;BYDAY=-1FR", "14:00", "16:00"),
     "kuukauden viimeinen perjantai klo 14–16", "sista fredagen i månaden kl. 14–16", "last Friday of the month 2–4 pm"),
    (schedule("FREQ=WEEKLY;BYDAY=MO,WE", "17:30", "19:00"),
     "maanantaisin ja keskiviikkoisin klo 17.30–19", "måndagar och onsdagar kl. 17.30–19", "Mondays and Wednesdays 5.30–7 pm"),
    (schedule("FREQ=WEEKLY;BYDAY=SA", "10:00", "12:00"),
     "lauantaisin klo 10–12", "lördagar kl. 10–12", "Saturdays 10 am–12 pm"),
    (schedule("FREQ=MONTHLY;BYDAY=1WE", "18:00", skip_public_holidays=True),
     "kuukauden ensimmäinen keskiviikko klo 18 (ei arkipyhinä)", "första onsdagen i månaden kl. 18 utom helgdagar",
     "first Wednesday of the month 6 pm, except public holidays"),
    # A closed group's fixed number of meetings, and a rule's last day (seed 002: "10 kertaa")
    (schedule("FREQ=WEEKLY;BYDAY=TU;COUNT=6", "14:00", "15:30", starts=dt.date(2027, 2, 2)),
     "tiistaisin klo 14–15.30, 6 kertaa 2.2.2027 alkaen", "tisdagar kl. 14–15.30, 6 gånger från 2.2.2027",
     "Tuesdays 2–3.30 pm, 6 times from 2 Feb 2027"),
    (schedule("FREQ=WEEKLY;BYDAY=TH;COUNT=1", "18:00", starts=dt.date(2026, 11, 5)),
     "torstaisin klo 18, kerran 5.11.2026", "torsdagar kl. 18, en gång 5.11.2026", "Thursdays 6 pm, once, on 5 Nov 2026"),
    (schedule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270515", "18:00", skip_public_holidays=True),
     "arkitorstaisin klo 18, 15.5.2027 asti", "torsdagar kl. 18 utom helgdagar, till 15.5.2027",
     "Thursdays 6 pm, except public holidays, until 15 May 2027"),
])
def test_schedules_in_three_languages(data, fi, sv, en):
    assert [describe_schedule(data, locale) for locale in ("fi", "sv", "en")] == [fi, sv, en]


def test_unknown_locale_falls_back_to_finnish_and_regions_are_ignored():
    data = schedule("FREQ=WEEKLY;BYDAY=TH", "18:00")
    assert describe_schedule(data, "de") == describe_schedule(data, "fi-FI") == "torstaisin klo 18"
    assert describe_schedule(data, "sv-FI") == "torsdagar kl. 18"


def test_midnight_and_noon_in_english():
    assert describe_times(dt.time(0), dt.time(1), "en") == "12–1 am"
    assert describe_times(dt.time(11, 30), dt.time(12, 15), "en") == "11.30 am–12.15 pm"


def test_seasons():
    autumn = Season(start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 15))
    assert describe_season(autumn, "fi") == "syyskausi 2026 (1.9.–15.12.)"
    assert describe_season(autumn, "sv") == "hösttermin 2026 (1.9–15.12)"
    assert describe_season(autumn, "en") == "autumn term 2026 (1 Sep – 15 Dec)"
    spring = Season(start=dt.date(2019, 1, 14), end=dt.date(2019, 5, 27), name=Text.of(fi="Kevätkausi 2019", en="Spring 2019"))
    assert describe_season(spring, "en") == "Spring 2019 (14 Jan – 27 May)"
    assert describe_season(Season(start=dt.date(2019, 1, 14), end=dt.date(2019, 5, 27)), "fi") == "kevätkausi 2019 (14.1.–27.5.)"


def test_statuses():
    corona = Text.of(fi="koronatilanne", sv="coronaläget", en="the coronavirus situation")
    paused = Status(state=RecordState.SUSPENDED, reason=corona)
    assert describe_status(paused, "fi") == "keskeytetty toistaiseksi: koronatilanne"
    assert describe_status(paused, "sv") == "inställd tills vidare: coronaläget"
    assert describe_status(paused, "en") == "suspended until further notice: the coronavirus situation"
    until = Status(state=RecordState.SUSPENDED, reason=corona, until=dt.date(2027, 1, 31))
    assert describe_status(until, "fi") == "keskeytetty 31.1.2027 asti: koronatilanne"
    assert describe_status(until, "en") == "suspended until 31 Jan 2027: the coronavirus situation"
    assert describe_status(Status(state=RecordState.ENDED), "sv") == "avslutad"
    assert describe_status(Status(), "fi") == ""


def test_next_meeting():
    zone = schedule("FREQ=WEEKLY;BYDAY=TH", "12:00").zone
    meeting = Occurrence(start=dt.datetime(2027, 1, 14, 12, 0, tzinfo=zone))
    assert describe_next(meeting, "fi") == "seuraava tapaaminen to 14.1. klo 12"
    assert describe_next(meeting, "sv") == "nästa träff tors 14.1 kl. 12"
    assert describe_next(meeting, "en") == "next meeting Thu 14 Jan, 12 pm"


def test_the_seed_drop_in_reads_as_on_the_page_and_has_no_meetings_while_suspended():
    from pathlib import Path

    import vertaistuki
    from vertaistuki.schedule import occurrences

    path = Path(__file__).resolve().parent.parent / "examples" / "tampere-peer-centre" / "catalogue.yaml"
    [drop_in] = [s for s in vertaistuki.load(path).catalogue.services if s.kind.value == "drop_in"]
    assert describe_schedule(drop_in.schedule, "fi") == "arkitorstaisin klo 12–14.30"
    assert describe_schedule(drop_in.schedule, "sv") == "torsdagar kl. 12–14.30 utom helgdagar"
    assert describe_schedule(drop_in.schedule, "en") == "Thursdays 12–2.30 pm, except public holidays"
    assert describe_status(drop_in.status, "fi").startswith("keskeytetty toistaiseksi: ")
    assert describe_status(drop_in.status, "sv").startswith("inställd tills vidare: ")
    assert describe_status(drop_in.status, "en").startswith("suspended until further notice: ")
    assert occurrences(drop_in.schedule, drop_in.status, start=dt.date(2026, 11, 22), end=dt.date(2027, 12, 31)) == []
