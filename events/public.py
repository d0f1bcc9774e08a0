"""The public form of the events' facts (ledger/public.py): what the open data shows of each.

The rule: an event is public from its approval on, and the public sees of it what the public API
shows. So, per fact of an event's stream:

- before `EventApproved` (in the stream's version order), everything is withheld: the proposal,
  edits and reschedules of a proposed event, a rejection, a cancellation before approval. A
  proposed or rejected event is a 404 on the API and nowhere in the feed;
- `EventApproved` carries the event as approved (the proposal with the edits and reschedules made
  before the approval), so what was withheld reaches the public at the approval's place in the
  feed, never in its past;
- a change the organiser proposes to an approved event's text or place is withheld (as are its
  withdrawal and rejection) and `EventChangeApproved` carries it, so the public reads the event as
  approved until a coordinator approves the change;
- after it, each fact is published in the form below, which leaves out the secrets (the event code
  `short_code`), who did it (`organiser_id`, `coordinator_id`: accounts), registrations (no figure
  needs them, and their times are a person's choices across events) and free text about people
  (why a check-in was undone).

Volunteers appear only as `volunteer_pseudonym`: a keyed hash of (event, volunteer), the same in
all facts of one event, so a recount tells the people of an event apart (distinct check-ins,
hours from check-in to check-out), and unrelated across events, so no one can link two events of
one person. Age band is kept on check-ins only, because youth is a published figure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from events.facts import DETAIL_FIELDS, MATERIAL_FIELDS, event_stream, is_attendance_stream
from ledger.public import PublicView, pseudonym, public_form, withhold

APPROVAL = "EventApproved"
# What of an event the public sees, as the public API shows it.
EVENT_FIELDS = (
    "event_id",
    "campaign_id",
    "organisation_id",
    "kind",
    "title",
    "description",
    "region",
    "address",
    "latitude",
    "longitude",
    "starts_at",
    "ends_at",
    "capacity",
    "what_to_bring",
)
DETAILS_FIELDS = ("event_id", *DETAIL_FIELDS)


def _approved(fact: PublicView) -> bool:
    return any(e.type == APPROVAL for e in fact.earlier)


def _attended_after_approval(fact: PublicView) -> bool:
    """Whether an attendance fact came after the event's approval. On an attendance stream (one
    volunteer at one event, events/facts.py) always: a check-in is appended there only while the
    event is approved (read under the row lock an approval takes), a check-out or an undo only
    after a check-in; so it is settled by the fact's own stream, as the rule wants, and the fact
    reads as one recorded on the event's stream after its approval. Those recorded on the event's
    stream, before attendance had streams of its own, are judged by the facts before them there."""
    return is_attendance_stream(fact.stream) or _approved(fact)


def _volunteer(data: dict) -> str:
    return pseudonym(event_stream(data["event_id"]), data["volunteer_id"])


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields}


AFTER_APPROVAL = _("once the event is approved")
CHECKED_IN_FIELDS = ("event_id", "volunteer_pseudonym", "method", "age_band", "checked_in_at")
CHECKED_OUT_FIELDS = ("event_id", "volunteer_pseudonym", "checked_out_at")
UNDONE_FIELDS = ("event_id", "checkin_id", "volunteer_pseudonym")
RESCHEDULED_FIELDS = ("event_id", "starts_at", "ends_at")
CANCELLED_FIELDS = ("event_id", "reason")
RESULT_FIELDS = (
    "event_id",
    "waste_kg",
    "trees",
    "tree_species",
    "area_ha",
    "headcount",
    "justification",
    "correction_reason",
)
VERIFIED_FIELDS = (
    "event_id",
    "decision",
    "result_version",
    "waste_kg",
    "trees",
    "area_ha",
    "headcount",
    "reason",
    "tree_species",  # schema 2 on (last: schema 1's facts are served without it)
)

withhold(
    "EventProposed",
    "EventRejected",
    why=_("a proposal is not public; once approved, the event as approved is in EventApproved"),
)
withhold(
    "EventChangeProposed",
    "EventChangeWithdrawn",
    "EventChangeRejected",
    why=_("a change to an approved event is not public until approved; then EventChangeApproved carries it"),
)
withhold(
    "VolunteerRegistered",
    "RegistrationCancelled",
    "WaitlistPromoted",
    why=_("no figure needs a person's places, and their times could link one person's events"),
)


@public_form(
    APPROVAL,
    fields=EVENT_FIELDS,
    when=_("once per event, when it is approved: the event as approved, with the edits made before"),
    reads=("EventProposed", "EventDetailsChanged", "EventRescheduled", APPROVAL),
)
def _approved_event(fact: PublicView) -> dict | None:
    """The event as approved. (An event is approved once; a second approval would be a bug, and is
    withheld rather than published twice.)"""
    if _approved(fact):
        return None
    event: dict = {}
    for earlier in fact.earlier:
        if earlier.type in ("EventProposed", "EventDetailsChanged", "EventRescheduled"):
            event.update(earlier.data)
    return {name: event.get(name) for name in EVENT_FIELDS} | {"event_id": fact.data["event_id"]}


@public_form("EventDetailsChanged", fields=DETAILS_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _details_changed(fact: PublicView) -> dict | None:
    return _pick(fact.data, DETAILS_FIELDS) if _approved(fact) else None


CHANGE_APPROVED_FIELDS = ("event_id", *MATERIAL_FIELDS)


@public_form(
    "EventChangeApproved",
    fields=CHANGE_APPROVED_FIELDS,
    when=_("once the change is approved: what the event reads from then on"),
    reads=("EventChangeProposed", APPROVAL),
)
def _change_approved(fact: PublicView) -> dict | None:
    """The event's new text and place, as the organiser proposed them and the coordinator approved."""
    if not _approved(fact):
        return None
    proposed = [e.data for e in fact.earlier if e.type == "EventChangeProposed"]
    change = next((d for d in proposed if d["change_id"] == fact.data["change_id"]), None)
    if change is None:
        return None  # an approval of no proposal would be a bug: withheld rather than published empty
    return _pick({**change, "event_id": fact.data["event_id"]}, CHANGE_APPROVED_FIELDS)


