"""A fixed-window counter per client IP address, kept in the cache (Redis in
production), for limits that allauth and axes do not cover: wrong recording codes,
award votes.

An attempt first takes a slot with an atomic increment, so parallel requests cannot
slip past the limit together; ``give_back`` returns a slot when an attempt turns out
not to count (a right code is not a guess).
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.cache import cache
from django.utils import timezone


def _window_key(scope: str, ip: str | None, window_seconds: int, now: dt.datetime) -> str:
    return f"rate:{scope}:{ip or 'unknown'}:{int(now.timestamp()) // window_seconds}"


def take_slot(
    *,
    scope: str,
    ip: str | None,
    limit: int,
    window_seconds: int,
    now: dt.datetime | None = None,
) -> bool:
    """Count one attempt from ``ip`` in the current window; False once over ``limit``."""
    key = _window_key(scope, ip, window_seconds, now or timezone.now())
    try:
        attempts = cache.incr(key)
    except ValueError:  # the window's first attempt (or it has just ended)
        # Of two first attempts at once, one adds the counter and the other counts on it.
        attempts = 1 if cache.add(key, 1, timeout=window_seconds) else cache.incr(key)
    return attempts <= limit


def give_back(
    *, scope: str, ip: str | None, window_seconds: int, now: dt.datetime | None = None
) -> None:
    key = _window_key(scope, ip, window_seconds, now or timezone.now())
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(key)
