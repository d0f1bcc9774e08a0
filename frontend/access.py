"""Who may open the organisers' and coordinators' pages: `@role_required(Role.ORGANISER)`.

A visitor is sent to sign in (`login_required`, back to the page after); a signed-in user without
the role gets the site's 403. The checks are the ones the services use (volunteers.roles), so admins
pass as organisers (`is_organiser`) and as coordinators, of every region (`is_coordinator_of`).
Pages open to several kinds of people (an event's console, for its organisers and its region's
coordinator) ask for a login only; the service or selector then says who may see the event.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from volunteers.roles import AnyUser, Role, is_admin, is_coordinator, is_organiser


def _coordinates_some_region(user: AnyUser) -> bool:
    return is_coordinator(user) or is_admin(user)


_HOLDS: dict[Role, Callable[[AnyUser], bool]] = {
    Role.ORGANISER: is_organiser,
    Role.COORDINATOR: _coordinates_some_region,
}


def role_required(role: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view for signed-in holders of `role` (organiser or coordinator) only."""
    holds = _HOLDS[role]

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not holds(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
