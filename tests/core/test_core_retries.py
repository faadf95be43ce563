"""The retry policy: what is retried, how often, how long it waits, what it raises and logs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
import tenacity
from aioresponses import aioresponses

from postpress_async import (
    AlreadyPublishedError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPostpress,
    ErrorType,
    Published,
    UnexpectedResponseError,
)
from postpress_async._retry import MAX_RETRY_AFTER, backoff
from postpress_async.testing import (
    no_retry_waits,
    retry_waits_enabled,
    set_retry_waits,
)

from .core_support import (
    ACCOUNT_ID,
    DRAFT_ID,
    MOCK_BASE_URL,
    PUBLISH_URL,
    PUBLISHED,
    envelope,
    sent,
)

RETRYABLE = [
    pytest.param(500, "errors/provider_error", id="500-provider_error"),
    pytest.param(503, "errors/no_client_session", id="503-no_client_session"),
    pytest.param(503, "errors/no_channel", id="503-no_channel"),
    pytest.param(503, "errors/no_handler", id="503-no_handler"),
    pytest.param(503, "errors/network_down", id="503-network_down"),
    pytest.param(503, "errors/service_unavailable", id="503-service_unavailable"),
    pytest.param(503, None, id="503-non-json"),
    pytest.param(504, "errors/request_timeout", id="504-request_timeout"),
    pytest.param(504, None, id="504-empty"),
]

NOT_RETRYABLE = [
    pytest.param(500, "errors/unexpected_error", id="500-unexpected_error"),
    pytest.param(500, "errors/authentication_intent_error", id="500-authentication_intent"),
    pytest.param(500, None, id="500-non-json"),
    pytest.param(400, "errors/invalid_parameters", id="400"),
    pytest.param(401, "errors/invalid_credentials", id="401"),
    pytest.param(403, "errors/account_restricted", id="403"),
    pytest.param(404, "errors/resource_not_found", id="404"),
    pytest.param(422, "errors/payment_error", id="422"),
    pytest.param(422, "errors/action_already_performed", id="422-already-performed"),
    pytest.param(429, "errors/too_many_requests", id="429"),
    pytest.param(502, None, id="502-html"),
]


def _answer(
    mock: aioresponses,
    status: int,
    type_: str | None,
    *,
    instance: str | None = None,
    **kwargs: Any,
) -> None:
    """Queue one error answer; ``type_`` None answers with a proxy's HTML page."""
    if type_ is None:
        headers = {"X-Request-Id": instance} if instance else {}
        mock.post(PUBLISH_URL, status=status, body=b"<html>proxy</html>",
                  content_type="text/html", headers={**headers, **kwargs.pop("headers", {})},
                  **kwargs)
    else:
        mock.post(PUBLISH_URL, status=status,
                  payload=envelope(status, type_, instance=instance), **kwargs)


async def _publish(client: AsyncPostpress, **kwargs: Any) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE", **kwargs)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Waits switched on, but recorded instead of slept."""
    recorded: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(delay: float, result: Any = None) -> Any:
        if delay > 0:
            recorded.append(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    set_retry_waits(True)
    try:
        yield recorded
    finally:
        set_retry_waits(False)


# --- the matrix --------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "type_"), RETRYABLE)
async def test_retryable_is_retried_up_to_the_default_limit(
    client: AsyncPostpress, mock_api: aioresponses, status: int, type_: str | None
) -> None:
    for attempt in (1, 2, 3):
        _answer(mock_api, status, type_, instance=f"req_{attempt}")
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert len(sent(mock_api)) == 3
    assert caught.value.status == status
    assert caught.value.request_id == "req_3"  # the last real error


@pytest.mark.parametrize(("status", "type_"), RETRYABLE)
async def test_retryable_then_success_returns_the_result(
    client: AsyncPostpress, mock_api: aioresponses, status: int, type_: str | None
) -> None:
    _answer(mock_api, status, type_)
    _answer(mock_api, status, type_)
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    assert isinstance(await _publish(client), Published)
    assert len(sent(mock_api)) == 3


@pytest.mark.parametrize(("status", "type_"), NOT_RETRYABLE)
async def test_not_retryable_is_sent_exactly_once(
    client: AsyncPostpress, mock_api: aioresponses, status: int, type_: str | None
) -> None:
    _answer(mock_api, status, type_, repeat=True)
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert caught.value.status == status
    assert len(sent(mock_api)) == 1


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        pytest.param(aiohttp.ClientConnectionError("refused"), APIConnectionError, id="conn"),
        pytest.param(aiohttp.ServerDisconnectedError(), APIConnectionError, id="disconnected"),
        pytest.param(ConnectionResetError(), APIConnectionError, id="reset"),
        pytest.param(asyncio.TimeoutError(), APITimeoutError, id="timeout"),
        pytest.param(aiohttp.ServerTimeoutError(), APITimeoutError, id="server-timeout"),
    ],
)
async def test_transport_errors_are_translated_and_sent_once(
    client: AsyncPostpress,
    mock_api: aioresponses,
    exception: Exception,
    expected: type[Exception],
) -> None:
    mock_api.post(PUBLISH_URL, exception=exception, repeat=True)
    with pytest.raises(expected) as caught:
        await _publish(client)
    assert len(sent(mock_api)) == 1
    assert caught.value.__cause__ is exception


