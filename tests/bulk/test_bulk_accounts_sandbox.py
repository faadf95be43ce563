"""Twenty accounts in one run against the sandbox, three of them broken in different ways:
each broken account stops by its scope, every healthy one publishes everything, nothing is
published twice, and a re-run after reconnecting finishes the rest (also after SIGKILL)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from postpress_async import AccountSourceStatus, Outcome, OutcomeKind, PublishRequest, StopScope
from postpress_async.sandbox import Account, SandboxThread
from postpress_async.testing import set_retry_waits
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, read_lines

ACCOUNTS = [f"acc_{i}" for i in range(1, 21)]
PER_ACCOUNT = 500
DISCONNECTED, RESTRICTED, POOR = "acc_3", "acc_7", "acc_12"
POOR_CREDITS = 100
RESTRICT_AFTER = 100  # acc_7 is restricted once this many of its drafts are published
WORKER = Path(__file__).with_name("accounts_worker.py")


def accounts() -> list[Account]:
    """The sandbox's accounts: acc_3 disconnected from the start, acc_12 nearly broke."""
    return [
        Account(
            account_id,
            status="STOPPED" if account_id == DISCONNECTED else "OK",
            credits=POOR_CREDITS if account_id == POOR else None,
        )
        for account_id in ACCOUNTS
    ]


def run_requests(per_account: int = PER_ACCOUNT) -> list[PublishRequest]:
    """Drafts of every account, interleaved; acc_12's every other draft is promoted."""
    return [
        PublishRequest(
            f"{account_id}-d{i:04d}",
            account_id=account_id,
            mode="PROMOTED" if account_id == POOR and i % 2 else "FREE",
        )
        for i in range(per_account)
        for account_id in ACCOUNTS
    ]


@pytest.mark.parametrize("check_accounts", [True, False], ids=["checked", "unchecked"])
async def test_twenty_accounts_three_broken_each_stops_by_its_scope_and_a_rerun_finishes(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path, check_accounts: bool
) -> None:
    sandbox = await make_sandbox(accounts=accounts())
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    requests = run_requests()
    published_by_restricted = 0

    def restrict_mid_run(outcome: Outcome) -> None:
        nonlocal published_by_restricted
        if outcome.account_id == RESTRICTED and outcome.kind is OutcomeKind.PUBLISHED:
            published_by_restricted += 1
            if published_by_restricted == RESTRICT_AFTER:
                sandbox.set_account_status(RESTRICTED, "PERMISSIONS")

    report = await client.jobs.publish_many(
        requests,
        concurrency=32,
        per_account_concurrency=4,
        check_accounts=check_accounts,
        journal=journal,
        on_outcome=restrict_mid_run,
    )

    by_account = report.by_account
    broken = {DISCONNECTED, RESTRICTED, POOR}
    for account_id in set(ACCOUNTS) - broken:
        assert by_account[account_id].counts["published"] == PER_ACCOUNT, account_id
        assert by_account[account_id].stop is None
    # Disconnected from the start: the health check spares every request; without it,
    # the first wave fails (at most per_account_concurrency) and the account stops.
    disconnected = by_account[DISCONNECTED]
    assert disconnected.stop is not None
    assert disconnected.stop.scope is StopScope.ACCOUNT
    if check_accounts:
        assert disconnected.counts["not_attempted"] == PER_ACCOUNT
        assert disconnected.stop.account_status is AccountSourceStatus.STOPPED
    else:
        assert 1 <= disconnected.counts["failed"] <= 4
        assert disconnected.counts["failed"] + disconnected.counts["not_attempted"] == PER_ACCOUNT
        assert disconnected.stop.cause == "401 errors/disconnected_account"
    # Restricted mid-run: what went before stands, the rest of that account stops.
    restricted = by_account[RESTRICTED]
    assert restricted.stop is not None
    assert restricted.stop.cause == "403 errors/account_restricted"
    assert restricted.counts["published"] >= RESTRICT_AFTER
    assert 1 <= restricted.counts["failed"] <= 4
    assert restricted.counts["not_attempted"] > 0
    # Out of credits: its promoted drafts stop, its free drafts all go out.
    poor = by_account[POOR]
    assert poor.stop is not None
    assert poor.stop.scope is StopScope.CREDITS
    assert poor.counts["published"] == PER_ACCOUNT // 2 + POOR_CREDITS
    assert 1 <= poor.counts["failed"] <= 4
    assert report.stop is None  # no stop of the whole run
    ledger = sandbox.ledger
    assert not ledger.duplicates()
    assert sum(by_account[a].counts["published"] for a in ACCOUNTS) == len(ledger)
    # The journal says which account and which cause stopped each unsent draft.
    stopped_lines = [r for r in read_lines(journal) if r["outcome"] == "not_attempted"]
    assert {r["stop"]["account_id"] for r in stopped_lines} == broken
    assert all(r["stop"]["account_id"] == r["account_id"] for r in stopped_lines)

    # Reconnect the broken accounts and run again with the journal: the rest goes out.
    sandbox.set_account_status(DISCONNECTED, "OK")
    sandbox.set_account_status(RESTRICTED, "OK")
    sandbox.accounts[POOR].credits = None
    rerun = await client.jobs.publish_many(
        requests, concurrency=32, per_account_concurrency=4, check_accounts=check_accounts,
        journal=journal,
    )

    assert rerun.counts["failed"] == rerun.counts["not_attempted"] == 0
    assert rerun.counts["skipped"] == report.counts["published"]  # settled in the journal
    assert not ledger.duplicates()
    assert sorted(e.draft_id for e in ledger) == sorted(r.draft_id for r in requests)
    assert Counter(e.account_id for e in ledger) == dict.fromkeys(ACCOUNTS, PER_ACCOUNT)


