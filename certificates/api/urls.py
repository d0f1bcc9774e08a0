from django.urls import re_path

from certificates.api import views

urlpatterns = [
    re_path(
        rf"^certificates/(?P<code>{views.CODE_PATTERN})/$", views.CertificateView.as_view(), name="certificate-api"
    ),
]
