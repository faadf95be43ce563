"""Fixtures shared by the test folders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from postpress_async.sandbox import Sandbox


@pytest.fixture
async def make_sandbox() -> AsyncIterator[Callable[..., Awaitable[Sandbox]]]:
    """Start sandboxes on the test's loop, with any configuration; all stop at teardown."""
    started: list[Sandbox] = []

    async def make(**kwargs: Any) -> Sandbox:
        sandbox = Sandbox(**kwargs)
        await sandbox.start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        await sandbox.stop()
