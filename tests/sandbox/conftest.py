"""Fixtures for the sandbox contract tests: real sandboxes on 127.0.0.1, raw aiohttp clients.

These tests talk HTTP to the sandbox directly and never through the SDK, so the sandbox is
checked against the API page on its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from postpress_async.sandbox import Sandbox


def pytest_configure(config: pytest.Config) -> None:
    # The pytester fixture, for the plugin tests. Not ``pytest_plugins = ["pytester"]``:
    # pytest refuses that outside the top-level conftest when run from the repo root.
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


MakeSandbox = Callable[..., Awaitable[Sandbox]]


@pytest.fixture
async def sandbox(make_sandbox: MakeSandbox) -> Sandbox:
    """A sandbox with the defaults: any draft and account, no faults."""
    return await make_sandbox()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A raw aiohttp session."""
    async with aiohttp.ClientSession() as session:
        yield session


class Api:
    """Raw calls to one sandbox: ``await api.publish("d1", {...})`` -> (status, json, headers)."""

    def __init__(self, session: aiohttp.ClientSession, sandbox: Sandbox) -> None:
        self.session = session
        self.sandbox = sandbox

    def url(self, encoded_draft_id: str, endpoint: str) -> str:
        return f"{self.sandbox.base_url}/linkedin/jobs/{encoded_draft_id}/{endpoint}"

    async def call(
        self,
        encoded_draft_id: str,
        endpoint: str,
        body: Any = None,
        *,
        data: bytes | None = None,
        key: str | None = "default",
    ) -> tuple[int, Any, Any]:
        headers = {"content-type": "application/json"}
        if key is not None:
            headers["X-API-KEY"] = self.sandbox.api_key if key == "default" else key
        from yarl import URL

        async with self.session.post(
            URL(self.url(encoded_draft_id, endpoint), encoded=True),
            json=None if data is not None else body,
            data=data,
            headers=headers,
        ) as response:
            return response.status, await response.json(), response.headers.copy()

    async def publish(
        self, encoded_draft_id: str, body: Any = None, **kwargs: Any
    ) -> tuple[int, Any, Any]:
        if body is None and "data" not in kwargs:
            body = {"account_id": "acc_1", "mode": "FREE"}
        return await self.call(encoded_draft_id, "publish", body, **kwargs)

    async def checkpoint(
        self, encoded_draft_id: str, body: Any, **kwargs: Any
    ) -> tuple[int, Any, Any]:
        return await self.call(encoded_draft_id, "checkpoint", body, **kwargs)


@pytest.fixture
def api(http: aiohttp.ClientSession, sandbox: Sandbox) -> Api:
    """Raw calls to the default ``sandbox``."""
    return Api(http, sandbox)


@pytest.fixture
def api_for(http: aiohttp.ClientSession) -> Callable[[Sandbox], Api]:
    """Raw calls to another sandbox."""
    return lambda sandbox: Api(http, sandbox)
