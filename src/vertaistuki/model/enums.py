"""Closed lists of codes used across the models.

Every member's value is the code written in catalogue files; labels for people live in
``vertaistuki.labels`` so that these stay free of presentation.
"""

from __future__ import annotations

from enum import Enum


class OrganisationKind(str, Enum):
    ASSOCIATION = "association"  # yhdistys, e.g. a local member association
    FEDERATION = "federation"  # liitto / keskusliitto with member associations
    REGIONAL_PEER_CENTRE = "regional_peer_centre"  # vertaiskeskus hosting many groups
    PUBLIC_BODY = "public_body"  # Kela, a municipality, a wellbeing services county
    CARE_PROVIDER = "care_provider"  # a hospital or clinic that runs groups or courses
    OTHER = "other"


class Openness(str, Enum):
    OPEN = "open"  # join any time, no commitment
    CLOSED = "closed"  # agreed meetings, participants commit to the whole series


class FacilitationKind(str, Enum):
    PEER_CONVENER = "peer_convener"  # all members are peers; a named convener calls them
    TRAINED_VOLUNTEER = "trained_volunteer"  # a trained volunteer peer leader
    PROFESSIONAL = "professional"  # a professional leads the group
    ONLINE_MODERATOR = "online_moderator"  # an online community with a moderator


class FeeKind(str, Enum):
    FREE = "free"
    SELF_PAYMENT = "self_payment"  # a small own contribution, announced in advance
    MEMBERSHIP = "membership"  # open to members of the association (membership fee)


class ServiceKind(str, Enum):
    DROP_IN = "drop_in"  # päivystys: come without an appointment during set hours
    PHONE_LINE = "phone_line"
    ONE_TO_ONE = "one_to_one"  # henkilökohtainen vertaistuki
    ONLINE_COMMUNITY = "online_community"
    OTHER = "other"


class OneToOneArrangement(str, Enum):
    SPONTANEOUS = "spontaneous"  # unplanned, reciprocal meeting of peers
    ORGANISED = "organised"  # a trained supporter further along the same path


class EventKind(str, Enum):
    FIRST_INFORMATION_DAY = "first_information_day"  # ensitietopäivä
    ADAPTATION_COURSE = "adaptation_course"  # sopeutumisvalmennuskurssi
    REHABILITATION_COURSE = "rehabilitation_course"
    CAMP = "camp"
    VOLUNTEER_TRAINING = "volunteer_training"
    MEETING = "meeting"  # a regional or national peer meeting (vertaistapaaminen)
    OTHER = "other"


class RecordState(str, Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # paused: until a date, or until further notice
    ENDED = "ended"


class ExceptionKind(str, Enum):
    CANCELLED = "cancelled"
    MOVED = "moved"


class VolunteerRole(str, Enum):
    ONE_TO_ONE = "one_to_one"  # kahdenkeskiset keskustelut
    GROUPS = "groups"  # regional and national groups and meetings
    COURSES_AND_CAMPS = "courses_and_camps"
    FAMILY_AND_YOUTH = "family_and_youth"  # lapsiperhe- ja nuorisotoiminta
    EVENTS = "events"  # other events of the federation and its members
    INFORMAL_ONLINE_GROUPS = "informal_online_groups"  # "fourth sector", e.g. Facebook
    GROUP_LEADER = "group_leader"
    CONVENER = "convener"


class ChannelKind(str, Enum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    PHONE = "phone"


class Severity(str, Enum):
    ERROR = "error"  # the record cannot be published as it is
    WARNING = "warning"  # published, but an editor should look
