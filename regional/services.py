"""The mirror step: bring one instance's mirror up to its latest signed checkpoint, verified.

One step (`instance_mirror`), in this order, and nothing is kept unless every check passed:

1. Fetch the instance's latest checkpoint and open it with the configured key (transparency.note):
   a note not signed by that key, or of another log (origin), is refused.
2. Prove it extends the checkpoint verified last (RFC 9162 consistency proof from the instance's
   API, checked by transparency.merkle): a smaller tree, another root at the same size, or a proof
   that does not verify is a fork.
3. Read the public feed from the last mirrored leaf up to the checkpoint's size, hash each fact as
   served exactly as the auditor does (`leaf_hash(leaf_data(item))`), check the leaf indexes run on
   with none missing, extend the mirror's own tree (tree.py) and compare its root with the signed one.
4. Only then, in one transaction: store the facts (`MirroredFact`, one row a leaf, unique per
   instance and leaf), recount the instance's figures from all its mirrored facts (when the batch
   grew, and hourly), and advance the state. A crash before the commit keeps nothing of the batch
   and the next step reads it again; a step that finds the checkpoint it verified last adds nothing
   (idempotent).

A fork (2, or 3's root or indexes) marks the instance `forked`, logs it as an error, keeps the
evidence in `last_error`, and folds nothing more from it: its figures stay those of the last
verified checkpoint, until an operator has looked and deletes its mirror. An instance that cannot
be read is `silent`; one read but whose feed fails mid-batch is `lagging` (seen a checkpoint it has
not verified); one whose latest checkpoint is older than TAZA_REGIONAL_SILENT_SECONDS is `silent`
too. Each keeps its last verified figures, with their date.

The figures are recomputed, not kept incrementally: stats' `Recount` (the recount `totals_recompute`
and the auditor run) over the instance's mirrored facts in leaf order, at each step, so they are
always exactly "as of the verified checkpoint" with no second folding code to keep in step. Its cost
is one pass over the instance's mirrored facts a step that grew (and one an hour: the figures
depend on the clock, as the national ones do).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reference.models import Country
from reference.regions import countries_ensure
from regional import tree
from regional.instances import Instance
from regional.models import InstanceMirror, MirroredFact
from stats.management.commands.totals_recompute import Recount
from transparency import merkle
from transparency.leaves import leaf_data
from transparency.note import NoteError, open_note, parse_checkpoint
from transparency.remote import RemoteError, Site

logger = logging.getLogger("regional")
RECOUNT_EVERY = dt.timedelta(hours=1)


class Forked(Exception):
    """The instance's log contradicts what it signed, or what the mirror verified before."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(bytes(raw)).decode()


def instance_mirror(*, instance: Instance, page: int | None = None, now: dt.datetime | None = None) -> InstanceMirror:
    """One mirror step for `instance`; returns its state after the step (see the module's docstring)."""
    countries_ensure(Country, countries=(instance.country,))  # its population, for per-1 000 figures
    mirror, _ = InstanceMirror.objects.get_or_create(country=instance.country, defaults={"url": instance.url})
    if mirror.url != instance.url:  # moved: the same log (the key says so) at another address
        InstanceMirror.objects.filter(pk=mirror.pk).update(url=instance.url)
        mirror.url = instance.url
    if mirror.status == InstanceMirror.Status.FORKED:
        logger.error("Instance %s is forked; nothing more is mirrored from it: %s", instance.country, mirror.last_error)
        return mirror
    now = now or timezone.now()
    site = Site(instance.url, timeout=settings.TAZA_REGIONAL_TIMEOUT_SECONDS)
    try:
        checkpoint, note, published_at = _checkpoint(site, instance)
        mirror.seen_size = max(mirror.seen_size, checkpoint.size)
        _consistent(site, mirror, checkpoint)
        if checkpoint.size > mirror.size:
            items, peaks = _batch(site, mirror, checkpoint, page or settings.TAZA_REGIONAL_PAGE)
        else:
            items, peaks = [], None
    except RemoteError as error:
        reached = mirror.seen_size > mirror.size
        return _failed(mirror, InstanceMirror.Status.LAGGING if reached else InstanceMirror.Status.SILENT, error, now)
    except Forked as error:
        logger.error("Instance %s forked its log: %s", instance.country, error)
        return _failed(mirror, InstanceMirror.Status.FORKED, error, now)
    return _fold(mirror, checkpoint, note, published_at, items, peaks, now)


