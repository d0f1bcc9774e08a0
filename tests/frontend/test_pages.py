"""The base site: pages render, the header shows the sign-in state, and the language switch works."""

import pytest

from tests.volunteers.factories import user_create

pytestmark = pytest.mark.django_db

HOME_HEADLINE = {
    "kk": "Бүкіл Қазақстан бойынша сенбіліктер мен ағаш отырғызу — ашық түрде",
    "ru": "Субботники и посадка деревьев по всему Казахстану — открыто",
    "en": "Clean-ups and tree planting across Kazakhstan, in the open",
}
SIGN_UP = {"kk": "Тіркелу", "ru": "Регистрация", "en": "Sign up"}
REGIONS_NAV = {"kk": "Өңірлер", "ru": "Регионы", "en": "Regions"}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_language_switch_sets_the_language_and_the_home_page_follows_it(client, language):
    # Given a visitor on the regions page
    # When they press a language button (a plain form POST, no JavaScript)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/regions/"})

    # then they are sent back where they were, with the choice remembered in a cookie
    assert response.status_code == 302
    assert response.url == "/regions/"
    assert client.cookies["taza_language"].value == language

    # and the home page speaks that language, whatever the browser prefers
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en" if language != "en" else "ru").content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<h1>{HOME_HEADLINE[language]}</h1>" in page
    assert f">{SIGN_UP[language]}</a>" in page
    assert f">{REGIONS_NAV[language]}</a>" in page
    assert f'value="{language}" lang="{language}"\n                    aria-pressed="true"' in page


def test_without_a_choice_the_site_speaks_kazakh(client):
    page = client.get("/").content.decode()

    assert '<html lang="kk">' in page
    assert HOME_HEADLINE["kk"] in page


def test_the_browser_language_is_used_until_the_visitor_chooses(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").content.decode()

    assert HOME_HEADLINE["ru"] in page


def test_the_header_offers_sign_in_and_sign_up_to_visitors(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a class="account__link" href="/accounts/login/">Sign in</a>' in page
    assert '<a class="button button--small" href="/accounts/signup/">Sign up</a>' in page
    assert "Sign out" not in page


def test_the_header_shows_a_signed_in_volunteer_and_a_sign_out_button(client):
    client.force_login(user_create(email="aruzhan@example.kz", display_name="Aruzhan"))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a class="account__name" href="/me/profile/" title="Your profile" translate="no">Aruzhan</a>' in page
    assert '<form method="post" action="/accounts/logout/" class="inline-form">' in page
    assert "Sign out</button>" in page
    assert "/accounts/login/" not in page


@pytest.mark.parametrize("path", ["/", "/events/", "/regions/", "/dumps/", "/open-data/"])
def test_every_page_links_the_api_docs_and_marks_itself_in_the_menu(client, path):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a href="/api/docs/">' in page
    assert f'<a href="{path}" aria-current="page">' in page
    # the dump registry beside the other public sections, in the menu and in the footer
    assert page.count("Illegal dumps</a></li>") == 2
    assert '<li><a href="/dumps/">Illegal dumps</a></li>' in page


def test_the_regions_page_lists_the_20_regions_in_the_chosen_language(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})

    response = client.get("/regions/")

    assert len(response.context["board"]) == 20
    page = response.content.decode()
    assert '<a href="/regions/KZ-10/">Абайская область</a>' in page
    assert '<a href="/regions/KZ-75/">город Алматы</a>' in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "<h1>Кіру</h1>"),
        ("/accounts/signup/", "<h1>Тіркелу</h1>"),
        ("/accounts/password/reset/", "<h1>Құпиясөзді қалпына келтіру</h1>"),
    ],
)
def test_account_pages_are_part_of_the_site_and_in_kazakh(client, path, heading):
    page = client.get(path).content.decode()

    assert heading in page
    assert '<link rel="stylesheet" href="/static/frontend/taza.css">' in page
    assert '<form class="language-switch"' in page


def test_the_sign_in_form_labels_and_allauth_messages_are_in_kazakh(client):
    user_create(email="dana@example.kz")

    page = client.post("/accounts/login/", {"login": "dana@example.kz", "password": "wrong"}).content.decode()

    assert "Сіз көрсеткен электрондық пошта мекенжайы және/немесе құпиясөз дұрыс емес." in page
    assert '<label for="id_password">Құпиясөз</label>' in page
    assert "Құпиясөзді ұмыттыңыз ба?" in page


def test_the_sign_up_form_speaks_russian_and_ties_errors_to_their_field(client):
    page = client.post(
        "/accounts/signup/",
        {"email": "aruzhan@example.kz", "display_name": "Аружан", "password1": "12345", "password2": "12345"},
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()

    assert "<h1>Зарегистрироваться</h1>" in page
    assert '<label for="id_display_name">Ваше имя</label>' in page
    assert '<option value="" selected>Выбрать позже</option>' in page
    assert '<option value="KZ-10">Абайская область</option>' in page
    assert (
        '<ul class="errorlist" id="id_password1_error">'
        "<li>Введённый пароль слишком короткий. Он должен состоять из как минимум 8 символов.</li>"
        "<li>Введённый пароль слишком широко распространён.</li>"
        "<li>Введённый пароль состоит только из цифр.</li></ul>"
    ) in page
    assert 'aria-invalid="true" aria-describedby="id_password1_helptext id_password1_error"' in page
