"""Early stop: errors that doom every later request end the batch; the rest is not attempted."""

from __future__ import annotations

from postpress_async import DEFAULT_STOP_ON, ErrorType, Outcome, OutcomeKind, PostpressError
from postpress_async.sandbox import Account, Draft
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, requests_for


async def test_invalid_credentials_stop_a_list_and_the_rest_is_not_attempted(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox, api_key="pp_wrong_key")
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(50)), concurrency=4, on_outcome=seen.append
    )

    assert report.counts["failed"] == 4  # the first wave was already on the wire
    assert report.counts["not_attempted"] == 46
    assert report.total == 50
    assert getattr(report.stop_error, "type", None) is ErrorType.INVALID_CREDENTIALS
    assert all(o.reason == "stopped" for o in seen if o.kind is OutcomeKind.NOT_ATTEMPTED)
    assert sandbox.stats.total_requests == 4


async def test_insufficient_credits_stop_a_promoted_run(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(accounts=[Account("acc_1", credits=3)])
    client = make_client(sandbox)

    report = await client.jobs.publish_many(
        requests_for((f"d{i}" for i in range(20)), mode="PROMOTED"), concurrency=1
    )

    assert report.counts["published"] == 3
    assert report.counts["failed"] == 1
    assert report.counts["not_attempted"] == 16
    assert report.error_types == {"422 errors/insufficient_credits": 1}
    assert len(sandbox.ledger) == 3


async def test_an_error_about_one_draft_does_not_stop_the_batch(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(
        drafts=[Draft("d0", free_eligible=False), *(Draft(f"d{i}") for i in range(1, 10))]
    )
    client = make_client(sandbox)

    report = await client.jobs.publish_many(requests_for(f"d{i}" for i in range(10)))

    assert not report.stopped_early
    assert report.counts["published"] == 9


async def test_stop_on_none_attempts_every_draft(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox, api_key="pp_wrong_key")

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(12)), concurrency=2, stop_on=None
    )

    assert report.counts["failed"] == 12
    assert not report.stopped_early


async def test_stop_on_takes_a_collection_of_error_types(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(drafts=[Draft(f"d{i}", free_eligible=False) for i in range(10)])
    client = make_client(sandbox)

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(10)),
        concurrency=1,
        stop_on={ErrorType.INVALID_PARAMETERS},
    )

    assert report.counts["failed"] == 1
    assert report.counts["not_attempted"] == 9


async def test_stop_on_takes_a_predicate(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(drafts=[Draft(f"d{i}", free_eligible=False) for i in range(10)])
    client = make_client(sandbox)
    looked_at: list[PostpressError] = []

    def stop_after_three(error: PostpressError) -> bool:
        looked_at.append(error)
        return len(looked_at) == 3

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(10)), concurrency=1, stop_on=stop_after_three
    )

    assert report.counts["failed"] == 3
    assert report.counts["not_attempted"] == 7


def test_default_stop_on_spares_checkpoint_answers_and_covers_the_doomed_batch() -> None:
    assert ErrorType.INVALID_CHECKPOINT_SOLUTION not in DEFAULT_STOP_ON
    assert ErrorType.CHECKPOINT_ERROR not in DEFAULT_STOP_ON
    assert {
        ErrorType.INVALID_CREDENTIALS,
        ErrorType.EXPIRED_CREDENTIALS,
        ErrorType.DISCONNECTED_ACCOUNT,
        ErrorType.ACCOUNT_RESTRICTED,
        ErrorType.SUBSCRIPTION_REQUIRED,
        ErrorType.INSUFFICIENT_CREDITS,
    } <= DEFAULT_STOP_ON


async def test_running_out_of_credits_stops_promoted_drafts_but_not_free_ones(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(accounts=[Account("acc_1", credits=2)])
    client = make_client(sandbox)
    promoted = requests_for((f"p{i}" for i in range(6)), mode="PROMOTED")
    free = requests_for((f"f{i}" for i in range(6)), mode="FREE")
    mixed = [request for pair in zip(promoted, free, strict=True) for request in pair]
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(mixed, concurrency=1, on_outcome=seen.append)

    kinds = {o.draft_id: o.kind for o in seen}
    assert all(kinds[f"f{i}"] is OutcomeKind.PUBLISHED for i in range(6))
    assert [kinds[f"p{i}"] for i in range(6)] == [
        OutcomeKind.PUBLISHED,
        OutcomeKind.PUBLISHED,
        OutcomeKind.FAILED,
        *[OutcomeKind.NOT_ATTEMPTED] * 3,
    ]
    assert getattr(report.stop_error, "type", None) is ErrorType.INSUFFICIENT_CREDITS
    assert len(sandbox.ledger) == 8
