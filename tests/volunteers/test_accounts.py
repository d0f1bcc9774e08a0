"""Sign-up, email confirmation, sign-in, sign-out and password reset through allauth's pages."""

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from outbox.models import Message
from tests.volunteers.factories import PASSWORD, user_create
from volunteers.models import User

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def link_in(message: mail.EmailMessage) -> str:
    """The path of the only link in an email."""
    (url,) = re.findall(r"https?://\S+", message.body)
    return urlparse(url).path


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def sign_up(client, *, email: str = "asel@example.kz", **extra) -> object:
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "Asel",
            "region": "KZ-10",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
        **ENGLISH,
    )


def test_sign_up_creates_a_volunteer_and_emails_a_confirmation_link_that_confirms_the_address(
    client, django_capture_on_commit_callbacks
):
    # When a person signs up (the email goes through the outbox once the sign-up commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    # then they are told to confirm their address, with an account in the volunteer group only
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="asel@example.kz")
    assert (user.display_name, user.region_id, user.language) == ("Asel", "KZ-10", "en")
    assert list(user.groups.values_list("name", flat=True)) == ["volunteer"]
    assert signed_in_user_id(client) is None

    # and one email went to that address, with the site's subject
    (message,) = mail.outbox
    assert message.to == ["asel@example.kz"]
    assert message.subject == "[Taza] Confirm your email address"
    assert message.body.startswith("Hello from Taza!")
    # and the outbox keeps that it was sent, but not the message with its link
    (sent,) = Message.objects.all()
    assert (sent.kind, sent.status, sent.to, sent.volunteer_id, sent.payload) == (
        "rendered", "sent", "asel@example.kz", user.volunteer_id, {}
    )  # fmt: skip
    assert message.extra_headers["Message-ID"] == f"<{sent.message_id}@127.0.0.1>"

    # When they open the link from the email, they see the address to confirm
    path = link_in(message)
    assert path.startswith("/accounts/confirm-email/")
    page = client.get(path, **ENGLISH)
    assert page.status_code == 200
    assert "Is <strong>asel@example.kz</strong> your email address?" in page.content.decode()

    # and confirming it verifies the address and signs them in
    confirmed = client.post(path, **ENGLISH)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="asel@example.kz").verified is True
    assert signed_in_user_id(client) == str(user.pk)


def test_sign_up_with_a_taken_email_creates_nothing(client, django_capture_on_commit_callbacks):
    user_create(email="asel@example.kz")

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302  # allauth does not reveal that the address is taken
    assert User.objects.filter(email="asel@example.kz").count() == 1
    (message,) = mail.outbox
    assert message.subject == "[Taza] You already have a Taza account"


def test_sign_up_with_mismatched_passwords_shows_the_error_and_creates_nothing(client):
    response = sign_up(client, password2="another-password-2026")

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_sign_in_with_an_unconfirmed_address_is_refused_and_the_link_sent_again(
    client, django_capture_on_commit_callbacks
):
    user_create(email="dana@example.kz", verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"login": "dana@example.kz", "password": PASSWORD}, **ENGLISH)

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["dana@example.kz"], "[Taza] Confirm your email address")


def test_sign_in_with_a_confirmed_address_signs_in_and_the_header_shows_the_name(client):
    user = user_create(email="dana@example.kz", display_name="Dana")

    response = client.post("/accounts/login/", {"login": "Dana@Example.kz", "password": PASSWORD}, **ENGLISH)

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_user_id(client) == str(user.pk)
    home = client.get("/", **ENGLISH).content.decode()
    assert '<a class="account__name" href="/me/profile/" title="Your profile" translate="no">Dana</a>' in home
    assert "Signed in as Dana." in home


def test_sign_in_brings_back_the_language_saved_on_the_account(client, settings):
    user = user_create(email="dana@example.kz", display_name="Dana")
    user.language = "kk"
    user.save(update_fields=["language"])

    # A browser that asks for English, on which no language was chosen yet.
    response = client.post("/accounts/login/", {"login": "dana@example.kz", "password": PASSWORD}, **ENGLISH)
    home = client.get("/", **ENGLISH)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    assert home.wsgi_request.LANGUAGE_CODE == "kk"
    assert '<html lang="kk"' in home.content.decode()
    assert "Dana ретінде кірдіңіз." in home.content.decode()


