"""The database refuses to change a signed checkpoint: UPDATE on both databases, and DELETE on
PostgreSQL (SQLite's test runner flushes tables with DELETE, PostgreSQL's with TRUNCATE, which
production revokes as for the ledger: `REVOKE TRUNCATE ON transparency_checkpoint FROM taza_app`)."""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION transparency_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'a signed checkpoint never changes: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER transparency_checkpoint_kept BEFORE UPDATE OR DELETE ON transparency_checkpoint
    FOR EACH ROW EXECUTE FUNCTION transparency_checkpoint_refuse_change()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER transparency_checkpoint_kept ON transparency_checkpoint",
    "DROP FUNCTION transparency_checkpoint_refuse_change()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER transparency_checkpoint_no_update BEFORE UPDATE ON transparency_checkpoint
    BEGIN SELECT RAISE(ABORT, 'a signed checkpoint never changes: UPDATE refused'); END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER transparency_checkpoint_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # the PL/pgSQL body has a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
