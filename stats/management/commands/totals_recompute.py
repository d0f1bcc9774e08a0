"""Recompute the national totals from a running instance's public fact feed, and compare.

    python manage.py totals_recompute --url https://taza.example.kz

It needs nothing of this code base but the rules in stats/README.md: it reads
/api/v1/stats/national/ (the published figures and the ledger position they reflect), then every
fact up to that position from /api/v1/facts/ (`until`, in ledger order), recounts the figures with its own small
implementation (deliberately not stats.projections), prints both and exits 1 if they differ.

It reads only what the feed publishes, the facts' public form: an event enters with its
`EventApproved` (which carries the event as approved: what came before is not public), and a
volunteer is known only by `volunteer_pseudonym`, the same within one event, which is all a
recount needs to count each person once per event and time their stay.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.management.base import BaseCommand, CommandError

YOUTH = {"14_35"}
COMPARED = ("events", "participants", "youth", "waste_kg", "trees", "area_ha", "volunteer_hours")


class Recount:
    """Every event's story, kept as plain dicts, and the national figures made from it."""

    def __init__(self) -> None:
        self.events: dict[str, dict] = {}

    def add(self, fact: dict) -> None:
        kind, data = fact["type"], fact["data"]
        if kind == "EventApproved":
            self.events.setdefault(
                data["event_id"], {"out": False, "ends": data["ends_at"], "came": {}, "result": None, "verdict": None}
            )
            return
        event = self.events.get(data.get("event_id", ""))
        if event is None:
            return
        who = data.get("volunteer_pseudonym")
        if kind == "EventCancelled":
            event["out"] = True
        elif kind == "EventRescheduled":
            event["ends"] = data["ends_at"]
        elif kind == "VolunteerCheckedIn":
            event["came"].setdefault(who, [data["checked_in_at"], None, data["age_band"] in YOUTH])
        elif kind == "CheckInUndone":
            event["came"].pop(who, None)
        elif kind == "VolunteerCheckedOut" and who in event["came"]:
            event["came"][who][1] = data["checked_out_at"]
        elif kind == "ResultLogged":
            event["result"], event["version"] = data, fact["version"]
        elif kind == "ResultVerified":
            event["verdict"] = data

    def totals(self) -> dict[str, dict[str, Decimal]]:
        out = {"verified": defaultdict(Decimal), "awaiting": defaultdict(Decimal)}
        for event in self.events.values():
            if event["out"]:
                continue
            verdict, result = event["verdict"], event["result"]
            judged = verdict is not None and result is not None and verdict["result_version"] == event["version"]
            if judged and verdict["decision"] == "rejected":
                continue
            if result is None and not event["came"]:
                continue
            figures = dict(result or {"waste_kg": {}, "trees": 0, "area_ha": "0", "headcount": 0})
            if judged and verdict["decision"] == "adjusted":
                named = ("waste_kg", "trees", "area_ha", "headcount")
                figures.update({k: verdict[k] for k in named if verdict[k] is not None})
            sums = out["verified" if judged else "awaiting"]
            sums["events"] += 1
            sums["participants"] += len(event["came"]) + figures["headcount"]
            sums["youth"] += sum(1 for _, _, young in event["came"].values() if young)
            sums["waste_kg"] += sum((Decimal(kg) for kg in figures["waste_kg"].values()), Decimal(0))
            sums["trees"] += figures["trees"]
            sums["area_ha"] += Decimal(figures["area_ha"])
            ends = dt.datetime.fromisoformat(event["ends"])
            for came, left, _ in event["came"].values():
                stay = (dt.datetime.fromisoformat(left) if left else ends) - dt.datetime.fromisoformat(came)
                sums["seconds"] += max(0, stay // dt.timedelta(seconds=1))
        out["total"] = {m: out["verified"][m] + out["awaiting"][m] for m in out["verified"].keys() | out["awaiting"]}
        return {column: _public(defaultdict(Decimal, sums)) for column, sums in out.items()}


def _public(sums: dict[str, Decimal]) -> dict[str, str]:
    hours = (Decimal(sums["seconds"]) / 3600).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    return {
        "events": str(int(sums["events"])),
        "participants": str(int(sums["participants"])),
        "youth": str(int(sums["youth"])),
        "waste_kg": str(Decimal(sums["waste_kg"]).quantize(Decimal("0.001"), ROUND_HALF_EVEN)),
        "trees": str(int(sums["trees"])),
        "area_ha": str(Decimal(sums["area_ha"]).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)),
        "volunteer_hours": str(hours),
    }


def _get(url: str, timeout: float) -> dict | list:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    # The scheme is checked in handle(): only http(s) is opened, never file: or ftp:.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
        return json.load(response)


class Command(BaseCommand):
    help = "Recompute the national totals from a running instance's public fact feed and compare."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", required=True, help="Base URL of the instance, e.g. http://127.0.0.1:8000")
        parser.add_argument("--page", type=int, default=1000, help="Facts per feed request.")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, url: str, page: int, timeout: float, **options) -> None:
        base = url.rstrip("/")
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise CommandError(f"Give the instance's http:// or https:// address, not {base!r}.")
        try:
            published = _get(f"{base}/api/v1/stats/national/", timeout)
        except OSError as exc:
            raise CommandError(f"Cannot read {base}/api/v1/stats/national/: {exc}") from exc
        position = published["as_of_position"]
        recount, read, after = Recount(), 0, 0
        # The feed in ledger order, up to the fact the published figures reflect (`until`).
        while position:
            query = urllib.parse.urlencode({"after": after, "until": position, "limit": page})
            answer = _get(f"{base}/api/v1/facts/?{query}", timeout)
            for fact in answer["results"]:
                recount.add(fact)
            read += len(answer["results"])
            if not answer.get("next"):
                break
            after = answer["next_after"]

        mine = recount.totals()
        theirs = {
            "verified": published["data"]["verified"],
            "awaiting": published["data"]["awaiting_verification"],
            "total": published["data"]["total"],
        }
        self.stdout.write(f"Facts read up to position {position}: {read}")
        self.stdout.write(f"{'metric':<24}{'recomputed':>22}{'published':>22}")
        differ = []
        for column in ("total", "verified", "awaiting"):
            for metric in COMPARED:
                ours, published_value = mine[column][metric], str(theirs[column][metric])
                mark = "" if ours == published_value else "  <- differs"
                if mark:
                    differ.append(f"{column}.{metric}")
                self.stdout.write(f"{column + '.' + metric:<24}{ours:>22}{published_value:>22}{mark}")
        if differ:
            raise CommandError(f"The published totals differ from the recount: {', '.join(differ)}", returncode=1)
        self.stdout.write(self.style.SUCCESS("The published national totals match the recount from the facts."))
