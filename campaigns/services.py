"""Writes of campaigns: launch, revise targets, close. Each checks the rules, then appends facts.

Only admins write campaigns. Every write may carry an Idempotency-Key (config/idempotency.py):
a retry returns the campaign and appends nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.errors import CampaignAdminRequired, CampaignClosed, CampaignExists, CampaignInvalid
from campaigns.facts import EVENT_KINDS, TARGET_METRICS, CampaignLaunched, CampaignTargetsSet
from campaigns.facts import CampaignClosed as CampaignClosedFact
from campaigns.models import Campaign
from campaigns.selectors import campaign_get
from config.cleaning import MAX_TEXT, Errors, number, plain, text
from config.days import day_text
from ledger.ids import uuid7
from ledger.keyed import derived_id, fact_ids, replayed
from ledger.store import NO_STREAM, ConcurrencyConflict, append
from reference.models import Region
from volunteers.models import User
from volunteers.roles import is_admin

LANGUAGES = ("kk", "ru", "en")
# Counted things take whole numbers; kilograms and hectares may take fractions.
WHOLE_METRICS = frozenset({"events", "participants", "trees", "dumps_liquidated"})
MAX_NAME_LENGTH = 200  # Campaign.name_* columns
# CampaignTarget.value is DECIMAL(16, 3): 13 digits before the point.
MAX_TARGET = Decimal(10) ** 13


@dataclass(frozen=True)
class Target:
    """A target for one region and metric: `Target("KZ-10", "trees", Decimal("120000"))`.

    Services also take plain mappings with the keys region, metric and value.
    """

    region: str
    metric: str
    value: Decimal | int | str


def campaign_stream(campaign_id: uuid.UUID | str) -> str:
    return f"campaign-{campaign_id}"


def campaign_launch(
    *,
    actor: User,
    name: Mapping[str, str],
    description: Mapping[str, str] | None = None,
    starts_on: dt.date,
    ends_on: dt.date,
    event_kinds: Sequence[str],
    targets: Iterable[Target | Mapping[str, Any]] = (),
    campaign_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> Campaign:
    """Launch a campaign, with its first targets if given (then a second fact, version 2)."""
    _require_admin(actor)
    errors: Errors = {}
    names = _clean_texts(name, "name", errors, required=True, max_length=MAX_NAME_LENGTH)
    descriptions = _clean_texts(description or {}, "description", errors, required=False)
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        # A datetime is a date to isinstance(), but a period of days has no time of day.
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            errors[field] = [_("Give a date.")]
    if not {"starts_on", "ends_on"} & errors.keys():
        _check_period(errors, starts_on=starts_on, ends_on=ends_on)
    kinds = _clean_event_kinds(event_kinds, errors)
    cleaned_targets = _clean_targets(targets, errors, required=False)
    if errors:
        raise CampaignInvalid(fields=errors)

    campaign_id = (
        campaign_id or derived_id(actor_id=actor.volunteer_id, key=idempotency_key, purpose="campaign_id") or uuid7()
    )
    facts: list[Any] = [
        CampaignLaunched(
            campaign_id=campaign_id,
            name=names,
            description=descriptions,
            starts_on=starts_on,
            ends_on=ends_on,
            event_kinds=kinds,
        )
    ]
    if cleaned_targets:
        facts.append(CampaignTargetsSet(campaign_id=campaign_id, targets=cleaned_targets))
    stream = campaign_stream(campaign_id)
    ids = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=len(facts))
    with transaction.atomic():
        if replayed(stream, facts, ids) is None:
            # No "does it exist?" query first: a copy of this request committing in between would
            # turn its retry into a refusal. The ledger decides: the same fact ids give the original
            # back, a stream that exists already conflicts.
            try:
                append(stream, facts, expected_version=NO_STREAM, fact_ids=ids, actor_id=actor.volunteer_id)
            except ConcurrencyConflict:
                raise CampaignExists() from None
        return Campaign.objects.get(pk=campaign_id)


def campaign_targets_set(
    *,
    actor: User,
    campaign_id: uuid.UUID | str,
    targets: Iterable[Target | Mapping[str, Any]],
    reason: str,
    expected_version: int | None = None,
    idempotency_key: str | None = None,
) -> Campaign:
    """Revise targets: the regions and metrics named get new values; the history keeps the old.

    `expected_version` is the campaign's `version` the admin saw; if it moved on since, the
    revision is refused with `version_conflict` instead of silently overwriting another's.
    """
    _require_admin(actor)
    with transaction.atomic():
        campaign = campaign_get(campaign_id=campaign_id)
        errors: Errors = {}
        cleaned_targets = _clean_targets(targets, errors, required=True)
        reason = _clean_reason(reason, errors, required=True)
        if errors:
            raise CampaignInvalid(fields=errors)
        facts = [CampaignTargetsSet(campaign_id=campaign.id, targets=cleaned_targets, reason=reason)]
        _append_change(actor, campaign, facts, expected_version, idempotency_key)
        campaign.refresh_from_db()
        return campaign


def campaign_close(
    *,
    actor: User,
    campaign_id: uuid.UUID | str,
    reason: str = "",
    expected_version: int | None = None,
    idempotency_key: str | None = None,
) -> Campaign:
    """Close a campaign: it takes no more target revisions and no more events."""
    _require_admin(actor)
    with transaction.atomic():
        campaign = campaign_get(campaign_id=campaign_id)
        errors: Errors = {}
        reason = _clean_reason(reason, errors, required=False)
        if errors:
            raise CampaignInvalid(fields=errors)
        facts = [CampaignClosedFact(campaign_id=campaign.id, reason=reason)]
        _append_change(actor, campaign, facts, expected_version, idempotency_key)
        campaign.refresh_from_db()
        return campaign


# --- rules ------------------------------------------------------------------------------------------


def _require_admin(actor: User) -> None:
    if not is_admin(actor):
        raise CampaignAdminRequired()


def _append_change(
    actor: User,
    campaign: Campaign,
    facts: list[Any],
    expected_version: int | None,
    idempotency_key: str | None,
) -> None:
    """Append a change to an existing campaign, unless it is the retry of one already stored."""
    stream = campaign_stream(campaign.id)
    ids = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=len(facts))
    # `campaign` was read before this check, so a copy of this request that commits after it is
    # not taken here for a closed or moved-on campaign; the ledger returns its facts below.
    if replayed(stream, facts, ids) is not None:
        return
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignClosed()
    if expected_version is not None and expected_version != campaign.version:
        raise ConcurrencyConflict(
            _("The campaign changed since you read it (now version %(now)d); reload and try again.")
            % {"now": campaign.version},
            fields={"expected_version": [_("The campaign is at version %(now)d.") % {"now": campaign.version}]},
        )
    # The row's version, not ANY: a revision appended by someone else meanwhile makes this one
    # conflict in the ledger (stream, version) instead of both landing.
    append(stream, facts, expected_version=campaign.version, fact_ids=ids, actor_id=actor.volunteer_id)


_LANGUAGE_NAMES = {"kk": gettext_lazy("Kazakh"), "ru": gettext_lazy("Russian"), "en": gettext_lazy("English")}


def _clean_texts(
    value: Any, field: str, errors: Errors, *, required: bool, max_length: int = MAX_TEXT
) -> dict[str, str]:
    """A text in the three languages, as {"kk": …, "ru": …, "en": …} with every key present."""
    if not isinstance(value, Mapping):
        errors[field] = [_("Give an object with the keys kk, ru and en.")]
        return {}
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        errors[field] = [_("Unknown languages: %(keys)s. Use kk, ru and en.") % {"keys": ", ".join(unknown)}]
    return {
        lang: text(
            errors,
            f"{field}.{lang}",
            value.get(lang),
            required=required,
            missing=_("Give the name in %(language)s.") % {"language": _LANGUAGE_NAMES[lang]},
            max_length=max_length,
        )
        for lang in LANGUAGES
    }


def _check_period(errors: Errors, *, starts_on: dt.date, ends_on: dt.date) -> None:
    """A campaign ends after it starts, lasts at most TAZA_CAMPAIGN_MAX_DAYS and is planned at most
    TAZA_CAMPAIGN_PLANNED_AHEAD_DAYS ahead (past campaigns may be entered, for the history)."""
    if ends_on < starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    elif (ends_on - starts_on).days + 1 > settings.TAZA_CAMPAIGN_MAX_DAYS:
        errors["ends_on"] = [_("A campaign lasts at most %(days)d days.") % {"days": settings.TAZA_CAMPAIGN_MAX_DAYS}]
    latest = timezone.localdate() + dt.timedelta(days=settings.TAZA_CAMPAIGN_PLANNED_AHEAD_DAYS)
    if starts_on > latest:
        errors["starts_on"] = [_("A campaign starts by %(day)s at the latest.") % {"day": day_text(latest)}]


def _clean_event_kinds(value: Any, errors: Errors) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        errors["event_kinds"] = [_("Choose at least one kind of event.")]
        return []
    unknown = [str(kind) for kind in value if kind not in EVENT_KINDS]
    if unknown:
        errors["event_kinds"] = [
            _("Unknown kinds: %(kinds)s. Choose from %(known)s.")
            % {"kinds": ", ".join(unknown), "known": ", ".join(EVENT_KINDS)}
        ]
        return []
    # Kept in the vocabulary's order, so the same set of kinds is always the same fact.
    return [kind for kind in EVENT_KINDS if kind in value]


def _clean_targets(value: Iterable[Any], errors: Errors, *, required: bool) -> list[dict[str, str]]:
    """Targets as the fact stores them: [{"region": "KZ-10", "metric": "trees", "value": "120000"}]."""
    items = list(value) if value is not None else []
    if required and not items:
        errors["targets"] = [_("Give at least one target.")]
        return []
    known_regions = set(Region.objects.values_list("code", flat=True)) if items else set()
    cleaned: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        at = f"targets.{index}"
        if isinstance(item, Target):
            region, metric, raw_value = item.region, item.metric, item.value
        elif isinstance(item, Mapping):
            region, metric, raw_value = item.get("region"), item.get("metric"), item.get("value")
        else:
            errors[at] = [_("Give an object with region, metric and value.")]
            continue
        if not isinstance(region, str) or region not in known_regions:
            errors[f"{at}.region"] = [_("There is no region %(code)r.") % {"code": region}]
        if not isinstance(metric, str) or metric not in TARGET_METRICS:
            errors[f"{at}.metric"] = [
                _("Unknown metric %(metric)r. Choose from %(known)s.")
                % {"metric": metric, "known": ", ".join(TARGET_METRICS)}
            ]
        number, problem = _target_value(raw_value, metric)
        if problem:
            errors[f"{at}.value"] = [problem]
        key = (str(region), str(metric))
        if key in seen:
            errors[at] = [_("%(region)s %(metric)s is given twice.") % {"region": region, "metric": metric}]
        seen.add(key)
        if number is not None:
            cleaned.append({"region": region, "metric": metric, "value": number})
    return cleaned


def _target_value(raw: Any, metric: Any) -> tuple[str | None, str | None]:
    """The value as the fact stores it (plain decimal text, no exponent), or the reason it is not valid."""
    value = number(raw)
    if value is None:
        return None, _("Give a number.")
    if value < 0:
        return None, _("A target cannot be negative.")
    if value >= MAX_TARGET:
        return None, _("This target is too large.")
    if value.as_tuple().exponent < -3 and value != value.quantize(Decimal("0.001")):
        return None, _("Use at most 3 decimal places.")
    if metric in WHOLE_METRICS and value != value.to_integral_value():
        return None, _("Give a whole number.")
    return plain(value.copy_abs()), None  # copy_abs: "-0" is stored as "0"


def _clean_reason(value: Any, errors: Errors, *, required: bool) -> str:
    return text(errors, "reason", value, required=required, missing=_("Say why."))
