"""The database itself refuses to change or remove a fact."""

import pytest
from django.db import IntegrityError, connection, transaction

from ledger.models import Fact
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleTallied

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored() -> int:
    return append("counter-1", [SampleTallied("trees", 3)]).position


def test_an_update_of_a_fact_fails_at_the_database(stored):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_fact SET data = data WHERE position = %s", [stored])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Fact.objects.filter(position=stored).update(stream="counter-2")

    assert Fact.objects.get(position=stored).stream == "counter-1"


def test_a_delete_of_a_fact_fails_at_the_database(stored, settings):
    # The SQLite test database lets the test runner's flush through; a real database does not.
    settings.LEDGER_TEST_DATABASE_FLUSH = False

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_fact WHERE position = %s", [stored])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Fact.objects.all().delete()

    assert Fact.objects.count() == 1


def test_each_database_has_the_type_index_its_readers_use_and_no_other():
    with connection.cursor() as cursor:
        indexes = {
            name
            for name, info in connection.introspection.get_constraints(cursor, "ledger_fact").items()
            if info["index"] and info["columns"] and info["columns"][0] == "type"
        }

    expected = {"postgresql": {"ledger_fact_type_tx_pos"}, "sqlite": {"ledger_fact_type_pos"}}
    assert indexes == expected[connection.vendor]
