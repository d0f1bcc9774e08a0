from django.urls import path, re_path

from opendata.api import views

urlpatterns = [
    path("open-data/errata/", views.ErrataView.as_view(), name="errata-list"),
    path("open-data/releases/", views.ReleaseListView.as_view(), name="release-list"),
    re_path(
        r"^open-data/releases/(?P<name>taza-[0-9]{4}-[0-9]{2}-[0-9]{2})/$",
        views.ReleaseDetailView.as_view(),
        name="release-detail",
    ),
    re_path(
        r"^open-data/releases/(?P<name>taza-[0-9]{4}-[0-9]{2}-[0-9]{2})/(?P<file_name>[a-z_]+\.(?:csv|json|zip))$",
        views.ReleaseFileView.as_view(),
        name="release-file",
    ),
]
