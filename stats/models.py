"""Read models of the public totals, folded from facts by the async projection `stats.totals`.

None of these tables is written by anything but stats.projections (through stats.bulk); all can be
dropped and rebuilt from the ledger. Figures are integers in exact units (grams, square metres,
seconds): see metrics.py.
"""

from __future__ import annotations

from django.db import models

from stats.metrics import DumpState, EventState


class EventFigures(models.Model):
    """One event as the totals see it: the dimensions it is summed under and its figures.

    Kept here, from the facts, rather than read from the events app's tables, so that the totals
    never depend on another projection's lag or rebuild.
    """

    event_id = models.UUIDField(primary_key=True)
    campaign_id = models.UUIDField(db_index=True)
    region = models.CharField(max_length=8)
    organisation_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=20)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    day = models.DateField(db_index=True)  # local day of starts_at
    approved = models.BooleanField(default=False)
    proposal_rejected = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)
    result_version = models.PositiveIntegerField(null=True)
    logged = models.JSONField(null=True)
    decision = models.CharField(max_length=10, blank=True)
    decision_version = models.PositiveIntegerField(null=True)
    verified = models.JSONField(null=True)
    volunteers = models.PositiveIntegerField(default=0)
    youth = models.PositiveIntegerField(default=0)
    seconds = models.BigIntegerField(default=0)
    started = models.BooleanField(default=False)  # as of the totals' clock (TotalsClock)
    survival = models.JSONField(null=True)  # trees alive by survival check label (metrics.EventState)
    status = models.CharField(max_length=10)  # metrics.VERIFIED / AWAITING / NOT_COUNTED

    class Meta:
        verbose_name_plural = "event figures"
        # The crediting step looks events up by the start or end its clock passed.
        indexes = [
            models.Index(fields=["starts_at"], name="stats_event_starts"),
            models.Index(fields=["ends_at"], name="stats_event_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.region} {self.status}"

    STATE_FIELDS = ("kind", "starts_at", "ends_at", "approved", "proposal_rejected", "cancelled", "result_version")
    STATE_FIELDS += ("logged", "decision", "decision_version", "verified", "volunteers", "youth", "seconds", "started")
    STATE_FIELDS += ("survival",)

    def to_state(self) -> EventState:
        return EventState(
            event_id=str(self.event_id),
            campaign_id=str(self.campaign_id),
            region=self.region,
            organisation_id=str(self.organisation_id),
            **{name: getattr(self, name) for name in self.STATE_FIELDS},
        )

    @classmethod
    def from_state(cls, state: EventState) -> EventFigures:
        return cls(
            event_id=state.event_id,
            campaign_id=state.campaign_id,
            region=state.region,
            organisation_id=state.organisation_id,
            day=state.day,
            status=state.status,
            **{name: getattr(state, name) for name in cls.STATE_FIELDS},
        )


class DumpFigures(models.Model):
    """One illegal dump as the totals see it (metrics.DumpState): its region and its status, from
    the dumps' facts, so the dump figures are as of the totals' position like the rest."""

    dump_id = models.UUIDField(primary_key=True)
    region = models.CharField(max_length=8)
    status = models.CharField(max_length=12)
    hidden = models.BooleanField(default=False)
    campaign_id = models.CharField(max_length=36, blank=True)  # of the event that liquidated it

    class Meta:
        verbose_name_plural = "dump figures"

    def __str__(self) -> str:
        return f"{self.dump_id} {self.region} {self.status}"

    def to_state(self) -> DumpState:
        return DumpState(
            dump_id=str(self.dump_id),
            region=self.region,
            status=self.status,
            hidden=self.hidden,
            campaign_id=self.campaign_id,
        )

    @classmethod
    def from_state(cls, state: DumpState) -> DumpFigures:
        return cls(
            dump_id=state.dump_id,
            region=state.region,
            status=state.status,
            hidden=state.hidden,
            campaign_id=state.campaign_id,
        )


class Attendance(models.Model):
    """A volunteer checked in at an event (once, however often they were scanned)."""

    # stats_attendance_unique leads with the event and serves lookups by event: no index of its own.
    event = models.ForeignKey(
        EventFigures, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    volunteer_id = models.UUIDField(db_index=True)
    age_band = models.CharField(max_length=10)
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True)
    seconds = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "volunteer_id"], name="stats_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} at {self.event_id}"


class Total(models.Model):
    """The sum of one metric over one scope, split into verified and awaiting verification.

    scope/key: national/KZ, region/<code>, campaign/<id>, campaign_region/<id>:<code>,
    organisation/<id>, campaign_organisation/<id>:<organisation id>.
    """

    scope = models.CharField(max_length=24)
    key = models.CharField(max_length=80)
    metric = models.CharField(max_length=24)
    verified = models.BigIntegerField(default=0)
    awaiting = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "metric"], name="stats_total_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.metric} = {self.verified} + {self.awaiting}"


class DailyTotal(models.Model):
    """One metric of one region's events held on one (local) day."""

    region = models.CharField(max_length=8)
    day = models.DateField()
    metric = models.CharField(max_length=24)
    verified = models.BigIntegerField(default=0)
    awaiting = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "day", "metric"], name="stats_daily_unique")]
        indexes = [models.Index(fields=["metric", "day"], name="stats_daily_metric_day")]

    def __str__(self) -> str:
        return f"{self.region} {self.day} {self.metric} = {self.verified} + {self.awaiting}"


class VolunteerTotal(models.Model):
    """Events attended and time given by one volunteer (counted events only)."""

    volunteer_id = models.UUIDField(primary_key=True)
    events = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    # No index on events or seconds: every fold updates them (an index would make each update
    # write index entries too), and leaderboards start from the few accounts that opted in.

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.events} events"


class CampaignPlan(models.Model):
    """A campaign's period, from its facts: what plan-versus-fact measures time against."""

    campaign_id = models.UUIDField(primary_key=True)
    name = models.JSONField(default=dict)  # {"kk": …, "ru": …, "en": …}
    starts_on = models.DateField()
    ends_on = models.DateField()
    closed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name.get("en") or str(self.campaign_id)


class PlanTarget(models.Model):
    """The target in force for one campaign, region and metric, in stored units."""

    campaign_id = models.UUIDField()
    region = models.CharField(max_length=8)
    metric = models.CharField(max_length=24)  # stored metric name (waste_g, area_m2, …)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign_id", "region", "metric"], name="stats_plan_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.region} {self.metric} = {self.value}"


class TotalsClock(models.Model):
    """The instant the totals are folded as of (one row): which events have started, which ended.

    Held, not read from the wall clock at each use, so that the tables and a replay (`ledger
    verify`) agree exactly: both fold as of `credited_until`. Every batch and the periodic crediting
    (stats.crediting) move it forward; `changed_at` is when the figures last changed, the
    `as_of_time` of every answer (and part of its cache key).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    credited_until = models.DateTimeField()
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"credited until {self.credited_until.isoformat()}"
