"""Constants and small helpers shared by the core tests (imported, not fixtures)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
from aiohttp import web
from aioresponses import aioresponses
from multidict import CIMultiDictProxy

# Distinctive, so a leak is found by a plain substring search.
API_KEY = "pp_test_SeCrEt_k3y_0123456789"
DRAFT_ID = "3984512098"
ACCOUNT_ID = "acc_linkedin_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"

# aioresponses tests use a host that cannot resolve: a request that escapes the mock fails.
MOCK_BASE_URL = "https://api.postpress.test/api/v1"
PUBLISH_URL = re.compile(r"^https://api\.postpress\.test/api/v1/linkedin/jobs/[^/]+/publish$")
CHECKPOINT_URL = re.compile(
    r"^https://api\.postpress\.test/api/v1/linkedin/jobs/[^/]+/checkpoint$"
)

PUBLISHED = {"object": "LinkedinJobPostingPublished", "job_state": "active", "job_id": DRAFT_ID}
CHECKPOINT = {"object": "LinkedinJobPostingPublishCheckpoint", "type": "OTP", "job_id": DRAFT_ID}


def envelope(
    status: int,
    type: str,
    title: str = "Something happened",
    *,
    detail: str | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """An error body as the API page documents it (detail and instance optional)."""
    body: dict[str, Any] = {"status": status, "type": type, "title": title}
    if detail is not None:
        body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    return body


def sent(mock: aioresponses) -> list[dict[str, Any]]:
    """Every request aioresponses intercepted: url, headers and the decoded JSON body."""
    calls = []
    for (method, url), requests in mock.requests.items():
        for call in requests:
            data = call.kwargs.get("data")
            calls.append(
                {
                    "method": method,
                    "url": str(url),
                    "headers": call.kwargs.get("headers"),
                    "json": json.loads(data) if data else None,
                }
            )
    return calls


Reply = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_reply(
    status: int = 200, payload: Any = None, headers: dict[str, str] | None = None
) -> Reply:
    """A reply that answers ``status`` with ``payload`` as JSON (the Published body by default)."""
    body = json.dumps(PUBLISHED if payload is None else payload)

    async def reply(request: web.Request) -> web.StreamResponse:
        return web.Response(
            status=status, text=body, content_type="application/json", headers=headers
        )

    return reply


def raw_reply(status: int, body: bytes, content_type: str = "text/html") -> Reply:
    """A reply with an arbitrary body (an HTML proxy page, an empty 504...)."""

    async def reply(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, content_type=content_type)

    return reply


@attrs.frozen
class SeenRequest:
    method: str
    raw_path: str
    headers: CIMultiDictProxy[str]
    body: bytes
    peer: Any


class FakeAPI:
    """A real aiohttp server on 127.0.0.1 that records every request.

    Replies are used in order, the last one for every further request. ``stall``
    is a reply that holds the request open until the test ends (bounded).
    """

    def __init__(self, *replies: Reply, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.replies: tuple[Reply, ...] = replies or (json_reply(),)
        self.requests: list[SeenRequest] = []
        self.received = asyncio.Event()
        self.release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def origin(self) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/v1"

    @property
    def peers(self) -> set[Any]:
        """The client ends of every connection that carried a request."""
        return {seen.peer for seen in self.requests}

    async def stall(self, request: web.Request) -> web.StreamResponse:
        # Bounded: a forgotten release cannot hang the suite.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.release.wait(), timeout=10)
        return await json_reply()(request)

    async def stall_mid_body(self, request: web.Request) -> web.StreamResponse:
        """Send the headers and half a body, then hold the connection open."""
        response = web.StreamResponse(status=200, headers={"Content-Length": "100"})
        await response.prepare(request)
        await response.write(b'{"object": "LinkedinJob')
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.release.wait(), timeout=10)
        return response

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        body = await request.read()
        index = min(len(self.requests), len(self.replies) - 1)
        self.requests.append(
            SeenRequest(request.method, request.raw_path, request.headers, body, peer)
        )
        self.received.set()
        return await self.replies[index](request)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.ssl_context)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()
