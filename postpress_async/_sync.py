"""``Postpress``: the sync facade over :class:`AsyncPostpress`, for scripts and notebooks.

Every call is a coroutine of the async client, handed to one SDK-owned event loop
running in a daemon thread (``_loop_thread``) while the calling thread waits. The
async client (so its one aiohttp session and connection pool) lives on that loop,
which is why this works inside Jupyter (the caller's own running loop is never
touched) and why sequential calls share connections.
Nothing about requests, parsing, errors or retries is written twice here.

Lifecycle: ``close()`` / ``with``; otherwise a ``weakref.finalize`` closes the
async client on the SDK loop (bounded wait) when the client is garbage
collected or the interpreter exits. There is no ``__del__``.
"""

from __future__ import annotations

import os
import ssl
import weakref
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ._bulk_defaults import DEFAULT_CONNECTING_TIMEOUT, DEFAULT_MAX_PARKED, DEFAULT_STOP_ON
from ._client import AsyncPostpress
from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Timeout,
    TimeoutTypes,
)
from ._config import Secret as _Secret
from ._enums import Mode, Service
from ._exceptions import ClientStateError
from ._jobs import AsyncJobs
from ._loop_thread import (
    LoopThread,
    Owned,
    close_owned,
    close_when_collected,
    live_clients,
    sdk_loop,
)
from ._models import DailyBudget, MonthlyBudget, PublishRequest, PublishResult
from ._observe import EventHook
from ._sync_resources import Accounts, Applicants, JobLifecycle, Search
from ._transport import Transport

if TYPE_CHECKING:
    from ._bulk import BulkReport, NewJob, Outcome, StopOn, StopScopes

__all__ = ["Jobs", "Postpress"]

_T = TypeVar("_T")


class _Runner:
    """Runs coroutines on the SDK loop for one client and its ``with_options`` copies.

    It is also what the client's finalizer watches: ``Postpress`` and every
    ``Jobs`` hold it, so ``Postpress().jobs.publish(...)`` keeps the client open
    for the whole call, and dropping the last of them closes it.
    """

    __slots__ = ("__weakref__", "loop_thread", "pid")

    def __init__(self, loop_thread: LoopThread) -> None:
        self.loop_thread = loop_thread
        self.pid = loop_thread.pid

    def run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        loop_thread = self.loop_thread
        # One cheap test per call; which check failed is worked out once one did.
        if os.getpid() != self.pid or loop_thread.in_loop_thread() or not loop_thread.serving:
            coro.close()  # never started: no "coroutine was never awaited" warning
            raise self._state_error()
        # Ctrl-C while waiting cancels the request on the SDK loop and raises here.
        return loop_thread.call(coro)

    def _state_error(self) -> ClientStateError:
        if os.getpid() != self.pid:
            return ClientStateError(
                "this Postpress client was created in another process (before os.fork()); "
                "its connections and event loop belong to that process. "
                "Create a new Postpress in this process."
            )
        if self.loop_thread.in_loop_thread():
            return ClientStateError(
                "the sync Postpress client was called from the SDK's own event loop, "
                "where it would deadlock waiting for itself; in async code use "
                "AsyncPostpress and await its methods"
            )
        return ClientStateError("the SDK event loop has stopped (the interpreter is shutting down)")


