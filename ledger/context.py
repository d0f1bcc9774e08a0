"""What a fact's `meta` says of where it came from, set once per request or task, not per call.

`meta.correlation_id` names the request (or Celery task) that appended a fact, so everything one
request did can be found together; `meta.causation_id` names what caused it when that is something
other than a person's request (the task's triggering fact, given by the task with `acting`);
`meta.source` says through what it came: "api" for requests under /api/, "admin" for the Django
admin's (under /admin/), "web" for the pages (and,
as before there was a context, for anything outside a request or task: a shell, a test),
"worker" for Celery tasks, and what a management command sets (`acting(source="import")`).
`append()` reads them from here when its caller gives none.

A `contextvars` variable: each thread and each asyncio task has its own, so two requests served by
the threads of one gunicorn worker never see each other's.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from ledger.ids import uuid7

HEADER = "X-Request-ID"
API_PATH = "/api/"
ADMIN_PATH = "/admin/"  # config/urls.py


@dataclass(frozen=True)
class Origin:
    correlation_id: uuid.UUID | None = None
    causation_id: uuid.UUID | None = None
    source: str = "web"


_origin: ContextVar[Origin | None] = ContextVar("ledger_origin", default=None)
_NOWHERE = Origin()


def current() -> Origin:
    return _origin.get() or _NOWHERE


@contextlib.contextmanager
def acting(
    *, correlation_id: uuid.UUID | None = None, causation_id: uuid.UUID | None = None, source: str | None = None
) -> Iterator[Origin]:
    """Facts appended inside carry these (unless the caller of append() gives its own); what is not
    given stays as around it: a task that acts on a fact names it as the cause and keeps its own
    correlation id and source."""
    around = current()
    origin = Origin(
        correlation_id=correlation_id or around.correlation_id,
        causation_id=causation_id or around.causation_id,
        source=source or around.source,
    )
    token = _origin.set(origin)
    try:
        yield origin
    finally:
        _origin.reset(token)


def request_id(request: HttpRequest) -> uuid.UUID:
    """The client's X-Request-ID when it is a UUID (a retry can then be traced to its first try),
    else a new one."""
    sent = request.headers.get(HEADER, "")
    try:
        return uuid.UUID(sent) if len(sent) <= 36 else uuid7()
    except ValueError:
        return uuid7()


def request_source(request: HttpRequest) -> str:
    if request.path.startswith(API_PATH):
        return "api"
    return "admin" if request.path.startswith(ADMIN_PATH) else "web"


class RequestOriginMiddleware:
    """Each request's facts share its id as `meta.correlation_id`, said back in X-Request-ID, and
    say whether they came through the API or the pages (`meta.source`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(correlation_id=request_id(request), source=request_source(request)) as origin:
            response = self.get_response(request)
        response[HEADER] = str(origin.correlation_id)
        return response


_tasks: dict[str, object] = {}


def task_started(task_id: str | None = None, **kwargs) -> None:
    """Celery's task_prerun: the task's facts share its id as their correlation id, from "worker"."""
    if task_id:
        correlation_id = uuid.UUID(task_id) if _is_uuid(task_id) else uuid7()
        _tasks[task_id] = _origin.set(Origin(correlation_id=correlation_id, source="worker"))


def task_ended(task_id: str | None = None, **kwargs) -> None:
    token = _tasks.pop(task_id, None) if task_id else None
    if token is not None:
        _origin.reset(token)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
