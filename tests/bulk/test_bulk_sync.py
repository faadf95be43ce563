"""The sync facade's ``publish_many`` delegates to the async one on the SDK loop."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from postpress_async import InvalidRequestError, Outcome, Postpress
from postpress_async.sandbox import SandboxThread

from .bulk_helpers import read_lines, requests_for


def test_sync_publish_many_publishes_each_draft_once_and_calls_back_on_the_sdk_loop(
    tmp_path: Path,
) -> None:
    threads: set[str] = set()

    def on_outcome(outcome: Outcome) -> None:
        threads.add(threading.current_thread().name)

    with (
        SandboxThread() as sandbox,
        Postpress(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        report = client.jobs.publish_many(
            requests_for(f"d{i}" for i in range(25)),
            concurrency=4,
            journal=tmp_path / "run.jsonl",
            on_outcome=on_outcome,
        )
        assert len(sandbox.ledger) == 25

    assert report.counts["published"] == 25
    assert threads == {"postpress-sdk-loop"}
    assert len(read_lines(tmp_path / "run.jsonl")) == 50


def test_sync_publish_many_rejects_bad_options_before_anything_is_sent() -> None:
    with (
        SandboxThread() as sandbox,
        Postpress(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        with pytest.raises(InvalidRequestError, match="concurrency"):
            client.jobs.publish_many(requests_for(["d1"]), concurrency=0)
        with pytest.raises(InvalidRequestError, match="journal"):
            client.jobs.publish_many(requests_for(["d1"]), journal=42)  # type: ignore[arg-type]
        assert sandbox.stats.total_requests == 0
