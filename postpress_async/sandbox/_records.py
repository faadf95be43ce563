"""What the sandbox remembers about what happened: the clock, the ledger and the counters.

The ledger is the point of the sandbox for a test: every accepted publish and every created
draft, so "each draft created once, published once" is one assertion. Readers on other
threads (``SandboxThread``) get copies: copying a list or dict is a single step under the
GIL, which is "thread-safe enough" for test assertions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Clock", "CreationEntry", "Ledger", "LedgerEntry", "Stats"]


class Clock:
    """The sandbox's time: the wall clock plus an offset a test can move forward.

    Idempotency keys expire and jobs leave ``review`` on this clock, so a test can jump a day
    ahead with ``advance(86400)`` instead of sleeping.
    """

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Sandbox time, in Unix seconds."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward (never backward: expiry must stay monotonic)."""
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(f"the clock only moves forward, got {seconds!r} seconds")
        self._offset += seconds

    @property
    def offset(self) -> float:
        """How far sandbox time is ahead of the wall clock, in seconds."""
        return self._offset


@dataclass(frozen=True)
class LedgerEntry:
    """One accepted publish: the thing that must happen at most once per draft."""

    draft_id: str
    account_id: str
    mode: str
    service: str
    budget: dict[str, Any] | None
    credits_spent: int
    request_id: str
    at: float

    def to_json(self) -> dict[str, Any]:
        """The entry as served by ``GET /_sandbox/ledger``."""
        return asdict(self)


@dataclass(frozen=True)
class CreationEntry:
    """One created draft. ``fingerprint`` hashes the account and the canonical body, so two
    drafts created from the same definition (a blind retry) share it."""

    job_id: str
    account_id: str
    title: str
    fingerprint: str
    idempotency_key: str | None
    request_id: str
    at: float

    def to_json(self) -> dict[str, Any]:
        """The entry as served by ``GET /_sandbox/ledger``."""
        return asdict(self)


class Ledger:
    """Every accepted publish and every created draft, in order."""

    def __init__(self) -> None:
        self._entries: list[LedgerEntry] = []
        self._counts: dict[str, int] = {}
        self._creations: list[CreationEntry] = []
        self._by_fingerprint: dict[str, list[str]] = {}

    def record(self, entry: LedgerEntry) -> None:
        """Append a publish (sandbox-internal)."""
        self._entries.append(entry)
        self._counts[entry.draft_id] = self._counts.get(entry.draft_id, 0) + 1

    def record_creation(self, entry: CreationEntry) -> None:
        """Append a created draft (sandbox-internal)."""
        self._creations.append(entry)
        self._by_fingerprint.setdefault(entry.fingerprint, []).append(entry.job_id)

    @property
    def entries(self) -> list[LedgerEntry]:
        """A copy of the publishes, oldest first."""
        return list(self._entries)

    @property
    def creations(self) -> list[CreationEntry]:
        """A copy of the created drafts, oldest first."""
        return list(self._creations)

    def published_count(self, draft_id: str) -> int:
        """How many times ``draft_id`` was published (more than 1 is the bug to catch)."""
        return self._counts.get(draft_id, 0)

    def duplicates(self) -> dict[str, int]:
        """Drafts published more than once, with their counts."""
        return {draft_id: n for draft_id, n in dict(self._counts).items() if n > 1}

    def duplicate_creations(self) -> list[list[str]]:
        """Groups of job ids created from the same account and the same body (a create sent
        twice without an idempotency key, or with two keys). Empty when each draft was
        created once."""
        groups = dict(self._by_fingerprint)
        return [list(ids) for ids in groups.values() if len(ids) > 1]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self.entries)

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /_sandbox/ledger``."""
        entries = self.entries
        creations = self.creations
        return {
            "entries": [entry.to_json() for entry in entries],
            "duplicates": self.duplicates(),
            "total": len(entries),
            "creations": [entry.to_json() for entry in creations],
            "duplicate_creations": self.duplicate_creations(),
            "total_creations": len(creations),
        }


class Stats:
    """Request counters for the API endpoints (the ``/_sandbox/`` routes are not counted).

    ``max_in_flight`` is the most requests the sandbox was handling at once, which is how
    bulk tests prove a client's concurrency bound; ``connections`` counts distinct client
    connections (peer addresses), which shows keep-alive reuse; ``idempotent_replays`` counts
    answers replayed from a stored ``Idempotency-Key`` result.
    """

    def __init__(self) -> None:
        self.total_requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.dropped_connections = 0
        self.idempotent_replays = 0
        self._status_counts: dict[int, int] = {}
        self._endpoint_counts: dict[str, int] = {}
        self._peers: set[object] = set()

    @property
    def status_counts(self) -> dict[int, int]:
        """Responses by HTTP status (dropped connections are not responses)."""
        return dict(self._status_counts)

    @property
    def endpoint_counts(self) -> dict[str, int]:
        """Requests by endpoint name (``create``, ``publish``, ``list_applicants``...)."""
        return dict(self._endpoint_counts)

    @property
    def connections(self) -> int:
        """Distinct client connections seen."""
        return len(self._peers)

    def started(self, peer: object) -> None:
        """Count a request entering the sandbox."""
        self.total_requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._peers.add(peer)

    def routed(self, endpoint: str) -> None:
        """Count a request that matched an endpoint."""
        self._endpoint_counts[endpoint] = self._endpoint_counts.get(endpoint, 0) + 1

    def finished(self, status: int | None) -> None:
        """Count a request leaving (``None`` for a dropped connection)."""
        self.in_flight -= 1
        if status is None:
            self.dropped_connections += 1
        else:
            self._status_counts[status] = self._status_counts.get(status, 0) + 1

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /_sandbox/stats``."""
        return {
            "total_requests": self.total_requests,
            "status_counts": {str(k): v for k, v in sorted(self.status_counts.items())},
            "endpoint_counts": dict(sorted(self.endpoint_counts.items())),
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "connections": self.connections,
            "dropped_connections": self.dropped_connections,
            "idempotent_replays": self.idempotent_replays,
        }
