"""A realistic national history with exact totals, appended through the ledger in bulk.

`history_load` appends it (`manage.py demo_history`, and `demo_load` after the demo's accounts and
events): a small history by default, the full «Таза Қазақстан» seed scale with
`--seed-scale` (1 294 events, 6.9 million participants: 2 million check-ins of 500 000 volunteers
plus 4.9 million head-count, 844 000 t of waste, 2.9 million trees, 1 million ha), or any
fraction of it. The facts are the ones the services append (EventProposed, EventApproved,
VolunteerRegistered, VolunteerCheckedIn, ResultLogged, ResultVerified; CampaignLaunched and
CampaignTargetsSet), many per append call, so every inline projection runs as for the services.

Everything is deterministic, so a second run appends nothing (the ledger returns the stored facts
for known fact ids): the few events, campaigns and organisations have uuid5 ids of a fixed
namespace; the millions of facts, registrations and volunteers have time-ordered ids (UUID version
7, as the services mint them, see ledger/ids.py) whose time is when the thing happened and whose
random bits come from a hash, so they go into their indexes in order. Three regions the government
named as behind their planned indicators (Almaty region, Ulytau, Abai) get targets they do not reach.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import random
import time
import traceback
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cached_property

from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from campaigns.facts import EVENT_KINDS, CampaignClosed, CampaignLaunched, CampaignTargetsSet
from demo.season import CENTRES, TITLES
from events.facts import (
    EventApproved,
    EventProposed,
    ResultLogged,
    ResultVerified,
    SurvivalChecked,
    VolunteerCheckedIn,
    VolunteerRegistered,
    event_stream,
)
from events.survival import due_on
from ledger import store
from ledger.ids import uuid7_int
from ledger.runner import catch_up_all
from reference.models import Region
from stats.selectors import elapsed_fraction
from volunteers.models import Organisation, User

NAMESPACE = uuid.UUID("6b1d7a52-3f0e-4c5e-9a43-7c1f2d8e0a11")
BEHIND = ("KZ-19", "KZ-62", "KZ-10")  # named in the government meeting of 2026-02-04
WASTE_SHARES = {"mixed": 60, "plastic": 18, "paper": 10, "glass": 6, "metal": 4, "organic": 2}
AGE_BANDS = ("14_35",) * 6 + ("36_59", "36_59", "under_14", "60_plus")
CHUNK = 5000  # facts per append call
IDLE_PAUSE = 1.0  # seconds between two calls of load()'s `idle` …
IDLE_BUSY = 5000  # … unless the last one did this much (it is behind: at once)
ALMATY = dt.timezone(dt.timedelta(hours=5))
MS = dt.timedelta(milliseconds=1)
SIGN_UP = dt.datetime(2024, 1, 1, tzinfo=ALMATY)  # the volunteers signed up one a second from then
CLOSED_AFTER = dt.timedelta(days=14)  # a campaign is closed when its results are in (_story: two days)
BRING = {"kk": "Қолғап пен су.", "ru": "Перчатки и вода.", "en": "Gloves and water."}


@dataclass(frozen=True)
class Scale:
    events: int
    checkins: int
    volunteers: int
    headcount: int
    waste_kg: int
    trees: int
    area_ha: int

    @property
    def participants(self) -> int:
        return self.checkins + self.headcount

    def fraction(self, share: float) -> Scale:
        return Scale(
            events=max(20, round(self.events * share)),
            checkins=round(self.checkins * share),
            volunteers=max(1, round(self.volunteers * share)),
            headcount=round(self.headcount * share),
            waste_kg=round(self.waste_kg * share),
            trees=round(self.trees * share),
            area_ha=round(self.area_ha * share),
        )


SEED = Scale(1294, 2_000_000, 500_000, 4_900_000, 844_000_000, 2_900_000, 1_000_000)
SMALL = Scale(60, 1_500, 400, 3_000, 120_000, 9_000, 800)


def uid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(map(str, parts)))


def timed_uid(*parts: object, at: dt.datetime) -> uuid.UUID:
    """The time-ordered id of `parts` made at `at`: a version 7 UUID of that millisecond whose
    random bits come from sha1(namespace, parts)."""
    digest = hashlib.sha1(NAMESPACE.bytes + ":".join(map(str, parts)).encode(), usedforsecurity=False).digest()
    return uuid.UUID(int=uuid7_int(round(at.timestamp() * 1000), int.from_bytes(digest[:10])))


def uids(*parts: object, count: int, start: dt.datetime, step: dt.timedelta = MS) -> list[str]:
    """[str(timed_uid(*parts, i, at=start + i * step)) for i in range(count)], from one hash state:
    the seed scale needs millions of ids, and building a UUID object each is a good part of the
    load's time."""
    head = hashlib.sha1(NAMESPACE.bytes + (":".join(map(str, parts)) + ":").encode(), usedforsecurity=False)
    first, step_ms = round(start.timestamp() * 1000), step // MS
    out = []
    for i in range(count):
        h = head.copy()
        h.update(b"%d" % i)
        hexa = f"{uuid7_int(first + i * step_ms, int.from_bytes(h.digest()[:10])):032x}"
        out.append(f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}")
    return out


