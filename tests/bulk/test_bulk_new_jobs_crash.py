"""New jobs across a real SIGKILL: each ref's draft created once and published once,
checked against the sandbox ledger."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from postpress_async.sandbox import Faults, SandboxThread

from .bulk_helpers import sigkill_after_published

WORKER = Path(__file__).with_name("new_job_worker.py")


def _records(journal: Path) -> list[dict[str, Any]]:
    records = []
    for line in journal.read_bytes().splitlines():
        with contextlib.suppress(ValueError):  # the torn last line of the killed run
            records.append(json.loads(line))
    return records


def _on_the_wire(records: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """Refs whose create was sent but not answered, drafts whose publish was in flight."""
    creating: set[str] = set()
    publishing: set[str] = set()
    for record in records:
        ref, draft_id, outcome = record.get("ref"), record.get("draft_id"), record["outcome"]
        if outcome == "creating":
            creating.add(ref)
        elif outcome == "created":
            creating.discard(ref)
        elif outcome == "in_flight":
            publishing.add(draft_id)
        elif draft_id is not None:
            publishing.discard(draft_id)
    return creating, publishing


@pytest.mark.slow
def test_a_sigkilled_create_and_publish_run_resumes_with_no_second_draft_or_publish(
    tmp_path: Path,
) -> None:
    n = 300
    journal = tmp_path / "run.jsonl"
    faults = Faults(
        provider_error=0.03, service_unavailable=0.03, commit_then_fail=0.05, latency=0.02
    )
    with SandboxThread(faults=faults, seed=9) as sandbox:
        env = {**os.environ, "POSTPRESS_API_KEY": sandbox.api_key}
        argv = [sys.executable, str(WORKER), sandbox.base_url, str(journal), str(n)]
        sigkill_after_published(argv, env, journal, published=80)
        creating, publishing = _on_the_wire(_records(journal))
        assert creating or publishing, "the kill landed while requests were on the wire"
        time.sleep(0.2)  # the server finishes what the dead client left behind

        rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        counts = json.loads(rerun.stdout)

        ledger = sandbox.ledger
        creations = ledger.creations
        # One draft per ref (each ref has its own body), and each draft published once.
        assert ledger.duplicate_creations() == []
        assert len(creations) == n
        assert not ledger.duplicates()
        assert sorted(e.draft_id for e in ledger) == sorted(c.job_id for c in creations)

    assert counts["failed"] == counts["not_attempted"] == 0
    assert counts["published"] + counts["already_published"] + counts["skipped"] == n
    refs_created = {r["ref"]: r["draft_id"] for r in _records(journal) if r["outcome"] == "created"}
    assert len(refs_created) == n
    assert set(refs_created.values()) == {c.job_id for c in creations}