def _checkpoint(site: Site, instance: Instance):
    served = site.latest_checkpoint()
    try:
        checkpoint = parse_checkpoint(open_note(served["note"], [instance.verifier]).text)
    except (NoteError, KeyError, TypeError) as error:
        key = instance.verifier.name
        raise Forked(f"the checkpoint served is not signed by the configured key {key}: {error}") from error
    if checkpoint.origin != instance.verifier.name:  # a Taza log's key is named by its origin (TAZA_LOG_ORIGIN)
        raise Forked(f"the checkpoint served is of the log {checkpoint.origin!r}, not {instance.verifier.name!r}")
    published_at = parse_datetime(served.get("published_at") or "")
    return checkpoint, served["note"], published_at


def _consistent(site: Site, mirror: InstanceMirror, checkpoint) -> None:
    if mirror.size == 0:
        return  # the first checkpoint seen: nothing earlier to check it against
    old = f"tree size {mirror.size} (root {_b64(mirror.root)})"
    new = f"tree size {checkpoint.size} (root {_b64(checkpoint.root)})"
    try:
        if checkpoint.size < mirror.size:
            raise merkle.ProofError("the log went back")
        proof = site.consistency_proof(mirror.size, checkpoint.size) if checkpoint.size > mirror.size else []
        merkle.verify_consistency(mirror.size, checkpoint.size, bytes(mirror.root), checkpoint.root, proof)
    except merkle.ProofError as error:
        said = f"the checkpoint of {new} is not consistent with the checkpoint of {old} verified: {error}"
        raise Forked(said) from error


def _batch(site: Site, mirror: InstanceMirror, checkpoint, page: int) -> tuple[list[dict], list[bytes]]:
    """The feed's facts of leaves `mirror.size` … `checkpoint.size - 1`, checked against the signed root."""
    first, size = mirror.size, checkpoint.size
    items: list[dict] = []
    after = mirror.last_position
    while first + len(items) < size:
        answer = site.get("/api/v1/facts/", after=after, limit=page)
        for item in answer["results"]:
            index = item.get("leaf_index")
            if index is None or index >= size:
                continue
            expected = first + len(items)
            if index != expected:
                raise Forked(f"the feed serves leaf {index} where leaf {expected} belongs: its order changed")
            items.append(item)
        if not answer.get("next"):
            break
        after = answer["next_after"]
    if first + len(items) < size:
        raise Forked(f"checkpoint {size} signed {size} leaves; the feed serves {first + len(items)}")
    hashes = [merkle.leaf_hash(leaf_data(item)) for item in items]
    peaks = tree.extend([base64.b64decode(p) for p in mirror.peaks], first, hashes)
    mine = tree.root(peaks)
    if mine != checkpoint.root:
        raise Forked(
            f"the facts served for leaves {first} to {size - 1} give the tree of size {size} root {_b64(mine)}, "
            f"not the signed {_b64(checkpoint.root)}: a fact was changed after it was logged"
        )
    return items, peaks