def history_volunteer_id(index: int = 0) -> uuid.UUID:
    """The id of the history's volunteer `index` (PlannedEvent.volunteer_ids): the demo's own
    volunteer account holds the first, so signing in as her shows a past, hours and a certificate."""
    return timed_uid("volunteer", index, at=SIGN_UP + dt.timedelta(seconds=index))


def split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in integers that sum to it exactly."""
    if not weights:
        return []
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass
class PlannedEvent:
    index: int
    event_id: uuid.UUID
    campaign: int
    region: str
    organisation_id: uuid.UUID
    kind: str
    day: dt.date
    checkins: int = 0
    first_checkin: int = 0  # global index of its first check-in: volunteer = index % volunteers
    headcount: int = 0
    waste_kg: int = 0
    trees: int = 0
    area_ha: int = 0
    verified: bool = True

    @property
    def waste(self) -> dict[str, int]:
        """The waste by kind, in whole kilograms."""
        return dict(zip(WASTE_SHARES, split(self.waste_kg, list(WASTE_SHARES.values())), strict=True))

    @property
    def result_version(self) -> int:
        """The stream version of its ResultLogged: proposed, approved, registrations, check-ins."""
        return 2 + 2 * self.checkins + 1

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(10), tzinfo=ALMATY)


@dataclass
class PlannedCampaign:
    campaign_id: uuid.UUID
    name: str  # English; the id is derived from it
    starts_on: dt.date
    ends_on: dt.date
    targets: list[dict[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # kk, ru, en
    event_kinds: tuple[str, ...] = EVENT_KINDS

    def closed_on(self, today: dt.date) -> dt.date | None:
        """When a campaign over is closed (by a fact: it does not stay open for ever): two weeks
        after its last day, once its last results are in; None while that is not past."""
        closed = self.ends_on + CLOSED_AFTER
        return closed if closed < today else None


@dataclass
class Plan:
    scale: Scale
    campaigns: list[PlannedCampaign]
    events: list[PlannedEvent]
    organisations: dict[str, list[tuple[uuid.UUID, dict[str, str], str]]]  # region -> (id, names, kind)
    today: dt.date  # the day it was planned for: which campaigns are over and closed

    def volunteer(self, checkin: int) -> uuid.UUID:
        return uuid.UUID(self.volunteer_ids[checkin % self.scale.volunteers])

    @cached_property
    def volunteer_ids(self) -> list[str]:
        """Every volunteer's id, in the order they signed up (one a second from SIGN_UP)."""
        return uids("volunteer", count=self.scale.volunteers, start=SIGN_UP, step=dt.timedelta(seconds=1))


