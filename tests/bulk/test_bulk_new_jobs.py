"""New jobs in a bulk run: created, then published, each exactly once per ``ref``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from postpress_async import (
    BulkStep,
    DailyBudget,
    MonthlyBudget,
    NewJob,
    OutcomeKind,
    Postpress,
    PublishOptionsError,
)
from postpress_async._bulk_new_job import derived_idempotency_key
from postpress_async._journal import creating_record
from postpress_async.sandbox import Faults, SandboxThread
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, read_lines, requests_for
from .new_job_helpers import job_for, new_jobs


async def test_new_jobs_through_commit_then_fail_are_each_created_once_and_published_once(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    faults = Faults(
        provider_error=0.05, service_unavailable=0.05, commit_then_fail=0.1, latency=(0, 0.002)
    )
    sandbox = await make_sandbox(faults=faults, seed=5)
    client = make_client(sandbox, max_retries=8)
    refs = [f"req-{i:04d}" for i in range(400)]

    report = await client.jobs.publish_many(new_jobs(refs), concurrency=16)

    creations = sandbox.ledger.creations
    assert len(creations) == 400
    assert sandbox.ledger.duplicate_creations() == []
    assert not sandbox.ledger.duplicates()
    assert sorted(e.draft_id for e in sandbox.ledger) == sorted(c.job_id for c in creations)
    assert report.counts["published"] + report.counts["already_published"] == 400
    assert sandbox.stats.status_counts.get(504, 0) > 0  # commit-then-fail did happen
    assert sandbox.stats.idempotent_replays > 0  # ... and a create's retry learned its draft


async def test_outcomes_carry_the_ref_the_step_and_the_created_draft(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)

    outcomes = [o async for o in client.jobs.iter_publish(new_jobs(["req-a", "req-b"]))]

    assert sorted(o.ref for o in outcomes if o.ref) == ["req-a", "req-b"]
    created = {c.job_id for c in sandbox.ledger.creations}
    for outcome in outcomes:
        assert outcome.kind is OutcomeKind.PUBLISHED
        assert outcome.created_job_id in created
        assert outcome.draft_id == outcome.created_job_id
        assert outcome.new_job is not None
        assert outcome.new_job.ref == outcome.ref


async def test_a_ref_repeated_in_the_input_is_created_once_and_skipped_as_a_duplicate(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    items = [*new_jobs(["req-1", "req-2"]), NewJob("req-1", job=job_for("other"), mode="FREE")]

    outcomes = [o async for o in client.jobs.iter_publish(items, concurrency=1)]

    assert [o.kind for o in outcomes].count(OutcomeKind.SKIPPED) == 1
    skipped = next(o for o in outcomes if o.kind is OutcomeKind.SKIPPED)
    assert (skipped.ref, skipped.reason, skipped.index) == ("req-1", "duplicate", 2)
    assert len(sandbox.ledger.creations) == 2
    assert len(sandbox.ledger) == 2


async def test_a_rerun_with_the_journal_creates_and_publishes_nothing_again(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    items = new_jobs([f"req-{i}" for i in range(10)])
    await client.jobs.publish_many(items, journal=journal)

    again = await client.jobs.publish_many(items, journal=journal)

    assert again.counts["skipped"] == 10
    assert len(sandbox.ledger.creations) == 10
    assert len(sandbox.ledger) == 10
    records = read_lines(journal)
    (draft_id,) = {r["draft_id"] for r in records if r.get("ref") == "req-3" and r["draft_id"]}
    kinds = [r["outcome"] for r in records if r.get("ref") == "req-3" or r["draft_id"] == draft_id]
    assert kinds == ["creating", "created", "in_flight", "published"]


async def test_a_create_sent_by_a_dead_run_is_resent_with_its_key_and_not_made_twice(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    (item,) = new_jobs(["req-7"])
    # The dead run journaled the key, sent the create, and died before reading the answer.
    key = "from-the-dead-run"
    journal.write_text(json.dumps(creating_record(item, key)) + "\n")
    draft = await client.jobs.create_request(item.job, idempotency_key=key)

    report = await client.jobs.publish_many([item], journal=journal)

    assert report.counts["published"] == 1
    assert [c.job_id for c in sandbox.ledger.creations] == [draft.job_id]
    assert [e.draft_id for e in sandbox.ledger] == [draft.job_id]
    resumed = [r for r in read_lines(journal) if r.get("resumed")]
    assert [(r["outcome"], r["draft_id"]) for r in resumed] == [("published", draft.job_id)]


async def test_the_create_key_is_derived_from_the_ref_unless_given(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    items = [*new_jobs(["req-1"]), NewJob("req-2", job=job_for("req-2"), mode="FREE",
                                          idempotency_key="my-own-key")]

    await client.jobs.publish_many(items, journal=journal)

    keys = {r["ref"]: r["idempotency_key"] for r in read_lines(journal)
            if r["outcome"] == "creating"}
    assert keys == {"req-1": derived_idempotency_key("req-1"), "req-2": "my-own-key"}
    assert {c.idempotency_key for c in sandbox.ledger.creations} == set(keys.values())


async def test_a_free_publish_of_a_draft_not_eligible_fails_unsent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(created_not_free_fraction=1.0)
    client = make_client(sandbox)

    report = await client.jobs.publish_many(new_jobs(["req-1"]))

    (failure,) = report.failures
    assert isinstance(failure.error, PublishOptionsError)
    assert (failure.error.reason, failure.error.field) == ("free_not_eligible", "mode")
    assert failure.step is BulkStep.PUBLISH
    assert failure.created_job_id == sandbox.ledger.creations[0].job_id
    assert report.failed_by_step == {"create": 0, "publish": 1}
    assert report.error_types == {"publish_options free_not_eligible": 1}
    assert len(sandbox.ledger) == 0
    assert sandbox.stats.endpoint_counts.get("publish", 0) == 0


async def test_a_budget_outside_the_promoted_range_or_currency_fails_unsent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    items = [
        NewJob("too-high", job=job_for("a"), mode="PROMOTED", budget=DailyBudget("USD", 501)),
        NewJob("too-low", job=job_for("b"), mode="PROMOTED", budget=MonthlyBudget("USD", 149)),
        NewJob("wrong-currency", job=job_for("c"), mode="PROMOTED",
               budget=DailyBudget("EUR", 50)),
        NewJob("fine", job=job_for("d"), mode="PROMOTED", budget=DailyBudget("USD", 500)),
    ]

    outcomes = {o.ref: o async for o in client.jobs.iter_publish(items)}

    reasons = {
        ref: o.error.reason
        for ref, o in outcomes.items()
        if isinstance(o.error, PublishOptionsError)
    }
    assert reasons == {
        "too-high": "budget_out_of_range",
        "too-low": "budget_out_of_range",
        "wrong-currency": "budget_currency",
    }
    assert "between 5 and 500 USD, got 501" in str(outcomes["too-high"].error)
    assert outcomes["fine"].kind is OutcomeKind.PUBLISHED
    assert [e.draft_id for e in sandbox.ledger] == [outcomes["fine"].created_job_id]


async def test_a_failed_create_says_so_and_a_stopping_one_stops_the_run(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox, api_key="not-the-key")

    report = await client.jobs.publish_many(new_jobs(["a", "b", "c"]), concurrency=1)

    (failure,) = report.failures
    assert failure.step is BulkStep.CREATE
    assert (failure.ref, failure.created_job_id, failure.draft_id) == ("a", None, None)
    assert report.stopped_early
    assert report.counts["failed"] == 1
    assert report.counts["not_attempted"] == 2
    assert report.failed_by_step == {"create": 1, "publish": 0}
    assert sandbox.ledger.creations == []


async def test_drafts_and_new_jobs_mix_in_one_run(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    items = [*requests_for(["d1", "d2"]), *new_jobs(["req-1"]), *requests_for(["d1"])]

    outcomes = [o async for o in client.jobs.iter_publish(items, concurrency=1)]

    assert [o.kind for o in outcomes] == [
        OutcomeKind.PUBLISHED, OutcomeKind.PUBLISHED, OutcomeKind.PUBLISHED, OutcomeKind.SKIPPED,
    ]
    new_id = outcomes[2].created_job_id
    assert sorted(e.draft_id for e in sandbox.ledger) == sorted(["d1", "d2", new_id])
    assert [o.ref for o in outcomes] == [None, None, "req-1", None]


def test_the_sync_facade_creates_and_publishes_new_jobs(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    with SandboxThread() as sandbox, Postpress(
        api_key=sandbox.api_key, base_url=sandbox.base_url
    ) as client:
        items = [*new_jobs(["req-1", "req-2"]), *requests_for(["d1"])]
        report = client.jobs.publish_many(items, journal=journal)
        again = client.jobs.publish_many(items, journal=journal)

        assert report.counts["published"] == 3
        assert again.counts["skipped"] == 3
        assert len(sandbox.ledger.creations) == 2
        assert len(sandbox.ledger) == 3


async def test_a_rerun_publishes_a_journaled_draft_without_creating_it_again(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = await make_sandbox(created_not_free_fraction=1.0)
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    free = new_jobs(["req-1"])
    first = await client.jobs.publish_many(free, journal=journal)
    promoted = [NewJob("req-1", job=job_for("req-1"), mode="PROMOTED",
                       budget=DailyBudget("USD", 9999))]

    # The journal's publish_options still say no to FREE, and to a budget out of range.
    again = await client.jobs.publish_many(free, journal=journal)
    too_much = await client.jobs.publish_many(promoted, journal=journal)
    fixed = [NewJob("req-1", job=job_for("req-1"), mode="PROMOTED", budget=DailyBudget("USD", 25))]
    last = await client.jobs.publish_many(fixed, journal=journal)

    (created,) = sandbox.ledger.creations
    reasons = [
        r.failures[0].error.reason  # type: ignore[union-attr]
        for r in (first, again, too_much)
    ]
    assert reasons == ["free_not_eligible", "free_not_eligible", "budget_out_of_range"]
    assert last.counts["published"] == 1
    assert [(e.draft_id, e.mode) for e in sandbox.ledger] == [(created.job_id, "PROMOTED")]
    assert sandbox.stats.endpoint_counts["create"] == 1


async def test_new_jobs_cancelled_on_the_wire_are_finished_by_a_rerun_without_a_second_draft(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=0.2))
    client = make_client(sandbox)
    journal = tmp_path / "run.jsonl"
    items = new_jobs([f"req-{i}" for i in range(6)])
    run = asyncio.ensure_future(client.jobs.publish_many(items, concurrency=3, journal=journal))
    for _ in range(500):  # until creates are on the wire
        if journal.exists() and '"creating"' in journal.read_text():
            break
        await asyncio.sleep(0.01)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    cut = [r for r in read_lines(journal) if r.get("interrupted")]
    await asyncio.sleep(0.3)  # the server finishes what the cancelled client left

    report = await client.jobs.publish_many(items, concurrency=3, journal=journal)

    assert cut, "the cancellation cut requests short"
    assert report.counts["published"] + report.counts["already_published"] == 6
    assert len(sandbox.ledger.creations) == 6
    assert sandbox.ledger.duplicate_creations() == []
    assert not sandbox.ledger.duplicates()
