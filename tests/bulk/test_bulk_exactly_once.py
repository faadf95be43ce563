"""Exactly once, at scale and across a real SIGKILL, checked against the sandbox ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from postpress_async.sandbox import Faults, SandboxThread
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, requests_for, sigkill_after_published

WORKER = Path(__file__).with_name("bulk_worker.py")


async def test_thousands_of_drafts_through_transient_faults_are_each_published_once(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    faults = Faults(
        provider_error=0.05,
        service_unavailable=0.05,
        request_timeout=0.05,
        commit_then_fail=0.05,
        latency=(0.0, 0.002),
    )
    sandbox = await make_sandbox(idempotency=False, faults=faults, seed=11)
    client = make_client(sandbox, max_retries=8)
    draft_ids = [f"d{i:05d}" for i in range(3000)]

    report = await client.jobs.publish_many(requests_for(draft_ids), concurrency=16)

    assert not sandbox.ledger.duplicates()
    assert sorted(e.draft_id for e in sandbox.ledger) == draft_ids
    assert report.counts["published"] + report.counts["already_published"] == 3000
    assert report.counts["already_published"] > 0  # commit-then-fail happened and was caught
    assert sandbox.stats.status_counts.get(504, 0) > 0
    assert 1 < sandbox.stats.max_in_flight <= 16


def _records(journal: Path) -> tuple[list[dict[str, Any]], int]:
    records, torn = [], 0
    for line in journal.read_bytes().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            torn += 1
    return records, torn


def _last_state(records: list[dict[str, Any]]) -> dict[str, str]:
    last: dict[str, str] = {}
    for record in records:
        last[record["draft_id"]] = record["outcome"]
    return last


@pytest.mark.slow
def test_a_sigkilled_run_resumes_without_publishing_anything_twice(tmp_path: Path) -> None:
    n = 400
    journal = tmp_path / "run.jsonl"
    faults = Faults(
        provider_error=0.03,
        service_unavailable=0.03,
        request_timeout=0.03,
        commit_then_fail=0.05,
        latency=0.02,
    )
    with SandboxThread(faults=faults, seed=3) as sandbox:
        env = {**os.environ, "POSTPRESS_API_KEY": sandbox.api_key}
        argv = [sys.executable, str(WORKER), sandbox.base_url, str(journal), str(n)]
        sigkill_after_published(argv, env, journal, published=100)

        before, _ = _records(journal)
        at_crash = {d for d, state in _last_state(before).items() if state == "in_flight"}
        assert at_crash, "the kill landed while drafts were on the wire"
        time.sleep(0.2)  # the server finishes the requests the dead client left behind
        committed_at_crash = {e.draft_id for e in sandbox.ledger} & at_crash
        # The server kept going after the client died (aiohttp does not cancel handlers),
        # so some drafts the dead run never heard back about are live: the re-run must
        # recognise them rather than pay again.
        assert committed_at_crash

        rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        counts = json.loads(rerun.stdout)

        ledger = sandbox.ledger
        assert not ledger.duplicates()
        assert sorted(e.draft_id for e in ledger) == [f"d{i:05d}" for i in range(n)]

    assert counts["failed"] == counts["not_attempted"] == 0
    assert counts["published"] + counts["already_published"] + counts["skipped"] == n
    after, torn = _records(journal)
    assert torn <= 1
    resumed = {r["draft_id"]: r["outcome"] for r in after[len(before) :] if r.get("resumed")}
    assert set(resumed) == at_crash
    # What the dead run got through upstream is recognised, not published again.
    assert all(resumed[d] == "already_published" for d in committed_at_crash)
    assert all(resumed[d] in ("published", "already_published") for d in at_crash)
