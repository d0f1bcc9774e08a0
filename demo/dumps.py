"""The demo's dumps: a monitoring import across the 20 regions, most of those near a clean-up the
history held liquidated by it, and a few reports by the demo's volunteers in Astana (one confirmed,
one waiting on the coordinator's work list), with photos drawn here with Pillow (a report's "before",
a few liquidations' "after"). Through the services with keys: running it again changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import partial

from PIL import Image, ImageDraw

from dumps.models import Dump
from dumps.places import CENTRE_SPELLINGS
from dumps.services import dump_confirm, dump_link, dump_liquidate, dump_report, dumps_import
from events.models import Event, Result
from ledger.store import IdempotencyConflict
from photos.services import photo_read
from reference.regions import DATA as REGIONS
from reference.settlements import settlement_find
from volunteers.models import User

SOURCE = "kosmos-monitoring-2025"
# Offsets (degrees) from each regional centre: sites on the edges of towns, as monitoring finds them.
OFFSETS = ((0.061, -0.043), (-0.052, 0.071), (0.034, 0.088), (-0.077, -0.029))
AREAS = (45, 160, 8, 620)
REPORTS = (
    # (latitude, longitude, size, kinds, note), near the Esil in Astana
    (51.1190, 71.3912, "10_100_m2", ["mixed", "plastic"], "Bags and building waste behind the garages."),
    (51.0905, 71.4702, "over_100_m2", ["mixed", "metal", "hazardous"], "An old car, tyres and paint tins."),
)


def _picture(seed: int, *, cleared: bool) -> bytes:
    """A steppe under a sky, with heaps of waste unless `cleared`: the same bytes for the same seed
    (JPEG encoding is deterministic), so a second run names the same photo."""
    image = Image.new("RGB", (1200, 800), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 470, 1200, 800], fill=(176, 160, 110))
    draw.rectangle([0, 440, 1200, 480], fill=(120, 140, 90))
    if not cleared:
        for n in range(9):
            x, y = 120 + (seed * 137 + n * 113) % 900, 520 + (seed * 71 + n * 53) % 220
            colour = ((60 + n * 40) % 256, (90 + seed * 30) % 256, (40 + n * 25) % 256)
            draw.ellipse([x, y, x + 90 + n * 7, y + 45 + n * 3], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


AFTER_PHOTOS = 3  # liquidations shown with an after-photo


def _monitoring_rows() -> list[dict]:
    rows = []
    with REGIONS.open(encoding="utf-8") as handle:
        for region in csv.DictReader(handle):
            centre = settlement_find(CENTRE_SPELLINGS.get(region["centre_en"], region["centre_en"]))
            for n, ((dlat, dlon), area) in enumerate(zip(OFFSETS, AREAS, strict=True)):
                rows.append(
                    {
                        "id": f"{region['iso_code']}-{n + 1:03d}",
                        "latitude": round(centre.latitude + dlat, 5),
                        "longitude": round(centre.longitude + dlon, 5),
                        "detected_at": f"2025-{4 + n:02d}-{10 + n * 4:02d}",
                        "area": area,
                        "region": region["iso_code"],
                    }
                )
    return rows


def _as_loaded_before(call: Callable[[], Dump]) -> Dump | None:
    """The call, or None when a demo of an earlier version made it with other content under the same
    key (a report or liquidation recorded before it had photos): what was recorded stays, as every
    fact does, and loading the demo again over an older var/ goes on instead of stopping."""
    try:
        return call()
    except IdempotencyConflict:
        return None


def dumps_load(*, admin: User, reporter: User) -> None:
    summary = dumps_import(rows=_monitoring_rows(), source=SOURCE)
    if summary.refused:  # the demo's own rows: a refusal is a bug of the demo
        raise RuntimeError(f"the demo's monitoring rows were refused: {summary.refused}")
    # Each region's sites are cleared by a held clean-up of the region whose result is verified, but for
    # the last one in half of the regions (about nine in ten cleared, as the seed's 95 %).
    verified = {
        result.event.region_id: result.event
        for result in Result.objects.filter(status__in=("accepted", "adjusted"), event__status=Event.Status.APPROVED)
        .select_related("event")
        .order_by("event__starts_at")
    }
    liquidated = 0
    for dump in Dump.objects.filter(source=SOURCE).order_by("source_id"):
        event = verified.get(dump.region_id)
        if event is None or (dump.source_id.endswith("-004") and int(dump.region_id[3:]) % 2):
            continue
        key = f"demo-dump-{dump.source_id}"
        dump_link(actor=admin, dump_id=dump.id, event_id=event.id, idempotency_key=f"{key}-link")
        after = [photo_read(_picture(liquidated, cleared=True))] if liquidated < AFTER_PHOTOS else []
        _as_loaded_before(
            partial(
                dump_liquidate,
                actor=admin,
                dump_id=dump.id,
                reason="",
                photos=after,
                idempotency_key=f"{key}-liquidate",
            )
        )
        liquidated += 1
    for n, (latitude, longitude, size, kinds, note) in enumerate(REPORTS):
        dump = _as_loaded_before(
            partial(
                dump_report,
                actor=reporter,
                latitude=latitude,
                longitude=longitude,
                size=size,
                waste_kinds=kinds,
                note=note,
                photos=[photo_read(_picture(n, cleared=False))],
                idempotency_key=f"demo-dump-report-{n}",
            )
        )
        if n == 0 and dump is not None:
            dump_confirm(actor=admin, dump_id=dump.id, reason="", idempotency_key=f"demo-dump-report-{n}-confirm")
