"""The sandbox's memory: drafts, accounts, the publish ledger and request counters.

All mutation happens on the sandbox's event loop, one handler step at a time, so no locks
are needed there. Readers on other threads (``SandboxThread``) get copies: copying a list
or dict is a single step under the GIL, which is "thread-safe enough" for test assertions.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ._errors import SandboxError
from ._faults import unit
from ._validate import CHECKPOINT_TYPES, JOB_STATES, CheckpointRequest, PublishRequest

__all__ = [
    "DEFAULT_CREDIT_COSTS",
    "Account",
    "Draft",
    "Ledger",
    "LedgerEntry",
    "State",
    "Stats",
    "generate_drafts",
]

DEFAULT_CREDIT_COSTS: Mapping[str, int] = {"FREE": 0, "PROMOTED": 1, "PROMOTED_PLUS": 2}


@dataclass(frozen=True)
class Draft:
    """A draft the sandbox knows.

    ``checkpoints`` is the sequence LinkedIn demands before publishing, as
    ``(type, expected_input)`` pairs with type ``"EMAIL_VERIFICATION"`` or ``"OTP"``.
    """

    draft_id: str
    free_eligible: bool = True
    checkpoints: tuple[tuple[str, str], ...] = ()
    job_state: str = "active"

    def __post_init__(self) -> None:
        if not self.draft_id:
            raise ValueError("draft_id must not be empty")
        if self.job_state not in JOB_STATES:
            raise ValueError(f"job_state must be one of {sorted(JOB_STATES)}")
        object.__setattr__(self, "checkpoints", tuple(tuple(c) for c in self.checkpoints))
        for checkpoint in self.checkpoints:
            if len(checkpoint) != 2 or checkpoint[0] not in CHECKPOINT_TYPES:
                raise ValueError(f"checkpoint must be (type, input), got {checkpoint!r}")


@dataclass
class Account:
    """An account: ``credits``/``job_slots`` of ``None`` mean unlimited.

    The sandbox decrements both as drafts are published, so tests can read what is left.
    """

    account_id: str
    credits: int | None = None
    job_slots: int | None = None


def generate_drafts(
    n: int,
    *,
    seed: int = 0,
    checkpoint_fraction: float = 0.0,
    not_free_fraction: float = 0.0,
    id_format: str = "draft-{:05d}",
) -> list[Draft]:
    """``n`` drafts ``draft-00001``... whose traits are a pure function of the seed.

    A checkpoint draft demands one OTP (or email token) whose expected input is six digits
    derived from the seed, readable from the returned ``Draft``.
    """
    drafts = []
    for i in range(1, n + 1):
        draft_id = id_format.format(i)
        checkpoints: tuple[tuple[str, str], ...] = ()
        if unit(seed, "generate", draft_id, 0, "checkpoint") < checkpoint_fraction:
            kind = (
                "OTP"
                if unit(seed, "generate", draft_id, 0, "kind") < 0.5
                else ("EMAIL_VERIFICATION")
            )
            code = f"{int(unit(seed, 'generate', draft_id, 0, 'code') * 1_000_000):06d}"
            checkpoints = ((kind, code),)
        free = unit(seed, "generate", draft_id, 0, "free") >= not_free_fraction
        drafts.append(Draft(draft_id, free_eligible=free, checkpoints=checkpoints))
    return drafts


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


class Ledger:
    """Every accepted publish, in order, with a per-draft count for duplicate checks."""

    def __init__(self) -> None:
        self._entries: list[LedgerEntry] = []
        self._counts: dict[str, int] = {}

    def record(self, entry: LedgerEntry) -> None:
        """Append an entry (sandbox-internal)."""
        self._entries.append(entry)
        self._counts[entry.draft_id] = self._counts.get(entry.draft_id, 0) + 1

    @property
    def entries(self) -> list[LedgerEntry]:
        """A copy of the entries, oldest first."""
        return list(self._entries)

    def published_count(self, draft_id: str) -> int:
        """How many times ``draft_id`` was published (more than 1 is the bug to catch)."""
        return self._counts.get(draft_id, 0)

    def duplicates(self) -> dict[str, int]:
        """Drafts published more than once, with their counts."""
        return {draft_id: n for draft_id, n in dict(self._counts).items() if n > 1}

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self.entries)

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /_sandbox/ledger``."""
        entries = self.entries
        return {
            "entries": [entry.to_json() for entry in entries],
            "duplicates": self.duplicates(),
            "total": len(entries),
        }


class Stats:
    """Request counters for the API endpoints (the ``/_sandbox/`` routes are not counted).

    ``max_in_flight`` is the most requests the sandbox was handling at once, which is how
    bulk tests prove a client's concurrency bound; ``connections`` counts distinct client
    connections (peer addresses), which shows keep-alive reuse.
    """

    def __init__(self) -> None:
        self.total_requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.dropped_connections = 0
        self._status_counts: dict[int, int] = {}
        self._peers: set[object] = set()

    @property
    def status_counts(self) -> dict[int, int]:
        """Responses by HTTP status (dropped connections are not responses)."""
        return dict(self._status_counts)

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
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "connections": self.connections,
            "dropped_connections": self.dropped_connections,
        }


@dataclass
class _DraftState:
    draft: Draft
    published: bool = False
    # Index of the checkpoint awaiting an answer, and the publish it will complete.
    pending: int | None = None
    pending_request: PublishRequest | None = None


