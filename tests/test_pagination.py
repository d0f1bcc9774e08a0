"""Every API list pages from 1 to 500 results and says so when asked for anything else."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/events/", "/api/v1/campaigns/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("limit", ["0", "-1", "abc", "501", "1000000", "1.5", ""])
def test_a_limit_outside_one_to_five_hundred_is_refused(url, limit):
    response = APIClient().get(url, {"limit": limit}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {"limit": ["Give a whole number from 1 to 500."]},
        }
    }


@pytest.mark.parametrize("offset", ["-1", "x", str(2**31), str(10**30)])
def test_an_offset_that_is_not_a_place_in_the_list_is_refused(offset):
    response = APIClient().get("/api/v1/events/", {"offset": offset}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"offset": ["Give a whole number from 0 to 2147483647."]}


def test_the_bounds_are_served_as_they_are_documented():
    ok = APIClient().get("/api/v1/events/", {"limit": "500", "offset": str(2**31 - 1)})
    assert ok.status_code == 200
    assert ok.json()["results"] == []
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    limit = next(p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
