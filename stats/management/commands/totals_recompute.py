"""Recompute the national totals, and the illegal dumps found and liquidated, from a running
instance's public fact feed, and compare.

    python manage.py totals_recompute --url https://taza.example.kz

It needs nothing of this code base but the rules in stats/README.md: it reads
/api/v1/stats/national/ (the published figures and the ledger position they reflect), then every
fact up to that position from /api/v1/facts/ (`until`, in ledger order), recounts the figures with its own small
implementation (deliberately not stats.projections), prints both and exits 1 if they differ.

It reads only what the feed publishes, the facts' public form: an event enters with its
`EventApproved` (which carries the event as approved: what came before is not public), and a
volunteer is known only by `volunteer_pseudonym`, the same within one event, which is all a
recount needs to count each person once per event and time their stay.

Figures depend on the clock too (an event is held once it has started, time is credited once it
has ended or the person checked out): the recount counts as of the published `as_of_time`, the
instant the totals are folded as of. Time follows the one rule of events/hours.py (the only code of
this project the recount uses, a pure function). One person's overlapping events count once in the
totals, but the feed cannot link a person's events (a pseudonym is per event), so the recount's
hours are an upper bound: the published hours must not exceed them, and equal them when nobody was
at two events at once.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.management.base import BaseCommand, CommandError

from events.hours import Stay, stay_seconds

YOUTH = {"14_35"}
COMPARED = ("events", "participants", "youth", "waste_kg", "trees", "area_ha", "volunteer_hours")
# A public dump's story: what each fact makes of its status (a dump is public from its import or its
# confirmation; the feed withholds a report until then, and whatever befalls one never public).
DUMP_STATUS = {
    "DumpImported": None,  # found when first seen; a changed row keeps the dump's own status
    "DumpConfirmed": "found",
    "DumpReopened": "found",
    "DumpDismissed": "dismissed",
    "DumpMerged": "merged",
    "DumpLiquidated": "liquidated",
}


class Recount:
    """Every event's story, kept as plain dicts, and the national figures made from it."""

    def __init__(self) -> None:
        self.events: dict[str, dict] = {}
        self.dumps: dict[str, list] = {}  # dump id -> [status, hidden]

    def add(self, fact: dict) -> None:
        kind, data = fact["type"], fact["data"]
        if kind.startswith("Dump"):
            self._dump(kind, data)
            return
        if kind == "EventApproved":
            self.events.setdefault(
                data["event_id"],
                {
                    "out": False,
                    "starts": data["starts_at"],
                    "ends": data["ends_at"],
                    "came": {},
                    "result": None,
                    "verdict": None,
                },
            )
            return
        event = self.events.get(data.get("event_id", ""))
        if event is None:
            return
        who = data.get("volunteer_pseudonym")
        if kind == "EventCancelled":
            event["out"] = True
        elif kind == "EventRescheduled":
            event["starts"], event["ends"] = data["starts_at"], data["ends_at"]
        elif kind == "VolunteerCheckedIn":
            event["came"].setdefault(who, [data["checked_in_at"], None, data["age_band"] in YOUTH])
        elif kind == "CheckInUndone":
            event["came"].pop(who, None)
        elif kind == "VolunteerCheckedOut" and who in event["came"]:
            event["came"][who][1] = data["checked_out_at"]
        elif kind == "ResultLogged":
            event["result"], event["version"] = data, fact["version"]
        elif kind == "ResultVerified" and event["result"] is not None and data["result_version"] == event["version"]:
            event["verdict"] = data
            # The figures in force once verified; they stay while a correction awaits, and when one is rejected.
            if data["decision"] == "accepted":
                event["verified"] = event["result"]
            elif data["decision"] == "adjusted":
                event["verified"] = _adjusted(event["result"], data)

    def _dump(self, kind: str, data: dict) -> None:
        dump = self.dumps.get(data["dump_id"])
        if dump is None:
            if kind not in ("DumpImported", "DumpConfirmed"):
                return
            dump = self.dumps[data["dump_id"]] = ["found", False]
        if kind == "DumpHidden":
            dump[1] = True
        elif DUMP_STATUS.get(kind):
            dump[0] = DUMP_STATUS[kind]

    def dump_figures(self) -> dict[str, str]:
        """Found (confirmed or liquidated, not hidden), liquidated, and the rate to 4 places."""
        shown = [status for status, hidden in self.dumps.values() if not hidden]
        found = sum(1 for status in shown if status in ("found", "liquidated"))
        liquidated = shown.count("liquidated")
        rate = str((Decimal(liquidated) / Decimal(found)).quantize(Decimal("0.0001"))) if found else "None"
        return {"found": str(found), "liquidated": str(liquidated), "rate": rate}

    def totals(self, now: dt.datetime) -> dict[str, dict[str, Decimal]]:
        """The national figures as of `now`."""
        out = {"verified": defaultdict(Decimal), "awaiting": defaultdict(Decimal)}
        for event_id, event in self.events.items():
            starts, ends = dt.datetime.fromisoformat(event["starts"]), dt.datetime.fromisoformat(event["ends"])
            if event["out"] or starts > now:
                continue  # cancelled, or not started: not held (check-in opens before the start)
            verdict, result, verified = event["verdict"], event["result"], event.get("verified")
            judged = verdict is not None and verdict["result_version"] == event.get("version")
            if judged and verdict["decision"] == "rejected" and verified is None:
                continue
            if result is None and not event["came"]:
                continue
            figures = dict(verified or result or {"waste_kg": {}, "trees": 0, "area_ha": "0", "headcount": 0})
            sums = out["verified" if verified is not None else "awaiting"]
            sums["events"] += 1
            sums["participants"] += len(event["came"]) + figures["headcount"]
            sums["youth"] += sum(1 for _, _, young in event["came"].values() if young)
            sums["waste_kg"] += sum((Decimal(kg) for kg in figures["waste_kg"].values()), Decimal(0))
            sums["trees"] += figures["trees"]
            sums["area_ha"] += Decimal(figures["area_ha"])
            for who, (came, left, _) in event["came"].items():
                left_at = dt.datetime.fromisoformat(left) if left else None
                stay = Stay(who, event_id, dt.datetime.fromisoformat(came), left_at, starts, ends)
                sums["seconds"] += stay_seconds(stay, now)
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

        self.stdout.write(f"Facts read up to position {position}: {read}")
        lines, differ = compare(recount, published)
        for line in lines:
            self.stdout.write(line)
        if differ:
            raise CommandError(f"The published totals differ from the recount: {', '.join(differ)}", returncode=1)
        self.stdout.write(self.style.SUCCESS("The published national totals match the recount from the facts."))


