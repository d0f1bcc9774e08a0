"""Input and output shapes of the events API. Inputs check types only; the services check rules."""

from __future__ import annotations

import math

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.facts import EVENT_KINDS
from config.languages import LANGUAGES, WrittenTextField, written_schema
from config.strict import (
    COUNT_SCHEMA,
    SAYS_SOMETHING,
    DecimalInputField,
    QueryInput,
    StrictInput,
    amount_schema,
    described,
)
from events.evidence import GRADES, SIGNAL_CODES
from events.facts import CHECKIN_METHODS, MATERIAL_FIELDS, WASTE_KINDS
from events.hours import hours
from events.models import (
    CheckIn,
    Event,
    EventChange,
    Registration,
    Result,
    ResultReport,
    ResultVerification,
    SurvivalCheck,
)
from events.rules import may_oversee
from events.selectors import (
    change_diff,
    event_pending_change,
    finder_when,
    result_grade,
    result_signals_for,
    volunteer_names,
    waitlist_position,
)
from events.survival import survival_rate
from reference.regions import REGION_CODES

MAX_UPLOAD_ITEMS = 500

# --- filters -------------------------------------------------------------------------------------------


class CoordinateField(serializers.FloatField):
    """A latitude or longitude: a finite number, rounded to seven decimals (a centimetre).

    `nan` passes FloatField's range check (every comparison with it is false) and a subnormal
    such as 5e-324 made PostgreSQL's radians() underflow: either was a 500 on the near-point search.
    """

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return round(value, 7)


