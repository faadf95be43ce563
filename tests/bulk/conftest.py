"""Fixtures for the bulk-publishing tests: sandboxes on 127.0.0.1 and clients wired to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from bulk_helpers import MakeClient

from postpress_async import AsyncPostpress
from postpress_async.sandbox import Sandbox
from postpress_async.testing import no_retry_waits


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    # Retries still happen, immediately; the one test about pausing turns waits back on.
    with no_retry_waits():
        yield


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """Clients for a sandbox (``api_key`` overridable); all are closed at teardown."""
    clients: list[AsyncPostpress] = []

    async def make(sandbox: Sandbox, **kwargs: Any) -> AsyncPostpress:
        kwargs.setdefault("api_key", sandbox.api_key)
        client = AsyncPostpress(base_url=sandbox.base_url, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
