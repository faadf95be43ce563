"""Client configuration: key, base URL, timeouts, retries, User-Agent, with_options."""

from __future__ import annotations

import asyncio
import platform
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses
from core_support import ACCOUNT_ID, DRAFT_ID, MOCK_BASE_URL, PUBLISH_URL, PUBLISHED, sent

import postpress_async
from postpress_async import (
    DEFAULT_BASE_URL,
    NOT_GIVEN,
    AsyncPostpress,
    InvalidRequestError,
    Timeout,
)
from postpress_async._aiohttp_transport import AiohttpTransport


def test_missing_key_names_the_environment_variable() -> None:
    with pytest.raises(InvalidRequestError, match="POSTPRESS_API_KEY") as caught:
        AsyncPostpress()
    assert caught.value.field == "api_key"


def test_empty_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTPRESS_API_KEY", "")
    with pytest.raises(InvalidRequestError, match="POSTPRESS_API_KEY"):
        AsyncPostpress(api_key="")


@pytest.mark.parametrize("key", ["pp_live_abc\n", "pp live", "pp_live_\x00", "clé"])
def test_malformed_key_is_rejected_without_echoing_it(key: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        AsyncPostpress(api_key=key)
    assert key.strip() not in str(caught.value)


def test_non_string_key_is_rejected() -> None:
    with pytest.raises(InvalidRequestError, match="api_key"):
        AsyncPostpress(api_key=b"pp_live_x")  # type: ignore[arg-type]


async def test_key_from_environment_is_sent(
    monkeypatch: pytest.MonkeyPatch, mock_api: aioresponses
) -> None:
    monkeypatch.setenv("POSTPRESS_API_KEY", "pp_env_key")
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    async with AsyncPostpress(base_url=MOCK_BASE_URL) as client:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert sent(mock_api)[0]["headers"]["X-API-KEY"] == "pp_env_key"


async def test_key_argument_beats_environment(
    monkeypatch: pytest.MonkeyPatch, mock_api: aioresponses
) -> None:
    monkeypatch.setenv("POSTPRESS_API_KEY", "pp_env_key")
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    async with AsyncPostpress(api_key="pp_arg_key", base_url=MOCK_BASE_URL) as client:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert sent(mock_api)[0]["headers"]["X-API-KEY"] == "pp_arg_key"


def test_default_base_url() -> None:
    assert DEFAULT_BASE_URL == "https://api.postpress.ai/api/v1"
    assert AsyncPostpress(api_key="k").base_url == "https://api.postpress.ai/api/v1"


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTPRESS_BASE_URL", "http://127.0.0.1:9999/api/v1")
    assert AsyncPostpress(api_key="k").base_url == "http://127.0.0.1:9999/api/v1"


def test_base_url_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTPRESS_BASE_URL", "http://127.0.0.1:9999/api/v1")
    client = AsyncPostpress(api_key="k", base_url="https://api.postpress.ai/v1")
    assert client.base_url == "https://api.postpress.ai/v1"


def test_base_url_trailing_slash_is_dropped() -> None:
    assert AsyncPostpress(api_key="k", base_url=MOCK_BASE_URL + "/").base_url == MOCK_BASE_URL


@pytest.mark.parametrize(
    "url",
    ["api.postpress.ai/api/v1", "ftp://api.postpress.ai", "https://", "https://h/v1?x=1",
     "https://h/v1#f", "", "http://127.0.0.1:99999", "http://h:port/v1", "http://[::1/v1",
     "http://h:0", "http://127.0.0.1:8080/api v1", "http://127.0.0.1:8080/api/v1\n",
     "http://127.0.0.1:8080/a\tb"],
)
def test_invalid_base_url_is_rejected(url: str) -> None:
    with pytest.raises(InvalidRequestError, match="base_url"):
        AsyncPostpress(api_key="k", base_url=url)


def test_default_timeout_and_retries() -> None:
    client = AsyncPostpress(api_key="k")
    assert client.max_retries == 2
    assert client.timeout.connect is not None
    assert client.timeout.total is not None
    assert client.timeout.connect < client.timeout.total


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (5, Timeout(total=5.0, connect=5.0)),
        (30.0, Timeout(total=30.0, connect=10.0)),
        (None, Timeout(total=None, connect=None)),
        (Timeout(total=120, connect=3), Timeout(total=120, connect=3)),
    ],
)
def test_timeout_forms(timeout: Any, expected: Timeout) -> None:
    assert AsyncPostpress(api_key="k", timeout=timeout).timeout == expected


