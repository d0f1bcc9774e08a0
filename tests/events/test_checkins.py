"""Check-in: by pass, roster and event code; counted once; the offline queue; check-out hours."""

import base64
import datetime as dt
import re
import uuid
import zlib

import pytest
from django.core import signing
from django.utils import timezone, translation

from config.errors import DomainError
from events.facts import attendance_stream
from events.models import CheckIn, Event
from events.passes import SALT, pass_read, pass_svg, pass_token
from events.services import (
    UploadItem,
    checkin_from_pass,
    checkin_from_roster,
    checkin_upload,
    checkin_with_code,
    checkout_record,
    registration_cancel,
    registration_create,
)
from ledger.models import Fact


def refused(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.fields


@pytest.fixture
def on_site(event, time_machine):
    """The clock at ten minutes before the event starts: check-in is open."""
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=10), tick=False)
    return event


@pytest.fixture
def dana_place(event, volunteer):
    return registration_create(actor=volunteer, event_id=event.id)


def test_a_scanned_pass_checks_the_volunteer_in_once(on_site, organiser, volunteer, dana_place):
    token = pass_token(dana_place)

    first = checkin_from_pass(actor=organiser, event_id=on_site.id, token=token)
    second = checkin_from_pass(actor=organiser, event_id=on_site.id, token=token)

    assert (first.recorded, second.recorded, second.checkin.id) == (True, False, first.checkin.id)
    assert (first.checkin.method, first.checkin.registration_id, first.checkin.age_band) == (
        "qr",
        dana_place.id,
        "14_35",
    )
    assert Event.objects.get(pk=on_site.id).checked_in_count == 1
    assert Fact.objects.filter(stream=attendance_stream(on_site.id, volunteer.volunteer_id)).count() == 1


def test_a_forged_pass_is_refused(on_site, organiser, dana_place):
    # A token signed with another key, or altered by one character, is not the platform's
    claims = {"r": dana_place.id.hex, "e": on_site.id.hex, "v": uuid.uuid4().hex}
    forged = signing.dumps(claims, key="not-the-secret-key", salt=SALT, compress=True)
    token = pass_token(dana_place)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    for bad in (forged, altered, "hello"):
        assert refused(lambda bad=bad: checkin_from_pass(actor=organiser, event_id=on_site.id, token=bad)) == (
            "invalid_pass",
            {"token": ["This pass is not valid."]},
        )
    assert CheckIn.objects.count() == 0


def test_a_pass_is_for_one_event_and_one_person(on_site, make_event, organiser, volunteer, volunteers, dana_place):
    # Given Dana's pass for this event, and another event she is registered for too
    other = make_event(title="Park clean-up")
    elsewhere = registration_create(actor=volunteer, event_id=other.id)

    # Then her pass for the other event does not open this one …
    code, fields = refused(lambda: checkin_from_pass(actor=organiser, event_id=on_site.id, token=pass_token(elsewhere)))
    assert (code, fields) == ("pass_wrong_event", {"token": ["This pass is for another event."]})

    # … and a pass re-signed for another person names no registration of theirs
    bolat = volunteers[1]
    claims = {"r": dana_place.id.hex, "e": on_site.id.hex, "v": bolat.volunteer_id.hex}
    assert pass_read(signing.dumps(claims, salt=SALT, compress=True)).volunteer_id == bolat.volunteer_id
    code, _ = refused(
        lambda: checkin_from_pass(
            actor=organiser, event_id=on_site.id, token=signing.dumps(claims, salt=SALT, compress=True)
        )
    )
    assert code == "registration_not_found"


def test_a_cancelled_or_waiting_registration_is_not_checked_in(on_site, organiser, volunteer, volunteers, time_machine):
    time_machine.move_to(on_site.starts_at - dt.timedelta(days=1), tick=False)
    places = [registration_create(actor=v, event_id=on_site.id) for v in volunteers[:4]]
    registration_cancel(actor=volunteers[0], registration_id=places[0].id)  # volunteers[3] is promoted
    waiting = registration_create(actor=volunteer, event_id=on_site.id)
    registration_create(actor=volunteers[4], event_id=on_site.id)
    time_machine.move_to(on_site.starts_at, tick=False)

    assert refused(lambda: checkin_from_pass(actor=organiser, event_id=on_site.id, token=pass_token(places[0])))[0] == (
        "registration_cancelled"
    )
    assert refused(lambda: checkin_from_pass(actor=organiser, event_id=on_site.id, token=pass_token(waiting)))[0] == (
        "not_registered"
    )


