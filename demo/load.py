"""The demo: accounts of every role, the season's open campaigns with targets, approved upcoming
events in every region written in Kazakh, Russian and English as organisers write them
(demo/season.py), and a small national history of past campaigns, closed, with their results
(demo/history.py) so the totals, plan-versus-fact and leaderboards have something to show.
`manage.py demo_load` runs it.

Everything goes through the services (facts in the ledger, projections inline), each write keyed
with an Idempotency-Key, so running the command again changes nothing. Regions come with the
migrations. Every demo account has the password `taza-demo-2026` and a verified email.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import Target, campaign_launch
from config.languages import LANGUAGES
from demo import season
from demo.dumps import dumps_load
from demo.history import history_load, history_volunteer_id
from events.models import Event
from events.services import event_approve, event_propose, registration_create
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

PASSWORD = "taza-demo-2026"  # the demo accounts' published password (README)  # nosec B105
ASTANA = "KZ-71"
# Per region, the places a campaign of the season plans for: a little more than the demo's events
# and their volunteers, so the plan page shows regions on their way.
EVENTS_TARGET_SHARE = Decimal("1.5")
PARTICIPANTS_PER_EVENT = Decimal("40")


@transaction.atomic
def demo_load(*, write: Callable[[str], object]) -> str:
    """Load the demo, then the small history (its progress told to `write`); return what is ready."""
    organisations = {o.key: _organisation(o) for o in season.ORGANISATIONS}
    admin = _person("admin@taza.demo", "Admin", Role.ADMIN, superuser=True)
    organiser = _person(
        "organiser@taza.demo", "Arman (ENU Eco-club)", Role.ORGANISER, organisation=organisations[season.ENU_CLUB]
    )
    _person("coordinator@taza.demo", "Saule (Astana coordinator)", Role.COORDINATOR, region=ASTANA)
    dana = _person("volunteer@taza.demo", "Dana", birth_date=dt.date(2003, 4, 12), volunteer_id=history_volunteer_id())
    people = {"volunteer": dana}
    for name, born in (("Aigerim", 2001), ("Bolat", 1990), ("Erlan", 2006), ("Gulnara", 1975)):
        people[name.lower()] = _person(f"{name.lower()}@taza.demo", name, birth_date=dt.date(born, 6, 1))

    today = timezone.localdate()
    planned = season.season_campaigns(today)
    placed = {demo.key: season.campaign_for(planned, _day(demo, today), demo.kinds) for demo in season.EVENTS}
    campaigns = {c.key: _campaign(c, [placed[d.key] for d in season.EVENTS], admin) for c in planned}
    for demo in season.EVENTS:
        plan, kind = placed[demo.key]
        # The ENU club's events are its organiser's; the others' the admin proposes for them.
        proposer = organiser if demo.organisation == season.ENU_CLUB else admin
        event = _event(demo, today, campaigns[plan.key], kind, organisations[demo.organisation], proposer, admin)
        for who in season.REGISTRATIONS.get(demo.key, []):
            registration_create(actor=people[who], event_id=event.id, idempotency_key=f"demo-registration-{demo.key}")
    history_load(write=write)
    dumps_load(admin=admin, reporter=people["volunteer"])
    names = ", ".join(f"“{c.name_en}”" for c in campaigns.values())
    upcoming = Event.objects.filter(campaign__in=campaigns.values(), starts_at__gt=timezone.now()).count()
    return (
        f"Demo ready: {User.objects.filter(email__endswith='@taza.demo').count()} accounts "
        f"(password {PASSWORD}), {names}, {upcoming} upcoming events in "
        f"{Region.objects.filter(events__campaign__in=campaigns.values()).distinct().count()} regions."
    )


def _organisation(demo: season.DemoOrganisation) -> Organisation:
    names = {f"name_{lang}": demo.name.get(lang, "") for lang in LANGUAGES}
    # Found by its first name written: the one a demo of before may have had is its English one.
    first = next(lang for lang in ("en", "kk", "ru") if demo.name.get(lang))
    found = Organisation.objects.filter(region_id=demo.region, **{f"name_{first}": demo.name[first]}).first()
    if found is None:
        return Organisation.objects.create(kind=demo.kind, region_id=demo.region, **names)
    return found


def _person(
    email: str,
    name: str,
    *roles: Role,
    superuser: bool = False,
    organisation: Organisation | None = None,
    region: str | None = None,
    birth_date: dt.date | None = None,
    volunteer_id: uuid.UUID | None = None,
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(
            email,
            PASSWORD,
            display_name=name,
            organisation=organisation,
            birth_date=birth_date,
            language="en",
            **({"volunteer_id": volunteer_id} if volunteer_id else {}),
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    for role in roles:
        role_grant(user=user, role=role, region=Region.objects.get(pk=region) if region else None)
    return user


def _day(demo: season.DemoEvent, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=demo.in_days)


def _campaign(planned: season.DemoCampaign, placed: list[tuple[season.DemoCampaign, str]], admin: User) -> Campaign:
    """The campaign launched (once: keyed by its key), with targets for the regions of its events."""
    events = Counter(
        demo.region for demo, (campaign, _kind) in zip(season.EVENTS, placed, strict=True) if campaign == planned
    )
    targets = [
        target
        for region, count in sorted(events.items())
        for target in (
            Target(region, "events", (count * EVENTS_TARGET_SHARE).to_integral_value()),
            Target(region, "participants", count * PARTICIPANTS_PER_EVENT),
        )
    ]
    return campaign_launch(
        actor=admin,
        name=planned.name,
        description=planned.description,
        starts_on=planned.starts_on,
        ends_on=planned.ends_on,
        event_kinds=list(planned.event_kinds),
        targets=targets,
        idempotency_key=f"demo-campaign-{planned.key}",
    )


def _event(
    demo: season.DemoEvent,
    today: dt.date,
    campaign: Campaign,
    kind: str,
    organisation: Organisation,
    proposer: User,
    admin: User,
) -> Event:
    starts_at = timezone.make_aware(dt.datetime.combine(_day(demo, today), dt.time(demo.hour)))
    latitude, longitude = season.point(demo)
    titles = {lang: template.format(place=demo.place[lang]) for lang, template in season.TITLES[kind].items()}
    event = event_propose(
        actor=proposer,
        campaign_id=campaign.id,
        kind=kind,
        title=season.written(titles, demo.written),
        description=season.written(season.DESCRIPTIONS[kind], demo.written),
        region=demo.region,
        address=season.written(demo.address, demo.written),
        latitude=latitude,
        longitude=longitude,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        capacity=demo.capacity,
        what_to_bring=season.written(season.WHAT_TO_BRING[kind], demo.written),
        organisation_id=organisation.id,
        idempotency_key=f"demo-event-{demo.key}",
    )
    return event_approve(actor=admin, event_id=event.id, idempotency_key=f"demo-approve-{demo.key}")
