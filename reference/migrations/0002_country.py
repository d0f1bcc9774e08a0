"""Countries, and every region's country: the table, its rows and the foreign keys that point to it stay
(`campaigns_region` keeps its name and primary keys); each existing region is Kazakhstan's.

Kazakhstan's row is written here, as it was shipped, because the regions' new foreign key needs it; the
other countries served, and the new fields' values, come from regions_ensure after migrate."""

import django.db.models.deletion
from django.db import migrations, models

KAZAKHSTAN = {
    "code": "KZ",
    "name_local": "Қазақстан",
    "name_kk": "Қазақстан",
    "name_ru": "Казахстан",
    "name_en": "Kazakhstan",
    "time_zone": "Asia/Almaty",
    "population": 20033842,
    "population_year": 2024,
    "population_source": "Bureau of National Statistics, 1 January 2024",
}


def add_kazakhstan(apps, schema_editor):
    Country = apps.get_model("reference", "Country")
    if not Country.objects.using(schema_editor.connection.alias).filter(code="KZ").exists():
        Country.objects.using(schema_editor.connection.alias).create(**KAZAKHSTAN)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Country",
            fields=[
                (
                    "code",
                    models.CharField(
                        max_length=2, primary_key=True, serialize=False, verbose_name="ISO 3166-1 alpha-2 code"
                    ),
                ),
                ("name_local", models.CharField(max_length=100, verbose_name="name in the country's language")),
                ("name_kk", models.CharField(max_length=100, verbose_name="name in Kazakh")),
                ("name_ru", models.CharField(max_length=100, verbose_name="name in Russian")),
                ("name_en", models.CharField(max_length=100, verbose_name="name in English")),
                ("time_zone", models.CharField(max_length=64, verbose_name="time zone")),
                ("population", models.PositiveIntegerField(blank=True, null=True, verbose_name="population")),
                (
                    "population_year",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="year of the population figure"
                    ),
                ),
                (
                    "population_source",
                    models.CharField(blank=True, max_length=200, verbose_name="source of the population figure"),
                ),
            ],
            options={
                "verbose_name": "country",
                "verbose_name_plural": "countries",
                "ordering": ["code"],
            },
        ),
        migrations.RunPython(add_kazakhstan, migrations.RunPython.noop),
        migrations.AddField(
            model_name="region",
            name="country",
            field=models.ForeignKey(
                default="KZ",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="regions",
                to="reference.country",
                verbose_name="country",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="region",
            name="name_local",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="name in the country's language"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="region",
            name="centre_local",
            field=models.CharField(
                blank=True,
                default="",
                max_length=100,
                verbose_name="administrative centre in the country's language",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="region",
            name="centre_ru",
            field=models.CharField(
                blank=True, default="", max_length=100, verbose_name="administrative centre in Russian"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="region",
            name="centre_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="administrative centre"),
        ),
        migrations.AlterField(
            model_name="region",
            name="kind",
            field=models.CharField(
                choices=[
                    ("region", "region"),
                    ("city", "city of republican significance"),
                    ("republic", "autonomous republic"),
                    ("autonomous_region", "autonomous region"),
                    ("districts", "districts of republican subordination"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="region",
            name="population",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="population"),
        ),
    ]
