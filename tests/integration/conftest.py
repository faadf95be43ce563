"""Fixtures for the end-to-end tests: the SDK through the sandbox over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from postpress_async import AsyncPostpress
from postpress_async.sandbox import Sandbox
from postpress_async.testing import no_retry_waits

SandboxAndClient = tuple[Sandbox, AsyncPostpress]


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    with no_retry_waits():
        yield


@pytest.fixture
async def connect(
    make_sandbox: Callable[..., Awaitable[Sandbox]],
) -> AsyncIterator[Callable[..., Awaitable[SandboxAndClient]]]:
    """Start a sandbox (any ``Sandbox`` settings) and an ``AsyncPostpress`` wired to it."""
    clients: list[AsyncPostpress] = []

    async def connect(**settings: Any) -> SandboxAndClient:
        sandbox = await make_sandbox(**settings)
        client = AsyncPostpress(api_key=sandbox.api_key, base_url=sandbox.base_url)
        clients.append(client)
        return sandbox, client

    yield connect
    for client in clients:
        await client.close()
