"""Fixtures shared by the test folders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from postpress_async.sandbox import Sandbox

_PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(autouse=True)
def _no_proxy_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clients read proxies from the environment: a developer's shell (or a CI
    machine) behind a proxy must not route the tests' loopback servers through it.
    Tests about proxies set these variables themselves."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


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
