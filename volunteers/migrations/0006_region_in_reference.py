"""Organisations' and accounts' regions are the reference app's now (reference 0001): the same table, so
only the state moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0005_organisation_name_in_region"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="organisation",
                    name="region",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organisations",
                        to="reference.region",
                        verbose_name="region",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="coordinator_region",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="For coordinators: the one region whose events and results they verify.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="coordinators",
                        to="reference.region",
                        verbose_name="region coordinated",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="residents",
                        to="reference.region",
                        verbose_name="home region",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
