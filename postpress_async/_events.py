"""The events a client's hooks receive: :class:`RequestEvent`, :class:`ResponseEvent`,
:class:`RetryEvent`.

Their own module, imported when a hook is first called (or a name is used): most programs
configure no hooks, and each attrs class costs its share of import time
(docs/performance.md, import time).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._exceptions import PostpressError

__all__ = ["RequestEvent", "ResponseEvent", "RetryEvent"]


@attrs.frozen
class RequestEvent:
    """An attempt about to be sent. ``headers`` show the API key masked."""

    operation: str
    method: str
    url: str
    headers: Mapping[str, str]
    attempt: int


@attrs.frozen
class ResponseEvent:
    """An attempt's response, before it is decoded. ``elapsed`` is in seconds."""

    operation: str
    method: str
    url: str
    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    elapsed: float
    attempt: int


@attrs.frozen
class RetryEvent:
    """A retry decision: ``attempt`` failed with ``error``; the next follows in ``wait`` s."""

    operation: str
    method: str
    url: str
    error: PostpressError
    attempt: int
    wait: float
