"""The forms of the pages: they check the shape of the input; the services check the rules."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from campaigns.facts import EVENT_KINDS
from campaigns.selectors import campaign_list, campaigns_accepting_events
from config.days import day_text
from config.languages import LANGUAGES
from events.facts import WASTE_KINDS
from frontend import labels
from reference.models import Region
from reference.selectors import region_list
from reference.settlements import settlement_find, settlement_list
from volunteers.models import Organisation

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class Point(NamedTuple):
    """Where the finder searches near: a settlement's point, or the visitor's own."""

    latitude: float
    longitude: float


class PhotosInput(forms.FileInput):
    """A plain file input taking several photos: a phone offers its camera and its gallery."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": "image/jpeg,image/png,image/webp", **(attrs or {})})


class PhotosField(forms.FileField):
    """Up to `most` photos, as uploaded files; photos.services.photo_read checks each one."""

    def __init__(self, *, most: int = 5, **kwargs) -> None:
        self.most = most
        kwargs.setdefault("widget", PhotosInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        files = [one for one in (data if isinstance(data, (list, tuple)) else [data]) if one]
        if len(files) > self.most:
            raise forms.ValidationError(_("Choose at most %(n)d photos.") % {"n": self.most}, code="too_many_photos")
        return [super(PhotosField, self).clean(one, initial) for one in files]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, labels.EVENT_KIND_LABELS[kind]) for kind in EVENT_KINDS]


def region_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(region.code, region.name) for region in region_list()]
    return [("", blank), *choices] if blank is not None else choices


def campaign_choices(*, blank: str | None = None, accepting_events: bool = False) -> list[tuple[str, str]]:
    campaigns = campaigns_accepting_events(today=timezone.localdate()) if accepting_events else campaign_list()
    choices = [(str(campaign.id), campaign.name) for campaign in campaigns]
    return [("", blank), *choices] if blank is not None else choices


class SettlementInput(forms.TextInput):
    """A text input that suggests the settlements of reference/settlements.py as one types (a
    <datalist>: the browser's own autocomplete, no JavaScript)."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-list"
        self.attrs["list"] = list_id
        options = format_html_join("", '<option value="{}"></option>', ((s.label,) for s in settlement_list()))
        return format_html(
            '{}<datalist id="{}">{}</datalist>', super().render(name, value, attrs, renderer), list_id, options
        )


# --- public ----------------------------------------------------------------------------------------


class CoordinateField(forms.FloatField):
    """A latitude or longitude the browser sent ("near me"): a finite number, rounded to seven
    decimals, as the API's CoordinateField (a subnormal or nan must never reach PostgreSQL)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not math.isfinite(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return None if number is None else round(number, 7)


class EventFilterForm(forms.Form):
    NEAR_KM = ((10, _("within 10 km")), (25, _("within 25 km")), (50, _("within 50 km")), (100, _("within 100 km")))

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_("In the title, the place, the organisation or the region."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    near = forms.CharField(label=_("Near a settlement"), required=False, max_length=200, widget=SettlementInput())
    radius_km = forms.TypedChoiceField(
        label=_("Distance"), choices=NEAR_KM, coerce=int, required=False, empty_value=25, initial=25
    )
    # "Near me": where the browser says the visitor is (frontend/assets/nearme.js fills them and
    # empties `near`); rounded there to about a hundred metres, never stored.
    lat = CoordinateField(required=False, min_value=-90, max_value=90)
    lon = CoordinateField(required=False, min_value=-180, max_value=180)
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

    def clean_near(self):
        typed = self.cleaned_data["near"].strip()
        if not typed:
            return None
        found = settlement_find(typed)
        if found is None:
            raise forms.ValidationError(
                _("%(name)s is not in the list of settlements: choose one from the list.") % {"name": typed}
            )
        return found

    def clean(self) -> dict:
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if "lat" in self.errors or "lon" in self.errors or (lat is None) != (lon is None):
            # Hidden fields: what went wrong is said beside the field a person can see.
            self.add_error("near", _("Your location could not be read: try again, or type a settlement."))
        elif lat is not None and not data.get("near"):
            data["near"] = Point(lat, lon)
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                _("The range ends before it starts: give a day on or after %(day)s.") % {"day": day_text(date_from)},
            )
        return data


class RegionsViewForm(forms.Form):
    MODES = (("metric", _("A metric")), ("plan", _("Plan versus fact")))
    BASES = (("raw", _("Total")), ("per_1000", _("Per resident")))

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
        self.fields["period"].choices = [*labels.PERIOD_LABELS.items(), ("campaign", _("The campaign"))]
        self.fields["campaign"].choices = campaign_choices()

    def value(self, name: str, default: str) -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default


