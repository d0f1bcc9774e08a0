"""Input and output shapes of the photos API. The public shape names no person and carries nothing
read from a file's EXIF; the coordinator's adds the location and time the camera wrote."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.strict import SAYS_SOMETHING, QueryInput, StrictInput, described
from photos.facts import ROLES, SUBJECTS
from photos.models import Photo
from photos.selectors import photo_urls


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class PhotoFileField(serializers.FileField):
    """A file of at least one byte: the schema says what the field refuses (an empty part)."""


class PhotoUploadSerializer(serializers.Serializer):
    """multipart/form-data: the file and what it shows. The service checks the file and the rules."""

    file = PhotoFileField(
        help_text="A JPEG, PNG or WebP image, at most TAZA_PHOTO_MAX_BYTES (12 MB) and TAZA_PHOTO_MAX_PIXELS pixels."
    )
    subject = serializers.ChoiceField(
        choices=SUBJECTS,
        help_text=(
            "`dump_report` (the dump's reporter), `dump_liquidation` (the region's coordinator or the linked "
            "event's organiser, for a confirmed dump linked to an event) or `result` (the event's organisers)."
        ),
    )
    subject_id = serializers.UUIDField(help_text="The dump's id, or the event's id for a result.")
    role = serializers.ChoiceField(
        choices=ROLES,
        help_text="`before` or `after` the work; a report's photo is `before`, a liquidation's `after`.",
    )


class PhotoFilterSerializer(QueryInput, serializers.Serializer):
    subject = serializers.ChoiceField(choices=SUBJECTS, required=False)
    subject_id = serializers.UUIDField(required=False)


class PhotoHideInputSerializer(StrictInput, serializers.Serializer):
    reason = described(
        serializers.CharField(max_length=2000, help_text="Why: kept in the ledger, not published."),
        {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": SAYS_SOMETHING},
    )


class PhotoSerializer(serializers.ModelSerializer):
    """A photo as the public sees it."""

    url = serializers.SerializerMethodField(help_text="The public image (longest side 1600 px, no metadata).")
    thumbnail_url = serializers.SerializerMethodField(help_text="Its thumbnail (longest side 320 px).")

    class Meta:
        model = Photo
        fields = ["id", "subject", "subject_id", "role", "url", "thumbnail_url", "attached_at"]

    def get_url(self, photo: Photo) -> str:
        return photo_urls(photo)["url"]

    def get_thumbnail_url(self, photo: Photo) -> str:
        return photo_urls(photo)["thumbnail_url"]


class PhotoAnswerSerializer(PhotoSerializer):
    """The uploader's answer: the photo, and whether the public files are made yet."""

    processed = serializers.BooleanField(help_text="False until the task has made the public files.")
    public = serializers.BooleanField(help_text="Shown to the public (a report's photos wait for its confirmation).")
    hidden = serializers.BooleanField()

    class Meta(PhotoSerializer.Meta):
        fields = [*PhotoSerializer.Meta.fields, "processed", "public", "hidden"]


class PhotoEvidenceSerializer(serializers.Serializer):
    """A photo as its region's coordinator sees it, with what its EXIF said (never public)."""

    photo = PhotoAnswerSerializer()
    taken_at = serializers.DateTimeField(allow_null=True, help_text="DateTimeOriginal from the EXIF, if any.")
    latitude = serializers.FloatField(allow_null=True, help_text="GPS latitude from the EXIF, if any.")
    longitude = serializers.FloatField(allow_null=True)
    digest = serializers.CharField(help_text="sha256 of the file as uploaded.")
    dhash = serializers.CharField(help_text="64-bit difference hash, 16 hex digits.")
    hidden_reason = serializers.CharField()
