"""The API takes JSON as the schema types it, and refuses what a lenient reading would coerce.

Each refusal is a 400 with a message per field, and nothing is recorded: a number is not a title,
"10" is not a capacity, a date is not a date-time, a time without its offset is not a moment, a
form is not JSON. Events last at most TAZA_EVENT_MAX_DAYS and end within their campaign; campaigns
last at most a year and are planned at most two years ahead. An empty query value is refused.
"""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Event
from ledger.models import Fact
from tests.events.conftest import english_day

pytestmark = pytest.mark.django_db

WRITTEN = "Give a text (a JSON string), or an object with texts under any of the keys kk, ru and en."
WITH_OFFSET = "Give a date and time with its UTC offset, e.g. 2026-04-18T10:00:00+05:00."


@pytest.fixture
def body(campaign):
    starts = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    return {
        "campaign_id": str(campaign.id),
        "kind": "cleanup",
        "title": "Esil embankment clean-up",
        "region": "KZ-71",
        "address": "Esil embankment",
        "latitude": 51.1283,
        "longitude": 71.4305,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
        "capacity": 10,
    }


def refused(response) -> dict:
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("validation_error", "campaign_not_accepting_events")
    return response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": 12345}, {"title": [WRITTEN]}),
        ({"title": {"kk": "Тазалық", "de": "Putzen"}}, {"title": [WRITTEN]}),
        ({"title": {"kk": 5}}, {"title": [WRITTEN]}),
        ({"capacity": "10"}, {"capacity": ["Give a whole number."]}),
        ({"capacity": 10.0}, {"capacity": ["Give a whole number."]}),
        ({"capacity": True}, {"capacity": ["Give a whole number."]}),
        ({"latitude": "51.1283"}, {"latitude": ["Give a number."]}),
        ({"campaign_id": 7}, {"campaign_id": ["Give a text (a JSON string)."]}),
        ({"starts_at": "2026-12-20"}, {"starts_at": [WITH_OFFSET]}),
        ({"starts_at": "2026-12-20T10:00:00"}, {"starts_at": [WITH_OFFSET]}),
        # several at once: every field's message, the others read as usual
        ({"title": ["a"], "capacity": "ten", "ends_at": None}, {
            "title": [WRITTEN], "capacity": ["Give a whole number."],
            "ends_at": ["This field may not be null."],
        }),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_json_type_is_refused_and_nothing_is_recorded(organiser, client_for, body, change, fields):
    facts = Fact.objects.count()

    response = client_for(organiser).post("/api/v1/events/", {**body, **change}, format="json")

    assert refused(response) == fields
    assert (Fact.objects.count(), Event.objects.count()) == (facts, 0)


def test_the_right_types_are_taken(organiser, client_for, body):
    response = client_for(organiser).post(
        "/api/v1/events/", {**body, "starts_at": body["starts_at"].replace("+00:00", "Z")}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["capacity"] == 10


def test_a_form_instead_of_json_is_refused(organiser, client_for, body):
    response = client_for(organiser).post("/api/v1/events/", body, format="multipart")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert Event.objects.count() == 0


def test_an_event_lasts_at_most_a_week_and_ends_within_its_campaign(organiser, client_for, body, campaign, settings):
    starts = dt.datetime.fromisoformat(body["starts_at"])
    client = client_for(organiser)

    too_long = client.post("/api/v1/events/", {**body, "ends_at": (starts + dt.timedelta(days=8)).isoformat()})
    past_campaign = dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    beyond = client.post(
        "/api/v1/events/",
        {
            **body,
            "starts_at": (past_campaign - dt.timedelta(hours=30)).isoformat(),
            "ends_at": past_campaign.isoformat(),
        },
    )

    assert refused(too_long) == {"ends_at": ["An event lasts at most 7 days: hold a longer drive as several events."]}
    assert settings.TAZA_EVENT_MAX_DAYS == 7
    assert refused(beyond) == {
        "ends_at": [f"The campaign ends on {english_day(campaign.ends_on)}: the event must end by then."]
    }
    assert Event.objects.count() == 0


def test_a_reschedule_past_the_campaigns_end_is_refused(event, organiser, client_for, campaign):
    ends = dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    starts = ends - dt.timedelta(hours=30)

    response = client_for(organiser).post(
        f"/api/v1/events/{event.id}/reschedule/", {"starts_at": starts.isoformat(), "ends_at": ends.isoformat()}
    )

    assert refused(response) == {
        "ends_at": [f"The campaign ends on {english_day(campaign.ends_on)}: the event must end by then."]
    }


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "fields"),
    [
        ("9999-01-01", "9999-12-31", {"starts_on": ["A campaign starts by {latest} at the latest."]}),
        ("2026-01-01", "2027-01-31", {"ends_on": ["A campaign lasts at most 366 days."]}),
    ],
)
def test_a_campaign_far_ahead_or_longer_than_a_year_is_refused(admin, client_for, starts_on, ends_on, fields):
    latest = english_day(timezone.localdate() + dt.timedelta(days=730))
    name = {"kk": "Таза", "ru": "Таза", "en": "Taza"}
    body = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "event_kinds": ["cleanup"]}

    response = client_for(admin).post("/api/v1/campaigns/", body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {k: [m.format(latest=latest) for m in v] for k, v in fields.items()}


def test_an_empty_query_value_is_refused_as_the_schema_says(event, volunteer, client_for, api_client):
    blank = ["Give a value, or leave the parameter out."]
    anonymous = client_for(None)

    mine = client_for(volunteer).get("/api/v1/registrations/", {"status": ""})
    events = anonymous.get("/api/v1/events/", {"status": "", "kind": "cleanup"})
    board = anonymous.get("/api/v1/stats/leaderboards/regions/", {"on": ""})

    assert refused(mine) == {"status": blank}
    assert refused(events) == {"status": blank}
    assert refused(board) == {"on": blank}
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    status = next(p for p in schema["paths"]["/api/v1/registrations/"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["registered", "waitlisted", "cancelled"]


def test_events_are_upcoming_soonest_first_unless_the_past_is_asked_for(make_event, api_client, time_machine):
    later = make_event(title="Later", starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=9))
    soon = make_event(title="Soon")
    time_machine.move_to(timezone.now() + dt.timedelta(days=5))  # "Soon" (in 2 days, 3 hours) is over now

    def titles(**query) -> list[str]:
        return [e["title"] for e in api_client.get("/api/v1/events/", query).json()["results"]]

    assert titles() == ["Later"]
    assert titles(when="past") == ["Soon"]
    assert titles(when="all") == ["Soon", "Later"]
    assert (soon.title, later.title) == ("Soon", "Later")
