"""Renderer options: keyword ids, ages, ids of the Linked Events instance, and mistakes."""

import datetime as dt

import pytest

from linked_events_helpers import catalogue_data, group, render
from vertaistuki.options import OptionError
from vertaistuki_linked_events.options import Options

TODAY = dt.date(2026, 10, 1)
API = "https://api.hel.fi/linkedevents/v1/"
# yso:p1xxx ids here are placeholders, not real YSO concepts.
DEPRESSION = {"vocabulary": "topic", "id": "depression", "label": {"fi": "Masennus", "sv": "Depression"},
              "yso": "http://www.yso.fi/onto/yso/p1234"}


def keyword_ids(event, field="keywords"):
    return [ref["@id"].removeprefix(f"{API}keyword/").rstrip("/") for ref in event.get(field, [])]


def test_keywords_come_from_the_map_then_the_terms_yso_link_then_our_own_namespace():
    tagged = group(topics=["depression", "loneliness"], activities=["discussion", "crafts"], audiences=["men"])
    data = catalogue_data([tagged], terms=[DEPRESSION])
    output = render(data, TODAY, window_days=1,
                    keyword_map={"activity:crafts": ["yso:p1001", "yso:p1002"], "audience:men": "yso:p1004"},
                    extra_keywords=["yso:p1003"])
    umbrella = output["events.json"][0]
    assert keyword_ids(umbrella) == ["yso:p1234", "vertaistuki:topic-loneliness", "vertaistuki:activity-discussion",
                                     "yso:p1001", "yso:p1002", "yso:p1003"]
    assert keyword_ids(umbrella, "audience") == ["yso:p1004"]
    # Only the keywords of our own need creating in Linked Events.
    assert [k["id"] for k in output["keywords.json"]] == ["vertaistuki:activity-discussion", "vertaistuki:topic-loneliness"]


def test_fully_mapped_keywords_need_no_keyword_list():
    output = render(catalogue_data([group()]), TODAY, window_days=1, keyword_map={"activity:discussion": "yso:p1234"})
    assert "keywords.json" not in output


def test_audience_ages_span_every_audience_and_need_all_of_them():
    ages = {"children": {"max": 12}, "youth": {"min": 13, "max": 29}, "parents": {"min": 18}}
    events = render(catalogue_data([
        group(id="nuoret", audiences=["children", "youth"]),
        group(id="perheet", audiences=["youth", "parents"]),
        group(id="miehet", audiences=["youth", "men"]),
    ]), TODAY, window_days=1, audience_ages=ages)["events.json"]
    found = {e["id"].split(":")[2]: (e.get("audience_min_age"), e.get("audience_max_age")) for e in events if "super_event_type" in e}
    assert found == {"nuoret": (None, 29),  # children have no lower bound
                     "perheet": (13, None),  # parents have no upper bound
                     "miehet": (None, None)}  # nothing is known of men's ages


def test_instance_ids_publisher_and_drafts():
    events = render(catalogue_data([group()]), TODAY, window_days=1, data_source="omaiset", publisher="ahjo:00001",
                    api_base="https://api.turku.fi/linkedevents/v1", internet_place="turku:internet",
                    publication_status="draft")["events.json"]
    assert events[0]["id"] == "omaiset:omaiset-uusimaa:miesten-voimaa"
    assert events[0]["@id"] == "https://api.turku.fi/linkedevents/v1/event/omaiset:omaiset-uusimaa:miesten-voimaa/"
    assert {(e["data_source"], e["publisher"], e["publication_status"]) for e in events} == {("omaiset", "ahjo:00001", "draft")}


def test_without_a_business_id_or_option_no_publisher_is_claimed():
    data = catalogue_data([group()])
    del data["organisations"][0]["business_id"]
    events = render(data, TODAY, window_days=1)["events.json"]
    assert all("publisher" not in event for event in events)


@pytest.mark.parametrize(("options", "en", "fi"), [
    ({"window_dayz": 30}, 'unknown option "window_dayz" (did you mean "window_days"?); linked-events takes',
     'tuntematon asetus "window_dayz" (tarkoititko "window_days"?)'),
    ({"window_days": 0}, "option window_days must be a whole number from 1 to", "asetuksen window_days pitää olla kokonaisluku 1–"),
    ({"window_days": 401}, "option window_days must be a whole number from 1 to", "asetuksen window_days pitää olla kokonaisluku"),
    ({"data_source": "Vertais Tuki"}, 'option data_source must be a lower-case slug such as "vertaistuki", not "Vertais Tuki"',
     "asetuksen data_source pitää olla pienin kirjaimin"),
    ({"api_base": "ftp://example.org"}, "option api_base must be an http(s) address", "asetuksen api_base pitää olla http(s)-osoite"),
    ({"keyword_map": {"depression": "yso:p1234"}}, 'option keyword_map must be a table whose keys are "vocabulary:id"',
     'asetuksen keyword_map pitää olla taulukko, jonka avaimet ovat muotoa "sanasto:tunniste"'),
    ({"keyword_map": {"topic:depression": "p8745"}},
     'option keyword_map must be a table in which "topic:depression" is a Linked Events keyword id', "asetuksen keyword_map"),
    ({"audience_ages": {"youth": {"min": "13"}}}, "option audience_ages must be a table in which the ages of youth are whole numbers",
     "asetuksen audience_ages pitää olla taulukko, jossa kohderyhmän youth iät"),
    ({"audience_ages": {"youth": {"from": 13}}}, "option audience_ages must be a table in which youth is a table with min and/or max",
     "asetuksen audience_ages"),
    ({"publication_status": "hidden"}, 'option publication_status must be one of "public", "draft", not "hidden"',
     "asetuksen publication_status pitää olla jokin näistä"),
    ({"languages": "fi"}, "option languages must be a list of language codes", "asetuksen languages pitää olla luettelo kielikoodeja"),
    ({"include_services": "yes"}, 'option include_services must be true or false (without quotes), not "yes"',
     "asetuksen include_services pitää olla true tai false"),
    ({"publisher": ""}, 'option publisher must be a text that is not empty, not ""', "asetuksen publisher pitää olla teksti"),
    ({"indent": 0}, "option indent must be a number of spaces from 1 to 8", "asetuksen indent pitää olla välilyöntien määrä"),
    ({"indent": True}, "option indent must be a number of spaces", "asetuksen indent"),
    ({"indent": "2"}, "option indent must be a number of spaces", "asetuksen indent"),
])
def test_mistaken_options_are_refused_with_a_reason(options, en, fi):
    with pytest.raises(OptionError) as error:
        Options.read(options, ("fi", "sv", "en"))
    assert str(error.value).startswith(en) and error.value.fi.startswith(fi), (str(error.value), error.value.fi)
    assert error.value.name == next(iter(options))
