"""The regional view mirrors two national instances running as real processes: its totals are the sum
of what each instance publishes, a new checkpoint reaches them on the next step, an instance that goes
down mid-batch loses and doubles nothing, and one that rewrites a logged fact is caught as forked,
its figures held at the last checkpoint verified while the other goes on."""

from __future__ import annotations

import base64
import http.server
import io
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from regional.instances import instance_get
from regional.models import InstanceMirror, MirroredFact
from regional.selectors import METRICS
from regional.services import instance_mirror
from regional.tasks import mirror_instances
from tests.live import BASE_DIR, django_env, free_port, run_manage, run_python

# One pair of instances for the module (a pair per worker if xdist splits the group). The tests run in this
# order on a worker: the last two tamper with an instance's ledger for good.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("regional")]


@pytest.fixture
def configured(settings, instances):
    national = {country: instance for country, instance in instances.items() if country != "blank"}
    settings.TAZA_REGIONAL_INSTANCES = [instance.configured() for instance in national.values()]
    return national


def step(country: str, **options) -> InstanceMirror:
    return instance_mirror(instance=instance_get(country), **options)


def published(instance, size: int) -> dict:
    """The instance's own national totals as of its checkpoint `size`."""
    answer = instance.get(f"/api/v1/stats/national/?checkpoint={size}")
    return {column: {m: answer["data"][column][m] for m in METRICS} for column in ("verified", "total")}


def figures(mirror: InstanceMirror) -> dict:
    return {column: {m: mirror.figures[column][m] for m in METRICS} for column in ("verified", "total")}


def as_served(split: dict) -> dict:
    return {column: {m: str(v) for m, v in values.items()} for column, values in split.items()}


