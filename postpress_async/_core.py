"""The request core: one path from a resource method to a decoded result, for every endpoint.

A resource describes an endpoint once (:class:`Endpoint`: method, path template, decoder)
and calls :meth:`RequestCore.request` with the call's path parameters, query, body and
options. The core builds the URL (each path parameter percent-encoded, so no id can
change which endpoint is hit), adds the headers (the API key; an ``Idempotency-Key`` on
every POST and PATCH, one per logical call and reused by its retries), sends through the
transport, decodes, and retries what the policy says (:mod:`._retry`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar
from urllib.parse import quote, urlencode

from multidict import CIMultiDict, CIMultiDictProxy

from ._config import Secret, Timeout
from ._exceptions import APIStatusError, InvalidRequestError, PostpressError
from ._observe import CallObserver, observer_for
from ._retry import retry, should_retry
from ._transport import MAX_RESPONSE_BYTES, BodySink, Transport, TransportRequest, TransportResponse
from ._untrusted import secrets_of

if TYPE_CHECKING:
    from ._event_hooks import EventHooks

__all__ = ["Endpoint", "Query", "RequestCore", "check_idempotency_key"]

_T = TypeVar("_T")

Query = Sequence[tuple[str, str]]
"""Query parameters as ``(name, value)`` pairs; a name may repeat (a list filter)."""

_IDEMPOTENT_METHODS: Final = frozenset({"POST", "PATCH"})
_MAX_IDEMPOTENCY_KEY_CHARS: Final = 255


class Endpoint(Generic[_T]):
    """One API operation: ``name`` (``"jobs.publish"``, for logs and traces), HTTP
    ``method``, ``path`` template with ``{name}`` placeholders, and the decoder of its
    response."""

    __slots__ = ("_head", "_segments", "decode", "method", "name", "params", "path",
                 "sends_idempotency_key")

    def __init__(
        self, name: str, method: str, path: str, decode: Callable[[TransportResponse], _T]
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.decode = decode
        self.sends_idempotency_key = method in _IDEMPOTENT_METHODS
        # "/linkedin/jobs/{job_id}/publish" -> "/linkedin/jobs/", then each parameter's
        # name with the literal text after it: (("job_id", "/publish"),).
        parts = path.replace("}", "{").split("{")
        self._head = parts[0]
        self._segments = tuple(zip(parts[1::2], parts[2::2], strict=True))
        self.params = tuple(parts[1::2])

    def build_path(self, params: Mapping[str, str]) -> str:
        """The path with each parameter percent-encoded as one segment."""
        path = self._head
        for name, after in self._segments:
            value = params[name]
            # ASCII letters and digits (every real id) need no escaping, nor a call.
            if not (isinstance(value, str) and value.isascii() and value.isalnum()):
                value = _escaped_segment(name, value)
            path += value + after
        return path

    def __repr__(self) -> str:
        return f"Endpoint({self.name!r}, {self.method} {self.path})"


def _escaped_segment(name: str, value: object) -> str:
    """A path parameter other than ASCII letters and digits, percent-encoded (safe="":
    "/", "?", "#", "%" and the rest are all escaped)."""
    if not isinstance(value, str) or not value:
        raise InvalidRequestError(name, "must be a non-empty string")
    # "." and ".." are normalised away by proxies and URL libraries even when
    # percent-encoded, which would send the request to a different endpoint.
    if value in (".", ".."):
        raise InvalidRequestError(name, f"{value!r} is not a valid id")
    return quote(value, safe="")


def check_idempotency_key(value: object) -> str:
    """A caller's ``idempotency_key``: printable ASCII without spaces, at most 255 chars."""
    if not isinstance(value, str):
        raise InvalidRequestError(
            "idempotency_key", f"must be a string, got {type(value).__name__}"
        )
    if not value or len(value) > _MAX_IDEMPOTENCY_KEY_CHARS:
        raise InvalidRequestError(
            "idempotency_key", f"must be 1 to {_MAX_IDEMPOTENCY_KEY_CHARS} characters long"
        )
    if not (value.isascii() and value.isprintable()) or " " in value:
        # It travels as a header value: a newline would split the request.
        raise InvalidRequestError(
            "idempotency_key", "must be printable ASCII without spaces"
        )
    return value


