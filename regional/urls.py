from django.urls import path

from regional import views

urlpatterns = [path("regional/", views.regional_page, name="regional-page")]
