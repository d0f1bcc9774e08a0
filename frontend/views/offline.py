"""The service worker, served from the site's root so that it may keep pages of the whole site.

A worker's scope is limited to the path it is served from; /static/… could only keep static files.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SOURCE = "frontend/dist/sw.js"


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    path = finders.find(SOURCE)
    if path is None:  # the bundle was not built: the site works, only without offline passes
        return HttpResponse("", content_type="text/javascript", status=404)
    with open(path, encoding="utf-8") as handle:
        return HttpResponse(handle.read(), content_type="text/javascript")
