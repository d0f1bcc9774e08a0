"""Django admin for campaigns: read-only projections (regions are reference data: reference/admin.py).

Campaigns change only through facts appended by campaigns' services, so the admin shows their rows
read-only and its launch, revise and close forms and action call those same services (DESIGN.md:
"Django admin shows projections read-only; admin actions call the same services as the API").
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.facts import EVENT_KINDS, TARGET_METRICS
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from campaigns.selectors import campaign_get
from campaigns.services import LANGUAGES, campaign_close, campaign_launch, campaign_targets_set
from config.errors import DomainError
from ledger.admin import ReadOnlyAdmin, ReadOnlyInline
from volunteers.roles import is_admin

# --- campaigns: read-only projections; launching, revising and closing call campaigns.services --------


class CampaignTargetsField(forms.CharField):
    """Targets typed one per line as `region,metric,value`, e.g. `KZ-10,trees,60000`."""

    widget = forms.Textarea(attrs={"rows": 8, "cols": 60, "placeholder": "KZ-10,trees,60000"})

    def to_python(self, value: str | None) -> list[dict[str, str]]:
        targets = []
        # Blank lines are refused, not skipped, so "line n" in a service's message is the n-th line.
        for number, line in enumerate((value or "").strip().splitlines(), start=1):
            parts = [part.strip() for part in line.split(",")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(n)d: write region,metric,value."), params={"n": number}, code="target_line"
                )
            targets.append(dict(zip(("region", "metric", "value"), parts, strict=True)))
        return targets


class CampaignLaunchForm(forms.Form):
    # The rules (names in all three languages, the period, the targets) are the service's; the form
    # only collects the input and shows the service's messages next to the fields.
    name_kk = forms.CharField(label=_("name in Kazakh"), required=False, max_length=200)
    name_ru = forms.CharField(label=_("name in Russian"), required=False, max_length=200)
    name_en = forms.CharField(label=_("name in English"), required=False, max_length=200)
    description_kk = forms.CharField(label=_("description in Kazakh"), required=False, widget=forms.Textarea)
    description_ru = forms.CharField(label=_("description in Russian"), required=False, widget=forms.Textarea)
    description_en = forms.CharField(label=_("description in English"), required=False, widget=forms.Textarea)
    starts_on = forms.DateField(label=_("starts on"), widget=AdminDateWidget)
    ends_on = forms.DateField(label=_("ends on"), widget=AdminDateWidget)
    event_kinds = forms.MultipleChoiceField(
        label=_("kinds of events"),
        choices=[(kind, kind) for kind in EVENT_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    targets = CampaignTargetsField(
        label=_("targets"),
        required=False,
        help_text=format_lazy(_("One per line: region,metric,value. Metrics: {}."), ", ".join(TARGET_METRICS)),
    )

    # Made when the form is shown: submitting the same page twice launches one campaign, not two.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: str(uuid.uuid4()))

    def launch(self, actor) -> Campaign:
        data = self.cleaned_data
        return campaign_launch(
            actor=actor,
            name={lang: data[f"name_{lang}"] for lang in LANGUAGES},
            description={lang: data[f"description_{lang}"] for lang in LANGUAGES},
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            event_kinds=data["event_kinds"],
            targets=data["targets"],
            idempotency_key=data["idempotency_key"],
        )


class CampaignTargetsSetForm(forms.Form):
    targets = CampaignTargetsField(label=_("targets"), help_text=_("One per line: region,metric,value."))
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def save(self, actor, campaign: Campaign) -> Campaign:
        return campaign_targets_set(actor=actor, campaign_id=campaign.id, **self.cleaned_data)


class CampaignCloseForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def save(self, actor, campaign: Campaign) -> Campaign:
        return campaign_close(actor=actor, campaign_id=campaign.id, **self.cleaned_data)


def _show_refusal(form: forms.Form, refusal: DomainError) -> None:
    """Put a service's field messages ("name.kk", "targets.3.value") on the form's fields; what has
    no visible field to go to (expected_version, campaign_id) shows as the refusal's message."""
    shown_on_fields = False
    for key, texts in refusal.fields.items():
        head, _dot, rest = key.partition(".")
        field = f"{head}_{rest}" if head in ("name", "description") and rest else head
        if head == "targets" and rest:
            texts = [_("Line %(n)d: %(m)s") % {"n": int(rest.split(".")[0]) + 1, "m": text} for text in texts]
        if field in form.fields and not form.fields[field].widget.is_hidden:
            shown_on_fields = True
            for text in texts:
                form.add_error(field, text)
    if not shown_on_fields:
        form.add_error(None, refusal.message)


