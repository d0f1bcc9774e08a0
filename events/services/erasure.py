"""Erasing a volunteer: the account goes, the ledger and every total stay.

The one way a person is erased, whichever door it comes through: their own account page, the API
(`POST /api/v1/account/delete/`) or the Django admin (its delete page and its "delete selected"
action both call `volunteer_delete`).

It is here, not in volunteers/, because most of what it does is to events (places given back, the
waitlist moved up) through events' own services, which import volunteers' models and roles: in
volunteers/services.py it would make the two apps' services import each other.

Facts name the volunteer only by an opaque id, so deleting the account row is enough for the
person to vanish from every page (rosters then say "deleted volunteer"). Before that:

- places at events still to come are given back as ordinary cancellations, so the waitlist moves
  up (RegistrationCancelled, WaitlistPromoted, the promoted volunteer is emailed);
- what happened stays: a registration the person was checked in on, and any registration of an
  event that has started, is history (the attendance, the hours, the head-count), not a place to
  give back. Cancelling it would also be refused (`event_started`) or would take a real attendance
  out of the roster;
- the person's messages in the outbox, sent or waiting, are deleted (an email not yet sent is not
  sent: its address goes with the account);
- the Django admin's log, which keeps the text of what it showed (`object_repr`, the names in
  `change_message`), is scrubbed of the person, so the name does not outlive the account there.
"""

from __future__ import annotations

import json
import re

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.errors import NotAllowed
from events.models import CheckIn, Event, Registration
from events.services.common import append_to_event, decide_on_event
from events.services.registrations import cancellation_facts
from outbox.services import messages_forget
from volunteers.models import User
from volunteers.roles import is_admin

# What the admin's log says of an erased person: the word rosters use, stored as is (the log keeps text).
ERASED = "deleted volunteer"


def volunteer_delete(*, actor: User, volunteer: User) -> int:
    """Erase `volunteer` (the volunteer themselves, or an admin). Returns how many places at
    events still to come were given back."""
    if actor.pk != volunteer.pk and not is_admin(actor):
        raise NotAllowed(_("Volunteers delete only their own account."))
    given_back = 0
    with transaction.atomic():
        for registration_id, event_id in _places_to_give_back(volunteer).values_list("id", "event_id"):

            def decide(event: Event, registration_id=registration_id) -> bool:
                # Decided again under the event's lock: the event may have started, or the person
                # been checked in, since the places were listed.
                registration = Registration.objects.get(pk=registration_id)
                if not _is_a_place_to_give_back(event, registration):
                    return False
                facts = cancellation_facts(event, registration)
                append_to_event(event, facts, actor=actor, first_id=None)
                return True

            given_back += decide_on_event(event_id, decide)
        email_ids = list(EmailAddress.objects.filter(user=volunteer).values_list("pk", flat=True))
        emails = {volunteer.email, *EmailAddress.objects.filter(user=volunteer).values_list("email", flat=True)}
        user_pk = volunteer.pk
        messages_forget(volunteer_id=volunteer.volunteer_id, emails=emails)
        volunteer.delete()
        _admin_log_scrub(user_pk=user_pk, email_ids=email_ids, emails=emails)
    return given_back


def _places_to_give_back(volunteer: User):
    """The person's live registrations at events that have not started, and where they are not checked in."""
    return (
        Registration.objects.filter(volunteer_id=volunteer.volunteer_id, event__starts_at__gt=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(event__status=Event.Status.CANCELLED)
        .exclude(Exists(CheckIn.objects.filter(event_id=OuterRef("event_id"), volunteer_id=OuterRef("volunteer_id"))))
    )


def _is_a_place_to_give_back(event: Event, registration: Registration) -> bool:
    return (
        registration.status != Registration.Status.CANCELLED
        and event.status != Event.Status.CANCELLED
        and timezone.now() < event.starts_at
        and not CheckIn.objects.filter(event=event, volunteer_id=registration.volunteer_id).exists()
    )


def _admin_log_scrub(*, user_pk: int, email_ids: list[int], emails: set[str]) -> None:
    """Take the person out of django_admin_log. The entries about their account and their email
    addresses (including the one of this very deletion, written before it) lose the name they were
    shown by and the names in their message; any other entry that wrote one of their email
    addresses has it replaced. The entries stay, as the record that an admin acted."""
    user_type = ContentType.objects.get_for_model(User)
    email_type = ContentType.objects.get_for_model(EmailAddress)
    about_them = Q(content_type=user_type, object_id=str(user_pk)) | Q(
        content_type=email_type, object_id__in=[str(pk) for pk in email_ids]
    )
    for entry in LogEntry.objects.filter(about_them):
        entry.object_repr = ERASED
        entry.change_message = _without_names(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])
    patterns = [re.compile(re.escape(email), re.IGNORECASE) for email in emails if email]
    mentions = Q(pk__in=[])
    for email in filter(None, emails):
        mentions |= Q(object_repr__icontains=email) | Q(change_message__icontains=email)
    for entry in LogEntry.objects.filter(mentions).exclude(about_them):
        for pattern in patterns:
            entry.object_repr = pattern.sub(ERASED, entry.object_repr)
            entry.change_message = pattern.sub(ERASED, entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


def _without_names(change_message: str) -> str:
    """A change message keeps which fields changed and which kinds of objects were added or deleted,
    and loses the objects' names (`object`: the text the admin showed of them). Old plain-text
    messages cannot be told apart from names, so they go whole."""
    try:
        actions = json.loads(change_message or "[]")
    except ValueError:
        return ""
    if not isinstance(actions, list):
        return ""
    for action in actions:
        for detail in action.values() if isinstance(action, dict) else []:
            if isinstance(detail, dict):
                detail.pop("object", None)
    return json.dumps(actions) if actions else ""
