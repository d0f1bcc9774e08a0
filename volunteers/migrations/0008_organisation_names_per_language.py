# An organisation's name written per language. A name already there reads as written in every
# language, as it was shown to every reader (so do events' texts: events/migrations/0008).

import django.db.models.functions.text
from django.db import migrations, models

LANGUAGES = ("kk", "ru", "en")


def name_in_every_language(apps, schema_editor):
    Organisation = apps.get_model("volunteers", "Organisation")
    for organisation in Organisation.objects.all().iterator():
        for lang in LANGUAGES:
            setattr(organisation, f"name_{lang}", organisation.name)
        organisation.save(update_fields=[f"name_{lang}" for lang in LANGUAGES])


def name_in_one(apps, schema_editor):
    Organisation = apps.get_model("volunteers", "Organisation")
    for organisation in Organisation.objects.all().iterator():
        organisation.name = next(n for n in (organisation.name_kk, organisation.name_ru, organisation.name_en) if n)
        organisation.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0007_email_choices_and_calendar_token")]

    operations = [
        migrations.RemoveConstraint(model_name="organisation", name="volunteers_organisation_name_in_region"),
        *(
            migrations.AddField(
                model_name="organisation",
                name=f"name_{lang}",
                field=models.CharField(blank=True, max_length=200, verbose_name=f"name in {language}"),
            )
            for lang, language in (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English"))
        ),
        migrations.RunPython(name_in_every_language, name_in_one),
        migrations.RemoveField(model_name="organisation", name="name"),
        migrations.AlterModelOptions(
            name="organisation",
            options={
                "ordering": ["name_kk", "name_ru", "name_en", "id"],
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        *(
            migrations.AddConstraint(
                model_name="organisation",
                constraint=models.UniqueConstraint(
                    django.db.models.functions.text.Lower(f"name_{lang}"),
                    models.F("region"),
                    condition=~models.Q(**{f"name_{lang}": ""}),
                    name=f"volunteers_organisation_name_{lang}_in_region",
                ),
            )
            for lang in LANGUAGES
        ),
    ]
