"""Fixtures for the core tests: aioresponses mocks, real servers on 127.0.0.1, clients.

Retry waits are off for every core test (the tests that measure ``backoff`` turn them
back on themselves); the API key and base URL environment variables are cleared so a
developer's shell cannot change what a test sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from aioresponses import aioresponses
from aioresponses import core as aioresponses_core

from postpress_async import AsyncPostpress
from postpress_async.testing import no_retry_waits

from .core_support import API_KEY, MOCK_BASE_URL, FakeAPI, Reply


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("POSTPRESS_API_KEY", raising=False)
    monkeypatch.delenv("POSTPRESS_BASE_URL", raising=False)
    with no_retry_waits():
        yield


class _WrittenRequest:
    output_size = 0


class _CompatClientResponse(ClientResponse):
    # aiohttp 3.14 made ``stream_writer`` required and aioresponses 0.7.9 does not
    # pass it (pnuckowski/aioresponses#289); the mock never writes, so a stub does.
    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _WrittenRequest())
        super().__init__(method, url, **kwargs)


@pytest.fixture
def mock_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    """aioresponses for HTTP-level unit tests; unmatched requests fail loudly."""
    monkeypatch.setattr(aioresponses_core, "ClientResponse", _CompatClientResponse)
    with aioresponses() as mock:
        yield mock


@pytest.fixture
async def client() -> AsyncIterator[AsyncPostpress]:
    """A client aimed at the aioresponses host (use together with ``mock_api``)."""
    async with AsyncPostpress(api_key=API_KEY, base_url=MOCK_BASE_URL) as client:
        yield client


@pytest.fixture
async def make_server() -> AsyncIterator[Callable[..., Awaitable[FakeAPI]]]:
    """Start real servers on 127.0.0.1: ``await make_server(reply, reply...)``."""
    started: list[FakeAPI] = []

    async def make(*replies: Reply, ssl_context: ssl.SSLContext | None = None) -> FakeAPI:
        server = FakeAPI(*replies, ssl_context=ssl_context)
        await server.start()
        started.append(server)
        return server

    yield make
    for server in started:
        await server.stop()


@pytest.fixture
def client_defaults() -> dict[str, Any]:
    """The core tests' clients use the core test key (see core_support)."""
    return {"api_key": API_KEY}


@pytest.fixture
async def make_raw_server() -> AsyncIterator[Callable[[bytes | None], Awaitable[str]]]:
    """A bare TCP server that reads a request head, writes ``answer`` (if any) and hangs up.

    For what aiohttp's server will not do: drop a connection, answer garbage.
    Returns the base URL.
    """
    servers: list[asyncio.Server] = []

    async def make(answer: bytes | None) -> str:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
                if answer is not None:
                    writer.write(answer)
                    await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/v1"

    yield make
    for server in servers:
        server.close()
        await server.wait_closed()
