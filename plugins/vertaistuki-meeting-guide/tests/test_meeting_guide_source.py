"""The ``meeting-guide`` source on small feeds, through the core's build."""

from __future__ import annotations

import pytest
from vertaistuki_meeting_guide.source import parse_time, record_id


def meeting(**fields):
    return {"name": "Kahvila", "slug": "kahvila", "day": 2, "time": "18:00",
            "address": "Hämeenkatu 1", "city": "Tampere", "country": "FI", **fields}


@pytest.mark.parametrize(("text", "expected"), [
    ("19:00", "19:00:00"), ("7:05", "07:05:00"), ("19:00:00", "19:00:00"), ("11:00 AM", "11:00:00"),
    ("12:00 PM", "12:00:00"), ("12:30 am", "00:30:00"), ("7 pm", "19:00:00"), ("8:00 P.M.", "20:00:00"),
])
def test_both_time_forms_of_real_feeds_are_read(text, expected):
    assert str(parse_time(text)) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "noon", "", "19.00"])
def test_times_that_are_not_times_are_refused(text):
    assert parse_time(text) is None


def test_a_day_list_is_one_group_meeting_on_several_days(import_feed):
    result = import_feed([meeting(day=[1, 3], time="7:30 PM", end_time="9:00 PM")], {"language": "fi"})
    [group] = result.catalogue.groups
    assert group.schedule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert (str(group.schedule.start_time), str(group.schedule.end_time)) == ("19:30:00", "21:00:00")
    assert not result.errors


def test_bad_records_are_left_out_with_a_reason_and_the_good_ones_kept(import_feed):
    feed = [meeting(slug="hyva"), meeting(slug="ei-paivaa", day=None), meeting(slug="huono-aika", time="25:99"),
            meeting(slug="ei-nimea", name=""), "not a meeting", meeting(slug="paiva-8", day=8)]
    result = import_feed(feed, {"language": "fi"})
    assert [g.id for g in result.catalogue.groups] == ["hyva"]
    errors = {p.path: p for p in result.errors}
    assert set(errors) == {"$[1].day", "$[2].time", "$[3].name", "$[4]", "$[5].day"}
    assert errors["$[1].day"].record_id == "ei-paivaa" and errors["$[1].day"].code == "meeting_guide.no_day"
    assert "25:99" in errors["$[2].time"].message.get("en") and "jätetään pois" in errors["$[2].time"].message.get("fi")
    assert len(result.catalogue.groups) + len(errors) == len(feed)


def test_slugs_become_ids_deterministically(import_feed):
    feed = [meeting(slug="Tiistai Ilta!"), meeting(slug="tiistai-ilta"), meeting(slug=17), meeting(slug=None, name="Älä pelkää")]
    result = import_feed(feed, {"language": "fi"})
    assert [g.id for g in result.catalogue.groups] == ["tiistai-ilta", "tiistai-ilta-2", "17", "ala-pelkaa"]
    changed = {p.path: p.record_id for p in result.problems if p.code == "meeting_guide.slug_changed"}
    assert changed == {"$[0].slug": "tiistai-ilta", "$[1].slug": "tiistai-ilta-2", "$[3].slug": "ala-pelkaa"}
    assert record_id("x" * 100) == "x" * 80 and record_id("--a") == "a"


def test_types_map_to_openness_languages_audiences_activities_and_accessibility(import_feed):
    feed = [meeting(types=["C", "EN", "S", "W", "D", "X", "XB", "SP", "ZZ"])]
    result = import_feed(feed, {"language": "en"})
    [group] = result.catalogue.groups
    assert group.openness.value == "closed"
    assert group.languages == ("en", "es") and group.audiences == ("women",) and group.activities == ("discussion",)
    place = result.catalogue.place(group.channels[0].place)
    assert place.accessibility.step_free_entrance is True and place.accessibility.accessible_toilet is True
    assert place.accessibility.elevator is None  # not said is not "no"
    not_kept = {p.path for p in result.problems if p.code == "meeting_guide.type_not_kept"}
    assert not_kept == {"$[0].types[7]", "$[0].types[8]"}
    women = next(t for t in result.catalogue.terms if t.id == "women")
    assert women.label.get("fi") == "Naiset"  # the source defines the audience terms it uses
    assert not [p for p in result.problems if p.code == "unknown_term"]


def test_online_and_phone_meetings(import_feed):
    online = meeting(slug="etana", attendance_option="online", formatted_address="Tampere, Finland", approximate="yes",
                     conference_url="https://zoom.us/j/123", conference_url_notes="Salasana 1234",
                     conference_phone="+358 40 123 4567,,123#", conference_phone_notes="Kokous 123")
    result = import_feed([online], {"language": "fi"})
    [group] = result.catalogue.groups
    kinds = [c.kind.value for c in group.channels]
    assert kinds == ["online", "phone"]  # online only: no place from an approximate address
    web, phone = group.channels
    assert (web.url, web.platform, web.instructions.get("fi")) == ("https://zoom.us/j/123", "Zoom", "Salasana 1234")
    assert phone.phone == "+358401234567" and phone.note.get("fi") == "Kokous 123\n+358 40 123 4567,,123#"
    assert "$[0].formatted_address" in {p.path for p in result.problems}  # "Tampere" is no region: reported


def test_a_us_number_without_country_code_is_read_by_the_address(import_feed):
    result = import_feed([meeting(formatted_address="1 Main St, Lewes, DE 19958, USA", address=None, city=None,
                                  country=None, conference_phone="13017158592,,839#")])
    [group] = result.catalogue.groups
    assert next(c for c in group.channels if c.kind.value == "phone").phone == "+13017158592"
    place = result.catalogue.place(group.channels[0].place)
    assert (place.municipality.get("en"), place.postal_code) == ("Lewes", "19958")
    left = {p.message.get("en") for p in result.problems if p.path == "$[0].formatted_address"}
    assert any("'DE'" in m for m in left) and any("'USA'" in m for m in left)


