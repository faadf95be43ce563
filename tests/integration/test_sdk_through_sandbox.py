"""The SDK against the sandbox over real sockets: the retry matrix and the checkpoint flow.

The sandbox validates from its own reading of the API page, so these tests check
that the SDK and the contract agree, not that the SDK agrees with itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from postpress_async import (
    AlreadyPublishedError,
    APIConnectionError,
    AsyncPostpress,
    AuthenticationError,
    Checkpoint,
    CheckpointType,
    DailyBudget,
    ErrorType,
    GatewayTimeoutError,
    InternalServerError,
    JobState,
    MonthlyBudget,
    Published,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from postpress_async.sandbox import Account, Draft, Faults, Sandbox
from postpress_async.testing import no_retry_waits

ACCOUNT = "acc_linkedin_01"

SandboxFactory = Callable[..., Any]


@pytest.fixture(autouse=True)
def _no_waits() -> Any:
    with no_retry_waits():
        yield


@pytest.fixture
async def start() -> AsyncIterator[SandboxFactory]:
    """Start a sandbox with the given settings and a client wired to it."""
    opened: list[tuple[Sandbox, AsyncPostpress]] = []

    async def factory(**settings: Any) -> tuple[Sandbox, AsyncPostpress]:
        sandbox = Sandbox(**settings)
        await sandbox.start()
        client = AsyncPostpress(api_key=sandbox.api_key, base_url=sandbox.base_url)
        opened.append((sandbox, client))
        return sandbox, client

    yield factory
    for sandbox, client in opened:
        await client.close()
        await sandbox.stop()


RETRIED_FAULTS = [
    pytest.param({"provider_error": 1.0}, InternalServerError, id="500-provider_error"),
    pytest.param({"service_unavailable": 1.0}, ServiceUnavailableError, id="503"),
    pytest.param({"request_timeout": 1.0}, GatewayTimeoutError, id="504"),
]


@pytest.mark.parametrize(("fault", "error"), RETRIED_FAULTS)
async def test_retryable_fault_is_retried_until_it_clears(
    start: SandboxFactory, fault: dict[str, float], error: type[Exception]
) -> None:
    sandbox, client = await start(faults=Faults(**fault, first_attempts=2))

    result = await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert isinstance(result, Published)
    assert sandbox.stats.total_requests == 3
    assert sandbox.ledger.published_count("d1") == 1


@pytest.mark.parametrize(("fault", "error"), RETRIED_FAULTS)
async def test_retryable_fault_raises_the_last_real_error_after_max_retries(
    start: SandboxFactory, fault: dict[str, float], error: type[Exception]
) -> None:
    sandbox, client = await start(faults=Faults(**fault))

    with pytest.raises(error):
        await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert sandbox.stats.total_requests == 3  # max_retries=2: three attempts
    assert len(sandbox.ledger) == 0


NOT_RETRIED_FAULTS = [
    pytest.param({"unexpected_error": 1.0}, InternalServerError, id="500-unexpected_error"),
    pytest.param({"rate_limited": 1.0}, RateLimitError, id="429"),
    pytest.param({"drop_connection": 1.0}, APIConnectionError, id="dropped-connection"),
]


@pytest.mark.parametrize(("fault", "error"), NOT_RETRIED_FAULTS)
async def test_other_faults_are_tried_exactly_once(
    start: SandboxFactory, fault: dict[str, float], error: type[Exception]
) -> None:
    sandbox, client = await start(faults=Faults(**fault))

    with pytest.raises(error):
        await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert sandbox.stats.total_requests == 1


async def test_rate_limit_error_carries_retry_after(start: SandboxFactory) -> None:
    _, client = await start(faults=Faults(rate_limited=1.0, retry_after=7))

    with pytest.raises(RateLimitError) as caught:
        await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert caught.value.retry_after == 7.0


async def test_per_call_max_retries_zero_sends_one_request(start: SandboxFactory) -> None:
    sandbox, client = await start(faults=Faults(request_timeout=1.0))

    with pytest.raises(GatewayTimeoutError):
        await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE", max_retries=0)

    assert sandbox.stats.total_requests == 1


async def test_commit_then_fail_surfaces_as_already_published_and_pays_once(
    start: SandboxFactory,
) -> None:
    sandbox, client = await start(
        idempotency=False, faults=Faults(commit_then_fail=1.0, first_attempts=1)
    )

    with pytest.raises(AlreadyPublishedError) as caught:
        await client.jobs.publish(
            "d1", account_id=ACCOUNT, mode="PROMOTED",
            budget=DailyBudget(currency="usd", amount=25),
        )

    assert caught.value.earlier_attempts == (504,)
    assert "most likely published" in str(caught.value)
    assert isinstance(caught.value, UnprocessableEntityError)
    assert sandbox.ledger.published_count("d1") == 1
    assert sandbox.ledger.duplicates() == {}


async def test_second_publish_of_a_draft_is_already_published_without_earlier_attempts(
    start: SandboxFactory,
) -> None:
    sandbox, client = await start()
    await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    with pytest.raises(AlreadyPublishedError) as caught:
        await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert caught.value.earlier_attempts == ()
    assert caught.value.type is ErrorType.ACTION_ALREADY_PERFORMED
    assert sandbox.ledger.published_count("d1") == 1


async def test_promoted_budgets_reach_the_ledger_as_sent(start: SandboxFactory) -> None:
    sandbox, client = await start()

    await client.jobs.publish(
        "daily", account_id=ACCOUNT, mode="PROMOTED", budget=DailyBudget(currency="eur", amount=10)
    )
    await client.jobs.publish(
        "monthly", account_id=ACCOUNT, mode="PROMOTED_PLUS", service="CLASSIC",
        budget=MonthlyBudget(currency="USD", amount=300.5),
    )

    budgets = {entry.draft_id: entry.budget for entry in sandbox.ledger.entries}
    assert budgets == {
        "daily": {"daily": {"currency": "EUR", "amount": 10}},
        "monthly": {"monthly": {"currency": "USD", "amount": 300.5}},
    }


async def test_every_optional_field_is_accepted_by_the_sandbox(start: SandboxFactory) -> None:
    sandbox, client = await start()

    result = await client.jobs.publish(
        "d1", account_id=ACCOUNT, mode="FREE", service="RECRUITER",
        hiring_photo_frame=True, bypass_email_verification=False,
    )

    assert result == Published(job_id="d1", job_state=JobState.ACTIVE)
    assert sandbox.ledger.entries[0].service == "RECRUITER"


async def test_insufficient_credits_is_typed(start: SandboxFactory) -> None:
    _, client = await start(accounts=[Account(ACCOUNT, credits=1)])
    await client.jobs.publish("d1", account_id=ACCOUNT, mode="PROMOTED")

    with pytest.raises(UnprocessableEntityError) as caught:
        await client.jobs.publish("d2", account_id=ACCOUNT, mode="PROMOTED")

    assert caught.value.type is ErrorType.INSUFFICIENT_CREDITS
    assert caught.value.request_id


async def test_checkpoint_flow_with_a_follow_up_checkpoint(start: SandboxFactory) -> None:
    draft = Draft("d1", checkpoints=(("EMAIL_VERIFICATION", "tok-1"), ("OTP", "123456")))
    sandbox, client = await start(drafts=[draft])

    first = await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")
    assert first == Checkpoint(job_id="d1", type=CheckpointType.EMAIL_VERIFICATION)
    assert len(sandbox.ledger) == 0

    second = await client.jobs.solve_checkpoint(first.job_id, account_id=ACCOUNT, input="tok-1")
    assert second == Checkpoint(job_id="d1", type=CheckpointType.OTP)

    done = await client.jobs.solve_checkpoint(second.job_id, account_id=ACCOUNT, input="123456")
    assert done == Published(job_id="d1", job_state=JobState.ACTIVE)
    assert sandbox.ledger.published_count("d1") == 1


async def test_wrong_checkpoint_code_is_typed_and_can_be_retried(start: SandboxFactory) -> None:
    sandbox, client = await start(drafts=[Draft("d1", checkpoints=(("OTP", "123456"),))])
    await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    with pytest.raises(AuthenticationError) as caught:
        await client.jobs.solve_checkpoint("d1", account_id=ACCOUNT, input="000000")
    assert caught.value.type is ErrorType.INVALID_CHECKPOINT_SOLUTION

    result = await client.jobs.solve_checkpoint("d1", account_id=ACCOUNT, input="123456")
    assert isinstance(result, Published)
    assert sandbox.ledger.published_count("d1") == 1


async def test_wrong_api_key_is_an_authentication_error(start: SandboxFactory) -> None:
    sandbox, _ = await start()
    async with AsyncPostpress(api_key="pp_wrong", base_url=sandbox.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.jobs.publish("d1", account_id=ACCOUNT, mode="FREE")

    assert caught.value.type is ErrorType.INVALID_CREDENTIALS


async def test_tricky_draft_ids_reach_their_own_draft(start: SandboxFactory) -> None:
    ids = ["a/b", "../accounts", "what?x=1", "frag#1", "with space", "100%", "é-ü", "🚀"]
    sandbox, client = await start()

    for draft_id in ids:
        result = await client.jobs.publish(draft_id, account_id=ACCOUNT, mode="FREE")
        assert isinstance(result, Published)
        assert result.job_id == draft_id

    assert sorted(entry.draft_id for entry in sandbox.ledger.entries) == sorted(ids)
