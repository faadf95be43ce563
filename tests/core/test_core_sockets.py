"""Socket-level behaviour against real aiohttp servers on 127.0.0.1: keep-alive, timeouts,
redirects, dropped connections, oversized bodies, cancellation, caller-owned sessions."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from postpress_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPostpress,
    ClientStateError,
    Published,
    UnexpectedResponseError,
)
from postpress_async._transport import MAX_RESPONSE_BYTES
from postpress_async.testing import set_retry_waits

from .core_support import ACCOUNT_ID, DRAFT_ID, FakeAPI, envelope, json_reply, raw_reply

MakeServer = Callable[..., Awaitable[FakeAPI]]
MakeClient = Callable[..., AsyncPostpress]
MakeRawServer = Callable[[bytes | None], Awaitable[str]]


async def _publish(client: AsyncPostpress, **kwargs: Any) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE", **kwargs)


def _connector(client: AsyncPostpress) -> aiohttp.BaseConnector:
    session = client._core.transport._session  # type: ignore[attr-defined]
    assert session is not None
    connector = session.connector
    assert connector is not None
    return connector


def _acquired(client: AsyncPostpress) -> int:
    """Connections checked out of the pool and not given back (aiohttp has no public API)."""
    return len(_connector(client)._acquired)  # type: ignore[attr-defined]


async def _wait_for(predicate: Callable[[], bool]) -> None:
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached within 5 s")


# --- keep-alive ---------------------------------------------------------------------------

async def test_sequential_calls_reuse_one_connection(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    client = make_client(server.base_url)
    for _ in range(5):
        await _publish(client)
    assert len(server.requests) == 5
    assert len(server.peers) == 1


async def test_error_answers_keep_the_connection(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server(json_reply(404, envelope(404, "errors/resource_not_found")))
    client = make_client(server.base_url)
    for _ in range(3):
        with pytest.raises(APIStatusError):
            await _publish(client)
    assert len(server.peers) == 1


async def test_retries_reuse_the_connection(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server(
        json_reply(503, envelope(503, "errors/no_channel")),
        raw_reply(504, b""),
        json_reply(),
    )
    client = make_client(server.base_url)
    assert isinstance(await _publish(client), Published)
    assert len(server.requests) == 3
    assert len(server.peers) == 1


async def test_concurrent_calls_each_get_a_connection_and_all_are_returned(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    client = make_client(server.base_url)
    results = await asyncio.gather(*(_publish(client) for _ in range(10)))
    assert all(isinstance(r, Published) for r in results)
    assert _acquired(client) == 0


# --- timeouts -------------------------------------------------------------------------------

async def test_slow_answer_raises_timeout_within_per_call_timeout(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url)
    with pytest.raises(APITimeoutError) as caught:
        await _publish(client, timeout=0.3)
    assert isinstance(caught.value, APIConnectionError)
    assert "0.3" in str(caught.value)
    assert len(server.requests) == 1  # a timeout is not retried
    assert _acquired(client) == 0


async def test_with_options_timeout(make_server: MakeServer, make_client: MakeClient) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url)
    with pytest.raises(APITimeoutError):
        await _publish(client.with_options(timeout=0.3))


async def test_client_timeout(make_server: MakeServer, make_client: MakeClient) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url, timeout=0.3)
    with pytest.raises(APITimeoutError):
        await _publish(client)


async def test_timeout_mid_body(make_server: MakeServer, make_client: MakeClient) -> None:
    server = await make_server()
    server.replies = (server.stall_mid_body,)
    client = make_client(server.base_url)
    with pytest.raises(APITimeoutError):
        await _publish(client, timeout=0.3)
    assert _acquired(client) == 0


# --- redirects ------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_is_not_followed(
    make_server: MakeServer, make_client: MakeClient, status: int
) -> None:
    elsewhere = await make_server()
    target = f"{elsewhere.base_url}/linkedin/jobs/{DRAFT_ID}/publish"

    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": target})

    server = await make_server(redirect)
    client = make_client(server.base_url)
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert type(caught.value) is APIStatusError
    assert caught.value.status == status
    assert elsewhere.requests == []  # the key never arrived there
    assert len(server.requests) == 1


# --- broken connections ------------------------------------------------------------------------

async def test_dropped_connection_raises_connection_error(
    make_raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    client = make_client(await make_raw_server(None))
    with pytest.raises(APIConnectionError) as caught:
        await _publish(client)
    assert not isinstance(caught.value, APITimeoutError)


async def test_connection_dropped_mid_body_raises_connection_error(
    make_raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    answer = b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"object": "Linked'
    client = make_client(await make_raw_server(answer))
    with pytest.raises(APIConnectionError):
        await _publish(client)


async def test_garbage_instead_of_http_raises_connection_error(
    make_raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    client = make_client(await make_raw_server(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    with pytest.raises(APIConnectionError):
        await _publish(client)


async def test_refused_connection_raises_connection_error(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port was free a moment ago and nothing listens on it now.
    client = make_client(f"http://127.0.0.1:{port}/api/v1")
    with pytest.raises(APIConnectionError):
        await _publish(client)


# --- oversized bodies ---------------------------------------------------------------------------

async def test_oversized_200_is_cut(make_server: MakeServer, make_client: MakeClient) -> None:
    big = b"x" * (MAX_RESPONSE_BYTES + 100_000)
    server = await make_server(raw_reply(200, big, "application/json"), json_reply())
    client = make_client(server.base_url)
    with pytest.raises(UnexpectedResponseError) as caught:
        await _publish(client)
    assert len(caught.value.body) == MAX_RESPONSE_BYTES
    assert len(str(caught.value)) < 600
    assert isinstance(await _publish(client), Published)
    assert _acquired(client) == 0


async def test_endless_body_is_cut_and_its_connection_not_reused(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(30):
            await response.write(b"z" * 100_000)
        await server.stall(request)  # still streaming when the client gives up
        return response

    server.replies = (endless, json_reply())
    client = make_client(server.base_url)
    with pytest.raises(UnexpectedResponseError):
        await _publish(client)
    assert isinstance(await _publish(client), Published)
    assert len(server.peers) == 2  # the half-read connection went away, not back to the pool
    assert _acquired(client) == 0


async def test_oversized_chunked_error_body_is_cut(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=400)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(20):
            await response.write(b"y" * 100_000)
        await response.write_eof()
        return response

    server = await make_server(chunked)
    client = make_client(server.base_url)
    with pytest.raises(APIStatusError) as caught:
        await _publish(client)
    assert caught.value.status == 400
    assert len(caught.value.body) == MAX_RESPONSE_BYTES


# --- cancellation ---------------------------------------------------------------------------------

async def test_cancelled_while_waiting_raises_cancelled_error_and_leaks_nothing(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url)
    task = asyncio.create_task(_publish(client))
    await asyncio.wait_for(server.received.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError) as caught:
        await task
    assert type(caught.value) is asyncio.CancelledError
    assert _acquired(client) == 0


async def test_cancelled_mid_body_raises_cancelled_error_and_leaks_nothing(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    server.replies = (server.stall_mid_body, json_reply())
    client = make_client(server.base_url)
    task = asyncio.create_task(_publish(client))
    await asyncio.wait_for(server.received.wait(), timeout=5)
    await asyncio.sleep(0.05)  # let the half body arrive
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _acquired(client) == 0
    # The half-read connection is not handed to the next call.
    assert isinstance(await _publish(client), Published)


async def test_cancelled_during_retry_wait_raises_cancelled_error(
    make_server: MakeServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    server = await make_server(
        json_reply(503, envelope(503, "errors/no_channel"), headers={"Retry-After": "30"}),
        json_reply(),
    )
    client = make_client(server.base_url)
    set_retry_waits(True)
    try:
        with caplog.at_level(logging.INFO, logger="postpress_async"):
            task = asyncio.create_task(_publish(client))
            await _wait_for(lambda: any("retrying" in r.getMessage() for r in caplog.records))
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
    finally:
        set_retry_waits(False)
    assert len(server.requests) == 1
    assert _acquired(client) == 0


async def test_client_is_usable_after_a_cancelled_call(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    server.replies = (server.stall, json_reply())
    client = make_client(server.base_url)
    task = asyncio.create_task(_publish(client))
    await asyncio.wait_for(server.received.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert isinstance(await _publish(client), Published)


async def test_wait_for_timeout_around_a_call_is_a_plain_timeout(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url)
    # asyncio.TimeoutError: before Python 3.11 it is not the builtin TimeoutError.
    with pytest.raises(asyncio.TimeoutError) as caught:
        await asyncio.wait_for(_publish(client), timeout=0.2)
    # The caller's own deadline, not the SDK's: it must not be translated.
    assert not isinstance(caught.value, APITimeoutError)
    assert _acquired(client) == 0


# --- caller-owned sessions ---------------------------------------------------------------

async def test_caller_session_is_used_and_not_closed(make_server: MakeServer) -> None:
    server = await make_server()
    async with aiohttp.ClientSession(headers={"X-Caller-Session": "yes"}) as session:
        client = AsyncPostpress(api_key="k", base_url=server.base_url, session=session)
        await _publish(client)
        await client.close()
        assert not session.closed
        assert server.requests[0].headers["X-Caller-Session"] == "yes"
        async with session.get(server.origin + "/still-usable") as response:
            assert response.status == 200
    assert len(server.requests) == 2


async def test_caller_session_survives_async_with(make_server: MakeServer) -> None:
    server = await make_server()
    async with aiohttp.ClientSession() as session:
        async with AsyncPostpress(api_key="k", base_url=server.base_url, session=session) as c:
            await _publish(c)
        assert not session.closed


async def test_own_session_is_closed_by_close(
    make_server: MakeServer,
) -> None:
    server = await make_server()
    client = AsyncPostpress(api_key="k", base_url=server.base_url)
    await _publish(client)
    session = client._core.transport._session  # type: ignore[attr-defined]
    await client.close()
    assert session.closed


async def test_a_closed_caller_session_raises_client_state_error(make_server: MakeServer) -> None:
    server = await make_server()
    session = aiohttp.ClientSession()
    await session.close()
    client = AsyncPostpress(api_key="k", base_url=server.base_url, session=session)
    with pytest.raises(ClientStateError, match="session"):
        await _publish(client)
    assert server.requests == []


async def test_a_client_closed_with_a_caller_session_raises_client_state_error(
    make_server: MakeServer,
) -> None:
    server = await make_server()
    async with aiohttp.ClientSession() as session:
        client = AsyncPostpress(api_key="k", base_url=server.base_url, session=session)
        await client.close()
        with pytest.raises(ClientStateError, match="closed"):
            await _publish(client)
    assert server.requests == []


async def test_caller_session_with_raise_for_status_still_gives_typed_errors(
    make_server: MakeServer,
) -> None:
    server = await make_server(
        json_reply(503, envelope(503, "errors/no_channel")),
        json_reply(404, envelope(404, "errors/resource_not_found", instance="req_1")),
    )
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        client = AsyncPostpress(api_key="k", base_url=server.base_url, session=session)
        with pytest.raises(APIStatusError) as caught:
            await _publish(client)
    # The 503 was retried (not an APIConnectionError), and the 404 kept its class.
    assert caught.value.status == 404
    assert caught.value.request_id == "req_1"
    assert len(server.requests) == 2


def test_a_caller_session_from_another_loop_raises_client_state_error() -> None:
    async def make_session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    session = asyncio.run(make_session())  # its loop is closed now
    client = AsyncPostpress(api_key="k", base_url="http://127.0.0.1:9/api/v1", session=session)

    async def publish() -> object:
        return await _publish(client)

    try:
        with pytest.raises(ClientStateError, match="another event loop"):
            asyncio.run(publish())
    finally:
        asyncio.run(session.close())  # it never opened a connection: closes anywhere