# The past campaigns of the demo history: a spring and an autumn clean-up a year, named in en, kk, ru.
SEASONS = (
    (("Spring clean-up", "Көктемгі сенбілік", "Весенний субботник"), (3, 15), (6, 15)),
    (("Autumn clean-up", "Күзгі сенбілік", "Осенний субботник"), (9, 1), (11, 15)),
)


def _campaigns(today: dt.date) -> list[PlannedCampaign]:
    spans = [
        (tuple(f"{name} {year}" for name in names), dt.date(year, *first), dt.date(year, *last))
        for year in (2024, 2025)
        for names, first, last in SEASONS
    ]
    spans += [
        (
            # Trees planted before the holiday of 21 March, and only trees.
            ("Nauryz tree planting 2026", "Наурызға ағаш отырғызу 2026", "Посадка деревьев к Наурызу 2026"),
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 21),
        ),
        (
            ("Taza Qazaqstan now", "Таза Қазақстан: қазіргі науқан", "Таза Казахстан: текущая кампания"),
            today - dt.timedelta(days=60),
            today + dt.timedelta(days=30),
        ),
    ]
    return [
        PlannedCampaign(
            uid("campaign", en),
            en,
            start,
            end,
            names={"kk": kk, "ru": ru, "en": en},
            event_kinds=("tree_planting",) if en.startswith("Nauryz") else EVENT_KINDS,
        )
        for (en, kk, ru), start, end in spans
        if start < today
    ]


ORGANISATION_KINDS = ("school", "university", "ngo")


def organisation_names(region: str, kind: str) -> dict[str, str]:
    """The name of one of a region's three organisations of the history, as it writes it: the
    school and the eco-club in the three languages, the NGO in Kazakh and Russian only."""
    kk, ru, en = CENTRES[region]
    return {
        "school": {
            "kk": f"{kk} қаласының №1 мектеп-гимназиясы",
            "ru": f"Школа-гимназия № 1 города {ru}",
            "en": f"{en} School-Gymnasium No. 1",
        },
        "university": {
            "kk": f"«Жасыл әлем» студенттік экоклубы ({kk})",
            "ru": f"Студенческий экоклуб «Жасыл әлем» ({ru})",
            "en": f"Zhasyl Alem student eco-club ({en})",
        },
        "ngo": {"kk": f"«Таза өлке» қоғамдық бірлестігі ({kk})", "ru": f"Общественное объединение «Таза өлке» ({ru})"},
    }[kind]


# The languages the history's organisers wrote their events in, in turn (most in Kazakh and Russian).
WRITTEN = (("kk", "ru"), ("kk", "ru", "en"), ("ru",), ("kk",), ("kk", "ru"), ("ru", "en"))


