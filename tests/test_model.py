"""Model invariants and accessors that every output relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from vertaistuki.model import (
    Consent,
    Consented,
    InvalidValue,
    PersonalDetails,
    Text,
    is_business_id,
    national_phone,
    normalise_phone,
    parse_rrule,
)


class TestText:
    def test_falls_back_from_region_to_language_to_finnish(self):
        text = Text.of(fi="Vertaisryhmä", sv="Kamratgrupp")
        assert text.get("sv-FI") == "Kamratgrupp"
        assert text.get("en") == "Vertaisryhmä"
        assert text.resolve("en") == ("fi", "Vertaisryhmä")

    def test_any_language_is_a_last_resort(self):
        assert Text.of(se="Olmmošjoavku").get("fi") == "Olmmošjoavku"

    def test_equal_whatever_the_order_written(self):
        assert Text.of(fi="a", sv="b") == Text.of(sv="b", fi="a")

    @pytest.mark.parametrize("values", [{}, {"fi": "  "}, {"FI!": "x"}])
    def test_rejects_empty_and_malformed(self, values):
        with pytest.raises(ValueError):
            Text.of(values)


@pytest.mark.parametrize(("value", "valid"), [
    ("0201256-6", True), ("1572860-0", True), ("0201256-7", False), ("201256-6", False), ("02012566", False),
])
def test_business_id_check_digit(value, valid):
    assert is_business_id(value) is valid


def test_phone_numbers_are_normalised_and_printed_nationally():
    assert normalise_phone("040 754 9716") == "+358407549716"
    assert normalise_phone("+358 40 754 9716") == "+358407549716"
    assert national_phone("+358407549716").replace(" ", "") == "0407549716"
    with pytest.raises(InvalidValue):
        normalise_phone("soita meille")


class TestRecurrenceRules:
    def test_accepts_what_groups_use(self):
        assert str(parse_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
        rule = parse_rrule("FREQ=MONTHLY;BYDAY=2MO")
        assert (rule.by_day[0].weekday, rule.by_day[0].ordinal) == (0, 2)

    @pytest.mark.parametrize(("rule", "word"), [
        ("FREQ=SECONDLY", "SECONDLY"), ("FREQ=DAILY", "DAILY"), ("FREQ=WEEKLY;COUNT=1000000000", "COUNT"),
        ("FREQ=WEEKLY;UNTIL=99991231", "UNTIL"), ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;BYDAY=2MO", "ordinal"), ("FREQ=WEEKLY;BYHOUR=5", "BYHOUR"), ("FREQ=WEEKLY;BYDAY=XX", "XX"),
        ("", "empty"), ("FREQ=WEEKLY;FREQ=MONTHLY", "twice"),
    ])
    def test_refuses_the_rest_saying_why(self, rule, word):
        with pytest.raises(InvalidValue) as raised:
            parse_rrule(rule)
        assert word in raised.value.en
        assert raised.value.fi.startswith("toistosääntö")


class TestConsent:
    given = Consent(given=dt.date(2024, 1, 10), withdrawn=dt.date(2025, 6, 1))

    def test_consent_is_in_force_between_given_and_withdrawn(self):
        assert not self.given.in_force(dt.date(2024, 1, 9))
        assert self.given.in_force(dt.date(2024, 1, 10))
        assert not self.given.in_force(dt.date(2025, 6, 1))

    def test_published_shows_only_consented_fields(self):
        details = PersonalDetails(
            name=Consented("Sakari", Consent(given=dt.date(2024, 1, 1))),
            home_municipality=Consented("Lempäälä"),  # never asked
            phone=Consented("+358407549716", self.given),  # withdrawn later
        )
        assert details.published(dt.date(2024, 6, 1)).phone == "+358407549716"
        shown = details.published(dt.date(2025, 7, 1))
        assert (shown.name, shown.home_municipality, shown.phone) == ("Sakari", None, None)
        assert details.redacted(dt.date(2025, 7, 1)) == PersonalDetails(name=details.name)

    def test_cannot_be_withdrawn_before_given(self):
        with pytest.raises(InvalidValue):
            Consent(given=dt.date(2024, 1, 10), withdrawn=dt.date(2023, 1, 1))


@pytest.mark.parametrize("value", [12345, 100.0, True])
def test_structuring_refuses_a_number_where_text_belongs(value):
    # A spreadsheet that read the postal code 00100 as the number 100 must not publish "100".
    import cattrs

    from vertaistuki.convert import structure
    from vertaistuki.model import Place

    place = {"id": "talo", "name": {"fi": "Talo"}, "municipality": {"fi": "Helsinki"}}
    assert structure({**place, "postal_code": "00100"}, Place).postal_code == "00100"
    with pytest.raises(cattrs.ClassValidationError) as raised:
        structure({**place, "postal_code": value}, Place)
    assert "expected text" in str(raised.value.exceptions[0])
