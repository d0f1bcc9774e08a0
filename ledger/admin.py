"""The one base of the Django admin for projections: their tables shown read-only, to admins only.

A projection's rows change only by facts (a service appends them; `manage.py ledger rebuild`
replays them), so nobody adds, edits or deletes them here (DESIGN.md: "Django admin shows
projections read-only; admin actions call the same services as the API"). Who counts as an admin
is the domain's rule, not the ledger's: the app that holds the roles names it once with
`show_projections_to` (volunteers/admin.py). Until it does, only active superusers see them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

Viewer = Callable[[Any], bool]  # (the request's user) -> may they see projections here?


def _superuser(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


_may_view: list[Viewer] = [_superuser]


def show_projections_to(may_view: Viewer) -> Viewer:
    """Name who sees the projections' tables in the admin (one rule for every projection)."""
    _may_view[0] = may_view
    return may_view


def may_view_projections(request: HttpRequest) -> bool:
    return _may_view[0](request.user)


class _ReadOnly:
    """Every field read-only; shown to `may_view_projections`; added, changed, deleted by nobody."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_view_projections(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(_ReadOnly, admin.ModelAdmin):
    """The admin of a projection's table. Actions that change something call a service."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_view_projections(request)


class ReadOnlyInline(_ReadOnly, admin.TabularInline):
    """A projection's rows shown inside another's page."""

    extra = 0
    can_delete = False
