"""The checkpoint model is `ProjectionCheckpoint`: how far an async projection has folded. "Checkpoint"
alone is left for the log's signed checkpoints (C2SP tlog-checkpoint). The table keeps its name,
so nothing in the database changes; the content type follows the model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_time_ordered_ids"),
    ]

    operations = [
        migrations.RenameModel(old_name="Checkpoint", new_name="ProjectionCheckpoint"),
    ]
