from rest_framework import serializers

from config.strict import QueryInput
from ledger.selectors import FEED_MAX_LIMIT


class FactFeedQuerySerializer(QueryInput, serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0,
        default=0,
        help_text="The position of the last fact you have (from `next_after`); 0 or absent: from the start.",
    )
    until = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Stop after the fact at this position (e.g. the `as_of_position` of a published figure).",
    )
    limit = serializers.IntegerField(min_value=1, max_value=FEED_MAX_LIMIT, default=100)
    stream = serializers.CharField(max_length=200, required=False, help_text="Only the facts of this stream.")
    type = serializers.CharField(max_length=100, required=False, help_text="Only facts of this type.")


class FactMetaSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="web, api or import. Nothing else of the fact's meta is public: not who.")


class FeedFactSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    fact_id = serializers.UUIDField()
    stream = serializers.CharField()
    version = serializers.IntegerField(help_text="The fact's number in its stream: 1, 2, 3…")
    type = serializers.CharField()
    schema_version = serializers.IntegerField(help_text="The schema version `data` was stored at.")
    data = serializers.JSONField(
        help_text="The fact's public form: the fields listed for its type in this operation's description, as stored."
    )
    meta = FactMetaSerializer()
    occurred_at = serializers.DateTimeField(help_text="When it happened, as claimed.")
    recorded_at = serializers.DateTimeField(help_text="When the ledger stored it.")
    leaf_index = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        help_text=(
            "The fact's leaf in the transparency log (`/api/v1/log/`): the number of public facts before it in "
            "this order, fixed once given; null until the log has taken the fact in (seconds after it is "
            "recorded). The leaf's data is this object without `leaf_index`, as canonical JSON (RFC 8785)."
        ),
    )


class FactFeedPageSerializer(serializers.Serializer):
    results = FeedFactSerializer(many=True)
    next_after = serializers.IntegerField(help_text="Give this as `after` to read on (keep polling with it).")
    next = serializers.URLField(allow_null=True, help_text="The next page, when this one was full.")
