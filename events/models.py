"""Projection tables of the event streams (inline, see projections.py): what commands and pages read.

Every row can be dropped and rebuilt from the ledger, so primary keys are ids carried by facts
(event_id, registration_id, the check-in's fact_id), never counters. Volunteers appear only by
their opaque `volunteer_id`; names are joined from the account tables when a page shows them.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.facts import EVENT_KINDS
from config.languages import LANGUAGES, Written, in_language, written_in
from events.facts import AGE_BANDS, CHECKIN_METHODS, SURVIVAL_LABELS, WRITTEN_FIELDS, event_stream
from events.hours import Stay, stay_seconds


def search_text(*parts: str) -> str:
    """Text folded for the finder's word search: case-folded, spaces squeezed (events.selectors)."""
    return " ".join(" ".join(part for part in parts if part).casefold().split())


def event_columns(details: dict) -> dict:
    """The Event columns of the texts among `details` (as facts carry them: {language: text}),
    with the search text when title, address and description are all among them."""
    columns = {
        f"{name}_{lang}": details[name].get(lang, "")
        for name in WRITTEN_FIELDS
        if name in details
        for lang in LANGUAGES
    }
    if {"title", "address", "description"} <= details.keys():
        # Each text once: one written the same in several languages (schema 1's, upcast) is one text.
        columns["search_text"] = search_text(
            *dict.fromkeys(
                details[name].get(lang, "") for name in ("title", "address", "description") for lang in LANGUAGES
            )
        )
    return {**{name: value for name, value in details.items() if name not in WRITTEN_FIELDS}, **columns}


