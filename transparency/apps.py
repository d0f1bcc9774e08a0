from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency log")

    def ready(self) -> None:
        from ledger.selectors import register_leaf_indexes
        from transparency.log import leaf_indexes

        # The feed shows each fact's leaf; the ledger asks through this hook and never imports the log.
        register_leaf_indexes(leaf_indexes)
