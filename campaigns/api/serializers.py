"""Input and output shapes of the campaigns API. Inputs check types only; the services check rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.facts import EVENT_KINDS, TARGET_METRICS
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from campaigns.selectors import campaign_targets
from config.strict import SAYS_SOMETHING, DecimalInputField, QueryInput, StrictInput, amount_schema, described
from reference.models import Country, Region
from reference.regions import REGION_CODES


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the language of the request.")
    country = serializers.CharField(source="country_id", read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Residents; null where no figure is known for sure."
    )

    class Meta:
        model = Region
        fields = [
            "code",
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "centre_en",
            "population",
            "country",
            "name_local",
            "centre_local",
            "centre_ru",
        ]


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the language of the request.")
    time_zone = serializers.CharField(read_only=True, help_text="IANA name of the zone its events are held in.")
    population = serializers.IntegerField(read_only=True, allow_null=True)
    population_year = serializers.IntegerField(read_only=True, allow_null=True)
    region_count = serializers.IntegerField(read_only=True, help_text="How many first-level divisions it has.")

    class Meta:
        model = Country
        fields = [
            "code",
            "name",
            "name_local",
            "name_kk",
            "name_ru",
            "name_en",
            "time_zone",
            "population",
            "population_year",
            "population_source",
            "region_count",
        ]


# --- input ------------------------------------------------------------------------------------------


class LocalisedTextSerializer(StrictInput, serializers.Serializer):
    kk = serializers.CharField(required=False, allow_blank=True, help_text="Kazakh")
    ru = serializers.CharField(required=False, allow_blank=True, help_text="Russian")
    en = serializers.CharField(required=False, allow_blank=True, help_text="English")


# The names a campaign must have, in the three languages (the service says so in words).
NAMES = {
    "type": "object",
    "properties": {
        language: {"type": "string", "minLength": 1, "maxLength": 200, "pattern": SAYS_SOMETHING}
        for language in ("kk", "ru", "en")
    },
    "required": ["kk", "ru", "en"],
}


class TargetInputSerializer(StrictInput, serializers.Serializer):
    region = described(
        serializers.CharField(help_text="ISO 3166-2 code of the region, e.g. `KZ-10`."),
        {"type": "string", "enum": list(REGION_CODES)},
    )
    metric = described(serializers.CharField(), {"type": "string", "enum": list(TARGET_METRICS)})
    value = described(
        DecimalInputField(help_text="Zero or more; whole for events, participants and trees; waste in kg, area in ha."),
        amount_schema(places=3, below=10**13),
    )


class CampaignLaunchInputSerializer(StrictInput, serializers.Serializer):
    name = described(LocalisedTextSerializer(help_text="Required in all three languages."), NAMES)
    description = LocalisedTextSerializer(required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    event_kinds = described(
        serializers.ListField(child=serializers.CharField(), help_text="Kinds of events the campaign covers."),
        {"type": "array", "items": {"type": "string", "enum": list(EVENT_KINDS)}, "minItems": 1},
    )
    targets = TargetInputSerializer(many=True, required=False, help_text="The first targets; may come later.")


class CampaignTargetsSetInputSerializer(StrictInput, serializers.Serializer):
    targets = serializers.ListField(
        child=TargetInputSerializer(), min_length=1, help_text="The regions and metrics named get these values."
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why the targets change; kept in the history.")
    expected_version = serializers.IntegerField(
        required=False, min_value=0, help_text="The campaign's `version` you read; a later change makes this 409."
    )


class CampaignCloseInputSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False, min_value=0)


class CampaignFilterSerializer(QueryInput, serializers.Serializer):
    status = serializers.ChoiceField(choices=Campaign.Status.choices, required=False)
    active_on = serializers.DateField(required=False, help_text="Only campaigns whose period contains this day.")


class TargetHistoryFilterSerializer(QueryInput, serializers.Serializer):
    region = serializers.CharField(required=False, help_text="ISO 3166-2 code of a region.")
    metric = serializers.ChoiceField(choices=TARGET_METRICS, required=False)


# --- output -----------------------------------------------------------------------------------------


class CampaignTargetSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name", help_text="In the language of the request.")
    value = serializers.DecimalField(max_digits=16, decimal_places=3)
    revision = serializers.IntegerField(help_text="The campaign version that set this target.")

    class Meta:
        model = CampaignTarget
        fields = ["region", "region_name", "metric", "value", "revision"]


class CampaignTargetRevisionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    value = serializers.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        model = CampaignTargetRevision
        fields = ["revision", "region", "region_name", "metric", "value", "reason", "set_at"]


class CampaignSerializer(serializers.ModelSerializer):
    name = serializers.CharField(help_text="In the language of the request (Accept-Language: kk, ru, en).")
    description = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back as `expected_version` when you change the campaign.")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "description",
            "description_kk",
            "description_ru",
            "description_en",
            "starts_on",
            "ends_on",
            "event_kinds",
            "status",
            "version",
            "launched_at",
            "closed_at",
        ]


class CampaignDetailSerializer(CampaignSerializer):
    targets = serializers.SerializerMethodField(
        help_text="The targets in force: the latest for each region and metric."
    )

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "targets"]

    @extend_schema_field(CampaignTargetSerializer(many=True))
    def get_targets(self, campaign: Campaign) -> list:
        return CampaignTargetSerializer(campaign_targets(campaign_id=campaign.id), many=True).data
