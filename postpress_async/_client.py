"""``AsyncPostpress``: the async client. It holds the configuration and the resources;
every call goes through one :class:`~postpress_async._core.RequestCore`."""

from __future__ import annotations

import functools
import platform
import ssl
from collections.abc import Coroutine, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._aiohttp_transport import AIOHTTP_VERSION, AiohttpTransport
from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Secret,
    Timeout,
    TimeoutTypes,
    resolve_api_key,
    resolve_base_url,
    resolve_max_retries,
    resolve_proxy,
    resolve_timeout,
)
from ._core import Endpoint, Query, RequestCore
from ._exceptions import InvalidRequestError
from ._jobs import AsyncJobs
from ._observe import EventHook, resolve_event_hooks
from ._transport import MAX_RESPONSE_BYTES, BodySink, Transport
from ._untrusted import redact_password
from ._version import __version__

if TYPE_CHECKING:
    import aiohttp

    from ._accounts import AsyncAccounts
    from ._applicants import AsyncApplicants
    from ._event_hooks import EventHooks
    from ._search import AsyncSearch

__all__ = ["AsyncPostpress"]

_T = TypeVar("_T")

# The parameter named ``ssl`` shadows the module inside AsyncPostpress.__init__.
_SSL_CONTEXT: Final = ssl.SSLContext
USER_AGENT: Final = (
    f"postpress-async/{__version__} Python/{platform.python_version()} aiohttp/{AIOHTTP_VERSION}"
)


