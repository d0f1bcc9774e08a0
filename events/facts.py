"""Fact types of events: the gathering, its registrations, check-ins, results and verification.

Everything about one event is one stream, `event-<event_id>`, so the event's version orders its
registrations (the race for the last place is decided by optimistic concurrency on that stream),
except attendance: each volunteer's check-ins, check-outs and undos at an event are a stream of
their own, `attendance-<event_id>-<volunteer_pseudonym>`, so that people checking in at one event
do not queue behind each other (issue 13); that stream's version keeps one check-in per person.
Check-ins recorded before are on the event's stream, and stay there: readers take attendance facts
from either (they name the event and the volunteer in their data).
Facts name volunteers only by their opaque `volunteer_id` and, for statistics, an `age_band`.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from config.languages import LANGUAGES
from ledger.facts import fact_type, upcaster
from ledger.public import pseudonym

WASTE_KINDS = ("mixed", "plastic", "paper", "glass", "metal", "organic", "hazardous")
# Kazakhstan's law on youth policy counts ages 14 to 35 as youth.
AGE_BANDS = ("under_14", "14_35", "36_59", "60_plus", "unknown")
YOUTH_BANDS = ("14_35",)
# "walk_in" is history only: organisers once entered people by email or volunteer id, without their
# consent; a person without a place now checks in with the event code on their own phone.
CHECKIN_METHODS = ("qr", "roster", "event_code", "walk_in")


def event_stream(event_id: uuid.UUID | str) -> str:
    """The stream of everything about one event (also the scope of its volunteers' pseudonyms)."""
    return f"event-{event_id}"


ATTENDANCE_PREFIX = "attendance-"


def attendance_stream(event_id: uuid.UUID | str, volunteer_id: uuid.UUID | str) -> str:
    """The stream of one volunteer's attendance at one event: VolunteerCheckedIn, VolunteerCheckedOut
    and CheckInUndone, appended from issue 13 on (earlier ones are on the event's stream).

    The feed shows stream names, so the volunteer is named by the pseudonym their facts' public
    form carries (events/public.py), never by their id: it tells nobody more than those facts do,
    and links no two events of one person."""
    return f"{ATTENDANCE_PREFIX}{event_id}-{pseudonym(event_stream(event_id), str(volunteer_id))}"


def is_attendance_stream(stream: str) -> bool:
    return stream.startswith(ATTENDANCE_PREFIX)


# The texts an organiser writes in one or more of kk, ru and en: {language: text}, only the
# languages written (config/languages.py). Schema 1 had each as one text in no stated language.
WRITTEN_FIELDS = ("title", "description", "address", "what_to_bring")


def _written_v1_to_v2(data: dict) -> dict:
    """Schema 1's one text per field, in whatever language its organiser wrote: every reader read
    those words, in every language, so they read as written in each (an empty one as not written).
    Which language it was is not known and is not guessed."""
    return {
        **data,
        **{name: dict.fromkeys(LANGUAGES, data[name]) if data[name] else {} for name in WRITTEN_FIELDS if name in data},
    }


@fact_type("EventProposed", version=2)
@dataclass(frozen=True)
class EventProposed:
    event_id: uuid.UUID
    campaign_id: uuid.UUID
    organisation_id: uuid.UUID
    organiser_id: uuid.UUID  # the organiser's volunteer_id
    kind: str  # campaigns.facts.EVENT_KINDS
    title: dict[str, str]  # WRITTEN_FIELDS: {"kk": …, "ru": …} as written, at least one
    description: dict[str, str]
    region: str  # ISO 3166-2 code
    address: dict[str, str]  # at least one language
    latitude: float | None
    longitude: float | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    what_to_bring: dict[str, str]
    short_code: str  # typed by volunteers on site to check themselves in


upcaster("EventProposed", from_version=1)(_written_v1_to_v2)


@fact_type("EventDetailsChanged", version=2)
@dataclass(frozen=True)
class EventDetailsChanged:
    """An organiser edits what volunteers read (not the time: that is a reschedule)."""

    event_id: uuid.UUID
    title: dict[str, str]
    description: dict[str, str]
    address: dict[str, str]
    latitude: float | None
    longitude: float | None
    capacity: int
    what_to_bring: dict[str, str]


upcaster("EventDetailsChanged", from_version=1)(_written_v1_to_v2)


# What the public reads of an event and a coordinator reviews: once the event is approved, a change
# to any of these waits for the coordinator (EventChangeProposed). Capacity and the time are not
# among them: a capacity change applies at once (never below the registered), a time change is a
# reschedule that the volunteers are told of.
MATERIAL_FIELDS = ("title", "description", "address", "latitude", "longitude", "what_to_bring")
# What an organiser edits (EventDetailsChanged, in its order): the material fields and the capacity.
DETAIL_FIELDS = ("title", "description", "address", "latitude", "longitude", "capacity", "what_to_bring")


@fact_type("EventChangeProposed", version=2)
@dataclass(frozen=True)
class EventChangeProposed:
    """An organiser asks to change what the public reads of an approved event: every material field
    as it would read (not only those that differ), the texts in every language written. The public
    keeps seeing the event as approved until a coordinator approves the change; a later proposal
    replaces a pending one."""

    event_id: uuid.UUID
    change_id: uuid.UUID
    title: dict[str, str]
    description: dict[str, str]
    address: dict[str, str]
    latitude: float | None
    longitude: float | None
    what_to_bring: dict[str, str]


upcaster("EventChangeProposed", from_version=1)(_written_v1_to_v2)


@fact_type("EventChangeWithdrawn")
@dataclass(frozen=True)
class EventChangeWithdrawn:
    """The organiser takes their pending change back; the event stays as approved."""

    event_id: uuid.UUID
    change_id: uuid.UUID


@fact_type("EventChangeApproved")
@dataclass(frozen=True)
class EventChangeApproved:
    """A coordinator of the region accepts the pending change: from here the event reads as proposed."""

    event_id: uuid.UUID
    change_id: uuid.UUID
    coordinator_id: uuid.UUID


@fact_type("EventChangeRejected")
@dataclass(frozen=True)
class EventChangeRejected:
    """A coordinator of the region turns the pending change down, saying why (the organiser reads it)."""

    event_id: uuid.UUID
    change_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str


@fact_type("EventApproved")
@dataclass(frozen=True)
class EventApproved:
    event_id: uuid.UUID
    coordinator_id: uuid.UUID


@fact_type("EventRejected")
@dataclass(frozen=True)
class EventRejected:
    event_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str


@fact_type("EventRescheduled")
@dataclass(frozen=True)
class EventRescheduled:
    event_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


@fact_type("EventCancelled")
@dataclass(frozen=True)
class EventCancelled:
    event_id: uuid.UUID
    reason: str


@fact_type("VolunteerRegistered")
@dataclass(frozen=True)
class VolunteerRegistered:
    """A place at the event, or a place on the waitlist when `waitlisted`."""

    event_id: uuid.UUID
    registration_id: uuid.UUID
    volunteer_id: uuid.UUID
    age_band: str
    waitlisted: bool


@fact_type("RegistrationCancelled")
@dataclass(frozen=True)
class RegistrationCancelled:
    event_id: uuid.UUID
    registration_id: uuid.UUID
    volunteer_id: uuid.UUID


@fact_type("WaitlistPromoted")
@dataclass(frozen=True)
class WaitlistPromoted:
    event_id: uuid.UUID
    registration_id: uuid.UUID
    volunteer_id: uuid.UUID


@fact_type("VolunteerCheckedIn")
@dataclass(frozen=True)
class VolunteerCheckedIn:
    """Attendance. `registration_id` is None for someone who came without a place (a walk-in)."""

    event_id: uuid.UUID
    volunteer_id: uuid.UUID
    registration_id: uuid.UUID | None
    method: str  # CHECKIN_METHODS
    age_band: str
    checked_in_at: dt.datetime


@fact_type("VolunteerCheckedOut")
@dataclass(frozen=True)
class VolunteerCheckedOut:
    event_id: uuid.UUID
    volunteer_id: uuid.UUID
    checked_out_at: dt.datetime


@fact_type("CheckInUndone")
@dataclass(frozen=True)
class CheckInUndone:
    """A check-in recorded by mistake, taken back by the event's organiser or the region's
    coordinator, with the reason. The VolunteerCheckedIn stays in the ledger; from this fact on the
    volunteer is not counted as attending (nor are their hours), and may be checked in anew if they
    do come."""

    event_id: uuid.UUID
    checkin_id: uuid.UUID  # the fact_id of the VolunteerCheckedIn taken back
    volunteer_id: uuid.UUID
    reason: str


@fact_type("ResultLogged")
@dataclass(frozen=True)
class ResultLogged:
    """What the event achieved, as the organiser reports it. A later ResultLogged for the same
    event is a correction: it states the full figures anew, with the reason."""

    event_id: uuid.UUID
    waste_kg: dict[str, str]  # {"plastic": "120.5", …}: WASTE_KINDS, decimal strings
    trees: int
    tree_species: dict[str, int]  # {"elm": 40, …}; may be empty
    area_ha: str  # decimal string
    headcount: int  # participants who did not register
    justification: str  # why figures above the plausibility limits are right; may be empty
    correction_reason: str  # empty for the first report


@fact_type("ResultVerified", version=2)
@dataclass(frozen=True)
class ResultVerified:
    """A coordinator's decision on the result at `result_version` (the event stream version of the
    ResultLogged it judged). `adjusted` carries the figures the coordinator accepts instead, each
    kind of waste and each species of tree on its own (events.verification.verified_result)."""

    event_id: uuid.UUID
    coordinator_id: uuid.UUID
    decision: str  # "accepted" | "adjusted" | "rejected"
    result_version: int
    waste_kg: dict[str, str] | None  # the kinds adjusted; the others keep the organiser's figure
    trees: int | None
    area_ha: str | None
    headcount: int | None
    reason: str
    tree_species: dict[str, int] | None = None  # the species adjusted; the others keep theirs
    # Schema 1 took waste as the whole breakdown (a kind left out became 0): its facts read so.
    waste_kg_whole: bool = False


@upcaster("ResultVerified", from_version=1)
def _verified_v1_to_v2(data: dict) -> dict:
    return {**data, "tree_species": None, "waste_kg_whole": data.get("waste_kg") is not None}


# A survival check's label, from the months between the planting and the count (events.survival).
SURVIVAL_LABELS = ("season", "year", "three_years")


@fact_type("SurvivalChecked", version=1)
@dataclass(frozen=True)
class SurvivalChecked:
    """A later count of the living trees of a planting event whose result was verified, per species
    of the verified result. A later check with the same `label` is a correction: it supersedes the
    earlier one, which stays in the ledger."""

    event_id: uuid.UUID
    label: str  # SURVIVAL_LABELS, derived from the months between the event's day and `counted_on`
    counted_on: dt.date
    alive: dict[str, int]  # {"elm": 31, …}: every species planted, none above its planted count
    planted: dict[str, int]  # the verified result's trees by species when the check was recorded
    counter_id: uuid.UUID  # who counted: an organiser of the event or a coordinator of its region
    counted_as: str  # "organiser" | "coordinator"
    note: str  # may be empty
