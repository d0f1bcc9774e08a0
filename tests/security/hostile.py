"""A world whose every user-written text is a classic script-injection payload, written over HTTP.

Each text a person can write (through the API, the profile page or the admin) carries a label naming
the field, then a payload: `[title.3] </script><img src=x onerror=…>`. The payload tests render the
pages and look for what a payload would leave in the parsed document if it were not escaped; the
labels show that each text was rendered at all (as text), so the test cannot pass by hiding data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.browser.world import ASTANA, person
from volunteers.models import Organisation, User
from volunteers.roles import Role

# Each sets window.__xss when it runs, so a browser can tell; each is also visible in a parse tree.
PAYLOADS = [
    "</script><img src=x onerror=window.__xss=1>",
    '"><svg onload=window.__xss=2>',
    "'><img src=x onerror=window.__xss=3>",
    '" autofocus onfocus="window.__xss=4" x="',
    "javascript:window.__xss=5",
    '<a href="javascript:window.__xss=6">x</a>',
    "<script>window.__xss=7</script>",
    '<iframe srcdoc="<script>parent.__xss=8</script>"></iframe>',
    "{{7*7}} {% now 'Y' %} ${7*7} #{7*7}",
    "</textarea></title></style><img src=x onerror=window.__xss=10>",
    "<!--<img src=x onerror=window.__xss=11>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=12>",
    "\u2028\u2029</script><script>window.__xss=13</script>",
    "<object data=javascript:window.__xss=14></object><embed src=x>",
    "<base href=//evil.example/><form action=javascript:window.__xss=15><button>x</button></form>",
]
ALL = " ".join(PAYLOADS)
_counter = itertools.count()


def hostile(label: str, *, short: bool = False) -> str:
    """A labelled payload: one payload for short fields (names), all of them for long ones."""
    n = next(_counter)
    text = PAYLOADS[n % len(PAYLOADS)] if short else ALL
    return f"[{label}.{n}] {text}"


@dataclass
class HostileWorld:
    admin: User
    organiser: User
    coordinator: User
    volunteer: User
    campaign_id: str
    events: dict[str, str]  # role of the event in the story -> id
    registrations: list[str]
    labels: set[str] = field(default_factory=set)  # every label written
    replaced: set[str] = field(default_factory=set)  # labels of texts an edit replaced
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # event role -> field -> text
    dumps: list[str] = field(default_factory=list)  # a confirmed, a dismissed and a waiting report

    def label_of(self, text: str) -> str:
        self.labels.add(label_in(text))
        return text


def label_in(text: str) -> str:
    return text[1 : text.index("]")]


def as_api(user: User) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json() if response.content else {}


def build_hostile_world(*, with_results: bool = True) -> HostileWorld:
    """Every writable text through the doors people use; results only when time may be moved."""
    admin = person("admin@taza.test", "Admin", Role.ADMIN, is_staff=True, is_superuser=True)
    organiser = person("arman@taza.test", "Arman", Role.ORGANISER)
    coordinator = person("saule@taza.test", "Saule", Role.COORDINATOR)
    volunteer = person("aigerim@taza.test", "Aigerim", show_on_leaderboards=True)
    world = HostileWorld(admin, organiser, coordinator, volunteer, "", {}, [])
    text = world.label_of

    # The organisation, by the admin's own form (there is no API for organisations).
    web = Client()
    web.force_login(admin)
    name = text(hostile("organisation.name", short=True))
    added = web.post("/admin/volunteers/organisation/add/", {"name_en": name, "kind": "ngo", "region": ASTANA})
    assert added.status_code == 302, added.content[:3000]
    # By its label: the form keeps the name as cleaned (line and paragraph separators, which some
    # payloads carry, become spaces or go), so the text sent is not always the text stored.
    organisation = Organisation.objects.get(name_en__startswith=f"[{label_in(name)}]")
    User.objects.filter(pk=organiser.pk).update(organisation=organisation)

    # Display names, by each person on their profile page.
    for user in (volunteer, organiser, coordinator):
        web = Client()
        web.force_login(user)
        shown = text(hostile("display_name", short=True))[:100]
        body = {"display_name": shown, "language": "en", "show_on_leaderboards": "on"}
        if user == volunteer:
            body["organisation"] = str(organisation.id)
        saved = web.post("/me/profile/", body)
        assert saved.status_code == 302, saved.content[:3000]

    # The campaign, in three languages, through the API.
    today = timezone.localdate()
    campaign = ok(
        as_api(admin).post(
            "/api/v1/campaigns/",
            {
                "name": {lang: text(hostile(f"campaign.name.{lang}", short=True)) for lang in ("kk", "ru", "en")},
                "description": {lang: text(hostile(f"campaign.description.{lang}")) for lang in ("kk", "ru", "en")},
                "starts_on": str(today - dt.timedelta(days=10)),
                "ends_on": str(today + dt.timedelta(days=60)),
                "event_kinds": ["cleanup", "tree_planting", "area_cleanup"],
                "targets": [{"region": ASTANA, "metric": "participants", "value": "500"}],
            },
            format="json",
        ),
        201,
    )
    world.campaign_id = campaign["id"]

    now = timezone.now().replace(second=0, microsecond=0)
    org_api, coord_api, vol_api = as_api(organiser), as_api(coordinator), as_api(volunteer)

    def propose(role: str, starts_at: dt.datetime, n: int = 0) -> str:
        written = {"title": text(hostile("event.title", short=True)), "description": text(hostile("event.description"))}
        world.texts[role] = written
        created = ok(
            org_api.post(
                "/api/v1/events/",
                {
                    "campaign_id": world.campaign_id,
                    "kind": "cleanup",
                    **written,
                    "region": ASTANA,
                    "address": text(hostile("event.address", short=True)),
                    "latitude": 51.12 + n / 100,
                    "longitude": 71.43 + n / 100,
                    "starts_at": starts_at.isoformat(),
                    "ends_at": (starts_at + dt.timedelta(hours=3)).isoformat(),
                    "capacity": 1 if role == "full" else 30,
                    "what_to_bring": text(hostile("event.what_to_bring")),
                },
                format="json",
            ),
            201,
        )
        world.events[role] = created["id"]
        return created["id"]

    def approve(event_id: str) -> None:
        ok(coord_api.post(f"/api/v1/events/{event_id}/approve/", {}, format="json"))

    # One approved event per payload, so every payload is a title on the finder and its map.
    for n in range(len(PAYLOADS)):
        approve(propose(f"open.{n}", now + dt.timedelta(days=2 + n, hours=n), n))
    soon = propose("soon", now + dt.timedelta(minutes=30), 20)
    approve(soon)
    propose("proposed", now + dt.timedelta(days=20))
    rejected = propose("rejected", now + dt.timedelta(days=21))
    ok(coord_api.post(f"/api/v1/events/{rejected}/reject/", {"reason": text(hostile("reject.reason"))}, format="json"))
    cancelled = propose("cancelled", now + dt.timedelta(days=22))
    approve(cancelled)
    ok(org_api.post(f"/api/v1/events/{cancelled}/cancel/", {"reason": text(hostile("cancel.reason"))}, format="json"))
    moved = propose("rescheduled", now + dt.timedelta(days=23))
    approve(moved)
    later = now + dt.timedelta(days=24)
    ok(
        org_api.post(
            f"/api/v1/events/{moved}/reschedule/",
            {
                "starts_at": later.isoformat(),
                "ends_at": (later + dt.timedelta(hours=2)).isoformat(),
                "reason": text(hostile("reschedule.reason")),
            },
            format="json",
        )
    )
    # An edit of an approved event (whether it goes live at once or waits for approval again).
    edited = org_api.patch(
        f"/api/v1/events/{world.events['open.0']}/",
        {"title": text(hostile("edit.title", short=True)), "description": text(hostile("edit.description"))},
        format="json",
    )
    assert edited.status_code in (200, 202), edited.content[:2000]
    if edited.status_code == 200 and edited.json().get("title", "").startswith("[edit.title."):
        # Live at once: the first title and description are gone from every page, rightly.
        world.replaced |= {label_in(t) for t in world.texts["open.0"].values()}
    # A change the coordinator turns down, with a reason the organiser reads on the edit page.
    # (The turned-down title is on no page once rejected, rightly; the reason is.)
    changed_title = text(hostile("change.title", short=True))
    world.replaced.add(label_in(changed_title))
    turned_down = org_api.patch(f"/api/v1/events/{world.events['open.2']}/", {"title": changed_title}, format="json")
    assert turned_down.status_code == 202, turned_down.content[:2000]
    ok(
        coord_api.post(
            f"/api/v1/events/{world.events['open.2']}/change/reject/",
            {"change_id": turned_down.json()["pending_change"]["id"], "reason": text(hostile("change.reason"))},
            format="json",
        )
    )

    # The volunteer registers for the soon, the rescheduled and the cancelled-to-be events.
    for role in ("soon", "rescheduled", "open.1"):
        registration = ok(vol_api.post(f"/api/v1/events/{world.events[role]}/registrations/", {}, format="json"), 201)
        world.registrations.append(registration["id"])
    roster = ok(
        org_api.post(
            f"/api/v1/events/{soon}/checkins/roster/", {"registration_id": world.registrations[0]}, format="json"
        ),
        201,
    )
    assert roster

    if with_results:
        with time_machine.travel(now + dt.timedelta(hours=4), tick=True):
            result = {"waste_kg": {"mixed": "40"}, "trees": 0, "area_ha": "0.5", "headcount": 3}
            first_justification = text(hostile("result.justification"))
            world.replaced.add(label_in(first_justification))  # the correction's report is the one shown
            ok(
                org_api.post(
                    f"/api/v1/events/{soon}/result/",
                    {**result, "justification": first_justification},
                    format="json",
                ),
                201,
            )
            corrected = ok(
                org_api.post(
                    f"/api/v1/events/{soon}/result/",
                    {
                        **result,
                        "headcount": 4,
                        "justification": text(hostile("result.justification")),
                        "correction_reason": text(hostile("result.correction_reason")),
                    },
                    format="json",
                ),
                201,
            )
            ok(
                coord_api.post(
                    f"/api/v1/events/{soon}/result/verify/",
                    {
                        "decision": "adjusted",
                        "result_version": corrected["version"],
                        "reason": text(hostile("verification.reason")),
                        "headcount": 2,
                    },
                    format="json",
                ),
            )

    # Dumps: a report the coordinator confirms (its note on the public page, the reason in its history),
    # one dismissed (the reason read by its reporter), one waiting on the coordinator's work list.
    for n, point in enumerate(((51.1283, 71.4305), (51.14, 71.45), (51.16, 71.47))):
        report = {
            "latitude": point[0],
            "longitude": point[1],
            "size": "10_100_m2",
            "waste_kinds": ["mixed"],
            "note": text(hostile(f"dump.note.{n}")),
        }
        world.dumps.append(ok(vol_api.post("/api/v1/dumps/", report, format="json"), 201)["dump"]["id"])
    confirmed, dismissed, _waiting = world.dumps
    ok(coord_api.post(f"/api/v1/dumps/{confirmed}/confirm/", {"reason": text(hostile("dump.confirm"))}, format="json"))
    ok(coord_api.post(f"/api/v1/dumps/{dismissed}/dismiss/", {"reason": text(hostile("dump.dismiss"))}, format="json"))
    return world
