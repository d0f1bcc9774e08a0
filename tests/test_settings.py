"""Production settings: refuse to start without their secrets, pass `check --deploy`, serve static files.

Settings are read once per process, so each story runs Django in a fresh interpreter.
"""

import json
import re

import pytest

from tests.live import BASE_DIR, django_env, free_port, run_manage, run_python

# Long, random-looking and not "django-insecure-…": what `check --deploy` asks of a real key.
PRODUCTION_SECRET_KEY = "t4z4-Pr0duct10n-k3y-f0r-t3sts-0nly-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return django_env(
        "config.settings.production",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        # Nothing listens on this port: these tests never need Redis to answer.
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        ALLOWED_HOSTS="taza.example.kz",
        STATIC_ROOT=str(tmp_path / "static"),
        TAZA_VAR_DIR=str(tmp_path / "var"),
        DJANGO_DEBUG=None,
        CELERY_TASK_ALWAYS_EAGER=None,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set in production"),
        ("DATABASE_URL", "DATABASE_URL must be set in production"),
        ("REDIS_URL", "REDIS_URL must be set in production"),
        ("ALLOWED_HOSTS", "Set the ALLOWED_HOSTS environment variable"),
    ],
)
def test_production_refuses_to_start_without(production_env, missing, message):
    # Given production settings with one required variable missing
    del production_env[missing]

    # When Django starts
    result = run_python("import django; django.setup()", env=production_env)

    # Then it stops at once and says which variable is missing
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_production_passes_the_deployment_checklist(production_env):
    # Given production settings with every required variable set

    # When Django's deployment checklist runs (warnings count as failures)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)

    # Then it finds nothing to fix
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


SERVE_OVER_HTTP = """
import json, django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

client = Client(HTTP_HOST="taza.example.kz")
css = staticfiles_storage.url("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
served = client.get(css, secure=True)
gzipped = client.get(css, secure=True, HTTP_ACCEPT_ENCODING="gzip")
home = client.get("/")
healthz = client.get("/healthz")
print(json.dumps({
    "css_url": css,
    "css": [served.status_code, served["Content-Type"], served["Cache-Control"], served.get("Content-Encoding")],
    "css_starts": b"".join(served.streaming_content)[:10].decode(),
    "gzip": [gzipped.status_code, gzipped.get("Content-Encoding")],
    "home": [home.status_code, home.get("Location")],
    "healthz": healthz.status_code,
}))
"""


@pytest.mark.slow
def test_production_serves_collected_static_files_with_whitenoise(production_env, tmp_path):
    # Given the static files collected as a release does it (hashed names, compressed copies)
    collected = run_manage("collectstatic", "--noinput", env=production_env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()

    # When a browser asks for a stylesheet, a page and /healthz over plain HTTP
    result = run_python(SERVE_OVER_HTTP, env=production_env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    # Then whitenoise serves the hashed file, cacheable forever, gzipped on request
    assert answer["css_url"].startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.")
    assert answer["css_url"] != "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
    assert answer["css"] == [200, 'text/css; charset="utf-8"', "max-age=315360000, public, immutable", None]
    assert answer["css_starts"] == ".swagger-u"
    assert answer["gzip"] == [200, "gzip"]
    # and pages move to HTTPS, except /healthz, which a load balancer probes over HTTP
    assert answer["home"] == [301, "https://taza.example.kz/"]
    assert answer["healthz"] == 503  # answered, not redirected: Redis is down in this test


def test_every_environment_variable_read_is_documented_in_the_production_template():
    # Given every variable the settings and the gunicorn config read
    sources = [*sorted((BASE_DIR / "config" / "settings").glob("*.py")), BASE_DIR / "platform" / "gunicorn.conf.py"]
    read = set()
    for source in sources:
        read |= set(
            re.findall(r'(?:\benv(?:\.\w+)?|environ\.get|Env\(\)\.\w+)\(\s*"([A-Z][A-Z0-9_]*)"', source.read_text())
        )
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"} <= read

    # When the production template is read
    template = (BASE_DIR / "platform" / "production.env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", template, flags=re.MULTILINE))

    # Then an operator finds each of them there
    assert read - documented == set()
