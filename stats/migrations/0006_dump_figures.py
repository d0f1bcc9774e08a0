"""The totals fold the dumps' facts too (stats.metrics.DumpState): a database whose totals were
folded before holds dump facts they never saw, so the totals start again from the ledger's first
fact (the next catch-up folds them all, as `ledger rebuild stats.totals` would). A database with
no dump fact, new or emptied, is left as it is."""

from django.db import migrations, models

TABLES = ("EventFigures", "Attendance", "Total", "DailyTotal", "VolunteerTotal", "CampaignPlan", "PlanTarget")


def fold_anew_if_dumps_were_missed(apps, schema_editor):
    Fact = apps.get_model("ledger", "Fact")
    Checkpoint = apps.get_model("ledger", "ProjectionCheckpoint")
    if not Fact.objects.filter(type__startswith="Dump").exists():
        return
    if not Checkpoint.objects.filter(name="stats.totals", position__gt=0).exists():
        return
    for name in TABLES:
        apps.get_model("stats", name).objects.all().delete()
    Checkpoint.objects.filter(name="stats.totals").update(tx=0, position=0)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0005_event_figures_survival"),
        ("ledger", "0005_projection_checkpoint"),
    ]

    operations = [
        migrations.CreateModel(
            name="DumpFigures",
            fields=[
                ("dump_id", models.UUIDField(primary_key=True, serialize=False)),
                ("region", models.CharField(max_length=8)),
                ("status", models.CharField(max_length=12)),
                ("hidden", models.BooleanField(default=False)),
                ("campaign_id", models.CharField(blank=True, max_length=36)),
            ],
            options={"verbose_name_plural": "dump figures"},
        ),
        migrations.RunPython(fold_anew_if_dumps_were_missed, migrations.RunPython.noop),
    ]
