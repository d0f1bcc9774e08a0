"""Reads of events, registrations, rosters, check-ins and results, from the projection tables."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import ACos, Coalesce, Cos, Least, Radians, Sin
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import as_uuid
from config.days import local_day
from config.languages import LANGUAGES
from events.errors import EventNotFound, NotAllowed, RegistrationNotFound
from events.evidence import (
    Limit,
    PhotoSeen,
    PhotoTwin,
    Signal,
    evidence_grade,
    photo_signals,
    plausibility_limits,
    result_signals,
)
from events.facts import MATERIAL_FIELDS, WRITTEN_FIELDS
from events.hours import Stay, credited_seconds, hours
from events.models import CheckIn, Event, EventChange, Registration, Result, ResultVerification, SurvivalCheck
from events.rules import may_oversee, may_see, seen_by
from events.survival import due_label, due_on
from events.verification import ADJUSTED, verified_result
from photos.facts import RESULT as PHOTOS_OF_RESULT
from photos.selectors import after_photo_count, evidence_of, photo_twins
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import AnyUser, is_admin, is_coordinator

EARTH_RADIUS_KM = 6371.0088


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Approved events (and those cancelled after approval) for everyone; more for the people in
    charge: those `events.rules.may_see` lets the user see."""
    return Event.objects.filter(seen_by(user))


def event_list(
    *,
    user: AnyUser,
    region: str | None = None,
    campaign_id: uuid.UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    near: tuple[float, float, float] | None = None,
    when: str = "all",
    words: str | None = None,
) -> QuerySet[Event]:
    """Events the user may see, filtered; `near` = (latitude, longitude, radius_km) adds
    `distance_km` and orders by it (nearest first). Otherwise by start time: `when` "upcoming"
    (not ended yet, soonest first), "past" (ended, the latest first) or "all" (the earliest first)."""
    # Each event's check-ins counted in the same query (Event.checked_in_count reads it), not one
    # count per event of the list.
    counted = CheckIn.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("*"))
    events = (
        events_visible_to(user)
        .select_related("region", "organisation")
        .annotate(checked_in_counted=Coalesce(Subquery(counted.values("n")), 0))
    )
    now = timezone.now()
    if when == "upcoming":
        events = events.filter(ends_at__gt=now)
    elif when == "past":
        events = events.filter(ends_at__lte=now)
    if region:
        events = events.filter(region_id=region)
    if campaign_id:
        events = events.filter(campaign_id=campaign_id)
    if kind:
        events = events.filter(kind=kind)
    if status:
        events = events.filter(status=status)
    if date_from:
        events = events.filter(ends_at__date__gte=date_from)
    if date_to:
        events = events.filter(starts_at__date__lte=date_to)
    for word in (words or "").casefold().split()[:MAX_WORDS]:
        events = events.filter(_matches(word))
    if near is None:
        return events.order_by("-starts_at", "-id") if when == "past" else events.order_by("starts_at", "id")
    latitude, longitude, radius_km = near
    # A bounding box first (indexed), then the great-circle distance on what is left.
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    events = events.filter(
        latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlon, longitude + dlon)
    )
    cosine = Cos(Radians(Value(latitude))) * Cos(Radians(F("latitude"))) * Cos(
        Radians(F("longitude")) - Radians(Value(longitude))
    ) + Sin(Radians(Value(latitude))) * Sin(Radians(F("latitude")))
    distance = ACos(Least(cosine, Value(1.0), output_field=FloatField())) * Value(EARTH_RADIUS_KM)
    return events.annotate(distance_km=distance).filter(distance_km__lte=radius_km).order_by("distance_km", "id")


MAX_WORDS = 8


def _matches(word: str) -> Q:
    """An event one word of a search finds: in its title, address or description, or its
    organisation's name, or its region's name in any of the three languages (case-folded)."""
    organisations = [
        oid
        for oid, *names in Organisation.objects.values_list("id", "name_kk", "name_ru", "name_en")
        if any(word in name.casefold() for name in names)
    ]
    regions = [
        region.code
        for region in Region.objects.all()
        if any(word in name.casefold() for name in (region.name_kk, region.name_ru, region.name_en))
    ]
    return Q(search_text__contains=word) | Q(organisation_id__in=organisations) | Q(region_id__in=regions)


def finder_when(*, campaign_id: uuid.UUID | str | None, date_from: dt.date | None, date_to: dt.date | None) -> str:
    """What the finder lists when not told `when`: the events not ended yet, unless a campaign or a
    day is asked for, which asks for its events, past ones too (a 2024 campaign lists its 2024
    events, and so do 2024's days)."""
    return "all" if campaign_id or date_from or date_to else "upcoming"


