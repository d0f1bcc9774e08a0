"""Production settings for gunicorn on a private PostgreSQL cluster (tests/test_database_lost.py), with
static files served from the apps' folders, as the test runs no collectstatic."""

from config.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
