"""Single events, prices, languages, ids, and every field Linked Events can hold from our model."""

import datetime as dt
from typing import Any

from linked_events_helpers import by_id, catalogue_data, group, render

API = "https://api.hel.fi/linkedevents/v1/"
TODAY = dt.date(2026, 10, 1)

COURSE = {
    "id": "sopeutumisvalmennus-2027", "kind": "adaptation_course", "organiser": "omaiset",
    "co_organisers": ["kuntoutuskeskus"],
    "name": {"fi": "Sopeutumisvalmennuskurssi", "sv": "Anpassningskurs", "en": "Adaptation course"},
    "description": {"fi": "Kurssi omaisille. Mukana <ohjaajat> & vertaiset.", "sv": "En kurs för anhöriga."},
    "start_date": "2027-03-13", "end_date": "2027-03-14", "start_time": "10:00", "end_time": "16:00",
    "audiences": ["relatives"], "topics": ["omaishoito"], "languages": ["fi", "sv"],
    "channels": [{"kind": "in_person", "place": "omaistalo", "room": {"fi": "Sali 2", "sv": "Sal 2"}},
                 {"kind": "online", "url": "https://example.org/meet", "platform": "Teams"}],
    "fee": {"kind": "self_payment", "amount": 25, "note": {"fi": "Sisältää lounaan"}},
    "registration": {"required": True, "url": "https://example.org/ilmoittaudu", "deadline": "2027-02-26"},
    "contact": {"phone": "040 754 9716", "email": "info@example.org", "note": {"fi": "arkisin klo 9–15"}},
    "url": "https://example.org/kurssi",
}
REHAB_CENTRE = {"id": "kuntoutuskeskus", "kind": "care_provider", "name": {"fi": "Kuntoutuskeskus"}}


def course_catalogue(groups=(), **changes: Any) -> dict[str, Any]:
    data = catalogue_data(groups, events=[{**COURSE, **changes}])
    data["organisations"].append(REHAB_CENTRE)
    return data


