# An event's texts written per language (events.facts schema 2). The rows already there read as
# their facts now do once upcast: each text as written in every language (events.facts._written_v1_to_v2).

from django.db import migrations, models

LANGUAGES = ("kk", "ru", "en")
TEXTS = ("title", "description", "address", "what_to_bring")


def texts_in_every_language(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    EventChange = apps.get_model("events", "EventChange")
    for event in Event.objects.all().iterator():
        for name in TEXTS:
            for lang in LANGUAGES:
                setattr(event, f"{name}_{lang}", getattr(event, name))
        event.save(update_fields=[f"{name}_{lang}" for name in TEXTS for lang in LANGUAGES])
    for change in EventChange.objects.all().iterator():
        for side in (change.previous, change.proposed):
            for name in TEXTS:
                if isinstance(side.get(name), str):
                    side[name] = dict.fromkeys(LANGUAGES, side[name]) if side[name] else {}
        change.save(update_fields=["previous", "proposed"])


def texts_in_one(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.all().iterator():
        for name in TEXTS:
            setattr(
                event,
                name,
                next((getattr(event, f"{name}_{lang}") for lang in LANGUAGES if getattr(event, f"{name}_{lang}")), ""),
            )
        event.save(update_fields=list(TEXTS))


class Migration(migrations.Migration):
    dependencies = [("events", "0007_event_search_text")]

    operations = [
        *(
            migrations.AddField(
                model_name="event",
                name=f"{name}_{lang}",
                field=(
                    models.CharField(
                        blank=True, max_length=200 if name == "title" else 300, verbose_name=f"{label} in {language}"
                    )
                    if name in ("title", "address")
                    else models.TextField(blank=True, verbose_name=f"{label} in {language}")
                ),
            )
            for name, label in (
                ("title", "title"),
                ("description", "description"),
                ("address", "address"),
                ("what_to_bring", "what to bring"),
            )
            for lang, language in (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English"))
        ),
        migrations.RunPython(texts_in_every_language, texts_in_one),
        *(migrations.RemoveField(model_name="event", name=name) for name in TEXTS),
    ]
