"""A tiny postpress-like aiohttp server on 127.0.0.1, in its own thread, for the sync facade tests.

It answers just enough of the contract for the facade (the contract itself is tested
elsewhere) and records what the socket-level tests need: every request, the distinct
client connections, and whether a slow request's connection was closed by the client.

Draft ids steer it: ``missing`` -> 404 envelope, ``slow`` -> no answer until the client
disconnects, ``checkpoint`` -> an OTP checkpoint; anything else is published.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from concurrent.futures import Future
from typing import Any

from aiohttp import web

API_KEY = "pp_test_sync_key"
PREFIX = "/api/v1"
# Every wait in these tests is bounded by this, so a bug fails a test instead of hanging it.
WAIT = 20.0


class ServerThread:
    """The server, running on its own event loop in a daemon thread."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.connections: set[tuple[str, int]] = set()
        self.slow_started = threading.Event()
        self.slow_disconnected = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def start(self) -> None:
        started: Future[int] = Future()
        self._thread = threading.Thread(
            target=self._main, args=(started,), name="sync-test-server", daemon=True
        )
        self._thread.start()
        self.port = started.result(WAIT)

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(WAIT)

    def reset(self) -> None:
        self.requests.clear()
        self.connections.clear()
        self.slow_started.clear()
        self.slow_disconnected.clear()

    def _main(self, started: Future[int]) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve(started))
        finally:
            self._loop.close()

    async def _serve(self, started: Future[int]) -> None:
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_post(PREFIX + "/linkedin/jobs/{draft_id}/{action}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        started.set_result(port)
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer is not None:
            self.connections.add((peer[0], peer[1]))
        draft_id = request.match_info["draft_id"]
        action = request.match_info["action"]
        self.requests.append(f"{action} {draft_id}")
        if request.headers.get("X-API-KEY") != API_KEY:
            return _error(401, "errors/invalid_credentials", "Invalid credentials")
        await request.read()
        if draft_id == "missing":
            return _error(404, "errors/resource_not_found", "Not found")
        if draft_id == "slow":
            return await self._slow(request)
        if draft_id == "checkpoint" and action == "publish":
            return web.json_response(
                {"object": "LinkedinJobPostingPublishCheckpoint", "type": "OTP", "job_id": "j-1"}
            )
        return web.json_response(
            {"object": "LinkedinJobPostingPublished", "job_state": "active", "job_id": draft_id}
        )

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        self.slow_started.set()
        try:
            for _ in range(int(WAIT / 0.02)):
                if request.transport is None or request.transport.is_closing():
                    self.slow_disconnected.set()
                    break
                await asyncio.sleep(0.02)
        except asyncio.CancelledError:
            # aiohttp may cancel the handler when the client goes away: that is
            # the disconnect being observed (recorded, then re-raised).
            self.slow_disconnected.set()
            raise
        return _error(504, "errors/request_timeout", "never answered")


def _error(status: int, type_: str, title: str) -> web.Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    return web.json_response(body, status=status)


PYTHON = sys.executable
