from rest_framework import serializers

from volunteers.models import User
from volunteers.selectors import user_roles


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class MeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True, help_text="ISO 3166-2 code of the home region.")
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    coordinator_region = serializers.CharField(
        source="coordinator_region_id", allow_null=True, help_text="For coordinators: the region they verify."
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "volunteer_id",
            "email",
            "display_name",
            "region",
            "organisation",
            "coordinator_region",
            "language",
            "show_on_leaderboards",
            "roles",
        ]
        read_only_fields = fields

    def get_roles(self, user: User) -> list[str]:
        return user_roles(user)
