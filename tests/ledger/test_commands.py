"""`manage.py ledger status | rebuild | verify`, and their exit codes."""

import io

import pytest
from django.core.management import CommandError, call_command

from ledger.runner import catch_up_all
from ledger.store import append
from tests.ledger.helpers import WAIT, totals
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied
from tests.ledger.sampleapp.models import SampleStreamTally, SampleTotal

pytestmark = pytest.mark.django_db


def ledger(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history() -> None:
    append("counter-1", [SampleTallied("trees", 3), SampleTallied("bags", 2)])
    append("counter-2", [SampleTallied("trees", 5)])
    append("notes", [SampleNoted("not tallied")])
    catch_up_all(wait=WAIT)


def tables() -> tuple[list, list]:
    return (
        list(SampleTotal.objects.order_by("counter").values_list("counter", "amount", "facts")),
        list(SampleStreamTally.objects.order_by("stream").values_list("stream", "amount", "version")),
    )


def test_status_shows_each_projection_with_its_checkpoint_and_lag(history):
    append("counter-2", [SampleTallied("trees", 1)])  # not folded yet (tasks run in-process only on commit)

    printed = ledger("status")

    lines = {line.split()[0]: line.split() for line in printed.splitlines()[2:]}
    assert printed.startswith("Ledger: 5 facts;")
    assert lines["ledger_sample.totals"][1] == "async"
    assert lines["ledger_sample.totals"][-1] == "1"
    assert lines["ledger_sample.stream_tallies"][1:] == ["inline", "-", "-"]


def test_rebuilding_every_projection_gives_exactly_the_live_tables(history):
    live = tables()
    SampleTotal.objects.all().delete()
    SampleStreamTally.objects.update(amount=0)

    printed = ledger("rebuild", "--all")

    assert (
        tables()
        == live
        == (
            [("bags", 2, 1), ("trees", 8, 2)],
            [("counter-1", 5, 2), ("counter-2", 5, 1)],
        )
    )
    assert "ledger_sample.totals: rebuilt from 3 facts" in printed
    assert "ledger_sample.stream_tallies: rebuilt from 3 facts" in printed


def test_rebuild_of_one_projection_and_its_usage_errors(history):
    SampleTotal.objects.filter(counter="trees").update(amount=0)

    ledger("rebuild", "ledger_sample.totals")
    with pytest.raises(CommandError) as unknown:
        ledger("rebuild", "no.such")
    with pytest.raises(CommandError) as neither:
        ledger("rebuild")

    assert totals().snapshot() == {"bags": {"amount": 2, "facts": 1}, "trees": {"amount": 8, "facts": 2}}
    assert (unknown.value.returncode, neither.value.returncode) == (2, 2)
    assert "Unknown projection(s): no.such" in str(unknown.value)


def test_verify_passes_when_the_tables_match_the_facts(history):
    printed = ledger("verify", "ledger_sample.totals")

    assert printed == "ledger_sample.totals: OK\n"


def test_verify_fails_with_a_readable_difference_when_a_table_was_changed(history):
    SampleTotal.objects.filter(counter="trees").update(amount=9)
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("ledger", "verify", "ledger_sample.totals", stdout=out)

    assert failed.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "ledger_sample.totals: 1 difference(s)",
        f"  {'key':<50}{'recomputed':>20}{'in tables':>20}",
        f"  {'trees.amount':<50}{'8':>20}{'9':>20}",
    ]
