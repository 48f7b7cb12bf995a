"""Rate limits for pages anyone can reach: a counter per client and time window in Django's cache.

The counters live in the default cache, which every process of the installation shares (settings.CACHES:
files in the data directory, or Redis with ANTWOORD_CACHE_URL), so a client gets the limit once, not once
per web worker; a burst of parallel requests is counted hit by hit in both (antwoord.ops.cache).
When the cache cannot be reached (Redis down, a full disk), the limits let everyone through and an error is
logged (antwoord.ops.cache): a resident must reach the counter, and the password check still holds.

Behind a reverse proxy every request comes from the proxy's address; set ANTWOORD_PROXY_HOPS (settings
PROXY_HOPS) to the number of proxies in front, and the client's address is read from X-Forwarded-For.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one key, in fixed windows."""

    name: str
    count: int
    seconds: int

    def _key(self, identity: str) -> str:
        window = int(time.time()) // self.seconds
        # Hashed: the identity may hold a username or anything a client sent, and cache keys have limits.
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"antwoord-limit:{self.name}:{digest}:{window}"

    def hit(self, identity: str) -> bool:
        """Count one hit; False when it goes over the limit."""
        key = self._key(identity)
        cache.add(key, 0, self.seconds)
        try:
            return cache.incr(key) <= self.count
        except ValueError:  # expired between add and incr: this is the first hit of a new window
            cache.add(key, 1, self.seconds)
            return True

    def exceeded(self, identity: str) -> bool:
        """Whether the limit is used up, without counting."""
        return int(cache.get(self._key(identity), 0)) >= self.count

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity))

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return self.seconds - int(time.time()) % self.seconds

    def wait_in_words(self) -> str:
        minutes = -(-self.retry_after() // 60)
        return "1 minuut" if minutes == 1 else f"{minutes} minuten"


def too_many(request: HttpRequest, limit: Limit, message: str) -> HttpResponse:
    """The page for a client over the limit: 429, with when to try again for people and for programs."""
    response = render(request, "web/problem.html", {"message": message}, status=429)
    response["Retry-After"] = str(limit.retry_after())
    return response


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind PROXY_HOPS proxies the address the outermost one saw."""
    hops = settings.PROXY_HOPS
    if hops > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [part.strip() for part in header.split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))
