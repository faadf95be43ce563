"""Fixtures for the lifecycle tests: clients over a MockTransport, retry waits off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from lifecycle_support import API_KEY, BASE_URL

from postpress_async import AsyncPostpress
from postpress_async.testing import MockHandler, MockTransport, no_retry_waits


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("POSTPRESS_API_KEY", raising=False)
    monkeypatch.delenv("POSTPRESS_BASE_URL", raising=False)
    with no_retry_waits():
        yield


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[..., tuple[AsyncPostpress, MockTransport]]]:
    """A client whose every request goes to ``handler``; closed at teardown."""
    made: list[AsyncPostpress] = []

    def make(handler: MockHandler, **options: Any) -> tuple[AsyncPostpress, MockTransport]:
        transport = MockTransport(handler)
        client = AsyncPostpress(api_key=API_KEY, base_url=BASE_URL, transport=transport,
                                **options)
        made.append(client)
        return client, transport

    yield make
    for client in made:
        await client.close()
