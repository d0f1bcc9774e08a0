"""The forms of the pages: they check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.facts import EVENT_KINDS
from campaigns.models import Region
from campaigns.selectors import campaign_list, region_list
from events.facts import WASTE_KINDS
from frontend import labels
from volunteers.models import Organisation

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, labels.EVENT_KINDS[kind]) for kind in EVENT_KINDS]


def region_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(region.code, region.name) for region in region_list()]
    return [("", blank), *choices] if blank is not None else choices


def campaign_choices(*, blank: str | None = None, open_only: bool = False) -> list[tuple[str, str]]:
    campaigns = campaign_list(status="open" if open_only else None)
    choices = [(str(campaign.id), campaign.name) for campaign in campaigns]
    return [("", blank), *choices] if blank is not None else choices


# --- public ----------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind of event"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(blank=_("All regions"))
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices()]
        self.fields["campaign"].choices = campaign_choices(blank=_("All campaigns"))


class RegionsViewForm(forms.Form):
    MODES = (("metric", _("A metric")), ("plan", _("Plan versus fact")))
    BASES = (("raw", _("Total")), ("per_1000", _("Per 1 000 residents")))

    mode = forms.ChoiceField(label=_("Colour the map by"), choices=MODES, required=False)
    metric = forms.ChoiceField(label=_("Metric"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    basis = forms.ChoiceField(label=_("Rank by"), choices=BASES, required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)

    def __init__(self, *args, campaign: str = "", **kwargs):
        kwargs.setdefault(
            "initial",
            {"mode": "metric", "metric": "participants", "period": "all", "basis": "raw", "campaign": campaign},
        )
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m, labels.METRIC_NAMES[m]) for m in labels.HEADLINE_METRICS]
        self.fields["period"].choices = [*labels.PERIODS.items(), ("campaign", _("The campaign"))]
        self.fields["campaign"].choices = campaign_choices()

    def value(self, name: str, default: str) -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default


# --- organisers ------------------------------------------------------------------------------------


class EventDetailsForm(forms.Form):
    """What volunteers read; an edit changes these only (the time changes by rescheduling)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label=_("Address or meeting point"), max_length=300)
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, help_text=_("Optional, e.g. 51.1283")
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, help_text=_("Optional, e.g. 71.4305")
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=settings.TAZA_EVENT_CAPACITY_MAX, widget=forms.NumberInput()
    )
    what_to_bring = forms.CharField(label=_("What to bring"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EventProposeForm(EventDetailsForm):
    campaign = forms.ChoiceField(label=_("Campaign"))
    kind = forms.ChoiceField(label=_("Kind of event"))
    region = forms.ChoiceField(label=_("Region"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])

    field_order = [
        "campaign",
        "kind",
        "title",
        "description",
        "region",
        "address",
        "latitude",
        "longitude",
        "starts_at",
        "ends_at",
        "capacity",
        "what_to_bring",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = campaign_choices(open_only=True)
        self.fields["kind"].choices = kind_choices()
        self.fields["region"].choices = region_choices()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Optional. The volunteers read it in the email about the new time."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PassCheckInForm(forms.Form):
    token = forms.CharField(
        label=_("Pass code"),
        help_text=_("Type or paste the text under the volunteer's QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )


class UndoCheckInForm(forms.Form):
    reason = forms.CharField(label=_("Why is this check-in wrong?"), widget=forms.TextInput(), max_length=5000)


class ResultForm(forms.Form):
    trees = forms.IntegerField(label=_("Trees planted"), min_value=0, initial=0)
    area_ha = forms.DecimalField(label=_("Area cleaned, ha"), min_value=0, decimal_places=4, initial=0)
    headcount = forms.IntegerField(label=_("People who came without registering"), min_value=0, initial=0)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        help_text=_("Needed when figures are above the usual limits per participant."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correction_reason = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in WASTE_KINDS:
            self.fields[f"waste_{kind}"] = forms.DecimalField(
                label=labels.WASTE_KINDS[kind], min_value=0, decimal_places=3, required=False
            )

    def waste_fields(self):
        return [self[f"waste_{kind}"] for kind in WASTE_KINDS]

    def waste_kg(self) -> dict[str, str]:
        return {
            kind: str(self.cleaned_data[f"waste_{kind}"])
            for kind in WASTE_KINDS
            if self.cleaned_data.get(f"waste_{kind}") is not None
        }


class VerifyForm(forms.Form):
    DECISIONS = (("accepted", _("Accept")), ("adjusted", _("Adjust")), ("rejected", _("Reject")))

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    result_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed to adjust or reject."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    trees = forms.IntegerField(label=_("Trees planted"), min_value=0, required=False)
    area_ha = forms.DecimalField(label=_("Area cleaned, ha"), min_value=0, decimal_places=4, required=False)
    headcount = forms.IntegerField(label=_("People who came without registering"), min_value=0, required=False)
    waste_total = forms.DecimalField(
        label=_("Waste collected, kg (mixed)"),
        min_value=0,
        decimal_places=3,
        required=False,
        help_text=_("When adjusting waste: the kilograms you accept, counted as mixed."),
    )


# --- volunteers ------------------------------------------------------------------------------------


class LanguageSelect(forms.Select):
    """Each language named in itself, marked with its language for screen readers."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["lang"] = value
        return option


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("Shown to organisers of the events you join, and on leaderboards if you allow it."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=LanguageSelect)
    region = forms.ModelChoiceField(
        label=_("Home region"), queryset=Region.objects.order_by("code"), required=False, empty_label=_("Not chosen")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None"),
        help_text=_("The school, club, NGO or company you volunteer with."),
        widget=forms.Select(attrs={"translate": "no"}),  # organisations' names are not translated
    )
    show_on_leaderboards = forms.BooleanField(
        label=_("Show my name and hours on the volunteer leaderboard"), required=False
    )

    def __init__(self, *args, organisation_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, _label(code)) for code, _name in settings.LANGUAGES]
        if organisation_locked:
            # Organisers act for their organisation: only an admin moves them to another one.
            self.fields["organisation"].disabled = True
            self.fields["organisation"].help_text = _("Organisers' organisation is set by an administrator.")


def _label(code: str) -> str:
    return {"kk": "Қазақша", "ru": "Русский", "en": "English"}.get(code, code)


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(label=_("Type your email address to confirm"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.user is None or email != self.user.email.lower():
            raise forms.ValidationError(_("This is not the email address of your account."))
        return email