async def test_transport_error_after_a_retryable_status_is_raised_as_is(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 503, "errors/no_channel")
    mock_api.post(PUBLISH_URL, exception=aiohttp.ClientConnectionError("gone"))
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    with pytest.raises(APIConnectionError):
        await _publish(client)
    assert len(sent(mock_api)) == 2


async def test_malformed_200_is_not_retried(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, body=b"garbage", repeat=True)
    with pytest.raises(UnexpectedResponseError):
        await _publish(client)
    assert len(sent(mock_api)) == 1


async def test_never_raises_tenacity_retry_error(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 504, "errors/request_timeout", repeat=True)
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert not isinstance(caught.value, tenacity.RetryError)
    assert caught.value.__cause__ is None or not isinstance(
        caught.value.__cause__, tenacity.RetryError
    )


async def test_last_error_keeps_its_own_class_when_statuses_differ(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 503, "errors/no_handler")
    _answer(mock_api, 500, "errors/provider_error")
    _answer(mock_api, 504, "errors/request_timeout")
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert caught.value.status == 504
    assert len(sent(mock_api)) == 3


async def test_retries_stop_at_a_non_retryable_answer(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 503, "errors/no_handler")
    _answer(mock_api, 400, "errors/invalid_parameters")
    _answer(mock_api, 503, "errors/no_handler")
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert caught.value.status == 400
    assert len(sent(mock_api)) == 2


# --- max_retries ---------------------------------------------------------------------------

@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2), (2, 3), (5, 6)])
async def test_per_call_max_retries(
    client: AsyncPostpress, mock_api: aioresponses, max_retries: int, attempts: int
) -> None:
    _answer(mock_api, 503, "errors/service_unavailable", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client, max_retries=max_retries)
    assert len(sent(mock_api)) == attempts


async def test_client_max_retries(mock_api: aioresponses) -> None:
    _answer(mock_api, 503, "errors/service_unavailable", repeat=True)
    async with AsyncPostpress(api_key="k", base_url=MOCK_BASE_URL, max_retries=4) as client:
        with pytest.raises(APIStatusError):
            await _publish(client)
    assert len(sent(mock_api)) == 5


async def test_with_options_max_retries(client: AsyncPostpress, mock_api: aioresponses) -> None:
    _answer(mock_api, 503, "errors/service_unavailable", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client.with_options(max_retries=0))
    assert len(sent(mock_api)) == 1


