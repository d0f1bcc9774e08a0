"""The public form of the dumps' facts (ledger/public.py): a dump is public from its confirmation
(a person's report) or its import (space monitoring), and no form names a person.

- `DumpReported` is withheld for ever: an unchecked report may be wrong, spiteful or name someone
  in its note, and the reporter's account is never public. `DumpConfirmed` carries the dump as
  reported (its point, size, kinds of waste and note), so a confirmed report reaches the public at
  the confirmation's place in the feed, never in its past; the coordinator read the note first.
- `DumpImported` is public whole: the state's monitoring names no person.
- A dismissal or merge of a report that was never public is withheld with it; of a public dump
  (a false detection of monitoring) it is published with its reason.
- The later facts of a public dump are published without the ids of who acted
  (`coordinator_id`, `organiser_id`: accounts).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ledger.public import PublicView, public_form, withhold

PUBLISHING = ("DumpConfirmed", "DumpImported")
REPORT_FIELDS = ("region", "latitude", "longitude", "size", "waste_kinds", "note")

withhold("DumpReported", why=_("never: a dump reported by a person is public from its confirmation"))


@public_form(
    "DumpImported",
    fields=(
        "dump_id",
        "source",
        "source_id",
        "region",
        "latitude",
        "longitude",
        "size",
        "area_m2",
        "detected_on",
        "row_digest",
    ),
)
def _imported(fact: PublicView) -> dict:
    return dict(fact.data)


@public_form(
    "DumpConfirmed",
    fields=("dump_id", *REPORT_FIELDS, "reason"),
    reads=("DumpReported",),
    when=_("always; it carries the report as confirmed, without the reporter"),
)
def _confirmed(fact: PublicView) -> dict:
    report = next((e.data for e in fact.earlier if e.type == "DumpReported"), {})
    return {
        "dump_id": fact.data["dump_id"],
        **{name: report.get(name) for name in REPORT_FIELDS},
        "reason": fact.data.get("reason", ""),
    }


def _public(fact: PublicView) -> bool:
    return any(e.type in PUBLISHING for e in fact.earlier)


ONCE_PUBLIC = _("when the dump was public: confirmed or imported from monitoring")


@public_form("DumpDismissed", fields=("dump_id", "reason"), reads=PUBLISHING, when=ONCE_PUBLIC)
@public_form("DumpReopened", fields=("dump_id", "reason"), reads=PUBLISHING, when=ONCE_PUBLIC)
@public_form("DumpHidden", fields=("dump_id", "reason"), reads=PUBLISHING, when=ONCE_PUBLIC)
def _with_reason(fact: PublicView) -> dict | None:
    if not _public(fact):
        return None
    return {"dump_id": fact.data["dump_id"], "reason": fact.data.get("reason", "")}


@public_form("DumpMerged", fields=("dump_id", "into_dump_id", "reason"), reads=PUBLISHING, when=ONCE_PUBLIC)
def _merged(fact: PublicView) -> dict | None:
    if not _public(fact):
        return None
    return {key: fact.data.get(key, "") for key in ("dump_id", "into_dump_id", "reason")}


@public_form("DumpLinked", fields=("dump_id", "event_id"), reads=PUBLISHING, when=ONCE_PUBLIC)
def _linked(fact: PublicView) -> dict | None:
    if not _public(fact):
        return None
    return {"dump_id": fact.data["dump_id"], "event_id": fact.data["event_id"]}


@public_form(
    "DumpLiquidated",
    fields=("dump_id", "event_id", "result_version", "reason", "photo_ids"),
    reads=PUBLISHING,
    when=ONCE_PUBLIC,
)
def _liquidated(fact: PublicView) -> dict | None:
    if not _public(fact):
        return None
    data = fact.data
    return {
        "dump_id": data["dump_id"],
        "event_id": data["event_id"],
        "result_version": data["result_version"],
        "reason": data.get("reason", ""),
        "photo_ids": list(data.get("photo_ids", [])),
    }
