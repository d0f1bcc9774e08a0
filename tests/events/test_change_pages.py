"""Edits after approval on the pages, without JavaScript: the organiser's edit form sends a change, the
coordinator's queue shows it as a diff and approves or rejects it, the public page reads the event as
approved until then."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import EventChange
from ledger.models import Fact


class DiffRows(HTMLParser):
    """The rows of every `table.change-diff` on a page, as [label, old, new] texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "change-diff" in (dict(attrs).get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = self._in_body = False
        elif self._cell is not None and tag in ("th", "td"):
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def diff_rows(response) -> list[list[str]]:
    parser = DiffRows()
    parser.feed(response.content.decode())
    return parser.rows


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_of(event, **changes) -> dict:
    """The edit form as the organiser finds it, a field per language of each text, with `changes`
    (a text by its field's name: title_en)."""
    fields = {
        f"{name}_{lang}": event.written(name).get(lang, "")
        for name in ("title", "description", "address", "what_to_bring")
        for lang in ("kk", "ru", "en")
    }
    fields |= {"latitude": str(event.latitude), "longitude": str(event.longitude), "capacity": str(event.capacity)}
    return {**fields, **changes}


def test_the_edit_form_sends_a_change_the_coordinator_approves_from_the_queue(
    event, organiser, coordinator, client, settings
):
    settings.LANGUAGE_CODE = "en"
    edit_page = reverse("organise-edit", args=[event.id])
    public_page = reverse("event", args=[event.id])

    # Given the organiser saves a new title and address of the approved event
    client.force_login(organiser)
    saved = client.post(edit_page, form_of(event, title_en="Esil, both banks", address_en="Left bank, by the bridge"))

    # Then they are told it waits, and their edit page shows the change with a way to withdraw it
    assert (saved.status_code, saved.url) == (302, edit_page)
    assert messages_of(saved) == [
        "Your change is sent to the region's coordinator. Until they approve it, everyone sees the event as approved."
    ]
    page = client.get(edit_page, HTTP_ACCEPT_LANGUAGE="en")
    assert diff_rows(page) == [
        ["Title in English", "Esil embankment clean-up", "Esil, both banks"],
        ["Address or meeting point in English", "Esil embankment, near the Triumphal Arch", "Left bank, by the bridge"],
    ]
    assert reverse("organise-change-withdraw", args=[event.id]) in page.content.decode()

    # And the public page reads the event as approved
    client.logout()
    assert "Esil, both banks" not in client.get(public_page).content.decode()

    # When the coordinator opens the queue and approves the change
    client.force_login(coordinator)
    queue = client.get(reverse("coordinate"), HTTP_ACCEPT_LANGUAGE="en")
    assert diff_rows(queue) == diff_rows(page)
    change = EventChange.objects.get(event=event, status="pending")
    approved = client.post(reverse("coordinate-change-approve", args=[event.id]), {"change_id": str(change.id)})

    # Then the public page reads the new title, and the queue is empty
    assert messages_of(approved) == ["The change to «Esil, both banks» is approved and public."]
    client.logout()
    html = client.get(public_page).content.decode()
    assert "Esil, both banks" in html and "Left bank, by the bridge" in html
    client.force_login(coordinator)
    assert diff_rows(client.get(reverse("coordinate"))) == []


def test_a_rejected_change_shows_its_reason_to_the_organiser_and_a_withdrawn_one_is_gone(
    event, organiser, coordinator, client, settings
):
    settings.LANGUAGE_CODE = "en"
    edit_page = reverse("organise-edit", args=[event.id])
    client.force_login(organiser)
    client.post(edit_page, form_of(event, what_to_bring_en="Rakes."))
    change = EventChange.objects.get(event=event, status="pending")

    client.force_login(coordinator)
    reject = reverse("coordinate-change-reject", args=[event.id])
    refused = client.post(reject, {"change_id": str(change.id), "reason": ""})
    before = Fact.objects.count()
    rejected = client.post(reject, {"change_id": str(change.id), "reason": "Bring gloves too."})

    assert messages_of(refused)[-1] == "Some fields are not valid. This field is required."
    assert messages_of(rejected)[-1] == (
        "The change to «Esil embankment clean-up» is rejected; the organiser sees your reason."
    )
    assert Fact.objects.count() == before + 1
    client.force_login(organiser)
    page = client.get(edit_page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The coordinator turned down your last change:" in page and "Bring gloves too." in page

    # And a change sent again and withdrawn leaves nothing pending
    client.post(edit_page, form_of(event, what_to_bring_en="Rakes and gloves."))
    withdrawn = client.post(reverse("organise-change-withdraw", args=[event.id]), {"confirmed": "yes"})
    assert messages_of(withdrawn)[-1] == "Your change is withdrawn; the event stays as approved."
    assert diff_rows(client.get(edit_page)) == []
    assert EventChange.objects.filter(event=event, status="pending").count() == 0
