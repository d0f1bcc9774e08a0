"""The loop between organiser and coordinator, without JavaScript: the organiser reads the
coordinator's decision (console, list, result form, email) with its reason, the verified figures
and the result's history; the coordinator's verify page counts reports and shows the limits; a past
event's public page shows what it achieved."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from events.models import Event, Result
from events.services import result_log, result_verify
from outbox.models import Message
from outbox.sender import send_due
from tests.smtp import SmtpServer
from volunteers.services import volunteer_email_choices_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


def _send_after(world):
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=5), tick=False):
        send_due()


def _logged_and_adjusted(world):
    """Arman logs 45 kg of plastic, 10 kg of glass and 0.5 ha with 4 unregistered; corrects it;
    Saule adjusts the plastic to 30 kg at 14:05."""
    start = world.soon.starts_at
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=10), tick=False):
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"plastic": "45", "glass": "10"},
            trees=0,
            area_ha="0.5",
            headcount=4,
        )
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=20), tick=False):
        result = result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"plastic": "45", "glass": "12"},
            trees=0,
            area_ha="0.5",
            headcount=4,
            correction_reason="Two more bags of glass",
        )
    with time_machine.travel(start + dt.timedelta(hours=4), tick=False):
        return result_verify(
            actor=world.coordinator,
            event_id=world.soon.id,
            decision="adjusted",
            result_version=result.version,
            reason="The depot weighed 30 kg of plastic",
            waste_kg={"plastic": "30", "glass": "12"},
        )


def test_the_organiser_reads_an_adjustment_on_the_console_the_list_and_the_result_form(client, world):
    _logged_and_adjusted(world)
    client.force_login(world.organiser)
    local = timezone.localtime(world.soon.starts_at)

    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="badge" data-result-status>adjusted</span>' in console
    assert 'The coordinator\'s reason: <span translate="no">The depot weighed 30 kg of plastic</span>' in console
    assert "<td>45.0 kg</td>" in console and "<strong>30.0 kg</strong>" in console
    steps = console.split('data-step="')[1:]
    assert [step.split('"')[0] for step in steps] == ["reported", "corrected", "adjusted"]
    assert 'report 2: <strong>adjusted</strong> · <span translate="no">Saule Nurlanqyzy</span>' in console
    assert 'report 1: <strong>reported</strong> · <span translate="no">Arman Seitkali</span>' in console
    assert "saule@taza.test" not in console
    assert f'<time datetime="{local + dt.timedelta(hours=4):%Y-%m-%dT%H:%M}:00+05:00">' in console  # Almaty's time

    listing = client.get("/organise/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'Result: <span class="badge">adjusted</span> · The coordinator\'s reason: ' in listing

    form = client.get(f"/organise/events/{world.soon.id}/result/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="waste_plastic" value="30"' in form  # the verified figure, not the organiser's 45
    assert 'name="waste_glass" value="12"' in form
    assert "The form starts from the figures the coordinator verified." in form


def test_the_organiser_is_emailed_the_decision_once_in_their_language(world, smtp):
    world.organiser.language = "ru"
    world.organiser.save(update_fields=["language"])
    verification = _logged_and_adjusted(world)

    message = Message.objects.get(kind="events.result_decided")
    assert message.volunteer_id == world.organiser.volunteer_id
    _send_after(world)
    _send_after(world)  # sent once

    assert len(smtp.received) == 1
    email = smtp.received[0]
    assert email.to == ("arman@taza.test",)
    assert email.subject.strip() == "[Taza] Результат скорректирован: Esil embankment clean-up"
    assert "The depot weighed 30 kg of plastic" in email.body
    assert "30,0" in email.body
    assert f"/organise/events/{world.soon.id}/" in email.body
    assert verification.status == "adjusted"


def test_an_organiser_who_turned_the_decisions_off_is_not_emailed_them(world, smtp):
    volunteer_email_choices_set(user=world.organiser, verification=False)

    _logged_and_adjusted(world)
    _send_after(world)

    assert (smtp.received, Message.objects.get(kind="events.result_decided").status) == ([], "dropped")


def test_a_rejection_reaches_the_organiser_with_its_reason(client, world, smtp):
    world.organiser.language = "en"
    world.organiser.save(update_fields=["language"])
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=1), tick=False):
        result = result_log(
            actor=world.organiser, event_id=world.soon.id, waste_kg={"mixed": "40"}, trees=0, area_ha="0", headcount=5
        )
        result_verify(
            actor=world.coordinator,
            event_id=world.soon.id,
            decision="rejected",
            result_version=result.version,
            reason="No photos and nobody checked in",
        )
    client.force_login(world.organiser)

    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="badge badge--warning" data-result-status>rejected</span>' in console
    assert '<span translate="no">No photos and nobody checked in</span>' in console
    assert "The rejected figures count nowhere." in console
    _send_after(world)
    assert [(m.to, m.subject.strip()) for m in smtp.received] == [
        (("arman@taza.test",), "[Taza] Result rejected: Esil embankment clean-up")
    ]
    assert "No photos and nobody checked in" in smtp.received[0].body


def test_the_verify_page_counts_reports_and_shows_the_limits_and_attendance(client, world):
    start = world.soon.starts_at
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        result_log(
            actor=world.organiser, event_id=world.soon.id, waste_kg={"mixed": "40"}, trees=0, area_ha="0", headcount=5
        )
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"mixed": "3000"},
            trees=0,
            area_ha="0",
            headcount=5,
            justification="A dump by the river",
            correction_reason="Forgot the dump",
        )
    client.force_login(world.coordinator)

    page = client.get(f"/coordinate/events/{world.soon.id}/verify/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2 data-report-heading>Report 2 (correction)</h2>" in page
    assert "version" not in page.lower().replace("result_version", "")
    assert "<div><dt>Checked in</dt><dd>0</dd></div>" in page
    assert "<div><dt>People who came without registering</dt><dd>5</dd></div>" in page
    assert (
        '<tr class="row--warning"><th scope="row">Waste collected</th>'
        "<td>3,000.0 kg</td><td>2,500.0 kg · <strong>above the limit</strong></td></tr>" in page
    )
    assert '<details class="adjust" data-adjust>' in page  # closed until the coordinator adjusts

    adjusting = client.get(f"/coordinate/events/{world.soon.id}/verify/?adjust", HTTP_ACCEPT_LANGUAGE="en")
    assert '<details class="adjust" data-adjust open>' in adjusting.content.decode()

    worklist = client.get("/coordinate/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "report 2 (correction)" in worklist


def test_a_past_event_shows_what_it_achieved_and_no_places(client, world):
    _logged_and_adjusted(world)
    Event.objects.filter(pk=world.soon.id).update(address_kk="", address_ru="", address_en="")
    with time_machine.travel(world.soon.ends_at + dt.timedelta(days=1), tick=False):
        page = client.get(f"/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Places left" not in page
    assert "<dt>Where</dt><dd>Astana" in page  # no leading comma without an address
    assert "What the event achieved" in page
    assert '<th scope="row">Waste collected: plastic</th>\n            <td>30.0 kg</td>' in page


@pytest.mark.parametrize(
    ("address", "region", "shown"), [("", "Astana", "Astana"), ("Esil 1", "Astana", "Esil 1, Astana"), ("  ", None, "")]
)
def test_a_place_is_joined_without_stray_commas(address, region, shown):
    from frontend.display import place

    assert place(address, region) == shown


def test_a_correction_after_the_adjustment_awaits_and_the_verified_figures_still_show(client, world):
    _logged_and_adjusted(world)
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=5), tick=False):
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"plastic": "20", "glass": "12"},
            trees=0,
            area_ha="0.5",
            headcount=4,
            correction_reason="Half the plastic was the neighbours'",
        )
    client.force_login(world.organiser)

    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<span class="badge" data-result-status>awaiting verification</span>' in console
    assert (
        "<p data-correction-awaits>The correction awaits the coordinator: until it is judged, the figures verified "
        "before it are the ones that count.</p>"
    ) in console
    assert "<td>20.0 kg</td>" in console and "<strong>30.0 kg</strong>" in console  # reported 20, verified 30
    with time_machine.travel(world.soon.ends_at + dt.timedelta(days=1), tick=False):
        public = client.get(f"/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A correction awaits verification; until it is judged, the figures verified before it count." in public
    assert (
        '<th scope="row">Waste collected: plastic</th>\n            <td>30.0 kg</td>\n            <td>20.0 kg</td>'
        in public
    )


def test_once_the_campaign_closes_the_organiser_reads_why_and_the_coordinator_corrects(client, world, time_machine):
    from campaigns.services import campaign_close

    _logged_and_adjusted(world)
    campaign_close(actor=world.admin, campaign_id=world.campaign.id, reason="The season is over.")
    url = f"/organise/events/{world.soon.id}/result/"
    client.force_login(world.organiser)
    time_machine.move_to(world.soon.ends_at + dt.timedelta(days=1), tick=False)

    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    posted = client.post(
        url,
        {"waste_plastic": "5", "trees": 0, "area_ha": "0.5", "headcount": 4, "correction_reason": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Correct the result" not in console.split("<h1")[1].split("</p>", 2)[1]
    assert "The campaign is closed: its figures are final. Only the region's coordinator may correct them now" in form
    assert '<form method="post" class="form"' not in form
    assert posted.status_code == 200  # the page again, saying why: nothing appended
    assert "Only the region's coordinator may correct them now" in posted.content.decode()
    assert Result.objects.get(event=world.soon).version == 4  # the adjusted report, still in force

    client.force_login(world.coordinator)
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "only you, the region's coordinator, may correct them, with a reason" in form
    assert 'name="correction_reason"' in form
    response = client.post(
        url,
        {"waste_plastic": "28", "waste_glass": "12", "trees": 0, "area_ha": "0.5", "headcount": 4,
         "correction_reason": "The depot's receipt says 28 kg"},
    )  # fmt: skip

    assert response.status_code == 302
    result = Result.objects.get(event=world.soon)
    assert (result.version, result.status, result.report.correction_reason) == (
        6,
        "awaiting",
        "The depot's receipt says 28 kg",
    )
