from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite's DELETE trigger on ledger_fact asks this function; only a throwaway test database
    that the test runner flushes between tests says yes (see migration 0002)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ledger_fact_delete_allowed",
            0,
            lambda: bool(getattr(settings, "LEDGER_TEST_DATABASE_FLUSH", False)),
            deterministic=False,
        )


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="ledger_sqlite_functions")
        from celery import signals

        from ledger import context

        signals.task_prerun.connect(context.task_started, dispatch_uid="ledger_task_started", weak=False)
        signals.task_postrun.connect(context.task_ended, dispatch_uid="ledger_task_ended", weak=False)
        # Fact types, their public forms and projections are declared per app; import them so
        # they register.
        for config in apps.get_app_configs():
            for module in ("facts", "public", "projections"):
                try:
                    import_module(f"{config.name}.{module}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.{module}":
                        raise
        from ledger.checks import projections_handle_registered_types

        checks.register(projections_handle_registered_types)
