"""Idempotency keys, SDK through the sandbox: a retry learns what its first attempt did.

The sandbox honours ``Idempotency-Key`` as the postpress quickstart promises (same key and
same request: the stored answer; same key, another request: refused), so these tests pin
that the SDK sends one key per logical call, reuses it on retries, and lets the caller
choose it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from postpress_async import (
    AlreadyPublishedError,
    AsyncPostpress,
    DraftCreated,
    ErrorType,
    JobClosed,
    JobState,
    Published,
    UnprocessableEntityError,
)
from postpress_async.sandbox import KEY_LIFETIME, Faults, Sandbox

ACCOUNT = "acc_1"
Connect = Callable[..., Awaitable[tuple[Sandbox, AsyncPostpress]]]
COMMIT_THEN_FAIL_ONCE = Faults(commit_then_fail=1.0, first_attempts=1)


def _commit_then_fail_once(*endpoints: str) -> Faults:
    """The first call of each id on ``endpoints`` takes effect, then its answer is lost."""
    return Faults(commit_then_fail=1.0, first_attempts=1, endpoints=frozenset(endpoints))


async def _create(
    client: AsyncPostpress, title: str = "Data Engineer", **options: object
) -> DraftCreated:
    return await client.jobs.create(
        account_id=ACCOUNT, job_title=title, company="Acme GmbH", workplace="REMOTE",
        location="106967730", description="<p>Pipelines.</p>", **options,  # type: ignore[arg-type]
    )


async def test_a_create_retried_after_commit_then_fail_learns_the_created_draft(
    connect: Connect,
) -> None:
    sandbox, client = await connect(faults=COMMIT_THEN_FAIL_ONCE)

    draft = await _create(client)

    assert [c.job_id for c in sandbox.ledger.creations] == [draft.job_id]
    assert sandbox.stats.status_counts[504] == 1
    assert sandbox.stats.idempotent_replays == 1
    assert sandbox.ledger.duplicate_creations() == []
    job = await client.jobs.get(draft.job_id, account_id=ACCOUNT)
    assert job.state is JobState.DRAFT


async def test_without_keys_honoured_a_retried_create_leaves_a_second_unpublished_draft(
    connect: Connect,
) -> None:
    # What docs/lifecycle.md promises for a server that ignores the header.
    sandbox, client = await connect(faults=COMMIT_THEN_FAIL_ONCE, idempotency=False)

    draft = await _create(client)

    assert len(sandbox.ledger.creations) == 2
    assert [sorted(group) for group in sandbox.ledger.duplicate_creations()] == [
        sorted(c.job_id for c in sandbox.ledger.creations)
    ]
    assert draft.job_id in {c.job_id for c in sandbox.ledger.creations}
    assert len(sandbox.ledger) == 0  # nothing published, nothing paid


async def test_a_publish_retried_after_commit_then_fail_replays_published(
    connect: Connect,
) -> None:
    sandbox, client = await connect(review_delay=0, faults=_commit_then_fail_once("publish"))
    draft = await _create(client)

    result = await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    assert isinstance(result, Published)
    assert sandbox.ledger.published_count(draft.job_id) == 1
    assert sandbox.stats.idempotent_replays == 1


async def test_the_callers_idempotency_key_replays_the_first_answer(connect: Connect) -> None:
    sandbox, client = await connect()

    first = await _create(client, idempotency_key="req-2026-0042")
    again = await _create(client, idempotency_key="req-2026-0042")

    assert again == first
    assert [c.idempotency_key for c in sandbox.ledger.creations] == ["req-2026-0042"]
    assert sandbox.stats.idempotent_replays == 1


async def test_the_same_key_with_another_body_is_refused_with_a_typed_error(
    connect: Connect,
) -> None:
    sandbox, client = await connect()
    await _create(client, "Data Engineer", idempotency_key="req-7")

    with pytest.raises(UnprocessableEntityError) as caught:
        await _create(client, "DevOps Engineer", idempotency_key="req-7")

    assert caught.value.type is ErrorType.UNPROCESSABLE_ENTITY
    assert caught.value.status == 422
    assert "Idempotency-Key" in str(caught.value)
    assert not isinstance(caught.value, AlreadyPublishedError)
    assert len(sandbox.ledger.creations) == 1


async def test_each_call_without_a_key_gets_its_own(connect: Connect) -> None:
    # Two identical creates are two drafts: the SDK never reuses a key across calls.
    sandbox, client = await connect()

    first = await _create(client)
    second = await _create(client)

    assert first.job_id != second.job_id
    keys = [c.idempotency_key for c in sandbox.ledger.creations]
    assert len(set(keys)) == 2
    assert None not in keys
    assert sandbox.stats.idempotent_replays == 0


async def test_a_publish_replayed_with_the_callers_key_is_not_already_published(
    connect: Connect,
) -> None:
    sandbox, client = await connect(review_delay=0)
    draft = await _create(client)

    first = await client.jobs.publish(
        draft.job_id, account_id=ACCOUNT, mode="FREE", idempotency_key="pub-1")
    again = await client.jobs.publish(
        draft.job_id, account_id=ACCOUNT, mode="FREE", idempotency_key="pub-1")

    assert again == first
    assert sandbox.ledger.published_count(draft.job_id) == 1
    with pytest.raises(AlreadyPublishedError):
        await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")


async def test_edit_and_close_retried_after_commit_then_fail_succeed_once(
    connect: Connect,
) -> None:
    sandbox, client = await connect(
        review_delay=0, faults=_commit_then_fail_once("edit", "close"))
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    await client.jobs.edit(draft.job_id, account_id=ACCOUNT, description="<p>New.</p>")
    await client.jobs.close(draft.job_id, account_id=ACCOUNT)

    job = await client.jobs.get(draft.job_id, account_id=ACCOUNT)
    assert (job.state, job.description) == (JobState.CLOSED, "<p>New.</p>")
    assert sandbox.stats.idempotent_replays == 2


async def test_without_keys_honoured_a_close_retried_after_commit_then_fail_succeeds(
    connect: Connect,
) -> None:
    # The retry's 422 action_already_performed is this call's own close, done once.
    sandbox, client = await connect(
        review_delay=0, idempotency=False, faults=_commit_then_fail_once("close"))
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    closed = await client.jobs.close(draft.job_id, account_id=ACCOUNT)

    assert closed == JobClosed(job_id=draft.job_id)
    assert sandbox.stats.status_counts[504] == 1
    assert (await client.jobs.get(draft.job_id, account_id=ACCOUNT)).state is JobState.CLOSED


async def test_closing_a_job_closed_before_the_call_is_not_already_published(
    connect: Connect,
) -> None:
    _, client = await connect(review_delay=0)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    await client.jobs.close(draft.job_id, account_id=ACCOUNT)

    with pytest.raises(UnprocessableEntityError) as caught:
        await client.jobs.close(draft.job_id, account_id=ACCOUNT)

    assert caught.value.type is ErrorType.ACTION_ALREADY_PERFORMED
    assert not isinstance(caught.value, AlreadyPublishedError)
    assert "published" not in str(caught.value)


async def test_concurrent_calls_with_one_key_create_one_draft(connect: Connect) -> None:
    sandbox, client = await connect()

    results = await asyncio.gather(
        *(_create(client, idempotency_key="ats-req-9") for _ in range(5)))

    assert len({draft.job_id for draft in results}) == 1
    assert len(sandbox.ledger.creations) == 1


async def test_a_key_expires_after_24_hours_of_sandbox_time(connect: Connect) -> None:
    sandbox, client = await connect()
    first = await _create(client, idempotency_key="ats-req-10")

    sandbox.advance_clock(KEY_LIFETIME + 1)
    later = await _create(client, idempotency_key="ats-req-10")

    assert later.job_id != first.job_id
    assert len(sandbox.ledger.creations) == 2
