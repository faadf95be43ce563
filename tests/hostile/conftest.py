"""Fixtures for the hostile-world tests: misbehaving servers on real 127.0.0.1 sockets.

Two kinds of server: ``web_server`` (aiohttp's low-level ``web.Server`` with one handler,
for every fault aiohttp can express) and ``raw_server`` (``asyncio.start_server``, for the
faults it cannot: resets, early closes, garbage bytes, lying ``Content-Length``). Both hand
back an API base URL to point a client at. ``make_client`` builds clients with the test key
and closes them at teardown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest
from aiohttp import web

# Distinctive enough that a substring search for it cannot hit by accident.
API_KEY = "pp_live_HOSTILE_k3y_7f3e9c1a5b"
PREFIX = "/api/v1"
PUBLISHED = b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"j-1"}'
# Any single SDK call in these tests must return within this; it is a hang guard, not a
# timing assertion (per-call timeouts are 0.5-2 s).
GUARD_SECONDS = 20.0

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
MakeWebServer = Callable[..., Awaitable[str]]
MakeRawServer = Callable[[RawHandler], Awaitable[str]]

_T = TypeVar("_T")


async def bounded(awaitable: Awaitable[_T]) -> _T:
    """Await an SDK call, failing the test (instead of hanging it) if it never returns."""
    return await asyncio.wait_for(awaitable, GUARD_SECONDS)


def published_response(**headers: str) -> web.Response:
    return web.Response(body=PUBLISHED, content_type="application/json", headers=headers or None)


@pytest.fixture
async def web_server() -> AsyncIterator[MakeWebServer]:
    """Start aiohttp servers around a handler; returns ``http(s)://127.0.0.1:port/api/v1``."""
    runners: list[web.ServerRunner] = []

    async def start(handler: Handler, *, ssl_context: Any = None) -> str:
        runner = web.ServerRunner(web.Server(handler, access_log=None), shutdown_timeout=0.5)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
        await site.start()
        port = runner.addresses[0][1]
        scheme = "https" if ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{port}{PREFIX}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def raw_server() -> AsyncIterator[MakeRawServer]:
    """Start ``asyncio.start_server`` servers; the handler owns the connection's bytes."""
    servers: list[asyncio.Server] = []
    tasks: set[asyncio.Task[None]] = set()

    async def start(handler: RawHandler) -> str:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            tasks.add(task)
            try:
                await handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass  # the client gave up first: that is what many of these tests provoke
            finally:
                tasks.discard(task)
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}{PREFIX}"

    yield start
    for server in servers:
        server.close()
    for task in list(tasks):
        task.cancel()
    for task in list(tasks):
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for server in servers:
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> tuple[str, dict[str, str], bytes]:
    """Read one HTTP/1.1 request: (request line, lower-cased headers, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for header in header_lines:
        if header:
            name, _, value = header.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return line, headers, body


@pytest.fixture
def client_defaults() -> dict[str, Any]:
    """The hostile tests' clients: their own key, a 2 s timeout, no retries unless asked."""
    return {"api_key": API_KEY, "timeout": 2.0, "max_retries": 0}
