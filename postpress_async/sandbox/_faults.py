"""Seeded fault injection that does not depend on the order requests arrive in.

A shared random stream would hand out faults by arrival order, so two runs of the same
concurrent test would fault different drafts. Instead every decision is a pure function
of ``(seed, endpoint, draft_id, attempt, purpose)`` hashed to a number in ``[0, 1)``, where
``attempt`` counts that draft's requests on that endpoint. Same seed and same per-draft
history give the same faults, whatever the interleaving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "DEFAULT_FAULT_ENDPOINTS",
    "ENDPOINTS",
    "SERVICE_UNAVAILABLE_TYPES",
    "Fault",
    "Faults",
    "decide",
    "latency_for",
    "unit",
]

# Every API endpoint by the name the sandbox gives it (stats, faults, docs).
ENDPOINTS: Final = frozenset(
    {
        "search_parameters",
        "create",
        "edit",
        "publish",
        "checkpoint",
        "get_job",
        "list_jobs",
        "close",
        "list_applicants",
        "get_applicant",
        "resume",
        "list_accounts",
        "get_account",
    }
)
# Faults hit the calls that change something unless told otherwise: those are the ones
# whose lost answers make duplicates. Reads can be added with ``Faults(endpoints=...)``.
DEFAULT_FAULT_ENDPOINTS: Final = frozenset({"create", "edit", "publish", "checkpoint", "close"})

SERVICE_UNAVAILABLE_TYPES: Final = (
    "errors/no_client_session",
    "errors/no_channel",
    "errors/no_handler",
    "errors/network_down",
    "errors/service_unavailable",
)


@dataclass(frozen=True, slots=True)
class Fault:
    """One decided fault: ``kind`` is an error type, ``"drop_connection"`` or
    ``"commit_then_fail"``; ``status`` is 0 for a dropped connection."""

    kind: str
    status: int


def _normalise_503(
    value: float | Mapping[str, float],
) -> tuple[tuple[str, float], ...]:
    if isinstance(value, Mapping):
        rates = []
        for name, rate in value.items():
            type_ = name if name.startswith("errors/") else f"errors/{name}"
            if type_ not in SERVICE_UNAVAILABLE_TYPES:
                raise ValueError(f"not a 503 error type: {name!r}")
            rates.append((type_, float(rate)))
        return tuple(rates)
    share = float(value) / len(SERVICE_UNAVAILABLE_TYPES)
    return tuple((type_, share) for type_ in SERVICE_UNAVAILABLE_TYPES)


@dataclass(frozen=True)
class Faults:
    """Probabilities (0.0 to 1.0, summing to at most 1.0) of each fault per request.

    ``service_unavailable`` is either one rate spread evenly over the five 503 types or a
    mapping of type (``"no_channel"`` or ``"errors/no_channel"``) to rate. ``latency`` is a
    fixed delay in seconds or a ``(min, max)`` range, applied before any other outcome.
    ``retry_after`` is the ``Retry-After`` header (seconds) sent with the 429.
    ``first_attempts`` limits faults (not latency) to each draft's first N attempts per
    endpoint, e.g. ``Faults(commit_then_fail=1.0, first_attempts=1)``: the first publish
    commits then times out, the retry reaches the real answer. ``endpoints`` names the
    endpoints faults and latency apply to (default: create, edit, publish, checkpoint,
    close; see ``ENDPOINTS``).
    """

    provider_error: float = 0.0
    unexpected_error: float = 0.0
    service_unavailable: float | Mapping[str, float] = 0.0
    request_timeout: float = 0.0
    rate_limited: float = 0.0
    retry_after: int = 1
    latency: float | tuple[float, float] = 0.0
    drop_connection: float = 0.0
    commit_then_fail: float = 0.0
    first_attempts: int | None = None
    endpoints: frozenset[str] = DEFAULT_FAULT_ENDPOINTS
    # Cumulative thresholds, computed once so each request walks a short tuple.
    _table: tuple[tuple[float, Fault], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries: list[tuple[float, Fault]] = []
        rows: list[tuple[float, Fault]] = [
            (self.drop_connection, Fault("drop_connection", 0)),
            (self.rate_limited, Fault("errors/too_many_requests", 429)),
            (self.provider_error, Fault("errors/provider_error", 500)),
            (self.unexpected_error, Fault("errors/unexpected_error", 500)),
            *(
                (rate, Fault(type_, 503))
                for type_, rate in _normalise_503(self.service_unavailable)
            ),
            (self.request_timeout, Fault("errors/request_timeout", 504)),
            (self.commit_then_fail, Fault("commit_then_fail", 504)),
        ]
        total = 0.0
        for rate, fault in rows:
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{fault.kind}: rate {rate} is not between 0 and 1")
            if rate > 0.0:
                total += rate
                entries.append((total, fault))
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {total}, more than 1.0")
        low, high = self.latency_range
        if low < 0 or high < low:
            raise ValueError(f"latency must be >= 0 and min <= max, got {self.latency!r}")
        if self.first_attempts is not None and self.first_attempts < 0:
            raise ValueError("first_attempts must be >= 0")
        endpoints = frozenset(self.endpoints)
        unknown = sorted(endpoints - ENDPOINTS)
        if unknown:
            raise ValueError(
                f"unknown endpoint(s) {', '.join(unknown)}; known: {', '.join(sorted(ENDPOINTS))}"
            )
        object.__setattr__(self, "endpoints", endpoints)
        if self.retry_after < 0:
            raise ValueError("retry_after must be >= 0")
        object.__setattr__(self, "_table", tuple(entries))

    @property
    def latency_range(self) -> tuple[float, float]:
        """Latency as a ``(min, max)`` pair of seconds."""
        if isinstance(self.latency, tuple):
            return (float(self.latency[0]), float(self.latency[1]))
        return (float(self.latency), float(self.latency))

    @property
    def active(self) -> bool:
        """Whether any fault or latency can happen (lets the hot path skip hashing)."""
        return bool(self._table) or self.latency_range[1] > 0

    @classmethod
    def transient(
        cls,
        rate: float,
        *,
        retry_after: int = 1,
        first_attempts: int | None = None,
        endpoints: frozenset[str] = DEFAULT_FAULT_ENDPOINTS,
    ) -> Faults:
        """Spread ``rate`` evenly over the faults a client should retry: 500
        ``provider_error``, the 503 types, 504 ``request_timeout`` and commit-then-fail."""
        share = rate / 4
        return cls(
            provider_error=share,
            service_unavailable=share,
            request_timeout=share,
            commit_then_fail=share,
            retry_after=retry_after,
            first_attempts=first_attempts,
            endpoints=endpoints,
        )


def unit(seed: int, endpoint: str, draft_id: str, attempt: int, purpose: str) -> float:
    """A deterministic number in ``[0, 1)`` for one decision."""
    key = f"{seed}\x00{endpoint}\x00{draft_id}\x00{attempt}\x00{purpose}".encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


def decide(faults: Faults, seed: int, endpoint: str, draft_id: str, attempt: int) -> Fault | None:
    """The fault (if any) for this attempt."""
    if not faults._table:
        return None
    if faults.first_attempts is not None and attempt >= faults.first_attempts:
        return None
    u = unit(seed, endpoint, draft_id, attempt, "fault")
    for threshold, fault in faults._table:
        if u < threshold:
            return fault
    return None


def latency_for(faults: Faults, seed: int, endpoint: str, draft_id: str, attempt: int) -> float:
    """Seconds to wait before answering this attempt."""
    low, high = faults.latency_range
    if high <= 0:
        return 0.0
    if high == low:
        return low
    return low + (high - low) * unit(seed, endpoint, draft_id, attempt, "latency")
