"""Running the sandbox: in-process on the caller's loop, or on its own loop in a thread.

``Sandbox`` is for async code (``async with Sandbox() as sandbox``). ``SandboxThread`` is
for everything else (sync tests, notebooks, the sync facade, the pytest plugin): it owns an
event loop in a daemon thread, so it works whatever loop, if any, the caller runs.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web

from ._app import SandboxHandler
from ._faults import Faults
from ._state import DEFAULT_CREDIT_COSTS, Account, Draft, Ledger, State, Stats, generate_drafts

__all__ = ["DEFAULT_API_KEY", "DEFAULT_PREFIX", "Sandbox", "SandboxThread"]

DEFAULT_API_KEY = "pp_test_sandbox_key"
DEFAULT_PREFIX = "/api/v1"


def _normalise_prefix(prefix: str) -> str:
    prefix = prefix.strip()
    if prefix and not prefix.startswith("/"):
        prefix = "/" + prefix
    return prefix.rstrip("/")


class Sandbox:
    """An embedded postpress API server bound to ``host:port`` (port 0 picks a free one).

    Drafts: ``drafts`` (explicit), ``generate=N`` (``draft-00001``... from ``seed``), or
    neither, in which case any draft id is a fresh, free-eligible draft
    (``accept_any_draft`` overrides the default). Accounts: ``accounts``, or any id with
    unlimited credits and slots (``accept_any_account`` overrides the default).
    """

    def __init__(
        self,
        *,
        drafts: Iterable[Draft] | None = None,
        generate: int = 0,
        accept_any_draft: bool | None = None,
        accounts: Iterable[Account] | None = None,
        accept_any_account: bool | None = None,
        faults: Faults | None = None,
        seed: int = 0,
        api_key: str = DEFAULT_API_KEY,
        prefix: str = DEFAULT_PREFIX,
        host: str = "127.0.0.1",
        port: int = 0,
        credit_costs: Mapping[str, int] | None = None,
        allow_republish: bool = False,
        max_body_bytes: int = 64 * 1024,
        max_string_length: int = 256,
    ) -> None:
        all_drafts = list(drafts or ())
        if generate:
            all_drafts.extend(generate_drafts(generate, seed=seed))
        all_accounts = list(accounts or ())
        if accept_any_draft is None:
            accept_any_draft = not all_drafts
        if accept_any_account is None:
            accept_any_account = not all_accounts
        if not api_key:
            raise ValueError("api_key must not be empty")
        self.host = host
        self.api_key = api_key
        self.prefix = _normalise_prefix(prefix)
        self.seed = seed
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.ServerRunner | None = None
        self._accounts = {a.account_id: a for a in all_accounts}
        self._state = State(
            drafts=all_drafts,
            accounts=all_accounts,
            accept_any_draft=accept_any_draft,
            accept_any_account=accept_any_account,
            allow_republish=allow_republish,
            credit_costs=dict(credit_costs if credit_costs is not None else DEFAULT_CREDIT_COSTS),
        )
        self._handler = SandboxHandler(
            state=self._state,
            faults=faults or Faults(),
            seed=seed,
            api_key=api_key,
            prefix=self.prefix,
            max_body_bytes=max_body_bytes,
            max_string_length=max_string_length,
        )

    def __repr__(self) -> str:
        # Never the key: reprs end up in logs and tracebacks.
        where = self.root_url if self._port is not None else "not started"
        return f"<Sandbox {where}>"

    @property
    def port(self) -> int:
        """The bound port (only once started)."""
        if self._port is None:
            raise RuntimeError("the sandbox is not running")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://host:port``, where ``/_sandbox/...`` lives."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL to give a client, e.g. ``http://127.0.0.1:54321/api/v1``."""
        return self.root_url + self.prefix

    @property
    def ledger(self) -> Ledger:
        """Every accepted publish."""
        return self._state.ledger

    @property
    def stats(self) -> Stats:
        """Request counters."""
        return self._handler.stats

    @property
    def accounts(self) -> dict[str, Account]:
        """The configured accounts by id (live objects: credits and slots go down)."""
        return dict(self._accounts)

    @property
    def faults(self) -> Faults:
        """The fault configuration."""
        return self._handler.faults

    async def start(self) -> None:
        """Bind and start serving."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        # access_log=None: no per-request logging; bulk tests push tens of thousands.
        server = web.Server(self._handler, access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self._requested_port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop serving and close client connections. Safe to call twice."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


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
        """Every accepted publish."""
        return self.sandbox.ledger

    @property
    def stats(self) -> Stats:
        """Request counters."""
        return self.sandbox.stats

    @property
    def accounts(self) -> dict[str, Account]:
        """The configured accounts by id (live objects: credits and slots go down)."""
        return self.sandbox.accounts
