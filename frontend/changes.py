"""A change to an approved event as the pages show it: per field that differs, its label, old and new."""

from __future__ import annotations

from dataclasses import dataclass

from events.models import EventChange
from events.selectors import change_diff
from frontend.forms import EventDetailsForm


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: object
    new: object


def change_rows(change: EventChange) -> list[ChangeRow]:
    # The labels of the edit form: the coordinator reads the fields by the names the organiser typed into.
    fields = EventDetailsForm.base_fields
    return [
        ChangeRow(label=str(fields[f"{c.field}_{c.language}" if c.language else c.field].label), old=c.old, new=c.new)
        for c in change_diff(change)
    ]
