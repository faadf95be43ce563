"""One outcome per input item, of the right kind, and a report that adds up."""

from __future__ import annotations

from collections.abc import AsyncIterator

from postpress_async import (
    BulkReport,
    CheckpointType,
    ErrorType,
    InvalidRequestError,
    JobState,
    Outcome,
    OutcomeKind,
    PublishRequest,
)
from postpress_async.sandbox import Draft
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, requests_for


async def test_every_draft_is_published_and_counted(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)

    report = await client.jobs.publish_many(requests_for(f"d{i}" for i in range(20)))

    assert report.counts == {
        "published": 20,
        "checkpoint": 0,
        "already_published": 0,
        "failed": 0,
        "skipped": 0,
        "not_attempted": 0,
    }
    assert report.ok
    assert sorted(e.draft_id for e in sandbox.ledger) == sorted(f"d{i}" for i in range(20))


async def test_counts_always_hold_all_six_kinds(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    client = make_client(await make_sandbox())

    report = await client.jobs.publish_many([])

    assert set(report.counts) == {kind.value for kind in OutcomeKind}
    assert report.total == 0


async def test_outcome_kind_values_are_the_documented_names() -> None:
    assert [kind.value for kind in OutcomeKind] == [
        "published",
        "checkpoint",
        "already_published",
        "failed",
        "skipped",
        "not_attempted",
    ]
    assert OutcomeKind("published") is OutcomeKind.PUBLISHED


async def test_a_failing_draft_does_not_abort_the_batch(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(
        drafts=[Draft("d1"), Draft("paid-only", free_eligible=False), Draft("d3")]
    )
    client = make_client(sandbox)
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(
        requests_for(["d1", "paid-only", "d3"]), on_outcome=seen.append
    )

    assert report.counts["published"] == 2
    assert report.counts["failed"] == 1
    failed = next(o for o in seen if o.kind is OutcomeKind.FAILED)
    assert failed.draft_id == "paid-only"
    assert getattr(failed.error, "status", None) == 400
    assert getattr(failed.error, "type", None) is ErrorType.INVALID_PARAMETERS
    assert getattr(failed.error, "request_id", None)
    assert report.error_types == {"400 errors/invalid_parameters": 1}
    assert report.failures == (failed,)
    assert not report.ok


async def test_a_draft_published_before_the_run_is_already_published(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    await client.jobs.publish("d1", account_id="acc_1", mode="FREE")
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(requests_for(["d1", "d2"]), on_outcome=seen.append)

    assert report.counts["already_published"] == 1
    assert report.counts["published"] == 1
    assert report.ok
    already = next(o for o in seen if o.kind is OutcomeKind.ALREADY_PUBLISHED)
    assert already.draft_id == "d1"
    assert sandbox.ledger.published_count("d1") == 1


async def test_commit_then_fail_counts_as_already_published(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    from postpress_async.sandbox import Faults

    # Half the attempts commit upstream and answer 504; their retries hear 422.
    sandbox = await make_sandbox(idempotency=False, faults=Faults(commit_then_fail=0.5), seed=1)
    client = make_client(sandbox)
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(20)), max_retries=10, on_outcome=seen.append
    )

    already = [o for o in seen if o.kind is OutcomeKind.ALREADY_PUBLISHED]
    assert already
    assert all(504 in getattr(o.error, "earlier_attempts", ()) for o in already)
    assert report.counts["published"] + report.counts["already_published"] == 20
    assert len(sandbox.ledger) == 20
    assert not sandbox.ledger.duplicates()


async def test_a_checkpoint_is_reported_with_its_type(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(drafts=[Draft("d1", checkpoints=(("OTP", "123456"),))])
    client = make_client(sandbox)
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(requests_for(["d1"]), on_outcome=seen.append)

    assert report.counts["checkpoint"] == 1
    assert seen[0].checkpoint_type is CheckpointType.OTP
    assert not report.ok


async def test_published_outcome_carries_the_job_state(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    client = make_client(await make_sandbox(drafts=[Draft("d1", job_state="review")]))

    outcomes = [o async for o in client.jobs.iter_publish(requests_for(["d1"]))]

    assert [(o.kind, o.job_state) for o in outcomes] == [(OutcomeKind.PUBLISHED, JobState.REVIEW)]


async def test_duplicates_in_the_input_are_skipped_and_never_sent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(
        requests_for(["d1", "d2", "d1", "d3", "d2"]), on_outcome=seen.append
    )

    assert report.counts["published"] == 3
    assert report.counts["skipped"] == 2
    assert sorted((o.index, o.reason) for o in seen if o.kind is OutcomeKind.SKIPPED) == [
        (2, "duplicate"),
        (4, "duplicate"),
    ]
    assert sandbox.stats.total_requests == 3


async def test_an_item_that_is_not_a_request_fails_alone(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    client = make_client(await make_sandbox())
    items: list[object] = [*requests_for(["d1"]), {"draft_id": "d2"}, *requests_for(["d3"])]
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(items, on_outcome=seen.append)  # type: ignore[arg-type]

    assert report.counts["published"] == 2
    assert report.counts["failed"] == 1
    bad = next(o for o in seen if o.kind is OutcomeKind.FAILED)
    assert (bad.index, bad.draft_id) == (1, None)
    assert isinstance(bad.error, InvalidRequestError)


async def test_on_outcome_is_called_once_per_input_item(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    client = make_client(await make_sandbox())
    seen: list[Outcome] = []

    await client.jobs.publish_many(
        requests_for([*(f"d{i}" for i in range(30)), "d0"]), concurrency=4, on_outcome=seen.append
    )

    assert sorted(o.index for o in seen) == list(range(31))


async def test_an_async_iterable_is_accepted(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)

    async def requests() -> AsyncIterator[PublishRequest]:
        for request in requests_for(f"d{i}" for i in range(10)):
            yield request

    report = await client.jobs.publish_many(requests(), concurrency=3)

    assert report.counts["published"] == 10
    assert len(sandbox.ledger) == 10


async def test_report_size_does_not_grow_with_failures(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(drafts=[Draft(f"d{i}", free_eligible=False) for i in range(150)])
    client = make_client(sandbox)

    report: BulkReport = await client.jobs.publish_many(requests_for(f"d{i}" for i in range(150)))

    assert report.counts["failed"] == 150
    assert len(report.failures) == 100


async def test_bad_options_raise_before_anything_is_sent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    import pytest

    sandbox = await make_sandbox()
    client = make_client(sandbox)
    requests: list[PublishRequest] = requests_for(["d1"])

    with pytest.raises(InvalidRequestError, match="concurrency"):
        await client.jobs.publish_many(requests, concurrency=0)
    with pytest.raises(InvalidRequestError, match="rate"):
        client.jobs.iter_publish(requests, rate=-1)
    assert sandbox.stats.total_requests == 0
