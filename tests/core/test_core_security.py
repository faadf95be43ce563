"""The API key stays secret: not in reprs, exceptions, tracebacks or log records."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from core_support import API_KEY, DRAFT_ID, FakeAPI, envelope, json_reply, raw_reply

from postpress_async import AsyncPostpress, InvalidRequestError, PostpressError

MakeServer = Callable[..., Awaitable[FakeAPI]]
MakeClient = Callable[..., AsyncPostpress]
MakeRawServer = Callable[[bytes | None], Awaitable[str]]


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG (aiohttp's client, server and access logs, asyncio, ours)."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _everything_said_about(error: BaseException) -> str:
    """str, repr, the chained traceback, and a traceback with every frame's locals."""
    parts = [str(error), repr(error)]
    parts += traceback.format_exception(error)
    current: BaseException | None = error
    while current is not None:
        parts += [str(current), repr(current), *_frame_locals(current)]
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def _frame_locals(error: BaseException) -> list[str]:
    # What "show locals" tracebacks print (pytest --showlocals, rich, Sentry). Their reprs
    # are guarded, so an object whose repr fails mid-construction is skipped here too.
    shown = []
    tb = error.__traceback__
    while tb is not None:
        for name, value in tb.tb_frame.f_locals.items():
            try:
                shown.append(f"{name}={value!r}")
            except Exception:
                continue
        tb = tb.tb_next
    return shown


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    lines = [caplog.text]
    for record in caplog.records:
        lines += [record.getMessage(), repr(record.args), repr(record.__dict__)]
    return "\n".join(lines)


async def _publish(client: AsyncPostpress, **kwargs: Any) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id="acc_1", mode="FREE", **kwargs)


def test_key_not_in_client_repr() -> None:
    client = AsyncPostpress(api_key=API_KEY)
    for text in (repr(client), str(client), repr(client.jobs), repr(client.with_options())):
        assert API_KEY not in text


def test_key_not_in_repr_of_client_internals() -> None:
    # What a debugger or a "show locals" traceback prints.
    client = AsyncPostpress(api_key=API_KEY)
    assert API_KEY not in repr(vars(client))
    assert API_KEY not in repr(client._core._headers)


def test_malformed_key_argument_not_in_traceback_locals() -> None:
    with pytest.raises(InvalidRequestError, match="api_key") as caught:
        AsyncPostpress(api_key=API_KEY + "\n")  # a pasted newline: still the real key
    assert API_KEY not in _everything_said_about(caught.value)


def test_malformed_key_from_environment_not_in_traceback_locals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTPRESS_API_KEY", API_KEY + " ")
    with pytest.raises(InvalidRequestError, match="api_key") as caught:
        AsyncPostpress()
    assert API_KEY not in _everything_said_about(caught.value)


async def test_key_not_in_validation_error_tracebacks() -> None:
    client = AsyncPostpress(api_key=API_KEY)
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.publish(DRAFT_ID, account_id="", mode="FREE")
    assert API_KEY not in _everything_said_about(caught.value)
    await client.close()


async def test_key_reaches_the_server_and_no_log_record_at_debug(
    make_server: MakeServer, make_client: MakeClient, all_logs: pytest.LogCaptureFixture
) -> None:
    server = await make_server(
        json_reply(),
        json_reply(503, envelope(503, "errors/no_channel", instance="r1")),
        json_reply(504, envelope(504, "errors/request_timeout")),
        json_reply(401, envelope(401, "errors/invalid_credentials", detail="bad key")),
    )
    client = make_client(server.base_url, max_retries=1)
    await _publish(client)  # success
    with pytest.raises(PostpressError) as retried:
        await _publish(client)  # 503, retried, then 504
    with pytest.raises(PostpressError) as failed:
        await _publish(client)  # 401
    assert server.requests[0].headers["X-API-KEY"] == API_KEY  # the key really went out
    assert any(r.name == "postpress_async" for r in all_logs.records)  # a retry was logged
    assert API_KEY not in _logged(all_logs)
    assert API_KEY not in _everything_said_about(retried.value)
    assert API_KEY not in _everything_said_about(failed.value)


