"""The address of the person at the other end of a request, behind the proxies this deployment trusts.

Behind a proxy every connection gunicorn sees comes from the proxy, so `REMOTE_ADDR` is the same for
everyone and a limit "per address" becomes one limit for the whole country. Each proxy appends the
address that connected to it to `X-Forwarded-For`; with `TAZA_TRUSTED_PROXY_COUNT` = N, the last N
entries were written by our own proxies and everything to their left by whoever sent the request,
which can say anything. So the client is the entry the N-th proxy (counting from the right, the
outermost of ours) appended: the address that connected to it. Nothing left of it is ever read, and a
forged leftmost entry changes nothing.

Fewer entries than N means the request met fewer of our proxies (a health check from inside the
network): the leftmost entry is then the one our outermost proxy on the way wrote, and with no header
at all the connecting address is the client. This is the rule of DRF's `NUM_PROXIES`
(`rest_framework.throttling.BaseThrottle.get_ident`), which the settings set from the same number.
N = 0 (development, or gunicorn facing the internet) ignores the header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as our outermost trusted proxy saw it (see the module's docstring)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TAZA_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",")] if forwarded.strip() else []
    if proxies <= 0 or not entries:
        return remote_addr
    address = _address(entries[-min(proxies, len(entries))])
    # An entry our proxy wrote is an address; anything else means the proxies are not set up as
    # DEPLOY.md says, and the connecting address is the one thing still known for sure.
    return address or remote_addr


def _address(entry: str) -> str | None:
    """`entry` as an IP address, allowing the port and brackets some proxies add."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:
        candidates.append(entry.partition(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
