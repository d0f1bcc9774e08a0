"""Survival checks: a later count of the living trees of a verified planting, per species; the
totals show trees planted and surviving apart, with a rate over the checked events only."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import caches

from config.days import local_day
from config.errors import DomainError
from events.models import SurvivalCheck
from events.selectors import planted_species
from events.services import result_log, result_verify, survival_check_record
from events.survival import due_label, due_on, label_for
from ledger.models import Fact
from ledger.runner import catch_up_all, projection_verify
from stats import cache as stats_cache
from stats import selectors as stats
from tests.events.conftest import ASTANA, english_day

PLANTED = {"waste_kg": {}, "trees": 50, "tree_species": {"elm": 40, "pine": 10}, "area_ha": "0", "headcount": 10}


def refused(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.fields


@pytest.fixture(autouse=True)
def fresh_stats_cache(settings):
    settings.STATS_POSITION_TTL = 0
    stats_cache.local.clear()
    caches["default"].clear()
    yield
    stats_cache.local.clear()


@pytest.fixture
def planting(make_event, organiser, coordinator, time_machine):
    """A tree planting in Astana: 40 elms and 10 pines, verified; the clock an hour after it ended."""
    event = make_event(kind="tree_planting", title="Nauryz trees")
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    result = result_log(actor=organiser, event_id=event.id, **PLANTED)
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=result.version)
    return event


def day_of(event) -> dt.date:
    return local_day(event.starts_at)


def move_to_day(time_machine, day: dt.date) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone(dt.timedelta(hours=5))), tick=False)


def test_the_label_follows_the_months_since_the_planting():
    planted = dt.date(2026, 4, 18)
    assert label_for(planted, dt.date(2026, 7, 17)) is None
    assert label_for(planted, dt.date(2026, 7, 18)) == "season"
    assert label_for(planted, dt.date(2027, 4, 17)) == "season"
    assert label_for(planted, dt.date(2027, 4, 18)) == "year"
    assert label_for(planted, dt.date(2029, 4, 18)) == "three_years"
    # A shorter month: 30 November plus 3 months is the last day of February.
    assert due_on(dt.date(2026, 11, 30), "season") == dt.date(2027, 2, 28)
    assert label_for(dt.date(2026, 11, 30), dt.date(2027, 2, 28)) == "season"
    # Due for 30 days from its day, until recorded.
    assert due_label(planted, dt.date(2026, 8, 17)) == "season"
    assert due_label(planted, dt.date(2026, 8, 18)) is None
    assert due_label(planted, dt.date(2026, 7, 20), {"season"}) is None
    assert due_label(planted, dt.date(2027, 5, 1)) == "year"


def test_a_season_check_counts_alive_per_species_and_the_totals_show_it_apart(planting, organiser, time_machine):
    move_to_day(time_machine, due_on(day_of(planting), "season") + dt.timedelta(days=2))
    counted_on = due_on(day_of(planting), "season")

    check = survival_check_record(
        actor=organiser, event_id=planting.id, counted_on=counted_on.isoformat(), alive={"elm": 31, "Pine": 9}
    )

    assert (check.label, check.alive, check.planted) == ("season", {"elm": 31, "pine": 9}, {"elm": 40, "pine": 10})
    assert (check.alive_total, check.planted_total, check.counted_as, check.current) == (40, 50, "organiser", True)
    fact = Fact.objects.get(stream=planting.stream, type="SurvivalChecked")
    assert fact.data["counted_on"] == counted_on.isoformat()
    catch_up_all()
    expected = {"trees_planted": 50, "trees_checked": 50, "trees_surviving": 40, "survival_rate": "0.8000"}
    assert stats.survival_of(scope="national", key="KZ") == expected
    assert stats.survival_of(scope="region", key=ASTANA) == expected
    assert stats.survival_of(scope="campaign", key=str(planting.campaign_id)) == expected
    assert projection_verify(name="stats.totals") == []


def test_the_rate_counts_only_checked_events(planting, make_event, organiser, coordinator, time_machine):
    # A second planting of 30 trees, verified, never checked: unknown, not dead.
    other = make_event(kind="tree_planting")
    time_machine.move_to(other.ends_at + dt.timedelta(hours=1), tick=False)
    figures = {**PLANTED, "trees": 30, "tree_species": {}}
    result = result_log(actor=organiser, event_id=other.id, **figures)
    result_verify(actor=coordinator, event_id=other.id, decision="accepted", result_version=result.version)
    move_to_day(time_machine, due_on(day_of(planting), "season"))
    survival_check_record(
        actor=coordinator, event_id=planting.id, counted_on=timezone_today(), alive={"elm": 20, "pine": 5}
    )

    catch_up_all()

    national = stats.survival_totals()["national"]
    assert national == {"trees_planted": 80, "trees_checked": 50, "trees_surviving": 25, "survival_rate": "0.5000"}


def timezone_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def test_a_later_check_of_the_same_label_supersedes_and_a_year_outranks_a_season(
    planting, organiser, coordinator, time_machine
):
    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season)
    first = survival_check_record(
        actor=organiser, event_id=planting.id, counted_on=season, alive={"elm": 35, "pine": 10}
    )
    correction = survival_check_record(
        actor=coordinator, event_id=planting.id, counted_on=season, alive={"elm": 30, "pine": 10}, note="Recounted."
    )
    first.refresh_from_db()
    assert (first.current, correction.current, correction.counted_as) == (False, True, "coordinator")
    catch_up_all()
    assert stats.survival_of(scope="national", key="KZ")["trees_surviving"] == 40

    year = due_on(day_of(planting), "year")
    move_to_day(time_machine, year)
    survival_check_record(actor=organiser, event_id=planting.id, counted_on=year, alive={"elm": 25, "pine": 8})
    # A season check recorded late (dated in the season) corrects the season, not the latest figure.
    survival_check_record(
        actor=organiser, event_id=planting.id, counted_on=season + dt.timedelta(days=3), alive={"elm": 39, "pine": 10}
    )
    catch_up_all()

    assert stats.survival_of(scope="national", key="KZ") == {
        "trees_planted": 50,
        "trees_checked": 50,
        "trees_surviving": 33,
        "survival_rate": "0.6600",
    }
    assert list(SurvivalCheck.objects.filter(event=planting, current=True).values_list("label", "alive_total")) == [
        ("year", 33),
        ("season", 49),
    ]
    assert projection_verify(name="stats.totals") == []


def test_refusals_name_the_field_and_append_nothing(planting, organiser, volunteer, time_machine):
    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season)
    before = Fact.objects.count()

    assert refused(
        lambda: survival_check_record(
            actor=organiser, event_id=planting.id, counted_on=season, alive={"elm": 41, "oak": 1}
        )
    ) == (
        "validation_error",
        {
            "alive.elm": ["41 alive is more than the 40 planted."],
            "alive.oak": ["This species was not planted here. Planted: elm, pine."],
            "alive.pine": ["Count this species too (0 if none is alive)."],
        },
    )
    assert refused(
        lambda: survival_check_record(
            actor=organiser,
            event_id=planting.id,
            counted_on=season - dt.timedelta(days=1),
            alive={"elm": 1, "pine": 1},
        )
    ) == (
        "survival_check_too_early",
        {"counted_on": [f"The first check is due 3 months after the planting, on {season.isoformat()}."]},
    )
    assert refused(
        lambda: survival_check_record(
            actor=organiser, event_id=planting.id, counted_on=season + dt.timedelta(days=1), alive={"elm": 1, "pine": 1}
        )
    ) == ("validation_error", {"counted_on": ["The count cannot be in the future."]})
    assert (
        refused(
            lambda: survival_check_record(actor=volunteer, event_id=planting.id, counted_on=season, alive={"elm": 1})
        )[0]
        == "permission_denied"
    )
    assert Fact.objects.count() == before


def test_only_a_verified_planting_takes_a_check(make_event, organiser, coordinator, time_machine):
    cleanup = make_event()
    planting = make_event(kind="tree_planting")
    time_machine.move_to(planting.ends_at + dt.timedelta(hours=1), tick=False)
    result_log(actor=organiser, event_id=planting.id, **PLANTED)  # awaiting verification
    move_to_day(time_machine, due_on(day_of(planting), "season"))
    today = timezone_today()

    assert refused(lambda: survival_check_record(actor=organiser, event_id=cleanup.id, counted_on=today, alive={})) == (
        "not_tree_planting",
        {},
    )
    assert refused(
        lambda: survival_check_record(actor=organiser, event_id=planting.id, counted_on=today, alive={"elm": 1})
    ) == ("no_verified_trees", {})


def test_the_api_records_a_check_and_lists_it_publicly(planting, organiser, client_for, time_machine):
    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season)
    url = f"/api/v1/events/{planting.id}/survival-checks/"
    body = {"counted_on": season.isoformat(), "alive": {"elm": 31, "pine": 9}, "note": "Dry summer."}

    answer = client_for(organiser).post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="check-1")
    again = client_for(organiser).post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="check-1")
    other = client_for(organiser).post(
        url, {**body, "alive": {"elm": 30, "pine": 9}}, format="json", HTTP_IDEMPOTENCY_KEY="check-1"
    )

    assert answer.status_code == 201
    assert again.status_code == 201 and again.json() == answer.json()
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert Fact.objects.filter(type="SurvivalChecked").count() == 1
    listed = client_for(None).get(url)
    assert listed.status_code == 200
    [check] = listed.json()
    assert {k: check[k] for k in ("label", "alive", "planted", "alive_total", "planted_total", "survival_rate")} == {
        "label": "season",
        "alive": {"elm": 31, "pine": 9},
        "planted": {"elm": 40, "pine": 10},
        "alive_total": 40,
        "planted_total": 50,
        "survival_rate": "0.8000",
    }
    too_much = client_for(organiser).post(url, {**body, "alive": {"elm": 50, "pine": 9}}, format="json")
    assert too_much.status_code == 400
    assert too_much.json()["error"]["code"] == "validation_error"
    assert too_much.json()["error"]["fields"] == {"alive.elm": ["50 alive is more than the 40 planted."]}
    early = client_for(organiser).post(
        url, {**body, "counted_on": (season - dt.timedelta(days=1)).isoformat()}, format="json"
    )
    assert (early.status_code, early.json()["error"]["code"]) == (400, "survival_check_too_early")


def test_the_stats_api_answers_survival_nationally_per_region_and_campaign(
    planting, organiser, client_for, time_machine
):
    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season)
    survival_check_record(actor=organiser, event_id=planting.id, counted_on=season, alive={"elm": 31, "pine": 9})
    catch_up_all()

    data = client_for(None).get("/api/v1/stats/survival/").json()["data"]

    rate = {"trees_planted": 50, "trees_checked": 50, "trees_surviving": 40, "survival_rate": "0.8000"}
    assert data["national"] == rate
    assert [r for r in data["regions"] if r["trees_planted"]] == [{"region": ASTANA, "name": "Astana", **rate}]
    assert len(data["regions"]) == 20
    assert data["campaigns"] == [{"campaign_id": str(planting.campaign_id), "name": "Taza Kazakhstan", **rate}]
    csv = client_for(None).get("/api/v1/stats/survival/?format=csv").content.decode().splitlines()
    assert csv[0].split(",")[:8] == [
        "scope",
        "key",
        "name",
        "trees_planted",
        "trees_checked",
        "trees_surviving",
        "survival_rate",
        "as_of_position",
    ]
    assert len(csv) == 1 + 1 + 20 + 1


def test_beat_asks_the_organiser_once_per_event_and_label_in_their_language(planting, organiser, time_machine):
    from django.core import mail

    from events.reminders import survival_reminders_record
    from events.tasks import record_survival_reminders
    from outbox import sender
    from outbox.models import Message

    organiser.language = "en"
    organiser.save(update_fields=["language"])
    sender.send_due()
    mail.outbox.clear()
    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season - dt.timedelta(days=1))
    assert survival_reminders_record() == 0

    move_to_day(time_machine, season)
    assert record_survival_reminders.delay().get() == 1
    move_to_day(time_machine, season + dt.timedelta(days=5))
    assert survival_reminders_record() == 0
    sender.send_due()

    [message] = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == '[Taza] Time to count the trees of "Nauryz trees"'
    until = season + dt.timedelta(days=30)
    assert message.body.split("\n--\n")[0] == (
        f'The survival check "After a season" of "Nauryz trees" is due from {english_day(season)} to '
        f"{english_day(until)}.\n\nCount the trees still alive, species by species, and record the count: "
        f"{settings.SITE_URL.rstrip('/')}/organise/events/{planting.id}/survival/\n"
        "The totals show trees planted and trees surviving apart: only the plantings with a check count in the "
        "survival rate.\n"
    )
    assert list(Message.objects.filter(kind="events.survival_check_due").values_list("key", flat=True)) == [
        f"events.survival_check_due:{planting.id}:season"
    ]
    # Recorded, the season is no longer due; a year on, the year's check is asked for.
    survival_check_record(
        actor=organiser, event_id=planting.id, counted_on=timezone_today(), alive={"elm": 1, "pine": 1}
    )
    move_to_day(time_machine, due_on(day_of(planting), "year") + dt.timedelta(days=2))
    assert survival_reminders_record() == 1


def test_the_pages_show_what_is_due_record_the_check_and_the_survival(planting, organiser, coordinator, time_machine):
    from django.test import Client

    season = due_on(day_of(planting), "season")
    move_to_day(time_machine, season + dt.timedelta(days=1))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(organiser)

    assert (
        f"/organise/events/{planting.id}/survival/" in client.get(f"/organise/events/{planting.id}/").content.decode()
    )
    console = client.get("/organise/").content.decode()
    assert 'data-survival-due="season"' in console
    assert f"/organise/events/{planting.id}/survival/" in console

    worklist = Client(HTTP_ACCEPT_LANGUAGE="en")
    worklist.force_login(coordinator)
    assert 'data-survival-due="season"' in worklist.get("/coordinate/").content.decode()

    form = f"/organise/events/{planting.id}/survival/"
    refused_page = client.post(form, {"counted_on": season.isoformat(), "alive_0": "41", "alive_1": "10"})
    assert refused_page.status_code == 200
    assert "41 alive is more than the 40 planted." in refused_page.content.decode()
    assert not SurvivalCheck.objects.exists()
    done = client.post(form, {"counted_on": season.isoformat(), "alive_0": "30", "alive_1": "10", "note": "Dry."})
    assert (done.status_code, done["Location"]) == (302, "/organise/")
    assert SurvivalCheck.objects.get().alive == {"elm": 30, "pine": 10}
    assert 'data-survival-due="season"' not in client.get("/organise/").content.decode()

    catch_up_all()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/events/{planting.id}/").content.decode()
    assert "After a season" in page and "40 of 50 (80.0 %)" in page
    for path in ("/", f"/regions/{ASTANA}/", f"/campaigns/{planting.campaign_id}/"):
        shown = " ".join(Client(HTTP_ACCEPT_LANGUAGE="en").get(path).content.decode().split())
        assert "Trees planted: 50; trees surviving: 40 (80.0 %)." in shown, path
        assert "The rate counts only the events with a survival check, each at its latest check: 50 trees" in shown
    elsewhere = " ".join(Client(HTTP_ACCEPT_LANGUAGE="en").get("/regions/KZ-75/").content.decode().split())
    assert "Trees planted: 0. No survival check has been recorded yet." in elsewhere


def test_a_rejected_correction_leaves_the_planting_verified_before_it_to_be_checked(
    planting, organiser, coordinator, time_machine
):
    """The organiser corrects the planting to 80 oaks and the coordinator rejects the correction:
    the 40 elms and 10 pines verified before stand, in the totals and for the survival check."""
    correction = result_log(
        actor=organiser,
        event_id=planting.id,
        **{**PLANTED, "trees": 80, "tree_species": {"oak": 80}, "correction_reason": "miscounted"},
    )
    result_verify(
        actor=coordinator, event_id=planting.id, decision="rejected", result_version=correction.version, reason="no"
    )
    correction.refresh_from_db()
    assert (correction.version, correction.verified_version, correction.status) == (5, 5, "rejected")

    assert planted_species(planting) == {"elm": 40, "pine": 10}
    move_to_day(time_machine, due_on(day_of(planting), "season"))
    check = survival_check_record(
        actor=organiser, event_id=planting.id, counted_on=timezone_today().isoformat(), alive={"elm": 30, "pine": 9}
    )
    assert (check.planted, check.alive, check.planted_total) == ({"elm": 40, "pine": 10}, {"elm": 30, "pine": 9}, 50)
