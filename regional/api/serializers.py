from rest_framework import serializers

from config.strict import QueryInput
from regional.models import InstanceMirror
from regional.selectors import METRICS


class RegionalQuery(QueryInput, serializers.Serializer):
    metric = serializers.ChoiceField(
        choices=list(METRICS), default="trees", help_text="The leaderboard's metric, ranked per 1 000 residents."
    )


class RegionalFiguresSerializer(serializers.Serializer):
    events = serializers.IntegerField(help_text="Events held.")
    participants = serializers.IntegerField(help_text="Checked-in volunteers plus organiser head-count.")
    youth = serializers.IntegerField(help_text="Checked-in volunteers aged 14 to 35.")
    waste_kg = serializers.CharField(help_text="Kilograms, exact decimal string.")
    trees = serializers.IntegerField()
    area_ha = serializers.CharField(help_text="Hectares, exact decimal string.")
    volunteer_hours = serializers.CharField(
        help_text="Hours, rounded to 2 places; an upper bound (the feed cannot link one person's overlapping events)."
    )


class RegionalSplitSerializer(serializers.Serializer):
    verified = RegionalFiguresSerializer()
    awaiting_verification = RegionalFiguresSerializer()
    total = RegionalFiguresSerializer()


class RegionalDumpFiguresSerializer(serializers.Serializer):
    found = serializers.CharField(help_text="Illegal dumps found (confirmed or liquidated, not hidden).")
    liquidated = serializers.CharField()
    rate = serializers.CharField(help_text="Liquidated over found, 4 places, or None when none was found.")


class MirroredCheckpointSerializer(serializers.Serializer):
    size = serializers.IntegerField(help_text="Tree size of the last checkpoint verified: the facts mirrored.")
    root = serializers.CharField(allow_null=True, help_text="Its root hash, base64 (null before the first).")
    published_at = serializers.DateTimeField(allow_null=True, help_text="When the instance published it.")
    note = serializers.CharField(allow_null=True, help_text="The signed note as the instance served it.")


class RegionalInstanceSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code: the instance's country.")
    name = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text="The instance's address.")
    status = serializers.ChoiceField(
        choices=InstanceMirror.Status.choices,
        help_text="ok: verified up to its latest checkpoint; lagging: a checkpoint seen is not verified yet; "
        "forked: its log contradicts what it signed, nothing more is folded from it; silent: not reachable, "
        "or its latest checkpoint is older than TAZA_REGIONAL_SILENT_SECONDS. The figures are always those of "
        "the last verified checkpoint.",
    )
    status_label = serializers.CharField()
    checkpoint = MirroredCheckpointSerializer()
    seen_size = serializers.IntegerField(help_text="Tree size of the latest checkpoint seen.")
    lag = serializers.IntegerField(help_text="Leaves seen in a checkpoint but not verified yet.")
    verified_at = serializers.DateTimeField(allow_null=True, help_text="The last successful mirror step.")
    attempted_at = serializers.DateTimeField(allow_null=True, help_text="The last mirror step.")
    age_seconds = serializers.IntegerField(allow_null=True, help_text="Seconds since `verified_at`.")
    last_error = serializers.CharField(allow_blank=True, help_text="Why the last step failed (a fork's evidence).")
    figures_at = serializers.DateTimeField(allow_null=True, help_text="The instant the figures are counted as of.")
    figures = RegionalSplitSerializer(help_text="Recounted from the mirrored facts of the verified checkpoint.")
    dumps = RegionalDumpFiguresSerializer(allow_null=True)


class RegionalLeaderboardRowSerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    value = serializers.CharField(help_text="The metric's total (a whole number or an exact decimal).")
    per_1000 = serializers.CharField(
        allow_null=True, help_text="Per 1 000 residents, 4 places; null without a population."
    )
    status = serializers.ChoiceField(choices=InstanceMirror.Status.choices)


class RegionalLeaderboardSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=list(METRICS))
    rows = RegionalLeaderboardRowSerializer(many=True)


class RegionalCampaignCountrySerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    campaign_id = serializers.UUIDField(help_text="The campaign's id in that instance.")
    title = serializers.CharField(help_text="The campaign's name in the language asked for.")
    plan = serializers.DictField(
        child=serializers.CharField(), help_text="Its targets per metric, summed over the instance's regions."
    )
    fact = RegionalFiguresSerializer(help_text="The figures of its events (verified and awaiting).")


class RegionalCampaignSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The English name the instances share: what makes the campaign one.")
    title = serializers.CharField()
    countries = RegionalCampaignCountrySerializer(many=True)
    plan = serializers.DictField(child=serializers.CharField(), help_text="The countries' targets summed, per metric.")
    fact = RegionalFiguresSerializer()


class RegionalSerializer(serializers.Serializer):
    as_of_time = serializers.DateTimeField()
    instances = RegionalInstanceSerializer(many=True)
    totals = RegionalSplitSerializer(
        help_text="The sum of every instance's figures as of its last verified checkpoint."
    )
    totals_as_of = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="The tree size of the checkpoint each country's share of the totals is as of, by country code.",
    )
    leaderboard = RegionalLeaderboardSerializer()
    campaigns = RegionalCampaignSerializer(
        many=True, help_text="Campaigns run in more than one instance (by their English name): plan versus fact."
    )