class AsyncPostpress:
    """The async postpress client. Share one for the life of your app.

    >>> async with AsyncPostpress() as client:           # doctest: +SKIP
    ...     result = await client.jobs.publish("3984512098", account_id="acc_...", mode="FREE")

    ``timeout`` bounds each attempt (a number sets the total; see :class:`Timeout`),
    ``max_retries`` counts retries after the first attempt. A caller-supplied
    ``session`` is used as it is and never closed by the client. ``ssl`` is an
    ``ssl.SSLContext`` to verify the server with (certificates are always verified).
    ``transport`` replaces the HTTP layer altogether: any object implementing
    :class:`Transport` (for tests, :class:`postpress_async.testing.MockTransport`).

    ``proxy`` is an http(s) proxy URL (``http://user:password@host:port``); without
    it, ``HTTPS_PROXY`` / ``HTTP_PROXY`` (by the base URL's scheme) and ``NO_PROXY``
    are read from the environment when the client is made, as requests and httpx
    do, unless ``trust_env=False``. Neither goes with ``session`` or ``transport``:
    configure proxies there.

    ``event_hooks`` (``{"request": [...], "response": [...], "retry": [...]}``) are
    called with a :class:`RequestEvent`, :class:`ResponseEvent` or :class:`RetryEvent`;
    plain functions or coroutine functions. They observe: an exception inside one is
    logged and the call goes on.
    """

    jobs: AsyncJobs
    """The life of a job posting: create, edit, publish, get, list, wait, close; bulk."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        session: aiohttp.ClientSession | None = None,
        ssl: ssl.SSLContext | None = None,
        transport: Transport | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        event_hooks: Mapping[str, Iterable[EventHook]] | None = None,
    ) -> None:
        # Masked before anything else can fail: traceback locals then show '***'.
        if isinstance(api_key, str):
            api_key = Secret(api_key)
        secret = resolve_api_key(api_key)
        del api_key
        if session is not None and ssl is not None:
            raise InvalidRequestError(
                "ssl", "has no effect with a caller-supplied session: configure its connector"
            )
        if transport is not None and (session is not None or ssl is not None):
            raise InvalidRequestError(
                "transport", "replaces the HTTP layer: configure session/ssl on it instead"
            )
        if (session is not None or transport is not None) and (
            proxy is not None or trust_env is not True
        ):
            raise InvalidRequestError(
                "proxy" if proxy is not None else "trust_env",
                f"has no effect with a caller-supplied {'session' if session else 'transport'}:"
                " configure proxies there",
            )
        self._timeout = resolve_timeout(timeout, DEFAULT_TIMEOUT)
        self._max_retries = resolve_max_retries(max_retries, DEFAULT_MAX_RETRIES)
        self._event_hooks = resolve_event_hooks(event_hooks, None)  # None: no hooks
        if ssl is not None and not isinstance(ssl, _SSL_CONTEXT):
            # aiohttp reads ssl=False as "skip verification"; the promise is that
            # certificates are always verified, so only a context (or None) is accepted.
            raise InvalidRequestError(
                "ssl", f"must be an ssl.SSLContext or None, got {type(ssl).__name__}"
            )
        base_url = resolve_base_url(base_url)
        if transport is None:
            if session is None:
                proxy = resolve_proxy(proxy, trust_env=trust_env, base_url=base_url)
            transport = AiohttpTransport(session, ssl_context=ssl, proxy=proxy)
        elif not callable(getattr(transport, "send", None)) or not callable(
            getattr(transport, "aclose", None)
        ):
            raise InvalidRequestError(
                "transport",
                f"must implement postpress_async.Transport (send, aclose), "
                f"got {type(transport).__name__}",
            )
        self._core = RequestCore(secret, base_url, transport, USER_AGENT)
        self._owns_core = True
        self._resources()

    def _resources(self) -> None:
        self.jobs = AsyncJobs(self)

    # The other resources, and their models, are imported on first use: most programs
    # use a few endpoints, and the package's import time counts (docs/performance.md).

    @functools.cached_property
    def applicants(self) -> AsyncApplicants:
        """A job's applicants and their résumés."""
        from ._applicants import AsyncApplicants

        return AsyncApplicants(self)

    @functools.cached_property
    def search(self) -> AsyncSearch:
        """Resolving free text into the LinkedIn ids job fields take."""
        from ._search import AsyncSearch

        return AsyncSearch(self)

    @functools.cached_property
    def accounts(self) -> AsyncAccounts:
        """The connected accounts job calls act from, and their health."""
        from ._accounts import AsyncAccounts

        return AsyncAccounts(self)

    @property
    def base_url(self) -> str:
        """The API base URL every request goes to, as configured (or from the environment)."""
        return self._core.base_url

    @property
    def timeout(self) -> Timeout:
        """The default :class:`Timeout` of each attempt (per call: ``timeout=``)."""
        return self._timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries after the first attempt (per call: ``max_retries=``)."""
        return self._max_retries

    @property
    def event_hooks(self) -> EventHooks:
        """The hooks every call of this client reports to."""
        if self._event_hooks is not None:
            return self._event_hooks
        from ._event_hooks import NO_EVENT_HOOKS  # not loaded for clients without hooks

        return NO_EVENT_HOOKS

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        event_hooks: Mapping[str, Iterable[EventHook]] | NotGiven | None = NOT_GIVEN,
    ) -> AsyncPostpress:
        """A client with other defaults sharing this one's connection pool.

        The copy does not own the pool: close the original when you are done.
        """
        copy = object.__new__(AsyncPostpress)
        copy._timeout = resolve_timeout(timeout, self._timeout)
        copy._max_retries = resolve_max_retries(max_retries, self._max_retries)
        copy._event_hooks = resolve_event_hooks(event_hooks, self._event_hooks)
        copy._core = self._core
        copy._owns_core = False
        copy._resources()
        return copy

    def _request(
        self,
        endpoint: Endpoint[_T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Query | None = None,
        body: bytes | None = None,
        idempotency_key: str | None = None,
        sink: BodySink | None = None,
        max_body_bytes: int = MAX_RESPONSE_BYTES,
    ) -> Coroutine[Any, Any, _T]:
        """One call of ``endpoint`` with this client's defaults, or the call's own.

        A plain function returning the core's coroutine: no await layer of its own on the
        path every call takes (see docs/performance.md). Its arguments are named one by
        one, not passed on as ``**kwargs``: no dict is built and unpacked per call.
        """
        # The common case (nothing given per call) skips the resolvers' checks.
        return self._core.request(
            endpoint,
            timeout=self._timeout if timeout is NOT_GIVEN else resolve_timeout(
                timeout, self._timeout
            ),
            max_retries=self._max_retries if max_retries is NOT_GIVEN else resolve_max_retries(
                max_retries, self._max_retries
            ),
            path_params=path_params,
            query=query,
            body=body,
            idempotency_key=idempotency_key,
            sink=sink,
            max_body_bytes=max_body_bytes,
            hooks=self._event_hooks,
        )

    async def close(self) -> None:
        """Close the connection pool (unless the caller supplied the session)."""
        if self._owns_core:
            await self._core.aclose()

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
            transport = self._core.transport
            proxy = transport.proxy if isinstance(transport, AiohttpTransport) else None
            return (
                f"AsyncPostpress(base_url={redact_password(self.base_url)!r}, "
                f"timeout={self._timeout!r}, max_retries={self._max_retries}"
                + (f", proxy={redact_password(proxy)!r})" if proxy else ")")
            )
        except AttributeError:
            # __init__ failed part-way; a repr that raises breaks traceback formatting.
            return "AsyncPostpress(<not initialised>)"
