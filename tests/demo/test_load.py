"""The demo data: every role can sign in, the campaigns and events are there, and a second run changes nothing."""

from allauth.account.models import EmailAddress
from django.core.management import call_command

from campaigns.models import Campaign
from events.models import Event, Registration
from ledger.models import Fact
from volunteers.models import User
from volunteers.roles import is_admin, is_coordinator_of, is_organiser


def test_demo_load_makes_the_demo_and_running_it_again_changes_nothing(db):
    call_command("demo_load", verbosity=0)
    facts = Fact.objects.count()
    rows = (User.objects.count(), Campaign.objects.count(), Event.objects.count(), Registration.objects.count())

    call_command("demo_load", verbosity=0)

    assert (Fact.objects.count(), User.objects.count(), Campaign.objects.count()) == (facts, rows[0], rows[1])
    assert (Event.objects.count(), Registration.objects.count()) == rows[2:]
    people = {u.email: u for u in User.objects.filter(email__endswith="@taza.demo")}
    assert all(u.check_password("taza-demo-2026") for u in people.values())
    assert EmailAddress.objects.filter(email__endswith="@taza.demo", verified=True, primary=True).count() == len(people)
    assert is_admin(people["admin@taza.demo"]) and people["admin@taza.demo"].is_superuser
    assert is_organiser(people["organiser@taza.demo"])
    assert people["organiser@taza.demo"].organisation.name == "ENU Eco-club"
    assert is_coordinator_of(people["coordinator@taza.demo"], "KZ-71")
    assert not is_coordinator_of(people["coordinator@taza.demo"], "KZ-75")
    current = Campaign.objects.get(name_en="Taza Kazakhstan — demo campaign")
    assert (current.status, current.targets.count()) == ("open", 7)
    # The past campaigns of the small national history (demo_history) have their targets too
    past = Campaign.objects.exclude(pk=current.pk)
    assert past.exists() and not past.filter(targets__isnull=True).exists()
    assert sorted(Event.objects.filter(campaign=current).values_list("region_id", "status")) == [
        ("KZ-71", "approved"),
        ("KZ-71", "approved"),
        ("KZ-75", "approved"),
        ("KZ-79", "approved"),
    ]
    garden = Event.objects.get(title="Tree planting in the Botanical garden")
    assert (garden.registered_count, garden.waitlisted_count) == (3, 1)