@public_form("EventRescheduled", fields=RESCHEDULED_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _rescheduled(fact: PublicView) -> dict | None:
    # The reason is written to the volunteers registered (it comes by email), not to the public.
    return _pick(fact.data, RESCHEDULED_FIELDS) if _approved(fact) else None


@public_form("EventCancelled", fields=CANCELLED_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _cancelled(fact: PublicView) -> dict | None:
    # The event page shows why an event was cancelled.
    return _pick(fact.data, CANCELLED_FIELDS) if _approved(fact) else None


@public_form("VolunteerCheckedIn", fields=CHECKED_IN_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _checked_in(fact: PublicView) -> dict | None:
    if not _attended_after_approval(fact):
        return None
    data = fact.data
    return _pick({**data, "volunteer_pseudonym": _volunteer(data)}, CHECKED_IN_FIELDS)


@public_form("VolunteerCheckedOut", fields=CHECKED_OUT_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _checked_out(fact: PublicView) -> dict | None:
    if not _attended_after_approval(fact):
        return None
    data = fact.data
    return _pick({**data, "volunteer_pseudonym": _volunteer(data)}, CHECKED_OUT_FIELDS)


@public_form("CheckInUndone", fields=UNDONE_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _checkin_undone(fact: PublicView) -> dict | None:
    # Not the reason: the organiser's words about a person.
    if not _attended_after_approval(fact):
        return None
    data = fact.data
    return _pick({**data, "volunteer_pseudonym": _volunteer(data)}, UNDONE_FIELDS)


@public_form("ResultLogged", fields=RESULT_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _result_logged(fact: PublicView) -> dict | None:
    # All of it: the result API shows every report, justification and correction reason included.
    return _pick(fact.data, RESULT_FIELDS) if _approved(fact) else None


@public_form("ResultVerified", fields=VERIFIED_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _result_verified(fact: PublicView) -> dict | None:
    # Not who verified it (coordinator_id); the result API shows the decision and its reason.
    # Schema 2 adjusts by species too (and waste per kind); schema 1's facts are served as stored.
    fields = VERIFIED_FIELDS if "tree_species" in fact.data else VERIFIED_FIELDS[:-1]
    return _pick(fact.data, fields) if _approved(fact) else None


SURVIVAL_FIELDS = ("event_id", "label", "counted_on", "alive", "planted", "counted_as", "note")


@public_form("SurvivalChecked", fields=SURVIVAL_FIELDS, when=AFTER_APPROVAL, reads=(APPROVAL,))
def _survival_checked(fact: PublicView) -> dict | None:
    # Not who counted (counter_id), only in which role; the note is shown on the event's page.
    return _pick(fact.data, SURVIVAL_FIELDS) if _approved(fact) else None
