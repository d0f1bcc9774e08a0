"""Witnesses' cosignatures, and the database refusing to change one: UPDATE on both databases, DELETE
on PostgreSQL (as for the checkpoints, migration 0002: SQLite's test runner flushes with DELETE;
production revokes TRUNCATE, `REVOKE TRUNCATE ON transparency_cosignature FROM taza_app`)."""

from django.db import migrations, models

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION transparency_cosignature_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'a cosignature never changes: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER transparency_cosignature_kept BEFORE UPDATE OR DELETE ON transparency_cosignature
    FOR EACH ROW EXECUTE FUNCTION transparency_cosignature_refuse_change()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER transparency_cosignature_kept ON transparency_cosignature",
    "DROP FUNCTION transparency_cosignature_refuse_change()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER transparency_cosignature_no_update BEFORE UPDATE ON transparency_cosignature
    BEGIN SELECT RAISE(ABORT, 'a cosignature never changes: UPDATE refused'); END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER transparency_cosignature_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # the PL/pgSQL body has a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("transparency", "0002_checkpoints_never_change")]

    operations = [
        migrations.CreateModel(
            name="Cosignature",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.BigIntegerField(db_index=True)),
                ("witness", models.CharField(max_length=300)),
                ("name", models.CharField(max_length=200)),
                ("timestamp", models.BigIntegerField()),
                ("line", models.TextField()),
                ("received_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "cosignature",
                "verbose_name_plural": "cosignatures",
                "constraints": [
                    models.UniqueConstraint(fields=("size", "witness"), name="transparency_cosignature_once")
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
