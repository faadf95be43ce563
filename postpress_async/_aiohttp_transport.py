"""The default transport, over aiohttp: the only module that imports aiohttp.

It sends one request and hands back ``(status, headers, body)``; aiohttp's
exceptions are translated into the SDK's here and nowhere else. Redirects are
never followed (aiohttp would replay a request with ``X-API-KEY`` to any host a
307/308 names). Response bodies are read up to the request's ``max_body_bytes``,
or streamed to its sink.

Through a proxy (``proxy=``, already resolved from the environment by the client),
an https URL goes through a CONNECT tunnel: the proxy sees the host and port, never
the request (so never ``X-API-KEY``). Proxy failures name the proxy by ``host:port``
only; its credentials stay in the URL handed to aiohttp and out of every message.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import AsyncIterator, Awaitable
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from yarl import URL

from ._compression import BodyDecoder, DecompressionError
from ._config import Timeout, proxy_address
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ClientStateError,
    InvalidRequestError,
    ProxyAuthenticationError,
    UnexpectedResponseError,
)
from ._transport import BodySink, TransportRequest, TransportResponse
from ._untrusted import display

if TYPE_CHECKING:
    from aiohttp.client_reqrep import ConnectionKey
    from aiohttp.connector import Connection
    from aiohttp.tracing import Trace

__all__ = ["AIOHTTP_VERSION", "AiohttpTransport"]

AIOHTTP_VERSION: Final = aiohttp.__version__
_CHUNK: Final = 64 * 1024
_MAX_CACHED_TIMEOUTS: Final = 64


class _FreshConnector(aiohttp.TCPConnector):
    """A connector that never reuses a pooled connection on which bytes arrived while idle.

    aiohttp parses whatever a server writes on an idle keep-alive connection and keeps
    it; the next request on that connection would read it as its own response (a forged
    "published" for a draft the server never saw). Such a connection has unread data
    or an error, which ``should_close`` reports: it is closed, and the next is tried.
    """

    async def _get(self, key: ConnectionKey, traces: list[Trace]) -> Connection | None:
        while (connection := await super()._get(key, traces)) is not None:
            protocol = connection.protocol
            if protocol is not None and not protocol.should_close:
                return connection
            connection.close()
        return None


class AiohttpTransport:
    """A transport over one ``aiohttp.ClientSession``.

    The session is created lazily, on the event loop of the first call (a
    session only works on the loop that made it). A caller-supplied session is
    used as it is and never closed here. ``proxy`` is a checked http(s) proxy URL
    (see :func:`~postpress_async._config.resolve_proxy`) or ``None`` for direct
    connections; it is not combined with a caller's session, which has its own.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        connection_limit: int = 100,
        proxy: str | None = None,
    ) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise InvalidRequestError(
                "session", f"must be an aiohttp.ClientSession, got {type(session).__name__}"
            )
        if session is not None and proxy is not None:
            raise InvalidRequestError(
                "proxy", "has no effect with a caller-supplied session: configure the session"
            )
        self.proxy = proxy
        self._proxy_url = URL(proxy) if proxy is not None else None
        self._proxy_address = proxy_address(proxy) if proxy is not None else None
        self._session = session
        self._owns_session = session is None
        self._ssl_context = ssl_context
        self._connection_limit = connection_limit
        # What each request passes beyond its method, URL, body, headers and timeout.
        # The SDK's own session has the settings it needs as defaults (_open_session),
        # so its requests pass nothing more than the proxy, if any: ClientSession.request
        # packs every keyword into a dict and unpacks it again, a measurable share of a
        # request (docs/performance.md). A caller's session may have other defaults
        # (raise_for_status=True, say): its requests override them. It has its own proxy.
        self._request_options: dict[str, Any] = (
            ({"proxy": self._proxy_url} if proxy is not None else {})
            if session is None
            else {"raise_for_status": False, "auto_decompress": False}
        )
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        self._origin = ("", URL())  # scheme://authority of the last URL sent, parsed
        self._last_timeout: Timeout | None = None
        self._last_client_timeout = aiohttp.ClientTimeout()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    def _open_session(self) -> aiohttp.ClientSession:
        connector = _FreshConnector(
            limit=self._connection_limit,
            # True: verify certificates against the system's trust store.
            ssl=self._ssl_context if self._ssl_context is not None else True,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            # Error statuses must reach decode (typed errors, retries), not become
            # exceptions here; bodies are decoded by the SDK (see _compression), so a
            # broken one fails at once.
            raise_for_status=False,
            auto_decompress=False,
        )
        return self._session

    def _client_timeout(self, timeout: Timeout) -> aiohttp.ClientTimeout:
        if timeout is self._last_timeout:
            # Nearly every call passes the client's own Timeout: no hashing then.
            return self._last_client_timeout
        client_timeout = self._timeouts.get(timeout)
        if client_timeout is None:
            if len(self._timeouts) >= _MAX_CACHED_TIMEOUTS:
                # Callers passing a computed timeout per call (a remaining deadline)
                # would otherwise grow this cache for the life of the client.
                self._timeouts.clear()
            # sock_connect, not connect: aiohttp's "connect" also counts time
            # spent queueing for a pooled connection, which is not a network fault.
            client_timeout = aiohttp.ClientTimeout(
                total=timeout.total, sock_connect=timeout.connect
            )
            self._timeouts[timeout] = client_timeout
        self._last_timeout, self._last_client_timeout = timeout, client_timeout
        return client_timeout

    def _url(self, url: str) -> URL:
        # URL(url, encoded=True) parses the whole string on every call (2 us); every
        # URL the client sends shares the origin of its base_url, so the origin is
        # parsed once and each call only swaps in its path (0.5 us).
        origin, origin_url = self._origin
        if (
            url.startswith(origin)
            and url[len(origin) : len(origin) + 1] == "/"
            and "?" not in url
            and "#" not in url
            # yarl's parser drops tabs and newlines; with_path would keep them.
            and "\t" not in url
            and "\n" not in url
            and "\r" not in url
        ):
            return origin_url.with_path(url[len(origin) :], encoded=True)
        parsed = URL(url, encoded=True)
        if parsed.raw_authority:
            scheme_and_authority = f"{parsed.scheme}://{parsed.raw_authority}"
            if url.startswith(scheme_and_authority):
                # with_path replaces the path and drops query and fragment, so this URL
                # serves as the origin as it is: no second parse.
                self._origin = (scheme_and_authority, parsed)
        return parsed

    async def send(self, request: TransportRequest) -> TransportResponse:
        session = self._usable_session()
        url = request.url
        try:
            # Awaited and released by hand rather than through ``async with``: the context
            # managers' four coroutines and their wait for the (long finished) body
            # writer were a measurable share of each request (docs/performance.md).
            response = await self._start(session, request)
            try:
                status = response.status
                limit = request.max_body_bytes
                length = response.content_length
                encoding = response.headers.get("Content-Encoding", "").strip().lower()
                payload, truncated, streamed = b"", False, False
                try:
                    decoder = BodyDecoder(encoding) if encoding not in ("", "identity") else None
                    if request.sink is not None and 200 <= status < 300:
                        truncated = await _stream(response, request.sink, limit, decoder)
                        streamed = True
                    elif decoder is None and length is not None and length <= limit:
                        # Fast path: a declared, small, uncompressed body is read in one go.
                        payload = await response.read()
                    else:
                        payload, truncated = await _read_bounded(response, limit, decoder)
                except DecompressionError as exc:
                    if 200 <= status < 300:
                        raise UnexpectedResponseError(
                            f"the response body does not decompress: {exc}",
                            status=status,
                            body=b"",
                            headers=response.headers,
                            request_id=response.headers.get("X-Request-Id"),
                        ) from None
                    # An error status stays that error (and retryable where it is).
                    payload = b""
                return TransportResponse(
                    status=status,
                    headers=response.headers,
                    body=payload,
                    reason=response.reason,
                    truncated=truncated,
                    streamed=streamed,
                )
            finally:
                # Returns a fully read connection to the pool, closes any other one.
                response.release()
        except asyncio.TimeoutError as exc:
            raise APITimeoutError(
                f"the request timed out (limit per attempt: {_describe(request.timeout)})"
                + self._through(),
                url=url,
            ) from exc
        except aiohttp.ClientHttpProxyError as exc:
            # Its text and traceback carry aiohttp's request info; ours names host:port only.
            raise self._proxy_refused(exc, url) from None
        except (aiohttp.ClientError, OSError) as exc:
            through = "" if isinstance(exc, aiohttp.ClientProxyConnectionError) else (
                self._through()
            )
            raise APIConnectionError(
                f"connection error: {display(_reason(exc))}{through}", url=url
            ) from exc

    def _start(
        self, session: aiohttp.ClientSession, request: TransportRequest
    ) -> Awaitable[aiohttp.ClientResponse]:
        url = self._url(request.url)
        timeout = self._client_timeout(request.timeout)
        if not self._request_options:
            # The SDK's own session without a proxy: its defaults are all it needs.
            return session.request(
                request.method, url, data=request.body, headers=request.headers,
                timeout=timeout, allow_redirects=False,
            )
        return session.request(
            request.method, url, data=request.body, headers=request.headers,
            timeout=timeout, allow_redirects=False, **self._request_options,
        )

    def _through(self) -> str:
        return "" if self._proxy_address is None else f" (through the proxy {self._proxy_address})"

    def _proxy_refused(self, exc: aiohttp.ClientHttpProxyError, url: str) -> APIConnectionError:
        """The proxy answered CONNECT with something other than 200."""
        where = self._proxy_address or "of the caller's session"
        status = f"{exc.status} {display(exc.message)}"
        if exc.status == 407:
            credentials = self._proxy_url is not None and self._proxy_url.user is not None
            return ProxyAuthenticationError(
                f"the proxy {where} answered {status} to CONNECT: "
                + (
                    "it refused the credentials given"
                    if credentials
                    else "it needs credentials (http://USER:PASSWORD@HOST:PORT)"
                ),
                url=url,
                proxy=self._proxy_address,
                headers=exc.headers,
            )
        target = URL(url, encoded=True)
        return APIConnectionError(
            f"the proxy {where} could not open a tunnel to {target.host}:{target.port}: "
            f"it answered {status} to CONNECT",
            url=url,
        )

    def _usable_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientStateError("this client is closed; create a new one")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            # A caller's session made on another loop (one already closed, say) fails
            # deep in aiohttp with a bare RuntimeError("Event loop is closed").
            if self._session is not None and getattr(self._session, "_loop", loop) is not loop:
                raise ClientStateError(
                    "the aiohttp.ClientSession passed as session= was created on another "
                    "event loop; create it inside the event loop that uses the client"
                )
            self._loop = loop
        elif self._loop is not loop:
            # aiohttp would fail deep inside with "attached to a different loop" or
            # "Event loop is closed": say what is wrong instead.
            raise ClientStateError(
                "this client was first used on another event loop, and its connection "
                "pool only works there. Create the AsyncPostpress inside the event loop "
                "that uses it (e.g. once per asyncio.run), or use the sync Postpress."
            )
        session = self._session if self._session is not None else self._open_session()
        # The SDK's own session is closed only by aclose(), checked above.
        if not self._owns_session and session.closed:
            # Only a caller-supplied session gets here closed; aiohttp would raise a bare
            # RuntimeError("Session is closed").
            raise ClientStateError(
                "the aiohttp.ClientSession passed as session= is closed; pass an open one"
            )
        return session

    async def aclose(self) -> None:
        self._closed = True
        if self._owns_session and self._session is not None:
            await self._session.close()


