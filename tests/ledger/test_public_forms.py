"""Every fact type says what of it is public, and a fact without a public form is not shown."""

import datetime as dt
import uuid

import pytest
from django.test import override_settings

from ledger.facts import registered_types
from ledger.models import Fact
from ledger.public import declared_forms, pseudonym
from ledger.store import append
from tests.ledger.helpers import settled
from tests.ledger.sampleapp.facts import SampleNoted


def test_every_registered_fact_type_declares_its_public_form_and_no_form_names_an_unknown_type():
    assert sorted(set(registered_types()) - set(declared_forms())) == []
    assert sorted(set(declared_forms()) - set(registered_types())) == []


def test_what_a_withheld_type_would_show_is_nothing_and_what_a_public_one_shows_is_named():
    forms = declared_forms()

    assert {name for name, form in forms.items() if not form.fields} == {
        "EventProposed",
        "EventRejected",
        "EventChangeProposed",
        "EventChangeWithdrawn",
        "EventChangeRejected",
        "VolunteerRegistered",
        "RegistrationCancelled",
        "WaitlistPromoted",
        "RoleGranted",
        "RoleRevoked",
        "DumpReported",
    }
    assert not any(
        {"volunteer_id", "organiser_id", "coordinator_id", "short_code", "registration_id"} & set(form.fields)
        for form in forms.values()
    )


@pytest.mark.django_db
def test_a_fact_of_a_type_with_no_public_form_is_withheld_from_the_feed(api_client):
    # Given a fact of a type nobody declared a form for (written as a row: append() refuses it)
    before = append("notes", [SampleNoted("before")])
    Fact.objects.create(
        fact_id=uuid.uuid4(),
        stream="secrets-1",
        version=1,
        type="SomethingNew",
        schema_version=1,
        data={"volunteer_id": "8d7f0a3e-4c1b-4f7e-a2d9-5e6b7c8d9e0f"},
        meta={"source": "web"},
        occurred_at=dt.datetime(2026, 4, 25, tzinfo=dt.UTC),
    )
    after = append("notes", [SampleNoted("after")])
    settled()

    # When the feed is read in pages of one
    first = api_client.get("/api/v1/facts/", {"limit": 1}).json()
    second = api_client.get("/api/v1/facts/", {"limit": 1, "after": first["next_after"]}).json()
    third = api_client.get("/api/v1/facts/", {"limit": 1, "after": second["next_after"]}).json()

    # Then the undeclared one is skipped, and paging past it loses nothing
    assert [f["data"] for f in first["results"] + second["results"]] == [{"text": "before"}, {"text": "after"}]
    assert (first["next_after"], second["next_after"]) == (before.position, after.position)
    assert (third["results"], third["next"]) == ([], None)
    assert "8d7f0a3e" not in str([first, second, third])


def test_a_pseudonym_is_stable_within_a_scope_unrelated_across_scopes_and_keyed_by_the_setting(settings):
    volunteer = "0190a4c2-1b2c-7d3e-8f40-5a6b7c8d9e0f"

    in_one = pseudonym("event-1", volunteer)
    assert pseudonym("event-1", volunteer) == in_one
    assert pseudonym("event-2", volunteer) != in_one
    assert len(in_one) == 32 and int(in_one, 16) >= 0
    with override_settings(TAZA_PSEUDONYM_KEY="another key"):
        assert pseudonym("event-1", volunteer) != in_one
