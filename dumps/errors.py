"""The refusals of the dumps services, each with its stable code (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.errors import Conflict, DomainError, Forbidden, NotFound


class DumpInvalid(DomainError):
    """The input breaks a rule of dumps; `fields` says which field and why."""

    code = "dump_invalid"
    default_message = _("The dump report is not valid.")


class DumpNotFound(NotFound):
    code = "dump_not_found"
    default_message = _("There is no such dump.")


class NotDumpsCoordinator(Forbidden):
    code = "coordinator_required"
    default_message = _("Only the coordinator of the dump's region may decide on it.")


class NotEventOrganiser(Forbidden):
    code = "organiser_required"
    default_message = _("Only the event's organiser may link it to a dump.")


class DumpNotOpen(Conflict):
    code = "dump_not_open"
    default_message = _("The dump is not in a state that allows this.")


class DumpReportsLimited(DomainError):
    code = "too_many_reports"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("You have reported many dumps recently; try again later.")

    def __init__(self, retry_after: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.headers["Retry-After"] = str(retry_after)