def test_the_language_a_visitor_just_chose_wins_at_sign_in_and_is_saved(client, settings):
    user = user_create(email="dana@example.kz", display_name="Dana")
    user.language = "kk"
    user.save(update_fields=["language"])

    # The visitor switches the site to Russian, then signs in.
    client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    client.post("/accounts/login/", {"login": "dana@example.kz", "password": PASSWORD}, **ENGLISH)
    home = client.get("/", **ENGLISH)

    assert home.wsgi_request.LANGUAGE_CODE == "ru"
    assert "Вы вошли как Dana." in home.content.decode()
    user.refresh_from_db()
    assert user.language == "ru"


def test_sign_in_without_a_saved_language_keeps_the_browsers(client, settings):
    user_create(email="dana@example.kz", display_name="Dana")

    response = client.post("/accounts/login/", {"login": "dana@example.kz", "password": PASSWORD}, **ENGLISH)

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/", **ENGLISH).wsgi_request.LANGUAGE_CODE == "en"


def test_sign_in_with_a_wrong_password_is_refused_with_a_message(client):
    user_create(email="dana@example.kz")

    response = client.post("/accounts/login/", {"login": "dana@example.kz", "password": "wrong"}, **ENGLISH)

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_sign_out_ends_the_session(client):
    user = user_create(email="dana@example.kz")
    client.force_login(user)

    response = client.post("/accounts/logout/", **ENGLISH)

    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert "You have signed out." in client.get("/", **ENGLISH).content.decode()


def test_password_reset_by_the_emailed_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user_create(email="dana@example.kz")

    # When Dana asks for a reset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "dana@example.kz"}, **ENGLISH)
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"

    # she gets one email with a link
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["dana@example.kz"], "[Taza] Reset your password")

    # which leads (through allauth's redirect that hides the key) to the new-password form
    page = client.get(link_in(message), follow=True, **ENGLISH)
    assert page.status_code == 200
    assert "Choose a new password" in page.content.decode()
    form_path = page.redirect_chain[-1][0]

    # and saving a new password there
    saved = client.post(form_path, {"password1": "saryarka-steppe-77", "password2": "saryarka-steppe-77"}, **ENGLISH)
    assert saved.status_code == 302
    assert saved.url == "/accounts/password/reset/key/done/"

    # lets her sign in with the new password, and no longer with the old one
    assert client.login(email="dana@example.kz", password=PASSWORD) is False
    assert client.login(email="dana@example.kz", password="saryarka-steppe-77") is True


def test_password_reset_for_an_unknown_address_says_so_by_email_only(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.kz"}, **ENGLISH)

    assert response.status_code == 302
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["nobody@example.kz"], "[Taza] No Taza account with this address")


def test_a_signed_in_volunteer_sees_their_addresses_in_kazakh(client):
    client.force_login(user_create(email="dana@example.kz"))

    page = client.get("/accounts/email/").content.decode()

    assert "<h1>Электрондық пошта мекенжайлары</h1>" in page
    assert 'dana@example.kz\n                <span class="badge">расталған</span>' in page


def test_a_signed_in_volunteer_changes_their_password(client):
    client.force_login(user_create(email="dana@example.kz"))

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "charyn-canyon-31", "password2": "charyn-canyon-31"},
        **ENGLISH,
    )

    assert response.status_code == 302
    assert "Your password is changed." in client.get("/", **ENGLISH).content.decode()
    assert client.login(email="dana@example.kz", password="charyn-canyon-31") is True


def test_help_texts_keep_the_html_code_marked_safe_and_escape_any_other(client, monkeypatch):
    from allauth.account.forms import SignupForm

    # Given a help text that is plain text carrying markup (as a text from the database would be)
    original = SignupForm.__init__

    def with_a_plain_help_text(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.fields["email"].help_text = '<img src=x onerror="window.__xss=1">'

    monkeypatch.setattr(SignupForm, "__init__", with_a_plain_help_text)
    page = client.get("/accounts/signup/", **ENGLISH).content.decode()
    helps = re.findall(r'<div class="helptext" id="id_(\w+)_helptext">(.*?)</div>', page, re.S)

    # Then it is shown as text, while the password rules Django marks safe stay a list
    assert ("email", "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;") in helps
    assert "<img src=x" not in page
    password = dict(helps)["password1"]
    assert password.startswith("<ul>") and "<li>" in password
