from celery import shared_task

from regional.instances import configured_instances, instance_get
from regional.services import instance_mirror


@shared_task(name="regional.mirror_instance")
def mirror_instance(country: str) -> str:
    """One mirror step for one instance; safe to run twice (a verified checkpoint is folded once)."""
    return instance_mirror(instance=instance_get(country)).status


@shared_task(name="regional.mirror_instances")
def mirror_instances() -> int:
    """Beat's tick: a step per configured instance, each its own task, so a slow or silent one holds no other."""
    instances = configured_instances()
    for instance in instances:
        mirror_instance.delay(instance.country)
    return len(instances)
