"""PostgreSQL drops the (type, position) index: its readers go in (tx, position) order and use
(type, tx, position) from 0002, so this one was only written, never read (210 MB at the seed's
4 million facts, about a seventh of the index writes of an append). SQLite, with no `tx`, keeps it.
The model no longer declares it, so the state forgets it on both."""

from django.db import migrations

INDEX = "ledger_fact_type_pos"


def drop_on_postgres(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_on_postgres(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON ledger_fact (type, position)")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_and_tx")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveIndex(model_name="fact", name=INDEX)],
            database_operations=[migrations.RunPython(drop_on_postgres, create_on_postgres)],
        ),
    ]