def plan_history(*, scale: Scale, today: dt.date, regions: list[Region]) -> Plan:
    """Decide every event and figure in memory, with exact totals, before appending anything."""
    rng = random.Random(2026)  # the demo must be the same on every run, not unpredictable  # nosec B311
    campaigns = _campaigns(today)
    organisations = {
        r.code: [
            (uid("organisation", r.code, kind), organisation_names(r.code, kind), kind) for kind in ORGANISATION_KINDS
        ]
        for r in regions
    }
    weight = {r.code: r.population * (0.45 if r.code in BEHIND else 1.0) for r in regions}
    per_region = [1 + n for n in split(scale.events - len(regions), [weight[r.code] for r in regions])]
    codes = [r.code for r, n in zip(regions, per_region, strict=True) for _ in range(n)]
    rng.shuffle(codes)

    events: list[PlannedEvent] = []
    per_campaign = split(len(codes), [3, 2, 3, 2, 2, 1][: len(campaigns)])
    position = 0
    for c, (campaign, count) in enumerate(zip(campaigns, per_campaign, strict=True)):
        last = min(campaign.ends_on, today - dt.timedelta(days=1))
        span = (last - campaign.starts_on).days + 1
        for k in range(count):
            code = codes[position]
            kind = ("cleanup",) * 5 + ("tree_planting",) * 3 + ("area_cleanup",) * 2
            events.append(
                PlannedEvent(
                    index=position,
                    event_id=uid("event", position),
                    campaign=c,
                    region=code,
                    organisation_id=organisations[code][position % 3][0],
                    kind=kind[position % 10]
                    if kind[position % 10] in campaign.event_kinds
                    else campaign.event_kinds[0],
                    day=campaign.starts_on + dt.timedelta(days=k * span // count),
                )
            )
            position += 1

    size = [rng.uniform(0.5, 1.5) for _ in events]
    first = 0
    for event, checkins, headcount in zip(
        events, split(scale.checkins, size), split(scale.headcount, size), strict=True
    ):
        event.checkins, event.first_checkin, event.headcount = checkins, first, headcount
        first += checkins
    _share(events, scale.waste_kg, size, {"cleanup": 1.0, "area_cleanup": 0.3}, "waste_kg")
    _share(events, scale.trees, size, {"tree_planting": 1.0}, "trees")
    _share(events, scale.area_ha, size, {"area_cleanup": 1.0, "cleanup": 0.2}, "area_ha")
    for event in events:
        # The last week's results still wait for a coordinator.
        event.verified = event.day < today - dt.timedelta(days=7)
    plan = Plan(scale=scale, campaigns=campaigns, events=events, organisations=organisations, today=today)
    _set_targets(plan, today)
    return plan


def _share(events: list[PlannedEvent], total: int, size: list[float], kinds: dict[str, float], name: str) -> None:
    chosen = [i for i, e in enumerate(events) if e.kind in kinds]
    for i, amount in zip(chosen, split(total, [size[i] * kinds[events[i].kind] for i in chosen]), strict=True):
        setattr(events[i], name, amount)


def _set_targets(plan: Plan, today: dt.date) -> None:
    """Targets a little below what most regions achieve, far above it for the regions behind."""
    achieved: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in plan.events:
        row = achieved[(e.campaign, e.region)]
        row["events"] += 1
        row["participants"] += e.checkins + e.headcount
        row["waste_kg"] += e.waste_kg
        row["trees"] += e.trees
        row["area_ha"] += e.area_ha
    for c, campaign in enumerate(plan.campaigns):
        pace = elapsed_fraction(starts_on=campaign.starts_on, ends_on=campaign.ends_on, on=today)
        for (cc, region), figures in sorted(achieved.items()):
            if cc != c:
                continue
            for metric, value in figures.items():
                if not value:
                    continue
                if region in BEHIND:
                    target = (Decimal(value) * Decimal("1.6") / pace).to_integral_value(ROUND_CEILING)
                else:
                    target = max(1, (Decimal(value) * Decimal("0.95") / pace).to_integral_value(ROUND_FLOOR))
                campaign.targets.append({"region": region, "metric": metric, "value": str(target)})


# --- loading ----------------------------------------------------------------------------------------


def organisations_and_accounts_ensure(plan: Plan, *, demo_accounts: int) -> None:
    """The organisations of the plan, and a few demo accounts holding the first volunteer ids."""
    for region, organisations in plan.organisations.items():
        for oid, name, kind in organisations:
            names = {f"name_{lang}": text for lang, text in name.items()}
            Organisation.objects.get_or_create(id=oid, defaults={**names, "kind": kind, "region_id": region})
    names = ["Aigerim", "Nurlan", "Dana", "Erlan", "Madina", "Arman", "Zhanna", "Timur"]
    for i in range(min(demo_accounts, plan.scale.volunteers)):
        volunteer_id = plan.volunteer(i)
        if not User.objects.filter(volunteer_id=volunteer_id).exists():
            user = User(
                email=f"volunteer{i + 1}@demo.taza.kz",
                volunteer_id=volunteer_id,
                display_name=f"{names[i % len(names)]} {i + 1}",
                show_on_leaderboards=i % 4 != 3,  # most opt in; some stay hidden
            )
            user.set_unusable_password()
            user.save()


def history_load(
    *,
    seed_scale: bool = False,
    fraction: float = 1.0,
    accounts: int = 8,
    catch_up: bool = True,
    workers: int | None = None,
    write: Callable[[str], object],
) -> int:
    """Plan the history (small, or `fraction` of the seed's scale), append it, and unless told not to,
    catch the projections up; tell `write` how it goes. Returns the facts appended: none the second time.

    `CommandError` for a request it cannot meet: this is what `demo_history` and `demo_load` run.
    """
    if not 0 < fraction <= 1:
        raise CommandError("--fraction must be in (0, 1].")
    if workers is None:
        # Workers are separate processes with their own connections: only where the database
        # takes concurrent writers, and not inside a caller's transaction (they would not see it).
        # The small demo is over in seconds: forking is for the seed scale.
        parallel = seed_scale and connection.vendor == "postgresql" and not connection.in_atomic_block
        workers = 2 if parallel else 1
    elif workers < 1 or (workers > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block)):
        raise CommandError("--workers above 1 needs PostgreSQL and no open transaction.")
    scale = SEED.fraction(fraction) if seed_scale else SMALL
    regions = list(Region.objects.order_by("code"))
    if not regions:
        raise CommandError("No regions: run migrate first.")
    plan = plan_history(scale=scale, today=timezone.localdate(), regions=regions)
    write(
        f"Planned {scale.events} events, {scale.participants} participants ({scale.checkins} check-ins of "
        f"{scale.volunteers} volunteers, {scale.headcount} head-count), {scale.waste_kg} kg of waste, "
        f"{scale.trees} trees, {scale.area_ha} ha."
    )
    organisations_and_accounts_ensure(plan, demo_accounts=accounts)

    started = time.perf_counter()
    step = max(1, len(plan.events) // 20)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            write(f"  {done}/{total} events appended, {time.perf_counter() - started:.1f} s")

    # With workers, this process folds the async projections meanwhile (as a Celery worker
    # would): what is left for the catch-up after the load is the last events' facts.
    during = [0]

    def follow() -> int:
        folded = catch_up_all(wait=0)
        during[0] += folded
        return folded

    appended = load(plan, progress=progress, workers=workers, idle=follow if catch_up else None)
    loaded = time.perf_counter() - started
    write(f"Appended {appended} facts in {loaded:.1f} s ({workers} worker(s)).")
    if catch_up:
        started = time.perf_counter()
        folded = catch_up_all(wait=60)  # older transactions may hold facts back: wait for them
        write(
            f"Projections caught up on {during[0] + folded} facts ({during[0]} during the load, "
            f"{folded} after it in {time.perf_counter() - started:.1f} s)."
        )
    return appended


def load(
    plan: Plan,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    idle: Callable[[], int] | None = None,
) -> int:
    """Append the whole plan; returns the number of facts appended (0 when it was loaded before).

    Each event's story is one transaction. With `workers` > 1 (PostgreSQL, not inside a
    transaction) that many processes append events side by side: streams are independent, and
    while one process waits for the database the other builds facts. Meanwhile this process
    calls `idle` (say, a catch-up of the async projections, returning what it did) about once a
    second, and again at once while it returns at least `IDLE_BUSY`.
    """
    appended = sum(_load_campaign(campaign, plan.today) for campaign in plan.campaigns)
    if workers > 1 and len(plan.events) > 1:
        return appended + _load_in_parallel(plan, workers=workers, progress=progress, idle=idle)
    for n, event in enumerate(plan.events, start=1):
        appended += _load_event(plan, event)
        if progress:
            progress(n, len(plan.events))
    return appended


def _load_campaign(campaign: PlannedCampaign, today: dt.date) -> int:
    stream = f"campaign-{campaign.campaign_id}"
    facts = [
        CampaignLaunched(
            campaign.campaign_id,
            campaign.names or {"kk": campaign.name, "ru": campaign.name, "en": campaign.name},
            {"kk": "", "ru": "", "en": ""},
            campaign.starts_on,
            campaign.ends_on,
            list(campaign.event_kinds),
        ),
        CampaignTargetsSet(campaign.campaign_id, campaign.targets, "plan of the year"),
    ]
    appended = _append(stream, facts, _at(campaign.starts_on, -14), "c", campaign.campaign_id)
    closed_on = campaign.closed_on(today)
    if closed_on is not None:
        # After its events' results (logged and verified within days of an event): a closed
        # campaign takes no more. Its own append, so the launch's fact ids stay those of a
        # history loaded before campaigns were closed.
        closing = [CampaignClosed(campaign.campaign_id, "The campaign is over.")]
        appended += _append(stream, closing, _at(closed_on), "closed", campaign.campaign_id)
    return appended


def _load_event(plan: Plan, event: PlannedEvent) -> int:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # An import need not wait for each commit's WAL flush: a crash loses at most the last
            # events' transactions, and running the import again appends exactly those.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return sum(
            _append(event_stream(event.event_id), facts, when, tag, event.event_id)
            for tag, when, facts in _story(plan, event)
        )


