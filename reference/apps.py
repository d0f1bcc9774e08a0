from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _regions_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from reference.models import Region
    from reference.regions import regions_ensure

    regions_ensure(Region.objects.db_manager(using).model)


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        post_migrate.connect(_regions_after_migrate, sender=self, dispatch_uid="reference.regions_ensure")
