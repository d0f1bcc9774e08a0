"""Signing in through a real reverse proxy in front of a real gunicorn, from many client addresses.

The proxy is a small threaded HTTP server started here that does what nginx's
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` does: it appends the address that
connected to it to whatever X-Forwarded-For the client sent. Clients connect from 127.0.0.2,
127.0.0.3, … (all of 127/8 is the loopback), so the proxy sees as many addresses as there are people,
and gunicorn sees only the proxy. The rate limits are production's, counted in a private Redis.
"""

from __future__ import annotations

import http.client
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.live import Gunicorn, RedisServer, django_env, free_port, run_manage, run_python
from tests.volunteers.factories import PASSWORD

pytestmark = pytest.mark.slow

PEOPLE = 35
ATTACKER = "127.0.0.200"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


@contextmanager
def reverse_proxy(upstream_port: int) -> Iterator[int]:
    """A reverse proxy to 127.0.0.1:`upstream_port` that appends the client's address to X-Forwarded-For."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"x-forwarded-for"}}
            sent = self.headers.get("X-Forwarded-For")
            headers["X-Forwarded-For"] = f"{sent}, {self.client_address[0]}" if sent else self.client_address[0]
            upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            upstream.close()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _forward

        def log_message(self, *args) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One person's browser on one address: keeps its cookies, sends what a browser sends."""

    def __init__(self, proxy_port: int, address: str):
        self.proxy_port = proxy_port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.proxy_port, timeout=30, source_address=(self.address, 0)
        )
        sent = {"Accept-Language": "en", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def sign_in(self, email: str, password: str, *, forged: str | None = None):
        page, html = self.request("GET", "/accounts/login/")
        assert page.status == 200
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # any form's will do
        headers = {"X-Forwarded-For": forged} if forged else {}
        return self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": csrf, "login": email, "password": password}, headers
        )


def test_one_attacker_is_locked_out_and_35_people_behind_the_same_proxy_sign_in(tmp_path):
    with RedisServer() as redis_server:
        env = django_env(
            "tests.volunteers.behind_proxy_settings",
            TAZA_VAR_DIR=str(tmp_path),
            DATABASE_URL=None,
            REDIS_URL=redis_server.url,
            TAZA_TRUSTED_PROXY_COUNT="1",
        )
        # Given 35 people with confirmed accounts, and the attacker's own
        migrated = run_manage("migrate", "--noinput", env=env, timeout=300)
        assert migrated.returncode == 0, migrated.stderr
        made = run_python(
            "import django; django.setup()\n"
            "from tests.volunteers.factories import user_create\n"
            f"for n in range({PEOPLE + 1}): user_create(email=f'person{{n:02}}@example.kz')\n",
            env=env,
        )
        assert made.returncode == 0, made.stderr

        with Gunicorn(env=env) as web, reverse_proxy(web.port) as proxy_port:
            # When the attacker tries ten wrong passwords on ten accounts, forging X-Forwarded-For
            attacker = Browser(proxy_port, ATTACKER)
            tries = [
                attacker.sign_in(f"person{n:02}@example.kz", "wrong", forged=f"198.51.100.{n}")[0].status
                for n in range(1, 11)
            ]
            # then the eleventh is refused with how long to wait, even with the right password
            locked, locked_page = attacker.sign_in("person00@example.kz", PASSWORD, forged="198.51.100.99")

            # When 35 other people sign in from their own addresses, within the same minute
            people = [Browser(proxy_port, f"127.0.0.{n + 2}") for n in range(PEOPLE)]
            signed_in = [
                browser.sign_in(f"person{n + 1:02}@example.kz", PASSWORD)[0] for n, browser in enumerate(people)
            ]
            still_locked = attacker.sign_in("person00@example.kz", PASSWORD)[0]

    # Then the attacker was told "wrong" ten times and is locked out, on the site's 429 page
    assert tries == [200] * 10
    assert locked.status == 429
    assert 50 <= int(locked.headers["Retry-After"]) <= 60
    assert "Too many attempts from your address or for this account." in locked_page
    assert still_locked.status == 429
    # and everyone else is signed in
    assert [(r.status, r.headers["Location"]) for r in signed_in] == [(302, "/")] * PEOPLE
    assert all("sessionid" in browser.cookies for browser in people)