class RequestCore:
    """What every copy made by ``with_options`` shares: key, URL, transport."""

    __slots__ = ("_headers", "_json_headers", "_secrets", "base_url", "transport")

    def __init__(
        self, api_key: Secret, base_url: str, transport: Transport, user_agent: str
    ) -> None:
        self.base_url = base_url
        self.transport = transport
        self._secrets = secrets_of(api_key, base_url, getattr(transport, "proxy", None))
        # Built once; the transport copies them per request.
        self._headers: Final = {
            "X-API-KEY": api_key,
            "User-Agent": user_agent,
            "Accept": "application/json",
            # What the default transport decodes itself (it reads bodies compressed).
            "Accept-Encoding": "gzip, deflate",
        }
        self._json_headers: Final = {**self._headers, "Content-Type": "application/json"}

    def request(
        self,
        endpoint: Endpoint[_T],
        *,
        timeout: Timeout,
        max_retries: int,
        path_params: Mapping[str, str] | None = None,
        query: Query | None = None,
        body: bytes | None = None,
        idempotency_key: str | None = None,
        sink: BodySink | None = None,
        max_body_bytes: int = MAX_RESPONSE_BYTES,
        hooks: EventHooks | None = None,
    ) -> Coroutine[Any, Any, _T]:
        """One logical call (its attempts), to await for the decoded result.

        The request is built here, before the first await: an invalid path parameter
        raises at once. A plain function returning the coroutine of the attempts, so the
        path every call takes has no await layer of its own.
        """
        path = endpoint.build_path(path_params) if path_params else endpoint.path
        url = self.base_url + path
        if query:
            url += "?" + urlencode(query, quote_via=quote, safe="")
        headers: Mapping[str, str] = self._headers if body is None else self._json_headers
        if endpoint.sends_idempotency_key:
            # 128 random bits, as hex: as unique as a UUID4, at a fraction of its cost.
            key = idempotency_key if idempotency_key is not None else os.urandom(16).hex()
            headers = {**headers, "Idempotency-Key": key}
        request = TransportRequest(
            endpoint.method, url, headers, body, timeout, sink, max_body_bytes
        )
        observer = observer_for(endpoint.name, endpoint.method, url, path, path_params, hooks)
        if observer is None:
            return self._send(endpoint, request, None, max_retries, path, path_params)
        return self._observed(endpoint, request, observer, max_retries, path, path_params)

    async def _observed(
        self,
        endpoint: Endpoint[_T],
        request: TransportRequest,
        observer: CallObserver,
        max_retries: int,
        path: str,
        path_params: Mapping[str, str] | None,
    ) -> _T:
        """The call's attempts inside its span."""
        observer.start_call()
        try:
            result = await self._send(endpoint, request, observer, max_retries, path, path_params)
        except BaseException as error:  # re-raised as it is; the call's span records it
            observer.end_call(error)
            raise
        observer.end_call(None)
        return result

    async def _send(
        self,
        endpoint: Endpoint[_T],
        request: TransportRequest,
        observer: CallObserver | None,
        max_retries: int,
        path: str,
        path_params: Mapping[str, str] | None,
    ) -> _T:
        """One attempt: send, then decode (a typed error for a failure status).

        The call's first attempt hands a failure the policy retries to :func:`retry`,
        which makes each further attempt through this method with ``max_retries=0``. One
        coroutine, not an attempt inside a loop's coroutine: the path of every call has
        a frame less to create and to resume through at each of its awaits.
        """
        if observer is not None:
            await observer.before_attempt(request.headers)
        try:
            response = await self.transport.send(request)
            headers = response.headers
            if not isinstance(headers, (CIMultiDictProxy, CIMultiDict)):
                # A custom transport's plain dict: header lookups stay case-insensitive.
                response = response._replace(headers=CIMultiDictProxy(CIMultiDict(headers)))
            if observer is not None:
                await observer.after_response(response)
            result = endpoint.decode(response)
        except BaseException as error:  # re-raised as it is, unless it is retried
            if isinstance(error, PostpressError):
                # A server may echo the key (or the URL's password) in any text it sends
                # back; the one place every error of a call passes through removes it.
                error.redact(self._secrets)
            if observer is not None:
                observer.end_attempt(error)
            if not (isinstance(error, APIStatusError) and should_retry(error, max_retries)):
                raise
            first_failure = error
        else:
            if observer is not None:
                observer.end_attempt(None)
            return result
        return await retry(
            first_failure,
            functools.partial(self._send, endpoint, request, observer, 0, path, path_params),
            max_retries=max_retries,
            what=lambda: f"{endpoint.name} ({endpoint.method} {path})",
            extra={"method": endpoint.method, "path": path, **(path_params or {})},
            on_retry=observer.on_retry if observer is not None else None,
        )

    async def aclose(self) -> None:
        await self.transport.aclose()