def _fold(mirror, checkpoint, note, published_at, items, peaks, now) -> InstanceMirror:
    with transaction.atomic():
        locked = InstanceMirror.objects.select_for_update().get(pk=mirror.pk)
        if locked.size != mirror.size or locked.status == InstanceMirror.Status.FORKED:
            return locked  # another step got there first: its outcome stands
        if items:
            MirroredFact.objects.bulk_create(
                MirroredFact(instance=locked, leaf_index=item["leaf_index"], position=item["position"], fact=item)
                for item in items
            )
            locked.size, locked.root, locked.note = checkpoint.size, checkpoint.root, note
            locked.peaks = [_b64(p) for p in peaks]
            locked.last_position = items[-1]["position"]
            locked.checkpoint_published_at = published_at
        elif not locked.note:
            locked.note, locked.checkpoint_published_at = note, published_at
        locked.seen_size = max(locked.seen_size, mirror.seen_size)
        silent_after = dt.timedelta(seconds=settings.TAZA_REGIONAL_SILENT_SECONDS)
        stale = locked.checkpoint_published_at is not None and now - locked.checkpoint_published_at > silent_after
        locked.status = InstanceMirror.Status.SILENT if stale else InstanceMirror.Status.OK
        locked.last_error = (
            f"the latest checkpoint was published at {locked.checkpoint_published_at.isoformat()}" if stale else ""
        )
        # Recounted when the batch grew, and hourly (an event counts once it has started, its hours once
        # it has ended): an idle instance is not recounted at every tick.
        if items or locked.figures_at is None or now - locked.figures_at >= RECOUNT_EVERY:
            locked.figures, locked.figures_at = recount(locked, now), now
        locked.verified_at = locked.attempted_at = now
        locked.save()
        return locked


def _failed(mirror: InstanceMirror, status: str, error: Exception, now: dt.datetime) -> InstanceMirror:
    with transaction.atomic():
        locked = InstanceMirror.objects.select_for_update().get(pk=mirror.pk)
        if locked.status != InstanceMirror.Status.FORKED:
            locked.status = status
        locked.seen_size = max(locked.seen_size, mirror.seen_size)
        locked.last_error, locked.attempted_at = str(error), now
        locked.save(update_fields=["status", "seen_size", "last_error", "attempted_at"])
    if status != InstanceMirror.Status.FORKED:
        logger.warning("Instance %s is %s: %s", mirror.country, status, error)
    return locked


def recount(mirror: InstanceMirror, now: dt.datetime) -> dict:
    """The instance's figures from its mirrored facts, in leaf order: verified, awaiting, total, dumps,
    and each campaign's plan (its targets summed over the instance's regions) beside its fact (the
    figures of its own events: a recount of their facts alone)."""
    counted, campaigns, campaign_of = Recount(), {}, {}
    facts = MirroredFact.objects.filter(instance=mirror).order_by("leaf_index").values_list("fact", flat=True)
    for fact in facts.iterator(chunk_size=2000):
        counted.add(fact)
        kind, data = fact["type"], fact["data"]
        if kind == "CampaignLaunched":
            campaigns[data["campaign_id"]] = {"name": data["name"], "targets": {}, "recount": Recount()}
        elif kind == "CampaignTargetsSet" and data["campaign_id"] in campaigns:
            # A revision names some regions and metrics; the others keep their target (campaigns' rule).
            targets = campaigns[data["campaign_id"]]["targets"]
            targets.update({(t["region"], t["metric"]): t["value"] for t in data["targets"]})
        elif kind == "EventApproved":
            campaign_of[data["event_id"]] = data.get("campaign_id")
        campaign = campaigns.get(campaign_of.get(data.get("event_id")))
        if campaign is not None:
            campaign["recount"].add(fact)
    totals = counted.totals(now)
    return {
        "verified": totals["verified"],
        "awaiting_verification": totals["awaiting"],
        "total": totals["total"],
        "dumps": counted.dump_figures(),
        "campaigns": [
            {
                "campaign_id": campaign_id,
                "name": campaign["name"],
                "plan": _plan(campaign["targets"]),
                "fact": campaign["recount"].totals(now)["total"],
            }
            for campaign_id, campaign in campaigns.items()
        ],
    }


def _plan(targets: dict[tuple[str, str], str]) -> dict[str, str]:
    plan: dict[str, Decimal] = {}
    for (_, metric), value in targets.items():
        plan[metric] = plan.get(metric, Decimal(0)) + Decimal(value)
    return {metric: str(value) for metric, value in sorted(plan.items())}
