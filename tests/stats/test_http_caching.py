"""Answers as sent: ETag and 304, Vary, Cache-Control, and freshness of the bytes a process keeps."""

import datetime as dt

import pytest
from django.test import override_settings

from stats.selectors import freshness
from tests.stats.history import at, fold_all
from tests.stats.test_cache import DEAD_REDIS

NATIONAL = "/api/v1/stats/national/"
BOARD = "/api/v1/stats/leaderboards/regions/?metric=participants&per_capita=true"


def test_a_revalidation_with_the_current_etag_is_a_304_without_a_body(story, api_client):
    # Given an answer and its ETag
    first = api_client.get(NATIONAL)
    etag = first["ETag"]

    # When the client asks again with that ETag
    again = api_client.get(NATIONAL, HTTP_IF_NONE_MATCH=etag)

    # Then nothing is sent but the validators and caching headers
    assert first.status_code == 200
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=1"


def test_a_repeated_get_sends_the_same_bytes_and_headers(story, api_client):
    first = api_client.get(BOARD)
    second = api_client.get(BOARD)

    assert second.content == first.content
    assert {h: second[h] for h in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary")} == {
        h: first[h] for h in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary")
    }
    assert first["Content-Type"] == "application/json"
    assert second.json()["as_of_position"] == freshness().position


def test_answers_say_what_they_vary_on(story, api_client):
    response = api_client.get(NATIONAL)

    vary = {value.strip() for value in response["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Cookie"} <= vary


def test_a_new_fold_changes_the_etag_and_the_old_one_gets_the_new_figures(story, api_client, history):
    # Given a client holding the answer before a check-in
    before = api_client.get(NATIONAL)

    # When a volunteer checks in and the totals fold it
    history.check_in(story.events["E4"], story.erlan, when=at(story.today - dt.timedelta(days=1), 10))
    fold_all()
    after = api_client.get(NATIONAL, HTTP_IF_NONE_MATCH=before["ETag"])

    # Then the old ETag no longer matches: the new figures come, with their new position
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["as_of_position"] == freshness().position > before.json()["as_of_position"]
    assert after.json()["data"]["total"]["participants"] == before.json()["data"]["total"]["participants"] + 1


def test_within_the_position_ttl_a_process_answers_from_memory_then_reads_the_position_again(
    story, api_client, history, settings
):
    # Given a web process that re-reads the position only every hour, and an answer it has sent
    settings.STATS_POSITION_TTL = 3600
    before = api_client.get(NATIONAL)
    history.check_in(story.events["E4"], story.erlan, when=at(story.today - dt.timedelta(days=1), 10))
    fold_all()

    # When the same answer is asked for within the hour, it is the one in memory, position and all
    lagging = api_client.get(NATIONAL)

    # Then, once the time to live has passed, the new position and figures are read
    settings.STATS_POSITION_TTL = 0
    fresh = api_client.get(NATIONAL)
    assert lagging.content == before.content
    assert fresh.json()["as_of_position"] == freshness().position > before.json()["as_of_position"]
    assert fresh.json()["data"]["total"]["participants"] == 53


def test_each_language_is_its_own_answer_with_its_own_etag(story, api_client):
    english = api_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en")
    russian = api_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="ru", HTTP_IF_NONE_MATCH=english["ETag"])
    english_again = api_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en")

    names = {row["region"]: row["name"] for row in english.json()["data"]}
    names_ru = {row["region"]: row["name"] for row in russian.json()["data"]}
    assert (names["KZ-10"], names_ru["KZ-10"]) == ("Abai Region", "Абайская область")
    assert russian.status_code == 200
    assert russian["ETag"] != english["ETag"]
    assert english_again.content == english.content


@pytest.mark.parametrize("url", ["/api/v1/stats/national/?format=csv", "/api/v1/stats/national.csv"])
def test_a_csv_download_is_kept_apart_from_json_and_keeps_its_file_name(story, api_client, url):
    api_client.get(NATIONAL)

    first = api_client.get(url)
    second = api_client.get(url)

    position = freshness().position
    assert first["Content-Type"] == second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"] == f'attachment; filename="taza-national-{position}.csv"'
    assert second.content == first.content
    assert second.content.startswith(b"metric,total,verified,awaiting_verification,as_of_position,as_of_time\r\n")


def test_a_bad_query_is_not_kept_and_stays_a_400(db, api_client):
    url = "/api/v1/stats/leaderboards/regions/?metric=smiles"

    first = api_client.get(url)
    second = api_client.get(url)

    assert first.status_code == second.status_code == 400
    assert second.json()["error"]["code"] == "validation_error"
    assert "ETag" not in second


def test_with_redis_down_answers_still_come_from_postgresql_then_from_memory(story, api_client):
    with override_settings(CACHES=DEAD_REDIS):
        first = api_client.get(BOARD)
        second = api_client.get(BOARD, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first.json()["as_of_position"] == freshness().position
    assert first.json()["data"][0]["region"] == "KZ-71"
    assert second.status_code == 304
