"""The circuit breaker in front of Redis (portal/redis_breaker.py): with a
Redis that accepts connections and never answers, pages wait for one socket
timeout per breaker window, not one per cache call; and the outage is
logged in a line, then in a summary a minute, never a traceback per call."""

import logging
import socket
import threading
import time

import pytest
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.redis_breaker import CircuitBreaker, _guarded

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5
REQUESTS = 10


class HungRedis:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:  # closed
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung_redis(settings):
    redis = HungRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            # As shell/settings.py sets them, with a longer timeout so that
            # one wait stands out from the time pages take.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
                "SOCKET_TIMEOUT": TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "portal.redis_breaker.BreakerRedis",
                "REDIS_CLIENT_KWARGS": {"breaker_seconds": 5},
            },
        },
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
    yield redis
    redis.close()


def timed_pages(client, urls: list[str]) -> tuple[float, list]:
    started = time.monotonic()
    responses = [client.get(urls[number % len(urls)]) for number in range(REQUESTS)]
    return time.monotonic() - started, responses


def test_with_redis_hung_many_pages_wait_for_one_timeout_not_one_each(client, exhibit, hung_redis, settings):
    urls = [f"/exhibits/{exhibit.slug}/", "/exhibits/", "/"]
    elapsed, responses = timed_pages(client, urls)
    # The same pages with no shared cache at all: what they cost to render.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    rendering, _ = timed_pages(client, urls)

    assert [response.status_code for response in responses] == [200] * REQUESTS
    # Without the breaker each of these pages' several cache calls waited
    # TIMEOUT: over 2 × REQUESTS timeouts in all (10.8 s against 0.9).
    waited = elapsed - rendering
    assert waited < 3 * TIMEOUT, f"{REQUESTS} pages waited {waited:.2f} s for Redis"
    assert len(hung_redis.accepted) == 1
    # Nothing could be cached: every page was rendered afresh.
    assert {response["X-Page-Cache"] for response in responses} == {"miss"}


def test_a_hung_redis_is_logged_once_in_one_line_without_a_traceback(client, exhibit, hung_redis, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(REQUESTS):
        client.get("/exhibits/")

    redis_records = [record for record in caplog.records if "redis" in record.name.lower()]
    assert len(redis_records) == 1
    [record] = redis_records
    assert (record.name, record.levelno, record.exc_info) == ("portal.redis_breaker", logging.WARNING, None)
    assert "Redis unavailable" in record.getMessage() and "\n" not in record.getMessage()
    assert not [record for record in caplog.records if record.exc_info]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_after_its_window_the_breaker_lets_one_call_through_and_closes_if_it_succeeds(caplog):
    clock = Clock()
    breaker = CircuitBreaker(5, clock=clock)
    assert breaker.allow()
    breaker.failed(TimeoutError("Timeout reading from socket"))
    assert not breaker.allow()
    clock.now += 4.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # others wait for it
    breaker.failed(TimeoutError("Timeout reading from socket"))
    clock.now += 4.9
    assert not breaker.allow()  # open again, for a whole window
    clock.now += 0.2
    assert breaker.allow()
    with caplog.at_level(logging.WARNING, logger="portal.redis_breaker"):
        breaker.succeeded()
    assert breaker.allow() and breaker.allow()
    assert "Redis available again after 10.2 s; 5 cache calls skipped" in caplog.messages


def test_while_redis_stays_down_a_summary_is_logged_once_a_minute(caplog):
    clock = Clock()
    breaker = CircuitBreaker(5, clock=clock)
    with caplog.at_level(logging.WARNING, logger="portal.redis_breaker"):
        breaker.failed(ConnectionError("Connection refused"))
        for _ in range(720):  # eight calls a second for a minute and a half
            clock.now += 0.125
            if breaker.allow():
                breaker.failed(ConnectionError("Connection refused"))
    assert len(caplog.records) == 2
    assert caplog.messages[0] == (
        "Redis unavailable (ConnectionError: Connection refused); cache calls skip it for 5 s at a time"
    )
    assert caplog.messages[1] == "Redis unavailable for 60 s, 480 cache calls skipped in the last 60 s"
    assert all(record.exc_info is None for record in caplog.records)


def test_a_probe_that_redis_answers_with_an_error_still_closes_the_breaker():
    clock = Clock()
    breaker = CircuitBreaker(5, clock=clock)

    def timing_out():
        raise RedisTimeoutError("Timeout reading from socket")

    def refused_by_redis():
        raise ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    with pytest.raises(RedisTimeoutError):
        _guarded(breaker, timing_out)
    clock.now += 5
    with pytest.raises(ResponseError):
        _guarded(breaker, refused_by_redis)
    assert breaker.allow() and breaker.allow()


def test_a_probe_interrupted_mid_call_does_not_leave_the_breaker_open_for_good():
    clock = Clock()
    breaker = CircuitBreaker(5, clock=clock)

    def timing_out():
        raise RedisTimeoutError("Timeout reading from socket")

    def interrupted():
        raise KeyboardInterrupt  # as a worker's timeout or exit would, mid-call

    with pytest.raises(RedisTimeoutError):
        _guarded(breaker, timing_out)
    clock.now += 5
    with pytest.raises(KeyboardInterrupt):
        _guarded(breaker, interrupted)
    clock.now += 5
    # The next window's probe is let through, and Redis answering closes it.
    assert _guarded(breaker, lambda: "PONG") == "PONG"
    assert breaker.allow() and breaker.allow()
