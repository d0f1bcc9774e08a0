"""Sign-in limits count per client, as the trusted proxy saw it, and answer 429 with Retry-After.

The requests here come from the test client, which sets REMOTE_ADDR and X-Forwarded-For as a proxy
would; tests/volunteers/test_behind_proxy.py does the same through a real proxy and gunicorn.
"""

import pytest

from config.settings import base
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
