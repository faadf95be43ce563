"""Helpers for users' own test suites: a mock transport, and retry waits switched off.

**Unit tests without a network.** :class:`MockTransport` turns a function into a whole
fake server; the client cannot tell the difference (retries, decoding and typed errors
behave exactly as over the network)::

    from postpress_async import AsyncPostpress
    from postpress_async.testing import MockResponse, MockTransport

    def handler(request):
        assert request.json()["mode"] == "FREE"
        return MockResponse(200, json={"object": "LinkedinJobPostingPublished",
                                       "job_id": "1", "job_state": "active"})

    client = AsyncPostpress(api_key="test", transport=MockTransport(handler))

For end-to-end tests against a server that behaves like the real API, use the sandbox
(:mod:`postpress_async.sandbox`, and its pytest fixture).

**Retry waits.** Retries wait (0.5 s and up, or a server's ``Retry-After``); in tests
that is just slowness. Switch waits off for a block or for a whole session::

    from postpress_async.testing import no_retry_waits, set_retry_waits

    with no_retry_waits():
        ...                       # retries happen, immediately

    set_retry_waits(False)        # e.g. in conftest.py, for every test
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from ._exceptions import ClientStateError
from ._json import dumps
from ._retry import WAITS
from ._transport import TransportRequest, TransportResponse

__all__ = [
    "MockResponse",
    "MockTransport",
    "no_retry_waits",
    "retry_waits_enabled",
    "set_retry_waits",
]

_UNSET: Any = object()


class MockResponse:
    """A response for :class:`MockTransport` to return.

    Give ``json`` (any JSON-serialisable value; sent with ``Content-Type:
    application/json``) or ``body`` (raw bytes), not both. ``headers`` are added as
    given (e.g. ``{"Retry-After": "2", "X-Request-Id": "req_1"}``).
    """

    __slots__ = ("body", "headers", "status")

    def __init__(
        self,
        status: int = 200,
        *,
        json: Any = _UNSET,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code (100-599), got {status!r}")
        if json is not _UNSET and body is not None:
            raise ValueError("give json= or body=, not both")
        all_headers: CIMultiDict[str] = CIMultiDict()
        if json is not _UNSET:
            body = dumps(json)
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        self.status = status
        self.body = body if body is not None else b""
        self.headers = CIMultiDictProxy(all_headers)

    def __repr__(self) -> str:
        return f"MockResponse({self.status}, body={self.body[:60]!r})"


MockHandler = Callable[
    [TransportRequest], MockResponse | TransportResponse | Awaitable[MockResponse]
]


class MockTransport:
    """A :class:`~postpress_async.Transport` that answers every request with ``handler``.

    ``handler`` (a plain function or a coroutine function) receives the
    :class:`~postpress_async.TransportRequest` — ``method``, ``url``, ``headers``,
    ``body`` and a ``json()`` helper — and returns a :class:`MockResponse`. It may also
    raise :class:`~postpress_async.APIConnectionError` or
    :class:`~postpress_async.APITimeoutError` to act as a network failure. Every
    request it saw is kept in :attr:`requests`, in order.
    """

    def __init__(self, handler: MockHandler) -> None:
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {type(handler).__name__}")
        self.handler = handler
        self.requests: list[TransportRequest] = []
        self.closed = False

    async def send(self, request: TransportRequest) -> TransportResponse:
        if self.closed:
            raise ClientStateError("this client is closed; create a new one")
        self.requests.append(request)
        answer: Any = self.handler(request)
        if inspect.isawaitable(answer):
            answer = await answer
        if isinstance(answer, TransportResponse):
            return answer
        if not isinstance(answer, MockResponse):
            raise TypeError(
                f"the MockTransport handler must return a MockResponse, "
                f"got {type(answer).__name__}"
            )
        body, truncated, streamed = answer.body, False, False
        if len(body) > request.max_body_bytes:
            body, truncated = body[: request.max_body_bytes], True
        if request.sink is not None and 200 <= answer.status < 300:
            if not truncated:
                request.sink.write(body)
            body, streamed = b"", True
        return TransportResponse(
            answer.status, answer.headers, body, None, truncated, streamed
        )

    async def aclose(self) -> None:
        self.closed = True


def set_retry_waits(enabled: bool) -> None:
    """Turn retry waits on or off process-wide (retries still happen)."""
    WAITS.enabled = enabled


def retry_waits_enabled() -> bool:
    """Whether retries currently wait between attempts."""
    return WAITS.enabled


@contextmanager
def no_retry_waits() -> Iterator[None]:
    """Retries inside the block happen without waiting; the previous setting is restored."""
    previous = WAITS.enabled
    WAITS.enabled = False
    try:
        yield
    finally:
        WAITS.enabled = previous