class CampaignTargetInline(ReadOnlyInline):
    model = CampaignTarget
    verbose_name_plural = _("targets in force")
    fields = ["region", "metric", "value", "revision"]


class CampaignTargetRevisionInline(ReadOnlyInline):
    model = CampaignTargetRevision
    verbose_name_plural = _("history of targets")
    fields = ["revision", "region", "metric", "value", "reason", "set_at"]
    classes = ["collapse"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Shows the projection read-only, to admins (ReadOnlyAdmin); every change is a form or action
    that calls a campaign service."""

    list_display = ["name_en", "name_kk", "starts_on", "ends_on", "status", "version"]
    list_filter = ["status"]
    search_fields = ["name_kk", "name_ru", "name_en"]
    inlines = [CampaignTargetInline, CampaignTargetRevisionInline]
    actions = ["close_selected"]
    change_list_template = "admin/campaigns/campaign/change_list.html"
    change_form_template = "admin/campaigns/campaign/change_form.html"

    def get_urls(self):
        own = [
            path("launch/", self.admin_site.admin_view(self.launch_view), name="campaigns_campaign_launch"),
            path(
                "<uuid:campaign_id>/targets/",
                self.admin_site.admin_view(self.targets_view),
                name="campaigns_campaign_targets",
            ),
            path(
                "<uuid:campaign_id>/close/",
                self.admin_site.admin_view(self.close_view),
                name="campaigns_campaign_close",
            ),
        ]
        return own + super().get_urls()

    @admin.action(description=_("Close the selected campaigns"))
    def close_selected(self, request: HttpRequest, queryset) -> None:
        for campaign in queryset:
            try:
                campaign_close(actor=request.user, campaign_id=campaign.id)
            except DomainError as refusal:
                self.message_user(request, f"{campaign}: {refusal.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(campaign)s is closed.") % {"campaign": campaign}, messages.SUCCESS)

    def launch_view(self, request: HttpRequest) -> HttpResponse:
        self._require_admin(request)
        form = CampaignLaunchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                campaign = form.launch(request.user)
            except DomainError as refusal:
                _show_refusal(form, refusal)
            else:
                self.message_user(request, _("%(campaign)s is launched.") % {"campaign": campaign}, messages.SUCCESS)
                return redirect("admin:campaigns_campaign_change", campaign.pk)
        return self._form_page(request, form, title=_("Launch a campaign"), campaign=None)

    def targets_view(self, request: HttpRequest, campaign_id) -> HttpResponse:
        self._require_admin(request)
        campaign = self._campaign(campaign_id)
        form = CampaignTargetsSetForm(request.POST or None, initial={"expected_version": campaign.version})
        return self._change_page(request, form, campaign, title=_("Revise targets of %(c)s") % {"c": campaign})

    def close_view(self, request: HttpRequest, campaign_id) -> HttpResponse:
        self._require_admin(request)
        campaign = self._campaign(campaign_id)
        form = CampaignCloseForm(request.POST or None, initial={"expected_version": campaign.version})
        return self._change_page(request, form, campaign, title=_("Close %(c)s") % {"c": campaign})

    def _require_admin(self, request: HttpRequest) -> None:
        # The services check too; this spares a non-admin a form they could not submit.
        if not is_admin(request.user):
            raise PermissionDenied

    def _campaign(self, campaign_id) -> Campaign:
        try:
            return campaign_get(campaign_id=campaign_id)
        except DomainError:
            raise Http404 from None

    def _change_page(self, request: HttpRequest, form: forms.Form, campaign: Campaign, title: str) -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                form.save(request.user, campaign)
            except DomainError as refusal:
                _show_refusal(form, refusal)
            else:
                self.message_user(request, _("Recorded."), messages.SUCCESS)
                return redirect("admin:campaigns_campaign_change", campaign.pk)
        return self._form_page(request, form, title=title, campaign=campaign)

    def _form_page(self, request: HttpRequest, form: forms.Form, *, title: str, campaign) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "campaign": campaign,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/campaigns/campaign/service_form.html", context)
