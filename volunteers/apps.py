from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _role_groups_after_migrate(sender, **kwargs) -> None:
    # The data migration's code: a database emptied by a flush (tests) gets its groups back the
    # way a fresh one does. Connected for every app, as Django's create_permissions is, so the
    # admin group also gets permissions of apps signalled after this one; idempotent.
    from django.contrib.auth.models import Group, Permission

    import_module("volunteers.migrations.0002_role_groups").groups_ensure(Group, Permission)


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from volunteers import receivers  # noqa: F401  (connects the signal receivers)

        post_migrate.connect(_role_groups_after_migrate, dispatch_uid="volunteers.role_groups")
