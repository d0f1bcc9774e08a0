"""The regional view's API and page before any instance is mirrored, and the setting's checks."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from regional.instances import configured_instances
from transparency.note import Signer

pytestmark = pytest.mark.django_db
KEY = Signer("kg.test/log", bytes(32)).verifier.vkey


def test_with_no_instance_configured_the_view_is_empty_and_says_so(api_client, settings):
    settings.TAZA_REGIONAL_INSTANCES = ""

    answer = api_client.get("/api/v1/regional/").json()

    assert (answer["instances"], answer["campaigns"], answer["leaderboard"]) == (
        [],
        [],
        {"metric": "trees", "rows": []},
    )
    assert answer["totals"]["total"]["trees"] == 0
    page = api_client.get("/regional/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No country's platform is configured for this regional view yet." in page


def test_an_instance_configured_but_never_mirrored_counts_nothing_and_is_silent(api_client, settings, tmp_path):
    listed = tmp_path / "instances.json"
    listed.write_text(json.dumps([{"country": "kg", "url": "http://127.0.0.1:9/", "log_key": KEY}]))
    settings.TAZA_REGIONAL_INSTANCES = str(listed)

    answer = api_client.get("/api/v1/regional/?metric=participants").json()

    [instance] = answer["instances"]
    assert (instance["country"], instance["url"], instance["status"], instance["checkpoint"]["size"]) == (
        "KG",
        "http://127.0.0.1:9",
        "silent",
        0,
    )
    assert answer["leaderboard"]["rows"][0]["value"] == "0"


def test_a_metric_the_leaderboard_does_not_know_is_refused(api_client):
    answer = api_client.get("/api/v1/regional/?metric=seeds")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "validation_error"
    assert list(answer.json()["error"]["fields"]) == ["metric"]


@pytest.mark.parametrize(
    "setting",
    [
        "[{",
        [{"country": "KG", "url": "http://kg.test"}],
        [{"country": "XX", "url": "http://kg.test", "log_key": KEY}],
        [{"country": "KG", "url": "ftp://kg.test", "log_key": KEY}],
        [
            {"country": "KG", "url": "http://kg.test", "log_key": KEY},
            {"country": "KG", "url": "http://b", "log_key": KEY},
        ],
    ],
)
def test_a_setting_that_is_not_a_list_of_valid_instances_is_refused(settings, setting):
    settings.TAZA_REGIONAL_INSTANCES = setting

    with pytest.raises(ImproperlyConfigured):
        configured_instances()


def test_the_open_data_page_links_to_the_regional_view(client):
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a href="/regional/">The regional view</a>' in page
