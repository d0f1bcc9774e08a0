"""Two national instances as real processes — Kazakhstan and Kyrgyzstan, each gunicorn on its own
port and its own SQLite database, with a log key of its own — for the regional view (the test's own
Django, on SQLite or PostgreSQL) to mirror. Their facts are appended by one-off Django processes
(tests/stats/history.py, the stats tests' scripted history), which fold them and sign a checkpoint."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live import Gunicorn, django_env, run_manage, run_python
from transparency.note import Signer

# One planting event in the instance's first region, three days ago: volunteers checked in and out, a
# result logged and, if asked, verified; then the projections folded and a checkpoint signed.
PLANTING = """
import datetime as dt, json, uuid, django
django.setup()
from campaigns.facts import CampaignLaunched, CampaignTargetsSet
from campaigns.models import Campaign
from ledger import store
from reference.models import Region
from reference.regions import regions_ensure
from tests.stats.history import History, at, fold_all
from transparency.tasks import publish_checkpoint
spec = json.loads({spec!r})
regions_ensure(Region)  # the country's regions (a copy of another instance's database has the other's)
history = History()
day = dt.date.today() - dt.timedelta(days=3)
region = Region.objects.filter(country_id=spec["country"]).order_by("code").values_list("code", flat=True)[0]
campaign = Campaign.objects.values_list("id", flat=True).first()
if campaign is None:  # the regional campaign, by the name every instance gives it, with this country's targets
    campaign = uuid.uuid4()
    name = {{"kk": "Наурыз ағаш отырғызу", "ru": "Наурыз: посадка деревьев", "en": "Nauryz tree planting"}}
    starts, ends = day - dt.timedelta(days=10), day + dt.timedelta(days=30)
    targets = [{{"region": region, "metric": m, "value": v}} for m, v in spec["targets"].items()]
    store.append(f"campaign-{{campaign}}", [
        CampaignLaunched(campaign, name, name, starts, ends, ["tree_planting"]), CampaignTargetsSet(campaign, targets)
    ])
event = history.event(campaign=campaign, region=region, organisation=uuid.uuid4(), day=day, kind="tree_planting")
for _ in range(spec["volunteers"]):
    volunteer = uuid.uuid4()
    history.check_in(event, volunteer, when=at(day, 10))
    history.check_out(event, volunteer, when=at(day, 12))
version = history.result(event, trees=spec["trees"], headcount=spec["headcount"])
if spec["verify"]:
    history.verify(event, "accepted", version)
fold_all()
publish_checkpoint()
print(json.dumps({{"event": str(event)}}))
"""

# Each country's targets for the regional campaign, set with its first planting.
TARGETS = {"KZ": {"trees": "1000", "participants": "40"}, "KG": {"trees": "300", "participants": "10"}}


@dataclass
class Instance:
    country: str
    web: Gunicorn
    env: dict[str, str]
    database: Path
    signer: Signer

    @property
    def vkey(self) -> str:
        return self.signer.verifier.vkey

    def configured(self, url: str | None = None) -> dict:
        return {"country": self.country, "url": url or self.web.url, "log_key": self.vkey}

    def plant(self, *, trees: int, volunteers: int = 3, headcount: int = 0, verify: bool = True) -> str:
        spec = {"country": self.country, "trees": trees, "volunteers": volunteers, "headcount": headcount}
        spec["targets"] = TARGETS[self.country]
        result = run_python(PLANTING.format(spec=json.dumps(spec | {"verify": verify})), env=self.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])["event"]

    def get(self, path: str) -> dict:
        status, body = self.web.get(path)
        assert status == 200, body[:500]
        return json.loads(body)

    def tamper(self, event: str, **changes) -> None:
        """The operator turned rogue: the event's result changed in the ledger, the append-only trigger
        dropped first (as the tables' owner can), the log and its checkpoints left as they were."""
        with sqlite3.connect(self.database) as db:
            db.execute("DROP TRIGGER ledger_fact_no_update")
            for key, value in changes.items():
                db.execute(
                    "UPDATE ledger_fact SET data = json_set(data, ?, ?) WHERE stream = ? AND type = 'ResultLogged'",
                    (f"$.{key}", value, f"event-{event}"),
                )


def _environment(root: Path, country: str, seed: str) -> dict[str, str]:
    return django_env(
        DATABASE_URL=None,  # SQLite in the instance's own folder, whatever the test's own database is
        DATABASE_REPLICA_URL=None,
        REDIS_URL=None,
        TAZA_VAR_DIR=str(root),
        TAZA_COUNTRIES=country,
        TAZA_LOG_ORIGIN=f"{country.lower()}.test/log",
        TAZA_LOG_SIGNING_KEY=seed,
        STATS_POSITION_TTL="0",
        CELERY_TASK_ALWAYS_EAGER="1",
    )


@pytest.fixture(scope="module")
def instances():
    """Kazakhstan and Kyrgyzstan, each with a verified planting, a checkpoint signed, and serving; and
    under "blank" a migrated database with no facts, for a regional view run as a process of its own."""
    root = Path(tempfile.mkdtemp(prefix="taza-regional-"))
    specs = [("KZ", "11" * 32), ("KG", "22" * 32)]
    started: list[Instance] = []
    try:
        for number, (country, seed) in enumerate(specs):
            folder = root / country.lower()
            folder.mkdir()
            env = _environment(folder, country, seed)
            if number:  # migrating is the slow part: the second instance starts from a copy of the first
                for name in ("taza.sqlite3", "taza.sqlite3-wal"):  # the WAL too, if the last close left one
                    if (root / specs[0][0].lower() / name).exists():
                        shutil.copy(root / specs[0][0].lower() / name, folder / name)
            else:
                result = run_manage("migrate", "--noinput", env=env, timeout=300)
                assert result.returncode == 0, result.stdout + result.stderr
                shutil.copy(folder / "taza.sqlite3", root / "blank.sqlite3")  # for a regional view of its own
            signer = Signer(f"{country.lower()}.test/log", bytes.fromhex(seed))
            instance = Instance(country, Gunicorn(env=env), env, folder / "taza.sqlite3", signer)
            started.append(instance)
        # The first instance's copy was taken before any fact: now each gets its own history.
        started[0].plant(trees=120, volunteers=3, headcount=2)
        started[1].plant(trees=45, volunteers=2, headcount=0)
        for instance in started:
            instance.web.start()
        yield {instance.country: instance for instance in started} | {"blank": root / "blank.sqlite3"}
    finally:
        for instance in started:
            instance.web.stop()
        shutil.rmtree(root, ignore_errors=True)
