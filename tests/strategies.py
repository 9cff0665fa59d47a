"""Hypothesis strategies that build any valid model object, field by field."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from vertaistuki import model as m

ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)
# Any text a catalogue may hold: every script, but no control characters (a record with
# one is refused when read: test_loading's control character test).
words = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(lambda s: s.strip())
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))
phones = st.sampled_from(["+358407549716", "+35832345678", "+358800123456", "+46812345678"])
urls = st.sampled_from(["https://example.org/", "http://yhdistys.example/ryhmat?x=1"])
emails = st.sampled_from(["info@example.org", "marjo.luomanen@example.fi"])
languages = st.lists(st.sampled_from(["fi", "sv", "en", "se", "fse", "ru"]), max_size=3, unique=True).map(tuple)
maybe = st.none().__or__


@st.composite
def texts(draw) -> m.Text:
    extra = draw(st.lists(st.sampled_from(["sv", "en", "se"]), unique=True, max_size=3))
    return m.Text.of({language: draw(words) for language in ["fi", *extra]})


def optional(strategy):
    return st.one_of(st.none(), strategy)


contacts = st.builds(m.Contact, phone=optional(phones), email=optional(emails), url=optional(urls), note=optional(texts()))
fees = st.one_of(
    st.just(m.Fee()),
    st.builds(m.Fee, kind=st.just(m.FeeKind.SELF_PAYMENT),
              amount=optional(st.decimals(min_value=0, max_value=500, places=2, allow_nan=False)),
              note=optional(texts()), announced_in_advance=st.booleans()),
    st.builds(m.Fee, kind=st.just(m.FeeKind.MEMBERSHIP), note=optional(texts())),
)
registrations = st.builds(m.Registration, required=st.booleans(), instructions=optional(texts()), url=optional(urls),
                          email=optional(emails), phone=optional(phones), deadline=optional(dates))
statuses = st.one_of(
    st.just(m.Status()),
    st.builds(m.Status, state=st.just(m.RecordState.SUSPENDED), reason=texts(), since=optional(dates), until=optional(dates)),
    st.builds(m.Status, state=st.just(m.RecordState.ENDED), reason=optional(texts())),
)
provenances = st.builds(m.Provenance, source=ids, location=words, pointer=optional(words),
                        retrieved=optional(st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: d.replace(microsecond=0))))


@st.composite
def rrules(draw) -> str:
    frequency = draw(st.sampled_from(["WEEKLY", "MONTHLY"]))
    parts = [f"FREQ={frequency}"]
    interval = draw(st.integers(1, 12))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    days = draw(st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1, max_size=3, unique=True))
    if frequency == "MONTHLY":
        days = [f"{draw(st.sampled_from([1, 2, 3, 4, -1]))}{day}" for day in days]
    parts.append("BYDAY=" + ",".join(days))
    return ";".join(parts)


@st.composite
def seasons(draw) -> m.Season:
    start = draw(dates)
    return m.Season(start=start, end=start + dt.timedelta(days=draw(st.integers(1, 300))), name=draw(optional(texts())))


@st.composite
def schedules(draw) -> m.Schedule:
    start = draw(st.times(max_value=dt.time(21, 0)).map(lambda t: t.replace(second=0, microsecond=0)))
    end = draw(optional(st.just((dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(hours=2)).time())))
    exceptions = draw(st.lists(st.one_of(
        st.builds(m.ScheduleException, date=dates, reason=optional(texts())),
        st.builds(m.ScheduleException, date=dates, kind=st.just(m.ExceptionKind.MOVED), moved_to=dates, reason=optional(texts())),
    ), max_size=2).map(tuple))
    rrule, season, starts = draw(rrules()), draw(optional(seasons())), draw(optional(dates))
    if "INTERVAL=" in rrule and season is None and starts is None:
        starts = draw(dates)  # every other week is counted from a first day (Schedule refuses it without one)
    return m.Schedule(rrule=rrule, start_time=start, end_time=end, season=season,
                      starts=starts, skip_public_holidays=draw(st.booleans()), exceptions=exceptions)


channels = st.one_of(
    st.builds(m.InPersonChannel, place=ids, room=optional(texts())),
    st.builds(m.OnlineChannel, url=urls, platform=optional(st.sampled_from(["Teams", "Facebook"])), instructions=optional(texts())),
    st.builds(m.PhoneChannel, phone=phones, note=optional(texts())),
)
vocab = st.lists(ids, max_size=3, unique=True).map(tuple)
common = dict(
    description=optional(texts()), audiences=vocab, topics=vocab, languages=languages,
    channels=st.lists(channels, max_size=3).map(tuple), fee=fees, registration=optional(registrations),
    status=statuses, regions=vocab, nationwide=st.booleans(), support_forms=vocab, contact=optional(contacts), contacts=vocab, url=optional(urls),
    updated=optional(dates), verified=optional(dates), provenance=optional(provenances),
)

groups = st.builds(
    m.Group, id=ids, name=texts(), organiser=ids, openness=st.sampled_from(m.Openness),
    facilitation=optional(st.builds(m.Facilitation, kind=st.sampled_from(m.FacilitationKind), leaders=vocab, note=optional(texts()))),
    activities=vocab, schedule=optional(schedules()), schedule_note=optional(texts()),
    staff_sometimes_present=st.booleans(), guest_lecturers=st.booleans(), **common,
)
services = st.builds(
    m.Service, id=ids, kind=st.sampled_from(m.ServiceKind), name=texts(), organiser=ids,
    arrangement=optional(st.sampled_from(m.OneToOneArrangement)), schedule=optional(schedules()),
    schedule_note=optional(texts()), **common,
)


@st.composite
def events(draw) -> m.Event:
    start = draw(dates)
    return m.Event(
        id=draw(ids), kind=draw(st.sampled_from(m.EventKind)), name=draw(texts()), organiser=draw(ids), start_date=start,
        end_date=draw(optional(st.just(start + dt.timedelta(days=draw(st.integers(0, 10)))))),
        start_time=draw(optional(st.just(dt.time(9, 0)))), end_time=draw(optional(st.just(dt.time(16, 0)))),
        co_organisers=draw(vocab), **{k: draw(v) for k, v in common.items()},
    )


organisations = st.builds(
    m.Organisation, id=ids, name=texts(), kind=st.sampled_from(m.OrganisationKind), short_name=optional(texts()),
    description=optional(texts()), business_id=optional(st.sampled_from(["0201256-6", "1572860-0", "2331972-7"])),
    parent=optional(ids), member_of=vocab, volunteer_run=st.booleans(), participation_free=st.booleans(),
    funding=optional(texts()), founded=optional(st.integers(1900, 2026)), regions=vocab, nationwide=st.booleans(),
    audiences=vocab, topics=vocab, contact=optional(contacts),
    url=optional(urls), volunteering=optional(texts()), updated=optional(dates), verified=optional(dates),
)
places = st.builds(
    m.Place, id=ids, name=texts(), municipality=texts(), street_address=optional(texts()),
    postal_code=optional(st.from_regex(r"[0-9]{5}", fullmatch=True)),
    coordinates=optional(st.builds(m.Coordinates, latitude=st.floats(59.5, 70.1), longitude=st.floats(19.0, 31.6))),
    accessibility=optional(st.builds(m.Accessibility, step_free_entrance=optional(st.booleans()), elevator=optional(st.booleans()),
                                     induction_loop=optional(st.booleans()), note=optional(texts()))),
    directions=optional(texts()),
)


@st.composite
def consented(draw, values):
    given = draw(dates)
    consent = draw(optional(st.builds(m.Consent, given=st.just(given),
                                      withdrawn=optional(st.just(given + dt.timedelta(days=draw(st.integers(0, 900))))))))
    return m.Consented(value=draw(values), consent=consent)


personal = st.builds(
    m.PersonalDetails, name=optional(consented(words)), home_municipality=optional(consented(words)),
    phone=optional(consented(phones)), email=optional(consented(emails)),
    languages=optional(consented(languages)), testimonial=optional(consented(texts())),
)
volunteers = st.builds(
    m.Volunteer, id=ids, organisation=ids, roles=st.lists(st.sampled_from(m.VolunteerRole), unique=True).map(tuple),
    training=optional(st.builds(m.Training, name=texts(), completed=optional(dates), organiser=optional(ids))),
    confidentiality_pledge=st.booleans(), regions=vocab, personal=personal,
)
coordinators = st.builds(
    m.Coordinator, id=ids, organisation=ids, title=texts(), office=optional(texts()), regions=vocab,
    responsibilities=st.lists(texts(), max_size=3).map(tuple), personal=personal,
)
terms = st.builds(m.Term, vocabulary=st.sampled_from(m.VOCABULARIES), id=ids, label=texts(),
                  description=optional(texts()), yso=optional(urls), notation=optional(words))

catalogues = st.builds(
    m.Catalogue, source=ids, name=optional(texts()), publisher=optional(ids), updated=optional(dates),
    required_languages=st.just(("fi",)),
    organisations=st.lists(organisations, max_size=2).map(tuple), places=st.lists(places, max_size=2).map(tuple),
    groups=st.lists(groups, max_size=3).map(tuple), services=st.lists(services, max_size=2).map(tuple),
    events=st.lists(events(), max_size=2).map(tuple), volunteers=st.lists(volunteers, max_size=2).map(tuple),
    coordinators=st.lists(coordinators, max_size=1).map(tuple), terms=st.lists(terms, max_size=2).map(tuple),
)
