from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.strict import QueryInput
from opendata.errata import KINDS
from reference.regions import REGION_CODES


class ErrataQuery(QueryInput, serializers.Serializer):
    region = serializers.ChoiceField(choices=REGION_CODES, required=False, help_text="ISO 3166-2 code of a region.")
    campaign = serializers.UUIDField(required=False, help_text="Only the errata of this campaign's events.")
    kind = serializers.ChoiceField(choices=KINDS, required=False)


class ErratumFiguresSerializer(serializers.Serializer):
    """A result's figures, or for an undone check-in only `volunteers`."""

    waste_kg = serializers.CharField(required=False, help_text="kg, 3 decimal places.")
    waste_kg_by_kind = serializers.DictField(child=serializers.CharField(), required=False)
    trees = serializers.IntegerField(required=False)
    tree_species = serializers.DictField(child=serializers.IntegerField(), required=False)
    area_ha = serializers.CharField(required=False, help_text="ha, 4 decimal places.")
    headcount = serializers.IntegerField(required=False)
    volunteers = serializers.IntegerField(required=False, help_text="Distinct volunteers checked in.")


class ErratumSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="The ledger position of the fact (in the fact feed).")
    fact_id = serializers.UUIDField()
    occurred_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=KINDS)
    event_id = serializers.UUIDField()
    campaign_id = serializers.UUIDField()
    region = serializers.CharField()
    result_version = serializers.IntegerField(allow_null=True, help_text="The result the change concerns.")
    reason = serializers.CharField(
        allow_blank=True, help_text="As given; empty for an undone check-in (words about a person are not published)."
    )
    before = ErratumFiguresSerializer(allow_null=True)
    after = ErratumFiguresSerializer(allow_null=True, help_text="null: after a rejection the event counts nowhere.")


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    mediatype = serializers.CharField()
    url = serializers.URLField()


class ReleaseSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="taza-YYYY-MM-DD")
    made_at = serializers.DateTimeField()
    as_of_position = serializers.IntegerField(help_text="The ledger position every table reflects.")
    as_of_time = serializers.DateTimeField(allow_null=True)
    checkpoint = serializers.JSONField(
        allow_null=True, help_text="The transparency log's checkpoint it reflects; null until the log publishes one."
    )
    license = serializers.CharField(help_text="SPDX id.")
    files = serializers.SerializerMethodField()

    @extend_schema_field(ReleaseFileSerializer(many=True))
    def get_files(self, release) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "name": f["name"],
                "bytes": f["bytes"],
                "sha256": f["sha256"],
                "mediatype": f["mediatype"],
                "url": request.build_absolute_uri(f"/api/v1/open-data/releases/{release.name}/{f['name']}"),
            }
            for f in release.files
        ]