class BoardForm(forms.Form):
    """A leaderboard's metric and period (organisations: the headline metrics and hours; volunteers:
    hours or events attended)."""

    metric = forms.ChoiceField(label=_("Rank by"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, metrics: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(labels.METRIC_NAMES)
        if "participants" not in metrics:  # a person's events are the events they attended
            names["events"] = _("Events attended")
        self.fields["metric"].choices = [(m, names[m]) for m in metrics]
        self.fields["period"].choices = list(labels.PERIOD_LABELS.items())

    def value(self, name: str, default: str) -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default


# --- organisers ------------------------------------------------------------------------------------


# The texts an organiser writes in one language or more (events.facts.WRITTEN_FIELDS): a field each
# per language, the title and the address in one at least.
TEXTS = ("title", "description", "address", "what_to_bring")
TEXT_LABELS_IN = {
    ("title", "kk"): _("Title in Kazakh"),
    ("title", "ru"): _("Title in Russian"),
    ("title", "en"): _("Title in English"),
    ("description", "kk"): _("Description in Kazakh"),
    ("description", "ru"): _("Description in Russian"),
    ("description", "en"): _("Description in English"),
    ("address", "kk"): _("Address or meeting point in Kazakh"),
    ("address", "ru"): _("Address or meeting point in Russian"),
    ("address", "en"): _("Address or meeting point in English"),
    ("what_to_bring", "kk"): _("What to bring, in Kazakh"),
    ("what_to_bring", "ru"): _("What to bring, in Russian"),
    ("what_to_bring", "en"): _("What to bring, in English"),
}
ONE_AT_LEAST = {
    "title": _("Write the title in one language at least: readers of another see the first one written."),
    "address": _("Write the address in one language at least: readers of another see the first one written."),
}


def _text(name: str, lang: str, *, max_length: int | None = None, rows: int | None = None) -> forms.CharField:
    """One language's field of a text; the first language's says the rule of the required ones."""
    widget = forms.Textarea(attrs={"rows": rows, "lang": lang}) if rows else forms.TextInput(attrs={"lang": lang})
    return forms.CharField(
        label=TEXT_LABELS_IN[name, lang],
        required=False,
        max_length=max_length,
        widget=widget,
        help_text=ONE_AT_LEAST.get(name, "") if lang == "kk" else "",
    )


class EventDetailsForm(forms.Form):
    """What volunteers read; an edit changes these only (the time changes by rescheduling).

    The texts have a field per language; `details()` gives them to the services as written
    ({language: text}), `initial_for()` fills the fields from them."""

    title_kk = _text("title", "kk", max_length=200)
    title_ru = _text("title", "ru", max_length=200)
    title_en = _text("title", "en", max_length=200)
    description_kk = _text("description", "kk", rows=4)
    description_ru = _text("description", "ru", rows=4)
    description_en = _text("description", "en", rows=4)
    address_kk = _text("address", "kk", max_length=300)
    address_ru = _text("address", "ru", max_length=300)
    address_en = _text("address", "en", max_length=300)
    settlement = forms.CharField(
        label=_("Settlement"),
        required=False,
        max_length=200,
        help_text=_(
            "Start typing the town or village and choose it from the list: with no coordinates below, "
            "the event is placed at its centre."
        ),
        widget=SettlementInput(attrs={"autocomplete": "off"}),
    )
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, help_text=_("Optional, e.g. 51.1283")
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, help_text=_("Optional, e.g. 71.4305")
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=settings.TAZA_EVENT_CAPACITY_MAX, widget=forms.NumberInput()
    )
    what_to_bring_kk = _text("what_to_bring", "kk", rows=2)
    what_to_bring_ru = _text("what_to_bring", "ru", rows=2)
    what_to_bring_en = _text("what_to_bring", "en", rows=2)

    # A service's refusal of a text (under "title", or "title.kk" for one language) beside its field.
    ALIASES = {
        **{name: f"{name}_kk" for name in TEXTS},
        **{f"{name}.{lang}": f"{name}_{lang}" for name in TEXTS for lang in LANGUAGES},
    }

    @staticmethod
    def initial_for(details: dict) -> dict:
        """The form's fields from the details as facts carry them (texts as {language: text})."""
        initial = {name: value for name, value in details.items() if name not in TEXTS}
        for name in TEXTS:
            initial |= {f"{name}_{lang}": (details.get(name) or {}).get(lang, "") for lang in LANGUAGES}
        return initial

    def details(self) -> dict:
        """What the services take (events.facts.DETAIL_FIELDS): each text as written, {language: text}."""
        data = self.cleaned_data
        details = {name: data.get(name) for name in ("latitude", "longitude", "capacity")}
        for name in TEXTS:
            details[name] = {lang: data.get(f"{name}_{lang}") or "" for lang in LANGUAGES}
        return details

    def clean(self) -> dict:
        """The title and the address in one language at least; coordinates typed win, else the
        settlement named gives its centre's."""
        data = super().clean()
        for name in ONE_AT_LEAST:
            if not any((data.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES):
                self.add_error(f"{name}_kk", _("Write it in at least one language: Kazakh, Russian or English."))
        name = data.get("settlement", "").strip()
        if name and data.get("latitude") is None and data.get("longitude") is None:
            settlement = settlement_find(name)
            if settlement is None:
                self.add_error(
                    "settlement",
                    _("%(name)s is not in the list of settlements: choose one from the list, or type the coordinates.")
                    % {"name": name},
                )
            else:
                data["latitude"], data["longitude"] = settlement.latitude, settlement.longitude
        return data


class EventProposeForm(EventDetailsForm):
    campaign = forms.ChoiceField(label=_("Campaign"))
    kind = forms.ChoiceField(label=_("Kind of event"))
    region = forms.ChoiceField(label=_("Region"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_INPUT])

    field_order = [
        "campaign",
        "kind",
        *(f"{name}_{lang}" for name in ("title", "description") for lang in LANGUAGES),
        "region",
        *(f"address_{lang}" for lang in LANGUAGES),
        "settlement",
        "latitude",
        "longitude",
        "starts_at",
        "ends_at",
        "capacity",
        *(f"what_to_bring_{lang}" for lang in LANGUAGES),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = campaign_choices(accepting_events=True)
        self.fields["kind"].choices = kind_choices()
        self.fields["region"].choices = region_choices()
        if not self.fields["campaign"].choices:
            self.fields["campaign"].help_text = _("No campaign accepts events now.")


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
        help_text=_("The 8 characters under the volunteer's QR code, as they read them out: four, a hyphen, four."),
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
    photos_before = PhotosField(label=_("Photos before the work"))
    photos_after = PhotosField(
        label=_("Photos after the work"),
        help_text=_("With check-ins, after-photos raise the result's evidence grade to «with photos»."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in WASTE_KINDS:
            self.fields[f"waste_{kind}"] = forms.DecimalField(
                label=labels.WASTE_KIND_LABELS[kind], min_value=0, decimal_places=3, required=False
            )

    def waste_fields(self):
        return [self[f"waste_{kind}"] for kind in WASTE_KINDS]

    def waste_kg(self) -> dict[str, str]:
        return {
            kind: str(self.cleaned_data[f"waste_{kind}"])
            for kind in WASTE_KINDS
            if self.cleaned_data.get(f"waste_{kind}") is not None
        }


class ResultPhotosForm(forms.Form):
    role = forms.ChoiceField(
        label=_("The photos show"),
        choices=[("after", _("the place after the work")), ("before", _("the place before the work"))],
        initial="after",
        widget=forms.RadioSelect,
    )
    photos = PhotosField(label=_("Photos"), required=True)


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

    def __init__(self, *args, species: Iterable[str] = (), **kwargs) -> None:
        """One field per kind of waste and per species the organiser reported: what the
        coordinator leaves empty keeps the organiser's figure."""
        super().__init__(*args, **kwargs)
        for kind in WASTE_KINDS:
            self.fields[f"waste_{kind}"] = forms.DecimalField(
                label=labels.WASTE_KIND_LABELS[kind],
                min_value=0,
                decimal_places=3,
                required=False,
                help_text=_("Leave empty to keep the organiser's figure."),
            )
        for name in species:
            self.fields[f"species_{name}"] = forms.IntegerField(
                label=_("Trees: %(species)s") % {"species": labels.species_name(name)}, min_value=0, required=False
            )

    def waste_kg(self) -> dict[str, str] | None:
        """The kinds of waste adjusted (None: none is)."""
        given = {
            k: str(self.cleaned_data[f"waste_{k}"])
            for k in WASTE_KINDS
            if self.cleaned_data.get(f"waste_{k}") is not None
        }
        return given or None

    def tree_species(self) -> dict[str, int] | None:
        """The species adjusted (None: none is)."""
        given = {
            name.removeprefix("species_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("species_") and value is not None
        }
        return given or None


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
        queryset=Organisation.objects.all(),
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


class SurvivalCheckForm(forms.Form):
    """A survival check: the day of the count, trees alive of each species planted, a note. One
    field per species (`alive_<n>`, in the planted order): a species' name is the organiser's words."""

    counted_on = forms.DateField(label=_("Counted on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, planted: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.planted = planted
        for n, (species, count) in enumerate(planted.items()):
            self.fields[f"alive_{n}"] = forms.IntegerField(
                label=_("%(species)s alive, of %(planted)d planted")
                % {"species": labels.species_name(species), "planted": count},
                min_value=0,
            )

    def alive_fields(self):
        return [self[f"alive_{n}"] for n in range(len(self.planted))]

    def alive(self) -> dict[str, int]:
        return {species: self.cleaned_data[f"alive_{n}"] for n, species in enumerate(self.planted)}

    def aliases(self) -> dict[str, str]:
        """The service's field names (`alive.<species>`) as this form's."""
        return {f"alive.{species}": f"alive_{n}" for n, species in enumerate(self.planted)}