class EventFilterSerializer(QueryInput, serializers.Serializer):
    region = serializers.ChoiceField(
        choices=REGION_CODES, required=False, help_text="ISO 3166-2 code, e.g. `KZ-71` (Astana)."
    )
    campaign = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=EVENT_KINDS, required=False)
    status = serializers.ChoiceField(
        choices=Event.Status.values,
        required=False,
        help_text="Other than approved and cancelled, only events you organise or coordinate.",
    )
    date_from = serializers.DateField(required=False, help_text="Events still going on this day or later.")
    date_to = serializers.DateField(
        required=False, help_text="Events starting on this day or earlier; not before `date_from` (else 400)."
    )
    lat = CoordinateField(required=False, min_value=-90, max_value=90, help_text="Near a point: latitude.")
    lon = CoordinateField(required=False, min_value=-180, max_value=180, help_text="Near a point: longitude.")
    radius_km = serializers.FloatField(
        required=False, min_value=0.1, max_value=2000, default=25, help_text="Near a point: how far (km)."
    )
    q = described(
        serializers.CharField(
            required=False,
            max_length=200,
            allow_blank=True,
            trim_whitespace=False,
            help_text=(
                "Words, each to be found (case-insensitive) in the title, address or description, the "
                "organisation's name or the region's name in kk, ru or en; at most 8 are used."
            ),
        ),
        {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\u0000]*$"},
    )
    when = serializers.ChoiceField(
        choices=["upcoming", "past", "all"],
        required=False,
        help_text=(
            "upcoming: events not ended yet, the soonest first; past: ended events, the latest first; "
            "all: every event, the earliest first. Without it: upcoming, or all when `campaign`, "
            "`date_from` or `date_to` is given (a past campaign lists its events)."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        if ("lat" in attrs) != ("lon" in attrs):
            raise serializers.ValidationError({"lat" if "lat" not in attrs else "lon": ["Give lat and lon together."]})
        if "lat" in attrs:
            attrs["near"] = (attrs.pop("lat"), attrs.pop("lon"), attrs.pop("radius_km"))
        else:
            attrs.pop("radius_km", None)
        if "date_from" in attrs and "date_to" in attrs and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError(
                {"date_to": [_("The range ends before it starts: date_to is before date_from.")]}
            )
        if "campaign" in attrs:
            attrs["campaign_id"] = attrs.pop("campaign")
        if "q" in attrs:
            attrs["words"] = attrs.pop("q")
        if "when" not in attrs:
            attrs["when"] = finder_when(
                campaign_id=attrs.get("campaign_id"), date_from=attrs.get("date_from"), date_to=attrs.get("date_to")
            )
        return attrs


class RegistrationFilterSerializer(QueryInput, serializers.Serializer):
    status = serializers.ChoiceField(choices=Registration.Status.values, required=False)


# --- inputs --------------------------------------------------------------------------------------------


# What the services require of an event's details, said in the schema (the services say it in words).
TITLE = written_schema(max_length=200, required=True)
ADDRESS = written_schema(max_length=300, required=True)
FREE_TEXT = written_schema(max_length=5000, required=False)
LATITUDE = {"type": "number", "minimum": -90, "maximum": 90}
LONGITUDE = {"type": "number", "minimum": -180, "maximum": 180}
CAPACITY = {"type": "integer", "minimum": 1, "maximum": settings.TAZA_EVENT_CAPACITY_MAX}
REASON = {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": SAYS_SOMETHING}
WASTE_AMOUNT = amount_schema(places=3, below=10**9)
AREA = amount_schema(places=4, below=10**9)


class EventProposeInputSerializer(StrictInput, serializers.Serializer):
    campaign_id = serializers.UUIDField()
    kind = described(
        serializers.CharField(help_text="The campaign must cover it."), {"type": "string", "enum": list(EVENT_KINDS)}
    )
    title = described(WrittenTextField(one_at_least=True, help_text="Written in kk, ru or en: at least one."), TITLE)
    description = described(WrittenTextField(required=False, default=""), FREE_TEXT)
    region = described(
        serializers.CharField(help_text="ISO 3166-2 code of the region."),
        {"type": "string", "enum": list(REGION_CODES)},
    )
    address = described(
        WrittenTextField(one_at_least=True, help_text="Written in kk, ru or en: at least one."), ADDRESS
    )
    latitude = described(
        serializers.FloatField(required=False, allow_null=True, default=None), {**LATITUDE, "nullable": True}
    )
    longitude = described(
        serializers.FloatField(required=False, allow_null=True, default=None), {**LONGITUDE, "nullable": True}
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = described(serializers.IntegerField(), CAPACITY)
    what_to_bring = described(WrittenTextField(required=False, default=""), FREE_TEXT)
    organisation_id = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Admins only; organisers act for their own."
    )


class EventEditInputSerializer(StrictInput, serializers.Serializer):
    """Only the fields given change. The time changes by rescheduling. A text given as an object is
    the field as written from now on; a plain text replaces the request's language's only."""

    title = described(WrittenTextField(required=False, one_at_least=True), TITLE)
    description = described(WrittenTextField(required=False), FREE_TEXT)
    address = described(WrittenTextField(required=False, one_at_least=True), ADDRESS)
    latitude = described(serializers.FloatField(required=False), LATITUDE)
    longitude = described(serializers.FloatField(required=False), LONGITUDE)
    capacity = described(
        serializers.IntegerField(required=False, help_text="More places promote the waitlist in order."), CAPACITY
    )
    what_to_bring = described(WrittenTextField(required=False), FREE_TEXT)


class PendingChangeFilterSerializer(QueryInput, serializers.Serializer):
    region = serializers.CharField(required=False, help_text="ISO 3166-2 code; admins only narrow by it.")


class ChangeApproveInputSerializer(StrictInput, serializers.Serializer):
    change_id = serializers.UUIDField(help_text="The pending change you read (`pending_change.id`).")


class ChangeRejectInputSerializer(StrictInput, serializers.Serializer):
    change_id = serializers.UUIDField(help_text="The pending change you read (`pending_change.id`).")
    reason = described(serializers.CharField(allow_blank=True, help_text="Why; the organiser reads it."), REASON)


class ReasonInputSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInputSerializer(StrictInput, serializers.Serializer):
    reason = described(serializers.CharField(help_text="Why; the organiser reads it."), REASON)


class RescheduleInputSerializer(StrictInput, serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PassCheckInInputSerializer(StrictInput, serializers.Serializer):
    token = serializers.CharField(
        help_text=(
            "The text of the scanned QR code, or the pass's short code as typed (8 characters, "
            "`XXXX-XXXX`, Crockford base32 with a check character; hyphens, spaces and case do not matter)."
        )
    )
    fact_id = serializers.UUIDField(required=False, help_text="The client's id of this check-in (offline queues).")
    checked_in_at = serializers.DateTimeField(required=False, help_text="When it happened; now if left out.")


class RosterCheckInInputSerializer(StrictInput, serializers.Serializer):
    registration_id = serializers.UUIDField()
    fact_id = serializers.UUIDField(required=False)
    checked_in_at = serializers.DateTimeField(required=False)


class CodeCheckInInputSerializer(StrictInput, serializers.Serializer):
    code = serializers.CharField(help_text="The event code shown on site.")


class UploadItemInputSerializer(StrictInput, serializers.Serializer):
    fact_id = serializers.UUIDField(help_text="Chosen by the phone when it recorded the check-in.")
    checked_in_at = serializers.DateTimeField()
    token = serializers.CharField(required=False, allow_blank=True, default="")
    registration_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class UploadInputSerializer(StrictInput, serializers.Serializer):
    # A ListField, so the schema says minItems 1 and maxItems as the service takes them.
    items = serializers.ListField(child=UploadItemInputSerializer(), min_length=1, max_length=MAX_UPLOAD_ITEMS)


class CheckInUndoInputSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(help_text="Why the check-in was wrong; kept with the fact.")


class CheckInUndoSerializer(serializers.Serializer):
    checkin_id = serializers.UUIDField()
    event_id = serializers.UUIDField()
    reason = serializers.CharField()
    undone_at = serializers.DateTimeField()
    checked_in_count = serializers.IntegerField(help_text="The event's check-ins after the undo.")


class CheckOutInputSerializer(StrictInput, serializers.Serializer):
    checkin_id = serializers.UUIDField(
        required=False, help_text="Organisers: the check-in's `id` (from the check-in list); leave out for yourself."
    )
    checked_out_at = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict) -> dict:
        # An old client that still names the volunteer would otherwise check out the sender.
        if isinstance(self.initial_data, dict) and "volunteer_id" in self.initial_data:
            raise serializers.ValidationError({"volunteer_id": [_("Name the check-in by its id: checkin_id.")]})
        return attrs


def _amounts(*, required: bool = True, help_text: str = "") -> serializers.DictField:
    return described(
        serializers.DictField(
            required=required,
            child=DecimalInputField(),
            help_text=f"Kilograms by kind ({', '.join(WASTE_KINDS)}), as decimal strings or numbers. "
            f"{help_text}".strip(),
        ),
        {
            "type": "object",
            "properties": dict.fromkeys(WASTE_KINDS, WASTE_AMOUNT),
            "additionalProperties": False,
        },
    )


class ResultLogInputSerializer(StrictInput, serializers.Serializer):
    waste_kg = _amounts()
    trees = described(serializers.IntegerField(), COUNT_SCHEMA)
    tree_species = described(
        serializers.DictField(child=serializers.IntegerField(), required=False, default=dict),
        {"type": "object", "additionalProperties": COUNT_SCHEMA},
    )
    area_ha = described(DecimalInputField(), AREA)
    headcount = described(serializers.IntegerField(help_text="Participants who did not register."), COUNT_SCHEMA)
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    correction_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when correcting a logged result."
    )


class ResultVerifyInputSerializer(StrictInput, serializers.Serializer):
    decision = described(
        serializers.CharField(help_text="accepted, adjusted or rejected."),
        {"type": "string", "enum": ["accepted", "adjusted", "rejected"]},
    )
    result_version = serializers.IntegerField(
        help_text="The result's `version` you judged (the latest report's): refused if a newer report came in."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    waste_kg = _amounts(
        required=False,
        help_text="When adjusting: kilograms of the kinds you change; a kind left out keeps the organiser's figure.",
    )
    trees = described(serializers.IntegerField(required=False), COUNT_SCHEMA)
    tree_species = described(
        serializers.DictField(
            child=serializers.IntegerField(),
            required=False,
            help_text=(
                "When adjusting: trees of the species you change; a species left out keeps the organiser's count."
            ),
        ),
        {"type": "object", "additionalProperties": COUNT_SCHEMA},
    )
    area_ha = described(DecimalInputField(required=False), AREA)
    headcount = described(serializers.IntegerField(required=False), COUNT_SCHEMA)


class AccountDeleteInputSerializer(StrictInput, serializers.Serializer):
    confirm = described(
        serializers.BooleanField(help_text="Must be true: the account cannot be brought back."),
        {"type": "boolean", "enum": [True]},
    )


# --- outputs -------------------------------------------------------------------------------------------


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(help_text="In the language of the request, else the first written (kk, ru, en).")
    name_by_language = serializers.DictField(child=serializers.CharField(), help_text="The languages written.")


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=MATERIAL_FIELDS)
    language = serializers.ChoiceField(
        choices=LANGUAGES, allow_null=True, help_text="Of a text: each language that differs is a change of its own."
    )
    old = serializers.JSONField(help_text='As approved (a text, "" where not written; a coordinate or null).')
    new = serializers.JSONField(help_text="As proposed.")


WRITTEN_SCHEMA = {
    "type": "object",
    "properties": {lang: {"type": "string"} for lang in LANGUAGES},
    "additionalProperties": False,
    "description": "The languages written (kk, ru, en), only those.",
}


class WrittenMixin(serializers.Serializer):
    """`<text>` in the request's language (else the first written, in the order kk, ru, en) and
    `<text>_by_language`, every language written, for each text of an event."""

    title_by_language = serializers.SerializerMethodField()
    address_by_language = serializers.SerializerMethodField()

    @extend_schema_field(WRITTEN_SCHEMA)
    def get_title_by_language(self, event: Event) -> dict:
        return event.written("title")

    @extend_schema_field(WRITTEN_SCHEMA)
    def get_address_by_language(self, event: Event) -> dict:
        return event.written("address")


class EventChangeSerializer(serializers.ModelSerializer):
    """A change to what the public reads of an approved event, with its diff."""

    event_id = serializers.UUIDField()
    changes = serializers.SerializerMethodField(help_text="Only the fields that differ, old to new.")

    class Meta:
        model = EventChange
        fields = ["id", "event_id", "status", "changes", "reason", "proposed_at", "decided_at"]

    @extend_schema_field(FieldChangeSerializer(many=True))
    def get_changes(self, change: EventChange) -> list[dict]:
        return [{"field": c.field, "language": c.language, "old": c.old, "new": c.new} for c in change_diff(change)]


class EventSerializer(WrittenMixin, serializers.ModelSerializer):
    campaign_id = serializers.UUIDField()
    title = serializers.CharField(help_text="In the language of the request, else the first written (kk, ru, en).")
    description = serializers.CharField()
    address = serializers.CharField()
    what_to_bring = serializers.CharField()
    description_by_language = serializers.SerializerMethodField()
    what_to_bring_by_language = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    places_left = serializers.IntegerField()
    short_code = serializers.SerializerMethodField(
        help_text="The code volunteers type on site; only for the event's organisers and coordinators."
    )
    distance_km = serializers.SerializerMethodField(help_text="With lat/lon filters: the distance from the point.")
    pending_change = serializers.SerializerMethodField(
        help_text=(
            "The organiser's change awaiting the coordinator (the event reads as approved until then); "
            "only for the event's organisers and coordinators, else null."
        )
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "campaign_id",
            "organisation",
            "kind",
            "title",
            "title_by_language",
            "description",
            "description_by_language",
            "region",
            "region_name",
            "address",
            "address_by_language",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "capacity",
            "registered_count",
            "waitlisted_count",
            "places_left",
            "checked_in_count",
            "what_to_bring",
            "what_to_bring_by_language",
            "status",
            "status_reason",
            "short_code",
            "distance_km",
            "pending_change",
            "version",
        ]

    @extend_schema_field(WRITTEN_SCHEMA)
    def get_description_by_language(self, event: Event) -> dict:
        return event.written("description")

    @extend_schema_field(WRITTEN_SCHEMA)
    def get_what_to_bring_by_language(self, event: Event) -> dict:
        return event.written("what_to_bring")

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, event: Event) -> dict | None:
        organisation = event.organisation if event.organisation_id else None
        if organisation is None:
            return None
        return {"id": organisation.id, "name": organisation.name, "name_by_language": organisation.written_names}

    @extend_schema_field({"type": "string", "nullable": True})
    def get_short_code(self, event: Event) -> str | None:
        request = self.context.get("request")
        return event.short_code if request is not None and may_oversee(request.user, event) else None

    @extend_schema_field(EventChangeSerializer(allow_null=True))
    def get_pending_change(self, event: Event) -> dict | None:
        request = self.context.get("request")
        if request is None or event.status != Event.Status.APPROVED or not may_oversee(request.user, event):
            return None  # asked only of the people in charge: the public list costs no query
        change = event_pending_change(event=event)
        return EventChangeSerializer(change).data if change is not None else None

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_distance_km(self, event: Event) -> float | None:
        distance = getattr(event, "distance_km", None)
        return round(distance, 2) if distance is not None else None


class EventSummarySerializer(WrittenMixin, serializers.ModelSerializer):
    title = serializers.CharField(help_text="In the language of the request, else the first written (kk, ru, en).")
    address = serializers.CharField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "title_by_language",
            "kind",
            "address",
            "address_by_language",
            "starts_at",
            "ends_at",
            "status",
        ]


