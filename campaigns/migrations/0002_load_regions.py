"""Load the 20 regions of Kazakhstan from campaigns/data/kz_regions.csv (editable later by an admin)."""

from django.db import migrations

from campaigns.reference import regions_ensure


def load_regions(apps, schema_editor):
    regions_ensure(apps.get_model("campaigns", "Region"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
