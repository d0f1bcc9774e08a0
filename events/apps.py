from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # The outbox's sender renders events' messages with the renderers this module registers.
        from events import notifications  # noqa: F401