def _load_in_parallel(
    plan: Plan, *, workers: int, progress: Callable[[int, int], None] | None, idle: Callable[[], int] | None
) -> int:
    """Fork `workers` processes, each appending every workers-th event; gather their counts, and
    call `idle` between their news (see load())."""
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    # A forked child must not share the parent's database connection: close it, each opens its own.
    connections.close_all()
    children = [
        context.Process(target=_worker, args=(plan, plan.events[w::workers], queue), daemon=True)
        for w in range(workers)
    ]
    for child in children:
        child.start()
    appended = done = finished = 0
    try:
        next_idle = 0.0
        while finished < len(children):
            if idle is not None and queue.empty() and time.monotonic() >= next_idle:
                # A catch-up has a fixed cost (locks, horizon, checkpoint): one that finds a
                # second's worth of facts is cheaper per fact than many that find a few each.
                if idle() >= IDLE_BUSY:
                    continue
                next_idle = time.monotonic() + IDLE_PAUSE
            kind, value = queue.get()
            if kind == "error":
                raise RuntimeError(f"A loading worker failed:\n{value}")
            if kind == "finished":
                finished += 1
                continue
            appended, done = appended + value, done + 1
            if progress:
                progress(done, len(plan.events))
    finally:
        for child in children:
            if child.is_alive() and finished < len(children):
                child.terminate()
            child.join()
    return appended


