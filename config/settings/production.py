"""Production: PostgreSQL, Redis, SMTP, HTTPS; refuses to start without its secrets.

Every variable read here and in base.py is listed in platform/production.env.example.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, env


def _required(name: str, why: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production: {why}")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY", "it signs sessions, password-reset links and CSRF tokens.")
_required("DATABASE_URL", "the ledger and accounts live in PostgreSQL, e.g. postgres://user:pass@host:5432/taza.")
_required("REDIS_URL", "it is the Celery broker, result store and cache shared by every machine.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast instead of hanging a request (and /healthz) when PostgreSQL is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

# --- HTTPS behind a proxy that terminates TLS ---------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# gunicorn behind one nginx (platform/DEPLOY.md): nginx appends the address that connected to it to
# X-Forwarded-For, and that entry is the client. A load balancer in front of nginx makes it 2.
TAZA_TRUSTED_PROXY_COUNT = env.int("TAZA_TRUSTED_PROXY_COUNT", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TAZA_TRUSTED_PROXY_COUNT}
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Static files: collected at build time, served by whitenoise with far-future caching --------------
STATIC_ROOT = env.str("STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405

# --- Email: SMTP from the environment ------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)  # noqa: F405
