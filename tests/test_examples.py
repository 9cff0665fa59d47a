"""The example catalogues load cleanly, survive a round trip, and carry the facts of the
seed pages in model fields (not only in free text).

Each directory under ``examples/`` is drawn from one seed page in ``../shared/seeds``:

- ``tampere-peer-centre``          000 a regional peer centre and its drop-in hours
- ``support-forms``                001 the forms of peer support
- ``relatives-association``        002 a relatives' association's spring 2019 groups
- ``mental-health-federation``     003 a national federation and its members' groups
- ``muscular-disease-federation``  004 trained peer supporters and their coordinator
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pytest
import yaml

import vertaistuki
from vertaistuki.convert import structure, unstructure
from vertaistuki.model import (
    Catalogue,
    EventKind,
    FacilitationKind,
    FeeKind,
    InPersonChannel,
    OneToOneArrangement,
    OnlineChannel,
    Openness,
    OrganisationKind,
    RecordState,
    ServiceKind,
    Text,
    VolunteerRole,
)
from vertaistuki.privacy import publishable

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*/catalogue.yaml"))
EXPECTED = {
    "tampere-peer-centre",
    "support-forms",
    "relatives-association",
    "mental-health-federation",
    "muscular-disease-federation",
}
#: A fixed day for consent checks, so the tests do not change with the calendar.
PUBLISHING_DAY = dt.date(2026, 11, 22)


def example_id(path: Path) -> str:
    return path.parent.name


@functools.cache
def loaded(name: str) -> vertaistuki.LoadResult:
    return vertaistuki.load(EXAMPLES / name / "catalogue.yaml")


def catalogue(name: str) -> Catalogue:
    return loaded(name).catalogue


def by_id(records, record_id: str):
    matches = [record for record in records if record.id == record_id]
    assert len(matches) == 1, f"expected one record {record_id!r}, found {len(matches)}"
    return matches[0]


def assert_trilingual(text: Text | None, what: str) -> None:
    assert text is not None, f"{what} is missing"
    assert {"fi", "sv", "en"} <= set(text.languages), f"{what} lacks fi/sv/en: {text.languages}"


# --- every example ---------------------------------------------------------------------


def test_there_is_one_example_per_seed_page():
    assert {example_id(path) for path in EXAMPLE_FILES} >= EXPECTED


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_id)
def test_example_loads_without_problems(path):
    result = loaded(example_id(path))
    described = "\n".join(problem.describe("en") for problem in result.problems)
    assert result.errors == (), described
    # Warnings too: an example is what editors copy, so it should be spotless
    # (an unknown vocabulary term, say, would be copied into real catalogues).
    assert result.problems == (), described


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_id)
def test_every_record_in_the_file_survives_loading(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    loaded_catalogue = loaded(example_id(path)).catalogue
    for collection, records in raw.items():
        if isinstance(records, list) and collection != "required_languages":
            assert len(getattr(loaded_catalogue, collection)) == len(records), collection


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_id)
def test_example_round_trips_through_plain_data_and_json(path):
    original = loaded(example_id(path)).catalogue
    assert structure(unstructure(original), Catalogue) == original
    as_json = json.loads(json.dumps(unstructure(original), ensure_ascii=False))
    assert structure(as_json, Catalogue) == original


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_id)
def test_names_and_labels_are_in_finnish_swedish_and_english(path):
    cat = loaded(example_id(path)).catalogue
    assert_trilingual(cat.name, "catalogue name")
    for collection, _, record in cat.records():
        if collection == "terms":
            assert_trilingual(record.label, f"term {record.vocabulary}/{record.id} label")
        elif collection == "coordinators":
            assert_trilingual(record.title, f"coordinator {record.id} title")
        elif hasattr(record, "name"):
            assert_trilingual(record.name, f"{collection} {record.id} name")
            assert_trilingual(getattr(record, "description", None) or record.name, f"{collection} {record.id} description")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_id)
def test_examples_publish_no_unconsented_personal_detail(path):
    cat = loaded(example_id(path)).catalogue
    public = publishable(cat, PUBLISHING_DAY)
    for person in (*public.volunteers, *public.coordinators):
        for field in ("name", "home_municipality", "phone", "email", "languages", "testimonial"):
            wrapped = getattr(person.personal, field)
            assert wrapped is None or wrapped.publishable(PUBLISHING_DAY), (person.id, field)


# --- 000 Tampere peer centre --------------------------------------------------------------


def test_tampere_peer_centre_is_a_volunteer_run_free_centre_kept_by_an_association():
    cat = catalogue("tampere-peer-centre")
    centre = cat.organisation("vertaiskeskus")
    assert centre.kind is OrganisationKind.REGIONAL_PEER_CENTRE
    keeper = cat.organisation(centre.parent)
    assert keeper.kind is OrganisationKind.ASSOCIATION
    assert keeper.name.get("fi") == "Tampereen Seudun Vertaisverkko ry"
    assert centre.volunteer_run and centre.participation_free
    assert "Tampereen kaupungin" in centre.funding.get("fi")
    assert "vuokra" in centre.funding.get("fi") and "kulut" in centre.funding.get("fi")
    # "over 15 years", with no year given: said in words, not as an invented founding year
    assert centre.founded is None
    assert "yli viisitoista vuotta" in centre.description.get("fi")
    assert "more than fifteen years" in centre.description.get("en")
    assert len(cat.members("vertaiskeskus")) >= 2  # of the ~15 that meet there
    assert "pirkanmaa" in centre.regions


def test_tampere_drop_in_is_every_working_thursday_and_suspended_until_further_notice():
    cat = catalogue("tampere-peer-centre")
    drop_in = by_id(cat.services, "paivystys")
    assert drop_in.kind is ServiceKind.DROP_IN
    assert drop_in.organiser == "vertaiskeskus"
    schedule = drop_in.schedule
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert (schedule.start_time, schedule.end_time) == (dt.time(12, 0), dt.time(14, 30))
    assert schedule.skip_public_holidays
    assert drop_in.status.state is RecordState.SUSPENDED
    assert drop_in.status.until is None and drop_in.status.until_further_notice
    assert_trilingual(drop_in.status.reason, "suspension reason")
    assert "korona" in drop_in.status.reason.get("fi").lower()
    assert "coronavirus" in drop_in.status.reason.get("en").lower()
    assert drop_in.fee.kind is FeeKind.FREE
    place = cat.place(drop_in.channels[0].place)
    assert place.municipality.get("fi") == "Tampere"


def test_tampere_topics_are_terms_on_the_drop_in():
    cat = catalogue("tampere-peer-centre")
    topics = {"illness", "disability", "depression", "insomnia", "pain", "psychological-violence", "crisis", "stress"}
    assert set(by_id(cat.services, "paivystys").topics) == topics
    assert topics <= {term.id for term in cat.terms if term.vocabulary == "topic"}


# --- 002 relatives' association -----------------------------------------------------------

SPRING_2019_GROUPS = {
    "Alueellinen omaisten vertaistukiryhmä",
    "Miesten voimaa",
    "Ryhmä epävakaiden läheisille",
    "Päihteiden käyttäjien omaisten ryhmä",
    "Käsillä tekemisen iloa -illat omaistaan hoitaville",
    "Toiminnasta voimaa",
}


def spring_groups(cat: Catalogue):
    return [group for group in cat.groups if group.name.get("fi") in SPRING_2019_GROUPS]


def group_named(cat: Catalogue, fi_name: str):
    return next(group for group in cat.groups if group.name.get("fi") == fi_name)


def test_relatives_six_open_groups_of_spring_2019():
    cat = catalogue("relatives-association")
    groups = spring_groups(cat)
    assert {group.name.get("fi") for group in groups} == SPRING_2019_GROUPS
    for group in groups:
        assert group.openness is Openness.OPEN, group.id
        assert group.facilitation.kind is FacilitationKind.TRAINED_VOLUNTEER, group.id
        assert group.staff_sometimes_present and group.guest_lecturers, group.id
        season = group.schedule.season
        assert season.name.get("fi") == "kevätkausi 2019", group.id
        assert season.start.year == season.end.year == 2019 and season.start.month == 1, group.id
        places = [channel.place for channel in group.channels if isinstance(channel, InPersonChannel)]
        assert len(places) == 1 and cat.place(places[0]) is not None, group.id  # one agreed place
        assert group.fee.kind in (FeeKind.FREE, FeeKind.SELF_PAYMENT), group.id
        if group.fee.kind is FeeKind.SELF_PAYMENT:
            assert group.fee.announced_in_advance, group.id


def test_relatives_groups_say_who_they_are_for_and_what_they_do():
    cat = catalogue("relatives-association")
    assert "men" in group_named(cat, "Miesten voimaa").audiences
    assert "close-ones-eupd" in group_named(cat, "Ryhmä epävakaiden läheisille").audiences
    assert "relatives-of-substance-users" in group_named(cat, "Päihteiden käyttäjien omaisten ryhmä").audiences
    crafts = group_named(cat, "Käsillä tekemisen iloa -illat omaistaan hoitaville")
    assert "carers" in crafts.audiences and "crafts" in crafts.activities
    assert "activity-based" in group_named(cat, "Toiminnasta voimaa").activities
    assert "discussion" in group_named(cat, "Alueellinen omaisten vertaistukiryhmä").activities
    assert all("relatives" in g.audiences for g in spring_groups(cat) if g is not crafts)


def test_relatives_fee_rule_and_closed_group_rule():
    cat = catalogue("relatives-association")
    groups = spring_groups(cat)
    assert sum(g.fee.kind is FeeKind.FREE for g in groups) >= 5  # the groups are free…
    paid = [g for g in cat.groups if g.fee.kind is FeeKind.SELF_PAYMENT]
    assert paid and all(g.fee.announced_in_advance for g in paid)  # …a small fee is announced
    closed = [g for g in cat.groups if g.openness is Openness.CLOSED]
    assert closed, "one closed group shows the 'announced separately' rule"
    for group in closed:
        assert group.registration is not None and group.registration.required
        assert "erikseen" in group.registration.instructions.get("fi")


def test_relatives_association_values_and_goal():
    organisation = catalogue("relatives-association").organisation("omaisyhdistys")
    text = organisation.description.get("fi").lower()
    for word in ("luottamuksellisuus", "tasa-arvoisuus", "kunnioittaminen", "jaksa"):
        assert word in text, word
    english = organisation.description.get("en").lower()
    assert "confidentiality" in english and "equality" in english and "respect" in english


# --- 003 mental-health federation ---------------------------------------------------------


def test_federation_has_member_associations():
    cat = catalogue("mental-health-federation")
    federation = cat.organisation("mtkl")
    assert federation.kind is OrganisationKind.FEDERATION
    members = cat.members("mtkl")
    assert len(members) >= 3
    assert all(member.kind is OrganisationKind.ASSOCIATION for member in members)


def test_federation_groups_across_finland_open_and_closed_and_free():
    cat = catalogue("mental-health-federation")
    groups = cat.groups
    assert {g.openness for g in groups} == {Openness.OPEN, Openness.CLOSED}
    assert all(g.fee.kind is FeeKind.FREE for g in groups)
    municipalities = {
        cat.place(channel.place).municipality.get("fi")
        for g in groups
        for channel in g.channels
        if isinstance(channel, InPersonChannel)
    }
    assert len(municipalities) >= 3
    assert len({region for g in groups for region in g.regions}) >= 3


def test_federation_topics_and_activities():
    groups = catalogue("mental-health-federation").groups
    topics = {t for g in groups for t in g.topics}
    activities = {a for g in groups for a in g.activities}
    assert {"rehabilitation", "societal-issues", "healthy-lifestyles", "substance-free-life"} <= topics
    assert {"crafts", "cooking", "languages", "sports", "discussion"} <= activities


def test_federation_group_languages_and_online_group():
    groups = catalogue("mental-health-federation").groups
    assert any("sv" in g.languages and "fi" not in g.languages for g in groups)
    assert any(set(g.languages) - {"fi", "sv", "en"} for g in groups)
    online = [g for g in groups if any(isinstance(c, OnlineChannel) for c in g.channels)]
    assert online
    assert all(g.facilitation.kind is FacilitationKind.ONLINE_MODERATOR for g in online)


# --- 004 muscular disease federation ------------------------------------------------------

MARJO_REGIONS = {
    "keski-pohjanmaa", "pohjanmaa", "etela-pohjanmaa", "keski-suomi", "pirkanmaa", "varsinais-suomi", "satakunta",
}


def test_coordinator_marjo_luomanen():
    cat = catalogue("muscular-disease-federation")
    marjo = by_id(cat.coordinators, "marjo-luomanen")
    assert marjo.organisation == "lihastautiliitto"
    assert marjo.title.get("fi") == "Järjestösuunnittelija"
    assert_trilingual(marjo.title, "title")
    assert marjo.office.get("fi") == "Vaasan aluetoimisto"
    assert_trilingual(marjo.office, "office")
    assert set(marjo.regions) == MARJO_REGIONS and len(marjo.regions) == 7
    assert len(marjo.responsibilities) == 4
    for text in marjo.responsibilities:
        assert_trilingual(text, "responsibility")
    joined = " ".join(text.get("fi").lower() for text in marjo.responsibilities)
    for word in ("esteettömyys", "kokemustoiminta", "vertaistukitoiminta", "järjestötoiminta"):
        assert word in joined, word
    shown = marjo.personal.published(PUBLISHING_DAY)
    assert shown.name == "Marjo Luomanen"
    assert shown.phone == "+358407549716"  # written "040 754 9716", normalised on load
    assert shown.email == "marjo.luomanen@lihastautiliitto.fi"


def test_sakari_and_his_consented_testimonial():
    cat = catalogue("muscular-disease-federation")
    sakari = by_id(cat.volunteers, "sakari")
    assert sakari.confidentiality_pledge and sakari.training is not None
    personal = sakari.personal
    for field in (personal.name, personal.home_municipality, personal.testimonial):
        assert field is not None and field.consent is not None and field.publishable(PUBLISHING_DAY)
    shown = personal.published(PUBLISHING_DAY)
    assert shown.name == "Sakari"
    assert shown.home_municipality == "Lempäälä"
    assert {"fi", "en"} <= set(shown.testimonial.languages)
    assert "pirkanmaa" in sakari.regions  # Lempäälä is in Pirkanmaa


def test_peer_supporters_are_trained_pledged_and_cover_every_role():
    volunteers = catalogue("muscular-disease-federation").volunteers
    assert all(v.training is not None and v.confidentiality_pledge for v in volunteers)
    roles = {role for v in volunteers for role in v.roles}
    assert {
        VolunteerRole.ONE_TO_ONE,
        VolunteerRole.GROUPS,
        VolunteerRole.COURSES_AND_CAMPS,
        VolunteerRole.FAMILY_AND_YOUTH,
        VolunteerRole.EVENTS,
        VolunteerRole.INFORMAL_ONLINE_GROUPS,
    } <= roles


def test_a_name_without_consent_is_never_published():
    cat = catalogue("muscular-disease-federation")
    volunteer = by_id(cat.volunteers, "vertaistukija-pohjanmaa")
    assert volunteer.personal.name.value == "Liisa Esimerkki" and volunteer.personal.name.consent is None
    assert volunteer.personal.published(PUBLISHING_DAY).name is None
    public = publishable(cat, PUBLISHING_DAY)
    assert "Liisa Esimerkki" not in json.dumps(unstructure(public), ensure_ascii=False)


def test_withdrawn_consent_removes_the_details_from_the_next_build():
    cat = catalogue("muscular-disease-federation")
    volunteer = by_id(cat.volunteers, "vertaistukija-verkko")
    consent = volunteer.personal.name.consent
    assert consent.withdrawn is not None
    before = consent.withdrawn - dt.timedelta(days=1)
    assert volunteer.personal.published(before).name == volunteer.personal.name.value
    assert volunteer.personal.published(consent.withdrawn).name is None
    assert volunteer.personal.published(PUBLISHING_DAY) == vertaistuki.PublishedDetails()
    public = publishable(cat, PUBLISHING_DAY)
    assert volunteer.personal.name.value not in json.dumps(unstructure(public), ensure_ascii=False)


def test_how_to_become_a_peer_supporter_and_the_training_event():
    cat = catalogue("muscular-disease-federation")
    federation = cat.organisation("lihastautiliitto")
    assert federation.kind is OrganisationKind.FEDERATION
    assert_trilingual(federation.volunteering, "volunteering")
    assert "Tapahtumat" in federation.volunteering.get("fi")
    trainings = [e for e in cat.events if e.kind is EventKind.VOLUNTEER_TRAINING]
    assert trainings and all(e.organiser == "lihastautiliitto" for e in trainings)


# --- 001 forms of support -----------------------------------------------------------------

SUPPORT_FORMS = {
    "spontaneous-one-to-one", "organised-one-to-one", "peer-group", "volunteer-led-group", "professional-led-group",
    "online-community", "face-to-face", "by-phone", "online", "first-information-day", "adaptation-course",
    "rehabilitation-course", "open-group", "closed-group",
}


def test_support_forms_vocabulary():
    cat = catalogue("support-forms")
    assert cat.updated == dt.date(2023, 6, 21)  # "Päivitetty 21.6.2023"
    forms = {term.id: term for term in cat.terms if term.vocabulary == "support_form"}
    assert SUPPORT_FORMS <= set(forms)
    for term in forms.values():
        assert_trilingual(term.label, term.id)
        if term.description is not None:
            assert_trilingual(term.description, f"{term.id} description")
    assert "milloin" in forms["open-group"].description.get("fi") or "silloin" in forms["open-group"].description.get("fi")
    assert "sitoutu" in forms["closed-group"].description.get("fi")


def test_support_forms_organisers_and_events():
    cat = catalogue("support-forms")
    kinds = {o.kind for o in cat.organisations}
    assert {OrganisationKind.PUBLIC_BODY, OrganisationKind.CARE_PROVIDER, OrganisationKind.ASSOCIATION} <= kinds
    assert cat.organisation("kela").kind is OrganisationKind.PUBLIC_BODY
    first_info = [e for e in cat.events if e.kind is EventKind.FIRST_INFORMATION_DAY]
    assert any(cat.organisation(e.organiser).kind is OrganisationKind.CARE_PROVIDER for e in first_info)
    adaptation = [e for e in cat.events if e.kind is EventKind.ADAPTATION_COURSE]
    assert any(e.organiser == "kela" for e in adaptation)


def test_support_forms_each_way_of_leading_a_group():
    cat = catalogue("support-forms")
    kinds = {g.facilitation.kind for g in cat.groups}
    assert kinds == set(FacilitationKind)
    convened = next(g for g in cat.groups if g.facilitation.kind is FacilitationKind.PEER_CONVENER)
    convener = cat.person(convened.facilitation.leaders[0])
    assert VolunteerRole.CONVENER in convener.roles
    assert convener.personal.published(PUBLISHING_DAY).name  # a named convener
    one_to_one = [s for s in cat.services if s.kind is ServiceKind.ONE_TO_ONE]
    assert any(s.arrangement is OneToOneArrangement.ORGANISED for s in one_to_one)


def test_support_forms_are_linked_to_the_forms_vocabulary():
    catalogue = vertaistuki.load(EXAMPLES / "support-forms" / "catalogue.yaml").catalogue
    forms = {term.id for term in catalogue.terms if term.vocabulary == "support_form"}
    linked = {form for record in (*catalogue.groups, *catalogue.services, *catalogue.events) for form in record.support_forms}
    assert {"peer-group", "volunteer-led-group", "professional-led-group", "online-community",
            "organised-one-to-one", "first-information-day", "adaptation-course"} <= linked <= forms


def test_peer_centre_topics_and_national_federations_are_fields():
    centre = vertaistuki.load(EXAMPLES / "tampere-peer-centre" / "catalogue.yaml").catalogue.organisation("vertaiskeskus")
    assert {"depression", "insomnia", "pain", "psychological-violence"} <= set(centre.topics)
    for name, federation in (("mental-health-federation", "mtkl"), ("muscular-disease-federation", "lihastautiliitto")):
        assert vertaistuki.load(EXAMPLES / name / "catalogue.yaml").catalogue.organisation(federation).nationwide