@pytest.mark.parametrize(
    "timeout", [0, -1, float("nan"), float("inf"), "10", True, [1]],
)
def test_invalid_timeout_is_rejected(timeout: Any) -> None:
    with pytest.raises(InvalidRequestError, match="timeout"):
        AsyncPostpress(api_key="k", timeout=timeout)


@pytest.mark.parametrize("timeout", [{"total": 0}, {"connect": -2}, {"total": "x"}])
def test_invalid_timeout_object_is_rejected(timeout: dict[str, Any]) -> None:
    with pytest.raises(InvalidRequestError, match="timeout"):
        Timeout(**timeout)


@pytest.mark.parametrize("max_retries", [-1, 1.0, "2", True, None])
def test_invalid_max_retries_is_rejected(max_retries: Any) -> None:
    with pytest.raises(InvalidRequestError, match="max_retries"):
        AsyncPostpress(api_key="k", max_retries=max_retries)


def test_with_options_overrides_and_shares_the_pool() -> None:
    client = AsyncPostpress(api_key="k", max_retries=3)
    other = client.with_options(timeout=5, max_retries=0)
    assert (other.max_retries, other.timeout.total) == (0, 5.0)
    assert (client.max_retries, client.timeout) == (3, AsyncPostpress(api_key="k").timeout)
    assert other.base_url == client.base_url
    assert other._core is client._core


def test_with_options_not_given_keeps_values() -> None:
    client = AsyncPostpress(api_key="k", timeout=7, max_retries=1)
    other = client.with_options(timeout=NOT_GIVEN, max_retries=NOT_GIVEN)
    assert (other.timeout, other.max_retries) == (client.timeout, 1)


def test_with_options_validates() -> None:
    with pytest.raises(InvalidRequestError, match="max_retries"):
        AsyncPostpress(api_key="k").with_options(max_retries=-3)


async def test_user_agent_names_sdk_python_and_aiohttp(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    user_agent = sent(mock_api)[0]["headers"]["User-Agent"]
    assert f"postpress-async/{postpress_async.__version__}" in user_agent
    assert f"Python/{platform.python_version()}" in user_agent
    assert f"aiohttp/{aiohttp.__version__}" in user_agent


async def test_closing_a_with_options_copy_keeps_the_original_usable(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    copy = client.with_options(max_retries=0)
    await copy.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    await copy.close()
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert len(sent(mock_api)) == 2


async def test_a_closed_client_raises_client_state_error(mock_api: aioresponses) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    client = AsyncPostpress(api_key="k", base_url=MOCK_BASE_URL)
    await client.close()
    with pytest.raises(postpress_async.ClientStateError, match="closed"):
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert sent(mock_api) == []


def test_a_client_used_on_another_loop_raises_client_state_error(
    mock_api: aioresponses,
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    client = AsyncPostpress(api_key="k", base_url=MOCK_BASE_URL)

    async def publish() -> object:
        return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")

    try:
        asyncio.run(publish())
        with pytest.raises(postpress_async.ClientStateError, match="event loop"):
            asyncio.run(publish())
    finally:
        asyncio.run(client.close())
    assert len(sent(mock_api)) == 1


async def test_async_with_closes_the_session() -> None:
    async with AsyncPostpress(api_key="k", base_url=MOCK_BASE_URL) as client:
        session = client._core.transport._open_session()  # type: ignore[attr-defined]
    assert session.closed


def test_per_call_timeouts_do_not_grow_the_transport_without_bound() -> None:
    # A caller passing its remaining deadline makes a new Timeout on every call.
    transport = AiohttpTransport()
    for n in range(1000):
        assert transport._client_timeout(Timeout(total=1 + n / 1000)).total == 1 + n / 1000
    assert len(transport._timeouts) <= 64
