"""The DCAT catalogue of the open data, at the stable address portals harvest."""

from django.urls import path

from opendata.api import views

urlpatterns = [
    path("open-data/catalog.jsonld", views.catalog, name="open-data-catalog"),
]
