"""Pages of every API list: `limit` from 1 to 500 (50 unless given), `offset` from 0.

DRF's LimitOffsetPagination has no ceiling by default (`limit=1000000` returned every row) and
silently serves the default page for `limit=-1`, `0` or `abc`; a client that made a mistake
should be told so. Both rules are in the schema, so a generated client knows them too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_LIMIT = 500
# Beyond any real list, and well inside PostgreSQL's bigint: a larger OFFSET would be a 500.
MAX_OFFSET = 2**31 - 1


def _bounded_int(request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw) if raw.strip().lstrip("-").isdigit() else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError({name: [_("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}]})
    return value


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        return _bounded_int(request, self.limit_query_param, default=self.default_limit, low=1, high=self.max_limit)

    def get_offset(self, request):
        return _bounded_int(request, self.offset_query_param, default=0, low=0, high=MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"].update(minimum=1, maximum=self.max_limit, default=self.default_limit)
        limit["description"] = f"Number of results to return per page: 1 to {self.max_limit}."
        offset["schema"].update(minimum=0, maximum=MAX_OFFSET, default=0)
        return [limit, offset]
