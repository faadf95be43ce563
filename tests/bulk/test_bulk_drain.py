"""``publish_many`` without a driver in between: each worker delivers its draft's outcome and
reads the next draft itself. The rules stay :meth:`iter_publish`'s: reading bounded by the
concurrency, a failure in the input or in ``on_outcome`` stops the run and propagates, and
every draft read gets an outcome."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sized
from pathlib import Path

import pytest

from postpress_async import Outcome, OutcomeKind, PublishRequest
from postpress_async.sandbox import Faults
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, running_bulk_tasks


class Source:
    """Drafts ``d0``, ``d1``... counting how many were read; ``fail_at`` makes reading the
    draft of that index raise instead."""

    def __init__(self, total: int, *, fail_at: int | None = None) -> None:
        self.total = total
        self.fail_at = fail_at
        self.pulled = 0

    def __iter__(self) -> Iterator[PublishRequest]:
        for i in range(self.total):
            if i == self.fail_at:
                raise ValueError(f"the input broke at draft {i}")
            self.pulled += 1
            yield PublishRequest(f"d{i}", account_id="acc_1", mode="FREE")

    async def as_async(self) -> AsyncIterator[PublishRequest]:
        for request in self:
            yield request


async def test_publish_many_reads_no_further_ahead_than_its_concurrency(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=(0.0, 0.01)), seed=3)
    client = make_client(sandbox)
    source = Source(300)
    ahead: list[int] = []  # drafts read but not delivered, seen at each outcome

    def on_outcome(outcome: Outcome) -> None:
        ahead.append(source.pulled - len(ahead) - 1)

    report = await client.jobs.publish_many(iter(source), concurrency=7, on_outcome=on_outcome)

    assert report.counts["published"] == 300
    assert sandbox.stats.max_in_flight == 7
    assert len(ahead) == 300
    # At each outcome, besides the one being delivered, at most 6 others were read.
    assert max(ahead) <= 6
    assert not sandbox.ledger.duplicates()


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_an_on_outcome_that_raises_stops_publish_many_and_propagates(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path, kind: str
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=(0.0, 0.01)), seed=4)
    client = make_client(sandbox)
    source = Source(1000)
    journal = tmp_path / "run.jsonl"
    seen: list[Outcome] = []

    def on_outcome(outcome: Outcome) -> None:
        seen.append(outcome)
        if len(seen) == 5:
            raise RuntimeError("the progress bar broke")

    items = iter(source) if kind == "sync" else source.as_async()
    with pytest.raises(RuntimeError, match="the progress bar broke"):
        await client.jobs.publish_many(
            items, concurrency=4, on_outcome=on_outcome, journal=journal
        )

    assert not running_bulk_tasks()
    # Reading stopped with the failure: no more than the drafts in flight beyond the five.
    assert source.pulled <= 5 + 4
    # Every draft read got an outcome: published, or cut off (on the wire or not).
    assert len(seen) == source.pulled
    assert {o.kind for o in seen[5:]} <= {OutcomeKind.PUBLISHED, OutcomeKind.NOT_ATTEMPTED}
    # The journal was closed whole: every line parses.
    lines = journal.read_text().splitlines()
    assert lines
    assert all(json.loads(line) for line in lines)
    _ledger_matches(sandbox.ledger, seen)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_an_input_that_raises_mid_run_stops_publish_many_and_propagates(
    make_sandbox: MakeSandbox, make_client: MakeClient, kind: str
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=(0.0, 0.01)), seed=5)
    client = make_client(sandbox)
    source = Source(1000, fail_at=20)
    seen: list[Outcome] = []

    items = iter(source) if kind == "sync" else source.as_async()
    with pytest.raises(ValueError, match="the input broke at draft 20"):
        await client.jobs.publish_many(items, concurrency=4, on_outcome=seen.append)

    assert not running_bulk_tasks()
    assert source.pulled == 20
    assert sorted(o.index for o in seen) == list(range(20))
    published = [o for o in seen if o.kind is OutcomeKind.PUBLISHED]
    assert len(published) >= 16  # those done before the last four were read
    _ledger_matches(sandbox.ledger, seen)


def _ledger_matches(ledger: Sized, seen: list[Outcome]) -> None:
    """The server published every draft reported published, and beyond those only drafts
    cut off on the wire (their fate unknown to the client: ``interrupted``)."""
    published = sum(o.kind is OutcomeKind.PUBLISHED for o in seen)
    interrupted = sum(o.kind is OutcomeKind.NOT_ATTEMPTED and o.interrupted for o in seen)
    assert published <= len(ledger) <= published + interrupted
