from django.urls import path
from rest_framework.urlpatterns import format_suffix_patterns

from stats.api import views

# The hottest reads first: URLs are resolved by trying each pattern in order.
urlpatterns = format_suffix_patterns(
    [
        path("national/", views.NationalTotalsView.as_view(), name="stats-national"),
        path("leaderboards/regions/", views.RegionLeaderboardView.as_view(), name="stats-board-regions"),
        path("regions/", views.RegionTotalsView.as_view(), name="stats-regions"),
        path("regions/<str:code>/", views.RegionDetailView.as_view(), name="stats-region"),
        path("campaigns/<uuid:campaign_id>/plan/", views.CampaignPlanView.as_view(), name="stats-campaign-plan"),
        path(
            "leaderboards/organisations/",
            views.OrganisationLeaderboardView.as_view(),
            name="stats-board-organisations",
        ),
        path("leaderboards/volunteers/", views.VolunteerLeaderboardView.as_view(), name="stats-board-volunteers"),
        path("timeseries/", views.TimeseriesView.as_view(), name="stats-timeseries"),
        path("as-of/", views.AsOfView.as_view(), name="stats-as-of"),
        path("survival/", views.SurvivalTotalsView.as_view(), name="stats-survival"),
    ],
    allowed=["json", "csv"],
)
