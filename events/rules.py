"""Who may act on an event: the one place services and selectors ask (roles from volunteers.roles).

Volunteers act only for themselves; organisers only on their organisation's events; coordinators
only in their region; admins everywhere. Who may see an event is written twice, side by side: as
Python on one event (`may_see`) and as a query on all of them (`seen_by`), and
tests/events/test_visibility.py holds the two to the same answer for every status and role.
"""

from __future__ import annotations

from django.db.models import Q

from campaigns.models import Campaign
from events.models import Event
from volunteers.roles import AnyUser, is_admin, is_coordinator, is_coordinator_of, is_organiser


def may_organise(user: AnyUser, event: Event) -> bool:
    """Edit, reschedule, cancel, check volunteers in, log the result."""
    if is_admin(user):
        return True
    return is_organiser(user) and user.organisation_id is not None and user.organisation_id == event.organisation_id


def may_coordinate(user: AnyUser, event: Event) -> bool:
    """Approve or reject the event, verify its result."""
    return is_coordinator_of(user, event.region_id)


def may_log_result(user: AnyUser, event: Event) -> bool:
    """Log or correct the result: its organisers while the campaign is open; once the campaign is
    closed its figures are final, and only a coordinator of the region corrects them."""
    if event.campaign.status == Campaign.Status.CLOSED:
        return may_coordinate(user, event)
    return may_organise(user, event)


def may_oversee(user: AnyUser, event: Event) -> bool:
    """See what only the people in charge see: the roster with names, the event code, check-ins."""
    return may_organise(user, event) or may_coordinate(user, event)


def may_see(user: AnyUser, event: Event) -> bool:
    """Approved events are public, and stay visible once cancelled (saying so); the rest are not."""
    return event.was_approved or may_oversee(user, event)


def seen_by(user: AnyUser) -> Q:
    """`may_see` as a filter of Event rows: the same rule, case for case."""
    if is_admin(user):
        return Q()  # may_organise and may_coordinate everything
    # Event.was_approved
    visible = Q(status=Event.Status.APPROVED) | Q(status=Event.Status.CANCELLED, decided_at__isnull=False)
    if is_organiser(user) and user.organisation_id is not None:
        visible |= Q(organisation_id=user.organisation_id)  # may_organise
    if is_coordinator(user):
        visible |= Q(region_id=user.coordinator_region_id)  # may_coordinate
    return visible