def test_the_regional_totals_are_the_sum_of_the_instances_published_totals(configured, api_client):
    kz, kg = configured["KZ"], configured["KG"]
    # The instances publish the keys the regional view was configured with.
    assert kz.get("/api/v1/log/key/")["vkey"] == kz.vkey
    assert kg.get("/api/v1/log/key/")["vkey"] == kg.vkey

    out = io.StringIO()
    call_command("regional_mirror", "--once", stdout=out)

    sizes = {c: configured[c].get("/api/v1/log/checkpoints/latest/")["size"] for c in ("KZ", "KG")}
    assert out.getvalue().splitlines() == [
        f"KZ: ok, tree size {sizes['KZ']} verified (latest seen {sizes['KZ']})",
        f"KG: ok, tree size {sizes['KG']} verified (latest seen {sizes['KG']})",
    ]
    for country, instance in configured.items():
        mirror = InstanceMirror.objects.get(country=country)
        latest = instance.get("/api/v1/log/checkpoints/latest/")
        assert (mirror.size, base64.b64encode(bytes(mirror.root)).decode(), mirror.note) == (
            latest["size"],
            latest["root"],
            latest["note"],
        )
        assert MirroredFact.objects.filter(instance=mirror).count() == mirror.size
        assert as_served(figures(mirror)) == as_served(published(instance, mirror.size))

    answer = api_client.get("/api/v1/regional/").json()
    assert [(i["country"], i["status"], i["lag"], i["checkpoint"]["size"]) for i in answer["instances"]] == [
        ("KZ", "ok", 0, sizes["KZ"]),
        ("KG", "ok", 0, sizes["KG"]),
    ]
    assert answer["totals_as_of"] == sizes
    kz_total, kg_total = (published(i, sizes[i.country])["total"] for i in (kz, kg))
    assert answer["totals"]["total"]["trees"] == kz_total["trees"] + kg_total["trees"] == 120 + 45
    assert answer["totals"]["total"]["participants"] == kz_total["participants"] + kg_total["participants"] == 5 + 2
    for metric in ("events", "participants", "youth", "trees"):
        assert answer["totals"]["total"][metric] == kz_total[metric] + kg_total[metric]
    # The countries per 1 000 residents: Kyrgyzstan's 45 trees for 6 936 000 people beat Kazakhstan's 120
    # for 20 033 842.
    assert [(r["country"], r["value"], r["per_1000"]) for r in answer["leaderboard"]["rows"]] == [
        ("KG", "45", "0.0065"),
        ("KZ", "120", "0.0060"),
    ]
    # The regional campaign (the same English name in both instances): plan versus fact per country.
    [campaign] = answer["campaigns"]
    assert (campaign["name"], campaign["plan"]) == ("Nauryz tree planting", {"participants": "50", "trees": "1300"})
    assert [
        (c["country"], c["plan"], c["fact"]["trees"], c["fact"]["participants"]) for c in campaign["countries"]
    ] == [
        ("KZ", {"participants": "40", "trees": "1000"}, 120, 5),
        ("KG", {"participants": "10", "trees": "300"}, 45, 2),
    ]
    assert (campaign["fact"]["trees"], campaign["fact"]["participants"]) == (165, 7)
    # Running the step again adds nothing.
    call_command("regional_mirror", "--once", stdout=io.StringIO())
    assert MirroredFact.objects.count() == sizes["KZ"] + sizes["KG"]

    page = api_client.get("/regional/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Figures verified against its signed checkpoint of {sizes['KG']} public facts" in text
    assert "Kyrgyzstan" in text and "Kazakhstan" in text
    assert "Nauryz tree planting: plan versus fact" in text
    assert '<tr><th scope="row">Kyrgyzstan</th><td>Trees planted</td><td>300</td><td>45</td></tr>' in text


def test_a_fact_appended_in_one_instance_reaches_the_regional_totals_on_the_next_step(configured, api_client):
    kz = configured["KZ"]
    first = step("KZ")
    assert first.status == "ok"
    before = api_client.get("/api/v1/regional/").json()["totals"]["total"]["trees"]

    kz.plant(trees=30, volunteers=1)
    # Not yet: the regional view folds only what it verified.
    assert api_client.get("/api/v1/regional/").json()["totals"]["total"]["trees"] == before

    second = step("KZ")

    assert second.status == "ok" and second.size > first.size
    assert as_served(figures(second)) == as_served(published(kz, second.size))
    assert api_client.get("/api/v1/regional/").json()["totals"]["total"]["trees"] == before + 30


class GoesDown:
    """A real network path to an instance that breaks mid-batch: it passes the checkpoint, the proof
    and `pages` pages of the feed, then drops every connection without an answer, as a host that
    went down does; or, with `delay`, a slow one that takes that long for each page of the feed."""

    def __init__(self, target: str, pages: int = 10**9, delay: float = 0.0):
        self.target, self.pages, self.delay, self.served = target, pages, delay, 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/api/v1/facts/"):
                    if outer.pages <= 0:
                        self.close_connection = True
                        return
                    outer.pages -= 1
                    time.sleep(outer.delay)
                    outer.served += 1
                with urllib.request.urlopen(outer.target + self.path, timeout=10) as response:
                    body = response.read()
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.headers["Content-Type"])
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


def test_an_instance_that_goes_down_mid_batch_loses_and_doubles_nothing(configured, settings):
    kg = configured["KG"]
    first = step("KG")
    kg.plant(trees=12, volunteers=2)
    latest = kg.get("/api/v1/log/checkpoints/latest/")["size"]
    assert latest > first.size + 2

    with GoesDown(kg.web.url, pages=1) as path:
        settings.TAZA_REGIONAL_INSTANCES = [kg.configured(path.url)]
        broken = step("KG", page=2)

    # The batch was read up to the break and nothing of it kept: the state is the last verified one.
    assert (broken.status, broken.size, broken.seen_size) == ("lagging", first.size, latest)
    assert broken.last_error.startswith(f"Cannot read {path.url}/api/v1/facts/")
    assert MirroredFact.objects.filter(instance=broken).count() == first.size
    assert figures(broken) == figures(first)

    settings.TAZA_REGIONAL_INSTANCES = [kg.configured()]
    resumed = step("KG", page=2)
    again = step("KG", page=2)

    assert (resumed.status, resumed.size, resumed.last_error) == ("ok", latest, "")
    indexes = list(
        MirroredFact.objects.filter(instance=resumed).order_by("leaf_index").values_list("leaf_index", flat=True)
    )
    assert indexes == list(range(latest))
    assert (again.size, MirroredFact.objects.count()) == (latest, latest)
    assert as_served(figures(resumed)) == as_served(published(kg, latest))


