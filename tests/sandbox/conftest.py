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


class Raw:
    """Any call to one sandbox: ``await raw.get("/linkedin/jobs", account_id="acc_1")``.

    Returns ``(status, body, headers)``; the body is JSON when the answer says so, else bytes.
    """

    def __init__(self, session: aiohttp.ClientSession, sandbox: Sandbox) -> None:
        self.session = session
        self.sandbox = sandbox

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: Any = None,
        headers: dict[str, str] | None = None,
        key: str | None = "default",
        idempotency_key: str | None = None,
    ) -> tuple[int, Any, Any]:
        all_headers = {"content-type": "application/json"} if body is not None else {}
        if key is not None:
            all_headers["X-API-KEY"] = self.sandbox.api_key if key == "default" else key
        if idempotency_key is not None:
            all_headers["Idempotency-Key"] = idempotency_key
        all_headers.update(headers or {})
        async with self.session.request(
            method,
            self.sandbox.base_url + path,
            json=body,
            params=params,
            headers=all_headers,
        ) as response:
            if response.content_type == "application/json":
                payload = await response.json()
            else:
                payload = await response.read()
            return response.status, payload, response.headers.copy()

    @staticmethod
    def job_body(account_id: str = "acc_1", **fields: Any) -> dict[str, Any]:
        """A valid create body, with ``fields`` added or replaced."""
        return job_body(account_id, **fields)

    async def get(self, path: str, **params: Any) -> tuple[int, Any, Any]:
        return await self.request("GET", path, params=params)

    async def create(self, body: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.request("POST", "/linkedin/jobs", body or job_body(), **kwargs)

    async def new_job(self, account_id: str = "acc_1", **fields: Any) -> str:
        status, payload, _ = await self.create(job_body(account_id, **fields))
        assert status == 200, payload
        return str(payload["job_id"])

    async def publish(self, job_id: str, account_id: str = "acc_1", **fields: Any) -> Any:
        body = {"account_id": account_id, "mode": "FREE", **fields}
        return await self.request("POST", f"/linkedin/jobs/{job_id}/publish", body)

    async def get_job(self, job_id: str, account_id: str = "acc_1") -> tuple[int, Any, Any]:
        return await self.get(f"/linkedin/jobs/{job_id}", account_id=account_id, service="CLASSIC")

    async def live_job(self, account_id: str = "acc_1", **fields: Any) -> str:
        """A created, published job (with review_delay=0 it is active at once)."""
        job_id = await self.new_job(account_id, **fields)
        status, payload, _ = await self.publish(job_id, account_id)
        assert status == 200, payload
        return job_id


def job_body(account_id: str = "acc_1", **fields: Any) -> dict[str, Any]:
    """A valid create body."""
    return {
        "account_id": account_id,
        "job_title": {"text": "Senior Python Engineer"},
        "company": {"id": "9263"},
        "workplace": "HYBRID",
        "location": "106967730",
        "description": "<p>We build things.</p>",
        **fields,
    }


@pytest.fixture
async def fast_sandbox(make_sandbox: MakeSandbox) -> Sandbox:
    """A sandbox whose published jobs go live at once."""
    return await make_sandbox(review_delay=0)


@pytest.fixture
def raw(http: aiohttp.ClientSession, fast_sandbox: Sandbox) -> Raw:
    """Any call to ``fast_sandbox``."""
    return Raw(http, fast_sandbox)


@pytest.fixture
def raw_for(http: aiohttp.ClientSession) -> Callable[[Sandbox], Raw]:
    """Any call to another sandbox."""
    return lambda sandbox: Raw(http, sandbox)
