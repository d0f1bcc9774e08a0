"""Input and output shapes of the dumps API. Inputs check types only; the services check rules.
No output names a person: not the reporter, not the coordinator, not the organiser."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.strict import SAYS_SOMETHING, QueryInput, StrictInput, described
from dumps.facts import DUMP_WASTE_KINDS, SIZES
from dumps.models import Dump
from dumps.selectors import dump_history
from photos.api.serializers import PhotoSerializer
from photos.selectors import dump_photos
from reference.regions import REGION_CODES

REGION = {"type": "string", "enum": list(REGION_CODES)}


class DumpReportInputSerializer(StrictInput, serializers.Serializer):
    latitude = serializers.FloatField(min_value=40.5, max_value=55.5, help_text="WGS 84, in Kazakhstan.")
    longitude = serializers.FloatField(min_value=46.4, max_value=87.4)
    size = serializers.ChoiceField(
        choices=SIZES, help_text="The dump's rough area: under 10 m², 10 to 100 m², over 100 m²."
    )
    waste_kinds = described(
        serializers.ListField(child=serializers.ChoiceField(choices=DUMP_WASTE_KINDS), min_length=1),
        {"type": "array", "items": {"type": "string", "enum": list(DUMP_WASTE_KINDS)}, "minItems": 1},
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    region = serializers.ChoiceField(
        choices=REGION_CODES,
        required=False,
        help_text="The region, when you know it; else the one whose administrative centre is nearest.",
    )


class DumpReasonInputSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DumpRequiredReasonInputSerializer(StrictInput, serializers.Serializer):
    reason = described(
        serializers.CharField(max_length=2000, help_text="Why: shown on the dump's public page."),
        {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": SAYS_SOMETHING},
    )


class DumpLiquidateInputSerializer(DumpReasonInputSerializer):
    photo_ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=20,
        help_text=(
            "After-photos uploaded for this dump's liquidation (`POST /api/v1/photos/`, subject "
            "`dump_liquidation`), named in the fact; shown on the dump's page."
        ),
    )


class DumpMergeInputSerializer(DumpReasonInputSerializer):
    into_dump_id = serializers.UUIDField(help_text="The open dump of the same region this report is.")


class DumpLinkInputSerializer(StrictInput, serializers.Serializer):
    event_id = serializers.UUIDField(help_text="An approved clean-up event of the dump's region you organise.")


class DumpFilterSerializer(QueryInput, serializers.Serializer):
    region = serializers.ChoiceField(choices=REGION_CODES, required=False)
    status = serializers.ChoiceField(choices=Dump.Status.choices, required=False)


class NearbyFilterSerializer(QueryInput, serializers.Serializer):
    latitude = serializers.FloatField(min_value=40.5, max_value=55.5)
    longitude = serializers.FloatField(min_value=46.4, max_value=87.4)


# --- output -------------------------------------------------------------------------------------------


class DumpSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name", help_text="In the language of the request.")
    area_m2 = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    merged_into = serializers.UUIDField(source="merged_into_id", allow_null=True)
    event_id = serializers.UUIDField(allow_null=True, help_text="The clean-up event linked to it now.")
    cleared_by_event_id = serializers.UUIDField(allow_null=True, help_text="The event that liquidated it.")
    version = serializers.IntegerField()

    class Meta:
        model = Dump
        fields = [
            "id",
            "origin",
            "source",
            "source_id",
            "region",
            "region_name",
            "latitude",
            "longitude",
            "size",
            "area_m2",
            "waste_kinds",
            "note",
            "detected_on",
            "status",
            "status_reason",
            "event_id",
            "cleared_by_event_id",
            "merged_into",
            "reports_merged",
            "version",
            "reported_at",
            "decided_at",
            "liquidated_at",
        ]


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    type = serializers.CharField(help_text="The fact: DumpReported, DumpConfirmed, DumpLinked, DumpLiquidated…")
    occurred_at = serializers.DateTimeField()
    reason = serializers.CharField()
    event_id = serializers.UUIDField(allow_null=True)
    into_dump_id = serializers.UUIDField(allow_null=True)


class DumpPhotosSerializer(serializers.Serializer):
    before = PhotoSerializer(many=True, help_text="The report's photos (public from its confirmation).")
    after = PhotoSerializer(many=True, help_text="The liquidation's after-photos.")


class DumpDetailSerializer(DumpSerializer):
    history = serializers.SerializerMethodField(help_text="The dump's facts in order, with their reasons.")
    photos = serializers.SerializerMethodField(help_text="Its public photos, not hidden, their public files made.")

    class Meta(DumpSerializer.Meta):
        fields = [*DumpSerializer.Meta.fields, "history", "photos"]

    @extend_schema_field(DumpPhotosSerializer)
    def get_photos(self, dump: Dump) -> dict:
        return DumpPhotosSerializer(dump_photos(dump.id)).data

    @extend_schema_field(StepSerializer(many=True))
    def get_history(self, dump: Dump) -> list:
        return StepSerializer(dump_history(dump), many=True).data


class CandidateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="dump.id")
    status = serializers.CharField(source="dump.status")
    latitude = serializers.FloatField(source="dump.latitude")
    longitude = serializers.FloatField(source="dump.longitude")
    distance_m = serializers.FloatField(help_text="Metres from the point asked.")


class DumpReportAnswerSerializer(serializers.Serializer):
    dump = DumpSerializer()
    same_place = CandidateSerializer(
        many=True, help_text="Open public dumps within TAZA_DUMP_SAME_PLACE_METRES: perhaps the same dump."
    )


class RateSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    found = serializers.IntegerField(help_text="Confirmed or imported, not dismissed: open or liquidated.")
    liquidated = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, help_text="liquidated / found")


class RatesSerializer(serializers.Serializer):
    national = RateSerializer()
    regions = RateSerializer(many=True)


class ImportSourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    dumps = serializers.IntegerField()
    liquidated = serializers.IntegerField()
    last_imported_at = serializers.DateTimeField()