def _worker(plan: Plan, events: list[PlannedEvent], queue) -> None:
    try:
        for event in events:
            queue.put(("event", _load_event(plan, event)))
        queue.put(("finished", 0))
    except BaseException:  # noqa: BLE001 - the parent reports it
        queue.put(("error", traceback.format_exc()))
    finally:
        connections.close_all()


def _at(day: dt.date, days: int = 0, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour), tzinfo=ALMATY)


def _story(plan: Plan, e: PlannedEvent) -> Iterator[tuple[str, dt.datetime, list]]:
    """The appends the services would make for one event, in order."""
    campaign = plan.campaigns[e.campaign]
    organiser, coordinator = uid("organiser", e.region), uid("coordinator", e.region)
    written = WRITTEN[e.index % len(WRITTEN)]
    centre = dict(zip(("kk", "ru", "en"), CENTRES[e.region], strict=True))
    yield (
        "proposed",
        _at(e.day, -21),
        [
            EventProposed(
                event_id=e.event_id,
                campaign_id=campaign.campaign_id,
                organisation_id=e.organisation_id,
                organiser_id=organiser,
                kind=e.kind,
                title={lang: TITLES[e.kind][lang].format(place=centre[lang]) for lang in written},
                description={},
                region=e.region,
                address={lang: centre[lang] for lang in written},
                latitude=None,
                longitude=None,
                starts_at=e.starts_at,
                ends_at=e.starts_at + dt.timedelta(hours=4),
                capacity=max(e.checkins, 1),
                what_to_bring={lang: BRING[lang] for lang in written},
                short_code=f"{e.index:06d}"[-6:],
            ),
            EventApproved(e.event_id, coordinator),
        ],
    )
    # Ids as strings and values computed once per event: the seed scale appends millions of these,
    # and the stored facts are the same (the ledger stores UUIDs as their strings).
    event_id = str(e.event_id)
    registered_at = _at(e.day, -7)
    registrations = uids("registration", e.index, count=e.checkins, start=registered_at)
    volunteers = plan.volunteer_ids
    first, everyone = e.first_checkin, plan.scale.volunteers
    bands = [AGE_BANDS[((first + k) % everyone) % len(AGE_BANDS)] for k in range(e.checkins)]
    who = [volunteers[(first + k) % everyone] for k in range(e.checkins)]
    arrivals = [e.starts_at + dt.timedelta(minutes=minute) for minute in range(30)]
    for start in range(0, e.checkins, CHUNK):
        part = range(start, min(start + CHUNK, e.checkins))
        yield (
            f"registered{start}",
            registered_at,
            [VolunteerRegistered(event_id, registrations[k], who[k], bands[k], False) for k in part],
        )
    # Past campaigns' check-ins go on the event's stream, as they were recorded before attendance had
    # streams of its own (issue 13; every reader takes both): a stream per person would be millions
    # of one-fact appends instead of batches.
    for start in range(0, e.checkins, CHUNK):
        part = range(start, min(start + CHUNK, e.checkins))
        yield (
            f"checked-in{start}",
            e.starts_at,
            [VolunteerCheckedIn(event_id, who[k], registrations[k], "qr", bands[k], arrivals[k % 30]) for k in part],
        )
    waste = {kind: str(kg) for kind, kg in e.waste.items() if kg}
    yield (
        "result",
        e.starts_at + dt.timedelta(hours=5),
        [
            ResultLogged(
                e.event_id, waste, e.trees, {"elm": e.trees} if e.trees else {}, str(e.area_ha), e.headcount, "", ""
            )
        ],
    )
    if e.verified:
        yield (
            "verified",
            _at(e.day, 2),
            [ResultVerified(e.event_id, coordinator, "accepted", e.result_version, None, None, None, None, "")],
        )
        yield from _survival_checks(plan, e, organiser)


