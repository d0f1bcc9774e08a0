"""What cannot be taken back asks first, without JavaScript: the first POST (or a GET) answers with a
page that asks; only its form, carrying confirmed=yes, acts."""

import pytest
from django.contrib.messages import get_messages

from events.models import Event, Registration
from events.services import event_edit, registration_create
from ledger.models import Fact
from tests.browser.world import person

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_cancelling_a_place_asks_first_and_keeps_the_place_until_yes(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(dana)
    facts = Fact.objects.count()
    url = f"/me/registrations/{registration.id}/cancel/"

    asked = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    html = asked.content.decode()

    assert asked.status_code == 200
    assert "<strong>Give your place back?</strong>" in html
    assert "<li>Your pass stops working.</li>" in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert f'<form method="post" action="{url}" class="form">' in html
    assert f'<a class="button button--link" href="/events/{world.soon.id}/">No, keep it</a>' in html
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode().count("Yes, give my place back") == 1
    assert Fact.objects.count() == facts
    assert Registration.objects.get(pk=registration.id).status == "registered"

    done = client.post(url, {"confirmed": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert done.url == f"/events/{world.soon.id}/"
    assert messages_of(done) == ["Your place is given back. Thank you for letting us know."]
    assert Registration.objects.get(pk=registration.id).status == "cancelled"


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("en", "Leave the waitlist of this event?", "Yes, leave the waitlist"),
        ("ru", "Выйти из листа ожидания этого мероприятия?", "Да, выйти из листа ожидания"),
        ("kk", "Осы іс-шараның күту тізімінен шығасыз ба?", "Иә, күту тізімінен шығу"),
    ],
)
def test_leaving_the_waitlist_asks_in_each_language(client, world, dana, language, question, button):
    koktal = world.later[1]  # two places
    for name in ("aliya", "bolat"):
        registration_create(actor=person(f"{name}@taza.test", name.title()), event_id=koktal.id)
    waiting = registration_create(actor=dana, event_id=koktal.id)
    client.force_login(dana)

    html = client.post(f"/me/registrations/{waiting.id}/cancel/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"<strong>{question}</strong>" in html
    assert f'<button type="submit" class="button button--danger">{button}</button>' in html
    assert Registration.objects.get(pk=waiting.id).status == "waitlisted"


def test_someone_elses_place_is_not_even_asked_about(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(person("other@taza.test", "Other"))

    assert client.get(f"/me/registrations/{registration.id}/cancel/").status_code == 404


def test_cancelling_an_event_asks_first_with_who_is_told_and_the_reason_typed(client, world, dana):
    registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(world.organiser)
    url = f"/organise/events/{world.soon.id}/cancel/"
    facts = Fact.objects.count()

    asked = client.post(url, {"reason": "Storm warning"}, HTTP_ACCEPT_LANGUAGE="en")
    html = asked.content.decode()

    assert "<strong>Cancel this event? It cannot be taken back.</strong>" in html
    assert "<li>1 registered volunteer is told by email.</li>" in html
    assert "<li>0 volunteers on the waitlist are told by email.</li>" in html
    assert ">\nStorm warning</textarea>" in html
    assert f'href="/organise/events/{world.soon.id}/edit/">No, keep the event</a>' in html
    assert (Fact.objects.count(), Event.objects.get(pk=world.soon.id).status) == (facts, "approved")

    done = client.post(url, {"reason": "Storm warning", "confirmed": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(done) == ["The event is cancelled; its volunteers are told by email."]
    assert Event.objects.get(pk=world.soon.id).status == "cancelled"


def test_withdrawing_a_change_asks_first(client, world):
    event = world.later[0]
    event_edit(
        actor=world.organiser,
        event_id=event.id,
        **{
            **{f: getattr(event, f) for f in ("description", "address", "latitude", "longitude", "capacity")},
            "title": "A new title",
            "what_to_bring": "",
        },
    )
    client.force_login(world.organiser)
    url = f"/organise/events/{event.id}/change/withdraw/"

    html = client.post(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "<strong>Отозвать изменение этого мероприятия?</strong>" in html
    assert client.get(f"/organise/events/{event.id}/edit/").context["pending"] is not None

    done = client.post(url, {"confirmed": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(done) == ["Your change is withdrawn; the event stays as approved."]
    assert client.get(f"/organise/events/{event.id}/edit/").context["pending"] is None