def event_get(*, user: AnyUser, event_id: uuid.UUID) -> Event:
    event_id = as_uuid(event_id, EventNotFound)
    event = Event.objects.select_related("region", "organisation", "campaign").filter(pk=event_id).first()
    if event is None or not may_see(user, event):
        raise EventNotFound()
    return event


def event_for_oversight(*, user: AnyUser, event_id: uuid.UUID) -> Event:
    """The event, for its organisers, its region's coordinators and admins only."""
    event = event_get(user=user, event_id=event_id)
    if not may_oversee(user, event):
        raise NotAllowed(_("Only the event's organisers and coordinators see this."))
    return event


def registration_list(*, user: AnyUser, status: str | None = None) -> QuerySet[Registration]:
    """The user's own registrations, upcoming first."""
    registrations = Registration.objects.filter(volunteer_id=user.volunteer_id).select_related("event")
    if status:
        registrations = registrations.filter(status=status)
    return registrations.order_by("event__starts_at", "registered_at")


def volunteer_upcoming_registrations(*, user: AnyUser) -> list[Registration]:
    """The user's places and waitlist entries of events not over yet, soonest first."""
    return list(
        registration_list(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event__ends_at__gt=timezone.now())
        .select_related("event__region")
    )


@dataclass(frozen=True)
class Attendance:
    event: Event
    checked_in_at: dt.datetime
    seconds: int  # credited: events.hours
    hours: Decimal  # to two decimal places


def volunteer_attendance(*, volunteer_id: uuid.UUID, now: dt.datetime | None = None) -> list[Attendance]:
    """The events the volunteer was checked in at, latest first, with the hours credited as of `now`.

    Hours follow the one rule of the totals (events.hours): within the event's hours, credited once
    it has ended or they checked out, overlapping events counted once; so the volunteer's page and
    certificate agree with the hours counted in the totals. A cancelled event, or one whose result
    was rejected with nothing verified before it standing, counts none.
    """
    now = now or timezone.now()
    checkins = list(
        CheckIn.objects.filter(volunteer_id=volunteer_id)
        .select_related("event__region")
        .order_by("-checked_in_at", "id")
    )
    # Rejected, and nothing verified before stands: a rejected correction of a verified result
    # leaves its figures, and the event's hours, counting (as the totals count them: stats.metrics).
    rejected = {
        result.event_id
        for result in Result.objects.filter(
            event_id__in=[c.event_id for c in checkins], status=Result.Status.REJECTED
        ).only("event_id", "figures")
        if not any(figure.get("verified") is not None for figure in result.figures.values())
    }
    credited = credited_seconds(
        (
            Stay(
                c.id,
                str(c.event_id),
                c.checked_in_at,
                c.checked_out_at,
                c.event.starts_at,
                c.event.ends_at,
                counts=c.event.status == Event.Status.APPROVED and c.event_id not in rejected,
            )
            for c in checkins
        ),
        now,
    )
    return [
        Attendance(event=c.event, checked_in_at=c.checked_in_at, seconds=credited[c.id], hours=hours(credited[c.id]))
        for c in checkins
    ]


def attendance_hours(attendances: list[Attendance]) -> Decimal:
    """The hours of a volunteer's attendances in all: their seconds summed, then rounded."""
    return hours(sum(a.seconds for a in attendances))


def registration_get(*, user: AnyUser, registration_id: uuid.UUID) -> Registration:
    """The user's own registration (an admin may read any)."""
    registration_id = as_uuid(registration_id, RegistrationNotFound)
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or (registration.volunteer_id != user.volunteer_id and not is_admin(user)):
        raise RegistrationNotFound()
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next to be promoted; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        waitlist_order__lt=registration.waitlist_order,
    ).count()
    return ahead + 1


@dataclass(frozen=True)
class RosterLine:
    registration_id: uuid.UUID
    volunteer_id: uuid.UUID
    name: str  # "deleted volunteer" once the account is gone
    email: str
    status: str
    waitlist_order: int | None
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    method: str | None


def event_roster(*, user: AnyUser, event_id: uuid.UUID) -> list[RosterLine]:
    """Who has a place or waits, with names for the people in charge, and who checked in."""
    event = event_for_oversight(user=user, event_id=event_id)
    registrations = list(
        # Places first in the order they were taken, then the waitlist in its order.
        event.registrations.exclude(status=Registration.Status.CANCELLED).order_by(
            "status", F("waitlist_order").asc(nulls_first=True), "registered_at", "id"
        )
    )
    checkins = {c.volunteer_id: c for c in CheckIn.objects.filter(event=event)}
    people = volunteer_directory([r.volunteer_id for r in registrations])
    lines = []
    for r in registrations:
        person = people.get(r.volunteer_id)
        checkin = checkins.get(r.volunteer_id)
        lines.append(
            RosterLine(
                registration_id=r.id,
                volunteer_id=r.volunteer_id,
                name=(person.display_name or person.email) if person else _("deleted volunteer"),
                email=person.email if person else "",
                status=r.status,
                waitlist_order=r.waitlist_order,
                checked_in_at=checkin.checked_in_at if checkin else None,
                checked_out_at=checkin.checked_out_at if checkin else None,
                method=checkin.method if checkin else None,
            )
        )
    return lines


