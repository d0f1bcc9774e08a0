"""allauth's hooks: who the client is behind the proxy, and how a rate limit answers.

allauth counts its limits per client address through `get_client_ip`; here that is the address our
trusted proxies saw (config/client_ip.py), so one person's failures lock out that person, not
everyone behind the proxy. A limit says 429 with `Retry-After`, on the sign-in form as on the API:
allauth's own "too many failed attempts" is a form error answered 200, which tells neither a
browser nor a script that it is being held back, nor for how long.
"""

from __future__ import annotations

import math
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.client_ip import client_ip
from outbox.services import message_record_rendered

APP = "allauth.account"


class SignInLocked(ImmediateHttpResponse):
    """Too many failed sign-ins from this address or for this account, for `retry_after` seconds.

    An ImmediateHttpResponse, so allauth's middleware answers the browser with the 429 page; the API
    catches it and answers in its own error format (volunteers.services.auth_token_issue).
    """

    def __init__(self, request: HttpRequest, retry_after: int) -> None:
        Exception.__init__(self, f"signing in is locked for {retry_after} s")
        self.request = request
        self.retry_after = retry_after

    @property  # type: ignore[override]
    def response(self) -> HttpResponse:
        return too_many_requests_page(self.request, self.retry_after)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email now, in the visitor's language, and leave sending to the outbox:
        a mail server that is down delays a verification email, never fails the sign-up."""
        request = allauth_context.request
        user = context.get("user")
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message_record_rendered(
            self.render_mail(template_prefix, email, ctx), volunteer_id=getattr(user, "volunteer_id", None)
        )

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = ratelimit.consume(request, app=APP, action="login_failed", key=key)
        if not self._login_failed_rl_usage:
            raise SignInLocked(request, retry_after(request, action="login_failed", key=key))


def retry_after(request: HttpRequest, *, action: str, key: str | None = None) -> int:
    """Seconds until allauth's limits on `action` let this client try again.

    If none is found exhausted (the counter's lock was busy, which allauth counts as limited), the
    longest window of the action is said: waiting that long is always enough.
    """
    waits = _waits(request, action=action, key=key)
    if not waits:
        waits = [rate.duration for rate in ratelimit.get_rates(app=APP, action=action)] or [60]
    return max(1, math.ceil(max(waits)))


def _waits(request: HttpRequest, *, action: str, key: str | None = None) -> list[float]:
    """The wait of each exhausted limit on `action` for this client (its address, its account, `key`).

    A limit "n per window" holds while n attempts lie within the window, so it lifts when the n-th
    newest of them leaves it. Limits per key are read only when the key is known.
    """
    now = time.time()
    waits = []
    for rate in ratelimit.get_rates(app=APP, action=action):
        if (rate.per == "key" and key is None) or (rate.per == "user" and not request.user.is_authenticated):
            continue
        cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        history = sorted((t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True)
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    return waits


def too_many_requests_page(request: HttpRequest, seconds: int) -> HttpResponse:
    response = render(request, "account/too_many_requests.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's 429 for its limits on pages (sign-in, sign-up, password reset: `handler429` in
    config/urls.py). allauth does not say which limit held, so the wait is the longest over the
    limits of this client's address and account that are exhausted now."""
    waits = [wait for action in account_settings.RATE_LIMITS for wait in _waits(request, action=action)]
    return too_many_requests_page(request, max(1, math.ceil(max(waits, default=60))))