# Of the trees planted, the share alive at each check, by the event's index: a dry steppe loses more
# than a watered city park, and a year's count is below its season's.
SURVIVAL_SHARES = {"season": (0.92, 0.88, 0.81, 0.95, 0.86), "year": (0.84, 0.76, 0.68, 0.9, 0.73)}


def _survival_checks(plan: Plan, e: PlannedEvent, organiser: uuid.UUID) -> Iterator[tuple[str, dt.datetime, list]]:
    """Two plantings of three get their survival checks (a season on, a year on, when past): the
    third is not counted yet, so the rate is over the checked plantings only."""
    if e.kind != "tree_planting" or not e.trees or e.index % 3 == 2:
        return
    for label, shares in SURVIVAL_SHARES.items():
        counted_on = due_on(e.day, label) + dt.timedelta(days=e.index % 12)
        if counted_on >= plan.today:
            return
        alive = int(Decimal(e.trees) * Decimal(str(shares[e.index % len(shares)])))
        check = SurvivalChecked(
            event_id=e.event_id,
            label=label,
            counted_on=counted_on,
            alive={"elm": alive},
            planted={"elm": e.trees},
            counter_id=organiser,
            counted_as="organiser",
            note="",
        )
        yield f"survival-{label}", _at(counted_on, hour=15), [check]


def _append(stream: str, facts: list, when: dt.datetime, tag: str, owner: object) -> int:
    ids = uids("fact", owner, tag, count=len(facts), start=when)
    result = store.append(stream, facts, fact_ids=ids, occurred_at=when, source="import")
    return 0 if result.duplicate else len(result.facts)
