from django.urls import path

from dumps.api import views

# str, not uuid: a malformed id answers with the JSON `dump_not_found`, not Django's HTML 404.
urlpatterns = [
    path("dumps/", views.DumpListView.as_view(), name="dump-list"),
    path("dumps/nearby/", views.DumpNearbyView.as_view(), name="dump-nearby"),
    path("dumps/rates/", views.DumpRatesView.as_view(), name="dump-rates"),
    path("dumps/imports/", views.DumpImportListView.as_view(), name="dump-imports"),
    path("dumps/<str:dump_id>/", views.DumpDetailView.as_view(), name="dump-detail"),
    path("dumps/<str:dump_id>/confirm/", views.DumpConfirmView.as_view(), name="dump-confirm"),
    path("dumps/<str:dump_id>/dismiss/", views.DumpDismissView.as_view(), name="dump-dismiss"),
    path("dumps/<str:dump_id>/merge/", views.DumpMergeView.as_view(), name="dump-merge"),
    path("dumps/<str:dump_id>/link/", views.DumpLinkView.as_view(), name="dump-link"),
    path("dumps/<str:dump_id>/liquidate/", views.DumpLiquidateView.as_view(), name="dump-liquidate"),
    path("dumps/<str:dump_id>/reopen/", views.DumpReopenView.as_view(), name="dump-reopen"),
    path("dumps/<str:dump_id>/hide/", views.DumpHideView.as_view(), name="dump-hide"),
]