class PendingEventChangeSerializer(EventChangeSerializer):
    """A pending change in the coordinators' work list: the event as the public reads it, and the diff."""

    event = EventSummarySerializer(read_only=True)

    class Meta(EventChangeSerializer.Meta):
        fields = [*EventChangeSerializer.Meta.fields, "event"]


class RegistrationSerializer(serializers.ModelSerializer):
    event = EventSummarySerializer()
    waitlist_position = serializers.SerializerMethodField(help_text="1 = the next to get a place.")
    pass_url = serializers.SerializerMethodField(help_text="The QR pass (SVG) while the registration is live.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "status",
            "waitlist_position",
            "registered_at",
            "promoted_at",
            "cancelled_at",
            "pass_url",
        ]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_waitlist_position(self, registration: Registration) -> int | None:
        return waitlist_position(registration)

    # A path on this site, not an absolute URL: uri-reference, and null once cancelled.
    @extend_schema_field({"type": "string", "format": "uri-reference", "nullable": True})
    def get_pass_url(self, registration: Registration) -> str | None:
        if registration.status == Registration.Status.CANCELLED:
            return None
        return reverse("events-api:registration-pass-svg", kwargs={"registration_id": registration.id})


class PassSerializer(serializers.Serializer):
    registration_id = serializers.UUIDField()
    event_id = serializers.UUIDField()
    token = serializers.CharField(help_text="What the QR code carries; the organiser's scanner sends it back.")
    code = serializers.CharField(
        help_text=(
            "The same pass as 8 characters to read out when the QR code cannot be scanned, shown as XXXX-XXXX "
            "(Crockford base32 with a check character); `POST /events/{event_id}/checkins/pass/` takes it as `token`."
        )
    )
    svg_url = serializers.CharField()


