from django.urls import path

from regional.api import views

urlpatterns = [path("regional/", views.RegionalView.as_view(), name="regional")]
