"""Writes of events: each service checks who acts and the current state, then appends facts.

Every write of an event appends to its stream `event-<event_id>` with the projection row locked
(see common.decide_on_event); the inline projection (events/projections.py) updates the tables in
the same transaction. Side effects (emails) are sent by Celery after commit.
"""

from events.services.checkins import (
    CheckInOutcome,
    UndoOutcome,
    UploadAnswer,
    UploadItem,
    checkin_from_pass,
    checkin_from_roster,
    checkin_undo,
    checkin_upload,
    checkin_with_code,
    checkout_record,
)
from events.services.erasure import volunteer_delete
from events.services.events import (
    event_approve,
    event_cancel,
    event_change_approve,
    event_change_reject,
    event_change_withdraw,
    event_edit,
    event_propose,
    event_reject,
    event_reschedule,
)
from events.services.registrations import registration_cancel, registration_create
from events.services.results import result_log, result_verify
from events.services.survival import survival_check_record

__all__ = [
    "CheckInOutcome",
    "UndoOutcome",
    "UploadAnswer",
    "UploadItem",
    "checkin_from_pass",
    "checkin_from_roster",
    "checkin_undo",
    "checkin_upload",
    "checkin_with_code",
    "checkout_record",
    "event_approve",
    "event_cancel",
    "event_change_approve",
    "event_change_reject",
    "event_change_withdraw",
    "event_edit",
    "event_propose",
    "event_reject",
    "event_reschedule",
    "registration_cancel",
    "registration_create",
    "result_log",
    "result_verify",
    "survival_check_record",
    "volunteer_delete",
]
