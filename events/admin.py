"""Django admin for events: the projection tables, read-only; its actions call the events services.

Events change only through facts, so nobody edits these rows here (DESIGN.md: "Django admin shows
projections read-only; admin actions call the same services as the API"): every admin here is the
ledger's `ReadOnlyAdmin`, as every projection's is.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from events.models import CheckIn, Event, Registration, Result, ResultReport, ResultVerification, SurvivalCheck
from events.services import event_approve, event_cancel
from ledger.admin import ReadOnlyAdmin


def _each(request: HttpRequest, events: QuerySet[Event], service: Callable[[Event], object], done, admin_site) -> None:
    """Call the service per event; a refusal of one is reported and spoils no other."""
    count = 0
    for event in events:
        try:
            service(event)
            count += 1
        except DomainError as refusal:
            admin_site.message_user(request, f"{event.title}: {refusal.message}", messages.ERROR)
    if count:
        admin_site.message_user(request, done % {"n": count}, messages.SUCCESS)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "region", "starts_at", "status", "registered_count", "checked_in_count"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["search_text", "short_code"]
    date_hierarchy = "starts_at"
    actions = ["approve_selected", "cancel_selected"]

    @admin.action(description=_("Approve the selected proposals"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        _each(
            request,
            queryset,
            lambda event: event_approve(actor=request.user, event_id=event.id),
            _("Approved: %(n)d."),
            self,
        )

    @admin.action(description=_("Cancel the selected events (volunteers are emailed)"))
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        _each(
            request,
            queryset,
            lambda event: event_cancel(actor=request.user, event_id=event.id, reason=str(_("Cancelled by an admin."))),
            _("Cancelled: %(n)d."),
            self,
        )


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "volunteer_id", "status", "waitlist_order", "registered_at"]
    list_filter = ["status"]
    search_fields = ["volunteer_id", "event__title"]
    list_select_related = ["event"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["event", "volunteer_id", "method", "checked_in_at", "checked_out_at"]
    list_filter = ["method"]
    search_fields = ["volunteer_id", "event__title"]
    list_select_related = ["event"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["event", "version", "status", "verified_version"]
    list_filter = ["status"]
    list_select_related = ["event"]


@admin.register(ResultReport)
class ResultReportAdmin(ReadOnlyAdmin):
    list_display = ["event", "version", "trees", "area_ha", "headcount", "logged_at"]
    list_select_related = ["event"]


@admin.register(ResultVerification)
class ResultVerificationAdmin(ReadOnlyAdmin):
    list_display = ["event", "result_version", "decision", "verified_at"]
    list_filter = ["decision"]
    list_select_related = ["event"]


@admin.register(SurvivalCheck)
class SurvivalCheckAdmin(ReadOnlyAdmin):
    list_display = ["event", "label", "counted_on", "alive_total", "planted_total", "counted_as", "current"]
    list_filter = ["label", "current"]
    list_select_related = ["event"]
