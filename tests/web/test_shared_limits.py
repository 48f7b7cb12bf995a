"""The rate limits hold over every process of an installation (serve forks several web workers): a client
over the limit in one process is over it in another, whether the counters are files or live in Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from antwoord.web.ratelimit import Limit

# One client per test process: the SQLite and PostgreSQL suites run side by side against the same Redis.
CLIENT = f"client-of-test-process-{os.getpid()}"
# A window of years: the test never straddles two windows.
LIMIT = Limit("shared", count=3, seconds=10**8)
REDIS_URL = "redis://127.0.0.1:6379/15"
REDIS_CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CHECK = (
    "import django; django.setup(); from antwoord.web.ratelimit import Limit; "
    f"print(Limit({LIMIT.name!r}, {LIMIT.count}, {LIMIT.seconds}).exceeded({CLIENT!r}))"
)


def another_process(cache_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "antwoord.settings",
        # The data directory the file cache of this process lies in (fixtures move DATA_DIR for the index).
        "ANTWOORD_DATA_DIR": str(settings.CACHE_DIR.parent),
        "ANTWOORD_CACHE_URL": cache_url,
    }
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def over_the_limit_in_another_process(cache_url: str) -> bool:
    result = another_process(cache_url)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def use_up_the_limit() -> None:
    assert [LIMIT.hit(CLIENT) for _ in range(LIMIT.count + 1)] == [True] * LIMIT.count + [False]


def test_by_default_the_counters_are_files_every_process_of_the_machine_shares() -> None:
    assert not over_the_limit_in_another_process("")
    use_up_the_limit()
    assert over_the_limit_in_another_process("")
    LIMIT.reset(CLIENT)
    assert not over_the_limit_in_another_process("")


def test_with_a_cache_url_the_counters_live_in_redis() -> None:
    with override_settings(CACHES=REDIS_CACHES):
        LIMIT.reset(CLIENT)
        try:
            use_up_the_limit()
            assert over_the_limit_in_another_process(REDIS_URL)
            assert not over_the_limit_in_another_process("")  # not in the files
        finally:
            LIMIT.reset(CLIENT)
        assert not over_the_limit_in_another_process(REDIS_URL)


@pytest.mark.parametrize("cache_url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379"])
def test_a_cache_url_of_another_kind_is_refused_with_a_clear_message(cache_url: str) -> None:
    result = another_process(cache_url)
    assert result.returncode != 0
    assert "ANTWOORD_CACHE_URL must start with redis://, rediss:// or unix://." in result.stderr


BURST_PROCESSES = 4
BURST_HITS = 150
BURST = Limit("burst", count=BURST_PROCESSES * BURST_HITS, seconds=10**8)
HIT_IN_A_BURST = (
    "import django, pathlib, sys, time; django.setup(); from antwoord.web.ratelimit import Limit; "
    "folder = pathlib.Path(sys.argv[1]); (folder / sys.argv[2]).touch(); "
    "[time.sleep(0.005) for _ in iter(lambda: not (folder / 'go').exists(), False)]; "
    f"limit = Limit({BURST.name!r}, {BURST.count}, {BURST.seconds}); "
    f"[limit.hit({CLIENT!r}) for _ in range({BURST_HITS})]"
)


def test_a_burst_from_several_processes_at_once_is_counted_hit_by_hit_in_the_files(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "antwoord.settings", "ANTWOORD_CACHE_URL": ""}
    env["ANTWOORD_DATA_DIR"] = str(settings.CACHE_DIR.parent)
    BURST.reset(CLIENT)
    processes = [
        subprocess.Popen([sys.executable, "-c", HIT_IN_A_BURST, str(tmp_path), f"ready-{n}"], env=env)
        for n in range(BURST_PROCESSES)
    ]
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("ready-*"))) < BURST_PROCESSES and time.monotonic() < deadline:
            time.sleep(0.01)
        (tmp_path / "go").touch()  # all start counting at once
        assert [p.wait(timeout=120) for p in processes] == [0] * BURST_PROCESSES
        # Every hit counted: the limit is used up exactly, and the next hit is refused.
        assert BURST.exceeded(CLIENT)
        assert not BURST.hit(CLIENT)
    finally:
        for process in processes:
            process.kill()
        BURST.reset(CLIENT)
