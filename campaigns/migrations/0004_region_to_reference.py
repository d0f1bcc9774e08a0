"""The regions leave campaigns for the reference app, which volunteers and campaigns both import.

State only: reference 0001 took over the table `campaigns_region` as it is, events 0004 and volunteers
0006 re-pointed their foreign keys, and here campaigns' own targets follow before the model leaves
campaigns' state. The database keeps its table, rows and constraints.

The content type moves too (renamed, not replaced), so the permissions on regions, and the admin
group and anyone else who holds them, and the admin's log about regions, carry on as they were.
"""

import django.db.models.deletion
from django.db import migrations, models


def region_content_type_to_reference(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="campaigns", target="reference")


def region_content_type_to_campaigns(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="reference", target="campaigns")


def _move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    moving = content_types.filter(app_label=source, model="region").first()
    if moving is None:  # a database whose content types are created later, by post_migrate
        return
    # On a fresh database, permissions created mid-migration may already have given the target app a
    # content type of its own; nobody was granted anything through it yet that post_migrate will not
    # grant again, so the moving one, which carries the grants, takes its place.
    content_types.filter(app_label=target, model="region").delete()
    moving.app_label = target
    moving.save(update_fields=["app_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_campaign"),
        ("reference", "0001_initial"),
        ("events", "0004_region_in_reference"),
        ("volunteers", "0006_region_in_reference"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="campaigntarget",
                    name="region",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.region"
                    ),
                ),
                migrations.AlterField(
                    model_name="campaigntargetrevision",
                    name="region",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.region"
                    ),
                ),
                migrations.DeleteModel(name="Region"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(region_content_type_to_reference, region_content_type_to_campaigns),
    ]
