"""Load the 20 regions of Kazakhstan from reference/data/kz_regions.csv (editable later by an admin).

The regions were campaigns' then; they moved to the reference app without moving a row (campaigns 0004).
"""

from django.db import migrations

from reference.regions import regions_ensure


def load_regions(apps, schema_editor):
    regions_ensure(apps.get_model("campaigns", "Region"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
