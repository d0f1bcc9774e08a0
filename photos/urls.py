"""The public derivatives served from the "photos_public" storage when it is the file system (the
embedded default; in production its URLs are the bucket's), and a waiting report's photos to those
who judge it."""

from django.urls import path

from photos.views import evidence_file, public_file

urlpatterns = [
    path("photos/<str:name>", public_file, name="photo-file"),
    path("photos/evidence/<uuid:photo_id>/<str:size>", evidence_file, name="photo-evidence-file"),
]