def empty_values(value, path="$"):
    """Paths of every empty string, list or object in the output."""
    if isinstance(value, dict):
        found = [path] if not value else []
        for key, item in value.items():
            found += empty_values(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        found = [path] if not value else []
        for index, item in enumerate(value):
            found += empty_values(item, f"{path}[{index}]")
        return found
    return [path] if value == "" else []


def test_a_course_is_one_event_with_every_field_linked_events_can_hold():
    output = render(course_catalogue(), TODAY, audience_ages={"relatives": {"min": 18}},
                    keyword_map={"audience:relatives": "yso:p1005"})
    [event] = output["events.json"]
    assert event["id"] == "vertaistuki:omaiset-uusimaa:sopeutumisvalmennus-2027"
    assert event["@id"] == f"{API}event/{event['id']}/"
    assert (event["data_source"], event["publisher"]) == ("vertaistuki", "ytj:0201256-6")
    assert (event["event_status"], event["type_id"], event["publication_status"]) == ("EventScheduled", "Course", "public")
    assert "super_event_type" not in event and "super_event" not in event
    assert (event["start_time"], event["end_time"]) == ("2027-03-13T10:00:00+02:00", "2027-03-14T16:00:00+02:00")
    assert event["name"] == {"fi": "Sopeutumisvalmennuskurssi", "sv": "Anpassningskurs", "en": "Adaptation course"}
    assert event["description"] == {"fi": "<p>Kurssi omaisille. Mukana &lt;ohjaajat&gt; &amp; vertaiset.</p>",
                                    "sv": "<p>En kurs för anhöriga.</p>"}
    assert event["short_description"] == {"fi": "Kurssi omaisille. Mukana <ohjaajat> & vertaiset.",
                                          "sv": "En kurs för anhöriga."}
    assert event["info_url"] == {language: "https://example.org/kurssi" for language in ("fi", "sv", "en")}
    assert event["provider"] == {"fi": "Omaisyhdistys ry, Kuntoutuskeskus", "sv": "Anhörigföreningen rf"}
    assert event["provider_contact_info"]["fi"] == "040 7549716, info@example.org, arkisin klo 9–15"
    assert event["provider_contact_info"]["sv"] == "040 7549716, info@example.org"
    assert event["location"] == {"@id": f"{API}place/vertaistuki:omaiset-uusimaa:omaistalo/"}
    assert event["location_extra_info"] == {"fi": "Sali 2", "sv": "Sal 2"}
    assert event["keywords"] == [{"@id": f"{API}keyword/vertaistuki:event_kind-adaptation_course/"},
                                 {"@id": f"{API}keyword/vertaistuki:topic-omaishoito/"}]
    assert event["audience"] == [{"@id": f"{API}keyword/yso:p1005/"}]
    assert event["audience_min_age"] == 18 and "audience_max_age" not in event
    assert event["in_language"] == [{"@id": f"{API}language/fi/"}, {"@id": f"{API}language/sv/"}]
    assert event["offers"] == [{
        "is_free": False,
        "price": {"fi": "25,00\xa0€", "sv": "25,00\xa0€", "en": "€25.00"},
        "info_url": {language: "https://example.org/ilmoittaudu" for language in ("fi", "sv", "en")},
        "description": {"fi": "Sisältää lounaan"},
    }]
    assert event["external_links"] == [
        {"name": "online_meeting", "link": "https://example.org/meet", "language": "fi"},
        {"name": "registration", "link": "https://example.org/ilmoittaudu", "language": "fi"}]
    assert event["enrolment_end_time"] == "2027-02-26T23:59:00+02:00"
    assert empty_values(event) == []
    # The place it refers to, with what Linked Events' place holds.
    assert output["places.json"] == [{
        "id": "vertaistuki:omaiset-uusimaa:omaistalo",
        "@id": f"{API}place/vertaistuki:omaiset-uusimaa:omaistalo/", "@type": "Place",
        "data_source": "vertaistuki", "publisher": "ytj:0201256-6",
        "name": {"fi": "Omaistalo", "sv": "Anhörighuset"}, "street_address": {"fi": "Esimerkkikatu 5"},
        "address_locality": {"fi": "Helsinki", "sv": "Helsingfors"}, "postal_code": "00100",
        "address_country": "FI", "position": {"type": "Point", "coordinates": [24.94, 60.17]},
        "description": {"fi": "Toinen kerros"}}]
    # Keywords of our own are listed for the Linked Events administrator to create.
    assert [keyword["id"] for keyword in output["keywords.json"]] == [
        "vertaistuki:event_kind-adaptation_course", "vertaistuki:topic-omaishoito"]
    assert output["keywords.json"][0]["name"] == {"fi": "Sopeutumisvalmennuskurssi", "sv": "Anpassningskurs",
                                                  "en": "Adaptation course"}


def test_missing_languages_are_left_out_never_empty():
    only_finnish = group(name={"fi": "Miesten voimaa"}, description={"fi": "Miesten oma ryhmä."})
    events = render(catalogue_data([only_finnish]), TODAY, window_days=7)["events.json"]
    for event in events:
        assert event["name"] == {"fi": "Miesten voimaa"}
        assert event["description"] == {"fi": "<p>Miesten oma ryhmä.</p>"}
        assert event["short_description"] == {"fi": "Miesten oma ryhmä."}
        assert event["offers"] == [{"is_free": True}]
        assert "info_url" not in event and "location_extra_info" not in event
        assert empty_values(event) == []


def test_only_the_configured_languages_are_written():
    events = render(course_catalogue(), TODAY, languages=["fi"])["events.json"]
    assert events[0]["name"] == {"fi": "Sopeutumisvalmennuskurssi"}
    assert set(events[0]["offers"][0]["price"]) == {"fi"}


def test_free_self_payment_and_membership_offers():
    free = group(id="maksuton", fee={"kind": "free"})
    paid = group(id="omavastuu", fee={"kind": "self_payment", "amount": 2.5, "announced_in_advance": True})
    members = group(id="jasenille", fee={"kind": "membership"})
    events = by_id(render(catalogue_data([free, paid, members]), TODAY, window_days=1)["events.json"])
    assert events["vertaistuki:omaiset-uusimaa:maksuton"]["offers"] == [{"is_free": True}]
    assert events["vertaistuki:omaiset-uusimaa:omavastuu"]["offers"] == [{
        "is_free": False, "price": {"fi": "2,50\xa0€", "sv": "2,50\xa0€"},
        "description": {"fi": "Omavastuu", "sv": "Självrisk"}}]
    assert events["vertaistuki:omaiset-uusimaa:jasenille"]["offers"] == [{
        "is_free": False, "description": {"fi": "Jäsenille", "sv": "För medlemmar"}}]


def test_ids_are_stable_across_runs_and_moving_windows():
    data = course_catalogue([group()])
    first = render(data, TODAY, window_days=30)
    assert render(data, TODAY, window_days=30) == first
    # A week later the same meetings keep their ids; only the past one is gone.
    later = by_id(render(data, TODAY + dt.timedelta(days=7), window_days=30)["events.json"])
    earlier = by_id(first["events.json"])
    shared = set(earlier) & set(later)
    assert set(earlier) - shared == {"vertaistuki:omaiset-uusimaa:miesten-voimaa:2026-10-01"}
    series = "vertaistuki:omaiset-uusimaa:miesten-voimaa"
    assert all(earlier[i]["start_time"] == later[i]["start_time"] for i in shared - {series})
    # The umbrella keeps its id and spans what is still to come.
    assert later[series]["start_time"] == "2026-10-08T18:00:00+03:00"


def test_the_same_catalogue_gives_the_same_bytes(tmp_path):
    from linked_events_helpers import load
    from vertaistuki.atomic import joined
    from vertaistuki.registry import RenderContext
    from vertaistuki_linked_events import render_linked_events

    catalogue = load(course_catalogue([group()]), TODAY)
    context = RenderContext(options={"window_days": 30}, today=TODAY)

    def files():
        return {path: joined(path, content) for path, content in render_linked_events(catalogue, context)}

    assert files() == files()
    text = files()["linked-events/events.json"].decode("utf-8")
    assert "Männens kraft" in text  # UTF-8, not \\u escapes


def test_short_description_fits_linked_events_limit():
    long = "Tämä on pitkä kuvaus " * 20
    sentence = "Ryhmä omaisille, jotka haluavat jutella. " + long
    events = by_id(render(catalogue_data([group(id="pitka", description={"fi": long}),
                                          group(id="lause", description={"fi": sentence})]),
                          TODAY, window_days=1)["events.json"])
    cut = events["vertaistuki:omaiset-uusimaa:pitka"]["short_description"]["fi"]
    assert len(cut) <= 160 and cut.endswith("…") and not cut.endswith(" …")
    assert events["vertaistuki:omaiset-uusimaa:lause"]["short_description"]["fi"] == "Ryhmä omaisille, jotka haluavat jutella."


def test_all_day_events_are_dates_and_past_or_ended_events_are_left_out():
    camp = {"id": "leiri", "kind": "camp", "organiser": "omaiset", "name": {"fi": "Perheleiri"},
            "start_date": "2027-06-10", "end_date": "2027-06-12", "channels": [{"kind": "in_person", "place": "omaistalo"}]}
    past = {**camp, "id": "mennyt", "start_date": "2026-06-10", "end_date": "2026-06-12"}
    ended = {**camp, "id": "ohi", "status": {"state": "ended"}}
    events = by_id(render(catalogue_data(events=[camp, past, ended]), TODAY)["events.json"])
    assert list(events) == ["vertaistuki:omaiset-uusimaa:leiri"]
    camp_event = events["vertaistuki:omaiset-uusimaa:leiri"]
    # Linked Events reads a date as the whole day: the camp ends at the end of 12 June.
    assert (camp_event["start_time"], camp_event["end_time"]) == ("2027-06-10", "2027-06-12")
    assert camp_event["type_id"] == "General"


def test_a_suspended_event_is_postponed():
    suspended = {"state": "suspended", "reason": {"fi": "Siirtyy, uusi aika myöhemmin"}}
    [event] = render(course_catalogue(status=suspended), TODAY)["events.json"]
    assert event["event_status"] == "EventPostponed"


def test_online_and_phone_meetings_refer_to_the_internet_place():
    online = group(id="verkossa", channels=[{"kind": "online", "url": "https://example.org/chat", "platform": "Facebook",
                                            "instructions": {"fi": "Pyydä liittymistä ryhmään"}}])
    phone = group(id="puhelimessa", channels=[{"kind": "phone", "phone": "040 754 9716", "note": {"fi": "puhelu on maksuton"}}])
    output = render(catalogue_data([online, phone]), TODAY, window_days=1)
    events = by_id(output["events.json"])
    internet = {"@id": f"{API}place/helsinki:internet/"}
    on = events["vertaistuki:omaiset-uusimaa:verkossa"]
    assert on["location"] == internet
    assert on["location_extra_info"] == {"fi": "Facebook: Pyydä liittymistä ryhmään"}
    assert on["external_links"] == [{"name": "extlink_facebook", "link": "https://example.org/chat", "language": "fi"}]
    call = events["vertaistuki:omaiset-uusimaa:puhelimessa"]
    assert call["location"] == internet
    assert call["location_extra_info"] == {"fi": "040 7549716, puhelu on maksuton", "sv": "040 7549716"}
    assert "places.json" not in output  # no place of ours was referred to


def test_a_closed_groups_registration_deadline_and_link():
    closed = group(openness="closed", registration={"required": True, "url": "https://example.org/hae",
                                                    "deadline": "2026-10-20"})
    events = render(catalogue_data([closed]), TODAY, window_days=1)["events.json"]
    assert all(event["enrolment_end_time"] == "2026-10-20T23:59:00+03:00" for event in events)
    assert all(event["offers"][0]["info_url"] == {"fi": "https://example.org/hae", "sv": "https://example.org/hae"}
               for event in events)
