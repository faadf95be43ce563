"""A fake API for the per-account unit tests: a :class:`MockTransport` handler that
publishes drafts and serves accounts, with per-account health, answers and gates."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from urllib.parse import unquote, urlsplit

from postpress_async import AsyncPostpress, PublishRequest, TransportRequest
from postpress_async.testing import MockResponse, MockTransport


def error(status: int, type_: str, detail: str = "", **headers: str) -> MockResponse:
    """An error envelope as the API sends it."""
    body = {"title": "error", "type": type_, "status": status, "detail": detail}
    return MockResponse(status, json=body, headers=headers)


class FakeAccountsAPI:
    """Publishes every draft unless told otherwise, and remembers what it saw.

    ``statuses[account]``: the source status ``GET /accounts/{id}`` answers (a list is
    consumed one read at a time, its last value repeated). ``answers[account]``: a list
    of responses its next publishes get, in order, before normal service resumes.
    ``gates[account]``: an event its publishes wait for before they are answered.
    """

    def __init__(self) -> None:
        self.statuses: dict[str, str | list[str]] = {}
        self.answers: dict[str, list[MockResponse]] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.published: Counter[str] = Counter()  # per account
        self.publishes: Counter[str] = Counter()  # per account, every publish request
        self.reads: Counter[str] = Counter()  # account reads
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.total_in_flight = 0
        self.max_total_in_flight = 0
        self.transport = MockTransport(self.handle)

    def client(self) -> AsyncPostpress:
        """A client whose every request this fake answers."""
        return AsyncPostpress(api_key="pp_test_fake", transport=self.transport)

    def _status(self, account_id: str) -> str:
        status = self.statuses.get(account_id, "OK")
        if isinstance(status, list):
            return status.pop(0) if len(status) > 1 else status[0]
        return status

    async def handle(self, request: TransportRequest) -> MockResponse:
        path = urlsplit(request.url).path
        if "/accounts/" in path:
            account_id = unquote(path.rsplit("/", 1)[1])
            self.reads[account_id] += 1
            return MockResponse(200, json=account_json(account_id, self._status(account_id)))
        body: dict[str, Any] = request.json()
        account_id = body["account_id"]
        self.publishes[account_id] += 1
        self.in_flight[account_id] += 1
        self.total_in_flight += 1
        self.max_in_flight[account_id] = max(
            self.max_in_flight[account_id], self.in_flight[account_id]
        )
        self.max_total_in_flight = max(self.max_total_in_flight, self.total_in_flight)
        try:
            gate = self.gates.get(account_id)
            await (gate.wait() if gate is not None else asyncio.sleep(0))
            pending = self.answers.get(account_id)
            if pending:
                return pending.pop(0)
            self.published[account_id] += 1
            draft_id = unquote(path.split("/")[-2])
            return MockResponse(
                200,
                json={
                    "object": "LinkedinJobPostingPublished",
                    "job_id": draft_id,
                    "job_state": "active",
                },
            )
        finally:
            self.in_flight[account_id] -= 1
            self.total_in_flight -= 1


def account_json(account_id: str, status: str) -> dict[str, Any]:
    """An ``Account`` with one LinkedIn source in ``status``."""
    return {
        "object": "Account",
        "id": account_id,
        "type": "LINKEDIN",
        "name": account_id,
        "created_at": "2026-01-05T09:30:00.000Z",
        "connection_params": {},
        "groups": [],
        "sources": [{"id": f"{account_id}_LINKEDIN", "status": status}],
    }


def drafts(account_id: str, n: int, mode: str = "FREE") -> list[PublishRequest]:
    """``n`` requests of one account, ids ``<account>-<i>``."""
    return [PublishRequest(f"{account_id}-{i}", account_id=account_id, mode=mode) for i in range(n)]


def interleave(*lists: list[PublishRequest]) -> list[PublishRequest]:
    """One request of each list in turn (as a run over many accounts reads best)."""
    out: list[PublishRequest] = []
    for i in range(max(map(len, lists))):
        out.extend(requests[i] for requests in lists if i < len(requests))
    return out
