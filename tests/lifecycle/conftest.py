"""Fixtures for the lifecycle tests: clients over a MockTransport, retry waits off."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from postpress_async import AsyncPostpress
from postpress_async.testing import MockHandler, MockTransport, no_retry_waits

from .lifecycle_support import API_KEY, BASE_URL


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("POSTPRESS_API_KEY", raising=False)
    monkeypatch.delenv("POSTPRESS_BASE_URL", raising=False)
    with no_retry_waits():
        yield


@pytest.fixture
def mock_client(
    make_client: Callable[..., AsyncPostpress],
) -> Callable[..., tuple[AsyncPostpress, MockTransport]]:
    """A client whose every request goes to ``handler``, and its transport."""

    def make(handler: MockHandler, **options: Any) -> tuple[AsyncPostpress, MockTransport]:
        transport = MockTransport(handler)
        return make_client(transport, api_key=API_KEY, base_url=BASE_URL, **options), transport

    return make
