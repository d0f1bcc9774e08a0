"""The public derivatives served from the "photos_public" storage when it is the file system (the
embedded default); in production its URLs are the bucket's, and this route is not reached."""

from django.urls import path

from photos.views import public_file

urlpatterns = [path("photos/<str:name>", public_file, name="photo-file")]
