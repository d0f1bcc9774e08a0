from django.urls import path

from volunteers.api import views

urlpatterns = [
    path("auth/token/", views.TokenCreateView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
]
