"""Which emails a person wants, and the secret of their calendar feed: one token per account, so the
existing accounts get one each (added empty, filled, then made unique)."""

import secrets

from django.db import migrations, models

import volunteers.models


def fill_calendar_tokens(apps, schema_editor):
    User = apps.get_model("volunteers", "User")
    for user in User.objects.filter(calendar_token="").only("pk"):  # an empty token, not a password  # nosec B106
        user.calendar_token = secrets.token_urlsafe(32)
        user.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0006_region_in_reference")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="emails_confirmations",
            field=models.BooleanField(default=True, verbose_name="confirmations of my registrations"),
        ),
        migrations.AddField(
            model_name="user",
            name="emails_reminders",
            field=models.BooleanField(default=True, verbose_name="reminders before my events"),
        ),
        migrations.AddField(
            model_name="user",
            name="emails_changes",
            field=models.BooleanField(default=True, verbose_name="changes of time or place and cancellations"),
        ),
        migrations.AddField(
            model_name="user",
            name="emails_verification",
            field=models.BooleanField(default=True, verbose_name="the coordinator's decision on my results"),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_calendar_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(
                default=volunteers.models.calendar_token_new, editable=False, max_length=64, unique=True
            ),
        ),
    ]
