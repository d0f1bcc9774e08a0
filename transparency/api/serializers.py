import base64

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.strict import QueryInput

# Tree sizes and leaf indexes: within PostgreSQL's bigint, far beyond any ledger.
MAX_SIZE = 2**62
BASE64_HASH = {"type": "string", "format": "byte", "example": "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="}


@extend_schema_field(BASE64_HASH)
class HashField(serializers.Field):
    """A SHA-256 hash, in standard base64 (RFC 4648 §4), as checkpoints write the root."""

    def to_representation(self, value: bytes) -> str:
        return base64.b64encode(bytes(value)).decode()


class CheckpointSerializer(serializers.Serializer):
    origin = serializers.CharField(help_text="The log's name: the checkpoint's first line.")
    size = serializers.IntegerField(help_text="The tree size: how many public facts the tree holds.")
    root = HashField(help_text="The root hash of that tree (RFC 9162), base64.")
    note = serializers.CharField(
        source="cosigned_note",
        help_text="The checkpoint as signed: a C2SP tlog-checkpoint signed note (origin, size, root; a blank "
        "line; a signature line `— <key name> <base64(key ID || Ed25519 signature)>`). Verify it with the "
        "key from `/api/v1/log/key/`. The witnesses' cosignatures (C2SP tlog-cosignature) follow as more "
        "signature lines.",
    )
    published_at = serializers.DateTimeField()


class InclusionQuerySerializer(QueryInput, serializers.Serializer):
    tree_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_SIZE,
        required=False,
        help_text="The tree size of a published checkpoint; absent: the latest checkpoint.",
    )
    leaf_index = serializers.IntegerField(
        min_value=0, max_value=MAX_SIZE, required=False, help_text="The leaf (a fact's `leaf_index` in the feed)."
    )
    fact_id = serializers.UUIDField(required=False, help_text="Or the fact, by its id.")

    def validate(self, attrs: dict) -> dict:
        if ("leaf_index" in attrs) == ("fact_id" in attrs):
            raise serializers.ValidationError({"leaf_index": ["Give leaf_index or fact_id, one of them."]})
        return attrs


class InclusionProofSerializer(serializers.Serializer):
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = HashField(
        help_text="SHA-256(0x00 || leaf data): the leaf data is the fact as the feed serves it, "
        "without `leaf_index`, in canonical JSON (RFC 8785)."
    )
    root = HashField(help_text="The root of the checkpoint of `tree_size`.")
    proof = serializers.ListField(
        child=HashField(),
        help_text="The audit path of RFC 9162 §2.1.3, nearest the leaf first; verify by §2.1.3.2.",
    )


class ConsistencyQuerySerializer(QueryInput, serializers.Serializer):
    first = serializers.IntegerField(min_value=1, max_value=MAX_SIZE, help_text="The earlier checkpoint's tree size.")
    second = serializers.IntegerField(
        min_value=1,
        max_value=MAX_SIZE,
        required=False,
        help_text="The later checkpoint's tree size; absent: the latest checkpoint.",
    )


class ConsistencyProofSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = HashField()
    second_root = HashField()
    proof = serializers.ListField(
        child=HashField(), help_text="The consistency proof of RFC 9162 §2.1.4; verify by §2.1.4.2."
    )


class VerifierKeySerializer(serializers.Serializer):
    origin = serializers.CharField(help_text="The first line of every checkpoint of this log.")
    name = serializers.CharField(help_text="The key's name in signature lines.")
    key_id = serializers.CharField(help_text="The key ID: 4 bytes in hex, the start of every signature.")
    vkey = serializers.CharField(
        help_text="The verifier key in the C2SP signed-note form "
        "`<name>+<key ID>+<base64(0x01 || Ed25519 public key)>`."
    )
