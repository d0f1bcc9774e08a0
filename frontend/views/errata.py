"""The errata log as a page: every published figure changed after the fact, and why (opendata)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from frontend.display import as_decimal, number
from frontend.labels import WASTE_KIND_LABELS, species_name
from opendata.errata import ADJUSTMENT, CHECKIN_UNDONE, CORRECTION, KINDS, REJECTION
from opendata.selectors import errata_list
from reference.models import Region

PAGE_SIZE = 50
ERRATUM_KIND_LABELS = {
    CORRECTION: _("Result corrected by the organiser"),
    ADJUSTMENT: _("Result adjusted by the coordinator"),
    REJECTION: _("Result rejected by the coordinator"),
    CHECKIN_UNDONE: _("Check-in undone"),
}


def _kg(value: object) -> str:
    return _("%(amount)s kg") % {"amount": number(value, 3)}


def _ha(value: object) -> str:
    return _("%(amount)s ha") % {"amount": number(value, 4)}


def changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """What the erratum changed, one line a figure: (what, before, after). Only the figures that
    moved; when the event counts nowhere after it (a rejection), every figure it had, to nothing."""
    old, new = before or {}, after or {}
    if "volunteers" in old:
        return [(str(_("Volunteers checked in")), number(old["volunteers"]), number(new.get("volunteers", 0)))]
    figures: list[tuple[str, object, object, object]] = []  # (what, before, after, how shown)
    for kind in sorted(set(old.get("waste_kg_by_kind", {})) | set(new.get("waste_kg_by_kind", {}))):
        label = _("Waste, %(kind)s") % {"kind": WASTE_KIND_LABELS.get(kind, kind)}
        was, now = (side.get("waste_kg_by_kind", {}).get(kind, "0") for side in (old, new))
        figures.append((str(label), was, now, _kg))
    figures.append((str(_("Trees planted")), old.get("trees", 0), new.get("trees", 0), number))
    for species in sorted(set(old.get("tree_species", {})) | set(new.get("tree_species", {}))):
        was, now = (side.get("tree_species", {}).get(species, 0) for side in (old, new))
        figures.append((str(_("Trees, %(species)s") % {"species": species_name(species)}), was, now, number))
    figures.append((str(_("Area cleaned")), old.get("area_ha", "0"), new.get("area_ha", "0"), _ha))
    figures.append(
        (str(_("People counted who did not register")), old.get("headcount", 0), new.get("headcount", 0), number)
    )
    if after is None:
        nowhere = str(_("counts nowhere"))
        return [(label, shown(was), nowhere) for label, was, _now, shown in figures if as_decimal(was)]
    return [(label, shown(was), shown(now)) for label, was, now, shown in figures if as_decimal(was) != as_decimal(now)]


@require_GET
def errata(request: HttpRequest) -> HttpResponse:
    regions = list(Region.objects.order_by("code"))
    region = request.GET.get("region") if request.GET.get("region") in {r.code for r in regions} else None
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    page = Paginator(errata_list(region=region, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    names = {r.code: r.name for r in regions}
    entries = [
        {
            "erratum": erratum,
            "kind_label": ERRATUM_KIND_LABELS[erratum.kind],
            "region_name": names.get(erratum.region, erratum.region),
            "changes": changes(erratum.before, erratum.after),
            "counts_nowhere": erratum.after is None,
        }
        for erratum in page.object_list
    ]
    return render(
        request,
        "frontend/errata.html",
        {
            "entries": entries,
            "page": page,
            "regions": regions,
            "region": region,
            "kinds": [(code, ERRATUM_KIND_LABELS[code]) for code in KINDS],
            "kind": kind,
        },
    )