RU_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def russian(moment: dt.datetime) -> str:
    return f"{moment.day} {RU_MONTHS[moment.month - 1]} {moment.year} г. {moment.hour}:{moment.minute:02d}"


def test_check_in_is_open_only_around_the_event(event, organiser, dana_place, time_machine):
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=61), tick=False)
    code, fields = refused(
        lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana_place.id)
    )
    assert code == "outside_checkin_window"
    assert list(fields) == ["checked_in_at"]
    # Said in the reader's language and the event's local time (UTC+5), never ISO
    opens, closes = (t.astimezone(dt.timezone(dt.timedelta(hours=5))) for t in (event.starts_at, event.ends_at))
    opens -= dt.timedelta(hours=1)
    closes += dt.timedelta(hours=1)
    with translation.override("ru"):
        _, fields = refused(
            lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana_place.id)
        )
    assert fields == {"checked_in_at": [f"Отметка прибытия открыта с {russian(opens)} до {russian(closes)}."]}

    time_machine.move_to(event.ends_at + dt.timedelta(minutes=61), tick=False)
    assert refused(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana_place.id))[
        0
    ] == ("outside_checkin_window")

    time_machine.move_to(event.ends_at + dt.timedelta(minutes=59), tick=False)
    assert checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana_place.id).recorded


def test_the_volunteer_checks_in_with_the_event_code_during_the_event(
    event, volunteer, volunteers, dana_place, time_machine
):
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=5), tick=False)

    assert refused(lambda: checkin_with_code(actor=volunteer, event_id=event.id, code="WRONG1")) == (
        "wrong_event_code",
        {"code": ["This is not the event's code."]},
    )
    outcome = checkin_with_code(actor=volunteer, event_id=event.id, code=f" {event.short_code.lower()} ")
    assert (outcome.recorded, outcome.checkin.method, outcome.checkin.registration_id) == (
        True,
        "event_code",
        dana_place.id,
    )

    # The code works during the event's hours only, not in the organiser's grace time after it
    time_machine.move_to(event.ends_at + dt.timedelta(minutes=5), tick=False)
    assert refused(lambda: checkin_with_code(actor=volunteers[0], event_id=event.id, code=event.short_code))[0] == (
        "outside_checkin_window"
    )


def test_an_offline_queue_uploaded_twice_counts_each_check_in_once(on_site, organiser, volunteers, time_machine):
    # Given three places, and a phone that recorded three check-ins offline (one for a cancelled place)
    places = [registration_create(actor=v, event_id=on_site.id) for v in volunteers[:3]]
    registration_cancel(actor=volunteers[2], registration_id=places[2].id)
    at = on_site.starts_at - dt.timedelta(minutes=5)
    queue = [
        UploadItem(fact_id=uuid.uuid4(), checked_in_at=at, token=pass_token(places[0])),
        UploadItem(fact_id=uuid.uuid4(), checked_in_at=at, registration_id=places[1].id),
        UploadItem(fact_id=uuid.uuid4(), checked_in_at=at, token=pass_token(places[2])),
    ]
    time_machine.move_to(on_site.ends_at, tick=False)

    # When it uploads the queue, and uploads it again after a lost answer
    first = checkin_upload(actor=organiser, event_id=on_site.id, items=queue)
    second = checkin_upload(actor=organiser, event_id=on_site.id, items=queue)

    # Then each item is answered on its own, the second time as duplicates, and two check-ins exist
    assert [(a.status, a.error.code if a.error else None) for a in first] == [
        ("ok", None),
        ("ok", None),
        ("error", "registration_cancelled"),
    ]
    assert [a.status for a in second] == ["duplicate", "duplicate", "error"]
    assert sorted(c.id for c in CheckIn.objects.filter(event=on_site)) == sorted([queue[0].fact_id, queue[1].fact_id])
    assert {c.checked_in_at for c in CheckIn.objects.filter(event=on_site)} == {at}
    assert Event.objects.get(pk=on_site.id).checked_in_count == 2


