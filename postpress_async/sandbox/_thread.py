"""``SandboxThread``: the sandbox on its own event loop in a daemon thread.

For everything that is not async code on one loop (sync tests, notebooks, the sync facade,
the pytest plugin): it owns its loop, so it works whatever loop, if any, the caller runs.
"""

from __future__ import annotations

import asyncio
import os
import threading
from types import TracebackType
from typing import Any

from ._accounts import Account
from ._records import Clock, Ledger, Stats
from ._server import Sandbox

__all__ = ["SandboxThread"]


class SandboxThread:
    """A :class:`Sandbox` served from its own event loop in a daemon thread.

    Takes the same keyword arguments as ``Sandbox`` and exposes the same attributes.
    Use it as a context manager or call ``start()`` / ``stop()``.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._sandbox: Sandbox | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def __repr__(self) -> str:
        return f"<SandboxThread {self._sandbox!r}>"

    @property
    def sandbox(self) -> Sandbox:
        """The running sandbox."""
        if self._sandbox is None:
            raise RuntimeError("the sandbox thread is not running")
        return self._sandbox

    def start(self) -> None:
        """Start the loop thread and the sandbox on it; returns once it is listening."""
        if self._thread is not None:
            raise RuntimeError("already started")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="postpress-sandbox", daemon=True)
        thread.start()
        try:
            # Built on the loop: aiohttp objects bind to the loop that creates them.
            sandbox = asyncio.run_coroutine_threadsafe(self._create(), loop).result()
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            raise
        self._loop, self._thread, self._sandbox = loop, thread, sandbox
        self._pid = os.getpid()

    async def _create(self) -> Sandbox:
        sandbox = Sandbox(**self._kwargs)
        await sandbox.start()
        return sandbox

    def stop(self) -> None:
        """Stop the sandbox and its loop thread. Safe to call twice."""
        loop, thread, sandbox = self._loop, self._thread, self._sandbox
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        if os.getpid() != self._pid:
            # A forked child: the server thread exists only in the parent, so waiting
            # for it would hang forever, and the parent still owns the socket.
            return
        try:
            if sandbox is not None:
                asyncio.run_coroutine_threadsafe(sandbox.stop(), loop).result()
            asyncio.run_coroutine_threadsafe(_cancel_leftovers(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()

    def __enter__(self) -> SandboxThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # The same read-only surface as Sandbox.
    @property
    def base_url(self) -> str:
        """The API base URL to give a client, e.g. ``http://127.0.0.1:54321/api/v1``."""
        return self.sandbox.base_url

    @property
    def root_url(self) -> str:
        """``http://host:port``, where ``/_sandbox/...`` lives."""
        return self.sandbox.root_url

    @property
    def port(self) -> int:
        """The bound port."""
        return self.sandbox.port

    @property
    def host(self) -> str:
        """The address it listens on (127.0.0.1 unless configured)."""
        return self.sandbox.host

    @property
    def api_key(self) -> str:
        """The key a client must send as ``X-API-KEY``."""
        return self.sandbox.api_key

    @property
    def prefix(self) -> str:
        """The API path prefix (``/api/v1`` by default)."""
        return self.sandbox.prefix

    @property
    def ledger(self) -> Ledger:
        """Every accepted publish and every created draft."""
        return self.sandbox.ledger

    @property
    def stats(self) -> Stats:
        """Request counters."""
        return self.sandbox.stats

    @property
    def accounts(self) -> dict[str, Account]:
        """The configured accounts by id (live objects: credits and slots go down)."""
        return self.sandbox.accounts

    @property
    def clock(self) -> Clock:
        """The sandbox clock."""
        return self.sandbox.clock

    # Steering from the calling thread: each change is one attribute assignment, which the
    # loop thread sees whole.
    def advance_clock(self, seconds: float) -> None:
        """See :meth:`Sandbox.advance_clock`."""
        self.sandbox.advance_clock(seconds)

    def set_account_status(
        self, account_id: str, status: str, *, failure: str | None = None
    ) -> None:
        """See :meth:`Sandbox.set_account_status`."""
        self.sandbox.set_account_status(account_id, status, failure=failure)

    def set_account_rate_limited(
        self, account_id: str, rate_limited: bool = True, *, retry_after: int | None = None
    ) -> None:
        """See :meth:`Sandbox.set_account_rate_limited`."""
        self.sandbox.set_account_rate_limited(account_id, rate_limited, retry_after=retry_after)

    def account_info(self) -> list[dict[str, Any]]:
        """See :meth:`Sandbox.account_info`."""
        return self.sandbox.account_info()

    def job(self, job_id: str) -> dict[str, Any]:
        """See :meth:`Sandbox.job`."""
        return self.sandbox.job(job_id)

    def jobs(self) -> list[dict[str, Any]]:
        """See :meth:`Sandbox.jobs`."""
        return self.sandbox.jobs()


async def _cancel_leftovers() -> None:
    # Anything else still scheduled on the sandbox's private loop (aiohttp's connection
    # handlers finishing up) ends here, before the loop closes, instead of being reported
    # "destroyed but pending" by the garbage collector.
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
