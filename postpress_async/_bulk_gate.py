"""The rate gate: where every item of a bulk run waits before a request is sent.

It spaces requests out to the run's ``rate`` and holds everything back after a 429 whose
scope is the run. :func:`rate_limit_scope` reads a 429's scope; a 429 that concerns one
account pauses only that account's lane (``_bulk_lanes``), not the gate.
"""

from __future__ import annotations

import asyncio
import re
from typing import Final

from ._exceptions import RateLimitError
from ._retry import MAX_RETRY_AFTER, WAITS

__all__ = [
    "DEFAULT_RATE_LIMIT_PAUSE",
    "MAX_RATE_LIMIT_RETRIES",
    "RATE_LIMIT_SCOPE_HEADER",
    "RateGate",
    "pause_seconds",
    "rate_limit_scope",
]

# A 429 without Retry-After pauses the batch this long; the item is tried again this
# many times before it is reported failed (a 429 means the API did nothing).
DEFAULT_RATE_LIMIT_PAUSE: Final = 1.0
MAX_RATE_LIMIT_RETRIES: Final = 5


# A 429 concerns one account when this header says "account" (case-insensitive), or when
# its detail names the account: LinkedIn's limits are per account, while the API key's
# token bucket (the quickstart's) is the whole batch's. The contract names no header;
# this one is ours to honour if the API (or a proxy) ever sends it.
RATE_LIMIT_SCOPE_HEADER: Final = "X-RateLimit-Scope"


def rate_limit_scope(error: RateLimitError, account_id: str) -> str:
    """``"account"`` when the 429 shows it concerns ``account_id`` only, else ``"run"``."""
    for name, value in error.headers.items():
        if name.lower() == "x-ratelimit-scope":
            return "account" if value.strip().lower() == "account" else "run"
    detail = error.detail or ""
    # The id as a word of its own: "acc_1" must not match inside "acc_12".
    if account_id and re.search(rf"(?<![\w-]){re.escape(account_id)}(?![\w-])", detail):
        return "account"
    return "run"


def pause_seconds(retry_after: float | None) -> float:
    """How long a 429 pauses: its ``Retry-After`` (capped), 1 s without one, 0 when the
    tests switched retry waits off."""
    if not WAITS.enabled:
        return 0.0
    seconds = DEFAULT_RATE_LIMIT_PAUSE if retry_after is None else retry_after
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class RateGate:
    """The shared rate limit and 429 pauses of one run."""

    __slots__ = ("_interval", "_next_slot", "_paused_until", "idle")

    def __init__(self, rate: float | None) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0
        self._paused_until = 0.0
        # No rate limit and no 429 pause so far: nothing to wait for (the common case, where
        # awaiting wait() would cost two coroutines per request for nothing). An attribute,
        # read before every request; only pause() turns it off, for the rest of the run.
        self.idle = not self._interval

    async def _wait_out_pause(self, loop: asyncio.AbstractEventLoop) -> None:
        # A loop, not an Event: another 429 may push the end of the pause further out.
        while (delay := self._paused_until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)

    async def wait(self) -> None:
        """Return when the next request may be sent."""
        loop = asyncio.get_running_loop()
        await self._wait_out_pause(loop)
        if self._interval:
            now = loop.time()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await asyncio.sleep(slot - now)
            await self._wait_out_pause(loop)  # a 429 may have come in meanwhile

    def pause(self, retry_after: float | None) -> None:
        """Hold every request back after a 429 (``Retry-After`` seconds, capped)."""
        seconds = pause_seconds(retry_after)
        if not seconds:  # tests switch retry waits off; a 429 wait is one of them
            return
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)
        self.idle = False
