"""Running the sandbox in-process, on the caller's event loop: ``Sandbox``.

``Sandbox`` is for async code (``async with Sandbox() as sandbox``). ``SandboxThread``
(``_thread.py``) is for everything else: it runs a ``Sandbox`` on its own loop in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web

from ._accounts import Account, check_status, generate_accounts
from ._app import SandboxHandler
from ._faults import Faults
from ._introspect import account_info, job_info, update_account
from ._jobs import Draft
from ._records import Clock, Ledger, Stats
from ._state import DEFAULT_CREDIT_COSTS, State, generate_drafts

__all__ = ["DEFAULT_API_KEY", "DEFAULT_PREFIX", "Sandbox"]

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
    (``accept_any_draft`` overrides the default); drafts created with ``POST
    /linkedin/jobs`` are always accepted. Accounts: ``accounts`` (a list, or ``N`` for
    ``acc_1``..``acc_N``), or any id with unlimited credits and slots
    (``accept_any_account`` overrides the default). The job lifecycle knobs
    (``review_delay``, ``applicants``, ``resume_fraction``, ...) are described in
    docs/sandbox.md. ``idempotency=False`` models a server that ignores the
    ``Idempotency-Key`` header.
    """

    def __init__(
        self,
        *,
        drafts: Iterable[Draft] | None = None,
        generate: int = 0,
        accept_any_draft: bool | None = None,
        accounts: Iterable[Account] | int | None = None,
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
        review_delay: float | tuple[float, float] = (0.5, 2.0),
        applicants: int | tuple[int, int] = (3, 8),
        resume_fraction: float = 0.8,
        resume_size: int | None = None,
        created_checkpoint_fraction: float = 0.0,
        created_not_free_fraction: float = 0.0,
        idempotency: bool = True,
    ) -> None:
        all_drafts = list(drafts or ())
        if generate:
            all_drafts.extend(generate_drafts(generate, seed=seed))
        if isinstance(accounts, int):
            all_accounts = generate_accounts(accounts)
        else:
            all_accounts = list(accounts or ())
        _check_knobs(review_delay, applicants, resume_fraction, resume_size)
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
            clock=Clock(),
            seed=seed,
            review_delay=review_delay,
            applicants=applicants,
            resume_fraction=resume_fraction,
            created_checkpoint_fraction=created_checkpoint_fraction,
            created_not_free_fraction=created_not_free_fraction,
        )
        self._handler = SandboxHandler(
            state=self._state,
            faults=faults or Faults(),
            seed=seed,
            api_key=api_key,
            prefix=self.prefix,
            max_body_bytes=max_body_bytes,
            max_string_length=max_string_length,
            resume_size=resume_size,
            honour_idempotency_keys=idempotency,
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

    @property
    def clock(self) -> Clock:
        """The sandbox clock (``advance(seconds)`` moves it forward)."""
        return self._state.clock

    def advance_clock(self, seconds: float) -> None:
        """Move sandbox time forward: review delays and idempotency keys run out on it."""
        self._state.clock.advance(seconds)

    def set_account_status(
        self, account_id: str, status: str, *, failure: str | None = None
    ) -> None:
        """Change an account's health now, also mid-run (an unknown id is added)."""
        check_status(status)
        update_account(self._handler, account_id, {"status": status, "failure": failure})
        account = self._state.all_accounts_by_id()[account_id]
        self._accounts.setdefault(account_id, account)

    def set_account_rate_limited(
        self, account_id: str, rate_limited: bool = True, *, retry_after: int | None = None
    ) -> None:
        """Make an account's job calls answer 429 concerning that account only (header
        ``X-RateLimit-Scope: account``, ``Retry-After: retry_after`` seconds; unchanged when
        None), or, with ``rate_limited=False``, answer normally again. Also mid-run; an
        unknown id is added."""
        changes: dict[str, Any] = {"rate_limited": rate_limited}
        if retry_after is not None:
            changes["retry_after"] = retry_after
        update_account(self._handler, account_id, changes)
        account = self._state.all_accounts_by_id()[account_id]
        self._accounts.setdefault(account_id, account)

    def account_info(self) -> list[dict[str, Any]]:
        """Every known account with its health, credits, job slots and rate limit."""
        return account_info(self._handler)

    def job(self, job_id: str) -> dict[str, Any]:
        """What the sandbox knows of one job (``KeyError`` if it does not exist)."""
        return job_info(self._handler, job_id)

    def jobs(self) -> list[dict[str, Any]]:
        """Every job, oldest first (as ``job()`` describes them)."""
        return [job_info(self._handler, job.job_id) for job in self._state.job_order]

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
        """Stop serving and close client connections. Safe to call twice.

        Requests still being handled (a latency fault, a request waiting for its
        idempotency key) are cancelled and awaited, so none is left pending on the loop.
        """
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        tasks = [t for t in self._handler.tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

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


def _check_knobs(
    review_delay: float | tuple[float, float],
    applicants: int | tuple[int, int],
    resume_fraction: float,
    resume_size: int | None,
) -> None:
    low, high = review_delay if isinstance(review_delay, tuple) else (review_delay, review_delay)
    if not 0 <= low <= high:
        raise ValueError(f"review_delay must be >= 0 (and min <= max), got {review_delay!r}")
    a_low, a_high = applicants if isinstance(applicants, tuple) else (applicants, applicants)
    if not 0 <= a_low <= a_high:
        raise ValueError(f"applicants must be >= 0 (and min <= max), got {applicants!r}")
    if not 0.0 <= resume_fraction <= 1.0:
        raise ValueError(f"resume_fraction must be between 0 and 1, got {resume_fraction!r}")
    if resume_size is not None and resume_size < 0:
        raise ValueError(f"resume_size must be >= 0, got {resume_size!r}")
