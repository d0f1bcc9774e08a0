"""An event's local time is its region's country's: the same moment reads 10:00 in Astana, 11:00 in
Bishkek."""

import datetime as dt

import pytest
from django.utils import translation

from events.models import Event
from frontend.sharing import when
from reference.models import Region
from reference.regions import regions_ensure

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2026, 3, 20, 5, 0, tzinfo=dt.UTC)


def test_an_events_start_and_end_read_in_its_countrys_time_zone(settings):
    settings.TAZA_COUNTRIES = ["KZ", "KG"]
    regions_ensure(Region)
    astana = Event(region=Region.objects.get(code="KZ-71"), starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=3))
    bishkek = Event(region=Region.objects.get(code="KG-GB"), starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=3))

    with translation.override("en"):
        assert (when(astana), when(bishkek)) == ("March 20, 2026, 10 a.m. – 1 p.m.", "March 20, 2026, 11 a.m. – 2 p.m.")