class Postpress:
    """The postpress client for code without ``await``: scripts, notebooks, threads.

    >>> with Postpress() as client:                       # doctest: +SKIP
    ...     result = client.jobs.publish("3984512098", account_id="acc_...", mode="FREE")

    Same arguments as :class:`AsyncPostpress` except ``session`` (an aiohttp
    session belongs to the loop that made it), same methods, results and
    exceptions. Safe to share between threads, and usable where an event loop
    is already running (Jupyter). Close it with ``close()`` or ``with``; if you
    do not, it is closed when garbage collected or at exit.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        ssl: ssl.SSLContext | None = None,
        transport: Transport | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        event_hooks: Mapping[str, Iterable[EventHook]] | None = None,
    ) -> None:
        # Masked first: if a check below fails, this frame's traceback locals show '***'.
        if isinstance(api_key, str):
            api_key = _Secret(api_key)
        # Built here, in the caller's thread, so a bad argument or a missing
        # POSTPRESS_API_KEY raises now. It opens nothing: its session is created
        # lazily by its first call, which runs on the SDK loop.
        client = AsyncPostpress(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            ssl=ssl,
            transport=transport,
            proxy=proxy,
            trust_env=trust_env,
            event_hooks=event_hooks,
        )
        del api_key
        runner = _Runner(sdk_loop())
        owned = Owned(client, runner.loop_thread)
        owned.finalizer = weakref.finalize(runner, close_when_collected, owned)
        live_clients.add(owned)
        self._init(client, runner, owned, None)

    def _init(
        self,
        client: AsyncPostpress,
        runner: _Runner,
        owned: Owned | None,
        parent: Postpress | None,
    ) -> None:
        self._async = client
        self._runner = runner
        self._owned = owned
        # A with_options copy keeps its original (which owns the pool) alive.
        self._parent = parent
        self._jobs = Jobs(client.jobs, runner)
        # Built on first use, like the async client's (their models load then).
        self._applicants: Applicants | None = None
        self._search: Search | None = None
        self._accounts: Accounts | None = None

    @property
    def jobs(self) -> Jobs:
        """The life of a job posting: create, edit, publish, get, list, wait, close; bulk."""
        return self._jobs

    @property
    def applicants(self) -> Applicants:
        """A job's applicants and their résumés."""
        if self._applicants is None:
            self._applicants = Applicants(self._async.applicants, self._runner)
        return self._applicants

    @property
    def search(self) -> Search:
        """Resolving free text into the LinkedIn ids job fields take."""
        if self._search is None:
            self._search = Search(self._async.search, self._runner)
        return self._search

    @property
    def accounts(self) -> Accounts:
        """The connected accounts job calls act from, and their health."""
        if self._accounts is None:
            self._accounts = Accounts(self._async.accounts, self._runner)
        return self._accounts

    @property
    def base_url(self) -> str:
        """The API base URL every request goes to, as configured (or from the environment)."""
        return self._async.base_url

    @property
    def timeout(self) -> Timeout:
        """The default :class:`Timeout` of each attempt (per call: ``timeout=``)."""
        return self._async.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries after the first attempt (per call: ``max_retries=``)."""
        return self._async.max_retries

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        event_hooks: Mapping[str, Iterable[EventHook]] | NotGiven | None = NOT_GIVEN,
    ) -> Postpress:
        """A client with other defaults sharing this one's connection pool.

        The copy keeps this client alive; closing this client closes the pool for both.
        """
        copy = object.__new__(Postpress)
        copy._init(
            self._async.with_options(
                timeout=timeout, max_retries=max_retries, event_hooks=event_hooks
            ),
            self._runner,
            None,
            self,
        )
        return copy

    def close(self) -> None:
        """Close the connection pool (a no-op on a ``with_options`` copy, and when closed)."""
        owned = self._owned
        if owned is None or owned.finalizer is None:
            return
        if owned.loop_thread.in_loop_thread():
            raise ClientStateError(
                "the sync Postpress client was closed from the SDK's own event loop, "
                "where it would deadlock waiting for itself; in async code use "
                "AsyncPostpress and await its close()"
            )
        # detach() is atomic: of concurrent close() calls and the finalizer, one closes.
        if owned.finalizer.detach() is not None:
            close_owned(owned)

    def __enter__(self) -> Postpress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        if not hasattr(self, "_async"):
            # __init__ failed part-way; a repr that raises breaks traceback formatting.
            return "Postpress(<not initialised>)"
        # The async client's repr (the proxy's password masked there too).
        return "Postpress" + repr(self._async).removeprefix("AsyncPostpress")


class Jobs(JobLifecycle):
    """``client.jobs`` without ``await``: the job lifecycle, publishing and checkpoints.

    Each method runs the :class:`AsyncJobs` method of the same name on the SDK loop.
    """

    def __init__(self, async_jobs: AsyncJobs, runner: _Runner) -> None:
        self._async = async_jobs
        # Holding the runner keeps the client open while this object is in use.
        self._runner = runner

    def publish(
        self,
        draft_id: str,
        *,
        account_id: str,
        mode: Mode | str,
        service: Service | str | None = None,
        hiring_photo_frame: bool | None = None,
        bypass_email_verification: bool | None = None,
        budget: DailyBudget | MonthlyBudget | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Publish a draft; returns :class:`Published` or a :class:`Checkpoint` to solve.

        Raises :class:`InvalidRequestError` (nothing sent) for bad arguments, an
        :class:`APIStatusError` subclass for an error answer, and
        :class:`AlreadyPublishedError` when the draft is already live.
        """
        return self._runner.run(
            self._async.publish(
                draft_id,
                account_id=account_id,
                mode=mode,
                service=service,
                hiring_photo_frame=hiring_photo_frame,
                bypass_email_verification=bypass_email_verification,
                budget=budget,
                idempotency_key=idempotency_key,
                timeout=timeout,
                max_retries=max_retries,
            )
        )

    def publish_request(
        self,
        request: PublishRequest,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Like :meth:`publish`, for a :class:`PublishRequest` built beforehand."""
        return self._runner.run(
            self._async.publish_request(
                request, idempotency_key=idempotency_key, timeout=timeout,
                max_retries=max_retries,
            )
        )

    def publish_many(
        self,
        requests: Iterable[PublishRequest | NewJob],
        *,
        concurrency: int = 16,
        rate: float | None = None,
        per_account_concurrency: int | None = None,
        per_account_rate: float | None = None,
        check_accounts: bool = False,
        connecting_timeout: float = DEFAULT_CONNECTING_TIMEOUT,
        max_parked: int = DEFAULT_MAX_PARKED,
        journal: str | os.PathLike[str] | None = None,
        on_outcome: Callable[[Outcome], object] | None = None,
        stop_on: StopOn = DEFAULT_STOP_ON,
        stop_scopes: StopScopes = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BulkReport:
        """Publish many drafts concurrently, never one twice; see
        :meth:`AsyncJobs.publish_many` (items may be :class:`NewJob`, created then
        published).

        The run happens on the SDK's event-loop thread: ``requests`` is iterated there
        and ``on_outcome`` is called there, not in the calling thread, so keep the
        callback quick and thread-safe. Ctrl-C cancels the run (the journal stays valid)
        and raises ``KeyboardInterrupt`` here.
        """
        from . import _bulk  # the bulk machinery loads with the first run

        # Validated here, in the caller's thread, before anything reaches the SDK loop.
        options = _bulk.BulkOptions(
            concurrency=concurrency, rate=rate, per_account_concurrency=per_account_concurrency,
            per_account_rate=per_account_rate, check_accounts=check_accounts,
            connecting_timeout=connecting_timeout, max_parked=max_parked, journal=journal,
            on_outcome=on_outcome, stop_on=stop_on, stop_scopes=stop_scopes, timeout=timeout,
            max_retries=max_retries,
        )
        return self._runner.run(
            _bulk.publish_many(
                self._async.publish_request, requests, options,
                create=self._async.create_request,
                get_account=self._async._client.accounts.get,
            )
        )

    def solve_checkpoint(
        self,
        draft_id: str,
        *,
        account_id: str,
        input: str,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Submit the OTP code or email token for a draft's pending checkpoint.

        Returns :class:`Published`, or a follow-up :class:`Checkpoint` to solve in turn.
        """
        return self._runner.run(
            self._async.solve_checkpoint(
                draft_id,
                account_id=account_id,
                input=input,
                idempotency_key=idempotency_key,
                timeout=timeout,
                max_retries=max_retries,
            )
        )