async def _chunks(
    response: aiohttp.ClientResponse, limit: int, decoder: BodyDecoder | None
) -> AsyncIterator[bytes]:
    """The body's (decoded) chunks, ending once more than ``limit`` bytes came out."""
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        data = chunk if decoder is None else decoder.feed(chunk, limit - size)
        size += len(data)
        yield data
        if size > limit:
            # Leaving the rest unread makes aiohttp close this connection
            # instead of returning it to the pool: nothing leaks.
            return
    if decoder is not None:
        decoder.finish()


async def _read_bounded(
    response: aiohttp.ClientResponse, limit: int, decoder: BodyDecoder | None
) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes of a body of unknown length, or compressed."""
    body = b"".join([chunk async for chunk in _chunks(response, limit, decoder)])
    return body[:limit], len(body) > limit


async def _stream(
    response: aiohttp.ClientResponse, sink: BodySink, limit: int, decoder: BodyDecoder | None
) -> bool:
    """Copy the body to ``sink``, at most ``limit`` bytes; true when it was longer."""
    size = 0
    async for chunk in _chunks(response, limit, decoder):
        size += len(chunk)
        if size > limit:
            return True
        sink.write(chunk)
    return False


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in the user's terms: the host and the system's reason.

    aiohttp's own text names its internals ("ssl:default" even for an http:// URL).
    TLS failures keep aiohttp's text: it says what about the certificate was wrong.
    """
    if isinstance(exc, aiohttp.ClientConnectorError) and not isinstance(
        exc, aiohttp.ClientSSLError
    ):
        os_error = exc.os_error
        errno = os_error.errno
        reason = (
            os.strerror(errno)
            if isinstance(errno, int) and errno > 0
            else os_error.strerror or str(os_error) or type(os_error).__name__
        )
        if isinstance(exc, aiohttp.ClientConnectorDNSError):
            return f"cannot resolve host {exc.host} ({reason})"
        proxy = "the proxy " if isinstance(exc, aiohttp.ClientProxyConnectionError) else ""
        host = f"[{exc.host}]" if ":" in exc.host else exc.host  # an IPv6 address
        return f"cannot connect to {proxy}{host}:{exc.port} ({reason})"
    return f"{type(exc).__name__}: {exc}"


def _describe(timeout: Timeout) -> str:
    def limit(seconds: float | None) -> str:
        return "none" if seconds is None else f"{seconds}s"

    return f"total={limit(timeout.total)}, connect={limit(timeout.connect)}"
