"""The projection tables of events as plain rows, to compare live tables with a rebuild from the ledger."""

from django.forms.models import model_to_dict

from events.projections import EventParticipation
from ledger.models import Fact
from ledger.stored import StoredFact


def event_tables() -> dict[str, list[dict]]:
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in EventParticipation.models
    }


def rebuild_event_tables() -> None:
    """Empty the tables and fold every event fact of the ledger again, in ledger order."""
    projection = EventParticipation()
    projection.reset()
    for row in Fact.objects.filter(type__in=projection.handles).order_by("position"):
        projection.apply(StoredFact.from_row(row))
