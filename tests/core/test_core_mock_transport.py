"""The public transport seam: ``transport=`` and ``postpress_async.testing.MockTransport``.

Through a mock transport, retries, decoding and typed errors behave exactly as over the
network: the same request core runs; only the bytes come from a function.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from core_support import ACCOUNT_ID, API_KEY, CHECKPOINT, DRAFT_ID, PUBLISHED, envelope
from test_core_errors import DOCUMENTED

from postpress_async import (
    AlreadyPublishedError,
    APIConnectionError,
    APITimeoutError,
    AsyncPostpress,
    Checkpoint,
    GatewayTimeoutError,
    InvalidRequestError,
    Postpress,
    Published,
    ServiceUnavailableError,
    TransportRequest,
    TransportResponse,
    UnexpectedResponseError,
)
from postpress_async.testing import MockResponse, MockTransport

BASE_URL = "https://api.postpress.test/api/v1"


def client_with(handler: Any, **options: Any) -> AsyncPostpress:
    return AsyncPostpress(API_KEY, base_url=BASE_URL, transport=MockTransport(handler), **options)


async def publish(client: AsyncPostpress) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")


async def test_the_handler_sees_the_request_the_sdk_sends() -> None:
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport)
    await publish(client)
    (request,) = transport.requests
    assert request.method == "POST"
    assert request.url == f"{BASE_URL}/linkedin/jobs/{DRAFT_ID}/publish"
    assert request.headers["X-API-KEY"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {"account_id": ACCOUNT_ID, "mode": "FREE"}
    assert API_KEY not in repr(request.headers)  # the key is masked wherever it is repr'd


async def test_a_sync_and_an_async_handler_both_answer() -> None:
    async def async_handler(_: TransportRequest) -> MockResponse:
        await asyncio.sleep(0)
        return MockResponse(200, json=CHECKPOINT)

    assert isinstance(await publish(client_with(lambda _: MockResponse(200, json=PUBLISHED))),
                      Published)
    assert isinstance(await publish(client_with(async_handler)), Checkpoint)


@pytest.mark.parametrize(
    ("status", "error_type", "cls"),
    [
        pytest.param(status, f"errors/{name}", cls, id=f"{status}-{name}")
        for status, (cls, names) in DOCUMENTED.items()
        for name in names
    ],
)
async def test_every_documented_error_arrives_typed(
    status: int, error_type: str, cls: type[Exception]
) -> None:
    client = client_with(lambda _: MockResponse(status, json=envelope(status, error_type)),
                         max_retries=0)
    with pytest.raises(cls) as info:
        await publish(client)
    assert info.value.type == error_type  # type: ignore[attr-defined]


async def test_a_retryable_answer_is_retried_with_the_same_idempotency_key() -> None:
    answers = [MockResponse(503, json=envelope(503, "errors/network_down")),
               MockResponse(504, body=b""),
               MockResponse(200, json=PUBLISHED)]
    transport = MockTransport(lambda _: answers.pop(0))
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport, max_retries=2)
    assert isinstance(await publish(client), Published)
    keys = {request.headers["Idempotency-Key"] for request in transport.requests}
    assert len(transport.requests) == 3
    assert len(keys) == 1


async def test_each_logical_call_has_its_own_idempotency_key() -> None:
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport)
    await publish(client)
    await publish(client)
    first, second = (r.headers["Idempotency-Key"] for r in transport.requests)
    assert first != second


async def test_retries_stop_at_max_retries_and_raise_the_last_error() -> None:
    transport = MockTransport(lambda _: MockResponse(504, body=b""))
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport, max_retries=3)
    with pytest.raises(GatewayTimeoutError):
        await publish(client)
    assert len(transport.requests) == 4


async def test_an_already_published_retry_names_the_earlier_attempts() -> None:
    answers = [MockResponse(504, body=b""),
               MockResponse(422, json=envelope(422, "errors/action_already_performed"))]
    client = client_with(lambda _: answers.pop(0), max_retries=2)
    with pytest.raises(AlreadyPublishedError) as info:
        await publish(client)
    assert info.value.earlier_attempts == (504,)


async def test_a_non_retryable_answer_is_sent_once() -> None:
    transport = MockTransport(
        lambda _: MockResponse(500, json=envelope(500, "errors/unexpected_error"))
    )
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport, max_retries=2)
    with pytest.raises(Exception, match="unexpected_error"):
        await publish(client)
    assert len(transport.requests) == 1


@pytest.mark.parametrize("error", [APIConnectionError("reset"), APITimeoutError("slow")])
async def test_a_handler_raising_a_connection_error_acts_as_the_network(
    error: APIConnectionError,
) -> None:
    def handler(_: TransportRequest) -> MockResponse:
        raise error

    with pytest.raises(type(error)):
        await publish(client_with(handler, max_retries=2))


async def test_a_custom_transport_with_plain_dict_headers_reads_headers_in_any_case() -> None:
    class PlainTransport:
        async def send(self, request: TransportRequest) -> TransportResponse:
            return TransportResponse(
                503, {"retry-after": "7", "x-request-id": "req-9"}, b"", "Unavailable"
            )

        async def aclose(self) -> None:
            pass

    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=PlainTransport(), max_retries=0)
    with pytest.raises(ServiceUnavailableError) as info:
        await publish(client)
    assert (info.value.retry_after, info.value.request_id) == (7.0, "req-9")


async def test_an_unknown_success_body_through_the_mock_is_an_unexpected_response() -> None:
    with pytest.raises(UnexpectedResponseError, match="unknown response object"):
        await publish(client_with(lambda _: MockResponse(200, json={"object": "Nope"})))


async def test_closing_the_client_closes_its_transport() -> None:
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    async with AsyncPostpress(API_KEY, base_url=BASE_URL, transport=transport):
        pass
    assert transport.closed


def test_the_sync_facade_takes_a_transport() -> None:
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    with Postpress(API_KEY, base_url=BASE_URL, transport=transport) as client:
        result = client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert isinstance(result, Published)
    assert len(transport.requests) == 1


@pytest.mark.parametrize("transport", [object(), "http://proxy", 42])
def test_a_transport_without_send_and_aclose_is_refused(transport: object) -> None:
    with pytest.raises(InvalidRequestError, match="transport"):
        AsyncPostpress(API_KEY, transport=transport)  # type: ignore[arg-type]


def test_transport_and_session_options_are_exclusive() -> None:
    import ssl

    with pytest.raises(InvalidRequestError, match="transport"):
        AsyncPostpress(API_KEY, transport=MockTransport(lambda _: MockResponse()),
                       ssl=ssl.create_default_context())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"status": 99}, "status"), ({"status": True}, "status"),
     ({"json": {}, "body": b"x"}, "not both")],
)
def test_mock_response_refuses_what_no_server_could_send(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        MockResponse(**kwargs)


async def test_a_handler_returning_something_else_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="must return a MockResponse"):
        await publish(client_with(lambda _: {"status": 200}))
