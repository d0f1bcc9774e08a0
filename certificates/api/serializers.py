from rest_framework import serializers


class CertifiedEventSerializer(serializers.Serializer):
    event_id = serializers.UUIDField(help_text="The public event (GET /api/v1/events/{event_id}/).")
    title = serializers.CharField(help_text="As printed, in the certificate's language.")
    date = serializers.DateField(help_text="The day it started, in Kazakhstan's time.")
    region = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2, help_text="Credited by the hours rule.")


class CertificateCheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="As printed: XXXXX-XXXXX.")
    authentic = serializers.BooleanField(
        help_text="Its signature verifies, over its content as stored now, under the published certificate key."
    )
    name = serializers.CharField(
        allow_null=True, help_text="The name as printed; null unless the volunteer chose to show it here."
    )
    language = serializers.ChoiceField(choices=["kk", "ru", "en"], help_text="The language it was printed in.")
    events = CertifiedEventSerializer(many=True)
    hours = serializers.DecimalField(max_digits=9, decimal_places=2, help_text="In all (overlaps counted once).")
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    issued_at = serializers.DateTimeField()
    key_name = serializers.CharField(help_text="The key that signed it: see the open-data page for its verifier key.")
    key_id = serializers.CharField(help_text="8 hex digits (the signed-note key ID).")