def test_a_queued_check_in_of_someone_checked_in_meanwhile_is_a_duplicate(on_site, organiser, dana_place):
    checkin_from_roster(actor=organiser, event_id=on_site.id, registration_id=dana_place.id)
    item = UploadItem(
        fact_id=uuid.uuid4(), checked_in_at=on_site.starts_at - dt.timedelta(minutes=15), token=pass_token(dana_place)
    )

    (answer,) = checkin_upload(actor=organiser, event_id=on_site.id, items=[item])

    assert answer.status == "duplicate"
    assert Fact.objects.filter(stream=attendance_stream(on_site.id, dana_place.volunteer_id)).count() == 1


def test_checking_out_gives_volunteer_hours(on_site, organiser, volunteer, dana_place, time_machine):
    # Checked in 10 minutes before the start: nothing is credited until the end or a check-out, and
    # then only from the start on (3 h, the event's hours)
    checkin = checkin_with_code(actor=volunteer, event_id=on_site.id, code=on_site.short_code).checkin
    assert checkin.seconds(now=on_site.ends_at - dt.timedelta(seconds=1)) == 0
    assert checkin.seconds(now=on_site.ends_at) == 3 * 3600

    time_machine.move_to(on_site.starts_at + dt.timedelta(hours=2), tick=False)
    out = checkout_record(actor=volunteer, event_id=on_site.id)
    again = checkout_record(actor=volunteer, event_id=on_site.id)

    assert out.seconds(now=timezone.now()) == 2 * 3600  # credited at the check-out, to it
    assert again.checked_out_at == out.checked_out_at
    attendance = Fact.objects.filter(stream=attendance_stream(on_site.id, volunteer.volunteer_id))
    assert list(attendance.order_by("version").values_list("type", flat=True)) == [
        "VolunteerCheckedIn",
        "VolunteerCheckedOut",
    ]


def test_only_the_checked_in_check_out(on_site, organiser, volunteer):
    assert refused(lambda: checkout_record(actor=volunteer, event_id=on_site.id))[0] == "not_checked_in"


def test_the_pass_is_a_qr_code_in_svg(dana_place):
    svg = pass_svg(pass_token(dana_place))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.rstrip().endswith("</svg>")


def test_the_pass_svg_draws_its_input_as_geometry_only():
    # The pass page prints the SVG unescaped (frontend/views/volunteer.py): whatever the QR code
    # carries, even markup, comes out as one <path>, with no text, attribute or element of its own.
    svg = pass_svg('</svg><script>window.__xss=1</script><img src=x onerror="alert(1)">')
    elements = re.findall(r"<\s*([a-zA-Z][\w:-]*)", svg)
    assert elements == ["svg", "path"]
    assert re.sub(r"<[^>]*>", "", svg).strip() == ""  # no text between the tags
    assert set(re.findall(r"\s([\w:-]+)=", svg)) <= {
        "xmlns",
        "width",
        "height",
        "class",
        "fill",
        "stroke",
        "d",
        "transform",
    }


def test_a_pass_shows_no_one_the_volunteers_id(dana_place, volunteer, client_for, organiser, on_site):
    # Given Dana's pass as her phone gets it
    token = client_for(volunteer).get(f"/api/v1/registrations/{dana_place.id}/pass/").json()["token"]

    # Then anyone who reads the QR code (signed, not encrypted: the payload is only base64) finds
    # the registration and the event, and not the id that would link all of her events …
    body = token.split(":")[0]
    raw = zlib.decompress(base64.urlsafe_b64decode(body.lstrip(".") + "=" * (-len(body.lstrip(".")) % 4)))
    assert set(signing.loads(token, salt=SALT)) == {"r", "e"}
    assert volunteer.volunteer_id.hex not in raw.decode()
    assert str(volunteer.volunteer_id) not in raw.decode()

    # … and it still checks her in
    response = client_for(organiser).post(
        f"/api/v1/events/{on_site.id}/checkins/pass/", {"token": token}, format="json"
    )
    assert response.status_code == 201
    assert CheckIn.objects.get(event=on_site).volunteer_id == volunteer.volunteer_id