class Event(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True)  # the event_id of its facts
    # Campaigns and organisations live in other tables that are rebuilt (or edited) on their own:
    # no database constraint, so neither blocks the other's rebuild.
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.DO_NOTHING, db_constraint=False, related_name="events"
    )
    organisation = models.ForeignKey(
        "volunteers.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="events"
    )
    organiser_id = models.UUIDField(_("organiser's volunteer id"))
    kind = models.CharField(_("kind"), max_length=20, choices=[(k, k) for k in EVENT_KINDS])
    # The texts as written, one column per language ("" where not written: events.facts.WRITTEN_FIELDS);
    # `title`, `description`, `address` and `what_to_bring` read them in the reader's language.
    title_kk = models.CharField(_("title in Kazakh"), max_length=200, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_kk = models.TextField(_("description in Kazakh"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="events")
    address_kk = models.CharField(_("address in Kazakh"), max_length=300, blank=True)
    address_ru = models.CharField(_("address in Russian"), max_length=300, blank=True)
    address_en = models.CharField(_("address in English"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    what_to_bring_kk = models.TextField(_("what to bring in Kazakh"), blank=True)
    what_to_bring_ru = models.TextField(_("what to bring in Russian"), blank=True)
    what_to_bring_en = models.TextField(_("what to bring in English"), blank=True)
    # What the finder's words are looked for in: title, address and description in every language
    # written, case-folded in Python (search_text()), so Kazakh and Russian capitals match on SQLite
    # too, whose LOWER() and LIKE fold ASCII only. Kept by the projection with the fields it is made of.
    search_text = models.TextField(default="", editable=False)
    short_code = models.CharField(_("event code"), max_length=12)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    status_reason = models.TextField(_("reason"), blank=True)  # of a rejection or cancellation
    coordinator_id = models.UUIDField(null=True, blank=True)  # who approved or rejected it
    registered_count = models.PositiveIntegerField(default=0)
    waitlisted_count = models.PositiveIntegerField(default=0)
    # The version of the event's stream this row reflects. Attendance facts are on streams of their
    # own (events/facts.py), so a check-in moves neither this nor any other field of the row.
    version = models.PositiveIntegerField(default=0)
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_starts"),
            models.Index(fields=["region", "starts_at"], name="event_region_starts"),
            models.Index(fields=["campaign", "starts_at"], name="event_campaign_starts"),
            models.Index(fields=["latitude", "longitude"], name="event_lat_lon"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def written(self, name: str) -> Written:
        """One of WRITTEN_FIELDS as written: {language: text}, only the languages written."""
        return written_in({lang: getattr(self, f"{name}_{lang}") for lang in LANGUAGES})

    def detail(self, name: str):
        """A detail field as facts carry it (events.facts.DETAIL_FIELDS): a text as written, else the value."""
        return self.written(name) if name in WRITTEN_FIELDS else getattr(self, name)

    @property
    def title(self) -> str:
        return in_language(self.written("title"))

    @property
    def description(self) -> str:
        return in_language(self.written("description"))

    @property
    def address(self) -> str:
        return in_language(self.written("address"))

    @property
    def what_to_bring(self) -> str:
        return in_language(self.written("what_to_bring"))

    @property
    def stream(self) -> str:
        return event_stream(self.id)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def was_approved(self) -> bool:
        # Only an approved event can be cancelled after a decision: a rejected one stays rejected.
        return self.status == self.Status.APPROVED or (
            self.status == self.Status.CANCELLED and self.decided_at is not None
        )

    # Counted from the check-ins' rows, not kept on this one: a counter here would be a write to the
    # event's row by every check-in, and they would queue on its lock (issue 13). One index-only
    # count: `checkin_once_per_event` leads with the event.
    @property
    def checked_in_count(self) -> int:
        """The volunteers checked in now: counted in the list's own query where events.selectors.event_list
        annotated it, else one count."""
        counted = self.__dict__.get("checked_in_counted")
        return counted if counted is not None else CheckIn.objects.filter(event_id=self.id).count()

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.registered_count, 0)


class EventChange(models.Model):
    """A change an organiser proposed to what the public reads of an approved event, and what became
    of it. `previous` is the event as approved when the change was proposed (the diff's "old"; it
    stays so while the change is pending, since only an approved change alters those fields);
    `proposed` the fields as they would read (events.facts.MATERIAL_FIELDS)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REPLACED = "replaced", _("replaced by a later change")

    id = models.UUIDField(primary_key=True)  # the change_id of its facts
    # As for registrations: only the projection writes these rows, after the event's own.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes", db_constraint=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    previous = models.JSONField()
    proposed = models.JSONField()
    reason = models.TextField(blank=True)  # of a rejection
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "proposed_at", "id"]
        constraints = [
            # At most one change waits per event: a new proposal replaces the pending one.
            models.UniqueConstraint(fields=["event"], condition=Q(status="pending"), name="event_change_one_pending"),
        ]
        verbose_name = _("change to an event")
        verbose_name_plural = _("changes to events")

    def __str__(self) -> str:
        return f"{self.event_id} change {self.id} ({self.status})"


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True)  # the registration_id of its facts
    # Only the projection writes these rows, after the event's own (its first fact makes it), so a
    # foreign key would only add a check and a row lock per registration; the unique index below
    # leads with the event and serves every lookup by event, so the key has no index of its own.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", db_constraint=False, db_index=False
    )
    volunteer_id = models.UUIDField(db_index=True)
    age_band = models.CharField(max_length=10, choices=[(b, b) for b in AGE_BANDS])
    status = models.CharField(max_length=10, choices=Status.choices)
    # The stream version of the registration: the waitlist is promoted in this order.
    waitlist_order = models.PositiveIntegerField(null=True, blank=True)
    registered_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "registered_at", "id"]
        constraints = [
            # A volunteer holds at most one live place per event; the database says so too.
            models.UniqueConstraint(
                fields=["event", "volunteer_id"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_volunteer",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlist_order"], name="registration_waitlist")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.event_id} ({self.status})"


class CheckIn(models.Model):
    id = models.UUIDField(primary_key=True)  # the fact_id of the VolunteerCheckedIn
    # As for registrations: no foreign key check, and checkin_once_per_event serves lookups by event.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="checkins", db_constraint=False, db_index=False
    )
    volunteer_id = models.UUIDField(db_index=True)
    registration_id = models.UUIDField(null=True, blank=True)  # None for a walk-in
    method = models.CharField(max_length=12, choices=[(m, m) for m in CHECKIN_METHODS])
    age_band = models.CharField(max_length=10, choices=[(b, b) for b in AGE_BANDS])
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "checked_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "volunteer_id"], name="checkin_once_per_event")]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.event_id}"

    def seconds(self, *, now: dt.datetime) -> int:
        """The time given at this event as of `now`, by the rule of the totals (events.hours): within
        the event's hours, credited once it has ended or the volunteer checked out. The volunteer's
        other events are not looked at (a roster shows the time at its event)."""
        stay = Stay(
            self.id,
            str(self.event_id),
            self.checked_in_at,
            self.checked_out_at,
            self.event.starts_at,
            self.event.ends_at,
        )
        return stay_seconds(stay, now)


class ResultReport(models.Model):
    """Every result the organiser logged, first report and corrections alike (nothing overwritten)."""

    id = models.UUIDField(primary_key=True)  # the fact_id of the ResultLogged
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="result_reports")
    version = models.PositiveIntegerField()  # the stream version: what a verification names
    waste_kg = models.JSONField(default=dict)  # {"plastic": "120.5"}
    trees = models.PositiveIntegerField()
    tree_species = models.JSONField(default=dict)
    area_ha = models.DecimalField(max_digits=12, decimal_places=4)
    headcount = models.PositiveIntegerField()
    justification = models.TextField(blank=True)
    correction_reason = models.TextField(blank=True)
    logged_by = models.UUIDField(null=True, blank=True)
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "version"]
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="result_report_version")]

    def __str__(self) -> str:
        return f"{self.event_id} result v{self.version}"


class ResultVerification(models.Model):
    """Every decision a coordinator took on a result."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        ADJUSTED = "adjusted", _("adjusted")
        REJECTED = "rejected", _("rejected")

    id = models.UUIDField(primary_key=True)  # the fact_id of the ResultVerified
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="result_verifications")
    coordinator_id = models.UUIDField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    result_version = models.PositiveIntegerField()
    waste_kg = models.JSONField(null=True, blank=True)
    trees = models.PositiveIntegerField(null=True, blank=True)
    area_ha = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    headcount = models.PositiveIntegerField(null=True, blank=True)
    tree_species = models.JSONField(null=True, blank=True)  # the species adjusted, as given
    reason = models.TextField(blank=True)
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "verified_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} v{self.result_version} {self.decision}"


class Result(models.Model):
    """The result in force: the latest report, and per figure whether it is verified or awaiting.

    `figures` maps a figure ("waste_kg.plastic", "trees", "area_ha", "headcount") to
    {"reported": "120.5", "verified": "100.0" | None, "status": "verified" | "awaiting" | "rejected"}.
    """

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("awaiting verification")
        ACCEPTED = "accepted", _("accepted")
        ADJUSTED = "adjusted", _("adjusted")
        REJECTED = "rejected", _("rejected")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="result")
    version = models.PositiveIntegerField()  # of the latest ResultLogged
    report = models.ForeignKey(ResultReport, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)
    figures = models.JSONField(default=dict)
    verified_version = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.event_id} result v{self.version} ({self.status})"


class SurvivalCheck(models.Model):
    """One survival check of a planting event (a SurvivalChecked fact). A later check with the same
    label supersedes it (`current` False): the ledger keeps both, the figures take the current one."""

    id = models.UUIDField(primary_key=True)  # the fact_id of the SurvivalChecked
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="survival_checks")
    version = models.PositiveIntegerField()  # the event stream's version of the fact
    label = models.CharField(_("check"), max_length=12, choices=[(label, label) for label in SURVIVAL_LABELS])
    counted_on = models.DateField(_("counted on"))
    alive = models.JSONField(default=dict)  # {"elm": 31}
    planted = models.JSONField(default=dict)  # {"elm": 40}
    alive_total = models.PositiveIntegerField()
    planted_total = models.PositiveIntegerField()
    counter_id = models.UUIDField()
    counted_as = models.CharField(max_length=12)  # "organiser" | "coordinator"
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    current = models.BooleanField(default=True)  # False once a later check of the label supersedes it

    class Meta:
        ordering = ["event", "version"]
        indexes = [models.Index(fields=["event", "label"], name="events_survival_label")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.label} {self.alive_total}/{self.planted_total}"
