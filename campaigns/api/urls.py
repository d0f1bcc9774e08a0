from django.urls import path

from campaigns.api import views

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    # str, not uuid: a malformed id answers with the JSON `campaign_not_found`, not Django's HTML 404.
    path("campaigns/<str:campaign_id>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<str:campaign_id>/targets/", views.CampaignTargetsView.as_view(), name="campaign-targets"),
    path(
        "campaigns/<str:campaign_id>/targets/history/",
        views.CampaignTargetHistoryView.as_view(),
        name="campaign-target-history",
    ),
    path("campaigns/<str:campaign_id>/close/", views.CampaignCloseView.as_view(), name="campaign-close"),
]
