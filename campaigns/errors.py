"""The refusals of campaign services and selectors, each with a stable code (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _

from config.errors import Conflict, DomainError, Forbidden, NotFound


class CampaignInvalid(DomainError):
    """The input breaks a rule of campaigns; `fields` says which field and why."""

    code = "campaign_invalid"
    default_message = _("The campaign is not valid.")


class CampaignAdminRequired(Forbidden):
    code = "admin_required"
    default_message = _("Only an admin may launch, revise or close campaigns.")


class CampaignNotFound(NotFound):
    code = "campaign_not_found"
    default_message = _("There is no such campaign.")


class CampaignExists(Conflict):
    code = "campaign_exists"
    default_message = _("A campaign with this id has already been launched.")


class CampaignClosed(Conflict):
    code = "campaign_closed"
    default_message = _("The campaign is closed; it takes no more changes or events.")


class CampaignNotAcceptingEvents(DomainError):
    """An event does not fit the campaign: a kind it does not cover, or a day outside its period."""

    code = "campaign_not_accepting_events"
    default_message = _("The campaign does not accept this event.")
