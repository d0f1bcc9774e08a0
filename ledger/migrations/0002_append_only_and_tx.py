"""The database itself keeps the ledger append-only, and PostgreSQL gets the `tx` column.

PostgreSQL:
- `tx xid8` (default `pg_current_xact_id()`): the ordering key of gap-safe reading (ledger/reading.py).
  append() writes `greatest(pg_current_xact_id(), tx of the stream's head)` so that a stream's facts
  are also in version order when read by (tx, position); see ledger/store.py.
- indexes on (tx, position) for the readers and (type, tx, position) for the feed's type filter.
- a trigger refusing UPDATE and DELETE. TRUNCATE is not a row operation and triggers cannot refuse
  it without also breaking the test runner's flush; production revokes it from the application role
  instead (see ledger/README.md):

      REVOKE TRUNCATE ON ledger_fact FROM taza_app;

SQLite: triggers refusing UPDATE and DELETE. DELETE is let through only when the connection says
the test runner is flushing a throwaway test database (`ledger_fact_delete_allowed()`, registered in
ledger/apps.py from the LEDGER_TEST_DATABASE_FLUSH setting); a connection without that function
(the sqlite3 shell, another program) fails on it, so the default is to refuse.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE ledger_fact ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE INDEX ledger_fact_tx_pos ON ledger_fact (tx, position)",
    "CREATE INDEX ledger_fact_type_tx_pos ON ledger_fact (type, tx, position)",
    """
    CREATE FUNCTION ledger_fact_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger_fact is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER ledger_fact_append_only BEFORE UPDATE OR DELETE ON ledger_fact
    FOR EACH ROW EXECUTE FUNCTION ledger_fact_refuse_change()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER ledger_fact_append_only ON ledger_fact",
    "DROP FUNCTION ledger_fact_refuse_change()",
    "DROP INDEX ledger_fact_type_tx_pos",
    "DROP INDEX ledger_fact_tx_pos",
    "ALTER TABLE ledger_fact DROP COLUMN tx",
]

SQLITE_FORWARD = [
    """
    CREATE TRIGGER ledger_fact_no_update BEFORE UPDATE ON ledger_fact
    BEGIN SELECT RAISE(ABORT, 'ledger_fact is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER ledger_fact_no_delete BEFORE DELETE ON ledger_fact
    WHEN NOT ledger_fact_delete_allowed()
    BEGIN SELECT RAISE(ABORT, 'ledger_fact is append-only: DELETE refused'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER ledger_fact_no_delete",
    "DROP TRIGGER ledger_fact_no_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No params: the PL/pgSQL body has a literal % that must not be read as a placeholder.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