async def test_with_options_leaves_the_original_alone(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    client.with_options(max_retries=0)
    _answer(mock_api, 503, "errors/service_unavailable", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client)
    assert len(sent(mock_api)) == 3


async def test_per_call_max_retries_beats_with_options(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 503, "errors/service_unavailable", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client.with_options(max_retries=5), max_retries=1)
    assert len(sent(mock_api)) == 2


async def test_solve_checkpoint_retries_too(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    url = f"{MOCK_BASE_URL}/linkedin/jobs/{DRAFT_ID}/checkpoint"
    mock_api.post(url, status=503, payload=envelope(503, "errors/no_channel"))
    mock_api.post(url, payload=PUBLISHED)
    result = await client.jobs.solve_checkpoint(DRAFT_ID, account_id=ACCOUNT_ID, input="1")
    assert isinstance(result, Published)
    assert len(sent(mock_api)) == 2


async def test_concurrent_calls_retry_independently(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    drafts = [f"d{i}" for i in range(20)]
    for draft in drafts:
        url = f"{MOCK_BASE_URL}/linkedin/jobs/{draft}/publish"
        mock_api.post(url, status=503, payload=envelope(503, "errors/no_channel"))
        mock_api.post(url, payload={**PUBLISHED, "job_id": draft})
    results = await asyncio.gather(
        *(client.jobs.publish(d, account_id=ACCOUNT_ID, mode="FREE") for d in drafts)
    )
    assert [r.job_id for r in results] == drafts
    assert len(sent(mock_api)) == 40


# --- the already-published publish ----------------------------------------------------------

@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param([(504, "errors/request_timeout")], id="504"),
        pytest.param([(503, "errors/no_channel"), (504, None)], id="503-504"),
        pytest.param([(500, "errors/provider_error")], id="500-provider"),
    ],
)
async def test_retried_publish_ending_already_performed(
    client: AsyncPostpress, mock_api: aioresponses, earlier: list[tuple[int, str | None]]
) -> None:
    for status, type_ in earlier:
        _answer(mock_api, status, type_)
    _answer(mock_api, 422, "errors/action_already_performed")
    with pytest.raises(AlreadyPublishedError) as caught:
        await _publish(client)
    error = caught.value
    assert error.earlier_attempts == tuple(status for status, _ in earlier)
    assert error.status == 422
    assert error.type is ErrorType.ACTION_ALREADY_PERFORMED
    assert "most likely published" in str(error)
    assert "earlier attempt" in str(error)


async def test_first_attempt_already_performed_says_published_before(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    _answer(mock_api, 422, "errors/action_already_performed")
    with pytest.raises(AlreadyPublishedError) as caught:
        await _publish(client)
    assert caught.value.earlier_attempts == ()
    assert "most likely" not in str(caught.value)


# --- waits -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("retry_number", "low", "high"),
    [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (4, 2.0, 4.0), (5, 4.0, 8.0), (12, 4.0, 8.0)],
)
def test_backoff_is_exponential_with_jitter_and_capped(
    sleeps: list[float], retry_number: int, low: float, high: float
) -> None:
    waits = [backoff(retry_number, None) for _ in range(200)]
    assert all(low <= wait <= high for wait in waits)
    assert len(set(waits)) > 1  # jittered


@pytest.mark.parametrize(("retry_after", "expected"), [(0.0, 0.0), (3.0, 3.0), (59.5, 59.5)])
def test_retry_after_replaces_backoff(
    sleeps: list[float], retry_after: float, expected: float
) -> None:
    assert backoff(1, retry_after) == expected
    assert backoff(5, retry_after) == expected


@pytest.mark.parametrize("retry_after", [61.0, 3600.0, float("inf")])
def test_retry_after_is_capped_at_60_seconds(sleeps: list[float], retry_after: float) -> None:
    assert backoff(1, retry_after) == MAX_RETRY_AFTER == 60.0


def test_no_retry_waits_makes_backoff_zero() -> None:
    set_retry_waits(True)
    try:
        with no_retry_waits():
            assert backoff(3, None) == 0.0
            assert backoff(1, 30.0) == 0.0
        assert retry_waits_enabled()
    finally:
        set_retry_waits(False)


async def test_call_waits_what_retry_after_says(
    client: AsyncPostpress, mock_api: aioresponses, sleeps: list[float]
) -> None:
    _answer(mock_api, 503, "errors/no_channel", headers={"Retry-After": "7"})
    _answer(mock_api, 503, "errors/no_channel", headers={"Retry-After": "3600"})
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await _publish(client)
    assert sleeps == [7.0, 60.0]


async def test_call_without_retry_after_backs_off(
    client: AsyncPostpress, mock_api: aioresponses, sleeps: list[float]
) -> None:
    _answer(mock_api, 504, "errors/request_timeout", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client)
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0


async def test_no_wait_after_the_last_attempt(
    client: AsyncPostpress, mock_api: aioresponses, sleeps: list[float]
) -> None:
    _answer(mock_api, 504, "errors/request_timeout", repeat=True)
    with pytest.raises(APIStatusError):
        await _publish(client, max_retries=1)
    assert len(sleeps) == 1


async def test_429_retry_after_is_on_the_error_and_not_slept(
    client: AsyncPostpress, mock_api: aioresponses, sleeps: list[float]
) -> None:
    _answer(mock_api, 429, "errors/too_many_requests", headers={"Retry-After": "12"})
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert caught.value.retry_after == 12.0
    assert sleeps == []
    assert len(sent(mock_api)) == 1


# --- logging -----------------------------------------------------------------------------------

async def test_each_retry_is_logged_with_draft_attempt_status_type_and_wait(
    client: AsyncPostpress, mock_api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    _answer(mock_api, 503, "errors/network_down")
    _answer(mock_api, 504, "errors/request_timeout")
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    with caplog.at_level(logging.DEBUG, logger="postpress_async"):
        await _publish(client)
    # DEBUG adds a request and a response line per attempt; the retries are the INFO lines.
    records = [
        r for r in caplog.records if r.name == "postpress_async" and r.levelno >= logging.INFO
    ]
    assert len(records) == 2
    assert len([r for r in caplog.records if r.levelno == logging.DEBUG]) == 6
    first, second = (r.getMessage() for r in records)
    assert DRAFT_ID in first
    assert "attempt 1 of 3" in first
    assert "503" in first
    assert "errors/network_down" in first
    assert "waiting" in first
    assert "attempt 2 of 3" in second
    assert "504" in second
    assert "errors/request_timeout" in second


async def test_a_first_attempt_success_logs_nothing_above_debug(
    client: AsyncPostpress, mock_api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    with caplog.at_level(logging.INFO, logger="postpress_async"):
        await _publish(client)
    assert [r for r in caplog.records if r.name.startswith("postpress_async")] == []


# --- the tenacity machinery -------------------------------------------------------------------

@pytest.fixture
def retryings(monkeypatch: pytest.MonkeyPatch) -> list[tenacity.AsyncRetrying]:
    """Every AsyncRetrying the SDK builds."""
    built: list[tenacity.AsyncRetrying] = []

    class Recording(tenacity.AsyncRetrying):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            built.append(self)

    monkeypatch.setattr(tenacity, "AsyncRetrying", Recording)
    return built


async def test_a_first_attempt_success_builds_no_retry_machinery(
    client: AsyncPostpress, mock_api: aioresponses, retryings: list[tenacity.AsyncRetrying]
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await _publish(client)
    assert retryings == []


async def test_a_non_retryable_failure_builds_no_retry_machinery(
    client: AsyncPostpress, mock_api: aioresponses, retryings: list[tenacity.AsyncRetrying]
) -> None:
    _answer(mock_api, 400, "errors/invalid_parameters")
    with pytest.raises(APIStatusError):
        await _publish(client)
    assert retryings == []


async def test_each_retried_call_builds_its_own_retrying(
    client: AsyncPostpress, mock_api: aioresponses, retryings: list[tenacity.AsyncRetrying]
) -> None:
    for draft in ("a", "b"):
        url = f"{MOCK_BASE_URL}/linkedin/jobs/{draft}/publish"
        mock_api.post(url, status=503, payload=envelope(503, "errors/no_channel"))
        mock_api.post(url, payload=PUBLISHED)
    await asyncio.gather(
        *(client.jobs.publish(d, account_id=ACCOUNT_ID, mode="FREE") for d in ("a", "b"))
    )
    assert len(retryings) == 2
    assert retryings[0] is not retryings[1]
