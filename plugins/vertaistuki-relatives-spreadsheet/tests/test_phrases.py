"""Finnish schedule phrases as the association's editors type them."""

import pytest

from vertaistuki.model import parse_rrule
from vertaistuki_relatives_spreadsheet.phrases import PhraseError, parse_phrase


@pytest.mark.parametrize(("phrase", "rule", "start", "end", "skip"), [
    ("torstaisin klo 18–20", "FREQ=WEEKLY;BYDAY=TH", "18:00", "20:00", False),
    ("Torstaisin klo 18-20", "FREQ=WEEKLY;BYDAY=TH", "18:00", "20:00", False),
    ("arkitorstaisin klo 12–14.30", "FREQ=WEEKLY;BYDAY=TH", "12:00", "14:30", True),
    ("maanantaisin ja keskiviikkoisin klo 17.30", "FREQ=WEEKLY;BYDAY=MO,WE", "17:30", None, False),
    ("joka toinen tiistai klo 18–19.30", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "18:00", "19:30", False),
    ("kuukauden toinen maanantai klo 18", "FREQ=MONTHLY;BYDAY=2MO", "18:00", None, False),
    ("kuun viimeinen perjantai klo 14–16", "FREQ=MONTHLY;BYDAY=-1FR", "14:00", "16:00", False),
    ("keskiviikkoisin klo 9:15–11", "FREQ=WEEKLY;BYDAY=WE", "09:15", "11:00", False),
])
def test_phrases_become_rules_the_core_accepts(phrase, rule, start, end, skip):
    parsed = parse_phrase(phrase)
    assert (parsed.rrule, parsed.start_time, parsed.end_time, parsed.skip_public_holidays) == (rule, start, end, skip)
    assert str(parse_rrule(parsed.rrule)) == rule


@pytest.mark.parametrize(("phrase", "english"), [
    ("torstaisin", "no time"),
    ("klo 18–20", "no weekday"),
    ("kuukauden maanantai klo 18", "ordinal"),
    ("torstaisin klo 25–26", "impossible"),
])
def test_unreadable_phrases_say_what_is_missing(phrase, english):
    with pytest.raises(PhraseError) as raised:
        parse_phrase(phrase)
    assert english in raised.value.en
    assert raised.value.fi != raised.value.en