@dataclass
class State:
    """Drafts, accounts and the ledger, with the publish and checkpoint rules."""

    drafts: Iterable[Draft] = ()
    accounts: Iterable[Account] = ()
    accept_any_draft: bool = True
    accept_any_account: bool = True
    allow_republish: bool = False
    credit_costs: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CREDIT_COSTS))
    ledger: Ledger = field(default_factory=Ledger)

    def __post_init__(self) -> None:
        self._drafts: dict[str, _DraftState] = {d.draft_id: _DraftState(d) for d in self.drafts}
        self._accounts: dict[str, Account] = {a.account_id: a for a in self.accounts}

    def draft(self, draft_id: str) -> _DraftState:
        """The draft's state, created on first sight when any id is accepted."""
        state = self._drafts.get(draft_id)
        if state is None:
            if not self.accept_any_draft:
                raise SandboxError(
                    404, "errors/resource_not_found", f"draft {draft_id!r} does not exist"
                )
            state = self._drafts[draft_id] = _DraftState(Draft(draft_id))
        return state

    def account(self, account_id: str) -> Account:
        """The account, created (unlimited) on first sight when any id is accepted."""
        account = self._accounts.get(account_id)
        if account is None:
            if not self.accept_any_account:
                raise SandboxError(
                    404, "errors/resource_not_found", f"account {account_id!r} does not exist"
                )
            account = self._accounts[account_id] = Account(account_id)
        return account

    def _check_funds(self, account: Account, mode: str) -> int:
        cost = self.credit_costs.get(mode, 0)
        if account.credits is not None and account.credits < cost:
            raise SandboxError(
                422,
                "errors/insufficient_credits",
                f"{mode} costs {cost} credit(s); account {account.account_id!r} "
                f"has {account.credits}",
            )
        if account.job_slots is not None and account.job_slots < 1:
            raise SandboxError(
                422,
                "errors/insufficient_job_slot",
                f"account {account.account_id!r} has no job slot left",
            )
        return cost

    def _commit(
        self, state: _DraftState, account: Account, req: PublishRequest, request_id: str
    ) -> dict[str, Any]:
        # Funds are checked again here: a checkpoint may complete long after the publish.
        cost = self._check_funds(account, req.mode)
        if account.credits is not None:
            account.credits -= cost
        if account.job_slots is not None:
            account.job_slots -= 1
        state.published = True
        state.pending = None
        state.pending_request = None
        self.ledger.record(
            LedgerEntry(
                draft_id=state.draft.draft_id,
                account_id=account.account_id,
                mode=req.mode,
                service=req.service,
                budget=req.budget,
                credits_spent=cost,
                request_id=request_id,
                at=time.time(),
            )
        )
        return {
            "object": "LinkedinJobPostingPublished",
            "job_state": state.draft.job_state,
            "job_id": state.draft.draft_id,
        }

    @staticmethod
    def _checkpoint_payload(state: _DraftState) -> dict[str, Any]:
        assert state.pending is not None
        return {
            "object": "LinkedinJobPostingPublishCheckpoint",
            "type": state.draft.checkpoints[state.pending][0],
            "job_id": state.draft.draft_id,
        }

    def publish(self, draft_id: str, req: PublishRequest, request_id: str) -> dict[str, Any]:
        """Apply a validated publish and return the 200 body (or raise an error)."""
        state = self.draft(draft_id)
        account = self.account(req.account_id)
        if state.published and not self.allow_republish:
            raise SandboxError(
                422,
                "errors/action_already_performed",
                f"draft {draft_id!r} has already been published",
            )
        if state.pending is not None:
            # A retried publish while LinkedIn waits for the checkpoint: same answer again.
            return self._checkpoint_payload(state)
        if req.mode == "FREE" and not state.draft.free_eligible:
            raise SandboxError(
                400,
                "errors/invalid_parameters",
                f"mode: draft {draft_id!r} is not eligible to free posting",
            )
        self._check_funds(account, req.mode)
        if state.draft.checkpoints:
            state.pending = 0
            state.pending_request = req
            return self._checkpoint_payload(state)
        return self._commit(state, account, req, request_id)

    def checkpoint(self, draft_id: str, req: CheckpointRequest, request_id: str) -> dict[str, Any]:
        """Apply a validated checkpoint answer and return the 200 body (or raise)."""
        state = self.draft(draft_id)
        account = self.account(req.account_id)
        if state.pending is None or state.pending_request is None:
            if state.published:
                raise SandboxError(
                    422,
                    "errors/action_already_performed",
                    f"draft {draft_id!r} has already been published",
                )
            raise SandboxError(
                422,
                "errors/unprocessable_entity",
                f"draft {draft_id!r} has no pending checkpoint; publish it first",
            )
        if req.account_id != state.pending_request.account_id:
            raise SandboxError(
                403,
                "errors/account_mismatch",
                f"draft {draft_id!r} is being published by another account",
            )
        expected = state.draft.checkpoints[state.pending][1]
        if req.input != expected:
            raise SandboxError(
                401,
                "errors/invalid_checkpoint_solution",
                "the checkpoint input is not the expected one; retry",
            )
        if state.pending + 1 < len(state.draft.checkpoints):
            state.pending += 1
            return self._checkpoint_payload(state)
        return self._commit(state, account, state.pending_request, request_id)