class RosterLineSerializer(serializers.Serializer):
    """A place at the event as the people in charge see it: who (by name) and its state. Not the
    volunteer's id: it is the same at every event, and an organiser needs none to run this one."""

    registration_id = serializers.UUIDField()
    name = serializers.CharField(help_text='"deleted volunteer" once the account is gone.')
    email = serializers.CharField()
    status = serializers.CharField()
    waitlist_order = serializers.IntegerField(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    method = serializers.CharField(allow_null=True)


class CheckInSerializer(serializers.ModelSerializer):
    """A check-in, named by its own id and its place (`registration_id`), never by the volunteer's
    id: the people in charge need no id that is the same at every event to run this one."""

    volunteer_name = serializers.SerializerMethodField()
    hours = serializers.SerializerMethodField(help_text="Volunteer time, to the check-out or the event's end.")
    method = serializers.ChoiceField(choices=CHECKIN_METHODS)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "event_id",
            "volunteer_name",
            "registration_id",
            "method",
            "checked_in_at",
            "checked_out_at",
            "hours",
        ]

    def get_volunteer_name(self, checkin: CheckIn) -> str:
        names = self.context.get("names")
        if names is None:
            names = volunteer_names([checkin.volunteer_id])
        return names.get(checkin.volunteer_id, "")

    @extend_schema_field(OpenApiTypes.STR)
    def get_hours(self, checkin: CheckIn) -> str:
        return str(hours(checkin.seconds(now=timezone.now())))


