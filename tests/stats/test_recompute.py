"""`totals_recompute` recounts the national totals from the public fact feed of a live server."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import Resolver404, resolve

from stats.models import Total


@pytest.fixture
def feed():
    try:
        resolve("/api/v1/facts/")
    except Resolver404:
        pytest.skip("the public fact feed (/api/v1/facts/) is not there yet")


def recompute(live_server) -> str:
    out = io.StringIO()
    call_command("totals_recompute", "--url", live_server.url, "--page", "7", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_recount_from_the_feed_matches_the_published_totals(feed, live_server, story):
    printed = recompute(live_server)

    lines = {line.split()[0]: line.split()[1:] for line in printed.splitlines() if line.startswith("total.")}
    assert lines["total.participants"] == ["52", "52"]
    assert lines["total.waste_kg"] == ["320.500", "320.500"]
    # Aigerim's stays at E1 and E2 overlap: the totals count her 10-14 once (16 h), the feed cannot
    # link her two pseudonyms, so the recount's 18 h is the bound the published hours keep under
    assert lines["total.volunteer_hours"] == ["18.00", "16.00", "(overlaps", "count", "once)"]
    assert printed.splitlines()[-1] == "The published national totals match the recount from the facts."


@pytest.mark.django_db(transaction=True)
def test_a_published_figure_that_is_not_in_the_facts_is_caught(feed, live_server, story):
    Total.objects.filter(scope="national", metric="trees").update(verified=41)
    cache.clear()

    with pytest.raises(CommandError, match="verified.trees"):
        recompute(live_server)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/", "127.0.0.1:8000"])
def test_only_an_http_address_is_read(url):
    with pytest.raises(CommandError, match="Give the instance's http:// or https:// address"):
        call_command("totals_recompute", "--url", url)
