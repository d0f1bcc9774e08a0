"""The async projection of the public totals: campaign, event and dump facts folded into stats.models.

A batch is folded in three steps: what the tables hold of the events it names is read (stats.bulk),
the facts are folded onto it in memory by one pure function (stats.fold.fold_facts), and the changes
are written back set-wise, every aggregate row (national, region, campaign, organisation, per day,
per volunteer) moved by the difference between each event's old and new contribution. A correction,
a verification or a cancellation therefore replaces an event's figures in every total at once.
`compute()` runs the same fold over every fact from nothing, for `ledger verify`, as of the same
instant: the totals' clock (stats.crediting), which every batch and the periodic crediting move.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from ledger.projections import AsyncProjection, register
from ledger.reading import gc_paused
from ledger.stored import StoredFact
from stats import bulk, crediting
from stats.fold import Before, fold_facts
from stats.metrics import CAMPAIGN_FACTS, DUMP_FACTS, EVENT_FACTS
from stats.models import (
    Attendance,
    CampaignPlan,
    DailyTotal,
    DumpFigures,
    EventFigures,
    PlanTarget,
    Total,
    TotalsClock,
    VolunteerTotal,
)


@register
class TotalsProjection(AsyncProjection):
    """National, region, campaign and organisation totals; daily series; volunteer tallies; plans."""

    name = "stats.totals"
    handles = EVENT_FACTS | CAMPAIGN_FACTS | DUMP_FACTS
    models = (
        EventFigures,
        Attendance,
        DumpFigures,
        Total,
        DailyTotal,
        VolunteerTotal,
        CampaignPlan,
        PlanTarget,
        TotalsClock,
    )

    def fold(self, facts: list[StoredFact]) -> bool:
        """Fold a batch, after moving the totals' clock to now: the events whose start or end it
        passes are folded with the facts (credited: stats.crediting). Whether anything changed."""
        since, now = crediting.next_clock(timezone.now())
        crossed = crediting.crossed_events(since=since, until=now)
        before = bulk.read_before(facts, crossed=crossed)
        changes = fold_facts(facts, before, now=now)
        while changes.missing or changes.missing_people:
            # An event with volunteers stored starts or stops counting, or its time moves: its
            # volunteers' tallies all move, and each of them may move their other events' time.
            before = bulk.read_more(before, events=changes.missing, people=changes.missing_people)
            changes = fold_facts(facts, before, now=now)
        bulk.write(changes)
        changed = bool(facts or crossed)
        crediting.move_clock(since, now, changed=changed)
        return changed

    # --- from scratch, for `ledger verify` ---------------------------------------------------------

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        """The tables as a replay of every fact gives them: the fold's changes from empty tables."""
        # The replay keeps an attendance per check-in of the ledger, millions, none in a cycle: the
        # collector would only walk them again and again (catch-up pauses it for each batch too).
        with gc_paused():
            changes = fold_facts(facts, Before(complete=True), now=crediting.clock().credited_until)
        return {
            "events": {event_id: state.as_dict() for event_id, state in sorted(changes.events.items())},
            "dumps": {dump_id: state.as_dict() for dump_id, state in sorted(changes.dumps.items())},
            "totals": _nonzero({"|".join(key): value for key, value in changes.totals.items()}),
            "daily": _nonzero({f"{r}|{d.isoformat()}|{m}": value for (r, d, m), value in changes.daily.items()}),
            "volunteers": _nonzero(changes.volunteers),
            "campaigns": {
                campaign_id: {**plan, "closed": campaign_id in changes.closed}
                for campaign_id, plan in changes.plans.items()
            },
            "targets": {f"{c}|{r}|{m}": value for (c, r, m), value in changes.targets.items()},
        }

    def snapshot(self) -> dict:
        events = {str(row.event_id): row.to_state().as_dict() for row in EventFigures.objects.order_by("event_id")}
        totals = {
            f"{scope}|{key}|{metric}": [v, a]
            for scope, key, metric, v, a in Total.objects.values_list("scope", "key", "metric", "verified", "awaiting")
        }
        daily = {
            f"{region}|{day.isoformat()}|{metric}": [v, a]
            for region, day, metric, v, a in DailyTotal.objects.values_list(
                "region", "day", "metric", "verified", "awaiting"
            )
        }
        volunteers = {
            str(vid): [events, seconds]
            for vid, events, seconds in VolunteerTotal.objects.values_list("volunteer_id", "events", "seconds")
        }
        campaigns = {
            str(c.campaign_id): {
                "name": c.name,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "closed": c.closed,
            }
            for c in CampaignPlan.objects.all()
        }
        targets = {
            f"{cid}|{region}|{metric}": value
            for cid, region, metric, value in PlanTarget.objects.values_list("campaign_id", "region", "metric", "value")
        }
        dumps = {str(row.dump_id): row.to_state().as_dict() for row in DumpFigures.objects.order_by("dump_id")}
        return {
            "events": events,
            "dumps": dumps,
            "totals": _nonzero(totals),
            "daily": _nonzero(daily),
            "volunteers": _nonzero(volunteers),
            "campaigns": campaigns,
            "targets": targets,
        }


def _nonzero(rows: dict) -> dict:
    """Aggregate rows that sum to nothing are the same as no row."""
    return {key: list(value) for key, value in sorted(rows.items()) if any(value)}
