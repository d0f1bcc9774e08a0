"""Production settings for gunicorn on a private PostgreSQL cluster (tests/test_database_lost.py), with
static files served from the apps' folders, as the test runs no collectstatic."""

from config.settings.production import *  # noqa: F403

# Every storage production has (photos' among them: the demo loads photos), static files as found.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
