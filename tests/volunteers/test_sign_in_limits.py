"""Sign-in limits count per client, as the trusted proxy saw it, and answer 429 with Retry-After.

The requests here come from the test client, which sets REMOTE_ADDR and X-Forwarded-For as a proxy
would; tests/volunteers/test_behind_proxy.py does the same through a real proxy and gunicorn.
"""

import pytest

from config.settings import base
from tests.live import django_env, free_port, run_python
from tests.volunteers.factories import PASSWORD, user_create

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.5"  # every request reaches gunicorn from the proxy


@pytest.fixture
def behind_one_proxy(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # the production limits
    settings.TAZA_TRUSTED_PROXY_COUNT = 1


def from_client(address: str, *, forged: str | None = None) -> dict:
    """The headers of a request the proxy passed on for `address`, with what the client itself sent
    as X-Forwarded-For (`forged`) kept to the left, as nginx's $proxy_add_x_forwarded_for does."""
    forwarded = f"{forged}, {address}" if forged else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded, "HTTP_ACCEPT_LANGUAGE": "en"}


def sign_in(client, email: str, password: str, address: str, **kwargs):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **from_client(address, **kwargs))


def test_ten_wrong_passwords_lock_out_their_sender_only_and_the_form_answers_429(client, behind_one_proxy):
    # Given ten accounts, and an attacker who tries one wrong password on each, forging a new
    # X-Forwarded-For every time
    for n in range(11):
        user_create(email=f"person{n}@example.kz")
    tries = [
        sign_in(client, f"person{n}@example.kz", "wrong", "203.0.113.9", forged=f"198.51.100.{n}").status_code
        for n in range(10)
    ]

    # When the attacker tries an eleventh
    locked = sign_in(client, "person10@example.kz", PASSWORD, "203.0.113.9", forged="198.51.100.77")

    # Then the form said "wrong" ten times and now answers 429 with how long to wait, on the site's page
    assert tries == [200] * 10
    assert locked.status_code == 429
    assert 55 <= int(locked.headers["Retry-After"]) <= 60  # a minute from the first failure, seconds ago
    assert "Too many attempts from your address or for this account." in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated

    # And someone else behind the same proxy signs in at once
    other = sign_in(client, "person10@example.kz", PASSWORD, "203.0.113.10")
    assert (other.status_code, other.url) == (302, "/")


def test_five_wrong_passwords_for_one_account_lock_that_account_from_every_address(client, behind_one_proxy):
    user_create(email="dana@example.kz")
    tries = [sign_in(client, "dana@example.kz", "wrong", f"203.0.113.{n}").status_code for n in range(5)]

    locked = sign_in(client, "dana@example.kz", PASSWORD, "203.0.113.50")

    assert tries == [200] * 5
    assert locked.status_code == 429
    assert 295 <= int(locked.headers["Retry-After"]) <= 300  # 5/5m/key


def test_the_sign_in_page_limit_answers_429_with_retry_after(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    settings.TAZA_TRUSTED_PROXY_COUNT = 1
    user_create(email="dana@example.kz")

    codes = [sign_in(client, "dana@example.kz", PASSWORD, "203.0.113.9").status_code for _ in range(2)]
    client.logout()
    third = sign_in(client, "dana@example.kz", PASSWORD, "203.0.113.9")
    elsewhere = sign_in(client, "dana@example.kz", PASSWORD, "203.0.113.10")

    assert codes == [302, 302]
    assert third.status_code == 429
    assert 55 <= int(third.headers["Retry-After"]) <= 60
    assert "Too many attempts" in third.content.decode()
    assert elsewhere.status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, settings):
    # Development: gunicorn or runserver faces the client, so the header is the client's own words
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    settings.TAZA_TRUSTED_PROXY_COUNT = 0
    user_create(email="dana@example.kz")

    tries = [sign_in(client, "dana@example.kz", "wrong", f"203.0.113.{n}").status_code for n in range(3)]

    assert tries == [200, 200, 429]


def test_the_token_endpoint_counts_per_client_and_says_when_to_retry(api_client, behind_one_proxy):
    user_create(email="dana@example.kz")
    user_create(email="erlan@example.kz")
    wrong = [
        api_client.post(
            TOKEN_URL, {"email": "dana@example.kz", "password": "wrong"}, format="json", **from_client("203.0.113.9")
        ).status_code
        for _ in range(5)
    ]

    locked = api_client.post(
        TOKEN_URL, {"email": "dana@example.kz", "password": PASSWORD}, format="json", **from_client("203.0.113.9")
    )
    other = api_client.post(
        TOKEN_URL, {"email": "erlan@example.kz", "password": PASSWORD}, format="json", **from_client("203.0.113.9")
    )

    assert wrong == [400] * 5
    assert locked.status_code == 429
    assert locked.json() == {
        "error": {
            "code": "too_many_attempts",
            "message": "Too many failed sign-in attempts. Try again later.",
            "fields": {},
        }
    }
    assert 295 <= int(locked.headers["Retry-After"]) <= 300
    # five failures at one account lock that account, not the address
    assert other.status_code == 200


@pytest.mark.parametrize(("configured", "expected"), [(None, "1 1"), ("2", "2 2"), ("0", "0 0")])
def test_production_trusts_one_proxy_unless_told_otherwise_for_allauth_and_drf_alike(tmp_path, configured, expected):
    # Given production settings (gunicorn behind one nginx), with TAZA_TRUSTED_PROXY_COUNT unset or set
    env = django_env(
        "config.settings.production",
        SECRET_KEY="t4z4-Pr0duct10n-k3y-f0r-t3sts-0nly-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        ALLOWED_HOSTS="taza.example.kz",
        TAZA_VAR_DIR=str(tmp_path / "var"),
        TAZA_TRUSTED_PROXY_COUNT=configured,
    )

    # When Django starts, the client address and DRF's throttles read the same number of proxies
    result = run_python(
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from rest_framework.settings import api_settings\n"
        "print(settings.TAZA_TRUSTED_PROXY_COUNT, api_settings.NUM_PROXIES)",
        env=env,
    )

    assert (result.returncode, result.stdout.strip()) == (0, expected), result.stderr