async def test_key_not_in_unexpected_response_error(
    make_server: MakeServer, make_client: MakeClient, all_logs: pytest.LogCaptureFixture
) -> None:
    server = await make_server(raw_reply(200, b"<html>hello</html>"))
    client = make_client(server.base_url)
    with pytest.raises(PostpressError) as caught:
        await _publish(client)
    assert API_KEY not in _everything_said_about(caught.value)
    assert API_KEY not in _logged(all_logs)


async def test_key_not_in_timeout_error(
    make_server: MakeServer, make_client: MakeClient, all_logs: pytest.LogCaptureFixture
) -> None:
    server = await make_server()
    server.replies = (server.stall,)
    client = make_client(server.base_url)
    with pytest.raises(PostpressError) as caught:
        await _publish(client, timeout=0.2)
    assert API_KEY not in _everything_said_about(caught.value)
    assert API_KEY not in _logged(all_logs)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(None, id="dropped"),
        pytest.param(b"NOT HTTP AT ALL\r\n\r\n", id="bad-status-line"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{", id="short-body"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Bad\x00Header: 1\r\n\r\n", id="bad-header"),
    ],
)
async def test_key_not_in_connection_errors(
    make_raw_server: MakeRawServer,
    make_client: MakeClient,
    all_logs: pytest.LogCaptureFixture,
    answer: bytes | None,
) -> None:
    client = make_client(await make_raw_server(answer))
    with pytest.raises(PostpressError) as caught:
        await _publish(client)
    assert API_KEY not in _everything_said_about(caught.value)
    assert API_KEY not in _logged(all_logs)


async def test_key_not_in_refused_connection_error(
    make_client: MakeClient, all_logs: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}/api/v1")
    with pytest.raises(PostpressError) as caught:
        await _publish(client)
    assert API_KEY not in _everything_said_about(caught.value)
    assert API_KEY not in _logged(all_logs)


async def test_key_not_in_redirect_error(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    from aiohttp import web

    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=307, headers={"Location": "http://127.0.0.1:9/steal"})

    server = await make_server(redirect)
    client = make_client(server.base_url)
    with pytest.raises(PostpressError) as caught:
        await _publish(client)
    assert API_KEY not in _everything_said_about(caught.value)


PASSWORD = "pa55-w0rd"


@pytest.mark.parametrize(
    "base_url",
    [
        f"https://gateway:{PASSWORD}@api.example.com/api/v1",
        f"http://gateway:{PASSWORD}@[::1]:8443",
        f"https://gateway:{PASSWORD}@api.example.com",
    ],
)
async def test_a_password_in_base_url_is_masked_in_the_clients_repr(base_url: str) -> None:
    from postpress_async import Postpress

    async with AsyncPostpress(API_KEY, base_url=base_url) as client:
        shown = repr(client)
    with Postpress(API_KEY, base_url=base_url) as sync_client:
        shown += repr(sync_client)
    assert PASSWORD not in shown
    assert shown.count("gateway:***@") == 2
    # The client still uses the credentials: only what is shown is masked.
    assert PASSWORD in client.base_url


@pytest.mark.parametrize(
    "base_url",
    [
        f"https://gateway:{PASSWORD}@api.example.com/api/v1?x=1",  # a query
        f"ftp://gateway:{PASSWORD}@api.example.com",  # not http(s)
        f"https://gateway:{PASSWORD}@api.example.com:99999",  # a bad port
        f"https://gateway:{PASSWORD}@api.example.com/a b",  # whitespace
        f"gateway:{PASSWORD}@api.example.com",  # no scheme
    ],
)
def test_a_password_in_a_refused_base_url_is_masked_in_the_error(base_url: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        AsyncPostpress(API_KEY, base_url=base_url)
    assert PASSWORD not in str(caught.value)
    assert "gateway:***@" in str(caught.value)