class CheckInOutcomeSerializer(serializers.Serializer):
    checkin = CheckInSerializer()
    recorded = serializers.BooleanField(help_text="False when the volunteer was counted before: nothing new.")


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class UploadAnswerSerializer(serializers.Serializer):
    fact_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["ok", "duplicate", "error"])
    checkin = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    @extend_schema_field(CheckInSerializer(allow_null=True))
    def get_checkin(self, answer) -> dict | None:
        return CheckInSerializer(answer.checkin, context=self.context).data if answer.checkin else None

    @extend_schema_field(ErrorBodySerializer(allow_null=True))
    def get_error(self, answer) -> dict | None:
        if answer.error is None:
            return None
        return {"code": answer.error.code, "message": answer.error.message, "fields": answer.error.fields}


class UploadOutputSerializer(serializers.Serializer):
    results = UploadAnswerSerializer(many=True)


class ResultReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultReport
        fields = [
            "version",
            "waste_kg",
            "trees",
            "tree_species",
            "area_ha",
            "headcount",
            "justification",
            "correction_reason",
            "logged_at",
        ]
        extra_kwargs = {
            "version": {
                "help_text": (
                    "Names this report: the event's version (the count of facts on the event's stream; "
                    "attendance has streams of its own) when it was logged, so reports of one event have "
                    "increasing, not consecutive, numbers."
                )
            }
        }


class ResultVerificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultVerification
        fields = [
            "result_version",
            "decision",
            "waste_kg",
            "trees",
            "tree_species",
            "area_ha",
            "headcount",
            "reason",
            "verified_at",
        ]
        extra_kwargs = {"result_version": {"help_text": "The `version` of the report this decision judged."}}


class FigureSerializer(serializers.Serializer):
    reported = serializers.CharField()
    verified = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["verified", "awaiting", "rejected"])


class SignalSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=SIGNAL_CODES)
    message = serializers.CharField(help_text="Why, in plain words and the reader's language.")


class ResultSerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField()
    evidence_grade = serializers.SerializerMethodField(
        help_text=(
            "How strong the figures are, weakest first: `organiser_word` (the organiser's figures only), "
            "`with_checkins` (the event has check-ins recorded), `with_photos` (check-ins and after-photos of "
            "the result, not hidden), `verified` (the region's coordinator verified the figures that count; "
            "they stay so while a correction awaits or after one is rejected). The same grade as the event "
            "page and the open-data release's results table (events.evidence)."
        )
    )
    signals = serializers.SerializerMethodField(
        help_text=(
            "For the event's organisers and its region's coordinator (null for anyone else): what stands "
            "out in the latest report, each with why. `headcount_above_checkins`: the head-count is more "
            "than 1.5 x the check-ins + 10; `waste_kg_above_limit`, `trees_above_limit`, `area_ha_above_limit`: "
            "above the plausibility limit per participant (TAZA_RESULT_MAX_*) for the check-ins plus the "
            "head-count; `photo_used_twice`, `photo_far_from_event`, `photo_on_another_day`: of the result's photos "
            "(a perceptual hash near another subject's photo, the EXIF location far from the event's place, an "
            "after-photo's EXIF day not the event's). Signals inform; they never block a verification."
        )
    )
    report = ResultReportSerializer(help_text="The result in force (the latest report).")
    figures = serializers.DictField(
        child=FigureSerializer(), help_text='Each figure, verified or awaiting: "waste_kg.plastic", "trees", …'
    )
    reports = serializers.SerializerMethodField(help_text="Every report, corrections included, oldest first.")
    verifications = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = [
            "event_id",
            "version",
            "status",
            "verified_version",
            "evidence_grade",
            "signals",
            "figures",
            "report",
            "reports",
            "verifications",
        ]
        extra_kwargs = {
            "version": {
                "help_text": (
                    "The `version` of the report in force (the latest). Send it as `result_version` to "
                    "verify: a correction logged meanwhile is then refused, not judged unseen."
                )
            },
            "verified_version": {
                "help_text": "The `version` of the report a coordinator last decided on, whichever the decision "
                "(`status` says it: a rejected correction leaves the figures verified before it standing); null if "
                "none was decided."
            },
        }

    @extend_schema_field(serializers.ChoiceField(choices=GRADES))
    def get_evidence_grade(self, result: Result) -> str:
        return result_grade(result.event, result)

    @extend_schema_field(SignalSerializer(many=True, allow_null=True))
    def get_signals(self, result: Result) -> list | None:
        request = self.context.get("request")
        if request is None or not may_oversee(request.user, result.event):
            return None
        return [{"code": s.code, "message": s.message} for s in result_signals_for(result.event, result)]

    @extend_schema_field(ResultReportSerializer(many=True))
    def get_reports(self, result: Result) -> list:
        return ResultReportSerializer(result.event.result_reports.order_by("version"), many=True).data

    @extend_schema_field(ResultVerificationSerializer(many=True))
    def get_verifications(self, result: Result) -> list:
        return ResultVerificationSerializer(
            result.event.result_verifications.order_by("verified_at", "id"), many=True
        ).data


