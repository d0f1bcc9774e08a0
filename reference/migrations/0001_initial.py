"""The regions, moved here from campaigns: the model is new to this app's state, the table is the one
campaigns 0001 created and 0002 filled (`campaigns_region`), so no row moves and nothing is created."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0003_campaign"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        (
                            "code",
                            models.CharField(
                                max_length=8, primary_key=True, serialize=False, verbose_name="ISO 3166-2 code"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("region", "region"), ("city", "city of republican significance")],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("name_kk", models.CharField(max_length=100, verbose_name="name in Kazakh")),
                        ("name_ru", models.CharField(max_length=100, verbose_name="name in Russian")),
                        ("name_en", models.CharField(max_length=100, verbose_name="name in English")),
                        ("centre_en", models.CharField(max_length=100, verbose_name="administrative centre")),
                        ("population", models.PositiveIntegerField(verbose_name="population")),
                    ],
                    options={
                        "verbose_name": "region",
                        "verbose_name_plural": "regions",
                        "db_table": "campaigns_region",
                        "ordering": ["code"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
