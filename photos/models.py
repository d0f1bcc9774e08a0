"""Photos: `Photo`, the projection of photo streams (inline), and `PhotoFile`, the private record of
each upload's files and what its EXIF said, kept outside the ledger like the accounts' tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from photos.facts import ROLES, SUBJECTS


class Photo(models.Model):
    """Projection of one photo stream. `version` is the stream version the row reflects."""

    id = models.UUIDField(primary_key=True)  # the photo_id of its facts
    subject = models.CharField(_("subject"), max_length=20, choices=[(s, s) for s in SUBJECTS])
    subject_id = models.UUIDField(_("subject id"), db_index=True)
    role = models.CharField(_("role"), max_length=10, choices=[(r, r) for r in ROLES])
    uploader_id = models.UUIDField()  # never shown publicly: the rate limit reads it
    digest = models.CharField(max_length=64)
    dhash = models.CharField(_("perceptual hash"), max_length=16)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    public = models.BooleanField(default=False)  # attached to a public subject, or published since
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    attached_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attached_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [
            models.Index(fields=["uploader_id", "attached_at"], name="photo_uploader_time"),
            models.Index(fields=["subject", "subject_id"], name="photo_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id} {self.role}"


class PhotoFile(models.Model):
    """The files of an upload and its EXIF evidence: not a projection (the ledger holds no file and
    no location read from a camera), written by the upload and by the processing task. The location
    and time are for the region's coordinator; no public form, page or answer shows them."""

    photo_id = models.UUIDField(primary_key=True)
    original = models.CharField(max_length=200)  # its name in the private "photos" storage
    format = models.CharField(max_length=10)
    bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)  # when the public derivatives were made
    public_width = models.PositiveIntegerField(null=True, blank=True)
    public_height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude (EXIF)"), null=True, blank=True)
    longitude = models.FloatField(_("longitude (EXIF)"), null=True, blank=True)

    class Meta:
        verbose_name = _("photo file")
        verbose_name_plural = _("photo files")

    def __str__(self) -> str:
        return self.original
