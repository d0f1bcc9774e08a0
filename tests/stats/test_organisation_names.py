"""Leaderboards name an organisation in the reader's language, else in the first it is written in."""

from django.urls import reverse

from volunteers.models import Organisation

KK, RU = "ЕҰУ экоклубы", "Экоклуб ЕНУ"


def test_the_organisation_leaderboard_names_each_in_the_readers_language(story, api_client, client):
    # Given the eco club named in Kazakh and Russian too, and the school in English only
    Organisation.objects.filter(name_en="Eco club of ENU").update(name_kk=KK, name_ru=RU)

    def board(language: str) -> list[str]:
        answer = api_client.get(
            "/api/v1/stats/leaderboards/organisations/", {"metric": "participants"}, HTTP_ACCEPT_LANGUAGE=language
        )
        return [row["name"] for row in answer.json()["data"]]

    # Then each language reads its own name, and the one written in English only reads in English
    assert [board(language) for language in ("kk", "ru", "en")] == [
        [KK, "School No. 7"],
        [RU, "School No. 7"],
        ["Eco club of ENU", "School No. 7"],
    ]
    # and so does the organisations' page, its names linking to their pages
    page = client.get(reverse("organisations"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'translate="no">{RU}</a>' in page and "School No. 7" in page and "Eco club of ENU" not in page
