"""The evidence behind a result on the pages: the public event page shows the result's grade with what
each grade means; the coordinator's verification screen shows the grade and the signals, each with
why, and still takes the decision."""

import datetime as dt

import pytest
import time_machine

from events.models import Result
from events.services import checkin_from_roster, registration_create, result_log, result_verify
from tests.browser.world import person

pytestmark = pytest.mark.django_db


def _event_page(client, world) -> str:
    with time_machine.travel(world.soon.ends_at + dt.timedelta(days=1), tick=False):
        return client.get(f"/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _log(world, **figures) -> Result:
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=1), tick=False):
        return result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            **{"waste_kg": {"mixed": "40"}, "trees": 0, "area_ha": "0", "headcount": 5, **figures},
        )


def _check_in_dana(world) -> None:
    place = registration_create(actor=person("dana@taza.test", "Dana"), event_id=world.soon.id)
    checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=place.id)


LEGEND = (
    '<div data-grade-row="organiser_word"><dt>Organiser&#x27;s word</dt><dd>The figures are as the organiser '
    "reported them, with nothing recorded beside them.</dd></div>"
    '<div data-grade-row="with_checkins"><dt>With check-ins</dt><dd>Volunteers&#x27; check-ins at the event '
    "are recorded beside the organiser&#x27;s figures.</dd></div>"
    '<div data-grade-row="with_photos"><dt>With photos</dt><dd>Beside the check-ins, photos taken after the '
    "work are kept with the figures.</dd></div>"
    '<div data-grade-row="verified"><dt>Verified</dt><dd>The region&#x27;s coordinator verified the '
    "figures.</dd></div>"
)


def test_the_event_page_shows_the_organiser_s_word_with_what_every_grade_means(client, world):
    _log(world)

    page = _event_page(client, world)

    assert '<div class="evidence" data-evidence-grade="organiser_word">' in page
    assert (
        'How strong the figures are: <span class="badge" data-grade>Organiser&#x27;s word</span> <span class="note">'
        "The figures are as the organiser reported them, with nothing recorded beside them.</span>"
    ) in page
    assert "<summary>What the evidence grades mean</summary>" in page
    assert LEGEND in page


def test_the_event_page_grades_check_ins_and_then_the_coordinator_s_verification(client, world):
    _check_in_dana(world)
    logged = _log(world)
    assert 'data-evidence-grade="with_checkins"' in _event_page(client, world)

    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=2), tick=False):
        result_verify(
            actor=world.coordinator, event_id=world.soon.id, decision="accepted", result_version=logged.version
        )

    page = _event_page(client, world)
    assert '<div class="evidence" data-evidence-grade="verified">' in page
    assert '<span class="badge" data-grade>Verified</span>' in page


def test_an_event_without_a_result_shows_no_grade(client, world):
    page = _event_page(client, world)

    assert "The organiser has not logged the result yet." in page
    assert "data-evidence-grade" not in page


def test_the_verification_screen_shows_the_signals_with_why_and_still_takes_the_decision(client, world, settings):
    settings.TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT = 10
    _check_in_dana(world)
    # 1 check-in and 12 walk-ins (more than 1.5 x 1 + 10 = 11.5); 131 kg for 13 participants (130 at most).
    logged = _log(world, waste_kg={"mixed": "131"}, headcount=12, justification="Two skips of old tyres.")
    client.force_login(world.coordinator)
    url = f"/coordinate/events/{world.soon.id}/verify/"

    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=2), tick=False):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        answer = client.post(
            url, {"decision": "accepted", "result_version": logged.version, "reason": ""}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert (
        '<ul class="signals" data-signals>\n'
        '      <li data-signal="headcount_above_checkins">12 people came without registering, more than 1.5 times '
        "the 1 check-in plus 10 (11.5): ask how they were counted.</li>"
        '<li data-signal="waste_kg_above_limit">131 kg of waste is more than 10 kg per participant for 13 '
        "participants (130 kg).</li>\n    </ul>"
    ) in page
    assert "Signals are for you to look into; they decide nothing, and you may accept a report that has them." in page
    assert '<div class="evidence" data-evidence-grade="with_checkins">' in page
    assert answer.status_code == 302
    assert Result.objects.get(event_id=world.soon.id).status == "accepted"


def test_a_report_with_nothing_out_of_the_way_says_so_on_the_verification_screen(client, world):
    _check_in_dana(world)
    _log(world, headcount=11)  # 1.5 x 1 + 10 = 11.5: eleven walk-ins are no signal
    client.force_login(world.coordinator)

    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=2), tick=False):
        page = client.get(f"/coordinate/events/{world.soon.id}/verify/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<p data-signals>Nothing stands out in this report.</p>" in page
    assert "data-signal=" not in page
