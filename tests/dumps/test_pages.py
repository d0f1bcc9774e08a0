"""The dump registry's pages: the list with the rates, a dump's page, the report form, the
coordinator's section of the work list, and the organiser's propose form "for this dump"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dumps.models import Dump
from dumps.services import dump_confirm, dump_report, dumps_import
from tests.dumps.conftest import ASTANA_POINT
from tests.events.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(email=user.email, password=PASSWORD)
    return client


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def reported(volunteer, **overrides) -> Dump:
    return dump_report(
        actor=volunteer,
        latitude=overrides.pop("latitude", ASTANA_POINT[0]),
        longitude=ASTANA_POINT[1],
        size="over_100_m2",
        waste_kinds=["plastic"],
        note="Tyres by the road.",
        **overrides,
    )


def test_the_report_form_takes_a_settlement_and_the_coordinator_confirms_from_the_work_list(volunteer, coordinator):
    page = signed_in(volunteer).post(
        "/dumps/report/", {"settlement": "Астана", "size": "under_10_m2", "waste_kinds": ["glass"], "note": "Bottles"}
    )

    dump = Dump.objects.get()
    assert (page.status_code, page["Location"]) == (302, f"/dumps/{dump.id}/")
    assert (dump.latitude, dump.longitude, dump.region_id, dump.waste_kinds) == (51.1801, 71.44598, "KZ-71", ["glass"])
    coordinating = signed_in(coordinator)
    assert "Dumps to confirm" in text_of(coordinating.get("/coordinate/"))
    assert "Bottles" in text_of(coordinating.get("/coordinate/"))

    assert coordinating.post(f"/coordinate/dumps/{dump.id}/confirm/").status_code == 302
    assert Dump.objects.get().status == "confirmed"
    assert "No dump report waits for a decision." in text_of(coordinating.get("/coordinate/"))


def test_the_report_form_without_a_place_says_so(volunteer):
    page = signed_in(volunteer).post("/dumps/report/", {"settlement": "Atlantis", "size": "under_10_m2"})

    assert page.status_code == 400
    assert "Give the coordinates, or the name of a settlement we know." in text_of(page)
    assert Dump.objects.count() == 0


def test_the_list_shows_public_dumps_and_the_rates_and_a_dump_its_history(client, volunteer, coordinator):
    confirmed = reported(volunteer)
    dump_confirm(actor=coordinator, dump_id=confirmed.id, reason="Seen from the road.")
    reported(volunteer, latitude=51.2)  # waiting: not public

    listing = text_of(Client(HTTP_ACCEPT_LANGUAGE="en").get("/dumps/"))
    assert "Nationally 0 of 1 dumps found are liquidated: 0.0 %." in listing
    assert "1 dump" in listing
    page = text_of(Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/dumps/{confirmed.id}/"))
    assert "Reported" in page and "Confirmed by the coordinator" in page and "Seen from the road." in page
    assert "Dana" not in page and volunteer.email not in page


def test_the_coordinator_merges_a_report_into_the_dump_beside_it(volunteers, coordinator):
    known = reported(volunteers[0])
    dump_confirm(actor=coordinator, dump_id=known.id)
    again = reported(volunteers[1], latitude=ASTANA_POINT[0] + 0.0002)  # 22 m north
    coordinating = signed_in(coordinator)
    assert "The same as the dump 22 m away" in text_of(coordinating.get("/coordinate/"))

    coordinating.post(f"/coordinate/dumps/{again.id}/merge/", {"into_dump_id": str(known.id)})

    assert Dump.objects.get(pk=again.id).merged_into_id == known.id


def test_the_propose_form_starts_at_the_dump(volunteer, coordinator, organiser, campaign):
    dump = reported(volunteer)
    dump_confirm(actor=coordinator, dump_id=dump.id)

    form = signed_in(organiser).get(f"/organise/events/new/?dump={dump.id}").content.decode()

    assert f'value="{ASTANA_POINT[0]}"' in form and f'value="{ASTANA_POINT[1]}"' in form


def test_the_rate_is_beside_the_totals_on_the_home_and_region_pages(volunteer, coordinator):
    dump_confirm(actor=coordinator, dump_id=reported(volunteer).id)

    home = text_of(Client(HTTP_ACCEPT_LANGUAGE="en").get("/"))
    region = text_of(Client(HTTP_ACCEPT_LANGUAGE="en").get("/regions/KZ-71/"))
    almaty = text_of(Client(HTTP_ACCEPT_LANGUAGE="en").get("/regions/KZ-75/"))

    assert "Illegal dumps: 0 of 1 found are liquidated (0.0 %)." in home
    assert "Illegal dumps: 0 of 1 found are liquidated (0.0 %)." in region
    assert "No illegal dump found here is in the registry yet." in almaty


def test_a_report_beside_a_known_dump_shows_it_to_its_reporter(volunteers, coordinator):
    known = reported(volunteers[0])
    dump_confirm(actor=coordinator, dump_id=known.id)
    again = reported(volunteers[1], latitude=ASTANA_POINT[0] + 0.0002)

    page = text_of(signed_in(volunteers[1]).get(f"/dumps/{again.id}/"))

    assert "Perhaps the same dump" in page and "A known dump 22 m away" in page


def test_the_list_comes_in_pages_of_thirty_and_counts_them_all(client):
    # Given 65 sites found by space monitoring
    rows = [{"id": f"P-{i}", "latitude": 51 + i / 1000, "longitude": 71.4, "region": "KZ-71"} for i in range(65)]
    assert dumps_import(rows=rows, source="pages").added == 65

    first, last = (client.get("/dumps/", {"page": n}, HTTP_ACCEPT_LANGUAGE="en") for n in (1, 3))

    assert (len(first.context["dumps"]), len(last.context["dumps"]), first.context["count"]) == (30, 5, 65)
    assert "65 dumps" in first.text and "Page 1 of 3" in first.text and "page=2" in first.text
    assert "Page 3 of 3" in last.text and "page=2" in last.text
