"""The words the pages use for the vocabulary's codes: metrics, kinds of events, statuses, waste kinds.

Codes (`waste_kg`, `tree_planting`, `waitlisted`) are the API's; people read these translations. The
codes themselves are declared where the facts are (`events.facts.WASTE_KINDS`, a tuple): a dict here
that labels them is `<NAME>_LABELS` (`WASTE_KIND_LABELS`), so one name never means both.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The five headline metrics, in the order the home page and the plans show them.
HEADLINE_METRICS = ("participants", "waste_kg", "trees", "area_ha", "events")

METRIC_NAMES = {
    "events": _("Events held"),
    "participants": _("Participants"),
    "youth": _("Young participants"),
    "waste_kg": _("Waste collected"),
    "trees": _("Trees planted"),
    "area_ha": _("Area cleaned"),
    "volunteer_hours": _("Volunteer hours"),
    "dumps_liquidated": _("Illegal dumps liquidated"),
}

# The unit each metric is shown in; waste is stored in kilograms and shown in tonnes.
METRIC_UNITS = {
    "events": "",
    "participants": "",
    "youth": "",
    "waste_kg": pgettext_lazy("unit", "t"),
    "trees": "",
    "area_ha": pgettext_lazy("unit", "ha"),
    "volunteer_hours": pgettext_lazy("unit", "h"),
    "dumps_liquidated": "",
}

# Tree species are the organiser's words (events.services.results keeps them as written, lower
# case). The species planted most in the country, as written in English (the demo's, and what an
# organiser using the English page writes), read in the page's language; any other name is shown as
# the organiser wrote it.
TREE_SPECIES_LABELS = {
    "elm": _("elm"),
    "pine": _("pine"),
    "birch": _("birch"),
    "poplar": _("poplar"),
    "oak": _("oak"),
    "saxaul": _("saxaul"),
    "spruce": _("spruce"),
    "maple": _("maple"),
    "willow": _("willow"),
    "ash": _("ash"),
    "larch": _("larch"),
    "apple": _("apple tree"),
    "apricot": _("apricot tree"),
}


def species_name(name: str) -> str:
    """A species as the page's language names it, when it is one of the known; else as written."""
    label = TREE_SPECIES_LABELS.get(name)
    return name if label is None else str(label)


# events.facts.SURVIVAL_LABELS: when a survival check counts the trees.
SURVIVAL_LABEL_LABELS = {
    "season": _("After a season"),
    "year": _("After a year"),
    "three_years": _("After three years"),
}

EVENT_KIND_LABELS = {
    "cleanup": _("Clean-up"),
    "tree_planting": _("Tree planting"),
    "area_cleanup": _("Clean-up of an area"),
}

WASTE_KIND_LABELS = {
    "mixed": _("mixed"),
    "plastic": _("plastic"),
    "paper": _("paper"),
    "glass": _("glass"),
    "metal": _("metal"),
    "organic": _("organic"),
    "hazardous": _("hazardous"),
}

PERIOD_LABELS = {
    "all": _("All time"),
    "month": _("This month"),
    "week": _("This week"),
}

CHECKIN_METHOD_LABELS = {
    "qr": _("QR pass"),
    "roster": _("roster"),
    "event_code": _("event code"),
    "walk_in": _("walk-in"),
}
