"""The campaign of the demo data: «Таза Қазақстан — Spring 2026», with targets for all 20 regions.

For the demo loader (events' `demo_load` command), which calls it before it proposes its events:

    from campaigns.demo import demo_campaign_ensure
    campaign = demo_campaign_ensure(actor=an_admin)   # idempotent: a second call changes nothing

The campaign is launched through `campaigns.services`, like an admin would, so its facts are the
real ones. It covers the three kinds of events from 1 March to 31 May 2026 (events proposed in it
must start in that period). Targets are per region and metric, from the region's population and
the ratios of the whole initiative (DESIGN.md and shared/seeds: 6.9 million participants
collected 844 000 t of waste, planted 2.9 million trees and cleaned 1 million ha): about 120 kg of
waste, 0.45 trees and 0.15 ha per participant, one event per 5 000 participants. Cities plant and
clean less land than regions. One revision after the launch (more trees in Turkistan Region)
leaves a history to look at. The government named Almaty Region (KZ-19), Ulytau (KZ-62) and Abai
(KZ-10) as behind their planned indicators: give those fewer results than their targets.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from campaigns.models import Campaign, Region
from campaigns.services import Target, campaign_launch, campaign_targets_set
from volunteers.models import User

DEMO_CAMPAIGN_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://taza.kz/demo/campaigns/spring-2026")

NAME = {
    "kk": "Таза Қазақстан — 2026 көктемі",
    "ru": "Таза Казахстан — весна 2026",
    "en": "Таза Қазақстан — Spring 2026",
}
DESCRIPTION = {
    "kk": (
        "«Таза Қазақстан» бастамасының көктемгі кезеңі: аулалар мен саябақтардағы сенбіліктер, "
        "Наурыз алдындағы ағаш отырғызу, өзен жағалауы мен табиғи аумақтарды тазарту."
    ),
    "ru": (
        "Весенний этап инициативы «Таза Қазақстан»: субботники во дворах и парках, посадка "
        "деревьев к Наурызу, очистка берегов рек и природных территорий."
    ),
    "en": (
        "The spring stage of the «Таза Қазақстан» initiative: clean-ups of yards and parks, tree "
        "planting before Nauryz, clean-ups of river banks and natural areas."
    ),
}
STARTS_ON = dt.date(2026, 3, 1)
ENDS_ON = dt.date(2026, 5, 31)

PARTICIPANTS_PER_RESIDENT = Decimal("0.14")
PER_PARTICIPANT = {"waste_kg": Decimal(120), "trees": Decimal("0.45"), "area_ha": Decimal("0.15")}
PARTICIPANTS_PER_EVENT = 5000
CITY_LAND_FACTOR = {"trees": Decimal("0.6"), "area_ha": Decimal("0.2")}

REVISION = {
    "region": "KZ-61",
    "metric": "trees",
    "extra": Decimal(40000),
    "reason": "Туркестанская область добавила 40 000 саженцев к посадке у Наурыза.",
}


def demo_targets() -> list[Target]:
    """The launch targets: five metrics for each of the 20 regions, in round figures."""
    targets = []
    for region in Region.objects.order_by("code"):
        participants = _round(region.population * PARTICIPANTS_PER_RESIDENT, 100)
        land = CITY_LAND_FACTOR if region.kind == Region.Kind.CITY else {}
        figures = {
            "events": max(10, _round(participants / PARTICIPANTS_PER_EVENT, 1)),
            "participants": participants,
            "waste_kg": _round(participants * PER_PARTICIPANT["waste_kg"], 1000),
            "trees": _round(participants * PER_PARTICIPANT["trees"] * land.get("trees", 1), 100),
            "area_ha": _round(participants * PER_PARTICIPANT["area_ha"] * land.get("area_ha", 1), 10),
        }
        targets += [Target(region.code, metric, Decimal(value)) for metric, value in figures.items()]
    return targets


@transaction.atomic
def demo_campaign_ensure(*, actor: User) -> Campaign:
    """The demo campaign, launched (with its targets and one revision) unless it exists already.

    `actor` must be an admin. Safe to call on every demo load.
    """
    existing = Campaign.objects.filter(pk=DEMO_CAMPAIGN_ID).first()
    if existing is not None:
        return existing
    targets = demo_targets()
    campaign = campaign_launch(
        actor=actor,
        campaign_id=DEMO_CAMPAIGN_ID,
        name=NAME,
        description=DESCRIPTION,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        event_kinds=["cleanup", "tree_planting", "area_cleanup"],
        targets=targets,
        source="import",
    )
    before = next(t for t in targets if (t.region, t.metric) == (REVISION["region"], REVISION["metric"]))
    return campaign_targets_set(
        actor=actor,
        campaign_id=campaign.id,
        targets=[Target(before.region, before.metric, Decimal(before.value) + REVISION["extra"])],
        reason=REVISION["reason"],
        expected_version=campaign.version,
        source="import",
    )


def _round(value: Decimal | int, step: int) -> int:
    return int((Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step
