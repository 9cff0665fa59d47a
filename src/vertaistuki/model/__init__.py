"""The vertaistuki data model: frozen attrs classes, one module per concept.

Models know nothing of JSON, YAML, CSV or HTML; :mod:`vertaistuki.convert` and the
renderers do.
"""

from .catalogue import COLLECTIONS, FORMAT, Catalogue, Record
from .common import Contact, Fee, Provenance, Registration, Status
from .enums import (
    ChannelKind,
    EventKind,
    ExceptionKind,
    FacilitationKind,
    FeeKind,
    OneToOneArrangement,
    Openness,
    OrganisationKind,
    RecordState,
    ServiceKind,
    Severity,
    VolunteerRole,
)
from .errors import InvalidValue
from .event import Event
from .group import Facilitation, Group
from .identifiers import Email, PhoneNumber, WebUrl, is_business_id, national_phone, normalise_phone
from .organisation import Organisation
from .place import (
    CHANNEL_CLASSES,
    Accessibility,
    Channel,
    Coordinates,
    InPersonChannel,
    OnlineChannel,
    PhoneChannel,
    Place,
)
from .recurrence import Frequency, RecurrenceRule, WeekdayRule, parse_rrule
from .schedule import DEFAULT_TIMEZONE, Schedule, ScheduleException, Season
from .service import Service
from .text import Text
from .vocabulary import VOCABULARIES, Term
from .volunteer import Consent, Consented, Coordinator, PersonalDetails, PublishedDetails, Training, Volunteer

# Written out, not computed: a type checker reads this list, and a computed one also
# exported the submodules (catalogue, text, schedule ...) to `from vertaistuki import *`.
__all__ = [
    "CHANNEL_CLASSES",
    "COLLECTIONS",
    "DEFAULT_TIMEZONE",
    "FORMAT",
    "VOCABULARIES",
    "Accessibility",
    "Catalogue",
    "Channel",
    "ChannelKind",
    "Consent",
    "Consented",
    "Contact",
    "Coordinates",
    "Coordinator",
    "Email",
    "Event",
    "EventKind",
    "ExceptionKind",
    "Facilitation",
    "FacilitationKind",
    "Fee",
    "FeeKind",
    "Frequency",
    "Group",
    "InPersonChannel",
    "InvalidValue",
    "OneToOneArrangement",
    "OnlineChannel",
    "Openness",
    "Organisation",
    "OrganisationKind",
    "PersonalDetails",
    "PhoneChannel",
    "PhoneNumber",
    "Place",
    "Provenance",
    "PublishedDetails",
    "Record",
    "RecordState",
    "RecurrenceRule",
    "Registration",
    "Schedule",
    "ScheduleException",
    "Season",
    "Service",
    "ServiceKind",
    "Severity",
    "Status",
    "Term",
    "Text",
    "Training",
    "Volunteer",
    "VolunteerRole",
    "WebUrl",
    "WeekdayRule",
    "is_business_id",
    "national_phone",
    "normalise_phone",
    "parse_rrule",
]
