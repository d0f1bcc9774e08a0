"""Query parameters of the stats API (validated) and the shapes of its answers (documented)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.strict import QueryInput
from events.facts import WASTE_KINDS
from stats.metrics import PUBLIC_METRICS
from stats.selectors import PERIODS, VOLUNTEER_METRICS

# --- queries ----------------------------------------------------------------------------------------


class CheckpointQuery(QueryInput, serializers.Serializer):
    checkpoint = serializers.IntegerField(
        min_value=0,
        max_value=2**62,
        required=False,
        help_text="The tree size of a checkpoint of the transparency log (`/api/v1/log/checkpoints/`): the answer "
        "names it with its root when the figures are folded from exactly its facts, and is refused (409) when not.",
    )


class OnQuery(QueryInput, serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text="The day to measure time against (default: today in Asia/Almaty)."
    )

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("on", timezone.localdate())
        return attrs


class LeaderboardQuery(OnQuery):
    metric = serializers.ChoiceField(choices=list(PUBLIC_METRICS), default="participants")
    period = serializers.ChoiceField(
        choices=PERIODS, default="all", help_text="week and month end on `on`; campaign needs `campaign`."
    )
    campaign = serializers.UUIDField(required=False, help_text="The campaign, for period=campaign.")
    limit = serializers.IntegerField(min_value=1, max_value=500, default=50)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs["period"] == "campaign" and not attrs.get("campaign"):
            raise serializers.ValidationError({"campaign": [_("Name the campaign for period=campaign.")]})
        if attrs["period"] != "campaign":
            attrs.pop("campaign", None)
        return attrs


class RegionLeaderboardQuery(LeaderboardQuery):
    per_capita = serializers.BooleanField(default=False, help_text="Rank by the figure per 1 000 residents.")


class VolunteerLeaderboardQuery(LeaderboardQuery):
    metric = serializers.ChoiceField(choices=VOLUNTEER_METRICS, default="volunteer_hours")


class TimeseriesQuery(QueryInput, serializers.Serializer):
    metric = serializers.ChoiceField(choices=list(PUBLIC_METRICS), default="participants")
    region = serializers.CharField(required=False, max_length=8, help_text="ISO 3166-2 code; national if absent.")
    start = serializers.DateField(required=False, help_text="First day (default: the first day with figures).")
    end = serializers.DateField(required=False, help_text="Last day (default: the last day with figures).")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end comes before the start.")]})
        return attrs


class AsOfQuery(QueryInput, serializers.Serializer):
    date = serializers.DateField(help_text="Count events held on or before this day.")
    region = serializers.CharField(required=False, max_length=8, help_text="ISO 3166-2 code; national if absent.")


# --- answers (for the schema) ----------------------------------------------------------------------


WasteByKindSerializer = type(
    "WasteByKindSerializer",
    (serializers.Serializer,),
    {kind: serializers.CharField(help_text=f"kg of {kind}") for kind in WASTE_KINDS},
)


class FiguresSerializer(serializers.Serializer):
    events = serializers.IntegerField(help_text="Events held.")
    participants = serializers.IntegerField(help_text="Checked-in volunteers plus organiser head-count.")
    volunteers = serializers.IntegerField(help_text="Distinct checked-in volunteers, summed over events.")
    headcount = serializers.IntegerField(help_text="People counted by organisers who did not register.")
    youth = serializers.IntegerField(help_text="Checked-in volunteers aged 14 to 35.")
    waste_kg = serializers.CharField(help_text="Kilograms, exact decimal string.")
    waste_kg_by_kind = WasteByKindSerializer()
    trees = serializers.IntegerField()
    area_ha = serializers.CharField(help_text="Hectares, exact decimal string.")
    volunteer_hours = serializers.CharField(help_text="Hours, rounded to 2 places.")


class SplitSerializer(serializers.Serializer):
    total = FiguresSerializer(help_text="verified + awaiting_verification")
    verified = FiguresSerializer()
    awaiting_verification = FiguresSerializer()


class DumpFiguresSerializer(serializers.Serializer):
    """The illegal dumps' figures, folded from the dumps' facts with the totals (as of the answer's
    `as_of_position`), by the rule of `/api/v1/dumps/rates/` (dumps.selectors)."""

    found = serializers.IntegerField(
        help_text="Dumps confirmed (a report a coordinator confirmed, or a monitoring row), not dismissed, merged "
        "or hidden."
    )
    liquidated = serializers.IntegerField(help_text="Of those found, the ones liquidated now.")
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="liquidated / found; null when none was found."
    )


class NationalSerializer(SplitSerializer):
    dumps = DumpFiguresSerializer(
        help_text="Illegal dumps found and liquidated, with the liquidation rate, as of `as_of_position` like "
        "every other figure (folded from the dumps' facts by the totals projection)."
    )


class RegionTotalsSerializer(SplitSerializer):
    region = serializers.CharField()
    name = serializers.CharField()
    dumps = DumpFiguresSerializer(help_text="The region's illegal dumps, counted as the national `dumps`.")
    population = serializers.IntegerField(
        allow_null=True, help_text="Residents, from the reference data; null where no figure could be sourced."
    )


class PlanMetricSerializer(serializers.Serializer):
    metric = serializers.CharField()
    target = serializers.JSONField(help_text="Integer for counts, decimal string for kg and ha.")
    achieved = serializers.JSONField()
    achieved_verified = serializers.JSONField()
    percent = serializers.CharField(allow_null=True)
    expected_percent = serializers.CharField(allow_null=True, help_text="Share of the target due by now.")
    on_track = serializers.BooleanField()


class PlanRegionSerializer(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    behind = serializers.BooleanField(help_text="Some metric is behind the pace of time.")
    metrics = PlanMetricSerializer(many=True)


class PlanSerializer(serializers.Serializer):
    campaign_id = serializers.UUIDField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    on = serializers.DateField()
    elapsed_percent = serializers.CharField()
    tolerance_percent = serializers.CharField()
    behind_regions = serializers.ListField(child=serializers.CharField())
    regions = PlanRegionSerializer(many=True)


class RegionDetailSerializer(RegionTotalsSerializer):
    per_1000_residents = serializers.DictField(child=serializers.CharField(allow_null=True))
    campaigns = serializers.ListField(child=serializers.DictField())
    plans = serializers.ListField(child=serializers.DictField())


class RegionRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    region = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField(
        allow_null=True, help_text="Residents, from the reference data; null where no figure could be sourced."
    )
    value = serializers.JSONField()
    verified = serializers.JSONField()
    per_1000_residents = serializers.CharField(allow_null=True)


class OrganisationRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    organisation_id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField()
    value = serializers.JSONField()
    verified = serializers.JSONField()


class VolunteerRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    display_name = serializers.CharField()
    events = serializers.IntegerField()
    volunteer_hours = serializers.CharField()


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.JSONField()
    verified = serializers.JSONField()
    cumulative = serializers.JSONField()


class SurvivalSerializer(serializers.Serializer):
    trees_planted = serializers.IntegerField(help_text="Trees planted (the `trees` of the totals).")
    trees_checked = serializers.IntegerField(
        help_text="Trees planted at the events that had a survival check: the rate's denominator."
    )
    trees_surviving = serializers.IntegerField(
        help_text="Trees counted alive at those events, at the latest survival check of each."
    )
    survival_rate = serializers.CharField(
        allow_null=True,
        help_text=(
            'trees_surviving / trees_checked, 4 decimal places ("0.8125"); null when no event was checked. '
            "An unchecked event is unknown, not dead: its trees are not in the denominator."
        ),
    )


class RegionSurvivalSerializer(SurvivalSerializer):
    region = serializers.CharField()
    name = serializers.CharField()


class CampaignSurvivalSerializer(SurvivalSerializer):
    campaign_id = serializers.UUIDField()
    name = serializers.CharField()


class SurvivalTotalsSerializer(serializers.Serializer):
    national = SurvivalSerializer()
    regions = RegionSurvivalSerializer(many=True)
    campaigns = CampaignSurvivalSerializer(many=True)


class FiguresCheckpointSerializer(serializers.Serializer):
    tree_size = serializers.IntegerField(help_text="The checkpoint's tree size: the public facts the figures fold.")
    root = serializers.CharField(help_text="The checkpoint's root hash, base64, as its signed note has it.")


def envelope(name: str, data: serializers.Field) -> type[serializers.Serializer]:
    """Every answer: the figures and how fresh they are (and, asked with `checkpoint`, of which tree)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "as_of_position": serializers.IntegerField(help_text="The ledger position the figures reflect."),
            "as_of_time": serializers.DateTimeField(allow_null=True, help_text="When the totals reached it."),
            "checkpoint": FiguresCheckpointSerializer(
                required=False, help_text="Only with `?checkpoint=`: the checkpoint the figures are as of."
            ),
            "data": data,
        },
    )


NationalAnswer = envelope("NationalTotalsAnswer", NationalSerializer())
RegionsAnswer = envelope("RegionTotalsAnswer", RegionTotalsSerializer(many=True))
RegionDetailAnswer = envelope("RegionDetailAnswer", RegionDetailSerializer())
PlanAnswer = envelope("CampaignPlanAnswer", PlanSerializer())
RegionBoardAnswer = envelope("RegionLeaderboardAnswer", RegionRankSerializer(many=True))
OrganisationBoardAnswer = envelope("OrganisationLeaderboardAnswer", OrganisationRankSerializer(many=True))
VolunteerBoardAnswer = envelope("VolunteerLeaderboardAnswer", VolunteerRankSerializer(many=True))
TimeseriesAnswer = envelope("TimeseriesAnswer", DaySerializer(many=True))
AsOfAnswer = envelope("AsOfAnswer", SplitSerializer())
SurvivalAnswer = envelope("SurvivalTotalsAnswer", SurvivalTotalsSerializer())
