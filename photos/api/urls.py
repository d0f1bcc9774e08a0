from django.urls import path

from photos.api import views

# str, not uuid: a malformed id answers with the JSON `photo_not_found`, not Django's HTML 404.
urlpatterns = [
    path("photos/", views.PhotoListView.as_view(), name="photo-list"),
    path("photos/<str:photo_id>/", views.PhotoDetailView.as_view(), name="photo-detail"),
    path("photos/<str:photo_id>/evidence/", views.PhotoEvidenceView.as_view(), name="photo-evidence"),
    path("photos/<str:photo_id>/hide/", views.PhotoHideView.as_view(), name="photo-hide"),
]
