"""Development: the embedded default (SQLite, filesystem broker) unless the environment says more."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

for _sub in ("cache", "celery/broker", "celery/processed", "celery/results", "celery/control"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)
