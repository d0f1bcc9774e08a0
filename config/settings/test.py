"""Tests: the same code paths as production; DATABASE_URL and REDIS_URL pick the real services."""

from tests.workers import worker_redis_url

from .base import *  # noqa: F403
from .base import REDIS_URL, env

# Under pytest-xdist each worker has a Redis database of its own (tests/workers.py).
_worker_redis_url = worker_redis_url(REDIS_URL)
if _worker_redis_url != REDIS_URL:
    REDIS_URL = _worker_redis_url
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL

SECRET_KEY = "test-secret-key-not-for-production"  # the test settings only  # nosec B105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory unless a test runs a worker against a real SMTP server of its own.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    **PHOTO_STORAGES,  # noqa: F405  (photos' originals and public derivatives; tests/photos use a tmp dir)
}

# Tasks run in-process unless a test starts a real worker; the broker is Redis when it is set.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
if not REDIS_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# False switches allauth's rate limits off; an empty dict would keep its defaults. Tests of a limit set one.
ACCOUNT_RATE_LIMITS = False
# Serve static files from the apps' folders, as in development: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The ledger's tests use a small sample domain of their own (the ledger knows no fact types).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.ledger.sampleapp"]  # noqa: F405
# The test runner empties the SQLite test database between transactional tests with DELETE, which
# the ledger's append-only trigger refuses unless this says the database is a throwaway one.
LEDGER_TEST_DATABASE_FLUSH = True
