"""The listing filter (``Query``) that answers the GET form and that the browser module mirrors."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from vertaistuki.listing import (CHANNELS, MAX_QUERY_LENGTH, OPENNESS, TIMES_OF_DAY, WEEKDAY_CODES, Facets, Query,
                                 searchable, slug, time_of_day)

SUNDAY = dt.date(2026, 11, 29)
GROUP = Facets(text=searchable("Äänekosken omaisryhmä stressi"), municipalities=frozenset({"aanekoski"}),
               regions=frozenset({"keski-suomi"}), topics=frozenset({"stress"}), channels=frozenset({"in_person"}),
               openness="open", weekdays=frozenset({"mo"}), times=frozenset({"evening"}), free=True,
               dates=(dt.date(2026, 11, 23),))


def test_params_round_trip_and_blank_or_unknown_names_are_ignored():
    query = Query.from_params({"q": " kipu ", "topic": "pain", "free": "on", "week": "no", "page": "2", "day": ""})
    assert query == Query(q="kipu", topic="pain", free=True)
    assert Query.from_params(query.params()) == query
    assert Query().is_empty and not query.is_empty


def test_long_input_is_cut_and_only_yes_words_set_a_flag():
    assert len(Query.from_params({"q": "x" * 5000}).q) == MAX_QUERY_LENGTH
    assert [Query.from_params({"free": value}).free for value in ("1", "on", "true", "0", "yes", "")] == \
        [True, True, True, False, False, False]


def test_every_search_word_must_appear_ignoring_case_and_diacritics():
    assert Query(q="AANEKOSKEN stressi").matches(GROUP, SUNDAY)
    assert Query(q="äänekosken").matches(GROUP, SUNDAY)
    assert not Query(q="aanekosken masennus").matches(GROUP, SUNDAY)


def test_area_filters_and_nationwide_records():
    assert Query(municipality="aanekoski", region="keski-suomi").matches(GROUP, SUNDAY)
    assert not Query(municipality="oulu").matches(GROUP, SUNDAY)
    online = Facets(nationwide=True, channels=frozenset({"online"}))
    assert Query(municipality="oulu", region="lappi").matches(online, SUNDAY)


def test_code_filters_need_membership():
    for field, good, bad in (("topic", "stress", "pain"), ("channel", "in_person", "phone"), ("day", "mo", "tu"),
                             ("time", "evening", "morning"), ("openness", "open", "closed")):
        assert Query(**{field: good}).matches(GROUP, SUNDAY), field
        assert not Query(**{field: bad}).matches(GROUP, SUNDAY), field
    service = Facets(openness=None)
    assert not Query(openness="open").matches(service, SUNDAY)
    assert not Query(free=True).matches(Facets(free=False), SUNDAY)


def test_meets_this_week_is_monday_to_sunday_of_today():
    monday_this_week = Facets(dates=(dt.date(2026, 11, 23),))
    monday_next_week = Facets(dates=(dt.date(2026, 11, 30),))
    assert Query(week=True).matches(monday_this_week, SUNDAY)
    assert not Query(week=True).matches(monday_next_week, SUNDAY)
    assert Query(week=True).matches(monday_next_week, SUNDAY + dt.timedelta(days=1))
    assert not Query(week=True).matches(Facets(), SUNDAY)  # suspended: no dates, never "this week"


def test_time_of_day_boundaries_and_slugs():
    assert [time_of_day(dt.time(h, m)) for h, m in ((11, 59), (12, 0), (16, 59), (17, 0))] == \
        ["morning", "afternoon", "afternoon", "evening"]
    assert slug("Hämeenlinna") == "hameenlinna"
    assert slug("Pedersöre – Pedersören kunta") == "pedersore-pedersoren-kunta"


codes = st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2)
facets = st.builds(Facets, text=st.sampled_from(["", "kipu ryhma", "uni"]), municipalities=codes, regions=codes,
                   nationwide=st.booleans(), topics=codes, channels=st.frozensets(st.sampled_from(CHANNELS)),
                   openness=st.sampled_from([None, *OPENNESS]), weekdays=st.frozensets(st.sampled_from(WEEKDAY_CODES)),
                   times=st.frozensets(st.sampled_from(TIMES_OF_DAY)), free=st.booleans(),
                   dates=st.lists(st.dates(dt.date(2026, 11, 16), dt.date(2026, 12, 6)), max_size=3).map(tuple))
choice = st.one_of(st.none(), st.sampled_from(["a", "b", "kipu", "mo", "open", "online", "evening"]))
queries = st.builds(Query, q=choice, municipality=choice, region=choice, topic=choice, channel=choice,
                    openness=choice, day=choice, time=choice, free=st.booleans(), week=st.booleans())


@given(queries, st.lists(facets, max_size=5))
def test_a_query_read_back_from_its_url_filters_the_same(query, records):
    again = Query.from_params(query.params())
    assert [query.matches(f, SUNDAY) for f in records] == [again.matches(f, SUNDAY) for f in records]
