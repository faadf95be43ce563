"""``AsyncPostpress``: the async client and its ``jobs`` resource."""

from __future__ import annotations

import os
import platform
import ssl
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Final
from urllib.parse import quote, urlsplit

from . import _bulk
from ._bulk import DEFAULT_STOP_ON, BulkReport, Outcome, StopOn
from ._config import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Timeout,
    TimeoutTypes,
    resolve_max_retries,
    resolve_timeout,
)
from ._converter import dump_body
from ._decode import decode_response
from ._enums import Mode, Service
from ._exceptions import APIStatusError, InvalidRequestError
from ._models import (
    DailyBudget,
    MonthlyBudget,
    PublishRequest,
    PublishResult,
    SolveCheckpointRequest,
)
from ._retry import retry_after_failure, should_retry
from ._transport import AIOHTTP_VERSION, AiohttpTransport, Transport
from ._version import __version__

if TYPE_CHECKING:
    import aiohttp

__all__ = ["AsyncJobs", "AsyncPostpress"]

API_KEY_ENV: Final = "POSTPRESS_API_KEY"
BASE_URL_ENV: Final = "POSTPRESS_BASE_URL"
# The parameter named ``ssl`` shadows the module inside AsyncPostpress.__init__.
_SSL_CONTEXT: Final = ssl.SSLContext
USER_AGENT: Final = (
    f"postpress-async/{__version__} Python/{platform.python_version()} aiohttp/{AIOHTTP_VERSION}"
)


class _Secret(str):
    """The API key: a real ``str`` for the HTTP layer, masked wherever it is repr'd
    (debuggers, rich/pytest tracebacks with locals, logged header dicts)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


def _api_key(value: str | None) -> _Secret:
    key = value if value is not None else os.environ.get(API_KEY_ENV)
    # Masked before a check can fail: these frames' traceback locals show '***'.
    if isinstance(key, str):
        key = value = _Secret(key)
    if not key:
        raise InvalidRequestError(
            "api_key",
            f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable",
        )
    if not isinstance(key, str):
        raise InvalidRequestError("api_key", f"must be a string, got {type(key).__name__}")
    # Never echo the key itself: say what is wrong with it.
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        raise InvalidRequestError(
            "api_key", "contains whitespace, control or non-ASCII characters (a pasted newline?)"
        )
    return _Secret(key)


def redact_password(url: str) -> str:
    """``url`` with the password of a ``user:password@`` part masked, for reprs and messages.

    aiohttp sends such credentials as Basic auth, so they are as secret as the API key.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:  # "user:pw@host" with the scheme forgotten
        scheme, rest = "", url
    end = min((i for i in map(rest.find, "/?#") if i != -1), default=len(rest))
    userinfo, at, host = rest[:end].rpartition("@")
    user, colon, _ = userinfo.partition(":")
    if not at or not colon:
        return url
    return f"{scheme}{separator}{user}:***@{host}{rest[end:]}"