def compare(recount: Recount, published: dict) -> tuple[list[str], list[str]]:
    """The recount beside the published national figures (a stats answer), as of the answer's
    `as_of_time`: a line per figure, and the figures that differ (`total.trees`, …). The auditor
    (transparency/audit.py) compares the same way."""
    as_of = published.get("as_of_time")
    mine = recount.totals(dt.datetime.fromisoformat(as_of) if as_of else dt.datetime.now(dt.UTC))
    theirs = {
        "verified": published["data"]["verified"],
        "awaiting": published["data"]["awaiting_verification"],
        "total": published["data"]["total"],
    }
    lines, differ = [f"{'metric':<24}{'recomputed':>22}{'published':>22}"], []
    for column in ("total", "verified", "awaiting"):
        for metric in COMPARED:
            ours, published_value = mine[column][metric], str(theirs[column][metric])
            mark = "" if ours == published_value else "  <- differs"
            if mark and metric == "volunteer_hours" and Decimal(published_value) < Decimal(ours):
                mark = "  (overlaps count once)"  # an upper bound: see the module's docstring
            elif mark:
                differ.append(f"{column}.{metric}")
            lines.append(f"{column + '.' + metric:<24}{ours:>22}{published_value:>22}{mark}")
    dumps = published["data"].get("dumps")
    if dumps is not None:
        for name, ours in recount.dump_figures().items():
            published_value = str(dumps[name])
            mark = "" if ours == published_value else "  <- differs"
            if mark:
                differ.append(f"dumps.{name}")
            lines.append(f"{'dumps.' + name:<24}{ours:>22}{published_value:>22}{mark}")
    return lines, differ


def _adjusted(logged: dict, verdict: dict) -> dict:
    """What an adjustment makes of the report: each kind of waste and species it names replaces
    the organiser's, the rest stand (in the feed, schema 1's verdicts, without `tree_species`, gave
    waste as the whole breakdown); trees given, else moved by the species adjusted."""
    figures = dict(logged)
    if verdict["waste_kg"] is not None:
        per_kind = "tree_species" in verdict
        figures["waste_kg"] = {**logged["waste_kg"], **verdict["waste_kg"]} if per_kind else verdict["waste_kg"]
    species = verdict.get("tree_species") or {}
    before = logged.get("tree_species") or {}
    figures["trees"] = logged["trees"] + sum(n - before.get(name, 0) for name, n in species.items())
    for name in ("trees", "area_ha", "headcount"):
        if verdict[name] is not None:
            figures[name] = verdict[name]
    return figures
