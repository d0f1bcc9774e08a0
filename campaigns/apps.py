from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _regions_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from campaigns.models import Region
    from campaigns.reference import regions_ensure

    regions_ensure(Region.objects.db_manager(using).model)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        post_migrate.connect(_regions_after_migrate, sender=self, dispatch_uid="campaigns.regions_ensure")
