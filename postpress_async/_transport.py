"""The transport seam: what the request core hands a transport, and what it gets back.

A transport sends one HTTP request and returns ``(status, headers, body)``; it knows
nothing of the API, retries or decoding. The aiohttp transport
(:mod:`postpress_async._aiohttp_transport`) is the default; users may pass any object
implementing :class:`Transport` (``AsyncPostpress(transport=...)``), and
:class:`postpress_async.testing.MockTransport` turns a function into a whole fake
server. This module imports no I/O library.
"""

import json
from collections.abc import Mapping
from typing import Any, Final, NamedTuple, Protocol, runtime_checkable

from ._config import Timeout

__all__ = [
    "MAX_RESPONSE_BYTES",
    "BodySink",
    "Transport",
    "TransportRequest",
    "TransportResponse",
]

# Every documented JSON payload is a few kilobytes at most; a megabyte is generous
# and keeps a misbehaving proxy from filling memory.
MAX_RESPONSE_BYTES: Final = 1024 * 1024


@runtime_checkable
class BodySink(Protocol):
    """Where a streamed (binary) response body goes, chunk by chunk: a binary file, say."""

    def write(self, data: bytes, /) -> object:
        """Take the next chunk of the body."""


class TransportRequest(NamedTuple):
    """One HTTP request, ready to send.

    ``url`` is absolute and already percent-encoded. ``body`` is ``None`` for a request
    without one (GET). ``timeout`` bounds this one attempt. When ``sink`` is set, a 2xx
    body is written to it chunk by chunk instead of being returned (at most
    ``max_body_bytes``); other statuses are returned as usual, so errors decode the same.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    timeout: Timeout
    sink: BodySink | None = None
    max_body_bytes: int = MAX_RESPONSE_BYTES

    def json(self) -> Any:
        """The JSON body, parsed (``None`` for a request without a body)."""
        return None if self.body is None else json.loads(self.body)


class TransportResponse(NamedTuple):
    """What came back, before any interpretation.

    A NamedTuple rather than an attrs class: one is built per request, and a tuple is
    the cheapest immutable record Python has. ``truncated`` is true when the body was
    longer than the request's ``max_body_bytes`` and was cut there; ``streamed`` when it
    went to the request's sink (``body`` is then empty).
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    reason: str | None = None
    truncated: bool = False
    streamed: bool = False


class Transport(Protocol):
    """Sends requests. The one contract of a custom transport.

    ``send`` raises only :class:`~postpress_async.APIConnectionError` (or its subclass
    :class:`~postpress_async.APITimeoutError`) when no HTTP response came back; every
    HTTP response, whatever its status, is returned. ``aclose`` releases connections.
    """

    async def send(self, request: TransportRequest) -> TransportResponse:
        """Send ``request`` once and return what came back, whatever the status."""

    async def aclose(self) -> None:
        """Release connections; the transport is not used again."""
