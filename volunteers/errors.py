"""The refusals of organisations, memberships and roles, each with a stable code (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _

from config.errors import Conflict, DomainError, Forbidden, NotFound


class InvalidInput(DomainError):
    code = "validation_error"
    default_message = _("Some fields are not valid.")


class OrganisationNotFound(NotFound):
    code = "organisation_not_found"
    default_message = _("There is no such organisation.")


class OrganisationExists(Conflict):
    code = "organisation_exists"
    default_message = _("The region already has an organisation of this name.")


class VolunteerNotFound(NotFound):
    code = "volunteer_not_found"
    default_message = _("There is no such volunteer.")


class MemberNotFound(NotFound):
    code = "member_not_found"
    default_message = _("The volunteer is not a member of this organisation.")


class RoleNotHeld(NotFound):
    code = "role_not_held"
    default_message = _("The volunteer does not hold this role.")


class AdminRequired(Forbidden):
    code = "admin_required"
    default_message = _("Only an admin may do this.")


class OrganiserMovedByAdmin(Forbidden):
    """An organiser acts for every event of their organisation: joining one is being given that."""

    code = "organiser_moved_by_admin"
    default_message = _("Organisers act for their organisation: only an admin moves them to another one.")


class OwnAdminRole(Conflict):
    code = "own_admin_role"
    default_message = _("You cannot take your own admin role; another admin must.")
