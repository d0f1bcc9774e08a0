"""A small scripted history written straight to the ledger with the fixed fact types.

Independent of the events and campaigns services on purpose: the totals are defined by the facts,
so the tests state the facts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from campaigns.facts import CampaignLaunched, CampaignTargetsSet
from events.facts import (
    EventApproved,
    EventCancelled,
    EventProposed,
    EventRescheduled,
    RegistrationCancelled,
    ResultLogged,
    ResultVerified,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    VolunteerRegistered,
)
from ledger import reading, store
from ledger.models import Fact, ProjectionCheckpoint
from ledger.runner import catch_up_all
from stats.tasks import credit_due

ALMATY = dt.timezone(dt.timedelta(hours=5))
COORDINATOR = uuid.UUID("00000000-0000-0000-0000-00000000c00d")
ORGANISER = uuid.UUID("00000000-0000-0000-0000-0000000000a1")


def fold_all() -> None:
    """Run the async projections over everything appended, as the Celery task would, then the
    totals' crediting, as beat would (the events whose start or end has passed since: now is the
    test's clock).

    Only transactions of the test database hold the gap-safe reader back, and a test owns it: if
    facts stay behind, a connection was left open in a transaction, and the message names it.
    """
    catch_up_all(wait=10)
    head = Fact.objects.order_by("-position").values_list("position", flat=True).first() or 0
    checkpoint = (
        ProjectionCheckpoint.objects.filter(name="stats.totals").values_list("position", flat=True).first() or 0
    )
    assert checkpoint == head or not head, f"facts held back (at {checkpoint} of {head}) by {reading.holders()}"
    credit_due()


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY)


class History:
    """Appends facts the way the services would, one stream per campaign and per event."""

    def campaign(self, *, starts_on: dt.date, ends_on: dt.date, targets: list[tuple[str, str, str]] = ()) -> uuid.UUID:
        campaign_id = uuid.uuid4()
        name = {"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Clean Kazakhstan"}
        facts = [CampaignLaunched(campaign_id, name, name, starts_on, ends_on, ["cleanup", "tree_planting"])]
        if targets:
            facts.append(
                CampaignTargetsSet(campaign_id, [{"region": r, "metric": m, "value": v} for r, m, v in targets])
            )
        store.append(f"campaign-{campaign_id}", facts, occurred_at=at(starts_on, 9))
        return campaign_id

    def event(
        self,
        *,
        campaign: uuid.UUID,
        region: str,
        organisation: uuid.UUID,
        day: dt.date,
        kind: str = "cleanup",
        hours: int = 4,
        approve: bool = True,
        starts_at: dt.datetime | None = None,
        ends_at: dt.datetime | None = None,
    ) -> uuid.UUID:
        """An event on `day` from 10:00 for `hours` (or from `starts_at` to `ends_at`)."""
        event_id = uuid.uuid4()
        facts = [
            EventProposed(
                event_id=event_id,
                campaign_id=campaign,
                organisation_id=organisation,
                organiser_id=ORGANISER,
                kind=kind,
                title={"en": "Clean-up"},
                description={},
                region=region,
                address={"en": "Embankment"},
                latitude=None,
                longitude=None,
                starts_at=starts_at or at(day, 10),
                ends_at=ends_at or at(day, 10 + hours),
                capacity=100,
                what_to_bring={"en": "gloves"},
                short_code="ABCD",
            )
        ]
        if approve:
            facts.append(EventApproved(event_id, COORDINATOR))
        self._append(event_id, facts, at(day, 9))
        return event_id

    def register(self, event: uuid.UUID, volunteer: uuid.UUID, *, age_band: str = "14_35") -> uuid.UUID:
        registration = uuid.uuid4()
        self._append(event, [VolunteerRegistered(event, registration, volunteer, age_band, False)])
        return registration

    def cancel_registration(self, event: uuid.UUID, volunteer: uuid.UUID, registration: uuid.UUID) -> None:
        self._append(event, [RegistrationCancelled(event, registration, volunteer)])

    def check_in(
        self, event: uuid.UUID, volunteer: uuid.UUID, *, when: dt.datetime, age_band: str = "14_35", walk_in=False
    ) -> None:
        registration = None if walk_in else self.register(event, volunteer, age_band=age_band)
        method = "walk_in" if walk_in else "qr"
        self._append(event, [VolunteerCheckedIn(event, volunteer, registration, method, age_band, when)])

    def check_out(self, event: uuid.UUID, volunteer: uuid.UUID, *, when: dt.datetime) -> None:
        self._append(event, [VolunteerCheckedOut(event, volunteer, when)])

    def result(
        self,
        event: uuid.UUID,
        *,
        waste_kg: dict[str, str] | None = None,
        trees: int = 0,
        area_ha: str = "0",
        headcount: int = 0,
        correction: str = "",
    ) -> int:
        """Log (or correct) the result; returns the stream version a verification refers to."""
        fact = ResultLogged(event, waste_kg or {}, trees, {}, area_ha, headcount, "", correction)
        return self._append(event, [fact]).version

    def verify(self, event: uuid.UUID, decision: str, result_version: int, **figures) -> None:
        waste = figures.get("waste_kg")
        fact = ResultVerified(
            event_id=event,
            coordinator_id=COORDINATOR,
            decision=decision,
            result_version=result_version,
            waste_kg=waste,
            trees=figures.get("trees"),
            area_ha=str(Decimal(figures["area_ha"])) if "area_ha" in figures else None,
            headcount=figures.get("headcount"),
            reason="checked on site",
        )
        self._append(event, [fact])

    def cancel(self, event: uuid.UUID) -> None:
        self._append(event, [EventCancelled(event, "storm warning")])

    def reschedule(self, event: uuid.UUID, *, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        self._append(event, [EventRescheduled(event, starts_at, ends_at, "weather")])

    def _append(self, event: uuid.UUID, facts: list, occurred_at: dt.datetime | None = None):
        occurred = min(occurred_at, dt.datetime.now(dt.UTC)) if occurred_at else None
        return store.append(f"event-{event}", facts, occurred_at=occurred)
