"""The log for tlog tooling, at /log/ (transparency/views.py); the JSON API is transparency/api/."""

from django.urls import path

from transparency import views

urlpatterns = [
    path("checkpoint", views.checkpoint, name="log-checkpoint-text"),
    path("tile/entries/<path:path>", views.entries, name="log-entries"),
    path("tile/<int:level>/<path:path>", views.tile, name="log-tile"),
]
