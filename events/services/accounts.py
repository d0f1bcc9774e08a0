"""Erasing a volunteer: the account goes, the ledger and every total stay.

Facts name the volunteer only by an opaque id, so deleting the account row is enough for the
person to vanish from every page (rosters then say "deleted volunteer"). Places at events still to
come are given back first, as ordinary cancellations, so the waitlist moves up.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import facts as f
from events.errors import NotAllowed
from events.models import Registration
from events.services.common import after_commit_tell_promoted, append_to_event, decide_on_event
from events.services.registrations import cancellation_facts
from volunteers.models import User
from volunteers.roles import is_admin


def volunteer_delete(*, actor: User, volunteer: User, source: str = "web") -> int:
    """Delete `volunteer`'s account (the volunteer themselves, or an admin). Returns how many
    places at upcoming events were given back."""
    if actor.pk != volunteer.pk and not is_admin(actor):
        raise NotAllowed(_("Volunteers delete only their own account."))
    upcoming = list(
        Registration.objects.filter(volunteer_id=volunteer.volunteer_id, event__starts_at__gt=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(event__status="cancelled")
        .values_list("id", "event_id")
    )
    with transaction.atomic():
        for registration_id, event_id in upcoming:

            def decide(event, registration_id=registration_id) -> None:
                facts = cancellation_facts(event, Registration.objects.get(pk=registration_id))
                append_to_event(event, facts, actor=actor, first_id=None, source=source)
                after_commit_tell_promoted(
                    fact.registration_id for fact in facts if isinstance(fact, f.WaitlistPromoted)
                )

            decide_on_event(event_id, decide)
        volunteer.delete()
    return len(upcoming)
