"""Two app servers, one Redis, one database: the servers share their page
cache, and once a write commits neither of them serves a page from before
it. Everything runs in real processes: two gunicorn servers on 127.0.0.1
and a third process (`manage.py shell`) that writes, as an admin edit or a
fixture load would.

On PostgreSQL the servers use the test database pytest-django created
(`transactional_db`, so nothing hides in an open transaction); on SQLite,
whose test database lives in this process's memory, a migrated file in a
temporary directory. Redis must be reachable (TEST_REDIS_URL, by default
redis://127.0.0.1:6379/1): without it the test fails rather than skips.
Each run writes under a key prefix of its own and deletes its keys after."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
# Ports this test may use; the first two free ones are taken.
PORTS = range(*(int(p) for p in os.environ.get("TEST_SERVER_PORTS", "8100-8200").split("-")))
SLUG = "two-process-exhibit"
OLD_NAME = "双进程测试展品（旧名）"
NEW_NAME = "双进程测试展品（新名）"

SETUP = f"""
from tests import factories as make
source = make.report()
make.exhibit(source, slug={SLUG!r}, name={OLD_NAME!r}, exhibition=make.exhibition(source))
"""
RENAME = f"""
from exhibits.models import Exhibit
exhibit = Exhibit.objects.get(slug={SLUG!r})
exhibit.name = {NEW_NAME!r}
exhibit.save()
"""
UNPUBLISH = f"""
from exhibits.models import Exhibit
exhibit = Exhibit.objects.get(slug={SLUG!r})
exhibit.is_published = False
exhibit.save()
"""


def database_url(tmp_path: Path) -> str:
    """Where the servers find the data this test writes."""
    config = connection.settings_dict
    if connection.vendor == "postgresql":
        user = config["USER"] or "postgres"
        password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
        return f"postgres://{user}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"
    assert connection.vendor == "sqlite", connection.vendor
    return f"sqlite:///{tmp_path / 'two-processes.sqlite3'}"


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            # As servers do: connections closed a moment ago must not hold the port.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"No {count} free ports in {PORTS}")


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}"


@dataclass
class Page:
    status: int
    cache: str | None
    body: str


def get(port: int, path: str) -> Page:
    # One name for both servers, as a load balancer in front of them passes
    # on: a page carries its own address, so each host has pages of its own.
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Page(response.status, response.headers.get("X-Page-Cache"), response.read().decode())
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers.get("X-Page-Cache"), error.read().decode())


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is needed by this test and cannot be reached: {error}")
    prefix = f"test-two-processes-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def environment(tmp_path, shared_redis):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": shared_redis,
        "PAGE_CACHE_SECONDS": "600",
        "DEBUG": "true",
        "DATABASE_POOL": "false",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    if connection.vendor == "sqlite":
        manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SETUP)
    return env


@pytest.fixture
def servers(environment, tmp_path):
    """Two gunicorn servers; yields their ports once both answer."""
    ports = free_ports(2)
    processes = []
    for port in ports:
        log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "shell.wsgi:application", "-c", "shell/gunicorn_conf.py"],
            cwd=ROOT,
            env=environment | {"PORT": str(port), "HOST": "127.0.0.1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
    try:
        for port, (process, _) in zip(ports, processes, strict=True):
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
                try:
                    if get(port, "/healthz").status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"the server on port {port} did not start"
                time.sleep(0.1)
        yield ports
    finally:
        for process, log in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


class Poller(threading.Thread):
    """Requests one page from one server back to back, noting when each
    request was sent, until stopped."""

    def __init__(self, port: int, path: str) -> None:
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.samples: list[tuple[float, Page]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            sent = time.monotonic()
            self.samples.append((sent, get(self.port, self.path)))

    def stop(self) -> list[tuple[float, Page]]:
        self.stopping.set()
        self.join(timeout=15)
        return self.samples


def write_while_polling(environment: dict, script: str, port: int, path: str) -> tuple[float, list]:
    """Runs the write in its own process while `port` is polled; returns
    when the write had committed (its process had exited) and the samples,
    polling on for half a second after."""
    poller = Poller(port, path)
    poller.start()
    time.sleep(0.3)
    manage(environment, "shell", "-c", script)
    committed = time.monotonic()
    time.sleep(0.5)
    return committed, poller.stop()


def test_two_servers_share_one_cache_and_neither_serves_a_stale_page_after_a_write(servers, environment):
    first, second = servers
    detail, listing = f"/exhibits/{SLUG}/", "/exhibits/"

    # One cache for both: what the first server rendered, the second serves.
    for path in (detail, listing):
        page = get(first, path)
        assert (page.status, page.cache) == (200, "miss")
        assert OLD_NAME in page.body
        assert get(second, path).cache == "hit"
        assert get(first, path).cache == "hit"

    committed, samples = write_while_polling(environment, RENAME, second, detail)

    after = [page for sent, page in samples if sent > committed]
    assert after, "no request reached the second server after the write"
    assert all(page.status == 200 and NEW_NAME in page.body for page in after)
    assert any(OLD_NAME in page.body for sent, page in samples if sent < committed), "the poll began too late"
    for port in (first, second):
        for path in (detail, listing):
            page = get(port, path)
            assert NEW_NAME in page.body, (port, path)
            assert OLD_NAME not in page.body, (port, path)


def test_an_unpublished_exhibit_disappears_from_both_servers_at_once(servers, environment):
    first, second = servers
    detail = f"/exhibits/{SLUG}/"
    assert get(first, detail).status == 200
    assert get(second, detail).cache == "hit"

    committed, samples = write_while_polling(environment, UNPUBLISH, first, detail)

    assert all(page.status == 404 for sent, page in samples if sent > committed)
    for port in (first, second):
        assert get(port, detail).status == 404
        assert OLD_NAME not in get(port, "/exhibits/").body