def checkin_list(*, user: AnyUser, event_id: uuid.UUID) -> QuerySet[CheckIn]:
    event = event_for_oversight(user=user, event_id=event_id)
    return CheckIn.objects.filter(event=event).select_related("event").order_by("checked_in_at", "id")


def volunteer_directory(volunteer_ids: list[uuid.UUID]) -> dict[uuid.UUID, User]:
    """Accounts by volunteer id; a deleted account is simply missing."""
    return {u.volunteer_id: u for u in User.objects.filter(volunteer_id__in=volunteer_ids)}


def volunteer_names(volunteer_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    people = volunteer_directory(volunteer_ids)
    return {
        vid: (people[vid].display_name or people[vid].email) if vid in people else _("deleted volunteer")
        for vid in volunteer_ids
    }


def result_get(*, user: AnyUser, event_id: uuid.UUID) -> Result | None:
    """The result in force with its history; public for public events, like the totals it feeds."""
    event = event_get(user=user, event_id=event_id)
    return (
        Result.objects.select_related("report", "event")
        .prefetch_related("event__result_reports", "event__result_verifications")
        .filter(event=event)
        .first()
    )


def result_limits(event: Event, result: Result) -> list[Limit]:
    """The latest report's figures against the plausibility limits for its participants."""
    return plausibility_limits(**_report_figures(event, result))


def result_signals_for(event: Event, result: Result) -> list[Signal]:
    """What the coordinator should look at in the latest report before verifying it (events.evidence):
    its figures, and its photos (photos/: the same photo used elsewhere, taken far away or another day)."""
    return result_signals(**_report_figures(event, result)) + result_photo_signals(event)


def result_photo_signals(event: Event) -> list[Signal]:
    seen = evidence_of(subject=PHOTOS_OF_RESULT, subject_id=event.id, hidden=False)
    most = settings.TAZA_PHOTO_SAME_HAMMING
    return photo_signals(
        photos=[PhotoSeen(e.photo.role, e.taken_at, e.latitude, e.longitude) for e in seen],
        twins=[
            PhotoTwin(t.photo.role, t.other.subject, t.distance, most)
            for t in photo_twins([e.photo for e in seen], most=most)
        ],
        place=(event.latitude, event.longitude) if event.latitude is not None and event.longitude is not None else None,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        far_km=settings.TAZA_PHOTO_FAR_KM,
    )


def _report_figures(event: Event, result: Result) -> dict:
    """The latest report's figures and the event's check-ins, as the evidence rules take them."""
    report = result.report
    return {
        "checked_in": event.checked_in_count,
        "headcount": report.headcount,
        "waste_kg": sum((Decimal(kg) for kg in report.waste_kg.values()), Decimal(0)),
        "trees": report.trees,
        "area_ha": report.area_ha,
    }


def result_grade(event: Event, result: Result | None) -> str | None:
    """The public evidence grade of the event's result (events.evidence); None with no result.
    Verified while figures a coordinator verified count: they stay through a correction awaiting
    judgment or rejected, as in the totals (stats.metrics); a rejected first report has none."""
    if result is None:
        return None
    verified = any(figure.get("verified") is not None for figure in result.figures.values())
    return evidence_grade(
        verified=verified, checked_in=event.checked_in_count, after_photos=after_photo_count(event.id)
    )


def results_awaiting_verification(*, user: AnyUser, region_code: str | None, limit: int = 100) -> list[Result]:
    """Results whose latest version no coordinator has judged yet, of events the user may see and
    of one region (None: every region), oldest event first."""
    results = Result.objects.filter(status=Result.Status.AWAITING, event__in=events_visible_to(user))
    if region_code:
        results = results.filter(event__region_id=region_code)
    return list(results.select_related("event__region", "report").order_by("event__starts_at", "event_id")[:limit])


# --- changes to approved events -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | float | None  # as approved
    new: str | float | None  # as proposed
    language: str | None = None  # of a text (events.facts.WRITTEN_FIELDS): each language is its own line


def change_diff(change: EventChange) -> list[FieldChange]:
    """The fields the change alters, old (as approved when proposed) to new, in the fields' order; a
    text per language that differs (kk, ru, en), "" where it is not written, so the coordinator
    reads every language of it."""
    diff = []
    for name in MATERIAL_FIELDS:
        old, new = change.previous.get(name), change.proposed.get(name)
        if name in WRITTEN_FIELDS:
            old, new = old or {}, new or {}
            diff.extend(
                FieldChange(field=name, old=old.get(lang, ""), new=new.get(lang, ""), language=lang)
                for lang in LANGUAGES
                if old.get(lang, "") != new.get(lang, "")
            )
        elif old != new:
            diff.append(FieldChange(field=name, old=old, new=new))
    return diff


def event_pending_change(*, event: Event) -> EventChange | None:
    """The change waiting for the coordinator; only an approved event has one."""
    if event.status != Event.Status.APPROVED:
        return None
    return EventChange.objects.filter(event=event, status=EventChange.Status.PENDING).first()


def event_last_decided_change(*, event: Event) -> EventChange | None:
    """The latest change a coordinator approved or rejected: the organiser reads why one was not."""
    decided = (EventChange.Status.APPROVED, EventChange.Status.REJECTED)
    return EventChange.objects.filter(event=event, status__in=decided).order_by("-decided_at", "-id").first()


def event_changes_awaiting_approval(*, user: AnyUser, region_code: str | None, limit: int = 100) -> list[EventChange]:
    """Pending changes of approved events not over yet, of one region (None: every region) among
    the events the user coordinates (admins: all), oldest proposal first."""
    if not (is_admin(user) or is_coordinator(user)):
        return []
    changes = EventChange.objects.filter(
        status=EventChange.Status.PENDING, event__status=Event.Status.APPROVED, event__ends_at__gt=timezone.now()
    )
    if not is_admin(user):
        changes = changes.filter(event__region_id=user.coordinator_region_id)
    if region_code:
        changes = changes.filter(event__region_id=region_code)
    return list(changes.select_related("event__region", "event__organisation").order_by("proposed_at", "id")[:limit])


def survival_checks(*, user: AnyUser, event_id: uuid.UUID | str) -> list[SurvivalCheck]:
    """The survival checks of an event, oldest first, superseded ones too (`current` False); public
    for public events, like the result they count against."""
    event = event_get(user=user, event_id=event_id)
    return list(SurvivalCheck.objects.filter(event=event).order_by("version"))


def survival_checks_due(*, events: Iterable[Event], today: dt.date) -> list[tuple[Event, str, dt.date]]:
    """(event, label, due day) for each of the planting events given with a verified result with
    trees whose survival check of a label is due `today` (events.survival.due_label) and not recorded."""
    events = [e for e in events if e.kind == "tree_planting" and e.status == Event.Status.APPROVED]
    done: dict[uuid.UUID, set[str]] = {}
    for event_id, label in SurvivalCheck.objects.filter(event__in=events).values_list("event_id", "label"):
        done.setdefault(event_id, set()).add(label)
    due = []
    for event in events:
        day = local_day(event.starts_at)
        label = due_label(day, today, done.get(event.id, set()))
        if label is not None and planted_species(event):
            due.append((event, label, due_on(day, label)))
    return sorted(due, key=lambda item: (item[2], str(item[0].id)))


# The species of a result that named none: its trees are counted as one.
UNSPECIFIED = "unspecified"


def verdict_in_force(event_id: uuid.UUID) -> ResultVerification | None:
    """The coordinator's verdict whose figures count for the event: its latest acceptance or
    adjustment, of whichever report it judged. A correction awaiting the coordinator, or one the
    coordinator rejected, leaves the figures verified before it in force (as the totals fold them:
    events.projections); None when no report was ever accepted or adjusted."""
    return (
        ResultVerification.objects.filter(event_id=event_id)
        .exclude(decision="rejected")
        .order_by("-result_version", "-verified_at")
        .first()
    )


def planted_species(event: Event) -> dict[str, int]:
    """The trees of the event's verified result by species ({} when none is verified or it planted
    none), from the verdict in force."""
    verdict = verdict_in_force(event.id)
    if verdict is None:
        return {}
    report = event.result_reports.get(version=verdict.result_version)
    logged = {"waste_kg": report.waste_kg, "trees": report.trees, "tree_species": report.tree_species}
    figures = logged
    if verdict.decision == ADJUSTED:
        figures = verified_result(
            logged,
            {
                "waste_kg": verdict.waste_kg,
                "trees": verdict.trees,
                "tree_species": verdict.tree_species,
                "area_ha": verdict.area_ha,
                "headcount": verdict.headcount,
            },
        )
    trees = int(figures["trees"] or 0)
    if trees <= 0:
        return {}
    species = {name: n for name, n in (figures.get("tree_species") or {}).items() if n > 0}
    if not species or sum(species.values()) != trees:
        return {UNSPECIFIED: trees}
    return dict(sorted(species.items()))
