"""Who may act on an event: the one place services and selectors ask (roles from volunteers.roles).

Volunteers act only for themselves; organisers only on their organisation's events; coordinators
only in their region; admins everywhere.
"""

from __future__ import annotations

from events.models import Event
from volunteers.roles import AnyUser, is_admin, is_coordinator_of, is_organiser


def may_organise(user: AnyUser, event: Event) -> bool:
    """Edit, reschedule, cancel, check volunteers in, log the result."""
    if is_admin(user):
        return True
    return is_organiser(user) and user.organisation_id is not None and user.organisation_id == event.organisation_id


def may_coordinate(user: AnyUser, event: Event) -> bool:
    """Approve or reject the event, verify its result."""
    return is_coordinator_of(user, event.region_id)


def may_oversee(user: AnyUser, event: Event) -> bool:
    """See what only the people in charge see: the roster with names, the event code, check-ins."""
    return may_organise(user, event) or may_coordinate(user, event)


def may_see(user: AnyUser, event: Event) -> bool:
    """Approved events are public, and stay visible once cancelled (saying so); the rest are not."""
    return event.was_approved or may_oversee(user, event)
