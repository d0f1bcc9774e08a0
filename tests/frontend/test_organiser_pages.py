"""Organisers' and coordinators' pages without JavaScript: propose, roster tick, undo, result,
approve, reject, verify; and who may open them."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from events.models import CheckIn, Event, Result
from events.services import registration_create, result_log
from ledger.models import Fact

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def proposal(world, **overrides) -> dict:
    starts = timezone.localtime() + dt.timedelta(days=4)
    return {
        "campaign": str(world.campaign.id),
        "kind": "tree_planting",
        "title_en": "Saplings by the Ishim",
        "region": "KZ-71",
        "address_en": "Left bank, block 12",
        "latitude": "",
        "longitude": "",
        "starts_at": starts.strftime("%Y-%m-%dT10:00"),
        "ends_at": starts.strftime("%Y-%m-%dT13:00"),
        "capacity": "25",
        **overrides,
    }


def test_an_organiser_proposes_an_event_with_the_form(client, world):
    client.force_login(world.organiser)

    response = client.post("/organise/events/new/", proposal(world), HTTP_ACCEPT_LANGUAGE="en")

    event = Event.objects.get(title_en="Saplings by the Ishim")
    assert response.url == f"/organise/events/{event.id}/"
    assert (event.status, event.kind, event.capacity, event.organisation_id) == (
        "proposed",
        "tree_planting",
        25,
        world.organiser.organisation_id,
    )
    assert timezone.localtime(event.starts_at).hour == 10


def test_a_proposal_the_service_refuses_shows_the_reason_beside_the_field_and_records_nothing(client, world):
    client.force_login(world.organiser)
    facts = Fact.objects.count()
    too_late = timezone.localtime() + dt.timedelta(days=200)  # after the campaign

    response = client.post(
        "/organise/events/new/",
        proposal(world, starts_at=too_late.strftime("%Y-%m-%dT10:00"), ends_at=too_late.strftime("%Y-%m-%dT12:00")),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"][0].startswith("The campaign runs from ")
    assert Fact.objects.count() == facts


def test_the_organiser_reschedules_an_event_and_its_volunteers_are_told_by_email(
    client, world, dana, django_capture_on_commit_callbacks, mailoutbox
):
    event = world.later[0]
    dana.language = "en"
    dana.save(update_fields=["language"])
    registration_create(actor=dana, event_id=event.id)
    client.force_login(world.organiser)
    console = client.get(f"/organise/events/{event.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    day = timezone.localtime(event.starts_at) + dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organise/events/{event.id}/reschedule/",
            {"starts_at": day.strftime("%Y-%m-%dT09:00"), "ends_at": day.strftime("%Y-%m-%dT11:30"), "reason": "Rain."},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert f'href="/organise/events/{event.id}/reschedule/"' in console
    assert response.url == f"/organise/events/{event.id}/"
    assert messages_of(response) == ["The event has a new time; its volunteers are told by email."]
    event.refresh_from_db()
    assert (
        timezone.localtime(event.starts_at).strftime("%d %H:%M"),
        timezone.localtime(event.ends_at).strftime("%H:%M"),
    ) == (
        day.strftime("%d 09:00"),
        "11:30",
    )
    # Dana's confirmation went out with the commit, then the new time with the reason the form asked for
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["dana@taza.test"], "[Taza] You are registered: Tree planting in the Botanical Garden"),
        (["dana@taza.test"], "[Taza] New time: Tree planting in the Botanical Garden"),
    ]
    assert "The organiser's reason: Rain." in mailoutbox[1].body


def test_a_reschedule_the_service_refuses_shows_the_reason_beside_the_field_and_records_nothing(client, world):
    event = world.later[0]
    client.force_login(world.organiser)
    facts = Fact.objects.count()
    day = timezone.localtime(event.starts_at) + dt.timedelta(days=1)

    response = client.post(
        f"/organise/events/{event.id}/reschedule/",
        {"starts_at": day.strftime("%Y-%m-%dT12:00"), "ends_at": day.strftime("%Y-%m-%dT11:00"), "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_at": ["The event must end after it starts."]}
    assert Fact.objects.count() == facts
    assert Event.objects.get(pk=event.id).starts_at == event.starts_at


def test_the_reschedule_form_without_dates_asks_for_them(client, world):
    client.force_login(world.organiser)

    response = client.post(f"/organise/events/{world.later[0].id}/reschedule/", {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["ends_at", "starts_at"]


def test_volunteers_cannot_open_the_organisers_pages(client, world, dana):
    client.force_login(dana)

    assert client.get("/organise/").status_code == 403
    assert client.get(f"/organise/events/{world.soon.id}/").status_code == 403
    assert client.get(f"/organise/events/{world.soon.id}/reschedule/").status_code == 403
    undo = f"/organise/events/{world.soon.id}/checkin/{world.soon.id}/undo/"
    assert client.post(undo, {"reason": "Not here."}).status_code == 403


def test_the_roster_tick_checks_a_volunteer_in_once(client, world, dana):
    place = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(world.organiser)
    url = f"/organise/events/{world.soon.id}/checkin/roster/"

    first = client.post(url, {"registration_id": str(place.id)}, HTTP_ACCEPT_LANGUAGE="en")
    again = client.post(url, {"registration_id": str(place.id)}, HTTP_ACCEPT_LANGUAGE="en")

    assert first.url == f"/organise/events/{world.soon.id}/#roster"
    assert messages_of(first) == ["Dana is checked in."]
    assert messages_of(again)[-1].startswith("Dana was already checked in at ")
    assert list(CheckIn.objects.values_list("volunteer_id", "method")) == [(dana.volunteer_id, "roster")]
    roster = client.get(f"/organise/events/{world.soon.id}/roster/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong data-checked-in-count>1</strong> of 1 registered volunteer checked in" in roster


def test_there_is_no_walk_in_by_email_any_more(client, world, dana):
    # Checking in someone by their email, without their consent, told which emails have accounts
    client.force_login(world.organiser)

    response = client.post(f"/organise/events/{world.soon.id}/checkin/walk-in/", {"email": "dana@taza.test"})

    assert response.status_code == 404
    assert not CheckIn.objects.exists()
    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "walk-in" not in console and 'type="email"' not in console


def test_the_organiser_undoes_a_wrong_check_in_with_a_reason(client, world, dana):
    # Given Dana ticked on the roster by mistake
    place = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(world.organiser)
    client.post(f"/organise/events/{world.soon.id}/checkin/roster/", {"registration_id": str(place.id)})
    checkin = CheckIn.objects.get()
    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = f"/organise/events/{world.soon.id}/checkin/{checkin.id}/undo/"
    assert f'action="{url}"' in console

    # When the organiser presses undo without a reason, then with one
    facts_before = Fact.objects.count()
    blank = client.post(url, {"reason": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert messages_of(blank) == ["Say why the check-in is undone."]
    assert Fact.objects.count() == facts_before
    done = client.post(url, {"reason": "Ticked the wrong name."}, HTTP_ACCEPT_LANGUAGE="en")
    again = client.post(url, {"reason": "Ticked the wrong name."}, HTTP_ACCEPT_LANGUAGE="en")

    # Then the first appends nothing, the second undoes the check-in, the third is refused
    assert done.url == f"/organise/events/{world.soon.id}/#checkins"
    assert messages_of(done)[-1] == "The check-in is undone."
    assert messages_of(again)[-1] == "This check-in has already been undone."
    assert not CheckIn.objects.exists()
    undone = Fact.objects.get(type="CheckInUndone")
    assert (undone.data["checkin_id"], undone.data["reason"]) == (str(checkin.id), "Ticked the wrong name.")
    assert Fact.objects.count() == facts_before + 1


def test_the_organiser_logs_the_result_once_the_event_has_started(client, world):
    client.force_login(world.organiser)
    url = f"/organise/events/{world.soon.id}/result/"
    figures = {"waste_plastic": "12.5", "waste_glass": "", "trees": "0", "area_ha": "0.4", "headcount": "6"}

    with time_machine.travel(world.soon.starts_at + dt.timedelta(minutes=30), tick=False):
        response = client.post(url, figures, HTTP_ACCEPT_LANGUAGE="en")

    assert response.url == f"/organise/events/{world.soon.id}/"
    report = Result.objects.get(event=world.soon).report
    assert (report.waste_kg, report.trees, str(report.area_ha), report.headcount) == (
        {"plastic": "12.5"},
        0,
        "0.4000",
        6,
    )


def test_the_coordinator_approves_and_rejects_proposals_of_the_region(client, world):
    client.force_login(world.coordinator)
    queue = client.get("/coordinate/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Clean-up of the Kerey-Zhanibek park" in queue

    approved = client.post(f"/coordinate/events/{world.proposed.id}/approve/", HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(approved) == ["«Clean-up of the Kerey-Zhanibek park» is approved and public."]
    world.proposed.refresh_from_db()
    assert world.proposed.status == "approved"

    again = client.post(
        f"/coordinate/events/{world.proposed.id}/reject/", {"reason": "Duplicate"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert messages_of(again)[-1] == "Only a proposed event can be approved or rejected."


def test_a_rejection_needs_a_reason_the_organiser_then_reads(client, world):
    client.force_login(world.coordinator)
    url = f"/coordinate/events/{world.proposed.id}/reject/"

    without = client.post(url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert messages_of(without) == ["Some fields are not valid. This field is required."]

    client.post(url, {"reason": "The park is closed for works in May."}, follow=True)
    world.proposed.refresh_from_db()
    assert (world.proposed.status, world.proposed.status_reason) == ("rejected", "The park is closed for works in May.")
    client.force_login(world.organiser)
    console = client.get(f"/organise/events/{world.proposed.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span translate="no">The park is closed for works in May.</span>' in console


def test_the_coordinator_accepts_or_adjusts_a_result(client, world):
    with time_machine.travel(world.soon.starts_at + dt.timedelta(minutes=30), tick=False):
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"mixed": "40", "plastic": "45"},
            trees=0,
            area_ha="0",
            headcount=5,
        )
    client.force_login(world.coordinator)
    url = f"/coordinate/events/{world.soon.id}/verify/"

    refused = client.post(url, {"decision": "adjusted", "result_version": "0", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert Result.objects.get(event=world.soon).status == "awaiting"

    version = Result.objects.get(event=world.soon).version
    response = client.post(
        url,
        {"decision": "adjusted", "result_version": str(version), "reason": "Scales at the depot", "waste_mixed": "32"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.url == "/coordinate/"
    result = Result.objects.get(event=world.soon)
    assert result.status == "adjusted"
    # the mixed waste adjusted, the plastic not: it keeps the organiser's 45 kg
    assert result.figures["waste_kg.mixed"]["verified"] == "32"
    assert result.figures["waste_kg.plastic"]["verified"] == "45"


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert "taza-pages-v1" in response.content.decode()
