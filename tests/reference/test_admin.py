"""An admin edits a country's names and figures, never its code, and adds or deletes no country."""

import pytest

from reference.models import Country

pytestmark = pytest.mark.django_db


def test_an_admin_edits_a_countrys_population_but_not_its_code(admin_client):
    page = admin_client.get("/admin/reference/country/KZ/change/")
    assert page.status_code == 200
    assert "code" not in page.context["adminform"].form.fields

    response = admin_client.post(
        "/admin/reference/country/KZ/change/",
        {
            "name_local": "Қазақстан",
            "name_kk": "Қазақстан",
            "name_ru": "Казахстан",
            "name_en": "Kazakhstan",
            "time_zone": "Asia/Almaty",
            "population": "20265320",
            "population_year": "2024",
            "population_source": "Bureau of National Statistics, 1 December 2024",
        },
    )

    assert response.status_code == 302
    kazakhstan = Country.objects.get(code="KZ")
    assert (kazakhstan.population, kazakhstan.population_source) == (
        20265320,
        "Bureau of National Statistics, 1 December 2024",
    )
    assert admin_client.get("/admin/reference/country/add/").status_code == 403
    assert admin_client.get("/admin/reference/country/KZ/delete/").status_code == 403
    assert admin_client.get("/admin/reference/country/").status_code == 200


def test_a_regions_country_is_shown_but_fixed(admin_client):
    page = admin_client.get("/admin/reference/region/KZ-10/change/")

    assert page.status_code == 200
    assert "country" not in page.context["adminform"].form.fields
    assert "Қазақстан" in page.content.decode()  # its name in the admin's language, Kazakh
