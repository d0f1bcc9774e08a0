"""Privacy, terms, accessibility, contact and help: on every page's footer, in kk, ru and en, with
the address people write to from TAZA_CONTACT_EMAIL."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/privacy/": {"kk": "Құпиялылық", "ru": "Конфиденциальность", "en": "Privacy"},
    "/terms/": {"kk": "Пайдалану шарттары", "ru": "Условия использования", "en": "Terms of use"},
    "/accessibility/": {"kk": "Қолжетімділік", "ru": "Доступность", "en": "Accessibility"},
    "/contact/": {"kk": "Байланыс", "ru": "Контакты", "en": "Contact"},
    "/help/": {"kk": "Анықтама", "ru": "Помощь", "en": "Help"},
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_each_page_opens_in_each_language_and_is_linked_from_every_footer(client, path, language):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"<h1>{PAGES[path][language]}</h1>" in page
    assert f'<html lang="{language}"' in page
    assert f'<li><a href="{path}">{PAGES[path][language]}</a></li>' in home


def test_the_address_to_write_to_is_the_settings(client, settings):
    settings.TAZA_CONTACT_EMAIL = "komek@taza.gov.kz"

    for path in ("/privacy/", "/accessibility/", "/contact/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<a href="mailto:komek@taza.gov.kz" translate="no">komek@taza.gov.kz</a>' in page, path


def test_the_privacy_notice_links_the_exact_published_fields(client):
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a href="/open-data/#published">The exact fields published for each kind of fact</a>' in page
    assert client.get("/open-data/").content.decode().count('id="published"') == 1
