"""The powers held before roles were facts are recorded as facts: one `RoleGranted` per organiser,
coordinator and admin group membership, on the volunteer's stream, from the source "migration".

From here on the projection `volunteers.roles` folds role facts onto the groups, and a rebuild of
it takes every power away and gives back what the facts say: without these facts a rebuild would
take the powers of everyone who held one before. A fresh database has no accounts, so nothing.

The rows are written with the migration's own models (not `ledger.store.append`, whose inline
projection reads today's account model): the groups already say what the facts say.
"""

from django.db import migrations
from django.utils import timezone

from ledger.ids import uuid7

POWERS = ("organiser", "coordinator", "admin")
META = {"actor_id": None, "causation_id": None, "correlation_id": None, "source": "migration"}


def record_held_roles(apps, schema_editor):
    User = apps.get_model("volunteers", "User")
    Fact = apps.get_model("ledger", "Fact")
    now = timezone.now()
    holders = User.objects.filter(groups__name__in=POWERS).distinct().order_by("pk")
    for user in holders.prefetch_related("groups"):
        stream = f"volunteer-{user.volunteer_id}"
        version = Fact.objects.filter(stream=stream).count()
        held = {group.name for group in user.groups.all()}
        for role in POWERS:
            if role not in held:
                continue
            version += 1
            region = user.coordinator_region_id if role == "coordinator" else None
            Fact.objects.create(
                fact_id=uuid7(),
                stream=stream,
                version=version,
                type="RoleGranted",
                schema_version=1,
                data={"volunteer_id": str(user.volunteer_id), "role": role, "region": region},
                meta=META,
                occurred_at=now,
                recorded_at=now,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0003_time_ordered_ids"),
        ("ledger", "0004_time_ordered_ids"),
    ]

    operations = [migrations.RunPython(record_held_roles, migrations.RunPython.noop)]
