"""Reads of reference data: the countries this instance serves and their regions."""

from django.db.models import Count, QuerySet

from reference.models import Country, Region
from reference.regions import countries_served


def region_list() -> QuerySet[Region]:
    """The regions of the countries served, with their country, by code."""
    return Region.objects.filter(country__in=countries_served()).select_related("country").order_by("code")


def country_list() -> QuerySet[Country]:
    """The countries served, by code, each with `region_count`, how many of its regions there are."""
    return Country.objects.filter(code__in=countries_served()).annotate(region_count=Count("regions")).order_by("code")