def test_temporarily_closed_without_a_way_to_join_is_a_suspension(import_feed):
    result = import_feed([meeting(types=["O", "TC"]), meeting(slug="b", attendance_option="inactive")], {"language": "sv"})
    for group in result.catalogue.groups:
        assert group.status.state.value == "suspended" and group.status.reason.get("sv").startswith("Mötesplatsen")
        assert [c.kind.value for c in group.channels] == ["in_person"]
    assert not result.errors


def test_regions_match_the_region_vocabulary_in_any_language(import_feed):
    result = import_feed([meeting(regions=["Birkaland", "Hervanta"], region="Pirkanmaa")], {"language": "fi"})
    [group] = result.catalogue.groups
    assert group.regions == ("pirkanmaa",)
    assert {p.path for p in result.problems if "region" in p.path} == {"$[0].regions[1]"}


def test_groups_and_entity_become_organisations(import_feed):
    feed = [meeting(group="Tiistairyhmä", group_notes="Perustettu 1990", website="https://ryhma.example/",
                    entity="Tampereen intergroup", entity_url="https://intergroup.example/"),
            meeting(slug="toinen", group="Tiistairyhmä", entity="Tampereen intergroup")]
    result = import_feed(feed, {"language": "fi"})
    first, second = result.catalogue.groups
    assert first.organiser == second.organiser == "tiistairyhma"
    organisation = result.catalogue.organisation("tiistairyhma")
    assert organisation.description.get("fi") == "Perustettu 1990" and organisation.url == "https://ryhma.example/"
    assert organisation.parent == "tampereen-intergroup"
    assert result.catalogue.organisation("tampereen-intergroup").url == "https://intergroup.example/"


def test_organiser_option_uses_an_organisation_of_another_source(import_feed):
    catalogue = "source: omat\nrequired_languages: [fi]\norganisations:\n- {id: kerho, kind: association, name: {fi: Kerho ry}}\n"
    result = import_feed([meeting(group="Joku ryhmä")], {"language": "fi", "organiser": "kerho"}, extra=catalogue)
    [group] = result.catalogue.groups
    assert group.organiser == "kerho" and not result.errors
    assert [p.path for p in result.problems if p.path.startswith("$[0].group")] == ["$[0].group"]


def test_contact_people_are_never_imported(import_feed):
    result = import_feed([meeting(contact_1_name="Matti", contact_1_phone="040 123 4567")], {"language": "fi"})
    assert {p.path for p in result.problems if "contact" in p.path} == {"$[0].contact_1_name", "$[0].contact_1_phone"}
    assert not result.catalogue.volunteers and not result.catalogue.coordinators


def test_time_zone_from_the_meeting_or_the_option(import_feed):
    result = import_feed([meeting(timezone="America/Chicago"), meeting(slug="b")], {"timezone": "Europe/Stockholm"})
    assert [g.schedule.timezone for g in result.catalogue.groups] == ["America/Chicago", "Europe/Stockholm"]
    assert not [p for p in result.problems if p.code == "meeting_guide.timezone_assumed"]


def test_fields_an_editor_chose_to_ignore_are_not_reported(import_feed):
    feed = [meeting(edit_url="https://x.example/edit", location_id=4)]
    reported = {p.path for p in import_feed(feed, {"language": "fi"}).problems}
    assert {"$[0].edit_url", "$[0].location_id"} <= reported
    quiet = {p.path for p in import_feed(feed, {"language": "fi", "ignore_fields": ["edit_url"]}).problems}
    assert "$[0].edit_url" not in quiet and "$[0].location_id" in quiet


@pytest.mark.parametrize(("content", "options", "words"), [
    ('{"meetings": []}', {}, "list of meetings"),
    ("[{", {}, "JSON error"),
])
def test_an_unusable_feed_is_one_clear_problem(import_feed, tmp_path, content, options, words):
    path = tmp_path / "syote.json"
    path.write_text(content, encoding="utf-8")
    result = import_feed(path, options)
    [problem] = [p for p in result.problems if p.code == "source_failed"]
    assert words in problem.message.get("en") and problem.message.get("fi")



@pytest.mark.parametrize(("options", "en"), [
    ({"language": "Finnish!"}, 'option language must be a language tag such as "en" or "fi", not "Finnish!"'),
    ({"timezone": "Mars/Olympus"}, 'option timezone must be a known time zone such as "Europe/Helsinki", not "Mars/Olympus"'),
    ({"phone_region": "fi"}, 'option phone_region must be a country code in capitals such as "FI" or "US", not "fi"'),
    ({"ignore_fields": "edit_url"}, 'option ignore_fields must be a list of texts'),
    # ignored without a word before: the groups' texts were then read as English
    ({"langauge": "fi"}, 'unknown option "langauge" (did you mean "language"?); meeting-guide takes'),
])
def test_a_mistaken_option_is_reported_by_its_name(import_feed, options, en):
    result = import_feed([meeting()], options)
    # the only source: the catalogue then also lacks its name, a problem of its own
    [problem] = [p for p in result.errors if p.code == "source_option"]
    assert (problem.code, problem.path) == ("source_option", f"$.options.{next(iter(options))}")
    assert problem.message.get("en").startswith(f"source meeting-guide: {en}"), problem.message.get("en")
    assert problem.message.get("fi").startswith("lähteen meeting-guide ") and not result.catalogue.groups
