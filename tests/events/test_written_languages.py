"""Events and organisations written in one or more of kk, ru and en: each reader reads their
language, else the first written (kk, ru, en); old facts, of one text, read as written in every
language, and what the feed published of them stays as it was."""

import datetime as dt
import uuid

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.facts import EventProposed
from events.models import Event
from events.services import event_approve
from ledger.facts import to_data
from ledger.models import Fact
from ledger.stored import StoredFact
from volunteers.models import Organisation

ASTANA = "KZ-71"
NOTHING = "Write it in at least one language: Kazakh, Russian or English."


def body(campaign, **overrides) -> dict:
    starts = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    return {
        "campaign_id": str(campaign.id),
        "kind": "cleanup",
        "title": {"kk": "Есіл жағалауындағы сенбілік", "ru": "Субботник на набережной Есиля"},
        "region": ASTANA,
        "address": "Набережная Есиля, у Триумфальной арки",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
        "capacity": 10,
        **overrides,
    }


def read(client, path: str, language: str) -> dict:
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language).json()


def test_an_event_written_in_two_languages_reads_in_each_and_in_the_first_written_for_the_third(
    campaign, organiser, client_for
):
    # When the organiser writes the title in Kazakh and Russian and the address as one text, in Russian
    created = client_for(organiser).post("/api/v1/events/", body(campaign), format="json", HTTP_ACCEPT_LANGUAGE="ru")

    # Then each reads its own language, and English, not written, the first written: Kazakh
    assert created.status_code == 201, created.content
    path = f"/api/v1/events/{created.json()['id']}/"
    readers = {language: read(client_for(organiser), path, language) for language in ("kk", "ru", "en")}
    assert {language: answer["title"] for language, answer in readers.items()} == {
        "kk": "Есіл жағалауындағы сенбілік",
        "ru": "Субботник на набережной Есиля",
        "en": "Есіл жағалауындағы сенбілік",
    }
    assert {answer["address"] for answer in readers.values()} == {"Набережная Есиля, у Триумфальной арки"}
    assert readers["en"]["title_by_language"] == {
        "kk": "Есіл жағалауындағы сенбілік",
        "ru": "Субботник на набережной Есиля",
    }
    assert readers["en"]["address_by_language"] == {"ru": "Набережная Есиля, у Триумфальной арки"}
    assert (readers["en"]["description"], readers["en"]["description_by_language"]) == ("", {})
    # and the proposal's fact holds what was written, nothing more
    (proposed,) = Fact.objects.filter(type="EventProposed")
    assert (proposed.schema_version, proposed.data["title"], proposed.data["address"]) == (
        2,
        {"kk": "Есіл жағалауындағы сенбілік", "ru": "Субботник на набережной Есиля"},
        {"ru": "Набережная Есиля, у Триумфальной арки"},
    )


def test_nothing_written_is_refused_beside_each_field_and_nothing_is_recorded(campaign, organiser, client_for):
    facts = Fact.objects.count()
    arman = client_for(organiser)

    blank = arman.post(
        "/api/v1/events/", body(campaign, title={"kk": " ", "ru": ""}, address={"en": ""}), format="json"
    )
    long = arman.post("/api/v1/events/", body(campaign, title={"kk": "Ұзын", "ru": "д" * 201}), format="json")
    unknown = arman.post("/api/v1/events/", body(campaign, title={"de": "Aufräumen"}), format="json")
    nul = arman.post("/api/v1/events/", body(campaign, title={"kk": "Сенбілік\x00"}), format="json")

    assert (blank.status_code, blank.json()["error"]["fields"]) == (400, {"title": [NOTHING], "address": [NOTHING]})
    assert (long.status_code, long.json()["error"]["fields"]) == (400, {"title.ru": ["At most 200 characters."]})
    assert unknown.json()["error"]["fields"] == {
        "title": ["Give a text (a JSON string), or an object with texts under any of the keys kk, ru and en."]
    }
    assert nul.json()["error"]["fields"] == {"title": ["Null characters are not allowed."]}
    assert Fact.objects.count() == facts


