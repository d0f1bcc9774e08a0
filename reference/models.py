"""Reference data: the countries and their first-level divisions, edited by admins, never decided by facts."""

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """A country an instance may serve. Reference data, admin-edited; shipped in data/countries.csv."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    name_local = models.CharField(_("name in the country's language"), max_length=100)
    name_kk = models.CharField(_("name in Kazakh"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    # An IANA name: the zone a division's events are held in (Kazakhstan has one, UTC+5, since 2024).
    time_zone = models.CharField(_("time zone"), max_length=64)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("year of the population figure"), null=True, blank=True)
    population_source = models.CharField(_("source of the population figure"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the country's own."""
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_local

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Region(models.Model):
    """A first-level division of a country (Kazakhstan's 17 regions and 3 cities, Uzbekistan's
    Karakalpakstan, Tajikistan's districts of republican subordination...). Reference data, admin-edited.

    "Region" stays the project's word for any first-level division."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")
        REPUBLIC = "republic", _("autonomous republic")
        AUTONOMOUS_REGION = "autonomous_region", _("autonomous region")
        DISTRICTS = "districts", _("districts of republican subordination")

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions", verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_local = models.CharField(_("name in the country's language"), max_length=100, blank=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    centre_en = models.CharField(_("administrative centre"), max_length=100, blank=True)
    centre_local = models.CharField(_("administrative centre in the country's language"), max_length=100, blank=True)
    centre_ru = models.CharField(_("administrative centre in Russian"), max_length=100, blank=True)
    # Empty where no figure is known for sure: per 1 000 residents figures skip such a division.
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        # The table campaigns created; the model moved here without moving a row (reference 0001).
        db_table = "campaigns_region"
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Kazakh."""
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_kk

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the division's events are held in: its country's."""
        return self.country.zone
