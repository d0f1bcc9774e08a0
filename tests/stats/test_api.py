"""The public stats API over the scripted story: leaderboards, plan versus fact, series, CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from stats.selectors import freshness
from volunteers.models import User


def data_of(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["as_of_position"] == freshness().position
    return body["data"]


def test_national_answers_without_login_and_says_how_fresh_it_is(story, api_client):
    body = api_client.get("/api/v1/stats/national/").json()

    assert body["as_of_position"] > 0
    assert body["as_of_time"] is not None
    assert body["data"]["total"]["participants"] == 52
    assert body["data"]["verified"]["waste_kg"] == "320.500"


def test_region_leaderboard_per_1000_residents_ranks_by_population(story, api_client):
    # Astana: 45 participants, 1 367 000 residents; Abai: 7 participants, 600 000 residents.
    rows = data_of(
        api_client.get("/api/v1/stats/leaderboards/regions/", {"metric": "participants", "per_capita": "true"})
    )

    assert [(r["rank"], r["region"], r["value"], r["per_1000_residents"]) for r in rows[:2]] == [
        (1, "KZ-71", 45, "0.0329"),
        (2, "KZ-10", 7, "0.0117"),
    ]
    assert [(r["rank"], r["value"]) for r in rows[2:4]] == [(3, 0), (4, 0)]
    assert len(rows) == 20


def test_region_leaderboard_of_trees_per_capita_and_raw(story, api_client):
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/regions/", {"metric": "trees", "per_capita": "true"}))

    assert rows[0] | {"name": None} == {
        "rank": 1,
        "region": "KZ-10",
        "name": None,
        "population": 600000,
        "value": 40,
        "verified": 40,
        "per_1000_residents": "0.0667",
    }


def test_region_leaderboard_of_waste_this_week_counts_only_this_week(story, api_client):
    today = story.today
    next_week = today + dt.timedelta(days=7 + (7 - today.weekday()))
    rows = data_of(
        api_client.get("/api/v1/stats/leaderboards/regions/", {"metric": "waste_kg", "period": "week", "on": next_week})
    )
    assert rows[0]["value"] == "0.000"

    # The waste was collected two days ago: its month has it, the month before has none (asked by
    # date, so the test does not depend on whether two days ago is still this month)
    collected = today - dt.timedelta(days=2)
    month = {"metric": "waste_kg", "period": "month"}
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/regions/", {**month, "on": collected}))
    assert (rows[0]["region"], rows[0]["value"]) == ("KZ-71", "320.500")
    month_before = collected.replace(day=1) - dt.timedelta(days=1)
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/regions/", {**month, "on": month_before}))
    assert {r["value"] for r in rows} == {"0.000"}


def test_organisation_leaderboard_by_participants(story, api_client):
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/organisations/", {"metric": "participants"}))

    assert [(r["rank"], r["name"], r["value"], r["verified"]) for r in rows] == [
        (1, "Eco club of ENU", 45, 15),
        (2, "School No. 7", 7, 7),
    ]


def test_organisation_leaderboard_for_the_campaign_equals_all_time_here(story, api_client):
    params = {"metric": "participants", "period": "campaign", "campaign": str(story.campaign)}
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/organisations/", params))

    assert [(r["name"], r["value"]) for r in rows] == [("Eco club of ENU", 45), ("School No. 7", 7)]


def test_volunteer_leaderboard_shows_only_those_who_opted_in_by_display_name(story, api_client):
    # Aigerim: E1 2 h + E2 2 h (10-14 once); Bolat: E1 4 h (his E3 was rejected); Dana is hidden; Erlan
    # has no account. Aigerim ranks first on the tie: more events.
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/volunteers/"))

    assert rows == [
        {"rank": 1, "display_name": "Aigerim", "events": 2, "volunteer_hours": "4.00"},
        {"rank": 2, "display_name": "Bolat", "events": 1, "volunteer_hours": "4.00"},
    ]


def test_a_deleted_account_vanishes_from_the_volunteer_leaderboard(story, api_client):
    User.objects.get(email="aigerim@example.kz").delete()

    rows = data_of(api_client.get("/api/v1/stats/leaderboards/volunteers/", {"period": "week", "on": story.today}))
    names = [r["display_name"] for r in rows]
    assert "Aigerim" not in names


def test_volunteer_leaderboard_by_events_for_the_campaign(story, api_client):
    params = {"metric": "events", "period": "campaign", "campaign": str(story.campaign)}
    rows = data_of(api_client.get("/api/v1/stats/leaderboards/volunteers/", params))

    assert [(r["display_name"], r["events"]) for r in rows] == [("Aigerim", 2), ("Bolat", 1)]


def test_plan_versus_fact_flags_the_regions_behind(story, api_client):
    # Half of the campaign's 20 days are gone; tolerance 10 %: on track from 45 % of the target.
    plan = data_of(api_client.get(f"/api/v1/stats/campaigns/{story.campaign}/plan/"))

    assert plan["elapsed_percent"] == "50.0"
    assert plan["behind_regions"] == ["KZ-10", "KZ-62"]
    regions = {r["region"]: r for r in plan["regions"]}
    assert regions["KZ-71"]["behind"] is False
    assert regions["KZ-71"]["metrics"] == [
        {
            "metric": "participants",
            "target": 80,
            "achieved": 45,
            "achieved_verified": 15,
            "percent": "56.3",
            "expected_percent": "50.0",
            "on_track": True,
        },
        {
            "metric": "waste_kg",
            "target": "600.000",
            "achieved": "320.500",
            "achieved_verified": "320.500",
            "percent": "53.4",
            "expected_percent": "50.0",
            "on_track": True,
        },
    ]
    trees = regions["KZ-10"]["metrics"][0]
    assert (trees["metric"], trees["target"], trees["achieved"], trees["percent"]) == ("trees", 200, 40, "20.0")
    assert trees["on_track"] is False


def test_plan_of_an_unknown_campaign_is_a_404_in_the_error_format(db, api_client):
    response = api_client.get("/api/v1/stats/campaigns/00000000-0000-0000-0000-000000000000/plan/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_bad_query_is_a_400_with_field_messages(db, api_client):
    response = api_client.get("/api/v1/stats/leaderboards/regions/", {"metric": "smiles", "period": "campaign"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert set(response.json()["error"]["fields"]) == {"metric"}


def test_totals_as_of_a_past_day_and_today(story, api_client):
    two_days_ago = story.today - dt.timedelta(days=2)

    before = data_of(api_client.get("/api/v1/stats/as-of/", {"date": two_days_ago - dt.timedelta(days=1)}))
    on_the_day = data_of(api_client.get("/api/v1/stats/as-of/", {"date": two_days_ago}))
    now = data_of(api_client.get("/api/v1/stats/as-of/", {"date": story.today}))

    assert before["total"]["events"] == 0
    assert (on_the_day["total"]["events"], on_the_day["total"]["participants"]) == (2, 22)
    assert (now["total"]["events"], now["total"]["participants"]) == (3, 52)


def test_daily_series_of_a_region_with_its_running_total(story, api_client):
    rows = data_of(api_client.get("/api/v1/stats/timeseries/", {"metric": "participants", "region": "KZ-71"}))

    assert rows == [
        {"day": str(story.today - dt.timedelta(days=2)), "value": 15, "verified": 15, "cumulative": 15},
        {"day": str(story.today - dt.timedelta(days=1)), "value": 30, "verified": 0, "cumulative": 45},
    ]
    rows = data_of(
        api_client.get(
            "/api/v1/stats/timeseries/", {"metric": "participants", "start": story.today - dt.timedelta(days=1)}
        )
    )
    assert rows == [{"day": str(story.today - dt.timedelta(days=1)), "value": 30, "verified": 0, "cumulative": 52}]


@pytest.mark.parametrize("url", ["/api/v1/stats/national/?format=csv", "/api/v1/stats/national.csv"])
def test_national_totals_as_a_csv_download(story, api_client, url):
    response = api_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="taza-national-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_metric = {row["metric"]: row for row in rows}
    position = str(freshness().position)
    assert by_metric["participants"] == {
        "metric": "participants",
        "total": "52",
        "verified": "22",
        "awaiting_verification": "30",
        "as_of_position": position,
        "as_of_time": by_metric["participants"]["as_of_time"],
    }
    assert by_metric["waste_kg_plastic"]["total"] == "120.500"
    assert by_metric["area_ha"]["awaiting_verification"] == "2.5000"


def test_plan_as_csv_has_a_row_per_region_and_metric(story, api_client):
    response = api_client.get(reverse("stats-campaign-plan", args=[story.campaign]), {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["region"], r["metric"], r["on_track"], r["behind"]) for r in rows] == [
        ("KZ-10", "trees", "False", "True"),
        ("KZ-62", "waste_kg", "False", "True"),
        ("KZ-71", "participants", "True", "False"),
        ("KZ-71", "waste_kg", "True", "False"),
    ]


def test_region_detail_with_per_capita_and_plan(story, api_client):
    region = data_of(api_client.get("/api/v1/stats/regions/KZ-10/"))

    assert region["total"]["trees"] == 40
    assert region["per_1000_residents"]["trees"] == "0.0667"
    assert [c["total"]["events"] for c in region["campaigns"]] == [1]
    assert region["plans"][0]["behind"] is True
    assert api_client.get("/api/v1/stats/regions/KZ-00/").status_code == 404
