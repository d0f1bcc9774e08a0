"""The daily release, made by beat (hourly: the first run of a day makes it, the others find it made)."""

from __future__ import annotations

from celery import shared_task

from ledger.runner import catch_up_all
from opendata.release import release_make


@shared_task(name="opendata.make_release")
def make_release() -> str:
    catch_up_all()  # the release reflects every fact committed before it, errata and totals alike
    return release_make().name
