"""A circuit breaker in front of Redis, for the page cache.

With Redis accepting connections but never answering, every cache call
waited for its socket timeout, and a page makes several: throughput fell
from about 300 to 6 pages a second. After a failed or timed-out call, this
process stops asking Redis for `REDIS_BREAKER_SECONDS` and the cache calls
fail at once (django-redis, told to ignore errors, answers them as misses:
pages come from the process's own copy or are rendered uncached); then one
call goes through, and its outcome closes the breaker or opens it again.

It is django-redis's REDIS_CLIENT_CLASS, so every command of every cache
call passes through `execute_command` (or a pipeline's `execute`) here, and
no call site knows about it. It also does the logging django-redis would
have done with a traceback per ignored error (a flood of log lines in an
outage): one warning when Redis fails, then at most one summary line per
`SUMMARY_SECONDS` while it stays unavailable, and one line when it is back."""

from __future__ import annotations

import logging
import threading
import time

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

SUMMARY_SECONDS = 60.0
# What says Redis is unreachable or hung. A ResponseError is Redis answering
# (an unknown command, a full memory without eviction): not an outage.
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class BreakerOpen(RedisConnectionError):
    """Raised instead of asking Redis while the breaker is open; a
    ConnectionError, so django-redis ignores it as it would a real one."""


class CircuitBreaker:
    """Closed (every call goes to Redis), open (none does, until `seconds`
    after the last failure), half-open (one call does; the others are
    refused until it returns). One per Redis address and process."""

    def __init__(self, seconds: float, clock=time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.lock = threading.Lock()
        self.open_until: float | None = None  # None: closed
        self.probing = False
        self.down_since = 0.0
        self.skipped = 0  # calls refused or failed since the last log line
        self.skipped_total = 0
        self.last_logged = 0.0

    def allow(self) -> bool:
        with self.lock:
            if self.open_until is None:
                return True
            now = self.clock()
            if now >= self.open_until and not self.probing:
                self.probing = True
                return True
            self._skip(now)
            return False

    def succeeded(self) -> None:
        if self.open_until is None:  # the common case, without the lock
            return
        with self.lock:
            if self.open_until is None:
                return
            now = self.clock()
            logger.warning(
                "Redis available again after %.1f s; %d cache calls skipped",
                now - self.down_since,
                self.skipped_total,
            )
            self.open_until = None
            self.probing = False
            self.skipped = self.skipped_total = 0

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = self.clock()
            if self.open_until is None:
                # One line, no traceback: the cause is in the error's text.
                logger.warning(
                    "Redis unavailable (%s: %s); cache calls skip it for %g s at a time",
                    type(error).__name__,
                    error,
                    self.seconds,
                )
                self.down_since = self.last_logged = now
            else:
                self._skip(now)
            self.open_until = now + self.seconds
            self.probing = False

    def _skip(self, now: float) -> None:
        self.skipped += 1
        self.skipped_total += 1
        if now - self.last_logged >= SUMMARY_SECONDS:
            logger.warning(
                "Redis unavailable for %.0f s, %d cache calls skipped in the last %.0f s",
                now - self.down_since,
                self.skipped,
                now - self.last_logged,
            )
            self.skipped = 0
            self.last_logged = now


_breakers: dict[tuple, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(connection_kwargs: dict, seconds: float) -> CircuitBreaker:
    address = tuple(connection_kwargs.get(name) for name in ("host", "port", "path", "db"))
    with _breakers_lock:
        if address not in _breakers:
            _breakers[address] = CircuitBreaker(seconds)
        return _breakers[address]


def _guarded(breaker: CircuitBreaker, call, *args, **kwargs):
    if not breaker.allow():
        raise BreakerOpen("Redis skipped: the circuit breaker is open")
    try:
        result = call(*args, **kwargs)
    except FAILURES as error:
        breaker.failed(error)
        raise
    except Exception:
        breaker.succeeded()  # Redis answered, with an error of the call's own
        raise
    except BaseException as error:
        # Interrupted (a worker timeout, an exit): not Redis's answer, but a
        # probe must not stay taken, or the breaker would never close.
        breaker.failed(error)
        raise
    breaker.succeeded()
    return result


class BreakerPipeline(Pipeline):
    breaker: CircuitBreaker

    def execute(self, raise_on_error: bool = True):
        return _guarded(self.breaker, super().execute, raise_on_error)


class BreakerRedis(Redis):
    """redis.Redis with the process's breaker for its address in front of
    every command. `breaker_seconds` comes from the cache's
    OPTIONS["REDIS_CLIENT_KWARGS"]."""

    def __init__(self, *args, breaker_seconds: float = 5.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker_for(self.connection_pool.connection_kwargs, breaker_seconds)

    def execute_command(self, *args, **options):
        return _guarded(self.breaker, super().execute_command, *args, **options)

    def pipeline(self, transaction: bool = True, shard_hint=None) -> Pipeline:
        pipeline = BreakerPipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        pipeline.breaker = self.breaker
        return pipeline
