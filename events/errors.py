"""The errors of events, each with the stable code clients switch on (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _

from config.errors import Conflict, DomainError, Forbidden, NotFound


class InvalidInput(DomainError):
    """Input a service refuses on its own (the API's serializers catch most of it first)."""

    code = "validation_error"
    default_message = _("Some fields are not valid.")


class EventNotFound(NotFound):
    code = "event_not_found"
    default_message = _("There is no such event.")


class RegistrationNotFound(NotFound):
    code = "registration_not_found"
    default_message = _("There is no such registration.")


class NotAllowed(Forbidden):
    code = "permission_denied"


class CampaignNotOpen(DomainError):
    code = "campaign_not_open"
    default_message = _("The campaign is not open, or does not cover this kind of event.")


class EventNotPublic(Conflict):
    code = "event_not_public"
    default_message = _("The event has not been approved.")


class EventCancelled(Conflict):
    code = "event_cancelled"
    default_message = _("The event was cancelled.")


class EventStarted(Conflict):
    code = "event_started"
    default_message = _("The event has already started.")


class EventNotStarted(Conflict):
    code = "event_not_started"
    default_message = _("The event has not started yet.")


class EventNotPending(Conflict):
    code = "event_not_pending"
    default_message = _("Only a proposed event can be approved or rejected.")


class ChangeNotPending(Conflict):
    code = "change_not_pending"
    default_message = _("This change to the event is not waiting for a decision.")


class EventFull(Conflict):
    code = "event_full"
    default_message = _("The event and its waitlist are full.")


class CapacityBelowRegistered(Conflict):
    code = "capacity_below_registered"
    default_message = _("More volunteers are registered than the new capacity allows.")


class AlreadyRegistered(Conflict):
    code = "already_registered"
    default_message = _("You are already registered for this event.")


class RegistrationAlreadyCancelled(Conflict):
    code = "registration_cancelled"
    default_message = _("This registration was cancelled.")


class NotRegistered(Conflict):
    code = "not_registered"
    default_message = _("The volunteer has no place at this event (not registered, or still on the waitlist).")


class InvalidPass(DomainError):
    code = "invalid_pass"
    default_message = _("This pass is not valid.")


class PassForOtherEvent(DomainError):
    code = "pass_wrong_event"
    default_message = _("This pass is for another event.")


class PassCodeMistyped(DomainError):
    code = "pass_code_mistyped"
    default_message = _("This pass code is mistyped: check each character and type it again.")


class PassCodeUnknown(DomainError):
    code = "pass_code_unknown"
    default_message = _("No pass of this event has this code.")


class TooManyPassCodes(DomainError):
    code = "too_many_pass_codes"
    status_code = 429
    default_message = _("Too many unknown pass codes were typed. Wait a little, then try again.")

    def __init__(self, *, retry_after: int):
        super().__init__()
        self.headers["Retry-After"] = str(retry_after)


class WrongEventCode(DomainError):
    code = "wrong_event_code"
    default_message = _("The event code is not right.")


class OutsideCheckinWindow(Conflict):
    code = "outside_checkin_window"
    default_message = _("Check-in is open only around the event's time.")


class NotCheckedIn(Conflict):
    code = "not_checked_in"
    default_message = _("The volunteer has not checked in.")


class CheckInNotFound(NotFound):
    code = "checkin_not_found"
    default_message = _("There is no such check-in at this event.")


class CheckInAlreadyUndone(Conflict):
    code = "checkin_already_undone"
    default_message = _("This check-in has already been undone.")


class CheckInWasUndone(Conflict):
    """A retry of a check-in (same Idempotency-Key or offline fact id) that was undone since."""

    code = "checkin_undone"
    default_message = _("This check-in was recorded and then undone by the organiser.")


class ImplausibleResult(DomainError):
    code = "implausible_result"
    default_message = _("Some figures are above the plausible limits; explain them in the justification.")


class CorrectionReasonRequired(DomainError):
    code = "correction_reason_required"
    default_message = _("A correction of a result needs a reason.")


class CampaignClosed(Conflict):
    code = "campaign_closed"
    default_message = _(
        "The campaign is closed: only a coordinator of the event's region may correct its result, with a reason."
    )


class NoResult(Conflict):
    code = "no_result"
    default_message = _("No result has been logged for this event.")


class ResultOutdated(Conflict):
    code = "result_outdated"
    default_message = _("The result was corrected since; verify the latest version.")


class ResultAlreadyVerified(Conflict):
    code = "result_already_verified"
    default_message = _("This version of the result has already been verified.")


class NotTreePlanting(Conflict):
    code = "not_tree_planting"
    default_message = _("Survival checks are recorded for tree-planting events only.")


class NoVerifiedTrees(Conflict):
    code = "no_verified_trees"
    default_message = _("The event has no verified result with trees planted yet.")


class SurvivalCheckTooEarly(DomainError):
    code = "survival_check_too_early"
    default_message = _("A survival check counts trees at least 3 months after the planting.")
