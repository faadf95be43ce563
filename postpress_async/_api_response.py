"""``APIResponse``: the HTTP response behind a result, from ``with_raw_response``.

Its own module so that it loads with the first ``with_raw_response`` call
(:func:`._observe.capture_raw_response` builds it), not with the package: each attrs
class costs import time (docs/performance.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

__all__ = ["APIResponse"]

_T = TypeVar("_T")


@attrs.frozen
class APIResponse(Generic[_T]):
    """The HTTP response behind a result, from ``client.<resource>.with_raw_response``.

    ``url`` carries no secrets; ``elapsed`` is the final attempt's time from sending to
    the decoded response; ``retries_taken`` counts the attempts before it. :meth:`parse`
    returns the result the method returns without ``with_raw_response``.
    """

    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    elapsed: datetime.timedelta
    retries_taken: int
    http_method: str
    url: str
    _parsed: _T = attrs.field(alias="parsed", repr=False)

    def parse(self) -> _T:
        """The typed result (the same object on every call)."""
        return self._parsed
