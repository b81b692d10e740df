"""Faults, end to end: the portal under gunicorn on 127.0.0.1, as `make
serve` runs it (DEBUG off, whitenoise, the connection pool), on a private
PostgreSQL cluster and a private Redis that this test creates, breaks and
removes. The shared cluster is never touched.

Under a bounded load (a few client threads, every request with a timeout):
- Redis going away changes nothing but speed: every request still 200;
- restarting PostgreSQL fails only requests that overlap the restart, each
  with a 503 page, and the site recovers by itself within seconds;
- with PostgreSQL stopped, pages answer 503 fast (not a hang), /healthz too,
  and once it is back the site recovers by itself.

Needs root (the cluster runs as the `postgres` OS user) and PostgreSQL's
server binaries. Without them the test is skipped with the reason, except in
CI, where it fails."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.public_urls import PUBLIC_PATHS

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parent.parent
PG_PORTS = range(5440, 5450)
HTTP_PORTS = range(8240, 8260)
REDIS_PORTS = range(8260, 8280)
REQUEST_TIMEOUT = 10.0
CLIENT_THREADS = 4
# With the database down a page may wait DATABASE_CONNECT_TIMEOUT for it.
CONNECT_TIMEOUT = 2
FAST_503 = CONNECT_TIMEOUT + 1.5
RECOVERY_SECONDS = 5.0
PATHS = [*PUBLIC_PATHS, "/en/", "/search/?q=稀土", "/healthz"]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the fault test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def run(command: list[str], timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


class PrivateCluster:
    """A throwaway PostgreSQL cluster owned by the `postgres` OS user, in a
    temporary directory, on 127.0.0.1 and a socket in that directory."""

    def __init__(self, bindir: Path, base: Path, port: int) -> None:
        self.bindir, self.port = bindir, port
        self.data, self.log = base / "data", base / "postgres.log"
        self.socket_dir = base

    def _as_postgres(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return run(["runuser", "-u", "postgres", "--", *args], timeout=timeout)

    def init(self) -> None:
        self._as_postgres(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30",
            "start", timeout=40,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@dataclass
class Outcome:
    started: float
    ended: float
    path: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    error: str = ""


@dataclass
class Load:
    """A few client threads, each requesting the public pages in turn, one
    request at a time, each with a timeout, until stopped."""

    base: str
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, offset: int) -> None:
        i = offset
        while not self._stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            started = time.monotonic()
            status, error = None, ""
            try:
                url = self.base + urllib.parse.quote(path, safe="/?=&")
                with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as http_error:
                http_error.read()
                status = http_error.code
            except (OSError, urllib.error.URLError) as failure:
                error = repr(failure)
            self.outcomes.append(Outcome(started, time.monotonic(), path, status, error))

    def start(self) -> None:
        for n in range(CLIENT_THREADS):
            thread = threading.Thread(target=self._client, args=(n * 3,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 2)
        assert not any(thread.is_alive() for thread in self._threads), "a client thread hung"

    def between(self, start: float, end: float) -> list[Outcome]:
        return [o for o in list(self.outcomes) if start <= o.started < end]


def get(url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started


def describe(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        key = str(o.status) if o.status else f"no answer ({o.error[:60]})"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key}: {n}" for key, n in sorted(counts.items()))


@pytest.fixture(scope="module")
def served_portal() -> Iterator[tuple[str, PrivateCluster, subprocess.Popen]]:
    bindir = postgres_bin()
    if os.geteuid() != 0:
        unavailable("it must run as root, to run a private PostgreSQL cluster as the postgres OS user")
    if bindir is None or shutil.which("runuser") is None:
        unavailable("PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb) or runuser are missing")
    if shutil.which("redis-server") is None:
        unavailable("redis-server is missing")
    try:
        postgres_user = pwd.getpwnam("postgres")
    except KeyError:
        unavailable("there is no postgres OS user")

    base = Path(tempfile.mkdtemp(prefix="portal-faults-"))
    os.chown(base, postgres_user.pw_uid, postgres_user.pw_gid)
    cluster = PrivateCluster(bindir, base, free_port(PG_PORTS))
    redis = gunicorn = None
    try:
        cluster.init()
        cluster.start()
        run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "portal"])

        redis_port = free_port(REDIS_PORTS)
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        http_port = free_port(HTTP_PORTS)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "GUNICORN_", "SECURE_", "PAGE_", "DJANGO_"))
        }
        env |= {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{http_port}",
            # The faults under test are the writer's; no reader role here.
            "ALLOW_WRITER_READS": "true",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": cluster.url("portal"),
            "DATABASE_POOL": "true",
            "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "STATIC_ROOT": str(base / "static"),
            "PORT": str(http_port),
            "GUNICORN_WORKERS": "2",
            "GUNICORN_TIMEOUT": "20",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        # collectstatic needs no database: it runs beside the data load.
        collect = subprocess.Popen(
            [*manage, "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, timeout=120)
        run([*manage, "load_portal_data"], env=env, cwd=ROOT, timeout=120)
        output, _ = collect.communicate(timeout=120)
        assert collect.returncode == 0, output.decode()

        gunicorn_log = open(base / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "shell.wsgi:application", "-c", "shell/gunicorn_conf.py"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base_url = f"http://127.0.0.1:{http_port}"
        wait_for(lambda: get(base_url + "/healthz", timeout=2)[0] == 200, 30, "gunicorn to serve /healthz")
        yield base_url, cluster, redis
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait(timeout=5)
        if redis is not None and redis.poll() is None:
            redis.kill()
            redis.wait(timeout=5)
        if cluster.running():
            cluster.stop(mode="immediate")
        shutil.rmtree(base, ignore_errors=True)


def wait_until_a_second_of_load_is_all_200(base_url: str) -> None:
    """Start from a healthy site: after this module's database tests, a
    worker's connection pool may still be reconnecting (each of the gunicorn
    workers has its own), which is that test's subject, not this one's."""

    def healthy_second() -> bool:
        load = Load(base_url)
        load.start()
        time.sleep(1)
        load.stop()
        return bool(load.outcomes) and all(o.status == 200 for o in load.outcomes)

    wait_for(healthy_second, 30, "a second of load answered 200 throughout")


def test_redis_going_away_changes_nothing_but_speed(served_portal):
    base_url, _cluster, redis = served_portal
    wait_until_a_second_of_load_is_all_200(base_url)
    load = Load(base_url)
    load.start()
    try:
        time.sleep(2)
        redis.kill()
        redis.wait(timeout=5)
        gone = time.monotonic()
        time.sleep(3)
    finally:
        load.stop()

    before, after = load.between(0, gone), load.between(gone, time.monotonic())
    assert before and after
    assert all(o.status == 200 for o in before + after), describe(before + after)
    assert max(o.ended - o.started for o in after) < 2, "a request waited on the missing Redis"


def test_a_postgres_restart_fails_only_requests_during_it_and_the_site_recovers(served_portal):
    base_url, cluster, _redis = served_portal
    load = Load(base_url)
    load.start()
    try:
        time.sleep(2)
        restart_began = time.monotonic()
        cluster.restart()
        restart_ended = time.monotonic()
        time.sleep(RECOVERY_SECONDS + 2)
    finally:
        load.stop()

    everything = load.between(0, time.monotonic())
    before = [o for o in everything if o.ended < restart_began]
    failed = [o for o in everything if o.status != 200]
    assert before and all(o.status == 200 for o in before), describe(before)
    # Every failure is a 503 page, never a 500, a dropped connection or a hang...
    assert all(o.status == 503 for o in failed), describe(failed)
    # ...and overlaps the restart: in flight when it began, or begun while
    # the database was down.
    assert all(o.ended >= restart_began and o.started <= restart_ended + 0.5 for o in failed), describe(failed)
    # The site recovers by itself, within seconds.
    after_recovery = load.between(restart_ended + RECOVERY_SECONDS, time.monotonic())
    assert after_recovery and all(o.status == 200 for o in after_recovery), describe(after_recovery)
    print(f"\nrestart took {restart_ended - restart_began:.1f}s; {len(everything)} requests: {describe(everything)}")


def test_with_postgres_down_pages_answer_503_fast_and_recover_once_it_is_back(served_portal):
    base_url, cluster, _redis = served_portal
    cluster.stop()
    try:
        paths = ["/", "/exhibits/", "/en/craftsmen/gao-fenglin/", "/healthz"]
        answers = [(path, *get(base_url + path)) for path in paths]
    finally:
        cluster.start()
    restarted = time.monotonic()

    assert [status for _, status, _ in answers] == [503] * len(answers), answers
    assert all(seconds < FAST_503 for _, _, seconds in answers), answers
    wait_for(lambda: get(base_url + "/exhibits/")[0] == 200, RECOVERY_SECONDS, "the site to recover")
    print(f"\n503 in at most {max(s for _, _, s in answers):.2f}s; recovered {time.monotonic() - restarted:.1f}s later")