def test_a_plain_text_edits_the_requests_language_only_and_an_object_writes_the_field_anew(
    make_event, organiser, client_for
):
    event = make_event(approved=False, title={"kk": "Сенбілік", "ru": "Субботник"}, address={"ru": "Набережная"})
    arman, path = client_for(organiser), f"/api/v1/events/{event.id}/"

    # When an old client sends the title as one text, in Kazakh
    plain = arman.patch(path, {"title": "Есіл жағасындағы сенбілік"}, format="json", HTTP_ACCEPT_LANGUAGE="kk")
    # Then the Kazakh title changes and the Russian one stays
    assert plain.status_code == 200
    assert plain.json()["title_by_language"] == {"kk": "Есіл жағасындағы сенбілік", "ru": "Субботник"}

    # When a client writes the title as an object: the field is written anew, a language left out is gone
    anew = arman.patch(path, {"title": {"en": "Esil clean-up"}}, format="json")
    assert (anew.json()["title_by_language"], anew.json()["title"]) == ({"en": "Esil clean-up"}, "Esil clean-up")
    assert read(arman, path, "kk")["title"] == "Esil clean-up"  # the only language written


def test_a_change_to_an_approved_event_shows_the_coordinator_each_language_that_differs(
    make_event, organiser, coordinator, client_for, client
):
    event = make_event(title={"kk": "Сенбілік", "ru": "Субботник"}, address={"ru": "Набережная"})
    arman, saule = client_for(organiser), client_for(coordinator)

    proposed = arman.patch(
        f"/api/v1/events/{event.id}/",
        {"title": {"kk": "Есіл жағасындағы сенбілік", "ru": "Субботник", "en": "Esil clean-up"}},
        format="json",
    )

    assert proposed.status_code == 202
    assert proposed.json()["pending_change"]["changes"] == [
        {"field": "title", "language": "kk", "old": "Сенбілік", "new": "Есіл жағасындағы сенбілік"},
        {"field": "title", "language": "en", "old": "", "new": "Esil clean-up"},
    ]
    # the coordinator's page has a line per language, by the organiser's form's labels
    client.force_login(coordinator)
    page = client.get(reverse("coordinate"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Title in Kazakh" in page and "Title in English" in page and "Title in Russian" not in page
    change_id = proposed.json()["pending_change"]["id"]
    approved = saule.post(f"/api/v1/events/{event.id}/change/approve/", {"change_id": change_id}, format="json")
    assert read(client_for(None), f"/api/v1/events/{event.id}/", "en")["title"] == "Esil clean-up"
    assert approved.json()["title_by_language"] == {
        "kk": "Есіл жағасындағы сенбілік",
        "ru": "Субботник",
        "en": "Esil clean-up",
    }


def test_a_word_of_any_language_finds_the_event_and_its_organisation(make_event, eco_club, client_for):
    eco_club.name_kk = "ЕҰУ экоклубы"
    eco_club.save(update_fields=["name_kk"])
    make_event(title={"kk": "Есіл жағасындағы сенбілік", "en": "Esil clean-up"}, address={"ru": "Набережная Есиля"})
    anyone = client_for(None)

    def found(word: str) -> list[str]:
        return [e["title"] for e in read(anyone, f"/api/v1/events/?q={word}", "en")["results"]]

    # Kazakh, English, Russian words (the address), case-folded, and the organisation's Kazakh name
    assert found("ЖАҒАСЫНДАҒЫ") == found("clean-up") == found("набережная") == found("экоклубы") == ["Esil clean-up"]
    assert found("субботник") == []


def test_an_old_fact_reads_at_the_new_version_and_what_the_feed_published_of_it_stays(
    campaign, organiser, coordinator, eco_club, client_for
):
    # Given a proposal stored at schema 1, one text per field in no stated language
    event_id = uuid.uuid4()
    starts = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    old = {
        "event_id": str(event_id),
        "campaign_id": str(campaign.id),
        "organisation_id": str(eco_club.id),
        "organiser_id": str(organiser.volunteer_id),
        "kind": "cleanup",
        "title": "Esil embankment clean-up",
        "description": "",
        "region": ASTANA,
        "address": "Esil embankment",
        "latitude": None,
        "longitude": None,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
        "capacity": 10,
        "what_to_bring": "Gloves.",
        "short_code": "ABC234",
    }
    row = Fact.objects.create(
        stream=f"event-{event_id}",
        version=1,
        type="EventProposed",
        schema_version=1,
        data=old,
        occurred_at=timezone.now(),
    )
    call_command("ledger", "rebuild", "--all")
    event_approve(actor=coordinator, event_id=event_id)

    # Then it reads at schema 2: each text as written in every language, the empty one as not written
    fact = StoredFact.from_row(row).fact
    assert (fact.title, fact.description, fact.what_to_bring) == (
        dict.fromkeys(("kk", "ru", "en"), "Esil embankment clean-up"),
        {},
        dict.fromkeys(("kk", "ru", "en"), "Gloves."),
    )
    assert to_data(fact)["address"] == dict.fromkeys(("kk", "ru", "en"), "Esil embankment")
    assert isinstance(fact, EventProposed)
    # and every reader reads the one text, as before
    path = f"/api/v1/events/{event_id}/"
    assert {read(client_for(None), path, language)["title"] for language in ("kk", "ru", "en")} == {
        "Esil embankment clean-up"
    }
    assert Event.objects.get(pk=event_id).search_text == "esil embankment clean-up esil embankment"
    # And the approval's public form is of the fact as stored: the texts as they were, not upcast
    (approval,) = client_for(None).get("/api/v1/facts/", {"stream": f"event-{event_id}"}).json()["results"]
    assert approval["type"] == "EventApproved"
    assert {name: approval["data"][name] for name in ("title", "description", "address", "what_to_bring")} == {
        "title": "Esil embankment clean-up",
        "description": "",
        "address": "Esil embankment",
        "what_to_bring": "Gloves.",
    }


def test_an_organisation_named_in_two_languages_reads_in_each_and_in_the_first_written_for_the_third(
    admin, client_for, client
):
    name = {"kk": "«Таза өлке» қоғамдық бірлестігі", "ru": "Общественное объединение «Таза өлке»"}
    created = client_for(admin).post(
        "/api/v1/organisations/", {"name": name, "kind": "ngo", "region": ASTANA}, format="json"
    )
    same_in_russian = client_for(admin).post(
        "/api/v1/organisations/",
        {"name": {"ru": "общественное объединение «таза өлке»"}, "kind": "ngo", "region": ASTANA},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json()["name_by_language"] == name
    path = f"/api/v1/organisations/{created.json()['id']}/"
    assert [read(client_for(None), path, language)["name"] for language in ("kk", "ru", "en")] == [
        name["kk"],
        name["ru"],
        name["kk"],
    ]
    assert (same_in_russian.status_code, same_in_russian.json()["error"]["code"]) == (409, "organisation_exists")
    assert Organisation.objects.filter(region_id=ASTANA, kind="ngo").count() == 1
    # and its page, in Russian
    page = client.get(reverse("organisation", args=[created.json()["id"]]), HTTP_ACCEPT_LANGUAGE="ru")
    assert '<h1 translate="no" lang="ru">Общественное объединение «Таза өлке»</h1>' in page.content.decode()


def test_a_page_marks_a_text_shown_in_another_language_than_its_own(campaign, organiser, admin, client_for, client):
    # Given an approved event titled in Kazakh and Russian, its address written in Russian only
    created = client_for(organiser).post("/api/v1/events/", body(campaign), format="json", HTTP_ACCEPT_LANGUAGE="ru")
    event = event_approve(actor=admin, event_id=uuid.UUID(created.json()["id"]))

    pages = {lang: client.get(f"/events/{event.id}/", HTTP_ACCEPT_LANGUAGE=lang).text for lang in ("kk", "ru", "en")}

    # Then the Kazakh page's title is Kazakh; the English page shows the Kazakh title marked as such
    assert '<h1 translate="no" lang="kk">Есіл жағалауындағы сенбілік</h1>' in pages["kk"]
    assert '<h1 translate="no" lang="ru">Субботник на набережной Есиля</h1>' in pages["ru"]
    assert '<h1 translate="no" lang="kk">Есіл жағалауындағы сенбілік</h1>' in pages["en"]
    # and the address, written in Russian only, is marked Russian on every page
    for page in pages.values():
        assert '<span translate="no" lang="ru">Набережная Есиля, у Триумфальной арки' in page