class SurvivalCheckInputSerializer(StrictInput, serializers.Serializer):
    counted_on = serializers.DateField(
        help_text=(
            "The day of the count. Its label follows from it: 3 months after the event a season, 12 a year, "
            "36 three years; earlier is refused (`survival_check_too_early`)."
        )
    )
    alive = described(
        serializers.DictField(
            child=serializers.IntegerField(),
            help_text=(
                "Trees alive by species, every species of the verified result once (`unspecified` when it named "
                "none), none above its planted count."
            ),
        ),
        {"type": "object", "additionalProperties": COUNT_SCHEMA},
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class SurvivalCheckSerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField()
    label = serializers.ChoiceField(choices=["season", "year", "three_years"])
    survival_rate = serializers.SerializerMethodField(help_text="alive_total / planted_total, 4 decimal places.")

    class Meta:
        model = SurvivalCheck
        fields = [
            "event_id",
            "version",
            "label",
            "counted_on",
            "alive",
            "planted",
            "alive_total",
            "planted_total",
            "survival_rate",
            "counted_as",
            "note",
            "current",
            "recorded_at",
        ]
        extra_kwargs = {
            "current": {"help_text": "False once a later check of the same label corrected it."},
            "counted_as": {"help_text": "organiser or coordinator: who counted, not which account."},
        }

    def get_survival_rate(self, check: SurvivalCheck) -> str | None:
        return survival_rate(check.planted_total, check.alive_total)