def _base_url(value: str | None) -> str:
    url = value if value is not None else os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(url, str):
        raise InvalidRequestError("base_url", f"must be a string, got {type(url).__name__}")
    if any(c.isspace() or not c.isprintable() for c in url):
        # urlsplit quietly drops tabs and newlines, and the path is sent as it is
        # (encoded=True): a space would go out raw in the HTTP request line.
        raise InvalidRequestError(
            "base_url", f"contains whitespace or control characters: {redact_password(url)!r}"
        )
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError as exc:
        # Otherwise a bare ValueError from urllib, or from yarl at the first call.
        raise InvalidRequestError(
            "base_url", f"is not a valid URL ({exc}): {redact_password(url)!r}"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise InvalidRequestError(
            "base_url", f"must be an http(s) URL such as {DEFAULT_BASE_URL!r}, "
            f"got {redact_password(url)!r}"
        )
    if parts.query or parts.fragment:
        raise InvalidRequestError(
            "base_url", f"must not have a query or fragment, got {redact_password(url)!r}"
        )
    return url.rstrip("/")


class _ClientCore:
    """What every copy made by ``with_options`` shares: key, URL, connection pool."""

    __slots__ = ("base_url", "headers", "transport")

    def __init__(self, api_key: _Secret, base_url: str, transport: Transport) -> None:
        self.base_url = base_url
        self.transport = transport
        # Built once; aiohttp copies it per request.
        self.headers: Final = {
            "X-API-KEY": api_key,
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }


class AsyncPostpress:
    """The async postpress client. Share one for the life of your app.

    >>> async with AsyncPostpress() as client:           # doctest: +SKIP
    ...     result = await client.jobs.publish("3984512098", account_id="acc_...", mode="FREE")

    ``timeout`` bounds each attempt (a number sets the total; see :class:`Timeout`),
    ``max_retries`` counts retries after the first attempt. A caller-supplied
    ``session`` is used as it is and never closed by the client. ``ssl`` is an
    ``ssl.SSLContext`` to verify the server with (certificates are always verified).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        session: aiohttp.ClientSession | None = None,
        ssl: ssl.SSLContext | None = None,
    ) -> None:
        # Masked before anything else can fail: traceback locals then show '***'.
        if isinstance(api_key, str):
            api_key = _Secret(api_key)
        secret = _api_key(api_key)
        del api_key
        if session is not None and ssl is not None:
            raise InvalidRequestError(
                "ssl", "has no effect with a caller-supplied session: configure its connector"
            )
        self._timeout = resolve_timeout(timeout, DEFAULT_TIMEOUT)
        self._max_retries = resolve_max_retries(max_retries, DEFAULT_MAX_RETRIES)
        if ssl is not None and not isinstance(ssl, _SSL_CONTEXT):
            # aiohttp reads ssl=False as "skip verification"; the promise is that
            # certificates are always verified, so only a context (or None) is accepted.
            raise InvalidRequestError(
                "ssl", f"must be an ssl.SSLContext or None, got {type(ssl).__name__}"
            )
        transport = AiohttpTransport(session, ssl_context=ssl)
        self._core = _ClientCore(secret, _base_url(base_url), transport)
        self._owns_core = True
        self.jobs: Final = AsyncJobs(self)

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def timeout(self) -> Timeout:
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._max_retries

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPostpress:
        """A client with other defaults sharing this one's connection pool.

        The copy does not own the pool: close the original when you are done.
        """
        copy = object.__new__(AsyncPostpress)
        copy._timeout = resolve_timeout(timeout, self._timeout)
        copy._max_retries = resolve_max_retries(max_retries, self._max_retries)
        copy._core = self._core
        copy._owns_core = False
        copy.jobs = AsyncJobs(copy)  # type: ignore[misc]
        return copy

    async def close(self) -> None:
        """Close the connection pool (unless the caller supplied the session)."""
        if self._owns_core:
            await self._core.transport.aclose()

    async def __aenter__(self) -> AsyncPostpress:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        try:
            return (
                f"AsyncPostpress(base_url={redact_password(self.base_url)!r}, "
                f"timeout={self._timeout!r}, max_retries={self._max_retries})"
            )
        except AttributeError:
            # __init__ failed part-way; a repr that raises breaks traceback formatting.
            return "AsyncPostpress(<not initialised>)"


class AsyncJobs:
    """``client.jobs``: publishing drafts and solving checkpoints."""

    def __init__(self, client: AsyncPostpress) -> None:
        self._client = client

    async def publish(
        self,
        draft_id: str,
        *,
        account_id: str,
        mode: Mode | str,
        service: Service | str | None = None,
        hiring_photo_frame: bool | None = None,
        bypass_email_verification: bool | None = None,
        budget: DailyBudget | MonthlyBudget | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Publish a draft; returns :class:`Published` or a :class:`Checkpoint` to solve.

        Raises :class:`InvalidRequestError` (nothing sent) for bad arguments, an
        :class:`APIStatusError` subclass for an error answer, and
        :class:`AlreadyPublishedError` when the draft is already live.
        """
        request = PublishRequest(
            draft_id,
            account_id=account_id,
            mode=mode,
            service=service,
            hiring_photo_frame=hiring_photo_frame,
            bypass_email_verification=bypass_email_verification,
            budget=budget,
        )
        # Straight to _post, not through publish_request: one coroutine less per call.
        return await self._post(
            request.draft_id, "publish", dump_body(request), timeout, max_retries
        )

    async def publish_request(
        self,
        request: PublishRequest,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Like :meth:`publish`, for a :class:`PublishRequest` built beforehand."""
        if not isinstance(request, PublishRequest):
            raise InvalidRequestError(
                "request", f"must be a PublishRequest, got {type(request).__name__}"
            )
        return await self._post(
            request.draft_id, "publish", dump_body(request), timeout, max_retries
        )

    async def publish_many(
        self,
        requests: Iterable[PublishRequest] | AsyncIterable[PublishRequest],
        *,
        concurrency: int = 16,
        rate: float | None = None,
        journal: str | os.PathLike[str] | None = None,
        on_outcome: Callable[[Outcome], object] | None = None,
        stop_on: StopOn = DEFAULT_STOP_ON,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BulkReport:
        """Publish many drafts concurrently; never one twice. Returns a :class:`BulkReport`.

        ``requests`` (an iterable or async iterable of :class:`PublishRequest`) is read
        lazily, one item per free slot; at most ``concurrency`` drafts are in flight and
        ``rate`` caps drafts sent per second. Every draft goes through
        :meth:`publish_request`, so the retry policy applies; a 429 pauses the whole batch
        and the draft is tried again. A failure in ``stop_on`` (default
        :data:`DEFAULT_STOP_ON`: unusable credentials, restricted account, no credits)
        stops the batch: drafts in flight finish, the rest are ``not_attempted``.
        ``journal`` (a JSON Lines path) makes the run resumable after a crash: settled
        drafts are skipped on a re-run. ``on_outcome`` is called with each :class:`Outcome`.
        Cancelling the call cancels the drafts in flight and re-raises ``CancelledError``.
        See ``docs/bulk.md``.
        """
        options = _bulk.BulkOptions(
            concurrency=concurrency, rate=rate, journal=journal, on_outcome=on_outcome,
            stop_on=stop_on, timeout=timeout, max_retries=max_retries,
        )
        return await _bulk.publish_many(self.publish_request, requests, options)

    def iter_publish(
        self,
        requests: Iterable[PublishRequest] | AsyncIterable[PublishRequest],
        *,
        concurrency: int = 16,
        rate: float | None = None,
        journal: str | os.PathLike[str] | None = None,
        on_outcome: Callable[[Outcome], object] | None = None,
        stop_on: StopOn = DEFAULT_STOP_ON,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncGenerator[Outcome, None]:
        """Like :meth:`publish_many`, yielding each :class:`Outcome` as its draft finishes.

        No new draft is started while the consumer is not reading. Leaving the loop
        early (``break``) stops the run and cancels what is in flight; wrap it in
        ``contextlib.aclosing(...)`` for that to happen at once rather than when the
        generator is garbage collected.
        """
        options = _bulk.BulkOptions(
            concurrency=concurrency, rate=rate, journal=journal, on_outcome=on_outcome,
            stop_on=stop_on, timeout=timeout, max_retries=max_retries,
        )
        return _bulk.iter_publish(self.publish_request, requests, options)

    async def solve_checkpoint(
        self,
        draft_id: str,
        *,
        account_id: str,
        input: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Submit the OTP code or email token for a draft's pending checkpoint.

        Returns :class:`Published`, or a follow-up :class:`Checkpoint` to solve in turn.
        """
        request = SolveCheckpointRequest(draft_id, account_id=account_id, input=input)
        return await self._post(
            request.draft_id, "checkpoint", dump_body(request), timeout, max_retries
        )

    async def _post(
        self,
        draft_id: str,
        action: str,
        body: bytes,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> PublishResult:
        client = self._client
        # The common case (nothing given per call) skips the resolvers' checks.
        attempt_timeout = (
            client._timeout if timeout is NOT_GIVEN else resolve_timeout(timeout, client._timeout)
        )
        retries = (
            client._max_retries
            if max_retries is NOT_GIVEN
            else resolve_max_retries(max_retries, client._max_retries)
        )
        core = client._core
        # safe="": "/", "?", "#", "%" and the rest are all escaped, so no draft id
        # can change which endpoint is hit. ASCII letters and digits (every real
        # draft id) are never escaped, so they skip quote(), which is per-call cost.
        segment = draft_id
        if not (draft_id.isascii() and draft_id.isalnum()):
            segment = quote(draft_id, safe="")
        url = f"{core.base_url}/linkedin/jobs/{segment}/{action}"
        transport = core.transport
        headers = core.headers
        try:
            return decode_response(await transport.send(url, headers, body, attempt_timeout))
        except APIStatusError as failure:
            if not should_retry(failure, retries):
                raise
            first_failure = failure

        async def attempt() -> PublishResult:
            return decode_response(await transport.send(url, headers, body, attempt_timeout))

        return await retry_after_failure(
            first_failure,
            attempt,
            max_retries=retries,
            what=lambda: f"{action} of draft {draft_id!r}",
        )
