"""The shared cache's backends (settings.CACHES), which hold the rate-limit counters of every process.

When the cache cannot be reached (Redis down, a full or unwritable disk) each operation acts as if the key
were missing and an error is logged at most once a minute: the limits then let requests through, and the
counter, the desk and the API stay up instead of failing every request with a 500.
"""

import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
UNREACHABLE = (OSError, RedisError)
LOG_INTERVAL_SECONDS = 60.0
# The file cache serialises a counter's read and write under one of a fixed number of lock files, so that
# processes counting the same key at once lose no hit, and the lock files never pile up.
LOCK_STRIPES = 64
_last_logged = -LOG_INTERVAL_SECONDS


def _unreachable(error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_INTERVAL_SECONDS:
        _last_logged = now
        logger.error("The shared cache cannot be reached; rate limits are not applied: %s", error)


class _FailOpen(BaseCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _unreachable(error)
            return default

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _unreachable(error)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _unreachable(error)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            _unreachable(error)
            raise ValueError(f"Key '{key}' not found") from error  # what incr says of a missing key

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _unreachable(error)
            return False


class FailOpenRedisCache(_FailOpen, RedisCache):
    """Redis (ANTWOORD_CACHE_URL), for installations on several machines."""


class _AtomicCounterFileCache(FileBasedCache):
    """Django's file cache reads, adds one and writes back: two processes counting at once both write the
    same number. Here `add` and `incr` hold an exclusive lock (flock) for their key meanwhile."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._locks = os.path.join(os.path.abspath(dir), "locks")

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        with self._locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        with self._locked(key, version):
            return super().incr(key, delta, version)

    @contextmanager
    def _locked(self, key: Any, version: int | None) -> Iterator[None]:
        name = self.make_and_validate_key(key, version)
        stripe = int(hashlib.sha256(name.encode()).hexdigest(), 16) % LOCK_STRIPES
        os.makedirs(self._locks, exist_ok=True)
        with open(os.path.join(self._locks, f"{stripe}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield


class FailOpenFileCache(_FailOpen, _AtomicCounterFileCache):
    """Files in the data directory, shared by the processes of one machine (the default)."""
