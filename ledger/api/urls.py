from django.urls import path

from ledger.api import views

urlpatterns = [
    path("facts/", views.FactFeedView.as_view(), name="fact-feed"),
]
