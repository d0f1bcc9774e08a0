"""`make run` supervises its processes: a worker that dies (SIGKILL, as the out-of-memory killer does)
is started again by platform/run-local.sh, and the site keeps answering; Ctrl-C still stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live import BASE_DIR, free_port

pytestmark = [
    pytest.mark.slow,
    # `make run`'s embedded default (SQLite, filesystem broker): once per CI run, with the SQLite half.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs with the SQLite suite"),
]


def children(pid: int) -> dict[int, str]:
    """The direct children of `pid` and their command lines, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


def worker_pids(script: int) -> list[int]:
    return [pid for pid, cmdline in children(script).items() if "celery" in cmdline and " worker" in cmdline]


def wait_for(condition, timeout: float, what: str, output: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{''.join(output)[-4000:]}")
        time.sleep(0.2)


def test_make_run_starts_a_killed_worker_again_and_ctrl_c_still_stops_everything(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(TAZA_VAR_DIR=str(tmp_path), PORT=str(port), PY=str(BASE_DIR / ".venv" / "bin" / "python"))
    if not Path(env["PY"]).exists():
        pytest.skip("make run expects the virtualenv of `make install`")
    script = subprocess.Popen(
        ["bash", "platform/run-local.sh"], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(iter(script.stdout.readline, "")), daemon=True).start()
    text = lambda: "".join(output)  # noqa: E731
    try:
        # Given `make run` is up
        wait_for(lambda: "Taza is running" in text(), 180, "the banner", output)
        workers = worker_pids(script.pid)
        assert len(workers) == 1, children(script.pid)
        ready_before = text().count(" ready.")

        # When the worker is killed
        os.kill(workers[0], signal.SIGKILL)

        # Then the script says so and starts it again, and it is ready again; the site still answers
        wait_for(lambda: "worker exited (status 137): starting it again in 1 s" in text(), 30, "the restart", output)
        wait_for(lambda: text().count(" ready.") > ready_before, 60, "the new worker to be ready", output)
        restarted = worker_pids(script.pid)
        assert len(restarted) == 1 and restarted != workers
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200

        # When Ctrl-C reaches the script, it stops all three and exits cleanly
        script.send_signal(signal.SIGINT)
        assert script.wait(60) == 0
        assert "Stopped" in text()
        assert "exited (status" not in text().split("Stopping web, worker and beat")[-1]
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait(10)
