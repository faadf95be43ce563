"""``Idempotency-Key`` on POST and PATCH: the first result is stored and replayed.

The rules (documented in docs/sandbox.md):

- A key names one request: method, path and canonical JSON body (key order and spacing do
  not count). The same key with the same request replays the stored status and body.
- The same key with another request is refused: 422 ``errors/unprocessable_entity``.
- Only results that happened are stored: 2xx answers, and the committed result behind a
  commit-then-fail 504 (the action took effect; only the answer was lost). Errors are not
  stored, so a retry after "account disconnected" runs again once the account is back.
- A request arriving while the first with its key is still being handled waits for it,
  then replays its result (or runs itself if the first stored nothing).
- Keys expire 24 hours after they were stored, on the sandbox clock.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

from ._errors import SandboxError
from ._records import Clock

__all__ = ["KEY_LIFETIME", "IdempotencyStore", "Stored", "request_fingerprint"]

KEY_LIFETIME: Final = 24 * 3600.0
_MAX_KEY_LENGTH: Final = 255


@dataclass(frozen=True)
class Stored:
    """A stored result: what the first request with the key answered (or committed)."""

    fingerprint: str
    status: int
    body: bytes
    at: float


def request_fingerprint(method: str, path: str, body: Any) -> str:
    """Method, path and canonical body, hashed."""
    text = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_key(key: str) -> str:
    """A usable key: 1-255 visible ASCII characters."""
    if not key or len(key) > _MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise SandboxError(
            400,
            "errors/invalid_parameters",
            f"Idempotency-Key: expected 1 to {_MAX_KEY_LENGTH} visible ASCII characters",
        )
    return key


class IdempotencyStore:
    """Results by key, oldest first, purged as they expire on the sandbox clock."""

    def __init__(self, clock: Clock, lifetime: float = KEY_LIFETIME) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._results: OrderedDict[str, Stored] = OrderedDict()
        self._running: dict[str, asyncio.Event] = {}

    def __len__(self) -> int:
        return len(self._results)

    def _purge(self) -> None:
        # Stored in time order and the clock never goes back: expired keys are a prefix.
        horizon = self._clock.now() - self._lifetime
        while self._results:
            key, stored = next(iter(self._results.items()))
            if stored.at > horizon:
                break
            del self._results[key]

    def lookup(self, key: str, fingerprint: str) -> Stored | None:
        """The stored result to replay, ``None`` to run the request; raises on misuse."""
        self._purge()
        stored = self._results.get(key)
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise SandboxError(
                422,
                "errors/unprocessable_entity",
                "Idempotency-Key was already used with a different request "
                "(another method, path or body); use a new key for a new request",
            )
        return stored

    async def wait_turn(self, key: str) -> None:
        """Wait while another request with ``key`` is running, then take the turn."""
        while (event := self._running.get(key)) is not None:
            await event.wait()
        self._running[key] = asyncio.Event()

    def end_turn(self, key: str) -> None:
        """Let the next request with ``key`` look up what this one stored."""
        event = self._running.pop(key, None)
        if event is not None:
            event.set()

    def store(self, key: str, fingerprint: str, status: int, body: bytes) -> None:
        """Remember the result of the first request with ``key``."""
        self._results[key] = Stored(fingerprint, status, body, self._clock.now())
        self._results.move_to_end(key)
