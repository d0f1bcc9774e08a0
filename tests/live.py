"""Real processes for tests: a private redis-server, a Celery worker, gunicorn, one-off Django code.

Tests that need a live service start their own here instead of mocking it. Each process gets a
free port, a private queue or folder, and is stopped (with its whole process group) on exit, so
tests can run side by side and never meet another developer's worker or data.

    with RedisServer() as redis_server, CeleryWorker(env=django_env(REDIS_URL=redis_server.url)):
        ...
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_env(settings: str = "config.settings.test", **overrides: str | None) -> dict[str, str]:
    """The current environment with DJANGO_SETTINGS_MODULE set; an override of None removes a variable.

    Switches that only the test process needs (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) are
    not passed on: a child runs as the platform runs."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings, PYTHONUNBUFFERED="1")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(code: str, *, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run Python code in a fresh interpreter at the project root (settings are read at import)."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


class LiveProcess:
    """A long-running child in its own process group, its output collected for assertions."""

    ready_text: str = ""

    def __init__(self, argv: list[str], *, env: dict[str, str]):
        self.argv = argv
        self.env = env
        self.process: subprocess.Popen | None = None
        self._output: list[str] = []
        self._ready = threading.Event()

    @property
    def output(self) -> str:
        return "".join(self._output)

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self._output.append(line)
            if self.ready_text and self.ready_text in line:
                self._ready.set()

    def start(self) -> LiveProcess:
        self.process = subprocess.Popen(
            self.argv,
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_ready()
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.is_ready():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.argv[:4]} did not start:\n{self.output}")

    def is_ready(self) -> bool:
        return self._ready.is_set()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class RedisServer(LiveProcess):
    """A private redis-server on a free port, keeping nothing on disk."""

    ready_text = "Ready to accept connections"

    def __init__(self, port: int | None = None):
        """`port`: the port of a Redis stopped earlier, to start it again (empty) where clients look."""
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        super().__init__(argv, env=dict(os.environ))


class CeleryWorker(LiveProcess):
    """`celery -A config worker` with its own name and queue, so no other worker takes its tasks.

    The solo pool keeps it to one process; gossip, mingle and heartbeats are off because a test
    worker has no peers to talk to.
    """

    ready_text = " ready."

    def __init__(self, *, env: dict[str, str]):
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.queue = f"test-{uuid.uuid4().hex}"
        argv = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--loglevel=INFO", f"--hostname={self.name}", f"--queues={self.queue}",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        super().__init__(argv, env=dict(env, CELERY_TASK_ALWAYS_EAGER="0"))


class Gunicorn(LiveProcess):
    """The `web` process of platform/Procfile, on a free port."""

    def __init__(self, *, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "platform/gunicorn.conf.py"]
        super().__init__(argv, env=dict(env, PORT=str(self.port), WEB_CONCURRENCY="1"))

    def is_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def _postgres_bin() -> Path:
    """The server binaries of Debian's newest installed PostgreSQL (TAZA_PG_BIN overrides)."""
    if os.environ.get("TAZA_PG_BIN"):
        return Path(os.environ["TAZA_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _postgres_bin()


class PrivatePostgres:
    """A private PostgreSQL cluster (initdb) on a free port, that a test may stop and start again.

    PostgreSQL refuses to run as root, so as root the cluster belongs to `nobody` and its commands
    run through `runuser`. Trust authentication on 127.0.0.1 only; the data lives in a temporary
    folder removed at the end.
    """

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            pytest.skip(f"PostgreSQL server binaries are not installed in {PG_BIN}")
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="taza-pg-"))
        self.data, self.log = self.root / "data", self.root / "postgres.log"
        self.url = f"postgres://taza@127.0.0.1:{self.port}/taza"
        if os.geteuid() == 0:
            shutil.chown(self.root, "nobody", "nogroup")
            self.as_owner = [shutil.which("runuser") or "runuser", "-u", "nobody", "--"]
        else:
            self.as_owner = []

    def _run(self, *argv: str, timeout: float = 60) -> None:
        result = subprocess.run([*self.as_owner, *argv], cwd=self.root, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{argv[0]} failed: {result.stdout}{result.stderr}\n{log[-3000:]}")

    def start(self) -> PrivatePostgres:
        if not self.data.exists():
            self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "taza", "--auth=trust", "-E", "UTF8",
                      "--no-sync")  # fmt: skip
            first = True
        else:
            first = False
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        if first:
            self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "taza", "taza")
        return self

    def replica(self) -> PrivatePostgres:
        """A streaming replica of this running cluster (`pg_basebackup -R`: a hot standby that follows
        it), not started yet; its own folder and free port."""
        replica = PrivatePostgres()
        replica._run(
            str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "taza",
            "-D", str(replica.data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip
        return replica

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """One statement in autocommit on the cluster's database, its rows (or [] for none)."""
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m immediate` is a crash: every backend killed, recovery from WAL on start."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def __enter__(self) -> PrivatePostgres:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class PgBouncer(LiveProcess):
    """A private pgbouncer on a free port in front of `server_url`'s database, in transaction mode,
    trusting every client (its ini file and log in a temporary folder)."""

    def __init__(self, server_url: str, *, pool_size: int = 4):
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(binary).exists():
            pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
        from urllib.parse import urlsplit

        server = urlsplit(server_url)
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="taza-pgbouncer-"))
        database = server.path.lstrip("/")
        self.url = f"postgres://{server.username}@127.0.0.1:{self.port}/{database}"
        (self.root / "users.txt").write_text(f'"{server.username}" ""\n')
        (self.root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"{database} = host={server.hostname} port={server.port} dbname={database} user={server.username}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.root / 'users.txt'}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 200\n"
            "server_reset_query =\nignore_startup_parameters = extra_float_digits\n"
        )
        argv = [binary, str(self.root / "pgbouncer.ini")]
        if os.geteuid() == 0:  # pgbouncer refuses to run as root, like PostgreSQL
            shutil.chown(self.root, "nobody", "nogroup")
            for child in self.root.iterdir():
                shutil.chown(child, "nobody", "nogroup")
            argv = [shutil.which("runuser") or "runuser", "-u", "nobody", "--", *argv]
        super().__init__(argv, env=dict(os.environ))

    def is_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        try:
            super().stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