async def test_a_429_for_one_account_pauses_that_account_only(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    # acc_1 is over LinkedIn's limit: its 429 says so, and asks for a minute's pause.
    sandbox = await make_sandbox(accounts=4)
    sandbox.set_account_rate_limited("acc_1", retry_after=60)
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    requests = [
        PublishRequest(f"acc_{a}-d{i:02d}", account_id=f"acc_{a}", mode="FREE")
        for i in range(25)
        for a in range(1, 5)
    ]
    others_published = 0
    outcomes: list[Outcome] = []

    set_retry_waits(True)  # the pause is a retry wait; this test is about it
    try:
        run = client.jobs.iter_publish(
            requests, concurrency=8, per_account_concurrency=1, journal=journal
        )
        async with contextlib.aclosing(run):
            async for outcome in run:
                outcomes.append(outcome)
                if outcome.account_id != "acc_1" and outcome.kind is OutcomeKind.PUBLISHED:
                    others_published += 1
                    if others_published == 75:
                        break  # a whole-run pause would hold these back a minute first
    finally:
        set_retry_waits(False)

    # Every other account published everything while acc_1 waited out its pause, in its
    # lane: its one request (per_account_concurrency=1) was answered 429 and not re-sent.
    assert others_published == 75
    assert sandbox.stats.status_counts == {200: 75, 429: 1}
    assert not any(o.kind is OutcomeKind.PUBLISHED and o.account_id == "acc_1" for o in outcomes)

    # Once acc_1's limit lifts, a re-run with the journal sends its drafts, and only those.
    sandbox.set_account_rate_limited("acc_1", False)
    rerun = await client.jobs.publish_many(requests, concurrency=8, journal=journal)
    assert rerun.by_account["acc_1"].counts["published"] == 25
    assert rerun.counts["skipped"] == 75
    assert not sandbox.ledger.duplicates()
    assert len(sandbox.ledger) == 100


def _published_lines(journal: Path) -> int:
    return journal.read_text().count('"outcome":"published"') if journal.exists() else 0


@pytest.mark.slow
def test_a_sigkilled_many_account_run_resumes_and_loses_nothing(tmp_path: Path) -> None:
    per_account = 100
    journal = tmp_path / "run.jsonl"
    with SandboxThread(accounts=accounts(), faults=None) as sandbox:
        env = {**os.environ, "POSTPRESS_API_KEY": sandbox.api_key}
        argv = [sys.executable, str(WORKER), sandbox.base_url, str(journal), str(per_account)]
        worker = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            restricted = False
            while time.monotonic() < deadline and worker.poll() is None:
                published = _published_lines(journal)
                if not restricted and published >= 300:
                    sandbox.set_account_status(RESTRICTED, "PERMISSIONS")  # mid-run
                    restricted = True
                if published >= 900:
                    break
                time.sleep(0.005)
            assert worker.poll() is None, "the run ended before it could be killed"
            worker.kill()  # SIGKILL: no cleanup, no finally, no flush
        finally:
            worker.kill()
            _, stderr = worker.communicate()
        assert worker.returncode == -9, stderr
        time.sleep(0.2)  # the server finishes the requests the dead client left behind
        assert not sandbox.ledger.duplicates()

        # Reconnect everything, then resume with the same journal.
        sandbox.set_account_status(DISCONNECTED, "OK")
        sandbox.set_account_status(RESTRICTED, "OK")
        sandbox.accounts[POOR].credits = None
        rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        counts = json.loads(rerun.stdout.strip().splitlines()[-1])

        ledger = sandbox.ledger
        assert not ledger.duplicates()
        expected = sorted(r.draft_id for r in run_requests(per_account))
        assert sorted(e.draft_id for e in ledger) == expected

    assert counts["failed"] == counts["not_attempted"] == 0
    assert counts["published"] + counts["already_published"] + counts["skipped"] == len(expected)
