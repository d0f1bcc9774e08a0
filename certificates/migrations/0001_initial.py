"""Certificates, and the database refusing to edit one (certificates/models.py): a certificate is
issued anew, never changed. DELETE stays allowed: erasing an account erases its certificates."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FORWARD = {
    "postgresql": [
        """
        CREATE FUNCTION certificates_certificate_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'a certificate is never edited: issue a new one' USING ERRCODE = 'restrict_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER certificates_certificate_never_edited BEFORE UPDATE ON certificates_certificate
        FOR EACH ROW EXECUTE FUNCTION certificates_certificate_refuse_update()
        """,
    ],
    "sqlite": [
        """
        CREATE TRIGGER certificates_certificate_never_edited BEFORE UPDATE ON certificates_certificate
        BEGIN SELECT RAISE(ABORT, 'a certificate is never edited: issue a new one'); END
        """,
    ],
}
BACKWARD = {
    "postgresql": [
        "DROP TRIGGER certificates_certificate_never_edited ON certificates_certificate",
        "DROP FUNCTION certificates_certificate_refuse_update()",
    ],
    "sqlite": ["DROP TRIGGER certificates_certificate_never_edited"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='verification code')),
                ('certified', models.CharField(max_length=64)),
                ('content', models.JSONField(verbose_name='content')),
                ('signature', models.CharField(max_length=88, verbose_name='signature')),
                ('key_name', models.CharField(max_length=100)),
                ('key_id', models.CharField(max_length=8)),
                ('issued_at', models.DateTimeField(verbose_name='issued at')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificates', to=settings.AUTH_USER_MODEL, verbose_name='volunteer')),
            ],
            options={
                'verbose_name': 'certificate',
                'verbose_name_plural': 'certificates',
                'constraints': [models.UniqueConstraint(fields=('volunteer', 'certified'), name='certificates_one_per_content')],
            },
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