def test_a_mirror_killed_mid_batch_and_started_again_loses_and_doubles_nothing(instances, configured, tmp_path):
    # The regional view as a process of its own, on its own SQLite database, mirroring over a slow path.
    kz = configured["KZ"]
    shutil.copy(instances["blank"], tmp_path / "taza.sqlite3")
    size = kz.get("/api/v1/log/checkpoints/latest/")["size"]
    view = tmp_path / "taza.sqlite3"

    def env(url: str) -> dict[str, str]:
        return django_env(
            DATABASE_URL=None,
            REDIS_URL=None,
            TAZA_VAR_DIR=str(tmp_path),
            TAZA_REGIONAL_INSTANCES=json.dumps([kz.configured(url)]),
        )

    def kept() -> tuple:
        with sqlite3.connect(view) as db:
            facts = db.execute(
                "SELECT count(*), count(DISTINCT leaf_index), min(leaf_index), max(leaf_index)"
                " FROM regional_mirroredfact"
            ).fetchone()
            state = db.execute("SELECT status, size FROM regional_instancemirror").fetchall()
        return facts, state

    with GoesDown(kz.web.url, delay=0.3) as slow:
        mirror = subprocess.Popen(
            [sys.executable, "manage.py", "regional_mirror", "--once", "--page", "1"],
            cwd=BASE_DIR,
            env=env(slow.url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while slow.served < 3 and mirror.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mirror.poll() is None, "the mirror ended before it could be killed mid-batch"
        mirror.send_signal(signal.SIGKILL)
        mirror.wait()

    # Killed three pages into the batch of `size` leaves: nothing of it kept.
    assert kept() == ((0, 0, None, None), [("silent", 0)])

    again = run_manage("regional_mirror", "--once", env=env(kz.web.url))
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines() == [f"KZ: ok, tree size {size} verified (latest seen {size})"]
    assert kept() == ((size, size, 0, size - 1), [("ok", size)])

    assert run_manage("regional_mirror", "--once", env=env(kz.web.url)).returncode == 0
    assert kept() == ((size, size, 0, size - 1), [("ok", size)])


def test_a_checkpoint_not_signed_by_the_configured_key_is_refused_as_forked(configured, settings):
    kz, kg = configured["KZ"], configured["KG"]
    settings.TAZA_REGIONAL_INSTANCES = [{**kg.configured(), "log_key": kz.vkey}]

    mirror = step("KG")

    assert (mirror.status, mirror.size, MirroredFact.objects.count()) == ("forked", 0, 0)
    assert mirror.last_error == (
        "the checkpoint served is not signed by the configured key kz.test/log: no signature of a known key"
    )


def test_an_instance_not_reachable_or_with_an_old_checkpoint_is_silent_with_its_last_verified_figures(
    configured, settings, api_client
):
    kg = configured["KG"]
    settings.TAZA_REGIONAL_INSTANCES = [kg.configured()]
    assert mirror_instances() == 1  # beat's task: a step per instance (in process under the test settings)
    verified = InstanceMirror.objects.get(country="KG")
    assert verified.status == "ok"

    closed = f"http://127.0.0.1:{free_port()}"
    settings.TAZA_REGIONAL_INSTANCES = [kg.configured(closed)]
    silent = step("KG")

    assert (silent.status, silent.size, figures(silent)) == ("silent", verified.size, figures(verified))
    assert silent.last_error.startswith(f"Cannot read {closed}/api/v1/log/checkpoints/latest/")
    assert silent.verified_at == verified.verified_at

    settings.TAZA_REGIONAL_INSTANCES = [kg.configured()]
    settings.TAZA_REGIONAL_SILENT_SECONDS = 0
    stale = step("KG")
    assert (stale.status, stale.size) == ("silent", verified.size)
    assert stale.last_error == f"the latest checkpoint was published at {stale.checkpoint_published_at.isoformat()}"
    shown = api_client.get("/api/v1/regional/").json()["instances"][0]
    assert (shown["status"], shown["checkpoint"]["size"], shown["lag"]) == ("silent", verified.size, 0)


def test_an_instance_that_changes_a_logged_fact_is_forked_and_held_at_its_last_verified_checkpoint(
    configured, api_client
):
    # Last in this module: the Kazakh instance's ledger stays tampered with.
    kz, kg = configured["KZ"], configured["KG"]
    verified = {country: step(country) for country in ("KZ", "KG")}
    held = figures(verified["KZ"])

    event = kz.plant(trees=50, volunteers=1)
    kz.tamper(event, trees=5000)
    kg.plant(trees=7, volunteers=1)
    latest = kz.get("/api/v1/log/checkpoints/latest/")

    forked, other = step("KZ"), step("KG")

    assert forked.status == "forked"
    assert forked.last_error == (
        f"the facts served for leaves {verified['KZ'].size} to {latest['size'] - 1} give the tree of size "
        f"{latest['size']} root {forked.last_error.split(' root ')[1].split(',')[0]}, not the signed {latest['root']}: "
        "a fact was changed after it was logged"
    )
    assert forked.size == verified["KZ"].size and figures(forked) == held
    assert MirroredFact.objects.filter(instance=forked).count() == verified["KZ"].size
    # Nothing more is folded from it, even on later steps; the other instance goes on.
    assert step("KZ").size == verified["KZ"].size
    assert other.status == "ok" and other.size > verified["KG"].size
    with pytest.raises(CommandError, match="Forked: KZ"):
        call_command("regional_mirror", "--once", stdout=io.StringIO())

    answer = api_client.get("/api/v1/regional/").json()
    shown = {i["country"]: i for i in answer["instances"]}
    assert (shown["KZ"]["status"], shown["KZ"]["checkpoint"]["size"]) == ("forked", verified["KZ"].size)
    # Held at the checkpoint verified: 120 trees, and 30 more if the test that plants them ran before on this
    # worker; not the 50 planted since, nor the 5 000 of the rewritten result.
    trees = shown["KZ"]["figures"]["total"]["trees"]
    assert trees == int(held["total"]["trees"]) and trees in (120, 150)
    assert answer["totals"]["total"]["trees"] == trees + int(other.figures["total"]["trees"])
    assert (
        "contradicts what it signed before" in api_client.get("/regional/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


REWRITE = """
import django
django.setup()
from tests.transparency.loop import change_fact, leaf_of_result, resign
change_fact(leaf_of_result({event!r}), trees=999)
print(resign(replace=True).size)
"""


def test_a_log_rewritten_under_a_checkpoint_already_verified_is_forked(configured):
    # After the test above: the Kyrgyz instance's turn to turn rogue.
    kg = configured["KG"]
    event = kg.plant(trees=9, volunteers=1)
    verified = step("KG")
    assert verified.status == "ok"

    # The operator changes a logged result, rebuilds the tree from the changed ledger and signs it
    # under the same tree size, in place of the checkpoint the regional view verified.
    rewritten = run_python(REWRITE.format(event=event), env=kg.env)
    assert rewritten.returncode == 0, rewritten.stderr
    latest = kg.get("/api/v1/log/checkpoints/latest/")
    assert latest["size"] == verified.size and latest["root"] != base64.b64encode(bytes(verified.root)).decode()

    forked = step("KG")

    assert (forked.status, forked.size, figures(forked)) == ("forked", verified.size, figures(verified))
    assert forked.last_error == (
        f"the checkpoint of tree size {verified.size} (root {latest['root']}) is not consistent with the checkpoint "
        f"of tree size {verified.size} (root {base64.b64encode(bytes(verified.root)).decode()}) verified: "
        "trees of the same size have different roots"
    )
