"""The Django admin shows the events' projections read-only; its actions call the services."""

from events.models import Event
from ledger.models import Fact
from volunteers.models import User


def test_admins_see_events_and_approve_through_the_service(client, admin, make_event):
    proposed = make_event(approved=False)
    client.force_login(admin)

    listing = client.get("/admin/events/event/")
    response = client.post(
        "/admin/events/event/", {"action": "approve_selected", "_selected_action": [str(proposed.id)]}, follow=True
    )

    assert listing.status_code == 200
    assert response.status_code == 200
    assert Event.objects.get(pk=proposed.id).status == "approved"
    approved = Fact.objects.get(stream=proposed.stream, version=2)
    assert (approved.type, approved.meta["actor_id"]) == ("EventApproved", str(admin.volunteer_id))


def test_a_refused_action_is_reported_and_changes_nothing(client, admin, event):
    client.force_login(admin)

    response = client.post(
        "/admin/events/event/",
        {"action": "approve_selected", "_selected_action": [str(event.id)]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Esil embankment clean-up: Only a proposed event can be approved or rejected."
    ]
    assert Event.objects.get(pk=event.id).version == 2


def test_nobody_edits_the_rows(client, admin, event):
    client.force_login(admin)

    page = client.get(f"/admin/events/event/{event.id}/change/")

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/events/event/{event.id}/delete/").status_code == 403


def test_a_superuser_cannot_edit_a_projection_row_by_posting_its_change_page(client, event):
    # Given a superuser, who holds every Django permission
    root = User.objects.create_superuser("root@taza.test", "taza-test-2026")
    client.force_login(root)
    facts_before = Fact.objects.count()
    fields = {"title": "Renamed behind the ledger's back", "capacity": "500", "status": "cancelled"}

    # When they post an edit to the event's change page
    response = client.post(f"/admin/events/event/{event.id}/change/", fields)

    # Then it is refused (the page itself they may see), and neither the row nor the ledger moved
    assert response.status_code == 403
    assert client.get(f"/admin/events/event/{event.id}/change/").status_code == 200
    row = Event.objects.get(pk=event.id)
    assert (row.title, row.capacity, row.status, row.version) == (event.title, 3, "approved", event.version)
    assert Fact.objects.count() == facts_before
